/* The main window's tool windows: Search (Ctrl+F), Strings, Call Stacks (F4) and Integrity (F8),
 * their commands, menu states and unattended runs (--search, --strings, --view
 * stacks|structure|disasm|integrity). */
#include "main_tools.h"

#include <commctrl.h>
#include <stdlib.h>
#include <string.h>
#include "findings_window.h"
#include "gui_util.h"
#include "res/resource.h"
#include "search_window.h"
#include "stacks_window.h"
#include "strings_window.h"

int main_tools_register(HINSTANCE instance)
{
    return search_window_register(instance) && strings_window_register(instance) && stacks_window_register(instance) &&
           disasm_view_register(instance) && findings_window_register(instance);
}

/* ---- what the tool windows need from the main window ---- */

static void go_to(void *ctx, uint64_t address)
{
    main_window *w = ctx;
    if (!w->session.map)
        return;
    if (!main_go_to(w, address)) {
        char message[200];
        snprintf(message, sizeof message, "No region of the map on screen holds 0x%llX (the target changed since the "
                 "search? Press F5 in the main window).", (unsigned long long)address);
        gui_error(w->hwnd, message);
        return;
    }
    SetForegroundWindow(w->hwnd);
    SetFocus(w->list.hwnd);
}

/* Code addresses (a frame's return address, an export, a hit in executable memory) open in the
 * Disassembly tab. */
static void show_code(void *ctx, uint64_t address)
{
    main_window *w = ctx;
    go_to(ctx, address);
    if (w->session.map && main_address_is_code(w, address)) {
        main_details_choose(w, DETAILS_DISASM);
        SetFocus(w->list.hwnd);
    }
}

static void job_done(void *ctx, int ok);

tool_host main_tools_host(main_window *w)
{
    tool_host host = {go_to, show_code, job_done, w};
    return host;
}

static int bring_forward(HWND hwnd)
{
    if (!hwnd || !IsWindow(hwnd))
        return 0;
    ShowWindow(hwnd, SW_SHOWNORMAL);
    SetForegroundWindow(hwnd);
    return 1;
}

static HWND open_search(main_window *w)
{
    if (!w->session.map || bring_forward(w->search))
        return w->search;
    tool_host host = main_tools_host(w);
    w->search = search_window_open(w->hwnd, &host, w->session.data);
    if (!w->search)
        gui_error(w->hwnd, "The search window could not be opened.");
    return w->search;
}

static HWND open_strings(main_window *w)
{
    if (!w->session.map || bring_forward(w->strings))
        return w->strings;
    tool_host host = main_tools_host(w);
    w->strings = strings_window_open(w->hwnd, &host, w->session.data);
    if (!w->strings)
        gui_error(w->hwnd, "The strings window could not be opened.");
    return w->strings;
}

static HWND open_stacks(main_window *w)
{
    if (!w->session.map || bring_forward(w->stacks))
        return w->stacks;
    tool_host host = main_tools_host(w);
    w->stacks = stacks_window_open(w->hwnd, &host, w->session.map);
    if (!w->stacks)
        gui_error(w->hwnd, "The call stacks window could not be opened.");
    return w->stacks;
}

/* Scans the target again with the integrity scan; the Integrity window shows its findings once the
 * new map is on screen. */
static int scan_integrity(main_window *w)
{
    if (!main_start_integrity_scan(w)) {
        gui_error(w->hwnd, "A saved map holds no memory to compare with the files: open the process or a minidump "
                           "and press F8.");
        return 0;
    }
    if (w->findings && IsWindow(w->findings))
        findings_window_set_scanning(w->findings, 1);
    return 1;
}

static int has_findings(const pmm_map *map)
{
    return map && (map->integrity.summary.flags & PMM_INTEGRITY_SCANNED);
}

/* F8: the Integrity window; a map that has no findings yet (and has bytes) is scanned again with
 * the integrity scan. */
static HWND open_findings(main_window *w)
{
    if (!w->session.map || bring_forward(w->findings))
        return w->findings;
    tool_host host = main_tools_host(w);
    w->findings = findings_window_open(w->hwnd, &host, w->session.data);
    if (!w->findings) {
        gui_error(w->hwnd, "The integrity window could not be opened.");
        return NULL;
    }
    if (!has_findings(w->session.map) && w->session.source)
        scan_integrity(w);
    return w->findings;
}

int main_tools_command(main_window *w, int id)
{
    switch (id) {
    case ID_SEARCH_FIND: open_search(w); return 1;
    case ID_SEARCH_STRINGS: open_strings(w); return 1;
    case ID_VIEW_CALL_STACKS: open_stacks(w); return 1;
    case ID_VIEW_INTEGRITY: open_findings(w); return 1;
    case ID_VIEW_INTEGRITY_SCAN: scan_integrity(w); return 1;
    case ID_VIEW_DETAILS_HEX: main_details_choose(w, 0); return 1;
    case ID_VIEW_DETAILS_STRUCT: main_details_choose(w, 1); return 1;
    case ID_VIEW_DETAILS_DISASM: main_details_choose(w, DETAILS_DISASM); return 1;
    case ID_VIEW_DETAILS_TOGGLE: main_details_choose(w, -1); return 1;
    case ID_VIEW_FOLLOW_POINTER:
        if (w->session.map && !main_go_to(w, w->details_follow))
            MessageBeep(MB_ICONWARNING);   /* no region holds it: nothing to show */
        return 1;
    case ID_VIEW_HEX:
        main_details_choose(w, 0);   /* the hex view must be the pane shown; main_command does the rest */
        return 0;
    }
    return 0;
}

void main_tools_init_menu(main_window *w, HMENU menu)
{
    const pmm_map *map = w->session.map;
    UINT has_map = map ? MF_ENABLED : MF_GRAYED;
    UINT has_bytes = w->session.source ? MF_ENABLED : MF_GRAYED;
    EnableMenuItem(menu, ID_SEARCH_FIND, has_bytes);
    EnableMenuItem(menu, ID_SEARCH_STRINGS, has_bytes);
    EnableMenuItem(menu, ID_VIEW_CALL_STACKS, has_map);
    EnableMenuItem(menu, ID_VIEW_INTEGRITY, has_map);
    static const UINT panes[] = {ID_VIEW_DETAILS_HEX, ID_VIEW_DETAILS_STRUCT, ID_VIEW_DETAILS_DISASM};
    int shown = main_details_pane(w);
    for (int i = DETAILS_HEX; i <= DETAILS_DISASM; i++)
        CheckMenuItem(menu, panes[i], MF_BYCOMMAND | (i == shown ? MF_CHECKED : MF_UNCHECKED));
}

void main_tools_map_changed(main_window *w)
{
    if (w->search && IsWindow(w->search))
        search_window_set_target(w->search, w->session.data);
    if (w->strings && IsWindow(w->strings))
        strings_window_set_target(w->strings, w->session.data);
    if (w->stacks && IsWindow(w->stacks))
        stacks_window_reload(w->stacks, w->session.map);
    if (w->findings && IsWindow(w->findings))
        findings_window_set_target(w->findings, w->session.data);
}

void main_tools_scan_stopped(main_window *w)
{
    if (w->findings && IsWindow(w->findings))
        findings_window_set_scanning(w->findings, 0);
}

void main_tools_destroy(main_window *w)
{
    HWND *windows[] = {&w->search, &w->strings, &w->stacks, &w->findings};
    for (size_t i = 0; i < sizeof windows / sizeof windows[0]; i++) {
        if (*windows[i] && IsWindow(*windows[i]))
            DestroyWindow(*windows[i]);
        *windows[i] = NULL;
    }
    main_details_destroy(w);
}

/* ---- unattended runs ---- */

static void job_done(void *ctx, int ok)
{
    main_window *w = ctx;
    if (!w->tools_waiting)
        return;
    w->tools_waiting = 0;
    if (ok && w->options.search_more && w->options.view == VIEW_SEARCH) {
        /* --search-more: as a user pressing More; its end comes back here. */
        char message[300];
        w->options.search_more = 0;
        w->tools_waiting = search_window_more(w->search, message, sizeof message);
        if (!w->tools_waiting) {
            gui_error(w->hwnd, message);
            ok = 0;
        }
    }
    if (w->tools_waiting)
        return;
    if (!ok) {
        w->exit_code = 1;
        DestroyWindow(w->hwnd);
        return;
    }
    main_unattended_write(w);
}

static int start_search(main_window *w, char *message, size_t cap)
{
    if (!open_search(w)) {
        snprintf(message, cap, "The search window could not be opened.");
        return -1;
    }
    char *text = gui_wide_to_utf8_alloc(w->options.search_text);
    char *kind = w->options.search_kind ? gui_wide_to_utf8_alloc(w->options.search_kind) : NULL;
    if (w->options.search_max)
        search_window_set_max(w->search, w->options.search_max);
    int ok = text && search_window_start(w->search, kind ? kind : "ansi", text, message, cap);
    free(text);
    free(kind);
    w->capture = w->search;
    w->tools_waiting = ok;
    return ok ? 1 : -1;
}

static int start_strings(main_window *w, char *message, size_t cap)
{
    if (!open_strings(w)) {
        snprintf(message, cap, "The strings window could not be opened.");
        return -1;
    }
    if (w->options.strings_filter)
        strings_window_set_filter(w->strings, w->options.strings_filter);
    int ok = strings_window_start(w->strings, w->options.strings_min, message, cap);
    w->capture = w->strings;
    w->tools_waiting = ok;
    return ok ? 1 : -1;
}

/* --follow FIELD: as a double-click on that pointer field of the structure view. */
static int follow_field(main_window *w, char *message, size_t cap)
{
    char *name = gui_wide_to_utf8_alloc(w->options.struct_follow);
    size_t row = name ? struct_model_find_field(&w->structure.model, name) : (size_t)-1;
    uint64_t target = row == (size_t)-1 ? 0 : struct_model_target(&w->structure.model, row);
    int ok = target && main_go_to(w, target);
    if (!ok)
        snprintf(message, cap, "--follow %s: %s.", name ? name : "?",
                 row == (size_t)-1 ? "no such field in the structure view"
                 : !target ? "not a readable, non-null pointer" : "no region of the map holds its target");
    free(name);
    return ok;
}

/* --view disasm: the --goto address in the Disassembly tab; --follow TEXT double-clicks a line. */
static int open_disasm(main_window *w, char *message, size_t cap)
{
    main_details_choose(w, DETAILS_DISASM);
    w->details_height = gui_scale(440, w->dpi);
    main_layout(w);
    ListView_EnsureVisible(w->list.hwnd, (int)region_list_focused(&w->list), FALSE);   /* the row shown */
    w->capture = w->hwnd;
    if (!w->options.struct_follow)
        return 1;
    char *text = gui_wide_to_utf8_alloc(w->options.struct_follow);
    int ok = text && disasm_view_follow_text(&w->disasm, text);
    if (!ok)
        snprintf(message, cap, "--follow %s: no line on screen from the cursor starts with it and has a target.",
                 text ? text : "?");
    free(text);
    return ok ? 1 : -1;
}

int main_tools_unattended_scan(main_window *w)
{
    if (w->options.view != VIEW_INTEGRITY || w->integrity_requested || has_findings(w->session.map) ||
        !w->session.source)
        return 0;
    w->integrity_requested = 1;   /* once: a scan that brings no findings must not loop */
    return main_start_integrity_scan(w);
}

int main_tools_open_view(main_window *w, char *message, size_t cap)
{
    switch (w->options.view) {
    case VIEW_SEARCH:
        if (!w->options.search_text) {
            snprintf(message, cap, "--view search needs --search TEXT.");
            return -1;
        }
        return start_search(w, message, cap);
    case VIEW_STRINGS:
        return start_strings(w, message, cap);
    case VIEW_STACKS:
        if (!open_stacks(w)) {
            snprintf(message, cap, "The call stacks window could not be opened.");
            return -1;
        }
        w->capture = w->stacks;
        return 1;
    case VIEW_INTEGRITY:
        if (!open_findings(w)) {
            snprintf(message, cap, "The integrity window could not be opened.");
            return -1;
        }
        if (w->options.finding && !findings_window_activate(w->findings, w->options.finding - 1)) {
            snprintf(message, cap, "--finding %u: the Integrity window has no row %u with an address.",
                     w->options.finding, w->options.finding);
            return -1;
        }
        w->capture = w->findings;
        return 1;
    case VIEW_STRUCTURE:
        if (w->options.struct_follow && !follow_field(w, message, cap))
            return -1;
        if (!struct_view_has_structure(&w->structure)) {
            snprintf(message, cap, "--view structure: no known structure starts at the --goto address.");
            return -1;
        }
        main_details_choose(w, DETAILS_STRUCTURE);
        /* Room for a structure's first two dozen fields (the layout keeps the list's minimum). */
        w->details_height = gui_scale(440, w->dpi);
        main_layout(w);
        w->capture = w->hwnd;
        return 1;
    case VIEW_DISASM:
        return open_disasm(w, message, cap);
    default:
        return 0;
    }
}

int main_tools_write_view(main_window *w, FILE *f)
{
    switch (w->options.view) {
    case VIEW_SEARCH: return search_window_write_text(w->search, f);
    case VIEW_STRINGS: return strings_window_write_text(w->strings, f);
    case VIEW_STACKS: return stacks_window_write_text(w->stacks, f);
    case VIEW_INTEGRITY:   /* after --finding, what the main window shows: the hex view at its address */
        return w->options.finding ? -2 : findings_window_write_text(w->findings, f);
    case VIEW_STRUCTURE: return struct_view_write_text(&w->structure, f);
    case VIEW_DISASM: return disasm_view_write_text(&w->disasm, f);
    default: return -2;
    }
}
