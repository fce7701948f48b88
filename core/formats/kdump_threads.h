/* The threads of a process in a kernel dump (EPROCESS.ThreadListHead's ETHREADs), their user-mode
 * registers from their kernel trap frames, and which thread was running at the crash: the
 * KPRCB.CurrentThread of a processor (KdDebuggerDataBlock's KiProcessorBlock), or the thread whose
 * stack holds the stack pointer of the header's context. ETHREAD offsets come from a table keyed by
 * build (each row names its source); every walk is bounded and cycle-checked. */
#ifndef PMM_KDUMP_THREADS_H
#define PMM_KDUMP_THREADS_H

#include <stddef.h>
#include <stdint.h>
#include "kdump.h"
#include "kdump_processes.h"
#include "../source/source.h"

/* ETHREAD / KTHREAD offsets of a build; 0 means unknown (no field read sits at 0). */
typedef struct pmm_kdump_thread_layout {
    uint32_t thread_list_entry;     /* ETHREAD.ThreadListEntry, on EPROCESS.ThreadListHead */
    uint32_t cid;                   /* ETHREAD.Cid: UniqueProcess, then UniqueThread */
    uint32_t win32_start_address;   /* ETHREAD.Win32StartAddress: the start routine the caller gave */
    uint32_t teb;                   /* KTHREAD.Teb */
    uint32_t initial_stack;         /* KTHREAD.InitialStack: the base trap frame sits below it */
    uint32_t stack_limit;           /* KTHREAD.StackLimit */
    uint32_t stack_base;            /* KTHREAD.StackBase */
    uint32_t trap_frame;            /* KTHREAD.TrapFrame: the last trap into the kernel */
    uint32_t trap_frame_edx;        /* x86: KTRAP_FRAME.Edx (Ecx and Eax follow it), which moved between
                                     * releases; 0: not known for the build, so those three read as 0 */
} pmm_kdump_thread_layout;

typedef struct pmm_kdump_thread_layout_row {
    uint32_t pointer_size;
    uint32_t first_build, last_build;
    const char *source;
    pmm_kdump_thread_layout layout;
} pmm_kdump_thread_layout_row;

/* The ETHREAD offsets of a build (kdump_thread_layouts.c), or NULL when the table lacks them. */
const pmm_kdump_thread_layout_row *pmm_kdump_thread_layout_for(uint32_t pointer_size, uint32_t build);
/* Row index; NULL past the last (tests). */
const pmm_kdump_thread_layout_row *pmm_kdump_thread_layout_row_at(size_t index);

/* Where a process's threads are: EPROCESS.ThreadListHead (from the process list's layout) and the
 * build's ETHREAD offsets; thread_list_head 0 when either is unknown. */
typedef struct pmm_kdump_thread_offsets {
    uint32_t thread_list_head;
    pmm_kdump_thread_layout thread;
} pmm_kdump_thread_offsets;

/* The table's offsets for a dump whose processes were listed with list's layout (none for a build
 * without a row or an inferred list; kdump_inference.h infers them then). */
void pmm_kdump_thread_offsets_of(pmm_kdump *dump, const pmm_kdump_process_list *list, pmm_kdump_thread_offsets *out);

typedef struct pmm_kdump_thread {
    uint64_t ethread;
    uint64_t pid, tid;              /* ETHREAD.Cid */
    uint64_t teb;                   /* KTHREAD.Teb (0: a system thread) */
    uint64_t start_address;         /* Win32StartAddress; 0 when unknown */
    uint64_t initial_stack;         /* the kernel stack (0 when the layout lacks it) */
    uint64_t stack_limit, stack_base;
    uint64_t trap_frame;            /* KTHREAD.TrapFrame (0: none, or the layout lacks it) */
    uint32_t trap_frame_edx;        /* the layout's KTRAP_FRAME.Edx offset (x86; 0: not known) */
} pmm_kdump_thread;

#define PMM_KDUMP_MAX_THREADS 65536u

/* The ETHREADs on the ThreadListHead of the EPROCESS at eprocess: an array the caller frees with
 * free(). PMM_ERR_NOT_PROVIDED when the offsets are not known, PMM_ERR_READ when the list
 * head is not in the dump; otherwise PMM_OK with the threads read, problem saying why the list was
 * cut short ("" when it was read to its end). */
pmm_status pmm_kdump_threads(pmm_kdump *dump, const pmm_kdump_thread_offsets *offsets, uint64_t eprocess,
                             pmm_kdump_thread **out, size_t *count, char *problem, size_t problem_cap);

/* The user-mode registers of a thread from its kernel trap frame (x64: KTHREAD.TrapFrame when it
 * holds a user-mode frame, else the base trap frame KTRAP_FRAME_LENGTH below InitialStack; x86:
 * KTHREAD.TrapFrame). Fills out and returns 1 when a frame with a user-mode code segment was read;
 * 0 with why otherwise. A trap frame holds rip, rsp, rbp, rax, rcx, rdx, rbx, rsi, rdi, r8..r11 (x64);
 * the others read as 0, as do eax, ecx and edx of an x86 frame whose layout the build's row lacks. */
int pmm_kdump_thread_user_context(pmm_kdump *dump, const pmm_kdump_thread *thread, pmm_context *out, char *why,
                                  size_t why_cap);

/* The 32-bit registers of a WOW64 thread (x64 dumps): its 64-bit TEB's TlsSlots[1]
 * (WOW64_TLS_CPURESERVED, TEB64+0x1488) points at WOW64_CPURESERVED, whose x86 CONTEXT follows its
 * Flags and Machine (at +4), read through the process's page tables (dtb). 1 when read. */
int pmm_kdump_wow64_context(pmm_kdump *dump, uint64_t dtb, uint64_t teb64, pmm_context *out);

/* The header's context as a pmm_context, and whether it is a user-mode one (its code segment's
 * privilege level is 3). */
int pmm_kdump_header_user_context(const pmm_kdump *dump, pmm_context *out);

/* The thread running at the crash. */
typedef struct pmm_kdump_crash_thread {
    int found;
    uint64_t ethread, pid, tid;
    int32_t processor;              /* the KPRCB it was current on; -1 when found otherwise */
    char how[240];                  /* found: how it was found; else why it was not */
} pmm_kdump_crash_thread;

/* Finds the thread that was current at the crash, among the threads of list's processes: a
 * processor's KPRCB.CurrentThread (KiProcessorBlock of a decoded KdDebuggerDataBlock), chosen by
 * the header context's stack pointer lying in its kernel stack (or, for a user-mode context, in its
 * TEB's stack) when there are several processors; without a readable KiProcessorBlock, the one
 * thread whose stack holds that stack pointer. PMM_OK whether found or not (out->how says);
 * PMM_ERR_NOMEM only. */
pmm_status pmm_kdump_find_crash_thread(pmm_kdump *dump, const pmm_kdump_process_list *list,
                                       pmm_kdump_crash_thread *out);
/* The same with offsets found otherwise (an inference, kdump_inference.h). */
pmm_status pmm_kdump_find_crash_thread_with(pmm_kdump *dump, const pmm_kdump_process_list *list,
                                            const pmm_kdump_thread_offsets *offsets, pmm_kdump_crash_thread *out);

#endif
