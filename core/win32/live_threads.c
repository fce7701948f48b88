/* Threads and modules of a live process, from Toolhelp snapshots and per-thread queries. */
#include <windows.h>
#include <tlhelp32.h>
#include <stdlib.h>
#include <string.h>
#include "../util/array.h"
#include "live_internal.h"
#include "win32_util.h"

#define MAX_THREADS 65536u
#define SNAPSHOT_RETRIES 5

static HANDLE open_thread(DWORD tid, DWORD preferred, DWORD fallback)
{
    HANDLE thread = OpenThread(preferred, FALSE, tid);
    return thread ? thread : (fallback ? OpenThread(fallback, FALSE, tid) : NULL);
}

/* Reads the registers without suspending the thread: a waiting thread's context is exact, a
 * running one's is a snapshot. Suspending would change the target, which we never do. */
static void read_context(DWORD tid, const live_process *lp, pmm_thread_info *t)
{
    HANDLE thread = OpenThread(THREAD_GET_CONTEXT | THREAD_QUERY_LIMITED_INFORMATION, FALSE, tid);
    if (!thread)
        return;
    CONTEXT ctx;
    ZeroMemory(&ctx, sizeof ctx);
    ctx.ContextFlags = CONTEXT_CONTROL | CONTEXT_INTEGER;
    if (GetThreadContext(thread, &ctx)) {
#if defined(_WIN64)
        uint64_t regs[16] = {ctx.Rax, ctx.Rcx, ctx.Rdx, ctx.Rbx, ctx.Rsp, ctx.Rbp, ctx.Rsi, ctx.Rdi,
                             ctx.R8,  ctx.R9,  ctx.R10, ctx.R11, ctx.R12, ctx.R13, ctx.R14, ctx.R15};
        t->context.arch = PMM_ARCH_X64;
        t->context.ip = ctx.Rip;
#else
        uint64_t regs[16] = {ctx.Eax, ctx.Ecx, ctx.Edx, ctx.Ebx, ctx.Esp, ctx.Ebp, ctx.Esi, ctx.Edi};
        t->context.arch = PMM_ARCH_X86;
        t->context.ip = ctx.Eip;
#endif
        memcpy(t->context.gpr, regs, sizeof regs);
    }
#if defined(_WIN64)
    if (lp->wow64) {
        WOW64_CONTEXT wctx;
        ZeroMemory(&wctx, sizeof wctx);
        wctx.ContextFlags = WOW64_CONTEXT_CONTROL | WOW64_CONTEXT_INTEGER;
        if (Wow64GetThreadContext(thread, &wctx)) {
            uint64_t regs[8] = {wctx.Eax, wctx.Ecx, wctx.Edx, wctx.Ebx, wctx.Esp, wctx.Ebp, wctx.Esi, wctx.Edi};
            t->context32.arch = PMM_ARCH_X86;
            t->context32.ip = wctx.Eip;
            memcpy(t->context32.gpr, regs, sizeof regs);
        }
    }
#else
    (void)lp;
#endif
    CloseHandle(thread);
}

static void describe_thread(DWORD tid, live_process *lp, pmm_thread_info *t)
{
    ZeroMemory(t, sizeof *t);
    t->tid = tid;
    HANDLE thread = open_thread(tid, THREAD_QUERY_LIMITED_INFORMATION, THREAD_QUERY_INFORMATION);
    if (thread) {
        pmm_nt_thread_teb(thread, &t->teb);
        CloseHandle(thread);
    }
    /* The start address needs the full query right on Windows. */
    thread = open_thread(tid, THREAD_QUERY_INFORMATION, 0);
    if (thread) {
        pmm_nt_thread_start_address(thread, &t->start_address);
        CloseHandle(thread);
    }
    read_context(tid, lp, t);
}

static HANDLE snapshot(DWORD flags, DWORD pid)
{
    for (int i = 0; i < SNAPSHOT_RETRIES; i++) {
        HANDLE snap = CreateToolhelp32Snapshot(flags, pid);
        if (snap != INVALID_HANDLE_VALUE)
            return snap;
        if (GetLastError() != ERROR_BAD_LENGTH && GetLastError() != ERROR_PARTIAL_COPY)
            break;
    }
    return INVALID_HANDLE_VALUE;
}

pmm_status live_threads(void *impl, pmm_thread_info **out, size_t *count)
{
    live_process *lp = impl;
    pmm_thread_info *list = NULL;
    size_t n = 0, cap = 0;
    *out = NULL;
    *count = 0;
    HANDLE snap = snapshot(TH32CS_SNAPTHREAD, 0);
    if (snap == INVALID_HANDLE_VALUE)
        return live_alive(lp) == PMM_ERR_GONE ? PMM_ERR_GONE : pmm_status_from_win32(GetLastError());
    THREADENTRY32 te;
    te.dwSize = sizeof te;
    pmm_status st = PMM_OK;
    for (BOOL more = Thread32First(snap, &te); more && n < MAX_THREADS; more = Thread32Next(snap, &te)) {
        if (te.th32OwnerProcessID != lp->pid)
            continue;
        st = pmm_array_reserve((void **)&list, &cap, n + 1, sizeof *list);
        if (st != PMM_OK)
            break;
        LIVE_CALL_BEGIN(lp);
        describe_thread(te.th32ThreadID, lp, &list[n++]);
        LIVE_CALL_END(lp);
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

pmm_status live_modules(void *impl, pmm_module_info **out, size_t *count)
{
    live_process *lp = impl;
    pmm_module_info *list = NULL;
    size_t n = 0, cap = 0;
    *out = NULL;
    *count = 0;
    LIVE_CALL_BEGIN(lp);
    HANDLE snap = snapshot(TH32CS_SNAPMODULE | TH32CS_SNAPMODULE32, lp->pid);
    LIVE_CALL_END(lp);
    if (snap == INVALID_HANDLE_VALUE)
        return pmm_status_from_win32(GetLastError());
    MODULEENTRY32W me;
    me.dwSize = sizeof me;
    pmm_status st = PMM_OK;
    for (BOOL more = Module32FirstW(snap, &me); more; more = Module32NextW(snap, &me)) {
        st = pmm_array_reserve((void **)&list, &cap, n + 1, sizeof *list);
        if (st != PMM_OK)
            break;
        pmm_module_info *m = &list[n++];
        m->base = (uint64_t)(ULONG_PTR)me.modBaseAddr;
        m->size = me.modBaseSize;
        pmm_wide_to_utf8(me.szExePath, m->path, sizeof m->path);
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
