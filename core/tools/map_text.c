#include "map_output.h"

#include <inttypes.h>
#include <string.h>
#include "../util/text.h"
#include "map_summary.h"

static const char *bits_text(uint32_t pointer_size)
{
    return pointer_size == 4 ? "32-bit" : "64-bit";
}

static void write_header(const pmm_map *map, pmm_out *out)
{
    const pmm_target_info *t = &map->target;
    static const char *const sources[] = {"", "live process", "minidump", "saved map", "kernel dump"};
    const char *source = t->source_kind < 5 ? sources[t->source_kind] : "";
    pmm_out_printf(out, "Target:   %s (pid %u), %s%s, %s\n", t->name[0] ? t->name : "?", (unsigned)t->pid,
                   bits_text(t->pointer_size), t->wow64 ? " (WOW64)" : "", source);
    if (t->path[0])
        pmm_out_printf(out, "Path:     %s\n", t->path);
    pmm_out_printf(out, "Regions:  %zu in %zu allocations, scanned in %" PRIu64 " ms\n\n", map->region_count,
                   map->allocation_count, map->scan_microseconds / 1000);
}

/* The usage columns (Committed, Private and, with working-set facts, the five WS columns), each
 * right-aligned in 12; blank_zero leaves zeros blank as VMMap's detail rows do. */
static const char *usage_columns(const pmm_usage *u, int has_ws, int blank_zero, char *buf, size_t cap)
{
    uint64_t values[PMM_USAGE_COLUMNS];
    size_t used = 0;
    pmm_usage_values(u, values);
    buf[0] = '\0';
    for (int i = 0; i < (has_ws ? PMM_USAGE_COLUMNS : PMM_USAGE_BASIC_COLUMNS) && used < cap; i++) {
        char size[32];
        used += (size_t)snprintf(buf + used, cap - used, " %12s",
                                 blank_zero && !values[i] ? "" : pmm_size_text(values[i], size, sizeof size));
    }
    return buf;
}

static const char *usage_headings(int has_ws, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < (has_ws ? PMM_USAGE_COLUMNS : PMM_USAGE_BASIC_COLUMNS) && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, " %12s", pmm_usage_column_name(i));
    return buf;
}

static void write_summary(const pmm_map *map, pmm_out *out)
{
    pmm_map_summary s;
    char a[32], c[32], usage[160];
    pmm_map_summarize(map, &s);
    pmm_out_printf(out, "%-14s %14s%s %8s %14s\n", "Type", "Size", usage_headings(s.has_working_set, usage, sizeof usage),
                   "Blocks", "Largest");
    for (int k = 0; k < PMM_KIND_COUNT; k++) {
        const pmm_kind_totals *t = &s.kinds[k];
        if (t->blocks == 0)
            continue;
        pmm_out_printf(out, "%-14s %14s%s %8" PRIu64 " %14s\n", pmm_region_kind_name((pmm_region_kind)k),
                       pmm_size_text(t->size, a, sizeof a),
                       usage_columns(&t->usage, s.has_working_set, 0, usage, sizeof usage), t->blocks,
                       pmm_size_text(t->largest, c, sizeof c));
    }
    pmm_out_printf(out, "%-14s %14s%s %8" PRIu64 "\n", "Total", pmm_size_text(s.total.size, a, sizeof a),
                   usage_columns(&s.total.usage, s.has_working_set, 0, usage, sizeof usage), s.total.blocks);
    pmm_out_printf(out, "Largest free block: %s\n", pmm_size_text(s.kinds[PMM_KIND_FREE].largest, a, sizeof a));
    if (!s.has_working_set)
        pmm_out_printf(out, "%s\n", pmm_map_working_set_note(map));
    pmm_out_puts(out, "\n");
}

/* Protection column of a block: VMMap writes "Reserved" for reserved blocks. */
static const char *block_protection(const pmm_region *r, char *buf, size_t cap)
{
    if (r->state == PMM_MEM_RESERVE)
        return "Reserved";
    if (r->state == PMM_MEM_FREE)
        return "";
    return pmm_protect_text(r->protect, buf, cap);
}

static const char *shared_protection(const pmm_map *map, size_t first, size_t count, char *buf, size_t cap)
{
    uint32_t protect = pmm_allocation_shared_protect(map, first, count);
    return protect ? pmm_protect_text(protect, buf, cap) : "";
}

/* What a block is, when that says more than its allocation's details: the section of an image,
 * a stack's guard page, a TEB inside a system allocation. */
static const char *block_details(const pmm_map *map, const pmm_region *b, uint64_t allocation_size)
{
    const pmm_annotation *a = b->type == PMM_MEM_IMAGE ? pmm_map_annotation_at(map, b->base, PMM_ANN_SECTION) : NULL;
    if (!a)
        a = pmm_map_annotation_at(map, b->base, -1);
    if (!a || a->size >= allocation_size || a->kind == PMM_ANN_MODULE || a->kind == PMM_ANN_HEAP)
        return "";
    return pmm_map_text(map, a->label);
}

static const char *row_format = "%-*s%-*s %-13s %12s%s %-10s %-8s %6s  %s\n";

/* Details followed by "[invalid: reason]" for each structure found corrupt that starts in
 * [base, end); marks already in the text are not repeated. */
static const char *with_invalid_marks(const pmm_map *map, const char *details, uint64_t base, uint64_t end, char *buf,
                                      size_t cap)
{
    size_t used = (size_t)snprintf(buf, cap, "%s", details);
    for (size_t i = pmm_map_annotation_lower_bound(map, base); i < map->annotation_count && used < cap; i++) {
        const pmm_annotation *a = &map->annotations[i];
        char mark[160];
        if (a->base >= end)
            break;
        if (!a->invalid)
            continue;
        snprintf(mark, sizeof mark, "[invalid: %s]", pmm_map_text(map, a->invalid));
        if (!strstr(buf, mark))
            used += (size_t)snprintf(buf + used, cap - used, "%s%s", used ? " " : "", mark);
    }
    return buf;
}

static void write_allocation(const pmm_map *map, size_t n, pmm_out *out)
{
    size_t first, count;
    pmm_map_allocation_regions(map, n, &first, &count);
    const pmm_region *r = &map->regions[first];
    const pmm_region *last = &map->regions[first + count - 1];
    int width = map->target.pointer_size == 4 ? 8 : 16, has_ws = map->working_set != NULL;
    char addr[24], size[32], prot[32], initial[32], blocks[16], usage[160];
    uint64_t end = last->base + last->size;
    char details[768], block_text[512];
    pmm_usage u;
    pmm_regions_usage(map, first, count, &u);
    snprintf(blocks, sizeof blocks, "%zu", count);
    pmm_out_printf(out, row_format, 0, "", width, pmm_address_text(r->base, map->target.pointer_size, addr, sizeof addr),
                   pmm_region_kind_name((pmm_region_kind)r->kind),
                   pmm_size_text(last->base + last->size - r->base, size, sizeof size),
                   usage_columns(&u, has_ws, 1, usage, sizeof usage),
                   shared_protection(map, first, count, prot, sizeof prot),
                   r->state == PMM_MEM_FREE ? "" : pmm_protect_text(r->alloc_protect, initial, sizeof initial),
                   r->state == PMM_MEM_FREE ? "" : blocks,
                   with_invalid_marks(map, pmm_map_text(map, r->details), r->base, end, details, sizeof details));
    if (r->state == PMM_MEM_FREE || count == 1)
        return;
    for (size_t i = first; i < first + count; i++) {
        const pmm_region *b = &map->regions[i];
        pmm_region_usage(map, i, &u);
        pmm_out_printf(out, row_format, 2, "", width - 2,
                       pmm_address_text(b->base, map->target.pointer_size, addr, sizeof addr),
                       pmm_region_kind_name((pmm_region_kind)b->kind), pmm_size_text(b->size, size, sizeof size),
                       usage_columns(&u, has_ws, 1, usage, sizeof usage), block_protection(b, prot, sizeof prot), "",
                       "",
                       with_invalid_marks(map, block_details(map, b, end - r->base), b->base, b->base + b->size,
                                          block_text, sizeof block_text));
    }
}

static void write_regions(const pmm_map *map, pmm_out *out)
{
    int width = map->target.pointer_size == 4 ? 8 : 16;
    char usage[160];
    pmm_out_printf(out, row_format, 0, "", width, "Address", "Type", "Size",
                   usage_headings(map->working_set != NULL, usage, sizeof usage), "Protection", "Initial", "Blocks",
                   "Details");
    for (size_t n = 0; n < map->allocation_count; n++)
        write_allocation(map, n, out);
}

static const char *module_source(const pmm_map *map, uint32_t flags)
{
    if ((flags & PMM_MODULE_IN_LOADER_LIST) && (flags & PMM_MODULE_IN_OS_LIST))
        return "";
    if ((flags & PMM_MODULE_IN_LOADER_LIST) && !(map->scan_flags & PMM_SCAN_OS_MODULE_LIST))
        return "";
    if (flags & PMM_MODULE_IN_LOADER_LIST)
        return "  [loader list only]";
    if (flags & PMM_MODULE_IN_OS_LIST)
        return "  [OS list only]";
    return "  [PE header only: in no list]";
}

static void write_modules(const pmm_map *map, pmm_out *out)
{
    char addr[24], size[32];
    pmm_out_printf(out, "\nModules (%zu)\n", map->module_count);
    for (size_t i = 0; i < map->module_count; i++) {
        const pmm_module *m = &map->modules[i];
        pmm_out_printf(out, "  %s %12s  %s%s%s\n", pmm_address_text(m->base, map->target.pointer_size, addr, sizeof addr),
                       pmm_size_text(m->size, size, sizeof size), pmm_map_text(map, m->path),
                       (m->flags & PMM_MODULE_WOW64) ? "  [32-bit]" : "", module_source(map, m->flags));
    }
}

#define TEXT_MAX_FRAMES 8   /* the text map shows where each thread is; `pmm stacks` shows the rest */

static void write_frame_range(const pmm_map *map, uint32_t first, uint32_t count, uint32_t pointer_size, pmm_out *out)
{
    char addr[24];
    size_t end = (size_t)first + count;
    for (size_t i = first; i < end && i < map->frame_count && i - first < TEXT_MAX_FRAMES; i++) {
        const char *symbol = pmm_map_text(map, map->frames[i].symbol);
        pmm_out_printf(out, "          %2zu %s %s\n", i - first,
                       pmm_address_text(map->frames[i].address, pointer_size, addr, sizeof addr), *symbol ? symbol : "?");
    }
    if (count > TEXT_MAX_FRAMES)
        pmm_out_printf(out, "          ... %u more frames (pmm stacks)\n", (unsigned)(count - TEXT_MAX_FRAMES));
}

static void write_thread_frames(const pmm_map *map, const pmm_thread *t, pmm_out *out)
{
    write_frame_range(map, t->frame_first, t->frame_count, t->frame_bits == 32 ? 4 : 8, out);
}

static void write_threads(const pmm_map *map, pmm_out *out)
{
    char teb[24], base[24], limit[24], reserve[24], start[24];
    uint32_t ps = map->target.pointer_size;
    pmm_out_printf(out, "\nThreads (%zu)\n", map->thread_count);
    for (size_t i = 0; i < map->thread_count; i++) {
        const pmm_thread *t = &map->threads[i];
        const char *start_symbol = pmm_map_text(map, t->start_symbol);
        pmm_out_printf(out, "  %6u  TEB %s  stack %s-%s (reserved from %s)  start %s%s%s\n", (unsigned)t->tid,
                       pmm_address_text(t->teb, ps, teb, sizeof teb), pmm_address_text(t->stack_limit, ps, limit, sizeof limit),
                       pmm_address_text(t->stack_base, ps, base, sizeof base),
                       pmm_address_text(t->stack_reserve_base, ps, reserve, sizeof reserve),
                       pmm_address_text(t->start_address, ps, start, sizeof start), *start_symbol ? " " : "",
                       start_symbol);
        const pmm_annotation *teb_mark = t->teb ? pmm_map_annotation_at(map, t->teb, PMM_ANN_TEB) : NULL;
        if (teb_mark && teb_mark->base == t->teb && teb_mark->invalid)
            pmm_out_printf(out, "          TEB [invalid: %s]\n", pmm_map_text(map, teb_mark->invalid));
        if (t->teb64)
            pmm_out_printf(out, "          64-bit TEB %s  stack %s-%s\n", pmm_address_text(t->teb64, 8, teb, sizeof teb),
                           pmm_address_text(t->stack64_limit, 8, limit, sizeof limit),
                           pmm_address_text(t->stack64_base, 8, base, sizeof base));
        write_thread_frames(map, t, out);
        if (t->frame64_count) {
            pmm_out_printf(out, "          64-bit call stack:\n");
            write_frame_range(map, t->frame64_first, t->frame64_count, 8, out);
        }
    }
}

static void write_heaps(const pmm_map *map, pmm_out *out)
{
    char addr[24];
    pmm_out_printf(out, "\nHeaps (%zu)\n", map->heap_count);
    for (size_t i = 0; i < map->heap_count; i++) {
        const pmm_heap *h = &map->heaps[i];
        pmm_out_printf(out, "  ID %-3u %s%s%s%s\n", (unsigned)h->id,
                       pmm_address_text(h->address, map->target.pointer_size, addr, sizeof addr),
                       (h->flags & PMM_HEAP_DEFAULT) ? "  default" : "", (h->flags & PMM_HEAP_FROM_PEB64) ? "  64-bit" : "",
                       (h->flags & PMM_HEAP_FOUND_BY_SIGNATURE) ? "  found by signature"
                       : (h->flags & PMM_HEAP_FROM_DEBUG_INFO) ? "  listed by RtlQueryProcessDebugInformation"
                       : (h->flags & PMM_HEAP_FROM_TOOLHELP) ? "  listed by Toolhelp" : "");
    }
}

/* Every structure found corrupt, with where it is and why (the same marks as in the rows above). */
static void write_invalid(const pmm_map *map, pmm_out *out)
{
    char addr[24];
    size_t count = pmm_map_invalid_count(map);
    if (count == 0)
        return;
    pmm_out_printf(out, "\nInvalid structures (%zu)\n", count);
    for (size_t i = 0; i < map->annotation_count; i++) {
        const pmm_annotation *a = &map->annotations[i];
        if (a->invalid)
            pmm_out_printf(out, "  %s  %s  [invalid: %s]\n",
                           pmm_address_text(a->base, map->target.pointer_size == 4 && a->base < (1ull << 32) ? 4 : 8,
                                            addr, sizeof addr),
                           pmm_map_text(map, a->label), pmm_map_text(map, a->invalid));
    }
}

static void write_warnings(const pmm_map *map, pmm_out *out)
{
    if (map->warning_count == 0)
        return;
    pmm_out_printf(out, "\nNot read or not available (%zu)\n", map->warning_count);
    for (size_t i = 0; i < map->warning_count; i++)
        pmm_out_printf(out, "  %s\n", pmm_map_text(map, map->warnings[i]));
}

void pmm_map_write_text(const pmm_map *map, pmm_out *out)
{
    write_header(map, out);
    write_summary(map, out);
    write_regions(map, out);
    write_modules(map, out);
    write_threads(map, out);
    write_heaps(map, out);
    write_invalid(map, out);
    write_warnings(map, out);
}
