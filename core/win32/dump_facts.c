/* SystemInfo and MiscInfo facts for our minidump writer, all of a live process's facts gathered
 * for it, and sparse files for the sparse format. */
#include "dump_win32.h"

#include <stdlib.h>
#include <windows.h>
#include <winioctl.h>
#include <io.h>
#ifdef _MSC_VER
#include <intrin.h>
#elif defined(__i386__) || defined(__x86_64__)
#include <cpuid.h>
#endif

typedef LONG(WINAPI *rtl_get_version_fn)(OSVERSIONINFOEXW *);

static void cpu_identity(pmm_md_system_facts *out)
{
    unsigned int r[4] = {0};   /* eax, ebx, ecx, edx */
#ifdef _MSC_VER
    int regs[4];
    __cpuid(regs, 0);
    out->cpu_vendor[0] = (uint32_t)regs[1], out->cpu_vendor[1] = (uint32_t)regs[3], out->cpu_vendor[2] = (uint32_t)regs[2];
    __cpuid(regs, 1);
    out->cpu_version = (uint32_t)regs[0], out->cpu_features = (uint32_t)regs[3];
    (void)r;
#elif defined(__i386__) || defined(__x86_64__)
    if (__get_cpuid(0, &r[0], &r[1], &r[2], &r[3])) {
        out->cpu_vendor[0] = r[1], out->cpu_vendor[1] = r[3], out->cpu_vendor[2] = r[2];
        if (__get_cpuid(1, &r[0], &r[1], &r[2], &r[3]))
            out->cpu_version = r[0], out->cpu_features = r[3];
    }
#else
    (void)r;
    (void)out;
#endif
}

void pmm_dump_system_facts(pmm_md_system_facts *out)
{
    ZeroMemory(out, sizeof *out);
    SYSTEM_INFO si;
    GetNativeSystemInfo(&si);
    out->processor_level = si.wProcessorLevel;
    out->processor_revision = si.wProcessorRevision;
    out->processor_count = (uint8_t)(si.dwNumberOfProcessors > 255 ? 255 : si.dwNumberOfProcessors);
    out->platform_id = VER_PLATFORM_WIN32_NT;
    /* GetVersionEx answers what the manifest claims; ntdll's RtlGetVersion tells the truth. */
    rtl_get_version_fn get_version =
        (rtl_get_version_fn)(void (*)(void))GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "RtlGetVersion");
    OSVERSIONINFOEXW v;
    ZeroMemory(&v, sizeof v);
    v.dwOSVersionInfoSize = sizeof v;
    if (get_version && get_version(&v) == 0) {
        out->major_version = v.dwMajorVersion;
        out->minor_version = v.dwMinorVersion;
        out->build_number = v.dwBuildNumber;
        out->product_type = v.wProductType;
        out->suite_mask = v.wSuiteMask;
    }
    cpu_identity(out);
}

static uint32_t filetime_seconds(const FILETIME *t)
{
    ULARGE_INTEGER u;
    u.LowPart = t->dwLowDateTime;
    u.HighPart = t->dwHighDateTime;
    return (uint32_t)(u.QuadPart / 10000000u);
}

void pmm_dump_process_facts(uint32_t pid, pmm_md_process_facts *out)
{
    ZeroMemory(out, sizeof *out);
    HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    if (!process)
        return;
    FILETIME created, exited, kernel, user;
    if (GetProcessTimes(process, &created, &exited, &kernel, &user)) {
        ULARGE_INTEGER c;
        c.LowPart = created.dwLowDateTime;
        c.HighPart = created.dwHighDateTime;
        const uint64_t unix_epoch = 116444736000000000ull;   /* 1970-01-01 in FILETIME units */
        out->times_known = c.QuadPart > unix_epoch;
        out->create_time = out->times_known ? (uint32_t)((c.QuadPart - unix_epoch) / 10000000u) : 0;
        out->user_seconds = filetime_seconds(&user);
        out->kernel_seconds = filetime_seconds(&kernel);
    }
    CloseHandle(process);
}

void pmm_dump_live_facts_gather(uint32_t pid, const pmm_map *map, pmm_dump_live_facts *facts)
{
    ZeroMemory(facts, sizeof *facts);
    pmm_dump_system_facts(&facts->system);
    pmm_dump_process_facts(pid, &facts->process);
    pmm_dump_thread_facts(map, &facts->thread_facts, &facts->extras.thread_fact_count);
    facts->extras.thread_facts = facts->thread_facts;
    facts->extras.handles_known = pmm_dump_handles(pid, &facts->handles, &facts->extras.handle_count) == PMM_OK;
    facts->extras.handles = facts->handles;
}

void pmm_dump_live_facts_free(pmm_dump_live_facts *facts)
{
    free(facts->thread_facts);
    free(facts->handles);
    ZeroMemory(facts, sizeof *facts);
}

int pmm_dump_make_sparse(FILE *file)
{
    if (!file)
        return 0;
    HANDLE h = (HANDLE)_get_osfhandle(_fileno(file));
    DWORD returned = 0;
    return h != INVALID_HANDLE_VALUE && DeviceIoControl(h, FSCTL_SET_SPARSE, NULL, 0, NULL, 0, &returned, NULL);
}
