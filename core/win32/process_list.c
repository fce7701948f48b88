#include "process_list.h"

#include <windows.h>
#include <tlhelp32.h>
#include <stdlib.h>
#include "../util/array.h"
#include "win32_util.h"

static uint32_t process_bits(DWORD pid)
{
    HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    if (!process)
        return 0;
    BOOL target_wow64 = FALSE, self_wow64 = FALSE;
    BOOL ok = IsWow64Process(process, &target_wow64);
    CloseHandle(process);
    if (!ok)
        return 0;
    IsWow64Process(GetCurrentProcess(), &self_wow64);
    if (target_wow64)
        return 32;
    return (sizeof(void *) == 8 || self_wow64) ? 64 : 32;
}

pmm_status pmm_list_processes(pmm_process_entry **out, size_t *count)
{
    pmm_process_entry *list = NULL;
    size_t n = 0, cap = 0;
    *out = NULL;
    *count = 0;
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
    if (snap == INVALID_HANDLE_VALUE)
        return pmm_status_from_win32(GetLastError());
    PROCESSENTRY32W pe;
    pe.dwSize = sizeof pe;
    pmm_status st = PMM_OK;
    for (BOOL more = Process32FirstW(snap, &pe); more; more = Process32NextW(snap, &pe)) {
        st = pmm_array_reserve((void **)&list, &cap, n + 1, sizeof *list);
        if (st != PMM_OK)
            break;
        pmm_process_entry *e = &list[n++];
        e->pid = pe.th32ProcessID;
        e->parent_pid = pe.th32ParentProcessID;
        e->bits = pe.th32ProcessID ? process_bits(pe.th32ProcessID) : 0;
        pmm_wide_to_utf8(pe.szExeFile, e->name, sizeof e->name);
    }
    CloseHandle(snap);
    if (st != PMM_OK) {
        free(list);
        return st;
    }
    *out = list;
    *count = n;
    return PMM_OK;
}
