/* Process-wide checks: images in memory that the loader list does not name, PE images implanted in
 * non-image memory, and executable non-image memory with the threads that start or run there. */
#include "integrity_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "../util/text.h"

static int loader_list_read(const pmm_map *map)
{
    for (size_t i = 0; i < map->module_count; i++)
        if (map->modules[i].flags & PMM_MODULE_IN_LOADER_LIST)
            return 1;
    return 0;
}

/* Why the checks that need memory types cannot run, where the source gives none. */
#define NO_TYPES_REASON                                                                                  \
    "the source does not give memory types (a process in a kernel dump is mapped from its page tables " \
    "alone where its VAD tree cannot be read)"

int integrity_map_has_types(const pmm_map *map)
{
    for (size_t i = 0; i < map->region_count; i++)
        if (map->regions[i].state == PMM_MEM_COMMIT && map->regions[i].type)
            return 1;
    return 0;
}

static int has_protections(const pmm_map *map)
{
    for (size_t i = 0; i < map->region_count; i++)
        if (map->regions[i].state == PMM_MEM_COMMIT && map->regions[i].protect)
            return 1;
    return 0;
}

static pmm_status check_unlinked(integrity_ctx *ctx)
{
    const pmm_map *map = ctx->map;
    if (!loader_list_read(map))
        return integrity_add_unchecked(ctx, 0, 0, 0, "unlinked modules",
                                       "the loader list could not be read, so nothing says which images it names");
    /* Regions rebuilt from a dump's module list have no image mapping the list does not name. */
    if (has_protections(map) && !integrity_map_has_types(map)) {
        pmm_status st = integrity_add_unchecked(ctx, 0, 0, 0, "unlinked modules",
                                                NO_TYPES_REASON ", so image mappings no list names cannot be seen");
        if (st != PMM_OK)
            return st;
    } else if (!has_protections(map)) {
        pmm_status st = integrity_add_unchecked(ctx, 0, 0, 0, "unlinked modules",
                                                "the source has no memory information (a minidump without "
                                                "MemoryInfoList), so image mappings no list names cannot be seen");
        if (st != PMM_OK)
            return st;
    }
    pmm_status st = PMM_OK;
    for (size_t i = 0; i < map->module_count && st == PMM_OK; i++) {
        const pmm_module *m = &map->modules[i];
        if (m->flags & PMM_MODULE_IN_LOADER_LIST)
            continue;
        const char *path = pmm_map_text(map, m->path);
        integrity_finding_args a = {PMM_FINDING_UNLINKED_MODULE, (uint32_t)i + 1, m->base, m->size, 0, NULL, NULL, 0, 0};
        st = integrity_add_finding(ctx, &a, "%s is mapped here as an image, but the loader list does not name it%s",
                                   *path ? path : "an image whose file is not known",
                                   (m->flags & PMM_MODULE_IN_OS_LIST) ? " (the OS's module list does)" : "");
    }
    return st;
}

static int is_executable(uint32_t protect)
{
    return (protect & 0xF0) != 0;
}

/* Threads whose start address or instruction pointer lies in [base, base + size), as text. */
static void threads_in(const pmm_map *map, uint64_t base, uint64_t size, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < map->thread_count && used + 64 < cap; i++) {
        const pmm_thread *t = &map->threads[i];
        int starts = t->start_address - base < size;
        int runs = (t->context.arch && t->context.ip - base < size) ||
                   (t->context32.arch && t->context32.ip - base < size);
        if (!starts && !runs)
            continue;
        used += (size_t)snprintf(buf + used, cap - used, "%sthread %u %s", used ? ", " : "; ", t->tid,
                                 starts && runs ? "starts and runs here" : starts ? "starts here" : "runs here");
    }
}

/* The executable committed part of an allocation: its first and last executable region. */
static int executable_extent(const pmm_map *map, size_t first, size_t count, uint64_t *start, uint64_t *end,
                             uint32_t *protect)
{
    int found = 0;
    for (size_t i = first; i < first + count; i++) {
        const pmm_region *r = &map->regions[i];
        if (r->state != PMM_MEM_COMMIT || !is_executable(r->protect) || (r->protect & PMM_PAGE_GUARD))
            continue;
        if (!found)
            *start = r->base, *protect = r->protect;
        *end = r->base + r->size;
        found = 1;
    }
    return found;
}

/* A PE header at base: decoded into detail. 1 when there is one. */
static int implanted_header(integrity_ctx *ctx, uint64_t base, char *detail, size_t cap, uint64_t *entry)
{
    pe_image img;
    if (pe_open(ctx->src, base, PE_LAYOUT_IMAGE, &img) != PMM_OK)
        return 0;
    pe_exports ex;
    char name[300] = "";
    if (pe_read_exports(&img, &ex) == PMM_OK) {
        if (*ex.dll_name)
            snprintf(name, sizeof name, ", export name %s", ex.dll_name);
        pe_exports_free(&ex);
    }
    *entry = img.entry_point ? base + img.entry_point : 0;
    snprintf(detail, cap, "%s PE image (%s), %zu sections, SizeOfImage 0x%x, entry point RVA 0x%x, "
                          "TimeDateStamp 0x%x%s",
             pe_machine_name(img.machine), (img.characteristics & 0x2000) ? "DLL" : "executable", img.section_count,
             img.size_of_image, img.entry_point, img.timestamp, name);
    pe_close(&img);
    return 1;
}

static pmm_status check_allocation(integrity_ctx *ctx, size_t first, size_t count)
{
    const pmm_map *map = ctx->map;
    const pmm_region *head = &map->regions[first];
    uint64_t start = 0, end = 0, alloc_end = map->regions[first + count - 1].base + map->regions[first + count - 1].size;
    uint32_t protect = 0;
    if (head->state == PMM_MEM_FREE || head->type == PMM_MEM_IMAGE ||
        !executable_extent(map, first, count, &start, &end, &protect))
        return PMM_OK;
    char header[512], threads[512], kind_text[64];
    uint64_t entry = 0;
    threads_in(map, head->alloc_base, alloc_end - head->alloc_base, threads, sizeof threads);
    if (implanted_header(ctx, head->alloc_base, header, sizeof header, &entry)) {
        integrity_finding_args a = {PMM_FINDING_IMPLANTED_PE, 0, head->alloc_base, alloc_end - head->alloc_base, entry,
                                    NULL, NULL, 0, 0};
        const char *file = head->type == PMM_MEM_MAPPED ? pmm_map_text(map, head->details) : "";
        return integrity_add_finding(ctx, &a, "%s in %s memory%s%s%s%s", header,
                                     head->type == PMM_MEM_MAPPED ? "mapped" : "private", *file ? " (" : "", file,
                                     *file ? ")" : "", threads);
    }
    pmm_protect_text(protect, kind_text, sizeof kind_text);
    integrity_finding_args a = {PMM_FINDING_PRIVATE_CODE, 0, start, end - start, 0, NULL, NULL, 0, 0};
    return integrity_add_finding(ctx, &a, "%" PRIu64 " bytes of executable (%s) %s memory with no image behind it%s",
                                 end - start, kind_text, head->type == PMM_MEM_MAPPED ? "mapped" : "private", threads);
}

static pmm_status check_non_image_code(integrity_ctx *ctx)
{
    const pmm_map *map = ctx->map;
    if (!has_protections(map))
        return integrity_add_unchecked(ctx, 0, 0, 0, "executable non-image memory",
                                       "the source has no memory protections (a minidump without MemoryInfoList), so "
                                       "executable memory cannot be told from data");
    if (!integrity_map_has_types(map))
        return integrity_add_unchecked(ctx, 0, 0, 0, "executable non-image memory",
                                       NO_TYPES_REASON ", so code in images cannot be told from code outside them");
    pmm_status st = PMM_OK;
    for (size_t a = 0; a < map->allocation_count && st == PMM_OK; a++) {
        size_t first, count;
        pmm_map_allocation_regions(map, a, &first, &count);
        if (count)
            st = check_allocation(ctx, first, count);
    }
    return st;
}

pmm_status integrity_check_process(integrity_ctx *ctx)
{
    pmm_status st = check_unlinked(ctx);
    if (st == PMM_OK)
        st = check_non_image_code(ctx);
    if (st == PMM_OK && has_protections(ctx->map) && !integrity_map_has_types(ctx->map))
        st = integrity_add_unchecked(ctx, 0, 0, 0, "image mappings",
                                     NO_TYPES_REASON ", so an image replaced by other memory cannot be seen");
    return st;
}
