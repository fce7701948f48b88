#include "fake_source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint8_t *fake_add(fake_source *fake, uint64_t base, uint64_t size, uint64_t alloc_base, uint32_t state,
                  uint32_t type, uint32_t protect, uint32_t alloc_protect)
{
    if (fake->region_count >= FAKE_MAX_REGIONS)
        abort();
    fake_region *r = &fake->regions[fake->region_count++];
    memset(r, 0, sizeof *r);
    r->info.base = base;
    r->info.size = size;
    r->info.alloc_base = alloc_base;
    r->info.state = state;
    r->info.type = type;
    r->info.protect = protect;
    r->info.alloc_protect = alloc_protect;
    if (state == PMM_MEM_COMMIT && !(protect & (PMM_PAGE_NOACCESS | PMM_PAGE_GUARD)))
        r->bytes = calloc(1, (size_t)size);
    return r->bytes;
}

static fake_region *region_at(fake_source *fake, uint64_t addr)
{
    for (size_t i = 0; i < fake->region_count; i++) {
        fake_region *r = &fake->regions[i];
        if (addr >= r->info.base && addr - r->info.base < r->info.size)
            return r;
    }
    return NULL;
}

void fake_write(fake_source *fake, uint64_t addr, const void *data, size_t len)
{
    fake_region *r = region_at(fake, addr);
    if (!r || !r->bytes || addr + len > r->info.base + r->info.size)
        abort();
    memcpy(r->bytes + (addr - r->info.base), data, len);
}

void fake_write_u32(fake_source *fake, uint64_t addr, uint32_t value)
{
    uint8_t b[4] = {(uint8_t)value, (uint8_t)(value >> 8), (uint8_t)(value >> 16), (uint8_t)(value >> 24)};
    fake_write(fake, addr, b, 4);
}

void fake_write_u64(fake_source *fake, uint64_t addr, uint64_t value)
{
    fake_write_u32(fake, addr, (uint32_t)value);
    fake_write_u32(fake, addr + 4, (uint32_t)(value >> 32));
}

void fake_write_pointer(fake_source *fake, uint64_t addr, uint32_t pointer_size, uint64_t value)
{
    if (pointer_size == 8)
        fake_write_u64(fake, addr, value);
    else
        fake_write_u32(fake, addr, (uint32_t)value);
}

static pmm_status fake_query(void *impl, uint64_t addr, pmm_region_info *out)
{
    fake_source *fake = impl;
    if (fake->gone_after_queries && ++fake->queries > fake->gone_after_queries)
        return PMM_ERR_GONE;
    const uint64_t top = 0x7fffffff0000ull;
    if (addr >= top)
        return PMM_END;
    fake_region *r = region_at(fake, addr);
    if (r) {
        *out = r->info;
        return PMM_OK;
    }
    uint64_t next = top;  /* a free gap up to the next region */
    for (size_t i = 0; i < fake->region_count; i++)
        if (fake->regions[i].info.base > addr && fake->regions[i].info.base < next)
            next = fake->regions[i].info.base;
    memset(out, 0, sizeof *out);
    out->base = addr & ~(uint64_t)(PMM_PAGE_SIZE - 1);
    out->size = next - out->base;
    out->state = PMM_MEM_FREE;
    out->protect = PMM_PAGE_NOACCESS;
    return PMM_OK;
}

size_t fake_backing_read(fake_source *fake, uint64_t addr, void *buf, size_t len)
{
    size_t done = 0;
    while (done < len) {
        fake_region *r = region_at(fake, addr + done);
        if (!r || !r->bytes)
            break;
        uint64_t offset = addr + done - r->info.base;
        size_t n = (size_t)(r->info.size - offset);
        if (n > len - done)
            n = len - done;
        memcpy((uint8_t *)buf + done, r->bytes + offset, n);
        done += n;
    }
    return done;
}

static size_t fake_read(void *impl, uint64_t addr, void *buf, size_t len)
{
    fake_source *fake = impl;
    uint64_t bad = fake->unreadable_page;
    if (bad && addr < bad + PMM_PAGE_SIZE && addr + len > bad)
        len = addr >= bad ? 0 : (size_t)(bad - addr);
    return fake_backing_read(fake, addr, buf, len);
}

/* Lends within one region: a window across two is read instead. */
static size_t fake_borrow(void *impl, uint64_t addr, size_t len, const uint8_t **out)
{
    fake_source *fake = impl;
    fake_region *r = fake->lend ? region_at(fake, addr) : NULL;
    uint64_t bad = fake->unreadable_page;
    if (bad && addr < bad + PMM_PAGE_SIZE && addr + len > bad)   /* lends what fake_read would read */
        len = addr >= bad ? 0 : (size_t)(bad - addr);
    if (!r || !r->bytes || len == 0)
        return 0;
    uint64_t offset = addr - r->info.base;
    *out = r->bytes + offset;
    return r->info.size - offset < len ? (size_t)(r->info.size - offset) : len;
}

static pmm_status fake_threads(void *impl, pmm_thread_info **out, size_t *count)
{
    fake_source *fake = impl;
    *out = calloc(fake->thread_count + 1, sizeof **out);
    if (!*out)
        return PMM_ERR_NOMEM;
    memcpy(*out, fake->threads, fake->thread_count * sizeof **out);
    *count = fake->thread_count;
    return PMM_OK;
}

static pmm_status fake_mapped_name(void *impl, uint64_t addr, char *buf, size_t cap)
{
    fake_region *r = region_at(impl, addr);
    if (!r || !r->mapped_name[0])
        return PMM_ERR_NOT_FOUND;
    strncpy(buf, r->mapped_name, cap - 1);
    buf[cap - 1] = '\0';
    return PMM_OK;
}

void fake_set_ws(fake_source *fake, uint64_t addr, const pmm_page_ws *pages, size_t count)
{
    fake_region *r = region_at(fake, addr);
    if (!r || addr % PMM_PAGE_SIZE || addr + count * PMM_PAGE_SIZE > r->info.base + r->info.size)
        abort();
    if (!r->ws && !(r->ws = calloc((size_t)(r->info.size / PMM_PAGE_SIZE), sizeof *r->ws)))
        abort();
    memcpy(r->ws + (addr - r->info.base) / PMM_PAGE_SIZE, pages, count * sizeof *pages);
    fake->ws_enabled = 1;
}

static pmm_status fake_working_set(void *impl, uint64_t addr, size_t count, pmm_page_ws *out, char *message,
                                   size_t message_cap)
{
    fake_source *fake = impl;
    fake->ws_calls++;
    if (count > fake->ws_largest_batch)
        fake->ws_largest_batch = count;
    if (fake->ws_refusal) {
        snprintf(message, message_cap, "%s", fake->ws_refusal);
        return PMM_ERR_UNSUPPORTED;
    }
    for (size_t i = 0; i < count; i++) {
        uint64_t page = addr + i * PMM_PAGE_SIZE;
        fake_region *r = region_at(fake, page);
        memset(&out[i], 0, sizeof out[i]);
        if (r && r->ws)
            out[i] = r->ws[(page - r->info.base) / PMM_PAGE_SIZE];
    }
    return PMM_OK;
}

static const pmm_source_ops fake_ops = {
    .query = fake_query,
    .read = fake_read,
    .threads = fake_threads,
    .mapped_file_name = fake_mapped_name,
    .borrow = fake_borrow,
};

static const pmm_source_ops fake_ops_with_ws = {
    .query = fake_query,
    .read = fake_read,
    .threads = fake_threads,
    .mapped_file_name = fake_mapped_name,
    .working_set = fake_working_set,
};

void fake_source_open(fake_source *fake, pmm_source *out, uint32_t pointer_size)
{
    memset(out, 0, sizeof *out);
    out->ops = fake->ws_enabled || fake->ws_refusal ? &fake_ops_with_ws : &fake_ops;
    out->impl = fake;
    out->target.source_kind = PMM_SOURCE_LIVE;
    out->target.pid = 42;
    out->target.pointer_size = pointer_size;
    out->target.tool_pointer_size = 8;
    out->target.highest_address = 0x7ffffffeffffull;
    strcpy(out->target.name, "fake.exe");
}

void fake_free(fake_source *fake)
{
    for (size_t i = 0; i < fake->region_count; i++) {
        free(fake->regions[i].bytes);
        free(fake->regions[i].ws);
    }
    memset(fake, 0, sizeof *fake);
}
