/* Command-line switches of the search, strings, call stacks, structure, graphs, fragmentation and
 * integrity views: --search TEXT [--search-kind KIND] [--search-max N] [--search-more], --strings N
 * [--strings-filter TEXT], --follow FIELD, --hover ADDRESS (repeatable), --click ADDRESS,
 * --click-graph GRAPH:TYPE, --finding N, and those view names for --view. */
#ifndef PMM_GUI_TOOL_OPTIONS_H
#define PMM_GUI_TOOL_OPTIONS_H

#include <wchar.h>
#include "main_window.h"

/* Consumes argv[*i] (and its value) when it is one of these switches: returns 1 (and advances *i),
 * else 0. */
int tool_options_parse(int argc, wchar_t **argv, int *i, main_options *options);
/* 1 with *view set when name is search, strings, stacks, structure, graphs, fragmentation or
 * integrity. */
int tool_options_view(const wchar_t *name, main_view *view);

#endif
