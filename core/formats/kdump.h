/* Windows kernel crash dumps (MEMORY.DMP, `.dump /f`, `.dump /ka`, live kernel dumps): the header
 * (64-bit "PAGEDU64" and 32-bit "PAGEDUMP"), physical memory as the dump stores it (runs or a
 * bitmap), translation of virtual addresses through the page tables in the dump, and the kernel's
 * module list. Portable: no <windows.h>; every field read from the file is checked before use; the
 * file is read in place (pmm_input_file), never loaded whole, and the memory kept is proportional
 * to the dump's runs or bitmap blocks, never to its pages. A page the dump does not hold is
 * reported absent, never read as zeros. Not thread-safe: one reader at a time. */
#ifndef PMM_KDUMP_H
#define PMM_KDUMP_H

#include <stddef.h>
#include <stdint.h>
#include "../util/input_file.h"
#include "../util/status.h"

#define PMM_KDUMP_PAGE_SIZE 0x1000u

/* DumpType values of the header. */
enum pmm_kdump_type {
    PMM_KDUMP_FULL = 1,              /* physical memory in the header's runs */
    PMM_KDUMP_SUMMARY = 2,           /* 32-bit kernel summary: "SDMP" bitmap */
    PMM_KDUMP_TRIAGE = 4,            /* a kernel minidump: not read here */
    PMM_KDUMP_BITMAP = 5,            /* "SDMP"/"FDMP" bitmap (kernel or complete, Windows 8+) */
    PMM_KDUMP_LIVE_BITMAP = 6,       /* live kernel memory dump (Task Manager, 22H2+) */
    PMM_KDUMP_KERNEL = 8,            /* `.dump /k`: "RDMP" page ranges */
    PMM_KDUMP_KERNEL_AND_USER = 9,   /* `.dump /ka` */
    PMM_KDUMP_COMPLETE = 0xA         /* `.dump /f` */
};

enum { PMM_KDUMP_MACHINE_I386 = 0x14C, PMM_KDUMP_MACHINE_AMD64 = 0x8664, PMM_KDUMP_MACHINE_ARM64 = 0xAA64 };

/* How the dump stores physical memory. */
enum pmm_kdump_storage { PMM_KDUMP_STORAGE_RUNS = 1, PMM_KDUMP_STORAGE_BITMAP = 2 };

/* Paging of the dumped machine: what a translation walks. */
enum pmm_kdump_paging {
    PMM_KDUMP_PAGING_NONE = 0,       /* a machine whose page tables are not walked here (ARM64) */
    PMM_KDUMP_PAGING_X64 = 1,        /* 4 levels, 1 GiB and 2 MiB large pages */
    PMM_KDUMP_PAGING_PAE = 2,        /* x86 PAE: 3 levels of 64-bit entries, 2 MiB large pages */
    PMM_KDUMP_PAGING_X86 = 3         /* x86: 2 levels of 32-bit entries, 4 MiB large pages */
};

/* The context record of the header: the processor that crashed (or wrote the dump). */
typedef struct pmm_kdump_context {
    uint32_t arch;              /* PMM_ARCH_X64 or PMM_ARCH_X86 (source.h) */
    uint32_t context_flags;
    uint32_t mxcsr;             /* x64 only */
    uint32_t eflags;
    uint16_t cs, ds, es, fs, gs, ss;
    uint16_t fpu_control, fpu_status;
    uint64_t dr[6];             /* dr0, dr1, dr2, dr3, dr6, dr7 */
    uint64_t gpr[16];           /* the pmm_context order: rax rcx rdx rbx rsp rbp rsi rdi r8..r15 */
    uint64_t ip;
    uint8_t xmm[16][16];        /* x64: xmm0..xmm15, little-endian as stored */
} pmm_kdump_context;

#define PMM_KDUMP_EXCEPTION_PARAMETERS 15

typedef struct pmm_kdump_exception {
    uint32_t code;
    uint32_t flags;
    uint64_t record;
    uint64_t address;
    uint32_t parameter_count;   /* as stored; at most 15 are kept */
    uint64_t parameters[PMM_KDUMP_EXCEPTION_PARAMETERS];
} pmm_kdump_exception;

typedef struct pmm_kdump_header {
    uint32_t bits;              /* 64 ("PAGEDU64") or 32 ("PAGEDUMP") */
    uint32_t dump_type;         /* enum pmm_kdump_type */
    uint32_t major_version;     /* 0xF: a free (retail) build, 0xC: a checked build */
    uint32_t minor_version;     /* the Windows build number */
    uint32_t machine;           /* MachineImageType */
    uint32_t processors;
    uint64_t directory_table_base;
    uint64_t pfn_database;
    uint64_t ps_loaded_module_list;
    uint64_t ps_active_process_head;
    uint64_t kd_debugger_data_block;
    uint32_t bugcheck_code;
    uint64_t bugcheck_parameters[4];
    uint32_t pae_enabled;       /* 32-bit header: PAE paging */
    uint32_t product_type;
    uint32_t suite_mask;
    uint32_t kd_secondary_version;
    uint64_t system_time;       /* FILETIME (100 ns since 1601, UTC); 0 when not recorded */
    uint64_t system_uptime;     /* 100 ns units */
    uint64_t required_dump_space;
    char comment[129];          /* NUL-terminated; non-printable bytes as '?' */
    pmm_kdump_context context;
    pmm_kdump_exception exception;
} pmm_kdump_header;

/* A run of physical pages the dump holds, with where the first one is in the file. */
typedef struct pmm_kdump_run {
    uint64_t first_page;        /* page frame number */
    uint64_t page_count;
    uint64_t file_offset;
} pmm_kdump_run;

typedef struct pmm_kdump_memory_summary {
    uint32_t storage;           /* enum pmm_kdump_storage */
    uint64_t present_pages;     /* pages the dump holds */
    uint64_t highest_page;      /* one past the highest page frame number it holds (0 when none) */
    uint64_t first_page_offset; /* file offset of the first stored page */
    uint64_t run_count;         /* runs (runs storage) or runs of set bits (bitmap) */
    uint64_t bitmap_pages;      /* bitmap storage: pages the bitmap describes */
} pmm_kdump_memory_summary;

typedef struct pmm_kdump pmm_kdump;

/* Opens and validates a dump: header, context, exception record and the physical memory layout.
 * On failure message names what is wrong (PMM_ERR_FORMAT: not a kernel dump, or corrupt;
 * PMM_ERR_UNSUPPORTED: a kernel dump of a type this reader does not read, such as a triage dump;
 * PMM_ERR_NOT_FOUND: no such file). */
pmm_status pmm_kdump_open(const char *path, pmm_kdump **out, char *message, size_t message_cap);
/* The same with pmm_input_file_open flags (PMM_INPUT_FILE_NO_MAP: tests and benchmarks of the
 * path taken where a file cannot be mapped). */
pmm_status pmm_kdump_open_with(const char *path, uint32_t file_flags, pmm_kdump **out, char *message,
                               size_t message_cap);
/* The same over bytes the caller keeps alive until pmm_kdump_close (fuzzing, tests). */
pmm_status pmm_kdump_open_memory(const void *data, size_t size, pmm_kdump **out, char *message,
                                 size_t message_cap);
void pmm_kdump_close(pmm_kdump *dump);

/* Non-zero when the first bytes of a file (at least 8) are a kernel dump's signature. */
int pmm_kdump_has_signature(const void *data, size_t size);

const pmm_kdump_header *pmm_kdump_header_of(const pmm_kdump *dump);
uint64_t pmm_kdump_file_size(const pmm_kdump *dump);
/* "Full", "KernelSummary", "Bitmap", "LiveKernelBitmap", "KernelMemory", "KernelAndUserMemory",
 * "CompleteMemory"; NULL for other values. */
const char *pmm_kdump_type_name(uint32_t dump_type);
/* "IRQL_NOT_LESS_OR_EQUAL"... for common bug check codes; NULL when not in the table. */
const char *pmm_kdump_bugcheck_name(uint32_t code);
uint32_t pmm_kdump_paging(const pmm_kdump *dump);
/* 8 for x64 dumps, 4 for x86: the size of a kernel pointer. */
uint32_t pmm_kdump_pointer_size(const pmm_kdump *dump);
/* What the reader noticed but could work around (a page count that disagrees with the runs...),
 * one sentence each; NULL past the last. */
const char *pmm_kdump_warning(const pmm_kdump *dump, size_t index);

/* ---- physical memory -------------------------------------------------------------------------- */

void pmm_kdump_memory_summary_of(const pmm_kdump *dump, pmm_kdump_memory_summary *out);
/* The runs of present pages in ascending order, from the first whose pages reach past first_page,
 * at most cap of them; returns how many were stored. For a bitmap the runs are found by scanning
 * it, so callers page through them rather than asking for all at once. */
size_t pmm_kdump_runs(pmm_kdump *dump, uint64_t first_page, pmm_kdump_run *out, size_t cap);
/* Where page frame pfn is in the file: PMM_OK with *file_offset, PMM_ERR_NOT_FOUND when the dump
 * does not hold it. O(log runs) for runs, O(1) for a bitmap (per-block population counts). */
pmm_status pmm_kdump_page_offset(pmm_kdump *dump, uint64_t pfn, uint64_t *file_offset);
/* Copies up to len bytes from physical address pa; returns how many contiguous bytes from pa the
 * dump holds (0 when it does not hold the first page). */
size_t pmm_kdump_read_physical(pmm_kdump *dump, uint64_t pa, void *buf, size_t len);
/* The 4 KiB physical page pfn in place (inside the file mapping) when the dump holds it and the
 * file is mapped; NULL otherwise (then pmm_kdump_read_physical copies it). */
const uint8_t *pmm_kdump_physical_page(pmm_kdump *dump, uint64_t pfn);
/* The 4 KiB page holding va (page-aligned down) in place in the file mapping, when the tables
 * rooted at dtb (0: the header's) map it present or in transition, the dump holds it and the file
 * is mapped; NULL otherwise (pmm_kdump_translate says why). A page under the page table the last
 * translation reached reads one entry. */
const uint8_t *pmm_kdump_virtual_page(pmm_kdump *dump, uint64_t dtb, uint64_t va);

/* ---- translation ------------------------------------------------------------------------------ */

/* What a walk found for a virtual address. */
enum pmm_kdump_va_status {
    PMM_KDUMP_VA_PRESENT = 0,        /* a valid entry maps it */
    PMM_KDUMP_VA_TRANSITION,         /* valid bit clear, transition bit set: the page is still in RAM */
    PMM_KDUMP_VA_ZERO_ENTRY,         /* an entry of the walk is zero: nothing is mapped there */
    PMM_KDUMP_VA_DEMAND_ZERO,        /* a software entry without a page: zeros on first touch */
    PMM_KDUMP_VA_PAGE_FILE,          /* paged out to a page file */
    PMM_KDUMP_VA_PROTOTYPE,          /* refers to a prototype PTE (a shared section's page) */
    PMM_KDUMP_VA_TABLE_NOT_IN_DUMP,  /* a page table the walk needs is not in the dump */
    PMM_KDUMP_VA_NOT_CANONICAL,      /* outside the address space the paging mode can map */
    PMM_KDUMP_VA_NO_PAGING           /* the dump's machine is not one whose tables are walked */
};

/* One level of a walk: the entry read and where it was. */
typedef struct pmm_kdump_walk_step {
    uint32_t level;             /* 4 PML4, 3 PDPT, 2 PD, 1 PT (x86 without PAE: 2 PD, 1 PT) */
    uint32_t index;
    uint64_t entry_address;     /* physical address of the entry */
    uint64_t entry;             /* its value; meaningful when read */
    uint32_t read;              /* 0 when the table's page is not in the dump */
} pmm_kdump_walk_step;

typedef struct pmm_kdump_translation {
    uint32_t status;            /* enum pmm_kdump_va_status */
    uint64_t physical;          /* present or transition: the physical address of va */
    uint64_t page_size;         /* present or transition: 4 KiB, 2 MiB, 4 MiB or 1 GiB */
    uint32_t writable, user, executable;   /* present: all levels allow it */
    uint32_t page_in_dump;      /* present or transition: the dump holds the physical page */
    uint32_t software_protection;   /* an invalid entry: its 5-bit MM protection (MM_READWRITE = 4...) */
    uint32_t page_file;         /* page file: its number */
    uint64_t page_file_offset;  /* page file: the page's offset in it, as the entry encodes it */
    uint32_t step_count;
    pmm_kdump_walk_step steps[4];
} pmm_kdump_translation;

/* Walks the page tables rooted at dtb (0: the header's DirectoryTableBase) for va. Bounded: one
 * entry per level, whatever the entries point at (tables that point at themselves, such as the
 * PML4 self-reference, are normal input). PMM_OK whenever the walk could be described, whatever
 * its status. */
pmm_status pmm_kdump_translate(pmm_kdump *dump, uint64_t dtb, uint64_t va, pmm_kdump_translation *out);
/* "present", "in transition", "not mapped (zero entry)", "demand zero", "paged out", ... */
const char *pmm_kdump_va_status_text(uint32_t status);

/* Copies up to len bytes from virtual address va under dtb (0: the header's); returns how many
 * contiguous bytes from va were read. Present and transition pages are read; reading stops at the
 * first page that is anything else or that the dump does not hold, and *stop (if not NULL)
 * receives that page's translation. */
size_t pmm_kdump_read_virtual(pmm_kdump *dump, uint64_t dtb, uint64_t va, void *buf, size_t len,
                              pmm_kdump_translation *stop);

/* ---- walking page tables ----------------------------------------------------------------------- */

/* A page or large page the tables describe: its translation, for every entry that is not zero. */
typedef struct pmm_kdump_leaf {
    uint64_t va;                /* first address */
    uint64_t size;              /* 4 KiB, a large page, or the span of a higher-level entry that is
                                   not valid (a page table in the page file, a table not in the dump) */
    uint32_t status;            /* enum pmm_kdump_va_status */
    uint32_t writable, user, executable;
    uint32_t software_protection;
    uint64_t physical;          /* present or transition */
    uint32_t page_in_dump;
} pmm_kdump_leaf;

/* Visits every non-zero leaf of the tables rooted at dtb (0: the header's) from start up to end
 * (exclusive; 0 = the top of the address space), in address order; a zero entry skips everything
 * below it. A leaf that starts below start but reaches past it is visited whole. visit returns
 * non-zero to stop. At most max_entries entries are read (0: no cap), so tables that point at
 * themselves or at tables of zeros cannot make a walk endless. *resume (if not NULL) receives where
 * the walk would go on: end (0 for the top) when it finished. PMM_ERR_LIMIT when the cap stopped
 * it, PMM_OK otherwise (also when visit stopped it). */
pmm_status pmm_kdump_walk(pmm_kdump *dump, uint64_t dtb, uint64_t start, uint64_t end, uint64_t max_entries,
                          int (*visit)(void *ctx, const pmm_kdump_leaf *leaf), void *ctx, uint64_t *resume);
/* The same walk, but adjacent leaves with the same status, permissions and software protection are
 * visited as one leaf (a run; its size their sum), and page_in_dump is not looked up (0), nor is
 * physical meaningful past a run's first page: what a map of regions needs, one visit per run. */
pmm_status pmm_kdump_walk_runs(pmm_kdump *dump, uint64_t dtb, uint64_t start, uint64_t end, uint64_t max_entries,
                               int (*visit)(void *ctx, const pmm_kdump_leaf *leaf), void *ctx, uint64_t *resume);
/* Where the paging mode's address space ends (0 for x64: all 64 bits), and the lowest kernel address. */
uint64_t pmm_kdump_address_limit(const pmm_kdump *dump);
uint64_t pmm_kdump_kernel_start(const pmm_kdump *dump);

/* ---- kernel modules --------------------------------------------------------------------------- */

typedef struct pmm_kdump_module {
    uint64_t entry_address;     /* the KLDR_DATA_TABLE_ENTRY */
    uint64_t base;
    uint64_t size;
    uint64_t entry_point;
    char full_name[520];        /* UTF-8; "" when unreadable */
    char base_name[260];
} pmm_kdump_module;

#define PMM_KDUMP_MAX_MODULES 8192u

/* Walks PsLoadedModuleList (KLDR_DATA_TABLE_ENTRY) in the kernel address space: an array the caller
 * frees with free(). The walk is bounded (PMM_KDUMP_MAX_MODULES) and cycle-checked; a list that
 * cannot be followed to its end is returned as far as it was read, with *problem saying why
 * (problem[0] == '\0' when the whole list was read). PMM_ERR_READ when not even the list head is
 * readable. */
pmm_status pmm_kdump_modules(pmm_kdump *dump, pmm_kdump_module **out, size_t *count, char *problem,
                             size_t problem_cap);

#endif
