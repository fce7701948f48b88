/* State of an open live process, shared by the live source's files. */
#ifndef PMM_LIVE_INTERNAL_H
#define PMM_LIVE_INTERNAL_H

#include <windows.h>
#include "../source/source.h"

typedef struct live_process {
    HANDLE process;
    HANDLE ws_process;            /* PROCESS_QUERY_INFORMATION handle for QueryWorkingSetEx, when needed */
    DWORD pid;
    uint32_t pointer_size;
    int wow64;
    volatile LONG in_call;        /* how many queries or reads of ours are inside the OS (the window
                                   * and a job may read at once) */
    volatile LONG call_sequence;  /* counts those calls, so the watchdog sees progress */
    HANDLE watchdog;
    HANDLE stop_watchdog;
} live_process;

/* Brackets every OS call that the target's death can leave hanging (see live_watchdog.c). */
#define LIVE_CALL_BEGIN(lp) (InterlockedIncrement(&(lp)->call_sequence), InterlockedIncrement(&(lp)->in_call))
#define LIVE_CALL_END(lp) InterlockedDecrement(&(lp)->in_call)

int live_watchdog_start(live_process *lp);
void live_watchdog_stop(live_process *lp);

pmm_status live_threads(void *impl, pmm_thread_info **out, size_t *count);
pmm_status live_modules(void *impl, pmm_module_info **out, size_t *count);
pmm_status live_alive(void *impl);
pmm_status live_working_set(void *impl, uint64_t addr, size_t count, pmm_page_ws *out, char *message, size_t cap);

#endif
