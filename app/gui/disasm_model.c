#include "disasm_model.h"

#include <string.h>

void disasm_model_init(disasm_model *m, hex_read_fn read, void *read_ctx, disasm_anchor_fn anchor, void *anchor_ctx)
{
    memset(m, 0, sizeof *m);
    hex_model_init(&m->bytes, read, read_ctx);
    m->bits = 64;
    m->anchor = anchor;
    m->anchor_ctx = anchor_ctx;
}

void disasm_model_set_map(disasm_model *m, const pmm_map *map, uint32_t probe_step, int bits)
{
    hex_model_set_map(&m->bytes, map, probe_step);
    m->bits = bits == 32 ? 32 : 64;
    m->origin = 0;
    m->back_count = 0;
}

void disasm_model_set_range(disasm_model *m, uint64_t start, uint64_t end, uint64_t origin)
{
    if (m->bytes.start != start || m->bytes.end != end)
        m->back_count = 0;
    hex_model_set_range(&m->bytes, start, end);
    m->origin = origin < start ? start : origin >= end && end > start ? end - 1 : origin;
}

void disasm_model_invalidate(disasm_model *m)
{
    hex_model_invalidate(&m->bytes);
    m->back_count = 0;
}

/* ---- bytes ---- */

/* Copies the bytes from addr that can be read, up to n, stopping at the first that cannot (or at
 * the range's end). */
static size_t fetch(disasm_model *m, uint64_t addr, uint8_t *out, size_t n)
{
    uint8_t states[X86_MAX_LENGTH];
    if (n > X86_MAX_LENGTH)
        n = X86_MAX_LENGTH;
    hex_model_bytes(&m->bytes, addr, n, out, states);
    size_t got = 0;
    while (got < n && states[got] == HEX_BYTE_OK)
        got++;
    return got;
}

/* The region holding addr when the map says it cannot be read at all (free, reserved, no access,
 * guard): *end is where it ends. */
static int region_unreadable(const disasm_model *m, uint64_t addr, uint64_t *end)
{
    const pmm_map *map = m->bytes.map;
    size_t i = map ? pmm_map_find(map, addr) : PMM_NO_INDEX;
    if (i == PMM_NO_INDEX)
        return 0;
    const pmm_region *r = &map->regions[i];
    if (addr < r->base || addr - r->base >= r->size)
        return 0;
    if (r->state == PMM_MEM_COMMIT && pmm_protect_may_be_read(r->protect))
        return 0;
    *end = r->base + r->size;
    return 1;
}

/* Where the unreadable bytes at addr end (addr itself cannot be read). */
static uint64_t unreadable_end(disasm_model *m, uint64_t addr)
{
    uint64_t end, limit = m->bytes.end;
    if (m->bytes.not_loaded)
        return limit;   /* none of the range is loaded yet */
    if (region_unreadable(m, addr, &end))
        return end > addr && end < limit ? end : limit;
    /* The map says readable, yet the read failed (a dump without these bytes): look on through the
     * page cache, but not forever. */
    uint64_t cap = limit - addr > DISASM_UNREADABLE_STEP ? addr + DISASM_UNREADABLE_STEP : limit;
    uint8_t byte;
    end = addr + 1;
    while (end < cap && !fetch(m, end, &byte, 1))
        end++;
    return end;
}

/* ---- lines ---- */

int disasm_model_line(disasm_model *m, uint64_t addr, pmm_disasm_line *line)
{
    if (addr < m->bytes.start || addr >= m->bytes.end)
        return 0;
    line->address = addr;
    size_t n = fetch(m, addr, line->bytes, X86_MAX_LENGTH);
    if (n == 0) {
        memset(&line->insn, 0, sizeof line->insn);
        line->readable = 0;
        line->length = unreadable_end(m, addr) - addr;
        return 1;
    }
    line->readable = 1;
    line->length = x86_decode(line->bytes, n, addr, m->bits, &line->insn);
    return 1;
}

size_t disasm_model_lines(disasm_model *m, uint64_t addr, pmm_disasm_line *lines, size_t count)
{
    size_t n = 0;
    while (n < count && disasm_model_line(m, addr, &lines[n])) {
        addr += lines[n].length;
        n++;
    }
    return n;
}

/* ---- going back ---- */

static uint64_t max_u64(uint64_t a, uint64_t b)
{
    return a > b ? a : b;
}

/* The greatest boundary known at or below addr: the function holding it (or the one before a gap
 * between functions: the x64 function table leaves the padding out), the start of its memory
 * region, the range's start, the address the view was opened at. *guessed when none lies within
 * DISASM_RESYNC_MAX (the result is then that far below). */
static uint64_t known_boundary(disasm_model *m, uint64_t addr, int *guessed)
{
    static const uint64_t probes[] = {0, 16, 64, 256, 4096};
    uint64_t best = m->bytes.start;
    const pmm_map *map = m->bytes.map;
    size_t i = map ? pmm_map_find(map, addr) : PMM_NO_INDEX;
    if (i != PMM_NO_INDEX && map->regions[i].base <= addr)
        best = max_u64(best, map->regions[i].base);
    if (m->origin <= addr)
        best = max_u64(best, m->origin);
    for (size_t k = 0; m->anchor && k < sizeof probes / sizeof probes[0] && addr - best > probes[k]; k++) {
        uint64_t start;
        if (m->anchor(m->anchor_ctx, addr - probes[k], &start) && start <= addr) {
            best = max_u64(best, start);
            break;
        }
    }
    *guessed = addr - best > DISASM_RESYNC_MAX;
    return *guessed ? addr - DISASM_RESYNC_MAX : best;
}

static void keep_start(disasm_model *m, uint64_t addr)
{
    if (m->back_count == DISASM_BACK_MAX) {
        memmove(m->back, m->back + DISASM_BACK_MAX / 2, (DISASM_BACK_MAX / 2) * sizeof m->back[0]);
        m->back_count = DISASM_BACK_MAX / 2;
    }
    m->back[m->back_count++] = addr;
}

/* Decodes from the known boundary below limit up to limit, keeping the starts met. */
static void resync(disasm_model *m, uint64_t limit)
{
    uint64_t addr = known_boundary(m, limit - 1, &m->back_guessed);
    pmm_disasm_line line;
    m->back_count = 0;
    m->back_limit = limit;
    while (addr < limit && disasm_model_line(m, addr, &line)) {
        keep_start(m, addr);
        addr += line.length;
    }
}

/* Index of the first kept start at or after addr. */
static size_t kept_index(const disasm_model *m, uint64_t addr)
{
    size_t lo = 0, hi = m->back_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->back[mid] < addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t disasm_model_back(disasm_model *m, uint64_t addr, size_t n, uint64_t *out)
{
    *out = addr;
    size_t went = 0;
    while (went < n && *out > m->bytes.start && *out <= m->bytes.end) {
        uint64_t at = *out;
        if (!m->back_count || m->back[0] >= at || m->back_limit < at)
            resync(m, at);
        size_t i = kept_index(m, at);
        if (i == 0)
            break;
        size_t step = n - went < i ? n - went : i;
        *out = m->back[i - step];
        went += step;
    }
    return went;
}

uint64_t disasm_model_align(disasm_model *m, uint64_t addr)
{
    if (addr <= m->bytes.start)
        return m->bytes.start;
    if (addr >= m->bytes.end)
        addr = m->bytes.end - 1;
    uint64_t start;
    /* The line holding addr is the last start at or below it: one past addr, one line back. */
    if (disasm_model_back(m, addr + 1, 1, &start) == 1)
        return start;
    return addr;
}
