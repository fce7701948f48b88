/* The compare view: what changed between two maps (core/tools/map_diff.h, as `pmm diff` shows
 * it) as an owner-data ListView over compare_rows, one row per change, tinted green (added), red
 * (removed) or yellow (changed). Double-click or Enter asks the main window to go to the row's
 * address. The window owns both maps and the comparison. */
#ifndef PMM_GUI_COMPARE_WINDOW_H
#define PMM_GUI_COMPARE_WINDOW_H

#include <windows.h>
#include <stdint.h>
#include <stdio.h>
#include "core/tools/map_diff.h"

typedef struct compare_result {
    pmm_map *old_map, *new_map;          /* owned */
    pmm_page_sums old_sums, new_sums;    /* owned */
    pmm_map_diff diff;                   /* over the two maps */
    char old_name[300], new_name[300];   /* UTF-8: what each side is, for the title */
} compare_result;

void compare_result_free(compare_result *result);

/* Returns 0 when no region of the map on screen holds addr (the window then says so). */
typedef int (*compare_goto_fn)(void *ctx, uint64_t addr);

/* Opens the window; it takes *result (freed when the window closes, also when opening fails). */
HWND compare_window_open(HWND owner, compare_result *result, compare_goto_fn go_to, void *go_to_ctx);
/* The summary, the header and every row as tab-separated text (for --dump-view). 0 on success. */
int compare_window_write_text(HWND hwnd, FILE *f);

#endif
