/* The little-endian writer behind the saved-map encoder, and the shared checksum. */
#include "saved_map_layout.h"
#include "saved_map_pages.h"

#include <stdlib.h>
#include <string.h>
#include "../util/array.h"

void sm_reserve(sm_writer *w, size_t len)
{
    if (w->failed)
        return;
    if (len > SIZE_MAX - w->used || pmm_array_reserve((void **)&w->data, &w->cap, w->used + len, 1) != PMM_OK)
        w->failed = 1;
}

void sm_put_bytes(sm_writer *w, const void *bytes, size_t len)
{
    sm_reserve(w, len);
    if (w->failed)
        return;
    memcpy(w->data + w->used, bytes, len);
    w->used += len;
}

void sm_put_u8(sm_writer *w, uint8_t v)
{
    sm_put_bytes(w, &v, 1);
}

void sm_put_u16(sm_writer *w, uint16_t v)
{
    uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    sm_put_bytes(w, b, 2);
}

void sm_put_u32(sm_writer *w, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    sm_put_bytes(w, b, 4);
}

void sm_put_u64(sm_writer *w, uint64_t v)
{
    sm_put_u32(w, (uint32_t)v);
    sm_put_u32(w, (uint32_t)(v >> 32));
}

void sm_patch_u64(sm_writer *w, size_t offset, uint64_t v)
{
    if (w->failed || offset > w->used || w->used - offset < 8)
        return;
    for (int i = 0; i < 8; i++)
        w->data[offset + (size_t)i] = (uint8_t)(v >> (8 * i));
}

const char *sm_section_name(uint32_t id)
{
    static const char *const names[] = {"?", "target", "strings", "regions", "annotations", "modules",
                                        "threads", "heaps", "warnings", "page checksums", "frames", "thread extras",
                                        "SEH records", "64-bit call stacks", "working set", "integrity", "image checks",
                                        "findings", "not checked"};
    _Static_assert(sizeof names / sizeof names[0] == SM_SECTION_LAST + 1, "a name for every section");
    return id <= SM_SECTION_LAST ? names[id] : "unknown";
}

#define FNV64_OFFSET 0xcbf29ce484222325ull
#define FNV64_PRIME 0x100000001b3ull

uint64_t pmm_checksum64(const void *data, size_t len)
{
    const uint8_t *p = data;
    uint64_t h = FNV64_OFFSET;
    size_t words = len / 8;
    for (size_t i = 0; i < words; i++, p += 8) {
        uint64_t word = (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
                        (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
        h = (h ^ word) * FNV64_PRIME;
        h ^= h >> 31;   /* multiplication only carries upwards: fold the high bits back down */
    }
    for (size_t i = 0; i < len % 8; i++)
        h = (h ^ p[i]) * FNV64_PRIME;
    return h;
}
