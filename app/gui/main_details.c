/* The details pane's three faces: the hex view, the structure view (when the selected address holds
 * a known structure) and the disassembly; a Hex | Structure | Disassembly tab strip above them
 * chooses. The structure view is shown by itself whenever there is a structure, unless the user
 * picked the Hex tab; the Disassembly tab, once picked, stays until another is. All three follow
 * the selection. */
#include "main_tools.h"

#include <commctrl.h>
#include "gui_util.h"
#include "res/resource.h"

static int tab_height(const main_window *w)
{
    RECT r;
    if (TabCtrl_GetItemRect(w->details_tabs, 0, &r))
        return r.bottom - r.top + gui_scale(2, w->dpi);
    return gui_scale(24, w->dpi);
}

static size_t read_session(void *ctx, uint64_t addr, void *buf, size_t len)
{
    return target_session_read(ctx, addr, buf, len);
}

static const pmm_symbols *session_symbols(void *ctx)
{
    return target_session_symbols(ctx);
}

int main_details_create(main_window *w)
{
    w->details_tabs = CreateWindowExW(0, WC_TABCONTROLW, L"", WS_CHILD | WS_VISIBLE | WS_CLIPSIBLINGS | TCS_FOCUSNEVER, 0,
                                      0, 0, 0, w->hwnd, (HMENU)(INT_PTR)IDC_DETAILS_TABS, GetModuleHandleW(NULL), NULL);
    if (!w->details_tabs || !struct_view_create(&w->structure, w->hwnd, IDC_STRUCT_VIEW, w->dpi) ||
        !disasm_view_create(&w->disasm, w->hwnd, IDC_DISASM_VIEW, w->dpi, read_session, &w->session, session_symbols,
                            &w->session))
        return 0;
    static const wchar_t *const names[] = {L"Hex", L"Structure", L"Disassembly"};
    TCITEMW item = {0};
    item.mask = TCIF_TEXT;
    for (int i = DETAILS_HEX; i <= DETAILS_DISASM; i++) {
        item.pszText = (wchar_t *)names[i];
        TabCtrl_InsertItem(w->details_tabs, i, &item);
    }
    return 1;
}

HDWP main_details_place(main_window *w, HDWP defer, int x, int y, int cx, int cy)
{
    UINT flags = SWP_NOZORDER | SWP_NOACTIVATE;
    int tabs_h = tab_height(w), pane_h = cy - tabs_h > 0 ? cy - tabs_h : 0;
    defer = DeferWindowPos(defer, w->details_tabs, NULL, x, y, cx, tabs_h, flags);
    defer = DeferWindowPos(defer, w->hex.pane.hwnd, NULL, x, y + tabs_h, cx, pane_h, flags);
    defer = DeferWindowPos(defer, w->structure.hwnd, NULL, x, y + tabs_h, cx, pane_h, flags);
    defer = DeferWindowPos(defer, w->disasm.pane.hwnd, NULL, x, y + tabs_h, cx, pane_h, flags);
    struct_view_fit(&w->structure, cx);
    return defer;
}

static HWND pane_window(main_window *w, int pane)
{
    return pane == DETAILS_STRUCTURE ? w->structure.hwnd : pane == DETAILS_DISASM ? w->disasm.pane.hwnd : w->hex.pane.hwnd;
}

static void show_pane(main_window *w, int pane)
{
    TabCtrl_SetCurSel(w->details_tabs, pane);
    HWND focus = GetFocus();
    int focus_was_in_pane = 0;
    for (int i = DETAILS_HEX; i <= DETAILS_DISASM; i++)
        focus_was_in_pane |= focus == pane_window(w, i);
    ShowWindow(pane_window(w, pane), SW_SHOWNA);
    for (int i = DETAILS_HEX; i <= DETAILS_DISASM; i++)
        if (i != pane)
            ShowWindow(pane_window(w, i), SW_HIDE);
    if (focus_was_in_pane)
        SetFocus(pane_window(w, pane));
}

void main_details_set_map(main_window *w, const pmm_map *map)
{
    if (!map) {
        disasm_view_set_map(&w->disasm, NULL, 0, 64);
        return;
    }
    disasm_view_set_map(&w->disasm, map, map->target.source_kind == PMM_SOURCE_LIVE ? PMM_PAGE_SIZE : 1,
                        map->target.pointer_size == 4 ? 32 : 64);
}

void main_details_show(main_window *w, uint64_t start, uint64_t end, const char *caption, uint64_t focus, int mark)
{
    pmm_source *src = w->session.source;
    int has;
    if (w->session.map && (start || focus))
        has = struct_view_show(&w->structure, w->session.map, src, mark ? focus : start, start);
    else
        has = struct_view_show(&w->structure, NULL, NULL, 0, 0);
    disasm_view_show(&w->disasm, start, end, caption, mark ? focus : start);
    show_pane(w, w->prefer_disasm ? DETAILS_DISASM : has && !w->prefer_hex ? DETAILS_STRUCTURE : DETAILS_HEX);
}

int main_details_pane(const main_window *w)
{
    for (int i = DETAILS_STRUCTURE; i <= DETAILS_DISASM; i++)
        if (IsWindowVisible(pane_window((main_window *)w, i)))
            return i;
    return DETAILS_HEX;
}

int main_details_showing_structure(const main_window *w)
{
    return main_details_pane(w) == DETAILS_STRUCTURE;
}

void main_details_choose(main_window *w, int pane)
{
    if (pane < 0)
        pane = (main_details_pane(w) + 1) % (DETAILS_DISASM + 1);
    w->prefer_hex = pane == DETAILS_HEX;
    w->prefer_disasm = pane == DETAILS_DISASM;
    show_pane(w, pane);
    SetFocus(pane_window(w, pane));
}

int main_address_is_code(const main_window *w, uint64_t address)
{
    const pmm_map *map = w->session.map;
    size_t i = map ? pmm_map_find(map, address) : PMM_NO_INDEX;
    if (i == PMM_NO_INDEX)
        return 0;
    const pmm_region *r = &map->regions[i];
    return address - r->base < r->size && r->state == PMM_MEM_COMMIT && pmm_protect_is_executable(r->protect);
}

int main_details_notify(main_window *w, NMHDR *hdr, LRESULT *result)
{
    if (hdr->hwndFrom == w->details_tabs && hdr->code == TCN_SELCHANGE) {
        main_details_choose(w, TabCtrl_GetCurSel(w->details_tabs));
        *result = 0;
        return 1;
    }
    if (hdr->hwndFrom == w->disasm.pane.hwnd && hdr->code == DISASM_VIEW_FOLLOW) {
        /* A branch target followed (or back): the view asked and expects it shown when this returns. */
        if (!main_go_to(w, ((disasm_view_follow *)hdr)->address))
            MessageBeep(MB_ICONWARNING);   /* no region of the map holds it */
        SetFocus(w->disasm.pane.hwnd);
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
    disasm_view_set_fonts(&w->disasm, w->dpi, w->bold_font);
}

void main_details_destroy(main_window *w)
{
    struct_view_free(&w->structure);
    disasm_view_set_map(&w->disasm, NULL, 0, 64);
}
