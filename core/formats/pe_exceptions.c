/* The exception directory of x64 images: the RUNTIME_FUNCTION table the unwinder searches. */
#include "pe_internal.h"

#include <stdlib.h>
#include <string.h>

#define RUNTIME_FUNCTION_SIZE 12u

pmm_status pe_read_exceptions(pe_image *img, pe_exceptions *out)
{
    memset(out, 0, sizeof *out);
    const pe_data_directory *dir = &img->directories[PE_DIR_EXCEPTION];
    if (dir->rva == 0 || dir->size == 0)
        return PMM_ERR_NOT_FOUND;
    /* Only x64 uses the 12-byte begin/end/unwind layout; ARM64 packs entries into 8 bytes. */
    if (img->machine != PE_MACHINE_AMD64)
        return PMM_ERR_UNSUPPORTED;
    size_t count = dir->size / RUNTIME_FUNCTION_SIZE;
    if (count > PE_MAX_RUNTIME_FUNCTIONS) {
        count = PE_MAX_RUNTIME_FUNCTIONS;
        out->truncated = 1;
    }
    if (count == 0)
        return PMM_OK;
    uint8_t *raw = malloc(count * RUNTIME_FUNCTION_SIZE);
    out->items = malloc(count * sizeof *out->items);
    if (!raw || !out->items) {
        free(raw);
        pe_exceptions_free(out);
        return PMM_ERR_NOMEM;
    }
    pmm_status st = pe_read_rva(img, dir->rva, raw, count * RUNTIME_FUNCTION_SIZE);
    if (st != PMM_OK) {
        free(raw);
        pe_exceptions_free(out);
        return st;
    }
    for (size_t i = 0; i < count; i++) {
        const uint8_t *e = raw + i * RUNTIME_FUNCTION_SIZE;
        out->items[i].begin_rva = pmm_le32(e);
        out->items[i].end_rva = pmm_le32(e + 4);
        out->items[i].unwind_rva = pmm_le32(e + 8);
    }
    out->count = count;
    free(raw);
    return PMM_OK;
}

void pe_exceptions_free(pe_exceptions *ex)
{
    if (!ex)
        return;
    free(ex->items);
    memset(ex, 0, sizeof *ex);
}
