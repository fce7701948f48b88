/* A search or a strings listing of a target's memory as a gui_job, so the window that started it
 * keeps repainting. The job borrows the main window's map and source (target_data): no second
 * handle, no new scan, and each hit is described from the map on screen. The window owns the job
 * (WM_APP_JOB_PROGRESS, WM_APP_JOB_DONE; gui_job_free ends it) and reads what it found with
 * memory_job_result. */
#ifndef PMM_GUI_MEMORY_JOB_H
#define PMM_GUI_MEMORY_JOB_H

#include <windows.h>
#include "core/tools/search.h"
#include "core/tools/strings_list.h"
#include "gui_job.h"
#include "result_rows.h"
#include "target_session.h"
#include "tool_host.h"

/* Cells of a search row (after the address) and of a strings row. */
enum { SEARCH_CELL_TYPE, SEARCH_CELL_WHERE, SEARCH_CELL_SYMBOL, SEARCH_CELL_BYTES, SEARCH_CELL_TEXT, SEARCH_CELL_COUNT };
enum { STRINGS_CELL_ENCODING, STRINGS_CELL_LENGTH, STRINGS_CELL_WHERE, STRINGS_CELL_TEXT, STRINGS_CELL_COUNT };

/* What a finished job found. */
typedef struct memory_result {
    pmm_status status;                 /* as gui_job_status, or PMM_ERR_NOMEM when rows could not grow */
    result_rows rows;
    int truncated;                     /* the cap stopped it: more follow */
    uint64_t resume_address;           /* search: where the next hit is */
    uint64_t regions, bytes, unreadable_bytes, unreadable_pages;
    uint64_t microseconds;
    uint32_t pointer_size;
    char message[512];                 /* UTF-8: what went wrong */
} memory_result;

/* Both take a reference to data for the job's life. The search takes ownership of pattern (left
 * empty, and freed when no job starts). NULL when no thread could be started. */
gui_job *memory_job_search(HWND notify, target_data *data, pmm_search_pattern *pattern,
                           const pmm_search_options *options);
gui_job *memory_job_strings(HWND notify, target_data *data, const pmm_strings_options *options, uint64_t max_rows);
/* After WM_APP_JOB_DONE; owned by the job until gui_job_free. */
memory_result *memory_job_result(gui_job *job);
/* Ends a finished job: frees it, shows why it failed over owner (a cancellation is no failure) and
 * tells the host how it ended. */
void memory_job_end(gui_job *done, HWND owner, const tool_host *host);

#endif
