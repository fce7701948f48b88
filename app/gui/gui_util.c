#include "gui_util.h"

#include <commctrl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/model/map.h"
#include "core/tools/kind_colours.h"

static int unattended;

typedef UINT(WINAPI *get_dpi_for_window_fn)(HWND);
typedef BOOL(WINAPI *system_parameters_for_dpi_fn)(UINT, UINT, PVOID, UINT, UINT);

static FARPROC user32_proc(const char *name)
{
    HMODULE user32 = GetModuleHandleW(L"user32.dll");
    return user32 ? GetProcAddress(user32, name) : NULL;
}

UINT gui_dpi_for_window(HWND hwnd)
{
    /* Resolved at run time: the binaries also run on Windows 7 and under Wine. */
    get_dpi_for_window_fn get_dpi = (get_dpi_for_window_fn)(void (*)(void))user32_proc("GetDpiForWindow");
    UINT dpi = 0;
    if (get_dpi && hwnd)
        dpi = get_dpi(hwnd);
    if (dpi == 0) {
        HDC dc = GetDC(NULL);
        dpi = (UINT)GetDeviceCaps(dc, LOGPIXELSY);
        ReleaseDC(NULL, dc);
    }
    return dpi ? dpi : 96;
}

int gui_scale(int value, UINT dpi)
{
    return MulDiv(value, (int)dpi, 96);
}

void gui_place(HWND hwnd, int x, int y, int cx, int cy)
{
    SetWindowPos(hwnd, NULL, x, y, cx > 0 ? cx : 0, cy > 0 ? cy : 0, SWP_NOZORDER | SWP_NOACTIVATE);
}

HFONT gui_create_ui_font(UINT dpi, int bold)
{
    NONCLIENTMETRICSW metrics;
    system_parameters_for_dpi_fn for_dpi =
        (system_parameters_for_dpi_fn)(void (*)(void))user32_proc("SystemParametersInfoForDpi");
    memset(&metrics, 0, sizeof metrics);
    metrics.cbSize = sizeof metrics;
    if (for_dpi && for_dpi(SPI_GETNONCLIENTMETRICS, sizeof metrics, &metrics, 0, dpi)) {
        /* already in pixels at dpi */
    } else if (SystemParametersInfoW(SPI_GETNONCLIENTMETRICS, sizeof metrics, &metrics, 0)) {
        HDC dc = GetDC(NULL);
        int system_dpi = GetDeviceCaps(dc, LOGPIXELSY);
        ReleaseDC(NULL, dc);
        metrics.lfMessageFont.lfHeight = MulDiv(metrics.lfMessageFont.lfHeight, (int)dpi, system_dpi ? system_dpi : 96);
    } else {
        metrics.lfMessageFont.lfHeight = -MulDiv(9, (int)dpi, 72);
        lstrcpyW(metrics.lfMessageFont.lfFaceName, L"Segoe UI");
    }
    if (bold)
        metrics.lfMessageFont.lfWeight = FW_BOLD;
    return CreateFontIndirectW(&metrics.lfMessageFont);
}

/* The first of a few fixed-pitch faces that is really there (GDI silently substitutes). */
HFONT gui_create_mono_font(UINT dpi, int points)
{
    static const wchar_t *const faces[] = {L"Consolas", L"Lucida Console", L"DejaVu Sans Mono", L"Courier New"};
    int height = -MulDiv(points > 0 ? points : 10, (int)dpi, 72);
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

void gui_utf8_to_wide(const char *text, wchar_t *out, size_t cap)
{
    if (cap == 0)
        return;
    out[0] = L'\0';
    if (!text || !text[0])
        return;
    int n = MultiByteToWideChar(CP_UTF8, 0, text, -1, out, (int)cap);
    if (n > 0)
        return;
    /* Too long: convert what fits, on a character boundary. */
    int need = MultiByteToWideChar(CP_UTF8, 0, text, -1, NULL, 0);
    if (need <= 0)
        return;
    wchar_t *all = malloc((size_t)need * sizeof *all);
    if (!all)
        return;
    MultiByteToWideChar(CP_UTF8, 0, text, -1, all, need);
    size_t len = cap - 1;
    if (len > 0 && all[len - 1] >= 0xD800 && all[len - 1] <= 0xDBFF)
        len--;
    memcpy(out, all, len * sizeof *out);
    out[len] = L'\0';
    free(all);
}

void gui_set_text(HWND hwnd, const char *utf8)
{
    wchar_t wide[1200];
    gui_utf8_to_wide(utf8, wide, sizeof wide / sizeof wide[0]);
    SetWindowTextW(hwnd, wide);
}

char *gui_wide_to_utf8_alloc(const wchar_t *text)
{
    int need = WideCharToMultiByte(CP_UTF8, 0, text, -1, NULL, 0, NULL, NULL);
    if (need <= 0)
        return NULL;
    char *out = malloc((size_t)need);
    if (out && WideCharToMultiByte(CP_UTF8, 0, text, -1, out, need, NULL, NULL) <= 0) {
        free(out);
        return NULL;
    }
    return out;
}

static COLORREF colour_of(uint32_t rgb)
{
    return RGB(rgb >> 16 & 0xFF, rgb >> 8 & 0xFF, rgb & 0xFF);
}

COLORREF gui_kind_swatch(int kind)
{
    return colour_of(pmm_kind_rgb(kind));
}

/* Rows keep the hue but pale, so black text stays easy to read. */
COLORREF gui_kind_colour(int kind, int light)
{
    if (kind == PMM_KIND_FREE)
        return RGB(0xFF, 0xFF, 0xFF);
    return colour_of(pmm_rgb_lighten(pmm_kind_rgb(kind), light ? 10 : 24));
}

int gui_register_child_class(HINSTANCE instance, WNDPROC proc, const wchar_t *class_name, UINT style, LPCWSTR cursor,
                             HBRUSH background)
{
    WNDCLASSEXW wc = {0};
    wc.cbSize = sizeof wc;
    wc.style = style;
    wc.lpfnWndProc = proc;
    wc.hInstance = instance;
    wc.hCursor = LoadCursorW(NULL, cursor);
    wc.hbrBackground = background;
    wc.lpszClassName = class_name;
    return RegisterClassExW(&wc) != 0 || GetLastError() == ERROR_CLASS_ALREADY_EXISTS;
}

int gui_list_add_column(HWND list, int index, const wchar_t *name, int width, int format, UINT dpi)
{
    LVCOLUMNW col = {0};
    col.mask = LVCF_TEXT | LVCF_WIDTH | LVCF_FMT;
    col.fmt = format;
    col.cx = gui_scale(width, dpi);
    col.pszText = (wchar_t *)name;
    return ListView_InsertColumn(list, index, &col);
}

int gui_list_add_column_utf8(HWND list, int index, const char *name, int width, int format, UINT dpi)
{
    wchar_t wide[64];
    gui_utf8_to_wide(name, wide, sizeof wide / sizeof wide[0]);
    return gui_list_add_column(list, index, wide, width, format, dpi);
}

COLORREF gui_rgb(uint32_t rgb)
{
    return colour_of(rgb);
}

void gui_set_unattended(int on)
{
    unattended = on;
}

int gui_unattended(void)
{
    return unattended;
}

void gui_error(HWND owner, const char *text)
{
    if (unattended) {
        fprintf(stderr, "ProcessMemoryMap: %s\n", text);
        fflush(stderr);
        return;
    }
    wchar_t wide[2048];
    gui_utf8_to_wide(text, wide, sizeof wide / sizeof wide[0]);
    MessageBoxW(owner, wide, L"ProcessMemoryMap", MB_OK | MB_ICONWARNING);
}

int gui_copy_text(HWND owner, const char *utf8)
{
    int need = MultiByteToWideChar(CP_UTF8, 0, utf8, -1, NULL, 0);
    if (need <= 0)
        return 0;
    HGLOBAL memory = GlobalAlloc(GMEM_MOVEABLE, (size_t)need * sizeof(wchar_t));
    if (!memory)
        return 0;
    wchar_t *wide = GlobalLock(memory);
    MultiByteToWideChar(CP_UTF8, 0, utf8, -1, wide, need);
    GlobalUnlock(memory);
    if (!OpenClipboard(owner)) {
        GlobalFree(memory);
        return 0;
    }
    EmptyClipboard();
    int ok = SetClipboardData(CF_UNICODETEXT, memory) != NULL;
    CloseClipboard();
    if (!ok)
        GlobalFree(memory);
    return ok;
}

#define MAX_MODELESS 32
static HWND modeless[MAX_MODELESS];

void gui_modeless_add(HWND hwnd)
{
    for (int i = 0; i < MAX_MODELESS; i++)
        if (!modeless[i]) {
            modeless[i] = hwnd;
            return;
        }
}

void gui_modeless_remove(HWND hwnd)
{
    for (int i = 0; i < MAX_MODELESS; i++)
        if (modeless[i] == hwnd)
            modeless[i] = NULL;
}

int gui_modeless_dispatch(MSG *msg)
{
    for (int i = 0; i < MAX_MODELESS; i++)
        if (modeless[i] && (msg->hwnd == modeless[i] || IsChild(modeless[i], msg->hwnd)))
            return IsDialogMessageW(modeless[i], msg) != 0;
    return 0;
}

static char symbol_path[1024];

void gui_set_symbol_path(const char *path)
{
    snprintf(symbol_path, sizeof symbol_path, "%s", path ? path : "");
}

const char *gui_symbol_path(void)
{
    return symbol_path;
}

void gui_list_reveal(HWND list, int row)
{
    int per_page = ListView_GetCountPerPage(list), top = ListView_GetTopIndex(list);
    RECT item;
    if (row < 0 || per_page < 4 || !ListView_GetItemRect(list, top, &item, LVIR_BOUNDS))
        return;
    int margin = per_page / 4;
    if (row >= top + margin && row < top + per_page - margin)
        return;
    int want_top = row - per_page / 3 > 0 ? row - per_page / 3 : 0;
    ListView_Scroll(list, 0, (want_top - top) * (item.bottom - item.top));
}
