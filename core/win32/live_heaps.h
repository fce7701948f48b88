/* The heap routes of a live process (source op `heaps`): RtlQueryProcessDebugInformation
 * (heap_debug_info.c), then Toolhelp (heap_toolhelp.c), each on a helper thread with a timeout. */
#ifndef PMM_LIVE_HEAPS_H
#define PMM_LIVE_HEAPS_H

#include <windows.h>
#include "../source/source.h"

/* How long one route may take before it is abandoned (its thread is left to finish alone). */
#define PMM_HEAP_ROUTE_TIMEOUT_MS 5000u

/* A growing array of entries, for the routes. */
typedef struct heap_entry_list {
    pmm_heap_entry *items;
    size_t count, cap;
} heap_entry_list;

pmm_status heap_entry_list_add(heap_entry_list *list, uint32_t kind, uint32_t flags, uint64_t heap, uint64_t address,
                               uint64_t size, uint64_t committed);

/* Each route runs synchronously (live_heaps.c puts it on a helper thread). On success list holds
 * what the route reported (possibly nothing); message says what happened either way. */
pmm_status heap_debug_info_query(DWORD pid, uint32_t query_flags, heap_entry_list *list, char *message, size_t cap);
pmm_status heap_toolhelp_query(DWORD pid, uint32_t query_flags, heap_entry_list *list, char *message, size_t cap);

/* The source op. */
pmm_status live_heaps(void *impl, uint32_t flags, pmm_heap_entry **out, size_t *count, char *message,
                      size_t message_cap);

#endif
