#if !defined(_FILE_OFFSET_BITS)
#define _FILE_OFFSET_BITS 64   /* pread and fstat with 64-bit offsets on 32-bit hosts */
#endif
#if !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include "file_platform.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

FILE *pmm_file_open(const char *path, const char *mode)
{
    return fopen(path, mode);
}

/* POSIX rename replaces the destination atomically within one file system. */
int pmm_file_replace(const char *from, const char *to)
{
    return rename(from, to);
}

int pmm_file_same(const char *a, const char *b)
{
    struct stat x, y;
    return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

struct pmm_read_file {
    int fd;
};

struct pmm_file_mapping {
    void *base;
    size_t size;
};

pmm_status pmm_read_file_open(const char *path, pmm_read_file **out, uint64_t *size)
{
    *out = NULL;
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return PMM_ERR_NOT_FOUND;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return PMM_ERR_IO;
    }
    if (!S_ISREG(st.st_mode) || st.st_size < 0) {   /* a folder or a device is no file to read */
        close(fd);
        return PMM_ERR_NOT_FOUND;
    }
    pmm_read_file *file = malloc(sizeof *file);
    if (!file) {
        close(fd);
        return PMM_ERR_NOMEM;
    }
    file->fd = fd;
    *size = (uint64_t)st.st_size;
    *out = file;
    return PMM_OK;
}

pmm_status pmm_read_file_at(pmm_read_file *file, uint64_t offset, void *buf, size_t len)
{
    uint8_t *to = buf;
    while (len > 0) {
        if (offset > (uint64_t)INT64_MAX)
            return PMM_ERR_IO;
        ssize_t got = pread(file->fd, to, len, (off_t)offset);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return PMM_ERR_IO;
        to += got;
        offset += (uint64_t)got;
        len -= (size_t)got;
    }
    return PMM_OK;
}

const uint8_t *pmm_read_file_map(pmm_read_file *file, uint64_t size, pmm_file_mapping **mapping)
{
    *mapping = NULL;
    if (size == 0 || size > SIZE_MAX)
        return NULL;
    pmm_file_mapping *m = malloc(sizeof *m);
    if (!m)
        return NULL;
    m->size = (size_t)size;
    m->base = mmap(NULL, m->size, PROT_READ, MAP_SHARED, file->fd, 0);
    if (m->base == MAP_FAILED) {
        free(m);
        return NULL;
    }
    *mapping = m;
    return m->base;
}

void pmm_read_file_unmap(pmm_file_mapping *mapping)
{
    munmap(mapping->base, mapping->size);
    free(mapping);
}

void pmm_read_file_close(pmm_read_file *file)
{
    close(file->fd);
    free(file);
}
