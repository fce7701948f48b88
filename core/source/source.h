/* One interface over "an address space": a live process, a minidump, or a saved map.
 * Analyzers read the target only through this, so the same code runs on every kind of source and
 * under a native fuzzer. Nothing read through a source is trusted. */
#ifndef PMM_SOURCE_H
#define PMM_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include "../util/memory_constants.h"
#include "../util/status.h"

typedef struct pmm_region_info {
    uint64_t base;
    uint64_t size;
    uint64_t alloc_base;
    uint32_t alloc_protect;
    uint32_t protect;
    uint32_t state;
    uint32_t type;
} pmm_region_info;

enum pmm_arch { PMM_ARCH_UNKNOWN = 0, PMM_ARCH_X86 = 1, PMM_ARCH_X64 = 2 };

/* Register file of a thread. gpr[] uses the x64 encoding order (rax, rcx, rdx, rbx, rsp, rbp, rsi,
 * rdi, r8..r15), which is also the x86 order for eax..edi, so an unwinder indexes it directly. */
typedef struct pmm_context {
    uint32_t arch;      /* enum pmm_arch; PMM_ARCH_UNKNOWN when no context was obtained */
    uint32_t flags;
    uint64_t ip;
    uint64_t gpr[16];
} pmm_context;

enum { PMM_REG_SP = 4, PMM_REG_FP = 5 };

typedef struct pmm_thread_info {
    uint32_t tid;
    uint64_t teb;            /* the TEB the OS reports (the 64-bit one of a WOW64 thread) */
    uint64_t start_address;  /* 0 when unknown */
    pmm_context context;     /* native context of the thread */
    pmm_context context32;   /* WOW64: the 32-bit context; arch 0 when none */
} pmm_thread_info;

typedef struct pmm_module_info {
    uint64_t base;
    uint64_t size;
    char path[520];          /* UTF-8 */
} pmm_module_info;

/* Heaps as the OS reports them (source op `heaps`): one entry per heap, per segment and, when
 * asked for, per block. */
enum pmm_heap_entry_kind { PMM_HEAP_ENTRY_HEAP = 1, PMM_HEAP_ENTRY_SEGMENT = 2, PMM_HEAP_ENTRY_BLOCK = 3 };
enum pmm_heap_entry_flags {
    PMM_HEAP_ENTRY_BUSY = 1,             /* block: allocated (else free) */
    PMM_HEAP_ENTRY_FROM_DEBUG_INFO = 2,  /* reported by RtlQueryProcessDebugInformation */
    PMM_HEAP_ENTRY_FROM_TOOLHELP = 4     /* reported by Toolhelp (Heap32ListFirst/Heap32First) */
};
enum pmm_heap_query_flags { PMM_HEAP_QUERY_BLOCKS = 1 };

typedef struct pmm_heap_entry {
    uint32_t kind;           /* enum pmm_heap_entry_kind */
    uint32_t flags;          /* enum pmm_heap_entry_flags */
    uint64_t heap;           /* the heap (its base address, the HANDLE HeapCreate returned) */
    uint64_t address;        /* heap: = heap; segment: its first block or base; block: its data */
    uint64_t size;           /* heap: bytes committed; segment: its size; block: its size */
    uint64_t committed;      /* segment: bytes committed; else 0 */
} pmm_heap_entry;

/* Working-set facts of one page, as QueryWorkingSetEx reports them (PSAPI_WORKING_SET_EX_BLOCK).
 * Only a live source has them; minidumps and saved maps do not record them. */
enum pmm_page_ws_flags {
    PMM_WS_VALID = 1,        /* resident: in the process's working set */
    PMM_WS_SHARED = 2,       /* a shareable page (image, mapped file, section), not a private copy */
    PMM_WS_LOCKED = 4,       /* locked in memory (VirtualLock) */
    PMM_WS_LARGE_PAGE = 8,
    PMM_WS_BAD = 16          /* the OS marked the page bad */
};

typedef struct pmm_page_ws {
    uint8_t flags;           /* pmm_page_ws_flags; 0 for a page that is not resident */
    uint8_t share_count;     /* processes mapping the page, 0..7 (7 means 7 or more); valid shared pages only */
    uint16_t protect;        /* the page's Windows protection (Win32Protection) while resident */
    uint16_t node;           /* NUMA node of a resident page */
    uint16_t reserved;
} pmm_page_ws;

/* Largest batch a caller asks the `working_set` op for at once (bounded memory on both sides). */
#define PMM_WS_MAX_BATCH 4096u

enum pmm_source_kind { PMM_SOURCE_LIVE = 1, PMM_SOURCE_MINIDUMP = 2, PMM_SOURCE_SAVED = 3, PMM_SOURCE_KERNEL_DUMP = 4 };

typedef struct pmm_target_info {
    uint32_t source_kind;    /* enum pmm_source_kind */
    uint32_t pid;
    uint32_t pointer_size;   /* the target's own bitness: 4 or 8 */
    uint32_t wow64;          /* a 32-bit process on 64-bit Windows */
    uint32_t tool_pointer_size;
    uint64_t peb;            /* PEB of the target's native bitness as reported by the OS; 0 unknown */
    uint64_t peb32;          /* WOW64: the 32-bit PEB; 0 unknown */
    uint64_t lowest_address;
    uint64_t highest_address;/* last byte of the user address space */
    char name[260];          /* UTF-8 executable name */
    char path[1024];         /* UTF-8 executable path, or the file the source was read from */
} pmm_target_info;

/* Threads: query, read and mapped_file_name of a process source (live, minidump) may be called from
 * several threads at once, so the window's hex view keeps reading while a job searches or dumps
 * through the same source; the other ops, and every op of a file source, from one thread at a
 * time. */
typedef struct pmm_source_ops {
    /* The region containing addr, or the next one above it. PMM_END past the user address space,
     * PMM_ERR_GONE once the target has exited. */
    pmm_status (*query)(void *impl, uint64_t addr, pmm_region_info *out);
    /* Copies up to len bytes from addr; returns how many contiguous bytes from addr were copied. */
    size_t (*read)(void *impl, uint64_t addr, void *buf, size_t len);
    /* Arrays the caller frees with free(). NULL when the source cannot list them. */
    pmm_status (*threads)(void *impl, pmm_thread_info **out, size_t *count);
    pmm_status (*modules)(void *impl, pmm_module_info **out, size_t *count);
    /* UTF-8 path of the file mapped at addr (image or data view). NULL when unsupported. */
    pmm_status (*mapped_file_name)(void *impl, uint64_t addr, char *buf, size_t cap);
    /* PMM_OK while the target is there, PMM_ERR_GONE after it exited. NULL for files. */
    pmm_status (*alive)(void *impl);
    void (*close)(void *impl);
    /* What the source itself could not read or had to infer (a damaged stream, regions rebuilt
     * without MemoryInfoList), one sentence each; NULL past the last. NULL when it has none. */
    const char *(*note)(void *impl, size_t index);
    /* Heaps, segments and (flags PMM_HEAP_QUERY_BLOCKS) blocks as the OS lists them: an array the
     * caller frees with free(). message says which route answered, or why none did (Wine answers
     * with nothing). Must not hang on a target that never answers. NULL when the source has no
     * such route (minidumps, saved maps). */
    pmm_status (*heaps)(void *impl, uint32_t flags, pmm_heap_entry **out, size_t *count, char *message,
                        size_t message_cap);
    /* The first stretch [*start, *end) at or above addr that the source holds bytes for, PMM_END
     * above the last one. Only a source that knows exactly which bytes it holds has it (a file:
     * its memory ranges); reads outside these stretches return nothing. NULL for the others. */
    pmm_status (*held_extent)(void *impl, uint64_t addr, uint64_t *start, uint64_t *end);
    /* Working-set facts of count (<= PMM_WS_MAX_BATCH) consecutive pages from the page-aligned
     * addr into out[count]. PMM_ERR_UNSUPPORTED with message saying why when the OS will not tell
     * (Wine answers only a process asking about itself); callers then stop asking. NULL when the
     * source has no such facts. */
    pmm_status (*working_set)(void *impl, uint64_t addr, size_t count, pmm_page_ws *out, char *message,
                              size_t message_cap);
    /* Lends the bytes at addr where the source holds them in memory already (a file mapping): *out
     * points at them, valid until the source is closed; returns how many contiguous bytes from addr
     * it lends, at most len (0: none, read them instead). NULL when the source never lends. */
    size_t (*borrow)(void *impl, uint64_t addr, size_t len, const uint8_t **out);
} pmm_source_ops;

typedef struct pmm_source {
    const pmm_source_ops *ops;
    void *impl;
    pmm_target_info target;
} pmm_source;

pmm_status pmm_source_query(pmm_source *src, uint64_t addr, pmm_region_info *out);
size_t pmm_source_read(pmm_source *src, uint64_t addr, void *buf, size_t len);
/* The borrow op, or 0 when the source has none: readers that can use bytes in place (the search)
 * skip a copy, and read what is not lent. */
size_t pmm_source_borrow(pmm_source *src, uint64_t addr, size_t len, const uint8_t **out);
/* All-or-nothing reads of little-endian integers and target pointers. */
pmm_status pmm_source_read_exact(pmm_source *src, uint64_t addr, void *buf, size_t len);
pmm_status pmm_source_read_u16(pmm_source *src, uint64_t addr, uint16_t *out);
pmm_status pmm_source_read_u32(pmm_source *src, uint64_t addr, uint32_t *out);
pmm_status pmm_source_read_u64(pmm_source *src, uint64_t addr, uint64_t *out);
pmm_status pmm_source_read_pointer(pmm_source *src, uint64_t addr, uint32_t pointer_size, uint64_t *out);
/* Reads a UTF-16LE string of byte length len_bytes and stores it as UTF-8 (truncated to cap). */
pmm_status pmm_source_read_utf16(pmm_source *src, uint64_t addr, uint32_t len_bytes, char *buf, size_t cap);
/* The other ops, each with its default where the source lacks it, so no caller tests a function
 * pointer: the enumerations and mapped_file_name answer PMM_ERR_NOT_PROVIDED (an empty list, an
 * empty name), which no op returns itself; alive answers PMM_OK (a file does not exit), note NULL.
 * Contracts as in pmm_source_ops. */
pmm_status pmm_source_threads(pmm_source *src, pmm_thread_info **out, size_t *count);
pmm_status pmm_source_modules(pmm_source *src, pmm_module_info **out, size_t *count);
pmm_status pmm_source_mapped_file_name(pmm_source *src, uint64_t addr, char *buf, size_t cap);
pmm_status pmm_source_heaps(pmm_source *src, uint32_t flags, pmm_heap_entry **out, size_t *count, char *message,
                            size_t message_cap);
const char *pmm_source_note(pmm_source *src, size_t index);
pmm_status pmm_source_alive(pmm_source *src);

/* Where reading on from addr (below limit) can next return bytes, for a walk whose read at addr
 * came back short: a file source answers from its memory ranges, any other source from one query
 * (the end of a region that is not committed or not readable). addr itself when the source says
 * addr may be readable (the caller then steps past the failing page as before); limit when
 * nothing below limit can be. Lets a walk skip in one step, never page by page, a stretch the
 * target does not have: a dump can claim a region of 256 TiB it holds no byte of. */
uint64_t pmm_source_next_readable(pmm_source *src, uint64_t addr, uint64_t limit);

/* Non-zero when the source knows exactly which bytes it holds (pmm_source_held_extent answers). */
int pmm_source_knows_held(const pmm_source *src);
/* The first stretch [*start, *end) at or above addr the source holds: PMM_END when none (or the
 * source cannot say: see pmm_source_knows_held). */
pmm_status pmm_source_held_extent(pmm_source *src, uint64_t addr, uint64_t *start, uint64_t *end);
/* The `working_set` op; a source without it answers PMM_ERR_NOT_PROVIDED and says why in message. */
pmm_status pmm_source_working_set(pmm_source *src, uint64_t addr, size_t count, pmm_page_ws *out, char *message,
                                  size_t message_cap);
void pmm_source_close(pmm_source *src);

#endif
