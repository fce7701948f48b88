/* The COFF symbol table and string table that MinGW linkers leave in an image file (they are not
 * mapped: only the file has them). The symbols name functions and labels that no export names,
 * and the string table holds the real names of sections written as "/4", "/19" in the headers. */
#ifndef PMM_COFF_SYMBOLS_H
#define PMM_COFF_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>
#include "debug_sink.h"

#define COFF_SYMBOL_RECORD_SIZE 18u
#define COFF_MAX_SYMBOLS 16777216u      /* 300 MiB of records: far beyond any real image */

/* Views into bytes the caller owns: the records, then the string table after them. */
typedef struct coff_table {
    const uint8_t *records;
    size_t record_count;
    const uint8_t *strings;      /* starts with its own u32 size, so offsets below 4 name nothing */
    size_t strings_size;
} coff_table;

/* The code sections of the image, so that symbols become RVAs and sizes end at a section's end. */
typedef struct coff_section_span {
    uint32_t rva;
    uint32_t size;
    int is_code;
} coff_section_span;

/* data: the file's bytes from the symbol table's offset on (records, then the string table).
 * PMM_ERR_FORMAT when the records do not fit or the string table's size field is impossible;
 * a table cut short keeps the records that are whole (truncated set). */
pmm_status coff_table_open(const uint8_t *data, size_t size, uint32_t record_count, coff_table *out,
                           int *truncated);
/* The string at offset in the string table, or NULL. */
const char *coff_string(const coff_table *t, uint32_t offset);
/* "/4" -> ".debug_info"; NULL when name is not a "/digits" reference into the table. */
const char *coff_long_section_name(const coff_table *t, const char *name);
/* Reports every function and label symbol of a code section as a DBG_SCOPE_SYMBOL (size 0: the
 * table measures each to the next symbol or the end of its section), and section symbols as
 * nameless ones that end the symbol before them. */
pmm_status coff_report_symbols(const coff_table *t, const coff_section_span *sections, size_t section_count,
                               const dbg_sink *sink);

#endif
