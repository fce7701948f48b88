/* Small helpers shared by the Win32 side: UTF-8 conversion, ntdll queries, device paths. */
#ifndef PMM_WIN32_UTIL_H
#define PMM_WIN32_UTIL_H

#include <windows.h>
#include <stdint.h>
#include "../util/status.h"

/* UTF-16 to UTF-8, always NUL-terminated (truncated to cap). */
void pmm_wide_to_utf8(const wchar_t *wide, char *out, size_t cap);
/* UTF-8 to UTF-16; returns 0 when it does not fit. */
int pmm_utf8_to_wide(const char *text, wchar_t *out, size_t cap);

/* ntdll queries, resolved at run time (no import library needed). */
pmm_status pmm_nt_process_peb(HANDLE process, uint64_t *peb);
pmm_status pmm_nt_process_wow64_peb(HANDLE process, uint64_t *peb32);
pmm_status pmm_nt_thread_teb(HANDLE thread, uint64_t *teb);
pmm_status pmm_nt_thread_start_address(HANDLE thread, uint64_t *start);

/* "\Device\HarddiskVolume3\x\y.dll" -> "C:\x\y.dll" (as the MSDN article "Obtaining a File Name
 * From a File Handle" does); other forms are returned cleaned up but otherwise unchanged. */
void pmm_device_path_to_dos(const wchar_t *nt_path, char *out, size_t cap);

/* Maps a Win32 error to a status (status_win32.c). */
pmm_status pmm_status_from_win32(DWORD error);

#endif
