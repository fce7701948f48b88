/* The details pane's two faces: the hex view and, when the selected address holds a known
 * structure, the structure view; a Hex | Structure tab strip above them chooses. The structure
 * view is shown by itself whenever there is a structure, unless the user picked the Hex tab. */
#include "main_tools.h"

#include <commctrl.h>
#include "gui_util.h"
#include "res/resource.h"

enum { TAB_HEX, TAB_STRUCTURE };

static int tab_height(const main_window *w)
{
    RECT r;
    if (TabCtrl_GetItemRect(w->details_tabs, 0, &r))
        return r.bottom - r.top + gui_scale(2, w->dpi);
    return gui_scale(24, w->dpi);
}

int main_details_create(main_window *w)
{
    w->details_tabs = CreateWindowExW(0, WC_TABCONTROLW, L"", WS_CHILD | WS_VISIBLE | WS_CLIPSIBLINGS | TCS_FOCUSNEVER, 0,
                                      0, 0, 0, w->hwnd, (HMENU)(INT_PTR)IDC_DETAILS_TABS, GetModuleHandleW(NULL), NULL);
    if (!w->details_tabs || !struct_view_create(&w->structure, w->hwnd, IDC_STRUCT_VIEW, w->dpi))
        return 0;
    TCITEMW item = {0};
    item.mask = TCIF_TEXT;
    item.pszText = L"Hex";
    TabCtrl_InsertItem(w->details_tabs, TAB_HEX, &item);
    item.pszText = L"Structure";
    TabCtrl_InsertItem(w->details_tabs, TAB_STRUCTURE, &item);
    return 1;
}

HDWP main_details_place(main_window *w, HDWP defer, int x, int y, int cx, int cy)
{
    UINT flags = SWP_NOZORDER | SWP_NOACTIVATE;
    int tabs_h = tab_height(w), pane_h = cy - tabs_h > 0 ? cy - tabs_h : 0;
    defer = DeferWindowPos(defer, w->details_tabs, NULL, x, y, cx, tabs_h, flags);
    defer = DeferWindowPos(defer, w->hex.hwnd, NULL, x, y + tabs_h, cx, pane_h, flags);
    defer = DeferWindowPos(defer, w->structure.hwnd, NULL, x, y + tabs_h, cx, pane_h, flags);
    struct_view_fit(&w->structure, cx);
    return defer;
}

static void show_pane(main_window *w, int structure)
{
    TabCtrl_SetCurSel(w->details_tabs, structure ? TAB_STRUCTURE : TAB_HEX);
    int focus_was_in_pane = GetFocus() == w->hex.hwnd || GetFocus() == w->structure.hwnd;
    ShowWindow(structure ? w->structure.hwnd : w->hex.hwnd, SW_SHOWNA);
    ShowWindow(structure ? w->hex.hwnd : w->structure.hwnd, SW_HIDE);
    if (focus_was_in_pane)
        SetFocus(structure ? w->structure.hwnd : w->hex.hwnd);
}

void main_details_show(main_window *w, uint64_t start, uint64_t focus, int mark)
{
    pmm_source *src = w->session.source;
    int has;
    if (w->session.map && (start || focus))
        has = struct_view_show(&w->structure, w->session.map, src, mark ? focus : start, start);
    else
        has = struct_view_show(&w->structure, NULL, NULL, 0, 0);
    show_pane(w, has && !w->prefer_hex);
}

int main_details_showing_structure(const main_window *w)
{
    return IsWindowVisible(w->structure.hwnd) != 0;
}

void main_details_choose(main_window *w, int structure)
{
    if (structure < 0)
        structure = !main_details_showing_structure(w);
    w->prefer_hex = !structure;
    show_pane(w, structure);
    SetFocus(structure ? w->structure.hwnd : w->hex.hwnd);
}

int main_details_notify(main_window *w, NMHDR *hdr, LRESULT *result)
{
    if (hdr->hwndFrom == w->details_tabs && hdr->code == TCN_SELCHANGE) {
        main_details_choose(w, TabCtrl_GetCurSel(w->details_tabs) == TAB_STRUCTURE);
        *result = 0;
        return 1;
    }
    uint64_t follow;
    if (!struct_view_notify(&w->structure, hdr, result, &follow))
        return 0;
    /* A pointer field followed: posted, so the view is not rebuilt inside its own notification. */
    if (follow) {
        w->details_follow = follow;
        PostMessageW(w->hwnd, WM_COMMAND, MAKEWPARAM(ID_VIEW_FOLLOW_POINTER, 0), 0);
    }
    return 1;
}

void main_details_set_fonts(main_window *w)
{
    SendMessageW(w->details_tabs, WM_SETFONT, (WPARAM)w->font, TRUE);
    struct_view_set_fonts(&w->structure, w->dpi, w->font, w->bold_font);
}

void main_details_destroy(main_window *w)
{
    struct_view_free(&w->structure);
}
