#include "file_platform.h"

FILE *pmm_file_open(const char *path, const char *mode)
{
    return fopen(path, mode);
}

/* POSIX rename replaces the destination atomically within one file system. */
int pmm_file_replace(const char *from, const char *to)
{
    return rename(from, to);
}
