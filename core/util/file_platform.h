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

/* ---- writing outputs (temp_file.c builds on these) ------------------------------------------- */
/* Every path is UTF-8; on Windows each call goes through the UTF-16 function, with the \\?\
 * prefix for a path too long for the plain one (260 characters), so a name like
 * "C:\Users\Дмитрий\x.dmp" or a folder path of 300 characters works for every step (create,
 * rename, remove) alike. Functions returning int return 0 on success, else the OS error (errno;
 * on Windows the Win32 error code), which pmm_os_error_text turns into the OS's own words. */

typedef enum pmm_path_kind {
    PMM_PATH_NONE = 0,       /* nothing there (or it cannot be seen) */
    PMM_PATH_FILE,           /* a regular file */
    PMM_PATH_FOLDER,
    PMM_PATH_OTHER           /* a device, a pipe, a socket */
} pmm_path_kind;
pmm_path_kind pmm_path_kind_of(const char *path);

/* Which file system object a path names now: equal for the same file, different once it was
 * replaced or written to (index and volume, size, last write time). */
typedef struct pmm_file_id {
    uint64_t volume, index, size, modified;
} pmm_file_id;
/* 0 and *out filled when path names an existing file, else the OS error. */
int pmm_file_identity(const char *path, pmm_file_id *out);

/* Creates path, which must not exist yet, open for reading and writing ("w+b"). It can be removed
 * while open (FILE_SHARE_DELETE), so a clean-up from another thread works. NULL with *error set. */
FILE *pmm_file_create_new(const char *path, int *error);
/* Renames from to to, which must not exist: fails (pmm_os_error_is_exists) when it does. */
int pmm_file_rename_new(const char *from, const char *to);
int pmm_file_remove(const char *path);
int pmm_folder_create(const char *path);
int pmm_folder_remove(const char *path);   /* an empty folder */

/* The OS error of the C library call that just failed on this thread (a failed fclose): errno,
 * or on Windows the Win32 error behind it when there is one. */
int pmm_os_error_last(void);
/* The same after a write to f failed. A write the OS cut short gives the C library no error (on
 * Windows msvcrt then reports EINVAL, "Invalid argument"): the disk filled or a file-size limit was
 * reached in the middle of it. Then one more byte is written at the end of f through the OS, and
 * its error (disk full, file too large) is the answer. */
int pmm_os_error_of_write(FILE *f);
/* The OS's words for error ("No space left on device", "Access is denied."), into buf. */
const char *pmm_os_error_text(int error, char *buf, size_t cap);
/* Whether error says nothing about the cause (Windows' "General failure", which is what Wine
 * reports for a write past a file-size limit; an I/O error). */
int pmm_os_error_is_vague(int error);
/* Whether error says the name already exists. */
int pmm_os_error_is_exists(int error);
/* Whether a rename over a name failed only because another process had that name open at that
 * moment (Windows and Wine: access denied or a sharing violation): it may work a moment later. */
int pmm_os_error_is_busy(int error);
/* Waits ms milliseconds. */
void pmm_pause_ms(unsigned ms);

/* This process's id, for temporary names no other process uses; whether a process still runs. */
uint32_t pmm_process_id(void);
int pmm_process_running(uint32_t pid);

/* Calls fn with the name (UTF-8, no folder) of every entry of folder that starts with prefix (the
 * OS filters where it can: FindFirstFile); stops when fn returns non-zero. 0, or the OS error of
 * opening the folder. */
typedef int (*pmm_folder_entry_fn)(void *ctx, const char *name);
int pmm_folder_list(const char *folder, const char *prefix, pmm_folder_entry_fn fn, void *ctx);

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
