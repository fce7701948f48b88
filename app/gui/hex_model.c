#include "hex_model.h"

#include <stdio.h>
#include <string.h>

void hex_model_init(hex_model *m, hex_read_fn read, void *read_ctx)
{
    memset(m, 0, sizeof *m);
    m->read = read;
    m->read_ctx = read_ctx;
    m->probe_step = PMM_PAGE_SIZE;
    m->pointer_size = 8;
}

void hex_model_invalidate(hex_model *m)
{
    for (size_t i = 0; i < HEX_CACHE_PAGES; i++)
        m->pages[i].used = 0;
}

void hex_model_set_map(hex_model *m, const pmm_map *map, uint32_t probe_step)
{
    m->map = map;
    m->probe_step = probe_step ? probe_step : PMM_PAGE_SIZE;
    m->pointer_size = map && map->target.pointer_size ? map->target.pointer_size : 8;
    m->not_loaded = map && (map->scan_flags & PMM_SCAN_PREVIEW);
    m->start = m->end = 0;
    hex_model_invalidate(m);
}

void hex_model_set_range(hex_model *m, uint64_t start, uint64_t end)
{
    m->start = start;
    m->end = end > start ? end : start;
}

uint64_t hex_model_line_count(const hex_model *m)
{
    if (m->end <= m->start)
        return 0;
    uint64_t first = m->start & ~(uint64_t)(HEX_BYTES_PER_LINE - 1);
    uint64_t last = (m->end - 1) & ~(uint64_t)(HEX_BYTES_PER_LINE - 1);
    return (last - first) / HEX_BYTES_PER_LINE + 1;
}

uint64_t hex_model_line_address(const hex_model *m, uint64_t line)
{
    return (m->start & ~(uint64_t)(HEX_BYTES_PER_LINE - 1)) + line * HEX_BYTES_PER_LINE;
}

uint64_t hex_model_line_of(const hex_model *m, uint64_t addr)
{
    uint64_t count = hex_model_line_count(m);
    if (count == 0 || addr < m->start)
        return 0;
    uint64_t line = (addr - hex_model_line_address(m, 0)) / HEX_BYTES_PER_LINE;
    return line < count ? line : count - 1;
}

int hex_model_page_may_be_read(const hex_model *m, uint64_t page)
{
    if (!m->map)
        return 1;
    size_t i = pmm_map_find(m->map, page);
    if (i == PMM_NO_INDEX)
        return 1;   /* a dump without region information: try */
    const pmm_region *r = &m->map->regions[i];
    if (r->base > page)
        return 1;
    if (r->state != PMM_MEM_COMMIT)
        return 0;
    return pmm_protect_may_be_read(r->protect);
}

void hex_model_read_page(hex_model *m, uint64_t base, hex_page *p)
{
    p->base = base;
    memset(p->readable, 0, sizeof p->readable);
    if (!hex_model_page_may_be_read(m, p->base))
        return;
    size_t pos = 0;
    while (pos < PMM_PAGE_SIZE) {
        size_t n = m->read(m->read_ctx, p->base + pos, p->bytes + pos, PMM_PAGE_SIZE - pos);
        if (n > PMM_PAGE_SIZE - pos)
            n = PMM_PAGE_SIZE - pos;
        memset(p->readable + pos, 1, n);
        pos += n;
        if (pos < PMM_PAGE_SIZE)
            pos = (pos + m->probe_step) / m->probe_step * m->probe_step;
    }
}

static hex_page *page_at(hex_model *m, uint64_t base)
{
    hex_page *victim = &m->pages[0];
    m->clock++;
    for (size_t i = 0; i < HEX_CACHE_PAGES; i++) {
        hex_page *p = &m->pages[i];
        if (p->used && p->base == base) {
            p->last_used = m->clock;
            return p;
        }
        if (!p->used || (victim->used && p->last_used < victim->last_used))
            victim = p;
    }
    victim->used = 1;
    victim->last_used = m->clock;
    hex_model_read_page(m, base, victim);
    return victim;
}

void hex_model_bytes(hex_model *m, uint64_t addr, size_t n, uint8_t *bytes, uint8_t *states)
{
    hex_page *p = NULL;
    for (size_t i = 0; i < n; i++) {
        uint64_t a = addr + (uint64_t)i;
        bytes[i] = 0;
        if (a < m->start || a >= m->end || a < addr) {
            states[i] = HEX_BYTE_OUTSIDE;
            continue;
        }
        if (m->not_loaded) {
            states[i] = HEX_BYTE_NOT_LOADED;
            continue;
        }
        uint64_t page = a & ~(uint64_t)(PMM_PAGE_SIZE - 1);
        if (!p || p->base != page)
            p = page_at(m, page);
        size_t off = (size_t)(a - p->base);
        states[i] = p->readable[off] ? HEX_BYTE_OK : HEX_BYTE_UNREADABLE;
        bytes[i] = p->readable[off] ? p->bytes[off] : 0;
    }
}

void hex_model_line(hex_model *m, uint64_t line, uint8_t bytes[HEX_BYTES_PER_LINE],
                    uint8_t states[HEX_BYTES_PER_LINE])
{
    hex_model_bytes(m, hex_model_line_address(m, line), HEX_BYTES_PER_LINE, bytes, states);
}

const char *hex_model_format_line(hex_model *m, uint64_t line, char *buf, size_t cap)
{
    static const char digits[] = "0123456789ABCDEF";
    uint8_t bytes[HEX_BYTES_PER_LINE], states[HEX_BYTES_PER_LINE];
    char text[160];
    size_t n = 0;
    hex_model_line(m, line, bytes, states);
    n += (size_t)snprintf(text, sizeof text, m->pointer_size == 4 ? "%08llX  " : "%016llX  ",
                          (unsigned long long)hex_model_line_address(m, line));
    for (int i = 0; i < HEX_BYTES_PER_LINE; i++) {
        if (states[i] == HEX_BYTE_OK) {
            text[n++] = digits[bytes[i] >> 4];
            text[n++] = digits[bytes[i] & 15];
        } else {
            char shown = states[i] == HEX_BYTE_UNREADABLE ? '?' : states[i] == HEX_BYTE_NOT_LOADED ? '-' : ' ';
            text[n++] = shown;
            text[n++] = shown;
        }
        text[n++] = ' ';
        if (i == 7)
            text[n++] = ' ';
    }
    text[n++] = ' ';
    for (int i = 0; i < HEX_BYTES_PER_LINE; i++)
        text[n++] = states[i] == HEX_BYTE_OK ? (bytes[i] >= 0x20 && bytes[i] < 0x7F ? (char)bytes[i] : '.') : ' ';
    while (n > 0 && text[n - 1] == ' ')
        n--;
    text[n] = '\0';
    snprintf(buf, cap, "%s", text);
    return buf;
}
