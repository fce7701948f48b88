#include "dump_job.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/formats/minidump_write.h"
#include "core/tools/region_dump.h"
#include "core/win32/dump_win32.h"
#include "gui_util.h"
#include "task_progress.h"

typedef struct dump_work {
    const dump_request *req;
    const pmm_target *target;
    target_data *data;           /* the window's map and source, borrowed */
    pmm_map *map;                /* data->map */
    pmm_dump_ranges ranges;
    int selected;
    uint32_t dbghelp_flags;
    char message[1024];          /* UTF-8: what went wrong, or what was written */
    int detach_failed;           /* --attach debug: the debugger could not detach */
} dump_work;

/* As pmm dump --format minidump: for a live process also what only the OS knows (system and
 * process facts, thread times and start addresses for ThreadInfoList, the handle table). */
static pmm_status write_minidump(gui_job *t, dump_work *w, pmm_source *src)
{
    pmm_md_write_options o = {.memory_mode = w->selected ? PMM_MD_MEMORY_SELECTED : PMM_MD_MEMORY_FULL,
                              .selected = w->ranges.items, .selected_count = w->ranges.count,
                              .page_reads = w->req->page_reads, .time_date_stamp = (uint32_t)time(NULL),
                              .progress = gui_job_report, .progress_ctx = t};
    pmm_md_write_result res;
    pmm_status st = pmm_dump_minidump_file(src, w->map, &o, w->req->path, &res, NULL, w->message, sizeof w->message);
    if (st == PMM_OK)
        snprintf(w->message, sizeof w->message, "Wrote the minidump %s: %zu threads, %zu modules, %zu memory "
                 "ranges, %zu handles, %" PRIu64 " bytes.%s", w->req->path, res.thread_count, res.module_count,
                 res.memory_range_count, res.handle_count, res.file_size,
                 res.unreadable.count ? " Unreadable pages were written as zeros and listed in its comment "
                                        "stream." : "");
    pmm_md_write_result_free(&res);
    return st;
}

static pmm_status write_regions(gui_job *t, dump_work *w, pmm_source *src)
{
    pmm_region_dump_options o = {PMM_RDUMP_REGIONS, w->req->path, w->req->page_reads, pmm_dump_make_sparse,
                                 gui_job_report, t};
    pmm_region_dump_parse_format(dump_format_name(w->req->format), &o.format);
    pmm_region_dump_result res;
    pmm_status st = pmm_region_dump(src, &w->ranges, &o, &res, w->message, sizeof w->message);
    if (st == PMM_OK)
        snprintf(w->message, sizeof w->message, "Wrote %s (%s): %zu regions, %" PRIu64 " bytes.%s", w->req->path,
                 dump_format_name(w->req->format), res.region_count, res.bytes,
                 res.unreadable.count ? " Unreadable pages were written as zeros and listed in the map file." : "");
    pmm_region_dump_result_free(&res);
    return st;
}

static pmm_status write_dump(gui_job *t, dump_work *w)
{
    if (w->req->format == DUMP_FORMAT_DBGHELP) {
        pmm_status st = pmm_dbghelp_write(w->target->pid, w->dbghelp_flags, w->req->path, w->message, sizeof w->message);
        if (st == PMM_OK)
            snprintf(w->message, sizeof w->message, "Wrote the minidump %s with dbghelp (flags 0x%x).", w->req->path,
                     (unsigned)w->dbghelp_flags);
        return st;
    }
    pmm_source *src = target_data_source(w->data);
    return w->req->format == DUMP_FORMAT_MINIDUMP ? write_minidump(t, w, src) : write_regions(t, w, src);
}

/* With attach_debug the target's threads stand still while it is read (pmm dump --attach debug). */
static pmm_status dump_worker(gui_job *t, void *ctx)
{
    dump_work *w = ctx;
    w->message[0] = '\0';
    int debug = w->req->attach_debug && w->target->kind == PMM_TARGET_PROCESS;
    if (debug) {
        pmm_status st = pmm_dump_attach_debugger(w->target->pid, w->message, sizeof w->message);
        if (st != PMM_OK)
            return st;
    }
    pmm_status st = write_dump(t, w);
    char detach[512];
    if (debug && pmm_dump_detach_debugger(w->target->pid, detach, sizeof detach) != PMM_OK) {
        /* The dump is complete, but the user must know the target may still be held. */
        size_t used = strlen(w->message);
        snprintf(w->message + used, sizeof w->message - used, "%s%s", used ? "\n\n" : "", detach);
        w->detach_failed = 1;
    }
    return st;
}

static void report_failure(HWND owner, const dump_work *w, pmm_status st)
{
    char text[1600];
    const char *reason = w->message[0] ? w->message : pmm_status_text(st);
    switch (st) {
    case PMM_ERR_CANCELLED:
        snprintf(text, sizeof text, "The dump was cancelled; nothing was kept at %s.", w->req->path);
        break;
    case PMM_ERR_GONE:
        snprintf(text, sizeof text, "Process %u exited during the dump, so nothing was kept at %s.\n\nPress F5 to see "
                 "what is left, or select another process.", (unsigned)w->target->pid, w->req->path);
        break;
    case PMM_ERR_IO:
        snprintf(text, sizeof text, "Writing %s failed: %s.\n\nNothing was kept. Check that the disk is not full and "
                 "that you may write to that folder, or choose another one, then try again.", w->req->path, reason);
        break;
    case PMM_ERR_LIMIT:
        snprintf(text, sizeof text, "The selected regions do not fit a minidump's MemoryList (it must stay under 4 GiB). "
                 "Choose \"Every committed readable region\" for a full-memory dump.");
        break;
    default:
        snprintf(text, sizeof text, "The dump to %s failed: %s.\n\nNothing was kept. Press F5 to rescan and try again.",
                 w->req->path, reason);
        break;
    }
    gui_error(owner, text);
}

/* Checks and prepares on the UI thread what the worker needs: flags, the ranges. */
static int prepare(HWND owner, dump_work *w, const uint64_t *addresses, size_t address_count)
{
    char message[600];
    if (w->req->format == DUMP_FORMAT_DBGHELP) {
        if (w->target->kind != PMM_TARGET_PROCESS) {
            gui_error(owner, "dbghelp writes dumps of running processes only: select a process first.");
            return 0;
        }
        if (pmm_dbghelp_parse_flags(w->req->dbghelp_flags, &w->dbghelp_flags, message, sizeof message) != PMM_OK) {
            gui_error(owner, message);
            return 0;
        }
        return 1;
    }
    if (!target_data_source(w->data)) {
        gui_error(owner, "A saved map holds no memory contents, so there is nothing to dump.");
        return 0;
    }
    w->selected = w->req->selection_only && address_count > 0;
    pmm_dump_selection sel = {w->selected ? addresses : NULL, w->selected ? address_count : 0, NULL, NULL};
    if (pmm_dump_select(w->map, &sel, &w->ranges, message, sizeof message) != PMM_OK) {
        gui_error(owner, message);
        return 0;
    }
    if (w->ranges.count == 0 && w->req->format != DUMP_FORMAT_MINIDUMP) {
        gui_error(owner, "None of the selected rows holds committed, readable memory: there is nothing to dump. "
                         "Select other rows, or dump every committed readable region.");
        return 0;
    }
    return 1;
}

pmm_status dump_job_run(HWND owner, const dump_request *req, target_data *data, const uint64_t *addresses,
                        size_t address_count)
{
    dump_work w;
    memset(&w, 0, sizeof w);
    w.req = req;
    w.data = target_data_acquire(data);   /* a refresh during the dump must not take it away */
    w.target = &data->target;
    w.map = data->map;
    pmm_status st = PMM_ERR_ARG;
    if (prepare(owner, &w, addresses, address_count)) {
        st = task_run(owner, "Dumping Memory", req->path, dump_worker, &w);
        if (st != PMM_OK)
            report_failure(owner, &w, st);
        else if (w.detach_failed)
            gui_error(owner, w.message);
        else if (!gui_unattended()) {
            wchar_t text[1100];
            gui_utf8_to_wide(w.message, text, sizeof text / sizeof text[0]);
            MessageBoxW(owner, text, L"ProcessMemoryMap", MB_OK | MB_ICONINFORMATION);
        }
    }
    pmm_dump_ranges_free(&w.ranges);
    target_data_release(w.data);
    return st;
}
