/* The structure view of the details pane: when the selected address holds a known structure
 * (struct_pick), its fields decoded with the engine's tables (struct_model) in an owner-data list:
 * Field, Offset, Type, Value, one heading row per structure; activating a pointer field follows
 * it. Reads through the caller's source on the UI thread (a structure is a few hundred bytes). */
#ifndef PMM_GUI_STRUCT_VIEW_H
#define PMM_GUI_STRUCT_VIEW_H

#include <windows.h>
#include <commctrl.h>
#include <stdio.h>
#include "struct_model.h"

typedef struct struct_view {
    HWND hwnd;
    struct_model model;
    HFONT bold_font;             /* borrowed */
    UINT dpi;
    uint64_t address;            /* what is shown; valid when model has rows */
    char note[320];              /* shown as the only row when there is no structure */
} struct_view;

HWND struct_view_create(struct_view *v, HWND parent, int id, UINT dpi);
void struct_view_free(struct_view *v);
/* Decodes what starts at address (then, when nothing does, at fallback). Returns 1 when a
 * structure is shown, 0 when the view is now empty. src NULL: nothing can be decoded. */
int struct_view_show(struct_view *v, const pmm_map *map, pmm_source *src, uint64_t address, uint64_t fallback);
int struct_view_has_structure(const struct_view *v);
void struct_view_set_fonts(struct_view *v, UINT dpi, HFONT font, HFONT bold_font);
/* The Value column takes the width the others leave in a view width pixels wide. */
void struct_view_fit(struct_view *v, int width);
/* Handles the list's notifications; returns 1 (with *result) when hdr was its. *follow is set to
 * the address a pointer field points at when the user activated it (double-click, Enter), else 0. */
int struct_view_notify(struct_view *v, NMHDR *hdr, LRESULT *result, uint64_t *follow);
/* The title and the rows, for tests (--dump-view). */
int struct_view_write_text(const struct_view *v, FILE *f);

#endif
