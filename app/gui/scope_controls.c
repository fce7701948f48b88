#include "scope_controls.h"

#include <stdio.h>
#include <string.h>
#include <windowsx.h>
#include "gui_util.h"

static const struct {
    const wchar_t *text;
    int width;        /* at 96 DPI */
} boxes[SCOPE_COUNT] = {
    [SCOPE_IMAGE] = {L"&Image", 64},
    [SCOPE_PRIVATE] = {L"&Private", 70},
    [SCOPE_MAPPED] = {L"&Mapped", 70},
    [SCOPE_EXECUTABLE] = {L"E&xecutable only", 118},
    [SCOPE_WRITABLE] = {L"Skip &read-only", 118},
};

int scope_controls_create(scope_controls *s, HWND parent, int first_id, HFONT font)
{
    HINSTANCE instance = GetModuleHandleW(NULL);
    s->label = CreateWindowExW(0, L"STATIC", L"Regions:", WS_CHILD | WS_VISIBLE | SS_LEFT, 0, 0, 0, 0, parent,
                               (HMENU)(INT_PTR)-1, instance, NULL);
    SendMessageW(s->label, WM_SETFONT, (WPARAM)font, FALSE);
    for (int i = 0; i < SCOPE_COUNT; i++) {
        s->boxes[i] = CreateWindowExW(0, L"BUTTON", boxes[i].text, WS_CHILD | WS_VISIBLE | WS_TABSTOP | BS_AUTOCHECKBOX,
                                      0, 0, 0, 0, parent, (HMENU)(INT_PTR)(first_id + i), instance, NULL);
        if (!s->boxes[i])
            return 0;
        SendMessageW(s->boxes[i], WM_SETFONT, (WPARAM)font, FALSE);
        if (i <= SCOPE_MAPPED)
            Button_SetCheck(s->boxes[i], BST_CHECKED);
    }
    return s->label != NULL;
}

int scope_controls_layout(scope_controls *s, int x, int y, UINT dpi)
{
    int h = gui_scale(20, dpi), label_w = gui_scale(56, dpi);
    SetWindowPos(s->label, NULL, x, y + gui_scale(3, dpi), label_w, h, SWP_NOZORDER);
    x += label_w;
    for (int i = 0; i < SCOPE_COUNT; i++) {
        int w = gui_scale(boxes[i].width, dpi);
        SetWindowPos(s->boxes[i], NULL, x, y, w, h, SWP_NOZORDER);
        x += w + gui_scale(i == SCOPE_MAPPED ? 18 : 6, dpi);
    }
    return h;
}

int scope_controls_read(const scope_controls *s, pmm_search_scope *scope, char *message, size_t cap)
{
    static const uint32_t type_bits[] = {PMM_SEARCH_TYPE_IMAGE, PMM_SEARCH_TYPE_PRIVATE, PMM_SEARCH_TYPE_MAPPED};
    memset(scope, 0, sizeof *scope);
    for (int i = 0; i <= SCOPE_MAPPED; i++)
        if (Button_GetCheck(s->boxes[i]) == BST_CHECKED)
            scope->types |= type_bits[i];
    scope->executable_only = Button_GetCheck(s->boxes[SCOPE_EXECUTABLE]) == BST_CHECKED;
    scope->writable_only = Button_GetCheck(s->boxes[SCOPE_WRITABLE]) == BST_CHECKED;
    if (!scope->types) {
        snprintf(message, cap, "Tick at least one region type to search: Image, Private or Mapped.");
        return 0;
    }
    /* All three: all memory, as pmm search without --kind, so memory whose type no one knows (a
     * kernel dump's process: its page tables give none) is searched too. */
    if (scope->types == (PMM_SEARCH_TYPE_IMAGE | PMM_SEARCH_TYPE_PRIVATE | PMM_SEARCH_TYPE_MAPPED))
        scope->types = 0;
    return 1;
}

void scope_controls_enable(scope_controls *s, int enable)
{
    for (int i = 0; i < SCOPE_COUNT; i++)
        EnableWindow(s->boxes[i], enable);
}
