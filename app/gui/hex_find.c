#include "hex_find.h"

#include <stdlib.h>
#include <string.h>

typedef struct find_state {
    const pmm_search_pattern *pattern;
    uint8_t *buffer;             /* carry (the last length - 1 bytes of a readable run) + a page */
    size_t carry;
    uint64_t carry_addr;         /* address of buffer[0] */
    uint64_t from, end;
    uint64_t found;
    int has_found;
} find_state;

static int on_match(void *ctx, size_t offset)
{
    find_state *f = ctx;
    uint64_t addr = f->carry_addr + offset;
    if (addr < f->from || addr + f->pattern->length > f->end)
        return 0;
    f->found = addr;
    f->has_found = 1;
    return 1;
}

/* Searches one readable run data[0..n) at addr, contiguous with the carry when continues is set. */
static void search_run(find_state *f, const uint8_t *data, size_t n, uint64_t addr, int continues, int ends_page)
{
    size_t length = f->pattern->length;
    if (!continues || f->carry_addr + f->carry != addr)
        f->carry = 0;
    if (f->carry == 0)
        f->carry_addr = addr;
    memcpy(f->buffer + f->carry, data, n);
    size_t total = f->carry + n;
    if (total >= length)
        pmm_search_find(f->pattern, f->buffer, total - length + 1, f->carry_addr, on_match, f);
    /* Keep the tail for a match that goes on into the next page. */
    size_t keep = ends_page ? (total < length - 1 ? total : length - 1) : 0;
    memmove(f->buffer, f->buffer + total - keep, keep);
    f->carry_addr += total - keep;
    f->carry = keep;
}

static void search_page(find_state *f, const hex_page *p)
{
    size_t i = 0;
    while (i < PMM_PAGE_SIZE && !f->has_found) {
        while (i < PMM_PAGE_SIZE && !p->readable[i])
            i++;
        size_t run = i;
        while (run < PMM_PAGE_SIZE && p->readable[run])
            run++;
        if (run > i)
            search_run(f, p->bytes + i, run - i, p->base + i, i == 0, run == PMM_PAGE_SIZE);
        else
            f->carry = 0;
        i = run;
    }
}

hex_find_result hex_find_next(hex_model *m, const pmm_search_pattern *pattern, uint64_t from, uint64_t max_bytes,
                              uint64_t *at)
{
    find_state f = {pattern, NULL, 0, 0, from < m->start ? m->start : from, m->end, 0, 0};
    if (pattern->length == 0 || f.from >= f.end)
        return HEX_FIND_NOT_FOUND;
    hex_page *page = malloc(sizeof *page);
    f.buffer = malloc(pattern->length + PMM_PAGE_SIZE);
    if (!page || !f.buffer) {
        free(page);
        free(f.buffer);
        return HEX_FIND_NO_MEMORY;
    }
    uint64_t base = f.from & ~(uint64_t)(PMM_PAGE_SIZE - 1), examined = 0;
    hex_find_result result = HEX_FIND_NOT_FOUND;
    for (; base < f.end && !f.has_found; base += PMM_PAGE_SIZE) {
        if (examined >= max_bytes) {
            result = HEX_FIND_STOPPED;
            /* Back by the carry, so a match straddling the stop is found by the next step. */
            *at = f.carry ? f.carry_addr : base;
            break;
        }
        if (!hex_model_page_may_be_read(m, base)) {
            f.carry = 0;
            continue;
        }
        hex_model_read_page(m, base, page);
        search_page(&f, page);
        examined += PMM_PAGE_SIZE;
        if (base + PMM_PAGE_SIZE < base)
            break;
    }
    if (f.has_found) {
        *at = f.found;
        result = HEX_FIND_FOUND;
    }
    free(page);
    free(f.buffer);
    return result;
}
