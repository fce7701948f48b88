/* "Go to Address" (Ctrl+G): asks for an address (hex, with or without 0x, WinDbg's ` separator
 * allowed), or a function or export (name or module!name, from any symbols the modules have) and
 * returns the address. */
#ifndef PMM_GUI_GOTO_DIALOG_H
#define PMM_GUI_GOTO_DIALOG_H

#include <windows.h>
#include <stdint.h>
#include "target_session.h"

/* Returns 1 and sets *addr when the user gave a usable address, 0 when cancelled. */
int goto_dialog_run(HWND owner, target_session *session, uint64_t *addr);
/* The same resolution without the dialog (for --goto): 1 on success, else 0 with why in message. */
int goto_resolve(target_session *session, const char *text, uint64_t *addr, char *message, size_t cap);

#endif
