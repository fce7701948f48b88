/* The resource directory as a tree: type, then name or id, then language, then the data entry. */
#include "pe_internal.h"

#include <stdlib.h>
#include <string.h>
#include "../util/array.h"
#include "../util/utf.h"

#define RESOURCE_DIRECTORY_SIZE 16u
#define RESOURCE_ENTRY_SIZE 8u
#define RESOURCE_DATA_SIZE 16u
#define RESOURCE_HIGH_BIT 0x80000000u
/* The loader looks up type, name and language: three levels. Deeper directories are recorded as
 * nodes but not followed, which also ends any directory loop a hostile file builds. */
#define RESOURCE_LEVELS 3u
#define RESOURCE_NAME_MAX 1024u  /* UTF-16 units kept of a resource name */
/* Entries read in all, including those that cannot be read and so add no node: without it, 65536
 * nodes that each point at a directory of 0x1FFFE unreadable entries take billions of reads. */
#define RESOURCE_MAX_ENTRY_VISITS (4u * PE_MAX_RESOURCE_NODES)

typedef struct resource_walk {
    pe_image *img;
    pe_resources *out;
    size_t cap;
    size_t visits;           /* entries looked at, bounded by RESOURCE_MAX_ENTRY_VISITS */
    uint32_t root;           /* RVA of the root directory; every offset is relative to it */
} resource_walk;

static pmm_status read_entry_name(resource_walk *w, uint32_t offset, const char **out)
{
    *out = NULL;
    uint16_t chars;
    uint32_t rva = w->root + offset;
    if (!pe_range_ok(w->root, offset) || pe_read_rva_u16(w->img, rva, &chars) != PMM_OK)
        return PMM_ERR_FORMAT;
    if (chars > RESOURCE_NAME_MAX) {
        chars = RESOURCE_NAME_MAX;   /* keep a prefix of an absurdly long name */
        w->out->truncated = 1;
    }
    uint8_t units[2 * RESOURCE_NAME_MAX];
    uint32_t bytes = 2u * chars;
    if (!pe_range_ok(rva, 2 + bytes) || pe_read_rva(w->img, rva + 2, units, bytes) != PMM_OK)
        return PMM_ERR_FORMAT;
    /* Each UTF-16 unit becomes at most 3 UTF-8 bytes. */
    char text[3 * RESOURCE_NAME_MAX + 1];
    size_t len = pmm_utf16le_to_utf8(units, chars, text, sizeof text);
    *out = pe_strings_add(&w->out->strings, text, len);
    return *out ? PMM_OK : PMM_ERR_NOMEM;
}

static pmm_status add_node(resource_walk *w, const pe_resource_node *node, uint32_t *index)
{
    if (w->out->count >= PE_MAX_RESOURCE_NODES) {
        w->out->truncated = 1;
        return PMM_ERR_LIMIT;
    }
    pmm_status st = pmm_array_reserve((void **)&w->out->nodes, &w->cap, w->out->count + 1,
                                      sizeof *w->out->nodes);
    if (st != PMM_OK)
        return st;
    *index = (uint32_t)w->out->count;
    w->out->nodes[w->out->count++] = *node;
    return PMM_OK;
}

static void read_data_entry(resource_walk *w, uint32_t offset, pe_resource_node *node)
{
    uint8_t d[RESOURCE_DATA_SIZE];
    node->is_leaf = 1;
    if (!pe_range_ok(w->root, offset) || pe_read_rva(w->img, w->root + offset, d, sizeof d) != PMM_OK) {
        w->out->truncated = 1;
        return;
    }
    node->data_rva = pmm_le32(d + 0);   /* an RVA, unlike every other offset in the tree */
    node->data_size = pmm_le32(d + 4);
    node->codepage = pmm_le32(d + 8);
}

static pmm_status walk_directory(resource_walk *w, uint32_t offset, uint32_t parent, uint16_t level);

static pmm_status walk_entry(resource_walk *w, uint32_t entry_offset, uint32_t parent, uint16_t level)
{
    uint8_t e[RESOURCE_ENTRY_SIZE];
    if (++w->visits > RESOURCE_MAX_ENTRY_VISITS) {
        w->out->truncated = 1;
        return PMM_ERR_LIMIT;
    }
    if (!pe_range_ok(w->root, entry_offset) ||
        pe_read_rva(w->img, w->root + entry_offset, e, sizeof e) != PMM_OK) {
        w->out->truncated = 1;
        return PMM_OK;
    }
    uint32_t name = pmm_le32(e), target = pmm_le32(e + 4);
    pe_resource_node node;
    memset(&node, 0, sizeof node);
    node.parent = parent;
    node.level = level;
    node.entry_offset = entry_offset;
    if (name & RESOURCE_HIGH_BIT) {
        pmm_status st = read_entry_name(w, name & ~RESOURCE_HIGH_BIT, &node.name);
        if (st == PMM_ERR_NOMEM)
            return st;
        if (st != PMM_OK)
            w->out->truncated = 1;
    } else {
        node.id = name;
    }
    if (!(target & RESOURCE_HIGH_BIT))
        read_data_entry(w, target, &node);
    uint32_t index;
    pmm_status st = add_node(w, &node, &index);
    if (st != PMM_OK || !(target & RESOURCE_HIGH_BIT))
        return st;
    if (level + 1u >= RESOURCE_LEVELS) {
        w->out->truncated = 1;   /* a directory where the loader expects data */
        return PMM_OK;
    }
    return walk_directory(w, target & ~RESOURCE_HIGH_BIT, index, (uint16_t)(level + 1));
}

static pmm_status walk_directory(resource_walk *w, uint32_t offset, uint32_t parent, uint16_t level)
{
    uint8_t d[RESOURCE_DIRECTORY_SIZE];
    if (!pe_range_ok(w->root, offset) || pe_read_rva(w->img, w->root + offset, d, sizeof d) != PMM_OK) {
        w->out->truncated = 1;
        return PMM_OK;
    }
    if (level == 0) {
        w->out->timestamp = pmm_le32(d + 4);
        w->out->major_version = pmm_le16(d + 8);
        w->out->minor_version = pmm_le16(d + 10);
    }
    uint32_t count = (uint32_t)pmm_le16(d + 12) + pmm_le16(d + 14);
    if (parent != PE_RESOURCE_ROOT)
        w->out->nodes[parent].child_count = count;
    for (uint32_t i = 0; i < count; i++) {
        uint64_t entry = (uint64_t)offset + RESOURCE_DIRECTORY_SIZE + (uint64_t)i * RESOURCE_ENTRY_SIZE;
        if (entry > 0x7FFFFFFFu)
            break;
        pmm_status st = walk_entry(w, (uint32_t)entry, parent, level);
        if (st != PMM_OK)
            return st;
    }
    return PMM_OK;
}

pmm_status pe_read_resources(pe_image *img, pe_resources *out)
{
    memset(out, 0, sizeof *out);
    const pe_data_directory *dir = &img->directories[PE_DIR_RESOURCE];
    if (dir->rva == 0)
        return PMM_ERR_NOT_FOUND;
    resource_walk w = {img, out, 0, 0, dir->rva};
    pmm_status st = walk_directory(&w, 0, PE_RESOURCE_ROOT, 0);
    if (st == PMM_ERR_LIMIT)
        st = PMM_OK;   /* the node cap was hit: keep what was found, flagged as truncated */
    if (st != PMM_OK)
        pe_resources_free(out);
    return st;
}

void pe_resources_free(pe_resources *rs)
{
    if (!rs)
        return;
    free(rs->nodes);
    pe_strings_free(&rs->strings);
    memset(rs, 0, sizeof *rs);
}

const char *pe_resource_type_name(uint32_t id)
{
    switch (id) {
    case PE_RT_CURSOR: return "cursor";
    case PE_RT_BITMAP: return "bitmap";
    case PE_RT_ICON: return "icon";
    case PE_RT_MENU: return "menu";
    case PE_RT_DIALOG: return "dialog";
    case PE_RT_STRING: return "string table";
    case PE_RT_FONTDIR: return "font directory";
    case PE_RT_FONT: return "font";
    case PE_RT_ACCELERATOR: return "accelerators";
    case PE_RT_RCDATA: return "rcdata";
    case PE_RT_MESSAGETABLE: return "message table";
    case PE_RT_GROUP_CURSOR: return "group cursor";
    case PE_RT_GROUP_ICON: return "group icon";
    case PE_RT_VERSION: return "version";
    case PE_RT_DLGINCLUDE: return "dlginclude";
    case PE_RT_PLUGPLAY: return "plug and play";
    case PE_RT_VXD: return "vxd";
    case PE_RT_ANICURSOR: return "animated cursor";
    case PE_RT_ANIICON: return "animated icon";
    case PE_RT_HTML: return "html";
    case PE_RT_MANIFEST: return "manifest";
    }
    return NULL;
}
