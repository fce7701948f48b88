/* An in-memory address space for unit tests: regions with backing bytes, threads, modules. */
#ifndef PMM_FAKE_SOURCE_H
#define PMM_FAKE_SOURCE_H

#include "core/source/source.h"

#define FAKE_MAX_REGIONS 64
#define FAKE_MAX_THREADS 8

typedef struct fake_region {
    pmm_region_info info;
    uint8_t *bytes;          /* info.size bytes when committed and readable, else NULL */
    char mapped_name[128];
    pmm_page_ws *ws;         /* working-set facts of each page (fake_set_ws); NULL: none resident */
} fake_region;

typedef struct fake_source {
    fake_region regions[FAKE_MAX_REGIONS];
    size_t region_count;
    pmm_thread_info threads[FAKE_MAX_THREADS];
    size_t thread_count;
    int gone_after_queries;  /* >0: report PMM_ERR_GONE after that many queries */
    int lend;                /* non-zero: lend bytes in place (borrow op), as a mapped file does */
    int queries;
    int ws_enabled;          /* answer the working_set op (set before fake_source_open) */
    const char *ws_refusal;  /* non-NULL: the op refuses with this message */
    size_t ws_calls, ws_largest_batch;
    uint64_t unreadable_page; /* non-zero: reads of this page fail though its region is readable */
} fake_source;

/* Regions must be added in address order; the free gaps between them are answered automatically. */
uint8_t *fake_add(fake_source *fake, uint64_t base, uint64_t size, uint64_t alloc_base, uint32_t state,
                  uint32_t type, uint32_t protect, uint32_t alloc_protect);
void fake_write(fake_source *fake, uint64_t addr, const void *data, size_t len);
void fake_write_u32(fake_source *fake, uint64_t addr, uint32_t value);
void fake_write_u64(fake_source *fake, uint64_t addr, uint64_t value);
void fake_write_pointer(fake_source *fake, uint64_t addr, uint32_t pointer_size, uint64_t value);
/* Working-set facts of count pages from page-aligned addr (all in one region); enables the op. */
void fake_set_ws(fake_source *fake, uint64_t addr, const pmm_page_ws *pages, size_t count);
/* The bytes the regions hold from addr, as the source would read them were no page unreadable;
 * stops at a region without bytes. Returns how many were copied. */
size_t fake_backing_read(fake_source *fake, uint64_t addr, void *buf, size_t len);
void fake_source_open(fake_source *fake, pmm_source *out, uint32_t pointer_size);
void fake_free(fake_source *fake);

#endif
