#include "results_list.h"

#include <stdio.h>
#include "gui_util.h"

HWND results_list_create(results_list *l, HWND parent, int id, const results_column *columns, size_t count, UINT dpi)
{
    l->rows = NULL;
    l->shown = NULL;
    l->shown_count = 0;
    l->address_digits = 16;
    l->note[0] = '\0';
    l->note_column = count > 1 ? 1 : 0;
    l->hwnd = CreateWindowExW(WS_EX_CLIENTEDGE, WC_LISTVIEWW, L"Results",
                              WS_CHILD | WS_VISIBLE | WS_TABSTOP | LVS_REPORT | LVS_OWNERDATA | LVS_SHOWSELALWAYS |
                                  LVS_SINGLESEL,
                              0, 0, 0, 0, parent, (HMENU)(INT_PTR)id, GetModuleHandleW(NULL), NULL);
    if (!l->hwnd)
        return NULL;
    ListView_SetExtendedListViewStyle(l->hwnd, LVS_EX_FULLROWSELECT | LVS_EX_DOUBLEBUFFER | LVS_EX_LABELTIP);
    for (size_t c = 0; c < count; c++) {
        gui_list_add_column_utf8(l->hwnd, (int)c, columns[c].name, columns[c].width,
                                 columns[c].right_aligned ? LVCFMT_RIGHT : LVCFMT_LEFT, dpi);
        if (c > 0 && columns[c].width > columns[l->note_column].width)
            l->note_column = (int)c;
    }
    return l->hwnd;
}

static size_t shown_count(const results_list *l)
{
    return !l->rows ? 0 : l->shown ? l->shown_count : l->rows->count;
}

/* The row of the model a list item shows; PMM_NO_INDEX-like SIZE_MAX when none. */
static size_t row_of(const results_list *l, int item)
{
    if (!l->rows || item < 0 || (size_t)item >= shown_count(l))
        return (size_t)-1;
    size_t row = l->shown ? l->shown[item] : (size_t)item;
    return row < l->rows->count ? row : (size_t)-1;
}

static int has_note(const results_list *l)
{
    return l->note[0] != '\0';
}

static int is_note(const results_list *l, int item)
{
    return has_note(l) && item >= 0 && (size_t)item == shown_count(l);
}

static void refill(results_list *l)
{
    size_t count = shown_count(l) + (size_t)has_note(l);
    ListView_SetItemState(l->hwnd, -1, 0, LVIS_SELECTED | LVIS_FOCUSED);
    ListView_SetItemCountEx(l->hwnd, (int)count, 0);
    if (count) {
        ListView_SetItemState(l->hwnd, 0, LVIS_SELECTED | LVIS_FOCUSED, LVIS_SELECTED | LVIS_FOCUSED);
        ListView_EnsureVisible(l->hwnd, 0, FALSE);
    }
    InvalidateRect(l->hwnd, NULL, FALSE);
}

void results_list_set_rows(results_list *l, const result_rows *rows, uint32_t pointer_size)
{
    l->rows = rows;
    l->shown = NULL;
    l->shown_count = 0;
    l->note[0] = '\0';   /* new rows: the caller says again where they stop short */
    l->address_digits = pointer_size == 4 ? 8 : 16;
    refill(l);
}

void results_list_set_note(results_list *l, const char *note)
{
    snprintf(l->note, sizeof l->note, "%s", note ? note : "");
    ListView_SetItemCountEx(l->hwnd, (int)(shown_count(l) + (size_t)has_note(l)), LVSICF_NOSCROLL);
    InvalidateRect(l->hwnd, NULL, FALSE);
}

int results_list_write_note(const results_list *l, FILE *f)
{
    return has_note(l) && fprintf(f, "...\t%s\n", l->note) < 0 ? -1 : 0;
}

void results_list_set_shown(results_list *l, const size_t *shown, size_t count)
{
    l->shown = shown;
    l->shown_count = count;
    refill(l);
}

static int row_address(const results_list *l, int item, uint64_t *address)
{
    size_t row = row_of(l, item);
    if (row == (size_t)-1)
        return 0;
    *address = l->rows->rows[row].address;
    return 1;
}

int results_list_focused(const results_list *l, uint64_t *address)
{
    return row_address(l, ListView_GetNextItem(l->hwnd, -1, LVNI_FOCUSED), address);
}

static void get_display_info(results_list *l, NMLVDISPINFOW *info)
{
    LVITEMW *item = &info->item;
    size_t row = row_of(l, item->iItem);
    if (!(item->mask & LVIF_TEXT) || item->cchTextMax <= 0)
        return;
    if (is_note(l, item->iItem)) {
        const char *text = item->iSubItem == 0 ? "..." : item->iSubItem == l->note_column ? l->note : "";
        gui_utf8_to_wide(text, item->pszText, (size_t)item->cchTextMax);
        return;
    }
    if (row == (size_t)-1)
        return;
    if (item->iSubItem == 0) {
        char text[32];
        snprintf(text, sizeof text, "%0*llX", l->address_digits, (unsigned long long)l->rows->rows[row].address);
        gui_utf8_to_wide(text, item->pszText, (size_t)item->cchTextMax);
        return;
    }
    gui_utf8_to_wide(result_rows_cell(l->rows, row, (size_t)item->iSubItem - 1), item->pszText,
                     (size_t)item->cchTextMax);
}

/* Ctrl+C: the focused row as one tab-separated line, as --dump-view writes it. */
static void copy_focused(results_list *l)
{
    size_t row = row_of(l, ListView_GetNextItem(l->hwnd, -1, LVNI_FOCUSED));
    if (row == (size_t)-1)
        return;
    char line[4096];
    int used = snprintf(line, sizeof line, "%0*llX", l->address_digits, (unsigned long long)l->rows->rows[row].address);
    for (size_t c = 0; c < l->rows->cell_count && used > 0 && (size_t)used < sizeof line; c++)
        used += snprintf(line + used, sizeof line - (size_t)used, "\t%s", result_rows_cell(l->rows, row, c));
    gui_copy_text(GetParent(l->hwnd), line);
}

int results_list_notify(results_list *l, NMHDR *hdr, int *activated, uint64_t *address)
{
    *activated = 0;
    if (hdr->hwndFrom != l->hwnd)
        return 0;
    if (hdr->code == LVN_GETDISPINFOW)
        get_display_info(l, (NMLVDISPINFOW *)hdr);
    else if (hdr->code == LVN_ITEMACTIVATE)
        *activated = row_address(l, ((NMITEMACTIVATE *)hdr)->iItem, address);
    else if (hdr->code == LVN_KEYDOWN && ((NMLVKEYDOWN *)hdr)->wVKey == 'C' && GetKeyState(VK_CONTROL) < 0)
        copy_focused(l);
    return 1;
}
