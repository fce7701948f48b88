/* Reading a PE's bytes: RVA translation for both layouts, a small chunk cache over the source,
 * and the string pool that results keep their names in. */
#include "pe_internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- cache ------------------------------------------------------------------------------------ */

static pmm_status cache_ensure(pe_image *img)
{
    if (img->cache_bytes)
        return PMM_OK;
    img->cache_bytes = malloc((size_t)PE_CACHE_CHUNKS * PE_CACHE_CHUNK_SIZE);
    return img->cache_bytes ? PMM_OK : PMM_ERR_NOMEM;
}

/* The slot holding the chunk at chunk_addr, loading it into the least recently used slot. */
static size_t cache_slot(pe_image *img, uint64_t chunk_addr)
{
    size_t victim = 0;
    for (size_t i = 0; i < PE_CACHE_CHUNKS; i++) {
        pe_cache_chunk *c = &img->cache[i];
        if (c->valid && c->address == chunk_addr) {
            c->last_use = ++img->cache_clock;
            return i;
        }
        if (!img->cache[victim].valid)
            continue;
        if (!c->valid || c->last_use < img->cache[victim].last_use)
            victim = i;
    }
    pe_cache_chunk *c = &img->cache[victim];
    uint8_t *bytes = img->cache_bytes + victim * (size_t)PE_CACHE_CHUNK_SIZE;
    c->address = chunk_addr;
    c->valid = (uint32_t)pmm_source_read(img->src, chunk_addr, bytes, PE_CACHE_CHUNK_SIZE);
    c->last_use = ++img->cache_clock;
    return victim;
}

/* Copies up to len contiguous bytes at addr; returns how many. */
static size_t cached_read(pe_image *img, uint64_t addr, uint8_t *buf, size_t len)
{
    if (len > PE_CACHE_CHUNK_SIZE || cache_ensure(img) != PMM_OK)
        return pmm_source_read(img->src, addr, buf, len);
    size_t done = 0;
    while (done < len) {
        uint64_t a = addr + done;
        if (a < addr)
            break;  /* wrapped the address space */
        uint64_t chunk_addr = a & ~(uint64_t)(PE_CACHE_CHUNK_SIZE - 1);
        size_t slot = cache_slot(img, chunk_addr);
        const pe_cache_chunk *c = &img->cache[slot];
        uint64_t off = a - chunk_addr;
        if (off >= c->valid) {
            /* The chunk start was unreadable (a region boundary inside the chunk): ask the
             * source directly rather than give up on bytes that may be readable. */
            return done + pmm_source_read(img->src, a, buf + done, len - done);
        }
        size_t n = (size_t)(c->valid - off);
        if (n > len - done)
            n = len - done;
        memcpy(buf + done, img->cache_bytes + slot * (size_t)PE_CACHE_CHUNK_SIZE + off, n);
        done += n;
        if (c->valid < PE_CACHE_CHUNK_SIZE && done < len)
            return done + pmm_source_read(img->src, addr + done, buf + done, len - done);
    }
    return done;
}

size_t pe_read_source_some(pe_image *img, uint64_t addr, void *buf, size_t len)
{
    return len ? cached_read(img, addr, buf, len) : 0;
}

pmm_status pe_read_source(pe_image *img, uint64_t addr, void *buf, size_t len)
{
    if (len == 0)
        return PMM_OK;
    return cached_read(img, addr, buf, len) == len ? PMM_OK : PMM_ERR_READ;
}

/* ---- RVA translation -------------------------------------------------------------------------- */

uint32_t pe_align_up32(uint32_t v, uint32_t a)
{
    if (a == 0 || (a & (a - 1)))
        return v;
    uint64_t r = ((uint64_t)v + a - 1) & ~(uint64_t)(a - 1);
    return r > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)r;
}

uint32_t pe_section_mapped_size(const pe_image *img, const pe_section *s)
{
    uint32_t vs = s->virtual_size ? s->virtual_size : s->raw_size;
    return pe_align_up32(vs, img->section_alignment);
}

/* The loader maps sections in flat "as the file is" fashion when the section alignment is below a
 * page: RVA and file offset are then the same. */
static int maps_flat(const pe_image *img)
{
    return (img->anomalies & PE_ANOMALY_LOW_ALIGNMENT) != 0;
}

static int section_contains(const pe_image *img, const pe_section *s, uint32_t rva)
{
    return rva >= s->virtual_address && rva - s->virtual_address < pe_section_mapped_size(img, s);
}

/* Sections overlap only in hostile files (the loader refuses them); looking back this far past the
 * last section starting at or below an RVA keeps lookups logarithmic and still finds an enclosing
 * section that starts earlier. */
#define PE_OVERLAP_LOOKBACK 16u

size_t pe_section_of_rva(const pe_image *img, uint32_t rva)
{
    const uint32_t *order = img->sections_by_address;
    if (!order) {
        for (size_t i = 0; i < img->section_count; i++)
            if (section_contains(img, &img->sections[i], rva))
                return i;
        return PE_NO_SECTION;
    }
    size_t lo = 0, hi = img->section_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (img->sections[order[mid]].virtual_address <= rva)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t n = 0; n < PE_OVERLAP_LOOKBACK && lo > 0; n++, lo--)
        if (section_contains(img, &img->sections[order[lo - 1]], rva))
            return order[lo - 1];
    return PE_NO_SECTION;
}

typedef struct rva_span {
    uint64_t address;    /* source address of the first byte */
    uint32_t length;     /* bytes contiguous from there (at least 1) */
    int zero_fill;       /* the loader would zero these bytes: nothing to read */
} rva_span;

static pmm_status translate_file_rva(const pe_image *img, uint32_t rva, rva_span *span)
{
    uint32_t headers = img->header_end;
    if (rva < headers) {
        span->address = img->base + rva;
        span->length = headers - rva;
        span->zero_fill = 0;
        return PMM_OK;
    }
    size_t i = pe_section_of_rva(img, rva);
    if (i == PE_NO_SECTION)
        return PMM_ERR_FORMAT;
    const pe_section *s = &img->sections[i];
    uint32_t off = rva - s->virtual_address;
    uint32_t mapped = pe_section_mapped_size(img, s);
    /* The loader reads raw data from PointerToRawData rounded down to 512 bytes, and no more
     * than the aligned raw size nor the virtual size; the rest of the section is zero. */
    uint32_t raw_start = s->raw_offset & ~0x1FFu;
    uint32_t raw = pe_align_up32(s->raw_size, img->file_alignment);
    if (raw > mapped)
        raw = mapped;
    if (s->raw_size == 0 || s->raw_offset == 0)
        raw = 0;
    if (off < raw) {
        span->address = img->base + raw_start + off;
        span->length = raw - off;
        span->zero_fill = 0;
    } else {
        span->address = 0;
        span->length = mapped - off;
        span->zero_fill = 1;
    }
    return PMM_OK;
}

static pmm_status translate_rva(const pe_image *img, uint32_t rva, rva_span *span)
{
    if (img->layout == PE_LAYOUT_IMAGE || maps_flat(img)) {
        /* A mapped image ends at SizeOfImage; past it lies someone else's memory. A flat-mapped
         * file gets the same limit, with a little slack for the header when SizeOfImage lies. */
        uint32_t limit = img->size_of_image;
        if (rva >= limit)
            return PMM_ERR_FORMAT;
        span->address = img->base + rva;
        span->length = limit - rva;
        span->zero_fill = 0;
        return PMM_OK;
    }
    return translate_file_rva(img, rva, span);
}

pmm_status pe_read_rva(pe_image *img, uint32_t rva, void *buf, size_t len)
{
    uint8_t *out = buf;
    if (len > 0xFFFFFFFFu || !pe_range_ok(rva, (uint32_t)len))
        return PMM_ERR_FORMAT;
    while (len > 0) {
        rva_span span;
        pmm_status st = translate_rva(img, rva, &span);
        if (st != PMM_OK)
            return st;
        size_t n = span.length < len ? span.length : len;
        if (span.zero_fill)
            memset(out, 0, n);
        else if ((st = pe_read_source(img, span.address, out, n)) != PMM_OK)
            return st;
        out += n;
        len -= n;
        rva += (uint32_t)n;
    }
    return PMM_OK;
}

pmm_status pe_read_rva_u16(pe_image *img, uint32_t rva, uint16_t *out)
{
    uint8_t b[2];
    pmm_status st = pe_read_rva(img, rva, b, sizeof b);
    if (st == PMM_OK)
        *out = pmm_le16(b);
    return st;
}

pmm_status pe_read_rva_u32(pe_image *img, uint32_t rva, uint32_t *out)
{
    uint8_t b[4];
    pmm_status st = pe_read_rva(img, rva, b, sizeof b);
    if (st == PMM_OK)
        *out = pmm_le32(b);
    return st;
}

pmm_status pe_read_rva_u64(pe_image *img, uint32_t rva, uint64_t *out)
{
    uint8_t b[8];
    pmm_status st = pe_read_rva(img, rva, b, sizeof b);
    if (st == PMM_OK)
        *out = pmm_le64(b);
    return st;
}

pmm_status pe_read_rva_string(pe_image *img, uint32_t rva, char *buf, size_t cap)
{
    if (cap == 0)
        return PMM_ERR_ARG;
    buf[0] = '\0';
    size_t used = 0;
    /* Read in growing pieces: most names are short, and a string may end right before an
     * unreadable page, so a long read must not be required to succeed. */
    size_t piece = 32;
    while (used < cap - 1) {
        size_t want = cap - 1 - used;
        if (want > piece)
            want = piece;
        rva_span span;
        pmm_status st = translate_rva(img, rva, &span);
        if (st != PMM_OK)
            return used ? PMM_ERR_FORMAT : st;
        if (want > span.length)
            want = span.length;
        if (span.zero_fill) {
            buf[used] = '\0';
            return PMM_OK;  /* zero-filled memory terminates the string */
        }
        size_t got = cached_read(img, span.address, (uint8_t *)buf + used, want);
        if (got == 0)
            return used ? PMM_ERR_FORMAT : PMM_ERR_READ;
        if (memchr(buf + used, '\0', got))
            return PMM_OK;
        used += got;
        buf[used] = '\0';
        if (!pe_range_ok(rva, (uint32_t)got))
            return PMM_ERR_FORMAT;   /* runs off the end of the 32-bit RVA space */
        rva += (uint32_t)got;
        if (piece < 1024)
            piece *= 2;
    }
    buf[cap - 1] = '\0';
    return PMM_ERR_LIMIT;
}

pmm_status pe_va_to_rva(const pe_image *img, uint64_t va, uint32_t *rva)
{
    *rva = 0;
    if (va < img->va_base || va - img->va_base > 0xFFFFFFFFu)
        return PMM_ERR_FORMAT;
    *rva = (uint32_t)(va - img->va_base);
    return PMM_OK;
}

/* ---- string pool ------------------------------------------------------------------------------ */

struct pe_string_block {
    pe_string_block *next;
    size_t used, cap;
    char data[];
};

#define PE_STRING_BLOCK 16384u

const char *pe_strings_add(pe_strings *pool, const char *text, size_t len)
{
    pe_string_block *b = pool->head;
    if (!b || b->cap - b->used < len + 1) {
        size_t cap = len + 1 > PE_STRING_BLOCK ? len + 1 : PE_STRING_BLOCK;
        pe_string_block *nb = malloc(sizeof *nb + cap);
        if (!nb)
            return NULL;
        nb->next = pool->head;
        nb->used = 0;
        nb->cap = cap;
        pool->head = nb;
        b = nb;
    }
    char *s = b->data + b->used;
    memcpy(s, text, len);
    s[len] = '\0';
    b->used += len + 1;
    return s;
}

void pe_strings_free(pe_strings *pool)
{
    pe_string_block *b = pool->head;
    while (b) {
        pe_string_block *next = b->next;
        free(b);
        b = next;
    }
    pool->head = NULL;
}

pmm_status pe_read_name(pe_image *img, uint32_t rva, pe_strings *pool, const char **out)
{
    char buf[PE_MAX_NAME];
    *out = NULL;
    pmm_status st = pe_read_rva_string(img, rva, buf, sizeof buf);
    if (st != PMM_OK && st != PMM_ERR_LIMIT)
        return st;
    /* Names are ASCII by definition; anything else is replaced so that text and JSON output of a
     * hostile file stay well-formed. */
    for (char *p = buf; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
            *p = '?';
    *out = pe_strings_add(pool, buf, strlen(buf));
    return *out ? PMM_OK : PMM_ERR_NOMEM;
}
