/* A list view's column widths, remembered between runs under a name (settings.h): widths the user
 * set (by dragging or double-clicking a divider) are saved when the list is destroyed and replace
 * the defaults the next time a list of that name is attached. */
#ifndef PMM_GUI_COLUMN_MEMORY_H
#define PMM_GUI_COLUMN_MEMORY_H

#include <windows.h>
#include <stdio.h>

/* Call once the columns are inserted. name: a short constant ("search", "exports", ...). */
void column_memory_attach(HWND list, const char *name);
/* "# columns W1 W2 ...": the list's column widths at 96 DPI, as the settings keep them (tests). */
int column_memory_write(HWND list, FILE *f);

#endif
