/* The kernel address space of a Windows kernel crash dump as a pmm_source: regions from the page
 * tables of the header's DirectoryTableBase, Image where PsLoadedModuleList puts a module, bytes
 * of present and transition pages the dump holds, the modules themselves. So `pmm pe` and
 * `pmm exports` read drivers in the dump as they read DLLs in a process. */
#ifndef PMM_KDUMP_KERNEL_SOURCE_H
#define PMM_KDUMP_KERNEL_SOURCE_H

#include <stddef.h>
#include "../formats/kdump.h"
#include "../source/source.h"

/* Opens the dump at path. On failure message says why (the reader's message). */
pmm_status pmm_kdump_kernel_source_open(const char *path, pmm_source *out, char *message, size_t message_cap);
/* The same over a dump already open, which the source then owns (closed with it, or at once on
 * failure). */
pmm_status pmm_kdump_kernel_source_wrap(pmm_kdump *dump, const char *path, pmm_source *out, char *message,
                                        size_t message_cap);

#endif
