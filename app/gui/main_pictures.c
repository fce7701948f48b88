/* The main window's pictures of the map: the graphs across the top (usage_graphs) and the
 * Fragmentation view (View > Fragmentation), their part in the layout, map changes, commands and
 * menu, and their unattended runs (--view graphs|fragmentation, --click-graph, --hover, --click). */
#include "main_pictures.h"

#include <stdio.h>
#include <stdlib.h>
#include "address_info.h"
#include "fragmentation_view.h"
#include "gui_util.h"
#include "res/resource.h"

int main_pictures_register(HINSTANCE instance)
{
    return usage_graphs_register(instance) && fragmentation_view_register(instance);
}

int main_pictures_create(main_window *w)
{
    return usage_graphs_create(&w->graphs, w->hwnd, IDC_GRAPHS, w->dpi) != NULL;
}

int main_pictures_graphs_height(main_window *w)
{
    return usage_graphs_height(&w->graphs);
}

void main_pictures_set_font(main_window *w)
{
    SendMessageW(w->graphs.hwnd, WM_SETFONT, (WPARAM)w->font, TRUE);
}

void main_pictures_set_dpi(main_window *w, UINT dpi)
{
    usage_graphs_set_dpi(&w->graphs, dpi);
}

void main_pictures_map_leaving(main_window *w)
{
    if (w->fragmentation && IsWindow(w->fragmentation))
        fragmentation_view_reload(w->fragmentation, NULL);
}

/* After the summary pane took the new map: the graphs show its totals, the list its WS columns. */
void main_pictures_map_changed(main_window *w)
{
    const pmm_map *map = w->session.map;
    usage_graphs_set_summary(&w->graphs, map ? &w->summary.summary : NULL);
    region_list_show_working_set(&w->list, map && map->working_set);
    if (w->fragmentation && IsWindow(w->fragmentation))
        fragmentation_view_reload(w->fragmentation, map);
}

int main_pictures_notify(main_window *w, NMHDR *hdr, uint32_t *filter)
{
    if (hdr->hwndFrom != w->graphs.hwnd || hdr->code != USAGE_GRAPHS_CLICK)
        return 0;
    *filter = 1u << ((usage_graphs_click *)hdr)->kind;
    return 1;
}

static void go_to(void *ctx, uint64_t address)
{
    main_window *w = ctx;
    if (w->session.map && main_go_to(w, address))
        SetFocus(w->list.hwnd);
}

static HWND open_fragmentation(main_window *w)
{
    if (!w->session.map)
        return NULL;
    if (w->fragmentation && IsWindow(w->fragmentation)) {
        ShowWindow(w->fragmentation, SW_SHOWNORMAL);
        SetForegroundWindow(w->fragmentation);
        return w->fragmentation;
    }
    tool_host host = {.go_to = go_to, .ctx = w};
    w->fragmentation = fragmentation_view_open(w->hwnd, &host, w->session.map);
    if (!w->fragmentation)
        gui_error(w->hwnd, "The Fragmentation view could not be opened.");
    return w->fragmentation;
}

int main_pictures_command(main_window *w, int id)
{
    if (id != ID_VIEW_FRAGMENTATION)
        return 0;
    open_fragmentation(w);
    return 1;
}

void main_pictures_init_menu(main_window *w, HMENU menu)
{
    EnableMenuItem(menu, ID_VIEW_FRAGMENTATION, w->session.map ? MF_ENABLED : MF_GRAYED);
}

void main_pictures_destroy(main_window *w)
{
    if (w->fragmentation && IsWindow(w->fragmentation))
        DestroyWindow(w->fragmentation);
    w->fragmentation = NULL;
}

/* ---- unattended runs ---- */

static int parse_address(const wchar_t *text, uint64_t *addr)
{
    char utf8[64];
    WideCharToMultiByte(CP_UTF8, 0, text, -1, utf8, sizeof utf8, NULL, NULL);
    return address_parse(utf8, addr);
}

/* --click-graph GRAPH:TYPE, clicked where a user would: the middle of the segment. */
static int click_graph(main_window *w, char *message, size_t cap)
{
    static const struct { const wchar_t *name; usage_graph graph; } graphs[] = {
        {L"committed", USAGE_GRAPH_COMMITTED}, {L"private", USAGE_GRAPH_PRIVATE}, {L"ws", USAGE_GRAPH_WORKING_SET}};
    const wchar_t *text = w->options.click_graph, *colon = wcschr(text, L':');
    int graph = -1, kind = -1;
    for (size_t i = 0; colon && i < sizeof graphs / sizeof graphs[0]; i++)
        if (_wcsnicmp(text, graphs[i].name, (size_t)(colon - text)) == 0 && wcslen(graphs[i].name) == (size_t)(colon - text))
            graph = (int)graphs[i].graph;
    for (int k = 0; colon && k < PMM_KIND_COUNT; k++) {
        wchar_t name[40];
        gui_utf8_to_wide(pmm_region_kind_name((pmm_region_kind)k), name, 40);
        if (_wcsicmp(colon + 1, name) == 0)
            kind = k;
    }
    POINT pt;
    if (graph < 0 || kind < 0 || !usage_graphs_point_of(&w->graphs, (usage_graph)graph, kind, &pt)) {
        snprintf(message, cap, "--click-graph %ls: expected committed, private or ws, a colon and a type with a "
                 "segment in that graph.", text);
        return 0;
    }
    SendMessageW(w->graphs.hwnd, WM_LBUTTONDOWN, MK_LBUTTON, MAKELPARAM(pt.x, pt.y));
    SendMessageW(w->graphs.hwnd, WM_LBUTTONUP, 0, MAKELPARAM(pt.x, pt.y));
    return 1;
}

static int point_at_cells(main_window *w, char *message, size_t cap)
{
    uint64_t addr;
    for (int i = 0; i < w->options.hover_count; i++)
        if (!parse_address(w->options.hover[i], &addr) || !fragmentation_view_hover_address(w->fragmentation, addr)) {
            snprintf(message, cap, "--hover %ls: not an address the Fragmentation view draws.", w->options.hover[i]);
            return 0;
        }
    if (w->options.click &&
        (!parse_address(w->options.click, &addr) || !fragmentation_view_click_address(w->fragmentation, addr))) {
        snprintf(message, cap, "--click %ls: not an address the Fragmentation view draws.", w->options.click);
        return 0;
    }
    return 1;
}

int main_pictures_open_view(main_window *w, char *message, size_t cap)
{
    switch (w->options.view) {
    case VIEW_GRAPHS:
        if (w->options.click_graph && !click_graph(w, message, cap))
            return -1;
        w->capture = w->graphs.hwnd;
        return 1;
    case VIEW_FRAGMENTATION:
        if (!open_fragmentation(w)) {
            snprintf(message, cap, "The Fragmentation view could not be opened.");
            return -1;
        }
        if (!point_at_cells(w, message, cap))
            return -1;
        w->capture = w->fragmentation;
        return 1;
    default:
        return 0;
    }
}

/* The view's text; for a click also the main window's focused row, which the click selected. */
int main_pictures_write_view(main_window *w, FILE *f)
{
    uint64_t focused;
    switch (w->options.view) {
    case VIEW_GRAPHS: return usage_graphs_write_text(&w->graphs, f);
    case VIEW_FRAGMENTATION:
        if (fragmentation_view_write_text(w->fragmentation, f) != 0)
            return -1;
        if (w->options.click && main_focused_address(w, &focused))
            fprintf(f, "selected 0x%llx\n", (unsigned long long)focused);
        return ferror(f) ? -1 : 0;
    default: return -2;
    }
}
