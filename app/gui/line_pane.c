#include "line_pane.h"

#include "gui_util.h"

HWND line_pane_create(line_pane *p, const wchar_t *class_name, const wchar_t *title, DWORD style, HWND parent, int id,
                      UINT dpi, line_pane_paint_fn paint)
{
    p->dpi = dpi;
    p->line_h = 16;
    p->char_w = 8;
    p->paint = paint;
    return CreateWindowExW(WS_EX_CLIENTEDGE, class_name, title, style, 0, 0, 0, 0, parent, (HMENU)(INT_PTR)id,
                           GetModuleHandleW(NULL), p);
}

void *line_pane_self(HWND hwnd, UINT msg, LPARAM lParam)
{
    if (msg == WM_NCCREATE) {
        line_pane *p = ((CREATESTRUCTW *)lParam)->lpCreateParams;
        p->hwnd = hwnd;
        SetWindowLongPtrW(hwnd, GWLP_USERDATA, (LONG_PTR)p);
    }
    return (void *)GetWindowLongPtrW(hwnd, GWLP_USERDATA);
}

static void paint_buffered(line_pane *p)
{
    PAINTSTRUCT ps;
    HDC dc = BeginPaint(p->hwnd, &ps);
    RECT client;
    GetClientRect(p->hwnd, &client);
    /* Drawn off screen first: the whole pane changes on every scroll, and flicker would show. */
    HDC memory = CreateCompatibleDC(dc);
    HBITMAP bitmap = CreateCompatibleBitmap(dc, client.right > 0 ? client.right : 1, client.bottom > 0 ? client.bottom : 1);
    HGDIOBJ old = SelectObject(memory, bitmap);
    p->paint(p, memory, &client);
    BitBlt(dc, 0, 0, client.right, client.bottom, memory, 0, 0, SRCCOPY);
    SelectObject(memory, old);
    DeleteObject(bitmap);
    DeleteDC(memory);
    EndPaint(p->hwnd, &ps);
}

LRESULT line_pane_default(line_pane *p, UINT msg, WPARAM wParam, LPARAM lParam)
{
    switch (msg) {
    case WM_PAINT:
        paint_buffered(p);
        return 0;
    case WM_PRINTCLIENT: {
        RECT client;
        GetClientRect(p->hwnd, &client);
        p->paint(p, (HDC)wParam, &client);
        return 0;
    }
    case WM_ERASEBKGND:
        return 1;   /* paint covers every pixel */
    case WM_GETDLGCODE:
        return p->dlg_code;
    case WM_SETFOCUS:
    case WM_KILLFOCUS:   /* the cursor is drawn paler without the focus */
        InvalidateRect(p->hwnd, NULL, FALSE);
        break;
    case WM_DESTROY:
        if (p->font)
            DeleteObject(p->font);
        p->font = NULL;
        break;
    }
    return DefWindowProcW(p->hwnd, msg, wParam, lParam);
}

void line_pane_set_fonts(line_pane *p, UINT dpi, HFONT caption_font, int points)
{
    p->dpi = dpi;
    p->caption_font = caption_font;
    if (p->font)
        DeleteObject(p->font);
    p->font = gui_create_mono_font(dpi, points);
    HDC dc = GetDC(p->hwnd);
    HGDIOBJ old = SelectObject(dc, p->font);
    TEXTMETRICW tm;
    GetTextMetricsW(dc, &tm);
    SIZE size;
    GetTextExtentPoint32W(dc, L"0", 1, &size);
    SelectObject(dc, old);
    ReleaseDC(p->hwnd, dc);
    p->char_w = size.cx > 0 ? size.cx : tm.tmAveCharWidth;
    p->line_h = tm.tmHeight + tm.tmExternalLeading;
}

int line_pane_wheel_lines(int delta)
{
    UINT lines = 3;
    SystemParametersInfoW(SPI_GETWHEELSCROLLLINES, 0, &lines, 0);
    return delta * (int)(lines ? lines : 3) / WHEEL_DELTA;
}

int line_pane_caption_height(const line_pane *p)
{
    return p->line_h + gui_scale(6, p->dpi);
}

int line_pane_lines_top(const line_pane *p)
{
    return line_pane_caption_height(p) + p->line_h + gui_scale(2, p->dpi);
}

int line_pane_left_margin(const line_pane *p)
{
    return gui_scale(6, p->dpi);
}

void line_pane_draw_caption(const line_pane *p, HDC dc, const RECT *client, const char *text)
{
    RECT r = {0, 0, client->right, line_pane_caption_height(p)};
    SetBkColor(dc, GetSysColor(COLOR_BTNFACE));
    ExtTextOutW(dc, 0, 0, ETO_OPAQUE, &r, NULL, 0, NULL);
    wchar_t wide[900];
    gui_utf8_to_wide(text, wide, sizeof wide / sizeof wide[0]);
    HGDIOBJ old = SelectObject(dc, p->caption_font ? p->caption_font : p->font);
    SetTextColor(dc, GetSysColor(COLOR_BTNTEXT));
    r.left = line_pane_left_margin(p);
    DrawTextW(dc, wide, -1, &r, DT_SINGLELINE | DT_VCENTER | DT_END_ELLIPSIS | DT_NOPREFIX);
    SelectObject(dc, old);
}

int line_pane_draw_ruler(const line_pane *p, HDC dc, const RECT *client)
{
    int y = line_pane_caption_height(p);
    RECT r = {0, y, client->right, line_pane_lines_top(p)};
    SetBkColor(dc, RGB(0xF4, 0xF4, 0xF4));
    ExtTextOutW(dc, 0, 0, ETO_OPAQUE, &r, NULL, 0, NULL);
    SetTextColor(dc, RGB(0x70, 0x70, 0x70));
    ExtTextOutW(dc, line_pane_left_margin(p), y + 1, 0, NULL, L"Address", 7, NULL);
    return y + 1;
}
