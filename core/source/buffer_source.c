#include "buffer_source.h"

#include <stdlib.h>
#include <string.h>

typedef struct buffer_source {
    const uint8_t *bytes;
    size_t size;
    uint64_t base;
} buffer_source;

static pmm_status bs_query(void *impl, uint64_t addr, pmm_region_info *out)
{
    buffer_source *bs = impl;
    if (bs->size == 0 || addr >= bs->base + bs->size)
        return PMM_END;
    memset(out, 0, sizeof *out);
    out->base = bs->base;
    out->size = bs->size;
    out->alloc_base = bs->base;
    out->alloc_protect = PMM_PAGE_READONLY;
    out->protect = PMM_PAGE_READONLY;
    out->state = PMM_MEM_COMMIT;
    out->type = PMM_MEM_PRIVATE;
    return PMM_OK;
}

static size_t bs_read(void *impl, uint64_t addr, void *buf, size_t len)
{
    buffer_source *bs = impl;
    if (addr < bs->base || addr - bs->base >= bs->size)
        return 0;
    uint64_t off = addr - bs->base;
    if (len > bs->size - off)
        len = (size_t)(bs->size - off);
    memcpy(buf, bs->bytes + off, len);
    return len;
}

static void bs_close(void *impl)
{
    free(impl);
}

static const pmm_source_ops buffer_source_ops = {
    .query = bs_query,
    .read = bs_read,
    .close = bs_close,
};

pmm_status pmm_buffer_source_open(const void *bytes, size_t size, uint64_t base, pmm_source *out)
{
    memset(out, 0, sizeof *out);
    if ((!bytes && size) || base + size < base)
        return PMM_ERR_ARG;
    buffer_source *bs = calloc(1, sizeof *bs);
    if (!bs)
        return PMM_ERR_NOMEM;
    bs->bytes = bytes;
    bs->size = size;
    bs->base = base;
    out->ops = &buffer_source_ops;
    out->impl = bs;
    out->target.lowest_address = base;
    out->target.highest_address = size ? base + size - 1 : base;
    return PMM_OK;
}
