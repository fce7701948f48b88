/* The hex view's data inspector: the bytes at the cursor read as each type a user looks for:
 * 8/16/32/64-bit integers (signed and unsigned), float, double, a pointer of the target's width
 * with the region and module it points into, and the ANSI and UTF-16 string starting there.
 * Integers, floats and UTF-16 follow the chosen byte order; the pointer is always the target's
 * own (little-endian). A value that needs a byte that could not be read, or that lies past the
 * end of the range, says so instead of being made up. Plain C, no windows. */
#ifndef PMM_GUI_HEX_INSPECTOR_H
#define PMM_GUI_HEX_INSPECTOR_H

#include <stddef.h>
#include <stdint.h>
#include "core/model/map.h"

/* Bytes the inspector looks at from the cursor on: enough for a string of a useful length. */
#define INSPECT_WINDOW 96
/* Characters of a string's text shown at most before "..." (an escape such as \xF0 counts as the
 * characters it takes). */
#define INSPECT_STRING_CHARS 40
/* Characters a string value takes on screen at most, quotes and ending ("... (unreadable from
 * +12)") included: the hex view's inspector has room for 46 at its default width (100% and 150%). */
#define INSPECT_VALUE_COLUMNS 44

typedef enum inspect_type {
    INSPECT_INT8,
    INSPECT_UINT8,
    INSPECT_INT16,
    INSPECT_UINT16,
    INSPECT_INT32,
    INSPECT_UINT32,
    INSPECT_INT64,
    INSPECT_UINT64,
    INSPECT_FLOAT,
    INSPECT_DOUBLE,
    INSPECT_POINTER,
    INSPECT_ANSI,
    INSPECT_UTF16,
    INSPECT_COUNT
} inspect_type;

typedef struct inspect_row {
    const char *name;            /* "Int16", "Float", "Pointer", "UTF-16"... */
    char value[400];             /* UTF-8 */
    int readable;                /* 0: value says why there is none */
    int not_loaded;              /* with readable 0: the bytes are not loaded yet (a scan's preview), no error */
} inspect_row;

typedef struct inspect_input {
    const uint8_t *bytes;        /* from the cursor on */
    const uint8_t *states;       /* hex_byte_state of each */
    size_t count;                /* how many bytes and states there are (up to INSPECT_WINDOW) */
    int big_endian;
    uint32_t pointer_size;       /* 4 or 8 */
    const pmm_map *map;          /* for the pointer's region and module; may be NULL */
} inspect_input;

const char *inspect_type_name(inspect_type type);
/* Fills rows[0..INSPECT_COUNT). */
void inspect_bytes(const inspect_input *in, inspect_row rows[INSPECT_COUNT]);
/* One line for an integer read signed and unsigned, in at most columns characters where it can:
 * "254 (0xFE)" when both read the same, else "-2 | 254 (0xFE)", without the hex part when that is
 * too long ("-1 | 18446744073709551615": the bytes are beside it). A row without a value gives
 * its reason. */
void inspect_integer_line(const inspect_row *signed_row, const inspect_row *unsigned_row, size_t columns, char *out,
                          size_t cap);

#endif
