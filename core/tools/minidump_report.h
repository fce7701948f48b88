/* A minidump inspector's view of a dump: every stream this reader understands, decoded once, with
 * what could not be decoded recorded per stream. Printed as text (for people) or JSON (for
 * scripts) by `pmm minidump`; the GUI can show the same. */
#ifndef PMM_MINIDUMP_REPORT_H
#define PMM_MINIDUMP_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include "../formats/minidump.h"
#include "../formats/minidump_memory.h"
#include "../formats/minidump_misc.h"
#include "../formats/minidump_modules.h"
#include "../formats/minidump_threads.h"
#include "../util/json_writer.h"

#define PMM_MD_REPORT_JSON_VERSION 1
#define PMM_MD_REPORT_MAX_ERRORS 32

/* A stream that is present but could not be decoded. */
typedef struct pmm_md_report_error {
    uint32_t stream_type;
    pmm_status status;
    char message[256];
} pmm_md_report_error;

typedef struct pmm_md_report {
    pmm_minidump *md;
    char path[1024];
    int has_system;
    pmm_md_system_info system;
    int has_misc;
    pmm_md_misc_info misc;
    int has_exception;
    pmm_md_exception exception;
    int has_threads;
    pmm_md_thread *threads;
    size_t thread_count;
    int has_modules;
    pmm_md_module *modules;
    size_t module_count;
    int has_unloaded;
    pmm_md_unloaded_module *unloaded;
    size_t unloaded_count;
    int has_handles;
    pmm_md_handle *handles;
    size_t handle_count;
    int has_memory;
    pmm_md_memory_range *memory;         /* MemoryList */
    size_t memory_count;
    int has_memory64;
    pmm_md_memory_range *memory64;       /* Memory64List */
    size_t memory64_count;
    int has_memory_info;
    pmm_region_info *memory_info;        /* MemoryInfoList */
    size_t memory_info_count;
    pmm_md_report_error errors[PMM_MD_REPORT_MAX_ERRORS];
    size_t error_count;
} pmm_md_report;

/* Fails only when the file is not a minidump at all (header or directory unusable); damaged
 * streams are recorded in errors. *out is freed with pmm_md_report_free. */
pmm_status pmm_md_report_load(const char *path, pmm_md_report **out, char *message, size_t cap);
/* The same over bytes the caller keeps alive until pmm_md_report_free (fuzzing, tests). */
pmm_status pmm_md_report_load_memory(const void *data, size_t size, const char *name, pmm_md_report **out,
                                     char *message, size_t cap);
void pmm_md_report_free(pmm_md_report *report);

/* Pointer size of the dumped process's CPU (4 or 8), for address widths. */
uint32_t pmm_md_report_pointer_size(const pmm_md_report *report);

/* "2010-09-29 21:53:53" (UTC) for seconds since 1970. */
const char *pmm_md_time_text(uint64_t seconds, char *buf, size_t cap);
/* "10.0.19041.1806" from a VS_FIXEDFILEINFO version pair. */
const char *pmm_md_version_text(uint32_t ms, uint32_t ls, char *buf, size_t cap);
/* Name of gpr[index] of a pmm_context ("rax", "eax"); NULL past the last register of arch. */
const char *pmm_md_register_name(uint32_t arch, size_t index);

void pmm_md_report_write_text(const pmm_md_report *report, pmm_out *out);
void pmm_md_report_write_json(const pmm_md_report *report, pmm_out *out);

#endif
