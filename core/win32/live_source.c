/* The live-process source: VirtualQueryEx and ReadProcessMemory on a process opened with the
 * least rights that let us map it. Nothing here writes to the target. */
#include "live_source.h"

#include <stdio.h>
#include <stdlib.h>
#include <windows.h>
#include <psapi.h>
#include "live_heaps.h"
#include "live_internal.h"
#include "win32_util.h"
#include "../util/names.h"

#define LIVE_OPEN_RIGHTS (PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_VM_READ | SYNCHRONIZE)
/* VirtualQueryEx is documented to need PROCESS_QUERY_INFORMATION; asked for only when the limited
 * right is refused for it. */
#define LIVE_QUERY_RIGHTS (PROCESS_QUERY_INFORMATION | PROCESS_VM_READ | SYNCHRONIZE)
#define READ_CHUNK (1u << 20)

pmm_status live_alive(void *impl)
{
    live_process *lp = impl;
    return WaitForSingleObject(lp->process, 0) == WAIT_OBJECT_0 ? PMM_ERR_GONE : PMM_OK;
}

static pmm_status live_query(void *impl, uint64_t addr, pmm_region_info *out)
{
    live_process *lp = impl;
    MEMORY_BASIC_INFORMATION mbi;
    if (addr > (uint64_t)(ULONG_PTR)-1)
        return PMM_END;
    LIVE_CALL_BEGIN(lp);
    SIZE_T answered = VirtualQueryEx(lp->process, (LPCVOID)(ULONG_PTR)addr, &mbi, sizeof mbi);
    LIVE_CALL_END(lp);
    if (!answered) {
        DWORD error = GetLastError();
        if (live_alive(lp) == PMM_ERR_GONE)
            return PMM_ERR_GONE;
        if (error == ERROR_INVALID_PARAMETER)
            return PMM_END;  /* past the highest user address */
        return error == ERROR_ACCESS_DENIED ? PMM_ERR_ACCESS : PMM_ERR_READ;
    }
    out->base = (uint64_t)(ULONG_PTR)mbi.BaseAddress;
    out->size = mbi.RegionSize;
    out->alloc_base = (uint64_t)(ULONG_PTR)mbi.AllocationBase;
    out->alloc_protect = mbi.AllocationProtect;
    out->protect = mbi.Protect;
    out->state = mbi.State;
    out->type = mbi.Type;
    return PMM_OK;
}

static size_t read_pages(live_process *lp, uint64_t addr, uint8_t *buf, size_t len)
{
    size_t done = 0;
    while (done < len) {
        uint64_t at = addr + done;
        size_t n = (size_t)(PMM_PAGE_SIZE - (at % PMM_PAGE_SIZE));
        if (n > len - done)
            n = len - done;
        SIZE_T got = 0;
        LIVE_CALL_BEGIN(lp);
        BOOL ok = ReadProcessMemory(lp->process, (LPCVOID)(ULONG_PTR)at, buf + done, n, &got);
        LIVE_CALL_END(lp);
        if (!ok || got != n) {
            done += got;  /* what a partial copy did deliver is contiguous from `at` */
            break;
        }
        done += n;
    }
    return done;
}

/* Whole chunks first; when one fails, page by page so the caller learns exactly how far it got. */
static size_t live_read(void *impl, uint64_t addr, void *buf, size_t len)
{
    live_process *lp = impl;
    uint8_t *out = buf;
    size_t done = 0;
    if (addr > (uint64_t)(ULONG_PTR)-1)
        return 0;
    while (done < len) {
        size_t n = len - done < READ_CHUNK ? len - done : READ_CHUNK;
        SIZE_T got = 0;
        LIVE_CALL_BEGIN(lp);
        BOOL ok = ReadProcessMemory(lp->process, (LPCVOID)(ULONG_PTR)(addr + done), out + done, n, &got);
        LIVE_CALL_END(lp);
        if (ok && got == n) {
            done += n;
            continue;
        }
        size_t partial = read_pages(lp, addr + done, out + done, n);
        done += partial;
        if (partial < n)
            break;
    }
    return done;
}

static pmm_status live_mapped_file_name(void *impl, uint64_t addr, char *buf, size_t cap)
{
    live_process *lp = impl;
    wchar_t name[1024];
    LIVE_CALL_BEGIN(lp);
    DWORD len = GetMappedFileNameW(lp->process, (LPVOID)(ULONG_PTR)addr, name, sizeof name / sizeof name[0]);
    LIVE_CALL_END(lp);
    if (!len)
        return PMM_ERR_NOT_FOUND;
    pmm_device_path_to_dos(name, buf, cap);
    return PMM_OK;
}

static void live_close(void *impl)
{
    live_process *lp = impl;
    if (lp) {
        live_watchdog_stop(lp);
        CloseHandle(lp->process);
        if (lp->ws_process)
            CloseHandle(lp->ws_process);
        free(lp);
    }
}

static const pmm_source_ops live_ops = {
    .query = live_query,
    .read = live_read,
    .threads = live_threads,
    .modules = live_modules,
    .mapped_file_name = live_mapped_file_name,
    .alive = live_alive,
    .close = live_close,
    .heaps = live_heaps,
    .working_set = live_working_set,
};

static int is_wow64(HANDLE process)
{
    BOOL wow64 = FALSE;
    return IsWow64Process(process, &wow64) && wow64;
}

static void fill_target(live_process *lp, pmm_target_info *t)
{
    SYSTEM_INFO si;
    wchar_t path[1024];
    DWORD len = sizeof path / sizeof path[0];
    GetSystemInfo(&si);
    t->source_kind = PMM_SOURCE_LIVE;
    t->pid = lp->pid;
    t->pointer_size = lp->pointer_size;
    t->wow64 = (uint32_t)lp->wow64;
    t->tool_pointer_size = sizeof(void *);
    t->lowest_address = 0;
    t->highest_address = (uint64_t)(ULONG_PTR)si.lpMaximumApplicationAddress;
    if (QueryFullProcessImageNameW(lp->process, 0, path, &len)) {
        pmm_wide_to_utf8(path, t->path, sizeof t->path);
        snprintf(t->name, sizeof t->name, "%s", pmm_path_base_name(t->path));
    }
    pmm_nt_process_peb(lp->process, &t->peb);
    if (lp->wow64 && sizeof(void *) == 8)
        pmm_nt_process_wow64_peb(lp->process, &t->peb32);
}

static pmm_status open_failure(uint32_t pid, DWORD error, char *message, size_t cap)
{
    if (error == ERROR_INVALID_PARAMETER) {
        snprintf(message, cap, "no process with id %u is running", (unsigned)pid);
        return PMM_ERR_NOT_FOUND;
    }
    if (error == ERROR_ACCESS_DENIED) {
        snprintf(message, cap,
                 "access denied to process %u: run as administrator, or add --debug-privilege to use SeDebugPrivilege",
                 (unsigned)pid);
        return PMM_ERR_ACCESS;
    }
    snprintf(message, cap, "cannot open process %u (Windows error %lu)", (unsigned)pid, (unsigned long)error);
    return pmm_status_from_win32(error);
}

static HANDLE open_for_query(uint32_t pid, DWORD *error)
{
    MEMORY_BASIC_INFORMATION mbi;
    HANDLE process = OpenProcess(LIVE_OPEN_RIGHTS, FALSE, pid);
    if (!process) {
        *error = GetLastError();
        return NULL;
    }
    if (VirtualQueryEx(process, NULL, &mbi, sizeof mbi) || GetLastError() != ERROR_ACCESS_DENIED)
        return process;
    CloseHandle(process);
    process = OpenProcess(LIVE_QUERY_RIGHTS, FALSE, pid);
    if (!process)
        *error = GetLastError();
    return process;
}

pmm_status pmm_live_open(uint32_t pid, pmm_source *out, char *message, size_t message_cap)
{
    char ignored[8];
    if (!message) {
        message = ignored;
        message_cap = sizeof ignored;
    }
    message[0] = '\0';
    ZeroMemory(out, sizeof *out);
    DWORD error = 0;
    HANDLE process = open_for_query(pid, &error);
    if (!process)
        return open_failure(pid, error, message, message_cap);
    int target_wow64 = is_wow64(process);
    int self_wow64 = is_wow64(GetCurrentProcess());
    uint32_t pointer_size = target_wow64 ? 4 : (self_wow64 ? 8 : (uint32_t)sizeof(void *));
    if (pointer_size > sizeof(void *)) {
        CloseHandle(process);
        snprintf(message, message_cap,
                 "process %u is 64-bit and this is the 32-bit build, which cannot read it: use the 64-bit build",
                 (unsigned)pid);
        return PMM_ERR_UNSUPPORTED;
    }
    live_process *lp = calloc(1, sizeof *lp);
    if (!lp) {
        CloseHandle(process);
        return PMM_ERR_NOMEM;
    }
    lp->process = process;
    lp->pid = pid;
    lp->pointer_size = pointer_size;
    lp->wow64 = target_wow64;
    if (live_alive(lp) == PMM_ERR_GONE) {
        live_close(lp);
        snprintf(message, message_cap, "process %u has already exited", (unsigned)pid);
        return PMM_ERR_GONE;
    }
    if (!live_watchdog_start(lp)) {
        live_close(lp);
        snprintf(message, message_cap, "cannot start the watchdog thread (Windows error %lu)",
                 (unsigned long)GetLastError());
        return PMM_ERR_NOMEM;
    }
    out->ops = &live_ops;
    out->impl = lp;
    fill_target(lp, &out->target);
    return PMM_OK;
}
