/* The four HiperDrop-style region dump formats and their map file (see region_dump.h). */
#include "region_dump.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "../util/file_platform.h"
#include "../util/sink.h"

#define MAP_LINE_MAX 600

static const char *const format_names[] = {"regions", "single", "sparse", "full"};

pmm_status pmm_region_dump_parse_format(const char *text, pmm_region_dump_format *out)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(text, format_names[i]) == 0) {
            *out = (pmm_region_dump_format)i;
            return PMM_OK;
        }
    return PMM_ERR_ARG;
}

void pmm_region_dump_result_free(pmm_region_dump_result *result)
{
    pmm_dump_ranges_free(&result->unreadable);
}

static pmm_status map_line(pmm_sink *map, const char *fmt_line)
{
    return pmm_sink_write(map, fmt_line, strlen(fmt_line));
}

static pmm_status map_region(pmm_sink *map, const pmm_dump_range *r, uint64_t offset, const char *file_name)
{
    char line[MAP_LINE_MAX];
    snprintf(line, sizeof line, "region 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 "%s%s\n", r->address, r->size,
             offset, file_name ? " " : "", file_name ? file_name : "");
    return map_line(map, line);
}

/* Unreadable ranges and the closing "end" line. */
static pmm_status map_finish(pmm_sink *map, const pmm_dump_ranges *unreadable, size_t region_count)
{
    char line[MAP_LINE_MAX];
    pmm_status st = PMM_OK;
    for (size_t i = 0; i < unreadable->count && st == PMM_OK; i++) {
        snprintf(line, sizeof line, "unreadable 0x%" PRIx64 " 0x%" PRIx64 "\n", unreadable->items[i].address,
                 unreadable->items[i].size);
        st = map_line(map, line);
    }
    snprintf(line, sizeof line, "end %zu %zu\n", region_count, unreadable->count);
    return st == PMM_OK ? map_line(map, line) : st;
}

static int compare_ranges(const void *a, const void *b)
{
    const pmm_dump_range *x = a, *y = b;
    return x->address < y->address ? -1 : x->address > y->address;
}

/* Adds the pages a --read pages probe could not read to those the copy could not, in address
 * order, so the map lists both (the probe's lie between regions, the copy's inside them). */
static pmm_status merge_unreadable(pmm_dump_ranges *list, const pmm_dump_ranges *preset)
{
    if (!preset || preset->count == 0)
        return PMM_OK;
    size_t n = list->count + preset->count;
    pmm_dump_range *all = malloc(n * sizeof *all);
    if (!all)
        return PMM_ERR_NOMEM;
    if (list->count)
        memcpy(all, list->items, list->count * sizeof *all);
    memcpy(all + list->count, preset->items, preset->count * sizeof *all);
    qsort(all, n, sizeof *all, compare_ranges);
    pmm_dump_ranges merged = {0};
    pmm_status st = PMM_OK;
    for (size_t i = 0; i < n && st == PMM_OK; i++) {
        pmm_dump_range *last = merged.count ? &merged.items[merged.count - 1] : NULL;
        if (last && all[i].address < last->address + last->size) {   /* overlap: extend */
            uint64_t end = all[i].address + all[i].size;
            if (end > last->address + last->size)
                last->size = end - last->address;
        } else {
            st = pmm_dump_ranges_add(&merged, all[i].address, all[i].size);
        }
    }
    free(all);
    if (st != PMM_OK) {
        pmm_dump_ranges_free(&merged);
        return st;
    }
    pmm_dump_ranges_free(list);
    *list = merged;
    return PMM_OK;
}

static pmm_status open_map(pmm_sink *map, const char *path, pmm_region_dump_format format, char *message,
                           size_t cap)
{
    pmm_status st = pmm_sink_open_file(map, path, message, cap);
    if (st != PMM_OK)
        return st;
    char line[MAP_LINE_MAX];
    snprintf(line, sizeof line, "# pmm-region-dump 1 %s\n# region ADDRESS SIZE FILE_OFFSET%s; unreadable ADDRESS "
             "SIZE (zero-filled); end REGIONS UNREADABLE\n", format_names[format],
             format == PMM_RDUMP_REGIONS ? " FILE" : "");
    return map_line(map, line);
}

/* sink: the one that failed (its text names the path and the OS's reason), or NULL. */
static void describe_failure(pmm_status st, const char *path, pmm_sink *sink, char *message, size_t cap)
{
    if (message[0])
        return;
    const char *why = sink ? pmm_sink_error_text(sink) : "";
    if (st == PMM_ERR_IO && why[0])
        snprintf(message, cap, "%s; nothing was kept", why);
    else if (st == PMM_ERR_IO)
        snprintf(message, cap, "writing %s failed; nothing was kept", path);
    else if (st == PMM_ERR_GONE)
        snprintf(message, cap, "the process exited during the dump; nothing was kept");
    else
        snprintf(message, cap, "%s: %s; nothing was kept", path, pmm_status_text(st));
}

/* ---- one file: single, sparse, full ----------------------------------------------------------- */

static pmm_status place_region(pmm_sink *sink, pmm_region_dump_format format, uint64_t address)
{
    if (format == PMM_RDUMP_SINGLE)
        return PMM_OK;
    if (address < sink->size)
        return PMM_ERR_ARG;   /* ranges overlap or are out of order */
    uint64_t gap = address - sink->size;
    return format == PMM_RDUMP_SPARSE ? pmm_sink_skip(sink, gap) : pmm_sink_write_zeros(sink, gap);
}

static pmm_status dump_one_file(pmm_dump_copier *copier, const pmm_dump_ranges *ranges, const pmm_dump_ranges *preset,
                                const pmm_region_dump_options *o, pmm_region_dump_result *result, char *message,
                                size_t cap)
{
    if (o->format == PMM_RDUMP_FULL && ranges->count &&
        ranges->items[ranges->count - 1].address + ranges->items[ranges->count - 1].size > PMM_RDUMP_FULL_MAX) {
        snprintf(message, cap, "--format full would write %" PRIu64 " GiB of zeros up to the highest selected "
                 "address: select lower regions or use --format sparse",
                 (ranges->items[ranges->count - 1].address + ranges->items[ranges->count - 1].size) >> 30);
        return PMM_ERR_LIMIT;
    }
    size_t n = strlen(o->path);
    char *map_path = malloc(n + 5);
    if (!map_path)
        return PMM_ERR_NOMEM;
    memcpy(map_path, o->path, n);
    memcpy(map_path + n, ".map", 5);
    pmm_sink data, map;
    pmm_status st = pmm_sink_open_file(&data, o->path, message, cap);
    if (st == PMM_OK) {
        st = open_map(&map, map_path, o->format, message, cap);
        if (st != PMM_OK)
            pmm_sink_close(&data);
    }
    if (st != PMM_OK) {
        free(map_path);
        return st;
    }
    if (o->format == PMM_RDUMP_SPARSE && o->make_sparse)
        result->sparse = o->make_sparse(pmm_sink_file(&data));
    for (size_t i = 0; i < ranges->count && st == PMM_OK; i++) {
        st = place_region(&data, o->format, ranges->items[i].address);
        if (st == PMM_OK)
            st = map_region(&map, &ranges->items[i], data.size, NULL);
        if (st == PMM_OK)
            st = pmm_dump_copy(copier, ranges->items[i].address, ranges->items[i].size, &data);
    }
    if (st == PMM_OK)
        st = merge_unreadable(&copier->unreadable, preset);
    if (st == PMM_OK)
        st = map_finish(&map, &copier->unreadable, ranges->count);
    if (st == PMM_OK)
        st = pmm_sink_commit(&data);
    if (st == PMM_OK)
        st = pmm_sink_commit(&map);
    if (st != PMM_OK) {
        describe_failure(st, o->path, pmm_sink_error_text(&data)[0] ? &data : &map, message, cap);
        if (data.output.committed)
            pmm_file_remove(o->path);   /* the map failed after the data was renamed: neither stays */
    }
    result->file_size = data.size;
    pmm_sink_close(&data);
    pmm_sink_close(&map);
    free(map_path);
    return st;
}

/* ---- regions DIR ------------------------------------------------------------------------------ */

/* The output folder: made when absent (*made says so, for the clean-up); one that exists is used. */
static pmm_status make_folder(const char *path, int *made, char *message, size_t cap)
{
    *made = 0;
    pmm_path_kind kind = pmm_path_kind_of(path);
    if (kind == PMM_PATH_FOLDER)
        return PMM_OK;
    if (kind != PMM_PATH_NONE) {
        snprintf(message, cap, "%s exists and is not a folder: the regions format writes a folder (give a new name, "
                 "or use --format single for one file)", path);
        return PMM_ERR_IO;
    }
    int error = pmm_folder_create(path);
    if (error) {
        char text[300];
        snprintf(message, cap, "cannot create the folder %s: %s; nothing was kept", path,
                 pmm_os_error_text(error, text, sizeof text));
        return PMM_ERR_IO;
    }
    *made = 1;
    return PMM_OK;
}

static pmm_status dump_region_file(pmm_dump_copier *copier, const char *dir, const pmm_dump_range *r,
                                   char *name, size_t name_cap, char *message, size_t cap)
{
    snprintf(name, name_cap, "0x%" PRIx64 ".bin", r->address);
    size_t len = strlen(dir) + 1 + strlen(name) + 1;
    char *path = malloc(len);
    if (!path)
        return PMM_ERR_NOMEM;
    snprintf(path, len, "%s/%s", dir, name);
    pmm_sink sink;
    pmm_status st = pmm_sink_open_file(&sink, path, message, cap);
    if (st == PMM_OK) {
        st = pmm_dump_copy(copier, r->address, r->size, &sink);
        if (st == PMM_OK)
            st = pmm_sink_commit(&sink);
        if (st != PMM_OK)
            describe_failure(st, path, &sink, message, cap);
        pmm_sink_close(&sink);
    }
    free(path);
    return st;
}

/* A failed dump keeps none of its region files: a partial set would look like a whole one. */
static void remove_region_files(const char *dir, const pmm_dump_ranges *ranges)
{
    for (size_t i = 0; i < ranges->count; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/0x%" PRIx64 ".bin", dir, ranges->items[i].address);
        pmm_file_remove(path);
    }
}

static pmm_status dump_directory(pmm_dump_copier *copier, const pmm_dump_ranges *ranges, const pmm_dump_ranges *preset,
                                 const pmm_region_dump_options *o, char *message, size_t cap)
{
    int made = 0;
    pmm_status st = make_folder(o->path, &made, message, cap);
    if (st != PMM_OK)
        return st;
    size_t len = strlen(o->path) + sizeof "/regions.map";
    char *map_path = malloc(len);
    if (!map_path) {
        if (made)
            pmm_folder_remove(o->path);
        return PMM_ERR_NOMEM;
    }
    snprintf(map_path, len, "%s/regions.map", o->path);
    pmm_sink map;
    st = open_map(&map, map_path, o->format, message, cap);
    for (size_t i = 0; i < ranges->count && st == PMM_OK; i++) {
        char name[64];
        st = dump_region_file(copier, o->path, &ranges->items[i], name, sizeof name, message, cap);
        if (st == PMM_OK)
            st = map_region(&map, &ranges->items[i], 0, name);
    }
    if (st == PMM_OK)
        st = merge_unreadable(&copier->unreadable, preset);
    if (st == PMM_OK)
        st = map_finish(&map, &copier->unreadable, ranges->count);
    if (st == PMM_OK)
        st = pmm_sink_commit(&map);
    if (st != PMM_OK) {
        describe_failure(st, map_path, &map, message, cap);
        remove_region_files(o->path, ranges);
    }
    pmm_sink_close(&map);
    if (st != PMM_OK && made)
        pmm_folder_remove(o->path);   /* a failed dump leaves no folder it made either */
    free(map_path);
    return st;
}

static pmm_status region_dump_run(pmm_source *src, const pmm_dump_ranges *wanted, const pmm_dump_ranges *preset,
                                  const pmm_region_dump_options *options, pmm_region_dump_result *result,
                                  char *message, size_t message_cap)
{
    memset(result, 0, sizeof *result);
    message[0] = '\0';
    pmm_dump_ranges held;
    pmm_status st = pmm_dump_ranges_keep_held(src, wanted, &held, &result->not_held_bytes);
    if (st != PMM_OK)
        return st;
    const pmm_dump_ranges *ranges = &held;
    pmm_dump_copier copier;
    st = pmm_dump_copier_init(&copier, src, options->page_reads);
    if (st != PMM_OK) {
        pmm_dump_ranges_free(&held);
        return st;
    }
    copier.progress = options->progress;
    copier.progress_ctx = options->progress_ctx;
    copier.total = pmm_dump_ranges_total(ranges);
    if (options->format == PMM_RDUMP_REGIONS)
        st = dump_directory(&copier, ranges, preset, options, message, message_cap);
    else
        st = dump_one_file(&copier, ranges, preset, options, result, message, message_cap);
    result->region_count = ranges->count;
    result->bytes = copier.total;
    result->unreadable = copier.unreadable;
    memset(&copier.unreadable, 0, sizeof copier.unreadable);
    pmm_dump_copier_free(&copier);
    pmm_dump_ranges_free(&held);
    return st;
}

pmm_status pmm_region_dump(pmm_source *src, const pmm_dump_ranges *ranges, const pmm_region_dump_options *options,
                           pmm_region_dump_result *result, char *message, size_t message_cap)
{
    return region_dump_run(src, ranges, NULL, options, result, message, message_cap);
}

pmm_status pmm_region_dump_probed(pmm_source *src, const pmm_dump_ranges *regions, const pmm_dump_ranges *unreadable,
                                  const pmm_region_dump_options *options, pmm_region_dump_result *result,
                                  char *message, size_t message_cap)
{
    return region_dump_run(src, regions, unreadable, options, result, message, message_cap);
}
