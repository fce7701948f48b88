/* The region walk: every region from the lowest user address to the highest, in order. */
#include "analyzers.h"

#include "space_in_use.h"
#include "../util/clock.h"

#define DEFAULT_MAX_REGIONS (16u * 1024 * 1024)
#define PROGRESS_EVERY 32            /* regions: a few milliseconds of queries, so Cancel is felt at once */
#define PREVIEW_GROWTH 4             /* a preview once the regions have grown by this factor... */
#define LATER_PREVIEW_US 2000000     /* ...or doubled, at least this long after the last one */
#define CLOCK_EVERY 32               /* regions between looks at the clock for the previews */

static uint64_t align_up(uint64_t value, uint64_t alignment)
{
    return (value + alignment - 1) & ~(alignment - 1);
}

/* Free space between an allocation's end and the next 64 KiB boundary can never be allocated:
 * VMMap shows it as "Unusable". Split it off so it is its own region. */
static pmm_status add_free_region(pmm_map *map, const pmm_region_info *info)
{
    uint64_t boundary = align_up(info->base, PMM_ALLOCATION_GRANULARITY);
    if (boundary == info->base || boundary - info->base >= info->size)
        return pmm_map_add_region(map, info);
    pmm_region_info unusable = *info;
    unusable.size = boundary - info->base;
    pmm_status st = pmm_map_add_region(map, &unusable);
    if (st != PMM_OK)
        return st;
    pmm_region_info rest = *info;
    rest.base = boundary;
    rest.size = info->size - unusable.size;
    return pmm_map_add_region(map, &rest);
}

/* When to hand the regions so far to the preview callback (pmm_scan_options.preview). */
typedef struct preview_clock {
    uint64_t started, last;      /* microseconds */
    size_t last_count;           /* regions in the last preview */
} preview_clock;

/* Whether the regions walked so far (count, after n queries) make a preview now. The clock is read
 * every CLOCK_EVERY queries only: a walk makes 100,000 of them. */
static int preview_due(const preview_clock *c, size_t count, size_t n)
{
    int look = n % CLOCK_EVERY == 0;
    if (c->last_count == 0)
        return count >= PMM_SCAN_FIRST_PREVIEW_REGIONS ||
               (look && pmm_clock_microseconds() - c->started >= PMM_SCAN_FIRST_PREVIEW_MS * 1000ull);
    /* Growth by a factor keeps the copies (and the window's work on each) linear in all: at most
     * a third more than the regions with a factor of four (twice them with two, which gave nine or
     * ten previews in a walk of 100,000 regions, each some 20 ms of the window's CPU and a repaint,
     * taken from the walk on a busy machine's two cores; five now). */
    if (count >= PREVIEW_GROWTH * c->last_count)
        return 1;
    return count >= 2 * c->last_count && look && pmm_clock_microseconds() - c->last >= LATER_PREVIEW_US;
}

static pmm_status send_preview(pmm_scan *scan, preview_clock *c)
{
    const pmm_scan_options *o = scan->options;
    pmm_map *preview;
    pmm_status st = pmm_scan_preview_map(scan->map, &preview);
    if (st != PMM_OK)
        return st;
    c->last_count = scan->map->region_count;
    c->last = pmm_clock_microseconds();
    return o->preview(o->preview_ctx, preview) ? PMM_ERR_CANCELLED : PMM_OK;
}

/* The walk's progress: the space in use below addr, of all of it. */
static int report_progress(pmm_scan *scan, const pmm_space_in_use *space, uint64_t addr)
{
    return pmm_scan_step(scan, pmm_space_in_use_below(space, addr), space->counted);
}

pmm_status pmm_analyze_regions(pmm_scan *scan)
{
    pmm_map *map = scan->map;
    size_t cap = scan->options->max_regions ? scan->options->max_regions : DEFAULT_MAX_REGIONS;
    const pmm_target_info *t = &scan->src->target;
    uint64_t addr = t->lowest_address;
    pmm_space_in_use space = {0};
    if (scan->options->progress)   /* the probes cost a few queries: only for someone watching */
        pmm_space_in_use_probe(&space, scan->src, addr, t->highest_address ? t->highest_address + 1 : 0);
    preview_clock clock = {pmm_clock_microseconds(), 0, 0};
    for (size_t n = 0;; n++) {
        if (n >= cap)
            return PMM_ERR_LIMIT;
        if (n % PROGRESS_EVERY == 0 && report_progress(scan, &space, addr))
            return PMM_ERR_CANCELLED;
        if (scan->options->preview && map->region_count && preview_due(&clock, map->region_count, n)) {
            pmm_status st = send_preview(scan, &clock);
            if (st != PMM_OK)
                return st;
        }
        pmm_region_info info;
        pmm_status st = pmm_source_query(scan->src, addr, &info);
        if (st == PMM_END)
            break;
        if (st != PMM_OK)
            return st;
        /* A source must answer with the region at or above addr; anything else would loop. */
        if (info.size == 0 || info.base + info.size <= addr || info.base + info.size < info.base) {
            pmm_map_warn(map, "region walk stopped at 0x%llx: the source returned an inconsistent region",
                         (unsigned long long)addr);
            break;
        }
        if (info.base < addr) {  /* clip a region overlapping one we already have */
            info.size -= addr - info.base;
            info.base = addr;
        }
        st = info.state == PMM_MEM_FREE ? add_free_region(map, &info) : pmm_map_add_region(map, &info);
        if (st != PMM_OK)
            return st;
        addr = info.base + info.size;
        if (addr == 0 || (scan->src->target.highest_address && addr > scan->src->target.highest_address))
            break;
    }
    if (report_progress(scan, &space, UINT64_MAX))
        return PMM_ERR_CANCELLED;
    /* Every region, while the analyzers (a quarter of a big scan) still run. */
    return scan->options->preview && map->region_count ? send_preview(scan, &clock) : PMM_OK;
}
