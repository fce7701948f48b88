/* Little-endian loads and stores on byte buffers. File formats and target structures are decoded
 * and encoded field by field through these, never by casting a structure over the bytes, so
 * alignment and the host's byte order never matter. The caller has checked the bounds. */
#ifndef PMM_ENDIAN_H
#define PMM_ENDIAN_H

#include <stdint.h>

static inline uint16_t pmm_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t pmm_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline uint64_t pmm_le64(const uint8_t *p)
{
    return (uint64_t)pmm_le32(p) | ((uint64_t)pmm_le32(p + 4) << 32);
}

/* A pointer-sized field: 8 bytes for a 64-bit layout, else 4. */
static inline uint64_t pmm_le_pointer(const uint8_t *p, uint32_t pointer_size)
{
    return pointer_size == 8 ? pmm_le64(p) : pmm_le32(p);
}

static inline void pmm_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void pmm_put32(uint8_t *p, uint32_t v)
{
    pmm_put16(p, (uint16_t)v);
    pmm_put16(p + 2, (uint16_t)(v >> 16));
}

static inline void pmm_put64(uint8_t *p, uint64_t v)
{
    pmm_put32(p, (uint32_t)v);
    pmm_put32(p + 4, (uint32_t)(v >> 32));
}

#endif
