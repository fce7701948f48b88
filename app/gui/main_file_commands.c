#include "main_file_commands.h"

#include <commctrl.h>
#include <commdlg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compare_window.h"
#include "core/formats/saved_map.h"
#include "dump_dialog.h"
#include "dump_job.h"
#include "dump_selection.h"
#include "goto_dialog.h"
#include "core/util/output_name.h"
#include "gui_util.h"
#include "map_snapshot.h"
#include "res/resource.h"
#include "task_progress.h"

#define SAVED_MAP_FILTER L"Saved maps (*.pmm)\0*.pmm\0All files (*.*)\0*.*\0"

/* "notepad.exe-1234": a file name for what the window shows. */
static void default_name(const main_window *w, char *buf, size_t cap)
{
    const pmm_map *map = w->session.map;
    const char *name = map && map->target.name[0] ? map->target.name : "process";
    snprintf(buf, cap, "%s-%u", name, map ? (unsigned)map->target.pid : 0u);
}

/* A file chosen with the common dialog, as UTF-8 (free() it); NULL when cancelled. */
static char *pick_file(HWND owner, int save, const char *suggested, const wchar_t *title)
{
    wchar_t path[MAX_PATH * 2] = L"";
    if (suggested)
        gui_utf8_to_wide(suggested, path, MAX_PATH * 2);
    OPENFILENAMEW ofn = {0};
    ofn.lStructSize = sizeof ofn;
    ofn.hwndOwner = owner;
    ofn.lpstrFilter = SAVED_MAP_FILTER;
    ofn.lpstrFile = path;
    ofn.nMaxFile = MAX_PATH * 2;
    ofn.lpstrDefExt = L"pmm";
    ofn.lpstrTitle = title;
    ofn.Flags = OFN_PATHMUSTEXIST | OFN_HIDEREADONLY | (save ? OFN_OVERWRITEPROMPT : OFN_FILEMUSTEXIST);
    if (!(save ? GetSaveFileNameW(&ofn) : GetOpenFileNameW(&ofn)))
        return NULL;
    char *chosen = gui_wide_to_utf8_alloc(path), why[1200];
    if (chosen && save && pmm_output_name_check(chosen, why, sizeof why) != 0) {
        gui_error(owner, why);
        free(chosen);
        return NULL;
    }
    return chosen;
}

/* Checksums every committed page of the map in data through its source (borrowed from the window). */
static pmm_status compute_sums(gui_job *job, target_data *data, pmm_page_sums *sums, char *message, size_t cap)
{
    pmm_status st = pmm_page_sums_compute(target_data_source(data), data->map, gui_job_report, job, sums);
    if (st != PMM_OK && st != PMM_ERR_CANCELLED)
        snprintf(message, cap, "the page checksums could not be computed: %s%s", pmm_status_text(st),
                 st == PMM_ERR_GONE ? " (the process exited)" : "");
    return st;
}

/* ---- Save Map ---- */

typedef struct save_work {
    const char *path;
    target_data *data;           /* the map on screen and its source, borrowed */
    int with_sums;
    char message[1400];
} save_work;

static pmm_status save_worker(gui_job *job, void *ctx)
{
    save_work *s = ctx;
    pmm_page_sums sums;
    memset(&sums, 0, sizeof sums);
    pmm_status st = s->with_sums ? compute_sums(job, s->data, &sums, s->message, sizeof s->message) : PMM_OK;
    if (st == PMM_OK && gui_job_cancelled(job))
        st = PMM_ERR_CANCELLED;
    if (st == PMM_OK)
        st = pmm_saved_map_save(s->path, s->data->map, &sums, s->message, sizeof s->message);
    pmm_page_sums_free(&sums);
    return st;
}

/* Saves the map on screen to path (UTF-8), holding a reference so a refresh meanwhile cannot pull
 * it away; with_sums also checksums every committed page (as pmm save --checksums). */
static pmm_status save_map_to(main_window *w, const char *path, int with_sums)
{
    save_work s;
    memset(&s, 0, sizeof s);
    s.path = path;
    s.data = target_session_share(&w->session);
    s.with_sums = with_sums && target_data_source(s.data);
    pmm_status st = task_run(w->hwnd, "Saving the Map", path, save_worker, &s);
    target_data_release(s.data);
    if (st == PMM_ERR_CANCELLED) {
        gui_error(w->hwnd, "Saving was cancelled; nothing was written.");
    } else if (st != PMM_OK) {
        char text[1800];
        snprintf(text, sizeof text, "The map could not be saved to %s: %s.\n\nNothing was written there. Check that "
                 "the folder exists, that the disk is not full and that you may write to it (or choose another "
                 "folder), then save again.", path, s.message[0] ? s.message : pmm_status_text(st));
        gui_error(w->hwnd, text);
    }
    return st;
}

static void save_map(main_window *w, int with_sums)
{
    if (!w->session.map)
        return;
    char name[300];
    default_name(w, name, sizeof name);
    char *path = pick_file(w->hwnd, 1, name, with_sums ? L"Save Map with Page Checksums" : L"Save Map");
    if (path)
        save_map_to(w, path, with_sums);
    free(path);
}

/* ---- Compare ---- */

typedef struct compare_work {
    const char *old_path, *new_path;     /* new_path NULL: the map on screen (current) is the new side */
    pmm_map *current;                    /* a copy: the compare view keeps it */
    target_data *data;                   /* the map on screen and its source, to checksum its pages */
    compare_result result;
    char message[1400];
} compare_work;

static pmm_status load_side(compare_work *c, const char *path, pmm_map **map, pmm_page_sums *sums)
{
    char reason[1000];
    pmm_status st = pmm_saved_map_load(path, map, sums, reason, sizeof reason);
    if (st != PMM_OK)
        snprintf(c->message, sizeof c->message, "%s could not be read as a saved map: %s.\n\nChoose a file written by "
                 "File > Save Map or pmm save.", path, reason);
    return st;
}

static pmm_status compare_worker(gui_job *job, void *ctx)
{
    compare_work *c = ctx;
    compare_result *r = &c->result;
    gui_job_report(job, 0, 3);
    pmm_status st = load_side(c, c->old_path, &r->old_map, &r->old_sums);
    if (st != PMM_OK || gui_job_report(job, 1, 3))
        return st != PMM_OK ? st : PMM_ERR_CANCELLED;
    if (c->new_path) {
        st = load_side(c, c->new_path, &r->new_map, &r->new_sums);
    } else {
        r->new_map = c->current;
        c->current = NULL;
        /* As pmm diff does: pages are compared when the saved side has checksums. */
        if (r->old_sums.present && target_data_source(c->data))
            st = compute_sums(job, c->data, &r->new_sums, c->message, sizeof c->message);
    }
    if (st != PMM_OK || gui_job_report(job, 2, 3))
        return st != PMM_OK ? st : PMM_ERR_CANCELLED;
    st = pmm_map_diff_compute(r->old_map, &r->old_sums, r->new_map, &r->new_sums, &r->diff);
    if (st != PMM_OK)
        snprintf(c->message, sizeof c->message, "Not enough memory to compare the maps. Close other programs and try "
                 "again.");
    gui_job_report(job, 3, 3);
    return st;
}

static int go_to_address(void *ctx, uint64_t addr)
{
    main_window *w = ctx;
    if (!w->session.map || !main_go_to(w, addr))
        return 0;
    SetForegroundWindow(w->hwnd);
    return 1;
}

static void describe_current(const main_window *w, char *buf, size_t cap)
{
    const pmm_map *map = w->session.map;
    const char *path = w->session.data->target.path;
    if (path)
        snprintf(buf, cap, "%s (%s, as shown now)", path, map->target.name);
    else
        snprintf(buf, cap, "%s, PID %u (the map shown now)", map->target.name[0] ? map->target.name : "?",
                 (unsigned)map->target.pid);
}

/* Compares old_path with new_path, or with the map on screen when new_path is NULL, and opens the
 * compare view. Returns 0 (after saying why) when it could not. */
static int compare_files(main_window *w, const char *old_path, const char *new_path)
{
    compare_work c;
    memset(&c, 0, sizeof c);
    c.old_path = old_path;
    c.new_path = new_path;
    if (!new_path && (!w->session.map || map_snapshot_copy(w->session.map, &c.current, c.message,
                                                           sizeof c.message) != PMM_OK)) {
        gui_error(w->hwnd, w->session.map ? "Not enough memory to compare the maps." : "Open a process first.");
        return 0;
    }
    c.data = new_path ? NULL : target_session_share(&w->session);
    pmm_status st = task_run(w->hwnd, "Comparing Maps", old_path, compare_worker, &c);
    target_data_release(c.data);
    pmm_map_free(c.current);
    if (st != PMM_OK) {
        if (st != PMM_ERR_CANCELLED)
            gui_error(w->hwnd, c.message[0] ? c.message : pmm_status_text(st));
        compare_result_free(&c.result);
        return 0;
    }
    snprintf(c.result.old_name, sizeof c.result.old_name, "%s", old_path);
    if (new_path)
        snprintf(c.result.new_name, sizeof c.result.new_name, "%s", new_path);
    else
        describe_current(w, c.result.new_name, sizeof c.result.new_name);
    if (w->compare && IsWindow(w->compare))
        DestroyWindow(w->compare);
    w->compare = compare_window_open(w->hwnd, &c.result, go_to_address, w);
    if (!w->compare) {
        gui_error(w->hwnd, "The compare window could not be opened.");
        return 0;
    }
    return 1;
}

static void compare_with_saved(main_window *w)
{
    if (!w->session.map)
        return;
    char *old_path = pick_file(w->hwnd, 0, NULL, L"Compare with Saved Map (the older map)");
    if (old_path)
        compare_files(w, old_path, NULL);
    free(old_path);
}

static void compare_two(main_window *w)
{
    char *old_path = pick_file(w->hwnd, 0, NULL, L"Compare Two Saved Maps: the older map");
    char *new_path = old_path ? pick_file(w->hwnd, 0, NULL, L"Compare Two Saved Maps: the newer map") : NULL;
    if (new_path)
        compare_files(w, old_path, new_path);
    free(old_path);
    free(new_path);
}

/* ---- Dumps ---- */

/* Region starts under the selected rows (the focused row when none is selected). */
static size_t selected_regions(main_window *w, uint64_t **out)
{
    const pmm_map *map = w->session.map;
    *out = NULL;
    int selected = ListView_GetSelectedCount(w->list.hwnd);
    size_t cap = map->region_count ? map->region_count : 1;
    uint64_t *starts = malloc(((size_t)selected + 1) * 2 * sizeof *starts), *bases = malloc(cap * sizeof *bases);
    if (!starts || !bases) {
        free(starts);
        free(bases);
        return 0;
    }
    uint64_t *ends = starts + selected + 1;
    size_t n = 0;
    for (int row = -1; (row = ListView_GetNextItem(w->list.hwnd, row, LVNI_SELECTED)) >= 0 && n < (size_t)selected + 1;)
        n += region_rows_range(&w->rows, (size_t)row, &starts[n], &ends[n]) != 0;
    if (n == 0 && main_focused_address(w, &starts[0]))
        n = region_rows_range(&w->rows, region_list_focused(&w->list), &starts[0], &ends[0]) != 0;
    size_t count = dump_selection_regions(map, starts, ends, n, bases, cap);
    free(starts);
    *out = bases;
    return count;
}

static int can_dump(main_window *w)
{
    if (!w->session.map)
        return 0;
    if (!w->session.source) {
        gui_error(w->hwnd, "A saved map holds no memory contents, so there is nothing to dump. Open the process "
                           "(Ctrl+P) or a minidump (Ctrl+O) to dump its memory.");
        return 0;
    }
    return 1;
}

static void run_dump(main_window *w, const dump_request *req, const uint64_t *bases, size_t count)
{
    dump_job_run(w->hwnd, req, w->session.data, bases, count);
}

/* The next dump is suggested in the folder this one went to (kept in the settings). */
static void remember_dump_folder(main_window *w, const dump_request *req)
{
    char folder[MAX_PATH * 3];
    if (dump_request_folder(req, folder, sizeof folder))
        gui_utf8_to_wide(folder, w->settings.dump_folder, sizeof w->settings.dump_folder / sizeof w->settings.dump_folder[0]);
}

static void dump_dialog_command(main_window *w, dump_format format)
{
    if (!can_dump(w))
        return;
    uint64_t *bases;
    size_t count = selected_regions(w, &bases);
    char name[300], *folder = gui_wide_to_utf8_alloc(w->settings.dump_folder);
    default_name(w, name, sizeof name);
    dump_dialog_facts facts = {count, w->session.data->target.kind == PMM_TARGET_PROCESS, name, folder};
    dump_request req;
    memset(&req, 0, sizeof req);
    req.format = format;
    req.selection_only = format != DUMP_FORMAT_MINIDUMP && count > 0;
    if (dump_dialog_run(w->hwnd, &facts, &req)) {
        remember_dump_folder(w, &req);
        run_dump(w, &req, bases, count);
    }
    free(folder);
    free(bases);
}

HWND main_file_dump_preview(main_window *w)
{
    uint64_t *bases;
    size_t count = w->session.map ? selected_regions(w, &bases) : 0;
    if (w->session.map)
        free(bases);
    char name[300], *folder = gui_wide_to_utf8_alloc(w->settings.dump_folder);
    default_name(w, name, sizeof name);
    dump_dialog_facts facts = {count, w->current_target.kind == PMM_TARGET_PROCESS, name, folder};
    dump_request req;
    memset(&req, 0, sizeof req);
    req.format = DUMP_FORMAT_SINGLE;
    req.selection_only = count > 0;
    HWND dialog = dump_dialog_open_preview(w->hwnd, &facts, &req);
    free(folder);
    return dialog;
}

/* Saving, comparing and dumping need the finished map, not a scan's preview. */
static int map_finished(main_window *w)
{
    if (!w->showing_preview)
        return 1;
    gui_error(w->hwnd, "The scan has not finished: the list shows only the regions walked so far. Wait for it to "
                       "finish (or press F5 to scan again).");
    return 0;
}

int main_file_command(main_window *w, int id)
{
    int needs_map = id == ID_FILE_SAVE_MAP || id == ID_FILE_SAVE_MAP_SUMS || id == ID_FILE_COMPARE_SAVED ||
                    id == ID_FILE_DUMP_REGIONS || id == ID_FILE_WRITE_MINIDUMP;
    if (needs_map && !map_finished(w))
        return 1;
    switch (id) {
    case ID_FILE_SAVE_MAP: save_map(w, 0); return 1;
    case ID_FILE_SAVE_MAP_SUMS: save_map(w, 1); return 1;
    case ID_FILE_COMPARE_SAVED: compare_with_saved(w); return 1;
    case ID_FILE_COMPARE_TWO: compare_two(w); return 1;
    case ID_FILE_DUMP_REGIONS: dump_dialog_command(w, DUMP_FORMAT_SINGLE); return 1;
    case ID_FILE_WRITE_MINIDUMP: dump_dialog_command(w, DUMP_FORMAT_MINIDUMP); return 1;
    }
    return 0;
}

/* ---- unattended ---- */

static int unattended_dump(main_window *w)
{
    if (!can_dump(w))
        return 0;
    dump_request req;
    memset(&req, 0, sizeof req);
    req.format = (dump_format)w->options.dump_format;
    req.attach_debug = w->options.dump_attach_debug;
    snprintf(req.path, sizeof req.path, "%s", w->options.dump_to);
    snprintf(req.dbghelp_flags, sizeof req.dbghelp_flags, "%s",
             w->options.dbghelp_flags ? w->options.dbghelp_flags : "MiniDumpWithFullMemory");
    uint64_t *bases = NULL, addr;
    char message[400] = "";
    /* --goto selects the row to dump (the view applies it again later, to the same row). */
    if (w->options.goto_text) {
        if (!goto_resolve(&w->session, w->options.goto_text, &addr, message, sizeof message) || !main_go_to(w, addr)) {
            gui_error(w->hwnd, message[0] ? message : "--goto: no region of this map holds that address.");
            return 0;
        }
    }
    size_t count = w->options.goto_text ? selected_regions(w, &bases) : 0;
    req.selection_only = count > 0;
    pmm_status st = dump_job_run(w->hwnd, &req, w->session.data, bases, count);
    free(bases);
    return st == PMM_OK;
}

int main_file_unattended(main_window *w)
{
    main_options *o = &w->options;
    if (o->save_map && save_map_to(w, o->save_map, o->save_map_sums) != PMM_OK)
        return 0;
    if (o->compare_old && !compare_files(w, o->compare_old, o->compare_new))
        return 0;
    if (o->dump_to && !unattended_dump(w))
        return 0;
    return 1;
}
