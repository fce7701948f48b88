/* A file opened for reading by offset: positioned reads that share no file position (pread, or
 * ReadFile at an offset), and the whole file mapped read-only where the address space allows, so
 * that a dump of hundreds of GiB is read in place, one page at a time, and never loaded whole.
 * The same over bytes in memory, for fuzzing and tests. */
#ifndef PMM_INPUT_FILE_H
#define PMM_INPUT_FILE_H

#include <stddef.h>
#include <stdint.h>
#include "status.h"

typedef struct pmm_input_file pmm_input_file;

/* Flags of pmm_input_file_open. */
enum { PMM_INPUT_FILE_NO_MAP = 1 };   /* read through the OS only (tests, benchmarks) */

/* Opens path (UTF-8) for reading. PMM_ERR_NOT_FOUND when it cannot be opened, PMM_ERR_IO when its
 * size cannot be learned. Mapping is attempted unless flags say otherwise, and silently skipped
 * when it fails (a 32-bit process, an empty file): reads then go to the OS. */
pmm_status pmm_input_file_open(const char *path, uint32_t flags, pmm_input_file **out);
/* Over size bytes at data, which the caller keeps alive until pmm_input_file_close. */
pmm_status pmm_input_file_open_memory(const void *data, size_t size, pmm_input_file **out);
void pmm_input_file_close(pmm_input_file *file);

uint64_t pmm_input_file_size(const pmm_input_file *file);
/* Copies exactly len bytes from offset: PMM_ERR_FORMAT when they are not all inside the file,
 * PMM_ERR_IO when the OS read fails. */
pmm_status pmm_input_file_read(pmm_input_file *file, uint64_t offset, void *buf, size_t len);
/* The len bytes at offset in place (the mapping or the caller's memory), or NULL when the file is
 * not mapped or the range is not inside it. Valid until pmm_input_file_close. */
const uint8_t *pmm_input_file_bytes(const pmm_input_file *file, uint64_t offset, size_t len);

#endif
