/* What the search, strings, call stacks and exports windows need from the main window, as callbacks,
 * so they never reach into its state: go to an address in the map (or to its code), and (unattended runs) hear that a job
 * has finished. */
#ifndef PMM_GUI_TOOL_HOST_H
#define PMM_GUI_TOOL_HOST_H

#include <stdint.h>

typedef struct tool_host {
    void (*go_to)(void *ctx, uint64_t address);
    /* go_to, and when the address is code, show it in the Disassembly tab */
    void (*show_code)(void *ctx, uint64_t address);
    void (*job_done)(void *ctx, int ok);     /* may be NULL */
    void *ctx;
} tool_host;

#endif
