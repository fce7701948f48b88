/* Options > Symbol Path: where PDBs are (symbol_path.h syntax), remembered between runs. */
#ifndef PMM_GUI_SYMBOL_PATH_DIALOG_H
#define PMM_GUI_SYMBOL_PATH_DIALOG_H

#include <windows.h>
#include <stddef.h>

/* Edits path (cap characters) in place; 1 when the user pressed OK. */
int symbol_path_dialog_run(HWND owner, wchar_t *path, size_t cap);

#endif
