/* Opening a kernel dump: the header page, then the physical memory layout; reads of physical
 * memory through it. */
#include "kdump.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kdump_internal.h"

void kd_warn(pmm_kdump *dump, const char *fmt, ...)
{
    if (dump->warning_count >= KDUMP_MAX_WARNINGS)
        return;
    va_list args;
    va_start(args, fmt);
    char *copy = pmm_warning_vformat(fmt, args);
    va_end(args);
    if (copy)
        dump->warnings[dump->warning_count++] = copy;
}

int pmm_kdump_has_signature(const void *data, size_t size)
{
    return size >= 8 && (memcmp(data, "PAGEDU64", 8) == 0 || memcmp(data, "PAGEDUMP", 8) == 0);
}

void pmm_kdump_close(pmm_kdump *dump)
{
    if (!dump)
        return;
    kd_free_physmap(&dump->phys);
    for (size_t i = 0; i < dump->warning_count; i++)
        free(dump->warnings[i]);
    pmm_input_file_close(dump->file);
    free(dump);
}

/* Reads the header page (as much of 0x2000 bytes as the file has), decodes it, loads the layout. */
static pmm_status open_on(pmm_input_file *file, pmm_kdump **out, char *message, size_t cap)
{
    pmm_kdump *dump = calloc(1, sizeof *dump);
    if (!dump) {
        pmm_input_file_close(file);
        return kd_fail(message, cap, PMM_ERR_NOMEM, "out of memory");
    }
    dump->file = file;
    uint8_t *page = malloc(KDUMP_HEADER64_SIZE);
    uint64_t size = pmm_input_file_size(file);
    size_t have = size < KDUMP_HEADER64_SIZE ? (size_t)size : KDUMP_HEADER64_SIZE;
    pmm_status st = page ? pmm_input_file_read(file, 0, page, have) : PMM_ERR_NOMEM;
    if (st != PMM_OK)
        kd_fail(message, cap, st, st == PMM_ERR_NOMEM ? "out of memory" : "reading the header failed");
    if (st == PMM_OK)
        st = kd_decode_header(dump, page, have, message, cap);
    if (st == PMM_OK)
        st = kd_load_physmap(dump, page, message, cap);
    free(page);
    if (st != PMM_OK) {
        pmm_kdump_close(dump);
        return st;
    }
    *out = dump;
    return PMM_OK;
}

pmm_status pmm_kdump_open(const char *path, pmm_kdump **out, char *message, size_t message_cap)
{
    return pmm_kdump_open_with(path, 0, out, message, message_cap);
}

pmm_status pmm_kdump_open_with(const char *path, uint32_t file_flags, pmm_kdump **out, char *message,
                               size_t message_cap)
{
    *out = NULL;
    pmm_input_file *file;
    pmm_status st = pmm_input_file_open(path, file_flags, &file);
    if (st != PMM_OK)
        return kd_fail(message, message_cap, st, "cannot open '%s'%s", path,
                       st == PMM_ERR_NOT_FOUND ? ": no such file, or not readable" : "");
    return open_on(file, out, message, message_cap);
}

pmm_status pmm_kdump_open_memory(const void *data, size_t size, pmm_kdump **out, char *message, size_t message_cap)
{
    *out = NULL;
    pmm_input_file *file;
    pmm_status st = pmm_input_file_open_memory(data, size, &file);
    if (st != PMM_OK)
        return kd_fail(message, message_cap, st, "cannot read the dump's bytes");
    return open_on(file, out, message, message_cap);
}

const pmm_kdump_header *pmm_kdump_header_of(const pmm_kdump *dump)
{
    return &dump->header;
}

uint64_t pmm_kdump_file_size(const pmm_kdump *dump)
{
    return pmm_input_file_size(dump->file);
}

uint32_t pmm_kdump_pointer_size(const pmm_kdump *dump)
{
    return dump->header.bits == 64 ? 8 : 4;
}

const char *pmm_kdump_warning(const pmm_kdump *dump, size_t index)
{
    return index < dump->warning_count ? dump->warnings[index] : NULL;
}

const char *pmm_kdump_type_name(uint32_t dump_type)
{
    switch (dump_type) {
    case PMM_KDUMP_FULL: return "Full";
    case PMM_KDUMP_SUMMARY: return "KernelSummary";
    case PMM_KDUMP_BITMAP: return "Bitmap";
    case PMM_KDUMP_LIVE_BITMAP: return "LiveKernelBitmap";
    case PMM_KDUMP_KERNEL: return "KernelMemory";
    case PMM_KDUMP_KERNEL_AND_USER: return "KernelAndUserMemory";
    case PMM_KDUMP_COMPLETE: return "CompleteMemory";
    }
    return NULL;
}

const uint8_t *pmm_kdump_physical_page(pmm_kdump *dump, uint64_t pfn)
{
    uint64_t offset;
    if (pmm_kdump_page_offset(dump, pfn, &offset) != PMM_OK)
        return NULL;
    return pmm_input_file_bytes(dump->file, offset, PMM_KDUMP_PAGE_SIZE);
}

size_t pmm_kdump_read_physical(pmm_kdump *dump, uint64_t pa, void *buf, size_t len)
{
    uint8_t *to = buf;
    size_t done = 0;
    while (done < len) {
        uint64_t at = pa + done, offset;
        if (at < pa || pmm_kdump_page_offset(dump, at / PMM_KDUMP_PAGE_SIZE, &offset) != PMM_OK)
            break;
        uint64_t in_page = PMM_KDUMP_PAGE_SIZE - at % PMM_KDUMP_PAGE_SIZE;
        size_t want = len - done < in_page ? len - done : (size_t)in_page;
        if (pmm_input_file_read(dump->file, offset + at % PMM_KDUMP_PAGE_SIZE, to + done, want) != PMM_OK)
            break;
        done += want;
    }
    return done;
}
