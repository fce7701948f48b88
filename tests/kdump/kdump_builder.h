/* Builds Windows kernel crash dumps from known contents, for tests and benchmarks: a machine's
 * physical pages (stored, or generated from their page frame number), page tables that map virtual
 * addresses onto them with 4 KiB, 2/4 MiB and 1 GiB pages, raw entries of any kind (transition,
 * page file, prototype, demand zero), pages deliberately left out of the dump, and the header facts
 * (bug check, context, exception record). Written as any dump type: Full, KernelSummary, Bitmap,
 * LiveKernelBitmap, KernelMemory, KernelAndUserMemory, CompleteMemory; x64, x86 PAE and x86.
 * Test code only: it writes the layouts independently of core/formats/kdump*.c. */
#ifndef PMM_KDUMP_BUILDER_H
#define PMM_KDUMP_BUILDER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum kdb_paging { KDB_X64 = 1, KDB_PAE = 2, KDB_X86 = 3 };

/* Entry bits the builder writes. */
#define KDB_PRESENT 0x1ull
#define KDB_WRITE 0x2ull
#define KDB_USER 0x4ull
#define KDB_LARGE 0x80ull
#define KDB_NX (1ull << 63)
#define KDB_PROTOTYPE (1ull << 10)
#define KDB_TRANSITION (1ull << 11)
#define KDB_PAGE 0x1000u

typedef struct kdb_facts {
    uint32_t major_version, build, processors;
    uint32_t bugcheck_code;
    uint64_t bugcheck_parameters[4];
    uint64_t ps_loaded_module_list, ps_active_process_head, kd_debugger_data_block, pfn_database;
    uint64_t system_time, system_uptime;
    char comment[128];
    uint32_t context_flags, mxcsr, eflags;
    uint16_t cs, ds, es, fs, gs, ss;
    uint64_t dr[6];
    uint64_t gpr[16];   /* rax rcx rdx rbx rsp rbp rsi rdi r8..r15 (x86: the first 8, 32-bit) */
    uint64_t ip;
    uint8_t xmm[16][16];
    uint32_t exception_code, exception_flags, exception_parameter_count;
    uint64_t exception_record, exception_address, exception_parameters[15];
} kdb_facts;

typedef struct kdb kdb;

/* Where a dump goes: write returns 0 when all len bytes were written. */
typedef struct kdb_sink {
    int (*write)(void *ctx, const void *data, size_t len);
    void *ctx;
} kdb_sink;

kdb_sink kdb_sink_file(FILE *file);
/* Bytes collected in memory (free *data with free()). */
typedef struct kdb_buffer {
    uint8_t *data;
    size_t len, cap;
} kdb_buffer;
kdb_sink kdb_sink_buffer(kdb_buffer *buffer);

/* A machine with empty page tables (the top table allocated; x64 with its self-reference entry at
 * index 0x1ED as Windows has it). Pages are allocated in clusters of 64 frames with gaps between
 * them, each filled from its top down, so no virtual address maps to its own number and pages
 * adjacent in a mapping are not adjacent in physical memory. Aborts on out of memory (test code). */
kdb *kdb_new(uint32_t paging);
void kdb_free(kdb *b);
kdb_facts *kdb_facts_of(kdb *b);
uint64_t kdb_dtb(const kdb *b);
uint32_t kdb_paging_of(const kdb *b);

/* A process's page tables: a fresh top table sharing the kernel half of the kernel's (create the
 * kernel's top-level entries first: later ones are not shared). Returns its DirectoryTableBase. */
uint64_t kdb_new_space(kdb *b);
/* Where kdb_map, kdb_set_pte, kdb_write_virtual and kdb_physical_of work from now on: the page
 * tables of dtb (0: the kernel's again). */
void kdb_use_space(kdb *b, uint64_t dtb);

/* A fresh zeroed stored page; returns its page frame number. */
uint64_t kdb_new_page(kdb *b);
/* The stored page pfn, created zeroed when new. */
uint8_t *kdb_page(kdb *b, uint64_t pfn);
/* Non-zero when pfn is a stored page (created by kdb_page or kdb_new_page). */
int kdb_has_page(const kdb *b, uint64_t pfn);
/* Pages whose contents are generated (kdb_synthetic_page), never stored: for dumps of many GiB. */
void kdb_add_synthetic(kdb *b, uint64_t first_pfn, uint64_t count);
void kdb_synthetic_page(uint64_t pfn, uint8_t out[KDB_PAGE]);
/* Leaves a stored page out of every dump written (its entries still point at it). */
void kdb_omit(kdb *b, uint64_t pfn);

/* Maps [va, va + page_size) onto physical pa (page_size 4 KiB, 2 MiB, 4 MiB (x86) or 1 GiB (x64))
 * with leaf flags (KDB_PRESENT and more); tables are created as needed. */
void kdb_map(kdb *b, uint64_t va, uint64_t pa, uint64_t page_size, uint64_t flags);
/* Sets the 4 KiB-level entry of va to any value (transition, page file, prototype, demand zero). */
void kdb_set_pte(kdb *b, uint64_t va, uint64_t entry);
/* Sets the entry of va at level (4 PML4 .. 1 PT) to any value, creating the tables above it. */
void kdb_set_entry(kdb *b, uint64_t va, uint32_t level, uint64_t entry);
/* Physical address of the table that holds va's entry at level (created when missing). */
uint64_t kdb_table_of(kdb *b, uint64_t va, uint32_t level);
/* Maps len bytes from va (page-aligned) onto fresh stored pages with flags. */
void kdb_map_new(kdb *b, uint64_t va, size_t len, uint64_t flags);
/* Writes bytes through the page tables (every page must be mapped onto a stored page). */
void kdb_write_virtual(kdb *b, uint64_t va, const void *data, size_t len);
/* The physical address va maps to through present entries (0 when not mapped): the builder's own
 * truth, for tests. */
uint64_t kdb_physical_of(kdb *b, uint64_t va);

/* Writes the dump. dump_type: 1 Full, 2 KernelSummary, 5 Bitmap, 6 LiveKernelBitmap, 8, 9, 0xA
 * (x86: 1 and 2 only). Returns 0 on success, -1 when the machine does not fit that type (a Full dump
 * holds at most 42 runs, 86 for x86) or the sink failed. */
int kdb_write(kdb *b, uint32_t dump_type, kdb_sink sink);

/* The physical pages a dump of b holds, ascending: count and the i-th frame number. */
uint64_t kdb_present_count(kdb *b);
size_t kdb_present_runs(kdb *b, uint64_t (*runs)[2], size_t cap);

#endif
