/* Helpers shared by the minidump stream parsers; not part of the public interface.
 * File bytes are decoded with explicit little-endian loads from buffers whose size has been
 * checked, never by casting structures over them. */
#ifndef PMM_MINIDUMP_INTERNAL_H
#define PMM_MINIDUMP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "minidump.h"
#include "../util/endian.h"
#include "../util/printf_format.h"

/* Caps that keep a hostile count from allocating without bound. A stream's entries must also
 * fit inside its own size, which must fit inside the file. */
#define PMM_MD_MAX_ENTRIES (4u * 1024 * 1024)
#define PMM_MD_MAX_STREAM_LOAD (256u * 1024 * 1024)   /* largest stream body we copy to memory */
#define PMM_MD_MAX_STRING_BYTES 0x10000u             /* MINIDUMP_STRING payloads we follow */

/* Finds the stream of the given type and copies its body into a malloc'd buffer the caller frees.
 * PMM_ERR_NOT_FOUND when absent; PMM_ERR_FORMAT when it lies outside the file or is shorter than
 * min_size. */
pmm_status md_load_stream(pmm_minidump *md, uint32_t type, size_t min_size, uint8_t **out, size_t *size,
                          char *message, size_t cap);

/* Copies a (size, rva) location descriptor's bytes, at most max_size of them, into a malloc'd
 * buffer. PMM_ERR_FORMAT when the location is outside the file. */
pmm_status md_load_location(pmm_minidump *md, uint32_t size, uint64_t rva, size_t max_size, uint8_t **out,
                            size_t *loaded);

/* Entries of a list stream that starts with a count: some writers pad the 4-byte count to 8. Picks
 * the entry offset that makes the sizes agree (4 or 8) and checks count * entry_size fits. */
pmm_status md_list_layout(const char *what, size_t stream_size, uint32_t count, size_t entry_size,
                          size_t *first_entry, char *message, size_t cap);

/* Checks a (header size, entry size, count) list header such as MemoryInfoList's against the
 * stream size and the sizes this reader needs. */
pmm_status md_table_layout(const char *what, size_t stream_size, uint32_t header_size, uint32_t entry_size,
                           uint64_t count, size_t min_header, size_t min_entry, char *message, size_t cap);

/* Decodes one entry into its item; ctx is the reader's. */
typedef void (*md_entry_parser)(pmm_minidump *md, const uint8_t *entry, void *item, void *ctx);

/* Parses n entries, stride bytes apart from entries (a layout already checked), in order into a
 * calloc'd array of n items of item_size: *items (NULL for none) and *count on success. noun names
 * the items in the out-of-memory message. */
pmm_status md_parse_entries(pmm_minidump *md, const uint8_t *entries, uint64_t n, size_t stride, size_t item_size,
                            md_entry_parser parse, void *ctx, const char *noun, void **items, size_t *count,
                            char *message, size_t cap);

#endif
