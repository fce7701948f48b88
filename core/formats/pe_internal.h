/* Helpers shared by the PE parser's files; not part of the public interface. */
#ifndef PMM_PE_INTERNAL_H
#define PMM_PE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "pe.h"
#include "../util/endian.h"

/* True when [rva, rva + size) is a non-wrapping range. */
static inline int pe_range_ok(uint32_t rva, uint32_t size)
{
    return (uint64_t)rva + size <= 0xFFFFFFFFu;
}

/* v rounded up to a power-of-two alignment a (unchanged when a is not one), saturating. */
uint32_t pe_align_up32(uint32_t v, uint32_t a);

/* Reads len bytes at a source address (not an RVA) through the image's cache; all-or-nothing. */
pmm_status pe_read_source(pe_image *img, uint64_t addr, void *buf, size_t len);
/* The same, returning how many contiguous bytes from addr could be read. */
size_t pe_read_source_some(pe_image *img, uint64_t addr, void *buf, size_t len);

/* Stores a copy of text[0..len) and returns it, or NULL when out of memory. */
const char *pe_strings_add(pe_strings *pool, const char *text, size_t len);
void pe_strings_free(pe_strings *pool);

/* The name at rva kept in pool; an unreadable name gives NULL with *unreadable set. */
pmm_status pe_read_name(pe_image *img, uint32_t rva, pe_strings *pool, const char **out);

#endif
