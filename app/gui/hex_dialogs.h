/* The hex view's two small dialogs: Find in View (text, text ignoring case, UTF-16 or hex bytes
 * with ??, compiled with the search engine's pattern compiler, so a malformed pattern is refused
 * in the dialog with the engine's reason) and Go to Offset (hexadecimal, within the range). */
#ifndef PMM_GUI_HEX_DIALOGS_H
#define PMM_GUI_HEX_DIALOGS_H

#include <windows.h>
#include <stdint.h>
#include "core/tools/search_pattern.h"

typedef enum hex_find_kind { HEX_FIND_TEXT, HEX_FIND_TEXT_NOCASE, HEX_FIND_UTF16, HEX_FIND_HEX } hex_find_kind;

/* Compiles text (UTF-8) as kind. Returns 1, or 0 with the reason in message. */
int hex_find_compile(const char *text, int kind, pmm_search_pattern *pattern, char *message, size_t cap);
/* Asks what to find (text and kind start as given and keep what was typed). On OK, *pattern is
 * the compiled pattern (the caller frees it) and 1 is returned. */
int hex_find_dialog_run(HWND owner, wchar_t *text, size_t cap, int *kind, pmm_search_pattern *pattern);
/* Asks for an offset below length (hexadecimal, 0x optional). Returns 1 with *offset on OK. */
int hex_offset_dialog_run(HWND owner, uint64_t length, uint64_t current, uint64_t *offset);

#endif
