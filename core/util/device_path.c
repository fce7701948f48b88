#include "device_path.h"

#include <stdio.h>
#include <string.h>

static int same_ascii_folded(const char *a, const char *b, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char x = a[i], y = b[i];
        if (x >= 'a' && x <= 'z')
            x = (char)(x - 'a' + 'A');
        if (y >= 'a' && y <= 'z')
            y = (char)(y - 'a' + 'A');
        if (x != y)
            return 0;
    }
    return 1;
}

void pmm_device_path_to_dos_form(const char *nt_path, const pmm_drive_device *drives, size_t drive_count,
                                 char *out, size_t cap)
{
    if (cap == 0)
        return;
    if (strncmp(nt_path, "\\??\\", 4) == 0) {  /* already a DOS path in NT form */
        snprintf(out, cap, "%s", nt_path + 4);
        return;
    }
    for (size_t i = 0; i < drive_count; i++) {
        size_t len = strlen(drives[i].device);
        if (len && strlen(nt_path) > len && nt_path[len] == '\\' && same_ascii_folded(nt_path, drives[i].device, len)) {
            snprintf(out, cap, "%c:%s", drives[i].letter, nt_path + len);
            return;
        }
    }
    snprintf(out, cap, "%s", nt_path);
}
