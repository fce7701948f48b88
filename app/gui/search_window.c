#include "search_window.h"

#include <commctrl.h>
#include <stdlib.h>
#include <string.h>
#include <windowsx.h>
#include "core/util/text.h"
#include "gui_util.h"
#include "memory_tool.h"
#include "res/resource.h"
#include "tool_window.h"

#define SEARCH_WINDOW_CLASS L"ProcessMemoryMap.Search"

typedef struct search_kind_choice {
    const char *name;            /* for search_window_start */
    const wchar_t *label;
    pmm_search_kind kind;
    unsigned width;              /* integers */
} search_kind_choice;

static const search_kind_choice kinds[] = {
    {"ansi", L"ANSI text", PMM_SEARCH_ANSI, 0},
    {"utf16", L"UTF-16 text", PMM_SEARCH_UTF16, 0},
    {"hex", L"Hex bytes (?? = any byte)", PMM_SEARCH_HEX, 0},
    {"int8", L"8-bit integer", PMM_SEARCH_INT, 8},
    {"int16", L"16-bit integer", PMM_SEARCH_INT, 16},
    {"int32", L"32-bit integer", PMM_SEARCH_INT, 32},
    {"int64", L"64-bit integer", PMM_SEARCH_INT, 64},
    {"float", L"Float (32-bit)", PMM_SEARCH_FLOAT, 0},
    {"double", L"Double (64-bit)", PMM_SEARCH_DOUBLE, 0},
};
#define KIND_COUNT (sizeof kinds / sizeof kinds[0])

static const results_column columns[] = {
    {"Address", 130, 0}, {"Type", 80, 0}, {"Where", 250, 0}, {"Symbol", 210, 0}, {"Bytes", 300, 0}, {"Text", 130, 0}};

static const memory_tool_ids ids = {
    .start = IDC_SEARCH_START, .cancel = IDC_SEARCH_CANCEL, .max = IDC_SEARCH_MAX, .progress = IDC_SEARCH_PROGRESS,
    .status = IDC_SEARCH_STATUS, .list = IDC_SEARCH_RESULTS, .scope_first = IDC_SEARCH_SCOPE_FIRST};

typedef struct search_window {
    memory_tool tool;            /* first: its callbacks take a search_window */
    HWND kind, text, ignore_case, is_signed, more;
    int appending;               /* the running job continues the last one (More) */
    uint64_t resume_address;     /* the last search stopped at the cap; the next hit is here */
    int can_resume;
} search_window;

static search_window *window_of(HWND hwnd)
{
    return tool_window_self(hwnd, SEARCH_WINDOW_CLASS);
}

static void show_running(search_window *w, int running)
{
    memory_tool_show_running(&w->tool, running);
    EnableWindow(w->more, !running && w->can_resume);
}

/* Only the options that go with the chosen kind are enabled. */
static void update_options(search_window *w)
{
    int k = ComboBox_GetCurSel(w->kind);
    pmm_search_kind kind = k >= 0 && (size_t)k < KIND_COUNT ? kinds[k].kind : PMM_SEARCH_ANSI;
    EnableWindow(w->ignore_case, kind == PMM_SEARCH_ANSI || kind == PMM_SEARCH_UTF16);
    EnableWindow(w->is_signed, kind == PMM_SEARCH_INT);
}

/* ---- starting and finishing a search ---- */

static char *window_text(HWND control)
{
    int n = GetWindowTextLengthW(control);
    wchar_t *wide = malloc(((size_t)n + 1) * sizeof *wide);
    if (!wide)
        return NULL;
    GetWindowTextW(control, wide, n + 1);
    char *utf8 = gui_wide_to_utf8_alloc(wide);
    free(wide);
    return utf8;
}

/* Compiles the pattern from the controls; 0 with the reason in message. */
static int compile_pattern(search_window *w, pmm_search_pattern *pattern, char *message, size_t cap)
{
    int k = ComboBox_GetCurSel(w->kind);
    if (k < 0 || (size_t)k >= KIND_COUNT)
        k = 0;
    char *text = window_text(w->text);
    if (!text) {
        snprintf(message, cap, "Not enough memory for the pattern.");
        return 0;
    }
    pmm_search_spec spec = {0};
    spec.kind = kinds[k].kind;
    spec.text = text;
    spec.width = kinds[k].width;
    spec.ignore_case = IsWindowEnabled(w->ignore_case) && Button_GetCheck(w->ignore_case) == BST_CHECKED;
    spec.is_signed = spec.kind == PMM_SEARCH_INT && Button_GetCheck(w->is_signed) == BST_CHECKED;
    char why[256];
    pmm_status st = pmm_search_compile(&spec, pattern, why, sizeof why);
    if (st != PMM_OK)
        snprintf(message, cap, "The pattern cannot be searched for (%ls): %s.", kinds[k].label, why);
    free(text);
    return st == PMM_OK;
}

/* more: continue where the last search stopped at the cap, adding to its hits. */
static int start_search(search_window *w, int more, char *message, size_t cap)
{
    memory_tool *t = &w->tool;
    if (t->job)
        return 1;
    if (!memory_tool_has_memory(t, "search", message, cap))
        return 0;
    pmm_search_options options = {0};
    if (!scope_controls_read(&t->scope, &options.scope, message, cap) ||
        !memory_tool_read_max(t, &options.max_hits, message, cap))
        return 0;
    pmm_search_pattern pattern;
    if (!compile_pattern(w, &pattern, message, cap))
        return 0;
    more = more && w->can_resume;
    if (more)
        options.scope.start = w->resume_address;
    t->job = memory_job_search(t->hwnd, t->data, &pattern, &options);
    if (!t->job) {
        snprintf(message, cap, "The search could not be started (no thread could be created).");
        return 0;
    }
    w->appending = more;
    w->can_resume = 0;
    if (!more) {
        result_rows_free(&t->rows);
        results_list_set_rows(&t->list, NULL, t->pointer_size);
    }
    show_running(w, 1);
    memory_tool_set_status(t, "Searching...");
    return 1;
}

static void on_start(search_window *w, int more)
{
    char message[512];
    if (!start_search(w, more, message, sizeof message))
        gui_error(w->tool.hwnd, message);
}

/* hits: shown in all (with those of earlier runs when the job continued one). */
static void summarize(search_window *w, const memory_result *job, size_t hits)
{
    char text[400], n1[32], n2[32], n3[32], n4[32];
    int n = snprintf(text, sizeof text, "%s hit%s; %s regions, %s bytes searched in %s ms",
                     pmm_count_text(hits, n1, sizeof n1), hits == 1 ? "" : "s",
                     pmm_count_text(job->regions, n2, sizeof n2), pmm_count_text(job->bytes, n3, sizeof n3),
                     pmm_count_text(job->microseconds / 1000, n4, sizeof n4));
    if (job->unreadable_pages && n > 0 && (size_t)n < sizeof text)
        n += snprintf(text + n, sizeof text - (size_t)n, "; %s bytes in %s places could not be read",
                      pmm_count_text(job->unreadable_bytes, n1, sizeof n1),
                      pmm_count_text(job->unreadable_pages, n2, sizeof n2));
    if (job->truncated && n > 0 && (size_t)n < sizeof text)
        snprintf(text + n, sizeof text - (size_t)n, "; stopped at the cap, more hits from 0x%llX (press More)",
                 (unsigned long long)job->resume_address);
    if (job->status == PMM_ERR_CANCELLED)
        snprintf(text, sizeof text, "Cancelled: %zu hits so far", hits);
    memory_tool_set_status(&w->tool, text);
}

static void on_done(void *self, gui_job *done)
{
    search_window *w = self;
    memory_tool *t = &w->tool;
    memory_result *job = memory_tool_finish(t, done);
    if (!job)
        return;
    size_t first_new = w->appending ? t->rows.count : 0;
    if (!w->appending)
        result_rows_free(&t->rows);
    if (result_rows_append(&t->rows, &job->rows) != PMM_OK && job->status == PMM_OK) {
        job->status = PMM_ERR_NOMEM;
        snprintf(job->message, sizeof job->message, "Not enough memory to add these hits. Close other programs "
                 "or lower Max results.");
    }
    w->can_resume = job->status == PMM_OK && job->truncated;
    w->resume_address = job->resume_address;
    summarize(w, job, t->rows.count);
    results_list_set_rows(&t->list, &t->rows, t->pointer_size);
    if (w->can_resume) {   /* said in the list itself, where the eye is, not only in the status line */
        char note[200], count[32];
        snprintf(note, sizeof note, "Stopped at the cap after %s hits: press More for the hits from 0x%llX",
                 pmm_count_text(t->rows.count, count, sizeof count), (unsigned long long)w->resume_address);
        results_list_set_note(&t->list, note);
    }
    if (first_new && first_new < t->rows.count) {
        ListView_SetItemState(t->list.hwnd, -1, 0, LVIS_SELECTED | LVIS_FOCUSED);
        ListView_SetItemState(t->list.hwnd, (int)first_new, LVIS_SELECTED | LVIS_FOCUSED, LVIS_SELECTED | LVIS_FOCUSED);
        ListView_EnsureVisible(t->list.hwnd, (int)first_new, FALSE);
    }
    EnableWindow(w->more, w->can_resume);
    memory_tool_end(t, done);
}

/* ---- layout ---- */

static void layout(void *self)
{
    search_window *w = self;
    memory_tool *t = &w->tool;
    RECT client;
    GetClientRect(t->hwnd, &client);
    UINT dpi = t->dpi;
    int m = gui_scale(8, dpi), gap = gui_scale(6, dpi), row_h = gui_scale(23, dpi);
    int button_w = gui_scale(80, dpi), kind_w = gui_scale(190, dpi);
    int y = m, right = client.right - m;
    gui_place(w->kind, m, y, kind_w, gui_scale(300, dpi));
    gui_place(t->cancel, right - button_w, y, button_w, row_h);
    gui_place(t->start, right - 2 * button_w - gap, y, button_w, row_h);
    int text_x = m + kind_w + gap;
    gui_place(w->text, text_x, y, right - 2 * button_w - 2 * gap - text_x, row_h);
    y += row_h + gap;
    int x = m;
    gui_place(w->ignore_case, x, y, gui_scale(100, dpi), gui_scale(20, dpi));
    x += gui_scale(106, dpi);
    gui_place(w->is_signed, x, y, gui_scale(70, dpi), gui_scale(20, dpi));
    x += gui_scale(88, dpi);
    gui_place(t->max_label, x, y + gui_scale(3, dpi), gui_scale(80, dpi), gui_scale(20, dpi));
    x += gui_scale(80, dpi);
    gui_place(t->max, x, y, gui_scale(70, dpi), gui_scale(21, dpi));
    x += gui_scale(90, dpi);
    gui_place(w->more, right - button_w, y - gui_scale(1, dpi), button_w, row_h);
    gui_place(t->progress, x, y + gui_scale(2, dpi), right - button_w - gap - x, gui_scale(16, dpi));
    y += gui_scale(20, dpi) + gap;
    y += scope_controls_layout(&t->scope, m, y, dpi) + gap;
    memory_tool_place_results(t, y);
}

static int create_controls(search_window *w)
{
    memory_tool *t = &w->tool;
    w->kind = memory_tool_child(t, WC_COMBOBOXW, L"", WS_TABSTOP | WS_VSCROLL | CBS_DROPDOWNLIST, 0, IDC_SEARCH_KIND);
    w->text = memory_tool_child(t, L"EDIT", L"", WS_TABSTOP | ES_AUTOHSCROLL, WS_EX_CLIENTEDGE, IDC_SEARCH_TEXT);
    memory_tool_create_buttons(t, L"&Search", &ids);
    w->more = memory_tool_child(t, L"BUTTON", L"&More", WS_TABSTOP | BS_PUSHBUTTON | WS_DISABLED, 0, IDC_SEARCH_MORE);
    w->ignore_case = memory_tool_child(t, L"BUTTON", L"I&gnore case", WS_TABSTOP | BS_AUTOCHECKBOX, 0,
                                       IDC_SEARCH_IGNORE_CASE);
    w->is_signed = memory_tool_child(t, L"BUTTON", L"Si&gned", WS_TABSTOP | BS_AUTOCHECKBOX, 0, IDC_SEARCH_SIGNED);
    memory_tool_create_max(t, L"10000", &ids);
    if (!w->kind || !w->text || !memory_tool_create_results(t, &ids, columns, sizeof columns / sizeof columns[0], "search"))
        return 0;
    for (size_t k = 0; k < KIND_COUNT; k++)
        ComboBox_AddString(w->kind, kinds[k].label);
    ComboBox_SetCurSel(w->kind, 0);
    SendMessageW(w->text, EM_SETCUEBANNER, TRUE, (LPARAM)L"Text, hex bytes (4D 5A ?? 00) or a number (123, 0x7B, -1, 2.5)");
    update_options(w);
    return 1;
}

/* ---- messages ---- */

static int on_create(void *self, HWND hwnd, UINT dpi, HFONT font)
{
    search_window *w = self;
    memory_tool_keep(&w->tool, hwnd, dpi, font);
    if (!create_controls(w))
        return 0;
    layout(w);
    memory_tool_set_status(&w->tool, "Type a pattern and press Enter. Double-click a hit (or press Enter on it) to go to it (code opens in the Disassembly tab).");
    return 1;
}

static void on_command(void *self, int id, UINT code)
{
    search_window *w = self;
    switch (id) {
    case IDOK:   /* Enter: on a hit goes there, anywhere else searches */
        if (!memory_tool_activate_focused(&w->tool))
            on_start(w, 0);
        break;
    case IDC_SEARCH_START: on_start(w, 0); break;
    case IDC_SEARCH_MORE: on_start(w, 1); break;
    case IDC_SEARCH_TEXT:
        if (code == EN_CHANGE && !w->tool.job) {   /* another pattern: nothing to continue */
            w->can_resume = 0;
            EnableWindow(w->more, FALSE);
        }
        break;
    case IDC_SEARCH_CANCEL: gui_job_cancel(w->tool.job); break;
    case IDC_SEARCH_KIND:
        if (code == CBN_SELCHANGE) {
            update_options(w);
            w->can_resume = 0;
            EnableWindow(w->more, FALSE);
        }
        break;
    case IDCANCEL: memory_tool_escape(&w->tool); break;
    }
}

static HWND focus_control(void *self)
{
    return ((search_window *)self)->text;
}

static void on_destroy(void *self)
{
    memory_tool_destroy(&((search_window *)self)->tool);
}

static const tool_window_kind search_kind = {
    .class_name = SEARCH_WINDOW_CLASS, .title = L"Find in Memory", .place = {30, 30, 1160, 560},
    .min_width = 640, .min_height = 300,
    .create = on_create, .layout = layout, .command = on_command, .notify = memory_tool_notify,
    .focus = focus_control, .job_progress = memory_tool_job_progress, .job_done = on_done, .destroy = on_destroy,
    .release = free,
};

int search_window_register(HINSTANCE instance)
{
    return tool_window_register_kind(instance, &search_kind);
}

HWND search_window_open(HWND owner, const tool_host *host, target_data *data)
{
    search_window *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    memory_tool_init(&w->tool, host, host->show_code, data, SEARCH_CELL_COUNT);
    return tool_window_open_kind(owner, &search_kind, w);   /* NULL: w was freed */
}

void search_window_set_target(HWND hwnd, target_data *data)
{
    search_window *w = window_of(hwnd);
    if (w)
        memory_tool_set_target(&w->tool, data);
}

/* "ansi-nocase", "sint32", "uint16" and the kind names of the table. */
static int find_kind(const char *name, int *ignore_case, int *is_signed)
{
    *ignore_case = *is_signed = 0;
    char base[32];
    snprintf(base, sizeof base, "%s", name);
    if (_stricmp(base, "ansi-nocase") == 0 || _stricmp(base, "utf16-nocase") == 0) {
        *ignore_case = 1;
        base[strlen(base) - 7] = '\0';
    } else if ((base[0] == 's' || base[0] == 'u') && strncmp(base + 1, "int", 3) == 0) {
        *is_signed = base[0] == 's';
        memmove(base, base + 1, strlen(base));
    }
    for (size_t k = 0; k < KIND_COUNT; k++)
        if (_stricmp(base, kinds[k].name) == 0)
            return (int)k;
    return -1;
}

int search_window_start(HWND hwnd, const char *kind, const char *text, char *message, size_t cap)
{
    search_window *w = window_of(hwnd);
    int ignore_case, is_signed;
    int k = find_kind(kind ? kind : "ansi", &ignore_case, &is_signed);
    if (!w || k < 0) {
        snprintf(message, cap, "Unknown search kind '%s' (ansi, ansi-nocase, utf16, hex, int8..int64, sint32, "
                 "float, double).", kind ? kind : "");
        return 0;
    }
    ComboBox_SetCurSel(w->kind, k);
    update_options(w);
    Button_SetCheck(w->ignore_case, ignore_case ? BST_CHECKED : BST_UNCHECKED);
    Button_SetCheck(w->is_signed, is_signed ? BST_CHECKED : BST_UNCHECKED);
    wchar_t wide[1024];
    gui_utf8_to_wide(text, wide, 1024);
    SetWindowTextW(w->text, wide);
    return start_search(w, 0, message, cap);
}

void search_window_set_max(HWND hwnd, const wchar_t *max)
{
    search_window *w = window_of(hwnd);
    if (w)
        SetWindowTextW(w->tool.max, max);
}

int search_window_more(HWND hwnd, char *message, size_t cap)
{
    search_window *w = window_of(hwnd);
    if (!w || !w->can_resume) {
        snprintf(message, cap, "The search did not stop at the cap: there is nothing more to search.");
        return 0;
    }
    return start_search(w, 1, message, cap);
}

int search_window_write_text(HWND hwnd, FILE *f)
{
    search_window *w = window_of(hwnd);
    return w ? memory_tool_write_text(&w->tool, NULL, 0, f) : -1;
}
