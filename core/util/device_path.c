#include "device_path.h"

#include <stdio.h>
#include <string.h>
#include "names.h"

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
        if (len && strlen(nt_path) > len && nt_path[len] == '\\' && pmm_names_equal_n(nt_path, drives[i].device, len)) {
            snprintf(out, cap, "%c:%s", drives[i].letter, nt_path + len);
            return;
        }
    }
    snprintf(out, cap, "%s", nt_path);
}
