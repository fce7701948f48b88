#include "privilege.h"

#include <windows.h>
#include <stdio.h>

pmm_status pmm_enable_debug_privilege(char *message, size_t message_cap)
{
    HANDLE token;
    TOKEN_PRIVILEGES tp;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, &token)) {
        snprintf(message, message_cap, "cannot open our own access token (Windows error %lu)",
                 (unsigned long)GetLastError());
        return PMM_ERR_ACCESS;
    }
    tp.PrivilegeCount = 1;
    tp.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
    BOOL ok = LookupPrivilegeValueW(NULL, L"SeDebugPrivilege", &tp.Privileges[0].Luid) &&
              AdjustTokenPrivileges(token, FALSE, &tp, sizeof tp, NULL, NULL);
    DWORD error = GetLastError();
    CloseHandle(token);
    if (!ok || error == ERROR_NOT_ALL_ASSIGNED) {
        snprintf(message, message_cap,
                 "SeDebugPrivilege could not be enabled: it is granted only to administrators (run elevated)");
        return PMM_ERR_ACCESS;
    }
    return PMM_OK;
}
