/* NT device paths ("\Device\HarddiskVolume3\x\y.dll", "\??\C:\x") to DOS paths ("C:\x\y.dll"),
 * given the drive table (QueryDosDevice on Windows). Portable, so it is unit-tested natively. */
#ifndef PMM_DEVICE_PATH_H
#define PMM_DEVICE_PATH_H

#include <stddef.h>

typedef struct pmm_drive_device {
    char letter;             /* 'A'..'Z' */
    const char *device;      /* "\Device\HarddiskVolume3", UTF-8 */
} pmm_drive_device;

/* Writes the DOS form of nt_path to out (always NUL-terminated); a path no drive matches is
 * copied unchanged. Device names match case-insensitively and only at a path separator. */
void pmm_device_path_to_dos_form(const char *nt_path, const pmm_drive_device *drives, size_t drive_count,
                                 char *out, size_t cap);

#endif
