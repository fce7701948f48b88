/* Image dumps for unpacked or patched modules: the image the loader mapped at an address, written
 * back as a PE file in its virtual layout (every section's PointerToRawData equals its
 * VirtualAddress, SizeOfRawData its mapped size), so the file's bytes are exactly the memory's and
 * PE tools read it. Header fix-ups: ImageBase = the address it was mapped at (its pointers were
 * relocated there), CheckSum 0, the certificate directory and the COFF symbol table pointers
 * cleared (file offsets of data that is never mapped), section relocation/line-number pointers
 * cleared. Unreadable pages are zero-filled and reported. */
#ifndef PMM_PE_DUMP_H
#define PMM_PE_DUMP_H

#include <stddef.h>
#include <stdint.h>
#include "../formats/dump_copy.h"
#include "../util/sink.h"

#define PMM_PE_DUMP_MAX_IMAGE (1024u * 1024 * 1024)

typedef struct pmm_pe_dump_result {
    uint32_t size_of_image;
    size_t section_count;
    uint64_t original_image_base;
    pmm_dump_ranges unreadable;
} pmm_pe_dump_result;

/* PMM_ERR_FORMAT (no PE image at base), PMM_ERR_READ, PMM_ERR_GONE, PMM_ERR_LIMIT (SizeOfImage
 * above 1 GiB), or the sink's error; message says which. Does not commit the sink. */
pmm_status pmm_pe_dump(pmm_source *src, uint64_t base, int page_reads, pmm_sink *sink, pmm_pe_dump_result *result,
                       char *message, size_t message_cap);
void pmm_pe_dump_result_free(pmm_pe_dump_result *result);

#endif
