#include "fragmentation_view.h"

#include <stdlib.h>
#include <string.h>
#include <windowsx.h>
#include "core/tools/map_picture.h"
#include "core/util/clock.h"
#include "core/util/text.h"
#include "gui_util.h"
#include "res/resource.h"
#include "tool_window.h"

#define FRAGMENTATION_CLASS L"ProcessMemoryMap.Fragmentation"
#define CANVAS_CLASS L"ProcessMemoryMap.FragmentationCanvas"
#define LOG_CAP 16384

/* At 96 DPI: a cell's side, the margins. */
enum { CELL_PX = 4, MARGIN = 6 };

typedef struct fragmentation_view {
    HWND hwnd, canvas, status;
    HFONT font;
    UINT dpi;
    tool_host host;
    const pmm_map *map;          /* borrowed from the main window */
    pmm_picture picture;
    int has_picture;
    HDC memory_dc;               /* the drawn picture, blitted on every paint */
    HBITMAP bitmap, old_bitmap;
    int legend_h;                /* the legend above the picture */
    uint64_t draw_microseconds;
    char log[LOG_CAP];           /* unattended runs: what each hover said */
    size_t log_used;
} fragmentation_view;

static fragmentation_view *view_of(HWND hwnd)
{
    return tool_window_self(hwnd, FRAGMENTATION_CLASS);
}

static int text_height(fragmentation_view *v)
{
    HDC dc = GetDC(v->canvas);
    HGDIOBJ old = SelectObject(dc, v->font);
    TEXTMETRICW tm;
    GetTextMetricsW(dc, &tm);
    SelectObject(dc, old);
    ReleaseDC(v->canvas, dc);
    return tm.tmHeight;
}

static void release_bitmap(fragmentation_view *v)
{
    if (v->memory_dc) {
        SelectObject(v->memory_dc, v->old_bitmap);
        DeleteDC(v->memory_dc);
    }
    if (v->bitmap)
        DeleteObject(v->bitmap);
    v->memory_dc = NULL;
    v->bitmap = NULL;
}

/* The picture's pixels into a top-down 32-bit DIB section, selected into memory_dc. */
static int draw_bitmap(fragmentation_view *v)
{
    pmm_rgb_image image;
    if (pmm_picture_render(&v->picture, 0, &image) != PMM_OK)
        return 0;
    BITMAPINFO bi;
    memset(&bi, 0, sizeof bi);
    bi.bmiHeader.biSize = sizeof bi.bmiHeader;
    bi.bmiHeader.biWidth = (LONG)image.width;
    bi.bmiHeader.biHeight = -(LONG)image.height;   /* top-down rows, as the picture's */
    bi.bmiHeader.biPlanes = 1;
    bi.bmiHeader.biBitCount = 32;
    bi.bmiHeader.biCompression = BI_RGB;
    uint8_t *bits = NULL;
    HDC screen = GetDC(v->canvas);
    v->bitmap = CreateDIBSection(screen, &bi, DIB_RGB_COLORS, (void **)&bits, NULL, 0);
    v->memory_dc = CreateCompatibleDC(screen);
    ReleaseDC(v->canvas, screen);
    if (!v->bitmap || !v->memory_dc) {
        free(image.pixels);
        release_bitmap(v);
        return 0;
    }
    size_t pixels = (size_t)image.width * image.height;
    for (size_t i = 0; i < pixels; i++) {
        bits[4 * i] = image.pixels[3 * i + 2];
        bits[4 * i + 1] = image.pixels[3 * i + 1];
        bits[4 * i + 2] = image.pixels[3 * i];
        bits[4 * i + 3] = 0;
    }
    free(image.pixels);
    v->old_bitmap = SelectObject(v->memory_dc, v->bitmap);
    return 1;
}

/* Lays the map out for the canvas's size: as many columns as fit, and a cell size that fits every
 * stretch (with its band) in the height left under the legend. */
static void relayout(fragmentation_view *v)
{
    uint64_t started = pmm_clock_microseconds();
    release_bitmap(v);
    if (v->has_picture)
        pmm_picture_free(&v->picture);
    v->has_picture = 0;
    RECT client = {0};
    GetClientRect(v->canvas, &client);
    int th = text_height(v);
    v->legend_h = th + gui_scale(8, v->dpi);
    pmm_picture_geometry g = {0};
    g.cell_px = (uint32_t)gui_scale(CELL_PX, v->dpi);
    g.label_px = (uint32_t)(th + gui_scale(4, v->dpi));
    int width = client.right - 2 * gui_scale(MARGIN, v->dpi), height = client.bottom - v->legend_h;
    if (!v->map || width < (int)g.cell_px * 16 || height < (int)(g.cell_px + g.label_px))
        return;
    g.columns = (uint32_t)width / g.cell_px;
    g.max_rows = (uint32_t)height / g.cell_px;
    for (int pass = 0; pass < 2; pass++) {
        if (pmm_picture_layout(v->map, &g, &v->picture) != PMM_OK)
            return;
        if ((int)v->picture.height <= height || pass == 1)
            break;
        /* The bands take room too: ask again for what is left once they are placed. */
        uint32_t bands = (uint32_t)(v->picture.stretch_count * g.label_px);
        g.max_rows = (uint32_t)height > bands + g.cell_px ? ((uint32_t)height - bands) / g.cell_px : 1;
        pmm_picture_free(&v->picture);
    }
    v->has_picture = 1;
    draw_bitmap(v);
    v->draw_microseconds = pmm_clock_microseconds() - started;
}

static void fill(HDC dc, const RECT *r, COLORREF colour)
{
    SetBkColor(dc, colour);
    ExtTextOutW(dc, 0, 0, ETO_OPAQUE, r, NULL, 0, NULL);
}

static void draw_text(HDC dc, int x, int y, const char *text)
{
    wchar_t wide[160];
    gui_utf8_to_wide(text, wide, 160);
    TextOutW(dc, x, y, wide, (int)wcslen(wide));
}

/* Swatches with names along the top: the legend for the picture below. */
static void draw_legend(fragmentation_view *v, HDC dc)
{
    static const int kinds[] = {PMM_KIND_IMAGE, PMM_KIND_MAPPED_FILE, PMM_KIND_SHAREABLE, PMM_KIND_HEAP,
                                PMM_KIND_STACK, PMM_KIND_PRIVATE,     PMM_KIND_SYSTEM,    PMM_KIND_UNUSABLE,
                                PMM_KIND_FREE};
    int x = gui_scale(MARGIN, v->dpi), box = v->legend_h - gui_scale(10, v->dpi), y = gui_scale(4, v->dpi);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        RECT swatch = {x, y + 1, x + box, y + 1 + box};
        fill(dc, &swatch, gui_rgb(pmm_picture_cell_rgb((uint8_t)kinds[i])));
        SetBkMode(dc, TRANSPARENT);
        const char *name = pmm_region_kind_name((pmm_region_kind)kinds[i]);
        draw_text(dc, x + box + gui_scale(4, v->dpi), y, name);
        SIZE size;
        wchar_t wide[40];
        gui_utf8_to_wide(name, wide, 40);
        GetTextExtentPoint32W(dc, wide, (int)wcslen(wide), &size);
        x += box + size.cx + gui_scale(14, v->dpi);
    }
    draw_text(dc, x, y, "(paler: reserved)");
}

/* "1.6 GB": the collapsed gaps run from megabytes to terabytes. */
static const char *gap_text(uint64_t bytes, char *buf, size_t cap)
{
    static const char *const units[] = {"KB", "MB", "GB", "TB", "PB"};
    double value = (double)bytes / 1024.0;
    size_t unit = 0;
    while (value >= 1024.0 && unit + 1 < sizeof units / sizeof units[0]) {
        value /= 1024.0;
        unit++;
    }
    snprintf(buf, cap, "%.1f %s", value, units[unit]);
    return buf;
}

/* "0x7ff6a0b40000  (after 3.0 GB of free or reserved space, not drawn)" over each stretch's band. */
static void draw_band_labels(fragmentation_view *v, HDC dc, int left, int top)
{
    SetTextColor(dc, gui_rgb(PMM_PICTURE_LABEL_RGB));
    SetBkMode(dc, TRANSPARENT);
    for (size_t i = 0; i < v->picture.stretch_count; i++) {
        const pmm_picture_stretch *s = &v->picture.stretches[i];
        char text[120], gap[32];
        if (s->gap_before)
            snprintf(text, sizeof text, "0x%llx  (after %s of free or reserved space, not drawn)",
                     (unsigned long long)s->start, gap_text(s->gap_before, gap, sizeof gap));
        else
            snprintf(text, sizeof text, "0x%llx", (unsigned long long)s->start);
        draw_text(dc, left + gui_scale(4, v->dpi), top + (int)(s->y - v->picture.geometry.label_px) + gui_scale(2, v->dpi),
                  text);
    }
}

/* One function for WM_PAINT and WM_PRINTCLIENT. */
static void paint_content(fragmentation_view *v, HDC dc)
{
    RECT client;
    GetClientRect(v->canvas, &client);
    fill(dc, &client, GetSysColor(COLOR_WINDOW));
    HGDIOBJ old_font = SelectObject(dc, v->font);
    SetTextColor(dc, GetSysColor(COLOR_WINDOWTEXT));
    draw_legend(v, dc);
    int left = gui_scale(MARGIN, v->dpi);
    if (v->memory_dc) {
        BitBlt(dc, left, v->legend_h, (int)v->picture.width, (int)v->picture.height, v->memory_dc, 0, 0, SRCCOPY);
        draw_band_labels(v, dc, left, v->legend_h);
    } else {
        SetBkMode(dc, TRANSPARENT);
        draw_text(dc, left, v->legend_h + gui_scale(8, v->dpi), v->map ? "The window is too small for the picture."
                                                                        : "No map is open.");
    }
    SelectObject(dc, old_font);
}

/* The address under a canvas pixel; 0 when none. */
static int address_at(const fragmentation_view *v, int x, int y, uint64_t *addr)
{
    int left = gui_scale(MARGIN, v->dpi);
    if (!v->has_picture || x < left || y < v->legend_h)
        return 0;
    return pmm_picture_address_at(&v->picture, (uint32_t)(x - left), (uint32_t)(y - v->legend_h), addr);
}

/* "0000000140000000-0000000140001000  Image  RX  4 K  C:\app\x.exe" for the cell's region. */
static size_t describe(const fragmentation_view *v, uint64_t cell, char *buf, size_t cap)
{
    size_t i = pmm_picture_region_at(&v->picture, v->map, cell);
    if (i == PMM_NO_INDEX) {
        snprintf(buf, cap, "0x%llx: nothing mapped", (unsigned long long)cell);
        return i;
    }
    const pmm_region *r = &v->map->regions[i];
    char start[24], end[24], size[32], protect[32];
    uint32_t ps = v->map->target.pointer_size;
    const char *state = r->state == PMM_MEM_COMMIT    ? pmm_protect_text(r->protect, protect, sizeof protect)
                        : r->state == PMM_MEM_RESERVE ? "Reserved"
                                                      : "Free";
    snprintf(buf, cap, "%s-%s  %s  %s  %s  %s", pmm_address_text(r->base, ps, start, sizeof start),
             pmm_address_text(r->base + r->size, ps, end, sizeof end), pmm_region_kind_name((pmm_region_kind)r->kind),
             state, pmm_size_text(r->size, size, sizeof size), pmm_map_text(v->map, r->details));
    return i;
}

static void set_status(fragmentation_view *v, const char *text)
{
    wchar_t wide[800];
    gui_utf8_to_wide(text, wide, 800);
    SetWindowTextW(v->status, wide);
}

static void on_mouse_move(fragmentation_view *v, int x, int y)
{
    uint64_t addr;
    char text[800];
    if (!address_at(v, x, y, &addr)) {
        set_status(v, "Point at a cell to see its region; click to select it in the main window.");
        return;
    }
    describe(v, addr, text, sizeof text);
    set_status(v, text);
}

static void on_click(fragmentation_view *v, int x, int y)
{
    uint64_t addr;
    char text[800];
    if (!address_at(v, x, y, &addr))
        return;
    size_t i = describe(v, addr, text, sizeof text);
    if (i != PMM_NO_INDEX && v->host.go_to)
        v->host.go_to(v->host.ctx, v->map->regions[i].base);
}

static LRESULT CALLBACK canvas_proc(HWND hwnd, UINT msg, WPARAM wparam, LPARAM lparam)
{
    fragmentation_view *v = view_of(GetParent(hwnd));
    switch (msg) {
    case WM_PAINT: {
        PAINTSTRUCT ps;
        HDC dc = BeginPaint(hwnd, &ps);
        if (v)
            paint_content(v, dc);
        EndPaint(hwnd, &ps);
        return 0;
    }
    case WM_PRINTCLIENT:
        if (v)
            paint_content(v, (HDC)wparam);
        return 0;
    case WM_ERASEBKGND:
        return 1;
    case WM_SIZE:
        if (v && v->canvas == hwnd) {
            relayout(v);
            InvalidateRect(hwnd, NULL, FALSE);
        }
        return 0;
    case WM_MOUSEMOVE:
        if (v)
            on_mouse_move(v, GET_X_LPARAM(lparam), GET_Y_LPARAM(lparam));
        return 0;
    case WM_LBUTTONDOWN:
        if (v)
            on_click(v, GET_X_LPARAM(lparam), GET_Y_LPARAM(lparam));
        return 0;
    }
    return DefWindowProcW(hwnd, msg, wparam, lparam);
}

static void layout(void *self)
{
    fragmentation_view *v = self;
    RECT client;
    GetClientRect(v->hwnd, &client);
    int status_h = text_height(v) + gui_scale(8, v->dpi), m = gui_scale(4, v->dpi);
    SetWindowPos(v->canvas, NULL, 0, 0, client.right, client.bottom - status_h, SWP_NOZORDER);
    SetWindowPos(v->status, NULL, m, client.bottom - status_h + m, client.right - 2 * m, status_h - m, SWP_NOZORDER);
}

static int on_create(void *self, HWND hwnd, UINT dpi, HFONT font)
{
    fragmentation_view *v = self;
    v->hwnd = hwnd;
    v->dpi = dpi;
    v->font = font;
    v->canvas = tool_window_child(hwnd, font, CANVAS_CLASS, L"Address space", 0, 0, IDC_FRAGMENTATION);
    v->status = tool_window_child(hwnd, font, L"STATIC", L"", SS_LEFT | SS_ENDELLIPSIS | SS_NOPREFIX, 0,
                                  IDC_FRAGMENTATION_STATUS);
    return v->canvas && v->status;
}

static void on_destroy(void *self)
{
    fragmentation_view *v = self;
    release_bitmap(v);
    if (v->has_picture)
        pmm_picture_free(&v->picture);
}

static const tool_window_kind fragmentation_kind = {
    .class_name = FRAGMENTATION_CLASS, .title = L"Fragmentation", .place = {40, 60, 900, 640},
    .create = on_create, .layout = layout, .destroy = on_destroy, .release = free,
};

int fragmentation_view_register(HINSTANCE instance)
{
    return gui_register_child_class(instance, canvas_proc, CANVAS_CLASS, 0, (LPCWSTR)IDC_CROSS, NULL) &&
           tool_window_register_kind(instance, &fragmentation_kind);
}

static void set_title(fragmentation_view *v)
{
    char text[400];
    wchar_t wide[400];
    snprintf(text, sizeof text, "Fragmentation - %s", v->map && v->map->target.name[0] ? v->map->target.name
                                                                                        : "no target");
    gui_utf8_to_wide(text, wide, 400);
    SetWindowTextW(v->hwnd, wide);
}

HWND fragmentation_view_open(HWND owner, const tool_host *host, const pmm_map *map)
{
    fragmentation_view *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    v->host = *host;
    v->map = map;
    HWND hwnd = tool_window_open_kind(owner, &fragmentation_kind, v);
    if (hwnd) {
        layout(v);   /* sizes the canvas, whose WM_SIZE lays the picture out */
        set_title(v);
        set_status(v, "Point at a cell to see its region; click to select it in the main window.");
    }
    return hwnd;
}

void fragmentation_view_reload(HWND hwnd, const pmm_map *map)
{
    fragmentation_view *v = view_of(hwnd);
    if (!v)
        return;
    v->map = map;
    relayout(v);
    set_title(v);
    InvalidateRect(v->canvas, NULL, FALSE);
}

/* Sends the canvas the mouse message a user's pointer at addr's cell would. */
static int pointer_at(fragmentation_view *v, uint64_t addr, UINT msg)
{
    uint32_t x, y;
    if (!v || !v->has_picture || !pmm_picture_point_of(&v->picture, addr, &x, &y))
        return 0;
    int half = (int)v->picture.geometry.cell_px / 2;
    LPARAM at = MAKELPARAM(gui_scale(MARGIN, v->dpi) + (int)x + half, v->legend_h + (int)y + half);
    SendMessageW(v->canvas, WM_MOUSEMOVE, 0, at);
    if (msg != WM_MOUSEMOVE)
        SendMessageW(v->canvas, msg, MK_LBUTTON, at);
    wchar_t wide[800];
    GetWindowTextW(v->status, wide, 800);
    char text[800];
    WideCharToMultiByte(CP_UTF8, 0, wide, -1, text, sizeof text, NULL, NULL);
    if (v->log_used < LOG_CAP)
        v->log_used += (size_t)snprintf(v->log + v->log_used, LOG_CAP - v->log_used, "%s 0x%llx\t%s\n",
                                        msg == WM_MOUSEMOVE ? "hover" : "click", (unsigned long long)addr, text);
    if (v->log_used > LOG_CAP)
        v->log_used = LOG_CAP;
    return 1;
}

int fragmentation_view_hover_address(HWND hwnd, uint64_t addr)
{
    return pointer_at(view_of(hwnd), addr, WM_MOUSEMOVE);
}

int fragmentation_view_click_address(HWND hwnd, uint64_t addr)
{
    return pointer_at(view_of(hwnd), addr, WM_LBUTTONDOWN);
}

int fragmentation_view_write_text(HWND hwnd, FILE *f)
{
    fragmentation_view *v = view_of(hwnd);
    if (!v)
        return -1;
    const pmm_picture *p = &v->picture;
    if (v->has_picture) {
        fprintf(f, "picture %ux%u cell_bytes %llu columns %u cell_px %u stretches %zu\n", (unsigned)p->width,
                (unsigned)p->height, (unsigned long long)p->cell_bytes, (unsigned)p->geometry.columns,
                (unsigned)p->geometry.cell_px, p->stretch_count);
        for (size_t i = 0; i < p->stretch_count; i++)
            fprintf(f, "stretch 0x%llx 0x%llx gap %llu\n", (unsigned long long)p->stretches[i].start,
                    (unsigned long long)p->stretches[i].end, (unsigned long long)p->stretches[i].gap_before);
    } else {
        fprintf(f, "no picture\n");
    }
    fwrite(v->log, 1, v->log_used, f);
    return ferror(f) ? -1 : 0;
}

uint64_t fragmentation_view_draw_microseconds(HWND hwnd)
{
    fragmentation_view *v = view_of(hwnd);
    return v ? v->draw_microseconds : 0;
}
