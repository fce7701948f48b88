/* --attach debug: the one documented case where pmm touches the target's state. Attaching as a
 * debugger stops its threads so the dump is a consistent snapshot; we never continue a debug
 * event, and detaching lets it run on exactly where it stopped. */
#include "dump_win32.h"

#include <windows.h>

pmm_status pmm_dump_attach_debugger(uint32_t pid, char *message, size_t cap)
{
    if (!DebugActiveProcess(pid)) {
        DWORD error = GetLastError();
        snprintf(message, cap, "cannot attach to process %u as a debugger (Windows error %lu): it may already "
                 "have a debugger, or run as administrator", (unsigned)pid, (unsigned long)error);
        return error == ERROR_ACCESS_DENIED ? PMM_ERR_ACCESS : PMM_ERR_UNSUPPORTED;
    }
    /* Should pmm die before detaching, Windows would otherwise kill the target with it. */
    DebugSetProcessKillOnExit(FALSE);
    return PMM_OK;
}

pmm_status pmm_dump_detach_debugger(uint32_t pid, char *message, size_t cap)
{
    if (DebugActiveProcessStop(pid))
        return PMM_OK;
    snprintf(message, cap, "detaching the debugger from process %u failed (Windows error %lu): the process "
             "stays as Windows leaves it (stopped until pmm exits, then released)", (unsigned)pid,
             (unsigned long)GetLastError());
    return PMM_ERR_UNSUPPORTED;
}
