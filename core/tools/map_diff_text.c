/* A comparison as text: one line per change, grouped like the map (regions, modules, threads,
 * heaps, pages), with + for what appeared, - for what went and ~ for what changed. */
#include "map_diff.h"

#include <inttypes.h>
#include <stdio.h>
#include "../util/text.h"

static const char *source_text(uint32_t kind)
{
    static const char *const names[] = {"?", "live process", "minidump", "saved map", "kernel dump"};
    return kind < 5 ? names[kind] : "?";
}

static void write_side(pmm_out *out, const char *label, const pmm_map *map)
{
    pmm_out_printf(out, "%s %s (pid %u), %s, %zu regions in %zu allocations\n", label,
                   map->target.name[0] ? map->target.name : "?", (unsigned)map->target.pid,
                   source_text(map->target.source_kind), map->region_count, map->allocation_count);
}

static char sign(pmm_diff_what what)
{
    switch (what) {
    case PMM_DIFF_REGION_ADDED: case PMM_DIFF_MODULE_LOADED: case PMM_DIFF_THREAD_STARTED:
    case PMM_DIFF_HEAP_CREATED: return '+';
    case PMM_DIFF_REGION_CHANGED: case PMM_DIFF_PAGES_CHANGED: return '~';
    default: return '-';
    }
}

/* "Private Data  details" of the region at addr in map. */
static void write_place(pmm_out *out, const pmm_map *map, uint64_t addr)
{
    size_t r = pmm_map_find(map, addr);
    if (r == PMM_NO_INDEX)
        return;
    const pmm_region *region = &map->regions[r];
    const char *details = pmm_map_text(map, region->details);
    pmm_out_printf(out, "  %s%s%s", pmm_region_kind_name((pmm_region_kind)region->kind), details[0] ? "  " : "",
                   details);
}

static void write_fields(pmm_out *out, uint32_t fields)
{
    const char *sep = "";
    for (int i = 0; i < PMM_DIFF_FIELD_COUNT; i++) {
        if (fields & (1u << i)) {
            pmm_out_printf(out, "%s%s", sep, pmm_diff_field_name(1u << i));
            sep = ", ";
        }
    }
}

static void write_region_entry(const pmm_map_diff *diff, const pmm_diff_entry *e, pmm_out *out, uint32_t ps)
{
    char addr[24], end[24], size[32];
    pmm_out_printf(out, "  %c %s %12s", sign((pmm_diff_what)e->what), pmm_address_text(e->allocation, ps, addr, sizeof addr),
                   pmm_size_text(e->size, size, sizeof size));
    if (e->what == PMM_DIFF_REGION_CHANGED) {
        pmm_out_printf(out, "  %s-%s: ", pmm_address_text(e->address, ps, addr, sizeof addr),
                       pmm_address_text(e->address + e->size, ps, end, sizeof end));
        write_fields(out, e->fields);
    }
    const pmm_map *map = e->what == PMM_DIFF_REGION_REMOVED ? diff->old_map : diff->new_map;
    write_place(out, map, e->allocation);
    pmm_out_puts(out, "\n");
}

static void write_list_entry(const pmm_map_diff *diff, const pmm_diff_entry *e, pmm_out *out, uint32_t ps)
{
    char addr[24], size[32];
    const pmm_map *map = e->old_index != PMM_NO_INDEX ? diff->old_map : diff->new_map;
    size_t index = e->old_index != PMM_NO_INDEX ? e->old_index : e->new_index;
    char s = sign((pmm_diff_what)e->what);
    switch (e->what) {
    case PMM_DIFF_MODULE_LOADED: case PMM_DIFF_MODULE_UNLOADED:
        pmm_out_printf(out, "  %c %s %12s  %s\n", s, pmm_address_text(e->address, ps, addr, sizeof addr),
                       pmm_size_text(e->size, size, sizeof size), pmm_map_text(map, map->modules[index].path));
        break;
    case PMM_DIFF_THREAD_STARTED: case PMM_DIFF_THREAD_EXITED:
        pmm_out_printf(out, "  %c %6u  TEB %s\n", s, (unsigned)map->threads[index].tid,
                       pmm_address_text(e->address, ps, addr, sizeof addr));
        break;
    case PMM_DIFF_HEAP_CREATED: case PMM_DIFF_HEAP_DESTROYED:
        pmm_out_printf(out, "  %c ID %-3u %s\n", s, (unsigned)map->heaps[index].id,
                       pmm_address_text(e->address, ps, addr, sizeof addr));
        break;
    default:
        pmm_out_printf(out, "  ~ %s %12s  %" PRIu64 " page(s)", pmm_address_text(e->address, ps, addr, sizeof addr),
                       pmm_size_text(e->size, size, sizeof size), e->size / PMM_PAGE_SIZE);
        write_place(out, diff->new_map, e->address);
        pmm_out_puts(out, "\n");
    }
}

static void write_finding_entry(const pmm_map_diff *diff, const pmm_diff_entry *e, pmm_out *out, uint32_t ps)
{
    const pmm_map *map = e->old_index != PMM_NO_INDEX ? diff->old_map : diff->new_map;
    const pmm_finding *f = &map->integrity.items[e->old_index != PMM_NO_INDEX ? e->old_index : e->new_index];
    char addr[32];
    pmm_out_printf(out, "  %c %s %-26s %s: %s\n", e->what == PMM_DIFF_FINDING_APPEARED ? '+' : '-',
                   pmm_address_text(f->address, ps, addr, sizeof addr), pmm_finding_kind_title(f->kind),
                   pmm_map_text(map, f->symbol), pmm_map_text(map, f->detail));
}

static void write_group(const pmm_map_diff *diff, pmm_out *out, const char *title, pmm_diff_what first,
                        pmm_diff_what last)
{
    size_t n = 0;
    for (int w = first; w <= (int)last; w++)
        n += diff->counts[w];
    if (n == 0)
        return;
    uint32_t ps = diff->new_map->target.pointer_size;
    pmm_out_printf(out, "\n%s (%zu)\n", title, n);
    for (size_t i = 0; i < diff->count; i++) {
        const pmm_diff_entry *e = &diff->entries[i];
        if (e->what < (uint32_t)first || e->what > (uint32_t)last)
            continue;
        if (e->what <= PMM_DIFF_REGION_CHANGED)
            write_region_entry(diff, e, out, ps);
        else if (e->what >= PMM_DIFF_FINDING_APPEARED)
            write_finding_entry(diff, e, out, ps);
        else
            write_list_entry(diff, e, out, ps);
    }
}

/* "+64,000 K", "-4 K" or "0 K". */
static const char *delta_text(uint64_t old_value, uint64_t new_value, char *buf, size_t cap)
{
    char size[32];
    uint64_t magnitude = new_value >= old_value ? new_value - old_value : old_value - new_value;
    snprintf(buf, cap, "%s%s", magnitude == 0 ? "" : new_value > old_value ? "+" : "-",
             pmm_size_text(magnitude, size, sizeof size));
    return buf;
}

/* Growth per type, the way a leak is spotted: committed, private and working-set deltas. */
static void write_kinds(const pmm_map_diff *diff, pmm_out *out)
{
    int columns = diff->working_set_compared ? PMM_USAGE_COLUMNS : PMM_USAGE_BASIC_COLUMNS;
    pmm_out_printf(out, "\nBy type (new - old)");
    for (int c = 0; c < columns; c++)
        pmm_out_printf(out, " %12s", pmm_usage_column_name(c));
    pmm_out_puts(out, "\n");
    for (int k = 0; k < PMM_KIND_COUNT; k++) {
        const pmm_kind_totals *a = &diff->old_summary.kinds[k], *b = &diff->new_summary.kinds[k];
        uint64_t old_values[PMM_USAGE_COLUMNS], new_values[PMM_USAGE_COLUMNS];
        if (k == PMM_KIND_FREE || (a->blocks == 0 && b->blocks == 0))
            continue;
        pmm_usage_values(&a->usage, old_values);
        pmm_usage_values(&b->usage, new_values);
        pmm_out_printf(out, "  %-17s", pmm_region_kind_name((pmm_region_kind)k));
        for (int c = 0; c < columns; c++) {
            char delta[40];
            pmm_out_printf(out, " %12s", delta_text(old_values[c], new_values[c], delta, sizeof delta));
        }
        pmm_out_puts(out, "\n");
    }
    if (!diff->working_set_compared)
        pmm_out_printf(out, "Working set: not compared (old: %s; new: %s).\n",
                       diff->old_summary.has_working_set ? "measured" : pmm_map_working_set_note(diff->old_map),
                       diff->new_summary.has_working_set ? "measured" : pmm_map_working_set_note(diff->new_map));
}

void pmm_map_diff_write_text(const pmm_map_diff *diff, pmm_out *out)
{
    const size_t *c = diff->counts;
    write_side(out, "Old:", diff->old_map);
    write_side(out, "New:", diff->new_map);
    pmm_out_printf(out, "\nRegions: %zu added, %zu removed, %zu changed.  Modules: %zu loaded, %zu unloaded.  "
                        "Threads: %zu started, %zu exited.  Heaps: %zu created, %zu destroyed.\n",
                   c[PMM_DIFF_REGION_ADDED], c[PMM_DIFF_REGION_REMOVED], c[PMM_DIFF_REGION_CHANGED],
                   c[PMM_DIFF_MODULE_LOADED], c[PMM_DIFF_MODULE_UNLOADED], c[PMM_DIFF_THREAD_STARTED],
                   c[PMM_DIFF_THREAD_EXITED], c[PMM_DIFF_HEAP_CREATED], c[PMM_DIFF_HEAP_DESTROYED]);
    if (diff->pages_compared)
        pmm_out_printf(out, "Pages: %" PRIu64 " changed in %zu ranges.\n", diff->pages_changed,
                       c[PMM_DIFF_PAGES_CHANGED]);
    else
        pmm_out_puts(out, "Pages: not compared (both sides need page checksums: pmm save --checksums).\n");
    if (diff->findings_compared)
        pmm_out_printf(out, "Integrity findings: %zu appeared, %zu gone.\n", c[PMM_DIFF_FINDING_APPEARED],
                       c[PMM_DIFF_FINDING_GONE]);
    else
        pmm_out_puts(out, "Integrity findings: not compared (both sides need a scan: pmm save --scan).\n");
    write_kinds(diff, out);
    write_group(diff, out, "Regions", PMM_DIFF_REGION_ADDED, PMM_DIFF_REGION_CHANGED);
    write_group(diff, out, "Modules", PMM_DIFF_MODULE_LOADED, PMM_DIFF_MODULE_UNLOADED);
    write_group(diff, out, "Threads", PMM_DIFF_THREAD_STARTED, PMM_DIFF_THREAD_EXITED);
    write_group(diff, out, "Heaps", PMM_DIFF_HEAP_CREATED, PMM_DIFF_HEAP_DESTROYED);
    write_group(diff, out, "Changed pages", PMM_DIFF_PAGES_CHANGED, PMM_DIFF_PAGES_CHANGED);
    write_group(diff, out, "Integrity findings", PMM_DIFF_FINDING_APPEARED, PMM_DIFF_FINDING_GONE);
    if (diff->count == 0)
        pmm_out_puts(out, "\nNo differences.\n");
}
