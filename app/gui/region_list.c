#include "region_list.h"

#include <commctrl.h>
#include <stdlib.h>
#include <string.h>
#include "gui_util.h"

enum { GLYPH_NONE, GLYPH_COLLAPSED, GLYPH_EXPANDED, GLYPH_COUNT };

static const struct {
    int width;      /* at 96 DPI */
    int format;
} column_layout[REGION_COL_COUNT] = {
    [REGION_COL_ADDRESS] = {190, LVCFMT_LEFT},
    [REGION_COL_TYPE] = {134, LVCFMT_LEFT},   /* "KUSER_SHARED_DATA", "Process parameters" */
    [REGION_COL_SIZE] = {104, LVCFMT_RIGHT},
    [REGION_COL_COMMITTED] = {84, LVCFMT_RIGHT},
    [REGION_COL_PRIVATE] = {84, LVCFMT_RIGHT},
    [REGION_COL_WS_TOTAL] = {84, LVCFMT_RIGHT},
    [REGION_COL_WS_PRIVATE] = {84, LVCFMT_RIGHT},
    [REGION_COL_WS_SHAREABLE] = {92, LVCFMT_RIGHT},
    [REGION_COL_WS_SHARED] = {84, LVCFMT_RIGHT},
    [REGION_COL_WS_LOCKED] = {84, LVCFMT_RIGHT},
    [REGION_COL_PROTECTION] = {76, LVCFMT_LEFT},
    [REGION_COL_INITIAL] = {112, LVCFMT_LEFT},
    [REGION_COL_BLOCKS] = {50, LVCFMT_RIGHT},
    [REGION_COL_DETAILS] = {420, LVCFMT_LEFT},
};

static int address_column_width(uint32_t pointer_size)
{
    return pointer_size == 4 ? 140 : column_layout[REGION_COL_ADDRESS].width;
}

/* ---- expand/collapse glyphs: drawn, so they are crisp at any DPI ---- */

static void put_pixel(uint32_t *bits, int stride, int x, int y, uint32_t argb)
{
    bits[y * stride + x] = argb;
}

static HIMAGELIST create_glyphs(UINT dpi)
{
    int size = gui_scale(16, dpi);
    HIMAGELIST list = ImageList_Create(size, size, ILC_COLOR32 | ILC_MASK, GLYPH_COUNT, 0);
    if (!list)
        return NULL;
    BITMAPINFO info = {0};
    info.bmiHeader.biSize = sizeof info.bmiHeader;
    info.bmiHeader.biWidth = size * GLYPH_COUNT;
    info.bmiHeader.biHeight = -size;
    info.bmiHeader.biPlanes = 1;
    info.bmiHeader.biBitCount = 32;
    info.bmiHeader.biCompression = BI_RGB;
    void *pixels = NULL;
    HBITMAP bitmap = CreateDIBSection(NULL, &info, DIB_RGB_COLORS, &pixels, NULL, 0);
    if (!bitmap) {
        ImageList_Destroy(list);
        return NULL;
    }
    uint32_t *bits = pixels;
    int stride = size * GLYPH_COUNT;
    memset(bits, 0, (size_t)stride * (size_t)size * sizeof *bits);
    int box = gui_scale(9, dpi) | 1;          /* odd, so the sign sits in the middle */
    int left = (size - box) / 2, top = (size - box) / 2;
    int mid = box / 2, arm = box / 2 - gui_scale(2, dpi);
    for (int g = GLYPH_COLLAPSED; g <= GLYPH_EXPANDED; g++) {
        int ox = g * size + left;
        for (int y = 0; y < box; y++)
            for (int x = 0; x < box; x++) {
                int edge = x == 0 || y == 0 || x == box - 1 || y == box - 1;
                put_pixel(bits, stride, ox + x, top + y, edge ? 0xFF8C8C8Cu : 0xFFFFFFFFu);
            }
        for (int d = -arm; d <= arm; d++) {
            put_pixel(bits, stride, ox + mid + d, top + mid, 0xFF303030u);
            if (g == GLYPH_COLLAPSED)
                put_pixel(bits, stride, ox + mid, top + mid + d, 0xFF303030u);
        }
    }
    /* A mask as well as alpha: comctl32 v5 and Wine draw 32-bit images without their alpha. */
    HBITMAP mask = CreateBitmap(stride, size, 1, 1, NULL);
    HDC dc = CreateCompatibleDC(NULL);
    HGDIOBJ old = SelectObject(dc, mask);
    for (int y = 0; y < size; y++)
        for (int x = 0; x < stride; x++)
            SetPixel(dc, x, y, bits[y * stride + x] >> 24 ? RGB(0, 0, 0) : RGB(255, 255, 255));
    SelectObject(dc, old);
    DeleteDC(dc);
    ImageList_Add(list, bitmap, mask);
    DeleteObject(mask);
    DeleteObject(bitmap);
    return list;
}

/* ---- focus and refresh ---- */

static size_t focused_row(const region_list *list)
{
    int row = ListView_GetNextItem(list->hwnd, -1, LVNI_FOCUSED);
    return row < 0 || (size_t)row >= list->rows->count ? PMM_NO_INDEX : (size_t)row;
}

/* Clears the selection (and with focus, the focus too). Wine's list view sets the state of every
 * row in turn for index -1 (40 ms for 100,000 owner-data rows, at each preview of a big scan)
 * unless only the selection is cleared and nothing is selected: a single selected row and the
 * focused one are cleared by their index. */
static void clear_selection(HWND hwnd, int focus)
{
    int selected = ListView_GetSelectedCount(hwnd);
    if (selected > 0) {
        int only = selected == 1 ? ListView_GetNextItem(hwnd, -1, LVNI_SELECTED) : -1;
        ListView_SetItemState(hwnd, only, 0, LVIS_SELECTED);
    }
    int focused = focus ? ListView_GetNextItem(hwnd, -1, LVNI_FOCUSED) : -1;
    if (focused >= 0) {
        ListView_SetItemState(hwnd, focused, 0, LVIS_FOCUSED);
    }
}

static void focus_row(region_list *list, size_t row)
{
    if (row == PMM_NO_INDEX || row >= list->rows->count)
        return;
    clear_selection(list->hwnd, 0);
    ListView_SetItemState(list->hwnd, (int)row, LVIS_SELECTED | LVIS_FOCUSED, LVIS_SELECTED | LVIS_FOCUSED);
    ListView_SetSelectionMark(list->hwnd, (int)row);
    ListView_EnsureVisible(list->hwnd, (int)row, FALSE);
}

size_t region_list_focused(const region_list *list)
{
    return focused_row(list);
}

void region_list_focus(region_list *list, size_t row)
{
    focus_row(list, row);
}

void region_list_reveal(region_list *list, size_t row)
{
    focus_row(list, row);
    if (row != PMM_NO_INDEX && row < list->rows->count)
        gui_list_reveal(list->hwnd, (int)row);
}

int region_list_write_state(const region_list *list, FILE *f)
{
    int focused = ListView_GetNextItem(list->hwnd, -1, LVNI_FOCUSED);
    int selected = focused >= 0 && (ListView_GetItemState(list->hwnd, focused, LVIS_SELECTED) & LVIS_SELECTED);
    int top = ListView_GetTopIndex(list->hwnd), per_page = ListView_GetCountPerPage(list->hwnd);
    return fprintf(f, "List: row %d of %zu focused%s; rows %d to %d on screen\n", focused, list->rows->count,
                   selected ? " and selected" : "", top, top + per_page - 1) > 0 ? 0 : -1;
}

int region_list_get_widths(const region_list *list, int *widths, int cap)
{
    int n = cap < REGION_COL_COUNT ? cap : REGION_COL_COUNT;
    for (int c = 0; c < n; c++)
        widths[c] = MulDiv(ListView_GetColumnWidth(list->hwnd, c), 96, (int)list->dpi);
    return n;
}

void region_list_set_widths(region_list *list, const int *widths, int count)
{
    if (count != REGION_COL_COUNT)
        return;   /* saved by a version with other columns: their places no longer match */
    for (int c = 0; c < count && c < REGION_COL_COUNT; c++)
        if (widths[c] > 8 && widths[c] < 2000 && c != REGION_COL_DETAILS &&
            !(list->ws_hidden && region_column_is_working_set((region_column)c)))
            ListView_SetColumnWidth(list->hwnd, c, gui_scale(widths[c], list->dpi));
    list->widths_restored = 1;
    region_list_fit(list);
}

void region_list_refresh(region_list *list, size_t row)
{
    /* Rows below a change move, so selection by index would point at the wrong rows: clear it. */
    clear_selection(list->hwnd, 1);
    ListView_SetItemCountEx(list->hwnd, (int)list->rows->count, LVSICF_NOSCROLL);
    focus_row(list, row);
    InvalidateRect(list->hwnd, NULL, FALSE);
}

static void toggle(region_list *list, size_t row)
{
    size_t parent = region_rows_parent(list->rows, row);
    if (parent == PMM_NO_INDEX || !(list->rows->rows[parent].flags & REGION_ROW_EXPANDABLE))
        return;
    int expanded = (list->rows->rows[parent].flags & REGION_ROW_EXPANDED) != 0;
    region_list_refresh(list, region_rows_set_expanded(list->rows, parent, !expanded));
}

static void set_expanded(region_list *list, size_t row, int expanded)
{
    const region_row *r = &list->rows->rows[row];
    if (!(r->flags & REGION_ROW_EXPANDABLE) || ((r->flags & REGION_ROW_EXPANDED) != 0) == expanded)
        return;
    region_list_refresh(list, region_rows_set_expanded(list->rows, row, expanded));
}

/* Tree-view keys on a list: Right opens or steps in, Left closes or steps out, Enter toggles. */
static int handle_key(region_list *list, WPARAM key)
{
    size_t row = focused_row(list);
    if (row == PMM_NO_INDEX)
        return 0;
    const region_row *r = &list->rows->rows[row];
    int is_allocation = r->kind == REGION_ROW_ALLOCATION;
    int expanded = (r->flags & REGION_ROW_EXPANDED) != 0;
    switch (key) {
    case VK_RIGHT:
        if (is_allocation && (r->flags & REGION_ROW_EXPANDABLE) && !expanded)
            set_expanded(list, row, 1);
        else if (is_allocation && expanded)
            focus_row(list, row + 1);
        return 1;
    case VK_LEFT:
        if (is_allocation && expanded)
            set_expanded(list, row, 0);
        else if (!is_allocation)
            focus_row(list, region_rows_parent(list->rows, row));
        return 1;
    case VK_ADD:
        if (is_allocation)
            set_expanded(list, row, 1);
        return 1;
    case VK_SUBTRACT:
        set_expanded(list, region_rows_parent(list->rows, row), 0);
        if (!is_allocation)
            focus_row(list, region_rows_parent(list->rows, row));
        return 1;
    case VK_RETURN:
        toggle(list, row);
        return 1;
    }
    return 0;
}

static LRESULT CALLBACK list_subclass(HWND hwnd, UINT msg, WPARAM wparam, LPARAM lparam, UINT_PTR id, DWORD_PTR data)
{
    region_list *list = (region_list *)data;
    (void)id;
    switch (msg) {
    case WM_KEYDOWN:
        if (GetKeyState(VK_CONTROL) >= 0 && handle_key(list, wparam))
            return 0;
        break;
    case WM_CHAR:
        /* Enter and +/- were handled as keys; keep them out of type-to-find. */
        if (wparam == '\r' || wparam == '+' || wparam == '-')
            return 0;
        break;
    case WM_GETDLGCODE:
        return DLGC_WANTARROWS | DLGC_WANTCHARS;
    case WM_NCDESTROY:
        RemoveWindowSubclass(hwnd, list_subclass, 0);
        break;
    }
    return DefSubclassProc(hwnd, msg, wparam, lparam);
}

/* ---- creation ---- */

static int default_width(const region_list *list, int c)
{
    if (list->ws_hidden && region_column_is_working_set((region_column)c))
        return 0;
    return c == REGION_COL_ADDRESS ? address_column_width(list->pointer_size) : column_layout[c].width;
}

void region_list_reset_widths(region_list *list)
{
    for (int c = 0; c < REGION_COL_COUNT; c++)
        ListView_SetColumnWidth(list->hwnd, c, gui_scale(default_width(list, c), list->dpi));
    region_list_fit(list);
}

void region_list_show_working_set(region_list *list, int show)
{
    if (list->ws_hidden == !show)
        return;
    list->ws_hidden = !show;
    for (int c = REGION_COL_WS_TOTAL; c <= REGION_COL_WS_LOCKED; c++)
        ListView_SetColumnWidth(list->hwnd, c, gui_scale(default_width(list, c), list->dpi));
    region_list_fit(list);
}

static void update_sort_arrows(region_list *list)
{
    HWND header = ListView_GetHeader(list->hwnd);
    for (int c = 0; c < REGION_COL_COUNT; c++) {
        HDITEMW item = {0};
        item.mask = HDI_FORMAT;
        Header_GetItem(header, c, &item);
        item.fmt &= ~(HDF_SORTUP | HDF_SORTDOWN);
        if (c == list->rows->sort_column)
            item.fmt |= list->rows->sort_descending ? HDF_SORTDOWN : HDF_SORTUP;
        Header_SetItem(header, c, &item);
    }
}

HWND region_list_create(region_list *list, HWND parent, int id, region_rows *rows, UINT dpi)
{
    memset(list, 0, sizeof *list);
    list->rows = rows;
    list->dpi = dpi;
    list->pointer_size = 8;
    list->hwnd = CreateWindowExW(0, WC_LISTVIEWW, L"Regions",
                                 WS_CHILD | WS_VISIBLE | WS_TABSTOP | WS_BORDER | LVS_REPORT | LVS_OWNERDATA |
                                     LVS_SHOWSELALWAYS,
                                 0, 0, 0, 0, parent, (HMENU)(INT_PTR)id, GetModuleHandleW(NULL), NULL);
    if (!list->hwnd)
        return NULL;
    ListView_SetExtendedListViewStyle(list->hwnd, LVS_EX_FULLROWSELECT | LVS_EX_DOUBLEBUFFER |
                                                      LVS_EX_HEADERDRAGDROP | LVS_EX_LABELTIP);
    for (int c = 0; c < REGION_COL_COUNT; c++) {
        gui_list_add_column_utf8(list->hwnd, c, region_column_name((region_column)c), column_layout[c].width,
                                 column_layout[c].format, dpi);
    }
    list->glyphs = create_glyphs(dpi);
    ListView_SetImageList(list->hwnd, list->glyphs, LVSIL_SMALL);
    SetWindowSubclass(list->hwnd, list_subclass, 0, (DWORD_PTR)list);
    update_sort_arrows(list);
    return list->hwnd;
}

void region_list_destroy(region_list *list)
{
    if (list->glyphs)
        ImageList_Destroy(list->glyphs);
    list->glyphs = NULL;
}

void region_list_set_dpi(region_list *list, UINT dpi)
{
    list->dpi = dpi;
    HIMAGELIST old = list->glyphs;
    list->glyphs = create_glyphs(dpi);
    ListView_SetImageList(list->hwnd, list->glyphs, LVSIL_SMALL);
    if (old)
        ImageList_Destroy(old);
    region_list_reset_widths(list);
}

void region_list_fit(region_list *list)
{
    RECT r;
    GetClientRect(list->hwnd, &r);
    int used = 0;
    for (int c = 0; c < REGION_COL_COUNT; c++)
        if (c != REGION_COL_DETAILS)
            used += ListView_GetColumnWidth(list->hwnd, c);
    int minimum = gui_scale(260, list->dpi);
    int width = r.right - used > minimum ? r.right - used : minimum;
    /* Only when it changes: setting a column's width repaints the whole list, and the layout runs
     * at each preview of a scan. */
    if (ListView_GetColumnWidth(list->hwnd, REGION_COL_DETAILS) != width)
        ListView_SetColumnWidth(list->hwnd, REGION_COL_DETAILS, width);
}

void region_list_set_pointer_size(region_list *list, uint32_t pointer_size)
{
    if (list->pointer_size == pointer_size)
        return;
    list->pointer_size = pointer_size;
    if (list->widths_restored && pointer_size == 8)
        return;
    ListView_SetColumnWidth(list->hwnd, REGION_COL_ADDRESS, gui_scale(address_column_width(pointer_size), list->dpi));
    region_list_fit(list);
}

void region_list_select_all(region_list *list)
{
    ListView_SetItemState(list->hwnd, -1, LVIS_SELECTED, LVIS_SELECTED);
}

/* ---- clipboard ---- */

typedef struct text_buffer {
    char *data;
    size_t used, cap;
    int failed;
} text_buffer;

static void buffer_append(text_buffer *b, const char *text)
{
    size_t len = strlen(text);
    if (b->failed)
        return;
    if (b->used + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->used + len + 1)
            cap *= 2;
        char *data = realloc(b->data, cap);
        if (!data) {
            b->failed = 1;
            return;
        }
        b->data = data;
        b->cap = cap;
    }
    memcpy(b->data + b->used, text, len + 1);
    b->used += len;
}

void region_list_copy(region_list *list, HWND owner)
{
    text_buffer b = {0};
    char line[2048];
    buffer_append(&b, region_rows_format_header('\t', line, sizeof line));
    buffer_append(&b, "\r\n");
    int row = ListView_GetNextItem(list->hwnd, -1, LVNI_SELECTED);
    int all = row < 0;
    for (size_t i = all ? 0 : (size_t)row; i < list->rows->count && !b.failed;) {
        buffer_append(&b, region_rows_format(list->rows, i, '\t', line, sizeof line));
        buffer_append(&b, "\r\n");
        if (all) {
            i++;
        } else {
            row = ListView_GetNextItem(list->hwnd, (int)i, LVNI_SELECTED);
            if (row < 0)
                break;
            i = (size_t)row;
        }
    }
    if (b.failed || !gui_copy_text(owner, b.data ? b.data : ""))
        gui_error(owner, "The rows could not be copied to the clipboard (out of memory, or another program holds "
                         "the clipboard). Try again.");
    free(b.data);
}

/* ---- notifications ---- */

static void get_display_info(region_list *list, NMLVDISPINFOW *info)
{
    LVITEMW *item = &info->item;
    if (item->iItem < 0 || (size_t)item->iItem >= list->rows->count)
        return;
    const region_row *r = &list->rows->rows[item->iItem];
    if ((item->mask & LVIF_TEXT) && item->cchTextMax > 0) {
        char buf[512];
        const char *text = region_rows_cell(list->rows, (size_t)item->iItem, (region_column)item->iSubItem, buf, sizeof buf);
        gui_utf8_to_wide(text, item->pszText, (size_t)item->cchTextMax);
    }
    if (item->iSubItem == 0) {
        if (item->mask & LVIF_IMAGE)
            item->iImage = !(r->flags & REGION_ROW_EXPANDABLE) ? GLYPH_NONE
                           : (r->flags & REGION_ROW_EXPANDED)  ? GLYPH_EXPANDED
                                                               : GLYPH_COLLAPSED;
        if (item->mask & LVIF_INDENT)
            item->iIndent = r->depth;
    }
}

static int row_change(const region_list *list, const region_row *r)
{
    if (!list->changes)
        return MAP_CHANGE_NONE;
    if (r->kind == REGION_ROW_ALLOCATION)
        return map_changes_allocation(list->changes, r->index);
    if (r->kind == REGION_ROW_REGION)
        return map_changes_region(list->changes, r->index);
    return MAP_CHANGE_NONE;
}

static LRESULT custom_draw(region_list *list, NMLVCUSTOMDRAW *draw)
{
    switch (draw->nmcd.dwDrawStage) {
    case CDDS_PREPAINT:
        return CDRF_NOTIFYITEMDRAW;
    case CDDS_ITEMPREPAINT: {
        size_t row = (size_t)draw->nmcd.dwItemSpec;
        if (row >= list->rows->count)
            return CDRF_DODEFAULT;
        const region_row *r = &list->rows->rows[row];
        draw->clrTextBk = gui_kind_colour(r->region_kind, r->kind != REGION_ROW_ALLOCATION);
        if (r->kind == REGION_ROW_ANNOTATION)
            draw->clrText = RGB(0x1F, 0x3F, 0x7F);
        else if (r->region_kind == PMM_KIND_FREE || r->region_kind == PMM_KIND_UNUSABLE)
            draw->clrText = RGB(0x70, 0x70, 0x70);
        else
            draw->clrText = GetSysColor(COLOR_WINDOWTEXT);
        int change = row_change(list, r);
        if (change != MAP_CHANGE_NONE) {
            /* What the last refresh changed: bold, green when new, red when changed. */
            draw->clrText = change == MAP_CHANGE_NEW ? RGB(0x00, 0x70, 0x00) : RGB(0xB0, 0x10, 0x10);
            if (list->bold_font)
                SelectObject(draw->nmcd.hdc, list->bold_font);
        }
        return CDRF_NEWFONT;
    }
    }
    return CDRF_DODEFAULT;
}

static void on_click(region_list *list, NMITEMACTIVATE *activate, int double_click)
{
    LVHITTESTINFO hit = {0};
    hit.pt = activate->ptAction;
    if (ListView_SubItemHitTest(list->hwnd, &hit) < 0 || hit.iItem < 0)
        return;
    int on_glyph = hit.iSubItem == 0 && (hit.flags & LVHT_ONITEMICON);
    if (on_glyph != !double_click)
        return;
    if (double_click && list->rows->rows[hit.iItem].kind != REGION_ROW_ALLOCATION)
        return;
    toggle(list, (size_t)hit.iItem);
}

static void on_column_click(region_list *list, int column)
{
    size_t row = focused_row(list);
    size_t allocation = PMM_NO_INDEX;
    if (row != PMM_NO_INDEX)
        allocation = list->rows->rows[region_rows_parent(list->rows, row)].index;
    int descending = column == list->rows->sort_column ? !list->rows->sort_descending : 0;
    region_rows_sort(list->rows, (region_column)column, descending);
    update_sort_arrows(list);
    region_list_refresh(list, allocation == PMM_NO_INDEX ? PMM_NO_INDEX
                                                         : region_rows_find_allocation(list->rows, allocation));
}

static LRESULT find_item(region_list *list, NMLVFINDITEMW *find)
{
    if (!(find->lvfi.flags & (LVFI_STRING | LVFI_PARTIAL)) || !find->lvfi.psz)
        return -1;
    char *prefix = gui_wide_to_utf8_alloc(find->lvfi.psz);
    if (!prefix)
        return -1;
    size_t start = find->iStart < 0 ? 0 : (size_t)find->iStart;
    size_t row = region_rows_find_prefix(list->rows, start, prefix);
    free(prefix);
    return row == PMM_NO_INDEX ? -1 : (LRESULT)row;
}

int region_list_notify(region_list *list, NMHDR *hdr, LRESULT *result)
{
    *result = 0;
    if (hdr->hwndFrom != list->hwnd)
        return 0;
    switch (hdr->code) {
    case LVN_GETDISPINFOW: get_display_info(list, (NMLVDISPINFOW *)hdr); break;
    case NM_CUSTOMDRAW: *result = custom_draw(list, (NMLVCUSTOMDRAW *)hdr); break;
    case NM_CLICK: on_click(list, (NMITEMACTIVATE *)hdr, 0); break;
    case NM_DBLCLK: on_click(list, (NMITEMACTIVATE *)hdr, 1); break;
    case LVN_COLUMNCLICK: on_column_click(list, ((NMLISTVIEW *)hdr)->iSubItem); break;
    case LVN_ODFINDITEMW: *result = find_item(list, (NMLVFINDITEMW *)hdr); break;
    }
    return 1;
}
