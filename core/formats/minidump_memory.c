/* MemoryList, Memory64List and MemoryInfoList streams. */
#include "minidump_memory.h"

#include <stdlib.h>
#include <string.h>
#include "minidump_internal.h"

#define MEMORY_DESCRIPTOR_SIZE 16u      /* u64 start, u32 size, u32 rva */
#define MEMORY64_HEADER_SIZE 16u        /* u64 count, u64 base rva */
#define MEMORY64_DESCRIPTOR_SIZE 16u    /* u64 start, u64 size */
#define MEMORY_INFO_HEADER_MIN 16u
#define MEMORY_INFO_ENTRY_MIN 48u

/* How much of [offset, offset + size) lies inside a file of file_size bytes. */
static uint64_t bytes_in_file(uint64_t offset, uint64_t size, uint64_t file_size)
{
    if (offset >= file_size)
        return 0;
    uint64_t room = file_size - offset;
    return size < room ? size : room;
}

/* ctx: the file's size (uint64_t). */
static void parse_range(pmm_minidump *md, const uint8_t *e, void *item, void *ctx)
{
    pmm_md_memory_range *r = item;
    (void)md;
    r->address = pmm_le64(e);
    r->size = pmm_le32(e + 8);
    r->file_offset = pmm_le32(e + 12);
    r->available = bytes_in_file(r->file_offset, r->size, *(const uint64_t *)ctx);
}

pmm_status pmm_md_read_memory_list(pmm_minidump *md, pmm_md_memory_range **out, size_t *count, char *message,
                                   size_t cap)
{
    *out = NULL;
    *count = 0;
    uint8_t *d;
    size_t size, first;
    pmm_status st = md_load_stream(md, PMM_MD_STREAM_MEMORY_LIST, 4, &d, &size, message, cap);
    if (st != PMM_OK)
        return st;
    uint32_t n = pmm_le32(d);
    st = md_list_layout("MemoryList", size, n, MEMORY_DESCRIPTOR_SIZE, &first, message, cap);
    uint64_t file_size = pmm_md_file_size(md);
    void *ranges = NULL;
    if (st == PMM_OK)
        st = md_parse_entries(md, d + first, n, MEMORY_DESCRIPTOR_SIZE, sizeof **out, parse_range, &file_size,
                              "memory ranges", &ranges, count, message, cap);
    free(d);
    *out = ranges;
    return st;
}

/* Memory64List stores all range bytes back to back from one base rva. */
static pmm_status layout_memory64(const uint8_t *d, size_t size, uint64_t *n, char *message, size_t cap)
{
    *n = pmm_le64(d);
    if (*n > PMM_MD_MAX_ENTRIES)
        return pmm_fail(message, cap, PMM_ERR_LIMIT, "Memory64List claims %llu ranges, more than this reader accepts",
                        (unsigned long long)*n);
    if (*n * MEMORY64_DESCRIPTOR_SIZE > size - MEMORY64_HEADER_SIZE)
        return pmm_fail(message, cap, PMM_ERR_FORMAT,
                        "Memory64List claims %llu ranges, but the stream is only %zu bytes", (unsigned long long)*n,
                        size);
    return PMM_OK;
}

/* Where the next Memory64List range's bytes start, in a file of file_size bytes. */
typedef struct memory64_cursor {
    uint64_t offset, file_size;
} memory64_cursor;

static void parse_range64(pmm_minidump *md, const uint8_t *e, void *item, void *ctx)
{
    pmm_md_memory_range *r = item;
    memory64_cursor *at = ctx;
    (void)md;
    r->address = pmm_le64(e);
    r->size = pmm_le64(e + 8);
    r->file_offset = at->offset;
    r->available = bytes_in_file(at->offset, r->size, at->file_size);
    /* Once the running offset passes the end of the file no later range has bytes; saturate
     * instead of wrapping so they all read as unavailable. */
    at->offset = r->size > UINT64_MAX - at->offset ? UINT64_MAX : at->offset + r->size;
}

pmm_status pmm_md_read_memory64_list(pmm_minidump *md, pmm_md_memory_range **out, size_t *count, char *message,
                                     size_t cap)
{
    *out = NULL;
    *count = 0;
    uint8_t *d;
    size_t size;
    pmm_status st = md_load_stream(md, PMM_MD_STREAM_MEMORY64_LIST, MEMORY64_HEADER_SIZE, &d, &size, message, cap);
    if (st != PMM_OK)
        return st;
    uint64_t n = 0;
    st = layout_memory64(d, size, &n, message, cap);
    memory64_cursor at = {pmm_le64(d + 8), pmm_md_file_size(md)};
    void *ranges = NULL;
    if (st == PMM_OK)
        st = md_parse_entries(md, d + MEMORY64_HEADER_SIZE, n, MEMORY64_DESCRIPTOR_SIZE, sizeof **out, parse_range64,
                              &at, "memory ranges", &ranges, count, message, cap);
    free(d);
    *out = ranges;
    return st;
}

static void parse_memory_info(pmm_minidump *md, const uint8_t *e, void *item, void *ctx)
{
    pmm_region_info *r = item;
    (void)md;
    (void)ctx;
    r->base = pmm_le64(e);
    r->alloc_base = pmm_le64(e + 8);
    r->alloc_protect = pmm_le32(e + 16);
    r->size = pmm_le64(e + 24);
    r->state = pmm_le32(e + 32);
    r->protect = pmm_le32(e + 36);
    r->type = pmm_le32(e + 40);
}

pmm_status pmm_md_read_memory_info_list(pmm_minidump *md, pmm_region_info **out, size_t *count, char *message,
                                        size_t cap)
{
    *out = NULL;
    *count = 0;
    uint8_t *d;
    size_t size;
    pmm_status st = md_load_stream(md, PMM_MD_STREAM_MEMORY_INFO_LIST, MEMORY_INFO_HEADER_MIN, &d, &size, message,
                                   cap);
    if (st != PMM_OK)
        return st;
    uint32_t header_size = pmm_le32(d), entry_size = pmm_le32(d + 4);
    uint64_t n = pmm_le64(d + 8);
    st = md_table_layout("MemoryInfoList", size, header_size, entry_size, n, MEMORY_INFO_HEADER_MIN,
                         MEMORY_INFO_ENTRY_MIN, message, cap);
    void *regions = NULL;
    if (st == PMM_OK)
        st = md_parse_entries(md, d + header_size, n, entry_size, sizeof **out, parse_memory_info, NULL, "regions",
                              &regions, count, message, cap);
    free(d);
    *out = regions;
    return st;
}
