/* ETHREAD and KTHREAD field offsets by build: public facts, as Microsoft's public symbol files give
 * them, from the ntdiff project's headers (github.com/ntdiff/headers: _ETHREAD.h and _KTHREAD.h per
 * release). A build without a row has its processes listed but not their threads. */
#include <stddef.h>
#include "kdump_threads.h"

#define NTDIFF "ntdiff/headers, _ETHREAD.h and _KTHREAD.h from Microsoft's public symbols (github.com/ntdiff/headers)"

/*  ThreadListEntry, Cid, Win32StartAddress; KTHREAD Teb, InitialStack, StackLimit, StackBase, TrapFrame */
static const pmm_kdump_thread_layout_row rows[] = {
    {8, 19041, 22631, NTDIFF " (Windows 10 2004)", {0x4E8, 0x478, 0x4D0, 0xF0, 0x28, 0x30, 0x38, 0x90}},
};

const pmm_kdump_thread_layout_row *pmm_kdump_thread_layout_for(uint32_t pointer_size, uint32_t build)
{
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (rows[i].pointer_size == pointer_size && build >= rows[i].first_build && build <= rows[i].last_build)
            return &rows[i];
    return NULL;
}
