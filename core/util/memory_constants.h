/* Region states, types and protections, page and allocation sizes: the vocabulary of every layer,
 * below the source interface so the text helpers (util/text.c) can name them. */
#ifndef PMM_MEMORY_CONSTANTS_H
#define PMM_MEMORY_CONSTANTS_H

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

#define PMM_PAGE_SIZE 0x1000u
#define PMM_ALLOCATION_GRANULARITY 0x10000u
#define PMM_KUSER_SHARED_DATA 0x7ffe0000u

#endif
