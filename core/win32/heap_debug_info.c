/* Heaps, segments and blocks through RtlQueryProcessDebugInformation, the route VMMap and System
 * Informer use. ntdll fills a buffer in our address space (a section it maps into both processes;
 * pointers in it are already ours) with RTL_PROCESS_HEAPS: a count and one RTL_HEAP_INFORMATION
 * per heap, each pointing at its RTL_HEAP_ENTRY array: segment entries (flag RTL_HEAP_SEGMENT,
 * with the segment's first block and committed size) each followed by that segment's blocks,
 * whose addresses are not stored: they follow each other from the segment's first block, each
 * block's Size bytes after the one before (the data EntryOverhead bytes after its header).
 *
 * Layouts (ours, from the public descriptions in phnt and ReactOS): RTL_HEAP_INFORMATION grew a
 * 64-bit HeapTag at its end in Windows 11 (build 22000: "V2"); the array stride depends on it.
 * Flags: HEAP_SUMMARY 0x4, HEAP_ENTRIES 0x10 (blocks, and on older Windows the segments),
 * HEAP_SEGMENTS 0x200 (segments without every block, newer Windows), NONINVASIVE 0x80000000 (no
 * thread created in the target, where supported). The non-invasive form is tried first; older
 * systems reject it and get the classic one, which creates a thread in the target.
 *
 * The buffer's contents come from the target and are checked like target memory: every pointer
 * and array must lie inside the committed part of the buffer, and every count is capped. */
#include "live_heaps.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define PDI_HEAP_SUMMARY 0x00000004u
#define PDI_HEAP_ENTRIES 0x00000010u
#define PDI_HEAP_SEGMENTS 0x00000200u
#define PDI_NONINVASIVE 0x80000000u
#define HEAP_ENTRY_BUSY 0x0001u
#define HEAP_ENTRY_SEGMENT 0x0002u
#define HEAP_ENTRY_UNCOMMITTED 0x1000u
#define STATUS_NO_MEMORY_VALUE ((LONG)0xC0000017)
#define MAX_BUFFER_SIZE (256u << 20)
#define MAX_HEAPS 65536u
#define WINDOWS_11_BUILD 22000u

typedef LONG(NTAPI *query_fn)(HANDLE pid, ULONG flags, PVOID buffer);
typedef PVOID(NTAPI *create_fn)(ULONG size, BOOLEAN event_pair);
typedef LONG(NTAPI *destroy_fn)(PVOID buffer);
typedef LONG(NTAPI *get_version_fn)(OSVERSIONINFOW *info);

/* The head of RTL_DEBUG_INFORMATION up to the heaps pointer. */
typedef struct debug_info_head {
    HANDLE section_client;
    PVOID view_client, view_target;
    ULONG_PTR view_delta;
    HANDLE event_pair_client, event_pair_target, target_pid, target_thread;
    ULONG flags;
    SIZE_T offset_free, commit_size, view_size;
    PVOID modules, back_traces, heaps;
} debug_info_head;

typedef struct heap_information_v1 {
    PVOID base_address;
    ULONG flags;
    USHORT entry_overhead, creator_back_trace_index;
    SIZE_T bytes_allocated, bytes_committed;
    ULONG number_of_tags, number_of_entries, number_of_pseudo_tags, pseudo_tag_granularity;
    ULONG reserved[5];
    PVOID tags, entries;
} heap_information_v1;

typedef struct heap_information_v2 {
    heap_information_v1 v1;
    ULONG64 heap_tag;
} heap_information_v2;

/* RTL_PROCESS_HEAPS: the array starts at its element's alignment (8 for V2 even on x86). */
typedef struct process_heaps_v1 {
    ULONG number_of_heaps;
    heap_information_v1 heaps[1];
} process_heaps_v1;

typedef struct process_heaps_v2 {
    ULONG number_of_heaps;
    heap_information_v2 heaps[1];
} process_heaps_v2;

typedef struct heap_entry_record {
    SIZE_T size;
    USHORT flags, allocator_back_trace_index;
    union {
        struct { SIZE_T settable; ULONG tag; } block;
        struct { SIZE_T committed_size; PVOID first_block; } segment;
    } u;
} heap_entry_record;

/* The sizes and offsets the public descriptions give, so a layout slip fails the build. */
#if defined(_WIN64)
_Static_assert(offsetof(debug_info_head, heaps) == 0x70, "RTL_DEBUG_INFORMATION.Heaps");
_Static_assert(sizeof(heap_information_v1) == 88 && sizeof(heap_information_v2) == 96, "RTL_HEAP_INFORMATION");
_Static_assert(sizeof(heap_entry_record) == 32, "RTL_HEAP_ENTRY");
#else
_Static_assert(offsetof(debug_info_head, heaps) == 0x38, "RTL_DEBUG_INFORMATION.Heaps");
_Static_assert(sizeof(heap_information_v1) == 64 && sizeof(heap_information_v2) == 72, "RTL_HEAP_INFORMATION");
_Static_assert(sizeof(heap_entry_record) == 16, "RTL_HEAP_ENTRY");
#endif

typedef struct debug_api {
    query_fn query;
    create_fn create;
    destroy_fn destroy;
    DWORD build;
} debug_api;

static int load_api(debug_api *api)
{
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    memset(api, 0, sizeof *api);
    if (!ntdll)
        return 0;
    api->query = (query_fn)(void (*)(void))GetProcAddress(ntdll, "RtlQueryProcessDebugInformation");
    api->create = (create_fn)(void (*)(void))GetProcAddress(ntdll, "RtlCreateQueryDebugBuffer");
    api->destroy = (destroy_fn)(void (*)(void))GetProcAddress(ntdll, "RtlDestroyQueryDebugBuffer");
    get_version_fn get_version = (get_version_fn)(void (*)(void))GetProcAddress(ntdll, "RtlGetVersion");
    OSVERSIONINFOW version;
    memset(&version, 0, sizeof version);
    version.dwOSVersionInfoSize = sizeof version;
    if (get_version && get_version(&version) == 0)
        api->build = version.dwBuildNumber;
    return api->query && api->create && api->destroy;
}

/* The committed, readable bytes of our own buffer from its start: the bound for every pointer. */
static size_t buffer_extent(const void *buffer)
{
    size_t total = 0;
    const char *at = buffer;
    for (int i = 0; i < 4096; i++) {
        MEMORY_BASIC_INFORMATION mbi;
        if (!VirtualQuery(at, &mbi, sizeof mbi) || mbi.State != MEM_COMMIT ||
            (mbi.Protect & (PAGE_NOACCESS | PAGE_GUARD)) || !(mbi.Protect & (PAGE_READONLY | PAGE_READWRITE)))
            break;
        size_t here = (size_t)((const char *)mbi.BaseAddress + mbi.RegionSize - at);
        total += here;
        at += here;
    }
    return total;
}

typedef struct checked_buffer {
    const char *base;
    size_t size;
} checked_buffer;

static const void *inside(const checked_buffer *b, const void *p, size_t count, size_t element)
{
    const char *c = p;
    if (!c || c < b->base || element == 0 || count > (b->size - (size_t)(c - b->base)) / element)
        return NULL;
    return c;
}

/* Segments, and blocks when asked, of one heap. */
static pmm_status add_heap_entries(const checked_buffer *b, const heap_information_v1 *h, int want_blocks,
                                   heap_entry_list *list)
{
    uint64_t heap = (uint64_t)(ULONG_PTR)h->base_address;
    const heap_entry_record *e = inside(b, h->entries, h->number_of_entries, sizeof *e);
    if (!e)
        return PMM_OK;
    uint64_t next_block = 0;
    pmm_status st = PMM_OK;
    for (ULONG i = 0; i < h->number_of_entries && st == PMM_OK; i++) {
        if (e[i].flags & HEAP_ENTRY_SEGMENT) {
            next_block = (uint64_t)(ULONG_PTR)e[i].u.segment.first_block;
            st = heap_entry_list_add(list, PMM_HEAP_ENTRY_SEGMENT, PMM_HEAP_ENTRY_FROM_DEBUG_INFO, heap, next_block,
                                     e[i].size, e[i].u.segment.committed_size);
            continue;
        }
        uint64_t block = next_block;
        next_block += e[i].size;
        if (!want_blocks || !block || (e[i].flags & HEAP_ENTRY_UNCOMMITTED))
            continue;
        uint32_t flags = PMM_HEAP_ENTRY_FROM_DEBUG_INFO | ((e[i].flags & HEAP_ENTRY_BUSY) ? PMM_HEAP_ENTRY_BUSY : 0);
        st = heap_entry_list_add(list, PMM_HEAP_ENTRY_BLOCK, flags, heap, block + h->entry_overhead,
                                 e[i].size > h->entry_overhead ? e[i].size - h->entry_overhead : e[i].size, 0);
    }
    return st;
}

static pmm_status parse_buffer(const void *buffer, int v2, int want_blocks, heap_entry_list *list, char *message,
                               size_t cap)
{
    checked_buffer b = {buffer, buffer_extent(buffer)};
    const debug_info_head *head = inside(&b, buffer, 1, sizeof *head);
    if (!head) {
        snprintf(message, cap, "the answer buffer is unreadable");
        return PMM_ERR_FORMAT;
    }
    const ULONG *count = inside(&b, head->heaps, 1, sizeof(ULONG));
    if (!count) {
        snprintf(message, cap, "returned success but listed no heaps");
        return PMM_OK;
    }
    size_t stride = v2 ? sizeof(heap_information_v2) : sizeof(heap_information_v1);
    const char *first = (const char *)head->heaps +
                        (v2 ? offsetof(process_heaps_v2, heaps) : offsetof(process_heaps_v1, heaps));
    ULONG n = *count > MAX_HEAPS ? MAX_HEAPS : *count;
    if (!inside(&b, first, n, stride)) {
        snprintf(message, cap, "claims %lu heaps, more than its buffer holds", (unsigned long)*count);
        return PMM_ERR_FORMAT;
    }
    pmm_status st = PMM_OK;
    for (ULONG i = 0; i < n && st == PMM_OK; i++) {
        const heap_information_v1 *h = (const heap_information_v1 *)(first + (size_t)i * stride);
        uint64_t base = (uint64_t)(ULONG_PTR)h->base_address;
        st = heap_entry_list_add(list, PMM_HEAP_ENTRY_HEAP, PMM_HEAP_ENTRY_FROM_DEBUG_INFO, base, base,
                                 h->bytes_committed, 0);
        if (st == PMM_OK)
            st = add_heap_entries(&b, h, want_blocks, list);
    }
    snprintf(message, cap, "%lu heaps, %zu entries (%s layout)", (unsigned long)n, list->count, v2 ? "V2" : "V1");
    return st == PMM_ERR_LIMIT ? PMM_OK : st;
}

/* One query with growing buffers, as ntdll asks for when the answer does not fit. */
static LONG query(const debug_api *api, DWORD pid, ULONG flags, PVOID *buffer)
{
    LONG status = STATUS_NO_MEMORY_VALUE;
    *buffer = NULL;
    for (ULONG size = 0x10000; size && size <= MAX_BUFFER_SIZE && status == STATUS_NO_MEMORY_VALUE; size *= 2) {
        PVOID b = api->create(size, FALSE);
        if (!b)
            return STATUS_NO_MEMORY_VALUE;
        status = api->query((HANDLE)(ULONG_PTR)pid, flags, b);
        if (status >= 0) {
            *buffer = b;
            return status;
        }
        api->destroy(b);
    }
    return status;
}

pmm_status heap_debug_info_query(DWORD pid, uint32_t query_flags, heap_entry_list *list, char *message, size_t cap)
{
    debug_api api;
    if (!load_api(&api)) {
        snprintf(message, cap, "not exported by this ntdll");
        return PMM_ERR_UNSUPPORTED;
    }
    int want_blocks = (query_flags & PMM_HEAP_QUERY_BLOCKS) != 0;
    ULONG noninvasive = PDI_HEAP_SUMMARY | PDI_HEAP_SEGMENTS | PDI_NONINVASIVE | (want_blocks ? PDI_HEAP_ENTRIES : 0);
    ULONG classic = PDI_HEAP_SUMMARY | PDI_HEAP_ENTRIES;
    PVOID buffer = NULL;
    LONG status = query(&api, pid, noninvasive, &buffer);
    const char *mode = "non-invasive";
    if (status < 0) {
        status = query(&api, pid, classic, &buffer);
        mode = "with a thread in the target";
    }
    if (status < 0) {
        snprintf(message, cap, "failed with NTSTATUS 0x%08lx", (unsigned long)status);
        return PMM_ERR_UNSUPPORTED;
    }
    char parsed[200];
    pmm_status st = parse_buffer(buffer, api.build >= WINDOWS_11_BUILD, want_blocks, list, parsed, sizeof parsed);
    api.destroy(buffer);
    snprintf(message, cap, "%s, %s", mode, parsed);
    return st;
}
