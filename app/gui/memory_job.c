#include "memory_job.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/util/clock.h"
#include "gui_util.h"

#define PREVIEW_BYTES 16

typedef enum memory_job_kind { MEMORY_JOB_SEARCH, MEMORY_JOB_STRINGS } memory_job_kind;

typedef struct memory_work {
    memory_job_kind kind;
    target_data *data;                 /* borrowed from the window: one reference */
    pmm_search_pattern pattern;        /* search: owned */
    pmm_search_options search;
    pmm_strings_options strings;
    uint64_t max_rows;                 /* strings: stop after this many (0: no cap) */
    gui_job *job;
    char symbol_path[1024];            /* for naming hits: gui_symbol_path() when the job started */
    memory_result result;
} memory_work;

typedef struct job_run {
    memory_work *work;
    pmm_source *src;
    const pmm_map *map;
    pmm_symbols syms;
    int syms_loaded;
    pmm_search_hit *hits;        /* collected during the search, described after it */
    size_t hit_count, hit_cap;
} job_run;

/* Exports are read only once a hit lands in an image, as pmm search does. */
static const pmm_symbols *symbols_for(job_run *run, const pmm_region *region)
{
    if (!region || region->type != PMM_MEM_IMAGE)
        return NULL;
    if (!run->syms_loaded) {
        run->syms_loaded = 1;
        pmm_symbols_set_path(&run->syms, run->work->symbol_path[0] ? run->work->symbol_path : NULL);
        pmm_symbols_add_map(&run->syms, run->src, run->map);
        pmm_symbols_finish(&run->syms);
    }
    return &run->syms;
}

/* The bytes at addr (what could be read of them) as hex ("50 4D 4D 2D") and as text ("PMM-"). */
static void preview(pmm_source *src, uint64_t addr, char *hex, size_t hex_cap, char *text, size_t text_cap)
{
    uint8_t bytes[PREVIEW_BYTES];
    size_t n = pmm_source_read(src, addr, bytes, sizeof bytes), used = 0;
    hex[0] = text[0] = '\0';
    for (size_t i = 0; i < n && used + 4 < hex_cap; i++)
        used += (size_t)snprintf(hex + used, hex_cap - used, i ? " %02X" : "%02X", bytes[i]);
    for (size_t i = 0; i < n && i + 1 < text_cap; i++) {
        text[i] = bytes[i] >= 0x20 && bytes[i] < 0x7f ? (char)bytes[i] : '.';
        text[i + 1] = '\0';
    }
}

/* Only collected here: the bytes and exports of each hit are read once the search has finished
 * (describe_hits), so the walk reads the target in one sequential pass. */
static int add_hit(void *ctx, const pmm_search_hit *hit)
{
    job_run *run = ctx;
    if (run->hit_count == run->hit_cap) {
        size_t cap = run->hit_cap ? run->hit_cap * 2 : 256;
        pmm_search_hit *hits = realloc(run->hits, cap * sizeof *hits);
        if (!hits) {
            run->work->result.status = PMM_ERR_NOMEM;
            return 1;
        }
        run->hits = hits;
        run->hit_cap = cap;
    }
    run->hits[run->hit_count++] = *hit;
    return gui_job_cancelled(run->work->job);
}

static void describe_hits(job_run *run)
{
    for (size_t i = 0; i < run->hit_count; i++) {
        if (gui_job_cancelled(run->work->job)) {
            run->work->result.status = PMM_ERR_CANCELLED;
            return;
        }
        const pmm_search_hit *hit = &run->hits[i];
        const pmm_region *region = hit->region < run->map->region_count ? &run->map->regions[hit->region] : NULL;
        pmm_address_context where;
        pmm_describe_address(run->map, symbols_for(run, region), hit->address, &where);
        char bytes[PREVIEW_BYTES * 3 + 1], text[PREVIEW_BYTES + 1];
        preview(run->src, hit->address, bytes, sizeof bytes, text, sizeof text);
        const char *cells[SEARCH_CELL_COUNT] = {where.kind, where.annotation, where.symbol, bytes, text};
        if (result_rows_add(&run->work->result.rows, hit->address, cells) != PMM_OK) {
            run->work->result.status = PMM_ERR_NOMEM;
            return;
        }
    }
}

static int add_string(void *ctx, const pmm_found_string *s)
{
    job_run *run = ctx;
    memory_work *work = run->work;
    memory_result *result = &work->result;
    if (work->max_rows && result->rows.count >= work->max_rows) {
        result->truncated = 1;
        return 1;
    }
    pmm_address_context where;
    pmm_describe_address(run->map, NULL, s->address, &where);
    char length[32], place[400];
    snprintf(length, sizeof length, "%llu", (unsigned long long)s->length);
    /* "Heap (ID 1)" says its type already; "C:\\file.dat" does not. */
    if (strncmp(where.annotation, where.kind, strlen(where.kind)) == 0)
        snprintf(place, sizeof place, "%s", where.annotation);
    else
        snprintf(place, sizeof place, "%s%s%s", where.kind, where.annotation[0] ? " " : "", where.annotation);
    char *text = pmm_found_string_shown(s);
    const char *cells[STRINGS_CELL_COUNT] = {s->encoding == PMM_STRINGS_UTF16 ? "UTF-16" : "ANSI", length, place, text};
    pmm_status st = text ? result_rows_add(&result->rows, s->address, cells) : PMM_ERR_NOMEM;
    free(text);
    if (st != PMM_OK) {
        result->status = PMM_ERR_NOMEM;
        return 1;
    }
    return gui_job_cancelled(work->job);
}

/* The summary fields both kinds share. */
static void keep_totals(memory_result *result, uint64_t regions, uint64_t bytes, uint64_t unreadable_bytes,
                        uint64_t unreadable_pages)
{
    result->regions = regions;
    result->bytes = bytes;
    result->unreadable_bytes = unreadable_bytes;
    result->unreadable_pages = unreadable_pages;
}

static pmm_status run_search(job_run *run)
{
    memory_work *work = run->work;
    pmm_search_summary summary;
    work->search.progress = gui_job_report;
    work->search.progress_ctx = work->job;
    pmm_status st = pmm_search_run(run->src, run->map, &work->pattern, &work->search, add_hit, run, &summary);
    if (work->result.status == PMM_OK)
        work->result.status = st;
    describe_hits(run);
    free(run->hits);
    run->hits = NULL;
    work->result.truncated = summary.truncated;
    work->result.resume_address = summary.resume_address;
    keep_totals(&work->result, summary.regions_searched, summary.bytes_searched, summary.unreadable_bytes,
                summary.unreadable_pages);
    return work->result.status;
}

static pmm_status run_strings(job_run *run)
{
    memory_work *work = run->work;
    pmm_strings_summary summary;
    work->strings.progress = gui_job_report;
    work->strings.progress_ctx = work->job;
    pmm_status st = pmm_strings_run(run->src, run->map, &work->strings, add_string, run, &summary);
    if (work->result.status == PMM_OK)
        work->result.status = st;
    keep_totals(&work->result, summary.regions_searched, summary.bytes_searched, summary.unreadable_bytes,
                summary.unreadable_pages);
    return work->result.status;
}

static void describe_failure(memory_result *result)
{
    if (result->message[0])
        return;
    switch (result->status) {
    case PMM_ERR_GONE:
        snprintf(result->message, sizeof result->message, "The process exited during the search; the results are "
                 "incomplete.");
        break;
    case PMM_ERR_NOMEM:
        snprintf(result->message, sizeof result->message, "Not enough memory for the results. Narrow the search "
                 "(region types, a lower result cap) or close other programs.");
        break;
    default:
        snprintf(result->message, sizeof result->message, "The search failed: %s.", pmm_status_text(result->status));
        break;
    }
}

static pmm_status memory_run(gui_job *job, void *ctx)
{
    memory_work *work = ctx;
    uint64_t started = pmm_clock_microseconds();
    job_run run = {work, target_data_source(work->data), work->data->map, {0}, 0, NULL, 0, 0};
    work->job = job;
    pmm_symbols_init(&run.syms);
    work->result.pointer_size = run.map->target.pointer_size;
    pmm_status st = work->kind == MEMORY_JOB_SEARCH ? run_search(&run) : run_strings(&run);
    pmm_symbols_free(&run.syms);
    if (st != PMM_OK && st != PMM_ERR_CANCELLED)
        describe_failure(&work->result);
    work->result.microseconds = pmm_clock_microseconds() - started;
    return st;
}

static void memory_work_free(void *ctx)
{
    memory_work *work = ctx;
    pmm_search_pattern_free(&work->pattern);
    result_rows_free(&work->result.rows);
    target_data_release(work->data);
    free(work);
}

static memory_work *new_work(target_data *data, memory_job_kind kind)
{
    memory_work *work = calloc(1, sizeof *work);
    if (!work)
        return NULL;
    work->kind = kind;
    work->data = target_data_acquire(data);
    snprintf(work->symbol_path, sizeof work->symbol_path, "%s", gui_symbol_path());
    result_rows_init(&work->result.rows, kind == MEMORY_JOB_SEARCH ? SEARCH_CELL_COUNT : STRINGS_CELL_COUNT);
    return work;
}

static gui_job *start(HWND notify, memory_work *work)
{
    /* The window's source: its own hang is handled by the window (gui_job.c), not by abandoning. */
    gui_job_work job = {memory_run, work, memory_work_free, 0};
    return gui_job_start(notify, &job);
}

gui_job *memory_job_search(HWND notify, target_data *data, pmm_search_pattern *pattern,
                           const pmm_search_options *options)
{
    memory_work *work = new_work(data, MEMORY_JOB_SEARCH);
    if (!work) {
        pmm_search_pattern_free(pattern);
        return NULL;
    }
    work->pattern = *pattern;
    memset(pattern, 0, sizeof *pattern);
    work->search = *options;
    return start(notify, work);
}

gui_job *memory_job_strings(HWND notify, target_data *data, const pmm_strings_options *options, uint64_t max_rows)
{
    memory_work *work = new_work(data, MEMORY_JOB_STRINGS);
    if (!work)
        return NULL;
    work->strings = *options;
    work->max_rows = max_rows;
    return start(notify, work);
}

memory_result *memory_job_result(gui_job *job)
{
    memory_work *work = gui_job_context(job);
    return &work->result;
}

void memory_job_end(gui_job *done, HWND owner, const tool_host *host)
{
    memory_result *result = memory_job_result(done);
    pmm_status status = result->status;
    char message[sizeof result->message];
    memcpy(message, result->message, sizeof message);
    gui_job_free(done);
    if (status != PMM_OK && status != PMM_ERR_CANCELLED)
        gui_error(owner, message);
    if (host->job_done)
        host->job_done(host->ctx, status == PMM_OK);
}
