/* pmm_memory_hash.exe PID [--pages]: an independent fingerprint of a process's committed memory.
 *
 * For tests/integration/test_faults.py ("the target is never modified"): run it before and after
 * pmm looks at an idle target and compare. Shares no code with core/.
 *
 * Walks the address space with VirtualQueryEx; every MEM_COMMIT region that is readable (not
 * PAGE_NOACCESS, not PAGE_GUARD) is read with ReadProcessMemory and hashed with 64-bit FNV-1a.
 * With --pages each 4 KiB page gets its own entry (to say exactly which pages changed).
 *
 * Stack bytes below each thread's stack pointer are left out: under Wine a cross-process
 * VirtualQueryEx (and similar calls) runs as a system APC on a waiting thread of the target,
 * which uses that thread's stack below its SP; what lies there is dead scratch space.
 * The SPs come from SuspendThread + GetThreadContext + ResumeThread (Toolhelp thread list).
 * A region (or page) containing an SP is hashed from the SP upwards; the part below is listed
 * in "excluded".
 *
 * Prints ONE line:
 *   {"pid":N,"mode":"regions"|"pages","hashes":{"0x1000":"cbf29ce484222325",...},
 *    "bytes":N,"unreadable":N,"threads":[{"tid":N,"sp":"0x..","teb":"0x..","stack_base":"0x.."}],
 *    "excluded":[{"tid":N,"sp":"0x..","base":"0x..","size":N}]}
 * Exit 1 with a message on stderr when the process cannot be opened.
 */
#include <windows.h>
#include <tlhelp32.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target_json.h"

#define MAX_THREADS 256
#define CHUNK (1u << 20)
#define PAGE 4096u

typedef struct thread_sp {
    DWORD tid;
    uint64_t sp;
    uint64_t teb;
    uint64_t stack_base;
} thread_sp;

typedef struct basic_thread_info {
    LONG exit_status;
    void *teb;
    void *client_id[2];
    ULONG_PTR affinity;
    LONG priority, base_priority;
} basic_thread_info;

typedef LONG(WINAPI *query_thread_fn)(HANDLE, int, void *, ULONG, ULONG *);

/* TEB (NtQueryInformationThread, ThreadBasicInformation) and NT_TIB.StackBase read from it,
 * so a test can name the per-thread pages Wine itself writes. */
static void read_teb(HANDLE process, HANDLE thread, thread_sp *t)
{
    static query_thread_fn query;
    basic_thread_info info;
    if (!query)
        query = (query_thread_fn)(void (*)(void))GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "NtQueryInformationThread");
    if (!query || query(thread, 0, &info, sizeof info, NULL) != 0)
        return;
    t->teb = (uint64_t)(uintptr_t)info.teb;
    NT_TIB tib;
    SIZE_T got = 0;
    if (ReadProcessMemory(process, info.teb, &tib, sizeof tib, &got) && got == sizeof tib)
        t->stack_base = (uint64_t)(uintptr_t)tib.StackBase;
}

static int read_sps(HANDLE process, DWORD pid, thread_sp *out, int max)
{
    int n = 0;
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
    THREADENTRY32 te = {.dwSize = sizeof te};
    if (snap == INVALID_HANDLE_VALUE)
        return 0;
    for (BOOL ok = Thread32First(snap, &te); ok && n < max; ok = Thread32Next(snap, &te)) {
        if (te.th32OwnerProcessID != pid)
            continue;
        HANDLE t = OpenThread(THREAD_SUSPEND_RESUME | THREAD_GET_CONTEXT | THREAD_QUERY_INFORMATION, FALSE, te.th32ThreadID);
        if (!t)
            continue;
        CONTEXT ctx = {.ContextFlags = CONTEXT_CONTROL};
        if (SuspendThread(t) != (DWORD)-1) {
            if (GetThreadContext(t, &ctx)) {
                out[n].teb = out[n].stack_base = 0;
                read_teb(process, t, &out[n]);
                out[n].tid = te.th32ThreadID;
#ifdef _WIN64
                out[n].sp = ctx.Rsp;
#else
                out[n].sp = ctx.Esp;
#endif
                n++;
            }
            ResumeThread(t);
        }
        CloseHandle(t);
    }
    CloseHandle(snap);
    return n;
}

static uint64_t fnv1a(uint64_t h, const BYTE *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

/* Hashes [start, end) of the target; returns 0 when a read failed. */
static int hash_range(HANDLE process, uint64_t start, uint64_t end, BYTE *buf, uint64_t *hash, uint64_t *bytes)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (uint64_t a = start; a < end;) {
        SIZE_T want = (SIZE_T)(end - a < CHUNK ? end - a : CHUNK), got = 0;
        if (!ReadProcessMemory(process, (void *)(uintptr_t)a, buf, want, &got) || got != want)
            return 0;
        h = fnv1a(h, buf, want);
        a += want;
        *bytes += want;
    }
    *hash = h;
    return 1;
}

int main(int argc, char **argv)
{
    int pages = argc > 2 && strcmp(argv[2], "--pages") == 0;
    if (argc < 2) {
        fputs("usage: pmm_memory_hash PID [--pages]\n", stderr);
        return 2;
    }
    DWORD pid = (DWORD)strtoul(argv[1], NULL, 0);
    HANDLE process = OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, FALSE, pid);
    if (!process) {
        fprintf(stderr, "memory_hash: cannot open process %lu: error %lu\n", (unsigned long)pid, GetLastError());
        return 1;
    }
    static thread_sp sps[MAX_THREADS];
    int nsp = read_sps(process, pid, sps, MAX_THREADS);
    BYTE *buf = malloc(CHUNK);
    if (!buf)
        return 1;

    tj_writer w, ex;
    tj_init(&w);
    tj_init(&ex);
    tj_begin_array(&ex, NULL);
    tj_begin_object(&w, NULL);
    tj_uint(&w, "pid", pid);
    tj_string(&w, "mode", pages ? "pages" : "regions");
    tj_begin_object(&w, "hashes");
    uint64_t bytes = 0, unreadable = 0;
    MEMORY_BASIC_INFORMATION mbi;
    for (uint64_t addr = 0; VirtualQueryEx(process, (void *)(uintptr_t)addr, &mbi, sizeof mbi) == sizeof mbi;) {
        uint64_t base = (uint64_t)(uintptr_t)mbi.BaseAddress, end = base + mbi.RegionSize;
        if (end <= addr)
            break;
        addr = end;
        if (mbi.State != MEM_COMMIT || (mbi.Protect & (PAGE_NOACCESS | PAGE_GUARD)) || mbi.Protect == 0)
            continue;
        uint64_t step = pages ? PAGE : end - base;
        for (uint64_t part = base; part < end; part += step) {
            uint64_t from = part, to = part + step;
            for (int i = 0; i < nsp; i++) {
                if (sps[i].sp > from && sps[i].sp < to) {
                    tj_begin_object(&ex, NULL);
                    tj_uint(&ex, "tid", sps[i].tid);
                    tj_address(&ex, "sp", sps[i].sp);
                    tj_address(&ex, "base", from);
                    tj_uint(&ex, "size", sps[i].sp - from);
                    tj_end_object(&ex);
                    from = sps[i].sp;
                }
            }
            /* Pages entirely below an SP in the same region are stack scratch too. */
            for (int i = 0; i < nsp && pages; i++) {
                if (sps[i].sp >= to && sps[i].sp < end) {
                    from = to;
                    break;
                }
            }
            if (from >= to)
                continue;
            uint64_t h;
            char key[32];
            snprintf(key, sizeof key, "0x%llx", (unsigned long long)part);
            if (hash_range(process, from, to, buf, &h, &bytes)) {
                char text[20];
                snprintf(text, sizeof text, "%016llx", (unsigned long long)h);
                tj_string(&w, key, text);
            } else {
                unreadable++;
            }
        }
    }
    tj_end_object(&w);
    tj_end_array(&ex);
    tj_uint(&w, "bytes", bytes);
    tj_uint(&w, "unreadable", unreadable);
    tj_begin_array(&w, "threads");
    for (int i = 0; i < nsp; i++) {
        tj_begin_object(&w, NULL);
        tj_uint(&w, "tid", sps[i].tid);
        tj_address(&w, "sp", sps[i].sp);
        tj_address(&w, "teb", sps[i].teb);
        tj_address(&w, "stack_base", sps[i].stack_base);
        tj_end_object(&w);
    }
    tj_end_array(&w);
    /* "excluded" is appended as raw JSON: the writer builds one document at a time. */
    if (w.failed || ex.failed)
        return 1;
    fwrite(w.buf, 1, w.len, stdout);
    fputs(",\"excluded\":", stdout);
    fwrite(ex.buf, 1, ex.len, stdout);
    fputs("}\n", stdout);
    fflush(stdout);
    tj_free(&w);
    tj_free(&ex);
    free(buf);
    CloseHandle(process);
    return 0;
}
