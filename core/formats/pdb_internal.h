/* Shared by pdb.c and pdb_modules.c. */
#ifndef PMM_PDB_INTERNAL_H
#define PMM_PDB_INTERNAL_H

#include "byte_cursor.h"
#include "pdb.h"

#define PDB_DBI_HEADER_SIZE 64u
#define PDB_MODULE_INFO_SIZE 64u      /* fixed part of a module entry, before its two names */

enum {
    S_END = 0x0006,
    S_THUNK32 = 0x1102,
    S_PUB32 = 0x110e,
    S_LPROC32 = 0x110f,
    S_GPROC32 = 0x1110,
    S_LPROC32_ID = 0x1146,
    S_GPROC32_ID = 0x1147,
    S_LPROC32_DPC = 0x1155,
    S_LPROC32_DPC_ID = 0x1156
};

/* What module streams need from the rest of the PDB. */
typedef struct pdb_context {
    pdb_file *pdb;
    const dbg_sink *sink;
    pdb_stats *stats;
    const uint32_t *section_rvas;
    size_t section_count;
    const uint8_t *names;        /* the "/names" string buffer */
    size_t names_size;
} pdb_context;

/* segment:offset as an RVA; 0 when the segment is unknown or the sum leaves 32 bits. */
int pdb_rva(const pdb_context *ctx, uint16_t segment, uint32_t offset, uint32_t *rva);
void pdb_note_problem(pdb_stats *stats, const char *what, uint32_t where);
/* Reads the module entry at c (advancing past it) and reports its functions and lines. */
pmm_status pdb_report_module(const pdb_context *ctx, byte_cursor *c);

#endif
