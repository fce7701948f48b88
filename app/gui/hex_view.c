#include "hex_view.h"

#include <commctrl.h>
#include <stdlib.h>
#include <string.h>
#include <windowsx.h>
#include "core/util/text.h"
#include "gui_util.h"
#include "hex_dialogs.h"
#include "hex_inspector.h"
#include "res/resource.h"

#define HEX_VIEW_CLASS L"ProcessMemoryMap.HexView"
/* Scroll bars take an int: past this many lines the thumb position is scaled. */
#define SCROLL_UNITS_MAX 0x10000000ull
/* Bytes one Find step examines before it stops and lets F3 go on: a few seconds of reads at most. */
#define FIND_STEP_BYTES (256ull << 20)
/* The inspector is drawn when at least this many characters fit beside the text column. */
#define INSPECTOR_MIN_CHARS 44

static hex_view *view_of(HWND hwnd)
{
    return (hex_view *)GetWindowLongPtrW(hwnd, GWLP_USERDATA);
}

/* ---- geometry ---- */

/* The status line at the bottom (where the cursor is, what is selected, a note): a bar as high as
 * the caption. */
static int status_height(const hex_view *v)
{
    return line_pane_caption_height(&v->pane);
}

static int status_top(const hex_view *v)
{
    RECT r;
    GetClientRect(v->pane.hwnd, &r);
    return r.bottom - status_height(v);
}

static uint64_t visible_lines(const hex_view *v)
{
    int h = status_top(v) - line_pane_lines_top(&v->pane);
    return h > 0 && v->pane.line_h > 0 ? (uint64_t)(h / v->pane.line_h) : 0;
}

static int address_chars(const hex_view *v)
{
    return v->model.pointer_size == 4 ? 8 : 16;
}

/* x of byte column i in the hex part and in the text part. */
static int hex_x(const hex_view *v, int i)
{
    return line_pane_left_margin(&v->pane) + (address_chars(v) + 2 + i * 3 + (i >= 8)) * v->pane.char_w;
}

static int text_x(const hex_view *v, int i)
{
    return line_pane_left_margin(&v->pane) + (address_chars(v) + 2 + HEX_BYTES_PER_LINE * 3 + 2 + i) * v->pane.char_w;
}

/* Left edge of the inspector; 0 when the pane is too narrow for it. */
static int inspector_x(const hex_view *v)
{
    RECT r;
    GetClientRect(v->pane.hwnd, &r);
    int x = text_x(v, HEX_BYTES_PER_LINE) + 3 * v->pane.char_w;
    return r.right - x >= INSPECTOR_MIN_CHARS * v->pane.char_w ? x : 0;
}

/* The byte under a point of the hex or the text part; 0 when there is none. */
static int byte_at_point(const hex_view *v, int x, int y, uint64_t *addr)
{
    if (y < line_pane_lines_top(&v->pane) || v->pane.line_h <= 0 || hex_selection_length(&v->sel) == 0)
        return 0;
    uint64_t line = v->top_line + (uint64_t)((y - line_pane_lines_top(&v->pane)) / v->pane.line_h);
    if (line >= hex_model_line_count(&v->model) || y >= status_top(v))
        return 0;
    int column = -1;
    for (int i = 0; i < HEX_BYTES_PER_LINE && column < 0; i++)
        if ((x >= hex_x(v, i) && x < hex_x(v, i) + 3 * v->pane.char_w) || (x >= text_x(v, i) && x < text_x(v, i + 1)))
            column = i;
    if (column < 0)
        return 0;
    *addr = hex_model_line_address(&v->model, line) + (uint64_t)column;
    return *addr >= v->model.start && *addr < v->model.end;
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
    SetScrollInfo(v->pane.hwnd, SB_VERT, &si, TRUE);
}

static void scroll_to(hex_view *v, uint64_t line)
{
    uint64_t top = max_top(v);
    v->top_line = line > top ? top : line;
    update_scroll_bar(v);
    InvalidateRect(v->pane.hwnd, NULL, FALSE);
}

static void scroll_by(hex_view *v, int64_t delta)
{
    if (delta < 0 && (uint64_t)-delta > v->top_line)
        scroll_to(v, 0);
    else
        scroll_to(v, v->top_line + (uint64_t)delta);
}

/* ---- the name in the status line: of the byte under the mouse, else of the cursor ---- */

static int status_address(const hex_view *v, uint64_t *addr)
{
    if (v->has_hot)
        *addr = v->hot;
    else if (hex_selection_length(&v->sel))
        *addr = v->sel.cursor;
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
    GetClientRect(v->pane.hwnd, &r);
    r.top = status_top(v);
    InvalidateRect(v->pane.hwnd, &r, FALSE);
    if (v->tooltip)
        SendMessageW(v->tooltip, TTM_UPDATE, 0, 0);
}

void hex_view_set_describer(hex_view *v, hex_describe_fn fn, void *ctx)
{
    v->describe = fn;
    v->describe_ctx = ctx;
    v->has_status = 0;
    update_status(v);
}

/* Scrolls just enough for the cursor's line to be on screen. */
static void ensure_cursor_visible(hex_view *v)
{
    uint64_t line = hex_model_line_of(&v->model, v->sel.cursor), page = visible_lines(v);
    if (line < v->top_line)
        scroll_to(v, line);
    else if (page && line >= v->top_line + page)
        scroll_to(v, line - page + 1);
    InvalidateRect(v->pane.hwnd, NULL, FALSE);
}

/* After the cursor moved: the note and a stopped find are of the old place. */
static void cursor_moved(hex_view *v)
{
    v->note[0] = '\0';
    v->find_resume = 0;
    ensure_cursor_visible(v);
    update_status(v);
}

static void move_cursor(hex_view *v, uint64_t addr, int extend)
{
    hex_selection_move_to(&v->sel, addr, extend);
    cursor_moved(v);
}

static void move_cursor_by(hex_view *v, int64_t delta, int extend)
{
    hex_selection_move_by(&v->sel, delta, extend);
    cursor_moved(v);
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
    scroll_by(view_of(hwnd), -(int64_t)line_pane_wheel_lines(delta));
}

/* ---- painting ---- */

static void draw_ruler(hex_view *v, HDC dc, const RECT *client)
{
    int y = line_pane_draw_ruler(&v->pane, dc, client);
    for (int i = 0; i < HEX_BYTES_PER_LINE; i++) {
        wchar_t t[4];
        swprintf(t, 4, L"%02X", i);
        ExtTextOutW(dc, hex_x(v, i), y, 0, NULL, t, 2, NULL);
        swprintf(t, 4, L"%X", i);
        ExtTextOutW(dc, text_x(v, i), y, 0, NULL, t, 1, NULL);
    }
    if (inspector_x(v)) {
        const wchar_t *order = v->big_endian ? L"Inspector (big-endian; right-click to change)"
                                             : L"Inspector (little-endian; right-click to change)";
        ExtTextOutW(dc, inspector_x(v), y, 0, NULL, order, (UINT)wcslen(order), NULL);
    }
}

/* Selected bytes are filled with the highlight colour (paler when the pane has no focus); the
 * cursor byte is framed. */
static void draw_byte_cell(hex_view *v, HDC dc, int x, int y, int chars, int selected, int cursor, int focused)
{
    RECT cell = {x - v->pane.char_w / 2, y, x + chars * v->pane.char_w + v->pane.char_w / 2, y + v->pane.line_h};
    if (chars == 1)
        cell.left = x, cell.right = x + v->pane.char_w;
    if (selected) {
        SetBkColor(dc, focused ? GetSysColor(COLOR_HIGHLIGHT) : RGB(0xCC, 0xDD, 0xF0));
        ExtTextOutW(dc, 0, 0, ETO_OPAQUE, &cell, NULL, 0, NULL);
    }
    if (cursor) {
        HBRUSH frame = CreateSolidBrush(focused ? RGB(0x00, 0x00, 0x00) : RGB(0x90, 0x90, 0x90));
        FrameRect(dc, &cell, frame);
        DeleteObject(frame);
    }
}

static void draw_line(hex_view *v, HDC dc, uint64_t line, int y, int focused)
{
    static const wchar_t digits[] = L"0123456789ABCDEF";
    uint8_t bytes[HEX_BYTES_PER_LINE], states[HEX_BYTES_PER_LINE];
    uint64_t addr = hex_model_line_address(&v->model, line);
    hex_model_line(&v->model, line, bytes, states);
    wchar_t text[24];
    swprintf(text, 24, v->model.pointer_size == 4 ? L"%08llX" : L"%016llX", (unsigned long long)addr);
    SetBkMode(dc, TRANSPARENT);
    SetTextColor(dc, RGB(0x60, 0x60, 0x60));
    ExtTextOutW(dc, line_pane_left_margin(&v->pane), y, 0, NULL, text, (UINT)wcslen(text), NULL);
    for (int i = 0; i < HEX_BYTES_PER_LINE; i++) {
        if (states[i] == HEX_BYTE_OUTSIDE)
            continue;
        uint64_t a = addr + (uint64_t)i;
        int selected = hex_selection_contains(&v->sel, a), cursor = a == v->sel.cursor;
        int ok = states[i] == HEX_BYTE_OK;
        wchar_t missing = states[i] == HEX_BYTE_NOT_LOADED ? L'-' : L'?';
        wchar_t pair[2] = {ok ? digits[bytes[i] >> 4] : missing, ok ? digits[bytes[i] & 15] : missing};
        wchar_t ch = ok ? (bytes[i] >= 0x20 && bytes[i] < 0x7F ? (wchar_t)bytes[i] : L'.') : L' ';
        COLORREF fg = missing == L'-' ? RGB(0x98, 0x98, 0x98) : !ok ? RGB(0xB0, 0x50, 0x50) : bytes[i] == 0 ? RGB(0x98, 0x98, 0x98) : GetSysColor(COLOR_WINDOWTEXT);
        COLORREF on_selection = focused ? GetSysColor(COLOR_HIGHLIGHTTEXT) : GetSysColor(COLOR_WINDOWTEXT);
        draw_byte_cell(v, dc, hex_x(v, i), y, 2, selected, cursor, focused);
        SetTextColor(dc, selected ? on_selection : fg);
        ExtTextOutW(dc, hex_x(v, i), y, 0, NULL, pair, 2, NULL);
        draw_byte_cell(v, dc, text_x(v, i), y, 1, selected, cursor, focused);
        SetTextColor(dc, selected ? on_selection : ok ? RGB(0x1F, 0x3F, 0x7F) : fg);
        ExtTextOutW(dc, text_x(v, i), y, 0, NULL, &ch, 1, NULL);
    }
    SetBkMode(dc, OPAQUE);
}

/* The inspector's rows for the bytes at the cursor. */
static void inspect_cursor(hex_view *v, inspect_row rows[INSPECT_COUNT])
{
    uint8_t bytes[INSPECT_WINDOW], states[INSPECT_WINDOW];
    hex_model_bytes(&v->model, v->sel.cursor, INSPECT_WINDOW, bytes, states);
    inspect_input in = {bytes, states, INSPECT_WINDOW, v->big_endian, v->model.pointer_size, v->model.map};
    inspect_bytes(&in, rows);
}

/* Signed and unsigned integers share a line ("-2 | 254 (0xFE)"): the pane has room for ten. Each
 * value is laid out to fit its column at the pane's default width (inspect_integer_line,
 * INSPECT_VALUE_COLUMNS); the ellipsis is left for a pane made narrower. Bytes not loaded yet are
 * grey, not the red of bytes that could not be read. */
static void draw_inspector(hex_view *v, HDC dc, const RECT *client)
{
    int x = inspector_x(v), y = line_pane_lines_top(&v->pane), bottom = client->bottom - status_height(v);
    if (!x || hex_selection_length(&v->sel) == 0)
        return;
    inspect_row rows[INSPECT_COUNT];
    inspect_cursor(v, rows);
    static const struct { const char *label; int first, second; } lines[] = {
        {"8-bit", INSPECT_INT8, INSPECT_UINT8},   {"16-bit", INSPECT_INT16, INSPECT_UINT16},
        {"32-bit", INSPECT_INT32, INSPECT_UINT32}, {"64-bit", INSPECT_INT64, INSPECT_UINT64},
        {"Float", INSPECT_FLOAT, -1},              {"Double", INSPECT_DOUBLE, -1},
        {"Pointer", INSPECT_POINTER, -1},          {"ANSI", INSPECT_ANSI, -1},
        {"UTF-16", INSPECT_UTF16, -1}};
    int value_x = x + 8 * v->pane.char_w;
    SetBkMode(dc, TRANSPARENT);
    RECT clip = {value_x, 0, client->right - v->pane.char_w, 0};
    size_t columns = clip.right > clip.left && v->pane.char_w > 0 ? (size_t)((clip.right - clip.left) / v->pane.char_w) : 0;
    for (size_t i = 0; i < sizeof lines / sizeof lines[0] && y + v->pane.line_h <= bottom; i++, y += v->pane.line_h) {
        char value[900];
        const inspect_row *a = &rows[lines[i].first];
        if (lines[i].second >= 0)
            inspect_integer_line(a, &rows[lines[i].second], columns, value, sizeof value);
        else
            snprintf(value, sizeof value, "%s", a->value);
        wchar_t label[16], wide[900];
        gui_utf8_to_wide(lines[i].label, label, 16);
        gui_utf8_to_wide(value, wide, 900);
        SetTextColor(dc, RGB(0x60, 0x60, 0x60));
        ExtTextOutW(dc, x, y, 0, NULL, label, (UINT)wcslen(label), NULL);
        SetTextColor(dc, a->readable ? GetSysColor(COLOR_WINDOWTEXT) : a->not_loaded ? RGB(0x80, 0x80, 0x80)
                                                                                     : RGB(0xB0, 0x50, 0x50));
        clip.top = y;
        clip.bottom = y + v->pane.line_h;
        DrawTextW(dc, wide, -1, &clip, DT_SINGLELINE | DT_END_ELLIPSIS | DT_NOPREFIX);
    }
    SetBkMode(dc, OPAQUE);
}

/* "Offset 0x1A0 of 0x2000 (00007FF6A0B411A0) kernel32.dll!CreateFileW+0x1a; 4 bytes selected
 * (0x4)", then the note; while the mouse is over a byte, that byte and its name. */
static void status_text(hex_view *v, char *buf, size_t cap)
{
    uint64_t length = hex_selection_length(&v->sel);
    char addr[32], count[32];
    if (v->has_hot && v->has_status) {
        snprintf(buf, cap, "%s  %s", pmm_address_text(v->status_addr, v->model.pointer_size, addr, sizeof addr),
                 v->status[0] ? v->status : "(no symbol)");
        return;
    }
    if (!length) {
        snprintf(buf, cap, "%s", v->note);
        return;
    }
    int n = snprintf(buf, cap, "Offset 0x%llX of 0x%llX (%s)%s%s", (unsigned long long)(v->sel.cursor - v->sel.start),
                     (unsigned long long)(v->sel.end - v->sel.start),
                     pmm_address_text(v->sel.cursor, v->model.pointer_size, addr, sizeof addr),
                     v->has_status && v->status[0] ? " " : "", v->has_status ? v->status : "");
    if (n > 0 && (size_t)n < cap && length > 1)
        n += snprintf(buf + n, cap - (size_t)n, "; %s bytes selected (0x%llX)", pmm_count_text(length, count, sizeof count),
                      (unsigned long long)length);
    if (n > 0 && (size_t)n < cap && v->note[0])
        snprintf(buf + n, cap - (size_t)n, ". %s", v->note);
}

static void draw_status(hex_view *v, HDC dc, const RECT *client)
{
    RECT r = {0, status_top(v), client->right, client->bottom};
    SetBkColor(dc, RGB(0xF4, 0xF4, 0xF4));
    ExtTextOutW(dc, 0, 0, ETO_OPAQUE, &r, NULL, 0, NULL);
    char text[600];
    wchar_t wide[600];
    status_text(v, text, sizeof text);
    gui_utf8_to_wide(text, wide, 600);
    SetTextColor(dc, GetSysColor(COLOR_WINDOWTEXT));
    r.left = line_pane_left_margin(&v->pane);
    DrawTextW(dc, wide, -1, &r, DT_SINGLELINE | DT_VCENTER | DT_END_ELLIPSIS | DT_NOPREFIX);
}

static void paint(void *self, HDC dc, const RECT *client)
{
    hex_view *v = self;
    SetBkColor(dc, GetSysColor(COLOR_WINDOW));
    ExtTextOutW(dc, 0, 0, ETO_OPAQUE, client, NULL, 0, NULL);
    HGDIOBJ old = SelectObject(dc, v->pane.font);
    draw_ruler(v, dc, client);
    int focused = GetFocus() == v->pane.hwnd;
    uint64_t count = hex_model_line_count(&v->model), page = visible_lines(v) + 1;
    int y = line_pane_lines_top(&v->pane);
    for (uint64_t k = 0; k < page && v->top_line + k < count; k++, y += v->pane.line_h)
        draw_line(v, dc, v->top_line + k, y, focused);
    /* Dividers between the hex part, the text part and the inspector, as hex editors draw them. */
    HPEN pen = CreatePen(PS_SOLID, 1, RGB(0xE0, 0xE0, 0xE0));
    HGDIOBJ old_pen = SelectObject(dc, pen);
    int dividers[2] = {text_x(v, 0) - v->pane.char_w, inspector_x(v) - v->pane.char_w};
    for (int i = 0; i < 2; i++) {
        if (dividers[i] <= 0)
            continue;
        MoveToEx(dc, dividers[i], line_pane_caption_height(&v->pane), NULL);
        LineTo(dc, dividers[i], client->bottom - status_height(v));
    }
    SelectObject(dc, old_pen);
    DeleteObject(pen);
    draw_inspector(v, dc, client);
    draw_status(v, dc, client);
    SelectObject(dc, old);
    line_pane_draw_caption(&v->pane, dc, client, v->caption[0] ? v->caption : "Select a row to see its bytes.");
}

/* ---- commands: copy, find, go to offset ---- */

void hex_view_copy(hex_view *v, hex_copy_format format)
{
    char message[400];
    char *text = hex_selection_copy(&v->sel, &v->model, format, message, sizeof message);
    if (!text) {
        gui_error(v->pane.hwnd, message);
        return;
    }
    if (!gui_copy_text(v->pane.hwnd, text))
        gui_error(v->pane.hwnd, "The bytes could not be put on the clipboard (out of memory, or another program holds "
                           "it). Try again.");
    free(text);
}

static void set_note(hex_view *v, const char *text)
{
    snprintf(v->note, sizeof v->note, "%s", text);
    InvalidateRect(v->pane.hwnd, NULL, FALSE);
}

/* From where a stopped find left off, else from the selection's first byte (itself included when
 * the find is new, so a match at the cursor is found, else from the byte after it). */
static void find_next(hex_view *v, int include_cursor)
{
    if (!v->has_pattern || hex_selection_length(&v->sel) == 0)
        return;
    if (v->model.not_loaded) {
        set_note(v, "Nothing to find in yet: the bytes are " HEX_NOT_LOADED_TEXT ".");
        return;
    }
    uint64_t first = hex_selection_first(&v->sel), at = 0;
    uint64_t from = v->find_resume ? v->find_resume : include_cursor ? first : first + 1;
    HCURSOR old = SetCursor(LoadCursorW(NULL, (LPCWSTR)IDC_WAIT));
    hex_find_result result = hex_find_next(&v->model, &v->pattern, from, FIND_STEP_BYTES, &at);
    SetCursor(old);
    char addr[32], note[300];
    switch (result) {
    case HEX_FIND_FOUND:
        move_cursor(v, at, 0);
        move_cursor(v, at + v->pattern.length - 1, 1);
        snprintf(note, sizeof note, "Found at offset 0x%llX.", (unsigned long long)(at - v->model.start));
        break;
    case HEX_FIND_STOPPED:
        v->find_resume = at;
        snprintf(note, sizeof note, "Not found up to %s; press F3 to go on.",
                 pmm_address_text(at, v->model.pointer_size, addr, sizeof addr));
        break;
    case HEX_FIND_NOT_FOUND:
        snprintf(note, sizeof note, "Not found from %s to the end of the range.",
                 pmm_address_text(from, v->model.pointer_size, addr, sizeof addr));
        break;
    default:
        snprintf(note, sizeof note, "Not enough memory to search.");
        break;
    }
    set_note(v, note);
}

static void find(hex_view *v)
{
    pmm_search_pattern pattern;
    if (hex_selection_length(&v->sel) == 0 ||
        !hex_find_dialog_run(v->pane.hwnd, v->find_text, sizeof v->find_text / sizeof v->find_text[0], &v->find_kind,
                             &pattern))
        return;
    if (v->has_pattern)
        pmm_search_pattern_free(&v->pattern);
    v->pattern = pattern;
    v->has_pattern = 1;
    v->find_resume = 0;
    find_next(v, 1);
}

static void go_to_offset(hex_view *v)
{
    uint64_t length = v->sel.end - v->sel.start, offset;
    if (length && hex_offset_dialog_run(v->pane.hwnd, length, v->sel.cursor - v->sel.start, &offset))
        move_cursor(v, v->sel.start + offset, 0);
}

static void command(hex_view *v, int id)
{
    switch (id) {
    case ID_HEX_COPY_HEX: hex_view_copy(v, HEX_COPY_HEX); break;
    case ID_HEX_COPY_TEXT: hex_view_copy(v, HEX_COPY_TEXT); break;
    case ID_HEX_COPY_C_ARRAY: hex_view_copy(v, HEX_COPY_C_ARRAY); break;
    case ID_HEX_SELECT_ALL:
        hex_selection_select_all(&v->sel);
        InvalidateRect(v->pane.hwnd, NULL, FALSE);
        break;
    case ID_HEX_FIND: find(v); break;
    case ID_HEX_FIND_NEXT: find_next(v, 0); break;
    case ID_HEX_GOTO_OFFSET: go_to_offset(v); break;
    case ID_HEX_BIG_ENDIAN:
        v->big_endian = !v->big_endian;
        InvalidateRect(v->pane.hwnd, NULL, FALSE);
        break;
    }
}

static void OnContextMenu(HWND hwnd, HWND target, UINT x, UINT y)
{
    hex_view *v = view_of(hwnd);
    (void)target;
    HMENU menu = CreatePopupMenu();
    UINT has = hex_selection_length(&v->sel) ? MF_ENABLED : MF_GRAYED;
    AppendMenuW(menu, MF_STRING | has, ID_HEX_COPY_HEX, L"&Copy as Hex\tCtrl+C");
    AppendMenuW(menu, MF_STRING | has, ID_HEX_COPY_TEXT, L"Copy as &Text\tCtrl+Shift+C");
    AppendMenuW(menu, MF_STRING | has, ID_HEX_COPY_C_ARRAY, L"Copy as C &Array");
    AppendMenuW(menu, MF_STRING | has, ID_HEX_SELECT_ALL, L"Select A&ll\tCtrl+A");
    AppendMenuW(menu, MF_SEPARATOR, 0, NULL);
    AppendMenuW(menu, MF_STRING | has, ID_HEX_FIND, L"&Find in View...\tCtrl+F");
    AppendMenuW(menu, MF_STRING | (v->has_pattern ? has : MF_GRAYED), ID_HEX_FIND_NEXT, L"Find &Next\tF3");
    AppendMenuW(menu, MF_STRING | has, ID_HEX_GOTO_OFFSET, L"&Go to Offset...\tCtrl+G");
    AppendMenuW(menu, MF_SEPARATOR, 0, NULL);
    AppendMenuW(menu, MF_STRING | (v->big_endian ? MF_CHECKED : 0), ID_HEX_BIG_ENDIAN, L"Inspector &Big-Endian");
    int px = (int)(short)x, py = (int)(short)y;
    if (px == -1 && py == -1) {   /* from the keyboard: at the cursor's line */
        POINT at = {hex_x(v, 0), line_pane_lines_top(&v->pane)};
        ClientToScreen(hwnd, &at);
        px = at.x;
        py = at.y;
    }
    int id = TrackPopupMenu(menu, TPM_RETURNCMD | TPM_RIGHTBUTTON, px, py, 0, hwnd, NULL);
    DestroyMenu(menu);
    if (id)
        command(v, id);
}

/* ---- keyboard and mouse ---- */

int hex_view_wants_key(const hex_view *v, const MSG *msg)
{
    if (msg->hwnd != v->pane.hwnd || (msg->message != WM_KEYDOWN && msg->message != WM_SYSKEYDOWN))
        return 0;
    if (msg->wParam == VK_F3)
        return 1;
    int ctrl = GetKeyState(VK_CONTROL) < 0;
    return ctrl && (msg->wParam == 'C' || msg->wParam == 'A' || msg->wParam == 'F' || msg->wParam == 'G');
}

static int ctrl_key(hex_view *v, UINT vk, int shift)
{
    switch (vk) {
    case 'C': command(v, shift ? ID_HEX_COPY_TEXT : ID_HEX_COPY_HEX); return 1;
    case 'A': command(v, ID_HEX_SELECT_ALL); return 1;
    case 'F': command(v, ID_HEX_FIND); return 1;
    case 'G': command(v, ID_HEX_GOTO_OFFSET); return 1;
    case VK_HOME: move_cursor(v, v->sel.start, shift); return 1;
    case VK_END: move_cursor(v, v->sel.end ? v->sel.end - 1 : 0, shift); return 1;
    case VK_UP: scroll_by(v, -1); return 1;
    case VK_DOWN: scroll_by(v, 1); return 1;
    }
    return 0;
}

static void OnKey(HWND hwnd, UINT vk, BOOL down, int repeat, UINT flags)
{
    hex_view *v = view_of(hwnd);
    (void)down;
    (void)repeat;
    (void)flags;
    int shift = GetKeyState(VK_SHIFT) < 0;
    int64_t page = (int64_t)(visible_lines(v) > 1 ? visible_lines(v) - 1 : 1) * HEX_BYTES_PER_LINE;
    uint64_t line_start = v->sel.cursor & ~(uint64_t)(HEX_BYTES_PER_LINE - 1);
    if (GetKeyState(VK_CONTROL) < 0 && ctrl_key(v, vk, shift))
        return;
    switch (vk) {
    case VK_LEFT: move_cursor_by(v, -1, shift); break;
    case VK_RIGHT: move_cursor_by(v, 1, shift); break;
    case VK_UP: move_cursor_by(v, -HEX_BYTES_PER_LINE, shift); break;
    case VK_DOWN: move_cursor_by(v, HEX_BYTES_PER_LINE, shift); break;
    case VK_PRIOR:
        scroll_by(v, -(page / HEX_BYTES_PER_LINE));
        move_cursor_by(v, -page, shift);
        break;
    case VK_NEXT:
        scroll_by(v, page / HEX_BYTES_PER_LINE);
        move_cursor_by(v, page, shift);
        break;
    case VK_HOME: move_cursor(v, line_start, shift); break;
    case VK_END: move_cursor(v, line_start + HEX_BYTES_PER_LINE - 1, shift); break;
    case VK_F3: command(v, ID_HEX_FIND_NEXT); break;
    case VK_APPS: OnContextMenu(hwnd, hwnd, (UINT)-1, (UINT)-1); break;
    }
}

static void OnLButtonDown(HWND hwnd, BOOL dbl, int x, int y, UINT keys)
{
    hex_view *v = view_of(hwnd);
    (void)dbl;
    SetFocus(hwnd);
    uint64_t addr;
    if (!byte_at_point(v, x, y, &addr))
        return;
    move_cursor(v, addr, (keys & MK_SHIFT) != 0);
    v->dragging = 1;
    SetCapture(hwnd);
}

static void track_hot(hex_view *v, int x, int y)
{
    uint64_t addr = 0;
    int over = byte_at_point(v, x, y, &addr);
    if (over != v->has_hot || (over && addr != v->hot)) {
        v->has_hot = over;
        v->hot = addr;
        update_status(v);
        InvalidateRect(v->pane.hwnd, NULL, FALSE);
    }
    TRACKMOUSEEVENT track = {sizeof track, TME_LEAVE, v->pane.hwnd, 0};
    TrackMouseEvent(&track);
}

static void OnMouseLeave(hex_view *v)
{
    v->has_hot = 0;
    update_status(v);
    InvalidateRect(v->pane.hwnd, NULL, FALSE);
}

/* The tooltip asks for its text when it is about to show: the name of the byte under the mouse. */
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
                                 CW_USEDEFAULT, CW_USEDEFAULT, CW_USEDEFAULT, CW_USEDEFAULT, v->pane.hwnd, NULL,
                                 GetModuleHandleW(NULL), NULL);
    if (!v->tooltip)
        return;
    TOOLINFOW ti = {0};
    ti.cbSize = sizeof ti;
    ti.uFlags = TTF_IDISHWND | TTF_SUBCLASS;
    ti.hwnd = v->pane.hwnd;
    ti.uId = (UINT_PTR)v->pane.hwnd;
    ti.lpszText = LPSTR_TEXTCALLBACKW;
    SendMessageW(v->tooltip, TTM_ADDTOOLW, 0, (LPARAM)&ti);
    SendMessageW(v->tooltip, TTM_SETMAXTIPWIDTH, 0, 800);
}

static void OnMouseMove(HWND hwnd, int x, int y, UINT keys)
{
    hex_view *v = view_of(hwnd);
    (void)keys;
    if (!v->dragging) {
        track_hot(v, x, y);
        return;
    }
    RECT r;
    GetClientRect(hwnd, &r);
    /* Dragging above or below the lines scrolls, a line at a time. */
    int top = line_pane_lines_top(&v->pane), bottom = r.bottom - status_height(v);
    if (y < top)
        scroll_by(v, -1);
    else if (y >= bottom)
        scroll_by(v, 1);
    int line_y = y < top ? top : y >= bottom ? bottom - 1 : y;
    int clamped_x = x < hex_x(v, 0) ? hex_x(v, 0) : x >= text_x(v, HEX_BYTES_PER_LINE) ? text_x(v, HEX_BYTES_PER_LINE) - 1 : x;
    if (clamped_x >= hex_x(v, HEX_BYTES_PER_LINE - 1) + 3 * v->pane.char_w && clamped_x < text_x(v, 0))
        clamped_x = hex_x(v, HEX_BYTES_PER_LINE - 1);
    uint64_t addr;
    if (byte_at_point(v, clamped_x, line_y, &addr))
        move_cursor(v, addr, 1);
}

static void OnLButtonUp(HWND hwnd, int x, int y, UINT keys)
{
    hex_view *v = view_of(hwnd);
    (void)x;
    (void)y;
    (void)keys;
    if (v->dragging) {
        v->dragging = 0;
        ReleaseCapture();
    }
}

/* ---- fonts ---- */

void hex_view_set_fonts(hex_view *v, UINT dpi, HFONT caption_font)
{
    line_pane_set_fonts(&v->pane, dpi, caption_font, v->font_points > 0 ? v->font_points : HEX_VIEW_DEFAULT_POINTS);
    update_scroll_bar(v);
    InvalidateRect(v->pane.hwnd, NULL, FALSE);
}

/* ---- public ---- */

void hex_view_set_map(hex_view *v, const pmm_map *map, uint32_t probe_step)
{
    hex_model_set_map(&v->model, map, probe_step);
    hex_selection_reset(&v->sel, 0, 0, 0);
    v->top_line = 0;
    v->has_hot = 0;
    v->has_status = 0;
    v->status[0] = '\0';
    v->caption[0] = '\0';
    v->note[0] = '\0';
    v->find_resume = 0;
    update_scroll_bar(v);
    InvalidateRect(v->pane.hwnd, NULL, FALSE);
}

void hex_view_show(hex_view *v, uint64_t start, uint64_t end, const char *caption, uint64_t focus, int mark)
{
    int same = v->model.start == start && v->model.end == end;
    hex_model_set_range(&v->model, start, end);
    if (!same || mark)
        hex_selection_reset(&v->sel, start, end, focus);
    snprintf(v->caption, sizeof v->caption, "%s%s", caption ? caption : "",
             v->model.not_loaded ? " (bytes " HEX_NOT_LOADED_TEXT ")" : "");
    v->note[0] = '\0';
    v->find_resume = 0;
    v->has_hot = 0;
    update_status(v);
    uint64_t line = hex_model_line_of(&v->model, v->sel.cursor);
    uint64_t page = visible_lines(v);
    if (!same || line < v->top_line || line >= v->top_line + page) {
        /* The focus line a few lines from the top, so what leads up to it shows too. */
        uint64_t context = mark && page > 6 ? 3 : 0;
        v->top_line = 0;
        scroll_to(v, line > context ? line - context : 0);
    } else {
        update_scroll_bar(v);
    }
    InvalidateRect(v->pane.hwnd, NULL, FALSE);
}

void hex_view_select(hex_view *v, uint64_t count)
{
    /* The cursor stays where it is, so the inspector still shows the bytes there. */
    uint64_t at = v->sel.cursor;
    if (!count)
        return;
    move_cursor(v, at + count - 1, 0);
    move_cursor(v, at, 1);
}

void hex_view_reload(hex_view *v)
{
    hex_model_invalidate(&v->model);
    InvalidateRect(v->pane.hwnd, NULL, FALSE);
}

/* At most this many lines of the selection copied as hex go into --dump-view. */
#define WRITE_COPY_LINES 16

int hex_view_write_text(hex_view *v, FILE *f)
{
    char line[700];
    int ok = fprintf(f, "%s\n", v->caption) > 0;
    uint64_t count = hex_model_line_count(&v->model), page = visible_lines(v);
    for (uint64_t k = 0; ok && k < page && v->top_line + k < count; k++)
        ok = fprintf(f, "%s\n", hex_model_format_line(&v->model, v->top_line + k, line, sizeof line)) > 0;
    if (ok && v->has_status)
        ok = fprintf(f, "status: %0*llX  %s\n", v->model.pointer_size == 4 ? 8 : 16,
                     (unsigned long long)v->status_addr, v->status[0] ? v->status : "(no symbol)") > 0;
    if (!ok || !hex_selection_length(&v->sel))
        return ok ? 0 : -1;
    status_text(v, line, sizeof line);
    ok = fprintf(f, "Status: %s\nSelection: %llX %llu\n", line, (unsigned long long)hex_selection_first(&v->sel),
                 (unsigned long long)hex_selection_length(&v->sel)) > 0;
    inspect_row rows[INSPECT_COUNT];
    inspect_cursor(v, rows);
    for (int t = 0; ok && t < INSPECT_COUNT; t++)
        ok = fprintf(f, "Inspector %s: %s\n", rows[t].name, rows[t].value) > 0;
    char message[400];
    hex_selection shown = v->sel;   /* its first lines only */
    uint64_t first = hex_selection_first(&v->sel), most = WRITE_COPY_LINES * HEX_BYTES_PER_LINE;
    if (hex_selection_length(&shown) > most) {
        shown.anchor = first;
        shown.cursor = first + most - 1;
    }
    char *copy = hex_selection_copy(&shown, &v->model, HEX_COPY_HEX, message, sizeof message);
    ok = ok && fprintf(f, "Copy as hex:\n%s\n", copy ? copy : message) > 0;
    free(copy);
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

static LRESULT CALLBACK hex_view_proc(HWND hwnd, UINT msg, WPARAM wParam, LPARAM lParam)
{
    hex_view *v = line_pane_self(hwnd, msg, lParam);
    if (!v)
        return DefWindowProcW(hwnd, msg, wParam, lParam);
    switch (msg) {
    HANDLE_MSG(hwnd, WM_SIZE, OnSize);
    HANDLE_MSG(hwnd, WM_VSCROLL, OnVScroll);
    HANDLE_MSG(hwnd, WM_MOUSEWHEEL, OnMouseWheel);
    HANDLE_MSG(hwnd, WM_KEYDOWN, OnKey);
    HANDLE_MSG(hwnd, WM_LBUTTONDOWN, OnLButtonDown);
    HANDLE_MSG(hwnd, WM_MOUSEMOVE, OnMouseMove);
    HANDLE_MSG(hwnd, WM_LBUTTONUP, OnLButtonUp);
    HANDLE_MSG(hwnd, WM_CONTEXTMENU, OnContextMenu);
    HANDLE_MSG(hwnd, WM_NOTIFY, OnNotify);
    case WM_MOUSELEAVE:
        OnMouseLeave(v);
        return 0;
    case WM_DESTROY:   /* and line_pane_default frees the font */
        if (v->has_pattern)
            pmm_search_pattern_free(&v->pattern);
        v->has_pattern = 0;
        break;
    case WM_CAPTURECHANGED:
        v->dragging = 0;
        break;
    }
    return line_pane_default(&v->pane, msg, wParam, lParam);
}

int hex_view_register(HINSTANCE instance)
{
    return gui_register_child_class(instance, hex_view_proc, HEX_VIEW_CLASS, CS_HREDRAW | CS_VREDRAW, (LPCWSTR)IDC_IBEAM,
                                    NULL);
}

HWND hex_view_create(hex_view *view, HWND parent, int id, UINT dpi, hex_read_fn read, void *read_ctx)
{
    memset(view, 0, sizeof *view);
    hex_model_init(&view->model, read, read_ctx);
    view->pane.dlg_code = DLGC_WANTARROWS;
    HWND hwnd = line_pane_create(&view->pane, HEX_VIEW_CLASS, L"Hex", WS_CHILD | WS_VISIBLE | WS_TABSTOP | WS_VSCROLL,
                                 parent, id, dpi, paint);
    if (hwnd) {
        hex_view_set_fonts(view, dpi, NULL);
        create_tooltip(view);
    }
    return hwnd;
}
