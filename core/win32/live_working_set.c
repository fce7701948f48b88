/* Working-set facts of a live process: QueryWorkingSetEx, one batch of pages per call (the caller
 * bounds the batch, so memory stays bounded however large the process is). */
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>
#include <psapi.h>
#include "live_internal.h"

/* Bits of PSAPI_WORKING_SET_EX_BLOCK.Flags, decoded by shifts rather than through the SDK's
 * bit-fields, whose layout compilers are free to choose. */
#define WS_VALID(f) ((f) & 1u)
#define WS_SHARE_COUNT(f) (((f) >> 1) & 7u)
#define WS_PROTECTION(f) (((f) >> 4) & 0x7ffu)
#define WS_SHARED(f) (((f) >> 15) & 1u)
#define WS_NODE(f) (((f) >> 16) & 0x3fu)
#define WS_LOCKED(f) (((f) >> 22) & 1u)
#define WS_LARGE_PAGE(f) (((f) >> 23) & 1u)
#define WS_BAD(f) (((f) >> 31) & 1u)

static int running_under_wine(void)
{
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    return ntdll && GetProcAddress(ntdll, "wine_get_version") != NULL;
}

/* Our own process is asked through the pseudo-handle: Wine answers QueryWorkingSetEx only for
 * GetCurrentProcess() and fails with error 87 on any real handle, even one to ourselves. */
static HANDLE ws_handle(const live_process *lp)
{
    if (lp->pid == GetCurrentProcessId())
        return GetCurrentProcess();
    return lp->ws_process ? lp->ws_process : lp->process;
}

static void decode(const PSAPI_WORKING_SET_EX_INFORMATION *in, size_t count, pmm_page_ws *out)
{
    for (size_t i = 0; i < count; i++) {
        ULONG_PTR f = in[i].VirtualAttributes.Flags;
        pmm_page_ws *p = &out[i];
        p->flags = (uint8_t)((WS_VALID(f) ? PMM_WS_VALID : 0) | (WS_SHARED(f) ? PMM_WS_SHARED : 0) |
                             (WS_BAD(f) ? PMM_WS_BAD : 0));
        p->share_count = 0;
        p->protect = 0;
        p->node = 0;
        p->reserved = 0;
        if (!WS_VALID(f))
            continue;   /* the other fields mean nothing for a page that is not resident */
        p->flags |= (uint8_t)((WS_LOCKED(f) ? PMM_WS_LOCKED : 0) | (WS_LARGE_PAGE(f) ? PMM_WS_LARGE_PAGE : 0));
        p->share_count = (uint8_t)WS_SHARE_COUNT(f);
        p->protect = (uint16_t)WS_PROTECTION(f);
        p->node = (uint16_t)WS_NODE(f);
    }
}

static BOOL query(live_process *lp, PSAPI_WORKING_SET_EX_INFORMATION *info, size_t count)
{
    LIVE_CALL_BEGIN(lp);
    BOOL ok = QueryWorkingSetEx(ws_handle(lp), info, (DWORD)(count * sizeof *info));
    LIVE_CALL_END(lp);
    return ok;
}

/* QueryWorkingSetEx is documented to need PROCESS_QUERY_INFORMATION, which the source does not
 * hold when the limited right was enough for VirtualQueryEx: asked for once, on first refusal. */
static int reopen_for_query(live_process *lp)
{
    if (lp->ws_process || lp->pid == GetCurrentProcessId())
        return 0;
    lp->ws_process = OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, FALSE, lp->pid);
    return lp->ws_process != NULL;
}

static pmm_status refused(live_process *lp, DWORD error, char *message, size_t cap)
{
    if (live_alive(lp) == PMM_ERR_GONE)
        return PMM_ERR_GONE;
    snprintf(message, cap, "QueryWorkingSetEx refused process %u (Windows error %lu)%s", (unsigned)lp->pid,
             (unsigned long)error,
             error == ERROR_INVALID_PARAMETER && running_under_wine()
                 ? ": Wine answers it only for a process asking about itself" : "");
    return PMM_ERR_UNSUPPORTED;
}

pmm_status live_working_set(void *impl, uint64_t addr, size_t count, pmm_page_ws *out, char *message, size_t cap)
{
    live_process *lp = impl;
    if (count == 0)
        return PMM_OK;
    if (addr > (uint64_t)(ULONG_PTR)-1 || count > ((uint64_t)(ULONG_PTR)-1 - addr) / PMM_PAGE_SIZE)
        return PMM_ERR_ARG;
    PSAPI_WORKING_SET_EX_INFORMATION *info = calloc(count, sizeof *info);
    if (!info)
        return PMM_ERR_NOMEM;
    for (size_t i = 0; i < count; i++)
        info[i].VirtualAddress = (PVOID)(ULONG_PTR)(addr + (uint64_t)i * PMM_PAGE_SIZE);
    BOOL ok = query(lp, info, count);
    DWORD error = ok ? 0 : GetLastError();
    if (!ok && error == ERROR_ACCESS_DENIED && reopen_for_query(lp)) {
        ok = query(lp, info, count);
        error = ok ? 0 : GetLastError();
    }
    if (ok)
        decode(info, count, out);
    free(info);
    return ok ? PMM_OK : refused(lp, error, message, cap);
}
