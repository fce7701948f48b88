#include "exports_window.h"

#include <commctrl.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <windowsx.h>
#include "address_info.h"
#include "column_memory.h"
#include "exports_table.h"
#include "gui_util.h"
#include "res/resource.h"
#include "tool_host.h"
#include "tool_window.h"

#define EXPORTS_WINDOW_CLASS L"ProcessMemoryMap.Exports"

typedef struct exports_window {
    HWND hwnd, find_label, find, result, list, status;
    HFONT font;
    UINT dpi;
    target_session *session;     /* borrowed from the main window */
    tool_host host;
    exports_table table;
    char result_text[600];       /* UTF-8: what the find box found */
} exports_window;

static const struct {
    int width;    /* at 96 DPI */
    int format;
} column_layout[EXPORTS_COL_COUNT] = {
    [EXPORTS_COL_MODULE] = {150, LVCFMT_LEFT},
    [EXPORTS_COL_NAME] = {280, LVCFMT_LEFT},
    [EXPORTS_COL_ORDINAL] = {64, LVCFMT_RIGHT},
    [EXPORTS_COL_ADDRESS] = {140, LVCFMT_LEFT},
    [EXPORTS_COL_KIND] = {70, LVCFMT_LEFT},
    [EXPORTS_COL_SYMBOLS] = {120, LVCFMT_LEFT},
    [EXPORTS_COL_FORWARDER] = {200, LVCFMT_LEFT},
};

static exports_window *window_of(HWND hwnd)
{
    return tool_window_self(hwnd, EXPORTS_WINDOW_CLASS);
}

static void update_status(exports_window *w)
{
    char text[256];
    const pmm_map *map = w->session->map;
    snprintf(text, sizeof text, "%zu of %zu exports shown, from %zu modules%s. Double-click one to see its code.", w->table.shown_count, w->table.count,
             map ? map->module_count : 0, w->table.modules_without ? "; some export tables could not be read" : "");
    gui_set_text(w->status, text);
    gui_set_text(w->result, w->result_text);
}

static void show_rows(exports_window *w, size_t select)
{
    ListView_SetItemState(w->list, -1, 0, LVIS_SELECTED | LVIS_FOCUSED);
    ListView_SetItemCountEx(w->list, (int)w->table.shown_count, 0);
    if (select != PMM_NO_INDEX && select < w->table.shown_count) {
        ListView_SetItemState(w->list, (int)select, LVIS_SELECTED | LVIS_FOCUSED, LVIS_SELECTED | LVIS_FOCUSED);
        ListView_EnsureVisible(w->list, (int)select, FALSE);
    }
    InvalidateRect(w->list, NULL, FALSE);
    update_status(w);
}

/* An address, not a name: "0x..." always; bare hex only when it is long and has a digit, so that
 * names like "add" or "f1" stay names. */
static int looks_like_address(const char *text, uint64_t *addr)
{
    size_t len = strlen(text), digits = 0;
    for (size_t i = 0; i < len; i++)
        digits += isdigit((unsigned char)text[i]) != 0;
    int prefixed = len > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
    return (prefixed || (len >= 6 && digits > 0)) && address_parse(text, addr);
}

static void find_address(exports_window *w, uint64_t addr)
{
    const pmm_symbols *syms = target_session_symbols(w->session);
    pmm_symbol_match match;
    size_t row = PMM_NO_INDEX;
    char name[512] = "";
    /* The export it lies in, as pmm exports --find says; the Symbols column has the best name. */
    if (syms && pmm_symbols_lookup_export(syms, addr, &match)) {
        pmm_symbols_describe_match(syms, &match, name, sizeof name);
        row = exports_table_show_symbol(&w->table, syms, &match);
        snprintf(w->result_text, sizeof w->result_text, "0x%llX is %s", (unsigned long long)addr, name);
    } else {
        exports_table_filter(&w->table, "");
        snprintf(w->result_text, sizeof w->result_text, "0x%llX is in no module", (unsigned long long)addr);
    }
    show_rows(w, row);
}

static void apply_find(exports_window *w)
{
    wchar_t wide[300];
    GetWindowTextW(w->find, wide, 300);
    char *text = gui_wide_to_utf8_alloc(wide);
    if (!text)
        return;
    uint64_t addr;
    if (looks_like_address(text, &addr)) {
        find_address(w, addr);
    } else {
        if (exports_table_filter(&w->table, text) != PMM_OK)
            gui_error(w->hwnd, "Not enough memory to filter the exports.");
        if (text[0])
            snprintf(w->result_text, sizeof w->result_text, "%zu export%s match '%s'", w->table.shown_count,
                     w->table.shown_count == 1 ? "" : "s", text);
        else
            w->result_text[0] = '\0';
        show_rows(w, w->table.shown_count ? 0 : PMM_NO_INDEX);
    }
    free(text);
}

static void reload(exports_window *w)
{
    exports_table_free(&w->table);
    const pmm_map *map = w->session->map;
    if (map && w->session->source) {
        /* On the UI thread: a few hundred modules read in well under a second. */
        HCURSOR old = SetCursor(LoadCursorW(NULL, (LPCWSTR)IDC_WAIT));
        pmm_status st = exports_table_build(&w->table, w->session->source, map);
        w->table.syms = target_session_symbols(w->session);
        SetCursor(old);
        if (st != PMM_OK)
            gui_error(w->hwnd, "Not enough memory to read the exports. Close other programs and try again.");
    }
    char title[400];
    snprintf(title, sizeof title, "Exports - %s", map && map->target.name[0] ? map->target.name : "no target");
    wchar_t wide[400];
    gui_utf8_to_wide(title, wide, 400);
    SetWindowTextW(w->hwnd, wide);
    apply_find(w);
}

/* ---- layout ---- */

static void layout(void *self)
{
    exports_window *w = self;
    RECT client;
    GetClientRect(w->hwnd, &client);
    int margin = gui_scale(8, w->dpi), gap = gui_scale(6, w->dpi);
    int edit_h = gui_scale(23, w->dpi), label_w = gui_scale(36, w->dpi), find_w = gui_scale(300, w->dpi);
    int status_h = gui_scale(20, w->dpi);
    int y = margin;
    SetWindowPos(w->find_label, NULL, margin, y + gui_scale(4, w->dpi), label_w, edit_h, SWP_NOZORDER);
    SetWindowPos(w->find, NULL, margin + label_w, y, find_w, edit_h, SWP_NOZORDER);
    int result_x = margin + label_w + find_w + gap * 2;
    SetWindowPos(w->result, NULL, result_x, y + gui_scale(4, w->dpi), client.right - margin - result_x, edit_h,
                 SWP_NOZORDER);
    int list_top = y + edit_h + gap;
    int list_h = client.bottom - margin - status_h - list_top;
    SetWindowPos(w->list, NULL, margin, list_top, client.right - 2 * margin, list_h > 0 ? list_h : 0, SWP_NOZORDER);
    SetWindowPos(w->status, NULL, margin, client.bottom - margin - status_h + gui_scale(4, w->dpi),
                 client.right - 2 * margin, status_h, SWP_NOZORDER);
    /* The last column takes the width the others leave. */
    RECT list;
    GetClientRect(w->list, &list);
    int used = 0;
    for (int c = 0; c < EXPORTS_COL_FORWARDER; c++)
        used += ListView_GetColumnWidth(w->list, c);
    int rest = list.right - used, minimum = gui_scale(column_layout[EXPORTS_COL_FORWARDER].width, w->dpi);
    ListView_SetColumnWidth(w->list, EXPORTS_COL_FORWARDER, rest > minimum ? rest : minimum);
}

static HWND child(exports_window *w, const wchar_t *cls, const wchar_t *text, DWORD style, DWORD ex_style, int id)
{
    return tool_window_child(w->hwnd, w->font, cls, text, style, ex_style, id);
}

static void create_columns(exports_window *w)
{
    for (int c = 0; c < EXPORTS_COL_COUNT; c++) {
        int narrow = c == EXPORTS_COL_ADDRESS && w->session->map && w->session->map->target.pointer_size == 4;
        gui_list_add_column_utf8(w->list, c, exports_column_name((exports_column)c),
                                 narrow ? 90 : column_layout[c].width, column_layout[c].format, w->dpi);
    }
    column_memory_attach(w->list, "exports");
}

/* ---- messages ---- */

static int on_create(void *self, HWND hwnd, UINT dpi, HFONT font)
{
    exports_window *w = self;
    w->hwnd = hwnd;
    w->dpi = dpi;
    w->font = font;
    w->find_label = child(w, L"STATIC", L"&Find:", SS_LEFT, 0, IDC_STATIC);
    w->find = child(w, L"EDIT", L"", WS_TABSTOP | ES_AUTOHSCROLL, WS_EX_CLIENTEDGE, IDC_EXPORTS_FIND);
    w->result = child(w, L"STATIC", L"", SS_LEFT | SS_ENDELLIPSIS | SS_NOPREFIX, 0, IDC_EXPORTS_RESULT);
    w->list = child(w, WC_LISTVIEWW, L"Exports",
                    WS_TABSTOP | LVS_REPORT | LVS_OWNERDATA | LVS_SHOWSELALWAYS | LVS_SINGLESEL, WS_EX_CLIENTEDGE,
                    IDC_EXPORTS_LIST);
    w->status = child(w, L"STATIC", L"", SS_LEFT | SS_ENDELLIPSIS | SS_NOPREFIX, 0, IDC_STATIC);
    if (!w->find || !w->list)
        return 0;
    ListView_SetExtendedListViewStyle(w->list, LVS_EX_FULLROWSELECT | LVS_EX_DOUBLEBUFFER | LVS_EX_LABELTIP);
    SendMessageW(w->find, EM_SETCUEBANNER, TRUE, (LPARAM)L"Name, module!name or address");
    create_columns(w);
    layout(w);
    reload(w);
    return 1;
}

static void on_command(void *self, int id, UINT code)
{
    exports_window *w = self;
    if (id == IDC_EXPORTS_FIND && code == EN_CHANGE)
        apply_find(w);
    else if (id == IDCANCEL)
        DestroyWindow(w->hwnd);
}

static void get_display_info(exports_window *w, NMLVDISPINFOW *info)
{
    LVITEMW *item = &info->item;
    if (!(item->mask & LVIF_TEXT) || item->cchTextMax <= 0 || item->iItem < 0)
        return;
    char buf[64];
    const char *text = exports_table_cell(&w->table, (size_t)item->iItem, (exports_column)item->iSubItem, buf, sizeof buf);
    gui_utf8_to_wide(text, item->pszText, (size_t)item->cchTextMax);
}

/* Double-click or Enter: the export's code in the main window's Disassembly tab (data in its hex view). */
static void activate(exports_window *w, int item)
{
    if (item < 0 || (size_t)item >= w->table.shown_count)
        return;
    const export_row *row = &w->table.rows[w->table.shown[item]];
    if (!row->address)
        MessageBeep(MB_ICONWARNING);   /* a forwarder: its code is in another module */
    else if (w->host.show_code)
        w->host.show_code(w->host.ctx, row->address);
}

static LRESULT on_notify(void *self, NMHDR *hdr)
{
    exports_window *w = self;
    if (hdr->hwndFrom == w->list && hdr->code == LVN_GETDISPINFOW)
        get_display_info(w, (NMLVDISPINFOW *)hdr);
    else if (hdr->hwndFrom == w->list && hdr->code == LVN_ITEMACTIVATE)
        activate(w, ((NMITEMACTIVATE *)hdr)->iItem);
    return 0;
}

static HWND focus_control(void *self)
{
    return ((exports_window *)self)->find;
}

static void on_destroy(void *self)
{
    exports_table_free(&((exports_window *)self)->table);
}

static const tool_window_kind exports_kind = {
    .class_name = EXPORTS_WINDOW_CLASS, .title = L"Exports", .place = {40, 40, 900, 560},
    .min_width = 520, .min_height = 300,
    .create = on_create, .layout = layout, .command = on_command, .notify = on_notify,
    .focus = focus_control, .destroy = on_destroy, .release = free,
};

int exports_window_register(HINSTANCE instance)
{
    return tool_window_register_kind(instance, &exports_kind);
}

HWND exports_window_open(HWND owner, target_session *session, const tool_host *host)
{
    exports_window *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->session = session;
    w->host = *host;
    exports_table_init(&w->table);
    return tool_window_open_kind(owner, &exports_kind, w);
}

void exports_window_reload(HWND hwnd)
{
    exports_window *w = window_of(hwnd);
    if (w)
        reload(w);
}

void exports_window_find(HWND hwnd, const char *text)
{
    exports_window *w = window_of(hwnd);
    if (!w)
        return;
    gui_set_text(w->find, text);   /* its EN_CHANGE applies it */
}

int exports_window_write_text(HWND hwnd, FILE *f)
{
    exports_window *w = window_of(hwnd);
    if (!w)
        return -1;
    char cell[1024];
    int ok = fprintf(f, "%s\n", w->result_text) > 0;
    int selected = ListView_GetNextItem(w->list, -1, LVNI_SELECTED);
    for (size_t i = 0; i < w->table.shown_count && ok; i++) {
        ok = fputs((int)i == selected ? "*" : " ", f) >= 0;
        for (int c = 0; c < EXPORTS_COL_COUNT && ok; c++)
            ok = fprintf(f, "%s%s", c ? "\t" : "", exports_table_cell(&w->table, i, (exports_column)c, cell, sizeof cell)) >= 0;
        ok = ok && fputc('\n', f) != EOF;
    }
    return ok ? 0 : -1;
}
