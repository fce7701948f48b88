/* The annotated address space of one target: regions sorted by address and grouped by allocation
 * base, annotations on address ranges, and the modules, threads and heaps found in it.
 * Built by the scan (analyzers/scan.h); read by the CLI, the GUI, diff and save. */
#ifndef PMM_MAP_H
#define PMM_MAP_H

#include "../util/printf_format.h"

#include <stddef.h>
#include <stdint.h>
#include "../source/source.h"
#include "findings.h"
#include "strings.h"

/* What a user calls a region (VMMap's "Type" column). Decided per allocation. */
typedef enum pmm_region_kind {
    PMM_KIND_FREE,
    PMM_KIND_UNUSABLE,     /* free space below the next 64 KiB boundary after an allocation */
    PMM_KIND_IMAGE,
    PMM_KIND_MAPPED_FILE,
    PMM_KIND_SHAREABLE,    /* mapped section with no file: pagefile-backed */
    PMM_KIND_HEAP,
    PMM_KIND_STACK,
    PMM_KIND_PRIVATE,
    PMM_KIND_SYSTEM,       /* TEB, PEB, process parameters, KUSER_SHARED_DATA */
    PMM_KIND_COUNT
} pmm_region_kind;

enum pmm_region_flags {
    PMM_REGION_PE_HEADER = 1,    /* an MZ/PE header at the allocation base of non-image memory */
    PMM_REGION_UNREADABLE = 2    /* committed and meant to be readable, yet reads failed */
};

typedef struct pmm_region {
    uint64_t base;
    uint64_t size;
    uint64_t alloc_base;
    uint32_t state;
    uint32_t protect;
    uint32_t alloc_protect;
    uint32_t type;
    uint8_t kind;        /* pmm_region_kind */
    uint8_t flags;       /* pmm_region_flags */
    uint16_t reserved;
    uint32_t details;    /* string id: the Usage/Details text */
} pmm_region;

/* Resident pages of one region, counted from the source's per-page working-set facts
 * (analyzers/working_set.c). Total WS = private + shareable. */
typedef struct pmm_region_ws {
    uint32_t private_pages;    /* resident pages only this process can use (not shareable) */
    uint32_t shareable_pages;  /* resident shareable pages (image, mapped file, section) */
    uint32_t shared_pages;     /* resident shareable pages another process uses too (share count > 1) */
    uint32_t locked_pages;     /* resident pages locked in memory */
} pmm_region_ws;

typedef enum pmm_annotation_kind {
    PMM_ANN_MODULE,
    PMM_ANN_PE_HEADER,
    PMM_ANN_SECTION,
    PMM_ANN_DIRECTORY,
    PMM_ANN_ENTRY_POINT,
    PMM_ANN_STACK,
    PMM_ANN_STACK_GUARD,
    PMM_ANN_TEB,
    PMM_ANN_PEB,
    PMM_ANN_PROCESS_PARAMETERS,
    PMM_ANN_ENVIRONMENT,
    PMM_ANN_LOADER_DATA,
    PMM_ANN_KUSER_SHARED_DATA,
    PMM_ANN_HEAP,
    PMM_ANN_MAPPED_FILE,
    PMM_ANN_SYSTEM_DATA,   /* other things the PEB points at: ApiSetMap, code pages, shim data... */
    PMM_ANN_SEH_RECORD,    /* an x86 EXCEPTION_REGISTRATION_RECORD (only the one a broken chain stops at) */
    PMM_ANN_HEAP_SEGMENT,  /* a heap segment reported by the OS (RtlQueryProcessDebugInformation) */
    PMM_ANN_HEAP_BLOCK,    /* a heap block (pmm map --heap-blocks); owner is the heap id */
    PMM_ANN_COUNT
} pmm_annotation_kind;

typedef struct pmm_annotation {
    uint64_t base;
    uint64_t size;
    uint16_t kind;       /* pmm_annotation_kind */
    uint16_t bits;       /* 32 or 64 for structures that exist in both layouts, else 0 */
    uint32_t owner;      /* thread id, heap id or module index; 0 for none */
    uint32_t label;      /* string id */
    uint32_t invalid;    /* string id: why the structure there is corrupt ("stack limit above base"); 0 when valid */
} pmm_annotation;

enum pmm_module_flags {
    PMM_MODULE_IN_LOADER_LIST = 1,   /* found in the PEB loader list read from target memory */
    PMM_MODULE_IN_OS_LIST = 2,       /* reported by the source (Toolhelp, dump module list) */
    PMM_MODULE_HEADER_ONLY = 4,      /* an image allocation with a PE header and no list entry */
    PMM_MODULE_WOW64 = 8             /* 32-bit module of a WOW64 process (PEB32 list) */
};

typedef struct pmm_module {
    uint64_t base;
    uint64_t size;
    uint64_t entry;
    uint32_t path;       /* string id */
    uint32_t name;       /* string id */
    uint32_t flags;      /* pmm_module_flags */
    uint32_t pointer_size;
} pmm_module;

enum pmm_thread_flags {
    PMM_THREAD_TEB_READ = 1,         /* teb/stack fields were read from the TEB */
    PMM_THREAD_TEB64_READ = 2,       /* teb64/stack64 fields were read (WOW64 thread) */
    PMM_THREAD_STACK_FROM_SP = 4     /* no TEB: the stack is the allocation holding the stack pointer */
};

/* teb and stack_* describe the thread in the process's own bitness (the 32-bit TEB and stack of an
 * x86 process). A WOW64 thread also has a 64-bit TEB and stack: teb64 and stack64_*. */
typedef struct pmm_thread {
    uint32_t tid;
    uint32_t flags;                  /* pmm_thread_flags */
    uint64_t teb;
    uint64_t start_address;          /* 0 when unknown */
    uint64_t stack_base;             /* one past the highest address (NT_TIB.StackBase) */
    uint64_t stack_limit;            /* lowest committed address (NT_TIB.StackLimit) */
    uint64_t stack_reserve_base;     /* TEB.DeallocationStack: start of the reservation */
    uint64_t teb64;
    uint64_t stack64_base;
    uint64_t stack64_limit;
    uint64_t stack64_reserve_base;
    pmm_context context;             /* native (64-bit for WOW64) register context */
    pmm_context context32;           /* WOW64: the 32-bit context */
    /* Call stack (analyzers/stacks.c): map->frames[frame_first .. frame_first + frame_count),
     * innermost first, in the process's own bitness; walk_end says why the walk stopped. */
    uint32_t frame_first;
    uint32_t frame_count;
    uint32_t walk_end;               /* pmm_walk_end */
    uint32_t frame_bits;             /* 32 or 64; 0 when not walked */
    /* x86 SEH chain (analyzers/seh.c) of a 32-bit thread: map->seh[seh_first .. + seh_count),
     * innermost first; seh_end says why the walk stopped. */
    uint32_t seh_first;
    uint32_t seh_count;
    uint32_t seh_end;                /* pmm_seh_end */
    uint32_t start_symbol;           /* string id: start_address as "module!export+0x1a"; 0 when unknown */
    /* WOW64: the 64-bit call stack, from the native (x64) context over the 64-bit stack:
     * map->frames[frame64_first .. + frame64_count); walk64_end says why it stopped or was not
     * walked. */
    uint32_t frame64_first;
    uint32_t frame64_count;
    uint32_t walk64_end;             /* pmm_walk_end */
    uint32_t reserved64;
} pmm_thread;

/* Why an SEH chain walk stopped. */
typedef enum pmm_seh_end {
    PMM_SEH_NOT_WALKED = 0,          /* not a 32-bit thread, or its TEB or stack is unknown */
    PMM_SEH_COMPLETE,                /* reached the 0xFFFFFFFF end marker */
    PMM_SEH_BAD_RECORD,              /* a record outside the stack, misaligned, or not above the previous one */
    PMM_SEH_READ_FAILED,             /* a record could not be read */
    PMM_SEH_RECORD_LIMIT             /* PMM_SEH_MAX_RECORDS reached */
} pmm_seh_end;

/* One EXCEPTION_REGISTRATION_RECORD {Next, Handler} of a thread's SEH chain. */
typedef struct pmm_seh_record {
    uint64_t record;                 /* address of the record on the stack */
    uint64_t handler;
    uint32_t symbol;                 /* string id: the handler as "module!export+0x1a"; 0 when in no module */
    uint32_t reserved;
} pmm_seh_record;

/* Why a stack walk stopped. */
typedef enum pmm_walk_end {
    PMM_WALK_NOT_WALKED = 0,         /* no usable register context */
    PMM_WALK_COMPLETE,               /* reached a zero return address or frame pointer */
    PMM_WALK_BAD_FRAME,              /* a frame left the stack, went down, or returned outside code */
    PMM_WALK_NO_UNWIND_INFO,         /* an image whose unwind data could not be read */
    PMM_WALK_READ_FAILED,            /* stack memory could not be read */
    PMM_WALK_FRAME_LIMIT,            /* PMM_STACK_MAX_FRAMES reached */
    PMM_WALK_SP_OFF_STACK            /* not walked: the context's stack pointer is not on that stack */
} pmm_walk_end;

/* How a frame's address was found. */
typedef enum pmm_frame_method {
    PMM_FRAME_CONTEXT,               /* the instruction pointer of the thread's context */
    PMM_FRAME_UNWIND,                /* x64 unwind data of the function */
    PMM_FRAME_LEAF,                  /* no unwind data: a leaf function, return address at [rsp] */
    PMM_FRAME_MACHINE,               /* an interrupt/exception machine frame */
    PMM_FRAME_POINTER,               /* x86 EBP chain */
    PMM_FRAME_SCAN                   /* x86: a return address found between ESP and the first EBP frame */
} pmm_frame_method;

/* "complete", "stopped at the frame limit", ...: the sentence a report shows for each. */
const char *pmm_walk_end_text(pmm_walk_end end);
/* "unwind", "leaf", "frame_pointer", ...: the name JSON and text reports show. */
const char *pmm_frame_method_name(pmm_frame_method method);

typedef struct pmm_frame {
    uint64_t address;                /* instruction pointer or return address */
    uint64_t stack_pointer;          /* stack pointer at that frame */
    uint32_t symbol;                 /* string id: "module!export+0x1a"; 0 when in no module */
    uint16_t method;                 /* pmm_frame_method */
    uint16_t reserved;
} pmm_frame;

enum pmm_heap_flags {
    PMM_HEAP_DEFAULT = 1,            /* PEB.ProcessHeap */
    PMM_HEAP_IN_PEB_LIST = 2,        /* PEB.ProcessHeaps[] */
    PMM_HEAP_FROM_PEB64 = 4,         /* from the 64-bit PEB of a WOW64 process */
    PMM_HEAP_FOUND_BY_SIGNATURE = 8, /* found by its header signature in private memory, not via the PEB */
    PMM_HEAP_FROM_DEBUG_INFO = 16,   /* listed by RtlQueryProcessDebugInformation (live, Windows) */
    PMM_HEAP_FROM_TOOLHELP = 32      /* listed by Toolhelp's heap list (live, Windows) */
};

typedef struct pmm_heap {
    uint64_t address;
    uint32_t id;                     /* 1-based, in PEB.ProcessHeaps order */
    uint32_t flags;
} pmm_heap;

typedef struct pmm_map {
    pmm_target_info target;
    pmm_region *regions;
    size_t region_count, region_cap;
    uint32_t *allocation_first;      /* index of each allocation's first region (built by finish) */
    size_t allocation_count;
    pmm_annotation *annotations;
    size_t annotation_count, annotation_cap;
    uint64_t *annotation_max_end;    /* prefix maximum of annotation ends (built by finish) */
    pmm_module *modules;
    size_t module_count, module_cap;
    pmm_thread *threads;
    size_t thread_count, thread_cap;
    pmm_heap *heaps;
    size_t heap_count, heap_cap;
    uint32_t *warnings;              /* string ids of things the scan could not do or read */
    size_t warning_count, warning_cap;
    pmm_strings strings;
    uint64_t scan_microseconds;
    uint32_t scan_flags;             /* pmm_scan_flags */
    pmm_frame *frames;               /* call stacks of all threads (see pmm_thread.frame_first) */
    size_t frame_count, frame_cap;
    pmm_seh_record *seh;             /* SEH chains of all 32-bit threads (see pmm_thread.seh_first) */
    size_t seh_count, seh_cap;
    pmm_findings integrity;          /* the integrity scan's findings (tools/integrity.h); empty when none ran */
    /* Working set per region, parallel to regions[]; NULL when the source could not tell, and then
     * working_set_note (a string id) says why. */
    pmm_region_ws *working_set;
    uint32_t working_set_note;
} pmm_map;

enum pmm_scan_flags {
    PMM_SCAN_OS_MODULE_LIST = 1,     /* the source's own module list was there to cross-check */
    PMM_SCAN_PREVIEW = 2             /* a scan's preview: the regions walked so far, nothing analysed yet */
};

#define PMM_NO_INDEX ((size_t)-1)

pmm_map *pmm_map_new(void);
void pmm_map_free(pmm_map *map);

/* Regions must be added in ascending, non-overlapping address order. */
pmm_status pmm_map_add_region(pmm_map *map, const pmm_region_info *info);
pmm_status pmm_map_add_annotation(pmm_map *map, uint64_t base, uint64_t size, pmm_annotation_kind kind,
                                  uint32_t bits, uint32_t owner, const char *label);
/* The same for a structure found corrupt: reason (short, no addresses) says what is wrong with it. */
pmm_status pmm_map_add_invalid_annotation(pmm_map *map, uint64_t base, uint64_t size, pmm_annotation_kind kind,
                                          uint32_t bits, uint32_t owner, const char *label, const char *reason);
/* Marks the annotation of that kind at base invalid (the first reason given stays). PMM_ERR_NOT_FOUND
 * when there is none. Works before and after pmm_map_finish. */
pmm_status pmm_map_mark_invalid(pmm_map *map, uint64_t base, pmm_annotation_kind kind, const char *reason);
/* Number of annotations marked invalid. */
size_t pmm_map_invalid_count(const pmm_map *map);
pmm_status pmm_map_add_module(pmm_map *map, const pmm_module *module, const char *path);
/* Sets a module's path and its file name (the part after the last separator). */
pmm_status pmm_map_set_module_path(pmm_map *map, pmm_module *module, const char *path);
pmm_status pmm_map_add_thread(pmm_map *map, const pmm_thread *thread);
pmm_status pmm_map_add_frame(pmm_map *map, const pmm_frame *frame);
pmm_status pmm_map_add_seh_record(pmm_map *map, const pmm_seh_record *record);
pmm_status pmm_map_add_heap(pmm_map *map, uint64_t address, uint32_t flags, pmm_heap **out);
/* Integrity findings and unchecked ranges (core/model/findings.c); their string ids are the map's. */
pmm_status pmm_map_add_finding(pmm_map *map, const pmm_finding *finding);
pmm_status pmm_map_add_unchecked(pmm_map *map, const pmm_unchecked *unchecked);
pmm_status pmm_map_add_image_check(pmm_map *map, const pmm_image_check *check);
/* Records something the scan could not do; printed with the map. */
pmm_status pmm_map_warn(pmm_map *map, const char *fmt, ...) PMM_PRINTF_FORMAT(2, 3);
pmm_status pmm_map_set_details(pmm_map *map, size_t region_index, const char *text);
const char *pmm_map_text(const pmm_map *map, uint32_t string_id);

/* Gives the map a zeroed working-set record per region (after the last region was added). */
pmm_status pmm_map_enable_working_set(pmm_map *map);
/* Records why the map has no working-set facts. */
pmm_status pmm_map_set_working_set_note(pmm_map *map, const char *why);

/* Sorts annotations and builds the lookup indexes. Call after the last add, before lookups. */
pmm_status pmm_map_finish(pmm_map *map);

/* O(log n) lookups. PMM_NO_INDEX when nothing matches. */
size_t pmm_map_find(const pmm_map *map, uint64_t addr);
size_t pmm_map_find_allocation(const pmm_map *map, size_t region_index);
void pmm_map_allocation_regions(const pmm_map *map, size_t allocation, size_t *first, size_t *count);
/* Index of the first annotation whose base is >= addr. */
size_t pmm_map_annotation_lower_bound(const pmm_map *map, uint64_t addr);
/* Innermost annotation of the given kind (or any kind when kind < 0) that contains addr. */
const pmm_annotation *pmm_map_annotation_at(const pmm_map *map, uint64_t addr, int kind);
const pmm_module *pmm_map_module_at(const pmm_map *map, uint64_t addr);
const pmm_thread *pmm_map_thread(const pmm_map *map, uint32_t tid);

/* Bytes of heap the map holds, for the memory-per-region benchmark. */
size_t pmm_map_memory(const pmm_map *map);

const char *pmm_region_kind_name(pmm_region_kind kind);
const char *pmm_annotation_kind_name(pmm_annotation_kind kind);

#endif
