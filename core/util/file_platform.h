/* The two file operations whose portable C versions are wrong on Windows: opening a UTF-8 path
 * (fopen takes the ANSI code page there) and replacing a file in one step (rename fails there when
 * the destination exists). One implementation per platform, chosen by CMake like the clock. */
#ifndef PMM_FILE_PLATFORM_H
#define PMM_FILE_PLATFORM_H

#include <stdio.h>

/* fopen for a UTF-8 path. */
FILE *pmm_file_open(const char *path, const char *mode);
/* Renames from over to, replacing to if it exists, atomically where the file system allows
 * (rename on POSIX, MoveFileEx with MOVEFILE_REPLACE_EXISTING on Windows). 0 on success. */
int pmm_file_replace(const char *from, const char *to);

#endif
