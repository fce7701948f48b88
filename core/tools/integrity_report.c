/* Recording findings and unchecked ranges in the map, and naming addresses for them. */
#include "integrity_internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "../util/text.h"

static pmm_status intern(integrity_ctx *ctx, const char *text, uint32_t *id)
{
    return pmm_strings_intern(&ctx->map->strings, text, id);
}

/* "e9 12 34 56 78": at most INTEGRITY_SHOWN_BYTES bytes. */
static pmm_status intern_hex(integrity_ctx *ctx, const uint8_t *bytes, size_t count, uint32_t *id)
{
    char text[INTEGRITY_SHOWN_BYTES * 3 + 1];
    size_t used = 0;
    *id = 0;
    if (!bytes)
        return PMM_OK;
    if (count > INTEGRITY_SHOWN_BYTES)
        count = INTEGRITY_SHOWN_BYTES;
    for (size_t i = 0; i < count; i++)
        used += (size_t)snprintf(text + used, sizeof text - used, i ? " %02x" : "%02x", bytes[i]);
    text[used] = '\0';
    return intern(ctx, text, id);
}

pmm_status integrity_add_finding(integrity_ctx *ctx, const integrity_finding_args *args, const char *fmt, ...)
{
    char symbol[600], destination[600] = "", detail[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    const pmm_module *m = args->data ? pmm_map_module_at(ctx->map, args->address) : NULL;
    if (m)
        snprintf(symbol, sizeof symbol, "%s+0x%" PRIx64, pmm_map_text(ctx->map, m->name), args->address - m->base);
    else
        integrity_describe(ctx, args->address, symbol, sizeof symbol);
    if (args->destination)
        integrity_describe(ctx, args->destination, destination, sizeof destination);
    pmm_finding f;
    memset(&f, 0, sizeof f);
    f.kind = args->kind;
    f.module = args->module_number;
    f.address = args->address;
    f.size = args->size;
    f.destination = args->destination;
    pmm_status st = intern(ctx, symbol, &f.symbol);
    if (st == PMM_OK)
        st = intern(ctx, destination, &f.destination_text);
    if (st == PMM_OK)
        st = intern(ctx, detail, &f.detail);
    if (st == PMM_OK)
        st = intern_hex(ctx, args->file_bytes, args->byte_count, &f.file_bytes);
    if (st == PMM_OK)
        st = intern_hex(ctx, args->memory_bytes, args->byte_count, &f.memory_bytes);
    return st == PMM_OK ? pmm_map_add_finding(ctx->map, &f) : st;
}

pmm_status integrity_add_unchecked(integrity_ctx *ctx, uint32_t module_number, uint64_t address, uint64_t size,
                                   const char *what, const char *fmt, ...)
{
    char reason[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    pmm_findings *f = &ctx->map->integrity;
    /* Adjacent unreadable pages with the same reason are one entry. */
    if (f->unchecked_count) {
        pmm_unchecked *last = &f->unchecked[f->unchecked_count - 1];
        if (last->module == module_number && last->address + last->size == address && size &&
            strcmp(pmm_map_text(ctx->map, last->what), what) == 0 &&
            strcmp(pmm_map_text(ctx->map, last->reason), reason) == 0) {
            last->size += size;
            return PMM_OK;
        }
    }
    pmm_unchecked u;
    memset(&u, 0, sizeof u);
    u.module = module_number;
    u.address = address;
    u.size = size;
    pmm_status st = intern(ctx, what, &u.what);
    if (st == PMM_OK)
        st = intern(ctx, reason, &u.reason);
    return st == PMM_OK ? pmm_map_add_unchecked(ctx->map, &u) : st;
}

const pmm_symbols *integrity_symbols(integrity_ctx *ctx)
{
    if (!ctx->syms) {
        pmm_symbols_init(&ctx->own_syms);
        if (ctx->options && ctx->options->symbol_path)
            pmm_symbols_set_path(&ctx->own_syms, ctx->options->symbol_path);
        pmm_symbols_add_map(&ctx->own_syms, ctx->src, ctx->map);   /* what could be read is named */
        pmm_symbols_finish(&ctx->own_syms);
        ctx->own_syms_built = 1;
        ctx->syms = &ctx->own_syms;
    }
    return ctx->syms;
}

void integrity_describe(integrity_ctx *ctx, uint64_t address, char *buf, size_t cap)
{
    if (pmm_symbols_describe(integrity_symbols(ctx), address, buf, cap))
        return;
    const pmm_map *map = ctx->map;
    size_t i = pmm_map_find(map, address);
    if (i == PMM_NO_INDEX || map->regions[i].state != PMM_MEM_COMMIT) {
        snprintf(buf, cap, "%s at 0x%" PRIx64,
                 i == PMM_NO_INDEX || map->regions[i].state == PMM_MEM_FREE ? "unmapped memory" : "reserved memory",
                 address);
        return;
    }
    const pmm_region *r = &map->regions[i];
    char protect[32];
    pmm_protect_text(r->protect, protect, sizeof protect);
    snprintf(buf, cap, "%s at 0x%" PRIx64 " (%s, allocation 0x%" PRIx64 ")", pmm_region_kind_name(r->kind),
             address, protect, r->alloc_base);
}

pmm_status integrity_progress(integrity_ctx *ctx, uint64_t bytes)
{
    ctx->done += bytes;
    if (ctx->done > ctx->total)
        ctx->done = ctx->total;
    const pmm_integrity_options *o = ctx->options;
    if (o && o->progress && o->progress(o->progress_ctx, ctx->done, ctx->total))
        return PMM_ERR_CANCELLED;
    return PMM_OK;
}
