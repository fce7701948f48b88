/* A search or a strings listing of a target's memory on a worker thread, so the window that
 * started it keeps repainting. The job opens its own source (the window's source is read by the
 * hex view on the UI thread, and sources are not safe to share between threads) and scans it, so
 * each hit is described from a map of the memory as it was searched. Reports to a window:
 * WM_APP_MEMORY_PROGRESS while it runs, WM_APP_MEMORY_DONE once at the end (finished, failed or
 * cancelled). The window owns the job and ends it with memory_job_free. */
#ifndef PMM_GUI_MEMORY_JOB_H
#define PMM_GUI_MEMORY_JOB_H

#include <windows.h>
#include "core/tools/search.h"
#include "core/tools/strings_list.h"
#include "result_rows.h"

/* wParam: progress in thousandths; lParam: the job. */
#define WM_APP_MEMORY_PROGRESS (WM_APP + 400)
/* lParam: the job. */
#define WM_APP_MEMORY_DONE (WM_APP + 401)

typedef enum memory_job_kind { MEMORY_JOB_SEARCH, MEMORY_JOB_STRINGS } memory_job_kind;

/* Cells of a search row (after the address) and of a strings row. */
enum { SEARCH_CELL_TYPE, SEARCH_CELL_WHERE, SEARCH_CELL_SYMBOL, SEARCH_CELL_BYTES, SEARCH_CELL_TEXT, SEARCH_CELL_COUNT };
enum { STRINGS_CELL_ENCODING, STRINGS_CELL_LENGTH, STRINGS_CELL_WHERE, STRINGS_CELL_TEXT, STRINGS_CELL_COUNT };

/* Where to read: a live process or a minidump (the same target the main window shows). */
typedef struct memory_target {
    uint32_t pid;
    const char *dump_path;   /* UTF-8; NULL for a live process */
} memory_target;

/* Keeps a copy of target: *dump_path (freed first) becomes a copy of its path, *pid its pid (0 for
 * a minidump). 0 when out of memory; *dump_path is NULL then. */
int memory_target_keep(const memory_target *target, uint32_t *pid, char **dump_path);

typedef struct memory_job {
    HWND notify;
    memory_job_kind kind;
    uint32_t pid;
    char *dump_path;
    pmm_search_pattern pattern;        /* search: owned */
    pmm_search_options search;
    pmm_strings_options strings;
    uint64_t max_rows;                 /* strings: stop after this many (0: no cap) */
    volatile LONG cancel;
    LONG last_permille;
    HANDLE thread;
    /* Written by the worker before it posts WM_APP_MEMORY_DONE. */
    pmm_status status;
    result_rows rows;
    int truncated;                     /* the cap stopped it: more follow */
    uint64_t resume_address;           /* search: where the next hit is */
    uint64_t regions, bytes, unreadable_bytes, unreadable_pages;
    uint64_t microseconds;
    uint32_t pointer_size;
    char message[512];                 /* UTF-8: what went wrong */
    char symbol_path[1024];            /* for naming hits: gui_symbol_path() when the job started */
} memory_job;

/* Takes ownership of pattern (left empty). NULL when no thread could be started (pattern freed). */
memory_job *memory_job_search(HWND notify, const memory_target *target, pmm_search_pattern *pattern,
                              const pmm_search_options *options);
memory_job *memory_job_strings(HWND notify, const memory_target *target, const pmm_strings_options *options,
                               uint64_t max_rows);
void memory_job_cancel(memory_job *job);
/* Cancels, waits for the worker and frees everything the job still holds. */
void memory_job_free(memory_job *job);

#endif
