#include "win32_util.h"

void pmm_wide_to_utf8(const wchar_t *wide, char *out, size_t cap)
{
    if (cap == 0)
        return;
    int n = WideCharToMultiByte(CP_UTF8, 0, wide, -1, out, (int)cap, NULL, NULL);
    if (n <= 0)
        out[0] = '\0';
    out[cap - 1] = '\0';
}

int pmm_utf8_to_wide(const char *text, wchar_t *out, size_t cap)
{
    return MultiByteToWideChar(CP_UTF8, 0, text, -1, out, (int)cap) > 0;
}

pmm_status pmm_status_from_win32(DWORD error)
{
    switch (error) {
    case ERROR_SUCCESS: return PMM_OK;
    case ERROR_ACCESS_DENIED: return PMM_ERR_ACCESS;
    case ERROR_INVALID_PARAMETER: return PMM_ERR_NOT_FOUND;
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY: return PMM_ERR_NOMEM;
    case ERROR_PARTIAL_COPY:
    case ERROR_NOACCESS: return PMM_ERR_READ;
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND: return PMM_ERR_NOT_FOUND;
    case ERROR_DISK_FULL:
    case ERROR_HANDLE_DISK_FULL:
    case ERROR_WRITE_FAULT: return PMM_ERR_IO;
    }
    return PMM_ERR_IO;
}
