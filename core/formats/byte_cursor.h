/* A bounds-checked reader over bytes from outside (DWARF sections, PDB streams, COFF tables).
 * Every read past the end returns 0 and sets `bad`, so a parser can read a whole record and check
 * once; nothing ever reads outside [start, end). */
#ifndef PMM_BYTE_CURSOR_H
#define PMM_BYTE_CURSOR_H

#include <stddef.h>
#include <stdint.h>

typedef struct byte_cursor {
    const uint8_t *start;
    const uint8_t *p;
    const uint8_t *end;
    int bad;                 /* a read ran past the end, or a number did not fit */
} byte_cursor;

/* A cursor over size bytes at data; a NULL data (an absent section) is an empty cursor. */
static inline byte_cursor bc_make(const uint8_t *data, size_t size)
{
    byte_cursor c = {data, data, data ? data + size : data, 0};
    return c;
}

static inline size_t bc_left(const byte_cursor *c)
{
    return (size_t)(c->end - c->p);
}

static inline size_t bc_offset(const byte_cursor *c)
{
    return (size_t)(c->p - c->start);
}

/* Moves to offset from start; past the end sets bad. */
static inline void bc_seek(byte_cursor *c, uint64_t offset)
{
    if (offset > (uint64_t)(c->end - c->start)) {
        c->bad = 1;
        c->p = c->end;
    } else if (c->start) {
        c->p = c->start + offset;
    }
}

static inline void bc_skip(byte_cursor *c, uint64_t n)
{
    if (n > bc_left(c)) {
        c->bad = 1;
        c->p = c->end;
    } else if (n) {
        c->p += n;
    }
}

/* A pointer to the next n bytes (then skipped), or NULL with bad set. */
static inline const uint8_t *bc_bytes(byte_cursor *c, uint64_t n)
{
    if (n > bc_left(c)) {
        c->bad = 1;
        c->p = c->end;
        return NULL;
    }
    const uint8_t *at = c->p;
    if (n)
        c->p += n;
    return at;
}

static inline uint64_t bc_uint(byte_cursor *c, unsigned size)
{
    const uint8_t *b = bc_bytes(c, size);
    uint64_t v = 0;
    for (unsigned i = 0; b && i < size; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

static inline uint8_t bc_u8(byte_cursor *c) { return (uint8_t)bc_uint(c, 1); }
static inline uint16_t bc_u16(byte_cursor *c) { return (uint16_t)bc_uint(c, 2); }
static inline uint32_t bc_u32(byte_cursor *c) { return (uint32_t)bc_uint(c, 4); }
static inline uint64_t bc_u64(byte_cursor *c) { return bc_uint(c, 8); }

/* LEB128; more than 64 bits of value sets bad (the bytes are still consumed). */
static inline uint64_t bc_uleb(byte_cursor *c)
{
    uint64_t v = 0;
    unsigned shift = 0;
    for (;;) {
        if (c->p >= c->end) {
            c->bad = 1;
            return 0;
        }
        uint8_t b = *c->p++;
        if (shift < 64)
            v |= (uint64_t)(b & 0x7f) << shift;
        else if (b & 0x7f)
            c->bad = 1;
        shift += 7;
        if (!(b & 0x80))
            return v;
    }
}

static inline int64_t bc_sleb(byte_cursor *c)
{
    uint64_t v = 0;
    unsigned shift = 0;
    uint8_t b;
    do {
        if (c->p >= c->end) {
            c->bad = 1;
            return 0;
        }
        b = *c->p++;
        if (shift < 64)
            v |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
    } while (b & 0x80);
    if (shift < 64 && (b & 0x40))
        v |= ~(uint64_t)0 << shift;
    return (int64_t)v;
}

/* A NUL-terminated string inside the bytes (the cursor moves past its NUL); NULL with bad set
 * when no NUL comes before the end. */
static inline const char *bc_cstr(byte_cursor *c)
{
    const uint8_t *q = c->p;
    while (q < c->end && *q)
        q++;
    if (q >= c->end) {
        c->bad = 1;
        c->p = c->end;
        return NULL;
    }
    const char *s = (const char *)c->p;
    c->p = q + 1;
    return s;
}

/* The NUL-terminated string at offset in data[0..size), or NULL when it has no NUL inside. */
static inline const char *bc_string_at(const uint8_t *data, size_t size, uint64_t offset)
{
    if (!data || offset >= size)
        return NULL;
    byte_cursor c = bc_make(data + offset, size - (size_t)offset);
    return bc_cstr(&c);
}

#endif
