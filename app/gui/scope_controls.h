/* The region filters the search and strings windows share (as `pmm search --kind --executable
 * --writable`): Image, Private, Mapped check boxes, "Executable only" and "Skip read-only". */
#ifndef PMM_GUI_SCOPE_CONTROLS_H
#define PMM_GUI_SCOPE_CONTROLS_H

#include <windows.h>
#include "core/tools/search.h"

enum { SCOPE_IMAGE, SCOPE_PRIVATE, SCOPE_MAPPED, SCOPE_EXECUTABLE, SCOPE_WRITABLE, SCOPE_COUNT };

typedef struct scope_controls {
    HWND label;
    HWND boxes[SCOPE_COUNT];
} scope_controls;

/* Creates them with ids first_id..first_id+SCOPE_COUNT-1; the type boxes start checked. */
int scope_controls_create(scope_controls *s, HWND parent, int first_id, HFONT font);
/* Places them in one row at (x, y); returns the row's height. */
int scope_controls_layout(scope_controls *s, int x, int y, UINT dpi);
/* 0 with an explanation in message when no region type is ticked. */
int scope_controls_read(const scope_controls *s, pmm_search_scope *scope, char *message, size_t cap);
void scope_controls_enable(scope_controls *s, int enable);

#endif
