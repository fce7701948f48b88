/* The Windows side of `pmm dump`: what only the OS can do or tell. */
#ifndef PMM_DUMP_WIN32_H
#define PMM_DUMP_WIN32_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "../formats/minidump_write.h"

/* --attach debug: DebugActiveProcess (the target's threads stop while we read it) with
 * DebugSetProcessKillOnExit(FALSE), so our exit never kills it. PMM_ERR_ACCESS etc. with message. */
pmm_status pmm_dump_attach_debugger(uint32_t pid, char *message, size_t message_cap);
/* DebugActiveProcessStop. On failure message says so: the target stays as Windows leaves it. */
pmm_status pmm_dump_detach_debugger(uint32_t pid, char *message, size_t message_cap);

/* OS version, processor and the process's times for SystemInfo and MiscInfo. */
void pmm_dump_system_facts(pmm_md_system_facts *out);
void pmm_dump_process_facts(uint32_t pid, pmm_md_process_facts *out);

/* The handle table of process pid with type and object names (HandleData). PMM_ERR_UNSUPPORTED
 * when neither ProcessHandleInformation nor SystemExtendedHandleInformation answers; without
 * PROCESS_DUP_HANDLE the handles are listed without types and names. *out: free(). */
pmm_status pmm_dump_handles(uint32_t pid, pmm_md_handle_fact **out, size_t *count);
/* Times, exit status, affinity and Win32 start address of each thread of map (ThreadInfoList);
 * a thread that cannot be opened keeps zeros. *out: free(). */
pmm_status pmm_dump_thread_facts(const pmm_map *map, pmm_md_thread_fact **out, size_t *count);

/* All of the above for a minidump of live process pid (described by map), gathered in one place:
 * a minidump's options point their system, process and extras here. What the OS refuses stays
 * unknown (no HandleData when the handle table cannot be read). */
typedef struct pmm_dump_live_facts {
    pmm_md_system_facts system;
    pmm_md_process_facts process;
    pmm_md_write_extras extras;          /* points into the two arrays below */
    pmm_md_thread_fact *thread_facts;
    pmm_md_handle_fact *handles;
} pmm_dump_live_facts;
void pmm_dump_live_facts_gather(uint32_t pid, const pmm_map *map, pmm_dump_live_facts *facts);
void pmm_dump_live_facts_free(pmm_dump_live_facts *facts);

/* Our minidump of src (map: its finished scan) written to path, which appears only once all of it
 * is written. For a live process the options' system, process and extras are gathered here
 * (*handles_known, when not NULL: whether the handle table could be read); the other options are
 * used as given. message: why the file could not be created or written (its path and the OS's
 * reason), "" when the failure was not the file's (the process exited...). Free *result with
 * pmm_md_write_result_free whatever the outcome. */
pmm_status pmm_dump_minidump_file(pmm_source *src, const pmm_map *map, const pmm_md_write_options *options,
                                  const char *path, pmm_md_write_result *result, int *handles_known,
                                  char *message, size_t message_cap);

/* Marks an open file sparse (FSCTL_SET_SPARSE), so skipped ranges take no disk space. 1 on success. */
int pmm_dump_make_sparse(FILE *file);

/* MINIDUMP_TYPE from "0x1105", "MiniDumpWithFullMemory|MiniDumpWithHandleData" or
 * "WithFullMemory,WithHandleData" (names case-insensitive). PMM_ERR_ARG names the bad part. */
pmm_status pmm_dbghelp_parse_flags(const char *text, uint32_t *out, char *message, size_t message_cap);
/* dbghelp's MiniDumpWriteDump of pid with the given flags into path (through path.partial). */
pmm_status pmm_dbghelp_write(uint32_t pid, uint32_t flags, const char *path, char *message, size_t message_cap);

#endif
