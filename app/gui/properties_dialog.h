/* Properties of an address: a modeless window listing what address_info found (region, allocation,
 * annotations, module, symbol), with Copy. It keeps its own copy of the facts, so it stays valid
 * after a refresh replaces the map. */
#ifndef PMM_GUI_PROPERTIES_DIALOG_H
#define PMM_GUI_PROPERTIES_DIALOG_H

#include <windows.h>
#include <stdio.h>
#include "address_info.h"

HWND properties_dialog_open(HWND owner, const address_info *info);
/* The facts as "name: value" lines, for tests (--dump-view). */
int properties_dialog_write_text(HWND hwnd, FILE *f);

#endif
