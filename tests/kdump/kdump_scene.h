/* The machine the kernel dump tests build (x64, x86 PAE or x86): a kernel module list with two or
 * three drivers (real PE files laid out as the loader maps them, or small stand-ins), KUSER_SHARED_DATA,
 * and one virtual address of every kind a translation can meet: 4 KiB, 2/4 MiB and 1 GiB pages,
 * pages left out of the dump, transition, page-file, prototype and demand-zero entries, a zero
 * entry, and a page table the dump does not hold. Each is recorded with what a reader must say
 * about it, so tests compare against the builder's own truth. */
#ifndef PMM_KDUMP_SCENE_H
#define PMM_KDUMP_SCENE_H

#include <stddef.h>
#include <stdint.h>
#include "kdump_builder.h"

/* What a reader must find at a check's address (the values of enum pmm_kdump_va_status). */
enum ks_expect {
    KS_PRESENT = 0,          /* bytes readable; `physical` is where */
    KS_TRANSITION = 1,       /* readable, in transition */
    KS_ZERO_ENTRY = 2,
    KS_DEMAND_ZERO = 3,
    KS_PAGE_FILE = 4,
    KS_PROTOTYPE = 5,
    KS_TABLE_NOT_IN_DUMP = 6,
    KS_PAGE_NOT_IN_DUMP = 100  /* present entry, but the dump does not hold the page */
};

typedef struct ks_check {
    uint64_t va;
    uint32_t expect;         /* enum ks_expect */
    uint64_t physical;       /* KS_PRESENT, KS_TRANSITION, KS_PAGE_NOT_IN_DUMP */
    uint64_t page_size;
    uint32_t writable, user, executable;   /* KS_PRESENT */
    const char *what;
} ks_check;

typedef struct ks_module {
    uint64_t base, size, entry_point;
    char full_name[260], base_name[64];
    char file[1024];         /* the PE file placed there, "" for a stand-in */
} ks_module;

/* A process the scene lists in PsActiveProcessHead (an EPROCESS of the scene's build layout). */
#define KS_MAX_THREADS 64

/* A thread on its process's ThreadListHead (an ETHREAD of the scene's build: x64 19041 or 17763,
 * x86 7601). */
typedef struct ks_thread {
    uint64_t ethread, teb, start;
    uint32_t tid;
    uint64_t stack_limit, stack_base, initial_stack;   /* its kernel stack (KTHREAD) */
    uint64_t trap_frame;     /* KTHREAD.TrapFrame: 0 until kscene_set_user_context lays one */
} ks_thread;

typedef struct ks_process {
    uint64_t eprocess, dtb, peb, peb32, create_time;
    uint32_t pid, parent_pid, threads, wow64;
    char name[16];
    uint64_t shared_page;    /* a user page whose physical page another process maps too (0: none) */
    ks_thread listed[KS_MAX_THREADS];   /* ETHREADs written (threads is ActiveThreads, any number) */
    size_t listed_count;
    uint64_t vad_root;       /* the VAD tree's root node (kdump_vads.h), 0: none */
} ks_process;

/* Every process but System has its PEB page (read-write, no-execute, at ks_process.peb) and a
 * read-only executable page at 0x400000, each filled with the pattern of its address; explorer.exe
 * also has 0x401000 paged out (page file 1), 0x402000 demand zero (read-write) and 0x403000
 * present but left out of the dump; explorer and notepad map one physical page at 0x500000. */

#define KS_MAX_CHECKS 32
#define KS_MAX_MODULES 4
#define KS_MAX_PROCESSES 256

typedef struct kscene {
    kdb *b;
    ks_check checks[KS_MAX_CHECKS];
    size_t check_count;
    ks_module modules[KS_MAX_MODULES];
    size_t module_count;
    uint64_t kuser;          /* KUSER_SHARED_DATA */
    uint32_t nt_major, nt_minor, nt_build;
    ks_process processes[KS_MAX_PROCESSES];
    size_t process_count;
    uint64_t eprocess_area;  /* where the EPROCESS structures are (one page each) */
    uint64_t ethread_area;   /* where the ETHREAD structures are (one page each, as added) */
    size_t ethread_count;
    size_t vad_slots;        /* pages of VAD nodes and views written (kdump_vads.c) */
    uint32_t flags;          /* KS_* */
    const ks_thread *crashed;   /* the thread running at the crash (kscene_set_current); NULL: none */
    uint32_t crashed_pid, crashed_processor;
} kscene;

/* Scene variants. */
enum {
    /* The header's build is one the reader's offset table does not have, and the EPROCESS
     * structures follow a layout of no real build: the reader must infer the offsets. */
    KS_UNLISTED_BUILD = 1u << 0,
    /* Build 17763 (Windows 10 1809) with its EPROCESS, ETHREAD and VAD layouts, instead of 19041
     * (x64) or 7601 (x86); an x86 scene's trap frames keep Windows 7's layout. */
    KS_BUILD_17763 = 1u << 1,
    /* Build 18362 (Windows 10 1903) with its EPROCESS, ETHREAD and VAD layouts; an x86 scene's
     * trap frames keep Windows 7's layout. */
    KS_BUILD_18362 = 1u << 2,
    /* Build 22621 (Windows 11 22H2, x64 only): the EPROCESS layout of 19041, which the table's row
     * shares with it, 22H2's own ETHREAD (ThreadListEntry 0x538) and VAD layout (PrivateMemory at
     * bit 21, views' file names through CONTROL_AREA.FilePointer 0x40). */
    KS_BUILD_22621 = 1u << 3,
    /* Build 10240 (Windows 10 1507), x64 and x86, with its EPROCESS (WOW64Process pointing at the
     * PEB32 itself, as before 1511), ETHREAD and VAD layouts; an x86 scene's trap frames keep
     * Windows 7's layout. */
    KS_BUILD_10240 = 1u << 4,
    /* Build 20348 (Windows Server 2022, x64 only) with the EPROCESS layout of 19041, the table's
     * row for 2004 to 23H2 that 20348 is read with, and neither ETHREADs nor a VAD tree: no layout of
     * 20348's own ETHREAD or EPROCESS.VadRoot was found, so the scene lays none and the reader must
     * say its threads and VADs are not read (not inferred: no known layout validates). */
    KS_BUILD_20348 = 1u << 5,
    /* With KS_BUILD_20348 or KS_BUILD_FUTURE (x64 only): ETHREADs and VAD trees laid with Windows
     * 11 22H2's layouts (KS_BUILD_22621's), which the tables do not give that build: the reader
     * must infer them. */
    KS_LAYS_22621_STRUCTURES = 1u << 6,
    /* A made-up later build (30100) that no table has. x64: 2004's EPROCESS layout (as Windows 11
     * 22H2 has it), and, with KS_LAYS_22621_STRUCTURES, 22H2's ETHREADs and VAD trees (without it,
     * none); x86: Windows 7's EPROCESS, ETHREAD and VAD layouts. The reader infers the process
     * offsets, then the thread and VAD offsets. */
    KS_BUILD_FUTURE = 1u << 7
};

/* Builds the scene for paging (KDB_X64, KDB_PAE, KDB_X86). drivers: up to 3 PE files to place as
 * drivers (NULL or count 0: stand-ins). Returns NULL when a driver file cannot be read. */
kscene *kscene_build(uint32_t paging, const char *const *drivers, size_t driver_count);
/* The same with KS_* flags. */
kscene *kscene_build_with(uint32_t paging, const char *const *drivers, size_t driver_count, uint32_t flags);
/* Adds a process at the end of PsActiveProcessHead's list, with page tables of its own (the user
 * half empty: map into them after kdb_use_space(s->b, p->dtb)). Change its fields (peb...) through
 * the pointer returned, then kscene_relink. */
ks_process *kscene_add_process(kscene *s, uint32_t pid, uint32_t parent, const char *name, uint32_t threads);
/* Adds an ETHREAD to p's thread list (not in KS_UNLISTED_BUILD or KS_BUILD_20348 scenes, whose
 * ETHREAD layout is not known, unless KS_LAYS_22621_STRUCTURES); call kscene_relink after;
 * leaves the kernel's page tables active). On x64 explorer.exe has two: 4664 and 4700. */
void kscene_add_thread(kscene *s, ks_process *p, uint32_t tid, uint64_t teb, uint64_t start);
/* Lays a user-mode KTRAP_FRAME (x64: rax rcx rdx rbx rsp rbp rsi rdi r8..r11, rip, cs 0x33; x86:
 * eax..edi, eip, cs 0x1B, Windows 7's layout) at the top of thread t's kernel stack (InitialStack
 * minus its size) and points KTHREAD.TrapFrame at it; gpr in the pmm_context order. Call
 * kscene_relink after. */
void kscene_set_user_context(kscene *s, ks_thread *t, const uint64_t gpr[16], uint64_t ip);
/* Makes thread t the one running on processor at the crash: that KPRCB's CurrentThread (through
 * KdDebuggerDataBlock's KiProcessorBlock) and, when crashed, the header context's stack pointer
 * inside its kernel stack. The scene has 2 processors: on x64 explorer's 4664 runs on 0 and 4700
 * on 1, where the crash happened; on x86 none until a test says. */
void kscene_set_current(kscene *s, uint32_t processor, const ks_thread *t, int crashed);
/* Rewrites every EPROCESS from s->processes (after a caller changed a field). */
void kscene_relink(kscene *s);
/* Offset of ActiveProcessLinks in the scene's EPROCESS layout (tests that damage the list). */
uint32_t kscene_links_offset(const kscene *s);
void kscene_free(kscene *s);

/* The bytes the builder placed in the page of a present or transition check (4 KiB). */
void kscene_page_bytes(kscene *s, const ks_check *c, uint8_t out[KDB_PAGE]);

#endif
