/* Beside the summary: what the target is (name, path, pid, bitness, PEB) and what the scan found. */
#ifndef PMM_GUI_TARGET_PANE_H
#define PMM_GUI_TARGET_PANE_H

#include <windows.h>
#include "core/model/map.h"

typedef struct target_pane {
    HWND hwnd;
    const pmm_map *map;      /* borrowed */
} target_pane;

HWND target_pane_create(target_pane *pane, HWND parent, int id, UINT dpi);
void target_pane_set_map(target_pane *pane, const pmm_map *map);
void target_pane_set_dpi(target_pane *pane, UINT dpi);
/* Widens the value column to the pane (after a resize). */
void target_pane_fit(target_pane *pane);
/* Handles a WM_NOTIFY from the pane; returns 1 when it was the pane's. */
int target_pane_notify(target_pane *pane, NMHDR *hdr, LRESULT *result);

#endif
