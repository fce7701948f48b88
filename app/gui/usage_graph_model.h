/* The numbers behind the graphs across the top of the main window (VMMap's): Committed, Private
 * Bytes and Working Set, each a bar split by region type in the type colours, with the totals;
 * where each segment lies for a given width, and which type a click hits. Plain C (no
 * <windows.h>), unit-tested natively. */
#ifndef PMM_GUI_USAGE_GRAPH_MODEL_H
#define PMM_GUI_USAGE_GRAPH_MODEL_H

#include <stdint.h>
#include <stdio.h>
#include "core/tools/map_summary.h"

typedef enum usage_graph {
    USAGE_GRAPH_COMMITTED,
    USAGE_GRAPH_PRIVATE,
    USAGE_GRAPH_WORKING_SET,
    USAGE_GRAPH_COUNT
} usage_graph;

/* Types in bar order (as the summary's rows): those that can hold committed memory. */
#define USAGE_GRAPH_KINDS 7

typedef struct usage_segment {
    int kind;                  /* pmm_region_kind */
    uint64_t bytes;
    int x0, x1;                /* pixels from the bar's left edge, x1 exclusive; x0 == x1 when too small */
} usage_segment;

typedef struct usage_graph_model {
    int has_map;
    int available[USAGE_GRAPH_COUNT];        /* the Working Set bar only when the map has one */
    uint64_t total[USAGE_GRAPH_COUNT];
    usage_segment segments[USAGE_GRAPH_COUNT][USAGE_GRAPH_KINDS];
    int width;                               /* of the bars, in pixels, at the last layout */
} usage_graph_model;

/* summary NULL: no map. Segments are laid out for width pixels (call again on a resize). */
void usage_graph_model_set(usage_graph_model *m, const pmm_map_summary *summary, int width);
void usage_graph_model_layout(usage_graph_model *m, int width);
/* The type under x pixels from a bar's left edge; -1 when none (no map, unavailable, outside). */
int usage_graph_model_hit(const usage_graph_model *m, usage_graph graph, int x);
/* The segment of kind in a graph; NULL when the kind is not in the bars. */
const usage_segment *usage_graph_model_segment(const usage_graph_model *m, usage_graph graph, int kind);
const char *usage_graph_name(usage_graph graph);
/* "Committed<TAB>Image<TAB>bytes<TAB>x0<TAB>x1" per segment and "Committed<TAB>Total<TAB>bytes" per
 * graph ("not available" instead of the numbers for an unavailable one), for tests. */
int usage_graph_model_write(const usage_graph_model *m, FILE *f);

#endif
