/* File source: each read seeks and reads through stdio, so nothing larger than the request is held
 * in memory (the PE parser keeps its own small cache of what it reads). */
#if !defined(_WIN32) && !defined(_FILE_OFFSET_BITS)
#define _FILE_OFFSET_BITS 64   /* fseeko/ftello with 64-bit offsets on 32-bit hosts */
#endif
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include "file_source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../util/file_platform.h"
#include "../util/names.h"

typedef struct file_source {
    FILE *file;
    uint64_t size;
    uint64_t position;   /* where the stream is, so sequential reads skip the seek */
} file_source;

#ifdef _WIN32
static int seek_to(FILE *f, uint64_t offset)
{
    return _fseeki64(f, (long long)offset, SEEK_SET);
}

static int64_t tell_end(FILE *f)
{
    if (_fseeki64(f, 0, SEEK_END) != 0)
        return -1;
    return _ftelli64(f);
}
#else
static int seek_to(FILE *f, uint64_t offset)
{
    if (offset > (uint64_t)INT64_MAX)
        return -1;
    return fseeko(f, (off_t)offset, SEEK_SET);
}

static int64_t tell_end(FILE *f)
{
    if (fseeko(f, 0, SEEK_END) != 0)
        return -1;
    return (int64_t)ftello(f);
}
#endif

static pmm_status fs_query(void *impl, uint64_t addr, pmm_region_info *out)
{
    file_source *fs = impl;
    if (addr >= fs->size)
        return PMM_END;
    /* The whole file is one committed, read-only range. */
    memset(out, 0, sizeof *out);
    out->base = 0;
    out->size = fs->size;
    out->alloc_base = 0;
    out->alloc_protect = PMM_PAGE_READONLY;
    out->protect = PMM_PAGE_READONLY;
    out->state = PMM_MEM_COMMIT;
    out->type = PMM_MEM_MAPPED;
    return PMM_OK;
}

static size_t fs_read(void *impl, uint64_t addr, void *buf, size_t len)
{
    file_source *fs = impl;
    if (addr >= fs->size)
        return 0;
    if (len > fs->size - addr)
        len = (size_t)(fs->size - addr);
    if (fs->position != addr) {
        if (seek_to(fs->file, addr) != 0) {
            fs->position = UINT64_MAX;
            return 0;
        }
    }
    size_t got = fread(buf, 1, len, fs->file);
    fs->position = got == len ? addr + got : UINT64_MAX;
    if (got != len)
        clearerr(fs->file);
    return got;
}

static void fs_close(void *impl)
{
    file_source *fs = impl;
    if (fs) {
        fclose(fs->file);
        free(fs);
    }
}

static const pmm_source_ops file_source_ops = {
    .query = fs_query,
    .read = fs_read,
    .close = fs_close,
};

static void fill_target(pmm_source *out, const char *path)
{
    snprintf(out->target.path, sizeof out->target.path, "%s", path);
    snprintf(out->target.name, sizeof out->target.name, "%s", pmm_path_base_name(path));
    out->target.highest_address = ((file_source *)out->impl)->size;
}

pmm_status pmm_file_source_open(const char *path, pmm_source *out)
{
    memset(out, 0, sizeof *out);
    if (!path)
        return PMM_ERR_ARG;
    file_source *fs = calloc(1, sizeof *fs);
    if (!fs)
        return PMM_ERR_NOMEM;
    fs->file = pmm_file_open(path, "rb");
    if (!fs->file) {
        free(fs);
        return PMM_ERR_NOT_FOUND;
    }
    int64_t size = tell_end(fs->file);
    if (size < 0) {
        fs_close(fs);
        return PMM_ERR_IO;
    }
    fs->size = (uint64_t)size;
    fs->position = UINT64_MAX;
    out->ops = &file_source_ops;
    out->impl = fs;
    fill_target(out, path);
    return PMM_OK;
}

uint64_t pmm_file_source_size(const pmm_source *src)
{
    return src && src->ops == &file_source_ops ? ((const file_source *)src->impl)->size : 0;
}
