#include "memory_tool.h"

#include <commctrl.h>
#include <stdlib.h>
#include <wchar.h>
#include "column_memory.h"
#include "gui_util.h"
#include "res/resource.h"
#include "tool_window.h"

void memory_tool_init(memory_tool *t, const tool_host *host, void (*go)(void *ctx, uint64_t address),
                      target_data *data, size_t cells)
{
    t->host = *host;
    t->go = go;
    t->pointer_size = 8;
    result_rows_init(&t->rows, cells);
    t->data = target_data_acquire(data);
}

void memory_tool_keep(memory_tool *t, HWND hwnd, UINT dpi, HFONT font)
{
    t->hwnd = hwnd;
    t->dpi = dpi;
    t->font = font;
}

HWND memory_tool_child(memory_tool *t, const wchar_t *cls, const wchar_t *text, DWORD style, DWORD ex_style, int id)
{
    return tool_window_child(t->hwnd, t->font, cls, text, style, ex_style, id);
}

void memory_tool_create_buttons(memory_tool *t, const wchar_t *start_label, const memory_tool_ids *ids)
{
    t->start = memory_tool_child(t, L"BUTTON", start_label, WS_TABSTOP | BS_DEFPUSHBUTTON, 0, ids->start);
    t->cancel = memory_tool_child(t, L"BUTTON", L"Cancel", WS_TABSTOP | BS_PUSHBUTTON | WS_DISABLED, 0, ids->cancel);
}

void memory_tool_create_max(memory_tool *t, const wchar_t *max_text, const memory_tool_ids *ids)
{
    t->max_label = memory_tool_child(t, L"STATIC", L"Max results:", SS_LEFT, 0, IDC_STATIC);
    t->max = memory_tool_child(t, L"EDIT", max_text, WS_TABSTOP | ES_NUMBER | ES_AUTOHSCROLL, WS_EX_CLIENTEDGE, ids->max);
}

int memory_tool_create_results(memory_tool *t, const memory_tool_ids *ids, const results_column *columns,
                               size_t column_count, const char *columns_name)
{
    t->progress = memory_tool_child(t, PROGRESS_CLASSW, L"", PBS_SMOOTH, 0, ids->progress);
    t->status = memory_tool_child(t, L"STATIC", L"", SS_LEFT | SS_ENDELLIPSIS | SS_NOPREFIX, 0, ids->status);
    if (!t->start || !t->cancel || !t->max || !t->progress || !t->status ||
        !scope_controls_create(&t->scope, t->hwnd, ids->scope_first, t->font) ||
        !results_list_create(&t->list, t->hwnd, ids->list, columns, column_count, t->dpi))
        return 0;
    SendMessageW(t->list.hwnd, WM_SETFONT, (WPARAM)t->font, FALSE);
    column_memory_attach(t->list.hwnd, columns_name);
    SendMessageW(t->progress, PBM_SETRANGE32, 0, 1000);
    ShowWindow(t->progress, SW_HIDE);
    return 1;
}

void memory_tool_place_results(memory_tool *t, int y)
{
    RECT client;
    GetClientRect(t->hwnd, &client);
    int m = gui_scale(8, t->dpi), status_h = gui_scale(20, t->dpi), right = client.right - m;
    gui_place(t->list.hwnd, m, y, right - m, client.bottom - m - status_h - y);
    gui_place(t->status, m, client.bottom - m - status_h + gui_scale(4, t->dpi), right - m, status_h);
}

void memory_tool_set_status(memory_tool *t, const char *text)
{
    snprintf(t->status_text, sizeof t->status_text, "%s", text);
    gui_set_text(t->status, text);
}

void memory_tool_show_running(memory_tool *t, int running)
{
    EnableWindow(t->start, !running);
    EnableWindow(t->cancel, running);
    SendMessageW(t->progress, PBM_SETPOS, 0, 0);
    ShowWindow(t->progress, running ? SW_SHOWNA : SW_HIDE);
}

int memory_tool_read_max(memory_tool *t, uint64_t *max, char *message, size_t cap)
{
    wchar_t text[32];
    GetWindowTextW(t->max, text, 32);
    wchar_t *end = NULL;
    *max = wcstoull(text, &end, 10);
    if (text[0] && end && *end == L'\0')
        return 1;
    snprintf(message, cap, "Max results must be a number (0 for no cap).");
    return 0;
}

int memory_tool_has_memory(memory_tool *t, const char *verb, char *message, size_t cap)
{
    if (target_data_source(t->data))
        return 1;
    snprintf(message, cap, "Open a process or a minidump first: a saved map holds no memory to %s.", verb);
    return 0;
}

static void activate(memory_tool *t, uint64_t address)
{
    if (t->go)
        t->go(t->host.ctx, address);
}

int memory_tool_activate_focused(memory_tool *t)
{
    uint64_t address;
    if (GetFocus() != t->list.hwnd || !results_list_focused(&t->list, &address))
        return 0;
    activate(t, address);
    return 1;
}

void memory_tool_escape(memory_tool *t)
{
    if (t->job)
        gui_job_cancel(t->job);   /* it still reports WM_APP_JOB_DONE */
    else
        DestroyWindow(t->hwnd);
}

memory_result *memory_tool_finish(memory_tool *t, gui_job *done)
{
    if (done != t->job)
        return NULL;
    t->job = NULL;
    memory_result *result = memory_job_result(done);
    if (result->pointer_size)
        t->pointer_size = result->pointer_size;
    return result;
}

void memory_tool_end(memory_tool *t, gui_job *done)
{
    memory_tool_show_running(t, 0);
    memory_job_end(done, t->hwnd, &t->host);
}

LRESULT memory_tool_notify(void *self, NMHDR *hdr)
{
    memory_tool *t = self;
    int activated;
    uint64_t address;
    if (results_list_notify(&t->list, hdr, &activated, &address) && activated)
        activate(t, address);
    return 0;
}

void memory_tool_job_progress(void *self, gui_job *job, WPARAM position)
{
    memory_tool *t = self;
    if (job == t->job)
        SendMessageW(t->progress, PBM_SETPOS, position, 0);
}

void memory_tool_set_target(memory_tool *t, target_data *data)
{
    target_data *old = t->data;
    t->data = target_data_acquire(data);
    target_data_release(old);
}

void memory_tool_destroy(memory_tool *t)
{
    gui_job_free(t->job);
    t->job = NULL;
    target_data_release(t->data);
    t->data = NULL;
    result_rows_free(&t->rows);
}

int memory_tool_write_text(const memory_tool *t, const size_t *shown, size_t count, FILE *f)
{
    if (fprintf(f, "%s\n", t->status_text) < 0)
        return -1;
    int rc = shown ? result_rows_write_some(&t->rows, shown, count, f) : result_rows_write(&t->rows, f);
    return rc != 0 || results_list_write_note(&t->list, f) != 0 ? -1 : column_memory_write(t->list.hwnd, f);
}
