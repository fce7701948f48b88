#include "target_pane.h"

#include <commctrl.h>
#include <stdio.h>
#include <string.h>
#include "core/util/text.h"
#include "gui_util.h"

enum { ROW_PROCESS, ROW_PATH, ROW_PID, ROW_BITS, ROW_PEB, ROW_MODULES, ROW_THREADS, ROW_HEAPS, ROW_REGIONS,
       ROW_SCAN, ROW_COUNT };

static const char *const row_names[ROW_COUNT] = {
    "Process", "Path", "PID", "Architecture", "PEB", "Modules", "Threads", "Heaps", "Regions", "Scan",
};

HWND target_pane_create(target_pane *pane, HWND parent, int id, UINT dpi)
{
    memset(pane, 0, sizeof *pane);
    pane->hwnd = CreateWindowExW(0, WC_LISTVIEWW, L"Target",
                                 WS_CHILD | WS_VISIBLE | WS_TABSTOP | WS_BORDER | LVS_REPORT | LVS_OWNERDATA |
                                     LVS_SINGLESEL | LVS_NOSORTHEADER,
                                 0, 0, 0, 0, parent, (HMENU)(INT_PTR)id, GetModuleHandleW(NULL), NULL);
    if (!pane->hwnd)
        return NULL;
    ListView_SetExtendedListViewStyle(pane->hwnd, LVS_EX_FULLROWSELECT | LVS_EX_DOUBLEBUFFER | LVS_EX_LABELTIP);
    static const wchar_t *const names[2] = {L"Target", L""};
    static const int widths[2] = {96, 600};
    for (int c = 0; c < 2; c++)
        gui_list_add_column(pane->hwnd, c, names[c], widths[c], LVCFMT_LEFT, dpi);
    return pane->hwnd;
}

void target_pane_set_dpi(target_pane *pane, UINT dpi)
{
    ListView_SetColumnWidth(pane->hwnd, 0, gui_scale(96, dpi));
    ListView_SetColumnWidth(pane->hwnd, 1, gui_scale(600, dpi));
}

void target_pane_fit(target_pane *pane)
{
    RECT r;
    GetClientRect(pane->hwnd, &r);
    int value = r.right - ListView_GetColumnWidth(pane->hwnd, 0);
    if (value < 100)
        value = 100;
    if (ListView_GetColumnWidth(pane->hwnd, 1) != value)   /* setting it repaints the pane */
        ListView_SetColumnWidth(pane->hwnd, 1, value);
}

void target_pane_set_map(target_pane *pane, const pmm_map *map)
{
    pane->map = map;
    ListView_SetItemCountEx(pane->hwnd, map ? ROW_COUNT : 0, 0);
    InvalidateRect(pane->hwnd, NULL, TRUE);
}

static const char *value_text(const pmm_map *map, int row, char *buf, size_t cap)
{
    const pmm_target_info *t = &map->target;
    char a[32], b[32];
    switch (row) {
    case ROW_PROCESS: return t->name;
    case ROW_PATH: return t->path;
    case ROW_PID: snprintf(buf, cap, "%u", (unsigned)t->pid); return buf;
    case ROW_BITS:
        snprintf(buf, cap, "%s%s, read by the %s tool", t->pointer_size == 4 ? "32-bit" : "64-bit",
                 t->wow64 ? " (WOW64)" : "", t->tool_pointer_size == 4 ? "32-bit" : "64-bit");
        return buf;
    case ROW_PEB:
        if (!t->peb && !t->peb32)
            return "not known";
        if (t->peb32)
            snprintf(buf, cap, "%s (32-bit PEB %s)", pmm_address_text(t->peb, 8, a, sizeof a),
                     pmm_address_text(t->peb32, 4, b, sizeof b));
        else
            pmm_address_text(t->peb, t->pointer_size, buf, cap);
        return buf;
    case ROW_MODULES: snprintf(buf, cap, "%zu", map->module_count); return buf;
    case ROW_THREADS: snprintf(buf, cap, "%zu", map->thread_count); return buf;
    case ROW_HEAPS: snprintf(buf, cap, "%zu", map->heap_count); return buf;
    case ROW_REGIONS:
        snprintf(buf, cap, "%zu in %zu allocations, %zu annotations", map->region_count, map->allocation_count,
                 map->annotation_count);
        return buf;
    case ROW_SCAN:
        if (map->scan_flags & PMM_SCAN_PREVIEW)
            return "in progress: the regions walked so far, not yet analysed";
        snprintf(buf, cap, "%llu ms, %zu not read", (unsigned long long)(map->scan_microseconds / 1000),
                 map->warning_count);
        return buf;
    }
    return "";
}

int target_pane_notify(target_pane *pane, NMHDR *hdr, LRESULT *result)
{
    *result = 0;
    if (hdr->hwndFrom != pane->hwnd)
        return 0;
    if (hdr->code == LVN_GETDISPINFOW) {
        LVITEMW *item = &((NMLVDISPINFOW *)hdr)->item;
        if (!pane->map || !(item->mask & LVIF_TEXT) || item->iItem < 0 || item->iItem >= ROW_COUNT ||
            item->cchTextMax <= 0)
            return 1;
        char buf[1200];
        const char *text = item->iSubItem == 0 ? row_names[item->iItem] : value_text(pane->map, item->iItem, buf, sizeof buf);
        gui_utf8_to_wide(text, item->pszText, (size_t)item->cchTextMax);
    } else if (hdr->code == NM_CUSTOMDRAW) {
        NMLVCUSTOMDRAW *draw = (NMLVCUSTOMDRAW *)hdr;
        if (draw->nmcd.dwDrawStage == CDDS_PREPAINT)
            *result = CDRF_NOTIFYITEMDRAW;
        else if (draw->nmcd.dwDrawStage == CDDS_ITEMPREPAINT)
            *result = CDRF_NOTIFYSUBITEMDRAW;
        else if (draw->nmcd.dwDrawStage == (CDDS_ITEMPREPAINT | CDDS_SUBITEM)) {
            /* Names in grey, values in the normal colour, as in a property sheet. */
            draw->clrText = draw->iSubItem == 0 ? RGB(0x60, 0x60, 0x60) : GetSysColor(COLOR_WINDOWTEXT);
            draw->clrTextBk = GetSysColor(COLOR_WINDOW);
            *result = CDRF_NEWFONT;
        }
    }
    return 1;
}
