/* The threads of a process in a kernel dump, their trap frames, and the thread of the crash
 * (kdump_threads.h). KDDEBUGGER_DATA64 (wdbgexts.h in the Windows SDK): OwnerTag "KDBG" at 0x10,
 * KiProcessorBlock at 0x218, 64-bit fields on x86 too. KPRCB.CurrentThread: 0x8 (x64), 0x4 (x86).
 * KTRAP_FRAME (x64, Windows 7 to 11, as ntdiff/headers' _KTRAP_FRAME.h gives it from Microsoft's
 * symbols): Rax 0x30, Rcx 0x38, Rdx 0x40, R8-R11 0x48-0x60, Rbx 0x140, Rdi 0x148, Rsi 0x150,
 * Rbp 0x158, Rip 0x168, SegCs 0x170, EFlags 0x178, Rsp 0x180; 0x190 bytes. x86 (ntdiff's Windows 7
 * SP1 and 8 _KTRAP_FRAME.h): Edi 0x54, Esi 0x58, Ebx 0x5C, Ebp 0x60, Eip 0x68, SegCs 0x6C, EFlags 0x70,
 * HardwareEsp 0x74; 0x8C bytes; Edx, Ecx and Eax at 0x3C, 0x40, 0x44 there, but 4 bytes lower in a
 * later release (DbgArgPointer dropped), so their offset comes from the build's row. WOW64: TEB64.TlsSlots at 0x1480 (slot 1,
 * WOW64_TLS_CPURESERVED, at 0x1488); x86 CONTEXT (winnt.h): Edi 0x9C, Esi 0xA0, Ebx 0xA4, Edx 0xA8,
 * Ecx 0xAC, Eax 0xB0, Ebp 0xB4, Eip 0xB8, Esp 0xC4. */
#include "kdump_threads.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kdump_internal.h"
#include "../util/cycle_check.h"

#define KDBG_OWNER_TAG 0x4742444Bu   /* "KDBG" */
#define KDBG_TAG_AT 0x10u
#define KDBG_PROCESSOR_BLOCK_AT 0x218u
#define MAX_PROCESSORS 2048u
#define TRAP_FRAME64_SIZE 0x190u
#define TRAP_FRAME32_SIZE 0x8Cu

/* One ETHREAD's fields (those the layout has); 0 when its Cid or TEB is not readable. */
static int read_thread(pmm_kdump *dump, const pmm_kdump_thread_layout *l, uint64_t ethread, pmm_kdump_thread *t)
{
    uint32_t ps = pmm_kdump_pointer_size(dump);
    memset(t, 0, sizeof *t);
    t->ethread = ethread;
    t->trap_frame_edx = l->trap_frame_edx;
    if (!kd_read_pointer(dump, 0, ethread + l->cid, ps, &t->pid) ||
        !kd_read_pointer(dump, 0, ethread + l->cid + ps, ps, &t->tid) || !kd_read_pointer(dump, 0, ethread + l->teb, ps, &t->teb))
        return 0;
    const struct { uint32_t at; uint64_t *to; } optional[] = {
        {l->win32_start_address, &t->start_address}, {l->initial_stack, &t->initial_stack},
        {l->stack_limit, &t->stack_limit}, {l->stack_base, &t->stack_base},
        {l->trap_frame, &t->trap_frame}};
    for (size_t i = 0; i < sizeof optional / sizeof optional[0]; i++)
        if (optional[i].at && !kd_read_pointer(dump, 0, ethread + optional[i].at, ps, optional[i].to))
            *optional[i].to = 0;
    return 1;
}

void pmm_kdump_thread_offsets_of(pmm_kdump *dump, const pmm_kdump_process_list *list, pmm_kdump_thread_offsets *out)
{
    const pmm_kdump_thread_layout_row *row =
        pmm_kdump_thread_layout_for(pmm_kdump_pointer_size(dump), pmm_kdump_header_of(dump)->minor_version);
    memset(out, 0, sizeof *out);
    if (row && !list->inferred) {
        out->thread_list_head = list->layout.thread_list_head;
        out->thread = row->layout;
    }
}

pmm_status pmm_kdump_threads(pmm_kdump *dump, const pmm_kdump_thread_offsets *offsets, uint64_t eprocess,
                             pmm_kdump_thread **out, size_t *count, char *problem, size_t problem_cap)
{
    const pmm_kdump_thread_layout *l = &offsets->thread;
    uint32_t ps = pmm_kdump_pointer_size(dump);
    size_t cap = 0;
    *out = NULL;
    *count = 0;
    problem[0] = '\0';
    if (!offsets->thread_list_head || !l->thread_list_entry || !l->cid || !l->teb)
        return kd_fail(problem, problem_cap, PMM_ERR_NOT_PROVIDED, "the offsets of this build do not include "
                       "ETHREAD's, so its threads are not listed");
    uint64_t head = eprocess + offsets->thread_list_head, link;
    if (!kd_read_pointer(dump, 0, head, ps, &link))
        return kd_fail(problem, problem_cap, PMM_ERR_READ, "the thread list of EPROCESS 0x%llx is not in the dump",
                       (unsigned long long)eprocess);
    pmm_cycle_check cycle;
    pmm_cycle_check_init(&cycle);
    while (link != head) {
        pmm_kdump_thread t;
        uint64_t next;
        if (link == 0)
            return kd_fail(problem, problem_cap, PMM_OK, "the thread list ends in a null link");
        if (pmm_cycle_check_step(&cycle, link) || *count >= PMM_KDUMP_MAX_THREADS)
            return kd_fail(problem, problem_cap, PMM_OK, "the thread list cycles or is longer than %u entries",
                           PMM_KDUMP_MAX_THREADS);
        if (!read_thread(dump, l, link - l->thread_list_entry, &t) || !kd_read_pointer(dump, 0, link, ps, &next))
            return kd_fail(problem, problem_cap, PMM_OK, "ETHREAD 0x%llx is not in the dump",
                           (unsigned long long)(link - l->thread_list_entry));
        if (*count == cap) {
            cap = cap ? 2 * cap : 32;
            pmm_kdump_thread *grown = realloc(*out, cap * sizeof *grown);
            if (!grown) {
                free(*out);
                *out = NULL;
                *count = 0;
                return PMM_ERR_NOMEM;
            }
            *out = grown;
        }
        (*out)[(*count)++] = t;
        link = next;
    }
    return PMM_OK;
}

/* ---- registers ---------------------------------------------------------------------------------- */

/* A KTRAP_FRAME's registers into out; 1 when its code segment is a user-mode one. edx: where an x86
 * frame's Edx, Ecx and Eax are (0: not known, left 0). */
static int decode_trap_frame(const uint8_t *f, uint32_t ps, uint32_t edx, pmm_context *out)
{
    memset(out, 0, sizeof *out);
    if (ps == 8) {
        static const uint32_t at[16] = {0x30, 0x38, 0x40, 0x140, 0x180, 0x158, 0x150, 0x148,
                                        0x48, 0x50, 0x58, 0x60, 0, 0, 0, 0};
        for (int i = 0; i < 12; i++)
            out->gpr[i] = kd_le64(f + at[i]);
        out->ip = kd_le64(f + 0x168);
        out->arch = PMM_ARCH_X64;
        return (kd_le16(f + 0x170) & 3) == 3;
    }
    static const uint32_t at[8] = {0, 0, 0, 0x5C, 0x74, 0x60, 0x58, 0x54};   /* eax..edi */
    for (int i = 3; i < 8; i++)
        out->gpr[i] = kd_le32(f + at[i]);
    if (edx && edx + 12 <= TRAP_FRAME32_SIZE)
        for (int i = 0; i < 3; i++)   /* eax, ecx, edx: Edx is lowest */
            out->gpr[i] = kd_le32(f + edx + 8 - 4 * (uint32_t)i);
    out->ip = kd_le32(f + 0x68);
    out->arch = PMM_ARCH_X86;
    return (kd_le32(f + 0x6C) & 3) == 3;
}

int pmm_kdump_thread_user_context(pmm_kdump *dump, const pmm_kdump_thread *t, pmm_context *out, char *why,
                                  size_t why_cap)
{
    uint32_t ps = pmm_kdump_pointer_size(dump), size = ps == 8 ? TRAP_FRAME64_SIZE : TRAP_FRAME32_SIZE;
    uint64_t frames[2] = {t->trap_frame, ps == 8 && t->initial_stack > size ? t->initial_stack - size : 0};
    uint8_t f[TRAP_FRAME64_SIZE];
    int read = 0;
    for (int i = 0; i < 2; i++) {
        if (!frames[i] || (i == 1 && frames[1] == frames[0]))
            continue;
        if (pmm_kdump_read_virtual(dump, 0, frames[i], f, size, NULL) != size)
            continue;
        read = 1;
        if (decode_trap_frame(f, ps, t->trap_frame_edx, out))
            return 1;
    }
    memset(out, 0, sizeof *out);
    if (!t->trap_frame && !t->initial_stack)
        snprintf(why, why_cap, "no trap frame: the thread has none, or the build's offsets lack KTHREAD.TrapFrame");
    else
        snprintf(why, why_cap, read ? "its trap frames are kernel-mode ones" : "its trap frame is not in the dump");
    return 0;
}

#define TEB64_CPURESERVED_SLOT 0x1488u
#define CPURESERVED_CONTEXT_AT 4u
#define X86_CONTEXT_REGISTERS_END 0xC8u

int pmm_kdump_wow64_context(pmm_kdump *dump, uint64_t dtb, uint64_t teb64, pmm_context *out)
{
    static const uint32_t at[8] = {0xB0, 0xAC, 0xA8, 0xA4, 0xC4, 0xB4, 0xA0, 0x9C};   /* eax..edi */
    uint64_t reserved;
    uint8_t c[X86_CONTEXT_REGISTERS_END];
    memset(out, 0, sizeof *out);
    if (!teb64 || !kd_read_pointer(dump, dtb, teb64 + TEB64_CPURESERVED_SLOT, 8, &reserved) || !reserved ||
        pmm_kdump_read_virtual(dump, dtb, reserved + CPURESERVED_CONTEXT_AT, c, sizeof c, NULL) != sizeof c)
        return 0;
    for (int i = 0; i < 8; i++)
        out->gpr[i] = kd_le32(c + at[i]);
    out->ip = kd_le32(c + 0xB8);
    out->flags = kd_le32(c);
    out->arch = PMM_ARCH_X86;
    return 1;
}

int pmm_kdump_header_user_context(const pmm_kdump *dump, pmm_context *out)
{
    const pmm_kdump_context *c = &pmm_kdump_header_of(dump)->context;
    memset(out, 0, sizeof *out);
    out->arch = c->arch;
    out->flags = c->context_flags;
    out->ip = c->ip;
    memcpy(out->gpr, c->gpr, sizeof out->gpr);
    return c->arch != 0 && (c->cs & 3) == 3;
}

/* ---- the thread of the crash -------------------------------------------------------------------- */

static const pmm_kdump_process *process_of(const pmm_kdump_process_list *list, uint64_t pid)
{
    for (size_t i = 0; i < list->count; i++)
        if (list->processes[i].pid == pid)
            return &list->processes[i];
    return NULL;
}

/* Whether sp lies in the thread's kernel stack or, for a user-mode sp, in the stack its TEB gives
 * (NT_TIB StackBase and StackLimit, read through its process's page tables). -1 when it cannot be
 * told (the layout has no stack fields, the TEB is unreadable). */
static int stack_holds(pmm_kdump *dump, const pmm_kdump_thread *t, const pmm_kdump_process *p, uint64_t sp, int user)
{
    uint32_t ps = pmm_kdump_pointer_size(dump);
    uint64_t base, limit;
    if (!user) {
        base = t->stack_base ? t->stack_base : t->initial_stack;
        limit = t->stack_limit;
        if (!base || !limit)
            return -1;
        return sp >= limit && sp < base;
    }
    if (!p || !t->teb || !kd_read_pointer(dump, p->directory_table_base, t->teb + ps, ps, &base) ||
        !kd_read_pointer(dump, p->directory_table_base, t->teb + 2 * ps, ps, &limit))
        return -1;
    return sp >= limit && sp < base;
}

/* KiProcessorBlock's KPRCBs' CurrentThread, into current[] (0 where unreadable); the count, or 0
 * with why. */
static uint32_t processor_threads(pmm_kdump *dump, uint64_t *current, char *why, size_t cap)
{
    const pmm_kdump_header *h = pmm_kdump_header_of(dump);
    uint32_t ps = pmm_kdump_pointer_size(dump);
    uint8_t kdbg[KDBG_PROCESSOR_BLOCK_AT + 8];
    if (!h->kd_debugger_data_block ||
        pmm_kdump_read_virtual(dump, 0, h->kd_debugger_data_block, kdbg, sizeof kdbg, NULL) != sizeof kdbg) {
        snprintf(why, cap, "KdDebuggerDataBlock (0x%llx) is not in the dump", (unsigned long long)h->kd_debugger_data_block);
        return 0;
    }
    if (kd_le32(kdbg + KDBG_TAG_AT) != KDBG_OWNER_TAG) {
        snprintf(why, cap, "KdDebuggerDataBlock has no KDBG tag (it is encoded in the dump)");
        return 0;
    }
    uint64_t blocks = kd_le64(kdbg + KDBG_PROCESSOR_BLOCK_AT);
    if (ps == 4)
        blocks &= 0xFFFFFFFFu;
    uint32_t n = h->processors < MAX_PROCESSORS ? h->processors : MAX_PROCESSORS;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t prcb;
        current[i] = 0;
        if (kd_read_pointer(dump, 0, blocks + (uint64_t)i * ps, ps, &prcb) && prcb)
            kd_read_pointer(dump, 0, prcb + ps, ps, &current[i]);   /* KPRCB.CurrentThread */
    }
    if (n == 0)
        snprintf(why, cap, "the header gives no processor count");
    return n;
}

static void set_found(pmm_kdump_crash_thread *out, const pmm_kdump_thread *t, int32_t processor, const char *how)
{
    out->found = 1;
    out->ethread = t->ethread;
    out->pid = t->pid;
    out->tid = t->tid;
    out->processor = processor;
    snprintf(out->how, sizeof out->how, "%s", how);
}

/* Through the KPRCBs: 1 when decided (found or not, out->how says), 0 when they could not be read. */
static int from_processors(pmm_kdump *dump, const pmm_kdump_process_list *list,
                           const pmm_kdump_thread_offsets *offsets, uint64_t sp, int user, pmm_kdump_crash_thread *out)
{
    uint64_t current[MAX_PROCESSORS];
    char why[160];
    uint32_t n = processor_threads(dump, current, why, sizeof why);
    if (n == 0) {
        snprintf(out->how, sizeof out->how, "%s", why);
        return 0;
    }
    int matches = 0, unknown = 0;
    pmm_kdump_thread found = {0}, t;
    int32_t at = -1;
    for (uint32_t i = 0; i < n; i++) {
        if (!current[i] || !read_thread(dump, &offsets->thread, current[i], &t))
            continue;
        int holds = stack_holds(dump, &t, process_of(list, t.pid), sp, user);
        if (holds == -1)
            unknown++;
        if (holds == 1 || (holds == -1 && n == 1)) {
            matches++;
            found = t;
            at = (int32_t)i;
        }
    }
    if (matches != 1) {
        snprintf(out->how, sizeof out->how, "%s of the %u processors' current threads hold%s the header context's "
                 "stack pointer 0x%llx%s", matches ? "several" : "none", n, matches ? "" : "s",
                 (unsigned long long)sp, unknown ? " (some stacks could not be read)" : "");
        return matches > 1;   /* none: perhaps a stale KPRCB; the threads' stacks decide */
    }
    char how[200];
    if (!process_of(list, found.pid)) {
        snprintf(out->how, sizeof out->how, "processor %d's current thread (ETHREAD 0x%llx) belongs to no listed "
                 "process (pid %llu: the idle thread?)", at, (unsigned long long)found.ethread,
                 (unsigned long long)found.pid);
        return 1;
    }
    snprintf(how, sizeof how, n == 1 ? "KPRCB.CurrentThread of the only processor"
                                     : "KPRCB.CurrentThread of processor %d, whose stack holds the header context's "
                                       "stack pointer", at);
    set_found(out, &found, at, how);
    return 1;
}

/* Every listed process's threads: the one whose stack holds sp. */
static pmm_status from_stacks(pmm_kdump *dump, const pmm_kdump_process_list *list,
                              const pmm_kdump_thread_offsets *offsets, uint64_t sp, int user, pmm_kdump_crash_thread *out)
{
    size_t matches = 0;
    pmm_kdump_thread found = {0};
    for (size_t i = 0; i < list->count; i++) {
        pmm_kdump_thread *threads;
        size_t count;
        char problem[160];
        pmm_status st = pmm_kdump_threads(dump, offsets, list->processes[i].eprocess, &threads, &count, problem,
                                          sizeof problem);
        if (st == PMM_ERR_NOMEM)
            return st;
        for (size_t k = 0; k < count; k++)
            if (stack_holds(dump, &threads[k], &list->processes[i], sp, user) == 1 && matches++ == 0)
                found = threads[k];
        free(threads);
    }
    size_t used = strlen(out->how);
    if (matches == 1)
        set_found(out, &found, -1, user ? "the one thread whose TEB's stack holds the header context's stack pointer"
                                        : "the one thread whose kernel stack holds the header context's stack pointer");
    else
        snprintf(out->how + used, sizeof out->how - used, "; %s thread's stack holds the header context's stack "
                 "pointer 0x%llx", matches ? "more than one" : "no", (unsigned long long)sp);
    return PMM_OK;
}

pmm_status pmm_kdump_find_crash_thread(pmm_kdump *dump, const pmm_kdump_process_list *list,
                                       pmm_kdump_crash_thread *out)
{
    pmm_kdump_thread_offsets offsets;
    pmm_kdump_thread_offsets_of(dump, list, &offsets);
    return pmm_kdump_find_crash_thread_with(dump, list, &offsets, out);
}

pmm_status pmm_kdump_find_crash_thread_with(pmm_kdump *dump, const pmm_kdump_process_list *list,
                                            const pmm_kdump_thread_offsets *found_offsets, pmm_kdump_crash_thread *out)
{
    pmm_kdump_thread_offsets offsets = *found_offsets;
    pmm_context header;
    memset(out, 0, sizeof *out);
    out->processor = -1;
    if (!offsets.thread_list_head || !offsets.thread.thread_list_entry) {
        snprintf(out->how, sizeof out->how, "the offsets of this build do not include ETHREAD's");
        return PMM_OK;
    }
    int user = pmm_kdump_header_user_context(dump, &header);
    uint64_t sp = header.gpr[PMM_REG_SP];
    if (header.arch == 0) {
        snprintf(out->how, sizeof out->how, "the header has no context");
        return PMM_OK;
    }
    if (from_processors(dump, list, &offsets, sp, user, out))
        return PMM_OK;
    return from_stacks(dump, list, &offsets, sp, user, out);
}
