/* State of an open live process, shared by the live source's files. */
#ifndef PMM_LIVE_INTERNAL_H
#define PMM_LIVE_INTERNAL_H

#include <windows.h>
#include "../source/source.h"

typedef struct live_process {
    HANDLE process;
    DWORD pid;
    uint32_t pointer_size;
    int wow64;
} live_process;

pmm_status live_threads(void *impl, pmm_thread_info **out, size_t *count);
pmm_status live_modules(void *impl, pmm_module_info **out, size_t *count);
pmm_status live_alive(void *impl);

#endif
