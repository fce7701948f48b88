/* Layout of the picture: which address range each stretch draws, the cell size that makes them
 * fit, and each cell's value, in one walk over the regions (O(regions + cells)). */
#include "map_picture.h"

#include <stdlib.h>
#include <string.h>
#include "kind_colours.h"

#define MAX_STRETCHES 1024
#define MAX_CELL_BYTES (1ull << 48)
#define MAX_CELLS (64u << 20)

static uint64_t region_end(const pmm_region *r)
{
    return r->base + r->size;
}

/* Only a 64-bit space has gaps worth collapsing (a 32-bit one is drawn whole): free or reserved
 * stretches of at least a quarter of the committed memory, and never under PMM_PICTURE_MIN_GAP,
 * so what is drawn is mostly what is used and the free space between its parts. */
static uint64_t collapse_threshold(const pmm_map *map)
{
    if (map->target.pointer_size != 8)
        return UINT64_MAX;
    uint64_t committed = 0;
    for (size_t i = 0; i < map->region_count; i++)
        if (map->regions[i].state == PMM_MEM_COMMIT)
            committed += map->regions[i].size;
    return committed / 4 > PMM_PICTURE_MIN_GAP ? committed / 4 : PMM_PICTURE_MIN_GAP;
}

static pmm_status add_stretch(pmm_picture *p, uint64_t start, uint64_t end, uint64_t gap_before)
{
    if (start >= end)
        return PMM_OK;
    if (p->stretch_count == MAX_STRETCHES)
        return PMM_ERR_LIMIT;
    p->stretches[p->stretch_count++] = (pmm_picture_stretch){.start = start, .end = end, .gap_before = gap_before};
    return PMM_OK;
}

/* Address ranges between collapsed gaps (not yet aligned to cells). */
static pmm_status find_stretches(const pmm_map *map, pmm_picture *p)
{
    p->stretches = calloc(MAX_STRETCHES, sizeof *p->stretches);
    if (!p->stretches)
        return PMM_ERR_NOMEM;
    uint64_t start = 0, pending = 0, gap_before = 0;   /* pending: collapsed since the last stretch */
    uint64_t threshold = collapse_threshold(map);
    int open = 0;
    pmm_status st = PMM_OK;
    for (size_t i = 0; i < map->region_count && st == PMM_OK; i++) {
        const pmm_region *r = &map->regions[i];
        if (r->state != PMM_MEM_COMMIT && r->size >= threshold) {
            if (open)
                st = add_stretch(p, start, r->base, gap_before);
            open = 0;
            pending += r->size;
        } else if (!open) {
            start = r->base;
            gap_before = pending;
            pending = 0;
            open = 1;
        }
    }
    if (st == PMM_OK && open)
        st = add_stretch(p, start, region_end(&map->regions[map->region_count - 1]), gap_before);
    return st;
}

static uint64_t rows_needed(const pmm_picture *p, uint64_t cell_bytes)
{
    uint64_t rows = 0, row_bytes = cell_bytes * p->geometry.columns;
    for (size_t i = 0; i < p->stretch_count; i++) {
        uint64_t start = p->stretches[i].start & ~(cell_bytes - 1);
        uint64_t end = p->stretches[i].end;
        uint64_t cells = (end - start + cell_bytes - 1) / cell_bytes;
        rows += (cells * cell_bytes + row_bytes - 1) / row_bytes;
    }
    return rows;
}

static uint8_t cell_value(const pmm_region *r)
{
    return (uint8_t)(r->kind | (r->state == PMM_MEM_RESERVE ? PMM_CELL_RESERVED : 0));
}

/* The region covering most of [cs, ce) (the first of equals), searching from regions[i]. */
static size_t majority_region(const pmm_map *map, size_t i, uint64_t cs, uint64_t ce)
{
    uint64_t best = 0;
    size_t found = PMM_NO_INDEX;
    for (; i < map->region_count && map->regions[i].base < ce; i++) {
        const pmm_region *r = &map->regions[i];
        uint64_t lo = r->base > cs ? r->base : cs, hi = region_end(r) < ce ? region_end(r) : ce;
        if (hi > lo && hi - lo > best) {
            best = hi - lo;
            found = i;
        }
    }
    return found;
}

static void fill_stretch(const pmm_map *map, const pmm_picture *p, const pmm_picture_stretch *s)
{
    uint64_t cb = p->cell_bytes, count = (s->end - s->start) / cb;
    uint8_t *cells = p->cells + (size_t)s->first_row * p->geometry.columns;
    size_t i = pmm_map_find(map, s->start);
    if (i == PMM_NO_INDEX)
        i = 0;
    for (uint64_t k = 0; k < count;) {
        uint64_t cs = s->start + k * cb, ce = cs + cb;
        while (i < map->region_count && region_end(&map->regions[i]) <= cs)
            i++;
        if (i == map->region_count)
            break;
        const pmm_region *r = &map->regions[i];
        if (r->base <= cs && region_end(r) >= ce) {   /* whole cells of one region at once */
            uint64_t stop = region_end(r) < s->end ? region_end(r) : s->end;
            uint64_t full = (stop - cs) / cb;
            memset(cells + k, cell_value(r), (size_t)full);
            k += full;
        } else {
            size_t best = majority_region(map, i, cs, ce);
            cells[k++] = best == PMM_NO_INDEX ? PMM_CELL_NONE : cell_value(&map->regions[best]);
        }
    }
}

/* Aligns the stretches to cells and gives each its rows and pixel position. */
static pmm_status place_stretches(pmm_picture *p)
{
    const pmm_picture_geometry *g = &p->geometry;
    uint64_t cb = p->cell_bytes, y = 0;
    uint32_t row = 0;
    for (size_t i = 0; i < p->stretch_count; i++) {
        pmm_picture_stretch *s = &p->stretches[i];
        s->start &= ~(cb - 1);
        s->end = s->end > UINT64_MAX - (cb - 1) ? UINT64_MAX & ~(cb - 1) : (s->end + cb - 1) & ~(cb - 1);
        uint64_t cells = (s->end - s->start) / cb;
        s->first_row = row;
        s->rows = (uint32_t)((cells + g->columns - 1) / g->columns);
        row += s->rows;
        y += g->label_px;
        s->y = (uint32_t)y;
        y += (uint64_t)s->rows * g->cell_px;
    }
    p->rows = row;
    p->width = g->columns * g->cell_px;
    if (y > 0x7FFFFFFF || (uint64_t)p->width * g->cell_px > 0x7FFFFFFF)
        return PMM_ERR_LIMIT;
    p->height = (uint32_t)y;
    return PMM_OK;
}

pmm_status pmm_picture_layout(const pmm_map *map, const pmm_picture_geometry *geometry, pmm_picture *out)
{
    memset(out, 0, sizeof *out);
    out->geometry = *geometry;
    if (!geometry->columns || !geometry->max_rows || !geometry->cell_px || geometry->columns > 0x10000 ||
        geometry->cell_px > 256 || geometry->label_px > 256)
        return PMM_ERR_ARG;
    pmm_status st = find_stretches(map, out);
    uint64_t cb = PMM_PAGE_SIZE;
    while (st == PMM_OK && rows_needed(out, cb) > geometry->max_rows && cb < MAX_CELL_BYTES)
        cb <<= 1;
    out->cell_bytes = cb;
    if (st == PMM_OK && (rows_needed(out, cb) > geometry->max_rows ||
                         rows_needed(out, cb) * geometry->columns > MAX_CELLS))
        st = PMM_ERR_LIMIT;
    if (st == PMM_OK)
        st = place_stretches(out);
    if (st == PMM_OK && !(out->cells = malloc((size_t)out->rows * geometry->columns + 1)))
        st = PMM_ERR_NOMEM;
    if (st != PMM_OK) {
        pmm_picture_free(out);
        return st;
    }
    memset(out->cells, PMM_CELL_NONE, (size_t)out->rows * geometry->columns);
    for (size_t i = 0; i < out->stretch_count; i++)
        fill_stretch(map, out, &out->stretches[i]);
    return PMM_OK;
}

void pmm_picture_free(pmm_picture *picture)
{
    free(picture->stretches);
    free(picture->cells);
    picture->stretches = NULL;
    picture->cells = NULL;
    picture->stretch_count = 0;
}

int pmm_picture_address_at(const pmm_picture *p, uint32_t x, uint32_t y, uint64_t *addr)
{
    const pmm_picture_geometry *g = &p->geometry;
    if (x >= p->width)
        return 0;
    for (size_t i = 0; i < p->stretch_count; i++) {
        const pmm_picture_stretch *s = &p->stretches[i];
        if (y < s->y || y >= s->y + s->rows * g->cell_px)
            continue;
        uint64_t k = (uint64_t)((y - s->y) / g->cell_px) * g->columns + x / g->cell_px;
        if (k >= (s->end - s->start) / p->cell_bytes)
            return 0;
        *addr = s->start + k * p->cell_bytes;
        return 1;
    }
    return 0;
}

size_t pmm_picture_region_at(const pmm_picture *p, const pmm_map *map, uint64_t addr)
{
    uint64_t cs = addr & ~(p->cell_bytes - 1);
    size_t i = pmm_map_find(map, cs);
    return majority_region(map, i == PMM_NO_INDEX ? 0 : i, cs, cs + p->cell_bytes);
}

int pmm_picture_point_of(const pmm_picture *p, uint64_t addr, uint32_t *x, uint32_t *y)
{
    const pmm_picture_geometry *g = &p->geometry;
    for (size_t i = 0; i < p->stretch_count; i++) {
        const pmm_picture_stretch *s = &p->stretches[i];
        if (addr < s->start || addr >= s->end)
            continue;
        uint64_t k = (addr - s->start) / p->cell_bytes;
        *x = (uint32_t)(k % g->columns) * g->cell_px;
        *y = s->y + (uint32_t)(k / g->columns) * g->cell_px;
        return 1;
    }
    return 0;
}

uint32_t pmm_picture_cell_rgb(uint8_t cell)
{
    if (cell == PMM_CELL_NONE)
        return 0xFFFFFF;
    uint32_t rgb = pmm_kind_rgb(cell & ~PMM_CELL_RESERVED);
    return cell & PMM_CELL_RESERVED ? pmm_rgb_lighten(rgb, 45) : rgb;
}
