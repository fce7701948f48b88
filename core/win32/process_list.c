#include "process_list.h"

#include <windows.h>
#include <psapi.h>
#include <tlhelp32.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../util/array.h"
#include "win32_util.h"

static uint32_t process_bits(HANDLE process)
{
    BOOL target_wow64 = FALSE, self_wow64 = FALSE;
    if (!IsWow64Process(process, &target_wow64))
        return 0;
    IsWow64Process(GetCurrentProcess(), &self_wow64);
    if (target_wow64)
        return 32;
    return (sizeof(void *) == 8 || self_wow64) ? 64 : 32;
}

/* Accounts seen so far: most processes share a handful, and a lookup may ask a domain controller. */
typedef struct user_cache {
    BYTE sid[8][SECURITY_MAX_SID_SIZE];
    char name[8][160];
    size_t count;
} user_cache;

static void process_user(HANDLE process, user_cache *cache, char *out, size_t cap)
{
    HANDLE token;
    union { TOKEN_USER user; BYTE bytes[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE]; } info;
    DWORD size = 0;
    out[0] = '\0';
    if (!OpenProcessToken(process, TOKEN_QUERY, &token))
        return;
    BOOL ok = GetTokenInformation(token, TokenUser, &info, sizeof info, &size);
    CloseHandle(token);
    if (!ok || !IsValidSid(info.user.User.Sid))
        return;
    PSID sid = info.user.User.Sid;
    for (size_t i = 0; i < cache->count; i++)
        if (EqualSid(sid, (PSID)cache->sid[i])) {
            snprintf(out, cap, "%s", cache->name[i]);
            return;
        }
    wchar_t name[128], domain[128];
    DWORD name_len = 128, domain_len = 128;
    SID_NAME_USE use;
    if (!LookupAccountSidW(NULL, sid, name, &name_len, domain, &domain_len, &use))
        return;
    char name8[128], domain8[128];
    pmm_wide_to_utf8(name, name8, sizeof name8);
    pmm_wide_to_utf8(domain, domain8, sizeof domain8);
    snprintf(out, cap, "%s%s%s", domain8, domain8[0] ? "\\" : "", name8);
    if (cache->count < 8 && GetLengthSid(sid) <= SECURITY_MAX_SID_SIZE) {
        CopySid(SECURITY_MAX_SID_SIZE, (PSID)cache->sid[cache->count], sid);
        snprintf(cache->name[cache->count++], sizeof cache->name[0], "%s", out);
    }
}

static void process_memory(HANDLE process, pmm_process_entry *e)
{
    PROCESS_MEMORY_COUNTERS_EX counters;
    memset(&counters, 0, sizeof counters);
    counters.cb = sizeof counters;
    if (!GetProcessMemoryInfo(process, (PROCESS_MEMORY_COUNTERS *)&counters, sizeof counters))
        return;
    e->has_working_set = 1;
    e->working_set = counters.WorkingSetSize;
    /* Every process has private memory (its stacks, its heap): 0 means the OS did not say. */
    e->has_private = counters.PrivateUsage != 0;
    e->private_bytes = counters.PrivateUsage;
}

static void describe_process(pmm_process_entry *e, user_cache *users)
{
    HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, e->pid);
    if (!process)
        return;
    e->bits = process_bits(process);
    process_user(process, users, e->user, sizeof e->user);
    process_memory(process, e);
    if (!e->has_working_set) {
        /* Before Windows 8.1 the memory counters need the full query right and VM read. */
        HANDLE full = OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, FALSE, e->pid);
        if (full) {
            process_memory(full, e);
            CloseHandle(full);
        }
    }
    CloseHandle(process);
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
    user_cache *users = calloc(1, sizeof *users);
    for (BOOL more = Process32FirstW(snap, &pe); more; more = Process32NextW(snap, &pe)) {
        st = pmm_array_reserve((void **)&list, &cap, n + 1, sizeof *list);
        if (st != PMM_OK)
            break;
        pmm_process_entry *e = &list[n++];
        memset(e, 0, sizeof *e);
        e->pid = pe.th32ProcessID;
        e->parent_pid = pe.th32ParentProcessID;
        pmm_wide_to_utf8(pe.szExeFile, e->name, sizeof e->name);
        if (e->pid && users)
            describe_process(e, users);
    }
    free(users);
    CloseHandle(snap);
    if (st != PMM_OK) {
        free(list);
        return st;
    }
    *out = list;
    *count = n;
    return PMM_OK;
}
