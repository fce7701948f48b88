/* What a target file is, from its first bytes: a minidump ("MDMP"), a saved map ("PMMSAVE\0"),
 * a kernel crash dump ("PAGEDU64" / "PAGEDUMP"), or something else. Shared by the console tool and the window, so both open the same files the
 * same way. Reads the magic only; the readers check the rest. */
#ifndef PMM_TARGET_KIND_H
#define PMM_TARGET_KIND_H

#include <stddef.h>

typedef enum pmm_file_kind {
    PMM_FILE_UNREADABLE,          /* could not be opened, or shorter than 4 bytes */
    PMM_FILE_UNKNOWN,             /* neither magic */
    PMM_FILE_MINIDUMP,
    PMM_FILE_KERNEL_DUMP,
    PMM_FILE_SAVED_MAP,
    PMM_FILE_SAVED_MAP_TRUNCATED  /* starts like a saved map but its 8-byte magic is cut short or wrong */
} pmm_file_kind;

/* From the first size bytes of a file (size may be anything; 8 are enough). */
pmm_file_kind pmm_file_kind_of_bytes(const void *data, size_t size);
/* From the file at path (UTF-8). */
pmm_file_kind pmm_file_kind_of(const char *path);

#endif
