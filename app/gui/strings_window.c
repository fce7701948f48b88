#include "strings_window.h"

#include <commctrl.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windowsx.h>
#include "core/util/text.h"
#include "gui_util.h"
#include "res/resource.h"
#include "results_list.h"
#include "scope_controls.h"
#include "tool_window.h"

#define STRINGS_WINDOW_CLASS L"ProcessMemoryMap.Strings"
#define DEFAULT_MAX_STRINGS L"100000"

static const results_column columns[] = {
    {"Address", 130, 0}, {"Encoding", 70, 0}, {"Length", 60, 1}, {"Where", 250, 0}, {"Text", 520, 0}};

typedef struct strings_window {
    HWND hwnd, min_label, min, ansi, utf16, max_label, max, filter_label, filter, start, cancel, progress, status;
    scope_controls scope;
    results_list list;
    HFONT font;
    UINT dpi;
    tool_host host;
    target_data *data;           /* what to list: the main window's map and source (a reference) */
    gui_job *job;
    result_rows rows;
    uint32_t pointer_size;
    size_t *shown;               /* rows matching the filter; NULL: no filter, all shown */
    size_t shown_count;
    char summary[400];           /* of the last listing */
    char status_text[500];
} strings_window;

static strings_window *window_of(HWND hwnd)
{
    return tool_window_self(hwnd, STRINGS_WINDOW_CLASS);
}

static void set_status(strings_window *w, const char *text)
{
    snprintf(w->status_text, sizeof w->status_text, "%s", text);
    wchar_t wide[500];
    gui_utf8_to_wide(text, wide, 500);
    SetWindowTextW(w->status, wide);
}

/* The summary of the listing, and how many the filter shows. */
static void show_summary(strings_window *w)
{
    char text[500];
    if (w->shown)
        snprintf(text, sizeof text, "%s; %zu shown by the filter", w->summary, w->shown_count);
    else
        snprintf(text, sizeof text, "%s", w->summary);
    set_status(w, text);
}

static void clear_filter_rows(strings_window *w)
{
    results_list_set_shown(&w->list, NULL, 0);
    free(w->shown);
    w->shown = NULL;
    w->shown_count = 0;
}

static void apply_filter(strings_window *w)
{
    wchar_t wide[256];
    GetWindowTextW(w->filter, wide, 256);
    char *needle = gui_wide_to_utf8_alloc(wide);
    clear_filter_rows(w);
    if (needle && needle[0]) {
        w->shown = result_rows_filter(&w->rows, STRINGS_CELL_TEXT, needle, &w->shown_count);
        if (!w->shown) {   /* out of memory: an empty list would say "nothing matches" */
            w->shown = malloc(sizeof *w->shown);
            w->shown_count = 0;
        }
        results_list_set_shown(&w->list, w->shown, w->shown_count);
    }
    free(needle);
    if (w->summary[0])
        show_summary(w);
}

static void show_running(strings_window *w, int running)
{
    EnableWindow(w->start, !running);
    EnableWindow(w->cancel, running);
    SendMessageW(w->progress, PBM_SETPOS, 0, 0);
    ShowWindow(w->progress, running ? SW_SHOWNA : SW_HIDE);
}

static int read_number(HWND control, unsigned long long *value)
{
    wchar_t text[32];
    GetWindowTextW(control, text, 32);
    wchar_t *end = NULL;
    *value = wcstoull(text, &end, 10);
    return text[0] && end && *end == L'\0';
}

/* The options from the controls; 0 with the reason in message. */
static int read_options(strings_window *w, pmm_strings_options *options, uint64_t *max, char *message, size_t cap)
{
    unsigned long long min, max_value;
    memset(options, 0, sizeof *options);
    if (!read_number(w->min, &min) || min < 1 || min > 1000000) {
        snprintf(message, cap, "The minimum length must be a number of characters from 1 to 1000000.");
        return 0;
    }
    if (!read_number(w->max, &max_value)) {
        snprintf(message, cap, "Max results must be a number (0 for no cap).");
        return 0;
    }
    options->min_length = (size_t)min;
    *max = max_value;
    if (Button_GetCheck(w->ansi) == BST_CHECKED)
        options->encodings |= PMM_STRINGS_ANSI;
    if (Button_GetCheck(w->utf16) == BST_CHECKED)
        options->encodings |= PMM_STRINGS_UTF16;
    if (!options->encodings) {
        snprintf(message, cap, "Tick ANSI, UTF-16 or both.");
        return 0;
    }
    return scope_controls_read(&w->scope, &options->scope, message, cap);
}

static int start_listing(strings_window *w, char *message, size_t cap)
{
    if (w->job)
        return 1;
    if (!target_data_source(w->data)) {
        snprintf(message, cap, "Open a process or a minidump first: a saved map holds no memory to list.");
        return 0;
    }
    pmm_strings_options options;
    uint64_t max;
    if (!read_options(w, &options, &max, message, cap))
        return 0;
    w->job = memory_job_strings(w->hwnd, w->data, &options, max);
    if (!w->job) {
        snprintf(message, cap, "The listing could not be started (no thread could be created).");
        return 0;
    }
    clear_filter_rows(w);
    result_rows_free(&w->rows);
    results_list_set_rows(&w->list, NULL, w->pointer_size);
    show_running(w, 1);
    w->summary[0] = '\0';
    set_status(w, "Listing strings...");
    return 1;
}

static void on_start(strings_window *w)
{
    char message[512];
    if (!start_listing(w, message, sizeof message))
        gui_error(w->hwnd, message);
}

static void summarize(strings_window *w, const memory_result *job)
{
    char *text = w->summary;
    size_t cap = sizeof w->summary;
    int n = snprintf(text, cap, "%zu strings in %llu regions, %llu bytes searched in %llu ms", job->rows.count,
                     (unsigned long long)job->regions, (unsigned long long)job->bytes,
                     (unsigned long long)(job->microseconds / 1000));
    if (job->truncated && n > 0 && (size_t)n < cap)
        snprintf(text + n, cap - (size_t)n, "; stopped at the cap (raise Max results to see more)");
    if (job->status == PMM_ERR_CANCELLED)
        snprintf(text, cap, "Cancelled: %zu strings so far", job->rows.count);
}

static void on_done(void *self, gui_job *done)
{
    strings_window *w = self;
    if (done != w->job)
        return;
    w->job = NULL;
    memory_result *job = memory_job_result(done);
    show_running(w, 0);
    if (job->pointer_size)
        w->pointer_size = job->pointer_size;
    summarize(w, job);
    result_rows_move(&w->rows, &job->rows);
    results_list_set_rows(&w->list, &w->rows, w->pointer_size);
    if (job->truncated && job->status == PMM_OK) {   /* said in the list itself, not only in the status line */
        char note[200], count[32];
        snprintf(note, sizeof note, "Stopped at the cap after %s strings: raise Max results to see more",
                 pmm_count_text(w->rows.count, count, sizeof count));
        results_list_set_note(&w->list, note);
    }
    apply_filter(w);
    show_summary(w);
    memory_job_end(done, w->hwnd, &w->host);
}

static void activate(strings_window *w, uint64_t address)
{
    if (w->host.go_to)
        w->host.go_to(w->host.ctx, address);
}

/* ---- layout ---- */

static void layout(void *self)
{
    strings_window *w = self;
    RECT client;
    GetClientRect(w->hwnd, &client);
    UINT dpi = w->dpi;
    int m = gui_scale(8, dpi), gap = gui_scale(6, dpi), row_h = gui_scale(23, dpi);
    int button_w = gui_scale(80, dpi), status_h = gui_scale(20, dpi);
    int y = m, x = m, right = client.right - m;
    gui_place(w->min_label, x, y + gui_scale(4, dpi), gui_scale(110, dpi), row_h);
    x += gui_scale(110, dpi);
    gui_place(w->min, x, y, gui_scale(50, dpi), row_h);
    x += gui_scale(64, dpi);
    gui_place(w->ansi, x, y + gui_scale(2, dpi), gui_scale(60, dpi), gui_scale(20, dpi));
    x += gui_scale(64, dpi);
    gui_place(w->utf16, x, y + gui_scale(2, dpi), gui_scale(70, dpi), gui_scale(20, dpi));
    x += gui_scale(84, dpi);
    gui_place(w->max_label, x, y + gui_scale(4, dpi), gui_scale(80, dpi), row_h);
    x += gui_scale(80, dpi);
    gui_place(w->max, x, y, gui_scale(70, dpi), row_h);
    x += gui_scale(84, dpi);
    gui_place(w->filter_label, x, y + gui_scale(4, dpi), gui_scale(40, dpi), row_h);
    x += gui_scale(40, dpi);
    gui_place(w->filter, x, y, right - 2 * button_w - 2 * gap - x, row_h);
    gui_place(w->cancel, right - button_w, y, button_w, row_h);
    gui_place(w->start, right - 2 * button_w - gap, y, button_w, row_h);
    y += row_h + gap;
    int scope_h = scope_controls_layout(&w->scope, m, y, dpi);
    gui_place(w->progress, right - 2 * button_w - gap, y + gui_scale(2, dpi), 2 * button_w + gap, gui_scale(16, dpi));
    y += scope_h + gap;
    gui_place(w->list.hwnd, m, y, right - m, client.bottom - m - status_h - y);
    gui_place(w->status, m, client.bottom - m - status_h + gui_scale(4, dpi), right - m, status_h);
}

static HWND child(strings_window *w, const wchar_t *cls, const wchar_t *text, DWORD style, DWORD ex_style, int id)
{
    return tool_window_child(w->hwnd, w->font, cls, text, style, ex_style, id);
}

static int create_controls(strings_window *w)
{
    w->min_label = child(w, L"STATIC", L"Minimum &length:", SS_LEFT, 0, IDC_STATIC);
    w->min = child(w, L"EDIT", L"4", WS_TABSTOP | ES_NUMBER | ES_AUTOHSCROLL, WS_EX_CLIENTEDGE, IDC_STRINGS_MIN);
    w->ansi = child(w, L"BUTTON", L"&ANSI", WS_TABSTOP | BS_AUTOCHECKBOX, 0, IDC_STRINGS_ANSI);
    w->utf16 = child(w, L"BUTTON", L"&UTF-16", WS_TABSTOP | BS_AUTOCHECKBOX, 0, IDC_STRINGS_UTF16);
    w->max_label = child(w, L"STATIC", L"Max results:", SS_LEFT, 0, IDC_STATIC);
    w->max = child(w, L"EDIT", DEFAULT_MAX_STRINGS, WS_TABSTOP | ES_NUMBER | ES_AUTOHSCROLL, WS_EX_CLIENTEDGE,
                   IDC_STRINGS_MAX);
    w->filter_label = child(w, L"STATIC", L"&Filter:", SS_LEFT, 0, IDC_STATIC);
    w->filter = child(w, L"EDIT", L"", WS_TABSTOP | ES_AUTOHSCROLL, WS_EX_CLIENTEDGE, IDC_STRINGS_FILTER);
    w->start = child(w, L"BUTTON", L"&List", WS_TABSTOP | BS_DEFPUSHBUTTON, 0, IDC_STRINGS_START);
    w->cancel = child(w, L"BUTTON", L"Cancel", WS_TABSTOP | BS_PUSHBUTTON | WS_DISABLED, 0, IDC_STRINGS_CANCEL);
    w->progress = child(w, PROGRESS_CLASSW, L"", PBS_SMOOTH, 0, IDC_STRINGS_PROGRESS);
    w->status = child(w, L"STATIC", L"", SS_LEFT | SS_ENDELLIPSIS | SS_NOPREFIX, 0, IDC_STRINGS_STATUS);
    if (!w->min || !w->start || !w->status || !scope_controls_create(&w->scope, w->hwnd, IDC_STRINGS_SCOPE_FIRST, w->font) ||
        !results_list_create(&w->list, w->hwnd, IDC_STRINGS_RESULTS, columns, sizeof columns / sizeof columns[0], w->dpi))
        return 0;
    SendMessageW(w->list.hwnd, WM_SETFONT, (WPARAM)w->font, FALSE);
    Button_SetCheck(w->ansi, BST_CHECKED);
    Button_SetCheck(w->utf16, BST_CHECKED);
    SendMessageW(w->progress, PBM_SETRANGE32, 0, 1000);
    ShowWindow(w->progress, SW_HIDE);
    return 1;
}

/* ---- messages ---- */

static int on_create(void *self, HWND hwnd, UINT dpi, HFONT font)
{
    strings_window *w = self;
    w->hwnd = hwnd;
    w->dpi = dpi;
    w->font = font;
    if (!create_controls(w))
        return 0;
    layout(w);
    set_status(w, "Press List. Double-click a string (or press Enter on it) to go to it.");
    return 1;
}

static void on_command(void *self, int id, UINT code)
{
    strings_window *w = self;
    uint64_t address;
    switch (id) {
    case IDOK:
        if (GetFocus() == w->list.hwnd && results_list_focused(&w->list, &address))
            activate(w, address);
        else
            on_start(w);
        break;
    case IDC_STRINGS_START: on_start(w); break;
    case IDC_STRINGS_CANCEL: gui_job_cancel(w->job); break;
    case IDC_STRINGS_FILTER:
        if (code == EN_CHANGE)
            apply_filter(w);
        break;
    case IDCANCEL:
        if (w->job)
            gui_job_cancel(w->job);
        else
            DestroyWindow(w->hwnd);
        break;
    }
}

static LRESULT on_notify(void *self, NMHDR *hdr)
{
    strings_window *w = self;
    int activated;
    uint64_t address;
    if (results_list_notify(&w->list, hdr, &activated, &address) && activated)
        activate(w, address);
    return 0;
}

static HWND focus_control(void *self)
{
    return ((strings_window *)self)->min;
}

static void job_progress(void *self, gui_job *job, WPARAM position)
{
    strings_window *w = self;
    if (job == w->job)
        SendMessageW(w->progress, PBM_SETPOS, position, 0);
}

static void on_destroy(void *self)
{
    strings_window *w = self;
    gui_job_free(w->job);
    w->job = NULL;
    target_data_release(w->data);
    w->data = NULL;
    clear_filter_rows(w);
    result_rows_free(&w->rows);
}

static const tool_window_kind strings_kind = {
    .class_name = STRINGS_WINDOW_CLASS, .title = L"Strings", .place = {50, 50, 1040, 560},
    .min_width = 640, .min_height = 300,
    .create = on_create, .layout = layout, .command = on_command, .notify = on_notify, .focus = focus_control,
    .job_progress = job_progress, .job_done = on_done, .destroy = on_destroy, .release = free,
};

int strings_window_register(HINSTANCE instance)
{
    return tool_window_register_kind(instance, &strings_kind);
}

HWND strings_window_open(HWND owner, const tool_host *host, target_data *data)
{
    strings_window *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->host = *host;
    w->pointer_size = 8;
    result_rows_init(&w->rows, STRINGS_CELL_COUNT);
    w->data = target_data_acquire(data);
    return tool_window_open_kind(owner, &strings_kind, w);   /* NULL: w was freed */
}

void strings_window_set_target(HWND hwnd, target_data *data)
{
    strings_window *w = window_of(hwnd);
    if (w) {
        target_data_release(w->data);
        w->data = target_data_acquire(data);
    }
}

int strings_window_start(HWND hwnd, unsigned min_length, char *message, size_t cap)
{
    strings_window *w = window_of(hwnd);
    if (!w) {
        snprintf(message, cap, "The strings window is not open.");
        return 0;
    }
    if (min_length) {
        wchar_t text[16];
        swprintf(text, 16, L"%u", min_length);
        SetWindowTextW(w->min, text);
    }
    return start_listing(w, message, cap);
}

void strings_window_set_filter(HWND hwnd, const wchar_t *text)
{
    strings_window *w = window_of(hwnd);
    if (w)
        SetWindowTextW(w->filter, text);   /* its EN_CHANGE applies it */
}

int strings_window_write_text(HWND hwnd, FILE *f)
{
    strings_window *w = window_of(hwnd);
    if (!w)
        return -1;
    if (fprintf(f, "%s\n", w->status_text) < 0)
        return -1;
    int rc = w->shown ? result_rows_write_some(&w->rows, w->shown, w->shown_count, f) : result_rows_write(&w->rows, f);
    return rc != 0 ? -1 : results_list_write_note(&w->list, f);
}
