/* Heaps (and blocks, when asked) through Toolhelp: Heap32ListFirst/Next give each heap's ID (its
 * address), Heap32First/Next its blocks. No segments. Heap32Next re-reads the heap for every
 * block, so blocks are capped per heap; the whole route runs under live_heaps.c's timeout. */
#include "live_heaps.h"

#include <tlhelp32.h>
#include <stdio.h>

#define MAX_TOOLHELP_HEAPS 4096u
#define MAX_TOOLHELP_BLOCKS_PER_HEAP 20000u

static pmm_status add_blocks(DWORD pid, ULONG_PTR heap_id, heap_entry_list *list, size_t *blocks)
{
    HEAPENTRY32 he;
    memset(&he, 0, sizeof he);
    he.dwSize = sizeof he;
    pmm_status st = PMM_OK;
    if (!Heap32First(&he, pid, heap_id))
        return PMM_OK;
    for (unsigned n = 0; n < MAX_TOOLHELP_BLOCKS_PER_HEAP && st == PMM_OK; n++) {
        uint32_t flags = PMM_HEAP_ENTRY_FROM_TOOLHELP | ((he.dwFlags & LF32_FREE) ? 0 : PMM_HEAP_ENTRY_BUSY);
        st = heap_entry_list_add(list, PMM_HEAP_ENTRY_BLOCK, flags, heap_id, (uint64_t)he.dwAddress, he.dwBlockSize, 0);
        ++*blocks;
        if (!Heap32Next(&he))
            break;
    }
    return st;
}

pmm_status heap_toolhelp_query(DWORD pid, uint32_t query_flags, heap_entry_list *list, char *message, size_t cap)
{
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPHEAPLIST, pid);
    if (snap == INVALID_HANDLE_VALUE) {
        snprintf(message, cap, "CreateToolhelp32Snapshot failed (Windows error %lu)", (unsigned long)GetLastError());
        return PMM_ERR_UNSUPPORTED;
    }
    HEAPLIST32 hl;
    memset(&hl, 0, sizeof hl);
    hl.dwSize = sizeof hl;
    size_t heaps = 0, blocks = 0;
    pmm_status st = PMM_OK;
    if (!Heap32ListFirst(snap, &hl)) {
        snprintf(message, cap, "Heap32ListFirst listed no heaps (Windows error %lu)", (unsigned long)GetLastError());
        CloseHandle(snap);
        return PMM_OK;
    }
    do {
        st = heap_entry_list_add(list, PMM_HEAP_ENTRY_HEAP, PMM_HEAP_ENTRY_FROM_TOOLHELP, hl.th32HeapID, hl.th32HeapID,
                                 0, 0);
        heaps++;
        if (st == PMM_OK && (query_flags & PMM_HEAP_QUERY_BLOCKS))
            st = add_blocks(pid, hl.th32HeapID, list, &blocks);
    } while (st == PMM_OK && heaps < MAX_TOOLHELP_HEAPS && Heap32ListNext(snap, &hl));
    CloseHandle(snap);
    snprintf(message, cap, "%zu heaps, %zu blocks", heaps, blocks);
    return st == PMM_ERR_LIMIT ? PMM_OK : st;
}
