#include "summary_pane.h"

#include <commctrl.h>
#include <stdio.h>
#include <string.h>
#include "core/util/text.h"
#include "gui_util.h"
#include "region_rows.h"

/* Row order as in VMMap: the total first, then the types, free space last. */
static const int row_kinds[SUMMARY_ROW_COUNT] = {
    -1, PMM_KIND_IMAGE, PMM_KIND_MAPPED_FILE, PMM_KIND_SHAREABLE, PMM_KIND_HEAP, PMM_KIND_STACK,
    PMM_KIND_PRIVATE, PMM_KIND_SYSTEM, PMM_KIND_UNUSABLE, PMM_KIND_FREE,
};

/* Committed to Locked WS are the pmm_usage columns, in their order. */
enum {
    COL_TYPE, COL_SIZE, COL_COMMITTED, COL_PRIVATE, COL_WS_TOTAL, COL_WS_PRIVATE, COL_WS_SHAREABLE, COL_WS_SHARED,
    COL_WS_LOCKED, COL_BLOCKS, COL_LARGEST, COL_COUNT
};

static const struct {
    const wchar_t *name;
    int width;
    int format;
} columns[COL_COUNT] = {
    {L"Type", 116, LVCFMT_LEFT},
    {L"Size", 126, LVCFMT_RIGHT},
    {L"Committed", 104, LVCFMT_RIGHT},
    {L"Private", 96, LVCFMT_RIGHT},
    {L"Total WS", 96, LVCFMT_RIGHT},
    {L"Private WS", 96, LVCFMT_RIGHT},
    {L"Shareable WS", 100, LVCFMT_RIGHT},
    {L"Shared WS", 90, LVCFMT_RIGHT},
    {L"Locked WS", 84, LVCFMT_RIGHT},
    {L"Blocks", 60, LVCFMT_RIGHT},
    {L"Largest", 120, LVCFMT_RIGHT},
};

static int is_ws_column(int c)
{
    return c >= COL_WS_TOTAL && c <= COL_WS_LOCKED;
}

/* The working-set columns are 0 wide for a map without working-set facts. */
static void set_column_widths(summary_pane *pane, UINT dpi)
{
    int hide_ws = pane->has_map && !pane->summary.has_working_set;
    for (int c = 0; c < COL_COUNT; c++)
        ListView_SetColumnWidth(pane->hwnd, c, hide_ws && is_ws_column(c) ? 0 : gui_scale(columns[c].width, dpi));
}

HWND summary_pane_create(summary_pane *pane, HWND parent, int id, UINT dpi)
{
    memset(pane, 0, sizeof *pane);
    pane->dpi = dpi;
    pane->hwnd = CreateWindowExW(0, WC_LISTVIEWW, L"Summary",
                                 WS_CHILD | WS_VISIBLE | WS_TABSTOP | WS_BORDER | LVS_REPORT | LVS_OWNERDATA |
                                     LVS_SINGLESEL | LVS_SHOWSELALWAYS | LVS_NOSORTHEADER,
                                 0, 0, 0, 0, parent, (HMENU)(INT_PTR)id, GetModuleHandleW(NULL), NULL);
    if (!pane->hwnd)
        return NULL;
    ListView_SetExtendedListViewStyle(pane->hwnd, LVS_EX_FULLROWSELECT | LVS_EX_DOUBLEBUFFER);
    for (int c = 0; c < COL_COUNT; c++)
        gui_list_add_column(pane->hwnd, c, columns[c].name, columns[c].width, columns[c].format, dpi);
    ListView_SetItemCountEx(pane->hwnd, 0, 0);
    return pane->hwnd;
}

void summary_pane_set_dpi(summary_pane *pane, UINT dpi)
{
    pane->dpi = dpi;
    set_column_widths(pane, dpi);
}

void summary_pane_set_map(summary_pane *pane, const pmm_map *map)
{
    pane->has_map = map != NULL;
    if (map)
        pmm_map_summarize(map, &pane->summary);
    else
        memset(&pane->summary, 0, sizeof pane->summary);
    ListView_SetItemCountEx(pane->hwnd, map ? SUMMARY_ROW_COUNT : 0, 0);
    set_column_widths(pane, pane->dpi);
    InvalidateRect(pane->hwnd, NULL, TRUE);
}

void summary_pane_show_filter(summary_pane *pane, uint32_t filter)
{
    int row = 0;
    for (int i = 1; i < SUMMARY_ROW_COUNT; i++)
        if (filter == (1u << row_kinds[i]))
            row = i;
    pane->updating = 1;
    ListView_SetItemState(pane->hwnd, -1, 0, LVIS_SELECTED | LVIS_FOCUSED);
    if (pane->has_map)
        ListView_SetItemState(pane->hwnd, row, LVIS_SELECTED | LVIS_FOCUSED, LVIS_SELECTED | LVIS_FOCUSED);
    pane->updating = 0;
}

int summary_pane_height(const summary_pane *pane)
{
    /* Measure a row through the control itself: it knows its font and the theme's padding. */
    HWND header = ListView_GetHeader(pane->hwnd);
    RECT header_rect = {0}, item = {0};
    GetWindowRect(header, &header_rect);
    int row_height = 0;
    if (ListView_GetItemCount(pane->hwnd) > 0 && ListView_GetItemRect(pane->hwnd, 0, &item, LVIR_BOUNDS))
        row_height = item.bottom - item.top;
    if (row_height <= 0) {
        DWORD spacing = (DWORD)SendMessageW(pane->hwnd, LVM_GETITEMSPACING, TRUE, 0);
        row_height = HIWORD(spacing) ? HIWORD(spacing) : 17;
    }
    int frame = 2 * GetSystemMetrics(SM_CYEDGE);
    return (header_rect.bottom - header_rect.top) + SUMMARY_ROW_COUNT * row_height + frame + 2;
}

int summary_pane_width(const summary_pane *pane)
{
    int width = 0;
    for (int c = 0; c < COL_COUNT; c++)
        width += ListView_GetColumnWidth(pane->hwnd, c);
    return width + 2 * GetSystemMetrics(SM_CXEDGE) + 2;
}

static const pmm_kind_totals *row_totals(const summary_pane *pane, int row)
{
    int kind = row_kinds[row];
    return kind < 0 ? &pane->summary.total : &pane->summary.kinds[kind];
}

static void get_display_info(summary_pane *pane, NMLVDISPINFOW *info)
{
    LVITEMW *item = &info->item;
    if (!(item->mask & LVIF_TEXT) || item->iItem < 0 || item->iItem >= SUMMARY_ROW_COUNT || item->cchTextMax <= 0)
        return;
    const pmm_kind_totals *t = row_totals(pane, item->iItem);
    int kind = row_kinds[item->iItem];
    char buf[64];
    const char *text = "";
    if (item->iSubItem >= COL_COMMITTED && item->iSubItem <= COL_WS_LOCKED) {
        uint64_t values[PMM_USAGE_COLUMNS];
        pmm_usage_values(&t->usage, values);
        uint64_t value = values[item->iSubItem - COL_COMMITTED];
        if (value && (!is_ws_column(item->iSubItem) || pane->summary.has_working_set))
            text = pmm_size_text(value, buf, sizeof buf);
        gui_utf8_to_wide(text, item->pszText, (size_t)item->cchTextMax);
        return;
    }
    switch (item->iSubItem) {
    case COL_TYPE: text = kind < 0 ? "Total" : pmm_region_kind_name((pmm_region_kind)kind); break;
    case COL_SIZE: text = pmm_size_text(t->size, buf, sizeof buf); break;
    case COL_BLOCKS:
        snprintf(buf, sizeof buf, "%llu", (unsigned long long)t->blocks);
        text = buf;
        break;
    case COL_LARGEST: text = t->largest ? pmm_size_text(t->largest, buf, sizeof buf) : ""; break;
    }
    gui_utf8_to_wide(text, item->pszText, (size_t)item->cchTextMax);
}

static LRESULT custom_draw(summary_pane *pane, NMLVCUSTOMDRAW *draw)
{
    switch (draw->nmcd.dwDrawStage) {
    case CDDS_PREPAINT:
        return CDRF_NOTIFYITEMDRAW;
    case CDDS_ITEMPREPAINT:
        return CDRF_NOTIFYSUBITEMDRAW;
    case CDDS_ITEMPREPAINT | CDDS_SUBITEM: {
        int row = (int)draw->nmcd.dwItemSpec;
        int kind = row >= 0 && row < SUMMARY_ROW_COUNT ? row_kinds[row] : -1;
        (void)pane;
        /* The Type cell carries the type's colour, as a legend for the list below. */
        if (draw->iSubItem == COL_TYPE && kind >= 0)
            draw->clrTextBk = kind == PMM_KIND_FREE ? RGB(0xF4, 0xF4, 0xF4) : gui_kind_colour(kind, 0);
        else
            draw->clrTextBk = GetSysColor(COLOR_WINDOW);
        draw->clrText = GetSysColor(COLOR_WINDOWTEXT);
        return CDRF_NEWFONT;
    }
    }
    return CDRF_DODEFAULT;
}

int summary_pane_notify(summary_pane *pane, NMHDR *hdr, LRESULT *result, int *filter_changed, uint32_t *filter)
{
    *filter_changed = 0;
    *result = 0;
    if (hdr->hwndFrom != pane->hwnd)
        return 0;
    switch (hdr->code) {
    case LVN_GETDISPINFOW:
        get_display_info(pane, (NMLVDISPINFOW *)hdr);
        break;
    case NM_CUSTOMDRAW:
        *result = custom_draw(pane, (NMLVCUSTOMDRAW *)hdr);
        break;
    case LVN_ITEMCHANGED: {
        NMLISTVIEW *change = (NMLISTVIEW *)hdr;
        if (pane->updating || change->iItem < 0 || change->iItem >= SUMMARY_ROW_COUNT)
            break;
        if ((change->uNewState & LVIS_SELECTED) && !(change->uOldState & LVIS_SELECTED)) {
            int kind = row_kinds[change->iItem];
            *filter = kind < 0 ? REGION_FILTER_ALL : 1u << kind;
            *filter_changed = 1;
        }
        break;
    }
    }
    return 1;
}
