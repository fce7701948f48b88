/* ETHREAD and KTHREAD field offsets by build: public facts, as Microsoft's public symbol files give
 * them, from the ntdiff project's headers (github.com/ntdiff/headers: <release>/x64/System32/
 * ntoskrnl.exe/Standalone/_ETHREAD.h, which holds _KTHREAD too). A build without a row has its
 * processes listed but not their threads. */
#include <stddef.h>
#include "kdump_threads.h"

#define NTDIFF "ntdiff/headers, _ETHREAD.h and _KTHREAD.h from Microsoft's public symbols (github.com/ntdiff/headers)"
#define NTDIFF_ETHREAD(release) "ntdiff/headers " release "/x64 ntoskrnl.exe _ETHREAD.h, from Microsoft's public symbols"

/*  ThreadListEntry, Cid, Win32StartAddress; KTHREAD Teb, InitialStack, StackLimit, StackBase, TrapFrame */
static const pmm_kdump_thread_layout_row rows[] = {
    {8, 7601, 7601, NTDIFF_ETHREAD("Win7_SP1"), {0x420, 0x3B0, 0x410, 0xB8, 0x28, 0x30, 0x278, 0x1D8}},
    {8, 17763, 17763, NTDIFF_ETHREAD("Win10_1809_RS5"), {0x6A8, 0x638, 0x690, 0xF0, 0x28, 0x30, 0x38, 0x90}},
    {8, 19041, 22631, NTDIFF " (Windows 10 2004)", {0x4E8, 0x478, 0x4D0, 0xF0, 0x28, 0x30, 0x38, 0x90}},
    {8, 26100, 26100, NTDIFF_ETHREAD("Win11_2409_24H2"), {0x578, 0x508, 0x560, 0xF0, 0x28, 0x30, 0x38, 0x90}},
};

const pmm_kdump_thread_layout_row *pmm_kdump_thread_layout_row_at(size_t index)
{
    return index < sizeof rows / sizeof rows[0] ? &rows[index] : NULL;
}

const pmm_kdump_thread_layout_row *pmm_kdump_thread_layout_for(uint32_t pointer_size, uint32_t build)
{
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (rows[i].pointer_size == pointer_size && build >= rows[i].first_build && build <= rows[i].last_build)
            return &rows[i];
    return NULL;
}
