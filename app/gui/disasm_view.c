#include "disasm_view.h"

#include <stdlib.h>
#include <string.h>
#include <windowsx.h>
#include "core/formats/x86_format.h"
#include "gui_util.h"

#define DISASM_VIEW_CLASS L"ProcessMemoryMap.DisasmView"
#define SCROLL_UNITS 0x10000          /* the scroll bar maps the range's bytes onto this many steps */
#define BYTES_SHOWN 10                /* bytes of an instruction shown; longer ones end in ".." */
#define CONTEXT_LINES 3               /* lines above the cursor when the view opens at an address */

static disasm_view *view_of(HWND hwnd)
{
    return (disasm_view *)GetWindowLongPtrW(hwnd, GWLP_USERDATA);
}

/* ---- geometry ---- */

static size_t visible_lines(const disasm_view *v)
{
    RECT r;
    GetClientRect(v->pane.hwnd, &r);
    int h = r.bottom - line_pane_lines_top(&v->pane);
    size_t n = h > 0 && v->pane.line_h > 0 ? (size_t)(h / v->pane.line_h) : 0;
    return n < DISASM_VIEW_MAX_LINES - 1 ? n : DISASM_VIEW_MAX_LINES - 1;
}

static int address_chars(const disasm_view *v)
{
    return v->model.bytes.pointer_size == 4 ? 8 : 16;
}

static int bytes_x(const disasm_view *v)
{
    return line_pane_left_margin(&v->pane) + (address_chars(v) + 2) * v->pane.char_w;
}

static int text_x(const disasm_view *v)
{
    return bytes_x(v) + (BYTES_SHOWN * 3 + 2) * v->pane.char_w;
}

/* ---- lines and scrolling ---- */

static const pmm_symbols *symbols_of(disasm_view *v)
{
    return v->symbols ? v->symbols(v->symbols_ctx) : NULL;
}

/* Decodes the lines on screen (and one more, partly shown). */
static void load_lines(disasm_view *v)
{
    v->line_count = v->has_range ? disasm_model_lines(&v->model, v->top, v->lines, visible_lines(v) + 1) : 0;
}

static size_t line_index(const disasm_view *v, uint64_t addr)
{
    for (size_t i = 0; i < v->line_count; i++)
        if (v->lines[i].address == addr)
            return i;
    return (size_t)-1;
}

static void update_scroll_bar(disasm_view *v)
{
    uint64_t span = v->has_range ? v->model.bytes.end - v->model.bytes.start : 0;
    SCROLLINFO si = {0};
    si.cbSize = sizeof si;
    si.fMask = SIF_RANGE | SIF_PAGE | SIF_POS | SIF_DISABLENOSCROLL;
    si.nMax = span ? SCROLL_UNITS - 1 : 0;
    uint64_t shown = v->line_count ? v->lines[v->line_count - 1].address - v->top : 0;
    si.nPage = span ? (UINT)((double)shown * SCROLL_UNITS / (double)span) + 1 : 0;
    si.nPos = span ? (int)((double)(v->top - v->model.bytes.start) * SCROLL_UNITS / (double)span) : 0;
    SetScrollInfo(v->pane.hwnd, SB_VERT, &si, TRUE);
}

static void set_top(disasm_view *v, uint64_t top)
{
    v->top = top;
    load_lines(v);
    update_scroll_bar(v);
    InvalidateRect(v->pane.hwnd, NULL, FALSE);
}

/* The range's end is on screen: no scrolling further down. */
static int at_end(const disasm_view *v)
{
    return v->line_count <= visible_lines(v);
}

static void scroll_down(disasm_view *v, size_t n)
{
    /* Not at the end: the lines on screen and one more were decoded, so lines[1..visible] exist. */
    while (n > 0 && !at_end(v) && v->line_count > 1) {
        size_t step = n < v->line_count - 1 ? n : v->line_count - 1;
        v->top = v->lines[step].address;
        n -= step;
        load_lines(v);
    }
    set_top(v, v->top);
}

static void scroll_up(disasm_view *v, size_t n)
{
    uint64_t top;
    disasm_model_back(&v->model, v->top, n, &top);
    set_top(v, top);
}

static void scroll_home(disasm_view *v)
{
    set_top(v, v->model.bytes.start);
}

static void scroll_end(disasm_view *v)
{
    size_t page = visible_lines(v);
    uint64_t top;
    disasm_model_back(&v->model, v->model.bytes.end, page > 1 ? page - 1 : 1, &top);
    set_top(v, top);
}

static void OnVScroll(HWND hwnd, HWND control, UINT code, int pos)
{
    disasm_view *v = view_of(hwnd);
    (void)control;
    (void)pos;
    if (!v->has_range)
        return;
    size_t page = visible_lines(v) > 1 ? visible_lines(v) - 1 : 1;
    switch (code) {
    case SB_LINEUP: scroll_up(v, 1); break;
    case SB_LINEDOWN: scroll_down(v, 1); break;
    case SB_PAGEUP: scroll_up(v, page); break;
    case SB_PAGEDOWN: scroll_down(v, page); break;
    case SB_TOP: scroll_home(v); break;
    case SB_BOTTOM: scroll_end(v); break;
    case SB_THUMBTRACK:
    case SB_THUMBPOSITION: {
        SCROLLINFO si = {0};
        si.cbSize = sizeof si;
        si.fMask = SIF_TRACKPOS;
        GetScrollInfo(hwnd, SB_VERT, &si);
        uint64_t span = v->model.bytes.end - v->model.bytes.start;
        uint64_t addr = v->model.bytes.start + (uint64_t)((double)si.nTrackPos * (double)span / SCROLL_UNITS);
        set_top(v, disasm_model_align(&v->model, addr));
        break;
    }
    }
}

static void OnMouseWheel(HWND hwnd, int x, int y, int delta, UINT keys)
{
    disasm_view *v = view_of(hwnd);
    (void)x;
    (void)y;
    (void)keys;
    int n = line_pane_wheel_lines(delta);
    if (!v->has_range || n == 0)
        return;
    if (n < 0)
        scroll_down(v, (size_t)-n);
    else
        scroll_up(v, (size_t)n);
}

/* ---- the cursor, following and going back ---- */

static void set_cursor(disasm_view *v, uint64_t addr)
{
    v->cursor = addr;
    InvalidateRect(v->pane.hwnd, NULL, FALSE);
}

/* Moves the cursor n lines (negative: up), scrolling to keep it on screen. */
static void move_cursor(disasm_view *v, int n)
{
    size_t page = visible_lines(v);
    size_t i = line_index(v, v->cursor);
    if (i == (size_t)-1 || i >= page) {   /* scrolled away: start from the top line */
        set_cursor(v, v->top);
        return;
    }
    for (; n < 0; n++) {
        if (i == 0) {
            uint64_t before = v->top;
            scroll_up(v, 1);
            if (v->top == before)
                break;
        } else {
            i--;
        }
    }
    for (; n > 0; n--) {
        if (i + 1 >= v->line_count)
            break;
        if (i + 1 >= page) {
            uint64_t before = v->top;
            scroll_down(v, 1);
            if (v->top == before)
                break;
        } else {
            i++;
        }
    }
    set_cursor(v, v->lines[i].address);
}

/* Where the line's operand points: a branch's target or a rip-relative address. */
static int target_of(const pmm_disasm_line *line, uint64_t *target)
{
    if (!line->readable)
        return 0;
    if (line->insn.flags & X86_IF_RELATIVE)
        *target = line->insn.target;
    else if (line->insn.flags & X86_IF_RIP_MEM)
        *target = line->insn.mem_target;
    else
        return 0;
    return 1;
}

/* Asks the parent to go to addr; the parent shows it (disasm_view_show) before this returns. */
static void notify_follow(disasm_view *v, uint64_t addr)
{
    disasm_view_follow n;
    memset(&n, 0, sizeof n);
    n.hdr.hwndFrom = v->pane.hwnd;
    n.hdr.idFrom = (UINT_PTR)GetDlgCtrlID(v->pane.hwnd);
    n.hdr.code = DISASM_VIEW_FOLLOW;
    n.address = addr;
    SendMessageW(GetParent(v->pane.hwnd), WM_NOTIFY, n.hdr.idFrom, (LPARAM)&n);
}

static void follow_cursor(disasm_view *v)
{
    size_t i = line_index(v, v->cursor);
    uint64_t target;
    if (i == (size_t)-1 || !target_of(&v->lines[i], &target)) {
        MessageBeep(MB_ICONWARNING);   /* nothing to follow on this line */
        return;
    }
    if (v->history_count == DISASM_VIEW_HISTORY) {
        memmove(v->history, v->history + 1, (DISASM_VIEW_HISTORY - 1) * sizeof v->history[0]);
        v->history_count--;
    }
    v->history[v->history_count++] = v->cursor;
    notify_follow(v, target);
}

static void go_back(disasm_view *v)
{
    if (!v->history_count) {
        MessageBeep(MB_ICONWARNING);
        return;
    }
    notify_follow(v, v->history[--v->history_count]);
}

static void copy_cursor_line(disasm_view *v)
{
    size_t i = line_index(v, v->cursor);
    char text[X86_FORMAT_CAP + 100];
    if (i != (size_t)-1 && pmm_disasm_format_line(&v->lines[i], symbols_of(v), text, sizeof text))
        gui_copy_text(v->pane.hwnd, text);
}

static void OnKey(HWND hwnd, UINT vk, BOOL down, int repeat, UINT flags)
{
    disasm_view *v = view_of(hwnd);
    (void)down;
    (void)repeat;
    (void)flags;
    if (!v->has_range)
        return;
    int page = (int)(visible_lines(v) > 1 ? visible_lines(v) - 1 : 1);
    int ctrl = GetKeyState(VK_CONTROL) < 0;
    switch (vk) {
    case VK_UP: move_cursor(v, -1); break;
    case VK_DOWN: move_cursor(v, 1); break;
    case VK_PRIOR: scroll_up(v, (size_t)page); move_cursor(v, 0); break;
    case VK_NEXT: scroll_down(v, (size_t)page); move_cursor(v, 0); break;
    case VK_HOME: scroll_home(v); set_cursor(v, v->top); break;
    case VK_END: scroll_end(v); set_cursor(v, v->top); break;
    case VK_RETURN: follow_cursor(v); break;
    case VK_BACK: go_back(v); break;
    case 'C':
        if (ctrl)
            copy_cursor_line(v);
        break;
    }
}

static int line_at_y(const disasm_view *v, int y, size_t *index)
{
    int top = line_pane_lines_top(&v->pane);
    if (y < top || v->pane.line_h <= 0)
        return 0;
    size_t i = (size_t)((y - top) / v->pane.line_h);
    if (i >= v->line_count)
        return 0;
    *index = i;
    return 1;
}

static void OnLButtonDown(HWND hwnd, BOOL dbl, int x, int y, UINT keys)
{
    disasm_view *v = view_of(hwnd);
    size_t i;
    (void)x;
    (void)keys;
    SetFocus(hwnd);
    if (!line_at_y(v, y, &i))
        return;
    set_cursor(v, v->lines[i].address);
    if (dbl)
        follow_cursor(v);
}

/* ---- painting ---- */

/* The row's caption, where the cursor is (module!function+0x1a), and whether the lines above were
 * found without a known boundary. */
static const char *caption_text(disasm_view *v, char *buf, size_t cap)
{
    char where[200] = "";
    const pmm_symbols *syms = symbols_of(v);
    if (v->has_range && syms)
        pmm_symbols_describe(syms, v->cursor, where, sizeof where);
    snprintf(buf, cap, "%s%s%s%s", v->caption[0] ? v->caption : "Select a row to see its instructions.",
             where[0] ? " - at " : "", where,
             v->model.back_guessed ? "  (lines above re-synchronised without a known function start)" : "");
    return buf;
}

static void draw_ruler(disasm_view *v, HDC dc, const RECT *client)
{
    int y = line_pane_draw_ruler(&v->pane, dc, client);
    ExtTextOutW(dc, bytes_x(v), y, 0, NULL, L"Bytes", 5, NULL);
    ExtTextOutW(dc, text_x(v), y, 0, NULL, L"Instruction", 11, NULL);
}

static COLORREF text_colour(const pmm_disasm_line *line)
{
    if (!line->readable || line->insn.mnemonic == X86_MN_BAD)
        return RGB(0xB0, 0x30, 0x30);
    switch (line->insn.branch) {
    case X86_BR_CALL:
    case X86_BR_CALL_FAR: return RGB(0x00, 0x40, 0xC0);
    case X86_BR_JMP:
    case X86_BR_JMP_FAR:
    case X86_BR_JCC: return RGB(0x90, 0x50, 0x00);
    case X86_BR_RET:
    case X86_BR_RET_FAR:
    case X86_BR_INT:
    case X86_BR_SYSRET: return RGB(0x80, 0x00, 0x80);
    default: return GetSysColor(COLOR_WINDOWTEXT);
    }
}

static void draw_text(HDC dc, int x, int y, const char *text)
{
    wchar_t wide[X86_FORMAT_CAP + 64];
    gui_utf8_to_wide(text, wide, sizeof wide / sizeof wide[0]);
    ExtTextOutW(dc, x, y, 0, NULL, wide, (UINT)wcslen(wide), NULL);
}


/* A line of bytes that were not read: unreadable ones as pmm disasm writes them, those of a scan's
 * preview as not loaded yet (never claimed unreadable). */
static void not_read_text(const disasm_view *v, const pmm_disasm_line *line, char *text, size_t cap)
{
    if (v->model.bytes.not_loaded)
        snprintf(text, cap, "-- (0x%llx bytes %s)", (unsigned long long)line->length, HEX_NOT_LOADED_TEXT);
    else
        snprintf(text, cap, "?? (0x%llx bytes unreadable)", (unsigned long long)line->length);
}
static void draw_line(disasm_view *v, HDC dc, const pmm_disasm_line *line, int y, int width)
{
    int cursor = line->address == v->cursor;
    int focused = GetFocus() == v->pane.hwnd;
    COLORREF back = !cursor ? GetSysColor(COLOR_WINDOW) : focused ? GetSysColor(COLOR_HIGHLIGHT) : RGB(0xDD, 0xE6, 0xF4);
    RECT r = {0, y, width, y + v->pane.line_h};
    SetBkColor(dc, back);
    ExtTextOutW(dc, 0, 0, ETO_OPAQUE, &r, NULL, 0, NULL);
    SetBkMode(dc, TRANSPARENT);
    COLORREF selected = GetSysColor(COLOR_HIGHLIGHTTEXT);
    int inverse = cursor && focused;
    char text[X86_FORMAT_CAP + 64];
    snprintf(text, sizeof text, address_chars(v) == 8 ? "%08llX" : "%016llX", (unsigned long long)line->address);
    SetTextColor(dc, inverse ? selected : RGB(0x60, 0x60, 0x60));
    draw_text(dc, line_pane_left_margin(&v->pane), y, text);
    if (!line->readable) {
        not_read_text(v, line, text, sizeof text);
        SetTextColor(dc, inverse ? selected : text_colour(line));
        draw_text(dc, bytes_x(v), y, text);
        SetBkMode(dc, OPAQUE);
        return;
    }
    size_t n = line->length, shown = n > BYTES_SHOWN ? BYTES_SHOWN - 1 : n;
    for (size_t i = 0; i < shown; i++)
        snprintf(text + 3 * i, sizeof text - 3 * i, "%02x ", line->bytes[i]);
    if (shown < n)
        snprintf(text + 3 * shown, sizeof text - 3 * shown, "..");
    SetTextColor(dc, inverse ? selected : RGB(0x80, 0x80, 0x80));
    draw_text(dc, bytes_x(v), y, text);
    const pmm_symbols *syms = symbols_of(v);
    x86_format(&line->insn, text, sizeof text, syms ? pmm_disasm_symbolize : NULL, (void *)syms);
    SetTextColor(dc, inverse ? selected : text_colour(line));
    draw_text(dc, text_x(v), y, text);
    SetBkMode(dc, OPAQUE);
}

static void paint(void *self, HDC dc, const RECT *client)
{
    disasm_view *v = self;
    SetBkColor(dc, GetSysColor(COLOR_WINDOW));
    ExtTextOutW(dc, 0, 0, ETO_OPAQUE, client, NULL, 0, NULL);
    HGDIOBJ old = SelectObject(dc, v->pane.font);
    draw_ruler(v, dc, client);
    int y = line_pane_lines_top(&v->pane);
    for (size_t i = 0; i < v->line_count; i++, y += v->pane.line_h)
        draw_line(v, dc, &v->lines[i], y, client->right);
    SelectObject(dc, old);
    char caption[900];
    line_pane_draw_caption(&v->pane, dc, client, caption_text(v, caption, sizeof caption));
}

/* ---- public ---- */

void disasm_view_set_fonts(disasm_view *v, UINT dpi, HFONT caption_font)
{
    line_pane_set_fonts(&v->pane, dpi, caption_font, 0);
    set_top(v, v->top);
}

void disasm_view_set_map(disasm_view *v, const pmm_map *map, uint32_t probe_step, int bits)
{
    disasm_model_set_map(&v->model, map, probe_step, bits);
    v->has_range = 0;
    v->top = v->cursor = 0;
    v->caption[0] = '\0';
    v->history_count = 0;
    set_top(v, 0);
}

void disasm_view_show(disasm_view *v, uint64_t start, uint64_t end, const char *caption, uint64_t focus)
{
    snprintf(v->caption, sizeof v->caption, "%s", caption ? caption : "");
    v->has_range = end > start;
    if (!v->has_range) {
        set_top(v, 0);
        return;
    }
    if (focus < start || focus >= end)
        focus = start;
    int same = v->model.bytes.start == start && v->model.bytes.end == end;
    disasm_model_set_range(&v->model, start, end, focus);
    size_t on_screen = same ? line_index(v, focus) : (size_t)-1;
    if (on_screen != (size_t)-1 && on_screen < visible_lines(v)) {   /* already there: keep the scroll */
        set_cursor(v, focus);
        return;
    }
    /* The focus is a boundary the user chose: the cursor there, a few lines of what leads up to it
     * above. */
    v->cursor = focus;
    uint64_t top;
    disasm_model_back(&v->model, focus, visible_lines(v) > 2 * CONTEXT_LINES ? CONTEXT_LINES : 0, &top);
    set_top(v, top);
    if (line_index(v, focus) == (size_t)-1)   /* the lines above went through it: start at it */
        set_top(v, focus);
}

void disasm_view_reload(disasm_view *v)
{
    disasm_model_invalidate(&v->model);
    set_top(v, v->top);
}

int disasm_view_follow_text(disasm_view *v, const char *text)
{
    size_t from = line_index(v, v->cursor), page = visible_lines(v);
    for (size_t i = from == (size_t)-1 ? 0 : from; i < v->line_count && i < page; i++) {
        char shown[X86_FORMAT_CAP];
        uint64_t target;
        x86_format(&v->lines[i].insn, shown, sizeof shown, NULL, NULL);
        if (!target_of(&v->lines[i], &target) || strncmp(shown, text, strlen(text)) != 0)
            continue;
        int y = line_pane_lines_top(&v->pane) + (int)i * v->pane.line_h + v->pane.line_h / 2;
        LPARAM at = MAKELPARAM(text_x(v) + v->pane.char_w, y);
        SendMessageW(v->pane.hwnd, WM_LBUTTONDOWN, MK_LBUTTON, at);
        SendMessageW(v->pane.hwnd, WM_LBUTTONUP, 0, at);
        SendMessageW(v->pane.hwnd, WM_LBUTTONDBLCLK, MK_LBUTTON, at);
        SendMessageW(v->pane.hwnd, WM_LBUTTONUP, 0, at);
        return 1;
    }
    return 0;
}

int disasm_view_write_text(disasm_view *v, FILE *f)
{
    const pmm_symbols *syms = symbols_of(v);
    char caption[900];
    int ok = fprintf(f, "%s\ncursor %016llx\n", caption_text(v, caption, sizeof caption),
                     (unsigned long long)v->cursor) > 0;
    size_t page = visible_lines(v);
    for (size_t i = 0; ok && i < v->line_count && i < page; i++) {
        char text[X86_FORMAT_CAP + 100];
        if (v->lines[i].readable || !v->model.bytes.not_loaded) {
            pmm_disasm_format_line(&v->lines[i], syms, text, sizeof text);
        } else {
            int n = snprintf(text, sizeof text, "%016llx  ", (unsigned long long)v->lines[i].address);
            not_read_text(v, &v->lines[i], text + n, sizeof text - (size_t)n);
        }
        ok = fprintf(f, "%s\n", text) > 0;
    }
    return ok ? 0 : -1;
}

/* ---- window procedure ---- */

static void OnSize(HWND hwnd, UINT state, int cx, int cy)
{
    disasm_view *v = view_of(hwnd);
    (void)state;
    (void)cx;
    (void)cy;
    set_top(v, v->top);
}

static LRESULT CALLBACK disasm_view_proc(HWND hwnd, UINT msg, WPARAM wParam, LPARAM lParam)
{
    disasm_view *v = line_pane_self(hwnd, msg, lParam);
    if (!v)
        return DefWindowProcW(hwnd, msg, wParam, lParam);
    switch (msg) {
    HANDLE_MSG(hwnd, WM_SIZE, OnSize);
    HANDLE_MSG(hwnd, WM_VSCROLL, OnVScroll);
    HANDLE_MSG(hwnd, WM_MOUSEWHEEL, OnMouseWheel);
    HANDLE_MSG(hwnd, WM_KEYDOWN, OnKey);
    HANDLE_MSG(hwnd, WM_LBUTTONDOWN, OnLButtonDown);
    HANDLE_MSG(hwnd, WM_LBUTTONDBLCLK, OnLButtonDown);
    }
    return line_pane_default(&v->pane, msg, wParam, lParam);
}

int disasm_view_register(HINSTANCE instance)
{
    return gui_register_child_class(instance, disasm_view_proc, DISASM_VIEW_CLASS, CS_HREDRAW | CS_VREDRAW | CS_DBLCLKS,
                                    (LPCWSTR)IDC_ARROW, NULL);
}

/* A known function start at or below addr, from the target's symbols. */
static int anchor_from_symbols(void *ctx, uint64_t addr, uint64_t *start)
{
    disasm_view *v = ctx;
    const pmm_symbols *syms = symbols_of(v);
    return syms && pmm_symbols_code_start(syms, addr, start);
}

HWND disasm_view_create(disasm_view *view, HWND parent, int id, UINT dpi, hex_read_fn read, void *read_ctx,
                        disasm_symbols_fn symbols, void *symbols_ctx)
{
    memset(view, 0, sizeof *view);
    disasm_model_init(&view->model, read, read_ctx, anchor_from_symbols, view);
    view->symbols = symbols;
    view->symbols_ctx = symbols_ctx;
    view->pane.dlg_code = DLGC_WANTARROWS | DLGC_WANTCHARS;
    HWND hwnd = line_pane_create(&view->pane, DISASM_VIEW_CLASS, L"Disassembly", WS_CHILD | WS_TABSTOP | WS_VSCROLL,
                                 parent, id, dpi, paint);
    if (hwnd)
        disasm_view_set_fonts(view, dpi, NULL);
    return hwnd;
}
