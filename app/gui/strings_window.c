#include "strings_window.h"

#include <commctrl.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windowsx.h>
#include "core/util/text.h"
#include "gui_util.h"
#include "memory_tool.h"
#include "res/resource.h"
#include "tool_window.h"

#define STRINGS_WINDOW_CLASS L"ProcessMemoryMap.Strings"
#define DEFAULT_MAX_STRINGS L"100000"

static const results_column columns[] = {
    {"Address", 130, 0}, {"Encoding", 70, 0}, {"Length", 60, 1}, {"Where", 250, 0}, {"Text", 520, 0}};

static const memory_tool_ids ids = {
    .start = IDC_STRINGS_START, .cancel = IDC_STRINGS_CANCEL, .max = IDC_STRINGS_MAX, .progress = IDC_STRINGS_PROGRESS,
    .status = IDC_STRINGS_STATUS, .list = IDC_STRINGS_RESULTS, .scope_first = IDC_STRINGS_SCOPE_FIRST};

typedef struct strings_window {
    memory_tool tool;            /* first: its callbacks take a strings_window */
    HWND min_label, min, ansi, utf16, filter_label, filter;
    size_t *shown;               /* rows matching the filter; NULL: no filter, all shown */
    size_t shown_count;
    char summary[400];           /* of the last listing */
} strings_window;

static strings_window *window_of(HWND hwnd)
{
    return tool_window_self(hwnd, STRINGS_WINDOW_CLASS);
}

/* The summary of the listing, and how many the filter shows. */
static void show_summary(strings_window *w)
{
    char text[500];
    if (w->shown)
        snprintf(text, sizeof text, "%s; %zu shown by the filter", w->summary, w->shown_count);
    else
        snprintf(text, sizeof text, "%s", w->summary);
    memory_tool_set_status(&w->tool, text);
}

static void clear_filter_rows(strings_window *w)
{
    results_list_set_shown(&w->tool.list, NULL, 0);
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
        w->shown = result_rows_filter(&w->tool.rows, STRINGS_CELL_TEXT, needle, &w->shown_count);
        if (!w->shown) {   /* out of memory: an empty list would say "nothing matches" */
            w->shown = malloc(sizeof *w->shown);
            w->shown_count = 0;
        }
        results_list_set_shown(&w->tool.list, w->shown, w->shown_count);
    }
    free(needle);
    if (w->summary[0])
        show_summary(w);
}

/* The options from the controls; 0 with the reason in message. */
static int read_options(strings_window *w, pmm_strings_options *options, uint64_t *max, char *message, size_t cap)
{
    wchar_t text[32], *end = NULL;
    GetWindowTextW(w->min, text, 32);
    unsigned long long min = wcstoull(text, &end, 10);
    memset(options, 0, sizeof *options);
    if (!text[0] || !end || *end != L'\0' || min < 1 || min > 1000000) {
        snprintf(message, cap, "The minimum length must be a number of characters from 1 to 1000000.");
        return 0;
    }
    if (!memory_tool_read_max(&w->tool, max, message, cap))
        return 0;
    options->min_length = (size_t)min;
    if (Button_GetCheck(w->ansi) == BST_CHECKED)
        options->encodings |= PMM_STRINGS_ANSI;
    if (Button_GetCheck(w->utf16) == BST_CHECKED)
        options->encodings |= PMM_STRINGS_UTF16;
    if (!options->encodings) {
        snprintf(message, cap, "Tick ANSI, UTF-16 or both.");
        return 0;
    }
    return scope_controls_read(&w->tool.scope, &options->scope, message, cap);
}

static int start_listing(strings_window *w, char *message, size_t cap)
{
    memory_tool *t = &w->tool;
    if (t->job)
        return 1;
    if (!memory_tool_has_memory(t, "list", message, cap))
        return 0;
    pmm_strings_options options;
    uint64_t max;
    if (!read_options(w, &options, &max, message, cap))
        return 0;
    t->job = memory_job_strings(t->hwnd, t->data, &options, max);
    if (!t->job) {
        snprintf(message, cap, "The listing could not be started (no thread could be created).");
        return 0;
    }
    clear_filter_rows(w);
    result_rows_free(&t->rows);
    results_list_set_rows(&t->list, NULL, t->pointer_size);
    memory_tool_show_running(t, 1);
    w->summary[0] = '\0';
    memory_tool_set_status(t, "Listing strings...");
    return 1;
}

static void on_start(strings_window *w)
{
    char message[512];
    if (!start_listing(w, message, sizeof message))
        gui_error(w->tool.hwnd, message);
}

static void summarize(strings_window *w, const memory_result *job)
{
    char *text = w->summary;
    size_t cap = sizeof w->summary;
    char n1[32], n2[32], n3[32], n4[32];
    int n = snprintf(text, cap, "%s strings in %s regions, %s bytes searched in %s ms",
                     pmm_count_text(job->rows.count, n1, sizeof n1), pmm_count_text(job->regions, n2, sizeof n2),
                     pmm_count_text(job->bytes, n3, sizeof n3),
                     pmm_count_text(job->microseconds / 1000, n4, sizeof n4));
    if (job->truncated && n > 0 && (size_t)n < cap)
        snprintf(text + n, cap - (size_t)n, "; stopped at the cap (raise Max results to see more)");
    if (job->status == PMM_ERR_CANCELLED)
        snprintf(text, cap, "Cancelled: %zu strings so far", job->rows.count);
}

static void on_done(void *self, gui_job *done)
{
    strings_window *w = self;
    memory_tool *t = &w->tool;
    memory_result *job = memory_tool_finish(t, done);
    if (!job)
        return;
    summarize(w, job);
    result_rows_move(&t->rows, &job->rows);
    results_list_set_rows(&t->list, &t->rows, t->pointer_size);
    if (job->truncated && job->status == PMM_OK) {   /* said in the list itself, not only in the status line */
        char note[200], count[32];
        snprintf(note, sizeof note, "Stopped at the cap after %s strings: raise Max results to see more",
                 pmm_count_text(t->rows.count, count, sizeof count));
        results_list_set_note(&t->list, note);
    }
    apply_filter(w);
    show_summary(w);
    memory_tool_end(t, done);
}

/* ---- layout ---- */

static void layout(void *self)
{
    strings_window *w = self;
    memory_tool *t = &w->tool;
    RECT client;
    GetClientRect(t->hwnd, &client);
    UINT dpi = t->dpi;
    int m = gui_scale(8, dpi), gap = gui_scale(6, dpi), row_h = gui_scale(23, dpi);
    int button_w = gui_scale(80, dpi);
    int y = m, x = m, right = client.right - m;
    gui_place(w->min_label, x, y + gui_scale(4, dpi), gui_scale(110, dpi), row_h);
    x += gui_scale(110, dpi);
    gui_place(w->min, x, y, gui_scale(50, dpi), row_h);
    x += gui_scale(64, dpi);
    gui_place(w->ansi, x, y + gui_scale(2, dpi), gui_scale(60, dpi), gui_scale(20, dpi));
    x += gui_scale(64, dpi);
    gui_place(w->utf16, x, y + gui_scale(2, dpi), gui_scale(70, dpi), gui_scale(20, dpi));
    x += gui_scale(84, dpi);
    gui_place(t->max_label, x, y + gui_scale(4, dpi), gui_scale(80, dpi), row_h);
    x += gui_scale(80, dpi);
    gui_place(t->max, x, y, gui_scale(70, dpi), row_h);
    x += gui_scale(84, dpi);
    gui_place(w->filter_label, x, y + gui_scale(4, dpi), gui_scale(40, dpi), row_h);
    x += gui_scale(40, dpi);
    gui_place(w->filter, x, y, right - 2 * button_w - 2 * gap - x, row_h);
    gui_place(t->cancel, right - button_w, y, button_w, row_h);
    gui_place(t->start, right - 2 * button_w - gap, y, button_w, row_h);
    y += row_h + gap;
    int scope_h = scope_controls_layout(&t->scope, m, y, dpi);
    gui_place(t->progress, right - 2 * button_w - gap, y + gui_scale(2, dpi), 2 * button_w + gap, gui_scale(16, dpi));
    memory_tool_place_results(t, y + scope_h + gap);
}

static int create_controls(strings_window *w)
{
    memory_tool *t = &w->tool;
    w->min_label = memory_tool_child(t, L"STATIC", L"Minimum &length:", SS_LEFT, 0, IDC_STATIC);
    w->min = memory_tool_child(t, L"EDIT", L"4", WS_TABSTOP | ES_NUMBER | ES_AUTOHSCROLL, WS_EX_CLIENTEDGE,
                               IDC_STRINGS_MIN);
    w->ansi = memory_tool_child(t, L"BUTTON", L"&ANSI", WS_TABSTOP | BS_AUTOCHECKBOX, 0, IDC_STRINGS_ANSI);
    w->utf16 = memory_tool_child(t, L"BUTTON", L"&UTF-16", WS_TABSTOP | BS_AUTOCHECKBOX, 0, IDC_STRINGS_UTF16);
    memory_tool_create_max(t, DEFAULT_MAX_STRINGS, &ids);
    w->filter_label = memory_tool_child(t, L"STATIC", L"&Filter:", SS_LEFT, 0, IDC_STATIC);
    w->filter = memory_tool_child(t, L"EDIT", L"", WS_TABSTOP | ES_AUTOHSCROLL, WS_EX_CLIENTEDGE, IDC_STRINGS_FILTER);
    memory_tool_create_buttons(t, L"&List", &ids);
    if (!w->min || !memory_tool_create_results(t, &ids, columns, sizeof columns / sizeof columns[0], "strings"))
        return 0;
    Button_SetCheck(w->ansi, BST_CHECKED);
    Button_SetCheck(w->utf16, BST_CHECKED);
    return 1;
}

/* ---- messages ---- */

static int on_create(void *self, HWND hwnd, UINT dpi, HFONT font)
{
    strings_window *w = self;
    memory_tool_keep(&w->tool, hwnd, dpi, font);
    if (!create_controls(w))
        return 0;
    layout(w);
    memory_tool_set_status(&w->tool, "Press List. Double-click a string (or press Enter on it) to go to it.");
    return 1;
}

static void on_command(void *self, int id, UINT code)
{
    strings_window *w = self;
    switch (id) {
    case IDOK:
        if (!memory_tool_activate_focused(&w->tool))
            on_start(w);
        break;
    case IDC_STRINGS_START: on_start(w); break;
    case IDC_STRINGS_CANCEL: gui_job_cancel(w->tool.job); break;
    case IDC_STRINGS_FILTER:
        if (code == EN_CHANGE)
            apply_filter(w);
        break;
    case IDCANCEL: memory_tool_escape(&w->tool); break;
    }
}

static HWND focus_control(void *self)
{
    return ((strings_window *)self)->min;
}

static void on_destroy(void *self)
{
    strings_window *w = self;
    clear_filter_rows(w);
    memory_tool_destroy(&w->tool);
}

static const tool_window_kind strings_kind = {
    .class_name = STRINGS_WINDOW_CLASS, .title = L"Strings", .place = {50, 50, 1040, 560},
    .min_width = 640, .min_height = 300,
    .create = on_create, .layout = layout, .command = on_command, .notify = memory_tool_notify,
    .focus = focus_control, .job_progress = memory_tool_job_progress, .job_done = on_done, .destroy = on_destroy,
    .release = free,
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
    memory_tool_init(&w->tool, host, host->go_to, data, STRINGS_CELL_COUNT);
    return tool_window_open_kind(owner, &strings_kind, w);   /* NULL: w was freed */
}

void strings_window_set_target(HWND hwnd, target_data *data)
{
    strings_window *w = window_of(hwnd);
    if (w)
        memory_tool_set_target(&w->tool, data);
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
    return w ? memory_tool_write_text(&w->tool, w->shown, w->shown_count, f) : -1;
}
