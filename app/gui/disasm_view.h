/* The details pane's Disassembly tab: the instructions of the selected row's range (disasm_model),
 * one line each (address, bytes, Intel text as `pmm disasm` prints it, branch targets named from
 * the symbols), with a cursor line. Scrolls both ways through the whole range (the scroll bar maps
 * addresses; up re-synchronises from a known boundary). Double-click or Enter on a branch or a
 * rip-relative operand asks the parent to go to its target (DISASM_VIEW_FOLLOW); Backspace goes
 * back to where the last one came from. Unreadable bytes are shown as such, never decoded. */
#ifndef PMM_GUI_DISASM_VIEW_H
#define PMM_GUI_DISASM_VIEW_H

#include <windows.h>
#include <stdio.h>
#include "core/symbols/symbols.h"
#include "disasm_model.h"
#include "line_pane.h"

#define DISASM_VIEW_MAX_LINES 200   /* lines on screen at most */
#define DISASM_VIEW_HISTORY 32

/* WM_NOTIFY code: go to address (a target followed, or back). */
#define DISASM_VIEW_FOLLOW (0U - 1900U)
typedef struct disasm_view_follow {
    NMHDR hdr;
    uint64_t address;
} disasm_view_follow;

/* The symbols of the target (read when first needed); NULL when there are none. */
typedef const pmm_symbols *(*disasm_symbols_fn)(void *ctx);

typedef struct disasm_view {
    line_pane pane;              /* first: the window keeps one pointer for both */
    disasm_model model;
    disasm_symbols_fn symbols;
    void *symbols_ctx;
    uint64_t top;                /* the first line on screen */
    uint64_t cursor;             /* the cursor line's address */
    int has_range;
    char caption[512];           /* UTF-8 */
    pmm_disasm_line lines[DISASM_VIEW_MAX_LINES];   /* on screen, from top */
    size_t line_count;
    uint64_t history[DISASM_VIEW_HISTORY];          /* where followed targets came from */
    size_t history_count;
} disasm_view;

int disasm_view_register(HINSTANCE instance);
/* view must stay at the same address while the window exists (it is the window's data). */
HWND disasm_view_create(disasm_view *view, HWND parent, int id, UINT dpi, hex_read_fn read, void *read_ctx,
                        disasm_symbols_fn symbols, void *symbols_ctx);
/* A new map and source: shows nothing until a range is set. bits: the target's, 32 or 64. */
void disasm_view_set_map(disasm_view *view, const pmm_map *map, uint32_t probe_step, int bits);
/* Shows [start, end) under caption (UTF-8), the cursor on the instruction at focus, a few lines
 * from the top. */
void disasm_view_show(disasm_view *view, uint64_t start, uint64_t end, const char *caption, uint64_t focus);
/* Re-reads the bytes on screen (after a refresh of the same target). */
void disasm_view_reload(disasm_view *view);
void disasm_view_set_fonts(disasm_view *view, UINT dpi, HFONT caption_font);
/* Unattended --follow TEXT: double-clicks the first line from the cursor whose text starts with
 * TEXT and has a target, as a user would. 0 when no line on screen does. */
int disasm_view_follow_text(disasm_view *view, const char *text);
/* Writes the caption, the cursor and the lines on screen as `pmm disasm` prints them (--dump-view). */
int disasm_view_write_text(disasm_view *view, FILE *f);

#endif
