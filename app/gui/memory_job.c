#include "memory_job.h"

#include <process.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/analyzers/scan.h"
#include "core/adapters/minidump_source.h"
#include "core/util/clock.h"
#include "core/win32/live_source.h"
#include "gui_util.h"

#define SCAN_SHARE 200            /* thousandths of the bar the scan takes; the search gets the rest */
#define PREVIEW_BYTES 16

typedef struct job_run {
    memory_job *job;
    pmm_source *src;
    const pmm_map *map;
    pmm_symbols syms;
    int syms_loaded;
    pmm_search_hit *hits;        /* collected during the search, described after it */
    size_t hit_count, hit_cap;
} job_run;

static void post_progress(memory_job *job, LONG permille)
{
    /* Only when the bar would move, so a big search does not flood the queue. */
    if (permille != job->last_permille) {
        job->last_permille = permille;
        PostMessageW(job->notify, WM_APP_MEMORY_PROGRESS, (WPARAM)permille, (LPARAM)job);
    }
}

static LONG share(uint64_t done, uint64_t total, LONG from, LONG to)
{
    if (!total)
        return from;
    double part = done >= total ? 1.0 : (double)done / (double)total;
    return from + (LONG)(part * (double)(to - from));
}

static int scan_progress(void *ctx, uint64_t done, uint64_t total)
{
    memory_job *job = ctx;
    if (InterlockedCompareExchange(&job->cancel, 0, 0))
        return 1;
    post_progress(job, share(done, total, 0, SCAN_SHARE));
    return 0;
}

static int walk_progress(void *ctx, uint64_t done, uint64_t total)
{
    memory_job *job = ctx;
    if (InterlockedCompareExchange(&job->cancel, 0, 0))
        return 1;
    post_progress(job, share(done, total, SCAN_SHARE, 1000));
    return 0;
}

/* Exports are read only once a hit lands in an image, as pmm search does. */
static const pmm_symbols *symbols_for(job_run *run, const pmm_region *region)
{
    if (!region || region->type != PMM_MEM_IMAGE)
        return NULL;
    if (!run->syms_loaded) {
        run->syms_loaded = 1;
        pmm_symbols_set_path(&run->syms, run->job->symbol_path[0] ? run->job->symbol_path : NULL);
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
            run->job->status = PMM_ERR_NOMEM;
            return 1;
        }
        run->hits = hits;
        run->hit_cap = cap;
    }
    run->hits[run->hit_count++] = *hit;
    return InterlockedCompareExchange(&run->job->cancel, 0, 0) != 0;
}

static void describe_hits(job_run *run)
{
    for (size_t i = 0; i < run->hit_count; i++) {
        if (InterlockedCompareExchange(&run->job->cancel, 0, 0)) {
            run->job->status = PMM_ERR_CANCELLED;
            return;
        }
        const pmm_search_hit *hit = &run->hits[i];
        const pmm_region *region = hit->region < run->map->region_count ? &run->map->regions[hit->region] : NULL;
        pmm_address_context where;
        pmm_describe_address(run->map, symbols_for(run, region), hit->address, &where);
        char bytes[PREVIEW_BYTES * 3 + 1], text[PREVIEW_BYTES + 1];
        preview(run->src, hit->address, bytes, sizeof bytes, text, sizeof text);
        const char *cells[SEARCH_CELL_COUNT] = {where.kind, where.annotation, where.symbol, bytes, text};
        if (result_rows_add(&run->job->rows, hit->address, cells) != PMM_OK) {
            run->job->status = PMM_ERR_NOMEM;
            return;
        }
    }
}

static int add_string(void *ctx, const pmm_found_string *s)
{
    job_run *run = ctx;
    memory_job *job = run->job;
    if (job->max_rows && job->rows.count >= job->max_rows) {
        job->truncated = 1;
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
    char *text = NULL;
    if (s->text_truncated && (text = malloc(strlen(s->text) + 4)) != NULL)
        sprintf(text, "%s...", s->text);
    const char *cells[STRINGS_CELL_COUNT] = {s->encoding == PMM_STRINGS_UTF16 ? "UTF-16" : "ANSI", length, place,
                                             text ? text : s->text};
    pmm_status st = result_rows_add(&job->rows, s->address, cells);
    free(text);
    if (st != PMM_OK) {
        job->status = PMM_ERR_NOMEM;
        return 1;
    }
    return InterlockedCompareExchange(&job->cancel, 0, 0) != 0;
}

static void run_search(job_run *run)
{
    memory_job *job = run->job;
    pmm_search_summary summary;
    job->search.progress = walk_progress;
    job->search.progress_ctx = job;
    pmm_status st = pmm_search_run(run->src, run->map, &job->pattern, &job->search, add_hit, run, &summary);
    if (job->status == PMM_OK)
        job->status = st;
    describe_hits(run);
    free(run->hits);
    run->hits = NULL;
    job->truncated = summary.truncated;
    job->resume_address = summary.resume_address;
    job->regions = summary.regions_searched;
    job->bytes = summary.bytes_searched;
    job->unreadable_bytes = summary.unreadable_bytes;
    job->unreadable_pages = summary.unreadable_pages;
}

static void run_strings(job_run *run)
{
    memory_job *job = run->job;
    pmm_strings_summary summary;
    job->strings.progress = walk_progress;
    job->strings.progress_ctx = job;
    pmm_status st = pmm_strings_run(run->src, run->map, &job->strings, add_string, run, &summary);
    if (job->status == PMM_OK)
        job->status = st;
    job->regions = summary.regions_searched;
    job->bytes = summary.bytes_searched;
    job->unreadable_bytes = summary.unreadable_bytes;
    job->unreadable_pages = summary.unreadable_pages;
}

static pmm_status open_source(memory_job *job, pmm_source *src)
{
    if (job->dump_path)
        return pmm_minidump_open(job->dump_path, src, job->message, sizeof job->message);
    return pmm_live_open(job->pid, src, job->message, sizeof job->message);
}

static void describe_failure(memory_job *job)
{
    if (job->message[0])
        return;
    switch (job->status) {
    case PMM_ERR_GONE:
        snprintf(job->message, sizeof job->message, "The process exited during the search; the results are incomplete.");
        break;
    case PMM_ERR_NOMEM:
        snprintf(job->message, sizeof job->message, "Not enough memory for the results. Narrow the search (region "
                 "types, a lower result cap) or close other programs.");
        break;
    default:
        snprintf(job->message, sizeof job->message, "The search failed: %s.", pmm_status_text(job->status));
        break;
    }
}

static unsigned __stdcall job_thread(void *arg)
{
    memory_job *job = arg;
    uint64_t started = pmm_clock_microseconds();
    pmm_source src;
    job->status = open_source(job, &src);
    if (job->status == PMM_OK) {
        pmm_scan_options options = {0};
        options.progress = scan_progress;
        options.progress_ctx = job;
        options.flags = PMM_SCAN_EXPORT_NAMES;   /* its frames are not shown; hits are named below */
        pmm_map *map = NULL;
        job->status = pmm_scan_source(&src, &options, &map);
        if (job->status == PMM_OK) {
            job_run run = {job, &src, map, {0}, 0, NULL, 0, 0};
            pmm_symbols_init(&run.syms);
            job->pointer_size = map->target.pointer_size;
            if (job->kind == MEMORY_JOB_SEARCH)
                run_search(&run);
            else
                run_strings(&run);
            pmm_symbols_free(&run.syms);
            pmm_map_free(map);
        }
        pmm_source_close(&src);
    }
    if (job->status != PMM_OK && job->status != PMM_ERR_CANCELLED)
        describe_failure(job);
    job->microseconds = pmm_clock_microseconds() - started;
    PostMessageW(job->notify, WM_APP_MEMORY_DONE, 0, (LPARAM)job);
    return 0;
}

int memory_target_keep(const memory_target *target, uint32_t *pid, char **dump_path)
{
    free(*dump_path);
    *dump_path = target->dump_path ? _strdup(target->dump_path) : NULL;
    *pid = target->dump_path ? 0 : target->pid;
    return !target->dump_path || *dump_path;
}

static memory_job *new_job(HWND notify, const memory_target *target, memory_job_kind kind)
{
    memory_job *job = calloc(1, sizeof *job);
    if (!job)
        return NULL;
    if (!memory_target_keep(target, &job->pid, &job->dump_path)) {
        free(job);
        return NULL;
    }
    job->notify = notify;
    job->kind = kind;
    snprintf(job->symbol_path, sizeof job->symbol_path, "%s", gui_symbol_path());
    job->last_permille = -1;
    result_rows_init(&job->rows, kind == MEMORY_JOB_SEARCH ? SEARCH_CELL_COUNT : STRINGS_CELL_COUNT);
    return job;
}

static memory_job *start(memory_job *job)
{
    /* _beginthreadex, not CreateThread: the worker uses the C runtime. */
    job->thread = (HANDLE)_beginthreadex(NULL, 0, job_thread, job, 0, NULL);
    if (!job->thread) {
        pmm_search_pattern_free(&job->pattern);
        free(job->dump_path);
        free(job);
        return NULL;
    }
    return job;
}

memory_job *memory_job_search(HWND notify, const memory_target *target, pmm_search_pattern *pattern,
                              const pmm_search_options *options)
{
    memory_job *job = new_job(notify, target, MEMORY_JOB_SEARCH);
    if (!job) {
        pmm_search_pattern_free(pattern);
        return NULL;
    }
    job->pattern = *pattern;
    memset(pattern, 0, sizeof *pattern);
    job->search = *options;
    return start(job);
}

memory_job *memory_job_strings(HWND notify, const memory_target *target, const pmm_strings_options *options,
                               uint64_t max_rows)
{
    memory_job *job = new_job(notify, target, MEMORY_JOB_STRINGS);
    if (!job)
        return NULL;
    job->strings = *options;
    job->max_rows = max_rows;
    return start(job);
}

void memory_job_cancel(memory_job *job)
{
    if (job)
        InterlockedExchange(&job->cancel, 1);
}

void memory_job_free(memory_job *job)
{
    if (!job)
        return;
    memory_job_cancel(job);
    WaitForSingleObject(job->thread, INFINITE);
    CloseHandle(job->thread);
    pmm_search_pattern_free(&job->pattern);
    result_rows_free(&job->rows);
    free(job->dump_path);
    free(job);
}
