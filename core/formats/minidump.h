/* A minidump file: header, stream directory and bounds-checked access to its bytes.
 * The stream parsers (minidump_threads.h, minidump_modules.h, minidump_memory.h, minidump_misc.h)
 * build on this. Every offset, size and count read from the file is checked against the file size
 * before use; a corrupt file gives PMM_ERR_FORMAT and a message, never an out-of-bounds read.
 * The file is mapped read-only where the address space allows (else read by offset), never loaded
 * whole, so a full-memory dump of many GiB costs only its directory and stream headers. Not
 * thread-safe: one reader at a time. */
#ifndef PMM_MINIDUMP_H
#define PMM_MINIDUMP_H

#include <stddef.h>
#include <stdint.h>
#include "../util/status.h"

/* MINIDUMP_STREAM_TYPE values. */
enum pmm_md_stream_type {
    PMM_MD_STREAM_UNUSED = 0,
    PMM_MD_STREAM_THREAD_LIST = 3,
    PMM_MD_STREAM_MODULE_LIST = 4,
    PMM_MD_STREAM_MEMORY_LIST = 5,
    PMM_MD_STREAM_EXCEPTION = 6,
    PMM_MD_STREAM_SYSTEM_INFO = 7,
    PMM_MD_STREAM_THREAD_EX_LIST = 8,
    PMM_MD_STREAM_MEMORY64_LIST = 9,
    PMM_MD_STREAM_COMMENT_A = 10,
    PMM_MD_STREAM_COMMENT_W = 11,
    PMM_MD_STREAM_HANDLE_DATA = 12,
    PMM_MD_STREAM_FUNCTION_TABLE = 13,
    PMM_MD_STREAM_UNLOADED_MODULE_LIST = 14,
    PMM_MD_STREAM_MISC_INFO = 15,
    PMM_MD_STREAM_MEMORY_INFO_LIST = 16,
    PMM_MD_STREAM_THREAD_INFO_LIST = 17,
    PMM_MD_STREAM_HANDLE_OPERATION_LIST = 18,
    PMM_MD_STREAM_TOKEN = 19,
    PMM_MD_STREAM_JAVASCRIPT_DATA = 20,
    PMM_MD_STREAM_SYSTEM_MEMORY_INFO = 21,
    PMM_MD_STREAM_PROCESS_VM_COUNTERS = 22,
    PMM_MD_STREAM_IPT_TRACE = 23,
    PMM_MD_STREAM_THREAD_NAMES = 24
};

#define PMM_MD_SIGNATURE 0x504D444Du   /* "MDMP" */
#define PMM_MD_VERSION 0xA793u          /* low 16 bits of Version; the high half is the writer's */
#define PMM_MD_MAX_STREAMS 4096u        /* real dumps have a few dozen */

typedef struct pmm_md_header {
    uint32_t signature;
    uint32_t version;
    uint32_t stream_count;
    uint32_t directory_rva;
    uint32_t checksum;
    uint32_t time_date_stamp;
    uint64_t flags;                     /* MINIDUMP_TYPE the writer was asked for */
} pmm_md_header;

/* One stream directory entry. in_file is 0 when rva + size runs past the end of the file: such a
 * stream is listed but every parser rejects it. */
typedef struct pmm_md_stream {
    uint32_t type;
    uint32_t size;
    uint32_t rva;
    uint32_t in_file;
} pmm_md_stream;

typedef struct pmm_minidump pmm_minidump;

/* Opens and validates header and directory. On failure message says what is wrong. */
pmm_status pmm_md_open_file(const char *path, pmm_minidump **out, char *message, size_t message_cap);
/* The same over bytes the caller keeps alive until pmm_md_close (used by the fuzzer and tests). */
pmm_status pmm_md_open_memory(const void *data, size_t size, pmm_minidump **out, char *message,
                              size_t message_cap);
void pmm_md_close(pmm_minidump *md);

const pmm_md_header *pmm_md_header_of(const pmm_minidump *md);
uint64_t pmm_md_file_size(const pmm_minidump *md);
size_t pmm_md_stream_count(const pmm_minidump *md);
const pmm_md_stream *pmm_md_stream_at(const pmm_minidump *md, size_t index);
/* First directory entry of the given type, NULL when the dump has none. */
const pmm_md_stream *pmm_md_find_stream(const pmm_minidump *md, uint32_t type);
/* "ThreadList", "BreakpadInfo"... or NULL for a type this reader does not know. */
const char *pmm_md_stream_name(uint32_t type);

/* Copies exactly len bytes at file offset. PMM_ERR_FORMAT when the range is outside the file,
 * PMM_ERR_IO when the file cannot be read. */
pmm_status pmm_md_read_at(pmm_minidump *md, uint64_t offset, void *buf, size_t len);
/* The len bytes at offset in place (the file mapping, or the caller's memory), valid until
 * pmm_md_close; NULL when the file is not mapped or the range is not inside it. */
const uint8_t *pmm_md_bytes_at(const pmm_minidump *md, uint64_t offset, size_t len);
/* Reads a MINIDUMP_STRING (u32 byte length + UTF-16LE) at rva as UTF-8, truncated to cap. */
pmm_status pmm_md_read_string(pmm_minidump *md, uint64_t rva, char *out, size_t cap);

#endif
