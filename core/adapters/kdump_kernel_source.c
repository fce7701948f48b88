/* An address space of a kernel dump as a source: the kernel's, or a process's (its
 * DirectoryTableBase, user space only). Regions come from the page tables: runs of pages with the
 * same protection (what the entry bits say, or the protection field of a page that is paged out,
 * demand zero or prototype), split where a module of PsLoadedModuleList starts or ends; pages
 * inside a kernel module are Image. A process's regions are also split where its VADs (its VAD
 * tree, kdump_vad.h) start and end: a VAD gives the allocation (base, protection), the type
 * (image, mapped, private) and a view's file name, and its pages without a page table entry are
 * reserved (private memory not committed when allocated) or committed with the VAD's protection;
 * where the tree cannot be read, regions are runs without a type and the notes say why. Bytes
 * are read through translation: present and transition pages the dump holds; anything else reads
 * as unavailable, never as zeros, and the source's notes say which pages and why. */
#include "kdump_kernel_source.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../formats/kdump.h"
#include "../formats/kdump_processes.h"
#include "../formats/kdump_vad.h"
#include "../util/cycle_check.h"
#include "../formats/kdump_threads.h"
#include "../formats/kdump_inference.h"
#include "../util/printf_format.h"

/* Entries read per query: a region of many GiB of 4 KiB pages is cut into parts this size. */
#define QUERY_ENTRY_BUDGET (1u << 20)
/* Regions one walk finds and keeps for the queries that follow: a map asks for them in order, and
 * a walk per region would descend the tables again for each (50,000 small regions: 3 times the
 * cost of walking the tables once). */
#define REGION_CACHE 256
/* Entries one held-extent query, and the count of pages without bytes, read at most: tables that
 * point at themselves hold 512^4 entries. */
#define EXTENT_ENTRY_BUDGET (1u << 20)
#define NOTES_ENTRY_BUDGET (1u << 24)

/* Ranges of pages without bytes listed in the notes, and the notes kept. */
#define UNAVAILABLE_RANGES 16
#define NOTE_COUNT (UNAVAILABLE_RANGES + 9)   /* the ranges, 3 of counts, 5 of the VAD tree, 1 of threads */

typedef struct kernel_source {
    pmm_kdump *dump;
    uint64_t dtb;                /* 0: the header's (the kernel) */
    uint32_t plain_type;         /* the type of pages outside modules: PMM_MEM_PRIVATE, or 0 (unknown) */
    pmm_kdump_module *modules;   /* sorted by base */
    size_t module_count;
    char modules_problem[256];
    uint64_t eprocess;           /* a process's EPROCESS (0: the kernel) */
    pmm_kdump_process process;   /* a process's entry of the list */
    pmm_kdump_eprocess_layout layout;   /* a process's: the offsets its list was read with */
    pmm_kdump_thread_offsets thread_offsets;   /* where its threads are (thread_list_head 0: unknown) */
    pmm_kdump_thread_choice thread_choice;     /* how they were found (table or inference) */
    pmm_kdump_vad_choice vad_choice;           /* the VAD offsets likewise (the list's row points here) */
    uint64_t lowest;             /* first usable address */
    uint64_t top;                /* last usable address + 1 */
    pmm_kdump_vad_list vads;     /* a process's VADs; empty when not read */
    size_t vad_hint;             /* the VAD the last lookup met: lookups come in address order */
    char vad_problem[600];       /* why the tree was not read, or not whole ("" when it was) */
    pmm_region_info cache[REGION_CACHE];   /* whole regions found by the last walk, in order */
    uint8_t cache_owned[REGION_CACHE];     /* the region's allocation is a module's or a VAD's */
    size_t cached;
    size_t cache_hint;           /* where the next lookup starts */
    uint64_t cache_from;         /* where that walk started */
    int notes_made;              /* the unavailable pages were counted */
    char notes[NOTE_COUNT][1024];   /* wide enough for a VAD problem (600) with its sentence */
    size_t note_count;
} kernel_source;

/* What makes pages one region. */
typedef struct page_kind {
    uint32_t protect;
    int module;                  /* index in modules, -1 outside every module */
    int vad;                     /* index in vads, -1 outside every VAD */
    uint32_t state;              /* PMM_MEM_COMMIT or, in a VAD, PMM_MEM_RESERVE */
} page_kind;

typedef struct region_builder {
    kernel_source *ks;
    uint64_t from;               /* the query address */
    int started;
    uint64_t base, end;          /* the region being gathered */
    uint64_t cursor;             /* where the last leaf ended: the gap up to the next is unmapped */
    page_kind kind;
    uint64_t kind_limit;         /* where the module and VAD answers of its last piece change */
    size_t done;                 /* regions finished into ks->cache */
} region_builder;

static const pmm_source_ops kernel_ops;

static uint32_t protect_from_bits(const pmm_kdump_leaf *leaf)
{
    if (leaf->executable)
        return leaf->writable ? PMM_PAGE_EXECUTE_READWRITE : PMM_PAGE_EXECUTE_READ;
    return leaf->writable ? PMM_PAGE_READWRITE : PMM_PAGE_READONLY;
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

/* Index of the VAD holding va, or -1; *limit receives where that answer changes. */
static int vad_at(kernel_source *ks, uint64_t va, uint64_t *limit)
{
    const pmm_kdump_vad *v = ks->vads.vads;
    size_t lo = 0, hi = ks->vads.count;
    for (size_t h = ks->vad_hint; h < hi && h <= ks->vad_hint + 1; h++)   /* in or after the last one, or the next */
        if (v[h].start <= va && (h + 1 == hi || va < v[h + 1].start)) {
            ks->vad_hint = h;
            *limit = va < v[h].end ? v[h].end : h + 1 < hi ? v[h + 1].start : ks->top;
            return va < v[h].end ? (int)h : -1;
        }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].start <= va)
            lo = mid + 1;
        else
            hi = mid;
    }
    *limit = lo < ks->vads.count ? v[lo].start : ks->top;
    ks->vad_hint = lo > 0 ? lo - 1 : 0;
    if (lo > 0 && va < v[lo - 1].end) {
        *limit = v[lo - 1].end;
        return (int)(lo - 1);
    }
    return -1;
}

static int same_kind(const page_kind *a, const page_kind *b)
{
    return a->protect == b->protect && a->module == b->module && a->vad == b->vad && a->state == b->state;
}

static void region_info(const kernel_source *ks, uint64_t base, uint64_t end, const page_kind *kind,
                        pmm_region_info *out)
{
    uint32_t type = kind->module >= 0 ? PMM_MEM_IMAGE : ks->plain_type, alloc_protect = kind->protect;
    uint64_t alloc_base = kind->module >= 0 ? ks->modules[kind->module].base : base;
    if (kind->vad >= 0) {
        const pmm_kdump_vad *v = &ks->vads.vads[kind->vad];
        type = v->type;
        alloc_base = v->start;
        alloc_protect = v->protect;
    }
    *out = (pmm_region_info){base, end - base, alloc_base, alloc_protect, kind->protect, kind->state, type};
}

/* Ends the region being gathered, into the cache; 1 when the cache is full (stop the walk). */
static int finish_region(region_builder *rb)
{
    if (rb->started) {
        rb->ks->cache_owned[rb->done] = rb->kind.module >= 0 || rb->kind.vad >= 0;
        region_info(rb->ks, rb->base, rb->end, &rb->kind, &rb->ks->cache[rb->done++]);
        rb->started = 0;
    }
    return rb->done == REGION_CACHE;
}

/* What a VAD's page without a page table entry is: private memory not committed when allocated is
 * reserved; other pages are committed with the VAD's protection (a view's page state is in its
 * section's prototype PTEs, which are not read). */
static void kind_without_entry(const kernel_source *ks, page_kind *kind)
{
    const pmm_kdump_vad *v = &ks->vads.vads[kind->vad];
    if (v->type == PMM_MEM_PRIVATE && !v->committed) {
        kind->state = PMM_MEM_RESERVE;
        kind->protect = 0;
    } else {
        kind->protect = v->protect;
    }
}

/* Adds [from, to) of one leaf (entry) or of a gap between leaves (!entry: no entry maps it), piece
 * by piece where module and VAD boundaries cut it. Returns 1 to stop. */
static int take_range(region_builder *rb, uint64_t from, uint64_t to, uint32_t protect, int entry)
{
    while (from < to) {
        uint64_t limit, vad_limit;
        page_kind kind = {protect, module_at(rb->ks, from, &limit), vad_at(rb->ks, from, &vad_limit), PMM_MEM_COMMIT};
        if (vad_limit < limit)
            limit = vad_limit;
        uint64_t piece_end = limit < to && limit > from ? limit : to;
        if (!entry && kind.vad < 0) {   /* nothing there: a hole, which ends a region */
            if (finish_region(rb))
                return 1;
            from = piece_end;
            continue;
        }
        if (!entry)
            kind_without_entry(rb->ks, &kind);
        if (rb->started && (from != rb->end || !same_kind(&kind, &rb->kind)) && finish_region(rb))
            return 1;
        if (!rb->started) {
            rb->started = 1;
            rb->base = from;
            rb->kind = kind;
        }
        rb->end = piece_end;
        rb->kind_limit = limit > from ? limit : from;
        from = piece_end;
    }
    return 0;
}

/* The pages from the last leaf up to `to`, which no entry maps: in a VAD they are still memory. */
static int take_gap(region_builder *rb, uint64_t to)
{
    if (to > rb->ks->top)
        to = rb->ks->top;
    int stop = rb->ks->vads.count && rb->cursor < to ? take_range(rb, rb->cursor, to, 0, 0) : 0;
    if (to > rb->cursor)
        rb->cursor = to;
    return stop;
}

static uint32_t leaf_protect(const pmm_kdump_leaf *leaf)
{
    return leaf->status == PMM_KDUMP_VA_PRESENT ? protect_from_bits(leaf)
                                                : pmm_kdump_protect_from_mm(leaf->software_protection);
}

/* An entry's pages right after the region being gathered and inside the module and VAD of its last
 * pages (most pages of a map): they lengthen it, or start the next region with the same module and
 * VAD where their protection differs, without looking either up again. 1 to stop the walk. */
static int take_next_to_region(region_builder *rb, const pmm_kdump_leaf *leaf, uint64_t to)
{
    uint32_t protect = leaf_protect(leaf);
    rb->cursor = to;
    if (protect != rb->kind.protect || rb->kind.state != PMM_MEM_COMMIT) {
        page_kind kind = {protect, rb->kind.module, rb->kind.vad, PMM_MEM_COMMIT};
        if (finish_region(rb))
            return 1;
        rb->started = 1;
        rb->base = leaf->va;
        rb->kind = kind;
    }
    rb->end = to;
    return 0;
}

static int is_hole(const pmm_kdump_leaf *leaf)
{
    return leaf->status == PMM_KDUMP_VA_TABLE_NOT_IN_DUMP || leaf->status == PMM_KDUMP_VA_ZERO_ENTRY;
}

/* The VAD after the region being gathered when an entry's pages [va, to) start right where that
 * region and its VAD end and lie inside it, in a space without modules (a process's): -1 otherwise.
 * The region is then closed and the next starts in that VAD without looking it up. */
static int next_vad_holding(const region_builder *rb, uint64_t va, uint64_t to)
{
    const kernel_source *ks = rb->ks;
    size_t next = (size_t)rb->kind.vad + 1;
    if (ks->module_count || rb->kind.vad < 0 || va != rb->kind_limit || next >= ks->vads.count)
        return -1;
    const pmm_kdump_vad *v = &ks->vads.vads[next];
    return v->start == va && to <= v->end ? (int)next : -1;
}

static int take_in_next_vad(region_builder *rb, const pmm_kdump_leaf *leaf, uint64_t to, int vad)
{
    page_kind kind = {leaf_protect(leaf), -1, vad, PMM_MEM_COMMIT};
    rb->cursor = to;
    if (finish_region(rb))
        return 1;
    rb->started = 1;
    rb->base = leaf->va;
    rb->end = to;
    rb->kind = kind;
    rb->kind_limit = rb->ks->vads.vads[vad].end;
    rb->ks->vad_hint = (size_t)vad;
    return 0;
}

static int visit_leaf(void *ctx, const pmm_kdump_leaf *leaf)
{
    region_builder *rb = ctx;
    uint64_t to = leaf->va + leaf->size;
    if (rb->started && leaf->va == rb->end && to > leaf->va && to <= rb->ks->top && !is_hole(leaf)) {
        if (to <= rb->kind_limit)   /* the same module and VAD answers */
            return take_next_to_region(rb, leaf, to);
        int vad = next_vad_holding(rb, leaf->va, to);
        if (vad >= 0)
            return take_in_next_vad(rb, leaf, to, vad);
    }
    if (to == 0 || to > rb->ks->top)
        to = rb->ks->top;
    if (take_gap(rb, leaf->va))
        return 1;
    uint64_t from = leaf->va < rb->from ? rb->from : leaf->va;
    if (to > rb->cursor)
        rb->cursor = to;
    if (is_hole(leaf) || from >= to)
        return finish_region(rb);   /* nothing known there: a hole, which ends a region */
    return take_range(rb, from, to, leaf_protect(leaf), 1);
}

/* The cached region holding addr, cut to start there, or the next cached one above it; 0 when the
 * cache does not cover addr. */
static int from_cache(kernel_source *ks, uint64_t addr, pmm_region_info *out)
{
    if (ks->cache_hint < ks->cached && addr == ks->cache[ks->cache_hint].base) {   /* the next one, whole */
        *out = ks->cache[ks->cache_hint++];
        return 1;
    }
    if (ks->cached == 0 || addr < ks->cache_from)
        return 0;
    /* Queries come in order: start from the region after the last one answered. */
    size_t first = ks->cache_hint < ks->cached && addr >= ks->cache[ks->cache_hint].base ? ks->cache_hint : 0;
    for (size_t i = first; i < ks->cached; i++) {
        const pmm_region_info *r = &ks->cache[i];
        if (addr >= r->base + r->size)
            continue;
        ks->cache_hint = i + 1;
        *out = *r;
        if (addr > r->base) {
            out->size -= addr - r->base;
            out->base = addr;
            if (!ks->cache_owned[i])
                out->alloc_base = addr;
        }
        return 1;
    }
    return 0;
}

static pmm_status ks_query(void *impl, uint64_t addr, pmm_region_info *out)
{
    kernel_source *ks = impl;
    region_builder rb;
    if (addr >= ks->top)
        return PMM_END;
    if (addr < ks->lowest)
        addr = ks->lowest;
    if (from_cache(ks, addr, out))
        return PMM_OK;
    memset(&rb, 0, sizeof rb);
    rb.ks = ks;
    rb.from = rb.cursor = addr;
    ks->cached = 0;
    pmm_status st = pmm_kdump_walk_runs(ks->dump, ks->dtb, addr, ks->top, QUERY_ENTRY_BUDGET, visit_leaf, &rb, NULL);
    if (st != PMM_OK && st != PMM_ERR_LIMIT)
        return st;
    if (st == PMM_ERR_LIMIT && rb.done == 0 && rb.started) {
        /* The walk's budget ended inside the first region: that part of it, not kept. */
        region_info(ks, rb.base, rb.end, &rb.kind, out);
        return PMM_OK;
    }
    if (st == PMM_OK && rb.done < REGION_CACHE && !take_gap(&rb, ks->top))
        finish_region(&rb);   /* the walk reached the top: the last region is whole */
    ks->cached = rb.done;
    ks->cache_hint = 0;
    ks->cache_from = addr;
    return from_cache(ks, addr, out) ? PMM_OK : PMM_END;
}

static size_t ks_read(void *impl, uint64_t addr, void *buf, size_t len)
{
    kernel_source *ks = impl;
    return pmm_kdump_read_virtual(ks->dump, ks->dtb, addr, buf, len, NULL);
}

/* The bytes at addr in place in the dump's file mapping, as far as their pages follow each other
 * there (a run of present pages the dump stores in order); 0 when the file is not mapped. */
static size_t ks_borrow(void *impl, uint64_t addr, size_t len, const uint8_t **out)
{
    kernel_source *ks = impl;
    const uint8_t *start = NULL;
    size_t lent = 0;
    while (lent < len) {
        uint64_t va = addr + lent;
        const uint8_t *page = pmm_kdump_virtual_page(ks->dump, ks->dtb, va);
        const uint8_t *at = page ? page + va % PMM_KDUMP_PAGE_SIZE : NULL;
        if (!at || (start && at != start + lent))
            break;
        if (!start)
            start = at;
        size_t in_page = PMM_KDUMP_PAGE_SIZE - (size_t)(va % PMM_KDUMP_PAGE_SIZE);
        lent += in_page < len - lent ? in_page : len - lent;
    }
    *out = lent ? start : NULL;
    return lent;
}

/* ---- which pages have bytes -------------------------------------------------------------------- */

static int leaf_readable(const pmm_kdump_leaf *leaf)
{
    return (leaf->status == PMM_KDUMP_VA_PRESENT || leaf->status == PMM_KDUMP_VA_TRANSITION) && leaf->page_in_dump;
}

typedef struct extent_walk {
    uint64_t from, start, end;
    int found;
} extent_walk;

static int visit_extent(void *ctx, const pmm_kdump_leaf *leaf)
{
    extent_walk *x = ctx;
    uint64_t from = leaf->va < x->from ? x->from : leaf->va, to = leaf->va + leaf->size;
    if (!leaf_readable(leaf) || (to != 0 && from >= to))
        return x->found;   /* the first gap after a readable stretch ends it */
    if (x->found && from != x->end)
        return 1;
    if (!x->found)
        x->start = from;
    x->found = 1;
    x->end = to;
    return to == 0;
}

static pmm_status ks_held_extent(void *impl, uint64_t addr, uint64_t *start, uint64_t *end)
{
    kernel_source *ks = impl;
    extent_walk x = {addr < ks->lowest ? ks->lowest : addr, 0, 0, 0};
    if (x.from >= ks->top)
        return PMM_END;
    pmm_status st = pmm_kdump_walk(ks->dump, ks->dtb, x.from, ks->top, EXTENT_ENTRY_BUDGET, visit_extent, &x, NULL);
    if (st != PMM_OK && !(st == PMM_ERR_LIMIT && x.found))
        return st;
    if (!x.found)
        return PMM_END;
    *start = x.start;
    *end = x.end == 0 || x.end > ks->top ? ks->top : x.end;
    return PMM_OK;
}

/* Why a leaf's pages have no bytes. */
static const char *unavailable_reason(const pmm_kdump_leaf *leaf)
{
    switch (leaf->status) {
    case PMM_KDUMP_VA_PRESENT: return "present, but the dump does not hold the page";
    case PMM_KDUMP_VA_TRANSITION: return "in transition, but the dump does not hold the page";
    case PMM_KDUMP_VA_DEMAND_ZERO: return "demand zero (no page yet)";
    case PMM_KDUMP_VA_PAGE_FILE: return "paged out to a page file";
    case PMM_KDUMP_VA_PROTOTYPE: return "prototype PTE (a shared section's page, not in this process's tables)";
    case PMM_KDUMP_VA_TABLE_NOT_IN_DUMP: return "its page table is not in the dump";
    }
    return NULL;
}

typedef struct unavailable_count {
    kernel_source *ks;
    uint64_t pages, ranges;
    uint64_t start, end;          /* the range being gathered */
    const char *reason;
} unavailable_count;

static void flush_range(unavailable_count *u)
{
    if (!u->reason)
        return;
    u->ranges++;
    if (u->ks->note_count < UNAVAILABLE_RANGES)
        snprintf(u->ks->notes[u->ks->note_count++], sizeof u->ks->notes[0], "0x%llx-0x%llx (%llu pages): %s",
                 (unsigned long long)u->start, (unsigned long long)(u->end - 1),
                 (unsigned long long)((u->end - u->start) / PMM_KDUMP_PAGE_SIZE), u->reason);
    u->reason = NULL;
}

static int visit_unavailable(void *ctx, const pmm_kdump_leaf *leaf)
{
    unavailable_count *u = ctx;
    const char *reason = leaf_readable(leaf) ? NULL : unavailable_reason(leaf);
    uint64_t from = leaf->va < u->ks->lowest ? u->ks->lowest : leaf->va, to = leaf->va + leaf->size;
    if (to == 0 || to > u->ks->top)
        to = u->ks->top;
    if (!reason || from >= to) {
        flush_range(u);
        return 0;
    }
    if (u->reason && (reason != u->reason || from != u->end))
        flush_range(u);
    if (!u->reason) {
        u->reason = reason;
        u->start = from;
    }
    u->end = to;
    u->pages += (to - from) / PMM_KDUMP_PAGE_SIZE;
    return 0;
}

/* What the VAD tree gave, or why the map is page-table runs alone. */
static void make_vad_notes(kernel_source *ks)
{
    char (*note)[1024] = ks->notes;
    size_t size = sizeof ks->notes[0];
    if (!ks->vads.row) {
        snprintf(note[ks->note_count++], size, "regions are runs of pages with one protection from the process's "
                 "page tables: the VAD tree was not read (%s), so allocations, region types and reserved memory are "
                 "not known", ks->vad_problem);
        return;
    }
    snprintf(note[ks->note_count++], size, "allocations, types, reserved memory and views' file names from the VAD "
             "tree: %zu VADs (offsets of %s)", ks->vads.count, ks->vads.row->versions);
    snprintf(note[ks->note_count++], size, "pages of image and mapped views without a page table entry are listed "
             "committed with the view's protection: their state is in the section's prototype PTEs, not read");
    if (ks->vads.problem[0])
        snprintf(note[ks->note_count++], size, "VAD tree not read whole: %s; pages outside the VADs read are runs "
                 "without a type", ks->vads.problem);
    if (!ks->vads.row->layout.file_pointer)
        snprintf(note[ks->note_count++], size, "views' file names are not read: the layout table has no "
                 "CONTROL_AREA offsets for %s", ks->vads.row->versions);
    if (ks->vads.names_missing)
        snprintf(note[ks->note_count++], size, "%zu views' file names are not in the dump", ks->vads.names_missing);
}

/* The notes: each range of the address space whose pages have no bytes, with why (the first
 * UNAVAILABLE_RANGES), and how many in all. Made on first use: it walks the whole tables. */
static void make_notes(kernel_source *ks)
{
    unavailable_count u;
    memset(&u, 0, sizeof u);
    u.ks = ks;
    ks->notes_made = 1;
    uint64_t resume = ks->lowest;
    pmm_status st =
        pmm_kdump_walk(ks->dump, ks->dtb, ks->lowest, ks->top, NOTES_ENTRY_BUDGET, visit_unavailable, &u, &resume);
    flush_range(&u);
    if (u.ranges > UNAVAILABLE_RANGES)
        snprintf(ks->notes[ks->note_count++], sizeof ks->notes[0], "... %llu more ranges of pages without bytes",
                 (unsigned long long)(u.ranges - UNAVAILABLE_RANGES));
    snprintf(ks->notes[ks->note_count++], sizeof ks->notes[0],
             "%llu pages of the address space are mapped but not in the dump (listed above: never read as zeros)",
             (unsigned long long)u.pages);
    if (st != PMM_OK)
        snprintf(ks->notes[ks->note_count++], sizeof ks->notes[0], "the page tables were walked only to 0x%llx "
                 "(%u entries read): the pages without bytes above it are not counted", (unsigned long long)resume,
                 NOTES_ENTRY_BUDGET);
    if (ks->plain_type == 0)
        make_vad_notes(ks);
    if (ks->plain_type == 0 && ks->thread_choice.inference[0])
        snprintf(ks->notes[ks->note_count++], sizeof ks->notes[0], "%s", ks->thread_choice.inference);
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

/* ---- a process's threads ---------------------------------------------------------------------- */

/* The header's context, when it is a user-mode one of this process's thread running at the crash. */
static int crash_context(kernel_source *ks, uint64_t *ethread, pmm_context *out)
{
    pmm_kdump_process_list own;
    pmm_kdump_crash_thread crash;
    memset(&own, 0, sizeof own);
    own.processes = &ks->process;
    own.count = 1;
    own.layout = ks->layout;
    if (!pmm_kdump_header_user_context(ks->dump, out) || pmm_kdump_find_crash_thread_with(ks->dump, &own, &ks->thread_offsets, &crash) != PMM_OK ||
        !crash.found)
        return 0;
    *ethread = crash.ethread;
    return 1;
}

/* EPROCESS.ThreadListHead's ETHREADs (kdump_threads.c): thread id, TEB, start address, and the
 * user-mode registers of the trap frame (for the thread running at the crash, the header's context
 * when it is a user-mode one); a WOW64 thread's 32-bit registers from its 64-bit TEB's
 * WOW64_CPURESERVED. A list cut short is returned as far as it was read. */
static pmm_status ks_threads(void *impl, pmm_thread_info **out, size_t *count)
{
    kernel_source *ks = impl;
    pmm_kdump_thread *threads;
    char problem[200], why[160];
    *out = NULL;
    *count = 0;
    if (!ks->eprocess)
        return PMM_ERR_NOT_PROVIDED;
    pmm_status st = pmm_kdump_threads(ks->dump, &ks->thread_offsets, ks->eprocess, &threads, count, problem, sizeof problem);
    if (st != PMM_OK)
        return st;
    *out = calloc(*count ? *count : 1, sizeof **out);
    if (!*out) {
        free(threads);
        *count = 0;
        return PMM_ERR_NOMEM;
    }
    pmm_context header;
    uint64_t crashed = 0;
    int have_header = crash_context(ks, &crashed, &header);
    for (size_t i = 0; i < *count; i++) {
        pmm_thread_info *t = &(*out)[i];
        t->tid = (uint32_t)threads[i].tid;
        t->teb = threads[i].teb;
        t->start_address = threads[i].start_address;
        if (have_header && threads[i].ethread == crashed)
            t->context = header;
        else
            pmm_kdump_thread_user_context(ks->dump, &threads[i], &t->context, why, sizeof why);
        if (ks->process.wow64 && pmm_kdump_pointer_size(ks->dump) == 8)
            pmm_kdump_wow64_context(ks->dump, ks->dtb, threads[i].teb, &t->context32);
    }
    free(threads);
    return PMM_OK;
}

static pmm_status ks_mapped_file_name(void *impl, uint64_t addr, char *buf, size_t cap)
{
    kernel_source *ks = impl;
    uint64_t limit;
    int v = vad_at(ks, addr, &limit);
    if (v >= 0 && ks->vads.vads[v].name) {
        snprintf(buf, cap, "%s", ks->vads.vads[v].name);
        return PMM_OK;
    }
    int m = module_at(ks, addr, &limit);
    if (m < 0 || !ks->modules[m].full_name[0])
        return PMM_ERR_NOT_FOUND;
    snprintf(buf, cap, "%s", ks->modules[m].full_name);
    return PMM_OK;
}

static const char *ks_note(void *impl, size_t index)
{
    kernel_source *ks = impl;
    if (ks->plain_type == 0) {   /* a process: what it lacks matters more than the dump's warnings */
        if (!ks->notes_made)
            make_notes(ks);
        if (index < ks->note_count)
            return ks->notes[index];
        index -= ks->note_count;
    }
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
        pmm_kdump_vad_list_free(&ks->vads);
        pmm_kdump_close(ks->dump);
        free(ks);
    }
}

static const pmm_source_ops kernel_ops = {
    .query = ks_query,
    .read = ks_read,
    .modules = ks_modules,
    .threads = ks_threads,
    .mapped_file_name = ks_mapped_file_name,
    .close = ks_close,
    .note = ks_note,
    .held_extent = ks_held_extent,
    .borrow = ks_borrow,
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
    ks->plain_type = PMM_MEM_PRIVATE;
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

/* ---- a process ---------------------------------------------------------------------------------- */

static pmm_status refuse(pmm_kdump *dump, pmm_status st, char *message, size_t cap, const char *fmt, ...)
    PMM_PRINTF_FORMAT(5, 6);

static pmm_status refuse(pmm_kdump *dump, pmm_status st, char *message, size_t cap, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vsnprintf(message, cap, fmt, args);
    va_end(args);
    pmm_kdump_close(dump);
    return st;
}

/* The process's threads and VADs: where the table or an inference on list's processes puts them. */
static pmm_status choose_offsets(kernel_source *ks, const pmm_kdump_process_list *list)
{
    pmm_status st = pmm_kdump_choose_thread_offsets(ks->dump, list, &ks->thread_choice);
    if (st == PMM_OK)
        st = pmm_kdump_choose_vad_offsets(ks->dump, list, &ks->vad_choice);
    if (st != PMM_OK)
        return st;
    ks->thread_offsets = ks->thread_choice.offsets;
    const pmm_kdump_vad_row *row = pmm_kdump_vad_choice_row(&ks->vad_choice);
    if (row)
        return pmm_kdump_vads_with(ks->dump, row, ks->eprocess, ks->top, &ks->vads, ks->vad_problem,
                                   sizeof ks->vad_problem);
    snprintf(ks->vad_problem, sizeof ks->vad_problem, "the layout table has no VAD offsets for build %u (%u-bit); %s",
             pmm_kdump_header_of(ks->dump)->minor_version, pmm_kdump_pointer_size(ks->dump) * 8,
             ks->vad_choice.inference);
    return PMM_OK;
}

pmm_status pmm_kdump_process_source_wrap(pmm_kdump *dump, const char *path, const pmm_kdump_process *p,
                                         const pmm_kdump_process_list *list, pmm_source *out, char *message,
                                         size_t message_cap)
{
    memset(out, 0, sizeof *out);
    uint32_t ps = pmm_kdump_pointer_size(dump);
    uint64_t table = p->directory_table_base & (pmm_kdump_paging(dump) == PMM_KDUMP_PAGING_PAE ? ~0x1Full : ~0xFFFull);
    uint8_t entry[8];
    if (pmm_kdump_paging(dump) == PMM_KDUMP_PAGING_NONE)
        return refuse(dump, PMM_ERR_UNSUPPORTED, message, message_cap, "%s: the page tables of this machine are not "
                      "walked, so no process can be mapped", path);
    if (p->pid == 4)
        return refuse(dump, PMM_ERR_ARG, message, message_cap, "%s: System (pid 4) has no user address space; "
                      "--process kernel maps the kernel's", path);
    if (pmm_kdump_read_physical(dump, table, entry, sizeof entry) != sizeof entry)
        return refuse(dump, PMM_ERR_READ, message, message_cap, "%s: the page tables of %s (pid %llu, "
                      "DirectoryTableBase 0x%llx) are not in the dump, so its memory cannot be read", path, p->name,
                      (unsigned long long)p->pid, (unsigned long long)p->directory_table_base);
    kernel_source *ks = calloc(1, sizeof *ks);
    if (!ks) {
        pmm_kdump_close(dump);
        return PMM_ERR_NOMEM;
    }
    ks->dump = dump;
    ks->dtb = p->directory_table_base;
    ks->eprocess = p->eprocess;
    ks->process = *p;
    ks->layout = list->layout;
    ks->lowest = 0x10000;
    ks->top = ps == 8 ? 0x7FFFFFFF0000ull : 0x7FFF0000ull;
    if (choose_offsets(ks, list) == PMM_ERR_NOMEM) {
        ks_close(ks);
        return PMM_ERR_NOMEM;
    }
    out->ops = &kernel_ops;
    out->impl = ks;
    pmm_target_info *t = &out->target;
    t->source_kind = PMM_SOURCE_KERNEL_DUMP;
    t->pid = (uint32_t)p->pid;
    t->pointer_size = p->wow64 ? 4 : ps;
    t->wow64 = p->wow64;
    t->tool_pointer_size = (uint32_t)sizeof(void *);
    t->peb = (p->known & PMM_KDUMP_PROCESS_PEB) ? p->peb : 0;
    t->peb32 = p->peb32;
    t->lowest_address = ks->lowest;
    t->highest_address = ks->top - 1;
    snprintf(t->name, sizeof t->name, "%s", p->name);
    snprintf(t->path, sizeof t->path, "%s", path);
    return PMM_OK;
}

pmm_status pmm_kdump_source_open(const char *path, const char *selector, pmm_source *out, char *message,
                                 size_t message_cap)
{
    pmm_kdump *dump;
    memset(out, 0, sizeof *out);
    message[0] = '\0';
    pmm_status st = pmm_kdump_open(path, &dump, message, message_cap);
    if (st != PMM_OK)
        return st;
    if (strcmp(selector, "kernel") == 0)
        return pmm_kdump_kernel_source_wrap(dump, path, out, message, message_cap);
    pmm_kdump_process_list list;
    char why[256];
    st = pmm_kdump_processes(dump, &list, why, sizeof why);
    if (st != PMM_OK)
        return refuse(dump, st, message, message_cap, "%s: the processes could not be listed: %s", path, why);
    int ambiguous;
    const pmm_kdump_process *p = pmm_kdump_find_process(&list, selector, &ambiguous);
    if (!p) {
        pmm_kdump_process_list_free(&list);
        return refuse(dump, PMM_ERR_NOT_FOUND, message, message_cap, ambiguous
                      ? "%s: several processes are named '%s': choose one by pid (`pmm kdump %s --processes` lists them)"
                      : "%s: no process '%s' in the dump (`pmm kdump %s --processes` lists them)", path, selector, path);
    }
    pmm_kdump_process chosen = *p;
    st = pmm_kdump_process_source_wrap(dump, path, &chosen, &list, out, message, message_cap);
    pmm_kdump_process_list_free(&list);
    return st;
}
