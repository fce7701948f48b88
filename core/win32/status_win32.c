/* Win32 error codes as our statuses: what each failure means to a caller of the core. */
#include "win32_util.h"

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
