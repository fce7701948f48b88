#include "scan_worker.h"

#include "gui_util.h"

#include <process.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/analyzers/scan.h"
#include "core/formats/saved_map.h"
#include "core/adapters/minidump_source.h"
#include "core/adapters/target_kind.h"
#include "core/win32/live_source.h"

static int report_progress(void *ctx, uint64_t done, uint64_t total)
{
    scan_job *job = ctx;
    if (InterlockedCompareExchange(&job->cancel, 0, 0))
        return 1;
    LONG permille = total ? (LONG)(done >= total ? 1000 : (done * 1000.0) / (double)total) : 0;
    /* Post only when the bar would move, so a million regions do not flood the queue. */
    if (permille != job->last_permille) {
        job->last_permille = permille;
        PostMessageW(job->notify, WM_APP_SCAN_PROGRESS, (WPARAM)permille, (LPARAM)job);
    }
    return 0;
}

static void describe_failure(scan_job *job)
{
    if (job->dump_path) {
        if (job->status == PMM_ERR_CANCELLED)
            snprintf(job->message, sizeof job->message, "Opening %s was cancelled.", job->dump_path);
        else if (!job->message[0])
            snprintf(job->message, sizeof job->message, "%s could not be read: %s.\n\nCheck that it is a complete "
                     "minidump file.", job->dump_path, pmm_status_text(job->status));
        return;
    }
    switch (job->status) {
    case PMM_ERR_GONE:
        snprintf(job->message, sizeof job->message,
                 "Process %u exited during the scan, so no map was made.\n\n"
                 "Select another process with File > Select Process (Ctrl+P).", (unsigned)job->pid);
        break;
    case PMM_ERR_CANCELLED:
        snprintf(job->message, sizeof job->message, "The scan of process %u was cancelled.", (unsigned)job->pid);
        break;
    case PMM_ERR_NOMEM:
        snprintf(job->message, sizeof job->message,
                 "Not enough memory to hold the map of process %u. Close other programs and press F5.",
                 (unsigned)job->pid);
        break;
    default:
        snprintf(job->message, sizeof job->message, "The scan of process %u failed: %s.\n\nPress F5 to try again.",
                 (unsigned)job->pid, pmm_status_text(job->status));
        break;
    }
}

/* Jobs whose worker is running, so the live source's watchdog can find the one it is stuck in. */
#define MAX_RUNNING 16
static CRITICAL_SECTION running_lock;
static INIT_ONCE running_once = INIT_ONCE_STATIC_INIT;
static scan_job *running[MAX_RUNNING];

static void set_running(scan_job *job, int on)
{
    EnterCriticalSection(&running_lock);
    for (int i = 0; i < MAX_RUNNING; i++) {
        if (on && !running[i]) {
            running[i] = job;
            break;
        }
        if (!on && running[i] == job) {
            running[i] = NULL;
            break;
        }
    }
    LeaveCriticalSection(&running_lock);
}

/* No scan was stuck, so the call that never returns is the window's own (the hex view or the
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

/* On the watchdog thread: the target died and a query of it never returned. The worker cannot be
 * woken, so the window is told the scan failed and the job is left to the stuck thread. */
static void on_stuck_target(uint32_t pid, void *ctx)
{
    int abandoned = 0;
    (void)ctx;
    EnterCriticalSection(&running_lock);
    for (int i = 0; i < MAX_RUNNING; i++) {
        scan_job *job = running[i];
        if (job && job->pid == pid && !job->abandoned) {
            job->abandoned = 1;
            job->status = PMM_ERR_GONE;
            describe_failure(job);
            running[i] = NULL;
            PostMessageW(job->notify, WM_APP_SCAN_DONE, 0, (LPARAM)job);
            abandoned = 1;
        }
    }
    LeaveCriticalSection(&running_lock);
    if (!abandoned)
        end_stuck_window(pid);
}

static BOOL CALLBACK init_running(PINIT_ONCE once, void *param, void **context)
{
    (void)once;
    (void)param;
    (void)context;
    InitializeCriticalSection(&running_lock);
    pmm_live_set_stuck_handler(on_stuck_target, NULL);
    return TRUE;
}

static pmm_status open_source(scan_job *job, pmm_source *src)
{
    if (job->dump_path)
        return pmm_minidump_open(job->dump_path, src, job->message, sizeof job->message);
    pmm_status st = pmm_live_open(job->pid, src, job->message, sizeof job->message);
    if (st != PMM_OK && !job->message[0])
        snprintf(job->message, sizeof job->message, "Process %u could not be opened: %s.", (unsigned)job->pid,
                 pmm_status_text(st));
    return st;
}

/* A saved map is the finished map itself: loaded, not scanned, and it has no bytes to read. */
static void load_saved_map(scan_job *job)
{
    job->status = pmm_saved_map_load(job->dump_path, &job->map, NULL, job->message, sizeof job->message);
    if (job->status != PMM_OK) {
        job->map = NULL;
        char reason[600];
        snprintf(reason, sizeof reason, "%s", job->message);
        snprintf(job->message, sizeof job->message, "%s could not be read as a saved map: %s.\n\nCheck that the "
                 "file is complete (saved by File > Save Map or pmm save).", job->dump_path, reason);
    }
}

static unsigned __stdcall scan_thread(void *arg)
{
    scan_job *job = arg;
    pmm_source src;
    job->message[0] = '\0';
    pmm_file_kind kind = job->dump_path ? pmm_file_kind_of(job->dump_path) : PMM_FILE_UNKNOWN;
    if (kind == PMM_FILE_SAVED_MAP || kind == PMM_FILE_SAVED_MAP_TRUNCATED) {
        load_saved_map(job);
        PostMessageW(job->notify, WM_APP_SCAN_DONE, 0, (LPARAM)job);
        return 0;
    }
    job->status = open_source(job, &src);
    if (job->status == PMM_OK) {
        pmm_scan_options options = {0};
        options.progress = report_progress;
        options.progress_ctx = job;
        options.symbol_path = job->symbol_path[0] ? job->symbol_path : NULL;
        job->status = pmm_scan_source(&src, &options, &job->map);
        if (job->status == PMM_OK) {
            /* Kept open: the window reads the bytes the hex view shows through it. */
            job->source = src;
            job->has_source = 1;
        } else {
            pmm_source_close(&src);
            job->map = NULL;
            job->message[0] = '\0';
            describe_failure(job);
        }
    } else if (job->dump_path && !job->message[0]) {
        describe_failure(job);
    }
    set_running(job, 0);
    if (!job->abandoned)
        PostMessageW(job->notify, WM_APP_SCAN_DONE, 0, (LPARAM)job);
    return 0;
}

static scan_job *start(HWND notify, uint32_t pid, const char *dump_path, const char *symbol_path)
{
    scan_job *job = calloc(1, sizeof *job);
    if (!job)
        return NULL;
    snprintf(job->symbol_path, sizeof job->symbol_path, "%s", symbol_path ? symbol_path : "");
    job->notify = notify;
    job->pid = pid;
    job->last_permille = -1;
    if (dump_path && !(job->dump_path = _strdup(dump_path))) {
        free(job);
        return NULL;
    }
    InitOnceExecuteOnce(&running_once, init_running, NULL, NULL);
    /* Only live scans can get stuck in the OS; a minidump is a file. */
    if (!dump_path)
        set_running(job, 1);
    /* _beginthreadex, not CreateThread: the worker uses the C runtime (snprintf, malloc). */
    job->thread = (HANDLE)_beginthreadex(NULL, 0, scan_thread, job, 0, NULL);
    if (!job->thread) {
        set_running(job, 0);
        free(job->dump_path);
        free(job);
        return NULL;
    }
    return job;
}

scan_job *scan_job_start(HWND notify, uint32_t pid, const char *symbol_path)
{
    return start(notify, pid, NULL, symbol_path);
}

scan_job *scan_job_start_minidump(HWND notify, const char *path, const char *symbol_path)
{
    return start(notify, 0, path, symbol_path);
}

void scan_job_cancel(scan_job *job)
{
    if (job)
        InterlockedExchange(&job->cancel, 1);
}

pmm_map *scan_job_take_map(scan_job *job)
{
    pmm_map *map = job->map;
    job->map = NULL;
    return map;
}

int scan_job_take_source(scan_job *job, pmm_source *out)
{
    if (!job->has_source)
        return 0;
    *out = job->source;
    job->has_source = 0;
    return 1;
}

void scan_job_free(scan_job *job)
{
    if (!job || job->abandoned)
        return;
    scan_job_cancel(job);
    WaitForSingleObject(job->thread, INFINITE);
    CloseHandle(job->thread);
    pmm_map_free(job->map);
    if (job->has_source)
        pmm_source_close(&job->source);
    free(job->dump_path);
    free(job);
}
