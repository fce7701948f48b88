/* File and memory sinks (see sink.h). */
#if !defined(_WIN32) && !defined(_FILE_OFFSET_BITS)
#define _FILE_OFFSET_BITS 64   /* 64-bit fseeko on 32-bit hosts: sparse dumps seek past 4 GiB */
#endif
#include "sink.h"

#include <stdlib.h>
#include <string.h>

#define ZERO_CHUNK 65536u

static int seek_to(FILE *f, uint64_t offset)
{
#ifdef _WIN32
    return _fseeki64(f, (long long)offset, SEEK_SET);
#else
    if (offset > (uint64_t)INT64_MAX)
        return -1;
    return fseeko(f, (off_t)offset, SEEK_SET);
#endif
}

static pmm_status fail(pmm_sink *sink, pmm_status st)
{
    if (sink->error == PMM_OK)
        sink->error = st;
    return sink->error;
}

/* ---- file ------------------------------------------------------------------------------------ */

/* A failed write: its OS error is kept for the message. */
static pmm_status write_failed(pmm_sink *sink)
{
    pmm_temp_file_write_failed(&sink->output);
    return PMM_ERR_IO;
}

static pmm_status file_append(pmm_sink *sink, const void *data, size_t len)
{
    /* After a skip or a patch the stream position is elsewhere: go back to the end first. */
    if (!sink->positioned && seek_to(sink->file, sink->size) != 0) {
        sink->positioned = 0;
        return write_failed(sink);
    }
    sink->positioned = 0;
    if (fwrite(data, 1, len, sink->file) != len)
        return write_failed(sink);
    sink->positioned = 1;
    sink->physical_end = sink->size + len;
    return PMM_OK;
}

static pmm_status file_skip(pmm_sink *sink, uint64_t len)
{
    (void)len;   /* the next append seeks past the hole; commit writes a byte if it is trailing */
    sink->positioned = 0;
    return PMM_OK;
}

static pmm_status file_patch(pmm_sink *sink, uint64_t offset, const void *data, size_t len)
{
    sink->positioned = 0;
    if (seek_to(sink->file, offset) != 0 || fwrite(data, 1, len, sink->file) != len)
        return write_failed(sink);
    return PMM_OK;
}

static pmm_status file_commit(pmm_sink *sink)
{
    if (sink->physical_end < sink->size) {
        /* A trailing hole has no byte on disk yet; the last one gives the file its full size. */
        uint8_t zero = 0;
        if (seek_to(sink->file, sink->size - 1) != 0 || fwrite(&zero, 1, 1, sink->file) != 1)
            return write_failed(sink);
    }
    return pmm_temp_file_commit(&sink->output);
}

static void file_discard(pmm_sink *sink)
{
    pmm_temp_file_discard(&sink->output);
    sink->file = NULL;
}

static const pmm_sink_ops file_ops = {file_append, file_skip, file_patch, file_commit, file_discard};

pmm_status pmm_sink_open_file(pmm_sink *sink, const char *path, char *message, size_t message_cap)
{
    memset(sink, 0, sizeof *sink);
    sink->ops = &file_ops;
    sink->positioned = 1;
    pmm_status st = pmm_temp_file_create(&sink->output, path, message, message_cap);
    if (st != PMM_OK) {
        sink->error = st;
        return st;
    }
    sink->file = sink->output.file;
    setvbuf(sink->file, NULL, _IOFBF, 1u << 16);   /* fewer, larger writes for small records */
    return PMM_OK;
}

FILE *pmm_sink_file(pmm_sink *sink)
{
    return sink->ops == &file_ops ? sink->file : NULL;
}

const char *pmm_sink_error_text(pmm_sink *sink)
{
    return sink->ops == &file_ops ? pmm_temp_file_error(&sink->output) : "";
}

/* ---- memory ---------------------------------------------------------------------------------- */

static pmm_status memory_reserve(pmm_sink *sink, uint64_t end)
{
    if (sink->limit && end > sink->limit)
        return PMM_ERR_IO;
    if (end > (uint64_t)SIZE_MAX / 2)
        return PMM_ERR_NOMEM;
    if (end <= sink->capacity)
        return PMM_OK;
    size_t cap = sink->capacity ? sink->capacity : 4096;
    while (cap < end)
        cap *= 2;
    uint8_t *grown = realloc(sink->data, cap);
    if (!grown)
        return PMM_ERR_NOMEM;
    memset(grown + sink->capacity, 0, cap - sink->capacity);   /* holes read as zeros */
    sink->data = grown;
    sink->capacity = cap;
    return PMM_OK;
}

static pmm_status memory_append(pmm_sink *sink, const void *data, size_t len)
{
    pmm_status st = memory_reserve(sink, sink->size + len);
    if (st == PMM_OK && len)
        memcpy(sink->data + sink->size, data, len);
    return st;
}

static pmm_status memory_skip(pmm_sink *sink, uint64_t len)
{
    return memory_reserve(sink, sink->size + len);
}

static pmm_status memory_patch(pmm_sink *sink, uint64_t offset, const void *data, size_t len)
{
    memcpy(sink->data + offset, data, len);
    return PMM_OK;
}

static pmm_status memory_commit(pmm_sink *sink)
{
    (void)sink;   /* the bytes are final as they are */
    return PMM_OK;
}

static void memory_discard(pmm_sink *sink)
{
    free(sink->data);
    sink->data = NULL;
    sink->capacity = 0;
}

static const pmm_sink_ops memory_ops = {memory_append, memory_skip, memory_patch, memory_commit, memory_discard};

void pmm_sink_open_memory(pmm_sink *sink, uint64_t limit)
{
    memset(sink, 0, sizeof *sink);
    sink->ops = &memory_ops;
    sink->limit = limit;
}

const uint8_t *pmm_sink_memory_bytes(const pmm_sink *sink, size_t *size)
{
    *size = (size_t)sink->size;
    return sink->ops == &memory_ops ? sink->data : NULL;
}

/* ---- common ---------------------------------------------------------------------------------- */

pmm_status pmm_sink_write(pmm_sink *sink, const void *data, size_t len)
{
    if (sink->error != PMM_OK)
        return sink->error;
    pmm_status st = sink->ops->append(sink, data, len);
    if (st != PMM_OK)
        return fail(sink, st);
    sink->size += len;
    return PMM_OK;
}

pmm_status pmm_sink_write_zeros(pmm_sink *sink, uint64_t len)
{
    static const uint8_t zeros[ZERO_CHUNK];
    while (len > 0 && sink->error == PMM_OK) {
        size_t n = len < ZERO_CHUNK ? (size_t)len : ZERO_CHUNK;
        pmm_sink_write(sink, zeros, n);
        len -= n;
    }
    return sink->error;
}

pmm_status pmm_sink_skip(pmm_sink *sink, uint64_t len)
{
    if (sink->error != PMM_OK)
        return sink->error;
    if (sink->size + len < sink->size)
        return fail(sink, PMM_ERR_LIMIT);
    pmm_status st = sink->ops->skip(sink, len);
    if (st != PMM_OK)
        return fail(sink, st);
    sink->size += len;
    return PMM_OK;
}

pmm_status pmm_sink_patch(pmm_sink *sink, uint64_t offset, const void *data, size_t len)
{
    if (sink->error != PMM_OK)
        return sink->error;
    if (offset > sink->size || len > sink->size - offset)
        return fail(sink, PMM_ERR_ARG);
    pmm_status st = sink->ops->patch(sink, offset, data, len);
    return st == PMM_OK ? PMM_OK : fail(sink, st);
}

pmm_status pmm_sink_align(pmm_sink *sink, uint32_t alignment)
{
    uint64_t rem = alignment ? sink->size % alignment : 0;
    return rem ? pmm_sink_write_zeros(sink, alignment - rem) : sink->error;
}

pmm_status pmm_sink_commit(pmm_sink *sink)
{
    if (sink->error != PMM_OK)
        return sink->error;
    pmm_status st = sink->ops->commit(sink);
    return st == PMM_OK ? PMM_OK : fail(sink, st);
}

void pmm_sink_close(pmm_sink *sink)
{
    if (sink->ops)
        sink->ops->discard(sink);
    sink->ops = NULL;
}
