/* Program databases (PDB, MSF 7.0) as MSVC and lld write them: the identity (GUID and age) that
 * ties a PDB to an image, public symbols, functions with their sizes from the module symbol
 * streams, and C13 line tables, reported to a dbg_sink as RVAs. Inline sites are not read (their
 * names live in the IPI stream's function ids): an address in inlined code names the function it
 * was inlined into. */
#ifndef PMM_PDB_H
#define PMM_PDB_H

#include <stddef.h>
#include <stdint.h>
#include "debug_sink.h"
#include "pdb_msf.h"

typedef struct pdb_file {
    msf_file msf;
    uint8_t guid[16];            /* from the PDB info stream, as stored */
    uint32_t info_age;
    uint32_t dbi_age;            /* the age debuggers match (0 when the DBI stream is missing) */
    uint32_t names_stream;       /* "/names": the string table of source file names; 0 none */
    uint8_t *dbi;                /* the DBI stream */
    size_t dbi_size;
    uint32_t *section_rvas;      /* from the section header stream, by segment number - 1 */
    size_t section_count;
} pdb_file;

typedef struct pdb_stats {
    uint32_t modules;
    uint32_t modules_damaged;
    uint32_t publics;
    uint32_t functions;
    uint32_t line_blocks;
    char problem[160];           /* the first damage found, "" when none */
} pdb_stats;

/* Opens the container and reads the info and DBI streams. PMM_ERR_FORMAT with a reason in message
 * for a file that is not a PDB or whose directory, info or DBI stream is damaged. */
pmm_status pdb_open(pmm_source *src, uint64_t file_size, pdb_file *out, char *message, size_t message_cap);
void pdb_close(pdb_file *pdb);
/* Whether the PDB belongs to the image whose CodeView (RSDS) record holds guid and age. */
int pdb_matches(const pdb_file *pdb, const uint8_t guid[16], uint32_t age);
/* Publics, then each module's functions and line tables. Segments are turned into RVAs through the
 * PDB's own section headers, or image_sections (RVA of each section, by number - 1) when it has none. */
pmm_status pdb_report(pdb_file *pdb, const uint32_t *image_sections, size_t image_section_count,
                      const dbg_sink *sink, pdb_stats *stats);

#endif
