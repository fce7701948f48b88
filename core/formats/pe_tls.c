/* The TLS directory and its callback list. */
#include "pe_internal.h"

#include <string.h>

#define TLS_DIRECTORY32_SIZE 24u
#define TLS_DIRECTORY64_SIZE 40u

static void decode_tls(const pe_image *img, const uint8_t *d, pe_tls *out)
{
    uint32_t ps = img->pointer_size;
    out->raw_data_start = pmm_le_pointer(d, ps);
    out->raw_data_end = pmm_le_pointer(d + ps, ps);
    out->index_address = pmm_le_pointer(d + 2 * ps, ps);
    out->callbacks_address = pmm_le_pointer(d + 3 * ps, ps);
    out->zero_fill_size = pmm_le32(d + 4 * ps);
    out->characteristics = pmm_le32(d + 4 * ps + 4);
}

/* The callback array is a zero-terminated list of pointers; it may be patched at run time, so
 * a live image can show more than the file. */
static void read_callbacks(pe_image *img, pe_tls *out)
{
    uint32_t rva;
    if (!out->callbacks_address || pe_va_to_rva(img, out->callbacks_address, &rva) != PMM_OK) {
        out->truncated = out->callbacks_address != 0;
        return;
    }
    uint32_t ps = img->pointer_size;
    for (size_t i = 0; i < PE_MAX_TLS_CALLBACKS; i++) {
        uint8_t raw[8];
        uint64_t at = (uint64_t)rva + i * ps;
        if (at + ps > 0xFFFFFFFFu || pe_read_rva(img, (uint32_t)at, raw, ps) != PMM_OK) {
            out->truncated = 1;
            return;
        }
        uint64_t va = pmm_le_pointer(raw, ps);
        if (va == 0)
            return;
        out->callbacks[out->callback_count++] = va;
    }
    out->truncated = 1;   /* no terminator within the cap */
}

pmm_status pe_read_tls(pe_image *img, pe_tls *out)
{
    memset(out, 0, sizeof *out);
    const pe_data_directory *dir = &img->directories[PE_DIR_TLS];
    if (dir->rva == 0)
        return PMM_ERR_NOT_FOUND;
    uint8_t d[TLS_DIRECTORY64_SIZE];
    size_t size = img->pointer_size == 8 ? TLS_DIRECTORY64_SIZE : TLS_DIRECTORY32_SIZE;
    pmm_status st = pe_read_rva(img, dir->rva, d, size);
    if (st != PMM_OK)
        return st;
    decode_tls(img, d, out);
    read_callbacks(img, out);
    return PMM_OK;
}
