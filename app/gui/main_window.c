#include "main_window.h"

#include <commctrl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windowsx.h>
#include "gui_capture.h"
#include "gui_util.h"
#include "info_dialogs.h"
#include "process_dialog.h"
#include "region_list.h"
#include "region_rows.h"
#include "res/resource.h"
#include "scan_worker.h"
#include "summary_pane.h"
#include "target_pane.h"

#define MAIN_WINDOW_CLASS L"ProcessMemoryMap.Main"
#define WM_APP_SELECT_PROCESS (WM_APP + 3)
#define TIMER_SCREENSHOT 1
#define MAX_RETIRED_JOBS 8

#ifndef WM_DPICHANGED
#define WM_DPICHANGED 0x02E0
#endif

enum status_part { PART_TARGET, PART_PID, PART_BITS, PART_REGIONS, PART_TIME, PART_WARNINGS, PART_PROGRESS, PART_COUNT };

typedef struct main_window {
    HWND hwnd, status, progress;
    summary_pane summary;
    target_pane target;
    region_list list;
    region_rows rows;
    pmm_map *map;                 /* the map on screen; rows and summary borrow it */
    scan_job *job;                /* the scan in progress, if any */
    scan_job *retired[MAX_RETIRED_JOBS];   /* cancelled scans still winding down */
    uint32_t pid;
    int has_target;
    main_options options;
    int options_applied;
    UINT dpi;
    HFONT font;
    int exit_code;
} main_window;

static main_window *window_of(HWND hwnd)
{
    return (main_window *)GetWindowLongPtrW(hwnd, GWLP_USERDATA);
}

/* ---- status bar ---- */

static void set_status_text(main_window *w, int part, const char *text)
{
    wchar_t wide[1200];
    gui_utf8_to_wide(text, wide, sizeof wide / sizeof wide[0]);
    SendMessageW(w->status, SB_SETTEXTW, (WPARAM)part, (LPARAM)wide);
}

static void layout_status_parts(main_window *w, int width)
{
    static const int fixed[PART_COUNT] = {0, 84, 118, 200, 128, 96, 160};
    /* edges[p] is the right edge of part p; the target part takes what the others leave. */
    int edges[PART_COUNT];
    int acc = width;
    for (int p = PART_COUNT - 1; p > 0; p--) {
        edges[p] = p == PART_COUNT - 1 ? -1 : acc;
        acc -= gui_scale(fixed[p], w->dpi);
    }
    edges[PART_TARGET] = acc > gui_scale(120, w->dpi) ? acc : gui_scale(120, w->dpi);
    SendMessageW(w->status, SB_SETPARTS, PART_COUNT, (LPARAM)edges);
    RECT r;
    if (SendMessageW(w->status, SB_GETRECT, PART_PROGRESS, (LPARAM)&r)) {
        InflateRect(&r, -gui_scale(3, w->dpi), -gui_scale(2, w->dpi));
        SetWindowPos(w->progress, NULL, r.left, r.top, r.right - r.left, r.bottom - r.top, SWP_NOZORDER | SWP_NOACTIVATE);
    }
}

static void update_status(main_window *w)
{
    char text[1200];
    const pmm_map *map = w->map;
    if (!map) {
        set_status_text(w, PART_TARGET, w->job ? "Scanning..." : "No process selected. Press Ctrl+P to select one.");
        for (int p = PART_PID; p < PART_PROGRESS; p++)
            set_status_text(w, p, "");
        if (w->job) {
            snprintf(text, sizeof text, "PID %u", (unsigned)w->pid);
            set_status_text(w, PART_PID, text);
        }
        return;
    }
    const pmm_target_info *t = &map->target;
    /* The name only: the path is in the target pane, and a long one would crowd out the rest. */
    set_status_text(w, PART_TARGET, t->name[0] ? t->name : "?");
    snprintf(text, sizeof text, "PID %u", (unsigned)t->pid);
    set_status_text(w, PART_PID, text);
    snprintf(text, sizeof text, "%s%s", t->pointer_size == 4 ? "32-bit" : "64-bit", t->wow64 ? " (WOW64)" : "");
    set_status_text(w, PART_BITS, text);
    snprintf(text, sizeof text, "%zu regions, %zu allocations", map->region_count, map->allocation_count);
    set_status_text(w, PART_REGIONS, text);
    if (w->job)
        snprintf(text, sizeof text, "Refreshing...");
    else
        snprintf(text, sizeof text, "Scanned in %llu ms", (unsigned long long)(map->scan_microseconds / 1000));
    set_status_text(w, PART_TIME, text);
    if (map->warning_count)
        snprintf(text, sizeof text, "%zu not read", map->warning_count);
    else
        snprintf(text, sizeof text, "All read");
    set_status_text(w, PART_WARNINGS, text);
}

static void update_title(main_window *w)
{
    char text[400];
    if (w->map)
        snprintf(text, sizeof text, "%s (PID %u, %s) - ProcessMemoryMap", w->map->target.name[0] ? w->map->target.name : "?",
                 (unsigned)w->map->target.pid, w->map->target.pointer_size == 4 ? "32-bit" : "64-bit");
    else
        snprintf(text, sizeof text, "ProcessMemoryMap");
    wchar_t wide[400];
    gui_utf8_to_wide(text, wide, 400);
    SetWindowTextW(w->hwnd, wide);
}

/* ---- layout and fonts ---- */

static void layout(main_window *w)
{
    RECT client, status;
    GetClientRect(w->hwnd, &client);
    SendMessageW(w->status, WM_SIZE, 0, 0);
    GetWindowRect(w->status, &status);
    int status_h = status.bottom - status.top;
    layout_status_parts(w, client.right);
    int margin = gui_scale(4, w->dpi);
    int width = client.right - 2 * margin;
    int summary_h = summary_pane_height(&w->summary);
    int list_top = margin + summary_h + margin;
    int list_h = client.bottom - status_h - margin - list_top;
    /* The summary gets the width of its columns; the target pane takes the rest of the row. */
    int summary_w = summary_pane_width(&w->summary);
    if (summary_w > width * 3 / 5)
        summary_w = width * 3 / 5;
    int target_x = margin + summary_w + margin;
    int target_w = client.right - margin - target_x;
    HDWP defer = BeginDeferWindowPos(3);
    defer = DeferWindowPos(defer, w->summary.hwnd, NULL, margin, margin, summary_w, summary_h, SWP_NOZORDER | SWP_NOACTIVATE);
    defer = DeferWindowPos(defer, w->target.hwnd, NULL, target_x, margin, target_w > 0 ? target_w : 0, summary_h,
                           SWP_NOZORDER | SWP_NOACTIVATE);
    defer = DeferWindowPos(defer, w->list.hwnd, NULL, margin, list_top, width, list_h > 0 ? list_h : 0,
                           SWP_NOZORDER | SWP_NOACTIVATE);
    EndDeferWindowPos(defer);
    target_pane_fit(&w->target);
    region_list_fit(&w->list);
}

static void apply_font(main_window *w)
{
    HFONT old = w->font;
    w->font = gui_create_ui_font(w->dpi, 0);
    SendMessageW(w->summary.hwnd, WM_SETFONT, (WPARAM)w->font, TRUE);
    SendMessageW(w->target.hwnd, WM_SETFONT, (WPARAM)w->font, TRUE);
    SendMessageW(w->list.hwnd, WM_SETFONT, (WPARAM)w->font, TRUE);
    SendMessageW(w->status, WM_SETFONT, (WPARAM)w->font, TRUE);
    if (old)
        DeleteObject(old);
}

/* ---- scanning ---- */

static void retire_job(main_window *w, scan_job *job)
{
    scan_job_cancel(job);
    for (int i = 0; i < MAX_RETIRED_JOBS; i++)
        if (!w->retired[i]) {
            w->retired[i] = job;
            return;
        }
    scan_job_free(job);   /* too many at once: wait for this one */
}

static void start_scan(main_window *w, uint32_t pid)
{
    if (w->job) {
        retire_job(w, w->job);
        w->job = NULL;
    }
    w->pid = pid;
    w->has_target = 1;
    w->job = scan_job_start(w->hwnd, pid);
    if (!w->job) {
        gui_error(w->hwnd, "The scan could not be started (no thread could be created). Close other programs and "
                           "press F5.");
        return;
    }
    SendMessageW(w->progress, PBM_SETPOS, 0, 0);
    ShowWindow(w->progress, SW_SHOWNA);
    update_status(w);
}

/* Bases of the expanded allocations, to expand them again in the next map of the same process. */
static uint64_t *expanded_bases(const main_window *w, size_t *count)
{
    *count = 0;
    if (!w->map || !w->rows.expanded)
        return NULL;
    uint64_t *bases = malloc((w->map->allocation_count + 1) * sizeof *bases);
    if (!bases)
        return NULL;
    for (size_t n = 0; n < w->map->allocation_count; n++)
        if (w->rows.expanded[n])
            bases[(*count)++] = w->map->regions[w->map->allocation_first[n]].base;
    return bases;
}

static void finish_unattended(main_window *w)
{
    if (w->options.dump_rows) {
        if (gui_write_rows(&w->rows, w->options.dump_rows) != 0) {
            gui_error(w->hwnd, "The rows could not be written (--dump-rows).");
            w->exit_code = 1;
        }
    }
    if (w->options.screenshot && w->exit_code == 0) {
        /* Let the list paint first; the capture copies what is on screen. */
        SetTimer(w->hwnd, TIMER_SCREENSHOT, 600, NULL);
        return;
    }
    DestroyWindow(w->hwnd);
}

static void show_map(main_window *w, pmm_map *map)
{
    int same_process = w->map && map->target.pid == w->map->target.pid;
    size_t expanded_count = 0;
    uint64_t *expanded = same_process ? expanded_bases(w, &expanded_count) : NULL;
    uint64_t focus_address = 0;
    int has_focus = 0;
    int focused = ListView_GetNextItem(w->list.hwnd, -1, LVNI_FOCUSED);
    if (same_process && focused >= 0 && (size_t)focused < w->rows.count) {
        const region_row *r = &w->rows.rows[region_rows_parent(&w->rows, (size_t)focused)];
        focus_address = w->map->regions[w->map->allocation_first[r->index]].base;
        has_focus = 1;
    }

    pmm_map *old = w->map;
    w->map = map;
    if (region_rows_set_map(&w->rows, map) != PMM_OK)
        gui_error(w->hwnd, "Not enough memory to show the map. Close other programs and press F5.");
    pmm_map_free(old);

    for (size_t i = 0; i < expanded_count; i++) {
        size_t region = pmm_map_find(map, expanded[i]);
        if (region != PMM_NO_INDEX && map->regions[region].base == expanded[i])
            w->rows.expanded[pmm_map_find_allocation(map, region)] = 1;
    }
    free(expanded);
    if (expanded_count)
        region_rows_rebuild(&w->rows);

    if (!w->options_applied) {
        w->options_applied = 1;
        if (w->options.hide_free)
            region_rows_set_show_free(&w->rows, 0);
        if (w->options.filter != REGION_FILTER_ALL)
            region_rows_set_filter(&w->rows, w->options.filter);
        if (w->options.expand_all)
            region_rows_expand_all(&w->rows, 1);
    }

    size_t focus_row = w->rows.count ? 0 : PMM_NO_INDEX;
    if (has_focus) {
        size_t region = pmm_map_find(map, focus_address);
        size_t row = region == PMM_NO_INDEX ? PMM_NO_INDEX
                                            : region_rows_find_allocation(&w->rows, pmm_map_find_allocation(map, region));
        if (row != PMM_NO_INDEX)
            focus_row = row;
    }
    summary_pane_set_map(&w->summary, map);
    target_pane_set_map(&w->target, map);
    summary_pane_show_filter(&w->summary, w->rows.filter);
    region_list_set_pointer_size(&w->list, map->target.pointer_size);
    region_list_refresh(&w->list, focus_row);
    update_title(w);
    update_status(w);
    layout(w);
}

static void on_scan_done(main_window *w, scan_job *job)
{
    if (job != w->job) {
        for (int i = 0; i < MAX_RETIRED_JOBS; i++)
            if (w->retired[i] == job)
                w->retired[i] = NULL;
        scan_job_free(job);
        return;
    }
    w->job = NULL;
    ShowWindow(w->progress, SW_HIDE);
    pmm_map *map = scan_job_take_map(job);
    pmm_status status = job->status;
    char message[sizeof job->message];
    memcpy(message, job->message, sizeof message);
    scan_job_free(job);

    if (map) {
        show_map(w, map);
        if (gui_unattended())
            finish_unattended(w);
        return;
    }
    update_status(w);
    if (gui_unattended()) {
        gui_error(w->hwnd, message);
        w->exit_code = 1;
        DestroyWindow(w->hwnd);
        return;
    }
    if (status != PMM_ERR_CANCELLED)
        gui_error(w->hwnd, message);
}

static void on_screenshot_timer(main_window *w)
{
    KillTimer(w->hwnd, TIMER_SCREENSHOT);
    RedrawWindow(w->hwnd, NULL, NULL, RDW_INVALIDATE | RDW_UPDATENOW | RDW_ALLCHILDREN | RDW_FRAME);
    GdiFlush();
    if (gui_save_window_bmp(w->hwnd, w->options.screenshot) != 0) {
        gui_error(w->hwnd, "The screenshot could not be written (--screenshot).");
        w->exit_code = 1;
    }
    DestroyWindow(w->hwnd);
}

/* ---- commands ---- */

static void select_process(main_window *w)
{
    uint32_t pid;
    if (process_dialog_run(w->hwnd, &pid))
        start_scan(w, pid);
}

static void set_filter(main_window *w, uint32_t filter)
{
    size_t row = ListView_GetNextItem(w->list.hwnd, -1, LVNI_FOCUSED) >= 0
                     ? (size_t)ListView_GetNextItem(w->list.hwnd, -1, LVNI_FOCUSED)
                     : PMM_NO_INDEX;
    size_t allocation = row != PMM_NO_INDEX && row < w->rows.count
                            ? w->rows.rows[region_rows_parent(&w->rows, row)].index
                            : PMM_NO_INDEX;
    region_rows_set_filter(&w->rows, filter);
    size_t focus = allocation == PMM_NO_INDEX ? PMM_NO_INDEX : region_rows_find_allocation(&w->rows, allocation);
    region_list_refresh(&w->list, focus != PMM_NO_INDEX ? focus : (w->rows.count ? 0 : PMM_NO_INDEX));
    summary_pane_show_filter(&w->summary, w->rows.filter);
}

static void OnCommand(HWND hwnd, int id, HWND control, UINT code)
{
    main_window *w = window_of(hwnd);
    (void)control;
    (void)code;
    switch (id) {
    case ID_FILE_SELECT_PROCESS: select_process(w); break;
    case ID_FILE_REFRESH:
        if (w->has_target)
            start_scan(w, w->pid);
        else
            select_process(w);
        break;
    case ID_FILE_EXIT: DestroyWindow(hwnd); break;
    case ID_EDIT_COPY: region_list_copy(&w->list, hwnd); break;
    case ID_EDIT_SELECT_ALL: region_list_select_all(&w->list); break;
    case ID_VIEW_EXPAND_ALL:
    case ID_VIEW_COLLAPSE_ALL:
        region_rows_expand_all(&w->rows, id == ID_VIEW_EXPAND_ALL);
        region_list_refresh(&w->list, w->rows.count ? 0 : PMM_NO_INDEX);
        break;
    case ID_VIEW_SHOW_FREE:
        region_rows_set_show_free(&w->rows, !w->rows.show_free);
        region_list_refresh(&w->list, w->rows.count ? 0 : PMM_NO_INDEX);
        break;
    case ID_VIEW_ALL_TYPES: set_filter(w, REGION_FILTER_ALL); break;
    case ID_VIEW_WARNINGS: warnings_dialog_run(hwnd, w->map); break;
    case ID_HELP_ABOUT: about_dialog_run(hwnd); break;
    }
}

static void OnInitMenuPopup(HWND hwnd, HMENU menu, UINT item, BOOL system_menu)
{
    main_window *w = window_of(hwnd);
    (void)item;
    if (system_menu)
        return;
    UINT has_map = w->map ? MF_ENABLED : MF_GRAYED;
    CheckMenuItem(menu, ID_VIEW_SHOW_FREE, w->rows.show_free ? MF_CHECKED : MF_UNCHECKED);
    EnableMenuItem(menu, ID_VIEW_ALL_TYPES, w->rows.filter != REGION_FILTER_ALL ? MF_ENABLED : MF_GRAYED);
    EnableMenuItem(menu, ID_VIEW_WARNINGS, has_map);
    EnableMenuItem(menu, ID_VIEW_EXPAND_ALL, has_map);
    EnableMenuItem(menu, ID_VIEW_COLLAPSE_ALL, has_map);
    EnableMenuItem(menu, ID_EDIT_COPY, has_map);
    EnableMenuItem(menu, ID_EDIT_SELECT_ALL, has_map);
}

/* ---- window procedure ---- */

static BOOL OnCreate(HWND hwnd, LPCREATESTRUCTW create)
{
    main_window *w = window_of(hwnd);
    (void)create;
    w->hwnd = hwnd;
    w->dpi = gui_dpi_for_window(hwnd);
    region_rows_init(&w->rows);
    if (!summary_pane_create(&w->summary, hwnd, IDC_SUMMARY, w->dpi) ||
        !target_pane_create(&w->target, hwnd, IDC_TARGET, w->dpi) ||
        !region_list_create(&w->list, hwnd, IDC_REGIONS, &w->rows, w->dpi))
        return FALSE;
    w->status = CreateWindowExW(0, STATUSCLASSNAMEW, NULL, WS_CHILD | WS_VISIBLE | SBARS_SIZEGRIP | SBARS_TOOLTIPS, 0,
                                0, 0, 0, hwnd, (HMENU)(INT_PTR)IDC_STATUS, GetModuleHandleW(NULL), NULL);
    w->progress = CreateWindowExW(0, PROGRESS_CLASSW, NULL, WS_CHILD | PBS_SMOOTH, 0, 0, 0, 0, w->status,
                                  (HMENU)(INT_PTR)IDC_PROGRESS, GetModuleHandleW(NULL), NULL);
    if (!w->status || !w->progress)
        return FALSE;
    SendMessageW(w->progress, PBM_SETRANGE32, 0, 1000);
    apply_font(w);
    region_rows_set_show_free(&w->rows, 1);
    update_status(w);
    if (w->options.has_pid)
        start_scan(w, w->options.pid);
    else
        PostMessageW(hwnd, WM_APP_SELECT_PROCESS, 0, 0);
    return TRUE;
}

static void OnSize(HWND hwnd, UINT state, int cx, int cy)
{
    (void)state;
    (void)cx;
    (void)cy;
    layout(window_of(hwnd));
}

static LRESULT OnNotify(HWND hwnd, int id, NMHDR *hdr)
{
    main_window *w = window_of(hwnd);
    LRESULT result = 0;
    int filter_changed;
    uint32_t filter;
    (void)id;
    if (summary_pane_notify(&w->summary, hdr, &result, &filter_changed, &filter)) {
        if (filter_changed)
            set_filter(w, filter);
        return result;
    }
    if (target_pane_notify(&w->target, hdr, &result))
        return result;
    if (region_list_notify(&w->list, hdr, &result))
        return result;
    if (hdr->hwndFrom == w->status && hdr->code == NM_CLICK) {
        NMMOUSE *mouse = (NMMOUSE *)hdr;
        if (mouse->dwItemSpec == PART_WARNINGS && w->map)
            warnings_dialog_run(hwnd, w->map);
        return TRUE;
    }
    return 0;
}

static void OnGetMinMaxInfo(HWND hwnd, LPMINMAXINFO info)
{
    main_window *w = window_of(hwnd);
    UINT dpi = w ? w->dpi : 96;
    info->ptMinTrackSize.x = gui_scale(480, dpi);
    info->ptMinTrackSize.y = gui_scale(400, dpi);
}

static void OnTimer(HWND hwnd, UINT id)
{
    if (id == TIMER_SCREENSHOT)
        on_screenshot_timer(window_of(hwnd));
}

static void OnSetFocus(HWND hwnd, HWND old)
{
    (void)old;
    SetFocus(window_of(hwnd)->list.hwnd);
}

static void on_dpi_changed(main_window *w, UINT dpi, const RECT *suggested)
{
    w->dpi = dpi;
    apply_font(w);
    summary_pane_set_dpi(&w->summary, dpi);
    target_pane_set_dpi(&w->target, dpi);
    region_list_set_dpi(&w->list, dpi);
    SetWindowPos(w->hwnd, NULL, suggested->left, suggested->top, suggested->right - suggested->left,
                 suggested->bottom - suggested->top, SWP_NOZORDER | SWP_NOACTIVATE);
    layout(w);
}

static void OnDestroy(HWND hwnd)
{
    main_window *w = window_of(hwnd);
    KillTimer(hwnd, TIMER_SCREENSHOT);
    scan_job_free(w->job);
    w->job = NULL;
    for (int i = 0; i < MAX_RETIRED_JOBS; i++) {
        scan_job_free(w->retired[i]);
        w->retired[i] = NULL;
    }
    region_list_destroy(&w->list);
    region_rows_free(&w->rows);
    pmm_map_free(w->map);
    w->map = NULL;
    if (w->font)
        DeleteObject(w->font);
    w->font = NULL;
    PostQuitMessage(w->exit_code);
}

static LRESULT CALLBACK main_window_proc(HWND hwnd, UINT msg, WPARAM wParam, LPARAM lParam)
{
    main_window *w = window_of(hwnd);
    switch (msg) {
    case WM_NCCREATE: {
        CREATESTRUCTW *create = (CREATESTRUCTW *)lParam;
        SetWindowLongPtrW(hwnd, GWLP_USERDATA, (LONG_PTR)create->lpCreateParams);
        break;
    }
    HANDLE_MSG(hwnd, WM_CREATE, OnCreate);
    HANDLE_MSG(hwnd, WM_SIZE, OnSize);
    HANDLE_MSG(hwnd, WM_NOTIFY, OnNotify);
    HANDLE_MSG(hwnd, WM_COMMAND, OnCommand);
    HANDLE_MSG(hwnd, WM_INITMENUPOPUP, OnInitMenuPopup);
    HANDLE_MSG(hwnd, WM_GETMINMAXINFO, OnGetMinMaxInfo);
    HANDLE_MSG(hwnd, WM_TIMER, OnTimer);
    HANDLE_MSG(hwnd, WM_SETFOCUS, OnSetFocus);
    HANDLE_MSG(hwnd, WM_DESTROY, OnDestroy);
    case WM_DPICHANGED:
        if (w)
            on_dpi_changed(w, HIWORD(wParam), (const RECT *)lParam);
        return 0;
    case WM_APP_SCAN_PROGRESS:
        if (w && (scan_job *)lParam == w->job)
            SendMessageW(w->progress, PBM_SETPOS, wParam, 0);
        return 0;
    case WM_APP_SCAN_DONE:
        if (w)
            on_scan_done(w, (scan_job *)lParam);
        return 0;
    case WM_APP_SELECT_PROCESS:
        if (w)
            select_process(w);
        return 0;
    case WM_NCDESTROY:
        if (w)
            free(w);
        SetWindowLongPtrW(hwnd, GWLP_USERDATA, 0);
        break;
    }
    return DefWindowProcW(hwnd, msg, wParam, lParam);
}

int main_window_register(HINSTANCE instance)
{
    WNDCLASSEXW wc = {0};
    wc.cbSize = sizeof wc;
    wc.lpfnWndProc = main_window_proc;
    wc.hInstance = instance;
    wc.hIcon = LoadIconW(instance, MAKEINTRESOURCEW(IDI_APP));
    wc.hIconSm = (HICON)LoadImageW(instance, MAKEINTRESOURCEW(IDI_APP), IMAGE_ICON, GetSystemMetrics(SM_CXSMICON),
                                   GetSystemMetrics(SM_CYSMICON), 0);
    wc.hCursor = LoadCursorW(NULL, (LPCWSTR)IDC_ARROW);
    wc.hbrBackground = (HBRUSH)(COLOR_BTNFACE + 1);
    wc.lpszMenuName = MAKEINTRESOURCEW(IDR_MAIN_MENU);
    wc.lpszClassName = MAIN_WINDOW_CLASS;
    return RegisterClassExW(&wc) != 0;
}

HWND main_window_create(HINSTANCE instance, const main_options *options, int show)
{
    main_window *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->options = *options;
    /* A size that shows every column at 96 DPI, kept inside the work area. */
    RECT work;
    SystemParametersInfoW(SPI_GETWORKAREA, 0, &work, 0);
    HDC dc = GetDC(NULL);
    int dpi = GetDeviceCaps(dc, LOGPIXELSY);
    ReleaseDC(NULL, dc);
    int width = gui_scale(1180, (UINT)dpi), height = gui_scale(780, (UINT)dpi);
    if (width > work.right - work.left)
        width = work.right - work.left;
    if (height > work.bottom - work.top)
        height = work.bottom - work.top;
    int x = CW_USEDEFAULT, y = CW_USEDEFAULT;
    if (gui_unattended()) {
        /* Fully on screen, so the capture shows all of it. */
        x = work.left;
        y = work.top;
    }
    HWND hwnd = CreateWindowExW(0, MAIN_WINDOW_CLASS, L"ProcessMemoryMap", WS_OVERLAPPEDWINDOW | WS_CLIPCHILDREN, x, y,
                                width, height, NULL, NULL, instance, w);
    if (!hwnd)
        return NULL;   /* WM_NCDESTROY freed w */
    ShowWindow(hwnd, show);
    UpdateWindow(hwnd);
    return hwnd;
}
