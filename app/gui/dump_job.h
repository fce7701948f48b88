/* Writes what the Dump Memory dialog asked for, on a worker thread behind a progress dialog with
 * Cancel: the region dumps (core/tools/region_dump.h), our minidump writer
 * (core/formats/minidump_write.h) or dbghelp's (core/win32/dump_win32.h), exactly as `pmm dump`
 * does. The worker reads through a source of its own (the window's is for the UI thread) and a
 * copy of the map. Every writer goes through a temporary name, so a failed or cancelled dump
 * leaves nothing that looks complete. */
#ifndef PMM_GUI_DUMP_JOB_H
#define PMM_GUI_DUMP_JOB_H

#include <windows.h>
#include <stddef.h>
#include <stdint.h>
#include "core/model/map.h"
#include "dump_dialog.h"

typedef struct dump_job_target {
    uint32_t pid;                /* a live process, or 0 */
    const char *minidump_path;   /* UTF-8: the minidump the map was read from, or NULL */
} dump_job_target;

/* Runs the dump; reports success or failure itself (message box, or stderr when unattended).
 * addresses: region starts for a selection dump (req->selection_only). Returns PMM_OK when written. */
pmm_status dump_job_run(HWND owner, const dump_request *req, const pmm_map *map, const dump_job_target *target,
                        const uint64_t *addresses, size_t address_count);

#endif
