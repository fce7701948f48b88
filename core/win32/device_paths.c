#include "win32_util.h"

#include <wchar.h>

/* Finds the drive letter whose device name prefixes nt_path; returns the prefix length or 0. */
static size_t match_drive(const wchar_t *nt_path, wchar_t *drive)
{
    wchar_t device[MAX_PATH];
    for (wchar_t letter = L'A'; letter <= L'Z'; letter++) {
        wchar_t name[3] = {letter, L':', 0};
        if (!QueryDosDeviceW(name, device, MAX_PATH))
            continue;
        size_t len = wcslen(device);
        if (len && _wcsnicmp(nt_path, device, len) == 0 && nt_path[len] == L'\\') {
            *drive = letter;
            return len;
        }
    }
    return 0;
}

void pmm_device_path_to_dos(const wchar_t *nt_path, char *out, size_t cap)
{
    wchar_t buf[1024];
    wchar_t drive;
    if (wcsncmp(nt_path, L"\\??\\", 4) == 0) {  /* already a DOS path in NT form */
        pmm_wide_to_utf8(nt_path + 4, out, cap);
        return;
    }
    size_t prefix = match_drive(nt_path, &drive);
    if (prefix && wcslen(nt_path + prefix) + 3 < sizeof buf / sizeof buf[0]) {
        buf[0] = drive;
        buf[1] = L':';
        wcscpy(buf + 2, nt_path + prefix);
        pmm_wide_to_utf8(buf, out, cap);
        return;
    }
    pmm_wide_to_utf8(nt_path, out, cap);
}
