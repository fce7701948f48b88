#include "main_window.h"

#include <commctrl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windowsx.h>
#include "core/util/clock.h"
#include "core/util/names.h"
#include "core/util/text.h"
#include "exports_window.h"
#include "gui_util.h"
#include "info_dialogs.h"
#include "kdump_picker.h"
#include "main_pictures.h"
#include "main_tools.h"
#include "main_window_internal.h"
#include "process_dialog.h"
#include "res/resource.h"
#include "splitter.h"

#define MAIN_WINDOW_CLASS L"ProcessMemoryMap.Main"
#define WM_APP_SELECT_PROCESS (WM_APP + 3)
/* The file of the command line, opened once the window is up: a kernel dump's picker sits over it. */
#define WM_APP_OPEN_COMMAND_LINE (WM_APP + 6)
#define DEFAULT_DETAILS_HEIGHT 230   /* at 96 DPI */

#ifndef WM_DPICHANGED
#define WM_DPICHANGED 0x02E0
#endif

static main_window *window_of(HWND hwnd)
{
    return (main_window *)GetWindowLongPtrW(hwnd, GWLP_USERDATA);
}

/* ---- status bar ---- */

static void set_status_text(main_window *w, status_part part, const char *text)
{
    status_bar_set(&w->status, part, text);
}

static void layout_status(main_window *w)
{
    RECT client;
    GetClientRect(w->hwnd, &client);
    status_bar_layout(&w->status, client.right);
}

/* "explorer.exe (pid 4660)" or "kernel address space": which space of a kernel dump. */
static void kdump_space_name(const pmm_target *t, const pmm_map *map, char *buf, size_t cap)
{
    if (!t->selector || strcmp(t->selector, "kernel") == 0)
        snprintf(buf, cap, "kernel address space");
    else if (map && map->target.name[0])
        snprintf(buf, cap, "%s (pid %u)", map->target.name, (unsigned)map->target.pid);
    else
        snprintf(buf, cap, "process %s", t->selector);
}

static void target_label(const main_window *w, char *buf, size_t cap)
{
    const pmm_target *t = &w->current_target;
    char space[120];
    if (t->kind == PMM_TARGET_PROCESS) {
        snprintf(buf, cap, "PID %u", (unsigned)t->pid);
    } else if (t->kind == PMM_TARGET_KERNEL_DUMP) {
        kdump_space_name(t, NULL, space, sizeof space);
        snprintf(buf, cap, "%s (kernel dump) \xE2\x80\x94 %s", pmm_path_base_name(t->path), space);
    } else {
        snprintf(buf, cap, "%s %s", t->kind == PMM_TARGET_SAVED_MAP ? "Saved map" : "Minidump",
                 pmm_path_base_name(t->path));
    }
}

void main_update_status(main_window *w)
{
    char text[1200];
    const pmm_map *map = w->session.map;
    if (!map) {
        set_status_text(w, STATUS_TARGET, w->job ? "Scanning..." : "No process selected. Press Ctrl+P to select one.");
        for (int p = STATUS_PID; p < STATUS_PROGRESS; p++)
            set_status_text(w, (status_part)p, "");
        if (w->job) {
            target_label(w, text, sizeof text);
            set_status_text(w, STATUS_PID, text);
        }
        layout_status(w);
        return;
    }
    const pmm_target_info *t = &map->target;
    /* The name only: the path is in the target pane, and a long one would crowd out the rest. */
    set_status_text(w, STATUS_TARGET, t->name[0] ? t->name : "?");
    if (t->source_kind == PMM_SOURCE_MINIDUMP)
        snprintf(text, sizeof text, "Dump of PID %u", (unsigned)t->pid);
    else if (t->source_kind == PMM_SOURCE_KERNEL_DUMP && t->pid)
        snprintf(text, sizeof text, "Kernel dump, PID %u", (unsigned)t->pid);
    else if (t->source_kind == PMM_SOURCE_KERNEL_DUMP)
        snprintf(text, sizeof text, "Kernel dump: kernel");
    else if (t->source_kind == PMM_SOURCE_SAVED)
        snprintf(text, sizeof text, "Saved, PID %u", (unsigned)t->pid);
    else
        snprintf(text, sizeof text, "PID %u", (unsigned)t->pid);
    set_status_text(w, STATUS_PID, text);
    snprintf(text, sizeof text, "%s%s", t->pointer_size == 4 ? "32-bit" : "64-bit", t->wow64 ? " (WOW64)" : "");
    set_status_text(w, STATUS_BITS, text);
    char n1[32], n2[32], n3[32];
    snprintf(text, sizeof text, "%s regions, %s allocations", pmm_count_text(map->region_count, n1, sizeof n1),
             pmm_count_text(map->allocation_count, n2, sizeof n2));
    set_status_text(w, STATUS_REGIONS, text);
    if (w->job)
        snprintf(text, sizeof text, w->showing_preview ? "Scanning..." : "Refreshing...");
    else if (w->showing_preview)
        snprintf(text, sizeof text, "Incomplete: the scan was stopped");
    else
        snprintf(text, sizeof text, "Scanned in %s ms", pmm_count_text(map->scan_microseconds / 1000, n1, sizeof n1));
    set_status_text(w, STATUS_TIME, text);
    if (w->has_changes)
        snprintf(text, sizeof text, "Refresh: %s new, %s changed, %s gone", pmm_count_text(w->changes.added, n1, sizeof n1),
                 pmm_count_text(w->changes.changed, n2, sizeof n2), pmm_count_text(w->changes.removed, n3, sizeof n3));
    else
        text[0] = '\0';
    set_status_text(w, STATUS_CHANGES, text);
    if (map->warning_count)
        snprintf(text, sizeof text, "%s not read", pmm_count_text(map->warning_count, n1, sizeof n1));
    else if (w->showing_preview)
        text[0] = '\0';   /* the analyzers have not said yet */
    else
        snprintf(text, sizeof text, "All read");
    set_status_text(w, STATUS_WARNINGS, text);
    /* That the working-set columns and graph are missing, when they are; why is in the tip and a click
     * away (the reason is a sentence: in the part it would squeeze every other part). */
    const char *note = w->showing_preview ? "" : pmm_map_working_set_note(map);
    set_status_text(w, STATUS_WORKING_SET, note[0] ? "Working set not available" : "");
    status_bar_set_tip(&w->status, STATUS_WORKING_SET, note);
    layout_status(w);
}

static void show_working_set_note(main_window *w)
{
    wchar_t wide[600];
    gui_utf8_to_wide(w->status.tip[STATUS_WORKING_SET], wide, 600);
    MessageBoxW(w->hwnd, wide, L"Working set", MB_OK | MB_ICONINFORMATION);
}

static void update_title(main_window *w)
{
    char text[600], label[300];
    const pmm_map *map = w->session.map;
    const char *state = w->job ? ", scanning" : w->showing_preview ? ", incomplete" : "";
    if (map && w->current_target.kind == PMM_TARGET_KERNEL_DUMP) {
        kdump_space_name(&w->current_target, map, label, sizeof label);
        snprintf(text, sizeof text, "%s (kernel dump) \xE2\x80\x94 %s, %s%s - ProcessMemoryMap",
                 pmm_path_base_name(w->current_target.path), label, map->target.pointer_size == 4 ? "32-bit" : "64-bit",
                 state);
    } else if (map && w->current_target.path)
        snprintf(text, sizeof text, "%s (%s %s, %s%s) - ProcessMemoryMap", map->target.name[0] ? map->target.name : "?",
                 map->target.source_kind == PMM_SOURCE_SAVED ? "saved map" : "minidump", w->current_target.path,
                 map->target.pointer_size == 4 ? "32-bit" : "64-bit", state);
    else if (map)
        snprintf(text, sizeof text, "%s (PID %u, %s%s) - ProcessMemoryMap", map->target.name[0] ? map->target.name : "?",
                 (unsigned)map->target.pid, map->target.pointer_size == 4 ? "32-bit" : "64-bit", state);
    else if (w->job) {   /* named at once, before the first rows */
        target_label(w, label, sizeof label);
        snprintf(text, sizeof text, "%s (scanning) - ProcessMemoryMap", label);
    } else
        snprintf(text, sizeof text, "ProcessMemoryMap");
    wchar_t wide[600];
    gui_utf8_to_wide(text, wide, 600);
    SetWindowTextW(w->hwnd, wide);
}

/* ---- layout and fonts ---- */

/* The hex pane's height kept so that the list keeps at least a few rows, and the pane a few lines. */
static int clamp_details_height(main_window *w, int height, int available)
{
    int min_h = gui_scale(80, w->dpi), list_min = gui_scale(120, w->dpi);
    if (height > available - list_min)
        height = available - list_min;
    return height < min_h ? min_h : height;
}

void main_layout(main_window *w)
{
    RECT client;
    GetClientRect(w->hwnd, &client);
    SendMessageW(w->status.hwnd, WM_SIZE, 0, 0);
    int status_h = status_bar_height(&w->status);
    status_bar_layout(&w->status, client.right);
    int margin = gui_scale(4, w->dpi), split_h = gui_scale(5, w->dpi);
    int width = client.right - 2 * margin;
    int graphs_h = main_pictures_graphs_height(w);
    int summary_top = graphs_h + margin;
    int summary_h = summary_pane_height(&w->summary);
    /* The summary gets the width of its columns; the target pane takes the rest of the row. */
    int summary_w = summary_pane_width(&w->summary);
    if (summary_w > width * 3 / 5) {
        summary_w = width * 3 / 5;
        summary_h += GetSystemMetrics(SM_CYHSCROLL);   /* its columns scroll: keep every row visible */
    }
    int list_top = summary_top + summary_h + margin;
    int bottom = client.bottom - status_h - margin;
    w->details_height = clamp_details_height(w, w->details_height, bottom - list_top - split_h);
    int list_h = bottom - list_top - split_h - w->details_height;
    int target_x = margin + summary_w + margin;
    int target_w = client.right - margin - target_x;
    HDWP defer = BeginDeferWindowPos(8);
    UINT flags = SWP_NOZORDER | SWP_NOACTIVATE;
    defer = DeferWindowPos(defer, w->graphs.hwnd, NULL, 0, 0, client.right, graphs_h, flags);
    defer = DeferWindowPos(defer, w->summary.hwnd, NULL, margin, summary_top, summary_w, summary_h, flags);
    defer = DeferWindowPos(defer, w->target.hwnd, NULL, target_x, summary_top, target_w > 0 ? target_w : 0, summary_h,
                           flags);
    defer = DeferWindowPos(defer, w->list.hwnd, NULL, margin, list_top, width, list_h > 0 ? list_h : 0, flags);
    defer = DeferWindowPos(defer, w->splitter, NULL, margin, list_top + list_h, width, split_h, flags);
    defer = main_details_place(w, defer, margin, list_top + list_h + split_h, width, w->details_height);
    EndDeferWindowPos(defer);
    target_pane_fit(&w->target);
    region_list_fit(&w->list);
}

static void on_splitter_drag(main_window *w, int top)
{
    RECT client, list;
    GetClientRect(w->hwnd, &client);
    GetWindowRect(w->list.hwnd, &list);
    MapWindowPoints(NULL, w->hwnd, (POINT *)&list, 2);
    int bottom = client.bottom - status_bar_height(&w->status) - gui_scale(4, w->dpi);
    int split_h = gui_scale(5, w->dpi);
    w->details_height = clamp_details_height(w, bottom - top - split_h, bottom - list.top - split_h);
    main_layout(w);
}

static void apply_font(main_window *w)
{
    HFONT old = w->font, old_bold = w->bold_font;
    w->font = gui_create_ui_font(w->dpi, 0);
    w->bold_font = gui_create_ui_font(w->dpi, 1);
    SendMessageW(w->summary.hwnd, WM_SETFONT, (WPARAM)w->font, TRUE);
    main_pictures_set_font(w);
    SendMessageW(w->target.hwnd, WM_SETFONT, (WPARAM)w->font, TRUE);
    SendMessageW(w->list.hwnd, WM_SETFONT, (WPARAM)w->font, TRUE);
    status_bar_set_font(&w->status, w->font, w->dpi);
    w->list.bold_font = w->bold_font;
    hex_view_set_fonts(&w->hex, w->dpi, w->bold_font);
    main_details_set_fonts(w);
    if (old)
        DeleteObject(old);
    if (old_bold)
        DeleteObject(old_bold);
}

/* ---- scanning ---- */

static void retire_job(main_window *w, gui_job *job)
{
    gui_job_cancel(job);
    for (int i = 0; i < MAX_RETIRED_JOBS; i++)
        if (!w->retired[i]) {
            w->retired[i] = job;
            return;
        }
    gui_job_free(job);   /* too many at once: wait for this one */
}

static void show_scanning(main_window *w, int scanning)
{
    status_bar_set_busy(&w->status, scanning);
}

static void start_scan(main_window *w, const pmm_target *target, int integrity)
{
    if (w->job) {
        retire_job(w, w->job);
        w->job = NULL;
    }
    if (target != &w->current_target && pmm_target_copy(&w->current_target, target) != PMM_OK) {
        gui_error(w->hwnd, "Not enough memory to open the target. Close other programs and try again.");
        return;
    }
    w->scan_started = pmm_clock_microseconds();
    w->job = scan_job_start(w->hwnd, &w->current_target, w->symbol_path, integrity);
    if (!w->job) {
        gui_error(w->hwnd, "The scan could not be started (no thread could be created). Close other programs and "
                           "press F5.");
        return;
    }
    show_scanning(w, 1);
    update_title(w);
    main_update_status(w);
    main_scan_log(w, "start");
}

void main_start_scan(main_window *w, const pmm_target *target)
{
    start_scan(w, target, 0);
}

int main_start_integrity_scan(main_window *w)
{
    if (!pmm_target_has_bytes(&w->current_target))
        return 0;
    start_scan(w, &w->current_target, 1);
    return w->job != NULL;
}

void main_open_process(main_window *w, uint32_t pid)
{
    pmm_target t;
    pmm_target_for_process(&t, pid);
    main_start_scan(w, &t);
}

/* A refusal before any scan started: in an unattended run it ends the run as a failed scan does. */
static void refuse_target(main_window *w, const char *message)
{
    gui_error(w->hwnd, message);
    if (gui_unattended()) {
        w->exit_code = 1;
        DestroyWindow(w->hwnd);
    }
}

/* A kernel dump holds a whole machine: which of its address spaces to map (selector, else the
 * user's pick). Returns 0 when none was chosen: cancelled, or nothing could be read (said). */
static int choose_in_kernel_dump(main_window *w, pmm_target *t, const char *selector)
{
    char picked[32];
    if (!selector && gui_unattended() && !w->options.kdump_pick) {
        if (w->options.view == VIEW_KDUMP_PROCESSES)
            main_unattended_kdump_picker(w, t->path);
        else
            refuse_target(w, "A kernel dump holds a whole machine: an unattended run needs --process PID|NAME|kernel "
                             "or --pick TEXT.");
        return 0;
    }
    if (!selector) {
        if (!kdump_picker_run(w->hwnd, t->path, w->options.kdump_pick, picked, sizeof picked)) {
            if (gui_unattended()) {
                w->exit_code = 1;
                DestroyWindow(w->hwnd);
            }
            return 0;
        }
        selector = picked;
    }
    if (pmm_target_choose(t, selector) != PMM_OK) {
        refuse_target(w, "Not enough memory to open the target. Close other programs and try again.");
        return 0;
    }
    return 1;
}

void main_open_file(main_window *w, const char *path, const char *selector)
{
    pmm_target t;
    char message[1200];
    if (pmm_target_parse(path, &t, message, sizeof message) != PMM_OK || t.kind == PMM_TARGET_PROCESS) {
        if (t.kind == PMM_TARGET_PROCESS)
            snprintf(message, sizeof message, "'%s' is not a file.", path);
        pmm_target_free(&t);
        refuse_target(w, message);
        return;
    }
    if (t.kind != PMM_TARGET_KERNEL_DUMP || choose_in_kernel_dump(w, &t, selector))
        main_start_scan(w, &t);
    pmm_target_free(&t);
}

static void cancel_scan(main_window *w)
{
    if (!w->job)
        return;
    main_scan_log(w, "cancel");
    w->cancelled = w->job;
    retire_job(w, w->job);
    w->job = NULL;
    show_scanning(w, 0);
    update_title(w);
    main_update_status(w);
    main_tools_scan_stopped(w);
    main_scan_log(w, "stopped");
}

/* Bases of the expanded allocations, to expand them again in the next map of the same target. */
static uint64_t *expanded_bases(const main_window *w, size_t *count)
{
    const pmm_map *map = w->session.map;
    *count = 0;
    if (!map || !w->rows.expanded)
        return NULL;
    uint64_t *bases = malloc((map->allocation_count + 1) * sizeof *bases);
    if (!bases)
        return NULL;
    for (size_t n = 0; n < map->allocation_count; n++)
        if (w->rows.expanded[n])
            bases[(*count)++] = map->regions[map->allocation_first[n]].base;
    return bases;
}

static void restore_expanded(main_window *w, const uint64_t *bases, size_t count)
{
    const pmm_map *map = w->session.map;
    for (size_t i = 0; i < count; i++) {
        size_t region = pmm_map_find(map, bases[i]);
        if (region != PMM_NO_INDEX && map->regions[region].base == bases[i])
            w->rows.expanded[pmm_map_find_allocation(map, region)] = 1;
    }
    if (count)
        region_rows_rebuild(&w->rows);
}

static void apply_start_options(main_window *w)
{
    if (w->options_applied)
        return;
    w->options_applied = 1;
    if (w->options.hide_free)
        region_rows_set_show_free(&w->rows, 0);
    if (w->options.filter != REGION_FILTER_ALL)
        region_rows_set_filter(&w->rows, w->options.filter);
    if (w->options.expand_all)
        region_rows_expand_all(&w->rows, 1);
}

/* The address of the allocation holding the focused row, to find it again in a new map. */
static int focused_allocation_base(main_window *w, uint64_t *base)
{
    size_t focused = region_list_focused(&w->list);
    const pmm_map *map = w->session.map;
    if (!map || focused == PMM_NO_INDEX)
        return 0;
    const region_row *r = &w->rows.rows[region_rows_parent(&w->rows, focused)];
    *base = map->regions[map->allocation_first[r->index]].base;
    return 1;
}

static int same_target(const pmm_map *a, const pmm_map *b)
{
    return a && b && a->target.source_kind == b->target.source_kind && a->target.pid == b->target.pid &&
           strcmp(a->target.path, b->target.path) == 0;
}

/* The list first: the rows of the new map (preview: data holds a scan's preview, no source, no
 * annotations yet, replaced by the next one or by the finished map). show_map_panes then brings
 * the panes around it up to date: on a loaded machine they take longer than the rows. */
static void show_map_rows(main_window *w, target_data *data, int preview)
{
    pmm_map *map = data->map;
    const pmm_map *old = w->session.map;
    int same = same_target(old, map);
    size_t expanded_count = 0;
    uint64_t *expanded = same ? expanded_bases(w, &expanded_count) : NULL;
    uint64_t focus_base = 0;
    int has_focus = same && focused_allocation_base(w, &focus_base);

    /* Compared before the old map goes: the refresh highlight (a preview is no state to compare with). */
    w->has_changes = same && !preview && !w->showing_preview && map_changes_compute(&w->changes, old, map) == PMM_OK;
    if (!w->has_changes)
        map_changes_free(&w->changes);
    w->list.changes = w->has_changes ? &w->changes : NULL;

    /* The rows and the hex view borrow the map and source: point them away before they go. */
    region_rows_set_map(&w->rows, NULL);
    hex_view_set_map(&w->hex, NULL, 0);
    main_details_set_map(w, NULL);
    main_pictures_map_leaving(w);
    target_session_replace(&w->session, data);
    if (region_rows_set_map(&w->rows, map) != PMM_OK)
        gui_error(w->hwnd, "Not enough memory to show the map. Close other programs and press F5.");
    hex_view_set_map(&w->hex, map, map->target.source_kind == PMM_SOURCE_LIVE ? PMM_PAGE_SIZE : 1);
    main_details_set_map(w, map);
    restore_expanded(w, expanded, expanded_count);
    free(expanded);
    apply_start_options(w);

    size_t focus_row = w->rows.count ? 0 : PMM_NO_INDEX;
    if (has_focus) {
        size_t region = pmm_map_find(map, focus_base);
        size_t row = region == PMM_NO_INDEX
                         ? PMM_NO_INDEX
                         : region_rows_find_allocation(&w->rows, pmm_map_find_allocation(map, region));
        if (row != PMM_NO_INDEX)
            focus_row = row;
    }
    region_list_set_pointer_size(&w->list, map->target.pointer_size);
    region_list_refresh(&w->list, focus_row);
    main_show_selection(w);
    w->showing_preview = preview;
    update_title(w);
    UpdateWindow(w->list.hwnd);   /* the rows on screen now, not after the panes */
}

static void show_map_panes(main_window *w)
{
    const pmm_map *map = w->session.map;
    summary_pane_set_map(&w->summary, map);
    main_pictures_map_changed(w);
    target_pane_set_map(&w->target, map);
    summary_pane_show_filter(&w->summary, w->rows.filter);
    if (!w->showing_preview) {
        if (w->exports && IsWindow(w->exports))
            exports_window_reload(w->exports);
        main_tools_map_changed(w);
    }
    main_update_status(w);
    main_layout(w);
}

/* The regions walked so far, while the scan goes on: shown unless the window shows a finished map
 * of the same target (F5), whose rows stay usable until the new map is in. */
static void on_scan_preview(main_window *w, gui_job *job)
{
    if (job != w->job)
        return;   /* a retired scan's: freed with it */
    pmm_map *preview = scan_job_take_preview(job);
    if (!preview)
        return;
    if (w->session.map && !w->showing_preview && same_target(w->session.map, preview)) {
        pmm_map_free(preview);
        return;
    }
    target_data *data = target_data_new(&w->current_target, preview, NULL);
    if (!data)
        return;
    show_map_rows(w, data, 1);
    main_scan_log(w, "preview");
    show_map_panes(w);
    main_unattended_preview(w);
}

static void on_scan_done(main_window *w, gui_job *job)
{
    if (job != w->job) {
        for (int i = 0; i < MAX_RETIRED_JOBS; i++)
            if (w->retired[i] == job)
                w->retired[i] = NULL;
        gui_job_free(job);
        if (job == w->cancelled) {
            w->cancelled = NULL;
            main_scan_log(w, "ended");
            main_unattended_cancel_ended(w);
        }
        return;
    }
    main_scan_log(w, "scanned");   /* the worker's end: what follows is the window's own work */
    w->job = NULL;
    show_scanning(w, 0);
    char message[1200];
    pmm_status status = gui_job_status(job);
    target_data *data = scan_job_take(job, message, sizeof message);
    gui_job_free(job);

    if (data) {
        show_map_rows(w, data, 0);
        show_map_panes(w);
        main_scan_log(w, "done");
        if (gui_unattended())
            main_finish_unattended(w);
        return;
    }
    update_title(w);
    main_update_status(w);
    main_tools_scan_stopped(w);
    if (gui_unattended()) {
        gui_error(w->hwnd, message);
        w->exit_code = 1;
        DestroyWindow(w->hwnd);
        return;
    }
    if (status != PMM_ERR_CANCELLED)
        gui_error(w->hwnd, message);
}

/* ---- the hex view follows the selection ---- */

static void row_caption(main_window *w, size_t row, char *buf, size_t cap)
{
    static const char *const what[] = {"Allocation", "Region", "Annotation"};
    char type_buf[64], addr_buf[32], size_buf[40], details_buf[512];
    const char *type = region_rows_cell(&w->rows, row, REGION_COL_TYPE, type_buf, sizeof type_buf);
    const char *addr = region_rows_cell(&w->rows, row, REGION_COL_ADDRESS, addr_buf, sizeof addr_buf);
    const char *size = region_rows_cell(&w->rows, row, REGION_COL_SIZE, size_buf, sizeof size_buf);
    const char *details = region_rows_cell(&w->rows, row, REGION_COL_DETAILS, details_buf, sizeof details_buf);
    snprintf(buf, cap, "%s %s: %s, %s%s%s", what[w->rows.rows[row].kind % 3], addr, type, size,
             details[0] ? ", " : "", details);
}

static void show_row(main_window *w, size_t row, uint64_t focus, int mark)
{
    uint64_t start, end;
    if (row == PMM_NO_INDEX || !region_rows_range(&w->rows, row, &start, &end)) {
        hex_view_show(&w->hex, 0, 0, "", 0, 0);
        main_details_show(w, 0, 0, "", 0, 0);
        return;
    }
    char caption[700];
    row_caption(w, row, caption, sizeof caption);
    hex_view_show(&w->hex, start, end, caption, mark ? focus : start, mark);
    main_details_show(w, start, end, caption, focus, mark);
}

void main_show_selection(main_window *w)
{
    show_row(w, region_list_focused(&w->list), 0, 0);
}

int main_go_to(main_window *w, uint64_t addr)
{
    size_t row = region_rows_reveal(&w->rows, addr);
    if (row == PMM_NO_INDEX)
        return 0;
    summary_pane_show_filter(&w->summary, w->rows.filter);
    region_list_refresh(&w->list, row);
    region_list_reveal(&w->list, row);
    show_row(w, row, addr, 1);
    return 1;
}

/* ---- commands ---- */

static void select_process(main_window *w)
{
    uint32_t pid;
    if (process_dialog_run(w->hwnd, &pid))
        main_open_process(w, pid);
}

static void set_filter(main_window *w, uint32_t filter)
{
    size_t row = region_list_focused(&w->list);
    size_t allocation = row != PMM_NO_INDEX ? w->rows.rows[region_rows_parent(&w->rows, row)].index : PMM_NO_INDEX;
    region_rows_set_filter(&w->rows, filter);
    size_t focus = allocation == PMM_NO_INDEX ? PMM_NO_INDEX : region_rows_find_allocation(&w->rows, allocation);
    region_list_refresh(&w->list, focus != PMM_NO_INDEX ? focus : (w->rows.count ? 0 : PMM_NO_INDEX));
    summary_pane_show_filter(&w->summary, w->rows.filter);
    main_show_selection(w);
}

static void refresh(main_window *w)
{
    if (w->current_target.kind == PMM_TARGET_NONE)
        select_process(w);
    else
        main_start_scan(w, &w->current_target);
}

static void OnCommand(HWND hwnd, int id, HWND control, UINT code)
{
    main_window *w = window_of(hwnd);
    (void)code;
    if (control == w->status.cancel) {
        cancel_scan(w);
        return;
    }
    switch (id) {
    case ID_FILE_SELECT_PROCESS: select_process(w); break;
    case ID_FILE_REFRESH: refresh(w); break;
    case ID_FILE_CANCEL_SCAN: cancel_scan(w); break;
    case ID_FILE_EXIT: DestroyWindow(hwnd); break;
    case ID_EDIT_COPY: region_list_copy(&w->list, hwnd); break;
    case ID_EDIT_SELECT_ALL: region_list_select_all(&w->list); break;
    case ID_VIEW_EXPAND_ALL:
    case ID_VIEW_COLLAPSE_ALL:
        region_rows_expand_all(&w->rows, id == ID_VIEW_EXPAND_ALL);
        region_list_refresh(&w->list, w->rows.count ? 0 : PMM_NO_INDEX);
        main_show_selection(w);
        break;
    case ID_VIEW_SHOW_FREE:
        region_rows_set_show_free(&w->rows, !w->rows.show_free);
        region_list_refresh(&w->list, w->rows.count ? 0 : PMM_NO_INDEX);
        main_show_selection(w);
        break;
    case ID_VIEW_ALL_TYPES: set_filter(w, REGION_FILTER_ALL); break;
    case ID_VIEW_CLEAR_CHANGES:
        w->has_changes = 0;
        w->list.changes = NULL;
        map_changes_free(&w->changes);
        InvalidateRect(w->list.hwnd, NULL, FALSE);
        main_update_status(w);
        break;
    case ID_VIEW_WARNINGS: warnings_dialog_run(hwnd, w->session.map); break;
    case ID_HELP_ABOUT: about_dialog_run(hwnd); break;
    default: main_command(w, id); break;
    }
}

static void OnInitMenuPopup(HWND hwnd, HMENU menu, UINT item, BOOL system_menu)
{
    main_window *w = window_of(hwnd);
    (void)item;
    if (system_menu)
        return;
    UINT has_map = w->session.map ? MF_ENABLED : MF_GRAYED;
    UINT has_row = w->session.map && region_list_focused(&w->list) != PMM_NO_INDEX ? MF_ENABLED : MF_GRAYED;
    CheckMenuItem(menu, ID_VIEW_SHOW_FREE, w->rows.show_free ? MF_CHECKED : MF_UNCHECKED);
    EnableMenuItem(menu, ID_VIEW_ALL_TYPES, w->rows.filter != REGION_FILTER_ALL ? MF_ENABLED : MF_GRAYED);
    EnableMenuItem(menu, ID_FILE_CANCEL_SCAN, w->job ? MF_ENABLED : MF_GRAYED);
    EnableMenuItem(menu, ID_VIEW_CLEAR_CHANGES, w->has_changes ? MF_ENABLED : MF_GRAYED);
    static const UINT need_map[] = {ID_VIEW_WARNINGS, ID_VIEW_EXPAND_ALL, ID_VIEW_COLLAPSE_ALL, ID_EDIT_COPY,
                                    ID_EDIT_SELECT_ALL, ID_FILE_EXPORT_CSV, ID_EDIT_GOTO, ID_VIEW_EXPORTS};
    for (size_t i = 0; i < sizeof need_map / sizeof need_map[0]; i++)
        EnableMenuItem(menu, need_map[i], has_map);
    EnableMenuItem(menu, ID_EDIT_COPY_ADDRESS, has_row);
    EnableMenuItem(menu, ID_EDIT_PROPERTIES, has_row);
    EnableMenuItem(menu, ID_VIEW_HEX, has_row);
    main_tools_init_menu(w, menu);
    main_pictures_init_menu(w, menu);
    /* A saved map has no bytes to dump. */
    UINT has_bytes = w->session.map && w->session.map->target.source_kind != PMM_SOURCE_SAVED ? MF_ENABLED : MF_GRAYED;
    EnableMenuItem(menu, ID_FILE_SAVE_MAP, has_map);
    EnableMenuItem(menu, ID_FILE_COMPARE_SAVED, has_map);
    EnableMenuItem(menu, ID_FILE_SAVE_MAP_SUMS, has_bytes);
    EnableMenuItem(menu, ID_FILE_DUMP_REGIONS, has_bytes);
    EnableMenuItem(menu, ID_FILE_WRITE_MINIDUMP, has_bytes);
}

/* ---- settings ---- */

static void load_settings(main_window *w)
{
    w->details_height = gui_scale(DEFAULT_DETAILS_HEIGHT, w->dpi);
    if (gui_unattended() && !w->options.use_settings)
        return;
    settings_load(&w->settings);
    if (w->settings.details_height)
        w->details_height = gui_scale(w->settings.details_height, w->dpi);
    if (w->settings.column_count)
        region_list_set_widths(&w->list, w->settings.column_widths, w->settings.column_count);
    if (w->settings.hex_font_points) {
        w->hex.font_points = w->settings.hex_font_points;
        hex_view_set_fonts(&w->hex, w->dpi, w->bold_font);
    }
}

static void save_settings(main_window *w)
{
    if (gui_unattended())
        return;
    gui_settings *s = &w->settings;
    s->placement.length = sizeof s->placement;
    s->has_placement = GetWindowPlacement(w->hwnd, &s->placement) != 0;
    s->column_count = region_list_get_widths(&w->list, s->column_widths, SETTINGS_MAX_COLUMNS);
    s->details_height = MulDiv(w->details_height, 96, (int)w->dpi);
    settings_save(s);
}

void main_symbol_path_changed(main_window *w)
{
    char *from_settings = gui_wide_to_utf8_alloc(w->settings.symbol_path);
    const char *env = getenv("_NT_SYMBOL_PATH");
    const char *path = w->options.symbol_path                 ? w->options.symbol_path
                       : from_settings && from_settings[0]    ? from_settings
                       : env                                  ? env
                                                              : "";
    snprintf(w->symbol_path, sizeof w->symbol_path, "%s", path);
    free(from_settings);
    target_session_set_symbol_path(&w->session, w->symbol_path);
    gui_set_symbol_path(w->symbol_path);
}

/* ---- window procedure ---- */

static size_t read_session(void *ctx, uint64_t addr, void *buf, size_t len)
{
    return target_session_read(ctx, addr, buf, len);
}

/* The hex view's status line and tooltip: the best name of the byte, with its source line. */
static void describe_for_hex(void *ctx, uint64_t addr, char *buf, size_t cap)
{
    target_session_describe_line(ctx, addr, buf, cap);
}

static BOOL create_children(main_window *w)
{
    HWND hwnd = w->hwnd;
    if (!main_pictures_create(w) || !summary_pane_create(&w->summary, hwnd, IDC_SUMMARY, w->dpi) ||
        !target_pane_create(&w->target, hwnd, IDC_TARGET, w->dpi) ||
        !region_list_create(&w->list, hwnd, IDC_REGIONS, &w->rows, w->dpi) ||
        !hex_view_create(&w->hex, hwnd, IDC_HEX, w->dpi, read_session, &w->session))
        return FALSE;
    hex_view_set_describer(&w->hex, describe_for_hex, &w->session);
    w->splitter = splitter_create(hwnd, IDC_SPLITTER);
    return w->splitter && status_bar_create(&w->status, hwnd, IDC_STATUS, IDC_PROGRESS, IDC_CANCEL_SCAN) &&
           main_details_create(w);
}

static BOOL OnCreate(HWND hwnd, LPCREATESTRUCTW create)
{
    main_window *w = window_of(hwnd);
    (void)create;
    w->hwnd = hwnd;
    w->dpi = gui_dpi_for_window(hwnd);
    region_rows_init(&w->rows);
    target_session_init(&w->session);
    map_changes_init(&w->changes);
    if (!create_children(w))
        return FALSE;
    apply_font(w);
    load_settings(w);
    if (w->options.scan_log)
        w->scan_log = _wfopen(w->options.scan_log, L"w");
    main_symbol_path_changed(w);
    region_rows_set_show_free(&w->rows, 1);
    main_update_status(w);
    if (w->options.dump_path)
        PostMessageW(hwnd, WM_APP_OPEN_COMMAND_LINE, 0, 0);
    else if (w->options.has_pid)
        main_open_process(w, w->options.pid);
    else
        PostMessageW(hwnd, WM_APP_SELECT_PROCESS, 0, 0);
    return TRUE;
}

static void OnSize(HWND hwnd, UINT state, int cx, int cy)
{
    (void)state;
    (void)cx;
    (void)cy;
    main_layout(window_of(hwnd));
}

static LRESULT OnNotify(HWND hwnd, int id, NMHDR *hdr)
{
    main_window *w = window_of(hwnd);
    LRESULT result = 0;
    int filter_changed;
    uint32_t filter;
    (void)id;
    if (main_details_notify(w, hdr, &result))
        return result;
    if (summary_pane_notify(&w->summary, hdr, &result, &filter_changed, &filter)) {
        if (filter_changed)
            set_filter(w, filter);
        return result;
    }
    if (main_pictures_notify(w, hdr, &filter)) {
        set_filter(w, filter);
        return 0;
    }
    if (target_pane_notify(&w->target, hdr, &result))
        return result;
    if (hdr->hwndFrom == w->list.hwnd && hdr->code == LVN_ITEMCHANGED) {
        NMLISTVIEW *change = (NMLISTVIEW *)hdr;
        if ((change->uNewState & LVIS_FOCUSED) && !(change->uOldState & LVIS_FOCUSED))
            main_show_selection(w);
    }
    if (region_list_notify(&w->list, hdr, &result))
        return result;
    if (hdr->hwndFrom == w->status.hwnd && hdr->code == NM_CLICK) {
        NMMOUSE *mouse = (NMMOUSE *)hdr;
        status_part part = status_bar_part_at(&w->status, (int)mouse->dwItemSpec);
        if (part == STATUS_WARNINGS && w->session.map)
            warnings_dialog_run(hwnd, w->session.map);
        else if (part == STATUS_WORKING_SET)
            show_working_set_note(w);
        return TRUE;
    }
    return 0;
}

static void OnContextMenu(HWND hwnd, HWND target, UINT x, UINT y)
{
    main_window *w = window_of(hwnd);
    if (target == w->list.hwnd)
        main_context_menu(w, (int)(short)x, (int)(short)y);
}

static void OnGetMinMaxInfo(HWND hwnd, LPMINMAXINFO info)
{
    main_window *w = window_of(hwnd);
    UINT dpi = w ? w->dpi : 96;
    info->ptMinTrackSize.x = gui_scale(560, dpi);
    info->ptMinTrackSize.y = gui_scale(520, dpi);
}

static void OnTimer(HWND hwnd, UINT id)
{
    if (id == TIMER_SCREENSHOT)
        main_on_screenshot_timer(window_of(hwnd));
}

static void OnSetFocus(HWND hwnd, HWND old)
{
    (void)old;
    SetFocus(window_of(hwnd)->list.hwnd);
}

static void on_dpi_changed(main_window *w, UINT dpi, const RECT *suggested)
{
    w->details_height = MulDiv(w->details_height, (int)dpi, (int)w->dpi);
    w->dpi = dpi;
    apply_font(w);
    summary_pane_set_dpi(&w->summary, dpi);
    main_pictures_set_dpi(w, dpi);
    target_pane_set_dpi(&w->target, dpi);
    region_list_set_dpi(&w->list, dpi);
    SetWindowPos(w->hwnd, NULL, suggested->left, suggested->top, suggested->right - suggested->left,
                 suggested->bottom - suggested->top, SWP_NOZORDER | SWP_NOACTIVATE);
    main_layout(w);
}

static void OnDestroy(HWND hwnd)
{
    main_window *w = window_of(hwnd);
    save_settings(w);
    KillTimer(hwnd, TIMER_SCREENSHOT);
    gui_job_free(w->job);
    w->job = NULL;
    for (int i = 0; i < MAX_RETIRED_JOBS; i++) {
        gui_job_free(w->retired[i]);
        w->retired[i] = NULL;
    }
    if (w->scan_log)
        fclose(w->scan_log);
    w->scan_log = NULL;
    if (w->exports && IsWindow(w->exports))
        DestroyWindow(w->exports);
    main_tools_destroy(w);
    main_pictures_destroy(w);
    region_list_destroy(&w->list);
    region_rows_free(&w->rows);
    hex_view_set_map(&w->hex, NULL, 0);
    target_session_close(&w->session);
    map_changes_free(&w->changes);
    if (w->font)
        DeleteObject(w->font);
    if (w->bold_font)
        DeleteObject(w->bold_font);
    w->font = w->bold_font = NULL;
    PostQuitMessage(w->exit_code);
}

static void free_window(main_window *w)
{
    pmm_target_free(&w->current_target);
    free(w->options.dump_path);
    free(w->options.kdump_process);
    free(w->options.kdump_pick);
    free(w->options.goto_text);
    free(w->options.find_text);
    free(w->options.save_map);
    free(w->options.compare_old);
    free(w->options.compare_new);
    free(w->options.dump_to);
    free(w->options.dbghelp_flags);
    free(w);
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
    HANDLE_MSG(hwnd, WM_CONTEXTMENU, OnContextMenu);
    HANDLE_MSG(hwnd, WM_INITMENUPOPUP, OnInitMenuPopup);
    HANDLE_MSG(hwnd, WM_GETMINMAXINFO, OnGetMinMaxInfo);
    HANDLE_MSG(hwnd, WM_TIMER, OnTimer);
    HANDLE_MSG(hwnd, WM_SETFOCUS, OnSetFocus);
    HANDLE_MSG(hwnd, WM_DESTROY, OnDestroy);
    case WM_DPICHANGED:
        if (w)
            on_dpi_changed(w, HIWORD(wParam), (const RECT *)lParam);
        return 0;
    case WM_APP_SPLITTER_DRAG:
        if (w)
            on_splitter_drag(w, (int)(INT_PTR)wParam);
        return 0;
    case WM_APP_JOB_PROGRESS:
        if (w && (gui_job *)lParam == w->job)
            status_bar_set_progress(&w->status, (int)wParam);
        return 0;
    case WM_APP_SCAN_PREVIEW:
        if (w)
            on_scan_preview(w, (gui_job *)lParam);
        return 0;
    case WM_APP_JOB_DONE:
        if (w)
            on_scan_done(w, (gui_job *)lParam);
        return 0;
    case WM_APP_SELECT_PROCESS:
        if (w)
            select_process(w);
        return 0;
    case WM_APP_OPEN_COMMAND_LINE:
        if (w)
            main_open_file(w, w->options.dump_path, w->options.kdump_process);
        return 0;
    case WM_NCDESTROY:
        if (w)
            free_window(w);
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
    return RegisterClassExW(&wc) != 0 && hex_view_register(instance) && splitter_register(instance) &&
           exports_window_register(instance) && main_tools_register(instance) &&
           main_pictures_register(instance);
}

/* The first run's window size: every column shows at 96 DPI, kept inside the work area. */
static SIZE default_window_size(UINT dpi, const RECT *work)
{
    SIZE size = {gui_scale(1180, dpi), gui_scale(900, dpi)};
    if (size.cx > work->right - work->left)
        size.cx = work->right - work->left;
    if (size.cy > work->bottom - work->top)
        size.cy = work->bottom - work->top;
    return size;
}

void main_reset_layout(main_window *w)
{
    if (settings_forget_layout() != 0)
        gui_error(w->hwnd, "Some of the remembered layout could not be removed from the registry "
                           "(HKCU\\Software\\ProcessMemoryMap).");
    w->settings.has_placement = 0;
    w->settings.column_count = 0;
    w->settings.details_height = 0;
    w->details_height = gui_scale(DEFAULT_DETAILS_HEIGHT, w->dpi);
    region_list_reset_widths(&w->list);
    RECT work;
    SystemParametersInfoW(SPI_GETWORKAREA, 0, &work, 0);
    SIZE size = default_window_size(w->dpi, &work);
    ShowWindow(w->hwnd, SW_RESTORE);
    SetWindowPos(w->hwnd, NULL, 0, 0, size.cx, size.cy, SWP_NOMOVE | SWP_NOZORDER | SWP_NOACTIVATE);
    main_layout(w);
}

HWND main_window_create(HINSTANCE instance, const main_options *options, int show)
{
    main_window *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->options = *options;
    RECT work;
    SystemParametersInfoW(SPI_GETWORKAREA, 0, &work, 0);
    HDC dc = GetDC(NULL);
    int dpi = GetDeviceCaps(dc, LOGPIXELSY);
    ReleaseDC(NULL, dc);
    SIZE size = default_window_size((UINT)dpi, &work);
    int width = size.cx, height = size.cy;
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
    if (w->settings.has_placement) {
        /* Restored as saved, except minimized: a window that opens minimized looks like a failure. */
        WINDOWPLACEMENT placement = w->settings.placement;
        if (placement.showCmd == SW_SHOWMINIMIZED || placement.showCmd == SW_MINIMIZE)
            placement.showCmd = SW_SHOWNORMAL;
        if (show != SW_SHOWDEFAULT && show != SW_SHOWNORMAL)
            placement.showCmd = (UINT)show;
        SetWindowPlacement(hwnd, &placement);
    } else {
        ShowWindow(hwnd, show);
    }
    UpdateWindow(hwnd);
    return hwnd;
}

int main_window_translate(HWND main, HACCEL accelerators, MSG *msg)
{
    /* Only keys meant for the main window: Ctrl+C in the exports window's find box copies text. */
    if (!accelerators || !msg->hwnd || GetAncestor(msg->hwnd, GA_ROOT) != main)
        return 0;
    /* Nor Ctrl+C, Ctrl+F... in the hex pane: they copy its bytes and find in it. */
    main_window *w = window_of(main);
    if (w && hex_view_wants_key(&w->hex, msg))
        return 0;
    return TranslateAcceleratorW(main, accelerators, msg) != 0;
}
