/* Scans a live process or a minidump on a worker thread so the window never blocks. The job reports
 * to a window: WM_APP_SCAN_PROGRESS while it runs and WM_APP_SCAN_DONE once, when it has finished
 * (successfully, with an error, or cancelled). On success the job holds the map and the source it
 * was read from: the window takes both, because the hex view keeps reading bytes from that source.
 * The window owns the job and ends it with scan_job_free. */
#ifndef PMM_GUI_SCAN_WORKER_H
#define PMM_GUI_SCAN_WORKER_H

#include <windows.h>
#include "core/model/map.h"

/* wParam: progress in thousandths; lParam: the scan_job. */
#define WM_APP_SCAN_PROGRESS (WM_APP + 1)
/* lParam: the scan_job. */
#define WM_APP_SCAN_DONE (WM_APP + 2)

typedef struct scan_job {
    HWND notify;
    uint32_t pid;            /* live target; 0 for a minidump */
    char *dump_path;         /* UTF-8 path of the minidump, NULL for a live target */
    volatile LONG cancel;
    LONG last_permille;
    HANDLE thread;
    /* Written by the worker before it posts WM_APP_SCAN_DONE; read by the window after. */
    pmm_status status;
    pmm_map *map;
    pmm_source source;       /* open when has_source */
    int has_source;
    char message[768];       /* UTF-8: what went wrong and what to do */
    volatile LONG abandoned; /* the worker is stuck in a call Windows never answers: never join or free it */
    char symbol_path[1024];  /* UTF-8, for naming frames; "" none */
} scan_job;

/* Starts scanning pid; NULL when no thread could be started. symbol_path (UTF-8, may be NULL) says
 * where PDBs are for naming the call stacks' frames. */
scan_job *scan_job_start(HWND notify, uint32_t pid, const char *symbol_path);
/* Starts scanning the minidump at path (UTF-8); NULL when no thread could be started. */
scan_job *scan_job_start_minidump(HWND notify, const char *path, const char *symbol_path);
/* Asks the worker to stop; it still posts WM_APP_SCAN_DONE. */
void scan_job_cancel(scan_job *job);
/* Takes the finished map out of the job (NULL when the scan failed); the caller frees it. */
pmm_map *scan_job_take_map(scan_job *job);
/* Takes the source the map was read from; returns 0 when there is none. The caller closes it. */
int scan_job_take_source(scan_job *job, pmm_source *out);
/* Waits for the worker to end (cancelling it first) and frees the job and anything left in it. */
void scan_job_free(scan_job *job);

#endif
