#include "source.h"

#include <stdio.h>
#include <stdlib.h>
#include "../util/utf.h"

/* Longest UTF-16 string we follow in a target (UNICODE_STRING lengths are 16-bit anyway). */
#define PMM_MAX_TARGET_STRING_BYTES 0xFFFFu

pmm_status pmm_source_query(pmm_source *src, uint64_t addr, pmm_region_info *out)
{
    return src->ops->query(src->impl, addr, out);
}

size_t pmm_source_read(pmm_source *src, uint64_t addr, void *buf, size_t len)
{
    if (len == 0)
        return 0;
    if (addr + len < addr)  /* wraps the address space */
        len = (size_t)(0 - addr);
    return src->ops->read(src->impl, addr, buf, len);
}

size_t pmm_source_borrow(pmm_source *src, uint64_t addr, size_t len, const uint8_t **out)
{
    *out = NULL;
    if (len == 0 || !src->ops->borrow)
        return 0;
    if (addr + len < addr)
        len = (size_t)(0 - addr);
    size_t lent = src->ops->borrow(src->impl, addr, len, out);
    return *out && lent <= len ? lent : 0;   /* a source that lends more than asked is not believed */
}

pmm_status pmm_source_read_exact(pmm_source *src, uint64_t addr, void *buf, size_t len)
{
    return pmm_source_read(src, addr, buf, len) == len ? PMM_OK : PMM_ERR_READ;
}

pmm_status pmm_source_read_u16(pmm_source *src, uint64_t addr, uint16_t *out)
{
    uint8_t b[2];
    pmm_status st = pmm_source_read_exact(src, addr, b, sizeof b);
    if (st == PMM_OK)
        *out = (uint16_t)(b[0] | (b[1] << 8));
    return st;
}

pmm_status pmm_source_read_u32(pmm_source *src, uint64_t addr, uint32_t *out)
{
    uint8_t b[4];
    pmm_status st = pmm_source_read_exact(src, addr, b, sizeof b);
    if (st == PMM_OK)
        *out = (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24);
    return st;
}

pmm_status pmm_source_read_u64(pmm_source *src, uint64_t addr, uint64_t *out)
{
    uint32_t lo, hi;
    pmm_status st = pmm_source_read_u32(src, addr, &lo);
    if (st == PMM_OK)
        st = pmm_source_read_u32(src, addr + 4, &hi);
    if (st == PMM_OK)
        *out = ((uint64_t)hi << 32) | lo;
    return st;
}

pmm_status pmm_source_read_pointer(pmm_source *src, uint64_t addr, uint32_t pointer_size, uint64_t *out)
{
    if (pointer_size == 8)
        return pmm_source_read_u64(src, addr, out);
    uint32_t v;
    pmm_status st = pmm_source_read_u32(src, addr, &v);
    if (st == PMM_OK)
        *out = v;
    return st;
}

pmm_status pmm_source_read_utf16(pmm_source *src, uint64_t addr, uint32_t len_bytes, char *buf, size_t cap)
{
    if (cap == 0)
        return PMM_ERR_ARG;
    buf[0] = '\0';
    if (len_bytes > PMM_MAX_TARGET_STRING_BYTES)
        return PMM_ERR_FORMAT;
    uint8_t *tmp = malloc(len_bytes ? len_bytes : 1);
    if (!tmp)
        return PMM_ERR_NOMEM;
    pmm_status st = pmm_source_read_exact(src, addr, tmp, len_bytes);
    if (st == PMM_OK)
        pmm_utf16le_to_utf8(tmp, len_bytes / 2, buf, cap);
    free(tmp);
    return st;
}

pmm_status pmm_source_threads(pmm_source *src, pmm_thread_info **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    return src->ops->threads ? src->ops->threads(src->impl, out, count) : PMM_ERR_NOT_PROVIDED;
}

pmm_status pmm_source_modules(pmm_source *src, pmm_module_info **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    return src->ops->modules ? src->ops->modules(src->impl, out, count) : PMM_ERR_NOT_PROVIDED;
}

pmm_status pmm_source_mapped_file_name(pmm_source *src, uint64_t addr, char *buf, size_t cap)
{
    if (!src->ops->mapped_file_name) {
        if (cap)
            buf[0] = '\0';
        return PMM_ERR_NOT_PROVIDED;
    }
    return src->ops->mapped_file_name(src->impl, addr, buf, cap);
}

pmm_status pmm_source_heaps(pmm_source *src, uint32_t flags, pmm_heap_entry **out, size_t *count, char *message,
                            size_t message_cap)
{
    *out = NULL;
    *count = 0;
    if (!src->ops->heaps)
        return PMM_ERR_NOT_PROVIDED;
    return src->ops->heaps(src->impl, flags, out, count, message, message_cap);
}

const char *pmm_source_note(pmm_source *src, size_t index)
{
    return src->ops->note ? src->ops->note(src->impl, index) : NULL;
}

pmm_status pmm_source_alive(pmm_source *src)
{
    return src->ops->alive ? src->ops->alive(src->impl) : PMM_OK;
}

int pmm_source_knows_held(const pmm_source *src)
{
    return src && src->ops && src->ops->held_extent;
}

pmm_status pmm_source_held_extent(pmm_source *src, uint64_t addr, uint64_t *start, uint64_t *end)
{
    if (!pmm_source_knows_held(src))
        return PMM_END;
    return src->ops->held_extent(src->impl, addr, start, end);
}

uint64_t pmm_source_next_readable(pmm_source *src, uint64_t addr, uint64_t limit)
{
    if (addr >= limit)
        return limit;
    uint64_t start, end;
    if (pmm_source_knows_held(src)) {
        if (pmm_source_held_extent(src, addr, &start, &end) != PMM_OK || start >= limit)
            return limit;
        return start > addr ? start : addr;
    }
    pmm_region_info r;
    pmm_status st = pmm_source_query(src, addr, &r);
    if (st == PMM_END)
        return limit;   /* past the user address space */
    if (st != PMM_OK || r.size == 0)
        return addr;    /* the source cannot say: the caller's own step applies */
    if (r.base > addr)
        return r.base < limit ? r.base : limit;   /* a gap below the next region */
    if (r.state == PMM_MEM_COMMIT && pmm_protect_may_be_read(r.protect))
        return addr;
    end = r.size > UINT64_MAX - r.base ? UINT64_MAX : r.base + r.size;
    return end < limit ? end : limit;
}

static const char *missing_working_set_reason(uint32_t source_kind)
{
    switch (source_kind) {
    case PMM_SOURCE_MINIDUMP: return "a minidump does not record the working set";
    case PMM_SOURCE_SAVED: return "the saved map holds no working-set facts";
    }
    return "this source cannot tell which pages are resident";
}

pmm_status pmm_source_working_set(pmm_source *src, uint64_t addr, size_t count, pmm_page_ws *out, char *message,
                                  size_t message_cap)
{
    if (message_cap)
        message[0] = '\0';
    if (count > PMM_WS_MAX_BATCH || addr % PMM_PAGE_SIZE)
        return PMM_ERR_ARG;
    if (!src->ops->working_set) {
        if (message_cap)
            snprintf(message, message_cap, "%s", missing_working_set_reason(src->target.source_kind));
        return PMM_ERR_NOT_PROVIDED;
    }
    return src->ops->working_set(src->impl, addr, count, out, message, message_cap);
}

void pmm_source_close(pmm_source *src)
{
    if (src && src->ops && src->ops->close)
        src->ops->close(src->impl);
    if (src) {
        src->ops = NULL;
        src->impl = NULL;
    }
}
