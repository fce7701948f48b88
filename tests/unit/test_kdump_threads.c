/* The thread running at the crash and the threads' user-mode registers, in kernel dumps the builder
 * writes (tests/kdump): explorer.exe's threads 4664 and 4700 run on processors 0 and 1, the
 * header's stack pointer lies in 4700's kernel stack. Found through KiProcessorBlock's KPRCBs, and
 * through the threads' stacks when KdDebuggerDataBlock is encoded (no KDBG tag); not found, with
 * the reason, when no stack holds the stack pointer or the build has no ETHREAD offsets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "core/adapters/kdump_kernel_source.h"
#include "core/formats/kdump.h"
#include "core/formats/kdump_processes.h"
#include "core/formats/kdump_threads.h"
#include "../kdump/kdump_scene.h"

/* The crash thread of the scene as written (Bitmap dump for x64, kernel summary for x86). */
static pmm_kdump_crash_thread crash_of(kscene *s)
{
    pmm_kdump_crash_thread crash;
    kdb_buffer buf;
    pmm_kdump *dump = NULL;
    pmm_kdump_process_list list;
    char message[512] = "";
    memset(&crash, 0, sizeof crash);
    memset(&buf, 0, sizeof buf);
    int ok = kdb_write(s->b, kdb_paging_of(s->b) == KDB_X64 ? 5 : 2, kdb_sink_buffer(&buf)) == 0 &&
             pmm_kdump_open_memory(buf.data, buf.len, &dump, message, sizeof message) == PMM_OK &&
             pmm_kdump_processes(dump, &list, message, sizeof message) == PMM_OK;
    CHECK(ok);
    if (ok) {
        CHECK_EQ_U64(pmm_kdump_find_crash_thread(dump, &list, &crash), PMM_OK);
        pmm_kdump_process_list_free(&list);
    }
    pmm_kdump_close(dump);
    free(buf.data);
    return crash;
}

TEST_CASE(crash_thread_from_the_processors)
{
    kscene *s = kscene_build(KDB_X64, NULL, 0);
    pmm_kdump_crash_thread c = crash_of(s);
    CHECK(c.found);
    CHECK_EQ_U64(c.pid, 4660);
    CHECK_EQ_U64(c.tid, 4700);
    CHECK_EQ_U64(c.ethread, s->processes[2].listed[1].ethread);
    CHECK_EQ_U64((uint64_t)c.processor, 1);
    CHECK(strstr(c.how, "KPRCB.CurrentThread of processor 1") != NULL);
    /* The stack pointer in 4664's stack instead: processor 0's thread. */
    kscene_set_current(s, 0, &s->processes[2].listed[0], 1);
    c = crash_of(s);
    CHECK(c.found && c.tid == 4664 && c.processor == 0);
    kscene_free(s);
}

TEST_CASE(crash_thread_from_the_stacks_when_the_kdbg_is_encoded)
{
    kscene *s = kscene_build(KDB_X64, NULL, 0);
    kdb_write_virtual(s->b, kdb_facts_of(s->b)->kd_debugger_data_block + 0x10, "\x12\x34\x56\x78", 4);
    pmm_kdump_crash_thread c = crash_of(s);
    CHECK(c.found && c.pid == 4660 && c.tid == 4700 && c.processor == -1);
    CHECK(strstr(c.how, "kernel stack holds") != NULL);
    /* A stack pointer no thread's stack holds: not found, and why. */
    kdb_facts_of(s->b)->gpr[4] = 0xFFFFF80001000F00ull;
    c = crash_of(s);
    CHECK(!c.found);
    CHECK(strstr(c.how, "no KDBG tag") != NULL && strstr(c.how, "no thread's stack") != NULL);
    kscene_free(s);
}

TEST_CASE(crash_thread_needs_ethread_offsets)
{
    kscene *s = kscene_build_with(KDB_X64, NULL, 0, KS_UNLISTED_BUILD);
    pmm_kdump_crash_thread c = crash_of(s);
    CHECK(!c.found && strstr(c.how, "do not include ETHREAD") != NULL);
    kscene_free(s);
}

/* explorer.exe's threads as its process source gives them, from the scene written as a Bitmap
 * dump (x64) or a kernel summary (x86); 0 when they could not be read. */
static size_t threads_of_explorer(kscene *s, pmm_thread_info **threads)
{
    kdb_buffer buf;
    pmm_kdump *dump = NULL;
    pmm_kdump_process_list list;
    pmm_source src;
    char message[512] = "";
    size_t count = 0;
    memset(&buf, 0, sizeof buf);
    memset(&src, 0, sizeof src);
    *threads = NULL;
    CHECK(kdb_write(s->b, kdb_paging_of(s->b) == KDB_X64 ? 5 : 2, kdb_sink_buffer(&buf)) == 0 &&
          pmm_kdump_open_memory(buf.data, buf.len, &dump, message, sizeof message) == PMM_OK &&
          pmm_kdump_processes(dump, &list, message, sizeof message) == PMM_OK);
    if (dump) {
        CHECK_EQ_U64(pmm_kdump_process_source_wrap(dump, "t.dmp", &list.processes[2], &list, &src, message,
                                                   sizeof message), PMM_OK);
        pmm_kdump_process_list_free(&list);
    }
    if (src.ops && src.ops->threads(src.impl, threads, &count) != PMM_OK)
        count = 0;
    pmm_source_close(&src);
    free(buf.data);
    return count;
}

/* explorer's threads: 4664 with the registers of its trap frame, 4700 (running at the crash, a
 * kernel-mode header context) with none: a thread without a user-mode trap frame has no context. */
TEST_CASE(thread_registers_from_trap_frames)
{
    kscene *s = kscene_build(KDB_X64, NULL, 0);
    uint64_t gpr[16];
    for (int i = 0; i < 16; i++)
        gpr[i] = 0x1000 * (uint64_t)(i + 1) + 7;
    kscene_set_user_context(s, &s->processes[2].listed[0], gpr, 0x7FF712345678ull);
    kscene_relink(s);
    pmm_thread_info *threads;
    if (threads_of_explorer(s, &threads) == 2) {
        const pmm_context *c = &threads[0].context;
        CHECK_EQ_U64(threads[0].tid, 4664);
        CHECK_EQ_U64(c->arch, PMM_ARCH_X64);
        CHECK_EQ_U64(c->ip, 0x7FF712345678ull);
        for (int i = 0; i < 12; i++)   /* rax..rdi, r8..r11: what a trap frame holds */
            CHECK_EQ_U64(c->gpr[i], gpr[i]);
        for (int i = 12; i < 16; i++)
            CHECK_EQ_U64(c->gpr[i], 0);
        CHECK_EQ_U64(threads[1].tid, 4700);
        CHECK_EQ_U64(threads[1].context.arch, 0);   /* no trap frame, and the header's context is kernel-mode */
    } else {
        CHECK(!"explorer's two threads were not read");
    }
    free(threads);
    kscene_free(s);
}

/* The threads of explorer.exe as its process source gives them, the first with a user-mode trap
 * frame: tid, TEB and, for the first, its registers (gpr in the pmm_context order); the second,
 * running on processor 1 at the crash, is found through the KPRCBs. */
static void check_threads_of(kscene *s, uint32_t arch, int volatiles_known)
{
    int wide = arch == PMM_ARCH_X64;
    uint64_t gpr[16], mask = wide ? ~0ull : 0xFFFFFFFFull, ip = wide ? 0x7FF712345678ull : 0x77A31234u;
    for (int i = 0; i < 16; i++)
        gpr[i] = (0x1000 * (uint64_t)(i + 1) + 7) & mask;
    kscene_set_user_context(s, &s->processes[2].listed[0], gpr, ip);
    kscene_relink(s);
    pmm_kdump_crash_thread crash = crash_of(s);
    CHECK(crash.found && crash.tid == s->processes[2].listed[1].tid && crash.processor == 1);
    pmm_thread_info *threads;
    if (threads_of_explorer(s, &threads) == 2) {
        const pmm_context *c = &threads[0].context;
        CHECK_EQ_U64(threads[0].tid, s->processes[2].listed[0].tid);
        CHECK_EQ_U64(threads[0].teb, s->processes[2].listed[0].teb);
        CHECK_EQ_U64(threads[1].tid, s->processes[2].listed[1].tid);
        CHECK_EQ_U64(c->arch, arch);
        CHECK_EQ_U64(c->ip, ip);
        int held = wide ? 12 : 8;   /* x64: rax..rdi, r8..r11; x86: eax..edi */
        for (int i = 0; i < held; i++)
            CHECK_EQ_U64(c->gpr[i], i < 3 && !volatiles_known ? 0 : gpr[i]);
    } else {
        CHECK(!"explorer's two threads were not read");
    }
    free(threads);
}

/* x64 Windows 10 1809 (17763): the builder writes its EPROCESS and ETHREAD layouts; the table's
 * 1809 rows read them. */
TEST_CASE(threads_of_a_1809_dump)
{
    kscene *s = kscene_build_with(KDB_X64, NULL, 0, KS_BUILD_17763);
    check_threads_of(s, PMM_ARCH_X64, 1);
    kscene_free(s);
}

/* Windows 10 1903 x64 (18362), the row read from the Vergilius Project's layouts: the scene lays
 * 1903's EPROCESS and ETHREAD (its own copy of those offsets), and explorer's threads, their TEBs and
 * the first one's trap frame are read through the table. */
TEST_CASE(threads_of_a_1903_dump)
{
    kscene *s = kscene_build_with(KDB_X64, NULL, 0, KS_BUILD_18362);
    CHECK(s != NULL && s->nt_build == 18362);
    const pmm_kdump_thread_layout_row *r = pmm_kdump_thread_layout_for(8, 18362);
    CHECK(r != NULL && r != pmm_kdump_thread_layout_for(8, 17763) && r != pmm_kdump_thread_layout_for(8, 19041));
    if (s)
        check_threads_of(s, PMM_ARCH_X64, 1);
    kscene_free(s);
}

/* Windows 10 1507 x64 (10240), the row read from Geoff Chappell's ETHREAD and KTHREAD pages: the scene
 * lays 1507's EPROCESS and ETHREAD (its own copy of those offsets); 1511 (10586) has the same ETHREAD
 * there (Chappell's "10.0 to 1511"), in a row of its own; 1909 (18363) takes 1903's row. */
TEST_CASE(threads_of_a_1507_dump)
{
    kscene *s = kscene_build_with(KDB_X64, NULL, 0, KS_BUILD_10240);
    CHECK(s != NULL && s->nt_build == 10240);
    const pmm_kdump_thread_layout_row *r = pmm_kdump_thread_layout_for(8, 10240);
    CHECK(r != NULL && r != pmm_kdump_thread_layout_for(8, 14393) && strstr(r->source, "Chappell") != NULL);
    CHECK(pmm_kdump_thread_layout_for(8, 10586) != NULL && pmm_kdump_thread_layout_for(8, 10587) == NULL);
    CHECK(pmm_kdump_thread_layout_for(8, 18363) == pmm_kdump_thread_layout_for(8, 18362));
    CHECK(pmm_kdump_thread_layout_for(4, 18363) == pmm_kdump_thread_layout_for(4, 18362));
    if (s)
        check_threads_of(s, PMM_ARCH_X64, 1);
    kscene_free(s);
}

/* Windows 11 22H2 x64 (22621): its own ETHREAD (ThreadListEntry 0x538, Cid 0x4C8, Win32StartAddress
 * 0x520, read from the Vergilius Project's headers), not the 2004 row's. */
TEST_CASE(threads_of_a_windows_11_dump)
{
    kscene *s = kscene_build_with(KDB_X64, NULL, 0, KS_BUILD_22621);
    CHECK(s != NULL && s->nt_build == 22621);
    const pmm_kdump_thread_layout_row *r = pmm_kdump_thread_layout_for(8, 22621);
    CHECK(r != NULL && r != pmm_kdump_thread_layout_for(8, 19045) && r == pmm_kdump_thread_layout_for(8, 22000));
    if (s)
        check_threads_of(s, PMM_ARCH_X64, 1);
    kscene_free(s);
}

/* x86 Windows 7 SP1 (7601), 10 1809 (17763), 10 1903 (18362, the row read from the Vergilius
 * Project's layouts) and 10 1507 (10240, from Chappell's pages), PAE and non-PAE: two ETHREADs added to explorer, Windows 7's x86 KTRAP_FRAME
 * for the first (Edx, Ecx and Eax read only for 7601, whose row knows where they are). */
TEST_CASE(threads_of_an_x86_dump)
{
    const uint32_t x86_pagings[] = {KDB_PAE, KDB_X86};
    const uint32_t builds[] = {0, KS_BUILD_17763, KS_BUILD_18362, KS_BUILD_10240};
    CHECK(pmm_kdump_thread_layout_for(4, 18362) != pmm_kdump_thread_layout_for(4, 17763));
    for (size_t i = 0; i < 8; i++) {   /* 7601, then 1809, 1903 and 1507 (whose KTRAP_FRAME's Edx..Eax are not read) */
        kscene *s = kscene_build_with(x86_pagings[i % 2], NULL, 0, builds[i / 2]);
        CHECK(s != NULL);
        if (!s)
            continue;
        kscene_add_thread(s, &s->processes[2], 4664, 0x7FFDF000u, 0x00401000u);
        kscene_add_thread(s, &s->processes[2], 4700, 0x7FFDE000u, 0x77A40000u);
        kscene_set_current(s, 1, &s->processes[2].listed[1], 1);
        check_threads_of(s, PMM_ARCH_X86, i < 2);
        kscene_free(s);
    }
}

/* Every row of the ETHREAD table names its source, covers builds the EPROCESS table has (so its
 * processes' ThreadListHead is known), overlaps no other row, and keeps the fields inside ETHREAD. */
TEST_CASE(thread_table_rows_are_sound)
{
    size_t rows = 0;
    for (size_t i = 0; pmm_kdump_thread_layout_row_at(i); i++, rows++) {
        const pmm_kdump_thread_layout_row *r = pmm_kdump_thread_layout_row_at(i);
        CHECK(r->source && (strstr(r->source, "ntdiff") != NULL || strstr(r->source, "vergilius-rs") != NULL ||
                            strstr(r->source, "Chappell") != NULL));
        CHECK(r->pointer_size == 8 || r->pointer_size == 4);
        CHECK(r->first_build <= r->last_build);
        for (uint32_t b = r->first_build; b <= r->last_build; b++) {
            const pmm_kdump_layout_row *e = pmm_kdump_layout_for(r->pointer_size, b);
            CHECK(e != NULL && e->layout.thread_list_head != 0);
            CHECK(pmm_kdump_thread_layout_for(r->pointer_size, b) == r);
        }
        const pmm_kdump_thread_layout *l = &r->layout;
        CHECK(l->thread_list_entry && l->cid && l->teb && l->win32_start_address && l->initial_stack &&
              l->stack_limit && l->stack_base && l->trap_frame);
        CHECK(l->teb < l->cid && l->cid < l->thread_list_entry && l->thread_list_entry < 0x1000);   /* KTHREAD first */
        CHECK(l->win32_start_address < l->thread_list_entry);
        CHECK(l->initial_stack < l->teb && l->stack_limit < l->teb && l->trap_frame < 0x200);
        /* x86 KTRAP_FRAME: Edx, Ecx, Eax inside its 0x8C bytes; x64 rows have none */
        CHECK(r->pointer_size == 4 ? l->trap_frame_edx + 12 <= 0x8C : l->trap_frame_edx == 0);
        /* Geoff Chappell's KTHREAD page: InitialStack, StackLimit and StackBase sit at 0x20, 0x24, 0x28
         * (x86) and 0x28, 0x30, 0x38 (x64) in 6.2 and higher, so every row from Windows 8 on, whatever
         * its source, has them there */
        if (r->first_build >= 9200) {
            uint32_t slot = r->pointer_size == 8 ? 8 : 4, base = r->pointer_size == 8 ? 0x28 : 0x20;
            CHECK(l->initial_stack == base && l->stack_limit == base + slot && l->stack_base == base + 2 * slot);
        }
    }
    CHECK(rows >= 16);
}

CHECK_MAIN(CASE(thread_table_rows_are_sound), CASE(crash_thread_from_the_processors), CASE(crash_thread_from_the_stacks_when_the_kdbg_is_encoded),
           CASE(crash_thread_needs_ethread_offsets), CASE(thread_registers_from_trap_frames),
           CASE(threads_of_a_1809_dump), CASE(threads_of_a_1903_dump), CASE(threads_of_a_1507_dump),
           CASE(threads_of_a_windows_11_dump), CASE(threads_of_an_x86_dump))
