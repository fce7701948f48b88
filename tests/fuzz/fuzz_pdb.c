/* libFuzzer harness for the PDB reader: the input is a PDB file (MSF container, info, DBI,
 * section headers, publics, module symbols, C13 lines). Seeds are the test targets' PDBs,
 * repacked into 512-byte blocks by symbol_seeds.py so they fit the fuzzer's input size. Any
 * crash, hang or sanitizer report is a bug.
 * Parsers it reaches: core/formats/pdb_msf.c, pdb_modules.c and the row sink debug_rows.c. */
#include <stdint.h>
#include "fuzz_symbols_common.h"
#include "core/formats/pdb.h"
#include "core/source/buffer_source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pmm_source src;
    if (pmm_buffer_source_open(data, size, 0, &src) != PMM_OK)
        return 0;
    pdb_file pdb;
    char message[160];
    if (pdb_open(&src, size, &pdb, message, sizeof message) == PMM_OK) {
        static const uint8_t guid[16];
        pdb_matches(&pdb, guid, 1);
        static const uint32_t sections[] = {0x1000, 0x8000, 0xa000, 0xc000};
        pmm_symtab t;
        if (pmm_symtab_init(&t, FUZZ_IMAGE_SIZE, NULL, 0) == PMM_OK) {
            pdb_stats stats;
            if (pdb_report(&pdb, sections, 4, &t.sink, &stats) == PMM_OK)
                fuzz_query_table(&t);
        }
        pmm_symtab_free(&t);
        pdb_close(&pdb);
    }
    pmm_source_close(&src);
    return 0;
}
