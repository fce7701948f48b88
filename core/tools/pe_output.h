/* A PE image as text (for people) and as JSON (for scripts and the objdump comparison test):
 * headers, sections, data directories and every directory the parser decodes. */
#ifndef PMM_PE_OUTPUT_H
#define PMM_PE_OUTPUT_H

#include "../formats/pe.h"
#include "../formats/pe_long_names.h"
#include "../util/json_writer.h"

#define PMM_PE_JSON_VERSION 1

/* What the output holds besides the headers; the big tables are optional. */
typedef struct pmm_pe_output_options {
    int relocation_entries;   /* every fixup, not just the blocks */
    int runtime_functions;    /* every x64 RUNTIME_FUNCTION, not just the count */
    int compact;              /* JSON on one line (one document per line for several images) */
    /* What became of the mapped image's "/N" section names (pe_long_names_resolve); NULL when
     * nothing was tried (a file: its own string table names them). */
    const pe_long_names_result *long_names;
} pmm_pe_output_options;

/* `target` names what was read ("C:\\x.dll", "1234:0x7ff6a0b40000"). Returns PMM_ERR_NOMEM when
 * a directory could not be decoded for lack of memory; other problems appear in the output. */
pmm_status pmm_pe_write_json(pe_image *img, const char *target, const pmm_pe_output_options *options,
                             pmm_out *out);
pmm_status pmm_pe_write_text(pe_image *img, const char *target, const pmm_pe_output_options *options,
                             pmm_out *out);

/* "code,execute,read" style summary of section characteristics. */
const char *pmm_pe_section_flags_text(uint32_t characteristics, char *buf, size_t cap);
/* The address a reader of this image sees for an RVA: the load base plus the RVA in a mapped
 * image, the preferred ImageBase plus the RVA in a file. */
uint64_t pmm_pe_rva_address(const pe_image *img, uint32_t rva);

#endif
