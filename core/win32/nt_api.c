/* The few ntdll calls with no Win32 equivalent, resolved at run time. */
#include "win32_util.h"

typedef LONG(NTAPI *query_process_fn)(HANDLE, ULONG, PVOID, ULONG, PULONG);
typedef LONG(NTAPI *query_thread_fn)(HANDLE, ULONG, PVOID, ULONG, PULONG);

enum {
    PROCESS_BASIC_INFORMATION_CLASS = 0,
    PROCESS_WOW64_INFORMATION_CLASS = 26,
    THREAD_BASIC_INFORMATION_CLASS = 0,
    THREAD_START_ADDRESS_CLASS = 9
};

/* Our own copies of the layouts, in the tool's bitness. */
typedef struct process_basic_information {
    LONG exit_status;
    PVOID peb_base_address;
    ULONG_PTR affinity_mask;
    LONG base_priority;
    ULONG_PTR unique_process_id;
    ULONG_PTR inherited_from_unique_process_id;
} process_basic_information;

typedef struct thread_basic_information {
    LONG exit_status;
    PVOID teb_base_address;
    HANDLE client_process;
    HANDLE client_thread;
    ULONG_PTR affinity_mask;
    LONG priority;
    LONG base_priority;
} thread_basic_information;

static FARPROC ntdll_function(const char *name)
{
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    return ntdll ? GetProcAddress(ntdll, name) : NULL;
}

static pmm_status status_from_nt(LONG nt)
{
    if (nt >= 0)
        return PMM_OK;
    if ((ULONG)nt == 0xC0000022u)  /* STATUS_ACCESS_DENIED */
        return PMM_ERR_ACCESS;
    return PMM_ERR_UNSUPPORTED;
}

static pmm_status query_process(HANDLE process, ULONG info_class, void *buf, ULONG len)
{
    query_process_fn query = (query_process_fn)(void (*)(void))ntdll_function("NtQueryInformationProcess");
    if (!query)
        return PMM_ERR_UNSUPPORTED;
    return status_from_nt(query(process, info_class, buf, len, NULL));
}

static pmm_status query_thread(HANDLE thread, ULONG info_class, void *buf, ULONG len)
{
    query_thread_fn query = (query_thread_fn)(void (*)(void))ntdll_function("NtQueryInformationThread");
    if (!query)
        return PMM_ERR_UNSUPPORTED;
    return status_from_nt(query(thread, info_class, buf, len, NULL));
}

pmm_status pmm_nt_process_peb(HANDLE process, uint64_t *peb)
{
    process_basic_information info;
    ZeroMemory(&info, sizeof info);
    pmm_status st = query_process(process, PROCESS_BASIC_INFORMATION_CLASS, &info, sizeof info);
    *peb = st == PMM_OK ? (uint64_t)(ULONG_PTR)info.peb_base_address : 0;
    return st;
}

pmm_status pmm_nt_process_wow64_peb(HANDLE process, uint64_t *peb32)
{
    ULONG_PTR value = 0;
    pmm_status st = query_process(process, PROCESS_WOW64_INFORMATION_CLASS, &value, sizeof value);
    *peb32 = st == PMM_OK ? (uint64_t)value : 0;
    return st;
}

pmm_status pmm_nt_thread_teb(HANDLE thread, uint64_t *teb)
{
    thread_basic_information info;
    ZeroMemory(&info, sizeof info);
    pmm_status st = query_thread(thread, THREAD_BASIC_INFORMATION_CLASS, &info, sizeof info);
    *teb = st == PMM_OK ? (uint64_t)(ULONG_PTR)info.teb_base_address : 0;
    return st;
}

pmm_status pmm_nt_thread_start_address(HANDLE thread, uint64_t *start)
{
    PVOID value = NULL;
    pmm_status st = query_thread(thread, THREAD_START_ADDRESS_CLASS, &value, sizeof value);
    *start = st == PMM_OK ? (uint64_t)(ULONG_PTR)value : 0;
    return st;
}
