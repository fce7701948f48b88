/* The process list of kernel dumps the builder writes (tests/kdump): every field against what the
 * builder placed, for x64, x86 PAE and x86, with a build in the offset table and with one it lacks
 * (offsets inferred); and lists that cycle, leave the dump, end in a null link, lose an EPROCESS
 * page, or whose head is unreadable: a clear problem, bounded time, the other processes listed;
 * a process's VAD tree (allocations, types, reserved memory, views' file names) and trees that
 * loop or leave the dump. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"
#include "core/adapters/kdump_kernel_source.h"
#include "core/formats/kdump.h"
#include "core/formats/kdump_processes.h"
#include "core/formats/kdump_threads.h"
#include "core/formats/kdump_vad.h"
#include "../kdump/kdump_scene.h"
#include "../kdump/kdump_vads.h"

static const uint32_t pagings[] = {KDB_X64, KDB_PAE, KDB_X86};

/* Bitmap dumps for x64 (any number of runs), kernel summaries for x86. */
static pmm_kdump *write_and_open(kscene *s, kdb_buffer *buf)
{
    pmm_kdump *dump = NULL;
    char message[512] = "";
    memset(buf, 0, sizeof *buf);
    uint32_t type = kdb_paging_of(s->b) == KDB_X64 ? 5 : 2;
    if (kdb_write(s->b, type, kdb_sink_buffer(buf)) != 0 ||
        pmm_kdump_open_memory(buf->data, buf->len, &dump, message, sizeof message) != PMM_OK)
        fprintf(stderr, "writing or opening the dump failed: %s\n", message);
    return dump;
}

static void put_pointer(kscene *s, uint64_t va, uint64_t value)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(value >> (8 * i));
    kdb_write_virtual(s->b, va, b, kdb_paging_of(s->b) == KDB_X64 ? 8 : 4);
}

/* The listed process i equals the builder's process j, in every field the offsets give. */
static void check_process(const pmm_kdump_process *p, const ks_process *want, int inferred)
{
    CHECK_EQ_U64(p->pid, want->pid);
    CHECK_STR(p->name, want->name);
    CHECK_EQ_U64(p->eprocess, want->eprocess);
    CHECK_EQ_U64(p->directory_table_base, want->dtb);
    CHECK(p->known & PMM_KDUMP_PROCESS_PARENT);
    CHECK_EQ_U64(p->parent_pid, want->parent_pid);
    if (inferred) {
        CHECK(!(p->known & (PMM_KDUMP_PROCESS_PEB | PMM_KDUMP_PROCESS_CREATE_TIME | PMM_KDUMP_PROCESS_THREADS)));
        return;
    }
    CHECK(p->known & PMM_KDUMP_PROCESS_PEB);
    CHECK_EQ_U64(p->peb, want->peb);
    CHECK_EQ_U64(p->create_time, want->create_time);
    CHECK_EQ_U64(p->thread_count, want->threads);
    CHECK_EQ_U64(p->wow64, want->wow64);
    CHECK_EQ_U64(p->peb32, want->peb32);
}

static void check_list(uint32_t paging, uint32_t flags)
{
    kscene *s = kscene_build_with(paging, NULL, 0, flags);
    kdb_buffer buf;
    pmm_kdump *dump = write_and_open(s, &buf);
    pmm_kdump_process_list list;
    char message[256];
    CHECK(dump != NULL);
    if (dump && pmm_kdump_processes(dump, &list, message, sizeof message) == PMM_OK) {
        int inferred = (flags & KS_UNLISTED_BUILD) != 0;
        CHECK_EQ_U64(list.inferred, inferred);
        CHECK(inferred ? list.row == NULL && strstr(list.inference, "inferred") != NULL : list.row != NULL);
        CHECK_STR(list.problem, "");
        CHECK_EQ_U64(list.count, s->process_count);
        for (size_t i = 0; i < list.count && i < s->process_count; i++)
            check_process(&list.processes[i], &s->processes[i], inferred);
        pmm_kdump_process_list_free(&list);
    } else {
        fprintf(stderr, "paging %u flags %u: %s\n", paging, flags, dump ? message : "not opened");
        CHECK(0);
    }
    pmm_kdump_close(dump);
    free(buf.data);
    kscene_free(s);
}

TEST_CASE(lists_with_table_offsets)
{
    for (size_t i = 0; i < sizeof pagings / sizeof pagings[0]; i++) {
        check_list(pagings[i], 0);
        check_list(pagings[i], KS_BUILD_10240);   /* 1507: its WOW64Process is the PEB32 itself */
    }
}

TEST_CASE(lists_with_inferred_offsets)
{
    for (size_t i = 0; i < sizeof pagings / sizeof pagings[0]; i++)
        check_list(pagings[i], KS_UNLISTED_BUILD);
}

/* A build the table has, with structures that do not follow its row: inference takes over. */
TEST_CASE(table_row_that_does_not_fit)
{
    kscene *s = kscene_build_with(KDB_X64, NULL, 0, KS_UNLISTED_BUILD);
    kdb_facts_of(s->b)->build = 19041;
    kdb_buffer buf;
    pmm_kdump *dump = write_and_open(s, &buf);
    pmm_kdump_process_list list;
    char message[256];
    CHECK(dump && pmm_kdump_processes(dump, &list, message, sizeof message) == PMM_OK);
    if (dump) {
        CHECK(list.inferred);
        CHECK_EQ_U64(list.count, s->process_count);
        pmm_kdump_process_list_free(&list);
    }
    pmm_kdump_close(dump);
    free(buf.data);
    kscene_free(s);
}

typedef void (*damage_fn)(kscene *s);

/* Writes the scene after damage, lists its processes; returns the list (caller frees) and problem. */
static int list_damaged(uint32_t paging, damage_fn damage, pmm_kdump_process_list *list, kscene **scene,
                        char *message, size_t cap)
{
    kscene *s = kscene_build(paging, NULL, 0);
    damage(s);
    kdb_buffer buf;
    pmm_kdump *dump = write_and_open(s, &buf);
    int st = dump ? pmm_kdump_processes(dump, list, message, cap) : PMM_ERR_FORMAT;
    pmm_kdump_close(dump);
    free(buf.data);
    *scene = s;
    return st;
}

/* The pids listed, in order, as "4,388,4660". */
static const char *pids_of(const pmm_kdump_process_list *list, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < list->count && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%llu", i ? "," : "",
                                 (unsigned long long)list->processes[i].pid);
    return buf;
}

static void notepad_links_back_to_smss(kscene *s)
{
    uint32_t links = kscene_links_offset(s);
    put_pointer(s, s->processes[3].eprocess + links, s->processes[1].eprocess + links);
}

static void explorer_links_out_of_the_dump(kscene *s)
{
    put_pointer(s, s->processes[2].eprocess + kscene_links_offset(s), s->eprocess_area + 0x7F000000);
}

static void smss_links_to_null(kscene *s)
{
    put_pointer(s, s->processes[1].eprocess + kscene_links_offset(s), 0);
}

static void notepad_page_left_out(kscene *s)
{
    kdb_omit(s->b, kdb_physical_of(s->b, s->processes[3].eprocess) / KDB_PAGE);
}

static void head_unreadable(kscene *s)
{
    kdb_facts_of(s->b)->ps_active_process_head = s->eprocess_area + 0x7F000000;
}

static void head_links_out_of_the_dump(kscene *s)
{
    uint64_t head = kdb_facts_of(s->b)->ps_active_process_head, nowhere = s->eprocess_area + 0x7F000000;
    put_pointer(s, head, nowhere);
    put_pointer(s, head + 8, nowhere);   /* x64 Blink; on x86 the pointer after the list (harmless) */
    put_pointer(s, head + 4, nowhere);
}

static void system_pid_wrong(kscene *s)
{
    put_pointer(s, s->processes[0].eprocess + kscene_links_offset(s) - (kdb_paging_of(s->b) == KDB_X64 ? 8 : 4), 8);
}

/* The builder's pids in list order, without the one at index skip (-1: none). */
static const char *scene_pids(const kscene *s, int skip, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < s->process_count && used < cap; i++)
        if ((int)i != skip)
            used += (size_t)snprintf(buf + used, cap - used, "%s%u", used ? "," : "", s->processes[i].pid);
    return buf;
}

TEST_CASE(lists_that_cycle_or_break)
{
    static const struct {
        damage_fn damage;
        const char *problem;    /* a piece of the problem sentence */
        int check_pids;         /* the list is complete but for `missing` (a cycle repeats entries) */
        int missing;
    } cases[] = {
        {notepad_links_back_to_smss, "cycles through", 0, -1},
        {explorer_links_out_of_the_dump, "is not in the dump; ", 1, -1},
        {smss_links_to_null, "ends in a null link; ", 1, -1},
        {notepad_page_left_out, "is not in the dump", 1, 3},
    };
    for (size_t p = 0; p < sizeof pagings / sizeof pagings[0]; p++)
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            pmm_kdump_process_list list;
            kscene *s;
            char message[256], pids[128], want[128];
            CHECK_EQ_U64(list_damaged(pagings[p], cases[i].damage, &list, &s, message, sizeof message), PMM_OK);
            if (!strstr(list.problem, cases[i].problem)) {
                fprintf(stderr, "case %zu paging %u: problem \"%s\"\n", i, pagings[p], list.problem);
                CHECK(0);
            }
            if (cases[i].check_pids)
                CHECK_STR(pids_of(&list, pids, sizeof pids), scene_pids(s, cases[i].missing, want, sizeof want));
            CHECK(list.count <= 4 * s->process_count);
            pmm_kdump_process_list_free(&list);
            kscene_free(s);
        }
}

TEST_CASE(lists_that_cannot_be_read)
{
    pmm_kdump_process_list list;
    kscene *s;
    char message[256];
    CHECK_EQ_U64(list_damaged(KDB_X64, head_unreadable, &list, &s, message, sizeof message), PMM_ERR_READ);
    CHECK(strstr(message, "PsActiveProcessHead") != NULL);
    CHECK_EQ_U64(list.count, 0);
    kscene_free(s);
    CHECK_EQ_U64(list_damaged(KDB_X64, system_pid_wrong, &list, &s, message, sizeof message), PMM_ERR_FORMAT);
    CHECK(strstr(message, "pid 4") != NULL);
    kscene_free(s);
    for (size_t p = 0; p < sizeof pagings / sizeof pagings[0]; p++) {   /* both directions lead nowhere */
        CHECK_EQ_U64(list_damaged(pagings[p], head_links_out_of_the_dump, &list, &s, message, sizeof message),
                     PMM_ERR_FORMAT);
        CHECK(strstr(message, "first process of PsActiveProcessHead is not in the dump") != NULL);
        kscene_free(s);
    }
}

TEST_CASE(processes_found_by_pid_or_name)
{
    pmm_kdump_process p[3];
    memset(p, 0, sizeof p);
    p[0].pid = 4, strcpy(p[0].name, "System");
    p[1].pid = 388, strcpy(p[1].name, "svchost.exe");
    p[2].pid = 392, strcpy(p[2].name, "svchost.exe");
    pmm_kdump_process_list list = {p, 3, 0, NULL, {0}, "", ""};
    int ambiguous;
    CHECK(pmm_kdump_find_process(&list, "388", &ambiguous) == &p[1]);
    CHECK(pmm_kdump_find_process(&list, "0x188", &ambiguous) == &p[2]);
    CHECK(pmm_kdump_find_process(&list, "system", &ambiguous) == &p[0] && !ambiguous);
    CHECK(pmm_kdump_find_process(&list, "SVCHOST.EXE", &ambiguous) == NULL && ambiguous);
    CHECK(pmm_kdump_find_process(&list, "9", &ambiguous) == NULL && !ambiguous);
    CHECK(pmm_kdump_find_process(&list, "", &ambiguous) == NULL);
}

/* The regions of a source from its lowest address, as "base+size:protect" joined by spaces, or
 * with typed "base+size:state:protect:type:alloc_base:alloc_protect". */
static const char *regions_as(pmm_source *src, int typed, char *buf, size_t cap)
{
    pmm_region_info r;
    uint64_t at = 0;
    size_t used = 0;
    buf[0] = '\0';
    while (used < cap && pmm_source_query(src, at, &r) == PMM_OK) {
        used += (size_t)snprintf(buf + used, cap - used, "%s0x%llx+0x%llx", used ? " " : "",
                                 (unsigned long long)r.base, (unsigned long long)r.size);
        if (typed && used < cap)
            used += (size_t)snprintf(buf + used, cap - used, ":%x:%x:%x:0x%llx:%x", r.state, r.protect, r.type,
                                     (unsigned long long)r.alloc_base, r.alloc_protect);
        else if (used < cap)
            used += (size_t)snprintf(buf + used, cap - used, ":%x", r.protect);
        at = r.base + r.size;
    }
    return buf;
}

/* explorer.exe of the scene as a source: its regions from its page tables, its bytes, which pages
 * have none and why, and the page it shares with notepad.exe. */
static void check_process_source(uint32_t paging)
{
    kscene *s = kscene_build(paging, NULL, 0);
    kdb_buffer buf;
    pmm_kdump *dump = write_and_open(s, &buf);
    pmm_kdump_process_list list;
    char message[256], regions[1024], want[1024];
    CHECK(dump && pmm_kdump_processes(dump, &list, message, sizeof message) == PMM_OK);
    if (!dump)
        return;
    const ks_process *explorer = &s->processes[2];
    int ambiguous, nx = paging != KDB_X86;
    const pmm_kdump_process *p = pmm_kdump_find_process(&list, "EXPLORER.EXE", &ambiguous);
    pmm_source src;
    CHECK(p && pmm_kdump_process_source_wrap(dump, "test.dmp", p, &list, &src, message, sizeof message) == PMM_OK);
    pmm_kdump_process_list_free(&list);
    CHECK_EQ_U64(src.target.pid, 4660);
    CHECK_STR(src.target.name, "explorer.exe");
    CHECK_EQ_U64(src.target.peb, explorer->peb);
    uint32_t rw = nx ? PMM_PAGE_READWRITE : PMM_PAGE_EXECUTE_READWRITE;
    snprintf(want, sizeof want, "0x400000+0x1000:%x 0x401000+0x2000:%x 0x403000+0x1000:%x 0x500000+0x1000:%x "
             "0x%llx+0x1000:%x", PMM_PAGE_EXECUTE_READ, PMM_PAGE_READWRITE, PMM_PAGE_EXECUTE_READ, rw,
             (unsigned long long)explorer->peb, rw);
    CHECK_STR(regions_as(&src, 0, regions, sizeof regions), want);
    uint64_t start = 0, end = 0;
    CHECK(pmm_source_held_extent(&src, 0, &start, &end) == PMM_OK && start == 0x400000 && end == 0x401000);
    CHECK(pmm_source_held_extent(&src, 0x401000, &start, &end) == PMM_OK && start == 0x500000 && end == 0x501000);
    uint8_t page[KDB_PAGE];
    CHECK_EQ_U64(pmm_source_read(&src, 0x402FF0, page, 0x20), 0);
    CHECK_EQ_U64(pmm_source_read(&src, 0x403000, page, 8), 0);
    CHECK_EQ_U64(pmm_source_read(&src, 0x500000, page, KDB_PAGE), KDB_PAGE);
    kdb_use_space(s->b, explorer->dtb);
    CHECK(memcmp(page, kdb_page(s->b, kdb_physical_of(s->b, 0x500000) / KDB_PAGE), KDB_PAGE) == 0);
    kdb_use_space(s->b, 0);
    const uint8_t *lent = NULL;   /* the same bytes in place; none for a page the dump lacks */
    CHECK_EQ_U64(pmm_source_borrow(&src, 0x500010, KDB_PAGE, &lent), KDB_PAGE - 0x10);
    CHECK(lent && memcmp(lent, page + 0x10, KDB_PAGE - 0x10) == 0);
    CHECK_EQ_U64(pmm_source_borrow(&src, 0x403000, 8, &lent), 0);
    pmm_thread_info *threads = NULL;
    size_t thread_count = 0;
    pmm_status tst = src.ops->threads(src.impl, &threads, &thread_count);
    if (paging == KDB_X64) {   /* ETHREAD offsets of build 19041; the x86 scene's explorer has no threads listed */
        CHECK_EQ_U64(tst, PMM_OK);
        CHECK_EQ_U64(thread_count, 2);
        if (thread_count == 2) {
            CHECK_EQ_U64(threads[0].tid, 4664);
            CHECK_EQ_U64(threads[0].teb, 0x000000A000021000ull);
            CHECK_EQ_U64(threads[0].start_address, 0x7FF712340000ull);
            CHECK_EQ_U64(threads[1].tid, 4700);
            CHECK_EQ_U64(threads[1].teb, 0x000000A000023000ull);
        }
    } else {   /* build 7601's ETHREAD offsets: an empty ThreadListHead */
        CHECK_EQ_U64(tst, PMM_OK);
        CHECK_EQ_U64(thread_count, 0);
    }
    free(threads);
    const char *wanted_notes[] = {"0x401000-0x401fff (1 pages): paged out", "0x402000-0x402fff (1 pages): demand zero",
                                  "0x403000-0x403fff (1 pages): present, but the dump does not hold",
                                  "3 pages of the address space are mapped but not in the dump",
                                  "the VAD tree was not read (the VAD tree is empty"};
    for (size_t i = 0; i < sizeof wanted_notes / sizeof wanted_notes[0]; i++) {
        const char *note = pmm_source_note(&src, i);
        if (!note || !strstr(note, wanted_notes[i])) {
            fprintf(stderr, "note %zu: \"%s\", wanted \"%s\"\n", i, note ? note : "(none)", wanted_notes[i]);
            CHECK(0);
        }
    }
    pmm_source_close(&src);
    free(buf.data);
    kscene_free(s);
}

TEST_CASE(a_process_as_a_source)
{
    for (size_t i = 0; i < sizeof pagings / sizeof pagings[0]; i++)
        check_process_source(pagings[i]);
}

static void explorer_tables_left_out(kscene *s)
{
    kdb_omit(s->b, s->processes[2].dtb / KDB_PAGE);
}

TEST_CASE(processes_that_cannot_be_mapped)
{
    pmm_kdump_process_list list;
    kscene *s = kscene_build(KDB_X64, NULL, 0);
    explorer_tables_left_out(s);
    kdb_buffer buf;
    pmm_kdump *dump = write_and_open(s, &buf);
    char message[256];
    CHECK(dump && pmm_kdump_processes(dump, &list, message, sizeof message) == PMM_OK);
    if (dump) {
        pmm_source src;
        CHECK_EQ_U64(pmm_kdump_process_source_wrap(dump, "t.dmp", &list.processes[2], &list, &src, message, sizeof message),
                     PMM_ERR_READ);
        CHECK(strstr(message, "page tables of explorer.exe") != NULL);
        CHECK(pmm_kdump_open_memory(buf.data, buf.len, &dump, message, sizeof message) == PMM_OK);
        CHECK_EQ_U64(pmm_kdump_process_source_wrap(dump, "t.dmp", &list.processes[0], &list, &src, message, sizeof message),
                     PMM_ERR_ARG);
        CHECK(strstr(message, "--process kernel") != NULL);
        pmm_kdump_process_list_free(&list);
    }
    free(buf.data);
    kscene_free(s);
}

/* The scene (damaged by the caller) written and read back, with explorer.exe as a source; 0 when
 * it could not be opened. Close with pmm_source_close, then free *buf and the scene. */
/* The dump written to a file and opened without mapping it (positioned reads: the path taken where a
 * file cannot be mapped); buf stays empty. */
static pmm_kdump *write_and_open_unmapped(kscene *s, kdb_buffer *buf)
{
    char path[] = "/tmp/pmm_test_kdump_processes_XXXXXX";
    pmm_kdump *dump = NULL;
    char message[512] = "";
    memset(buf, 0, sizeof *buf);
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    close(fd);
    FILE *f = fopen(path, "wb");
    int written = f && kdb_write(s->b, kdb_paging_of(s->b) == KDB_X64 ? 5 : 2, kdb_sink_file(f)) == 0;
    if (f)
        written &= fclose(f) == 0;
    if (!written || pmm_kdump_open_with(path, PMM_INPUT_FILE_NO_MAP, &dump, message, sizeof message) != PMM_OK)
        fprintf(stderr, "writing or opening the dump file failed: %s\n", message);
    remove(path);   /* the open file stays readable */
    return dump;
}

static int open_explorer_from(kscene *s, kdb_buffer *buf, pmm_source *src, int unmapped)
{
    pmm_kdump_process_list list;
    char message[256];
    memset(src, 0, sizeof *src);
    pmm_kdump *dump = unmapped ? write_and_open_unmapped(s, buf) : write_and_open(s, buf);
    if (!dump || pmm_kdump_processes(dump, &list, message, sizeof message) != PMM_OK) {
        pmm_kdump_close(dump);
        return 0;
    }
    pmm_status st = pmm_kdump_process_source_wrap(dump, "t.dmp", &list.processes[2], &list, src, message,
                                                  sizeof message);
    pmm_kdump_process_list_free(&list);
    return st == PMM_OK;
}

static int open_explorer(kscene *s, kdb_buffer *buf, pmm_source *src)
{
    return open_explorer_from(s, buf, src, 0);
}

/* A thread list whose second ETHREAD links back to itself: the walk stops, the threads read kept. */
TEST_CASE(thread_lists_that_loop)
{
    kscene *s = kscene_build(KDB_X64, NULL, 0);
    const ks_thread *second = &s->processes[2].listed[1];
    put_pointer(s, second->ethread + 0x4E8, second->ethread + 0x4E8);
    kdb_buffer buf;
    pmm_source src;
    CHECK(open_explorer(s, &buf, &src));
    if (src.ops) {
        pmm_thread_info *threads = NULL;
        size_t count = 0;
        CHECK_EQ_U64(src.ops->threads(src.impl, &threads, &count), PMM_OK);
        CHECK(count >= 2 && count <= 4 && threads[0].tid == 4664 && threads[1].tid == 4700);
        free(threads);
        pmm_source_close(&src);
    }
    free(buf.data);
    kscene_free(s);
}

/* explorer's top table with its first entry pointing at itself: every walk of its address space
 * (regions, held extents, the notes' count of pages without bytes) ends, bounded by its budget. */
TEST_CASE(process_tables_that_point_at_themselves)
{
    kscene *s = kscene_build(KDB_X64, NULL, 0);
    uint64_t dtb = s->processes[2].dtb;
    kdb_use_space(s->b, dtb);
    kdb_set_entry(s->b, 0, 4, dtb | KDB_PRESENT | KDB_WRITE | KDB_USER);
    kdb_use_space(s->b, 0);
    kdb_buffer buf;
    pmm_source src;
    CHECK(open_explorer(s, &buf, &src));
    if (src.ops) {
        pmm_region_info r;
        uint64_t at = 0, start, end;
        int regions = 0, notes = 0;
        while (regions < 100000 && pmm_source_query(&src, at, &r) == PMM_OK && r.base + r.size > at) {
            at = r.base + r.size;
            regions++;
        }
        CHECK(regions > 0 && regions < 100000);
        pmm_source_held_extent(&src, 0, &start, &end);
        while (pmm_source_note(&src, (size_t)notes))
            notes++;
        CHECK(notes > 0);
        pmm_source_close(&src);
    }
    free(buf.data);
    kscene_free(s);
}

/* ---- VAD trees ------------------------------------------------------------------------------------ */

/* A note of the source containing text, or NULL. */
static const char *note_with(pmm_source *src, const char *text)
{
    for (size_t i = 0; pmm_source_note(src, i); i++)
        if (strstr(pmm_source_note(src, i), text))
            return pmm_source_note(src, i);
    return NULL;
}

static void check_vad_regions(uint32_t paging, uint32_t flags, int unmapped)
{
    kscene *s = kscene_build_with(paging, NULL, 0, flags);
    kscene_add_explorer_vads(s, 0);
    uint64_t peb = s->processes[2].peb;
    int nx = paging != KDB_X86;
    uint32_t rw = nx ? PMM_PAGE_READWRITE : PMM_PAGE_EXECUTE_READWRITE, er = PMM_PAGE_EXECUTE_READ;
    uint32_t ewc = PMM_PAGE_EXECUTE_WRITECOPY, c = PMM_MEM_COMMIT, img = PMM_MEM_IMAGE, map = PMM_MEM_MAPPED;
    kdb_buffer buf;
    pmm_source src;
    char got[2048], want[2048], name[600];
    CHECK(open_explorer_from(s, &buf, &src, unmapped));
    if (src.ops) {
        snprintf(want, sizeof want,
                 "0x400000+0x1000:%x:%x:%x:0x400000:%x 0x401000+0x2000:%x:%x:%x:0x400000:%x "
                 "0x403000+0x1000:%x:%x:%x:0x400000:%x 0x404000+0x4000:%x:%x:%x:0x400000:%x "
                 "0x500000+0x1000:%x:%x:%x:0x500000:%x 0x501000+0x1000:%x:%x:%x:0x500000:%x "
                 "0x%llx+0x1000:%x:%x:%x:0x%llx:%x 0x%llx+0x3000:%x:0:%x:0x%llx:%x",
                 c, er, img, ewc, c, PMM_PAGE_READWRITE, img, ewc, c, er, img, ewc, c, ewc, img, ewc,
                 c, rw, map, PMM_PAGE_READONLY, c, PMM_PAGE_READONLY, map, PMM_PAGE_READONLY,
                 (unsigned long long)peb, c, rw, PMM_MEM_PRIVATE, (unsigned long long)peb, PMM_PAGE_READWRITE,
                 (unsigned long long)(peb + 0x1000), PMM_MEM_RESERVE, PMM_MEM_PRIVATE, (unsigned long long)peb,
                 PMM_PAGE_READWRITE);
        CHECK_STR(regions_as(&src, 1, got, sizeof got), want);
        const pmm_kdump_vad_row *row = pmm_kdump_vad_row_for(paging == KDB_X64 ? 8 : 4, s->nt_build);
        CHECK(row != NULL);
        if (row && row->layout.file_pointer) {
            CHECK(src.ops->mapped_file_name(src.impl, 0x405000, name, sizeof name) == PMM_OK);
            CHECK_STR(name, KS_EXPLORER_IMAGE);
            CHECK(src.ops->mapped_file_name(src.impl, 0x501000, name, sizeof name) == PMM_OK);
            CHECK_STR(name, KS_EXPLORER_VIEW);
        } else {   /* the builder wrote the names, but the row does not say where they are */
            CHECK(src.ops->mapped_file_name(src.impl, 0x405000, name, sizeof name) != PMM_OK);
            CHECK(note_with(&src, "views' file names are not read") != NULL);
        }
        CHECK(src.ops->mapped_file_name(src.impl, peb, name, sizeof name) != PMM_OK);
        CHECK(note_with(&src, "from the VAD tree: 3 VADs") != NULL);
        CHECK(note_with(&src, "not read whole") == NULL);
        if (flags & KS_BUILD_17763)   /* the 1809 rows, whose VadFlags put VadType at bit 0 */
            CHECK(note_with(&src, paging == KDB_X64 ? "Windows 10 1809" : "1803 and 1809 (x86)") != NULL);
        if (flags & KS_BUILD_18362)   /* the 1903 rows, x64 and x86 */
            CHECK(note_with(&src, paging == KDB_X64 ? "(offsets of Windows 10 1903 and 1909)"
                                                    : "(offsets of Windows 10 1903 and 1909 (x86))") != NULL);
        if (flags & KS_BUILD_22621)
            CHECK(note_with(&src, "(offsets of Windows 11 22H2 and 23H2)") != NULL);
        if (flags & KS_BUILD_10240)
            CHECK(note_with(&src, paging == KDB_X64 ? "(offsets of Windows 10 1507)"
                                                    : "(offsets of Windows 10 1507 (x86))") != NULL);
        pmm_source_close(&src);
    }
    free(buf.data);
    kscene_free(s);
}

/* Every VAD row names its source, covers builds the EPROCESS table has (the process list is read
 * first), overlaps no other row of its pointer size, and reads a node within NODE_BYTES. */
TEST_CASE(vad_rows_fit_the_eprocess_table)
{
    const pmm_kdump_vad_row *row, *other;
    size_t rows = 0;
    for (size_t i = 0; (row = pmm_kdump_vad_row_at(i)) != NULL; i++) {
        const pmm_kdump_vad_layout *l = &row->layout;
        CHECK(row->source && row->versions && l->root && row->first_build <= row->last_build);
        CHECK(pmm_kdump_layout_for(row->pointer_size, row->first_build) != NULL);
        CHECK(pmm_kdump_layout_for(row->pointer_size, row->last_build) != NULL);
        CHECK(l->subsection + row->pointer_size <= 0x100 && l->flags + l->flags_size <= 0x100);
        CHECK(l->vpn_size == 4 || l->vpn_size == 8);
        for (size_t j = i + 1; (other = pmm_kdump_vad_row_at(j)) != NULL; j++)
            CHECK(other->pointer_size != row->pointer_size || other->first_build > row->last_build ||
                  other->last_build < row->first_build);
        /* the node: children, range and flags inside MMVAD_SHORT, Subsection after it; the bit fields
         * inside their flags; CONTROL_AREA.FilePointer and FILE_OBJECT.FileName where a view's name is read */
        uint32_t ps = row->pointer_size, bits = 8 * l->flags_size;
        CHECK(l->left != l->right && l->left + ps <= l->starting_vpn && l->right + ps <= l->starting_vpn);
        CHECK(l->starting_vpn < l->ending_vpn && l->ending_vpn < l->flags && l->flags < l->subsection);
        CHECK(l->type_shift + 3u <= bits && l->protection_shift + 5u <= bits && l->private_shift < bits);
        CHECK(l->commit_shift < (l->commit_flags == l->flags ? bits : 32u));
        CHECK(l->fast_ref_bits == (ps == 8 ? 4u : 3u));
        CHECK(l->file_name == (ps == 8 ? 0x58u : 0x30u));
        CHECK(l->file_pointer == 0 || (l->file_pointer % ps == 0 && l->file_pointer < 0x80));
        CHECK(strlen(row->source) > 10);
        rows++;
    }
    CHECK(rows >= 20);
}

TEST_CASE(vad_tree_gives_allocations)
{
    for (size_t i = 0; i < sizeof pagings / sizeof pagings[0]; i++)
        for (int unmapped = 0; unmapped <= 1; unmapped++)   /* nodes read in place, or copied */
            check_vad_regions(pagings[i], 0, unmapped);
    for (size_t i = 0; i < sizeof pagings / sizeof pagings[0]; i++)   /* 1809: VadType at bit 0, PrivateMemory 14 */
        check_vad_regions(pagings[i], KS_BUILD_17763, 0);
    CHECK(pmm_kdump_vad_row_for(8, 18362) != pmm_kdump_vad_row_for(8, 19041));
    CHECK(pmm_kdump_vad_row_for(4, 18362) != pmm_kdump_vad_row_for(4, 17763));   /* x86 1903: its own row */
    CHECK(pmm_kdump_vad_row_for(4, 19045) && pmm_kdump_vad_row_for(4, 19045)->layout.root == 0x350);
    /* Windows 11 21H2: its own row (Vergilius 10.0.22000.194), PrivateMemory at bit 21 as on 22H2, not 2004's 20 */
    const pmm_kdump_vad_row *w11 = pmm_kdump_vad_row_for(8, 22000);
    CHECK(w11 != NULL && w11 != pmm_kdump_vad_row_for(8, 19045) && w11 != pmm_kdump_vad_row_for(8, 22621));
    CHECK(w11 && w11->layout.private_shift == 21 && pmm_kdump_vad_row_for(8, 19045)->layout.private_shift == 20);
    CHECK(w11 && strstr(w11->source, "10.0.22000") != NULL);
    /* 22H2 and 23H2 read views' names: CONTROL_AREA.FilePointer and FILE_OBJECT.FileName from Vergilius */
    const pmm_kdump_vad_row *w22 = pmm_kdump_vad_row_for(8, 22631);
    CHECK(w22 && w22 == pmm_kdump_vad_row_for(8, 22621) && w22->layout.file_pointer == 0x40);
    CHECK(w22 && strstr(w22->source, "10.0.22621.382") && strstr(w22->source, "10.0.22631.2428"));
    check_vad_regions(KDB_X64, KS_BUILD_18362, 0);   /* 1903 x64: VadRoot 0x658, the 2004 node and bits */
    check_vad_regions(KDB_X64, KS_BUILD_18362, 1);
    check_vad_regions(KDB_PAE, KS_BUILD_18362, 0);   /* 1903 x86: VadRoot 0x310, PrivateMemory bit 20 */
    check_vad_regions(KDB_X86, KS_BUILD_18362, 0);
    check_vad_regions(KDB_X64, KS_BUILD_22621, 0);   /* 22H2: PrivateMemory bit 21, views' names read */
    for (size_t i = 0; i < sizeof pagings / sizeof pagings[0]; i++)   /* 1507: VadRoot 0x608 / 0x284, PrivateMemory 15 */
        check_vad_regions(pagings[i], KS_BUILD_10240, 0);
    /* 1511 has rows of its own (VadRoot 0x610 on x64); 1909 reads with 1903's; 24H2 reads views' names */
    CHECK(pmm_kdump_vad_row_for(8, 10586) && pmm_kdump_vad_row_for(8, 10586)->layout.root == 0x610);
    CHECK(pmm_kdump_vad_row_for(4, 10586) && pmm_kdump_vad_row_for(4, 10586)->layout.root == 0x284);
    CHECK(pmm_kdump_vad_row_for(8, 18363) == pmm_kdump_vad_row_for(8, 18362));
    CHECK(pmm_kdump_vad_row_for(4, 18363) == pmm_kdump_vad_row_for(4, 18362));
    CHECK(pmm_kdump_vad_row_for(8, 26100) && pmm_kdump_vad_row_for(8, 26100)->layout.file_pointer == 0x40);
    CHECK(kscene_build_with(KDB_PAE, NULL, 0, KS_BUILD_22621) == NULL);   /* no x86 Windows 11 */
}

/* VADs one after another, each 2 read-write pages then 2 read-only (as bench_kdump_processes lays
 * them), one after a gap, one whose last 2 pages have no entries (x64 and PAE: with no-execute,
 * those pages' VAD protection is the entries' read-write, so the VAD is one region): each VAD's
 * regions start at its first page with its allocation, whether the VAD before ends right there or
 * not. */
static void check_adjacent_vads(uint32_t paging)
{
    enum { VADS = 7, PAGES = 4 };
    const uint64_t base = 0x10000000;
    kscene *s = kscene_build(paging, NULL, 0);
    ks_process *p = kscene_add_process(s, 9000, 4660, "adjacent.exe", 1);
    ks_vad vads[VADS];
    kdb_use_space(s->b, p->dtb);
    for (size_t i = 0; i < VADS; i++) {
        uint64_t start = base + (i * PAGES + (i >= 5 ? PAGES : 0)) * KDB_PAGE;   /* a gap before the sixth */
        vads[i] = (ks_vad){start, start + PAGES * KDB_PAGE, KS_VAD_PRIVATE, 0x04, 1, NULL};
        for (uint64_t page = 0; page < (i == 6 ? 2u : (unsigned)PAGES); page++)
            kdb_map(s->b, start + page * KDB_PAGE, kdb_new_page(s->b) * KDB_PAGE, KDB_PAGE,
                    KDB_PRESENT | KDB_USER | KDB_NX | (page < 2 ? KDB_WRITE : 0));
    }
    kdb_use_space(s->b, 0);
    kscene_write_vads(s, p, vads, VADS, 0);
    kscene_relink(s);
    kdb_buffer buf;
    pmm_kdump *dump = write_and_open(s, &buf);
    pmm_kdump_process_list list;
    char message[256], got[2048], want[2048];
    pmm_source src;
    memset(&src, 0, sizeof src);
    int ambiguous;
    const pmm_kdump_process *found = NULL;
    if (dump && pmm_kdump_processes(dump, &list, message, sizeof message) == PMM_OK) {
        found = pmm_kdump_find_process(&list, "9000", &ambiguous);
        CHECK(found && pmm_kdump_process_source_wrap(dump, "t.dmp", found, &list, &src, message,
                                                     sizeof message) == PMM_OK);
        pmm_kdump_process_list_free(&list);
    }
    if (src.ops) {
        size_t used = 0;
        for (size_t i = 0; i < VADS; i++) {   /* the last VAD's pages without entries have its protection */
            unsigned long long start = vads[i].start;
            used += (size_t)snprintf(want + used, sizeof want - used, "%s0x%llx+0x%x:%x:%x:%x:0x%llx:%x", i ? " " : "",
                                     start, i == 6 ? 0x4000 : 0x2000, PMM_MEM_COMMIT, PMM_PAGE_READWRITE,
                                     PMM_MEM_PRIVATE, start, PMM_PAGE_READWRITE);
            if (i != 6)
                used += (size_t)snprintf(want + used, sizeof want - used, " 0x%llx+0x2000:%x:%x:%x:0x%llx:%x",
                                         start + 0x2000, PMM_MEM_COMMIT, PMM_PAGE_READONLY, PMM_MEM_PRIVATE, start,
                                         PMM_PAGE_READWRITE);
        }
        CHECK_STR(regions_as(&src, 1, got, sizeof got), want);
        pmm_source_close(&src);
    } else {
        CHECK(src.ops != NULL);
        pmm_kdump_close(dump);
    }
    free(buf.data);
    kscene_free(s);
}

TEST_CASE(adjacent_vads_each_start_a_region)
{
    check_adjacent_vads(KDB_X64);
    check_adjacent_vads(KDB_PAE);
}

/* The regions' types, spaced: 'I', 'M', 'P', or '-' for none. */
static const char *types_of(pmm_source *src, char *buf, size_t cap)
{
    pmm_region_info r;
    uint64_t at = 0;
    size_t used = 0;
    while (used + 1 < cap && pmm_source_query(src, at, &r) == PMM_OK) {
        buf[used++] = r.type == PMM_MEM_IMAGE ? 'I' : r.type == PMM_MEM_MAPPED ? 'M' : r.type ? 'P' : '-';
        at = r.base + r.size;
    }
    buf[used] = '\0';
    return buf;
}

/* A damaged tree: the problem in the notes, the VADs that could be read used, the rest of the map
 * page-table runs. */
static void check_damaged_vads(uint32_t paging, uint32_t damage, int left_self_loop, const char *problem,
                               const char *types)
{
    kscene *s = kscene_build(paging, NULL, 0);
    kscene_add_explorer_vads(s, damage);
    if (left_self_loop)   /* the root's left child is the root: an endless descent */
        put_pointer(s, s->processes[2].vad_root + (paging == KDB_X64 ? 0 : 4), s->processes[2].vad_root);
    kdb_buffer buf;
    pmm_source src;
    char got[64];
    CHECK(open_explorer(s, &buf, &src));
    if (src.ops) {
        CHECK_STR(types_of(&src, got, sizeof got), types);
        const char *note = note_with(&src, "VAD tree not read whole");
        CHECK(note && strstr(note, problem));
        if (!note || !strstr(note, problem))
            fprintf(stderr, "note: %s\n", note ? note : "(none)");
        pmm_source_close(&src);
    }
    free(buf.data);
    kscene_free(s);
}

/* Windows Server 2022 (20348): no layout of its own ETHREAD or EPROCESS.VadRoot was found (MemProcFS
 * reads its VAD flags at Windows 11's positions, so the 2004 rows are not assumed), so the tables give
 * it processes (the 2004 to 23H2 EPROCESS row) but no thread or VAD row. A builder-made 20348 dump
 * without ETHREADs or a VAD tree lists its processes with the table's offsets, and says why its
 * threads and VADs are not read: no known layout validates (test_kdump_inference.c reads them when
 * the scene lays Windows 11's). */
TEST_CASE(server_2022_lists_processes_but_not_threads_or_vads)
{
    CHECK(pmm_kdump_layout_for(8, 20348) != NULL && pmm_kdump_layout_for(8, 20348) == pmm_kdump_layout_for(8, 19041));
    CHECK(pmm_kdump_layout_for(8, 20348) && strstr(pmm_kdump_layout_for(8, 20348)->versions, "Server 2022") != NULL);
    CHECK(pmm_kdump_thread_layout_for(8, 20348) == NULL);
    CHECK(pmm_kdump_vad_row_for(8, 20348) == NULL);
    CHECK(kscene_build_with(KDB_PAE, NULL, 0, KS_BUILD_20348) == NULL);   /* Server 2022 is x64 only */
    check_list(KDB_X64, KS_BUILD_20348);
    kscene *s = kscene_build_with(KDB_X64, NULL, 0, KS_BUILD_20348);
    CHECK(s != NULL && s->nt_build == 20348);
    if (!s)
        return;
    kdb_buffer buf;
    pmm_kdump *dump = write_and_open(s, &buf);
    pmm_kdump_process_list list;
    char message[256];
    pmm_source src;
    memset(&src, 0, sizeof src);
    CHECK(dump && pmm_kdump_processes(dump, &list, message, sizeof message) == PMM_OK);
    if (dump) {
        CHECK(!list.inferred && list.row == pmm_kdump_layout_for(8, 20348));
        CHECK(pmm_kdump_process_source_wrap(dump, "t.dmp", &list.processes[2], &list, &src, message,
                                            sizeof message) == PMM_OK);
        pmm_kdump_process_list_free(&list);
    }
    if (src.ops) {
        pmm_thread_info *threads = NULL;
        size_t count = 0;
        CHECK_EQ_U64(src.ops->threads(src.impl, &threads, &count), PMM_ERR_NOT_PROVIDED);
        CHECK_EQ_U64(count, 0);
        free(threads);
        char got[1024];
        regions_as(&src, 0, got, sizeof got);   /* the map, by page-table runs */
        CHECK(note_with(&src, "the VAD tree was not read (the layout table has no VAD offsets for build 20348") != NULL);
        CHECK(note_with(&src, "(64-bit); VAD offsets not inferred: no known VadRoot offset and node layout") != NULL);
        CHECK(note_with(&src, "thread offsets not inferred: no sampled process's thread list held a thread") != NULL);
        CHECK(note_with(&src, "from the VAD tree") == NULL);
        pmm_source_close(&src);
    }
    free(buf.data);
    kscene_free(s);
}

TEST_CASE(vad_trees_that_loop_or_leave_the_dump)
{
    for (size_t i = 0; i < sizeof pagings / sizeof pagings[0]; i++) {
        check_damaged_vads(pagings[i], KS_VAD_LOOP, 0, "out of address order", "IIIIMMPP");
        check_damaged_vads(pagings[i], KS_VAD_OUTSIDE, 0, "is not in the dump: its subtree is not known", "---MMPP");
        check_damaged_vads(pagings[i], 0, 1, "deeper than 96", "-----");
    }
}

CHECK_MAIN(CASE(vad_rows_fit_the_eprocess_table), CASE(vad_tree_gives_allocations), CASE(vad_trees_that_loop_or_leave_the_dump), CASE(adjacent_vads_each_start_a_region),
           CASE(server_2022_lists_processes_but_not_threads_or_vads), CASE(a_process_as_a_source), CASE(thread_lists_that_loop), CASE(process_tables_that_point_at_themselves), CASE(processes_that_cannot_be_mapped), CASE(lists_with_table_offsets), CASE(lists_with_inferred_offsets), CASE(table_row_that_does_not_fit),
           CASE(lists_that_cycle_or_break), CASE(lists_that_cannot_be_read), CASE(processes_found_by_pid_or_name))
