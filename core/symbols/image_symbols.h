/* Symbols of one image, from every source it has, best first: a matching PDB (found through the
 * CodeView record and a symbol path), DWARF and the COFF symbol table in the image file, and the
 * exports (with the x64 function table's extents, so an export's name does not spill past its
 * function). The image file is the one on disk (under Wine a live process's modules have Windows
 * paths that the tool, itself running in Wine, opens directly); when it is missing, or differs
 * from the mapped image, only what target memory holds is used and the note says why. */
#ifndef PMM_IMAGE_SYMBOLS_H
#define PMM_IMAGE_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>
#include "symtab.h"
#include "../source/source.h"

typedef struct pmm_image_request {
    pmm_source *src;             /* the target, or NULL for an image file alone */
    uint64_t base;               /* where the image is mapped in src */
    const char *path;            /* the image file; may be NULL or missing */
    const char *symbol_path;     /* where PDBs may be besides the image's folder; may be NULL */
} pmm_image_request;

typedef struct pmm_image_symbols {
    pmm_symtab table;
    uint64_t base;               /* what the table's RVAs are relative to */
    uint32_t image_size;
    uint32_t origins;            /* bit 1 << dbg_origin for each source that named something */
    char pdb_path[520];          /* the PDB used; "" when none */
    char note[768];              /* what was read, and what was not found and why */
} pmm_image_symbols;

/* PMM_ERR_NOT_FOUND when neither target memory nor the file holds a PE image (note says why);
 * PMM_ERR_NOMEM. Damage in debug data is not an error: what is sound is used, the note says. */
pmm_status pmm_image_symbols_load(const pmm_image_request *req, pmm_image_symbols *out);
void pmm_image_symbols_free(pmm_image_symbols *s);
/* "pdb", "dwarf", "coff", "exports" or "" */
const char *pmm_symbol_origin_name(uint32_t origin);

#endif
