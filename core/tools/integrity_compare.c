/* The byte comparison: the file's bytes for a range, relocated for the loaded base, against memory,
 * in large chunks; differing bytes become runs, unreadable memory becomes unchecked entries. */
#include "integrity_internal.h"

#include <stdlib.h>
#include <string.h>
#include "../util/array.h"

enum { REL_ABSOLUTE = 0, REL_HIGH = 1, REL_LOW = 2, REL_HIGHLOW = 3, REL_HIGHADJ = 4, REL_DIR64 = 10 };

static uint32_t reloc_width(uint16_t type)
{
    switch (type) {
    case REL_HIGH: case REL_LOW: case REL_HIGHADJ: return 2;
    case REL_HIGHLOW: return 4;
    case REL_DIR64: return 8;
    }
    return 0;
}

static uint64_t get_le(const uint8_t *p, uint32_t width)
{
    uint64_t v = 0;
    for (uint32_t i = width; i-- > 0;)
        v = (v << 8) | p[i];
    return v;
}

static void put_le(uint8_t *p, uint32_t width, uint64_t v)
{
    for (uint32_t i = 0; i < width; i++, v >>= 8)
        p[i] = (uint8_t)v;
}

/* What the Windows loader does to one fixup (LdrProcessRelocationBlockLongLong). */
static void apply_reloc(const integrity_reloc *r, uint8_t *p, uint64_t delta)
{
    uint32_t width = reloc_width(r->type);
    uint64_t v = get_le(p, width);
    switch (r->type) {
    case REL_HIGH:
        v = (((v << 16) + (uint32_t)delta) >> 16);
        break;
    case REL_LOW:
        v += (uint16_t)delta;
        break;
    case REL_HIGHADJ:
        v = ((v << 16) + (uint32_t)(int32_t)(int16_t)r->next_raw + (uint32_t)delta + 0x8000u) >> 16;
        break;
    default:
        v += delta;
        break;
    }
    put_le(p, width, v);
}

static size_t first_reloc_at(const integrity_image *img, uint32_t rva)
{
    size_t lo = 0, hi = img->reloc_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (img->relocs[mid].rva < rva)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Applies every fixup that lies wholly inside buf, which holds [buf_rva, buf_rva + len). */
static void relocate(const integrity_image *img, uint8_t *buf, uint32_t buf_rva, uint32_t len)
{
    if (img->delta == 0)
        return;
    uint64_t end = (uint64_t)buf_rva + len;
    for (size_t i = first_reloc_at(img, buf_rva); i < img->reloc_count && img->relocs[i].rva < end; i++) {
        const integrity_reloc *r = &img->relocs[i];
        uint32_t width = reloc_width(r->type);
        if (width && (uint64_t)r->rva + width <= end)
            apply_reloc(r, buf + (r->rva - buf_rva), img->delta);
    }
}

pmm_status integrity_expected_bytes(integrity_image *img, uint32_t rva, uint8_t *buf, uint32_t len)
{
    /* Read a little more on each side so a fixup straddling either end is applied whole. */
    uint8_t stack[64 + 2 * INTEGRITY_SLACK];
    uint32_t before = rva >= INTEGRITY_SLACK ? INTEGRITY_SLACK : rva;
    uint64_t total = (uint64_t)before + len + INTEGRITY_SLACK;
    if (total > sizeof stack) {
        pmm_status st = pe_read_rva(&img->file, rva, buf, len);
        if (st == PMM_OK)
            relocate(img, buf, rva, len);
        return st;
    }
    pmm_status st = pe_read_rva(&img->file, rva - before, stack, (size_t)total);
    if (st != PMM_OK) {
        /* The slack may lie past a section's end; the bytes themselves may still be there. */
        before = 0;
        total = len;
        if ((st = pe_read_rva(&img->file, rva, stack, len)) != PMM_OK)
            return st;
    }
    relocate(img, stack, rva - before, (uint32_t)total);
    memcpy(buf, stack + before, len);
    return PMM_OK;
}

pmm_status integrity_expected_pointer(integrity_image *img, uint32_t rva, uint64_t *out)
{
    uint8_t b[8];
    uint32_t ps = img->file.pointer_size;
    pmm_status st = integrity_expected_bytes(img, rva, b, ps);
    if (st == PMM_OK)
        *out = get_le(b, ps);
    return st;
}

/* ---- runs ------------------------------------------------------------------------------------- */

typedef struct run_state {
    int open;
    uint32_t start, last;            /* first and last differing byte of the open run */
} run_state;

static pmm_status close_run(integrity_image *img, run_state *rs)
{
    if (!rs->open)
        return PMM_OK;
    rs->open = 0;
    if (img->run_count >= INTEGRITY_MAX_RUNS) {
        img->runs_dropped++;
        return PMM_OK;
    }
    pmm_status st = pmm_array_reserve((void **)&img->runs, &img->run_cap, img->run_count + 1, sizeof *img->runs);
    if (st == PMM_OK)
        img->runs[img->run_count++] = (integrity_run){rs->start, rs->last - rs->start + 1};
    return st;
}

static pmm_status note_difference(integrity_image *img, run_state *rs, uint32_t rva)
{
    img->differing_bytes++;
    if (rs->open && rva - rs->last <= INTEGRITY_RUN_GAP) {
        rs->last = rva;
        return PMM_OK;
    }
    pmm_status st = close_run(img, rs);
    rs->open = 1;
    rs->start = rs->last = rva;
    return st;
}

/* Compares expected with actual, both holding [rva, rva + len). */
static pmm_status diff(integrity_image *img, run_state *rs, const uint8_t *expected, const uint8_t *actual,
                       uint32_t rva, uint32_t len)
{
    const uint32_t block = 64;
    if (memcmp(expected, actual, len) == 0)
        return PMM_OK;   /* the usual case, at memcmp's speed */
    for (uint32_t off = 0; off < len; off += block) {
        uint32_t n = len - off < block ? len - off : block;
        if (memcmp(expected + off, actual + off, n) == 0)
            continue;
        for (uint32_t i = 0; i < n; i++) {
            if (expected[off + i] == actual[off + i])
                continue;
            pmm_status st = note_difference(img, rs, rva + off + i);
            if (st != PMM_OK)
                return st;
        }
    }
    return PMM_OK;
}

/* Ranges checked on their own (IAT, EAT, ...) take memory's bytes, so they never differ here. */
static void mask_excluded(const integrity_image *img, uint8_t *expected, const uint8_t *actual, uint32_t rva,
                          uint32_t len)
{
    uint64_t end = (uint64_t)rva + len;
    for (size_t i = 0; i < img->excluded_count; i++) {
        const integrity_range *x = &img->excluded[i];
        if (x->end <= rva || x->rva >= end)
            continue;
        uint32_t from = x->rva > rva ? x->rva : rva;
        uint32_t to = (uint64_t)x->end < end ? x->end : (uint32_t)end;
        memcpy(expected + (from - rva), actual + (from - rva), to - from);
    }
}

/* Memory at rva could not be read: finds where reading works again (page by page, within the
 * range) and records the pages in between as unchecked. Returns that RVA, or end. */
static pmm_status skip_unreadable(integrity_ctx *ctx, integrity_image *img, uint32_t rva, uint32_t end,
                                  const char *what, uint32_t *resume)
{
    if (pmm_source_alive(ctx->src) == PMM_ERR_GONE)
        return PMM_ERR_GONE;
    uint64_t next = ((uint64_t)rva + PMM_PAGE_SIZE) & ~(uint64_t)(PMM_PAGE_SIZE - 1);
    uint8_t probe;
    while (next < end && pmm_source_read(ctx->src, img->base + next, &probe, 1) != 1)
        next += PMM_PAGE_SIZE;
    *resume = next < end ? (uint32_t)next : end;
    img->partial = 1;
    const char *why = ctx->src->target.source_kind == PMM_SOURCE_MINIDUMP ? "pages not in the dump"
                                                                          : "memory could not be read";
    return integrity_add_unchecked(ctx, integrity_module_number(img), img->base + rva, *resume - rva, what, "%s", why);
}

pmm_status integrity_compare_range(integrity_ctx *ctx, integrity_image *img, uint32_t rva, uint32_t length,
                                   const char *what)
{
    run_state rs = {0, 0, 0};
    uint32_t end = rva + length, pos = rva;
    pmm_status st = PMM_OK;
    while (st == PMM_OK && pos < end) {
        uint32_t n = end - pos < INTEGRITY_CHUNK ? end - pos : INTEGRITY_CHUNK;
        uint32_t before = pos - rva < INTEGRITY_SLACK ? pos - rva : INTEGRITY_SLACK;
        uint32_t after = end - pos - n < INTEGRITY_SLACK ? end - pos - n : INTEGRITY_SLACK;
        uint32_t window = before + n + after;
        if ((st = pe_read_rva(&img->file, pos - before, ctx->expected, window)) != PMM_OK)
            return PMM_ERR_READ;
        relocate(img, ctx->expected, pos - before, window);
        size_t got = pmm_source_read(ctx->src, img->base + pos, ctx->actual, n);
        uint8_t *expected = ctx->expected + before;
        mask_excluded(img, expected, ctx->actual, pos, (uint32_t)got);
        st = diff(img, &rs, expected, ctx->actual, pos, (uint32_t)got);
        img->compared_bytes += got;
        img->compared_total += got;
        ctx->map->integrity.summary.bytes_compared += got;
        uint32_t next = pos + (uint32_t)got;
        if (st == PMM_OK && got < n) {
            st = close_run(img, &rs);
            if (st == PMM_OK)
                st = skip_unreadable(ctx, img, next, end, what, &next);
        }
        if (st == PMM_OK)
            st = integrity_progress(ctx, next - pos);
        pos = next;
    }
    if (st == PMM_OK)
        st = close_run(img, &rs);
    return st;
}
