/* Virtual to physical translation through the page tables in a kernel dump: x64 4-level paging
 * (1 GiB and 2 MiB pages), x86 PAE (2 MiB pages) and x86 2-level paging (4 MiB pages). An entry
 * whose valid bit is clear is decoded as Windows' software PTE: transition (the page is still in
 * memory and is read), prototype, page file, demand zero. A walk reads one entry per level and
 * stops, so tables that point at themselves (the PML4 self-reference) cannot make it loop. */
#include <string.h>
#include "kdump_internal.h"
#include "../source/source.h"

/* Hardware entry bits. */
#define PTE_VALID 0x1ull
#define PTE_WRITE 0x2ull
#define PTE_USER 0x4ull
#define PTE_LARGE 0x80ull
#define PTE_NO_EXECUTE (1ull << 63)
/* Software entry bits (MMPTE_SOFTWARE / MMPTE_TRANSITION / MMPTE_PROTOTYPE), valid bit clear. */
#define PTE_PROTOTYPE (1ull << 10)
#define PTE_TRANSITION (1ull << 11)
#define PTE_PAGE_FILE_LOW(e) ((uint32_t)((e) >> 1) & 0xF)
#define PTE_PROTECTION(e) ((uint32_t)((e) >> 5) & 0x1F)

/* Physical address bits of a 64-bit entry (x64 and PAE): bits 12..51. */
#define PFN_MASK_64 0x000FFFFFFFFFF000ull
#define PFN_MASK_32 0xFFFFF000ull

typedef struct paging_mode {
    uint32_t levels;
    uint32_t entry_size;        /* 8 or 4 */
    uint64_t pfn_mask;
    uint32_t has_no_execute;
} paging_mode;

static const paging_mode x64_mode = {4, 8, PFN_MASK_64, 1};
static const paging_mode pae_mode = {3, 8, PFN_MASK_64, 1};
static const paging_mode x86_mode = {2, 4, PFN_MASK_32, 0};

uint32_t pmm_kdump_paging(const pmm_kdump *dump)
{
    const pmm_kdump_header *h = &dump->header;
    if (h->bits == 64)
        return h->machine == PMM_KDUMP_MACHINE_AMD64 ? PMM_KDUMP_PAGING_X64 : PMM_KDUMP_PAGING_NONE;
    return h->pae_enabled ? PMM_KDUMP_PAGING_PAE : PMM_KDUMP_PAGING_X86;
}

const char *pmm_kdump_va_status_text(uint32_t status)
{
    switch (status) {
    case PMM_KDUMP_VA_PRESENT: return "present";
    case PMM_KDUMP_VA_TRANSITION: return "in transition (still in memory)";
    case PMM_KDUMP_VA_ZERO_ENTRY: return "not mapped (zero entry)";
    case PMM_KDUMP_VA_DEMAND_ZERO: return "demand zero (no page yet)";
    case PMM_KDUMP_VA_PAGE_FILE: return "paged out to a page file";
    case PMM_KDUMP_VA_PROTOTYPE: return "prototype PTE (shared section page)";
    case PMM_KDUMP_VA_TABLE_NOT_IN_DUMP: return "page table not in the dump";
    case PMM_KDUMP_VA_NOT_CANONICAL: return "outside the address space of the paging mode";
    case PMM_KDUMP_VA_NO_PAGING: return "page tables of this machine are not walked";
    }
    return "unknown";
}

/* Table index of va at level (1 = page table) in the given mode. */
static uint32_t index_at(const paging_mode *m, uint64_t va, uint32_t level)
{
    if (m->entry_size == 4)
        return (uint32_t)(va >> (level == 2 ? 22 : 12)) & 0x3FF;
    uint32_t shift = 12 + 9 * (level - 1);
    uint32_t mask = m->levels == 3 && level == 3 ? 3 : 0x1FF;   /* PAE's PDPT has 4 entries */
    return (uint32_t)(va >> shift) & mask;
}

/* Size of the page a large entry at level maps. */
static uint64_t large_page_size(const paging_mode *m, uint32_t level)
{
    if (m->entry_size == 4)
        return 0x400000;                      /* 4 MiB */
    return level == 3 ? 0x40000000 : 0x200000; /* 1 GiB, 2 MiB */
}

/* Reads a page-table entry at physical address pa. */
static int read_entry(pmm_kdump *dump, uint64_t pa, uint32_t size, uint64_t *value)
{
    uint64_t offset;
    if (pmm_kdump_page_offset(dump, pa / PMM_KDUMP_PAGE_SIZE, &offset) != PMM_OK)
        return 0;
    offset += pa % PMM_KDUMP_PAGE_SIZE;
    uint8_t b[8];
    const uint8_t *p = pmm_input_file_bytes(dump->file, offset, size);
    if (!p) {
        if (pmm_input_file_read(dump->file, offset, b, size) != PMM_OK)
            return 0;
        p = b;
    }
    *value = kd_pointer_at(p, size);
    return 1;
}

static int page_held(pmm_kdump *dump, uint64_t pa)
{
    uint64_t offset;
    return pmm_kdump_page_offset(dump, pa / PMM_KDUMP_PAGE_SIZE, &offset) == PMM_OK;
}

/* An entry with its valid bit clear: what Windows keeps there instead of a mapping. Returns 1 when
 * the walk can go on (a transition entry still names a physical page). */
static int decode_invalid(const paging_mode *m, uint64_t entry, pmm_kdump_translation *out, uint64_t *next)
{
    uint64_t page_file_high = m->entry_size == 8 ? entry >> 32 : (entry >> 12) & 0xFFFFF;
    out->software_protection = PTE_PROTECTION(entry);
    if (entry == 0) {
        out->status = PMM_KDUMP_VA_ZERO_ENTRY;
    } else if (entry & PTE_PROTOTYPE) {
        out->status = PMM_KDUMP_VA_PROTOTYPE;
    } else if (entry & PTE_TRANSITION) {
        out->status = PMM_KDUMP_VA_TRANSITION;
        *next = entry & m->pfn_mask;
        return 1;
    } else if (page_file_high != 0) {
        out->status = PMM_KDUMP_VA_PAGE_FILE;
        out->page_file = PTE_PAGE_FILE_LOW(entry);
        out->page_file_offset = page_file_high * PMM_KDUMP_PAGE_SIZE;
    } else {
        out->status = PMM_KDUMP_VA_DEMAND_ZERO;
    }
    return 0;
}

static int va_in_range(const paging_mode *m, uint64_t va)
{
    if (m->levels == 4) {   /* canonical: bits 63..47 all equal */
        uint64_t top = va >> 47;
        return top == 0 || top == 0x1FFFF;
    }
    return va <= 0xFFFFFFFFull;
}

static uint64_t table_of(const paging_mode *m, uint64_t dtb)
{
    if (m->levels == 3)
        return dtb & 0xFFFFFFE0ull;   /* PAE: CR3 holds the 32-byte aligned PDPT */
    return dtb & m->pfn_mask;         /* x64: PCID bits cleared */
}

static void finish_page(pmm_kdump *dump, uint64_t va, uint64_t frame, uint64_t size, pmm_kdump_translation *out)
{
    out->page_size = size;
    out->physical = (frame & ~(size - 1)) + (va & (size - 1));
    out->page_in_dump = page_held(dump, out->physical);
}

pmm_status pmm_kdump_translate(pmm_kdump *dump, uint64_t dtb, uint64_t va, pmm_kdump_translation *out)
{
    memset(out, 0, sizeof *out);
    const paging_mode *m;
    switch (pmm_kdump_paging(dump)) {
    case PMM_KDUMP_PAGING_X64: m = &x64_mode; break;
    case PMM_KDUMP_PAGING_PAE: m = &pae_mode; break;
    case PMM_KDUMP_PAGING_X86: m = &x86_mode; break;
    default:
        out->status = PMM_KDUMP_VA_NO_PAGING;
        return PMM_OK;
    }
    if (!va_in_range(m, va)) {
        out->status = PMM_KDUMP_VA_NOT_CANONICAL;
        return PMM_OK;
    }
    uint64_t root = table_of(m, dtb ? dtb : dump->header.directory_table_base), table = root;
    uint64_t allowed = PTE_WRITE | PTE_USER, no_execute = 0, region = va >> (m->entry_size == 4 ? 22 : 21);
    uint32_t level = m->levels, all_valid = 1;
    kdump_table_memo *memo = &dump->table_memo;
    int remembered = memo->valid && memo->root == root && memo->region == region;
    if (remembered) {   /* a page of the same page table as the last one */
        memcpy(out->steps, memo->steps, sizeof memo->steps);
        out->step_count = memo->step_count;
        table = memo->table, allowed = memo->allowed, no_execute = memo->no_execute, level = 1;
    }
    for (; level >= 1; level--) {
        if (level == 1 && !remembered && all_valid) {   /* every level above a present table */
            memo->valid = 1;
            memo->root = root, memo->region = region, memo->table = table;
            memo->allowed = allowed, memo->no_execute = no_execute;
            memo->step_count = out->step_count;
            memcpy(memo->steps, out->steps, sizeof memo->steps);
        }
        pmm_kdump_walk_step *step = &out->steps[out->step_count++];
        step->level = level;
        step->index = index_at(m, va, level);
        step->entry_address = table + (uint64_t)step->index * m->entry_size;
        step->read = (uint32_t)read_entry(dump, step->entry_address, m->entry_size, &step->entry);
        if (!step->read) {
            out->status = PMM_KDUMP_VA_TABLE_NOT_IN_DUMP;
            return PMM_OK;
        }
        uint64_t e = step->entry, next = 0;
        if (!(e & PTE_VALID)) {
            all_valid = 0;
            if (!decode_invalid(m, e, out, &next))
                return PMM_OK;
            if (level == 1) {
                finish_page(dump, va, next, PMM_KDUMP_PAGE_SIZE, out);
                return PMM_OK;
            }
            table = next;   /* a page table in transition: still in memory, still walkable */
            out->status = PMM_KDUMP_VA_PRESENT;
            continue;
        }
        /* PAE's PDPT entries have no R/W, U/S or NX bits; they do not restrict access. */
        if (!(m->levels == 3 && level == 3)) {
            allowed &= e;
            no_execute |= e & PTE_NO_EXECUTE;
        }
        int large = level > 1 && (e & PTE_LARGE) && !(m->levels == 3 && level == 3) && !(m->levels == 4 && level == 4);
        if (large || level == 1) {
            out->status = PMM_KDUMP_VA_PRESENT;
            out->writable = (allowed & PTE_WRITE) != 0;
            out->user = (allowed & PTE_USER) != 0;
            out->executable = !(m->has_no_execute && no_execute);
            uint64_t frame = m->entry_size == 4 && large ? e & 0xFFC00000ull : e & m->pfn_mask;
            finish_page(dump, va, frame, large ? large_page_size(m, level) : PMM_KDUMP_PAGE_SIZE, out);
            return PMM_OK;
        }
        table = e & m->pfn_mask;
    }
    return PMM_OK;
}

/* The page of a present or transition level-1 entry of the remembered table, when va lies under
 * it: 1 with its frame; 0 for anything else (then a whole translation says what is there). */
static int remembered_frame(pmm_kdump *dump, const paging_mode *m, uint64_t root, uint64_t va, uint64_t *frame)
{
    const kdump_table_memo *memo = &dump->table_memo;
    uint64_t e;
    if (!memo->valid || memo->root != root || memo->region != va >> (m->entry_size == 4 ? 22 : 21) ||
        !read_entry(dump, memo->table + (uint64_t)index_at(m, va, 1) * m->entry_size, m->entry_size, &e))
        return 0;
    if (!(e & PTE_VALID) && ((e & PTE_PROTOTYPE) || !(e & PTE_TRANSITION)))
        return 0;   /* not mapped, or not in memory */
    *frame = e & m->pfn_mask;
    return 1;
}

const uint8_t *pmm_kdump_virtual_page(pmm_kdump *dump, uint64_t dtb, uint64_t va)
{
    const paging_mode *m;
    switch (pmm_kdump_paging(dump)) {
    case PMM_KDUMP_PAGING_X64: m = &x64_mode; break;
    case PMM_KDUMP_PAGING_PAE: m = &pae_mode; break;
    case PMM_KDUMP_PAGING_X86: m = &x86_mode; break;
    default: return NULL;
    }
    uint64_t frame;
    if (va_in_range(m, va) &&
        remembered_frame(dump, m, table_of(m, dtb ? dtb : dump->header.directory_table_base), va, &frame))
        return pmm_kdump_physical_page(dump, frame / PMM_KDUMP_PAGE_SIZE);
    pmm_kdump_translation t;
    pmm_kdump_translate(dump, dtb, va, &t);
    if ((t.status != PMM_KDUMP_VA_PRESENT && t.status != PMM_KDUMP_VA_TRANSITION) || !t.page_in_dump)
        return NULL;
    return pmm_kdump_physical_page(dump, t.physical / PMM_KDUMP_PAGE_SIZE);
}

size_t pmm_kdump_read_virtual(pmm_kdump *dump, uint64_t dtb, uint64_t va, void *buf, size_t len,
                              pmm_kdump_translation *stop)
{
    uint8_t *to = buf;
    size_t done = 0;
    while (done < len) {
        pmm_kdump_translation t;
        pmm_kdump_translate(dump, dtb, va + done, &t);
        int readable = (t.status == PMM_KDUMP_VA_PRESENT || t.status == PMM_KDUMP_VA_TRANSITION) && t.page_in_dump;
        if (!readable || va + done < va) {
            if (stop)
                *stop = t;
            break;
        }
        uint64_t in_page = PMM_KDUMP_PAGE_SIZE - ((va + done) % PMM_KDUMP_PAGE_SIZE);
        size_t want = len - done < in_page ? len - done : (size_t)in_page;
        size_t got = pmm_kdump_read_physical(dump, t.physical, to + done, want);
        done += got;
        if (got < want) {
            if (stop)
                *stop = t;
            break;
        }
    }
    return done;
}

/* ---- walking whole tables --------------------------------------------------------------------- */

typedef struct walk_state {
    pmm_kdump *dump;
    const paging_mode *m;
    uint64_t start, end;        /* end 0: no end */
    uint64_t budget;            /* entries left to read; UINT64_MAX: no cap */
    uint64_t resume;
    int stopped, out_of_budget;
    int (*visit)(void *ctx, const pmm_kdump_leaf *leaf);
    void *ctx;
    int has_pending, visitor_stopped;
    pmm_kdump_leaf pending;     /* runs: the run being gathered, not yet visited */
    uint64_t pending_kind;      /* its run_kind */
} walk_state;

static const paging_mode *mode_of(const pmm_kdump *dump)
{
    switch (pmm_kdump_paging(dump)) {
    case PMM_KDUMP_PAGING_X64: return &x64_mode;
    case PMM_KDUMP_PAGING_PAE: return &pae_mode;
    case PMM_KDUMP_PAGING_X86: return &x86_mode;
    }
    return NULL;
}

uint64_t pmm_kdump_address_limit(const pmm_kdump *dump)
{
    return pmm_kdump_paging(dump) == PMM_KDUMP_PAGING_X64 ? 0 : 0x100000000ull;
}

uint64_t pmm_kdump_kernel_start(const pmm_kdump *dump)
{
    return pmm_kdump_pointer_size(dump) == 8 ? 0xFFFF800000000000ull : 0x80000000ull;
}

static uint64_t entry_span(const paging_mode *m, uint32_t level)
{
    if (m->entry_size == 4)
        return level == 2 ? 0x400000 : PMM_KDUMP_PAGE_SIZE;
    return 1ull << (12 + 9 * (level - 1));
}

static uint32_t entry_count(const paging_mode *m, uint32_t level)
{
    if (m->entry_size == 4)
        return 1024;
    return m->levels == 3 && level == 3 ? 4 : 512;
}

/* x64: bits 63..48 copy bit 47. */
static uint64_t canonical(const paging_mode *m, uint64_t va)
{
    if (m->levels == 4 && (va & (1ull << 47)))
        return va | 0xFFFF000000000000ull;
    return va;
}

static int past_end(const walk_state *w, uint64_t va)
{
    return w->end != 0 && va >= w->end;
}

static void deliver(walk_state *w, const pmm_kdump_leaf *leaf)
{
    w->resume = leaf->va + leaf->size;
    if (w->visit(w->ctx, leaf))
        w->stopped = w->visitor_stopped = 1;
}

/* What must be equal for leaves to make one run: status, permissions, software protection. Read
 * field by field as they were stored (a compiler comparing two fields in one load of 8 bytes from
 * two stores of 4 just made waits for them: that was a fifth of the map's time). */
static uint64_t run_kind(const pmm_kdump_leaf *leaf)
{
    return (uint64_t)leaf->status | (uint64_t)(leaf->writable != 0) << 8 | (uint64_t)(leaf->user != 0) << 9 |
           (uint64_t)(leaf->executable != 0) << 10 | (uint64_t)leaf->software_protection << 32;
}

/* Runs: leaf goes on the run being gathered (right after it, of the same kind), or that run is
 * visited and leaf starts the next. Inlined into the walk, where leaf's fields are in registers. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((always_inline))
#endif
static inline void gather_run(walk_state *w, const pmm_kdump_leaf *leaf)
{
    uint64_t kind = run_kind(leaf);
    if (w->has_pending && w->pending.va + w->pending.size == leaf->va && w->pending_kind == kind) {
        w->pending.size += leaf->size;
        return;
    }
    if (w->has_pending) {
        deliver(w, &w->pending);
        w->has_pending = 0;
        if (w->stopped)
            return;   /* the visitor stopped: leaf is not visited */
    }
    w->pending = *leaf;
    w->pending_kind = kind;
    w->has_pending = 1;
}

#if defined(__GNUC__) || defined(__clang__)
__attribute__((always_inline))
#endif
static inline void emit_leaf(walk_state *w, pmm_kdump_leaf *leaf, int runs)
{
    if (runs) {
        gather_run(w, leaf);
        return;
    }
    w->resume = leaf->va + leaf->size;
    if (w->visit(w->ctx, leaf))
        w->stopped = 1;
}

/* The table's entries in place in the file mapping, or NULL (the file is not mapped, or the dump
 * does not hold the table's page): then each entry is read on its own. */
static const uint8_t *table_in_place(walk_state *w, uint64_t table)
{
    const uint8_t *page = pmm_kdump_physical_page(w->dump, table / PMM_KDUMP_PAGE_SIZE);
    return page ? page + table % PMM_KDUMP_PAGE_SIZE : NULL;
}

static void walk_leaves(walk_state *w, uint64_t table, uint32_t level, uint64_t base, uint64_t allowed,
                        uint64_t no_execute);
static void walk_runs(walk_state *w, uint64_t table, uint32_t level, uint64_t base, uint64_t allowed,
                      uint64_t no_execute);

/* One table's entries; runs is a constant in each of the two walks below, which the compiler makes
 * two loops of: the leaf-by-leaf walk pays nothing for runs. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((always_inline))
#endif
static inline void walk_table(walk_state *w, uint64_t table, uint32_t level, uint64_t base, uint64_t allowed,
                              uint64_t no_execute, const int runs)
{
    const paging_mode *m = w->m;
    const uint8_t *entries = table_in_place(w, table);
    uint64_t span = entry_span(m, level);
    uint32_t first = 0, count = entry_count(m, level);
    if (w->start > base)
        first = level == m->levels ? index_at(m, w->start, level) : (uint32_t)((w->start - base) / span);
    for (uint32_t i = first; i < count && !w->stopped; i++) {
        uint64_t va = canonical(m, base + (uint64_t)i * span);
        if (past_end(w, va)) {
            w->stopped = 1;
            w->resume = w->end;
            return;
        }
        if (w->budget == 0) {
            w->stopped = w->out_of_budget = 1;
            w->resume = va;
            return;
        }
        if (w->budget != UINT64_MAX)
            w->budget--;
        pmm_kdump_leaf leaf;
        memset(&leaf, 0, sizeof leaf);
        leaf.va = va;
        leaf.size = span;
        uint64_t e;
        if (entries)
            e = kd_pointer_at(entries + (size_t)i * m->entry_size, m->entry_size);
        else if (!read_entry(w->dump, table + (uint64_t)i * m->entry_size, m->entry_size, &e)) {
            leaf.status = PMM_KDUMP_VA_TABLE_NOT_IN_DUMP;
            emit_leaf(w, &leaf, runs);
            /* The rest of this table is not in the dump either: one leaf says so for all of it. */
            leaf.va = canonical(m, va + span);
            leaf.size = (uint64_t)(count - i - 1) * span;
            if (leaf.size && !w->stopped && !past_end(w, leaf.va))
                emit_leaf(w, &leaf, runs);
            return;
        }
        if (e == 0)
            continue;
        int pdpt_of_pae = m->levels == 3 && level == 3;
        if (e & PTE_VALID) {
            uint64_t level_allowed = pdpt_of_pae ? allowed : allowed & e;
            uint64_t level_nx = pdpt_of_pae ? no_execute : no_execute | (e & PTE_NO_EXECUTE);
            int large = level > 1 && (e & PTE_LARGE) && !pdpt_of_pae && !(m->levels == 4 && level == 4);
            if (!large && level > 1) {
                (runs ? walk_runs : walk_leaves)(w, e & m->pfn_mask, level - 1, va, level_allowed, level_nx);
                continue;
            }
            leaf.status = PMM_KDUMP_VA_PRESENT;
            leaf.writable = (level_allowed & PTE_WRITE) != 0;
            leaf.user = (level_allowed & PTE_USER) != 0;
            leaf.executable = !(m->has_no_execute && level_nx);
            leaf.physical = m->entry_size == 4 && large ? e & 0xFFC00000ull : e & m->pfn_mask & ~(span - 1);
        } else {
            pmm_kdump_translation t;
            uint64_t next = 0;
            memset(&t, 0, sizeof t);
            if (decode_invalid(m, e, &t, &next) && level > 1) {
                (runs ? walk_runs : walk_leaves)(w, next, level - 1, va, allowed, no_execute);   /* a table in transition */
                continue;
            }
            leaf.status = t.status;
            leaf.software_protection = t.software_protection;
            leaf.physical = t.status == PMM_KDUMP_VA_TRANSITION ? next : 0;
        }
        if ((leaf.status == PMM_KDUMP_VA_PRESENT || leaf.status == PMM_KDUMP_VA_TRANSITION) && !runs)
            leaf.page_in_dump = (uint32_t)page_held(w->dump, leaf.physical);
        emit_leaf(w, &leaf, runs);
    }
}

static void walk_leaves(walk_state *w, uint64_t table, uint32_t level, uint64_t base, uint64_t allowed,
                        uint64_t no_execute)
{
    walk_table(w, table, level, base, allowed, no_execute, 0);
}

static void walk_runs(walk_state *w, uint64_t table, uint32_t level, uint64_t base, uint64_t allowed,
                      uint64_t no_execute)
{
    walk_table(w, table, level, base, allowed, no_execute, 1);
}

static pmm_status walk(pmm_kdump *dump, uint64_t dtb, uint64_t start, uint64_t end, uint64_t max_entries,
                       int (*visit)(void *ctx, const pmm_kdump_leaf *leaf), void *ctx, uint64_t *resume, int runs)
{
    walk_state w;
    memset(&w, 0, sizeof w);
    w.dump = dump;
    w.m = mode_of(dump);
    if (!w.m)
        return PMM_ERR_UNSUPPORTED;
    w.end = end;
    w.budget = max_entries ? max_entries : UINT64_MAX;
    w.visit = visit;
    w.ctx = ctx;
    w.resume = end;
    if (!va_in_range(w.m, start))   /* the x64 hole: go on at the kernel half */
        start = w.m->levels == 4 && start < 0xFFFF800000000000ull ? 0xFFFF800000000000ull : end;
    w.start = start;
    if (!past_end(&w, start) && (w.m->levels == 4 || start <= 0xFFFFFFFFull))
        (runs ? walk_runs : walk_leaves)(&w, table_of(w.m, dtb ? dtb : dump->header.directory_table_base),
                                         w.m->levels, 0, PTE_WRITE | PTE_USER, 0);
    if (w.has_pending && !w.visitor_stopped) {   /* the last run: read before the walk ended or stopped */
        uint64_t where = w.resume;
        int stopped = w.stopped;
        deliver(&w, &w.pending);
        if (!w.visitor_stopped)
            w.resume = where, w.stopped = stopped;
    }
    if (resume)
        *resume = w.stopped ? w.resume : end;
    return w.out_of_budget ? PMM_ERR_LIMIT : PMM_OK;
}

pmm_status pmm_kdump_walk(pmm_kdump *dump, uint64_t dtb, uint64_t start, uint64_t end, uint64_t max_entries,
                          int (*visit)(void *ctx, const pmm_kdump_leaf *leaf), void *ctx, uint64_t *resume)
{
    return walk(dump, dtb, start, end, max_entries, visit, ctx, resume, 0);
}

pmm_status pmm_kdump_walk_runs(pmm_kdump *dump, uint64_t dtb, uint64_t start, uint64_t end, uint64_t max_entries,
                               int (*visit)(void *ctx, const pmm_kdump_leaf *leaf), void *ctx, uint64_t *resume)
{
    return walk(dump, dtb, start, end, max_entries, visit, ctx, resume, 1);
}
