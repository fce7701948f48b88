/* libFuzzer harness for the DWARF reader. The input is the DWARF sections back to back, after a
 * header of nine little-endian u16 sizes in this order: .debug_info, .debug_abbrev, .debug_line,
 * .debug_str, .debug_line_str, .debug_ranges, .debug_rnglists, .debug_addr, .debug_str_offsets
 * (a section gets what is left when the input is shorter). Seeds are cut from Wine's DLLs by
 * symbol_seeds.py. Any crash, hang or sanitizer report is a bug.
 * Parsers it reaches: core/formats/dwarf_info.c, dwarf_forms.c, dwarf_line.c and the row sink
 * debug_rows.c. */
#include <stdint.h>
#include <string.h>
#include "fuzz_symbols_common.h"
#include "core/formats/dwarf.h"

#define SECTION_COUNT 9u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 * SECTION_COUNT)
        return 0;
    dwarf_input in;
    memset(&in, 0, sizeof in);
    dwarf_section *slots[SECTION_COUNT] = {&in.info, &in.abbrev, &in.line, &in.str, &in.line_str, &in.ranges,
                                           &in.rnglists, &in.addr, &in.str_offsets};
    size_t at = 2 * SECTION_COUNT;
    for (unsigned i = 0; i < SECTION_COUNT; i++) {
        size_t want = (size_t)data[2 * i] | (size_t)data[2 * i + 1] << 8;
        size_t len = want < size - at ? want : size - at;
        slots[i]->data = len ? data + at : NULL;
        slots[i]->size = len;
        at += len;
    }
    /* Every 32-bit address is in the "image", so the seeds' real addresses are kept. */
    in.image_base = 0;
    in.image_size = UINT32_MAX;
    pmm_symtab t;
    if (pmm_symtab_init(&t, UINT32_MAX, NULL, 0) == PMM_OK) {
        dwarf_stats stats;
        if (dwarf_report(&in, &t.sink, &stats) == PMM_OK)
            fuzz_query_table(&t);
    }
    pmm_symtab_free(&t);
    return 0;
}
