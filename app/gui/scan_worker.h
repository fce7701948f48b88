/* The map of a target made on a gui_job, so the window never blocks: a saved map is loaded, a live
 * process or a minidump is opened and scanned (pmm_target_load_map), and for F8 its images compared
 * with their files (pmm_integrity_scan) before anyone else sees the map, which is never changed
 * once shown. On success the job holds the map and the source it was read from as a target_data
 * the window takes, because the hex view and the jobs it starts keep reading bytes from that
 * source. */
#ifndef PMM_GUI_SCAN_WORKER_H
#define PMM_GUI_SCAN_WORKER_H

#include <windows.h>
#include "core/tools/target.h"
#include "gui_job.h"
#include "target_session.h"

/* Posted (lParam: the job) when the scan has a new preview for scan_job_take_preview: the regions
 * walked so far. At most one is pending: a newer preview replaces one not yet taken. */
#define WM_APP_SCAN_PREVIEW (WM_APP + 4)

/* Starts loading target (copied); symbol_path (UTF-8, may be NULL) says where PDBs are for naming
 * the call stacks' frames and the findings. integrity: also run the integrity scan (a target with
 * bytes only), so the map comes with its findings; the scan takes the first 15% of the progress.
 * NULL when out of memory or no thread could be started. */
gui_job *scan_job_start(HWND notify, const pmm_target *target, const char *symbol_path, int integrity);
/* The latest preview (core/analyzers/scan.h: typed by memory type, no annotations yet), the
 * caller's to free; NULL when there is none new. */
pmm_map *scan_job_take_preview(gui_job *job);
/* After WM_APP_JOB_DONE: the map and its source (the caller's reference), or NULL when the scan
 * failed or was cancelled, and then message (UTF-8) says what went wrong and what to do. */
target_data *scan_job_take(gui_job *job, char *message, size_t message_cap);

#endif
