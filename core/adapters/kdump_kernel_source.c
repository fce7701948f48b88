/* The kernel address space of a kernel dump as a source. Regions come from the page tables: runs
 * of pages with the same protection (what the entry bits say, or the protection field of a page
 * that is paged out, demand zero or prototype), split where a module of PsLoadedModuleList starts
 * or ends; pages inside a module are Image. Bytes are read through translation: present and
 * transition pages the dump holds; anything else reads as unavailable, never as zeros. */
#include "kdump_kernel_source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../formats/kdump.h"

/* Entries read per query: a region of many GiB of 4 KiB pages is cut into parts this size. */
#define QUERY_ENTRY_BUDGET (1u << 20)

typedef struct kernel_source {
    pmm_kdump *dump;
    pmm_kdump_module *modules;   /* sorted by base */
    size_t module_count;
    char modules_problem[256];
    uint64_t top;                /* last usable address + 1 */
} kernel_source;

/* What makes pages one region. */
typedef struct page_kind {
    uint32_t protect;
    int module;                  /* index in modules, -1 outside every module */
} page_kind;

typedef struct region_builder {
    kernel_source *ks;
    uint64_t from;               /* the query address */
    int started;
    uint64_t base, end;
    page_kind kind;
} region_builder;

static const pmm_source_ops kernel_ops;

static uint32_t protect_from_bits(const pmm_kdump_leaf *leaf)
{
    if (leaf->executable)
        return leaf->writable ? PMM_PAGE_EXECUTE_READWRITE : PMM_PAGE_EXECUTE_READ;
    return leaf->writable ? PMM_PAGE_READWRITE : PMM_PAGE_READONLY;
}

/* The 5-bit MM protection of an entry that is not valid: 3 bits of access, then no-cache / guard
 * (both: write-combine). */
static uint32_t protect_from_mm(uint32_t mm)
{
    static const uint32_t access[8] = {PMM_PAGE_NOACCESS,         PMM_PAGE_READONLY,       PMM_PAGE_EXECUTE,
                                       PMM_PAGE_EXECUTE_READ,      PMM_PAGE_READWRITE,      PMM_PAGE_WRITECOPY,
                                       PMM_PAGE_EXECUTE_READWRITE, PMM_PAGE_EXECUTE_WRITECOPY};
    uint32_t protect = access[mm & 7];
    switch (mm >> 3) {
    case 1: return protect | PMM_PAGE_NOCACHE;
    case 2: return protect | PMM_PAGE_GUARD;
    case 3: return protect | PMM_PAGE_WRITECOMBINE;
    }
    return protect;
}

/* Index of the module holding va, or -1; *limit receives where that answer changes. */
static int module_at(const kernel_source *ks, uint64_t va, uint64_t *limit)
{
    size_t lo = 0, hi = ks->module_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ks->modules[mid].base <= va)
            lo = mid + 1;
        else
            hi = mid;
    }
    *limit = lo < ks->module_count ? ks->modules[lo].base : ks->top;
    if (lo > 0) {
        const pmm_kdump_module *m = &ks->modules[lo - 1];
        if (va - m->base < m->size) {
            *limit = m->base + m->size;
            return (int)(lo - 1);
        }
    }
    return -1;
}

static int same_kind(const page_kind *a, const page_kind *b)
{
    return a->protect == b->protect && a->module == b->module;
}

/* Adds [from, to) of one leaf, piece by piece where module boundaries cut it. Returns 1 to stop. */
static int take_range(region_builder *rb, uint64_t from, uint64_t to, uint32_t protect)
{
    while (from < to) {
        uint64_t limit;
        page_kind kind = {protect, module_at(rb->ks, from, &limit)};
        uint64_t piece_end = limit < to && limit > from ? limit : to;
        if (!rb->started) {
            rb->started = 1;
            rb->base = from;
            rb->kind = kind;
        } else if (from != rb->end || !same_kind(&kind, &rb->kind)) {
            return 1;
        }
        rb->end = piece_end;
        from = piece_end;
    }
    return 0;
}

static int visit_leaf(void *ctx, const pmm_kdump_leaf *leaf)
{
    region_builder *rb = ctx;
    if (leaf->status == PMM_KDUMP_VA_TABLE_NOT_IN_DUMP || leaf->status == PMM_KDUMP_VA_ZERO_ENTRY)
        return rb->started;   /* nothing known there: a hole, which ends a region */
    uint64_t from = leaf->va < rb->from ? rb->from : leaf->va;
    uint64_t to = leaf->va + leaf->size;
    if (to == 0 || to > rb->ks->top)
        to = rb->ks->top;
    if (from >= to)
        return rb->started;
    int valid = leaf->status == PMM_KDUMP_VA_PRESENT;
    return take_range(rb, from, to, valid ? protect_from_bits(leaf) : protect_from_mm(leaf->software_protection));
}

static pmm_status ks_query(void *impl, uint64_t addr, pmm_region_info *out)
{
    kernel_source *ks = impl;
    region_builder rb;
    memset(&rb, 0, sizeof rb);
    rb.ks = ks;
    rb.from = addr;
    if (addr >= ks->top)
        return PMM_END;
    pmm_status st = pmm_kdump_walk(ks->dump, 0, addr, ks->top, QUERY_ENTRY_BUDGET, visit_leaf, &rb, NULL);
    if (st != PMM_OK && st != PMM_ERR_LIMIT)
        return st;
    if (!rb.started)
        return PMM_END;
    memset(out, 0, sizeof *out);
    out->base = rb.base;
    out->size = rb.end - rb.base;
    out->state = PMM_MEM_COMMIT;
    out->protect = out->alloc_protect = rb.kind.protect;
    out->type = rb.kind.module >= 0 ? PMM_MEM_IMAGE : PMM_MEM_PRIVATE;
    out->alloc_base = rb.kind.module >= 0 ? ks->modules[rb.kind.module].base : rb.base;
    return PMM_OK;
}

static size_t ks_read(void *impl, uint64_t addr, void *buf, size_t len)
{
    kernel_source *ks = impl;
    return pmm_kdump_read_virtual(ks->dump, 0, addr, buf, len, NULL);
}

static pmm_status ks_modules(void *impl, pmm_module_info **out, size_t *count)
{
    kernel_source *ks = impl;
    *out = calloc(ks->module_count ? ks->module_count : 1, sizeof **out);
    if (!*out)
        return PMM_ERR_NOMEM;
    for (size_t i = 0; i < ks->module_count; i++) {
        (*out)[i].base = ks->modules[i].base;
        (*out)[i].size = ks->modules[i].size;
        snprintf((*out)[i].path, sizeof (*out)[i].path, "%s",
                 ks->modules[i].full_name[0] ? ks->modules[i].full_name : ks->modules[i].base_name);
    }
    *count = ks->module_count;
    return PMM_OK;
}

static pmm_status ks_mapped_file_name(void *impl, uint64_t addr, char *buf, size_t cap)
{
    kernel_source *ks = impl;
    uint64_t limit;
    int m = module_at(ks, addr, &limit);
    if (m < 0 || !ks->modules[m].full_name[0])
        return PMM_ERR_NOT_FOUND;
    snprintf(buf, cap, "%s", ks->modules[m].full_name);
    return PMM_OK;
}

static const char *ks_note(void *impl, size_t index)
{
    kernel_source *ks = impl;
    if (ks->modules_problem[0]) {
        if (index == 0)
            return ks->modules_problem;
        index--;
    }
    return pmm_kdump_warning(ks->dump, index);
}

static void ks_close(void *impl)
{
    kernel_source *ks = impl;
    if (ks) {
        free(ks->modules);
        pmm_kdump_close(ks->dump);
        free(ks);
    }
}

static const pmm_source_ops kernel_ops = {
    .query = ks_query,
    .read = ks_read,
    .modules = ks_modules,
    .mapped_file_name = ks_mapped_file_name,
    .close = ks_close,
    .note = ks_note,
};

static int compare_modules(const void *a, const void *b)
{
    const pmm_kdump_module *x = a, *y = b;
    return x->base < y->base ? -1 : x->base > y->base;
}

/* Modules that overlap an earlier one (a corrupt list) are dropped, so ranges stay ordered. */
static void sort_modules(kernel_source *ks)
{
    if (ks->module_count > 1)
        qsort(ks->modules, ks->module_count, sizeof *ks->modules, compare_modules);
    size_t kept = 0;
    for (size_t i = 0; i < ks->module_count; i++) {
        const pmm_kdump_module *m = &ks->modules[i];
        if (m->size == 0 || m->base + m->size < m->base ||
            (kept && m->base < ks->modules[kept - 1].base + ks->modules[kept - 1].size))
            continue;
        ks->modules[kept++] = *m;
    }
    ks->module_count = kept;
}

pmm_status pmm_kdump_kernel_source_wrap(pmm_kdump *dump, const char *path, pmm_source *out, char *message,
                                        size_t message_cap)
{
    memset(out, 0, sizeof *out);
    if (pmm_kdump_paging(dump) == PMM_KDUMP_PAGING_NONE) {
        snprintf(message, message_cap, "%s: the page tables of this machine (0x%x) are not walked, so its kernel "
                 "address space cannot be read", path, pmm_kdump_header_of(dump)->machine);
        pmm_kdump_close(dump);
        return PMM_ERR_UNSUPPORTED;
    }
    kernel_source *ks = calloc(1, sizeof *ks);
    if (!ks) {
        pmm_kdump_close(dump);
        return PMM_ERR_NOMEM;
    }
    ks->dump = dump;
    uint32_t ps = pmm_kdump_pointer_size(dump);
    ks->top = ps == 8 ? 0xFFFFFFFFFFFFF000ull : 0xFFFFF000ull;   /* the last page: regions never wrap */
    pmm_status st = pmm_kdump_modules(dump, &ks->modules, &ks->module_count, ks->modules_problem,
                                      sizeof ks->modules_problem);
    if (st == PMM_ERR_NOMEM) {
        ks_close(ks);
        return st;
    }
    sort_modules(ks);
    out->ops = &kernel_ops;
    out->impl = ks;
    pmm_target_info *t = &out->target;
    t->source_kind = PMM_SOURCE_KERNEL_DUMP;
    t->pointer_size = ps;
    t->tool_pointer_size = (uint32_t)sizeof(void *);
    t->lowest_address = pmm_kdump_kernel_start(dump);
    t->highest_address = ks->top - 1;
    snprintf(t->name, sizeof t->name, "kernel");
    snprintf(t->path, sizeof t->path, "%s", path);
    return PMM_OK;
}

pmm_status pmm_kdump_kernel_source_open(const char *path, pmm_source *out, char *message, size_t message_cap)
{
    pmm_kdump *dump;
    memset(out, 0, sizeof *out);
    pmm_status st = pmm_kdump_open(path, &dump, message, message_cap);
    if (st != PMM_OK)
        return st;
    return pmm_kdump_kernel_source_wrap(dump, path, out, message, message_cap);
}
