#include "hex_view.h"

#include <commctrl.h>
#include <stdlib.h>
#include <string.h>
#include <windowsx.h>
#include "gui_util.h"

#define HEX_VIEW_CLASS L"ProcessMemoryMap.HexView"
/* Scroll bars take an int: past this many lines the thumb position is scaled. */
#define SCROLL_UNITS_MAX 0x10000000ull

static hex_view *view_of(HWND hwnd)
{
    return (hex_view *)GetWindowLongPtrW(hwnd, GWLP_USERDATA);
}

/* ---- geometry ---- */

static int caption_height(const hex_view *v)
{
    return v->line_h + gui_scale(6, v->dpi);
}

/* Top of the first byte line: caption, then the column ruler. */
static int lines_top(const hex_view *v)
{
    return caption_height(v) + v->line_h + gui_scale(2, v->dpi);
}

/* The status line takes the bottom of the pane. */
static int status_top(const hex_view *v)
{
    RECT r;
    GetClientRect(v->hwnd, &r);
    return r.bottom - v->line_h - gui_scale(4, v->dpi);
}

static uint64_t visible_lines(const hex_view *v)
{
    int h = status_top(v) - lines_top(v);
    return h > 0 && v->line_h > 0 ? (uint64_t)(h / v->line_h) : 0;
}

static int left_margin(const hex_view *v)
{
    return gui_scale(6, v->dpi);
}

static int address_chars(const hex_view *v)
{
    return v->model.pointer_size == 4 ? 8 : 16;
}

/* x of byte column i in the hex part and in the text part. */
static int hex_x(const hex_view *v, int i)
{
    return left_margin(v) + (address_chars(v) + 2 + i * 3 + (i >= 8)) * v->char_w;
}

static int text_x(const hex_view *v, int i)
{
    return left_margin(v) + (address_chars(v) + 2 + HEX_BYTES_PER_LINE * 3 + 2 + i) * v->char_w;
}

/* ---- scrolling ---- */

static uint64_t max_top(const hex_view *v)
{
    uint64_t count = hex_model_line_count(&v->model), page = visible_lines(v);
    return count > page ? count - page : 0;
}

static void update_scroll_bar(hex_view *v)
{
    uint64_t count = hex_model_line_count(&v->model), page = visible_lines(v);
    uint64_t units = count < SCROLL_UNITS_MAX ? count : SCROLL_UNITS_MAX;
    SCROLLINFO si = {0};
    si.cbSize = sizeof si;
    si.fMask = SIF_RANGE | SIF_PAGE | SIF_POS | SIF_DISABLENOSCROLL;
    si.nMin = 0;
    si.nMax = units ? (int)(units - 1) : 0;
    si.nPage = (UINT)(count ? (page * units + count - 1) / count : 0);
    si.nPos = (int)(count ? (uint64_t)((double)v->top_line * (double)units / (double)count) : 0);
    SetScrollInfo(v->hwnd, SB_VERT, &si, TRUE);
}

static void scroll_to(hex_view *v, uint64_t line)
{
    uint64_t top = max_top(v);
    v->top_line = line > top ? top : line;
    update_scroll_bar(v);
    InvalidateRect(v->hwnd, NULL, FALSE);
}

static void scroll_by(hex_view *v, int64_t delta)
{
    if (delta < 0 && (uint64_t)-delta > v->top_line)
        scroll_to(v, 0);
    else
        scroll_to(v, v->top_line + (uint64_t)delta);
}

static void OnVScroll(HWND hwnd, HWND control, UINT code, int pos)
{
    hex_view *v = view_of(hwnd);
    (void)control;
    (void)pos;
    int64_t page = (int64_t)visible_lines(v);
    switch (code) {
    case SB_LINEUP: scroll_by(v, -1); break;
    case SB_LINEDOWN: scroll_by(v, 1); break;
    case SB_PAGEUP: scroll_by(v, -(page > 1 ? page - 1 : 1)); break;
    case SB_PAGEDOWN: scroll_by(v, page > 1 ? page - 1 : 1); break;
    case SB_TOP: scroll_to(v, 0); break;
    case SB_BOTTOM: scroll_to(v, max_top(v)); break;
    case SB_THUMBTRACK:
    case SB_THUMBPOSITION: {
        /* The 16-bit pos of the message is too small: ask for the 32-bit track position. */
        SCROLLINFO si = {0};
    si.cbSize = sizeof si;
        si.fMask = SIF_TRACKPOS | SIF_RANGE;
        GetScrollInfo(hwnd, SB_VERT, &si);
        uint64_t count = hex_model_line_count(&v->model);
        uint64_t units = (uint64_t)si.nMax + 1;
        scroll_to(v, units ? (uint64_t)((double)si.nTrackPos * (double)count / (double)units) : 0);
        break;
    }
    }
}

static void OnMouseWheel(HWND hwnd, int x, int y, int delta, UINT keys)
{
    (void)x;
    (void)y;
    (void)keys;
    UINT lines = 3;
    SystemParametersInfoW(SPI_GETWHEELSCROLLLINES, 0, &lines, 0);
    scroll_by(view_of(hwnd), -(int64_t)delta * (int64_t)(lines ? lines : 3) / WHEEL_DELTA);
}

static void OnKey(HWND hwnd, UINT vk, BOOL down, int repeat, UINT flags)
{
    hex_view *v = view_of(hwnd);
    (void)down;
    (void)repeat;
    (void)flags;
    switch (vk) {
    case VK_UP: OnVScroll(hwnd, NULL, SB_LINEUP, 0); break;
    case VK_DOWN: OnVScroll(hwnd, NULL, SB_LINEDOWN, 0); break;
    case VK_PRIOR: OnVScroll(hwnd, NULL, SB_PAGEUP, 0); break;
    case VK_NEXT: OnVScroll(hwnd, NULL, SB_PAGEDOWN, 0); break;
    case VK_HOME: scroll_to(v, 0); break;
    case VK_END: scroll_to(v, max_top(v)); break;
    }
}

/* ---- painting ---- */

static void draw_caption(hex_view *v, HDC dc, const RECT *client)
{
    RECT r = {0, 0, client->right, caption_height(v)};
    SetBkColor(dc, GetSysColor(COLOR_BTNFACE));
    ExtTextOutW(dc, 0, 0, ETO_OPAQUE, &r, NULL, 0, NULL);
    wchar_t wide[512];
    gui_utf8_to_wide(v->caption[0] ? v->caption : "Select a row to see its bytes.", wide, 512);
    HGDIOBJ old = SelectObject(dc, v->caption_font ? v->caption_font : v->font);
    SetTextColor(dc, GetSysColor(COLOR_BTNTEXT));
    r.left = left_margin(v);
    DrawTextW(dc, wide, -1, &r, DT_SINGLELINE | DT_VCENTER | DT_END_ELLIPSIS | DT_NOPREFIX);
    SelectObject(dc, old);
}

static void draw_ruler(hex_view *v, HDC dc, const RECT *client)
{
    int y = caption_height(v);
    RECT r = {0, y, client->right, lines_top(v)};
    SetBkColor(dc, RGB(0xF4, 0xF4, 0xF4));
    ExtTextOutW(dc, 0, 0, ETO_OPAQUE, &r, NULL, 0, NULL);
    SetTextColor(dc, RGB(0x70, 0x70, 0x70));
    ExtTextOutW(dc, left_margin(v), y + 1, 0, NULL, L"Address", 7, NULL);
    for (int i = 0; i < HEX_BYTES_PER_LINE; i++) {
        wchar_t t[4];
        swprintf(t, 4, L"%02X", i);
        ExtTextOutW(dc, hex_x(v, i), y + 1, 0, NULL, t, 2, NULL);
        swprintf(t, 4, L"%X", i);
        ExtTextOutW(dc, text_x(v, i), y + 1, 0, NULL, t, 1, NULL);
    }
}

static void draw_line(hex_view *v, HDC dc, uint64_t line, int y)
{
    static const wchar_t digits[] = L"0123456789ABCDEF";
    uint8_t bytes[HEX_BYTES_PER_LINE], states[HEX_BYTES_PER_LINE];
    uint64_t addr = hex_model_line_address(&v->model, line);
    hex_model_line(&v->model, line, bytes, states);
    wchar_t text[24];
    swprintf(text, 24, v->model.pointer_size == 4 ? L"%08llX" : L"%016llX", (unsigned long long)addr);
    SetTextColor(dc, RGB(0x60, 0x60, 0x60));
    SetBkColor(dc, GetSysColor(COLOR_WINDOW));
    ExtTextOutW(dc, left_margin(v), y, 0, NULL, text, (UINT)wcslen(text), NULL);
    for (int i = 0; i < HEX_BYTES_PER_LINE; i++) {
        if (states[i] == HEX_BYTE_OUTSIDE)
            continue;
        int marked = v->has_mark && addr + (uint64_t)i == v->mark;
        int ok = states[i] == HEX_BYTE_OK;
        wchar_t pair[2] = {ok ? digits[bytes[i] >> 4] : L'?', ok ? digits[bytes[i] & 15] : L'?'};
        wchar_t ch = ok ? (bytes[i] >= 0x20 && bytes[i] < 0x7F ? (wchar_t)bytes[i] : L'.') : L' ';
        COLORREF fg = !ok ? RGB(0xB0, 0x50, 0x50) : bytes[i] == 0 ? RGB(0x98, 0x98, 0x98) : GetSysColor(COLOR_WINDOWTEXT);
        SetBkMode(dc, marked ? OPAQUE : TRANSPARENT);
        SetBkColor(dc, marked ? GetSysColor(COLOR_HIGHLIGHT) : GetSysColor(COLOR_WINDOW));
        SetTextColor(dc, marked ? GetSysColor(COLOR_HIGHLIGHTTEXT) : fg);
        ExtTextOutW(dc, hex_x(v, i), y, 0, NULL, pair, 2, NULL);
        SetTextColor(dc, marked ? GetSysColor(COLOR_HIGHLIGHTTEXT) : ok ? RGB(0x1F, 0x3F, 0x7F) : fg);
        ExtTextOutW(dc, text_x(v, i), y, 0, NULL, &ch, 1, NULL);
    }
    SetBkMode(dc, OPAQUE);
}

/* ---- the status line: the name of the byte under the mouse, else of the marked one ---- */

static int status_address(const hex_view *v, uint64_t *addr)
{
    if (v->has_hot)
        *addr = v->hot;
    else if (v->has_mark)
        *addr = v->mark;
    else
        return 0;
    return 1;
}

static void update_status(hex_view *v)
{
    uint64_t addr = 0;
    int has = status_address(v, &addr);
    if (has == v->has_status && (!has || addr == v->status_addr))
        return;
    v->has_status = has;
    v->status_addr = addr;
    v->status[0] = '\0';
    if (has && v->describe)
        v->describe(v->describe_ctx, addr, v->status, sizeof v->status);
    RECT r;
    GetClientRect(v->hwnd, &r);
    r.top = status_top(v);
    InvalidateRect(v->hwnd, &r, FALSE);
    if (v->tooltip)
        SendMessageW(v->tooltip, TTM_UPDATE, 0, 0);
}

static void draw_status(hex_view *v, HDC dc, const RECT *client)
{
    RECT r = {0, status_top(v), client->right, client->bottom};
    SetBkColor(dc, RGB(0xF4, 0xF4, 0xF4));
    ExtTextOutW(dc, 0, 0, ETO_OPAQUE, &r, NULL, 0, NULL);
    if (!v->has_status)
        return;
    char text[700];
    snprintf(text, sizeof text, v->model.pointer_size == 4 ? "%08llX  %s" : "%016llX  %s",
             (unsigned long long)v->status_addr, v->status[0] ? v->status : "(no symbol)");
    wchar_t wide[700];
    gui_utf8_to_wide(text, wide, 700);
    SetTextColor(dc, RGB(0x30, 0x30, 0x30));
    r.left = left_margin(v);
    DrawTextW(dc, wide, -1, &r, DT_SINGLELINE | DT_VCENTER | DT_END_ELLIPSIS | DT_NOPREFIX);
}

/* The byte at client point (x, y), or 0 when there is none. */
static int byte_at(const hex_view *v, int x, int y, uint64_t *addr)
{
    if (y < lines_top(v) || y >= status_top(v) || v->line_h <= 0)
        return 0;
    uint64_t line = v->top_line + (uint64_t)((y - lines_top(v)) / v->line_h);
    if (line >= hex_model_line_count(&v->model))
        return 0;
    for (int i = 0; i < HEX_BYTES_PER_LINE; i++)
        if ((x >= hex_x(v, i) && x < hex_x(v, i) + 2 * v->char_w) || (x >= text_x(v, i) && x < text_x(v, i) + v->char_w)) {
            *addr = hex_model_line_address(&v->model, line) + (uint64_t)i;
            return *addr >= v->model.start && *addr < v->model.end;
        }
    return 0;
}

static void OnMouseMove(HWND hwnd, int x, int y, UINT keys)
{
    hex_view *v = view_of(hwnd);
    (void)keys;
    uint64_t addr = 0;
    int over = byte_at(v, x, y, &addr);
    if (over != v->has_hot || (over && addr != v->hot)) {
        v->has_hot = over;
        v->hot = addr;
        update_status(v);
    }
    TRACKMOUSEEVENT track = {sizeof track, TME_LEAVE, hwnd, 0};
    TrackMouseEvent(&track);
}

static void OnMouseLeave(hex_view *v)
{
    v->has_hot = 0;
    update_status(v);
}

/* The tooltip asks for its text when it is about to show: the status line's, or none. */
static LRESULT OnNotify(HWND hwnd, int id, NMHDR *nm)
{
    hex_view *v = view_of(hwnd);
    (void)id;
    if (nm->hwndFrom == v->tooltip && nm->code == TTN_GETDISPINFOW) {
        NMTTDISPINFOW *info = (NMTTDISPINFOW *)nm;
        static wchar_t text[600];
        text[0] = L'\0';
        if (v->has_hot && v->status[0])
            gui_utf8_to_wide(v->status, text, 600);
        info->lpszText = text;
    }
    return 0;
}

static void create_tooltip(hex_view *v)
{
    v->tooltip = CreateWindowExW(WS_EX_TOPMOST, TOOLTIPS_CLASSW, NULL, WS_POPUP | TTS_NOPREFIX | TTS_ALWAYSTIP,
                                 CW_USEDEFAULT, CW_USEDEFAULT, CW_USEDEFAULT, CW_USEDEFAULT, v->hwnd, NULL,
                                 GetModuleHandleW(NULL), NULL);
    if (!v->tooltip)
        return;
    TOOLINFOW ti = {0};
    ti.cbSize = sizeof ti;
    ti.uFlags = TTF_IDISHWND | TTF_SUBCLASS;
    ti.hwnd = v->hwnd;
    ti.uId = (UINT_PTR)v->hwnd;
    ti.lpszText = LPSTR_TEXTCALLBACKW;
    SendMessageW(v->tooltip, TTM_ADDTOOLW, 0, (LPARAM)&ti);
    SendMessageW(v->tooltip, TTM_SETMAXTIPWIDTH, 0, 800);
}

void hex_view_set_describer(hex_view *v, hex_describe_fn fn, void *ctx)
{
    v->describe = fn;
    v->describe_ctx = ctx;
    v->has_status = 0;
    update_status(v);
}

static void paint(hex_view *v, HDC dc, const RECT *client)
{
    SetBkColor(dc, GetSysColor(COLOR_WINDOW));
    ExtTextOutW(dc, 0, 0, ETO_OPAQUE, client, NULL, 0, NULL);
    HGDIOBJ old = SelectObject(dc, v->font);
    draw_ruler(v, dc, client);
    uint64_t count = hex_model_line_count(&v->model), page = visible_lines(v) + 1;
    int y = lines_top(v);
    for (uint64_t k = 0; k < page && v->top_line + k < count; k++, y += v->line_h)
        draw_line(v, dc, v->top_line + k, y);
    /* A divider between the hex and the text part, as hex editors draw it. */
    HPEN pen = CreatePen(PS_SOLID, 1, RGB(0xE0, 0xE0, 0xE0));
    HGDIOBJ old_pen = SelectObject(dc, pen);
    int x = text_x(v, 0) - v->char_w;
    MoveToEx(dc, x, caption_height(v), NULL);
    LineTo(dc, x, client->bottom);
    SelectObject(dc, old_pen);
    DeleteObject(pen);
    draw_status(v, dc, client);
    SelectObject(dc, old);
    draw_caption(v, dc, client);
}

static void OnPaint(HWND hwnd)
{
    hex_view *v = view_of(hwnd);
    PAINTSTRUCT ps;
    HDC dc = BeginPaint(hwnd, &ps);
    RECT client;
    GetClientRect(hwnd, &client);
    /* Drawn off screen first: the whole pane changes on every scroll, and flicker would show. */
    HDC memory = CreateCompatibleDC(dc);
    HBITMAP bitmap = CreateCompatibleBitmap(dc, client.right > 0 ? client.right : 1, client.bottom > 0 ? client.bottom : 1);
    HGDIOBJ old = SelectObject(memory, bitmap);
    paint(v, memory, &client);
    BitBlt(dc, 0, 0, client.right, client.bottom, memory, 0, 0, SRCCOPY);
    SelectObject(memory, old);
    DeleteObject(bitmap);
    DeleteDC(memory);
    EndPaint(hwnd, &ps);
}

/* ---- fonts ---- */

/* The first of a few fixed-pitch faces that is really there (GDI silently substitutes). */
static HFONT create_mono_font(UINT dpi)
{
    static const wchar_t *const faces[] = {L"Consolas", L"Lucida Console", L"DejaVu Sans Mono", L"Courier New"};
    int height = -MulDiv(10, (int)dpi, 72);
    for (size_t i = 0; i < sizeof faces / sizeof faces[0]; i++) {
        HFONT font = CreateFontW(height, 0, 0, 0, FW_NORMAL, 0, 0, 0, DEFAULT_CHARSET, OUT_DEFAULT_PRECIS,
                                 CLIP_DEFAULT_PRECIS, CLEARTYPE_QUALITY, FIXED_PITCH | FF_MODERN, faces[i]);
        HDC dc = GetDC(NULL);
        HGDIOBJ old = SelectObject(dc, font);
        wchar_t got[LF_FACESIZE] = L"";
        GetTextFaceW(dc, LF_FACESIZE, got);
        SelectObject(dc, old);
        ReleaseDC(NULL, dc);
        if (_wcsicmp(got, faces[i]) == 0)
            return font;
        DeleteObject(font);
    }
    return CreateFontW(height, 0, 0, 0, FW_NORMAL, 0, 0, 0, DEFAULT_CHARSET, OUT_DEFAULT_PRECIS, CLIP_DEFAULT_PRECIS,
                       CLEARTYPE_QUALITY, FIXED_PITCH | FF_MODERN, NULL);
}

void hex_view_set_fonts(hex_view *v, UINT dpi, HFONT caption_font)
{
    v->dpi = dpi;
    v->caption_font = caption_font;
    if (v->font)
        DeleteObject(v->font);
    v->font = create_mono_font(dpi);
    HDC dc = GetDC(v->hwnd);
    HGDIOBJ old = SelectObject(dc, v->font);
    TEXTMETRICW tm;
    GetTextMetricsW(dc, &tm);
    SIZE size;
    GetTextExtentPoint32W(dc, L"0", 1, &size);
    SelectObject(dc, old);
    ReleaseDC(v->hwnd, dc);
    v->char_w = size.cx > 0 ? size.cx : tm.tmAveCharWidth;
    v->line_h = tm.tmHeight + tm.tmExternalLeading;
    update_scroll_bar(v);
    InvalidateRect(v->hwnd, NULL, FALSE);
}

/* ---- public ---- */

void hex_view_set_map(hex_view *v, const pmm_map *map, uint32_t probe_step)
{
    hex_model_set_map(&v->model, map, probe_step);
    v->top_line = 0;
    v->has_mark = 0;
    v->has_hot = 0;
    v->has_status = 0;
    v->status[0] = '\0';
    v->caption[0] = '\0';
    update_scroll_bar(v);
    InvalidateRect(v->hwnd, NULL, FALSE);
}

void hex_view_show(hex_view *v, uint64_t start, uint64_t end, const char *caption, uint64_t focus, int mark)
{
    int same = v->model.start == start && v->model.end == end;
    hex_model_set_range(&v->model, start, end);
    snprintf(v->caption, sizeof v->caption, "%s", caption ? caption : "");
    v->has_mark = mark;
    v->mark = focus;
    v->has_hot = 0;
    update_status(v);
    uint64_t line = hex_model_line_of(&v->model, focus);
    uint64_t page = visible_lines(v);
    if (!same || line < v->top_line || line >= v->top_line + page) {
        /* The focus line a few lines from the top, so what leads up to it shows too. */
        uint64_t context = mark && page > 6 ? 3 : 0;
        v->top_line = 0;
        scroll_to(v, line > context ? line - context : 0);
    } else {
        update_scroll_bar(v);
    }
    InvalidateRect(v->hwnd, NULL, FALSE);
}

void hex_view_reload(hex_view *v)
{
    hex_model_invalidate(&v->model);
    InvalidateRect(v->hwnd, NULL, FALSE);
}

int hex_view_write_text(hex_view *v, FILE *f)
{
    char line[256];
    int ok = fprintf(f, "%s\n", v->caption) > 0;
    uint64_t count = hex_model_line_count(&v->model), page = visible_lines(v);
    for (uint64_t k = 0; ok && k < page && v->top_line + k < count; k++)
        ok = fprintf(f, "%s\n", hex_model_format_line(&v->model, v->top_line + k, line, sizeof line)) > 0;
    if (ok && v->has_status)
        ok = fprintf(f, "status: %0*llX  %s\n", v->model.pointer_size == 4 ? 8 : 16,
                     (unsigned long long)v->status_addr, v->status[0] ? v->status : "(no symbol)") > 0;
    return ok ? 0 : -1;
}

/* ---- window procedure ---- */

static void OnSize(HWND hwnd, UINT state, int cx, int cy)
{
    hex_view *v = view_of(hwnd);
    (void)state;
    (void)cx;
    (void)cy;
    scroll_to(v, v->top_line);
}

static void OnLButtonDown(HWND hwnd, BOOL dbl, int x, int y, UINT keys)
{
    (void)dbl;
    (void)x;
    (void)y;
    (void)keys;
    SetFocus(hwnd);
}

static UINT OnGetDlgCode(HWND hwnd, LPMSG msg)
{
    (void)hwnd;
    (void)msg;
    return DLGC_WANTARROWS;
}

static void OnDestroy(HWND hwnd)
{
    hex_view *v = view_of(hwnd);
    if (v->font)
        DeleteObject(v->font);
    v->font = NULL;
}

static LRESULT CALLBACK hex_view_proc(HWND hwnd, UINT msg, WPARAM wParam, LPARAM lParam)
{
    if (msg == WM_NCCREATE) {
        CREATESTRUCTW *create = (CREATESTRUCTW *)lParam;
        hex_view *v = create->lpCreateParams;
        v->hwnd = hwnd;
        SetWindowLongPtrW(hwnd, GWLP_USERDATA, (LONG_PTR)v);
    }
    if (!view_of(hwnd))
        return DefWindowProcW(hwnd, msg, wParam, lParam);
    switch (msg) {
    HANDLE_MSG(hwnd, WM_PAINT, OnPaint);
    HANDLE_MSG(hwnd, WM_SIZE, OnSize);
    HANDLE_MSG(hwnd, WM_VSCROLL, OnVScroll);
    HANDLE_MSG(hwnd, WM_MOUSEWHEEL, OnMouseWheel);
    HANDLE_MSG(hwnd, WM_KEYDOWN, OnKey);
    HANDLE_MSG(hwnd, WM_LBUTTONDOWN, OnLButtonDown);
    HANDLE_MSG(hwnd, WM_MOUSEMOVE, OnMouseMove);
    HANDLE_MSG(hwnd, WM_NOTIFY, OnNotify);
    case WM_MOUSELEAVE:
        OnMouseLeave(view_of(hwnd));
        return 0;
    HANDLE_MSG(hwnd, WM_GETDLGCODE, OnGetDlgCode);
    HANDLE_MSG(hwnd, WM_DESTROY, OnDestroy);
    case WM_ERASEBKGND:
        return 1;   /* OnPaint covers every pixel */
    case WM_SETFOCUS:
    case WM_KILLFOCUS:
        InvalidateRect(hwnd, NULL, FALSE);
        break;
    }
    return DefWindowProcW(hwnd, msg, wParam, lParam);
}

int hex_view_register(HINSTANCE instance)
{
    WNDCLASSEXW wc = {0};
    wc.cbSize = sizeof wc;
    wc.style = CS_HREDRAW | CS_VREDRAW;
    wc.lpfnWndProc = hex_view_proc;
    wc.hInstance = instance;
    wc.hCursor = LoadCursorW(NULL, (LPCWSTR)IDC_IBEAM);
    wc.lpszClassName = HEX_VIEW_CLASS;
    return RegisterClassExW(&wc) != 0;
}

HWND hex_view_create(hex_view *view, HWND parent, int id, UINT dpi, hex_read_fn read, void *read_ctx)
{
    memset(view, 0, sizeof *view);
    hex_model_init(&view->model, read, read_ctx);
    view->dpi = dpi;
    view->line_h = 16;
    view->char_w = 8;
    HWND hwnd = CreateWindowExW(WS_EX_CLIENTEDGE, HEX_VIEW_CLASS, L"Hex", WS_CHILD | WS_VISIBLE | WS_TABSTOP | WS_VSCROLL,
                                0, 0, 0, 0, parent, (HMENU)(INT_PTR)id, GetModuleHandleW(NULL), view);
    if (hwnd) {
        hex_view_set_fonts(view, dpi, NULL);
        create_tooltip(view);
    }
    return hwnd;
}
