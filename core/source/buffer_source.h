/* A pmm_source over bytes in memory placed at a chosen address: the fuzzer's input, a file read
 * whole, or an image laid out by a test. Reads outside [base, base + size) return nothing. */
#ifndef PMM_BUFFER_SOURCE_H
#define PMM_BUFFER_SOURCE_H

#include "source.h"

/* The bytes are borrowed, not copied: they must outlive the source. */
pmm_status pmm_buffer_source_open(const void *bytes, size_t size, uint64_t base, pmm_source *out);

#endif
