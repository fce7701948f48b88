/* A process's VAD tree in a kernel dump (kdump_vad.h). */
#include "kdump_vad.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kdump_internal.h"
#include "kdump_vad_node.h"
#include "../util/array.h"
#include "../util/memory_constants.h"
#include "../util/utf.h"

/* The longest file name read (UNICODE_STRING.Length, bytes). */
#define NAME_BYTES 1024u

uint32_t pmm_kdump_protect_from_mm(uint32_t mm)
{
    static const uint32_t access[8] = {PMM_PAGE_NOACCESS,         PMM_PAGE_READONLY,       PMM_PAGE_EXECUTE,
                                       PMM_PAGE_EXECUTE_READ,      PMM_PAGE_READWRITE,      PMM_PAGE_WRITECOPY,
                                       PMM_PAGE_EXECUTE_READWRITE, PMM_PAGE_EXECUTE_WRITECOPY};
    uint32_t protect = access[mm & 7];
    if ((mm & 7) == 0)
        return PMM_PAGE_NOACCESS;   /* MM_NOACCESS is 0x18, MM_DECOMMIT 0x10: no access whatever the high bits */
    switch ((mm >> 3) & 3) {   /* no-cache / guard; both: write-combine */
    case 1: return protect | PMM_PAGE_NOCACHE;
    case 2: return protect | PMM_PAGE_GUARD;
    case 3: return protect | PMM_PAGE_WRITECOMBINE;
    }
    return protect;
}

/* Kernel pages of nodes remembered, by page number modulo the count. */
#define PAGE_SLOTS 64u

typedef struct page_slot {
    uint64_t va;                    /* 1: empty */
    const uint8_t *bytes;
} page_slot;

typedef struct vad_walk {
    pmm_kdump *dump;
    const pmm_kdump_vad_layout *l;
    uint32_t ps;
    uint64_t top;
    pmm_kdump_vad_list *list;
    size_t cap;
    size_t visited;
    size_t skipped;                 /* subtrees whose node the dump does not hold */
    uint32_t protect_of_mm[32];     /* pmm_kdump_protect_from_mm of each MM protection */
    page_slot slots[PAGE_SLOTS];    /* kernel pages of nodes, in place in the file mapping */
    uint64_t page_va;               /* the kernel page copied into page (1: none): the file is not mapped */
    uint8_t page[PMM_KDUMP_PAGE_SIZE];
} vad_walk;

/* A page of nodes met for the first time: nodes are pool allocations, many to a page, and the walk
 * will read most of them (each a load that waits for its parent's otherwise). */
static void prefetch_page(const uint8_t *page)
{
#if defined(__GNUC__) || defined(__clang__)
    for (size_t at = 0; at < PMM_KDUMP_PAGE_SIZE; at += 64)
        __builtin_prefetch(page + at);
#else
    (void)page;
#endif
}

/* A node's span bytes at va: in place in the file mapping where the file is mapped (the pages of
 * the last nodes read are remembered: the walk goes down and back up the tree, and many nodes share
 * a page), else copied into copy through a one-page copy; NULL when the dump does not hold them. */
static const uint8_t *read_node(vad_walk *w, uint64_t va, uint8_t *copy, uint32_t span)
{
    uint64_t page = va & ~(uint64_t)(PMM_KDUMP_PAGE_SIZE - 1), at = va - page;
    if (at + span > PMM_KDUMP_PAGE_SIZE)   /* across two pages */
        return pmm_kdump_read_virtual(w->dump, 0, va, copy, span, NULL) == span ? copy : NULL;
    page_slot *slot = &w->slots[(page / PMM_KDUMP_PAGE_SIZE) % PAGE_SLOTS];
    if (slot->va == page)
        return slot->bytes + at;
    if (page != w->page_va) {
        const uint8_t *in_place = pmm_kdump_virtual_page(w->dump, 0, page);
        if (in_place) {
            slot->va = page;
            slot->bytes = in_place;
            prefetch_page(in_place);
            return in_place + at;
        }
        pmm_kdump_translation t;   /* not in the dump, or not in place: the file is not mapped */
        pmm_kdump_translate(w->dump, 0, page, &t);
        if ((t.status != PMM_KDUMP_VA_PRESENT && t.status != PMM_KDUMP_VA_TRANSITION) || !t.page_in_dump)
            return NULL;
        w->page_va = 1;   /* a page the file does not hold whole: the node alone */
        if (pmm_kdump_read_physical(w->dump, t.physical, w->page, sizeof w->page) != sizeof w->page)
            return pmm_kdump_read_virtual(w->dump, 0, va, copy, span, NULL) == span ? copy : NULL;
        w->page_va = page;
    }
    memcpy(copy, w->page + at, span);
    return copy;
}

static void prefetch_node(const vad_walk *w, uint64_t va)
{
    uint64_t page = va & ~(uint64_t)(PMM_KDUMP_PAGE_SIZE - 1);
    const page_slot *slot = &w->slots[(page / PMM_KDUMP_PAGE_SIZE) % PAGE_SLOTS];
#if defined(__GNUC__) || defined(__clang__)
    if (slot->va == page)
        __builtin_prefetch(slot->bytes + (va - page));
#else
    (void)slot;
#endif
}

/* The file a view maps: Subsection -> ControlArea -> FilePointer -> FileName. 1 when read (the
 * name may be empty: a section the page file backs has no file), 0 when a link is not in the dump. */
static int read_view_name(vad_walk *w, const uint8_t *node, char *out, size_t cap)
{
    const pmm_kdump_vad_layout *l = w->l;
    uint64_t subsection = kd_vad_field(node, l->subsection, w->ps), control_area, file;
    out[0] = '\0';
    if (subsection == 0 || !kd_read_pointer(w->dump, 0, subsection, w->ps, &control_area) ||
        !kd_read_pointer(w->dump, 0, control_area + l->file_pointer, w->ps, &file))
        return 0;
    file &= ~(((uint64_t)1 << l->fast_ref_bits) - 1);
    if (file == 0)
        return 1;
    uint8_t us[16], name[NAME_BYTES];
    uint32_t us_size = w->ps == 8 ? 16 : 8;
    if (pmm_kdump_read_virtual(w->dump, 0, file + l->file_name, us, us_size, NULL) != us_size)
        return 0;
    size_t length = kd_le16(us) & ~1u;
    uint64_t buffer = kd_vad_field(us, w->ps, w->ps);
    if (length > sizeof name)
        length = sizeof name;
    if (length && pmm_kdump_read_virtual(w->dump, 0, buffer, name, length, NULL) != length)
        return 0;
    pmm_utf16le_to_utf8(name, length / 2, out, cap);
    return 1;
}

/* Room for one more VAD at the end of the list: grown only when full (one call per doubling). */
static pmm_status room_for_vad(vad_walk *w)
{
    pmm_kdump_vad_list *list = w->list;
    return list->count < w->cap ? PMM_OK
                                : pmm_array_reserve((void **)&list->vads, &w->cap, list->count + 1, sizeof *list->vads);
}

static void note_problem(vad_walk *w, const char *text)
{
    if (!w->list->problem[0])
        snprintf(w->list->problem, sizeof w->list->problem, "%s", text);
}

/* A view's file name into v->name (allocated; NULL when it has none). Private memory has no file,
 * and a row without CONTROL_AREA offsets reads none; a name the dump does not hold is counted. */
static pmm_status take_name(vad_walk *w, const uint8_t *node, pmm_kdump_vad *v)
{
    char name[NAME_BYTES * 2];
    if (v->type == PMM_MEM_PRIVATE || !w->l->file_pointer)
        return PMM_OK;
    if (!read_view_name(w, node, name, sizeof name)) {
        w->list->names_missing++;
        return PMM_OK;
    }
    size_t size = strlen(name) + 1;
    if (size == 1)
        return PMM_OK;   /* a section the page file backs */
    v->name = malloc(size);
    if (!v->name)
        return PMM_ERR_NOMEM;
    memcpy(v->name, name, size);
    return PMM_OK;
}

/* Decodes the node at va (its bytes in node) into the list. 0 to stop the walk: the tree is out
 * of address order there (a node met again: a loop, or a damaged node). */
static int take_node(vad_walk *w, const pmm_kdump_vad_layout *l, uint64_t va, const uint8_t *node, pmm_status *st)
{
    pmm_kdump_vad_list *list = w->list;
    uint64_t first, last;
    kd_vad_pages(l, node, &first, &last);
    if (last < first || last >= w->top / PMM_KDUMP_PAGE_SIZE) {
        char why[200];
        snprintf(why, sizeof why, "the VAD at 0x%llx has pages 0x%llx-0x%llx, not a range of user space: left out",
                 (unsigned long long)va, (unsigned long long)first, (unsigned long long)last);
        note_problem(w, why);
        return 1;
    }
    if (list->count && first * PMM_KDUMP_PAGE_SIZE < list->vads[list->count - 1].end) {
        char why[200];
        snprintf(why, sizeof why, "the VAD tree is out of address order at node 0x%llx (a loop or a damaged "
                 "node): the walk stopped there", (unsigned long long)va);
        note_problem(w, why);
        return 0;
    }
    if ((*st = room_for_vad(w)) != PMM_OK)
        return 0;
    pmm_kdump_vad *v = &list->vads[list->count];   /* decoded in place; counted once whole */
    uint64_t flags = kd_vad_field(node, l->flags, l->flags_size);
    uint32_t vad_type = (uint32_t)(flags >> l->type_shift) & 7;
    v->node = va;
    v->start = first * PMM_KDUMP_PAGE_SIZE;
    v->end = (last + 1) * PMM_KDUMP_PAGE_SIZE;
    v->mm_protection = (uint32_t)(flags >> l->protection_shift) & 31;
    v->protect = w->protect_of_mm[v->mm_protection];
    v->committed = (int)((kd_vad_field(node, l->commit_flags, l->commit_flags == l->flags ? l->flags_size : 4) >>
                          l->commit_shift) & 1);
    if ((flags >> l->private_shift) & 1)
        v->type = PMM_MEM_PRIVATE;
    else
        v->type = vad_type == PMM_KDUMP_VAD_IMAGE ? PMM_MEM_IMAGE : PMM_MEM_MAPPED;
    v->name = NULL;
    if ((*st = take_name(w, node, v)) != PMM_OK)
        return 0;
    list->count++;
    return 1;
}

#define NODE_BYTES 0x100u

/* In-order walk with an explicit stack of the nodes' addresses and bytes (each node read once; its
 * bytes in place in the file mapping where they can be). */
static pmm_status walk_tree(vad_walk *w, uint64_t root)
{
    uint64_t stack[PMM_KDUMP_MAX_VAD_DEPTH];
    const uint8_t *bytes[PMM_KDUMP_MAX_VAD_DEPTH];
    uint8_t (*nodes)[NODE_BYTES] = malloc(PMM_KDUMP_MAX_VAD_DEPTH * NODE_BYTES);
    size_t depth = 0;
    const pmm_kdump_vad_layout layout = *w->l;   /* a local copy: stores into the list cannot change it */
    const pmm_kdump_vad_layout *l = &layout;
    const uint32_t ps = w->ps;
    uint32_t span = kd_vad_node_span(l, ps);
    uint64_t at = root;
    pmm_status st = PMM_OK;
    if (!nodes)
        return PMM_ERR_NOMEM;
    if (span > NODE_BYTES) {
        free(nodes);
        return PMM_ERR_FORMAT;
    }
    for (;;) {
        while (at) {
            if (depth == PMM_KDUMP_MAX_VAD_DEPTH || w->visited >= PMM_KDUMP_MAX_VADS) {
                char why[200];
                snprintf(why, sizeof why, "the VAD tree is deeper than %u or has more than %u nodes (a loop or a "
                         "damaged tree): the walk stopped at 0x%llx", PMM_KDUMP_MAX_VAD_DEPTH, PMM_KDUMP_MAX_VADS,
                         (unsigned long long)at);
                note_problem(w, why);
                free(nodes);
                return PMM_OK;
            }
            w->visited++;
            if (!(bytes[depth] = read_node(w, at, nodes[depth], span))) {
                char why[200];
                snprintf(why, sizeof why, "the VAD node at 0x%llx is not in the dump: its subtree is not known",
                         (unsigned long long)at);
                note_problem(w, why);
                w->skipped++;
                break;
            }
            stack[depth] = at;
            prefetch_node(w, kd_vad_field(bytes[depth], l->right, ps));
            at = kd_vad_field(bytes[depth++], l->left, ps);
        }
        if (depth == 0)
            break;
        depth--;
        if (!take_node(w, l, stack[depth], bytes[depth], &st))
            break;
        at = kd_vad_field(bytes[depth], l->right, ps);
    }
    free(nodes);
    return st;
}

pmm_status pmm_kdump_vads(pmm_kdump *dump, uint64_t eprocess, uint64_t top, pmm_kdump_vad_list *out,
                          char *message, size_t message_cap)
{
    uint32_t ps = pmm_kdump_pointer_size(dump);
    const pmm_kdump_vad_row *row = pmm_kdump_vad_row_for(ps, dump->header.minor_version);
    if (!row) {
        memset(out, 0, sizeof *out);
        return kd_fail(message, message_cap, PMM_ERR_UNSUPPORTED, "the layout table has no VAD offsets for build %u "
                       "(%u-bit)", dump->header.minor_version, ps * 8);
    }
    return pmm_kdump_vads_with(dump, row, eprocess, top, out, message, message_cap);
}

pmm_status pmm_kdump_vads_with(pmm_kdump *dump, const pmm_kdump_vad_row *row, uint64_t eprocess, uint64_t top,
                               pmm_kdump_vad_list *out, char *message, size_t message_cap)
{
    uint32_t ps = pmm_kdump_pointer_size(dump);
    memset(out, 0, sizeof *out);
    message[0] = '\0';
    uint64_t root;
    if (!kd_read_pointer(dump, 0, eprocess + row->layout.root, ps, &root))
        return kd_fail(message, message_cap, PMM_ERR_READ, "EPROCESS.VadRoot (0x%llx) is not in the dump",
                       (unsigned long long)(eprocess + row->layout.root));
    if (root == 0)   /* a process with mapped pages has VADs: an empty tree says nothing of them */
        return kd_fail(message, message_cap, PMM_ERR_FORMAT, "the VAD tree is empty (EPROCESS.VadRoot is null)");
    vad_walk *w = malloc(sizeof *w);
    if (!w)
        return PMM_ERR_NOMEM;
    memset(w, 0, sizeof *w);
    w->dump = dump, w->l = &row->layout, w->ps = ps, w->top = top, w->list = out, w->page_va = 1;
    for (size_t i = 0; i < PAGE_SLOTS; i++)
        w->slots[i].va = 1;
    for (uint32_t mm = 0; mm < 32; mm++)
        w->protect_of_mm[mm] = pmm_kdump_protect_from_mm(mm);
    out->row = row;
    pmm_status st = walk_tree(w, root);
    size_t skipped = w->skipped;
    free(w);
    if (st != PMM_OK) {
        pmm_kdump_vad_list_free(out);
        return st;
    }
    if (skipped > 1) {
        size_t used = strlen(out->problem);
        snprintf(out->problem + used, sizeof out->problem - used, " (%zu subtrees so)", skipped);
    }
    return PMM_OK;
}

void pmm_kdump_vad_list_free(pmm_kdump_vad_list *list)
{
    if (list) {
        for (size_t i = 0; i < list->count; i++)
            free(list->vads[i].name);
        free(list->vads);
        list->vads = NULL;
        list->count = 0;
    }
}
