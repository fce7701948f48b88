/* Work on a worker thread that reports to a window, so the window keeps repainting: the one job
 * type behind the scan, the search and strings listings, and the modal tasks (save, compare, dump).
 * The window gets WM_APP_JOB_PROGRESS while the job runs (only when the bar would move) and
 * WM_APP_JOB_DONE exactly once, when it has finished, failed or been cancelled; lParam is the job.
 * The window owns the job and ends it with gui_job_free. */
#ifndef PMM_GUI_JOB_H
#define PMM_GUI_JOB_H

#include <windows.h>
#include <stdint.h>
#include "core/util/status.h"

/* wParam: progress in thousandths; lParam: the job. */
#define WM_APP_JOB_PROGRESS (WM_APP + 1)
/* lParam: the job. */
#define WM_APP_JOB_DONE (WM_APP + 2)

typedef struct gui_job gui_job;

typedef struct gui_job_work {
    /* Runs on the worker thread; reports with gui_job_report and returns PMM_ERR_CANCELLED once
     * gui_job_cancelled says so. Its result is gui_job_status. */
    pmm_status (*run)(gui_job *job, void *ctx);
    void *ctx;
    /* Frees ctx with the job (NULL: the caller keeps ctx alive until gui_job_free returns). */
    void (*free_ctx)(void *ctx);
    /* A live process this job reads through a source of its own: when a read of it hangs after it
     * died (pmm_live_set_stuck_handler), the job is abandoned, that is, reported done with
     * PMM_ERR_GONE and left to its stuck thread. 0 for none. */
    uint32_t abandon_pid;
} gui_job_work;

/* NULL when no thread could be started (ctx is then freed with free_ctx, if any). */
gui_job *gui_job_start(HWND notify, const gui_job_work *work);
/* A pmm_progress_fn (ctx is the job), called on the worker: posts WM_APP_JOB_PROGRESS when the
 * bar would move, at most ten times a second; returns 1 once the job is cancelled. */
int gui_job_report(void *job, uint64_t done, uint64_t total);
/* On the worker: posts the newest progress if the last report was held back, so a message posted
 * after it (a scan's preview) finds the bar up to date. */
void gui_job_flush_progress(gui_job *job);
int gui_job_cancelled(const gui_job *job);
void gui_job_cancel(gui_job *job);

void *gui_job_context(const gui_job *job);
/* What run returned (PMM_ERR_GONE for an abandoned job); valid once WM_APP_JOB_DONE arrived. */
pmm_status gui_job_status(const gui_job *job);
/* 1 when the job was abandoned (its context may still be in use by the stuck thread). */
int gui_job_abandoned(const gui_job *job);
/* Cancels the job, waits for its worker and frees it with its context; an abandoned job is left
 * as it is. NULL is fine. */
void gui_job_free(gui_job *job);

#endif
