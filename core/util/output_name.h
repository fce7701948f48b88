/* Names a command may write to. Windows opens a device, not a file, for CON, PRN, AUX, NUL,
 * COM1-9 and LPT1-9 (with any extension, in any folder) and for paths in the device namespace
 * (\\.\COM1): writing a dump there hangs (COM1 under Wine) or reports success for bytes that went
 * nowhere (NUL). An empty name would write into the current folder or the drive root. Portable
 * string rules, so they are unit-tested natively; they are applied on every platform. */
#ifndef PMM_OUTPUT_NAME_H
#define PMM_OUTPUT_NAME_H

#include <stddef.h>

/* 0 when path may name an output file or folder; -1 with message (naming the path and what to
 * do) when it is empty, a device name or in the device namespace. */
int pmm_output_name_check(const char *path, char *message, size_t cap);

#endif
