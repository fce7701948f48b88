/* The frame: summary and target panes on top, the region list, a splitter, the hex view of the
 * selected row, and a status bar with the scan's progress and a Cancel button; menus,
 * accelerators and the row context menu route here. The window owns the target session (map and
 * source on screen) and the scan job that makes the next. */
#ifndef PMM_GUI_MAIN_WINDOW_H
#define PMM_GUI_MAIN_WINDOW_H

#include <windows.h>
#include <stdint.h>

/* The view an unattended run shows, captures (--screenshot) and writes out (--dump-view). */
typedef enum main_view { VIEW_MAIN, VIEW_HEX, VIEW_EXPORTS, VIEW_PROPERTIES, VIEW_COMPARE, VIEW_DUMP_DIALOG,
                         VIEW_SEARCH, VIEW_STRINGS, VIEW_STACKS, VIEW_STRUCTURE, VIEW_GRAPHS,
                         VIEW_FRAGMENTATION, VIEW_PROCESSES, VIEW_OPTIONS, VIEW_DISASM, VIEW_INTEGRITY,
                         VIEW_KDUMP_PROCESSES } main_view;

#define MAIN_MAX_POINTS 32

typedef struct main_options {
    uint32_t pid;
    int has_pid;
    char *dump_path;               /* UTF-8 minidump or saved map to open instead of a process (allocated) */
    char *kdump_process;           /* --process PID|NAME|kernel: which address space of a kernel dump (allocated) */
    char *kdump_pick;              /* --pick TEXT: unattended, typed in the kernel dump's process picker, then OK */
    const wchar_t *screenshot;     /* unattended: capture the view to this BMP, then exit */
    const wchar_t *dump_rows;      /* unattended: write the list's rows to this file, then exit */
    const wchar_t *dump_view;      /* unattended: write the view's text to this file, then exit */
    uint32_t filter;               /* region_rows filter to start with (REGION_FILTER_ALL) */
    int expand_all;
    int hide_free;
    main_view view;
    char *goto_text;               /* --goto / --hex: address or export to go to (allocated) */
    uint64_t hex_select;           /* --hex-select N: select N bytes of the hex view from the go-to address */
    char *find_text;               /* --find: text for the exports window's find box (allocated) */
    int refresh;                   /* --refresh: scan once more before the view, to show what changed */
    const wchar_t *search_text;    /* --search TEXT: run it in the Search window (view search) */
    const wchar_t *search_kind;    /* --search-kind KIND: ansi (default), ansi-nocase, utf16, hex, int32, ... */
    unsigned strings_min;          /* --strings N: list strings of at least N characters (view strings) */
    const wchar_t *search_max;     /* --search-max N: the Max results box */
    int search_more;               /* --search-more: press More once the first search stopped at the cap */
    const wchar_t *strings_filter; /* --strings-filter TEXT: the Strings window's filter box */
    const wchar_t *struct_follow;  /* --follow FIELD: with --view structure, follow that pointer field;
                                      with --view disasm, the first line starting with FIELD that has a target */
    unsigned finding;              /* --finding N: open the Integrity window's row N (from 1) as Enter does */
    char *save_map;                /* --save-map FILE: save the map there (UTF-8, allocated) */
    int save_map_sums;             /* --save-map-checksums: with page checksums */
    char *compare_old, *compare_new;   /* --compare OLD / --compare-two OLD NEW: saved maps (allocated) */
    char *dump_to;                 /* --dump-to PATH: dump the --goto row's regions (or all) there (allocated) */
    int dump_format;               /* --dump-format: dump_format (dump_dialog.h); -1 none */
    char *dbghelp_flags;           /* --dbghelp-flags: MINIDUMP_TYPE for --dump-format dbghelp (allocated) */
    int dump_attach_debug;         /* --dump-attach-debug: attach as a debugger during --dump-to */
    const wchar_t *hover[MAIN_MAX_POINTS];   /* --hover ADDRESS: point at its cell in the Fragmentation view */
    int hover_count;
    const wchar_t *click;          /* --click ADDRESS: click its cell in the Fragmentation view */
    const wchar_t *click_graph;    /* --click-graph GRAPH:TYPE: click that segment of the graphs */
    char *symbol_path;             /* --symbols PATH: where PDBs are (UTF-8, allocated); else Options, _NT_SYMBOL_PATH */
    int use_settings;              /* --use-settings: an unattended run reads the saved settings (never writes) */
    int reset_layout;              /* --reset-layout: forget the remembered layout and exit */
    const wchar_t *scan_log;       /* --scan-log FILE: what the scan showed when (previews, rows, cancel) */
    unsigned cancel_after_rows;    /* --cancel-after-rows N: press Cancel once the list shows N rows (0: never) */
} main_options;

int main_window_register(HINSTANCE instance);
/* Creates and shows the main window; NULL on failure. */
HWND main_window_create(HINSTANCE instance, const main_options *options, int show);
/* Routes keys of the main window's accelerators; returns 1 when msg was one. */
int main_window_translate(HWND main, HACCEL accelerators, MSG *msg);

#endif
