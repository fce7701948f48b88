/* ModuleList: one MINIDUMP_MODULE per module of the map, with the image's timestamp, checksum and
 * version (VS_FIXEDFILEINFO from its RT_VERSION resource), its CodeView record (RSDS/NB10: what
 * debuggers use to find the PDB) and misc debug record, copied from the mapped image's debug
 * directory. An image whose headers cannot be read still gets its base, size and name. */
#include "minidump_write_internal.h"

#include <stdlib.h>
#include <string.h>
#include "minidump_modules.h"
#include "pe.h"

#define MODULE_ENTRY_SIZE 108u
#define MAX_DEBUG_RECORD 4096u        /* a CodeView record is a GUID, an age and a path */
#define VERSION_SEARCH_BYTES 512u     /* VS_FIXEDFILEINFO follows the VS_VERSIONINFO key early on */
#define FIXED_FILE_INFO_SIZE 52u
#define FIXED_FILE_INFO_SIGNATURE 0xFEEF04BDu

typedef struct module_extras {
    uint32_t checksum, timestamp;
    uint8_t version[FIXED_FILE_INFO_SIZE];
    uint8_t *cv, *misc;
    uint32_t cv_size, misc_size;
} module_extras;

static uint8_t *copy_debug_record(pe_image *img, const pe_debug_entry *e, uint32_t *size)
{
    if (e->data_rva == 0 || e->data_size == 0 || e->data_size > MAX_DEBUG_RECORD)
        return NULL;
    uint8_t *data = malloc(e->data_size);
    if (data && pe_read_rva(img, e->data_rva, data, e->data_size) == PMM_OK) {
        *size = e->data_size;
        return data;
    }
    free(data);
    return NULL;
}

static void read_debug_records(pe_image *img, module_extras *x)
{
    pe_debug dbg;
    if (pe_read_debug(img, &dbg) != PMM_OK)
        return;
    for (size_t i = 0; i < dbg.count; i++) {
        const pe_debug_entry *e = &dbg.entries[i];
        if (e->type == PE_DEBUG_TYPE_CODEVIEW && !x->cv && e->cv_signature[0])
            x->cv = copy_debug_record(img, e, &x->cv_size);
        else if (e->type == PE_DEBUG_TYPE_MISC && !x->misc)
            x->misc = copy_debug_record(img, e, &x->misc_size);
    }
    pe_debug_free(&dbg);
}

static void read_version(pe_image *img, module_extras *x)
{
    pe_resources res;
    if (pe_read_resources(img, &res) != PMM_OK)
        return;
    int in_version = 0;
    for (size_t i = 0; i < res.count; i++) {
        const pe_resource_node *n = &res.nodes[i];
        if (n->level == 0)
            in_version = !n->name && n->id == PE_RT_VERSION;
        if (!in_version || !n->is_leaf || n->data_size < FIXED_FILE_INFO_SIZE)
            continue;
        uint8_t buf[VERSION_SEARCH_BYTES];
        uint32_t len = n->data_size < sizeof buf ? n->data_size : (uint32_t)sizeof buf;
        if (pe_read_rva(img, n->data_rva, buf, len) != PMM_OK)
            break;
        for (uint32_t at = 0; at + FIXED_FILE_INFO_SIZE <= len; at += 4) {
            uint32_t sig = (uint32_t)buf[at] | (uint32_t)buf[at + 1] << 8 | (uint32_t)buf[at + 2] << 16 |
                           (uint32_t)buf[at + 3] << 24;
            if (sig == FIXED_FILE_INFO_SIGNATURE) {
                memcpy(x->version, buf + at, FIXED_FILE_INFO_SIZE);
                break;
            }
        }
        break;
    }
    pe_resources_free(&res);
}

static void read_extras(md_writer *w, uint64_t base, module_extras *x)
{
    memset(x, 0, sizeof *x);
    pe_image img;
    if (pe_open(w->src, base, PE_LAYOUT_IMAGE, &img) != PMM_OK)
        return;
    x->checksum = img.checksum;
    x->timestamp = img.timestamp;
    read_debug_records(&img, x);
    read_version(&img, x);
    pe_close(&img);
}

static pmm_status write_blob(md_writer *w, const uint8_t *data, uint32_t size, uint32_t *rva)
{
    *rva = 0;
    if (!data)
        return PMM_OK;
    pmm_status st = pmm_sink_align(w->sink, 4);
    if (st == PMM_OK)
        st = mdw_rva(w, rva);
    return st == PMM_OK ? pmm_sink_write(w->sink, data, size) : st;
}

static int module_is_listed(const pmm_module *m)
{
    /* An image nobody lists (header_only) is no module to a debugger. */
    return !(m->flags & PMM_MODULE_HEADER_ONLY);
}

static pmm_status write_module(md_writer *w, const pmm_module *m, uint64_t entry_offset)
{
    module_extras x;
    read_extras(w, m->base, &x);
    uint32_t name_rva = 0, cv_rva = 0, misc_rva = 0;
    pmm_status st = mdw_write_string(w, pmm_map_text(w->map, m->path), &name_rva);
    if (st == PMM_OK)
        st = write_blob(w, x.cv, x.cv_size, &cv_rva);
    if (st == PMM_OK)
        st = write_blob(w, x.misc, x.misc_size, &misc_rva);
    if (st == PMM_OK) {
        uint8_t e[MODULE_ENTRY_SIZE] = {0};
        pmm_put64(e + 0, m->base);
        pmm_put32(e + 8, m->size > UINT32_MAX ? UINT32_MAX : (uint32_t)m->size);
        pmm_put32(e + 12, x.checksum);
        pmm_put32(e + 16, x.timestamp);
        pmm_put32(e + 20, name_rva);
        memcpy(e + 24, x.version, FIXED_FILE_INFO_SIZE);
        pmm_put32(e + 76, cv_rva ? x.cv_size : 0);
        pmm_put32(e + 80, cv_rva);
        pmm_put32(e + 84, misc_rva ? x.misc_size : 0);
        pmm_put32(e + 88, misc_rva);
        st = pmm_sink_patch(w->sink, entry_offset, e, sizeof e);
    }
    free(x.cv);
    free(x.misc);
    return st;
}

/* a equals b ignoring ASCII case, or (prefix) a starts with b. */
static int matches_ignoring_case(const char *a, const char *b, int prefix)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a, y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
        if (x != y)
            return 0;
    }
    return *a == *b || (prefix && !*b);
}

/* A process of a kernel dump is named by its ImageFileName, the first 15 characters of the
 * executable's name: the one listed module whose name starts with it. */
#define IMAGE_FILE_NAME_CHARS 15

static size_t module_by_image_file_name(const md_writer *w)
{
    const pmm_target_info *t = &w->src->target;
    size_t found = PMM_NO_INDEX;
    if (t->source_kind != PMM_SOURCE_KERNEL_DUMP || strlen(t->name) != IMAGE_FILE_NAME_CHARS)
        return PMM_NO_INDEX;
    for (size_t i = 0; i < w->map->module_count; i++) {
        const pmm_module *m = &w->map->modules[i];
        if (!module_is_listed(m) || !matches_ignoring_case(pmm_map_text(w->map, m->name), t->name, 1))
            continue;
        if (found != PMM_NO_INDEX)
            return PMM_NO_INDEX;   /* two candidates: neither is sure */
        found = i;
    }
    return found;
}

/* Index of the executable's module, or PMM_NO_INDEX: readers (dbghelp's convention) take the first
 * module for the process's image, so it is written first. */
static size_t executable_module(const md_writer *w)
{
    const pmm_target_info *t = &w->src->target;
    for (int by_name = 0; by_name < 2; by_name++)
        for (size_t i = 0; i < w->map->module_count; i++) {
            const pmm_module *m = &w->map->modules[i];
            const char *want = by_name ? t->name : t->path;
            if (module_is_listed(m) && want[0] &&
                matches_ignoring_case(pmm_map_text(w->map, by_name ? m->name : m->path), want, 0))
                return i;
        }
    return module_by_image_file_name(w);
}

pmm_status mdw_write_modules(md_writer *w)
{
    const pmm_map *map = w->map;
    uint32_t listed = 0, rva;
    for (size_t i = 0; i < map->module_count; i++)
        listed += module_is_listed(&map->modules[i]);
    pmm_status st = mdw_reserve_list(w, PMM_MD_STREAM_MODULE_LIST, listed, MODULE_ENTRY_SIZE, &rva);
    uint32_t index = 0;
    size_t exe = executable_module(w);
    if (exe != PMM_NO_INDEX && st == PMM_OK) {
        st = write_module(w, &map->modules[exe], (uint64_t)rva + 4);
        index++;
    }
    for (size_t i = 0; i < map->module_count && st == PMM_OK; i++) {
        if (!module_is_listed(&map->modules[i]) || i == exe)
            continue;
        st = write_module(w, &map->modules[i], (uint64_t)rva + 4 + (uint64_t)index * MODULE_ENTRY_SIZE);
        index++;
    }
    w->result->module_count = listed;
    return st;
}
