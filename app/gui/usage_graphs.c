#include "usage_graphs.h"

#include <string.h>
#include <windowsx.h>
#include "core/util/text.h"
#include "gui_util.h"

#define USAGE_GRAPHS_CLASS L"ProcessMemoryMap.UsageGraphs"

/* At 96 DPI: the label column left of the bars, the gap between rows and the margins. */
enum { LABEL_WIDTH = 230, ROW_GAP = 4, MARGIN = 4 };

static usage_graphs *graphs_of(HWND hwnd)
{
    return (usage_graphs *)GetWindowLongPtrW(hwnd, GWLP_USERDATA);
}

static int row_height(const usage_graphs *g)
{
    HDC dc = GetDC(g->hwnd);
    HGDIOBJ old = SelectObject(dc, g->font ? g->font : GetStockObject(DEFAULT_GUI_FONT));
    TEXTMETRICW tm;
    GetTextMetricsW(dc, &tm);
    SelectObject(dc, old);
    ReleaseDC(g->hwnd, dc);
    return tm.tmHeight + gui_scale(6, g->dpi);
}

/* The rectangle of a graph's bar in client coordinates. */
static RECT bar_rect(const usage_graphs *g, int graph, int width)
{
    int h = row_height(g), gap = gui_scale(ROW_GAP, g->dpi), margin = gui_scale(MARGIN, g->dpi);
    RECT r = {margin + gui_scale(LABEL_WIDTH, g->dpi), margin + graph * (h + gap), width - margin, 0};
    r.bottom = r.top + h;
    if (r.right < r.left)
        r.right = r.left;
    return r;
}

static void relayout(usage_graphs *g)
{
    RECT client;
    GetClientRect(g->hwnd, &client);
    RECT bar = bar_rect(g, 0, client.right);
    usage_graph_model_layout(&g->model, bar.right - bar.left);
}

static void draw_label(const usage_graphs *g, HDC dc, int graph, const RECT *bar)
{
    char text[96], size[32];
    const usage_graph_model *m = &g->model;
    if (!m->has_map)
        snprintf(text, sizeof text, "%s", usage_graph_name((usage_graph)graph));
    else if (!m->available[graph])
        snprintf(text, sizeof text, "%s: not available", usage_graph_name((usage_graph)graph));
    else
        snprintf(text, sizeof text, "%s: %s", usage_graph_name((usage_graph)graph),
                 pmm_size_text(m->total[graph], size, sizeof size));
    wchar_t wide[96];
    gui_utf8_to_wide(text, wide, 96);
    RECT r = {gui_scale(MARGIN, g->dpi), bar->top, bar->left - gui_scale(8, g->dpi), bar->bottom};
    DrawTextW(dc, wide, -1, &r, DT_SINGLELINE | DT_VCENTER | DT_END_ELLIPSIS | DT_NOPREFIX);
}

static void fill(HDC dc, const RECT *r, COLORREF colour)
{
    SetBkColor(dc, colour);
    ExtTextOutW(dc, 0, 0, ETO_OPAQUE, r, NULL, 0, NULL);
}

/* One function for WM_PAINT and WM_PRINTCLIENT. */
static void paint_content(usage_graphs *g, HDC dc)
{
    RECT client;
    GetClientRect(g->hwnd, &client);
    fill(dc, &client, GetSysColor(COLOR_BTNFACE));
    HGDIOBJ old_font = SelectObject(dc, g->font ? g->font : GetStockObject(DEFAULT_GUI_FONT));
    SetTextColor(dc, GetSysColor(COLOR_BTNTEXT));
    SetBkMode(dc, TRANSPARENT);
    for (int graph = 0; graph < USAGE_GRAPH_COUNT; graph++) {
        RECT bar = bar_rect(g, graph, client.right);
        draw_label(g, dc, graph, &bar);
        fill(dc, &bar, GetSysColor(COLOR_WINDOW));
        for (int k = 0; g->model.available[graph] && k < USAGE_GRAPH_KINDS; k++) {
            const usage_segment *s = &g->model.segments[graph][k];
            RECT r = {bar.left + s->x0, bar.top, bar.left + s->x1, bar.bottom};
            if (r.right > r.left)
                fill(dc, &r, gui_kind_swatch(s->kind));
        }
        SetBkMode(dc, TRANSPARENT);
        FrameRect(dc, &bar, GetSysColorBrush(COLOR_BTNSHADOW));
    }
    SelectObject(dc, old_font);
}

static void on_click(usage_graphs *g, int x, int y)
{
    RECT client;
    GetClientRect(g->hwnd, &client);
    for (int graph = 0; graph < USAGE_GRAPH_COUNT; graph++) {
        RECT bar = bar_rect(g, graph, client.right);
        POINT pt = {x, y};
        int kind = PtInRect(&bar, pt) ? usage_graph_model_hit(&g->model, (usage_graph)graph, x - bar.left) : -1;
        if (kind < 0)
            continue;
        usage_graphs_click click = {{g->hwnd, (UINT_PTR)GetDlgCtrlID(g->hwnd), USAGE_GRAPHS_CLICK}, graph, kind};
        SendMessageW(GetParent(g->hwnd), WM_NOTIFY, click.hdr.idFrom, (LPARAM)&click);
        return;
    }
}

static LRESULT CALLBACK graphs_proc(HWND hwnd, UINT msg, WPARAM wparam, LPARAM lparam)
{
    usage_graphs *g = graphs_of(hwnd);
    switch (msg) {
    case WM_NCCREATE:
        g = ((CREATESTRUCTW *)lparam)->lpCreateParams;
        g->hwnd = hwnd;
        SetWindowLongPtrW(hwnd, GWLP_USERDATA, (LONG_PTR)g);
        break;
    case WM_PAINT: {
        PAINTSTRUCT ps;
        HDC dc = BeginPaint(hwnd, &ps);
        paint_content(g, dc);
        EndPaint(hwnd, &ps);
        return 0;
    }
    case WM_PRINTCLIENT:
        paint_content(g, (HDC)wparam);
        return 0;
    case WM_ERASEBKGND:
        return 1;
    case WM_SIZE:
        relayout(g);
        InvalidateRect(hwnd, NULL, FALSE);
        return 0;
    case WM_SETFONT:
        g->font = (HFONT)wparam;
        relayout(g);
        if (LOWORD(lparam))
            InvalidateRect(hwnd, NULL, FALSE);
        return 0;
    case WM_LBUTTONDOWN:
        on_click(g, GET_X_LPARAM(lparam), GET_Y_LPARAM(lparam));
        return 0;
    }
    return DefWindowProcW(hwnd, msg, wparam, lparam);
}

int usage_graphs_register(HINSTANCE instance)
{
    return gui_register_child_class(instance, graphs_proc, USAGE_GRAPHS_CLASS, 0, (LPCWSTR)IDC_HAND, NULL);
}

HWND usage_graphs_create(usage_graphs *g, HWND parent, int id, UINT dpi)
{
    memset(g, 0, sizeof *g);
    g->dpi = dpi;
    usage_graph_model_set(&g->model, NULL, 0);
    return CreateWindowExW(0, USAGE_GRAPHS_CLASS, L"Graphs", WS_CHILD | WS_VISIBLE, 0, 0, 0, 0, parent,
                           (HMENU)(INT_PTR)id, GetModuleHandleW(NULL), g);
}

void usage_graphs_set_summary(usage_graphs *g, const pmm_map_summary *summary)
{
    usage_graph_model_set(&g->model, summary, g->model.width);
    relayout(g);
    InvalidateRect(g->hwnd, NULL, FALSE);
}

void usage_graphs_set_dpi(usage_graphs *g, UINT dpi)
{
    g->dpi = dpi;
    relayout(g);
    InvalidateRect(g->hwnd, NULL, FALSE);
}

int usage_graphs_height(const usage_graphs *g)
{
    int margin = gui_scale(MARGIN, g->dpi);
    return 2 * margin + USAGE_GRAPH_COUNT * row_height(g) + (USAGE_GRAPH_COUNT - 1) * gui_scale(ROW_GAP, g->dpi);
}

int usage_graphs_point_of(const usage_graphs *g, usage_graph graph, int kind, POINT *pt)
{
    const usage_segment *s = usage_graph_model_segment(&g->model, graph, kind);
    if (!s || s->x1 <= s->x0 || !g->model.available[graph])
        return 0;
    RECT client;
    GetClientRect(g->hwnd, &client);
    RECT bar = bar_rect(g, graph, client.right);
    pt->x = bar.left + (s->x0 + s->x1) / 2;
    pt->y = (bar.top + bar.bottom) / 2;
    return 1;
}

int usage_graphs_write_text(const usage_graphs *g, FILE *f)
{
    RECT client;
    GetClientRect(g->hwnd, &client);
    for (int graph = 0; graph < USAGE_GRAPH_COUNT; graph++) {
        RECT bar = bar_rect(g, graph, client.right);
        fprintf(f, "%s\tbar\t%ld\t%ld\t%ld\t%ld\n", usage_graph_name((usage_graph)graph), (long)bar.left, (long)bar.top,
                (long)bar.right, (long)bar.bottom);
    }
    return usage_graph_model_write(&g->model, f);
}
