#include "scan_worker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/tools/integrity.h"

#define MAP_SHARE 150   /* thousandths of the progress the map scan takes when the integrity scan follows */

typedef struct scan_work {
    pmm_target target;
    char symbol_path[1024];  /* UTF-8, for naming frames; "" none */
    pmm_map *map;            /* the result; the source below it when has_source */
    pmm_source source;
    int has_source;
    int integrity;           /* run the integrity scan on the new map too */
    gui_job *job;            /* set by the worker before the first report or preview */
    char message[768];       /* UTF-8: what went wrong (from the core) */
    HWND notify;
    pmm_map *volatile preview;   /* the newest preview the window has not taken; swapped atomically */
} scan_work;

/* One bar for both scans: the map's in [0, MAP_SHARE), the comparison's after it. */
static int report_share(scan_work *work, uint64_t done, uint64_t total, uint64_t from, uint64_t to)
{
    uint64_t part = total ? (uint64_t)((double)(done < total ? done : total) / (double)total * (double)(to - from)) : 0;
    return gui_job_report(work->job, from + part, 1000);
}

static int map_progress(void *ctx, uint64_t done, uint64_t total)
{
    scan_work *work = ctx;
    return work->integrity ? report_share(work, done, total, 0, MAP_SHARE) : gui_job_report(work->job, done, total);
}

static int compare_progress(void *ctx, uint64_t done, uint64_t total)
{
    return report_share(ctx, done, total, MAP_SHARE, 1000);
}

/* On the worker: keeps the newest preview and tells the window when none was waiting (a waiting
 * one means a message is on its way already). */
static int keep_preview(void *ctx, pmm_map *preview)
{
    scan_work *work = ctx;
    gui_job_flush_progress(work->job);
    pmm_map *old = InterlockedExchangePointer((void *volatile *)&work->preview, preview);
    if (old)
        pmm_map_free(old);
    else
        PostMessageW(work->notify, WM_APP_SCAN_PREVIEW, 0, (LPARAM)work->job);
    return gui_job_cancelled(work->job);
}

pmm_map *scan_job_take_preview(gui_job *job)
{
    scan_work *work = gui_job_context(job);
    return InterlockedExchangePointer((void *volatile *)&work->preview, NULL);
}

static pmm_status scan_run(gui_job *job, void *ctx)
{
    scan_work *work = ctx;
    work->job = job;
    pmm_scan_options options = {0};
    options.progress = map_progress;
    options.progress_ctx = work;
    options.preview = keep_preview;
    options.preview_ctx = work;
    options.symbol_path = work->symbol_path[0] ? work->symbol_path : NULL;
    pmm_status st = pmm_target_load_map(&work->target, &options, &work->map, NULL, &work->source, work->message,
                                        sizeof work->message);
    work->has_source = st == PMM_OK && work->source.ops != NULL;
    if (st == PMM_OK && work->integrity && work->has_source) {
        pmm_integrity_options scan = {NULL, compare_progress, work, NULL, NULL, options.symbol_path};
        st = pmm_integrity_scan(&work->source, work->map, NULL, &scan);
    }
    return st;
}

static void scan_work_free(void *ctx)
{
    scan_work *work = ctx;
    pmm_map_free(work->preview);
    pmm_map_free(work->map);
    if (work->has_source)
        pmm_source_close(&work->source);
    pmm_target_free(&work->target);
    free(work);
}

gui_job *scan_job_start(HWND notify, const pmm_target *target, const char *symbol_path, int integrity)
{
    scan_work *work = calloc(1, sizeof *work);
    if (!work || pmm_target_copy(&work->target, target) != PMM_OK) {
        free(work);
        return NULL;
    }
    snprintf(work->symbol_path, sizeof work->symbol_path, "%s", symbol_path ? symbol_path : "");
    work->integrity = integrity;
    work->notify = notify;
    /* Only a live process can leave a read stuck in the OS; a file cannot. */
    gui_job_work job = {scan_run, work, scan_work_free, target->kind == PMM_TARGET_PROCESS ? target->pid : 0};
    return gui_job_start(notify, &job);
}

/* What the window says when a target could not be mapped: the core's reason for files, a sentence
 * with what to do next for a process. */
static void describe_failure(const scan_work *work, pmm_status st, const char *reason, char *message, size_t cap)
{
    const pmm_target *t = &work->target;
    if (t->kind == PMM_TARGET_SAVED_MAP) {
        snprintf(message, cap, "%s could not be read as a saved map: %s.\n\nCheck that the file is complete (saved "
                 "by File > Save Map or pmm save).", t->path, reason[0] ? reason : pmm_status_text(st));
    } else if (t->kind != PMM_TARGET_PROCESS) {
        if (st == PMM_ERR_CANCELLED)
            snprintf(message, cap, "Opening %s was cancelled.", t->path);
        else if (reason[0])
            snprintf(message, cap, "%s", reason);
        else
            snprintf(message, cap, "%s could not be read: %s.\n\nCheck that it is a complete minidump file.", t->path,
                     pmm_status_text(st));
    } else if (st == PMM_ERR_GONE) {
        snprintf(message, cap, "Process %u exited during the scan, so no map was made.\n\n"
                 "Select another process with File > Select Process (Ctrl+P).", (unsigned)t->pid);
    } else if (st == PMM_ERR_CANCELLED) {
        snprintf(message, cap, "The scan of process %u was cancelled.", (unsigned)t->pid);
    } else if (st == PMM_ERR_NOMEM) {
        snprintf(message, cap, "Not enough memory to hold the map of process %u. Close other programs and press F5.",
                 (unsigned)t->pid);
    } else if (reason[0]) {
        snprintf(message, cap, "%s", reason);   /* it could not be opened, or the scan failed: the core says why */
    } else {
        snprintf(message, cap, "The scan of process %u failed: %s.\n\nPress F5 to try again.", (unsigned)t->pid,
                 pmm_status_text(st));
    }
}

target_data *scan_job_take(gui_job *job, char *message, size_t message_cap)
{
    scan_work *work = gui_job_context(job);
    pmm_status st = gui_job_status(job);
    if (message_cap)
        message[0] = '\0';
    if (st == PMM_OK && !gui_job_abandoned(job)) {
        target_data *data = target_data_new(&work->target, work->map, work->has_source ? &work->source : NULL);
        work->map = NULL;
        work->has_source = 0;
        if (!data)
            snprintf(message, message_cap, "Not enough memory to show the map. Close other programs and press F5.");
        return data;
    }
    /* An abandoned job's worker is stuck: only its target, set before it started, may be read. */
    describe_failure(work, st, gui_job_abandoned(job) ? "" : work->message, message, message_cap);
    return NULL;
}
