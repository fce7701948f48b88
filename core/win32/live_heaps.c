/* The live source's `heaps` op. Both routes ask the target itself: RtlQueryProcessDebugInformation
 * creates a thread in it (unless the non-invasive mode is supported) and Toolhelp's heap snapshot
 * does the same underneath, so either can wait forever on a target whose heap lock is held or
 * whose loader is stuck. Each runs on a helper thread; after PMM_HEAP_ROUTE_TIMEOUT_MS the scan
 * goes on without it and the helper, which owns its own copy of everything it touches, frees it
 * when (if ever) the call returns. */
#include "live_heaps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../util/array.h"
#include "live_internal.h"

#define MAX_HEAP_ENTRIES (4u << 20)

pmm_status heap_entry_list_add(heap_entry_list *list, uint32_t kind, uint32_t flags, uint64_t heap, uint64_t address,
                               uint64_t size, uint64_t committed)
{
    if (list->count >= MAX_HEAP_ENTRIES)
        return PMM_ERR_LIMIT;
    pmm_status st = pmm_array_reserve((void **)&list->items, &list->cap, list->count + 1, sizeof *list->items);
    if (st != PMM_OK)
        return st;
    pmm_heap_entry *e = &list->items[list->count++];
    e->kind = kind;
    e->flags = flags;
    e->heap = heap;
    e->address = address;
    e->size = size;
    e->committed = committed;
    return PMM_OK;
}

typedef pmm_status (*heap_route_fn)(DWORD pid, uint32_t query_flags, heap_entry_list *list, char *message,
                                    size_t cap);

/* Shared by the scan and the helper thread; whoever lets go last frees it. */
typedef struct heap_job {
    volatile LONG refs;
    heap_route_fn route;
    DWORD pid;
    uint32_t query_flags;
    pmm_status status;
    heap_entry_list list;
    char message[256];
} heap_job;

static void release_job(heap_job *job)
{
    if (InterlockedDecrement(&job->refs) == 0) {
        free(job->list.items);
        free(job);
    }
}

/* Test hook: PMM_TEST_HANG_HEAP_ROUTE=1 makes the first route never answer, as a deadlocked target
 * would, so tests can check that the scan goes on without it (README, "Heaps"). */
static int test_hang_requested(heap_route_fn route)
{
    char value[8];
    DWORD n = GetEnvironmentVariableA("PMM_TEST_HANG_HEAP_ROUTE", value, sizeof value);
    return route == heap_debug_info_query && n == 1 && value[0] == '1';
}

static DWORD WINAPI job_thread(LPVOID param)
{
    heap_job *job = param;
    if (test_hang_requested(job->route))
        Sleep(INFINITE);
    job->status = job->route(job->pid, job->query_flags, &job->list, job->message, sizeof job->message);
    release_job(job);
    return 0;
}

/* Runs one route with the timeout. On PMM_OK *list receives the entries (owned by the caller). */
static pmm_status run_route(heap_route_fn route, DWORD pid, uint32_t query_flags, heap_entry_list *list, char *message,
                            size_t cap)
{
    heap_job *job = calloc(1, sizeof *job);
    if (!job)
        return PMM_ERR_NOMEM;
    job->refs = 2;
    job->route = route;
    job->pid = pid;
    job->query_flags = query_flags;
    HANDLE thread = CreateThread(NULL, 0, job_thread, job, 0, NULL);
    if (!thread) {
        snprintf(message, cap, "no helper thread (Windows error %lu)", (unsigned long)GetLastError());
        free(job);
        return PMM_ERR_UNSUPPORTED;
    }
    DWORD waited = WaitForSingleObject(thread, PMM_HEAP_ROUTE_TIMEOUT_MS);
    CloseHandle(thread);
    if (waited != WAIT_OBJECT_0) {
        snprintf(message, cap, "no answer within %u ms; abandoned", (unsigned)PMM_HEAP_ROUTE_TIMEOUT_MS);
        release_job(job);
        return PMM_ERR_LIMIT;
    }
    pmm_status st = job->status;
    /* No timing in the text: a map's warnings must be the same for the same target state. */
    snprintf(message, cap, "%s", job->message[0] ? job->message : pmm_status_text(st));
    if (st == PMM_OK) {
        *list = job->list;
        memset(&job->list, 0, sizeof job->list);
    }
    release_job(job);
    return st;
}

pmm_status live_heaps(void *impl, uint32_t flags, pmm_heap_entry **out, size_t *count, char *message,
                      size_t message_cap)
{
    live_process *lp = impl;
    heap_entry_list list = {0};
    char debug_info[300] = "", toolhelp[300] = "";
    *out = NULL;
    *count = 0;
    pmm_status st = run_route(heap_debug_info_query, lp->pid, flags, &list, debug_info, sizeof debug_info);
    if (st == PMM_OK && list.count == 0)
        st = PMM_ERR_NOT_FOUND;
    if (st != PMM_OK) {
        free(list.items);
        memset(&list, 0, sizeof list);
        st = run_route(heap_toolhelp_query, lp->pid, flags, &list, toolhelp, sizeof toolhelp);
        if (st == PMM_OK && list.count == 0)
            st = PMM_ERR_NOT_FOUND;
    }
    if (message_cap)
        snprintf(message, message_cap, "RtlQueryProcessDebugInformation: %s%s%s", debug_info,
                 toolhelp[0] ? "; Toolhelp: " : "", toolhelp);
    if (st != PMM_OK) {
        free(list.items);
        return live_alive(lp) == PMM_ERR_GONE ? PMM_ERR_GONE : st;
    }
    *out = list.items;
    *count = list.count;
    return PMM_OK;
}
