/* Shared by the kernel dump reader's files; not part of the public interface. The file's bytes are
 * decoded with explicit little-endian loads from buffers whose size has been checked. */
#ifndef PMM_KDUMP_INTERNAL_H
#define PMM_KDUMP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "kdump.h"
#include "../util/input_file.h"
#include "../util/printf_format.h"

#define KDUMP_HEADER64_SIZE 0x2000u
#define KDUMP_HEADER32_SIZE 0x1000u
#define KDUMP_MAX_WARNINGS 16

/* Physical memory as the dump stores it. Runs: sorted by page, non-overlapping, each with its
 * file offset, with run_by_chunk[c]: the first run that reaches into chunk c (KDUMP_CHUNK_PAGES
 * page frames), so a lookup starts next to its run (built when the table stays within a multiple
 * of the run count, else a lookup is a binary search). Bitmap: one bit per page frame, pages
 * stored in bit order from first_page_offset; block_rank[b] counts the present pages before block
 * b (KDUMP_BLOCK_BITS pages per block) and word_rank the ones before each 64-bit word inside it,
 * so a lookup counts the bits of one word. */
#define KDUMP_BLOCK_BITS 512u
#define KDUMP_BLOCK_BYTES (KDUMP_BLOCK_BITS / 8u)
#define KDUMP_BLOCK_WORDS (KDUMP_BLOCK_BITS / 64u)
#define KDUMP_CHUNK_PAGES 512u

typedef struct kdump_physmap {
    uint32_t storage;                  /* enum pmm_kdump_storage */
    pmm_kdump_run *runs;
    size_t run_count;
    size_t run_hint;                   /* the run of the last lookup: walks read a few tables often */
    uint32_t *run_by_chunk;            /* NULL when not built */
    size_t chunk_count;
    uint64_t bitmap_offset;            /* file offset of the bitmap's first byte */
    uint64_t bitmap_pages;             /* bits that describe pages */
    const uint8_t *bitmap_view;        /* its whole blocks in place in the file mapping; NULL: not mapped */
    size_t whole_blocks;               /* blocks of KDUMP_BLOCK_BITS pages in bitmap_view */
    uint64_t first_page_offset;
    uint64_t *block_rank;
    uint16_t *word_rank;               /* KDUMP_BLOCK_WORDS per block */
    size_t block_count;
    uint64_t present_pages;
    uint64_t highest_page;             /* one past the highest present page */
    uint8_t block_cache[KDUMP_BLOCK_BYTES];   /* the last bitmap block read (unmapped files) */
    uint64_t block_cache_index;        /* UINT64_MAX when empty */
} kdump_physmap;

/* The levels above the page table the last translation reached: a translation of another page of
 * the same 2 MiB (4 MiB without PAE) under the same root starts at that table (a dump does not
 * change). Kept only when every level above was a table, not a large page. */
typedef struct kdump_table_memo {
    int valid;
    uint64_t root;                     /* the top table's physical address */
    uint64_t region;                   /* va >> the span of a page table */
    uint64_t table;                    /* the page table's physical address */
    uint64_t allowed, no_execute;      /* the levels above: entry bits ANDed, no-execute ORed */
    uint32_t step_count;
    pmm_kdump_walk_step steps[3];
} kdump_table_memo;

struct pmm_kdump {
    pmm_input_file *file;
    pmm_kdump_header header;
    kdump_physmap phys;
    kdump_table_memo table_memo;
    char *warnings[KDUMP_MAX_WARNINGS];
    size_t warning_count;
};

static inline uint16_t kd_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t kd_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline uint64_t kd_le64(const uint8_t *p)
{
    return (uint64_t)kd_le32(p) | ((uint64_t)kd_le32(p + 4) << 32);
}

/* A little-endian pointer of ps (4 or 8) bytes. */
static inline uint64_t kd_pointer_at(const uint8_t *p, uint32_t ps)
{
    return ps == 8 ? kd_le64(p) : kd_le32(p);
}

/* Reads a pointer of ps bytes at va through the page tables at dtb (0: the kernel's). 0 when any of
 * its bytes is not in the dump. */
static inline int kd_read_pointer(pmm_kdump *dump, uint64_t dtb, uint64_t va, uint32_t ps, uint64_t *out)
{
    uint8_t b[8];
    if (pmm_kdump_read_virtual(dump, dtb, va, b, ps, NULL) != ps)
        return 0;
    *out = kd_pointer_at(b, ps);
    return 1;
}

/* The kdump readers' name for pmm_fail (util/status.h). */
#define kd_fail pmm_fail
void kd_warn(pmm_kdump *dump, const char *fmt, ...) PMM_PRINTF_FORMAT(2, 3);

/* kdump_header.c: decodes the header page (KDUMP_HEADER64_SIZE or KDUMP_HEADER32_SIZE bytes, as
 * its signature says) into dump->header. */
pmm_status kd_decode_header(pmm_kdump *dump, const uint8_t *page, size_t size, char *message, size_t cap);

/* kdump_physical.c: builds dump->phys from the header page and the structures after it. */
pmm_status kd_load_physmap(pmm_kdump *dump, const uint8_t *header_page, char *message, size_t cap);
void kd_free_physmap(kdump_physmap *phys);

#endif
