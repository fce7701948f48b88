/* The details pane: a hex view (address, 16 bytes, their text) of one range of the target: the
 * selected allocation, region or annotation. Draws only the lines on screen and asks hex_model for
 * just those bytes, so it scrolls through a whole region without reading it. A caption line says
 * what is shown; the byte at a "go to" address is marked. A status line at the bottom, and a
 * tooltip, name the byte under the mouse (else the marked one): module!function+0x1a [file:line]. */
#ifndef PMM_GUI_HEX_VIEW_H
#define PMM_GUI_HEX_VIEW_H

#include <windows.h>
#include <stdio.h>
#include "hex_model.h"

/* Fills buf with a name for addr ("" for none). */
typedef void (*hex_describe_fn)(void *ctx, uint64_t addr, char *buf, size_t cap);

typedef struct hex_view {
    HWND hwnd;
    hex_model model;
    HFONT font, caption_font;    /* caption_font borrowed from the parent */
    int char_w, line_h;
    UINT dpi;
    uint64_t top_line;
    uint64_t mark;               /* address to highlight; valid when has_mark */
    int has_mark;
    char caption[512];           /* UTF-8 */
    hex_describe_fn describe;    /* names addresses for the status line; NULL: none */
    void *describe_ctx;
    uint64_t hot;                /* the byte under the mouse, when has_hot */
    int has_hot;
    uint64_t status_addr;        /* what status names; valid when status[0] or has_status */
    int has_status;
    char status[600];            /* UTF-8: the name of status_addr */
    HWND tooltip;
} hex_view;

int hex_view_register(HINSTANCE instance);
/* view must stay at the same address while the window exists (it is the window's data). */
HWND hex_view_create(hex_view *view, HWND parent, int id, UINT dpi, hex_read_fn read, void *read_ctx);
/* A new map and source: shows nothing until a range is set. probe_step as in hex_model. */
void hex_view_set_map(hex_view *view, const pmm_map *map, uint32_t probe_step);
/* Shows [start, end) under caption (UTF-8), scrolled so that focus is on screen; marks focus when
 * mark is set. */
void hex_view_show(hex_view *view, uint64_t start, uint64_t end, const char *caption, uint64_t focus, int mark);
/* Re-reads the bytes on screen (after a refresh of the same target). */
void hex_view_reload(hex_view *view);
void hex_view_set_fonts(hex_view *view, UINT dpi, HFONT caption_font);
/* Who names addresses for the status line and tooltip. */
void hex_view_set_describer(hex_view *view, hex_describe_fn fn, void *ctx);
/* Writes the caption, the lines on screen and the status line, as shown, for tests (--dump-view). */
int hex_view_write_text(hex_view *view, FILE *f);

#endif
