/* The scan's previews and cancel over a source of many allocations: previews come early, grow,
 * the last one holds every region the finished map has, typed by memory type; a cancel from the
 * progress or the preview callback stops the walk within a few queries; progress follows the space
 * in use, which a few probes find (space_in_use.c). */
#include "check.h"
#include "core/analyzers/scan.h"
#include "core/analyzers/space_in_use.h"

#include <stdlib.h>

#define BLOCK 0x20000ull            /* each allocation: 64 KiB committed, then 64 KiB free */
#define FIRST 0x10000ull

typedef struct striped {
    size_t allocations;
    uint64_t second;             /* 0: all allocations from FIRST; else the second half from here */
    size_t queries;
} striped;

/* One cluster of count allocations from base: each BLOCK / 2 committed, then BLOCK / 2 free.
 * Allocation k: image for k % 1000 == 1, mapped for k % 1000 == 2, else private. */
static void cluster_region(uint64_t base, uint64_t first_k, uint64_t addr, pmm_region_info *out)
{
    uint64_t k = (addr - base) / BLOCK, start = base + k * BLOCK;
    k += first_k;
    if (addr < start + BLOCK / 2) {
        out->base = start;
        out->size = BLOCK / 2;
        out->alloc_base = start;
        out->state = PMM_MEM_COMMIT;
        out->type = k % 1000 == 1 ? PMM_MEM_IMAGE : k % 1000 == 2 ? PMM_MEM_MAPPED : PMM_MEM_PRIVATE;
        out->protect = out->alloc_protect = PMM_PAGE_READWRITE;
    } else {
        out->base = start + BLOCK / 2;
        out->size = BLOCK / 2;
        out->state = PMM_MEM_FREE;
    }
}

static void free_region(uint64_t base, uint64_t end, pmm_region_info *out)
{
    out->base = base;
    out->size = end - base;
    out->state = PMM_MEM_FREE;
}

static pmm_status striped_query(void *impl, uint64_t addr, pmm_region_info *out)
{
    striped *s = impl;
    s->queries++;
    size_t low_count = s->second ? s->allocations / 2 : s->allocations;
    uint64_t low_end = FIRST + low_count * BLOCK, high_end = s->second + (s->allocations - low_count) * BLOCK;
    memset(out, 0, sizeof *out);
    if (addr < FIRST)
        free_region(0, FIRST, out);
    else if (addr < low_end)
        cluster_region(FIRST, 0, addr, out);
    else if (s->second && addr < s->second)
        free_region(low_end, s->second, out);
    else if (s->second && addr < high_end)
        cluster_region(s->second, low_count, addr, out);
    else
        return PMM_END;
    return PMM_OK;
}

static size_t striped_read(void *impl, uint64_t addr, void *buf, size_t len)
{
    (void)impl, (void)addr, (void)buf, (void)len;
    return 0;
}

static const pmm_source_ops striped_ops = {.query = striped_query, .read = striped_read};

static void open_striped(striped *s, size_t allocations, pmm_source *src)
{
    s->allocations = allocations;
    s->second = 0;
    s->queries = 0;
    memset(src, 0, sizeof *src);
    src->ops = &striped_ops;
    src->impl = s;
    src->target.pointer_size = 8;
    src->target.tool_pointer_size = 8;
    src->target.lowest_address = 0;
    src->target.highest_address = 0x7FFFFFFEFFFFull;
}

#define MAX_PREVIEWS 64

typedef struct previews {
    pmm_map *maps[MAX_PREVIEWS];
    size_t count;
    size_t cancel_at;            /* cancel from the preview callback at this preview (1-based); 0 never */
    striped *source;
    size_t queries_at_cancel;
} previews;

static int keep_preview(void *ctx, pmm_map *preview)
{
    previews *p = ctx;
    if (p->count < MAX_PREVIEWS)
        p->maps[p->count++] = preview;
    else
        pmm_map_free(preview);
    if (p->cancel_at && p->count == p->cancel_at) {
        p->queries_at_cancel = p->source->queries;
        return 1;
    }
    return 0;
}

static void free_previews(previews *p)
{
    for (size_t i = 0; i < p->count; i++)
        pmm_map_free(p->maps[i]);
}

TEST_CASE(previews_grow_and_the_last_is_the_whole_walk)
{
    striped s;
    pmm_source src;
    open_striped(&s, 20000, &src);
    previews p = {.source = &s};
    pmm_scan_options options = {.preview = keep_preview, .preview_ctx = &p};
    pmm_map *map = NULL;
    CHECK_EQ_U64(pmm_scan_source(&src, &options, &map), PMM_OK);
    CHECK(map != NULL && p.count >= 3);
    if (!map || p.count < 3) {
        free_previews(&p);
        pmm_map_free(map);
        return;
    }
    /* The first comes after at most PMM_SCAN_FIRST_PREVIEW_REGIONS regions; each holds more. */
    CHECK(p.maps[0]->region_count >= 1 && p.maps[0]->region_count <= PMM_SCAN_FIRST_PREVIEW_REGIONS);
    for (size_t i = 1; i < p.count; i++)
        CHECK(p.maps[i]->region_count > p.maps[i - 1]->region_count);
    /* Doubling: about log2(40,001 / 1,024) + 2 previews, not one per region. */
    CHECK(p.count <= 12);
    const pmm_map *last = p.maps[p.count - 1];
    CHECK_EQ_U64(last->region_count, map->region_count);
    CHECK(last->scan_flags & PMM_SCAN_PREVIEW);
    CHECK(!(map->scan_flags & PMM_SCAN_PREVIEW));
    CHECK_EQ_U64(last->allocation_count, map->allocation_count);
    size_t kinds[PMM_KIND_COUNT] = {0};
    for (size_t i = 0; i < last->region_count && i < map->region_count; i++) {
        const pmm_region *a = &last->regions[i], *b = &map->regions[i];
        CHECK(a->base == b->base && a->size == b->size && a->state == b->state && a->type == b->type);
        kinds[a->kind]++;
        uint8_t want = a->state == PMM_MEM_FREE      ? PMM_KIND_FREE
                       : a->type == PMM_MEM_IMAGE    ? PMM_KIND_IMAGE
                       : a->type == PMM_MEM_MAPPED   ? PMM_KIND_SHAREABLE
                                                     : PMM_KIND_PRIVATE;
        if (a->kind != want) {
            CHECK_EQ_U64(a->kind, want);
            break;
        }
    }
    CHECK_EQ_U64(kinds[PMM_KIND_IMAGE], 20);
    CHECK_EQ_U64(kinds[PMM_KIND_SHAREABLE], 20);
    CHECK_EQ_U64(kinds[PMM_KIND_PRIVATE], 20000 - 40);
    /* Each preview is a map of its own: lookups work on it. */
    CHECK(pmm_map_find(p.maps[0], FIRST) != PMM_NO_INDEX);
    free_previews(&p);
    pmm_map_free(map);
}

TEST_CASE(a_preview_may_cancel_the_scan)
{
    striped s;
    pmm_source src;
    open_striped(&s, 20000, &src);
    previews p = {.source = &s, .cancel_at = 2};
    pmm_scan_options options = {.preview = keep_preview, .preview_ctx = &p};
    pmm_map *map = NULL;
    CHECK_EQ_U64(pmm_scan_source(&src, &options, &map), PMM_ERR_CANCELLED);
    CHECK(map == NULL);
    CHECK_EQ_U64(p.count, 2);
    CHECK_EQ_U64(s.queries, p.queries_at_cancel);   /* not one query more */
    free_previews(&p);
}

typedef struct canceller {
    uint64_t cancel_at;          /* cancel once done reaches this (of PMM_SCAN_PROGRESS_TOTAL); 0 never */
    striped *source;
    size_t queries_at_cancel;
    int cancelled, calls, walk_values, went_back;
    uint64_t last_done;
} canceller;

static int progress(void *ctx, uint64_t done, uint64_t total)
{
    canceller *c = ctx;
    if (total != PMM_SCAN_PROGRESS_TOTAL || done > total || done < c->last_done)
        c->went_back = 1;
    if (done < (uint64_t)PMM_SCAN_PROGRESS_TOTAL / 1000 * PMM_SCAN_WALK_SHARE && (c->calls == 0 || done != c->last_done))
        c->walk_values++;
    c->calls++;
    c->last_done = done;
    if (c->cancel_at && done >= c->cancel_at && !c->cancelled) {
        c->cancelled = 1;
        c->queries_at_cancel = c->source->queries;
    }
    return c->cancelled;
}

#define WALK_END ((uint64_t)PMM_SCAN_PROGRESS_TOTAL / 1000 * PMM_SCAN_WALK_SHARE)

TEST_CASE(progress_cancels_the_walk_within_a_few_queries)
{
    striped s;
    pmm_source src;
    open_striped(&s, 20000, &src);
    canceller c = {.cancel_at = WALK_END / 4, .source = &s};
    pmm_scan_options options = {.progress = progress, .progress_ctx = &c};
    pmm_map *map = NULL;
    CHECK_EQ_U64(pmm_scan_source(&src, &options, &map), PMM_ERR_CANCELLED);
    CHECK(c.cancelled);
    /* Asked again before the next query: none after the cancel. */
    CHECK_EQ_U64(s.queries, c.queries_at_cancel);
    /* A quarter of the space in use is a quarter of the 40,001 regions (the walk's estimate of the
     * space is never short, and the probes found the free space above the allocations). */
    CHECK(c.queries_at_cancel > 10000 - 1000 && c.queries_at_cancel < 10000 + 1000 + PMM_SPACE_PROBES);
}

TEST_CASE(progress_follows_the_walk_then_the_analyzers)
{
    striped s;
    pmm_source src;
    open_striped(&s, 3000, &src);
    canceller c = {.source = &s};
    pmm_scan_options options = {.progress = progress, .progress_ctx = &c};
    pmm_map *map = NULL;
    CHECK_EQ_U64(pmm_scan_source(&src, &options, &map), PMM_OK);
    /* The walk reports every 32 regions, each time further: about 6,001 / 32 values below its share. */
    CHECK(c.walk_values >= 6001 / 32 - 2);
    CHECK(c.calls >= 6001 / 32 + 10);
    CHECK(!c.went_back);
    CHECK(c.last_done >= WALK_END && c.last_done < PMM_SCAN_PROGRESS_TOTAL);
    pmm_map_free(map);
}

/* Half the allocations at FIRST, half 127 TiB higher: the walk is half done at the gap, not 0.0002%
 * done as the address would say. */
TEST_CASE(space_in_use_skips_the_gaps)
{
    striped s;
    pmm_source src;
    open_striped(&s, 4000, &src);
    s.second = 0x7F0000000000ull;
    pmm_space_in_use space;
    pmm_space_in_use_probe(&space, &src, 0, src.target.highest_address + 1);
    CHECK(s.queries <= PMM_SPACE_PROBES);
    uint64_t cluster = 2000 * BLOCK;   /* each cluster's span */
    /* Never short; at most the probes' precision (16 MiB per unprobed stretch) over. */
    CHECK(space.counted >= 2 * cluster && space.counted <= 2 * cluster + PMM_SPACE_PROBES * (16ull << 20));
    uint64_t at_gap = pmm_space_in_use_below(&space, FIRST + cluster);
    CHECK(at_gap * 100 / space.counted >= 45 && at_gap * 100 / space.counted <= 55);
    CHECK_EQ_U64(pmm_space_in_use_below(&space, s.second), at_gap);   /* the gap was found free */
    CHECK_EQ_U64(pmm_space_in_use_below(&space, 0), 0);
    CHECK_EQ_U64(pmm_space_in_use_below(&space, UINT64_MAX), space.counted);
    /* Never decreasing along the space. */
    uint64_t last = 0;
    int monotone = 1;
    for (uint64_t a = 0; a < s.second + 2 * cluster; a += cluster / 7) {
        uint64_t below = pmm_space_in_use_below(&space, a);
        monotone &= below >= last;
        last = below;
    }
    CHECK(monotone);
}

/* A source that ends early: a probe past the end learns the rest is free; a failing source stops
 * the probing and leaves everything counted. */
static pmm_status failing_query(void *impl, uint64_t addr, pmm_region_info *out)
{
    (void)impl, (void)addr, (void)out;
    return PMM_ERR_READ;
}

TEST_CASE(space_in_use_of_a_source_that_fails_counts_everything)
{
    static const pmm_source_ops failing_ops = {.query = failing_query, .read = striped_read};
    pmm_source src;
    memset(&src, 0, sizeof src);
    src.ops = &failing_ops;
    pmm_space_in_use space;
    pmm_space_in_use_probe(&space, &src, 0x10000, 0x80000000);
    CHECK_EQ_U64(space.counted, 0x80000000 - 0x10000);
    CHECK_EQ_U64(space.free_count, 0);
    CHECK_EQ_U64(pmm_space_in_use_below(&space, 0x40000000), 0x40000000 - 0x10000);
}

CHECK_MAIN(CASE(previews_grow_and_the_last_is_the_whole_walk), CASE(a_preview_may_cancel_the_scan),
           CASE(progress_cancels_the_walk_within_a_few_queries), CASE(progress_follows_the_walk_then_the_analyzers),
           CASE(space_in_use_skips_the_gaps), CASE(space_in_use_of_a_source_that_fails_counts_everything))
