/* The details pane: a hex view (address, 16 bytes, their text) of one range of the target: the
 * selected allocation, region or annotation. Draws only the lines on screen and asks hex_model for
 * just those bytes, so it scrolls through a whole region without reading it. A caption line says
 * what is shown. Read-only, as the whole product: a cursor and a byte selection (mouse, arrows with
 * Shift, Ctrl+A), copies as hex, text or a C array (hex_selection), a data inspector for the bytes at
 * the cursor beside the lines (hex_inspector), find within the range (Ctrl+F, F3; hex_find), go
 * to offset (Ctrl+G in the pane) and a status line saying where the cursor is and naming it (or the
 * byte under the mouse, also in a tooltip): module!function+0x1a [file:line]. */
#ifndef PMM_GUI_HEX_VIEW_H
#define PMM_GUI_HEX_VIEW_H

#include <windows.h>
#include <stdio.h>
#include "hex_find.h"
#include "hex_model.h"
#include "hex_selection.h"
#include "line_pane.h"

#define HEX_VIEW_DEFAULT_POINTS 10

/* Fills buf with a name for addr ("" for none). */
typedef void (*hex_describe_fn)(void *ctx, uint64_t addr, char *buf, size_t cap);

typedef struct hex_view {
    line_pane pane;              /* first: the window keeps one pointer for both */
    hex_model model;
    hex_selection sel;           /* cursor and selection inside the range shown */
    int font_points;             /* the bytes' font size (Options); 0: HEX_VIEW_DEFAULT_POINTS */
    uint64_t top_line;
    int dragging;                /* the left button is down: moving the mouse extends the selection */
    int big_endian;              /* the inspector's byte order */
    char caption[512];           /* UTF-8 */
    char note[300];              /* the status line's message (a refused copy, a find's end); cleared by a move */
    /* The last find (Ctrl+F), for F3. */
    pmm_search_pattern pattern;
    int has_pattern;
    wchar_t find_text[256];
    int find_kind;               /* hex_find_kind (hex_dialogs.h) */
    uint64_t find_resume;        /* where a find stopped after its step limit; 0: from the cursor */
    /* The name in the status line and tooltip: of the byte under the mouse, else of the cursor. */
    hex_describe_fn describe;    /* names addresses; NULL: none */
    void *describe_ctx;
    uint64_t hot;                /* the byte under the mouse, when has_hot */
    int has_hot;
    uint64_t status_addr;        /* what status names; valid when has_status */
    int has_status;
    char status[600];            /* UTF-8: the name of status_addr */
    HWND tooltip;
} hex_view;

int hex_view_register(HINSTANCE instance);
/* view must stay at the same address while the window exists (it is the window's data). */
HWND hex_view_create(hex_view *view, HWND parent, int id, UINT dpi, hex_read_fn read, void *read_ctx);
/* A new map and source: shows nothing until a range is set. probe_step as in hex_model. */
void hex_view_set_map(hex_view *view, const pmm_map *map, uint32_t probe_step);
/* Shows [start, end) under caption (UTF-8) with the cursor on focus, scrolled so that it is on
 * screen (a few lines from the top when mark is set: a go-to address, with what leads up to it). */
void hex_view_show(hex_view *view, uint64_t start, uint64_t end, const char *caption, uint64_t focus, int mark);
/* Re-reads the bytes on screen (after a refresh of the same target). */
void hex_view_reload(hex_view *view);
/* The fonts at dpi, the bytes' at view->font_points. */
void hex_view_set_fonts(hex_view *view, UINT dpi, HFONT caption_font);
/* Who names addresses for the status line and tooltip. */
void hex_view_set_describer(hex_view *view, hex_describe_fn fn, void *ctx);
/* Selects count bytes from the cursor on (unattended --hex-select). */
void hex_view_select(hex_view *view, uint64_t count);
/* Puts the selection on the clipboard; says why not in a message box. */
void hex_view_copy(hex_view *view, hex_copy_format format);
/* Keys the pane handles itself even though the main window has accelerators for them (Ctrl+C,
 * Ctrl+A, Ctrl+F, Ctrl+G, F3): 1 when msg is one of them for this view. */
int hex_view_wants_key(const hex_view *view, const MSG *msg);
/* Writes the caption, the lines on screen as shown, the name of the cursor's byte ("status:"), the
 * cursor and selection, the inspector's rows and the selection copied as hex (at most 16 lines),
 * for tests (--dump-view). */
int hex_view_write_text(hex_view *view, FILE *f);

#endif
