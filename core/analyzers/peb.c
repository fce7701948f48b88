/* The PEB and what it points at: process parameters, environment, loader data, the heaps. */
#include "analyzers.h"

#include <stdio.h>
#include <stdlib.h>
#include "../formats/nt_layout.h"

#define MAX_HEAPS 1024u
#define MAX_PARAMETERS_SIZE 0x100000u
#define MAX_ENVIRONMENT_SIZE (16u * 1024 * 1024)
#define KUSER_SHARED_DATA_SIZE 0x1000u

/* Crash dumps rarely hold image bytes, so a base the source's module list names counts too. */
static int is_listed_module(pmm_scan *scan, uint64_t base)
{
    pmm_module_info *list = NULL;
    size_t count = 0;
    int found = 0;
    if (pmm_source_modules(scan->src, &list, &count) != PMM_OK) {
        free(list);
        return 0;
    }
    for (size_t i = 0; i < count && !found; i++)
        found = list[i].base == base;
    free(list);
    return found;
}

static int looks_like_image_base(pmm_scan *scan, uint64_t base)
{
    uint16_t magic;
    if (base == 0)
        return 0;
    if (pmm_source_read_u16(scan->src, base, &magic) == PMM_OK)
        return magic == 0x5A4D;
    return is_listed_module(scan, base);
}

/* A PEB candidate is accepted when its ImageBaseAddress field points at an MZ header. That tells
 * the layouts apart without trusting what the OS said about bitness (Wine and WOW64 differ). */
static int read_peb(pmm_scan *scan, uint64_t address, uint32_t pointer_size, pmm_scan_peb *out)
{
    const pmm_nt_layout *l = pmm_nt_layout_for(pointer_size);
    uint64_t image_base, ldr = 0, params = 0;
    if (address == 0 || address == 1)
        return 0;
    if (pmm_source_read_pointer(scan->src, address + l->peb_image_base, pointer_size, &image_base) != PMM_OK ||
        !looks_like_image_base(scan, image_base))
        return 0;
    pmm_source_read_pointer(scan->src, address + l->peb_ldr, pointer_size, &ldr);
    pmm_source_read_pointer(scan->src, address + l->peb_process_parameters, pointer_size, &params);
    out->address = address;
    out->pointer_size = pointer_size;
    out->ldr = ldr;
    out->process_parameters = params;
    return 1;
}

/* TEB.ProcessEnvironmentBlock of the first thread whose TEB of that bitness was read. Used when
 * the OS does not say where a PEB is: Wine answers ProcessWow64Information with 1, and a minidump
 * has no PEB address at all. */
static uint64_t peb_from_teb(pmm_scan *scan, uint32_t pointer_size)
{
    const pmm_map *map = scan->map;
    const pmm_nt_layout *l = pmm_nt_layout_for(pointer_size);
    int own = pointer_size == scan->src->target.pointer_size;
    for (size_t i = 0; i < map->thread_count; i++) {
        uint64_t teb = own ? map->threads[i].teb : map->threads[i].teb64, peb;
        if (teb && pmm_source_read_pointer(scan->src, teb + l->teb_peb, pointer_size, &peb) == PMM_OK && peb)
            return peb;
    }
    return 0;
}

static void find_pebs(pmm_scan *scan)
{
    const pmm_target_info *t = &scan->src->target;
    pmm_scan_peb peb;
    if (t->pointer_size == 8) {
        if (read_peb(scan, t->peb, 8, &peb) || read_peb(scan, peb_from_teb(scan, 8), 8, &peb))
            scan->pebs[scan->peb_count++] = peb;
        return;
    }
    if (read_peb(scan, t->peb32, 4, &peb) || read_peb(scan, t->peb, 4, &peb) ||
        read_peb(scan, peb_from_teb(scan, 4), 4, &peb))
        scan->pebs[scan->peb_count++] = peb;
    if (t->wow64 && (read_peb(scan, t->peb, 8, &peb) || read_peb(scan, peb_from_teb(scan, 8), 8, &peb)))
        scan->pebs[scan->peb_count++] = peb;
}

static const char *bits_suffix(pmm_scan *scan, uint32_t pointer_size)
{
    if (scan->peb_count < 2)
        return "";
    return pointer_size == 8 ? " (64-bit)" : " (32-bit)";
}

static void annotate_parameters(pmm_scan *scan, const pmm_scan_peb *peb, const char *suffix)
{
    const pmm_nt_layout *l = pmm_nt_layout_for(peb->pointer_size);
    uint32_t max_length = 0;
    char label[64];
    if (!peb->process_parameters ||
        pmm_source_read_u32(scan->src, peb->process_parameters + l->params_maximum_length, &max_length) != PMM_OK) {
        pmm_map_warn(scan->map, "process parameters%s could not be read", suffix);
        return;
    }
    if (max_length == 0 || max_length > MAX_PARAMETERS_SIZE)
        max_length = l->params_environment_size + 4;
    snprintf(label, sizeof label, "Process parameters%s", suffix);
    pmm_map_add_annotation(scan->map, peb->process_parameters, max_length, PMM_ANN_PROCESS_PARAMETERS,
                           peb->pointer_size * 8, 0, label);

    uint64_t env = 0, env_size = 0;
    pmm_source_read_pointer(scan->src, peb->process_parameters + l->params_environment, peb->pointer_size, &env);
    pmm_source_read_pointer(scan->src, peb->process_parameters + l->params_environment_size, peb->pointer_size,
                            &env_size);
    if (env && env_size && env_size <= MAX_ENVIRONMENT_SIZE) {
        snprintf(label, sizeof label, "Environment%s", suffix);
        pmm_map_add_annotation(scan->map, env, env_size, PMM_ANN_ENVIRONMENT, peb->pointer_size * 8, 0, label);
    }
}

/* Both heap kinds keep a signature at the same offset: the NT heap's SegmentSignature and the
 * segment heap's (_SEGMENT_HEAP.Signature, after its EnvHandle). A heap the PEB lists whose header
 * is readable and carries neither is not a heap, or a corrupted one. */
#define NT_HEAP_SIGNATURE 0xFFEEFFEEu
#define SEGMENT_HEAP_SIGNATURE 0xDDEEDDEEu

static const char *bad_heap_header(pmm_scan *scan, uint64_t address, uint32_t pointer_size)
{
    uint32_t signature;
    if (pmm_source_read_u32(scan->src, address + (pointer_size == 8 ? 0x10 : 0x8), &signature) != PMM_OK)
        return NULL;   /* not saved in a dump, or not committed: unknown, not invalid */
    if (signature == NT_HEAP_SIGNATURE || signature == SEGMENT_HEAP_SIGNATURE)
        return NULL;
    pmm_map_warn(scan->map, "heap at 0x%llx listed in the PEB has signature 0x%08x, not 0x%08x or 0x%08x",
                 (unsigned long long)address, (unsigned)signature, NT_HEAP_SIGNATURE, SEGMENT_HEAP_SIGNATURE);
    return "heap header has a bad signature";
}

static pmm_status add_heap(pmm_scan *scan, uint64_t address, uint32_t flags, uint32_t pointer_size)
{
    pmm_heap *heap;
    size_t known = scan->map->heap_count;
    pmm_status st = pmm_map_add_heap(scan->map, address, flags, &heap);
    if (st != PMM_OK || scan->map->heap_count == known)
        return st;   /* listed twice (ProcessHeaps[0] is ProcessHeap): annotated the first time */
    uint64_t base, size;
    char label[64];
    snprintf(label, sizeof label, "Heap (ID %u)", (unsigned)heap->id);
    if (!pmm_scan_allocation_extent(scan->map, address, &base, &size))
        return pmm_map_warn(scan->map, "heap at 0x%llx is not in any allocation", (unsigned long long)address);
    const char *invalid = bad_heap_header(scan, address, pointer_size);
    if (invalid)
        return pmm_map_add_invalid_annotation(scan->map, base, size, PMM_ANN_HEAP, 0, heap->id, label, invalid);
    return pmm_map_add_annotation(scan->map, base, size, PMM_ANN_HEAP, 0, heap->id, label);
}

/* PEB.ProcessHeaps lists every heap on Windows; Wine leaves it empty and sets only ProcessHeap. */
static pmm_status find_heaps(pmm_scan *scan, const pmm_scan_peb *peb, uint32_t extra_flags)
{
    const pmm_nt_layout *l = pmm_nt_layout_for(peb->pointer_size);
    uint32_t count = 0;
    uint64_t list = 0, process_heap = 0;
    pmm_source_read_u32(scan->src, peb->address + l->peb_number_of_heaps, &count);
    pmm_source_read_pointer(scan->src, peb->address + l->peb_process_heaps, peb->pointer_size, &list);
    if (count > MAX_HEAPS) {
        pmm_map_warn(scan->map, "PEB.NumberOfHeaps is %u; reading only the first %u", count, MAX_HEAPS);
        count = MAX_HEAPS;
    }
    for (uint32_t i = 0; list && i < count; i++) {
        uint64_t heap;
        if (pmm_source_read_pointer(scan->src, list + (uint64_t)i * peb->pointer_size, peb->pointer_size, &heap) != PMM_OK)
            break;
        if (heap) {
            pmm_status st = add_heap(scan, heap, PMM_HEAP_IN_PEB_LIST | extra_flags, peb->pointer_size);
            if (st != PMM_OK)
                return st;
        }
    }
    if (pmm_source_read_pointer(scan->src, peb->address + l->peb_process_heap, peb->pointer_size, &process_heap) == PMM_OK &&
        process_heap)
        return add_heap(scan, process_heap, PMM_HEAP_DEFAULT | extra_flags, peb->pointer_size);
    return PMM_OK;
}

static void annotate_kuser_shared_data(pmm_scan *scan)
{
    size_t i = pmm_map_find(scan->map, PMM_KUSER_SHARED_DATA);
    if (i != PMM_NO_INDEX && scan->map->regions[i].state != PMM_MEM_FREE)
        pmm_map_add_annotation(scan->map, PMM_KUSER_SHARED_DATA, KUSER_SHARED_DATA_SIZE, PMM_ANN_KUSER_SHARED_DATA,
                               0, 0, "KUSER_SHARED_DATA");
}

pmm_status pmm_analyze_peb(pmm_scan *scan)
{
    annotate_kuser_shared_data(scan);
    find_pebs(scan);
    if (scan->peb_count == 0) {
        if (scan->src->target.source_kind == PMM_SOURCE_LIVE || scan->src->target.peb)
            pmm_map_warn(scan->map, "the PEB could not be read: no modules from the loader list, no heaps");
        return PMM_OK;
    }
    for (size_t i = 0; i < scan->peb_count; i++) {
        const pmm_scan_peb *peb = &scan->pebs[i];
        const pmm_nt_layout *l = pmm_nt_layout_for(peb->pointer_size);
        const char *suffix = bits_suffix(scan, peb->pointer_size);
        char label[64];
        snprintf(label, sizeof label, "PEB%s", suffix);
        pmm_map_add_annotation(scan->map, peb->address, l->peb_size, PMM_ANN_PEB, peb->pointer_size * 8, 0, label);
        if (peb->ldr) {
            snprintf(label, sizeof label, "Loader data%s", suffix);
            pmm_map_add_annotation(scan->map, peb->ldr, l->ldr_size, PMM_ANN_LOADER_DATA, peb->pointer_size * 8, 0,
                                   label);
        }
        annotate_parameters(scan, peb, suffix);
        pmm_status st = find_heaps(scan, peb, i > 0 ? PMM_HEAP_FROM_PEB64 : 0);
        if (st != PMM_OK)
            return st;
    }
    return PMM_OK;
}
