#include "gui_job.h"

#include <process.h>
#include <stdio.h>
#include <stdlib.h>
#include "core/util/clock.h"
#include "core/win32/live_source.h"
#include "gui_util.h"

/* The progress bar moves at most this often (10 times a second looks smooth), unless it moves by
 * at least PROGRESS_JUMP thousandths at once (a job of a few long steps). */
#define PROGRESS_POST_US 100000
#define PROGRESS_JUMP 50

struct gui_job {
    HWND notify;
    gui_job_work work;
    volatile LONG cancel;
    LONG permille;            /* the newest reported; -1 before the first (worker only) */
    LONG posted;              /* the last posted; -1 before the first (worker only) */
    uint64_t posted_at;       /* when, pmm_clock_microseconds (worker only) */
    HANDLE thread;
    pmm_status status;        /* written by the worker before it posts WM_APP_JOB_DONE */
    volatile LONG abandoned;  /* the worker is stuck in a call Windows never answers: never join or free it */
};

/* ---- jobs whose worker may get stuck in a read of a dead process ---- */

#define MAX_WATCHED 16
static CRITICAL_SECTION watched_lock;
static INIT_ONCE watched_once = INIT_ONCE_STATIC_INIT;
static gui_job *watched[MAX_WATCHED];

static void set_watched(gui_job *job, int on)
{
    EnterCriticalSection(&watched_lock);
    for (int i = 0; i < MAX_WATCHED; i++) {
        if (on && !watched[i]) {
            watched[i] = job;
            break;
        }
        if (!on && watched[i] == job) {
            watched[i] = NULL;
            break;
        }
    }
    LeaveCriticalSection(&watched_lock);
}

/* No job was stuck, so the call that never returns is the window's own (the hex view or the
 * exports table reading the target): the window can never repaint again, so say why and end,
 * rather than leave a frozen window. */
static void end_stuck_window(uint32_t pid)
{
    char text[256];
    snprintf(text, sizeof text,
             "Process %u exited while ProcessMemoryMap was reading it, and Windows never answered the read.\n\n"
             "ProcessMemoryMap has to close; start it again to look at another process.", (unsigned)pid);
    gui_error(NULL, text);
    TerminateProcess(GetCurrentProcess(), 1);
}

/* On the live source's watchdog thread: the target died and a query of it never returned. The
 * worker cannot be woken, so its window is told the job is done and the job is left to the stuck
 * thread. */
static void on_stuck_target(uint32_t pid, void *ctx)
{
    int abandoned = 0;
    (void)ctx;
    EnterCriticalSection(&watched_lock);
    for (int i = 0; i < MAX_WATCHED; i++) {
        gui_job *job = watched[i];
        if (job && job->work.abandon_pid == pid && !job->abandoned) {
            job->abandoned = 1;
            job->status = PMM_ERR_GONE;
            watched[i] = NULL;
            PostMessageW(job->notify, WM_APP_JOB_DONE, 0, (LPARAM)job);
            abandoned = 1;
        }
    }
    LeaveCriticalSection(&watched_lock);
    if (!abandoned)
        end_stuck_window(pid);
}

static BOOL CALLBACK init_watched(PINIT_ONCE once, void *param, void **context)
{
    (void)once;
    (void)param;
    (void)context;
    InitializeCriticalSection(&watched_lock);
    pmm_live_set_stuck_handler(on_stuck_target, NULL);
    return TRUE;
}

/* ---- the job ---- */

static unsigned __stdcall job_thread(void *arg)
{
    gui_job *job = arg;
    pmm_status st = job->work.run(job, job->work.ctx);
    if (job->work.abandon_pid)
        set_watched(job, 0);
    if (!job->abandoned) {
        job->status = st;
        PostMessageW(job->notify, WM_APP_JOB_DONE, 0, (LPARAM)job);
    }
    return 0;
}

static void free_context(const gui_job_work *work)
{
    if (work->free_ctx)
        work->free_ctx(work->ctx);
}

gui_job *gui_job_start(HWND notify, const gui_job_work *work)
{
    InitOnceExecuteOnce(&watched_once, init_watched, NULL, NULL);
    gui_job *job = calloc(1, sizeof *job);
    if (!job) {
        free_context(work);
        return NULL;
    }
    job->notify = notify;
    job->work = *work;
    job->permille = job->posted = -1;
    if (work->abandon_pid)
        set_watched(job, 1);
    /* _beginthreadex, not CreateThread: the worker uses the C runtime (snprintf, malloc). */
    job->thread = (HANDLE)_beginthreadex(NULL, 0, job_thread, job, 0, NULL);
    if (!job->thread) {
        if (work->abandon_pid)
            set_watched(job, 0);
        free_context(work);
        free(job);
        return NULL;
    }
    return job;
}

static void post_progress(gui_job *job, uint64_t now)
{
    job->posted = job->permille;
    job->posted_at = now;
    PostMessageW(job->notify, WM_APP_JOB_PROGRESS, (WPARAM)job->permille, (LPARAM)job);
}

int gui_job_report(void *ctx, uint64_t done, uint64_t total)
{
    gui_job *job = ctx;
    job->permille = total ? (LONG)(done >= total ? 1000 : (double)done * 1000.0 / (double)total) : 0;
    /* Post only when the bar would move, and small moves at most PROGRESS_POST_US apart: each post
     * wakes the window to repaint the bar, which takes the CPU and the wineserver from the scan
     * itself. A small move held back is at most PROGRESS_JUMP behind. */
    if (job->permille != job->posted) {
        uint64_t now = pmm_clock_microseconds();
        if (job->posted < 0 || labs(job->permille - job->posted) >= PROGRESS_JUMP || job->permille == 1000 ||
            now - job->posted_at >= PROGRESS_POST_US)
            post_progress(job, now);
    }
    return gui_job_cancelled(job);
}

void gui_job_flush_progress(gui_job *job)
{
    if (job->permille != job->posted)
        post_progress(job, pmm_clock_microseconds());
}

int gui_job_cancelled(const gui_job *job)
{
    return InterlockedCompareExchange((volatile LONG *)&job->cancel, 0, 0) != 0;
}

void gui_job_cancel(gui_job *job)
{
    if (job)
        InterlockedExchange(&job->cancel, 1);
}

void *gui_job_context(const gui_job *job)
{
    return job->work.ctx;
}

pmm_status gui_job_status(const gui_job *job)
{
    return job->status;
}

int gui_job_abandoned(const gui_job *job)
{
    return job->abandoned != 0;
}

void gui_job_free(gui_job *job)
{
    if (!job || job->abandoned)
        return;
    gui_job_cancel(job);
    WaitForSingleObject(job->thread, INFINITE);
    CloseHandle(job->thread);
    free_context(&job->work);
    free(job);
}
