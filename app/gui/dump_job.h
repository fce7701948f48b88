/* Writes what the Dump Memory dialog asked for, on a worker thread behind a progress dialog with
 * Cancel: the region dumps (core/tools/region_dump.h), our minidump writer
 * (core/formats/minidump_write.h) or dbghelp's (core/win32/dump_win32.h), exactly as `pmm dump`
 * does. The worker borrows the window's map and source (target_data), which a refresh meanwhile
 * cannot take away. Every writer goes through a temporary name, so a failed or cancelled dump
 * leaves nothing that looks complete. */
#ifndef PMM_GUI_DUMP_JOB_H
#define PMM_GUI_DUMP_JOB_H

#include <windows.h>
#include <stddef.h>
#include <stdint.h>
#include "core/tools/target.h"
#include "dump_dialog.h"
#include "target_session.h"

/* Runs the dump of data (its target tells dbghelp and --attach debug the pid); reports success or
 * failure itself (message box, or stderr when unattended). addresses: region starts for a
 * selection dump (req->selection_only). Returns PMM_OK when written. */
pmm_status dump_job_run(HWND owner, const dump_request *req, target_data *data, const uint64_t *addresses,
                        size_t address_count);

#endif
