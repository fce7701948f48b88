/* What the Find in Memory and Strings windows share: each runs a memory_job over the main window's
 * target and shows what it found in a results_list, with Start and Cancel buttons, a Max results
 * box, the region filters, a progress bar and a status line. A window's own state begins with a
 * memory_tool, so memory_tool_notify and memory_tool_job_progress serve as its tool_window_kind
 * callbacks as they are. */
#ifndef PMM_GUI_MEMORY_TOOL_H
#define PMM_GUI_MEMORY_TOOL_H

#include <windows.h>
#include <stdio.h>
#include "memory_job.h"
#include "results_list.h"
#include "scope_controls.h"
#include "tool_host.h"

typedef struct memory_tool {
    HWND hwnd, start, cancel, max_label, max, progress, status;
    scope_controls scope;
    results_list list;
    HFONT font;
    UINT dpi;
    tool_host host;
    void (*go)(void *ctx, uint64_t address);   /* a row activated: host.go_to or host.show_code */
    target_data *data;           /* what to read: the main window's map and source (a reference) */
    gui_job *job;
    result_rows rows;
    uint32_t pointer_size;
    char status_text[500];
} memory_tool;

/* The ids of the shared controls; the region filters take scope_first and the SCOPE_COUNT-1 ids
 * after it. */
typedef struct memory_tool_ids {
    int start, cancel, max, progress, status, list, scope_first;
} memory_tool_ids;

/* Before the window is made: rows with cells text cells, a reference to data. */
void memory_tool_init(memory_tool *t, const tool_host *host, void (*go)(void *ctx, uint64_t address),
                      target_data *data, size_t cells);
/* WM_CREATE: keeps hwnd, dpi and font. */
void memory_tool_keep(memory_tool *t, HWND hwnd, UINT dpi, HFONT font);
HWND memory_tool_child(memory_tool *t, const wchar_t *cls, const wchar_t *text, DWORD style, DWORD ex_style, int id);
/* Start (start_label) and Cancel; then the Max results label and box (max_text). Each window makes
 * them where its tab order wants them. */
void memory_tool_create_buttons(memory_tool *t, const wchar_t *start_label, const memory_tool_ids *ids);
void memory_tool_create_max(memory_tool *t, const wchar_t *max_text, const memory_tool_ids *ids);
/* After the window's own controls: the progress bar, the status line, the region filters and the
 * list with columns, whose widths are remembered under columns_name (column_memory.h). 0 when a
 * control could not be made. */
int memory_tool_create_results(memory_tool *t, const memory_tool_ids *ids, const results_column *columns,
                               size_t column_count, const char *columns_name);
/* Places the list from y down to the status line at the bottom. */
void memory_tool_place_results(memory_tool *t, int y);

void memory_tool_set_status(memory_tool *t, const char *text);
void memory_tool_show_running(memory_tool *t, int running);
/* The Max results box; 0 with the reason in message. */
int memory_tool_read_max(memory_tool *t, uint64_t *max, char *message, size_t cap);
/* 0 with the reason in message when the target holds no memory (a saved map); verb: "search", "list". */
int memory_tool_has_memory(memory_tool *t, const char *verb, char *message, size_t cap);

/* Enter: activates the focused row when the list has the focus; 0 when it has not (the window
 * starts its job then). */
int memory_tool_activate_focused(memory_tool *t);
/* Escape: cancels the running job, else closes the window. */
void memory_tool_escape(memory_tool *t);

/* WM_APP_JOB_DONE: the result of t's job, which t no longer runs (NULL when done is not t's job). */
memory_result *memory_tool_finish(memory_tool *t, gui_job *done);
/* After the window showed the result: hides the progress, frees the job, says why it failed. */
void memory_tool_end(memory_tool *t, gui_job *done);

/* tool_window_kind callbacks; self is the window's state, which begins with its memory_tool. */
LRESULT memory_tool_notify(void *self, NMHDR *hdr);
void memory_tool_job_progress(void *self, gui_job *job, WPARAM position);

void memory_tool_set_target(memory_tool *t, target_data *data);
/* WM_DESTROY. */
void memory_tool_destroy(memory_tool *t);
/* The status line, then one line per row (shown[0..count) of them; all when shown is NULL), the
 * list's note and its column widths ("# columns ..."), for tests. */
int memory_tool_write_text(const memory_tool *t, const size_t *shown, size_t count, FILE *f);

#endif
