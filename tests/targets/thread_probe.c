/* pmm_thread_probe.exe PID: an independent check of thread contexts.
 *
 * For every thread of PID: suspend, read the control and integer registers, resume; then print
 * one JSON line {"pid":..,"threads":[{"tid":..,"wow64":..,"sp":"0x..","ip":"0x..","fp":"0x.."}]}.
 * It uses nothing from core/, so the engine's thread code can be checked against it.
 *
 * A 64-bit probe looking at a 32-bit (WOW64) target must use the Wow64* calls: the plain ones
 * return the 64-bit context of the WOW64 layer, not the 32-bit program's registers.
 * "suspend_api" says which suspend call was used (see find_wow64_suspend).
 * Per-thread failures (a thread that exited meanwhile, a 32-bit probe looking at a 64-bit
 * target) are reported in that thread's entry as "error"; only process-level failures exit 1.
 */
#include <windows.h>
#include <tlhelp32.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target_json.h"

typedef struct probe_regs {
    uint64_t sp;
    uint64_t ip;
    uint64_t fp;
} probe_regs;

static void describe_error(char *out, size_t size, const char *what, DWORD error)
{
    char message[200] = "";
    FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, error, 0,
                   message, sizeof message, NULL);
    message[strcspn(message, "\r\n")] = '\0';
    snprintf(out, size, "%s: error %lu (%s)", what, (unsigned long)error, message);
}

static int fail(const char *what)
{
    char text[300];
    describe_error(text, sizeof text, what, GetLastError());
    fprintf(stderr, "pmm_thread_probe: %s\n", text);
    return 1;
}

#ifdef _WIN64
typedef DWORD(WINAPI *suspend_fn)(HANDLE thread);

/* Wow64SuspendThread is looked up at run time: Wine 8's kernel32 does not export it (a static
 * import becomes a stub that aborts the probe). SuspendThread stops a thread of either bitness;
 * what it lacks is Windows' promise that a WOW64 thread is not caught halfway through the
 * 32-to-64-bit transition, which for this probe only means a rare odd sp/ip. */
static suspend_fn find_wow64_suspend(const char **name)
{
    HMODULE kernel32 = GetModuleHandleW(L"kernel32.dll");
    FARPROC proc = kernel32 ? GetProcAddress(kernel32, "Wow64SuspendThread") : NULL;
    *name = proc ? "Wow64SuspendThread" : "SuspendThread";
    return proc ? (suspend_fn)(void (*)(void))proc : SuspendThread;
}

static const char *read_wow64_regs(HANDLE thread, probe_regs *regs)
{
    const char *suspend_name;
    suspend_fn suspend = find_wow64_suspend(&suspend_name);
    if (suspend(thread) == (DWORD)-1)
        return suspend_name;
    WOW64_CONTEXT context;
    memset(&context, 0, sizeof context);
    context.ContextFlags = WOW64_CONTEXT_CONTROL | WOW64_CONTEXT_INTEGER;
    BOOL ok = Wow64GetThreadContext(thread, &context);
    DWORD error = GetLastError();
    ResumeThread(thread);
    if (!ok) {
        SetLastError(error);
        return "Wow64GetThreadContext";
    }
    regs->sp = context.Esp;
    regs->ip = context.Eip;
    regs->fp = context.Ebp;
    return NULL;
}
#endif

static const char *read_native_regs(HANDLE thread, probe_regs *regs)
{
    if (SuspendThread(thread) == (DWORD)-1)
        return "SuspendThread";
    CONTEXT context;                 /* the type carries the 16-byte alignment x64 requires */
    memset(&context, 0, sizeof context);
    context.ContextFlags = CONTEXT_CONTROL | CONTEXT_INTEGER;
    BOOL ok = GetThreadContext(thread, &context);
    DWORD error = GetLastError();
    ResumeThread(thread);
    if (!ok) {
        SetLastError(error);
        return "GetThreadContext";
    }
#ifdef _WIN64
    regs->sp = context.Rsp;
    regs->ip = context.Rip;
    regs->fp = context.Rbp;
#else
    regs->sp = context.Esp;
    regs->ip = context.Eip;
    regs->fp = context.Ebp;
#endif
    return NULL;
}

static void probe_thread(tj_writer *w, DWORD tid, int use_wow64)
{
    probe_regs regs = { 0, 0, 0 };
    const char *failed = NULL;
    tj_begin_object(w, NULL);
    tj_uint(w, "tid", tid);
    tj_bool(w, "wow64", use_wow64);

    HANDLE thread = NULL;
    if (tid == GetCurrentThreadId()) {
        SetLastError(ERROR_INVALID_PARAMETER);
        failed = "the probe's own thread";
    } else {
        thread = OpenThread(THREAD_SUSPEND_RESUME | THREAD_GET_CONTEXT | THREAD_QUERY_INFORMATION, FALSE, tid);
        if (!thread)
            failed = "OpenThread";
    }
#ifdef _WIN64
    if (!failed && use_wow64)
        failed = read_wow64_regs(thread, &regs);
#endif
    if (!failed && !use_wow64)
        failed = read_native_regs(thread, &regs);

    if (failed) {
        char text[300];
        describe_error(text, sizeof text, failed, GetLastError());
        tj_string(w, "error", text);
    } else {
        tj_address(w, "sp", regs.sp);
        tj_address(w, "ip", regs.ip);
        tj_address(w, "fp", regs.fp);
    }
    if (thread)
        CloseHandle(thread);
    tj_end_object(w);
}

/* Returns the number of threads found, -1 if the snapshot failed. */
static int probe_threads(tj_writer *w, DWORD pid, int use_wow64)
{
    HANDLE snapshot = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
    if (snapshot == INVALID_HANDLE_VALUE)
        return -1;
    int count = 0;
    THREADENTRY32 entry;
    entry.dwSize = sizeof entry;
    for (BOOL more = Thread32First(snapshot, &entry); more; more = Thread32Next(snapshot, &entry)) {
        if (entry.th32OwnerProcessID != pid)
            continue;
        probe_thread(w, entry.th32ThreadID, use_wow64);
        count++;
        entry.dwSize = sizeof entry;
    }
    CloseHandle(snapshot);
    return count;
}

static const char *suspend_api_name(int use_wow64)
{
#ifdef _WIN64
    const char *name = "SuspendThread";
    if (use_wow64)
        find_wow64_suspend(&name);
    return name;
#else
    (void)use_wow64;
    return "SuspendThread";
#endif
}

static int parse_pid(const char *text, DWORD *pid)
{
    char *end = NULL;
    if (!text || !*text || *text == '-')
        return -1;
    unsigned long value = strtoul(text, &end, 0);
    if (*end != '\0' || value == 0 || value > 0xffffffffUL)
        return -1;
    *pid = (DWORD)value;
    return 0;
}

int main(int argc, char **argv)
{
    DWORD pid = 0;
    if (argc != 2 || parse_pid(argv[1], &pid) != 0) {
        fputs("usage: pmm_thread_probe PID\n"
              "Prints {\"pid\":..,\"threads\":[{\"tid\":..,\"sp\":..,\"ip\":..,\"fp\":..,\"wow64\":..}]}\n",
              stderr);
        return 1;
    }

    HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    if (!process)
        return fail("OpenProcess");
    BOOL target_wow64 = FALSE;
    if (!IsWow64Process(process, &target_wow64)) {
        int result = fail("IsWow64Process");
        CloseHandle(process);
        return result;
    }
    CloseHandle(process);
    /* Only a 64-bit probe needs (and has) the Wow64* calls; a 32-bit probe reading a WOW64
     * target is itself WOW64 and sees the 32-bit context through the plain calls. */
    int use_wow64 = sizeof(void *) == 8 && target_wow64;

    tj_writer w;
    tj_init(&w);
    tj_begin_object(&w, NULL);
    tj_uint(&w, "pid", pid);
    tj_uint(&w, "probe_bits", sizeof(void *) * 8);
    tj_bool(&w, "target_wow64", target_wow64);
    tj_string(&w, "suspend_api", suspend_api_name(use_wow64));
    tj_begin_array(&w, "threads");
    int count = probe_threads(&w, pid, use_wow64);
    tj_end_array(&w);
    tj_end_object(&w);

    int status = 0;
    if (count < 0)
        status = fail("CreateToolhelp32Snapshot");
    else if (count == 0) {
        fprintf(stderr, "pmm_thread_probe: process %lu has no threads\n", (unsigned long)pid);
        status = 1;
    } else if (tj_print_line(&w) != 0) {
        fputs("pmm_thread_probe: could not write the result\n", stderr);
        status = 1;
    }
    tj_free(&w);
    return status;
}
