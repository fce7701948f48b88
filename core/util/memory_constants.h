/* Region states, types and protections, page and allocation sizes: the vocabulary of every layer,
 * below the source interface so the text helpers (util/text.c) can name them. */
#ifndef PMM_MEMORY_CONSTANTS_H
#define PMM_MEMORY_CONSTANTS_H

#include <stdint.h>

/* States, types and protections carry the Windows values, so a live source passes them through and
 * a minidump's MINIDUMP_MEMORY_INFO is copied as is. */
enum {
    PMM_MEM_COMMIT = 0x1000,
    PMM_MEM_RESERVE = 0x2000,
    PMM_MEM_FREE = 0x10000
};
enum {
    PMM_MEM_PRIVATE = 0x20000,
    PMM_MEM_MAPPED = 0x40000,
    PMM_MEM_IMAGE = 0x1000000
};
enum {
    PMM_PAGE_NOACCESS = 0x01,
    PMM_PAGE_READONLY = 0x02,
    PMM_PAGE_READWRITE = 0x04,
    PMM_PAGE_WRITECOPY = 0x08,
    PMM_PAGE_EXECUTE = 0x10,
    PMM_PAGE_EXECUTE_READ = 0x20,
    PMM_PAGE_EXECUTE_READWRITE = 0x40,
    PMM_PAGE_EXECUTE_WRITECOPY = 0x80,
    PMM_PAGE_GUARD = 0x100,
    PMM_PAGE_NOCACHE = 0x200,
    PMM_PAGE_WRITECOMBINE = 0x400
};

/* What a protection allows, decided here once for every reader of target memory (search, page
 * checksums, dump writers, analyzers).
 * Readable: a base protection that includes reading (on x86 executing implies reading) and no
 * guard bit (reading a guard page fires the guard the target relies on, to grow a stack). 0, "not
 * known" (a minidump without MemoryInfoList), is not readable here: a caller that reads such
 * memory for what the source holds says so itself. */
static inline int pmm_protect_is_readable(uint32_t protect)
{
    if (protect & PMM_PAGE_GUARD)
        return 0;
    switch (protect & 0xFF) {
    case PMM_PAGE_READONLY:
    case PMM_PAGE_READWRITE:
    case PMM_PAGE_WRITECOPY:
    case PMM_PAGE_EXECUTE:
    case PMM_PAGE_EXECUTE_READ:
    case PMM_PAGE_EXECUTE_READWRITE:
    case PMM_PAGE_EXECUTE_WRITECOPY:
        return 1;
    default:
        return 0;
    }
}

/* Readable, or not known: worth a read that may fail (and is then reported as unreadable). */
static inline int pmm_protect_may_be_read(uint32_t protect)
{
    return protect == 0 || pmm_protect_is_readable(protect);
}

static inline int pmm_protect_is_executable(uint32_t protect)
{
    return (protect & (PMM_PAGE_EXECUTE | PMM_PAGE_EXECUTE_READ | PMM_PAGE_EXECUTE_READWRITE |
                       PMM_PAGE_EXECUTE_WRITECOPY)) != 0;
}

static inline int pmm_protect_is_writable(uint32_t protect)
{
    return (protect & (PMM_PAGE_READWRITE | PMM_PAGE_WRITECOPY | PMM_PAGE_EXECUTE_READWRITE |
                       PMM_PAGE_EXECUTE_WRITECOPY)) != 0;
}

#define PMM_PAGE_SIZE 0x1000u
#define PMM_ALLOCATION_GRANULARITY 0x10000u
#define PMM_KUSER_SHARED_DATA 0x7ffe0000u

#endif
