/* Where dump writers put their bytes: a file (written under a temporary name and renamed only when
 * complete) or memory (tests, and callers that want the bytes). The minidump writer, the region
 * dumps and the PE image dump all write through this, so each can be tested in memory and each
 * gets the same all-or-nothing file handling.
 *
 * Errors are sticky: after the first failed write every later call returns that status and
 * writes nothing, so a writer can check once at the end (and at loop heads, to stop early). */
#ifndef PMM_SINK_H
#define PMM_SINK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "status.h"
#include "temp_file.h"

typedef struct pmm_sink pmm_sink;

typedef struct pmm_sink_ops {
    /* Appends len bytes at the current end. */
    pmm_status (*append)(pmm_sink *sink, const void *data, size_t len);
    /* Moves the end forward by len bytes without writing them: a hole that reads as zeros (sparse
     * in a file where the filesystem supports it). */
    pmm_status (*skip)(pmm_sink *sink, uint64_t len);
    /* Overwrites bytes already appended (tables whose entries are known only after their data). */
    pmm_status (*patch)(pmm_sink *sink, uint64_t offset, const void *data, size_t len);
    /* Makes the output final: the file gets its real name. */
    pmm_status (*commit)(pmm_sink *sink);
    /* Drops everything written (the temporary file is removed). Safe after commit (no-op). */
    void (*discard)(pmm_sink *sink);
} pmm_sink_ops;

struct pmm_sink {
    const pmm_sink_ops *ops;
    uint64_t size;           /* logical size: bytes appended plus holes skipped */
    pmm_status error;        /* first failure; PMM_OK while all went well */
    /* file sink */
    pmm_temp_file output;
    FILE *file;              /* output.file while it is open */
    uint64_t physical_end;   /* where the last real byte ends (a trailing hole needs one byte) */
    int positioned;          /* the FILE's position is at size: an append needs no seek (a seek
                              * flushes the stdio buffer, turning every small write into a syscall) */
    /* memory sink */
    uint8_t *data;
    size_t capacity;
    uint64_t limit;          /* fail with PMM_ERR_IO past this size (simulates a full disk); 0 none */
};

/* Creates the temporary file for path (temp_file.h); commit gives it the name path (replacing an
 * older file).
 * PMM_ERR_IO when it cannot be created (message says why). */
pmm_status pmm_sink_open_file(pmm_sink *sink, const char *path, char *message, size_t message_cap);
/* limit: 0 for none, else the size at which writes start failing with PMM_ERR_IO. */
void pmm_sink_open_memory(pmm_sink *sink, uint64_t limit);
/* The bytes of a memory sink (owned by the sink until pmm_sink_discard / pmm_sink_free_memory). */
const uint8_t *pmm_sink_memory_bytes(const pmm_sink *sink, size_t *size);
/* The open FILE of a file sink (for platform hooks such as marking it sparse), else NULL. */
FILE *pmm_sink_file(pmm_sink *sink);

pmm_status pmm_sink_write(pmm_sink *sink, const void *data, size_t len);
pmm_status pmm_sink_write_zeros(pmm_sink *sink, uint64_t len);
pmm_status pmm_sink_skip(pmm_sink *sink, uint64_t len);
pmm_status pmm_sink_patch(pmm_sink *sink, uint64_t offset, const void *data, size_t len);
/* Pads with zeros up to a multiple of alignment. */
pmm_status pmm_sink_align(pmm_sink *sink, uint32_t alignment);
pmm_status pmm_sink_commit(pmm_sink *sink);
/* Why a file sink failed, naming the path and the OS's reason (temp_file.h); "" when it did not or
 * for a memory sink. Valid until pmm_sink_close. */
const char *pmm_sink_error_text(pmm_sink *sink);
/* Drops the output and frees what the sink holds; call on every sink, committed or not. */
void pmm_sink_close(pmm_sink *sink);

#endif
