/* The graphs across the top of the main window, as in VMMap: Committed, Private Bytes and Working
 * Set, each a bar split by region type in the type colours, with its total. Clicking a segment
 * tells the parent (USAGE_GRAPHS_CLICK), which filters the list as the summary does. Painted by
 * one function for WM_PAINT and WM_PRINTCLIENT, so a screenshot needs no screen grab. */
#ifndef PMM_GUI_USAGE_GRAPHS_H
#define PMM_GUI_USAGE_GRAPHS_H

#include <windows.h>
#include <stdio.h>
#include "usage_graph_model.h"

/* WM_NOTIFY code sent to the parent with a usage_graphs_click. */
#define USAGE_GRAPHS_CLICK (0u - 4190u)

typedef struct usage_graphs_click {
    NMHDR hdr;
    int graph;                /* usage_graph */
    int kind;                 /* pmm_region_kind clicked */
} usage_graphs_click;

typedef struct usage_graphs {
    HWND hwnd;
    usage_graph_model model;
    HFONT font;               /* borrowed (WM_SETFONT) */
    UINT dpi;
} usage_graphs;

int usage_graphs_register(HINSTANCE instance);
HWND usage_graphs_create(usage_graphs *g, HWND parent, int id, UINT dpi);
/* The totals of a new map (NULL: none). */
void usage_graphs_set_summary(usage_graphs *g, const pmm_map_summary *summary);
void usage_graphs_set_dpi(usage_graphs *g, UINT dpi);
/* Height that shows the three bars. */
int usage_graphs_height(const usage_graphs *g);
/* The middle of kind's segment in a graph, in client coordinates; 0 when it has no width. */
int usage_graphs_point_of(const usage_graphs *g, usage_graph graph, int kind, POINT *pt);
/* Each bar's rectangle in client coordinates ("Committed<TAB>bar<TAB>left<TAB>top<TAB>right<TAB>bottom"),
 * then the segments (usage_graph_model_write), for tests. */
int usage_graphs_write_text(const usage_graphs *g, FILE *f);

#endif
