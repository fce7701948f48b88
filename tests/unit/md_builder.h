/* Builds small minidumps in memory for tests: streams the real fixtures lack (MemoryInfoList,
 * Memory64List, ThreadInfoList, HandleData, UnloadedModuleList) and deliberate corruption.
 * Header-only and test-only; every value is written byte by byte in little-endian order. */
#ifndef PMM_MD_BUILDER_H
#define PMM_MD_BUILDER_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct mdb {
    uint8_t *data;
    size_t len, cap;
    uint32_t stream_slots;   /* directory entries reserved */
    uint32_t streams_used;
} mdb;

static void mdb_reserve(mdb *b, size_t more)
{
    if (b->len + more <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + more)
        cap *= 2;
    uint8_t *grown = realloc(b->data, cap);
    if (!grown)
        abort();
    b->data = grown;
    b->cap = cap;
}

static size_t mdb_bytes(mdb *b, const void *src, size_t len)
{
    mdb_reserve(b, len);
    size_t at = b->len;
    if (src)
        memcpy(b->data + at, src, len);
    else
        memset(b->data + at, 0, len);
    b->len += len;
    return at;
}

static void mdb_set_u16(mdb *b, size_t at, uint16_t v)
{
    b->data[at] = (uint8_t)v;
    b->data[at + 1] = (uint8_t)(v >> 8);
}

static void mdb_set_u32(mdb *b, size_t at, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b->data[at + i] = (uint8_t)(v >> (8 * i));
}

static void mdb_set_u64(mdb *b, size_t at, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        b->data[at + i] = (uint8_t)(v >> (8 * i));
}

static size_t mdb_u32(mdb *b, uint32_t v)
{
    size_t at = mdb_bytes(b, NULL, 4);
    mdb_set_u32(b, at, v);
    return at;
}

static size_t mdb_u64(mdb *b, uint64_t v)
{
    size_t at = mdb_bytes(b, NULL, 8);
    mdb_set_u64(b, at, v);
    return at;
}

/* A MINIDUMP_STRING from ASCII text; returns its rva. */
static uint32_t mdb_string(mdb *b, const char *ascii)
{
    size_t n = strlen(ascii);
    size_t at = mdb_u32(b, (uint32_t)(n * 2));
    for (size_t i = 0; i < n; i++) {
        size_t c = mdb_bytes(b, NULL, 2);
        mdb_set_u16(b, c, (uint16_t)(unsigned char)ascii[i]);
    }
    mdb_bytes(b, NULL, 2);  /* terminator, as writers add */
    return (uint32_t)at;
}

/* One MINIDUMP_MEMORY_INFO (48 bytes) with AllocationBase = base and AllocationProtect = protect. */
static void mdb_memory_info_entry(mdb *b, uint64_t base, uint64_t size, uint32_t state, uint32_t protect,
                                  uint32_t type)
{
    size_t e = mdb_bytes(b, NULL, 48);
    mdb_set_u64(b, e, base);
    mdb_set_u64(b, e + 8, base);
    mdb_set_u32(b, e + 16, protect);
    mdb_set_u64(b, e + 24, size);
    mdb_set_u32(b, e + 32, state);
    mdb_set_u32(b, e + 36, protect);
    mdb_set_u32(b, e + 40, type);
}

static void mdb_begin(mdb *b, uint32_t stream_slots)
{
    memset(b, 0, sizeof *b);
    b->stream_slots = stream_slots;
    mdb_u32(b, 0x504D444Du);
    mdb_u32(b, 0x0000A793u);
    mdb_u32(b, stream_slots);
    mdb_u32(b, 32);
    mdb_u32(b, 0);
    mdb_u32(b, 0x5F000000u);
    mdb_u64(b, 0);
    mdb_bytes(b, NULL, 12u * stream_slots);
}

/* Starts a stream body at the current end; close it with mdb_end_stream. */
static size_t mdb_begin_stream(mdb *b)
{
    return b->len;
}

static void mdb_end_stream(mdb *b, uint32_t type, size_t start)
{
    size_t entry = 32 + 12u * b->streams_used++;
    mdb_set_u32(b, entry, type);
    mdb_set_u32(b, entry + 4, (uint32_t)(b->len - start));
    mdb_set_u32(b, entry + 8, (uint32_t)start);
}

#endif
