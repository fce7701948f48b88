/* The integrity scan's results as text for people and as JSON (format pmm-scan, README). */
#include "integrity.h"

#include <inttypes.h>
#include <string.h>
#include "map_output.h"
#include "../util/text.h"

static const pmm_module *finding_module(const pmm_map *map, uint32_t number)
{
    return number && number <= map->module_count ? &map->modules[number - 1] : NULL;
}

static int lists_threads(uint32_t kind)
{
    return kind == PMM_FINDING_PRIVATE_CODE || kind == PMM_FINDING_IMPLANTED_PE;
}

static int thread_starts(const pmm_thread *t, uint64_t base, uint64_t size)
{
    return t->start_address - base < size;
}

static int thread_runs(const pmm_thread *t, uint64_t base, uint64_t size)
{
    return (t->context.arch && t->context.ip - base < size) || (t->context32.arch && t->context32.ip - base < size);
}

/* The allocation a process-wide finding is about: threads anywhere in it count. */
static void finding_extent(const pmm_map *map, const pmm_finding *f, uint64_t *base, uint64_t *size)
{
    *base = f->address;
    *size = f->size;
    size_t i = pmm_map_find(map, f->address);
    if (i == PMM_NO_INDEX)
        return;
    size_t first, count;
    pmm_map_allocation_regions(map, pmm_map_find_allocation(map, i), &first, &count);
    if (!count)
        return;
    *base = map->regions[first].base;
    *size = map->regions[first + count - 1].base + map->regions[first + count - 1].size - *base;
}

/* ---- JSON ------------------------------------------------------------------------------------- */

static void json_threads(pmm_json *j, const pmm_map *map, const pmm_finding *f)
{
    uint64_t base, size;
    finding_extent(map, f, &base, &size);
    pmm_json_key(j, "threads");
    pmm_json_begin_array(j);
    for (size_t i = 0; i < map->thread_count; i++) {
        const pmm_thread *t = &map->threads[i];
        int starts = thread_starts(t, base, size), runs = thread_runs(t, base, size);
        if (!starts && !runs)
            continue;
        pmm_json_begin_object(j);
        pmm_json_kv_uint(j, "tid", t->tid);
        pmm_json_kv_address(j, "start_address", t->start_address);
        pmm_json_kv_bool(j, "starts_here", starts);
        pmm_json_kv_bool(j, "runs_here", runs);
        pmm_json_end_object(j);
    }
    pmm_json_end_array(j);
}

static void json_module(pmm_json *j, const pmm_map *map, uint32_t number)
{
    const pmm_module *m = finding_module(map, number);
    pmm_json_key(j, "module");
    if (m)
        pmm_json_string(j, pmm_map_text(map, m->name));
    else
        pmm_json_null(j);
    if (m)
        pmm_json_kv_address(j, "module_base", m->base);
}

static void json_finding(pmm_json *j, const pmm_map *map, const pmm_finding *f)
{
    pmm_json_begin_object(j);
    pmm_json_kv_string(j, "kind", pmm_finding_kind_name(f->kind));
    pmm_json_kv_address(j, "address", f->address);
    pmm_json_kv_uint(j, "size", f->size);
    json_module(j, map, f->module);
    pmm_json_kv_string(j, "symbol", pmm_map_text(map, f->symbol));
    if (f->destination) {
        pmm_json_kv_address(j, "destination", f->destination);
        pmm_json_kv_string(j, "destination_symbol", pmm_map_text(map, f->destination_text));
    }
    if (f->file_bytes || f->memory_bytes) {
        pmm_json_kv_string(j, "file_bytes", pmm_map_text(map, f->file_bytes));
        pmm_json_kv_string(j, "memory_bytes", pmm_map_text(map, f->memory_bytes));
    }
    pmm_json_kv_string(j, "detail", pmm_map_text(map, f->detail));
    if (lists_threads(f->kind))
        json_threads(j, map, f);
    pmm_json_end_object(j);
}

static void json_unchecked(pmm_json *j, const pmm_map *map, const pmm_unchecked *u)
{
    pmm_json_begin_object(j);
    pmm_json_kv_address(j, "address", u->address);
    pmm_json_kv_uint(j, "size", u->size);
    json_module(j, map, u->module);
    pmm_json_kv_string(j, "what", pmm_map_text(map, u->what));
    pmm_json_kv_string(j, "reason", pmm_map_text(map, u->reason));
    pmm_json_end_object(j);
}

static void json_summary(pmm_json *j, const pmm_map *map)
{
    const pmm_findings *f = &map->integrity;
    pmm_json_key(j, "summary");
    pmm_json_begin_object(j);
    pmm_json_kv_uint(j, "images", f->image_count);
    pmm_json_kv_uint(j, "images_checked", pmm_findings_image_count(f, PMM_IMAGE_CHECKED));
    pmm_json_kv_uint(j, "images_partly", pmm_findings_image_count(f, PMM_IMAGE_PARTLY));
    pmm_json_kv_uint(j, "images_not_checked", pmm_findings_image_count(f, PMM_IMAGE_NOT_CHECKED));
    pmm_json_kv_uint(j, "bytes_compared", f->summary.bytes_compared);
    pmm_json_kv_bool(j, "process_wide", (f->summary.flags & PMM_INTEGRITY_PROCESS_WIDE) != 0);
    pmm_json_kv_uint(j, "findings", f->count);
    pmm_json_key(j, "by_kind");
    pmm_json_begin_object(j);
    for (uint32_t k = 0; k < PMM_FINDING_KIND_COUNT; k++) {
        size_t n = 0;
        for (size_t i = 0; i < f->count; i++)
            n += f->items[i].kind == k;
        if (n)
            pmm_json_kv_uint(j, pmm_finding_kind_name(k), n);
    }
    pmm_json_end_object(j);
    pmm_json_kv_uint(j, "not_checked", f->unchecked_count);
    pmm_json_kv_uint(j, "microseconds", f->summary.microseconds);
    pmm_json_end_object(j);
}

void pmm_integrity_write_json_members(const pmm_map *map, pmm_json *j)
{
    const pmm_findings *f = &map->integrity;
    if (f->summary.module_filter)
        pmm_json_kv_string(j, "module_filter", pmm_map_text(map, f->summary.module_filter));
    json_summary(j, map);
    pmm_json_key(j, "images");
    pmm_json_begin_array(j);
    for (size_t i = 0; i < f->image_count; i++) {
        const pmm_image_check *c = &f->images[i];
        const pmm_module *m = finding_module(map, c->module);
        pmm_json_begin_object(j);
        if (m) {
            pmm_json_kv_address(j, "base", m->base);
            pmm_json_kv_uint(j, "size", m->size);
            pmm_json_kv_string(j, "name", pmm_map_text(map, m->name));
            pmm_json_kv_string(j, "path", pmm_map_text(map, m->path));
        }
        pmm_json_kv_string(j, "file", pmm_map_text(map, c->file));
        pmm_json_kv_string(j, "status", pmm_image_check_status_name(c->status));
        pmm_json_kv_uint(j, "bytes_compared", c->bytes_compared);
        pmm_json_end_object(j);
    }
    pmm_json_end_array(j);
    pmm_json_key(j, "findings");
    pmm_json_begin_array(j);
    for (size_t i = 0; i < f->count; i++)
        json_finding(j, map, &f->items[i]);
    pmm_json_end_array(j);
    pmm_json_key(j, "not_checked");
    pmm_json_begin_array(j);
    for (size_t i = 0; i < f->unchecked_count; i++)
        json_unchecked(j, map, &f->unchecked[i]);
    pmm_json_end_array(j);
}

void pmm_integrity_write_json(const pmm_map *map, pmm_out *out)
{
    pmm_json j;
    pmm_json_init(&j, out, 1);
    pmm_json_begin_object(&j);
    pmm_json_kv_string(&j, "format", "pmm-scan");
    pmm_json_kv_uint(&j, "version", PMM_SCAN_JSON_VERSION);
    pmm_json_key(&j, "target");
    pmm_json_write_target(&j, &map->target);
    pmm_integrity_write_json_members(map, &j);
    pmm_json_end_object(&j);
    pmm_out_puts(out, "\n");
}

/* ---- text ------------------------------------------------------------------------------------- */

static void text_threads(pmm_out *out, const pmm_map *map, const pmm_finding *f)
{
    uint64_t base, size;
    finding_extent(map, f, &base, &size);
    for (size_t i = 0; i < map->thread_count; i++) {
        const pmm_thread *t = &map->threads[i];
        int starts = thread_starts(t, base, size), runs = thread_runs(t, base, size);
        if (starts || runs)
            pmm_out_printf(out, "      thread %u %s (start 0x%" PRIx64 ")\n", t->tid,
                           starts && runs ? "starts and runs here" : starts ? "starts here" : "runs here",
                           t->start_address);
    }
}

static void text_finding(pmm_out *out, const pmm_map *map, const pmm_finding *f)
{
    const char *symbol = pmm_map_text(map, f->symbol);
    pmm_out_printf(out, "  %-26s 0x%" PRIx64 "  %" PRIu64 " bytes  %s\n", pmm_finding_kind_title(f->kind), f->address,
                   f->size, *symbol ? symbol : "");
    pmm_out_printf(out, "      %s\n", pmm_map_text(map, f->detail));
    if (f->destination)
        pmm_out_printf(out, "      -> 0x%" PRIx64 " %s\n", f->destination, pmm_map_text(map, f->destination_text));
    if (f->file_bytes || f->memory_bytes) {
        pmm_out_printf(out, "      file:   %s\n", pmm_map_text(map, f->file_bytes));
        pmm_out_printf(out, "      memory: %s\n", pmm_map_text(map, f->memory_bytes));
    }
    if (lists_threads(f->kind))
        text_threads(out, map, f);
}

void pmm_integrity_write_text(const pmm_map *map, pmm_out *out)
{
    const pmm_findings *f = &map->integrity;
    char size[64];
    pmm_out_printf(out, "Integrity scan of %s (pid %u): %zu images, %zu compared in full, %zu in part, %zu not "
                        "checked; %s compared in %.2f s%s\n",
                   map->target.name, map->target.pid, f->image_count, pmm_findings_image_count(f, PMM_IMAGE_CHECKED),
                   pmm_findings_image_count(f, PMM_IMAGE_PARTLY), pmm_findings_image_count(f, PMM_IMAGE_NOT_CHECKED),
                   pmm_size_text(f->summary.bytes_compared, size, sizeof size), f->summary.microseconds / 1e6,
                   (f->summary.flags & PMM_INTEGRITY_PROCESS_WIDE) ? "" : "; process-wide checks not run (--module)");
    pmm_out_printf(out, "\nFindings (%zu)\n", f->count);
    for (size_t i = 0; i < f->count; i++)
        text_finding(out, map, &f->items[i]);
    if (!f->count)
        pmm_out_puts(out, "  none in what was compared\n");
    pmm_out_printf(out, "\nNot checked (%zu)\n", f->unchecked_count);
    for (size_t i = 0; i < f->unchecked_count; i++) {
        const pmm_unchecked *u = &f->unchecked[i];
        pmm_out_printf(out, "  0x%" PRIx64 "  %" PRIu64 " bytes  %s: %s\n", u->address, u->size,
                       pmm_map_text(map, u->what), pmm_map_text(map, u->reason));
    }
    pmm_out_puts(out, "\nImages\n");
    for (size_t i = 0; i < f->image_count; i++) {
        const pmm_module *m = finding_module(map, f->images[i].module);
        if (m)
            pmm_out_printf(out, "  0x%" PRIx64 "  %-12s %-28s %s\n", m->base,
                           pmm_image_check_status_name(f->images[i].status), pmm_map_text(map, m->name),
                           pmm_map_text(map, f->images[i].file));
    }
}
