/* Heaps found by their header signature, for when PEB.ProcessHeaps does not list them (Wine leaves
 * it empty; a dump may not hold the list). An NT heap starts with a _HEAP_SEGMENT:
 *   Entry (HEAP_ENTRY, 8/16 bytes), SegmentSignature 0xFFEEFFEE at 0x8 (x86) / 0x10 (x64),
 *   SegmentFlags, SegmentListEntry, Heap (the owning _HEAP) at 0x18 / 0x28,
 *   BaseAddress at 0x1C / 0x30.
 * Wine's struct heap (dlls/ntdll/heap.c) copies that prefix ("Windows 10 compatible struct
 * layout") with the signature at the same offsets and leaves the Heap and BaseAddress slots zero.
 * So a private allocation whose base carries the signature, and whose Heap field is zero or points
 * at itself, is taken for a heap; a segment owned by another heap (Heap pointing elsewhere) is
 * not a heap of its own. Only the bases of private committed allocations are read: 4 to 16
 * bytes each, which costs nothing beside the region walk. */
#include "analyzers.h"

#include <stdio.h>

#define HEAP_SEGMENT_SIGNATURE 0xFFEEFFEEu
#define MAX_SIGNATURE_HEAPS 4096u

typedef struct heap_layout {
    uint32_t signature, heap, base_address;
} heap_layout;

static const heap_layout layout32 = {0x08, 0x18, 0x1C};
static const heap_layout layout64 = {0x10, 0x28, 0x30};

static int already_known(const pmm_map *map, uint64_t address)
{
    for (size_t i = 0; i < map->heap_count; i++)
        if (map->heaps[i].address == address)
            return 1;
    return 0;
}

/* Zero (Wine) or the address itself (a _HEAP's own first segment). */
static int owns_itself(pmm_scan *scan, uint64_t base, uint32_t offset, uint32_t pointer_size)
{
    uint64_t value;
    if (pmm_source_read_pointer(scan->src, base + offset, pointer_size, &value) != PMM_OK)
        return 0;
    return value == 0 || value == base;
}

static int is_heap_header(pmm_scan *scan, uint64_t base, uint32_t pointer_size)
{
    const heap_layout *l = pointer_size == 8 ? &layout64 : &layout32;
    uint32_t signature;
    if (pmm_source_read_u32(scan->src, base + l->signature, &signature) != PMM_OK || signature != HEAP_SEGMENT_SIGNATURE)
        return 0;
    return owns_itself(scan, base, l->heap, pointer_size) && owns_itself(scan, base, l->base_address, pointer_size);
}

static pmm_status add_signature_heap(pmm_scan *scan, uint64_t base)
{
    pmm_heap *heap;
    uint64_t alloc_base, size;
    char label[64];
    pmm_status st = pmm_map_add_heap(scan->map, base, PMM_HEAP_FOUND_BY_SIGNATURE, &heap);
    if (st != PMM_OK || !pmm_scan_allocation_extent(scan->map, base, &alloc_base, &size))
        return st;
    snprintf(label, sizeof label, "Heap (ID %u)", (unsigned)heap->id);
    return pmm_map_add_annotation(scan->map, alloc_base, size, PMM_ANN_HEAP, 0, heap->id, label);
}

/* The layouts to try: the process's own, and the 64-bit one of a WOW64 process (whose 64-bit
 * ntdll keeps 64-bit heaps beside the 32-bit ones). */
static size_t candidate_sizes(pmm_scan *scan, uint32_t sizes[2])
{
    size_t n = 0;
    sizes[n++] = scan->src->target.pointer_size == 4 ? 4 : 8;
    if (scan->src->target.pointer_size == 4 && scan->src->target.wow64)
        sizes[n++] = 8;
    return n;
}

pmm_status pmm_analyze_heap_signatures(pmm_scan *scan)
{
    pmm_map *map = scan->map;
    uint32_t sizes[2];
    size_t nsizes = candidate_sizes(scan, sizes), found = 0;
    pmm_status st = PMM_OK;
    for (size_t i = 0; i < map->region_count && st == PMM_OK; i++) {
        if (i % 32 == 0 && pmm_scan_step(scan, i, map->region_count))
            return PMM_ERR_CANCELLED;
        const pmm_region *r = &map->regions[i];
        /* Heap headers sit at the start of their allocation, in committed private memory (readable,
         * or of unknown protection in a minidump without MemoryInfoList; of unknown type in a
         * process of a kernel dump, whose regions are page-table runs). */
        if (r->base != r->alloc_base || r->state != PMM_MEM_COMMIT || (r->type != PMM_MEM_PRIVATE && r->type != 0) ||
            !pmm_protect_may_be_read(r->protect) || already_known(map, r->base))
            continue;
        for (size_t s = 0; s < nsizes; s++) {
            if (!is_heap_header(scan, r->base, sizes[s]))
                continue;
            if (++found > MAX_SIGNATURE_HEAPS)
                return pmm_map_warn(map, "more than %u heaps found by signature; the rest are not labelled",
                                    MAX_SIGNATURE_HEAPS);
            st = add_signature_heap(scan, r->base);
            break;
        }
    }
    return st;
}
