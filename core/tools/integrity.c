/* The integrity scan's steps: each image against its file, then the process-wide checks. */
#include "integrity_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "../util/clock.h"

static int equal_nocase(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
            return 0;
    return 1;
}

/* --module NAME: the file name, the name without its extension, or an address inside the image. */
static int selected(const pmm_map *map, const pmm_module *m, const char *filter)
{
    if (!filter)
        return 1;
    const char *name = pmm_map_text(map, m->name);
    const char *dot = strrchr(name, '.');
    size_t length = strlen(filter), stem = dot ? (size_t)(dot - name) : strlen(name);
    if ((length == strlen(name) || length == stem) && equal_nocase(name, filter, length))
        return 1;
    char *end;
    unsigned long long address = strtoull(filter, &end, 0);
    return *end == '\0' && end != filter && address >= m->base && address - m->base < m->size;
}

static void reset(pmm_map *map)
{
    pmm_findings *f = &map->integrity;
    f->count = 0;
    f->unchecked_count = 0;
    f->image_count = 0;
    memset(&f->summary, 0, sizeof f->summary);
}

static pmm_status scan(integrity_ctx *ctx)
{
    pmm_map *map = ctx->map;
    const char *filter = ctx->options ? ctx->options->module_filter : NULL;
    for (size_t i = 0; i < map->module_count; i++)
        if (selected(map, &map->modules[i], filter))
            ctx->total += map->modules[i].size;
    pmm_status st = PMM_OK;
    for (size_t i = 0; i < map->module_count && st == PMM_OK; i++) {
        if (!selected(map, &map->modules[i], filter))
            continue;
        uint64_t before = ctx->done;
        st = integrity_check_image(ctx, i);
        /* Images not compared in full still count as done. */
        if (st == PMM_OK && ctx->done - before < map->modules[i].size)
            st = integrity_progress(ctx, map->modules[i].size - (ctx->done - before));
    }
    if (st == PMM_OK && !filter) {
        map->integrity.summary.flags |= PMM_INTEGRITY_PROCESS_WIDE;
        st = integrity_check_process(ctx);
    }
    if (st == PMM_OK && filter && map->integrity.image_count == 0)
        st = integrity_add_unchecked(ctx, 0, 0, 0, filter, "no module matches --module %s", filter);
    return st;
}

pmm_status pmm_integrity_scan(pmm_source *src, pmm_map *map, const pmm_symbols *syms,
                              const pmm_integrity_options *options)
{
    uint64_t started = pmm_clock_microseconds();
    reset(map);
    integrity_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.src = src;
    ctx.map = map;
    ctx.options = options;
    pmm_status st = PMM_OK;
    ctx.syms = syms;
    ctx.expected = malloc(INTEGRITY_CHUNK + 2 * INTEGRITY_SLACK);
    ctx.actual = malloc(INTEGRITY_CHUNK);
    if (st == PMM_OK && (!ctx.expected || !ctx.actual))
        st = PMM_ERR_NOMEM;
    if (st == PMM_OK)
        st = scan(&ctx);
    if (st == PMM_OK && options && options->module_filter)
        st = pmm_strings_intern(&map->strings, options->module_filter, &map->integrity.summary.module_filter);
    free(ctx.expected);
    free(ctx.actual);
    integrity_exports_free(&ctx.exports);
    if (ctx.own_syms_built)
        pmm_symbols_free(&ctx.own_syms);
    map->integrity.summary.flags |= PMM_INTEGRITY_SCANNED;
    if (st == PMM_ERR_CANCELLED)
        map->integrity.summary.flags |= PMM_INTEGRITY_CANCELLED;
    map->integrity.summary.microseconds = pmm_clock_microseconds() - started;
    return st;
}
