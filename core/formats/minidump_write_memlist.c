/* The memory streams: Memory64List (full memory) or MemoryList (selected ranges plus the thread
 * stacks already saved in ThreadList), followed by a CommentStreamA that lists every page the
 * copy had to zero-fill. Both lists are planned before the first byte is copied (sizes never
 * change: unreadable pages become zeros), so the list precedes its data and every RVA stays within
 * 32 bits; only the comment is filled in afterwards, into space reserved for it. */
#include "minidump_write_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COMMENT_CAPACITY (64u * 1024)
#define COMMENT_LINE_MAX 64u

static pmm_status plan_full(md_writer *w, pmm_dump_ranges *plan)
{
    for (size_t i = 0; i < w->map->region_count; i++) {
        const pmm_region *r = &w->map->regions[i];
        if (!pmm_dump_region_is_saved(r))
            continue;
        /* Not merged with the previous region: one descriptor per region, as dbghelp writes. */
        if (plan->count == plan->cap) {
            size_t cap = plan->cap ? plan->cap * 2 : 256;
            pmm_dump_range *grown = realloc(plan->items, cap * sizeof *grown);
            if (!grown)
                return PMM_ERR_NOMEM;
            plan->items = grown;
            plan->cap = cap;
        }
        plan->items[plan->count].address = r->base;
        plan->items[plan->count].size = r->size;
        plan->count++;
    }
    return PMM_OK;
}

static pmm_status reserve_comment(md_writer *w, uint32_t *rva)
{
    pmm_status st = mdw_rva(w, rva);
    return st == PMM_OK ? pmm_sink_write_zeros(w->sink, COMMENT_CAPACITY) : st;
}

/* "pmm: unreadable pages..." text patched into the reserved comment space. */
static pmm_status write_comment(md_writer *w, uint32_t rva)
{
    const pmm_dump_ranges *u = &w->copier.unreadable;
    char *text = calloc(1, COMMENT_CAPACITY);
    if (!text)
        return PMM_ERR_NOMEM;
    size_t len = (size_t)snprintf(text, COMMENT_CAPACITY,
                                  "pmm: unreadable pages (zero-filled in this dump): %zu ranges, %" PRIu64 " bytes\n",
                                  u->count, pmm_dump_ranges_total(u));
    size_t i = 0;
    for (; i < u->count && len + 2 * COMMENT_LINE_MAX < COMMENT_CAPACITY; i++)
        len += (size_t)snprintf(text + len, COMMENT_CAPACITY - len, "0x%" PRIx64 " 0x%" PRIx64 "\n",
                                u->items[i].address, u->items[i].size);
    if (i < u->count)
        len += (size_t)snprintf(text + len, COMMENT_CAPACITY - len, "... %zu more ranges not listed\n", u->count - i);
    pmm_status st = pmm_sink_patch(w->sink, rva, text, len + 1);
    free(text);
    if (st != PMM_OK || w->stream_count >= MDW_MAX_STREAMS)
        return st != PMM_OK ? st : PMM_ERR_LIMIT;
    w->directory[w->stream_count][0] = PMM_MD_STREAM_COMMENT_A;
    w->directory[w->stream_count][1] = (uint32_t)(len + 1);
    w->directory[w->stream_count][2] = rva;
    w->stream_count++;
    return PMM_OK;
}

static pmm_status copy_planned(md_writer *w, const pmm_dump_ranges *plan)
{
    w->copier.total = pmm_dump_ranges_total(plan);
    pmm_status st = PMM_OK;
    for (size_t i = 0; i < plan->count && st == PMM_OK; i++)
        st = pmm_dump_copy(&w->copier, plan->items[i].address, plan->items[i].size, w->sink);
    w->result->memory_range_count = plan->count;
    w->result->memory_bytes = w->copier.total;
    return st;
}

static pmm_status write_memory64(md_writer *w, const pmm_dump_ranges *plan)
{
    uint32_t list_rva = 0, comment_rva = 0;
    pmm_status st = pmm_sink_align(w->sink, 8);
    if (st == PMM_OK)
        st = mdw_rva(w, &list_rva);
    uint64_t list_size = 16 + 16 * (uint64_t)plan->count;
    uint64_t data_rva = (uint64_t)list_rva + list_size + COMMENT_CAPACITY;
    uint8_t d[16];
    pmm_put64(d, plan->count);
    pmm_put64(d + 8, data_rva);
    if (st == PMM_OK)
        st = pmm_sink_write(w->sink, d, sizeof d);
    for (size_t i = 0; i < plan->count && st == PMM_OK; i++) {
        pmm_put64(d, plan->items[i].address);
        pmm_put64(d + 8, plan->items[i].size);
        st = pmm_sink_write(w->sink, d, sizeof d);
    }
    if (st == PMM_OK)
        st = mdw_end_stream(w, PMM_MD_STREAM_MEMORY64_LIST, list_rva);
    if (st == PMM_OK)
        st = reserve_comment(w, &comment_rva);
    if (st == PMM_OK && w->sink->size != data_rva)
        st = PMM_ERR_ARG;
    if (st == PMM_OK)
        st = copy_planned(w, plan);
    return st == PMM_OK ? write_comment(w, comment_rva) : st;
}

static pmm_status write_memory_list(md_writer *w, const pmm_dump_ranges *plan)
{
    uint32_t list_rva = 0, comment_rva = 0;
    pmm_status st = pmm_sink_align(w->sink, 4);
    if (st == PMM_OK)
        st = mdw_rva(w, &list_rva);
    if (st != PMM_OK)
        return st;
    size_t count = plan->count + w->stack_count;
    uint64_t data_rva = (uint64_t)list_rva + 4 + 16 * (uint64_t)count + COMMENT_CAPACITY;
    uint64_t end = data_rva + pmm_dump_ranges_total(plan);
    for (size_t i = 0; i < plan->count; i++)
        if (plan->items[i].size > UINT32_MAX)
            return PMM_ERR_LIMIT;
    if (end > UINT32_MAX)
        return PMM_ERR_LIMIT;   /* MemoryList RVAs are 32-bit: a full (Memory64List) dump has no limit */
    uint8_t d[16];
    pmm_put32(d, (uint32_t)count);
    st = pmm_sink_write(w->sink, d, 4);
    uint64_t at = data_rva;
    for (size_t i = 0; i < plan->count && st == PMM_OK; i++) {
        pmm_put64(d, plan->items[i].address);
        pmm_put32(d + 8, (uint32_t)plan->items[i].size);
        pmm_put32(d + 12, (uint32_t)at);
        at += plan->items[i].size;
        st = pmm_sink_write(w->sink, d, sizeof d);
    }
    for (size_t i = 0; i < w->stack_count && st == PMM_OK; i++) {
        pmm_put64(d, w->stacks[i].address);
        pmm_put32(d + 8, w->stacks[i].size);
        pmm_put32(d + 12, w->stacks[i].rva);
        st = pmm_sink_write(w->sink, d, sizeof d);
    }
    if (st == PMM_OK)
        st = mdw_end_stream(w, PMM_MD_STREAM_MEMORY_LIST, list_rva);
    if (st == PMM_OK)
        st = reserve_comment(w, &comment_rva);
    if (st == PMM_OK)
        st = copy_planned(w, plan);
    return st == PMM_OK ? write_comment(w, comment_rva) : st;
}

pmm_status mdw_write_memory(md_writer *w)
{
    pmm_dump_ranges wanted = {0}, plan = {0};
    int full = w->options->memory_mode == PMM_MD_MEMORY_FULL;
    pmm_status st = PMM_OK;
    if (full) {
        st = plan_full(w, &wanted);
    } else {
        wanted.items = (pmm_dump_range *)w->options->selected;   /* borrowed, never freed here */
        wanted.count = wanted.cap = w->options->selected_count;
    }
    if (st == PMM_OK)
        st = pmm_dump_ranges_keep_held(w->src, &wanted, &plan, &w->result->not_held_bytes);
    if (st == PMM_OK)
        st = full ? write_memory64(w, &plan) : write_memory_list(w, &plan);
    if (full)
        free(wanted.items);
    free(plan.items);
    return st;
}
