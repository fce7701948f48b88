/* Address spaces of a Windows kernel crash dump as pmm_sources. The kernel's: regions from the
 * page tables of the header's DirectoryTableBase, Image where PsLoadedModuleList puts a module,
 * bytes of present and transition pages the dump holds, the modules themselves, so `pmm pe` and
 * `pmm exports` read drivers in the dump as they read DLLs in a process. A process's: regions from
 * its own page tables over user space (runs of pages with one protection, cut into allocations
 * with their types, reserved memory and views' file names by its VAD tree where the layout table
 * knows the build and the tree is in the dump), its PEB for the analyzers, and notes listing the
 * pages the dump does not hold with the reason, and what the VAD tree gave or why it was not read. */
#ifndef PMM_KDUMP_KERNEL_SOURCE_H
#define PMM_KDUMP_KERNEL_SOURCE_H

#include <stddef.h>
#include "../formats/kdump.h"
#include "../formats/kdump_processes.h"
#include "../source/source.h"

/* Opens the dump at path. On failure message says why (the reader's message). */
pmm_status pmm_kdump_kernel_source_open(const char *path, pmm_source *out, char *message, size_t message_cap);
/* The same over a dump already open, which the source then owns (closed with it, or at once on
 * failure). */
pmm_status pmm_kdump_kernel_source_wrap(pmm_kdump *dump, const char *path, pmm_source *out, char *message,
                                        size_t message_cap);

/* A process of a dump already open (which the source then owns, or closes at once on failure),
 * of list (its offsets; its processes validate inferred thread and VAD offsets, kdump_inference.h:
 * used only during the call). Refused: System (no user space), a process whose top page table is
 * not in the dump. */
pmm_status pmm_kdump_process_source_wrap(pmm_kdump *dump, const char *path, const pmm_kdump_process *process,
                                         const pmm_kdump_process_list *list, pmm_source *out, char *message,
                                         size_t message_cap);
/* Opens the dump at path as the address space selector names: "kernel", a pid, or an image name
 * (PMM_ERR_NOT_FOUND when no process or several match, with message saying which). */
pmm_status pmm_kdump_source_open(const char *path, const char *selector, pmm_source *out, char *message,
                                 size_t message_cap);

#endif
