/* The live-process source: a running process read with the least rights that do the job. */
#ifndef PMM_LIVE_SOURCE_H
#define PMM_LIVE_SOURCE_H

#include "../source/source.h"

/* Opens pid with PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_VM_READ | SYNCHRONIZE.
 * Errors: PMM_ERR_NOT_FOUND (no such pid), PMM_ERR_ACCESS, PMM_ERR_UNSUPPORTED (a 64-bit target
 * from the 32-bit tool). On failure, message (if not NULL) says what happened and what to do. */
pmm_status pmm_live_open(uint32_t pid, pmm_source *out, char *message, size_t message_cap);

/* Under Wine, a query or read of a process that is killed at that moment can block forever
 * inside the OS (the target was to run it for us and never will). A watchdog thread per live
 * source notices when the target has exited and one of our calls has made no progress for a few
 * seconds, and then calls this handler on its own thread; nothing can unblock the stuck call, so
 * the CLI reports and exits, the GUI abandons the scan. With no handler the call stays blocked. */
typedef void (*pmm_live_stuck_fn)(uint32_t pid, void *ctx);
void pmm_live_set_stuck_handler(pmm_live_stuck_fn handler, void *ctx);

#endif
