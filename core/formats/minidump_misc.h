/* SystemInfo, MiscInfo, Exception and HandleData streams. Each reader returns PMM_ERR_NOT_FOUND
 * when the dump has no such stream and PMM_ERR_FORMAT (with message) when it is corrupt. */
#ifndef PMM_MINIDUMP_MISC_H
#define PMM_MINIDUMP_MISC_H

#include <stddef.h>
#include <stdint.h>
#include "minidump.h"
#include "minidump_context.h"

/* PlatformId values: Windows NT, and the ids Breakpad writes for other systems. */
enum {
    PMM_MD_PLATFORM_WIN32S = 0,
    PMM_MD_PLATFORM_WIN32_WINDOWS = 1,
    PMM_MD_PLATFORM_WIN32_NT = 2,
    PMM_MD_PLATFORM_MAC = 0x8101,
    PMM_MD_PLATFORM_IOS = 0x8102,
    PMM_MD_PLATFORM_LINUX = 0x8201,
    PMM_MD_PLATFORM_SOLARIS = 0x8202,
    PMM_MD_PLATFORM_ANDROID = 0x8203,
    PMM_MD_PLATFORM_PS3 = 0x8204,
    PMM_MD_PLATFORM_NACL = 0x8205,
    PMM_MD_PLATFORM_FUCHSIA = 0x8206
};

typedef struct pmm_md_system_info {
    uint16_t processor_architecture;   /* PMM_MD_CPU_* */
    uint16_t processor_level;
    uint16_t processor_revision;
    uint8_t processor_count;
    uint8_t product_type;              /* 1 workstation, 2 domain controller, 3 server */
    uint32_t major_version, minor_version, build_number;
    uint32_t platform_id;              /* PMM_MD_PLATFORM_* */
    uint16_t suite_mask;
    char csd_version[128];             /* service pack, UTF-8 */
    char cpu_vendor[13];               /* x86/x64: "GenuineIntel"... */
    uint32_t cpu_version, cpu_features;
} pmm_md_system_info;

pmm_status pmm_md_read_system_info(pmm_minidump *md, pmm_md_system_info *out, char *message, size_t cap);
/* "x86", "x64", "ARM64"...; "unknown" for other values. */
const char *pmm_md_cpu_name(uint32_t processor_architecture);
/* "Windows NT", "Linux", "macOS"...; NULL for unknown ids. */
const char *pmm_md_platform_name(uint32_t platform_id);
int pmm_md_platform_is_windows(uint32_t platform_id);

/* MINIDUMP_MISC_INFO through _5; fields are valid when their flags1 bit is set. */
enum {
    PMM_MD_MISC_PROCESS_ID = 0x1,
    PMM_MD_MISC_PROCESS_TIMES = 0x2,
    PMM_MD_MISC_PROCESSOR_POWER_INFO = 0x4,
    PMM_MD_MISC_PROCESS_INTEGRITY = 0x10,
    PMM_MD_MISC_PROCESS_EXECUTE_FLAGS = 0x20,
    PMM_MD_MISC_TIMEZONE = 0x40,
    PMM_MD_MISC_PROTECTED_PROCESS = 0x80,
    PMM_MD_MISC_BUILDSTRING = 0x100
};

typedef struct pmm_md_misc_info {
    uint32_t size_of_info;
    uint32_t flags1;
    uint32_t process_id;
    uint32_t process_create_time;      /* time_t seconds */
    uint32_t process_user_time, process_kernel_time;   /* seconds */
    uint32_t processor_max_mhz, processor_current_mhz, processor_mhz_limit;
    uint32_t process_integrity_level, process_execute_flags, protected_process;
    char build_string[260];            /* UTF-8 */
    char debug_build_string[40];
} pmm_md_misc_info;

pmm_status pmm_md_read_misc_info(pmm_minidump *md, pmm_md_misc_info *out, char *message, size_t cap);

#define PMM_MD_EXCEPTION_MAX_PARAMETERS 15

typedef struct pmm_md_exception {
    uint32_t thread_id;
    uint32_t code;
    uint32_t flags;
    uint64_t record;                   /* address of a nested EXCEPTION_RECORD */
    uint64_t address;
    uint32_t parameter_count;          /* as stored; parameters[] holds at most 15 */
    uint64_t parameters[PMM_MD_EXCEPTION_MAX_PARAMETERS];
    uint32_t context_size, context_rva;
    int has_context;
    pmm_md_context context;            /* the faulting thread's registers at the exception */
} pmm_md_exception;

/* processor_arch picks the CONTEXT layout when its flags do not (from SystemInfo). */
pmm_status pmm_md_read_exception(pmm_minidump *md, uint32_t processor_arch, pmm_md_exception *out, char *message,
                                 size_t cap);
/* "EXCEPTION_ACCESS_VIOLATION"...; NULL for codes this reader does not name. */
const char *pmm_md_exception_name(uint32_t code);

typedef struct pmm_md_handle {
    uint64_t handle;
    char type_name[64];
    char object_name[260];
    uint32_t attributes, granted_access, handle_count, pointer_count;
    uint32_t bad_names;                /* a name RVA pointed outside the file */
} pmm_md_handle;

/* *out is an array the caller frees with free(). */
pmm_status pmm_md_read_handles(pmm_minidump *md, pmm_md_handle **out, size_t *count, char *message, size_t cap);

#endif
