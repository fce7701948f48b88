/* Physical memory of a kernel dump: where each stored page is in the file. Three layouts:
 *  - runs in the header's PHYSICAL_MEMORY_DESCRIPTOR (Full dumps), pages right after the header;
 *  - "RDMP" page-frame ranges after the header (KernelMemory, KernelAndUserMemory, CompleteMemory);
 *  - a bitmap with one bit per page frame (Bitmap, LiveKernelBitmap: "SDMP"/"FDMP" BITMAP_DUMP with
 *    64-bit fields; kernel summary dumps: SUMMARY_DUMP with 32-bit fields), pages in bit order.
 * Runs are kept sorted with their file offsets (looked up from a chunk index, else by binary
 * search); a bitmap stays in the file, with population counts per block of KDUMP_BLOCK_BITS pages
 * and per word inside it kept in memory. */
#include <stdlib.h>
#include <string.h>
#include "kdump_internal.h"

/* PHYSICAL_MEMORY_DESCRIPTOR in the header: 700 bytes at 0x88 (64-bit) or 0x64 (32-bit). */
#define DESCRIPTOR_BYTES 700u
#define DESCRIPTOR64_AT 0x88u
#define DESCRIPTOR32_AT 0x64u
#define NOT_FILLED 0x45474150u   /* "PAGE": the header's filler, left where no descriptor was written */

/* BITMAP_DUMP (64-bit fields) and SUMMARY_DUMP (32-bit fields), right after the header. */
#define SIGNATURE_SDMP 0x504D4453u
#define SIGNATURE_FDMP 0x504D4446u
#define VALID_DUMP 0x504D5544u
#define BITMAP_DUMP_BITS_AT 0x38u
#define SUMMARY_DUMP_BITS_AT 0x20u

/* RDMP header (0x30 bytes) after the header, then 16-byte page-frame ranges. */
#define RDMP_MARKER 0x40u
#define SIGNATURE_RDMP 0x504D4452u
#define RDMP_RANGES_AT 0x30u
#define RDMP_RANGE_SIZE 16u

/* Over this many stored pages a file would exceed 2^64 bytes: a count that large is corrupt. */
#define MAX_PAGES (UINT64_MAX / PMM_KDUMP_PAGE_SIZE)
/* The chunk index of runs holds at most this many entries per run (or 65,536): memory follows the
 * run table, never the physical address space a hostile run may claim. */
#define CHUNKS_PER_RUN 64u
#define MIN_CHUNK_INDEX 65536u
/* Highest page frame number a bitmap may describe: 2^52 bytes of physical address space. */
#define MAX_BITMAP_PAGES (1ull << 40)

static int popcount64(uint64_t v)
{
#if defined(__GNUC__) && defined(__POPCNT__)
    return __builtin_popcountll(v);
#else   /* inline: without the instruction, gcc's builtin calls a table-driven libgcc function */
    v = v - ((v >> 1) & 0x5555555555555555ull);
    v = (v & 0x3333333333333333ull) + ((v >> 2) & 0x3333333333333333ull);
    v = (v + (v >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return (int)((v * 0x0101010101010101ull) >> 56);
#endif
}

/* 1 + the index of the highest set bit of a non-zero word. */
static uint64_t bit_length(uint64_t v)
{
#if defined(__GNUC__)
    return 64u - (uint64_t)__builtin_clzll(v);
#else
    uint64_t n = 0;
    while (v) {
        v >>= 1;
        n++;
    }
    return n;
#endif
}

/* ---- runs ------------------------------------------------------------------------------------- */

typedef struct run_list {
    pmm_kdump_run *items;
    size_t count, cap;
} run_list;

static pmm_status add_run(run_list *list, uint64_t first_page, uint64_t page_count, uint64_t file_offset)
{
    if (list->count == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 64;
        pmm_kdump_run *grown = realloc(list->items, cap * sizeof *grown);
        if (!grown)
            return PMM_ERR_NOMEM;
        list->items = grown;
        list->cap = cap;
    }
    list->items[list->count++] = (pmm_kdump_run){first_page, page_count, file_offset};
    return PMM_OK;
}

static int compare_runs(const void *a, const void *b)
{
    const pmm_kdump_run *x = a, *y = b;
    return x->first_page < y->first_page ? -1 : x->first_page > y->first_page;
}

/* run_by_chunk, when it stays small; a lookup without it is a binary search. */
static void build_chunk_index(kdump_physmap *p)
{
    uint64_t chunks = (p->highest_page + KDUMP_CHUNK_PAGES - 1) / KDUMP_CHUNK_PAGES + 1;
    uint64_t cap = (uint64_t)p->run_count * CHUNKS_PER_RUN;
    if (p->run_count == 0 || chunks > (cap > MIN_CHUNK_INDEX ? cap : MIN_CHUNK_INDEX) || p->run_count > UINT32_MAX)
        return;
    p->run_by_chunk = malloc((size_t)chunks * sizeof *p->run_by_chunk);
    if (!p->run_by_chunk)
        return;   /* a lookup then searches: slower, never wrong */
    size_t r = 0;
    for (uint64_t c = 0; c < chunks; c++) {
        uint64_t chunk_start = c * KDUMP_CHUNK_PAGES;
        while (r < p->run_count && p->runs[r].first_page + p->runs[r].page_count <= chunk_start)
            r++;
        p->run_by_chunk[c] = (uint32_t)r;
    }
    p->chunk_count = (size_t)chunks;
}

/* Takes the runs (file offsets already assigned in file order), sorts them by page and checks that
 * no two describe the same page and that every page lies inside the file. */
static pmm_status adopt_runs(pmm_kdump *dump, run_list *list, uint64_t data_start, uint64_t data_end, char *message,
                             size_t cap)
{
    kdump_physmap *p = &dump->phys;
    uint64_t file_size = pmm_input_file_size(dump->file);
    if (data_end > file_size) {
        free(list->items);
        return kd_fail(message, cap, PMM_ERR_FORMAT,
                       "the run table describes pages up to file offset 0x%llx, past the end of the file "
                       "(0x%llx bytes): truncated or corrupt",
                       (unsigned long long)data_end, (unsigned long long)file_size);
    }
    if (list->count > 1)
        qsort(list->items, list->count, sizeof *list->items, compare_runs);
    for (size_t i = 1; i < list->count; i++) {
        const pmm_kdump_run *a = &list->items[i - 1], *b = &list->items[i];
        if (b->first_page < a->first_page + a->page_count) {
            pmm_status st = kd_fail(message, cap, PMM_ERR_FORMAT,
                                    "overlapping runs: pages 0x%llx..0x%llx and 0x%llx..0x%llx both hold page 0x%llx",
                                    (unsigned long long)a->first_page,
                                    (unsigned long long)(a->first_page + a->page_count - 1),
                                    (unsigned long long)b->first_page,
                                    (unsigned long long)(b->first_page + b->page_count - 1),
                                    (unsigned long long)b->first_page);
            free(list->items);
            return st;
        }
    }
    p->storage = PMM_KDUMP_STORAGE_RUNS;
    p->runs = list->items;
    p->run_count = list->count;
    p->present_pages = 0;
    for (size_t i = 0; i < list->count; i++)
        p->present_pages += list->items[i].page_count;
    p->highest_page = list->count ? list->items[list->count - 1].first_page + list->items[list->count - 1].page_count : 0;
    p->first_page_offset = data_start;
    build_chunk_index(p);
    return PMM_OK;
}

/* A run of count pages from first_page, stored at *offset onwards; advances *offset. */
static pmm_status append_stored_run(run_list *list, uint64_t first_page, uint64_t count, uint64_t *offset,
                                    char *message, size_t cap)
{
    if (count == 0)
        return PMM_OK;
    if (count > MAX_PAGES || first_page > MAX_PAGES - count ||
        *offset > UINT64_MAX - count * PMM_KDUMP_PAGE_SIZE)
        return kd_fail(message, cap, PMM_ERR_FORMAT,
                       "a run of 0x%llx pages from page 0x%llx does not fit a 64-bit address or file offset",
                       (unsigned long long)count, (unsigned long long)first_page);
    pmm_status st = add_run(list, first_page, count, *offset);
    *offset += count * PMM_KDUMP_PAGE_SIZE;
    if (st == PMM_ERR_NOMEM)
        kd_fail(message, cap, st, "out of memory for the run table");
    return st;
}

/* Full dumps: PHYSICAL_MEMORY_DESCRIPTOR{32,64} inside the header; pages follow the header. */
static pmm_status load_descriptor_runs(pmm_kdump *dump, const uint8_t *page, char *message, size_t cap)
{
    int wide = dump->header.bits == 64;
    const uint8_t *d = page + (wide ? DESCRIPTOR64_AT : DESCRIPTOR32_AT);
    uint32_t run_size = wide ? 16 : 8, runs_at = wide ? 16 : 8;
    uint32_t run_count = kd_le32(d);
    uint64_t page_count = wide ? kd_le64(d + 8) : kd_le32(d + 4);
    uint32_t max_runs = (DESCRIPTOR_BYTES - runs_at) / run_size;
    if (run_count == NOT_FILLED)
        return kd_fail(message, cap, PMM_ERR_FORMAT,
                       "the header's physical memory descriptor was never filled in (it reads \"PAGE\")");
    if (run_count > max_runs)
        return kd_fail(message, cap, PMM_ERR_FORMAT,
                       "the header claims %u physical memory runs; its %u-byte descriptor holds at most %u",
                       run_count, DESCRIPTOR_BYTES, max_runs);
    run_list list = {0};
    uint64_t start = wide ? KDUMP_HEADER64_SIZE : KDUMP_HEADER32_SIZE, offset = start, total = 0;
    for (uint32_t i = 0; i < run_count; i++) {
        const uint8_t *r = d + runs_at + i * run_size;
        uint64_t base = wide ? kd_le64(r) : kd_le32(r), count = wide ? kd_le64(r + 8) : kd_le32(r + 4);
        pmm_status st = append_stored_run(&list, base, count, &offset, message, cap);
        if (st != PMM_OK) {
            free(list.items);
            return st;
        }
        total += count;
    }
    if (total != page_count)
        kd_warn(dump, "the physical memory descriptor says %llu pages but its runs hold %llu",
                (unsigned long long)page_count, (unsigned long long)total);
    return adopt_runs(dump, &list, start, offset, message, cap);
}

/* KernelMemory, KernelAndUserMemory, CompleteMemory: an RDMP header, then {page frame, count}
 * ranges up to the first stored page. A range with page frame 0 ends the list (as kdmp-parser and
 * WinDbg read it); CompleteMemory's list also ends once TotalNumberOfPages are described. */
static pmm_status load_rdmp_runs(pmm_kdump *dump, char *message, size_t cap)
{
    uint8_t h[RDMP_RANGES_AT];
    uint64_t at = KDUMP_HEADER64_SIZE;
    if (pmm_input_file_read(dump->file, at, h, sizeof h) != PMM_OK)
        return kd_fail(message, cap, PMM_ERR_FORMAT, "the file ends inside the RDMP header at 0x%llx: truncated",
                       (unsigned long long)at);
    uint64_t metadata_size = kd_le64(h + 0x10), first_page = kd_le64(h + 0x18);
    if (kd_le32(h) != RDMP_MARKER || kd_le32(h + 4) != SIGNATURE_RDMP || kd_le32(h + 8) != VALID_DUMP)
        return kd_fail(message, cap, PMM_ERR_FORMAT,
                       "dump type %u needs an RDMP header at 0x2000, and there is none (marker 0x%x, signature 0x%x)",
                       dump->header.dump_type, kd_le32(h), kd_le32(h + 4));
    /* The page ranges (and the 16 bytes before them) are the metadata; the pages follow it. */
    if (metadata_size > pmm_input_file_size(dump->file) || metadata_size < 0x10 || metadata_size % RDMP_RANGE_SIZE != 0 ||
        first_page != at + 0x20 + metadata_size)
        return kd_fail(message, cap, PMM_ERR_FORMAT,
                       "the RDMP header's metadata size 0x%llx and first page offset 0x%llx disagree (the pages "
                       "must start right after the metadata)",
                       (unsigned long long)metadata_size, (unsigned long long)first_page);
    if (first_page > pmm_input_file_size(dump->file))
        return kd_fail(message, cap, PMM_ERR_FORMAT,
                       "the RDMP page ranges end at 0x%llx, past the end of the file (0x%llx bytes): truncated",
                       (unsigned long long)first_page, (unsigned long long)pmm_input_file_size(dump->file));
    int complete = dump->header.dump_type == PMM_KDUMP_COMPLETE;
    uint64_t total_pages = kd_le64(h + 0x28), described = 0, offset = first_page;
    run_list list = {0};
    for (uint64_t r = at + RDMP_RANGES_AT; r + RDMP_RANGE_SIZE <= first_page; r += RDMP_RANGE_SIZE) {
        if (complete && described >= total_pages)
            break;
        uint8_t e[RDMP_RANGE_SIZE];
        pmm_status st = pmm_input_file_read(dump->file, r, e, sizeof e);
        uint64_t pfn = kd_le64(e), count = kd_le64(e + 8);
        if (st == PMM_OK && pfn == 0)
            break;
        if (st == PMM_OK)
            st = append_stored_run(&list, pfn, count, &offset, message, cap);
        if (st != PMM_OK) {
            free(list.items);
            return st == PMM_ERR_IO ? kd_fail(message, cap, st, "reading the RDMP page ranges failed") : st;
        }
        described += count;
    }
    if (complete && described != total_pages)
        kd_warn(dump, "the RDMP header says %llu pages but its ranges describe %llu",
                (unsigned long long)total_pages, (unsigned long long)described);
    return adopt_runs(dump, &list, first_page, offset, message, cap);
}

/* ---- bitmap ----------------------------------------------------------------------------------- */

/* The bitmap bytes of block b (zero past the bitmap's end; bits past bitmap_pages masked), from the
 * mapping or, when the file is not mapped, read into the one-block cache. NULL when unreadable. */
static const uint8_t *bitmap_block(pmm_kdump *dump, uint64_t b)
{
    kdump_physmap *p = &dump->phys;
    if (b < p->whole_blocks)
        return p->bitmap_view + b * KDUMP_BLOCK_BYTES;
    uint64_t first_bit = b * KDUMP_BLOCK_BITS;
    uint64_t bits = p->bitmap_pages - first_bit < KDUMP_BLOCK_BITS ? p->bitmap_pages - first_bit : KDUMP_BLOCK_BITS;
    uint64_t at = p->bitmap_offset + first_bit / 8;
    size_t bytes = (size_t)((bits + 7) / 8);
    if (bits == KDUMP_BLOCK_BITS) {
        const uint8_t *in_place = pmm_input_file_bytes(dump->file, at, bytes);
        if (in_place)
            return in_place;
    }
    if (p->block_cache_index == b)
        return p->block_cache;
    memset(p->block_cache, 0, sizeof p->block_cache);
    p->block_cache_index = UINT64_MAX;
    if (pmm_input_file_read(dump->file, at, p->block_cache, bytes) != PMM_OK)
        return NULL;
    if (bits % 8)
        p->block_cache[bytes - 1] &= (uint8_t)((1u << (bits % 8)) - 1);
    p->block_cache_index = b;
    return p->block_cache;
}

static uint64_t word_at(const uint8_t *block, size_t w)
{
    return kd_le64(block + 8 * w);
}

/* One block's words: each word's rank inside the block into ranks, the block's present pages
 * returned, runs of set bits added to *runs (carry: the previous word's top bit, to count runs
 * across words); *last_word and *last_at get the block's highest non-zero word and its index.
 * hw: count with the processor's instruction (a constant where this is inlined). */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((always_inline))
#endif
static inline uint64_t count_block(const uint8_t *block, uint16_t *ranks, uint64_t *runs, uint64_t *carry,
                                   uint64_t *last_word, size_t *last_at, int hw)
{
    uint64_t present = 0;
    for (size_t w = 0; w < KDUMP_BLOCK_WORDS; w++) {
        uint64_t word = word_at(block, w), starts = word & ~((word << 1) | *carry);
        ranks[w] = (uint16_t)present;
#if defined(__GNUC__) || defined(__clang__)
        present += (uint64_t)(hw ? __builtin_popcountll(word) : popcount64(word));
        *runs += (uint64_t)(hw ? __builtin_popcountll(starts) : popcount64(starts));
#else
        (void)hw;
        present += (uint64_t)popcount64(word);
        *runs += (uint64_t)popcount64(starts);
#endif
        *carry = word >> 63;
        if (word) {
            *last_word = word;
            *last_at = w;
        }
    }
    return present;
}

/* x86 processors with POPCNT (all since 2008) count a block with it; the build targets every x86. */
#if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__)) && !defined(__POPCNT__)
#define KDUMP_POPCNT_DISPATCH 1
__attribute__((target("popcnt"))) static uint64_t count_block_popcnt(const uint8_t *block, uint16_t *ranks,
                                                                    uint64_t *runs, uint64_t *carry,
                                                                    uint64_t *last_word, size_t *last_at)
{
    return count_block(block, ranks, runs, carry, last_word, last_at, 1);
}
#endif

static uint64_t count_block_plain(const uint8_t *block, uint16_t *ranks, uint64_t *runs, uint64_t *carry,
                                  uint64_t *last_word, size_t *last_at)
{
#if defined(__GNUC__) && defined(__POPCNT__)
    return count_block(block, ranks, runs, carry, last_word, last_at, 1);
#else
    return count_block(block, ranks, runs, carry, last_word, last_at, 0);
#endif
}

/* Counts the present pages block by block; every block must be readable. */
static pmm_status rank_blocks(pmm_kdump *dump, char *message, size_t cap)
{
    kdump_physmap *p = &dump->phys;
    p->block_count = (size_t)((p->bitmap_pages + KDUMP_BLOCK_BITS - 1) / KDUMP_BLOCK_BITS);
    p->block_rank = malloc((p->block_count + 1) * sizeof *p->block_rank);
    p->word_rank = malloc((p->block_count ? p->block_count : 1) * KDUMP_BLOCK_WORDS * sizeof *p->word_rank);
    if (!p->block_rank || !p->word_rank)
        return kd_fail(message, cap, PMM_ERR_NOMEM, "out of memory for the bitmap's %zu block counts",
                       p->block_count);
    uint64_t (*count)(const uint8_t *, uint16_t *, uint64_t *, uint64_t *, uint64_t *, size_t *) = count_block_plain;
#ifdef KDUMP_POPCNT_DISPATCH
    if (__builtin_cpu_supports("popcnt"))
        count = count_block_popcnt;
#endif
    uint64_t present = 0, carry = 0, runs = 0;
    uint64_t last_word = 0, last_at = 0;   /* the highest non-zero word and its first page */
    for (size_t b = 0; b < p->block_count; b++) {
        p->block_rank[b] = present;
        const uint8_t *block = bitmap_block(dump, b);
        if (!block)
            return kd_fail(message, cap, PMM_ERR_IO, "reading the page bitmap failed at block %zu", b);
        uint64_t block_last = 0;
        size_t block_last_at = 0;
        present += count(block, p->word_rank + b * KDUMP_BLOCK_WORDS, &runs, &carry, &block_last, &block_last_at);
        if (block_last) {
            last_word = block_last;
            last_at = b * KDUMP_BLOCK_BITS + block_last_at * 64;
        }
    }
    p->run_count += (size_t)runs;
    if (last_word)
        p->highest_page = last_at + bit_length(last_word);
    p->block_rank[p->block_count] = present;
    p->present_pages = present;
    return PMM_OK;
}

static pmm_status load_bitmap(pmm_kdump *dump, uint64_t bitmap_offset, uint64_t bitmap_pages, uint64_t first_page,
                              uint64_t stated_present, char *message, size_t cap)
{
    kdump_physmap *p = &dump->phys;
    uint64_t file_size = pmm_input_file_size(dump->file);
    if (bitmap_pages > MAX_BITMAP_PAGES)
        return kd_fail(message, cap, PMM_ERR_FORMAT,
                       "the bitmap claims to describe 0x%llx pages (more than 2^52 bytes of physical memory)",
                       (unsigned long long)bitmap_pages);
    uint64_t bitmap_end = bitmap_offset + (bitmap_pages + 7) / 8;
    if (bitmap_end > file_size)
        return kd_fail(message, cap, PMM_ERR_FORMAT,
                       "the page bitmap (0x%llx pages) ends at 0x%llx, past the end of the file (0x%llx bytes): "
                       "truncated or corrupt",
                       (unsigned long long)bitmap_pages, (unsigned long long)bitmap_end, (unsigned long long)file_size);
    if (first_page < bitmap_end)
        return kd_fail(message, cap, PMM_ERR_FORMAT,
                       "the first page (file offset 0x%llx) would lie inside the page bitmap, which ends at 0x%llx",
                       (unsigned long long)first_page, (unsigned long long)bitmap_end);
    p->storage = PMM_KDUMP_STORAGE_BITMAP;
    p->bitmap_offset = bitmap_offset;
    p->bitmap_pages = bitmap_pages;
    p->first_page_offset = first_page;
    p->block_cache_index = UINT64_MAX;
    uint64_t whole = bitmap_pages / KDUMP_BLOCK_BITS;
    if (whole <= SIZE_MAX / KDUMP_BLOCK_BYTES) {   /* lookups then read the mapping without a check per block */
        p->bitmap_view = pmm_input_file_bytes(dump->file, bitmap_offset, (size_t)whole * KDUMP_BLOCK_BYTES);
        p->whole_blocks = p->bitmap_view ? (size_t)whole : 0;
    }
    pmm_status st = rank_blocks(dump, message, cap);
    if (st != PMM_OK)
        return st;
    if (p->present_pages > (file_size - first_page) / PMM_KDUMP_PAGE_SIZE)
        return kd_fail(message, cap, PMM_ERR_FORMAT,
                       "the bitmap marks %llu pages present, but the file holds only %llu pages after the first "
                       "page offset 0x%llx: truncated",
                       (unsigned long long)p->present_pages,
                       (unsigned long long)((file_size - first_page) / PMM_KDUMP_PAGE_SIZE),
                       (unsigned long long)first_page);
    if (stated_present != p->present_pages)
        kd_warn(dump, "the bitmap header says %llu pages are present but %llu bits are set",
                (unsigned long long)stated_present, (unsigned long long)p->present_pages);
    return PMM_OK;
}

/* BITMAP_DUMP after a 64-bit header: 64-bit HeaderSize (first page), present count and bit count. */
static pmm_status load_bitmap_dump(pmm_kdump *dump, char *message, size_t cap)
{
    uint8_t h[BITMAP_DUMP_BITS_AT];
    uint64_t at = KDUMP_HEADER64_SIZE;
    if (pmm_input_file_read(dump->file, at, h, sizeof h) != PMM_OK)
        return kd_fail(message, cap, PMM_ERR_FORMAT, "the file ends inside the bitmap header at 0x%llx: truncated",
                       (unsigned long long)at);
    uint32_t sig = kd_le32(h);
    if ((sig != SIGNATURE_SDMP && sig != SIGNATURE_FDMP) || kd_le32(h + 4) != VALID_DUMP)
        return kd_fail(message, cap, PMM_ERR_FORMAT,
                       "dump type %u needs an SDMP or FDMP bitmap header at 0x2000, and there is none (signature 0x%x)",
                       dump->header.dump_type, sig);
    return load_bitmap(dump, at + BITMAP_DUMP_BITS_AT, kd_le64(h + 0x30), kd_le64(h + 0x20), kd_le64(h + 0x28),
                       message, cap);
}

/* SUMMARY_DUMP after the header of a kernel summary dump: 32-bit HeaderSize, BitmapSize, Pages. */
static pmm_status load_summary_dump(pmm_kdump *dump, char *message, size_t cap)
{
    uint8_t h[SUMMARY_DUMP_BITS_AT];
    uint64_t at = dump->header.bits == 64 ? KDUMP_HEADER64_SIZE : KDUMP_HEADER32_SIZE;
    if (pmm_input_file_read(dump->file, at, h, sizeof h) != PMM_OK)
        return kd_fail(message, cap, PMM_ERR_FORMAT, "the file ends inside the summary header at 0x%llx: truncated",
                       (unsigned long long)at);
    if (kd_le32(h) != SIGNATURE_SDMP || kd_le32(h + 4) != VALID_DUMP)
        return kd_fail(message, cap, PMM_ERR_FORMAT,
                       "a kernel summary dump needs an SDMP header at 0x%llx, and there is none (signature 0x%x)",
                       (unsigned long long)at, kd_le32(h));
    return load_bitmap(dump, at + SUMMARY_DUMP_BITS_AT, kd_le32(h + 0x10), kd_le32(h + 0x0C), kd_le32(h + 0x14),
                       message, cap);
}

pmm_status kd_load_physmap(pmm_kdump *dump, const uint8_t *header_page, char *message, size_t cap)
{
    uint32_t type = dump->header.dump_type;
    int wide = dump->header.bits == 64;
    switch (type) {
    case PMM_KDUMP_FULL:
        return load_descriptor_runs(dump, header_page, message, cap);
    case PMM_KDUMP_SUMMARY:
        return load_summary_dump(dump, message, cap);
    case PMM_KDUMP_BITMAP:
    case PMM_KDUMP_LIVE_BITMAP:
        if (wide)
            return load_bitmap_dump(dump, message, cap);
        break;
    case PMM_KDUMP_KERNEL:
    case PMM_KDUMP_KERNEL_AND_USER:
    case PMM_KDUMP_COMPLETE:
        if (wide)
            return load_rdmp_runs(dump, message, cap);
        break;
    case PMM_KDUMP_TRIAGE:
        return kd_fail(message, cap, PMM_ERR_UNSUPPORTED,
                       "this is a kernel minidump (triage dump, type 4): it holds a few blocks of memory, not "
                       "physical pages, and is not read here");
    }
    return kd_fail(message, cap, PMM_ERR_UNSUPPORTED, "a %u-bit kernel dump of type %u (%s) is not read here",
                   dump->header.bits, type, pmm_kdump_type_name(type) ? pmm_kdump_type_name(type) : "unknown");
}

void kd_free_physmap(kdump_physmap *phys)
{
    free(phys->runs);
    free(phys->block_rank);
    free(phys->word_rank);
    free(phys->run_by_chunk);
    memset(phys, 0, sizeof *phys);
}

/* ---- lookups ---------------------------------------------------------------------------------- */

/* Index of the last run whose first page is <= pfn, or SIZE_MAX when none. */
static size_t run_at_or_below(const kdump_physmap *p, uint64_t pfn)
{
    size_t lo = 0, hi = p->run_count;
    if (p->run_by_chunk) {
        /* The runs that can hold pfn start at its chunk's first run; the next chunk's first run
         * (plus one) bounds them. */
        uint64_t c = pfn / KDUMP_CHUNK_PAGES;
        if (c >= p->chunk_count)
            c = p->chunk_count - 1;
        lo = p->run_by_chunk[c] > 0 ? p->run_by_chunk[c] - 1 : 0;
        hi = c + 1 < p->chunk_count && p->run_by_chunk[c + 1] < p->run_count ? p->run_by_chunk[c + 1] + 1 : p->run_count;
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->runs[mid].first_page <= pfn)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo == 0 ? SIZE_MAX : lo - 1;
}

pmm_status pmm_kdump_page_offset(pmm_kdump *dump, uint64_t pfn, uint64_t *file_offset)
{
    kdump_physmap *p = &dump->phys;
    if (p->storage == PMM_KDUMP_STORAGE_RUNS) {
        size_t i = p->run_hint;
        if (i >= p->run_count || pfn - p->runs[i].first_page >= p->runs[i].page_count) {
            i = run_at_or_below(p, pfn);
            if (i == SIZE_MAX || pfn - p->runs[i].first_page >= p->runs[i].page_count)
                return PMM_ERR_NOT_FOUND;
            p->run_hint = i;
        }
        *file_offset = p->runs[i].file_offset + (pfn - p->runs[i].first_page) * PMM_KDUMP_PAGE_SIZE;
        return PMM_OK;
    }
    if (pfn >= p->bitmap_pages)
        return PMM_ERR_NOT_FOUND;
    uint64_t b = pfn / KDUMP_BLOCK_BITS;
    const uint8_t *block = bitmap_block(dump, b);
    if (!block)
        return PMM_ERR_NOT_FOUND;
    size_t bit = (size_t)(pfn % KDUMP_BLOCK_BITS), w = bit / 64;
    uint64_t word = word_at(block, w);
    if (!(word >> (bit % 64) & 1))
        return PMM_ERR_NOT_FOUND;
    uint64_t rank = p->block_rank[b] + p->word_rank[b * KDUMP_BLOCK_WORDS + w];
    rank += (uint64_t)popcount64(word & ((1ull << (bit % 64)) - 1));
    *file_offset = p->first_page_offset + rank * PMM_KDUMP_PAGE_SIZE;
    return PMM_OK;
}

/* Runs of set bits from page `from`, found block by block (empty blocks are skipped by rank). */
static size_t bitmap_runs(pmm_kdump *dump, uint64_t from, pmm_kdump_run *out, size_t cap)
{
    kdump_physmap *p = &dump->phys;
    size_t n = 0;
    uint64_t pfn = from;
    while (pfn < p->bitmap_pages && n < cap) {
        uint64_t b = pfn / KDUMP_BLOCK_BITS;
        if (p->block_rank[b + 1] == p->block_rank[b]) {
            pfn = (b + 1) * KDUMP_BLOCK_BITS;
            continue;
        }
        uint64_t offset;
        if (pmm_kdump_page_offset(dump, pfn, &offset) != PMM_OK) {
            pfn++;
            continue;
        }
        uint64_t end = pfn + 1, end_offset;
        while (end < p->bitmap_pages && pmm_kdump_page_offset(dump, end, &end_offset) == PMM_OK)
            end++;
        out[n++] = (pmm_kdump_run){pfn, end - pfn, offset};
        pfn = end;
    }
    return n;
}

size_t pmm_kdump_runs(pmm_kdump *dump, uint64_t first_page, pmm_kdump_run *out, size_t cap)
{
    kdump_physmap *p = &dump->phys;
    if (p->storage == PMM_KDUMP_STORAGE_BITMAP)
        return bitmap_runs(dump, first_page, out, cap);
    size_t i = run_at_or_below(p, first_page), n = 0;
    if (i == SIZE_MAX || first_page - p->runs[i].first_page >= p->runs[i].page_count)
        i = i == SIZE_MAX ? 0 : i + 1;
    for (; i < p->run_count && n < cap; i++)
        out[n++] = p->runs[i];
    return n;
}

void pmm_kdump_memory_summary_of(const pmm_kdump *dump, pmm_kdump_memory_summary *out)
{
    const kdump_physmap *p = &dump->phys;
    memset(out, 0, sizeof *out);
    out->storage = p->storage;
    out->present_pages = p->present_pages;
    out->highest_page = p->highest_page;
    out->first_page_offset = p->first_page_offset;
    out->run_count = p->run_count;
    out->bitmap_pages = p->bitmap_pages;
}
