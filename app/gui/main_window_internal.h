/* The main window's state, shared by its files: main_window.c (window procedure, layout, scans),
 * main_commands.c (menu and context-menu commands) and main_unattended.c (--screenshot and
 * --dump-* runs). Nothing outside the main window includes this. */
#ifndef PMM_GUI_MAIN_WINDOW_INTERNAL_H
#define PMM_GUI_MAIN_WINDOW_INTERNAL_H

#include <windows.h>
#include <stdio.h>
#include "disasm_view.h"
#include "hex_view.h"
#include "main_window.h"
#include "map_changes.h"
#include "region_list.h"
#include "region_rows.h"
#include "scan_worker.h"
#include "settings.h"
#include "status_bar.h"
#include "struct_view.h"
#include "summary_pane.h"
#include "target_pane.h"
#include "target_session.h"
#include "usage_graphs.h"

#define MAX_RETIRED_JOBS 8
#define TIMER_SCREENSHOT 1

typedef struct main_window {
    HWND hwnd, splitter;
    status_bar status;            /* with the scan's progress bar and Cancel */
    HWND exports;                 /* the exports window, when open */
    HWND properties;              /* the last properties window opened */
    HWND compare;                 /* the last compare view opened */
    usage_graphs graphs;          /* Committed, Private Bytes and Working Set across the top */
    summary_pane summary;
    target_pane target;
    region_list list;
    region_rows rows;
    hex_view hex;
    target_session session;       /* the map on screen and its source; rows, panes and hex borrow them */
    map_changes changes;          /* what the last refresh changed */
    int has_changes;
    gui_job *job;                 /* the scan in progress (scan_worker.h), if any */
    gui_job *retired[MAX_RETIRED_JOBS];   /* cancelled scans still winding down */
    int showing_preview;          /* the list shows a scan's preview (the regions walked so far) */
    FILE *scan_log;               /* --scan-log (main_unattended.c) */
    uint64_t scan_started;        /* microseconds, for the log */
    gui_job *cancelled;           /* the scan Cancel stopped, until its worker has ended (for the log) */
    pmm_target current_target;    /* what is shown or being scanned; F5 scans it again */
    main_options options;
    int options_applied;
    UINT dpi;
    HFONT font, bold_font;
    int details_height;           /* of the hex pane, at the current DPI */
    gui_settings settings;
    int exit_code;
    HWND capture;                 /* unattended: the window to capture */
    /* Search, strings, call stacks and the details pane's structure view (main_tools.c, main_details.c). */
    HWND search, strings, stacks, findings;
    HWND fragmentation;           /* the Fragmentation view (main_pictures.c), when open */
    HWND details_tabs;            /* Hex | Structure above the details pane */
    struct_view structure;
    int prefer_hex;               /* the user chose the Hex tab: do not switch to Structure by itself */
    disasm_view disasm;           /* the details pane's Disassembly tab (main_details.c) */
    int prefer_disasm;            /* the user chose the Disassembly tab: it stays */
    int tools_waiting;            /* unattended: a search or listing runs; its end writes the files */
    int integrity_requested;      /* unattended --view integrity: the integrity scan was started */
    uint64_t details_follow;      /* the pointer field activated in the structure view */
    char symbol_path[1024];       /* UTF-8: --symbols, else Options > Symbol Path, else _NT_SYMBOL_PATH */
} main_window;

/* main_window.c */
/* Starts mapping target (copied); the map replaces what is shown when the scan is done. */
void main_start_scan(main_window *w, const pmm_target *target);
/* Scans the target again with the integrity scan (F8), so the map shown next has its findings; 0
 * when the target has no bytes to compare (a saved map) or no scan could be started. */
int main_start_integrity_scan(main_window *w);
void main_open_process(main_window *w, uint32_t pid);
/* A minidump, a kernel dump or a saved map (UTF-8); a file of no such kind is refused with a
 * message. A kernel dump maps the address space selector names ("kernel", a pid or an image name);
 * without one, the user picks it from the dump's processes (Cancel leaves the window as it was). */
void main_open_file(main_window *w, const char *path, const char *selector);
void main_layout(main_window *w);
void main_update_status(main_window *w);
/* Shows the selected row's range in the hex view. */
void main_show_selection(main_window *w);
/* Selects the region holding addr (expanding and unfiltering as needed) and shows addr in the hex
 * view. Returns 0 when no region holds it. */
int main_go_to(main_window *w, uint64_t addr);

/* The symbol path changed (or was first read): names are looked up again with it; call stacks get it
 * at the next scan. */
void main_symbol_path_changed(main_window *w);
/* Options > Reset the layout: nothing remembered, and the window as on a first run. */
void main_reset_layout(main_window *w);

/* main_commands.c */
/* Returns 1 when id was one of its commands. */
int main_command(main_window *w, int id);
void main_context_menu(main_window *w, int x, int y);
void main_open_exports(main_window *w);
void main_show_properties(main_window *w, uint64_t addr);
/* The address of the focused row (start of its range); 0 when none. */
int main_focused_address(main_window *w, uint64_t *addr);

/* main_unattended.c */
/* The scan is done and shown: apply --goto/--hex/--view, write --dump-*, arrange the capture. */
void main_finish_unattended(main_window *w);
/* The view is open (and its search done): write --dump-rows/--dump-view, arrange the capture. */
void main_unattended_write(main_window *w);
/* --scan-log: one line per event ("start", "preview", "cancel", "stopped", "ended", "done"):
 * milliseconds since the scan started, the list's row count (ListView_GetItemCount), the regions
 * shown and the window's title. */
void main_scan_log(main_window *w, const char *event);
/* After a preview is shown: --cancel-after-rows presses Cancel once the list has that many rows. */
void main_unattended_preview(main_window *w);
/* The cancelled scan's worker has ended: an unattended run that cancelled is over. */
void main_unattended_cancel_ended(main_window *w);
void main_on_screenshot_timer(main_window *w);
/* --view kdump-processes: the picker of the kernel dump at path, captured and written out. */
void main_unattended_kdump_picker(main_window *w, const char *path);

#endif
