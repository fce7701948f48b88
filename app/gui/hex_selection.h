/* The hex view's cursor and byte selection, and what copying a selection puts on the clipboard.
 * The selection runs from an anchor to the cursor (both ends included) and stays inside the range
 * the view shows. Copies read through the hex model, so unreadable bytes are known as such: as
 * hex they are "??", and a copy as text or as a C array, which cannot say "unknown", is refused
 * with the address of the first one. Plain C, no windows. */
#ifndef PMM_GUI_HEX_SELECTION_H
#define PMM_GUI_HEX_SELECTION_H

#include <stddef.h>
#include <stdint.h>
#include "core/util/status.h"
#include "hex_model.h"

/* A copy larger than this is refused: the clipboard is not a dump (File > Dump is). */
#define HEX_COPY_MAX_BYTES (16u * 1024u * 1024u)

typedef struct hex_selection {
    uint64_t start, end;         /* the range the view shows, [start, end) */
    uint64_t anchor, cursor;     /* inside the range when it is not empty */
} hex_selection;

typedef enum hex_copy_format {
    HEX_COPY_HEX,                /* "4D 5A 90 00", 16 bytes a line, unreadable bytes as "??" */
    HEX_COPY_TEXT,               /* the text column: printable ASCII, other bytes as '.' */
    HEX_COPY_C_ARRAY             /* unsigned char data[N] = { 0x4D, 0x5A, ... }; */
} hex_copy_format;

/* A new range; cursor and anchor at addr (clamped into it). */
void hex_selection_reset(hex_selection *s, uint64_t start, uint64_t end, uint64_t addr);
/* Moves the cursor to addr (clamped); the anchor follows unless extend is set. */
void hex_selection_move_to(hex_selection *s, uint64_t addr, int extend);
/* Moves the cursor by delta bytes, stopping at the range's ends. */
void hex_selection_move_by(hex_selection *s, int64_t delta, int extend);
void hex_selection_select_all(hex_selection *s);
/* First selected address and the number of selected bytes (0 when the range is empty). */
uint64_t hex_selection_first(const hex_selection *s);
uint64_t hex_selection_length(const hex_selection *s);
int hex_selection_contains(const hex_selection *s, uint64_t addr);

/* The selected bytes as text in format, in a new NUL-terminated string (free() it). On failure
 * NULL, and message says why: more than HEX_COPY_MAX_BYTES, unreadable bytes in a text or C
 * array copy, out of memory. */
char *hex_selection_copy(const hex_selection *s, hex_model *m, hex_copy_format format, char *message, size_t cap);

#endif
