/* Shared by the files that fill a pmm_image_symbols. */
#ifndef PMM_IMAGE_SYMBOLS_INTERNAL_H
#define PMM_IMAGE_SYMBOLS_INTERNAL_H

#include "image_symbols.h"
#include "../formats/pe.h"

/* The images a load works from: the mapped one, the file, or both when they agree. */
typedef struct image_views {
    pe_image mapped;             /* in target memory (image layout) */
    pe_image file;               /* on disk (file layout): has the long section names and COFF table */
    pmm_source file_src;
    uint64_t file_size;
    int have_mapped, have_file;
    const char *file_path;       /* the image file as opened (a 32-bit image's in SysWOW64 for a 64-bit tool) */
    const pe_image *headers;     /* the file's when there is one, else the mapped image's */
} image_views;

/* Appends a sentence to the note. */
void image_note(pmm_image_symbols *s, const char *fmt, ...);

pmm_status image_add_pdb(pmm_image_symbols *s, image_views *v, const pmm_image_request *req);
pmm_status image_add_dwarf(pmm_image_symbols *s, image_views *v);
pmm_status image_add_coff(pmm_image_symbols *s, image_views *v);
pmm_status image_add_exports(pmm_image_symbols *s, image_views *v);

#endif
