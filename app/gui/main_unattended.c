/* Unattended runs (--screenshot, --dump-rows, --dump-view): once the scan is shown, apply the
 * switches that open a view (--goto, --hex, --view, --find), write the text files, and capture
 * the view's window, so tests and tools/screenshots.sh see every view without a user. */
#include <windows.h>
#include <commctrl.h>
#include <stdio.h>
#include <stdlib.h>
#include "compare_window.h"
#include "core/util/clock.h"
#include "dump_dialog.h"
#include "exports_window.h"
#include "goto_dialog.h"
#include "gui_capture.h"
#include "gui_util.h"
#include "kdump_picker.h"
#include "main_file_commands.h"
#include "main_pictures.h"
#include "main_tools.h"
#include "main_window_internal.h"
#include "options_dialog.h"
#include "process_dialog.h"
#include "properties_dialog.h"
#include "res/resource.h"

static int write_view(main_window *w, const wchar_t *path)
{
    FILE *f = _wfopen(path, L"wb");
    if (!f)
        return -1;
    int rc = main_tools_write_view(w, f);   /* -2: not one of the search, strings, stacks, structure views */
    if (rc == -2)
        rc = main_pictures_write_view(w, f);
    switch (rc == -2 ? w->options.view : VIEW_MAIN) {
    case VIEW_EXPORTS: rc = exports_window_write_text(w->exports, f); break;
    case VIEW_PROPERTIES: rc = properties_dialog_write_text(w->properties, f); break;
    case VIEW_COMPARE: rc = compare_window_write_text(w->compare, f); break;
    case VIEW_PROCESSES: rc = process_dialog_write_text(w->capture, f); break;
    case VIEW_KDUMP_PROCESSES: rc = kdump_picker_write_text(w->capture, f); break;
    case VIEW_OPTIONS: rc = options_dialog_write_text(w->capture, f); break;
    case VIEW_DUMP_DIALOG: rc = dump_dialog_write_text(w->capture, f); break;
    default:
        if (rc == -2)
            rc = hex_view_write_text(&w->hex, f) != 0 || region_list_write_state(&w->list, f) != 0
                     ? -1 : status_bar_write_state(&w->status, f);
        break;
    }
    if (fclose(f) != 0)
        rc = -1;
    return rc;
}

static int fail(main_window *w, const char *message)
{
    gui_error(w->hwnd, message);
    w->exit_code = 1;
    DestroyWindow(w->hwnd);
    return 0;
}

/* --goto/--hex, then the view. Returns 0 when the run has failed (and the window is gone). */
static int open_view(main_window *w)
{
    uint64_t addr = 0;
    int has_addr = 0;
    if (w->options.goto_text) {
        char message[400];
        if (!goto_resolve(&w->session, w->options.goto_text, &addr, message, sizeof message))
            return fail(w, message);
        if (!main_go_to(w, addr)) {
            snprintf(message, sizeof message, "--goto: no region of this map holds 0x%llX.", (unsigned long long)addr);
            return fail(w, message);
        }
        has_addr = 1;
        hex_view_select(&w->hex, w->options.hex_select);
    }
    switch (w->options.view) {
    case VIEW_EXPORTS:
        main_open_exports(w);
        if (!w->exports)
            return fail(w, "The exports window could not be opened.");
        if (w->options.find_text)
            exports_window_find(w->exports, w->options.find_text);
        w->capture = w->exports;
        break;
    case VIEW_PROPERTIES:
        if (!has_addr && !main_focused_address(w, &addr))
            return fail(w, "--view properties needs --goto ADDRESS (or a row to describe).");
        main_show_properties(w, addr);
        if (!w->properties)
            return fail(w, "The properties window could not be opened.");
        w->capture = w->properties;
        break;
    case VIEW_COMPARE:
        if (!w->compare)
            return fail(w, "--view compare needs --compare OLD.pmm or --compare-two OLD.pmm NEW.pmm.");
        w->capture = w->compare;
        break;
    case VIEW_PROCESSES:
        w->capture = process_dialog_open_preview(w->hwnd, w->options.find_text);
        if (!w->capture)
            return fail(w, "The Select Process dialog could not be opened.");
        break;
    case VIEW_OPTIONS:
        w->capture = options_dialog_open_preview(w->hwnd, &w->settings);
        if (!w->capture)
            return fail(w, "The Options dialog could not be opened.");
        break;
    case VIEW_DUMP_DIALOG:
        w->capture = main_file_dump_preview(w);
        if (!w->capture)
            return fail(w, "The Dump Memory dialog could not be opened.");
        break;
    default: {
        char message[600];
        int opened = main_tools_open_view(w, message, sizeof message);
        if (opened == 0)
            opened = main_pictures_open_view(w, message, sizeof message);
        if (opened < 0)
            return fail(w, message);
        if (!opened)
            w->capture = w->hwnd;
        break;
    }
    }
    return 1;
}

void main_finish_unattended(main_window *w)
{
    if (w->options.refresh) {
        w->options.refresh = 0;
        /* A moment for the target to change, as a user pressing F5 would give it. */
        Sleep(300);
        SendMessageW(w->hwnd, WM_COMMAND, MAKEWPARAM(ID_FILE_REFRESH, 0), 0);
        return;
    }
    if (main_tools_unattended_scan(w))
        return;   /* --view integrity: the map comes back with its findings, and this runs again */
    if (!main_file_unattended(w)) {
        w->exit_code = 1;
        DestroyWindow(w->hwnd);
        return;
    }
    if (!open_view(w) || w->tools_waiting)
        return;   /* a search or listing runs: its end calls main_unattended_write */
    main_unattended_write(w);
}

void main_unattended_write(main_window *w)
{
    if (w->options.dump_rows && gui_write_rows(&w->rows, w->options.dump_rows) != 0) {
        fail(w, "The rows could not be written (--dump-rows).");
        return;
    }
    if (w->options.dump_view && write_view(w, w->options.dump_view) != 0) {
        fail(w, "The view could not be written (--dump-view).");
        return;
    }
    main_scan_log(w, "written");
    if (w->options.screenshot) {
        /* Let the windows paint first; the capture copies what is on screen. */
        SetTimer(w->hwnd, TIMER_SCREENSHOT, 700, NULL);
        return;
    }
    DestroyWindow(w->hwnd);
}

void main_unattended_kdump_picker(main_window *w, const char *path)
{
    w->capture = kdump_picker_open_preview(w->hwnd, path, w->options.find_text);
    if (!w->capture) {
        w->exit_code = 1;   /* the picker said why */
        DestroyWindow(w->hwnd);
        return;
    }
    main_unattended_write(w);
}

void main_on_screenshot_timer(main_window *w)
{
    KillTimer(w->hwnd, TIMER_SCREENSHOT);
    HWND target = w->capture && IsWindow(w->capture) ? w->capture : w->hwnd;
    SetForegroundWindow(target);
    RedrawWindow(target, NULL, NULL, RDW_INVALIDATE | RDW_UPDATENOW | RDW_ALLCHILDREN | RDW_FRAME);
    GdiFlush();
    if (gui_save_window_bmp(target, w->options.screenshot) != 0) {
        gui_error(w->hwnd, "The screenshot could not be written (--screenshot).");
        w->exit_code = 1;
    }
    DestroyWindow(w->hwnd);
}

void main_scan_log(main_window *w, const char *event)
{
    if (!w->scan_log)
        return;
    uint64_t now = pmm_clock_microseconds();
    uint64_t ms = (now - w->scan_started) / 1000;
    wchar_t title[600] = L"";
    GetWindowTextW(w->hwnd, title, 600);
    char *title8 = gui_wide_to_utf8_alloc(title);
    fprintf(w->scan_log, "%s %llu rows %d regions %llu progress %d at %llu title %s\n", event, (unsigned long long)ms,
            ListView_GetItemCount(w->list.hwnd), (unsigned long long)(w->session.map ? w->session.map->region_count : 0),
            status_bar_progress(&w->status), (unsigned long long)now, title8 ? title8 : "");
    free(title8);
    fflush(w->scan_log);
}

/* At the --cancel-after-rows preview, the scan in progress as the user sees it: the --goto/--hex
 * address (an address: the preview has no symbols yet), the view's text (--dump-view) and the
 * window (--screenshot); then Cancel. */
void main_unattended_preview(main_window *w)
{
    if (!w->options.cancel_after_rows || !w->job ||
        (unsigned)ListView_GetItemCount(w->list.hwnd) < w->options.cancel_after_rows)
        return;
    uint64_t addr;
    char message[400];
    if (w->options.goto_text) {
        if (!goto_resolve(&w->session, w->options.goto_text, &addr, message, sizeof message)) {
            fail(w, message);
            return;
        }
        if (!main_go_to(w, addr)) {
            snprintf(message, sizeof message, "--goto: none of the rows walked so far holds 0x%llX.",
                     (unsigned long long)addr);
            fail(w, message);
            return;
        }
    }
    if (w->options.dump_view && write_view(w, w->options.dump_view) != 0) {
        fail(w, "The view could not be written (--dump-view).");
        return;
    }
    if (w->options.screenshot) {
        /* The scan in progress as the user sees it: the rows so far, the bar and Cancel. */
        RedrawWindow(w->hwnd, NULL, NULL, RDW_INVALIDATE | RDW_UPDATENOW | RDW_ALLCHILDREN | RDW_FRAME);
        GdiFlush();
        if (gui_save_window_bmp(w->hwnd, w->options.screenshot) != 0) {
            gui_error(w->hwnd, "The screenshot could not be written (--screenshot).");
            w->exit_code = 1;
        }
    }
    SendMessageW(w->hwnd, WM_COMMAND, MAKEWPARAM(ID_FILE_CANCEL_SCAN, 0), 0);
}

void main_unattended_cancel_ended(main_window *w)
{
    if (gui_unattended() && w->options.cancel_after_rows) {
        if (w->options.dump_rows && gui_write_rows(&w->rows, w->options.dump_rows) != 0)
            fail(w, "The rows could not be written (--dump-rows).");
        else
            DestroyWindow(w->hwnd);
    }
}
