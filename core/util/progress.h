/* Progress of a long operation (scan, search, dump, saved-map checksums), reported to whoever
 * started it, with a way back to cancel it. */
#ifndef PMM_PROGRESS_H
#define PMM_PROGRESS_H

#include <stdint.h>

/* Returns non-zero to cancel. done/total are in the operation's own unit (bytes of address space
 * walked for a scan, bytes read for a search or a dump). */
typedef int (*pmm_progress_fn)(void *ctx, uint64_t done, uint64_t total);

#endif
