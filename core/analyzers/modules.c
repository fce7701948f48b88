/* Modules: the PEB loader list read from target memory (what the process itself believes), checked
 * against the source's own list (Toolhelp, a dump's module list), plus image allocations that
 * neither list names (manually mapped or unlinked images). */
#include "analyzers.h"

#include <stdlib.h>
#include <string.h>
#include "../formats/nt_layout.h"
#include "../util/cycle_check.h"

#define MAX_LOADER_ENTRIES 8192u
#define MAX_IMAGE_SIZE (2ull * 1024 * 1024 * 1024)

static pmm_module *find_module(pmm_map *map, uint64_t base)
{
    for (size_t i = 0; i < map->module_count; i++)
        if (map->modules[i].base == base)
            return &map->modules[i];
    return NULL;
}

static void read_unicode_string(pmm_scan *scan, uint64_t address, uint32_t pointer_size, char *buf, size_t cap)
{
    const pmm_nt_layout *l = pmm_nt_layout_for(pointer_size);
    uint16_t length = 0;
    uint64_t buffer = 0;
    buf[0] = '\0';
    if (pmm_source_read_u16(scan->src, address, &length) == PMM_OK &&
        pmm_source_read_pointer(scan->src, address + l->ustr_buffer, pointer_size, &buffer) == PMM_OK && buffer)
        pmm_source_read_utf16(scan->src, buffer, length, buf, cap);
}

static pmm_status add_loader_entry(pmm_scan *scan, uint64_t entry, uint32_t pointer_size, uint32_t flags)
{
    const pmm_nt_layout *l = pmm_nt_layout_for(pointer_size);
    pmm_module m;
    uint64_t size = 0;
    char path[520];
    memset(&m, 0, sizeof m);
    if (pmm_source_read_pointer(scan->src, entry + l->entry_dll_base, pointer_size, &m.base) != PMM_OK)
        return PMM_ERR_READ;
    pmm_source_read_pointer(scan->src, entry + l->entry_entry_point, pointer_size, &m.entry);
    pmm_source_read_pointer(scan->src, entry + l->entry_size_of_image, 4, &size);
    read_unicode_string(scan, entry + l->entry_full_dll_name, pointer_size, path, sizeof path);
    if (m.base == 0 || find_module(scan->map, m.base))
        return PMM_OK;
    m.size = size <= MAX_IMAGE_SIZE ? size : 0;
    m.flags = flags;
    m.pointer_size = pointer_size;
    return pmm_map_add_module(scan->map, &m, path);
}

/* The PEB analyzer annotated the loader data; a list found corrupt marks that annotation invalid. */
static pmm_status mark_loader_data_invalid(pmm_scan *scan, const pmm_scan_peb *peb, const char *reason)
{
    pmm_status st = pmm_map_mark_invalid(scan->map, peb->ldr, PMM_ANN_LOADER_DATA, reason);
    if (st != PMM_ERR_NOT_FOUND)
        return st;
    return pmm_map_add_invalid_annotation(scan->map, peb->ldr, pmm_nt_layout_for(peb->pointer_size)->ldr_size,
                                          PMM_ANN_LOADER_DATA, peb->pointer_size * 8, 0, "Loader data", reason);
}

/* InLoadOrderModuleList is a circular list; a corrupt or hostile one is cut off by the entry cap. */
static pmm_status walk_loader_list(pmm_scan *scan, const pmm_scan_peb *peb, uint32_t flags)
{
    const pmm_nt_layout *l = pmm_nt_layout_for(peb->pointer_size);
    uint64_t head = peb->ldr + l->ldr_in_load_order_list, link;
    if (pmm_source_read_pointer(scan->src, head, peb->pointer_size, &link) != PMM_OK) {
        pmm_map_warn(scan->map, "the loader list at 0x%llx could not be read", (unsigned long long)head);
        return PMM_OK;
    }
    /* A list that loops without passing the head again is named as invalid, not just cut off by
     * the cap. */
    pmm_cycle_check cycle;
    pmm_cycle_check_init(&cycle);
    for (uint32_t n = 0; link && link != head; n++) {
        if (pmm_cycle_check_step(&cycle, link)) {
            pmm_map_warn(scan->map, "invalid loader list: it cycles through entry 0x%llx without returning to "
                         "its head 0x%llx; walk stopped", (unsigned long long)link, (unsigned long long)head);
            return mark_loader_data_invalid(scan, peb, "loader list cycles");
        }
        if (n >= MAX_LOADER_ENTRIES) {
            pmm_map_warn(scan->map, "loader list longer than %u entries; the rest is ignored", MAX_LOADER_ENTRIES);
            break;
        }
        pmm_status st = add_loader_entry(scan, link, peb->pointer_size, flags);
        if (st == PMM_ERR_NOMEM)
            return st;
        if (st != PMM_OK || pmm_source_read_pointer(scan->src, link, peb->pointer_size, &link) != PMM_OK) {
            pmm_map_warn(scan->map, "loader list entry at 0x%llx could not be read; list cut short",
                         (unsigned long long)link);
            break;
        }
    }
    return PMM_OK;
}

static pmm_status cross_check_os_list(pmm_scan *scan)
{
    pmm_module_info *list = NULL;
    size_t count = 0;
    pmm_status listed = pmm_source_modules(scan->src, &list, &count);
    if (listed == PMM_ERR_NOT_PROVIDED)
        return PMM_OK;
    if (listed == PMM_ERR_NOMEM || listed == PMM_ERR_GONE)
        return listed;
    if (listed != PMM_OK || count == 0) {
        free(list);
        if (scan->src->target.source_kind == PMM_SOURCE_LIVE)
            pmm_map_warn(scan->map, "the OS module list (Toolhelp) was not available: modules come from the "
                                    "loader list and PE headers only");
        return PMM_OK;
    }
    scan->map->scan_flags |= PMM_SCAN_OS_MODULE_LIST;
    pmm_status st = PMM_OK;
    int have_loader_list = scan->map->module_count > 0;
    for (size_t i = 0; i < count && st == PMM_OK; i++) {
        pmm_module *m = find_module(scan->map, list[i].base);
        if (m) {
            m->flags |= PMM_MODULE_IN_OS_LIST;
            continue;
        }
        pmm_module added;
        memset(&added, 0, sizeof added);
        added.base = list[i].base;
        added.size = list[i].size;
        added.flags = PMM_MODULE_IN_OS_LIST;
        added.pointer_size = scan->src->target.pointer_size;
        if (have_loader_list)
            pmm_map_warn(scan->map, "module at 0x%llx (%s) is listed by the OS but not in the loader list",
                         (unsigned long long)list[i].base, list[i].path);
        st = pmm_map_add_module(scan->map, &added, list[i].path);
    }
    free(list);
    return st;
}

static int has_pe_header(pmm_scan *scan, uint64_t base)
{
    uint8_t dos[64];
    uint32_t pe_offset, signature;
    if (pmm_source_read_exact(scan->src, base, dos, sizeof dos) != PMM_OK || dos[0] != 'M' || dos[1] != 'Z')
        return 0;
    pe_offset = (uint32_t)dos[60] | ((uint32_t)dos[61] << 8) | ((uint32_t)dos[62] << 16) | ((uint32_t)dos[63] << 24);
    if (pe_offset > 0x10000)
        return 0;
    return pmm_source_read_u32(scan->src, base + pe_offset, &signature) == PMM_OK && signature == 0x00004550;
}

/* Image allocations no list names, and PE headers at the start of executable non-image memory:
 * both are what an unpacker or a manual mapper leaves behind. */
static pmm_status find_unlisted_images(pmm_scan *scan)
{
    pmm_map *map = scan->map;
    for (size_t i = 0; i < map->region_count; i++) {
        if (i % 32 == 0 && pmm_scan_step(scan, i, map->region_count))
            return PMM_ERR_CANCELLED;
        pmm_region *r = &map->regions[i];
        if (r->state == PMM_MEM_FREE || r->base != r->alloc_base)
            continue;
        if (r->type == PMM_MEM_IMAGE) {
            if (find_module(map, r->base) || !has_pe_header(scan, r->base))
                continue;
            uint64_t base, size;
            char path[520] = "";
            pmm_scan_allocation_extent(map, r->base, &base, &size);
            pmm_source_mapped_file_name(scan->src, r->base, path, sizeof path);
            pmm_module m = {.base = base, .size = size, .flags = PMM_MODULE_HEADER_ONLY,
                            .pointer_size = scan->src->target.pointer_size};
            pmm_status st = pmm_map_add_module(map, &m, path);
            if (st != PMM_OK)
                return st;
        } else if (r->state == PMM_MEM_COMMIT && pmm_protect_is_executable(r->protect | r->alloc_protect) &&
                   has_pe_header(scan, r->base)) {
            r->flags |= PMM_REGION_PE_HEADER;
        }
    }
    return PMM_OK;
}

static pmm_status fill_missing_paths(pmm_scan *scan)
{
    pmm_map *map = scan->map;
    for (size_t i = 0; i < map->module_count; i++) {
        pmm_module *m = &map->modules[i];
        char path[520] = "";
        if (m->path || pmm_source_mapped_file_name(scan->src, m->base, path, sizeof path) != PMM_OK)
            continue;
        pmm_status st = pmm_map_set_module_path(map, m, path);
        if (st != PMM_OK)
            return st;
    }
    return PMM_OK;
}

static pmm_status annotate_modules(pmm_scan *scan)
{
    pmm_map *map = scan->map;
    for (size_t i = 0; i < map->module_count; i++) {
        const pmm_module *m = &map->modules[i];
        if (m->size == 0)
            continue;
        pmm_status st = pmm_map_add_annotation(map, m->base, m->size, PMM_ANN_MODULE, m->pointer_size * 8, 0,
                                               pmm_map_text(map, m->name));
        if (st != PMM_OK)
            return st;
    }
    return PMM_OK;
}

static int compare_modules(const void *a, const void *b)
{
    const pmm_module *x = a, *y = b;
    return x->base < y->base ? -1 : x->base > y->base;
}

pmm_status pmm_analyze_modules(pmm_scan *scan)
{
    const pmm_target_info *t = &scan->src->target;
    pmm_status st = PMM_OK;
    for (size_t i = 0; i < scan->peb_count && st == PMM_OK; i++) {
        uint32_t flags = PMM_MODULE_IN_LOADER_LIST;
        if (t->wow64 && scan->pebs[i].pointer_size == 4)
            flags |= PMM_MODULE_WOW64;
        if (scan->pebs[i].ldr)
            st = walk_loader_list(scan, &scan->pebs[i], flags);
    }
    if (st == PMM_OK)
        st = cross_check_os_list(scan);
    if (st == PMM_OK)
        st = find_unlisted_images(scan);
    if (st == PMM_OK)
        st = fill_missing_paths(scan);
    if (st != PMM_OK)
        return st;
    if (scan->map->module_count > 1)
        qsort(scan->map->modules, scan->map->module_count, sizeof *scan->map->modules, compare_modules);
    return annotate_modules(scan);
}
