/* Copying target memory into a dump, page-exact: what cannot be read is zero-filled in the output
 * (so every later offset stays where the dump's tables say) and recorded as an unreadable range,
 * so no dump format ever silently shifts or loses bytes. Shared by the minidump writer, the
 * HiperDrop-style region dumps and the PE image dump. */
#ifndef PMM_DUMP_COPY_H
#define PMM_DUMP_COPY_H

#include <stddef.h>
#include <stdint.h>
#include "../util/progress.h"
#include "../source/source.h"
#include "../util/sink.h"

typedef struct pmm_dump_range {
    uint64_t address;
    uint64_t size;
} pmm_dump_range;

/* Address-ordered ranges; a range that starts where the last one ends is merged into it. */
typedef struct pmm_dump_ranges {
    pmm_dump_range *items;
    size_t count, cap;
} pmm_dump_ranges;

pmm_status pmm_dump_ranges_add(pmm_dump_ranges *ranges, uint64_t address, uint64_t size);
void pmm_dump_ranges_free(pmm_dump_ranges *ranges);
uint64_t pmm_dump_ranges_total(const pmm_dump_ranges *ranges);

/* The parts of ranges that src holds bytes for, one item per part (adjacent parts not merged), and
 * in *left_out the bytes left out, for a source that knows exactly what it holds (a dump file:
 * pmm_source_knows_held); for any other source a copy of ranges. A dump of a dump so writes what
 * the file holds, never the zeros of a region it only claims (up to 256 TiB). */
pmm_status pmm_dump_ranges_keep_held(pmm_source *src, const pmm_dump_ranges *ranges, pmm_dump_ranges *out,
                                     uint64_t *left_out);

/* State of one copy job: the read buffer, the read mode, progress and what failed. */
typedef struct pmm_dump_copier {
    pmm_source *src;
    int page_reads;              /* --read pages: one page per read call, never a larger request */
    uint8_t *buffer;
    size_t buffer_size;
    pmm_dump_ranges unreadable;  /* every page that could not be read (zero-filled in the output) */
    pmm_progress_fn progress;    /* may be NULL; non-zero return cancels */
    void *progress_ctx;
    uint64_t done, total;        /* bytes, for progress */
} pmm_dump_copier;

pmm_status pmm_dump_copier_init(pmm_dump_copier *copier, pmm_source *src, int page_reads);
void pmm_dump_copier_free(pmm_dump_copier *copier);

/* Appends exactly size bytes of target memory from address to sink: readable bytes as read,
 * unreadable pages as zeros (recorded in copier->unreadable). PMM_ERR_GONE when the target exited,
 * PMM_ERR_CANCELLED, or the sink's error. */
pmm_status pmm_dump_copy(pmm_dump_copier *copier, uint64_t address, uint64_t size, pmm_sink *sink);

#endif
