#include "struct_view.h"

#include <stdlib.h>
#include "column_memory.h"
#include "gui_util.h"

static const int column_widths[STRUCT_COL_COUNT] = {250, 135, 130, 400};   /* at 96 DPI; Offset holds a 64-bit address */

HWND struct_view_create(struct_view *v, HWND parent, int id, UINT dpi)
{
    struct_model_init(&v->model);
    v->dpi = dpi;
    v->hwnd = CreateWindowExW(WS_EX_CLIENTEDGE, WC_LISTVIEWW, L"Structure",
                              WS_CHILD | WS_TABSTOP | LVS_REPORT | LVS_OWNERDATA | LVS_SHOWSELALWAYS | LVS_SINGLESEL,
                              0, 0, 0, 0, parent, (HMENU)(INT_PTR)id, GetModuleHandleW(NULL), NULL);
    if (!v->hwnd)
        return NULL;
    ListView_SetExtendedListViewStyle(v->hwnd, LVS_EX_FULLROWSELECT | LVS_EX_DOUBLEBUFFER | LVS_EX_LABELTIP);
    for (int c = 0; c < STRUCT_COL_COUNT; c++)
        gui_list_add_column_utf8(v->hwnd, c, struct_column_name((struct_column)c), column_widths[c], LVCFMT_LEFT, dpi);
    column_memory_attach(v->hwnd, "structure");
    return v->hwnd;
}

void struct_view_free(struct_view *v)
{
    struct_model_free(&v->model);
}

static int show_pick(struct_view *v, pmm_source *src, const struct_pick *pick, uint64_t address)
{
    if (struct_model_build(&v->model, src, pick) != PMM_OK)
        gui_error(GetParent(v->hwnd), "Not enough memory to decode the structure.");
    v->address = address;
    if (!v->model.row_count && pick->count && !src)
        snprintf(v->note, sizeof v->note, "%s at 0x%llX: a saved map holds no bytes to decode it from", pick->title,
                 (unsigned long long)address);
    else if (!v->model.row_count)
        snprintf(v->note, sizeof v->note, address ? "No known structure starts at 0x%llX (the PEB, TEBs, process "
                 "parameters, KUSER_SHARED_DATA, loader data, PE headers and directories are decoded here)" : "",
                 (unsigned long long)address);
    /* With no structure, one row: the note. */
    ListView_SetItemCountEx(v->hwnd, v->model.row_count ? (int)v->model.row_count : 1, 0);
    InvalidateRect(v->hwnd, NULL, FALSE);
    return v->model.row_count > 0;
}

int struct_view_show(struct_view *v, const pmm_map *map, pmm_source *src, uint64_t address, uint64_t fallback)
{
    struct_pick *pick = malloc(sizeof *pick);
    if (!pick)
        return 0;
    uint64_t requested = address;
    struct_pick_at(map, src, address, pick);
    if (!pick->count && fallback != address) {
        struct_pick_at(map, src, fallback, pick);
        address = fallback;
    }
    int shown = show_pick(v, src, pick, address);
    free(pick);
    /* The field holding the address asked for (a go-to into a structure), else the first row. */
    size_t row = struct_model_row_at(&v->model, requested);
    if (shown) {
        row = row == (size_t)-1 ? 0 : row;
        ListView_SetItemState(v->hwnd, -1, 0, LVIS_SELECTED | LVIS_FOCUSED);
        ListView_SetItemState(v->hwnd, (int)row, LVIS_SELECTED | LVIS_FOCUSED, LVIS_SELECTED | LVIS_FOCUSED);
        ListView_EnsureVisible(v->hwnd, (int)row, FALSE);
        gui_list_reveal(v->hwnd, (int)row);
    }
    return shown;
}

int struct_view_has_structure(const struct_view *v)
{
    return v->model.row_count > 0;
}

void struct_view_set_fonts(struct_view *v, UINT dpi, HFONT font, HFONT bold_font)
{
    v->bold_font = bold_font;
    SendMessageW(v->hwnd, WM_SETFONT, (WPARAM)font, TRUE);
    if (dpi != v->dpi) {
        for (int c = 0; c < STRUCT_COL_COUNT; c++)
            ListView_SetColumnWidth(v->hwnd, c, MulDiv(ListView_GetColumnWidth(v->hwnd, c), (int)dpi, (int)v->dpi));
        v->dpi = dpi;
    }
}

void struct_view_fit(struct_view *v, int width)
{
    int used = GetSystemMetrics(SM_CXVSCROLL) + 2 * GetSystemMetrics(SM_CXEDGE);
    for (int c = 0; c < STRUCT_COL_VALUE; c++)
        used += ListView_GetColumnWidth(v->hwnd, c);
    int minimum = gui_scale(column_widths[STRUCT_COL_VALUE], v->dpi);
    ListView_SetColumnWidth(v->hwnd, STRUCT_COL_VALUE, width - used > minimum ? width - used : minimum);
}

static void get_display_info(struct_view *v, NMLVDISPINFOW *info)
{
    LVITEMW *item = &info->item;
    if (!(item->mask & LVIF_TEXT) || item->cchTextMax <= 0 || item->iItem < 0)
        return;
    if (!v->model.row_count) {
        gui_utf8_to_wide(item->iSubItem == STRUCT_COL_VALUE ? v->note : item->iSubItem == 0 && v->note[0] ? "(none)" : "",
                         item->pszText, (size_t)item->cchTextMax);
        return;
    }
    char buf[PMM_DECODE_TEXT_CAP + 128];
    const char *text = struct_model_cell(&v->model, (size_t)item->iItem, (struct_column)item->iSubItem, buf, sizeof buf);
    gui_utf8_to_wide(text, item->pszText, (size_t)item->cchTextMax);
}

/* Headings in bold on a tinted background, so each structure's fields stand apart. */
static LRESULT custom_draw(struct_view *v, NMLVCUSTOMDRAW *draw)
{
    if (draw->nmcd.dwDrawStage == CDDS_PREPAINT)
        return CDRF_NOTIFYITEMDRAW;
    if (draw->nmcd.dwDrawStage == CDDS_ITEMPREPAINT && v->model.row_count && struct_model_is_heading(&v->model, draw->nmcd.dwItemSpec)) {
        draw->clrTextBk = RGB(0xE4, 0xEC, 0xF7);
        if (v->bold_font)
            SelectObject(draw->nmcd.hdc, v->bold_font);
        return CDRF_NEWFONT;
    }
    return CDRF_DODEFAULT;
}

int struct_view_notify(struct_view *v, NMHDR *hdr, LRESULT *result, uint64_t *follow)
{
    *follow = 0;
    if (hdr->hwndFrom != v->hwnd)
        return 0;
    *result = 0;
    if (hdr->code == LVN_ITEMACTIVATE && ((NMITEMACTIVATE *)hdr)->iItem >= 0)
        *follow = struct_model_target(&v->model, (size_t)((NMITEMACTIVATE *)hdr)->iItem);
    if (hdr->code == LVN_GETDISPINFOW)
        get_display_info(v, (NMLVDISPINFOW *)hdr);
    else if (hdr->code == NM_CUSTOMDRAW)
        *result = custom_draw(v, (NMLVCUSTOMDRAW *)hdr);
    return 1;
}

int struct_view_write_text(const struct_view *v, FILE *f)
{
    if (struct_model_write(&v->model, f) != 0)
        return -1;
    int focused = ListView_GetNextItem(v->hwnd, -1, LVNI_FOCUSED);
    if (focused < 0 || (size_t)focused >= v->model.row_count)
        return 0;
    char field[200];
    int selected = (ListView_GetItemState(v->hwnd, focused, LVIS_SELECTED) & LVIS_SELECTED) != 0;
    int top = ListView_GetTopIndex(v->hwnd), per_page = ListView_GetCountPerPage(v->hwnd);
    return fprintf(f, "Selected row: %d%s (%s); rows %d to %d on screen\n", focused, selected ? "" : " (focused only)",
                   struct_model_cell(&v->model, (size_t)focused, STRUCT_COL_FIELD, field, sizeof field), top,
                   top + per_page - 1) > 0 ? 0 : -1;
}
