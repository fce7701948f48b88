/* libFuzzer harness for the COFF symbol table reader: the input is a symbol table (18-byte
 * records, as many as fit) followed by its string table, as it sits at the end of an image file;
 * the first byte picks the record count's slack. Seeds are the tails of Wine's DLLs
 * (symbol_seeds.py). Also asks for long section names "/0" to "/99999".
 * Parsers it reaches: core/formats/coff_symbols.c and the row sink debug_rows.c. */
#include <stdint.h>
#include <stdio.h>
#include "fuzz_symbols_common.h"
#include "core/formats/coff_symbols.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint32_t count = (uint32_t)((size - 1) / COFF_SYMBOL_RECORD_SIZE) + data[0] % 4;   /* sometimes too many */
    coff_table table;
    int truncated;
    if (coff_table_open(data + 1, size - 1, count, &table, &truncated) != PMM_OK)
        return 0;
    for (unsigned i = 0; i < 100000; i += 997) {
        char name[16];
        snprintf(name, sizeof name, "/%u", i);
        coff_long_section_name(&table, name);
    }
    static const coff_section_span sections[] = {{0x1000, 0x40000, 1}, {0x41000, 0x1000, 0}, {0x42000, 0x8000, 1}};
    pmm_symtab t;
    static const uint32_t ends[] = {0x41000, 0x42000, 0x4a000};
    if (pmm_symtab_init(&t, FUZZ_IMAGE_SIZE, ends, 3) == PMM_OK &&
        coff_report_symbols(&table, sections, 3, &t.sink) == PMM_OK)
        fuzz_query_table(&t);
    pmm_symtab_free(&t);
    return 0;
}
