#include "bench_target.h"

#include <stdio.h>

int bench_target_start(const char *exe, const char *option, const char *value, bench_target *t)
{
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    HANDLE in_read, in_write, out_read, out_write;
    char cmd[1024], line[65536];
    DWORD got, used = 0;
    STARTUPINFOA si;
    if (!CreatePipe(&in_read, &in_write, &sa, 0) || !CreatePipe(&out_read, &out_write, &sa, 1 << 20))
        return -1;
    SetHandleInformation(in_write, HANDLE_FLAG_INHERIT, 0);
    SetHandleInformation(out_read, HANDLE_FLAG_INHERIT, 0);
    ZeroMemory(&si, sizeof si);
    si.cb = sizeof si;
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = in_read;
    si.hStdOutput = out_write;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    snprintf(cmd, sizeof cmd, "\"%s\" %s %s", exe, option, value);
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &t->pi))
        return -1;
    CloseHandle(in_read);
    CloseHandle(out_write);
    while (used < sizeof line - 1 && ReadFile(out_read, line + used, 1, &got, NULL) && got == 1 && line[used] != '\n')
        used++;
    CloseHandle(out_read);
    t->to_child = in_write;
    t->pid = t->pi.dwProcessId;
    return used > 0 ? 0 : -1;
}

void bench_target_stop(bench_target *t)
{
    DWORD written;
    WriteFile(t->to_child, "quit\n", 5, &written, NULL);
    CloseHandle(t->to_child);
    if (WaitForSingleObject(t->pi.hProcess, 30000) != WAIT_OBJECT_0)
        TerminateProcess(t->pi.hProcess, 1);
    CloseHandle(t->pi.hProcess);
    CloseHandle(t->pi.hThread);
}

void bench_load_system_dlls(int want)
{
    char folder[MAX_PATH], pattern[MAX_PATH];
    WIN32_FIND_DATAA fd;
    GetSystemDirectoryA(folder, sizeof folder);
    snprintf(pattern, sizeof pattern, "%s\\*.dll", folder);
    HANDLE h = FindFirstFileA(pattern, &fd);
    int loaded = 0;
    if (h == INVALID_HANDLE_VALUE)
        return;
    do {
        char path[MAX_PATH];
        snprintf(path, sizeof path, "%s\\%s", folder, fd.cFileName);
        /* As data would give no loader list entry; DONT_RESOLVE keeps DllMain from running. */
        if (LoadLibraryExA(path, NULL, DONT_RESOLVE_DLL_REFERENCES))
            loaded++;
    } while (loaded < want && FindNextFileA(h, &fd));
    FindClose(h);
}
