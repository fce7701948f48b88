/* ThreadList (with x86/x64 contexts), ThreadInfoList and ThreadNames streams. */
#ifndef PMM_MINIDUMP_THREADS_H
#define PMM_MINIDUMP_THREADS_H

#include <stddef.h>
#include <stdint.h>
#include "minidump.h"
#include "minidump_context.h"

typedef struct pmm_md_thread {
    uint32_t tid;
    uint32_t suspend_count;
    uint32_t priority_class;
    uint32_t priority;
    uint64_t teb;
    uint64_t stack_start;                /* the stack bytes the dump holds (from SP up) */
    uint32_t stack_size, stack_rva;
    uint32_t context_size, context_rva;
    int has_context;                     /* context decoded (x86 or x64) */
    pmm_md_context context;
    /* From ThreadInfoList, when has_info. */
    int has_info;
    uint32_t dump_flags, dump_error, exit_status;
    uint64_t create_time, exit_time, kernel_time, user_time;   /* FILETIME units */
    uint64_t start_address;
    uint64_t affinity;
    /* From ThreadNames (UTF-8); empty when unnamed. */
    char name[128];
} pmm_md_thread;

/* Reads ThreadList and decodes each context; processor_arch (SystemInfo) picks the CONTEXT layout
 * when the record's flags do not. A context that cannot be decoded leaves has_context 0.
 * *out is an array the caller frees with free(). */
pmm_status pmm_md_read_threads(pmm_minidump *md, uint32_t processor_arch, pmm_md_thread **out, size_t *count,
                               char *message, size_t cap);

/* Fill the ThreadInfoList / ThreadNames fields of threads already read, matching by thread id.
 * PMM_ERR_NOT_FOUND when the dump has no such stream; threads are untouched on any error. */
pmm_status pmm_md_attach_thread_infos(pmm_minidump *md, pmm_md_thread *threads, size_t count, char *message,
                                      size_t cap);
pmm_status pmm_md_attach_thread_names(pmm_minidump *md, pmm_md_thread *threads, size_t count, char *message,
                                      size_t cap);

#endif
