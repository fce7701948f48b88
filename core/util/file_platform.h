/* The file operations whose portable C versions are wrong on Windows or missing from C: opening a
 * UTF-8 path (fopen takes the ANSI code page there), replacing a file in one step (rename fails
 * there when the destination exists), and reading by offset or through a read-only mapping
 * (pmm_input_file builds on these). One implementation per platform, chosen by CMake like the
 * clock. */
#ifndef PMM_FILE_PLATFORM_H
#define PMM_FILE_PLATFORM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "status.h"

/* fopen for a UTF-8 path. */
FILE *pmm_file_open(const char *path, const char *mode);
/* Renames from over to, replacing to if it exists, atomically where the file system allows
 * (rename on POSIX, MoveFileEx with MOVEFILE_REPLACE_EXISTING on Windows). 0 on success. */
int pmm_file_replace(const char *from, const char *to);

/* 1 when a and b name one existing file (the same file system object, whatever the spelling:
 * case, relative parts, links), else 0. Lets a command refuse to write over its own input. */
int pmm_file_same(const char *a, const char *b);

/* A file opened read-only for positioned reads, and a read-only mapping of one. */
typedef struct pmm_read_file pmm_read_file;
typedef struct pmm_file_mapping pmm_file_mapping;

/* PMM_ERR_NOT_FOUND when path cannot be opened, PMM_ERR_IO when its size cannot be learned. */
pmm_status pmm_read_file_open(const char *path, pmm_read_file **out, uint64_t *size);
/* Reads exactly len bytes at offset, without moving any shared file position. PMM_ERR_IO when
 * fewer bytes could be read. */
pmm_status pmm_read_file_at(pmm_read_file *file, uint64_t offset, void *buf, size_t len);
/* Maps the whole file (size bytes) read-only; NULL when the OS or the address space cannot. The
 * mapping outlives nothing: unmap it before closing the file. */
const uint8_t *pmm_read_file_map(pmm_read_file *file, uint64_t size, pmm_file_mapping **mapping);
void pmm_read_file_unmap(pmm_file_mapping *mapping);
void pmm_read_file_close(pmm_read_file *file);

#endif
