/* The scan's previews and cancel over a source of many allocations: previews come early, grow,
 * the last one holds every region the finished map has, typed by memory type; a cancel from the
 * progress or the preview callback stops the walk within a few queries. */
#include "check.h"
#include "core/analyzers/scan.h"

#include <stdlib.h>

#define BLOCK 0x20000ull            /* each allocation: 64 KiB committed, then 64 KiB free */
#define FIRST 0x10000ull

typedef struct striped {
    size_t allocations;
    size_t queries;
} striped;

/* Allocation k: image for k % 1000 == 1, mapped for k % 1000 == 2, else private. */
static pmm_status striped_query(void *impl, uint64_t addr, pmm_region_info *out)
{
    striped *s = impl;
    s->queries++;
    uint64_t end = FIRST + s->allocations * BLOCK;
    if (addr >= end)
        return PMM_END;
    uint64_t k = addr < FIRST ? 0 : (addr - FIRST) / BLOCK, base = FIRST + k * BLOCK;
    memset(out, 0, sizeof *out);
    if (addr < FIRST) {
        out->base = 0;
        out->size = FIRST;
        out->state = PMM_MEM_FREE;
        return PMM_OK;
    }
    if (addr < base + BLOCK / 2) {
        out->base = base;
        out->size = BLOCK / 2;
        out->alloc_base = base;
        out->state = PMM_MEM_COMMIT;
        out->type = k % 1000 == 1 ? PMM_MEM_IMAGE : k % 1000 == 2 ? PMM_MEM_MAPPED : PMM_MEM_PRIVATE;
        out->protect = out->alloc_protect = PMM_PAGE_READWRITE;
    } else {
        out->base = base + BLOCK / 2;
        out->size = BLOCK / 2;
        out->state = PMM_MEM_FREE;
    }
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
    size_t cancel_after_regions;
    striped *source;
    size_t queries_at_cancel;
    int cancelled;
    uint64_t last_done, last_total;
    int walk_calls, analyzer_calls, went_back;
} canceller;

static int progress(void *ctx, uint64_t done, uint64_t total)
{
    canceller *c = ctx;
    if (total == 0) {
        c->walk_calls++;
        if (c->cancel_after_regions && done >= c->cancel_after_regions && !c->cancelled) {
            c->cancelled = 1;
            c->queries_at_cancel = c->source->queries;
        }
        return c->cancelled;
    }
    c->analyzer_calls++;
    if (c->last_total && (total != c->last_total || done < c->last_done))
        c->went_back = 1;
    c->last_done = done;
    c->last_total = total;
    return 0;
}

TEST_CASE(progress_cancels_the_walk_within_a_few_queries)
{
    striped s;
    pmm_source src;
    open_striped(&s, 20000, &src);
    canceller c = {.cancel_after_regions = 5000, .source = &s};
    pmm_scan_options options = {.progress = progress, .progress_ctx = &c};
    pmm_map *map = NULL;
    CHECK_EQ_U64(pmm_scan_source(&src, &options, &map), PMM_ERR_CANCELLED);
    CHECK(c.cancelled);
    /* Asked again before the next query: none after the cancel. */
    CHECK_EQ_U64(s.queries, c.queries_at_cancel);
    CHECK(c.queries_at_cancel < 5000 + 64);
}

TEST_CASE(progress_counts_regions_then_the_analyzers_share)
{
    striped s;
    pmm_source src;
    open_striped(&s, 3000, &src);
    canceller c = {.source = &s};
    pmm_scan_options options = {.progress = progress, .progress_ctx = &c};
    pmm_map *map = NULL;
    CHECK_EQ_U64(pmm_scan_source(&src, &options, &map), PMM_OK);
    /* The walk reports every 32 regions at least; the analyzers move forward only. */
    CHECK(c.walk_calls >= 6001 / 32);
    CHECK(c.analyzer_calls >= 10);
    CHECK(!c.went_back);
    CHECK(c.last_total > 0 && c.last_done < c.last_total);
    pmm_map_free(map);
}

CHECK_MAIN(CASE(previews_grow_and_the_last_is_the_whole_walk), CASE(a_preview_may_cancel_the_scan),
           CASE(progress_cancels_the_walk_within_a_few_queries), CASE(progress_counts_regions_then_the_analyzers_share))
