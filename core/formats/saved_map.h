/* The saved-map file: a whole annotated map (target, regions, annotations, modules, threads,
 * heaps, warnings) and optionally a checksum per committed page, in a versioned little-endian
 * binary format (layout in README, "Saved maps"). A saved map is loaded straight back into a
 * pmm_map, not wrapped in a source: the map already holds everything the printers and the diff
 * need, and a source without bytes would only make the analyzers guess again at what was stored. */
#ifndef PMM_SAVED_MAP_H
#define PMM_SAVED_MAP_H

#include <stddef.h>
#include <stdint.h>
#include "../model/map.h"
#include "saved_map_pages.h"

#define PMM_SAVED_MAP_MAGIC "PMMSAVE\0"   /* 8 bytes */
#define PMM_SAVED_MAP_MAGIC_SIZE 8
#define PMM_SAVED_MAP_VERSION 1

/* Non-zero when data starts with the saved-map magic (size may be less than the magic). */
int pmm_saved_map_has_magic(const void *data, size_t size);

/* Encodes map (and sums, which may be NULL or not present) into a malloc'd buffer *data of
 * *size bytes that the caller frees. */
pmm_status pmm_saved_map_encode(const pmm_map *map, const pmm_page_sums *sums, uint8_t **data, size_t *size);

/* Decodes a buffer. Every length, count, offset and string reference is checked: on anything
 * wrong (truncation, bad magic or version, checksum mismatch, a count that does not fit) it
 * returns PMM_ERR_FORMAT and message says what and where. On success *out is a finished map
 * (target.source_kind PMM_SOURCE_SAVED) the caller frees with pmm_map_free, and sums (when not
 * NULL) receives the page checksums, present only if the file has them. */
pmm_status pmm_saved_map_decode(const void *data, size_t size, pmm_map **out, pmm_page_sums *sums,
                                char *message, size_t message_cap);

/* Writes the file atomically: to "<path>.partial" in the same folder, then renamed over path, so
 * an interrupted or failed write never leaves a complete-looking file at path. PMM_ERR_IO with a
 * message on failure (the partial file is removed). */
pmm_status pmm_saved_map_save(const char *path, const pmm_map *map, const pmm_page_sums *sums, char *message,
                              size_t message_cap);

/* Reads and decodes a file. PMM_ERR_NOT_FOUND when it cannot be opened, PMM_ERR_IO on a read
 * error, PMM_ERR_FORMAT as for decode. */
pmm_status pmm_saved_map_load(const char *path, pmm_map **out, pmm_page_sums *sums, char *message,
                              size_t message_cap);

/* Non-zero when the file at path starts with the saved-map magic. */
int pmm_saved_map_is_file(const char *path);

#endif
