/* The main window's commands that act on the map: go to an address, properties, copy an address,
 * the exports window, opening a minidump, exporting the list to CSV, and the row context menu. */
#include <windows.h>
#include <commctrl.h>
#include <commdlg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "address_info.h"
#include "core/util/temp_file.h"
#include "core/util/text.h"
#include "exports_window.h"
#include "goto_dialog.h"
#include "gui_util.h"
#include "main_file_commands.h"
#include "main_pictures.h"
#include "main_tools.h"
#include "main_window_internal.h"
#include "options_dialog.h"
#include "properties_dialog.h"
#include "res/resource.h"
#include "rows_csv.h"

int main_focused_address(main_window *w, uint64_t *addr)
{
    uint64_t end;
    size_t row = region_list_focused(&w->list);
    return row != PMM_NO_INDEX && region_rows_range(&w->rows, row, addr, &end);
}

static void go_to(main_window *w)
{
    uint64_t addr;
    if (!w->session.map || !goto_dialog_run(w->hwnd, &w->session, &addr))
        return;
    if (!main_go_to(w, addr)) {
        char message[200];
        snprintf(message, sizeof message, "No region of this map holds 0x%llX.", (unsigned long long)addr);
        gui_error(w->hwnd, message);
    }
}

/* Kept in the settings (saved at exit); a --symbols path given on the command line still wins. */
static void edit_options(main_window *w, int focus_control)
{
    gui_settings edited = w->settings;
    if (!options_dialog_run(w->hwnd, &edited, focus_control))
        return;
    int symbols_changed = wcscmp(edited.symbol_path, w->settings.symbol_path) != 0;
    int font_changed = edited.hex_font_points != w->settings.hex_font_points;
    w->settings = edited;
    w->settings.reset_layout = 0;
    if (edited.reset_layout)
        main_reset_layout(w);
    if (symbols_changed) {
        main_symbol_path_changed(w);
        if (w->exports)
            exports_window_reload(w->exports);
    }
    if (font_changed) {
        w->hex.font_points = edited.hex_font_points;
        hex_view_set_fonts(&w->hex, w->dpi, w->bold_font);
    }
}

void main_show_properties(main_window *w, uint64_t addr)
{
    if (!w->session.map)
        return;
    char symbol[600], source[600];
    HCURSOR old = SetCursor(LoadCursorW(NULL, (LPCWSTR)IDC_WAIT));
    target_session_describe(&w->session, addr, symbol, sizeof symbol);
    target_session_source(&w->session, addr, source, sizeof source);
    SetCursor(old);
    address_info *info = malloc(sizeof *info);
    if (!info)
        return;
    address_info_describe(w->session.map, addr, symbol, source, info);
    w->properties = properties_dialog_open(w->hwnd, info);
    free(info);
}

static void copy_address(main_window *w)
{
    uint64_t addr;
    if (!w->session.map || !main_focused_address(w, &addr))
        return;
    char text[32];
    pmm_address_text(addr, w->session.map->target.pointer_size, text, sizeof text);
    if (!gui_copy_text(w->hwnd, text))
        gui_error(w->hwnd, "The address could not be copied to the clipboard. Try again.");
}

void main_open_exports(main_window *w)
{
    if (!w->session.map)
        return;
    if (w->exports && IsWindow(w->exports)) {
        ShowWindow(w->exports, SW_SHOWNORMAL);
        SetForegroundWindow(w->exports);
        return;
    }
    tool_host host = main_tools_host(w);
    w->exports = exports_window_open(w->hwnd, &w->session, &host);
    if (!w->exports)
        gui_error(w->hwnd, "The exports window could not be opened.");
}

static void open_dump(main_window *w)
{
    wchar_t path[MAX_PATH * 2] = L"";
    OPENFILENAMEW ofn = {0};
    ofn.lStructSize = sizeof ofn;
    ofn.hwndOwner = w->hwnd;
    ofn.lpstrFilter = L"Dumps and saved maps (*.dmp; *.mdmp; *.pmm)\0*.dmp;*.mdmp;*.pmm\0All files (*.*)\0*.*\0";
    ofn.lpstrFile = path;
    ofn.nMaxFile = sizeof path / sizeof path[0];
    ofn.lpstrTitle = L"Open Minidump, Kernel Dump or Saved Map";
    ofn.Flags = OFN_FILEMUSTEXIST | OFN_PATHMUSTEXIST | OFN_HIDEREADONLY;
    if (!GetOpenFileNameW(&ofn))
        return;
    char *utf8 = gui_wide_to_utf8_alloc(path);
    if (utf8)
        main_open_file(w, utf8, NULL);
    free(utf8);
}

static void export_csv(main_window *w)
{
    if (!w->session.map)
        return;
    wchar_t path[MAX_PATH * 2];
    char name[300];
    snprintf(name, sizeof name, "%s-map.csv", w->session.map->target.name[0] ? w->session.map->target.name : "process");
    gui_utf8_to_wide(name, path, sizeof path / sizeof path[0]);
    OPENFILENAMEW ofn = {0};
    ofn.lStructSize = sizeof ofn;
    ofn.hwndOwner = w->hwnd;
    ofn.lpstrFilter = L"CSV files (*.csv)\0*.csv\0All files (*.*)\0*.*\0";
    ofn.lpstrFile = path;
    ofn.nMaxFile = sizeof path / sizeof path[0];
    ofn.lpstrDefExt = L"csv";
    ofn.lpstrTitle = L"Export the List as CSV";
    ofn.Flags = OFN_OVERWRITEPROMPT | OFN_PATHMUSTEXIST | OFN_HIDEREADONLY;
    if (!GetSaveFileNameW(&ofn))
        return;
    /* All or nothing, like every output: a failed export leaves no half-written CSV. */
    char *utf8 = gui_wide_to_utf8_alloc(path), message[800] = "";
    pmm_temp_file out;
    pmm_status st = utf8 ? pmm_temp_file_create(&out, utf8, message, sizeof message) : PMM_ERR_NOMEM;
    if (st == PMM_OK) {
        if (region_rows_write_csv(&w->rows, out.file) != 0)
            pmm_temp_file_write_failed(&out);
        st = pmm_temp_file_commit(&out);
        if (st != PMM_OK)
            snprintf(message, sizeof message, "%s", pmm_temp_file_error(&out));
        pmm_temp_file_discard(&out);
    }
    if (st != PMM_OK) {
        char text[1000];
        snprintf(text, sizeof text, "The CSV file was not written: %s.", message[0] ? message : pmm_status_text(st));
        gui_error(w->hwnd, text);
    }
    free(utf8);
}

static void properties_of_focus(main_window *w)
{
    uint64_t addr;
    if (main_focused_address(w, &addr))
        main_show_properties(w, addr);
}

static void hex_of_focus(main_window *w)
{
    main_show_selection(w);
    SetFocus(w->hex.pane.hwnd);
}

int main_command(main_window *w, int id)
{
    if (main_tools_command(w, id) || main_pictures_command(w, id))
        return 1;
    switch (id) {
    case ID_FILE_OPEN_DUMP: open_dump(w); return 1;
    case ID_FILE_EXPORT_CSV: export_csv(w); return 1;
    case ID_EDIT_COPY_ADDRESS: copy_address(w); return 1;
    case ID_EDIT_GOTO: go_to(w); return 1;
    case ID_OPTIONS_OPTIONS: edit_options(w, 0); return 1;
    case ID_OPTIONS_SYMBOL_PATH: edit_options(w, IDC_OPTIONS_SYMBOLS); return 1;
    case ID_EDIT_PROPERTIES: properties_of_focus(w); return 1;
    case ID_VIEW_HEX: hex_of_focus(w); return 1;
    case ID_VIEW_EXPORTS: main_open_exports(w); return 1;
    }
    return main_file_command(w, id);
}

void main_context_menu(main_window *w, int x, int y)
{
    size_t row = region_list_focused(&w->list);
    if (x == -1 && y == -1) {
        /* From the keyboard (Shift+F10, the menu key): at the focused row. */
        RECT r = {0};
        if (row != PMM_NO_INDEX)
            ListView_GetItemRect(w->list.hwnd, (int)row, &r, LVIR_LABEL);
        POINT p = {r.left + 8, r.bottom};
        ClientToScreen(w->list.hwnd, &p);
        x = p.x;
        y = p.y;
    }
    if (!w->session.map || row == PMM_NO_INDEX)
        return;
    HMENU menu = LoadMenuW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDR_ROW_MENU));
    if (!menu)
        return;
    HMENU popup = GetSubMenu(menu, 0);
    SetMenuDefaultItem(popup, ID_EDIT_PROPERTIES, FALSE);
    TrackPopupMenu(popup, TPM_RIGHTBUTTON, x, y, 0, w->hwnd, NULL);
    DestroyMenu(menu);
}
