/* Heaps as the OS itself lists them (the source's `heaps` op: RtlQueryProcessDebugInformation,
 * then Toolhelp, on Windows): every heap gets its `Heap (ID n)` label, every segment a
 * `heap_segment` annotation (and, when it is an allocation of its own, the heap label too), and
 * with PMM_SCAN_HEAP_BLOCKS every block a `heap_block` annotation. Runs after the PEB analyzer, so
 * heaps keep their PEB.ProcessHeaps IDs, and before the signature search, which then skips what is
 * known. What the OS reports is checked like target memory: an entry outside every allocation is
 * dropped, and the block count is capped. */
#include "analyzers.h"

#include <stdio.h>
#include <stdlib.h>

#define MAX_OS_HEAP_BLOCKS (1u << 20)
#define MAX_BLOCK_SIZE (1ull << 40)

static int has_annotation(const pmm_map *map, uint64_t base, pmm_annotation_kind kind)
{
    for (size_t i = 0; i < map->annotation_count; i++)
        if (map->annotations[i].base == base && map->annotations[i].kind == kind)
            return 1;
    return 0;
}

static uint32_t route_flags(uint32_t entry_flags)
{
    uint32_t flags = 0;
    if (entry_flags & PMM_HEAP_ENTRY_FROM_DEBUG_INFO)
        flags |= PMM_HEAP_FROM_DEBUG_INFO;
    if (entry_flags & PMM_HEAP_ENTRY_FROM_TOOLHELP)
        flags |= PMM_HEAP_FROM_TOOLHELP;
    return flags;
}

/* The heap's entry in the map (added when the PEB did not list it) and the Heap label on the
 * allocation holding addr, unless that allocation already has one. */
static pmm_status label_heap_allocation(pmm_scan *scan, uint64_t heap_address, uint64_t addr, uint32_t flags,
                                        uint32_t *id)
{
    pmm_heap *heap;
    uint64_t base, size;
    char label[64];
    pmm_status st = pmm_map_add_heap(scan->map, heap_address, flags, &heap);
    if (st != PMM_OK)
        return st;
    *id = heap->id;
    if (!pmm_scan_allocation_extent(scan->map, addr, &base, &size) || has_annotation(scan->map, base, PMM_ANN_HEAP))
        return PMM_OK;
    snprintf(label, sizeof label, "Heap (ID %u)", (unsigned)*id);
    return pmm_map_add_annotation(scan->map, base, size, PMM_ANN_HEAP, 0, *id, label);
}

static pmm_status add_segment(pmm_scan *scan, const pmm_heap_entry *e)
{
    uint32_t id;
    uint64_t base, size;
    char label[64];
    if (!pmm_scan_allocation_extent(scan->map, e->address, &base, &size))
        return PMM_OK;
    pmm_status st = label_heap_allocation(scan, e->heap, e->address, route_flags(e->flags), &id);
    if (st != PMM_OK || has_annotation(scan->map, base, PMM_ANN_HEAP_SEGMENT))
        return st;
    snprintf(label, sizeof label, "Heap segment (ID %u)", (unsigned)id);
    return pmm_map_add_annotation(scan->map, base, size, PMM_ANN_HEAP_SEGMENT, 0, id, label);
}

static pmm_status add_block(pmm_scan *scan, const pmm_heap_entry *e)
{
    uint64_t base, size;
    const pmm_heap *heap = NULL;
    for (size_t i = 0; i < scan->map->heap_count && !heap; i++)
        if (scan->map->heaps[i].address == e->heap)
            heap = &scan->map->heaps[i];
    if (!heap || e->size == 0 || e->size > MAX_BLOCK_SIZE || e->address > UINT64_MAX - e->size ||
        !pmm_scan_allocation_extent(scan->map, e->address, &base, &size) || e->address + e->size > base + size)
        return PMM_OK;
    return pmm_map_add_annotation(scan->map, e->address, e->size, PMM_ANN_HEAP_BLOCK, 0, heap->id,
                                  (e->flags & PMM_HEAP_ENTRY_BUSY) ? "Heap block (busy)" : "Heap block (free)");
}

static pmm_status add_entries(pmm_scan *scan, const pmm_heap_entry *entries, size_t count)
{
    pmm_status st = PMM_OK;
    size_t blocks = 0;
    /* Heaps first, in the OS's order, so IDs do not depend on where segments are listed. */
    for (size_t i = 0; i < count && st == PMM_OK; i++) {
        uint32_t id;
        if (entries[i].kind == PMM_HEAP_ENTRY_HEAP && entries[i].heap)
            st = label_heap_allocation(scan, entries[i].heap, entries[i].heap, route_flags(entries[i].flags), &id);
    }
    for (size_t i = 0; i < count && st == PMM_OK; i++) {
        if (entries[i].kind == PMM_HEAP_ENTRY_SEGMENT)
            st = add_segment(scan, &entries[i]);
        else if (entries[i].kind == PMM_HEAP_ENTRY_BLOCK && ++blocks <= MAX_OS_HEAP_BLOCKS)
            st = add_block(scan, &entries[i]);
    }
    if (st == PMM_OK && blocks > MAX_OS_HEAP_BLOCKS)
        st = pmm_map_warn(scan->map, "the OS listed %zu heap blocks; only the first %u are labelled", blocks,
                          MAX_OS_HEAP_BLOCKS);
    return st;
}

pmm_status pmm_analyze_os_heaps(pmm_scan *scan)
{
    pmm_heap_entry *entries = NULL;
    size_t count = 0;
    char message[512] = "";
    uint32_t flags = (scan->options->flags & PMM_SCAN_HEAP_BLOCKS) ? PMM_HEAP_QUERY_BLOCKS : 0;
    pmm_status st = pmm_source_heaps(scan->src, flags, &entries, &count, message, sizeof message);
    if (st == PMM_ERR_NOT_PROVIDED)
        return PMM_OK;
    if (st == PMM_ERR_GONE || st == PMM_ERR_NOMEM) {
        free(entries);
        return st;
    }
    if (st != PMM_OK || count == 0) {
        free(entries);
        return pmm_map_warn(scan->map, "heap segments%s as the OS lists them are not available: %s",
                            flags ? " and blocks" : "", message[0] ? message : pmm_status_text(st));
    }
    st = add_entries(scan, entries, count);
    free(entries);
    return st;
}
