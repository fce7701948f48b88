/* The kernel dump builder (see kdump_builder.h). Layouts written here, from WinDbg's SDK names:
 * DUMP_HEADER64 / DUMP_HEADER32 (0x2000 / 0x1000 bytes, filled with "PAGE" first, as Windows does),
 * PHYSICAL_MEMORY_DESCRIPTOR for Full dumps, SUMMARY_DUMP (32-bit fields), BITMAP_DUMP (64-bit
 * fields) and the RDMP header with page-frame ranges. */
#include "kdump_builder.h"

#include <stdlib.h>
#include <string.h>

#define CLUSTER_PAGES 64u
#define CLUSTER_STRIDE 0x130u    /* frames between cluster starts: gaps between runs */
#define FIRST_CLUSTER 0x2100u

typedef struct stored_page {
    uint64_t pfn;
    uint8_t *data;
    int omitted;
} stored_page;

struct kdb {
    uint32_t paging;
    kdb_facts facts;
    uint64_t dtb;               /* the kernel's page tables: the header's DirectoryTableBase */
    uint64_t space;             /* the page tables mappings go to (kdb_use_space) */
    stored_page *slots;         /* open addressing by pfn */
    size_t slot_count, used;
    uint64_t (*synthetic)[2];   /* first pfn, count */
    size_t synthetic_count, synthetic_cap;
    uint64_t next_index;        /* pages handed out by kdb_new_page */
};

static void *xalloc(size_t size)
{
    void *p = calloc(1, size ? size : 1);
    if (!p)
        abort();
    return p;
}

/* ---- stored pages ----------------------------------------------------------------------------- */

static size_t slot_of(const kdb *b, uint64_t pfn)
{
    size_t mask = b->slot_count - 1, i = (size_t)(pfn * 0x9E3779B97F4A7C15ull >> 20) & mask;
    while (b->slots[i].data && b->slots[i].pfn != pfn)
        i = (i + 1) & mask;
    return i;
}

static void grow_slots(kdb *b)
{
    stored_page *old = b->slots;
    size_t old_count = b->slot_count;
    b->slot_count = old_count ? old_count * 2 : 1024;
    b->slots = xalloc(b->slot_count * sizeof *b->slots);
    for (size_t i = 0; i < old_count; i++)
        if (old[i].data)
            b->slots[slot_of(b, old[i].pfn)] = old[i];
    free(old);
}

int kdb_has_page(const kdb *b, uint64_t pfn)
{
    return b->slot_count && b->slots[slot_of(b, pfn)].data != NULL;
}

uint8_t *kdb_page(kdb *b, uint64_t pfn)
{
    if (b->used * 2 >= b->slot_count)
        grow_slots(b);
    stored_page *s = &b->slots[slot_of(b, pfn)];
    if (!s->data) {
        s->pfn = pfn;
        s->data = xalloc(KDB_PAGE);
        b->used++;
    }
    return s->data;
}

uint64_t kdb_new_page(kdb *b)
{
    uint64_t i = b->next_index++;
    /* Backwards inside a cluster: consecutive pages of a mapping are not consecutive frames, and a
     * cluster still being filled stays one run. */
    uint64_t cluster = i / CLUSTER_PAGES, within = CLUSTER_PAGES - 1 - i % CLUSTER_PAGES;
    uint64_t pfn = FIRST_CLUSTER + cluster * CLUSTER_STRIDE + within;
    if (b->paging == KDB_X86 && pfn >= 0x100000)
        abort();   /* x86 without PAE addresses 4 GiB */
    kdb_page(b, pfn);
    return pfn;
}

void kdb_omit(kdb *b, uint64_t pfn)
{
    if (kdb_has_page(b, pfn))
        b->slots[slot_of(b, pfn)].omitted = 1;
}

void kdb_add_synthetic(kdb *b, uint64_t first_pfn, uint64_t count)
{
    if (b->synthetic_count == b->synthetic_cap) {
        b->synthetic_cap = b->synthetic_cap ? b->synthetic_cap * 2 : 16;
        b->synthetic = realloc(b->synthetic, b->synthetic_cap * sizeof *b->synthetic);
        if (!b->synthetic)
            abort();
    }
    b->synthetic[b->synthetic_count][0] = first_pfn;
    b->synthetic[b->synthetic_count][1] = count;
    b->synthetic_count++;
}

void kdb_synthetic_page(uint64_t pfn, uint8_t out[KDB_PAGE])
{
    uint64_t x = pfn * 0x9E3779B97F4A7C15ull + 1;
    for (size_t i = 0; i < KDB_PAGE; i += 8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        memcpy(out + i, &x, 8);
    }
}

/* ---- machine ---------------------------------------------------------------------------------- */

static uint32_t levels_of(const kdb *b)
{
    return b->paging == KDB_X64 ? 4 : b->paging == KDB_PAE ? 3 : 2;
}

static uint32_t entry_size(const kdb *b)
{
    return b->paging == KDB_X86 ? 4 : 8;
}

static uint32_t index_at(const kdb *b, uint64_t va, uint32_t level)
{
    if (b->paging == KDB_X86)
        return (uint32_t)(va >> (level == 2 ? 22 : 12)) & 0x3FF;
    uint32_t index = (uint32_t)(va >> (12 + 9 * (level - 1))) & 0x1FF;
    return b->paging == KDB_PAE && level == 3 ? index & 3 : index;
}

static uint64_t get_entry(kdb *b, uint64_t table_pa, uint32_t index)
{
    uint8_t *page = kdb_page(b, table_pa / KDB_PAGE);
    uint64_t v = 0;
    memcpy(&v, page + (table_pa % KDB_PAGE) + (size_t)index * entry_size(b), entry_size(b));
    return v;
}

static void put_entry(kdb *b, uint64_t table_pa, uint32_t index, uint64_t value)
{
    uint8_t *page = kdb_page(b, table_pa / KDB_PAGE);
    memcpy(page + (table_pa % KDB_PAGE) + (size_t)index * entry_size(b), &value, entry_size(b));
}

static uint64_t frame_of(const kdb *b, uint64_t entry)
{
    return b->paging == KDB_X86 ? entry & 0xFFFFF000ull : entry & 0x000FFFFFFFFFF000ull;
}

/* The table that holds va's entry at level, creating the tables above it. */
static uint64_t table_for(kdb *b, uint64_t va, uint32_t level)
{
    uint64_t table = b->paging == KDB_PAE ? b->space & ~0x1Full : b->space & ~0xFFFull;
    for (uint32_t l = levels_of(b); l > level; l--) {
        uint32_t i = index_at(b, va, l);
        uint64_t e = get_entry(b, table, i);
        if (!(e & KDB_PRESENT)) {
            uint64_t fresh = kdb_new_page(b) * KDB_PAGE;
            /* PAE's PDPT entries take the present bit alone; other levels allow everything and let
             * the leaf decide. */
            e = fresh | KDB_PRESENT | (b->paging == KDB_PAE && l == 3 ? 0 : KDB_WRITE | KDB_USER);
            put_entry(b, table, i, e);
        }
        table = frame_of(b, e);
    }
    return table;
}

kdb *kdb_new(uint32_t paging)
{
    kdb *b = xalloc(sizeof *b);
    b->paging = paging;
    uint64_t top = kdb_new_page(b) * KDB_PAGE;
    if (paging == KDB_PAE)
        top += 0x40;   /* a PDPT is 32 bytes, 32-byte aligned; CR3 need not be page-aligned */
    b->dtb = b->space = top;
    if (paging == KDB_X64)
        put_entry(b, top, 0x1ED, top | KDB_PRESENT | KDB_WRITE | KDB_NX);
    kdb_facts *f = &b->facts;
    f->major_version = 0xF;
    f->build = paging == KDB_X64 ? 19041 : 7601;
    f->processors = 2;
    return b;
}

void kdb_free(kdb *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->slot_count; i++)
        free(b->slots[i].data);
    free(b->slots);
    free(b->synthetic);
    free(b);
}

/* The top-level entries that map kernel space: x64 PML4 256..511, PAE PDPT 2..3, x86 PD 512..1023. */
static void kernel_half(const kdb *b, uint32_t *first, uint32_t *count)
{
    *first = b->paging == KDB_X64 ? 256 : b->paging == KDB_PAE ? 2 : 512;
    *count = b->paging == KDB_X64 ? 256 : b->paging == KDB_PAE ? 2 : 512;
}

uint64_t kdb_new_space(kdb *b)
{
    uint64_t top = kdb_new_page(b) * KDB_PAGE + (b->paging == KDB_PAE ? 0x40 : 0);
    uint64_t kernel = b->paging == KDB_PAE ? b->dtb & ~0x1Full : b->dtb & ~0xFFFull;
    uint32_t first, count;
    kernel_half(b, &first, &count);
    for (uint32_t i = first; i < first + count; i++)
        put_entry(b, top, i, get_entry(b, kernel, i));
    if (b->paging == KDB_X64)
        put_entry(b, top, 0x1ED, top | KDB_PRESENT | KDB_WRITE | KDB_NX);
    return top;
}

void kdb_use_space(kdb *b, uint64_t dtb)
{
    b->space = dtb ? dtb : b->dtb;
}

kdb_facts *kdb_facts_of(kdb *b)
{
    return &b->facts;
}

uint64_t kdb_dtb(const kdb *b)
{
    return b->dtb;
}

uint32_t kdb_paging_of(const kdb *b)
{
    return b->paging;
}

static uint32_t level_of_size(const kdb *b, uint64_t page_size)
{
    if (page_size == KDB_PAGE)
        return 1;
    if (page_size == 0x40000000 && b->paging == KDB_X64)
        return 3;
    if ((page_size == 0x200000 && b->paging != KDB_X86) || (page_size == 0x400000 && b->paging == KDB_X86))
        return 2;
    abort();
}

uint64_t kdb_table_of(kdb *b, uint64_t va, uint32_t level)
{
    return table_for(b, va, level);
}

void kdb_set_entry(kdb *b, uint64_t va, uint32_t level, uint64_t entry)
{
    put_entry(b, table_for(b, va, level), index_at(b, va, level), entry);
}

void kdb_map(kdb *b, uint64_t va, uint64_t pa, uint64_t page_size, uint64_t flags)
{
    uint32_t level = level_of_size(b, page_size);
    kdb_set_entry(b, va, level, pa | flags | (level > 1 ? KDB_LARGE : 0));
}

void kdb_set_pte(kdb *b, uint64_t va, uint64_t entry)
{
    kdb_set_entry(b, va, 1, entry);
}

void kdb_map_new(kdb *b, uint64_t va, size_t len, uint64_t flags)
{
    for (uint64_t at = va; at < va + len; at += KDB_PAGE)
        kdb_map(b, at, kdb_new_page(b) * KDB_PAGE, KDB_PAGE, flags);
}

uint64_t kdb_physical_of(kdb *b, uint64_t va)
{
    uint64_t table = b->paging == KDB_PAE ? b->space & ~0x1Full : b->space & ~0xFFFull;
    for (uint32_t l = levels_of(b); l >= 1; l--) {
        uint64_t e = get_entry(b, table, index_at(b, va, l));
        if (!(e & KDB_PRESENT))
            return 0;
        int pdpt_of_pae = b->paging == KDB_PAE && l == 3;
        if (l == 1 || ((e & KDB_LARGE) && !pdpt_of_pae && l < 4)) {
            uint64_t size = l == 1 ? KDB_PAGE : b->paging == KDB_X86 ? 0x400000 : l == 3 ? 0x40000000 : 0x200000;
            return (frame_of(b, e) & ~(size - 1)) + (va & (size - 1));
        }
        table = frame_of(b, e);
    }
    return 0;
}

void kdb_write_virtual(kdb *b, uint64_t va, const void *data, size_t len)
{
    const uint8_t *from = data;
    while (len > 0) {
        uint64_t pa = kdb_physical_of(b, va);
        size_t in_page = KDB_PAGE - (size_t)(va % KDB_PAGE), n = len < in_page ? len : in_page;
        if (!pa)
            abort();
        memcpy(kdb_page(b, pa / KDB_PAGE) + pa % KDB_PAGE, from, n);
        va += n;
        from += n;
        len -= n;
    }
}

/* ---- the present pages, as runs ---------------------------------------------------------------- */

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int compare_run(const void *a, const void *b)
{
    return compare_u64(a, b);
}

typedef struct run_table {
    uint64_t (*runs)[2];
    size_t count;
} run_table;

/* Stored pages that are not omitted, and synthetic runs, merged into ascending runs. */
static run_table present_runs(kdb *b)
{
    uint64_t *pfns = xalloc((b->used + 1) * sizeof *pfns);
    size_t n = 0;
    for (size_t i = 0; i < b->slot_count; i++)
        if (b->slots[i].data && !b->slots[i].omitted)
            pfns[n++] = b->slots[i].pfn;
    qsort(pfns, n, sizeof *pfns, compare_u64);
    run_table t;
    t.runs = xalloc((n + b->synthetic_count + 1) * sizeof *t.runs);
    t.count = 0;
    for (size_t i = 0; i < n; i++) {
        if (t.count && t.runs[t.count - 1][0] + t.runs[t.count - 1][1] == pfns[i]) {
            t.runs[t.count - 1][1]++;
            continue;
        }
        t.runs[t.count][0] = pfns[i];
        t.runs[t.count][1] = 1;
        t.count++;
    }
    free(pfns);
    for (size_t i = 0; i < b->synthetic_count; i++) {
        t.runs[t.count][0] = b->synthetic[i][0];
        t.runs[t.count][1] = b->synthetic[i][1];
        t.count++;
    }
    qsort(t.runs, t.count, sizeof *t.runs, compare_run);
    /* Adjacent runs (a synthetic run right after stored pages) are one run. */
    size_t merged = 0;
    for (size_t i = 0; i < t.count; i++) {
        if (merged && t.runs[merged - 1][0] + t.runs[merged - 1][1] == t.runs[i][0]) {
            t.runs[merged - 1][1] += t.runs[i][1];
            continue;
        }
        t.runs[merged][0] = t.runs[i][0];
        t.runs[merged][1] = t.runs[i][1];
        merged++;
    }
    t.count = merged;
    return t;
}

uint64_t kdb_present_count(kdb *b)
{
    run_table t = present_runs(b);
    uint64_t total = 0;
    for (size_t i = 0; i < t.count; i++)
        total += t.runs[i][1];
    free(t.runs);
    return total;
}

size_t kdb_present_runs(kdb *b, uint64_t (*runs)[2], size_t cap)
{
    run_table t = present_runs(b);
    size_t n = t.count < cap ? t.count : cap;
    if (n)
        memcpy(runs, t.runs, n * sizeof *runs);
    free(t.runs);
    return t.count;
}

/* ---- writing ---------------------------------------------------------------------------------- */

static void put16(uint8_t *p, uint16_t v)
{
    memcpy(p, &v, 2);
}

static void put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
    memcpy(p, &v, 8);
}

static void put_pointer(uint8_t *p, uint64_t v, int wide)
{
    if (wide)
        put64(p, v);
    else
        put32(p, (uint32_t)v);
}

static void write_context64(uint8_t *c, const kdb_facts *f)
{
    put32(c + 0x30, f->context_flags);
    put32(c + 0x34, f->mxcsr);
    put16(c + 0x38, f->cs), put16(c + 0x3A, f->ds), put16(c + 0x3C, f->es);
    put16(c + 0x3E, f->fs), put16(c + 0x40, f->gs), put16(c + 0x42, f->ss);
    put32(c + 0x44, f->eflags);
    for (int i = 0; i < 6; i++)
        put64(c + 0x48 + 8 * i, f->dr[i]);
    for (int i = 0; i < 16; i++)
        put64(c + 0x78 + 8 * i, f->gpr[i]);
    put64(c + 0xF8, f->ip);
    put16(c + 0x100, 0x27F);          /* FPU control word */
    put32(c + 0x118, f->mxcsr);       /* XMM_SAVE_AREA32.MxCsr repeats it */
    for (int i = 0; i < 16; i++)
        memcpy(c + 0x1A0 + 16 * i, f->xmm[i], 16);
}

static void write_context32(uint8_t *c, const kdb_facts *f)
{
    static const uint16_t gpr_at[8] = {0xB0, 0xAC, 0xA8, 0xA4, 0xC4, 0xB4, 0xA0, 0x9C};
    put32(c, f->context_flags);
    for (int i = 0; i < 6; i++)
        put32(c + 4 + 4 * i, (uint32_t)f->dr[i]);
    put32(c + 0x1C, 0x27F);
    put32(c + 0x8C, f->gs), put32(c + 0x90, f->fs), put32(c + 0x94, f->es), put32(c + 0x98, f->ds);
    for (int i = 0; i < 8; i++)
        put32(c + gpr_at[i], (uint32_t)f->gpr[i]);
    put32(c + 0xB8, (uint32_t)f->ip);
    put32(c + 0xBC, f->cs);
    put32(c + 0xC0, f->eflags);
    put32(c + 0xC8, f->ss);
    put32(c + 0xCC + 0x18, f->mxcsr);
    for (int i = 0; i < 8; i++)
        memcpy(c + 0xCC + 0xA0 + 16 * i, f->xmm[i], 16);
}

static void write_exception(uint8_t *e, const kdb_facts *f, int wide)
{
    uint32_t ps = wide ? 8 : 4;
    put32(e, f->exception_code);
    put32(e + 4, f->exception_flags);
    put_pointer(e + 8, f->exception_record, wide);
    put_pointer(e + 8 + ps, f->exception_address, wide);
    put32(e + 8 + 2 * ps, f->exception_parameter_count);
    for (uint32_t i = 0; i < 15; i++)
        put_pointer(e + (wide ? 0x20 : 0x14) + i * ps, f->exception_parameters[i], wide);
}

/* The header page, with the Full dump's run descriptor when runs is not NULL. */
static uint8_t *build_header(kdb *b, uint32_t dump_type, const run_table *runs, uint64_t present)
{
    int wide = b->paging == KDB_X64;
    size_t size = wide ? 0x2000 : 0x1000;
    uint8_t *h = xalloc(size);
    for (size_t i = 0; i < size; i += 4)
        memcpy(h + i, "PAGE", 4);
    const kdb_facts *f = &b->facts;
    memcpy(h, "PAGE", 4);
    memcpy(h + 4, wide ? "DU64" : "DUMP", 4);
    put32(h + 8, f->major_version);
    put32(h + 12, f->build);
    uint32_t p = wide ? 8 : 4;
    put_pointer(h + 0x10, b->dtb, wide);
    put_pointer(h + 0x10 + p, f->pfn_database, wide);
    put_pointer(h + 0x10 + 2 * p, f->ps_loaded_module_list, wide);
    put_pointer(h + 0x10 + 3 * p, f->ps_active_process_head, wide);
    uint32_t machine_at = wide ? 0x30 : 0x20;
    put32(h + machine_at, wide ? 0x8664 : 0x14C);
    put32(h + machine_at + 4, f->processors);
    put32(h + machine_at + 8, f->bugcheck_code);
    if (wide)
        put32(h + 0x3C, 0);
    for (int i = 0; i < 4; i++)
        put_pointer(h + (wide ? 0x40 : 0x2C) + (uint32_t)i * p, f->bugcheck_parameters[i], wide);
    memset(h + (wide ? 0x60 : 0x3C), 0, 32);   /* VersionUser */
    if (!wide) {
        h[0x5C] = b->paging == KDB_PAE;
        h[0x5D] = 0x41, h[0x5E] = 0, h[0x5F] = 0;
    }
    put_pointer(h + (wide ? 0x80 : 0x60), f->kd_debugger_data_block, wide);
    if (runs) {
        uint8_t *d = h + (wide ? 0x88 : 0x64);
        put32(d, (uint32_t)runs->count);
        if (wide) {
            put32(d + 4, 0);
            put64(d + 8, present);
        } else {
            put32(d + 4, (uint32_t)present);
        }
        for (size_t i = 0; i < runs->count; i++) {
            uint8_t *r = d + (wide ? 16 + 16 * i : 8 + 8 * i);
            put_pointer(r, runs->runs[i][0], wide);
            put_pointer(r + p, runs->runs[i][1], wide);
        }
    }
    uint8_t *context = h + (wide ? 0x348 : 0x320);
    memset(context, 0, wide ? 3000 : 1200);
    if (wide)
        write_context64(context, f);
    else
        write_context32(context, f);
    uint8_t *exception = h + (wide ? 0xF00 : 0x7D0);
    memset(exception, 0, wide ? 0x98 : 0x50);
    write_exception(exception, f, wide);
    put64(h + 0xFA0, 0);   /* RequiredDumpSpace */
    uint32_t comment_at = wide ? 0xFB0 : 0x820;
    memset(h + comment_at, 0, 128);
    memcpy(h + comment_at, f->comment, strnlen(f->comment, 127));
    if (wide) {
        put32(h + 0xF98, dump_type);
        put32(h + 0xF9C, 0);
        put64(h + 0xFA8, f->system_time);
        put64(h + 0x1030, f->system_uptime);
        put32(h + 0x1040, 1), put32(h + 0x1044, 0x110);   /* VER_NT_WORKSTATION, suite */
    } else {
        put32(h + 0xF88, dump_type);
        put64(h + 0xFB8, f->system_uptime);
        put64(h + 0xFC0, f->system_time);
        put32(h + 0xF94, 1), put32(h + 0xF98, 0x110);
    }
    return h;
}

static int emit(kdb_sink sink, const void *data, size_t len)
{
    return sink.write(sink.ctx, data, len);
}

static int emit_zeros(kdb_sink sink, size_t len)
{
    static const uint8_t zeros[KDB_PAGE];
    while (len > 0) {
        size_t n = len < sizeof zeros ? len : sizeof zeros;
        if (emit(sink, zeros, n) != 0)
            return -1;
        len -= n;
    }
    return 0;
}

static int emit_pages(kdb *b, const run_table *t, kdb_sink sink)
{
    uint8_t scratch[KDB_PAGE];
    for (size_t i = 0; i < t->count; i++)
        for (uint64_t pfn = t->runs[i][0]; pfn < t->runs[i][0] + t->runs[i][1]; pfn++) {
            const uint8_t *data;
            if (kdb_has_page(b, pfn)) {
                data = b->slots[slot_of(b, pfn)].data;
            } else {
                kdb_synthetic_page(pfn, scratch);
                data = scratch;
            }
            if (emit(sink, data, KDB_PAGE) != 0)
                return -1;
        }
    return 0;
}

static uint64_t round_up_page(uint64_t v)
{
    return (v + KDB_PAGE - 1) & ~(uint64_t)(KDB_PAGE - 1);
}

/* A bitmap of the present pages, one bit per frame up to the highest, a multiple of 8 bits. */
static uint8_t *build_bitmap(const run_table *t, uint64_t *bits)
{
    uint64_t highest = t->count ? t->runs[t->count - 1][0] + t->runs[t->count - 1][1] : 0;
    *bits = (highest + 63) & ~63ull;
    uint8_t *bitmap = xalloc((size_t)(*bits / 8));
    for (size_t i = 0; i < t->count; i++)
        for (uint64_t pfn = t->runs[i][0]; pfn < t->runs[i][0] + t->runs[i][1]; pfn++)
            bitmap[pfn / 8] |= (uint8_t)(1u << (pfn % 8));
    return bitmap;
}

static int write_bitmap_dump(kdb *b, uint32_t dump_type, const run_table *t, uint64_t present, kdb_sink sink)
{
    int wide = b->paging == KDB_X64, summary = dump_type == 2;
    uint64_t bits;
    uint8_t *bitmap = build_bitmap(t, &bits);
    uint64_t header_size = wide ? 0x2000 : 0x1000, fields = summary ? 0x20 : 0x38;
    uint64_t first_page = round_up_page(header_size + fields + bits / 8);
    uint8_t h[0x38];
    memset(h, 0, sizeof h);
    memcpy(h, dump_type == 6 ? "FDMP" : "SDMP", 4);
    memcpy(h + 4, "DUMP", 4);
    if (summary) {
        put32(h + 0x0C, (uint32_t)first_page);
        put32(h + 0x10, (uint32_t)bits);
        put32(h + 0x14, (uint32_t)present);
        put32(h + 0x18, (uint32_t)bits);
    } else {
        put64(h + 0x20, first_page);
        put64(h + 0x28, present);
        put64(h + 0x30, bits);
    }
    uint8_t *header = build_header(b, dump_type, NULL, present);
    int rc = emit(sink, header, (size_t)header_size) || emit(sink, h, (size_t)fields) ||
             emit(sink, bitmap, (size_t)(bits / 8)) ||
             emit_zeros(sink, (size_t)(first_page - header_size - fields - bits / 8)) || emit_pages(b, t, sink);
    free(header);
    free(bitmap);
    return rc ? -1 : 0;
}

static int write_rdmp_dump(kdb *b, uint32_t dump_type, const run_table *t, uint64_t present, kdb_sink sink)
{
    /* Ranges at 0x2030, then a zero range (the end of the list for KernelMemory dumps), padded so
     * that the first page, at 0x2020 + MetadataSize, starts a page. */
    uint64_t ranges_end = 0x2030 + 16 * (t->count + 1);
    uint64_t first_page = round_up_page(ranges_end);
    uint64_t metadata = first_page - 0x2020;
    size_t size = (size_t)(first_page - 0x2000);
    uint8_t *r = xalloc(size);
    put32(r, 0x40);
    memcpy(r + 4, "RDMP", 4);
    memcpy(r + 8, "DUMP", 4);
    put64(r + 0x10, metadata);
    put64(r + 0x18, first_page);
    if (dump_type == 0xA) {
        put32(r + 0x20, (uint32_t)t->count);
        put64(r + 0x28, present);
    }
    for (size_t i = 0; i < t->count; i++) {
        put64(r + 0x30 + 16 * i, t->runs[i][0]);
        put64(r + 0x38 + 16 * i, t->runs[i][1]);
    }
    uint8_t *header = build_header(b, dump_type, NULL, present);
    int rc = emit(sink, header, 0x2000) || emit(sink, r, size) || emit_pages(b, t, sink);
    free(header);
    free(r);
    return rc ? -1 : 0;
}

static int write_full_dump(kdb *b, const run_table *t, uint64_t present, kdb_sink sink)
{
    int wide = b->paging == KDB_X64;
    if (t->count > (wide ? 42u : 86u))
        return -1;
    uint8_t *header = build_header(b, 1, t, present);
    int rc = emit(sink, header, wide ? 0x2000 : 0x1000) || emit_pages(b, t, sink);
    free(header);
    return rc ? -1 : 0;
}

int kdb_write(kdb *b, uint32_t dump_type, kdb_sink sink)
{
    run_table t = present_runs(b);
    uint64_t present = 0;
    for (size_t i = 0; i < t.count; i++)
        present += t.runs[i][1];
    int rc = -1;
    int wide = b->paging == KDB_X64;
    if (dump_type == 1)
        rc = write_full_dump(b, &t, present, sink);
    else if (dump_type == 2 || (wide && (dump_type == 5 || dump_type == 6)))
        rc = write_bitmap_dump(b, dump_type, &t, present, sink);
    else if (wide && (dump_type == 8 || dump_type == 9 || dump_type == 0xA))
        rc = write_rdmp_dump(b, dump_type, &t, present, sink);
    free(t.runs);
    return rc;
}

/* ---- sinks ------------------------------------------------------------------------------------ */

static int file_write(void *ctx, const void *data, size_t len)
{
    return fwrite(data, 1, len, ctx) == len ? 0 : -1;
}

kdb_sink kdb_sink_file(FILE *file)
{
    kdb_sink s = {file_write, file};
    return s;
}

static int buffer_write(void *ctx, const void *data, size_t len)
{
    kdb_buffer *b = ctx;
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap : 1 << 16;
        while (cap < b->len + len)
            cap *= 2;
        uint8_t *grown = realloc(b->data, cap);
        if (!grown)
            return -1;
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    return 0;
}

kdb_sink kdb_sink_buffer(kdb_buffer *buffer)
{
    kdb_sink s = {buffer_write, buffer};
    return s;
}
