/* "Select Process": the processes on this machine (pid, bitness, name) with a filter box. */
#ifndef PMM_GUI_PROCESS_DIALOG_H
#define PMM_GUI_PROCESS_DIALOG_H

#include <windows.h>
#include <stdint.h>

/* Returns 1 and sets *pid when the user picked a process, 0 when cancelled. */
int process_dialog_run(HWND owner, uint32_t *pid);

#endif
