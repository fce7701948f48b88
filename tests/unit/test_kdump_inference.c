/* Thread and VAD offsets inferred by validation (core/formats/kdump_inference.h), in kernel dumps
 * the builder writes (tests/kdump): a Server 2022 (20348) dump, whose build the ETHREAD and VAD
 * tables lack, laid with Windows 11 22H2's ETHREADs and VAD trees, reads the threads and VADs the
 * same scene gives under build 22621 (whose rows the tables have) and says they were inferred; a
 * scene whose structures fit no known layout, or contradict one, says "not inferred" and why while
 * its processes are still listed; thread lists and VAD trees that loop stay bounded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "core/adapters/kdump_kernel_source.h"
#include "core/formats/kdump.h"
#include "core/formats/kdump_inference.h"
#include "core/formats/kdump_processes.h"
#include "core/formats/kdump_threads.h"
#include "core/formats/kdump_vad.h"
#include "core/tools/kdump_report.h"
#include "../kdump/kdump_scene.h"
#include "../kdump/kdump_vads.h"

#define SERVER_2022 (KS_BUILD_20348 | KS_LAYS_22621_STRUCTURES)

/* The scene with threads on three processes (smss, explorer, notepad) and VAD trees on two
 * (explorer's, and notepad's image over its page at 0x400000 with its PEB's private memory). */
static kscene *scene_on(uint32_t paging, uint32_t flags, uint32_t vad_damage)
{
    kscene *s = kscene_build_with(paging, NULL, 0, flags);
    if (!s)
        return NULL;
    int wide = paging == KDB_X64;
    kscene_add_thread(s, &s->processes[1], 392, wide ? 0x000000B000001000ull : 0x7FFDE000u,
                      wide ? 0x7FF600001000ull : 0x77001000u);
    kscene_add_thread(s, &s->processes[1], 396, wide ? 0x000000B000003000ull : 0x7FFDD000u,
                      wide ? 0x7FF600002000ull : 0x77002000u);
    kscene_add_thread(s, &s->processes[3], 6016, wide ? 0x000000C000001000ull : 0x7FFDC000u,
                      wide ? 0x7FF700001000ull : 0x77003000u);
    if (!wide) {   /* x64 scenes give explorer two threads; x86 ones none */
        kscene_add_thread(s, &s->processes[2], 4664, 0x7FFDB000u, 0x00401000u);
        kscene_add_thread(s, &s->processes[2], 4700, 0x7FFDA000u, 0x77004000u);
    }
    ks_process *notepad = &s->processes[3];
    const ks_vad vads[] = {
        {0x400000, 0x401000, KS_VAD_IMAGE, 0x80, 0, "\\Device\\HarddiskVolume2\\Windows\\notepad.exe"},
        {notepad->peb, notepad->peb + 0x1000, KS_VAD_PRIVATE, 0x04, 1, NULL},
    };
    kscene_write_vads(s, notepad, vads, 2, 0);
    kscene_add_explorer_vads(s, vad_damage);   /* relinks */
    return s;
}

static kscene *scene_with_structures(uint32_t flags, uint32_t vad_damage)
{
    return scene_on(KDB_X64, flags, vad_damage);
}

typedef struct opened {
    kdb_buffer buf;
    pmm_kdump *dump;
    pmm_kdump_process_list list;
    pmm_kdump_thread_choice threads;
    pmm_kdump_vad_choice vads;
} opened;

/* Writes the scene (a Bitmap dump), lists its processes and chooses the thread and VAD offsets. */
static int open_scene(kscene *s, opened *o)
{
    char message[512] = "";
    memset(o, 0, sizeof *o);
    int ok = kdb_write(s->b, kdb_paging_of(s->b) == KDB_X64 ? 5 : 2, kdb_sink_buffer(&o->buf)) == 0 &&
             pmm_kdump_open_memory(o->buf.data, o->buf.len, &o->dump, message, sizeof message) == PMM_OK &&
             pmm_kdump_processes(o->dump, &o->list, message, sizeof message) == PMM_OK;
    CHECK(ok);
    if (!ok)
        return 0;
    CHECK_EQ_U64(pmm_kdump_choose_thread_offsets(o->dump, &o->list, &o->threads), PMM_OK);
    CHECK_EQ_U64(pmm_kdump_choose_vad_offsets(o->dump, &o->list, &o->vads), PMM_OK);
    return 1;
}

static void close_scene(opened *o)
{
    pmm_kdump_process_list_free(&o->list);
    pmm_kdump_close(o->dump);
    free(o->buf.data);
}

/* The threads of each listed process under a and under b are the same ETHREADs with the same fields. */
static void check_same_threads(opened *a, opened *b)
{
    CHECK_EQ_U64(a->list.count, b->list.count);
    size_t with_threads = 0;
    for (size_t i = 0; i < a->list.count && i < b->list.count; i++) {
        pmm_kdump_thread *ta = NULL, *tb = NULL;
        size_t na = 0, nb = 0;
        char problem[256];
        CHECK_EQ_U64(pmm_kdump_threads(a->dump, &a->threads.offsets, a->list.processes[i].eprocess, &ta, &na, problem,
                                       sizeof problem), PMM_OK);
        CHECK_EQ_U64(pmm_kdump_threads(b->dump, &b->threads.offsets, b->list.processes[i].eprocess, &tb, &nb, problem,
                                       sizeof problem), PMM_OK);
        CHECK_EQ_U64(na, nb);
        with_threads += na > 0;
        for (size_t k = 0; k < na && k < nb; k++) {
            CHECK_EQ_U64(ta[k].ethread, tb[k].ethread);
            CHECK_EQ_U64(ta[k].pid, tb[k].pid);
            CHECK_EQ_U64(ta[k].tid, tb[k].tid);
            CHECK_EQ_U64(ta[k].teb, tb[k].teb);
            CHECK_EQ_U64(ta[k].start_address, tb[k].start_address);
            CHECK_EQ_U64(ta[k].stack_limit, tb[k].stack_limit);
            CHECK_EQ_U64(ta[k].stack_base, tb[k].stack_base);
            CHECK_EQ_U64(ta[k].initial_stack, tb[k].initial_stack);
            CHECK_EQ_U64(ta[k].trap_frame, tb[k].trap_frame);
        }
        free(ta);
        free(tb);
    }
    CHECK_EQ_U64(with_threads, 3);   /* smss, explorer, notepad */
}

/* The VADs of each listed process under a and under b: the same ranges, types, protections,
 * commitment and file names. */
static void check_same_vads(opened *a, opened *b)
{
    size_t with_vads = 0;
    CHECK(pmm_kdump_vad_choice_row(&a->vads) != NULL && pmm_kdump_vad_choice_row(&b->vads) != NULL);
    if (!pmm_kdump_vad_choice_row(&a->vads) || !pmm_kdump_vad_choice_row(&b->vads))
        return;
    for (size_t i = 1; i < a->list.count && i < b->list.count; i++) {   /* System has no user space */
        pmm_kdump_vad_list va, vb;
        char message[256];
        uint64_t top = pmm_kdump_pointer_size(a->dump) == 8 ? 0x7FFFFFFF0000ull : 0x7FFF0000ull;
        pmm_status sa = pmm_kdump_vads_with(a->dump, pmm_kdump_vad_choice_row(&a->vads), a->list.processes[i].eprocess,
                                            top, &va, message, sizeof message);
        pmm_status sb = pmm_kdump_vads_with(b->dump, pmm_kdump_vad_choice_row(&b->vads), b->list.processes[i].eprocess,
                                            top, &vb, message, sizeof message);
        CHECK_EQ_U64(sa, sb);
        CHECK_EQ_U64(va.count, vb.count);
        with_vads += va.count > 0;
        for (size_t k = 0; k < va.count && k < vb.count; k++) {
            CHECK_EQ_U64(va.vads[k].start, vb.vads[k].start);
            CHECK_EQ_U64(va.vads[k].end, vb.vads[k].end);
            CHECK_EQ_U64(va.vads[k].type, vb.vads[k].type);
            CHECK_EQ_U64(va.vads[k].protect, vb.vads[k].protect);
            CHECK_EQ_U64((uint64_t)va.vads[k].committed, (uint64_t)vb.vads[k].committed);
            CHECK_STR(va.vads[k].name ? va.vads[k].name : "(none)", vb.vads[k].name ? vb.vads[k].name : "(none)");
        }
        pmm_kdump_vad_list_free(&va);
        pmm_kdump_vad_list_free(&vb);
    }
    CHECK_EQ_U64(with_vads, 2);   /* explorer, notepad */
}

typedef struct text_buffer {
    char data[16384];
    size_t len;
} text_buffer;

static size_t to_buffer(void *ctx, const char *data, size_t len)
{
    text_buffer *t = ctx;
    size_t room = sizeof t->data - 1 - t->len, n = len < room ? len : room;
    memcpy(t->data + t->len, data, n);
    t->len += n;
    t->data[t->len] = '\0';
    return len;
}

/* `pmm kdump --processes` of the scene, as text and as JSON, into text and json. */
static void report_of(kscene *s, text_buffer *text, text_buffer *json)
{
    kdb_buffer buf;
    pmm_kdump *dump = NULL;
    pmm_kdump_report report;
    pmm_kdump_request request;
    char message[256];
    memset(&buf, 0, sizeof buf);
    memset(&request, 0, sizeof request);
    request.processes = 1;
    text->len = json->len = 0;
    text->data[0] = json->data[0] = '\0';
    if (kdb_write(s->b, 5, kdb_sink_buffer(&buf)) != 0 ||
        pmm_kdump_open_memory(buf.data, buf.len, &dump, message, sizeof message) != PMM_OK) {
        CHECK(!"the scene could not be written and opened");
        free(buf.data);
        return;
    }
    CHECK_EQ_U64(pmm_kdump_report_load(dump, "t.dmp", &report), PMM_OK);
    CHECK_EQ_U64(pmm_kdump_report_load_processes(&report), PMM_OK);
    pmm_out out = {to_buffer, text, 0};
    pmm_kdump_report_write_text(&report, &request, &out);
    pmm_out jout = {to_buffer, json, 0};
    pmm_kdump_report_write_json(&report, &request, &jout);
    pmm_kdump_report_free(&report);
    pmm_kdump_close(dump);
    free(buf.data);
}

/* The JSON without the whitespace between its tokens (strings kept as they are). */
static void compact(text_buffer *json)
{
    size_t to = 0;
    int in_string = 0;
    for (size_t i = 0; i < json->len; i++) {
        char c = json->data[i];
        if (in_string && c == '\\' && i + 1 < json->len) {
            json->data[to++] = c;
            json->data[to++] = json->data[++i];
            continue;
        }
        if (c == '"')
            in_string = !in_string;
        if (in_string || (c != ' ' && c != '\n'))
            json->data[to++] = c;
    }
    json->len = to;
    json->data[to] = '\0';
}

static const char *note_with(pmm_source *src, const char *text)
{
    const char *note;
    for (size_t i = 0; (note = src->ops->note(src->impl, i)) != NULL; i++)
        if (strstr(note, text))
            return note;
    return NULL;
}

TEST_CASE(server_2022_threads_and_vads_inferred_as_windows_11s)
{
    CHECK(pmm_kdump_thread_layout_for(8, 20348) == NULL && pmm_kdump_vad_row_for(8, 20348) == NULL);
    CHECK(kscene_build_with(KDB_X64, NULL, 0, KS_LAYS_22621_STRUCTURES) == NULL);   /* only with 20348 */
    kscene *known = scene_with_structures(KS_BUILD_22621, 0), *unknown = scene_with_structures(SERVER_2022, 0);
    CHECK(known && unknown && unknown->nt_build == 20348);
    opened a, b;
    if (known && unknown && open_scene(known, &a)) {
        if (open_scene(unknown, &b)) {
            CHECK(!a.threads.inferred && a.threads.row == pmm_kdump_thread_layout_for(8, 22621));
            CHECK(!a.vads.inferred && a.vads.table_row == pmm_kdump_vad_row_for(8, 22621));
            CHECK_STR(a.threads.inference, "");
            CHECK(b.threads.inferred && b.vads.inferred && b.vads.known);
            CHECK(strstr(b.threads.inference, "thread offsets inferred: the ETHREAD layout of builds 22000 to 22631 "
                                              "validated on 3 processes (ThreadListHead 0x5e0)") != NULL);
            CHECK(strstr(b.vads.inference, "VAD offsets inferred: the VAD layout of Windows 11 21H2 (VadRoot 0x7d8) "
                                           "validated on 2 processes") != NULL);
            if (strstr(b.threads.inference, "not") || strstr(b.vads.inference, "not inferred"))
                fprintf(stderr, "%s\n%s\n", b.threads.inference, b.vads.inference);
            check_same_threads(&a, &b);
            check_same_vads(&a, &b);
            close_scene(&b);
        }
        close_scene(&a);
    }
    if (unknown) {   /* the text and JSON of `pmm kdump --processes` say it */
        text_buffer *text = malloc(sizeof *text), *json = malloc(sizeof *json);
        if (text && json) {
            report_of(unknown, text, json);
            compact(json);
            CHECK(strstr(text->data, "\n  thread offsets inferred: the ETHREAD layout of builds 22000 to 22631") != NULL);
            CHECK(strstr(text->data, "\n  VAD offsets inferred: the VAD layout of Windows 11 21H2") != NULL);
            CHECK(strstr(text->data, "crashed here: thread 4700") != NULL);   /* found with the inferred offsets */
            CHECK(strstr(json->data, "\"thread_offsets\":{\"origin\":\"inferred\",\"first_build\":22000,"
                                     "\"last_build\":22631,\"inference\":\"thread offsets inferred") != NULL);
            CHECK(strstr(json->data, "\"vad_offsets\":{\"origin\":\"inferred\",\"first_build\":22000") != NULL);
        }
        free(text);
        free(json);
    }
    kscene_free(known);
    kscene_free(unknown);
}

static void write_pointer(kscene *s, uint64_t va, uint64_t value)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(value >> (8 * i));
    kdb_use_space(s->b, 0);
    kdb_write_virtual(s->b, va, b, 8);
}

/* A made-up later build no table has: its process offsets are inferred, so ThreadListHead is
 * looked for among the known EPROCESS rows' too; threads and VADs as under 22621. */
TEST_CASE(future_build_threads_and_vads_inferred_after_its_process_offsets)
{
    kscene *known = scene_with_structures(KS_BUILD_22621, 0);
    kscene *future = scene_with_structures(KS_BUILD_FUTURE | KS_LAYS_22621_STRUCTURES, 0);
    CHECK(known && future && future->nt_build == 30100);
    if (future)   /* System's VadRoot holds what no tree is: System has no user space, so it is not judged */
        write_pointer(future, future->processes[0].eprocess + 0x7D8, 0x1234);
    opened a, b;
    if (known && future && open_scene(known, &a)) {
        if (open_scene(future, &b)) {
            CHECK(b.list.inferred && b.list.layout.thread_list_head == 0);
            CHECK(b.threads.inferred && b.vads.inferred);
            CHECK(strstr(b.threads.inference, "thread offsets inferred: the ETHREAD layout of builds 22000 to 22631 "
                                              "validated on 3 processes (ThreadListHead 0x5e0)") != NULL);
            CHECK(strstr(b.vads.inference, "VAD offsets inferred: the VAD layout of Windows 11 21H2 (VadRoot 0x7d8) "
                                           "validated on 2 processes") != NULL);
            check_same_threads(&a, &b);
            check_same_vads(&a, &b);
            close_scene(&b);
        }
        close_scene(&a);
    }
    kscene_free(known);
    kscene_free(future);
}

/* x86 (PAE and not): a made-up build laid with Windows 7's EPROCESS, ETHREADs and VAD trees (an
 * MM_AVL_TABLE whose BalancedRoot.RightChild is the root): read as the same scene under 7601. */
TEST_CASE(x86_future_build_inferred_as_windows_7s)
{
    const uint32_t pagings[] = {KDB_PAE, KDB_X86};
    for (size_t p = 0; p < 2; p++) {
        kscene *known = scene_on(pagings[p], 0, 0), *future = scene_on(pagings[p], KS_BUILD_FUTURE, 0);
        opened a, b;
        CHECK(known && future && known->nt_build == 7601 && future->nt_build == 30100);
        if (known && future && open_scene(known, &a)) {
            if (open_scene(future, &b)) {
                CHECK(!a.threads.inferred && !a.vads.inferred && b.list.inferred);
                CHECK(strstr(b.threads.inference, "thread offsets inferred: the ETHREAD layout of build 7601 "
                                                  "validated on 3 processes (ThreadListHead 0x188)") != NULL);
                CHECK(strstr(b.vads.inference, "VAD offsets inferred: the VAD layout of Windows 7 (x86) (VadRoot "
                                               "0x280) validated on 2 processes") != NULL);
                if (!b.threads.inferred || !b.vads.inferred)
                    fprintf(stderr, "%s\n%s\n", b.threads.inference, b.vads.inference);
                check_same_threads(&a, &b);
                check_same_vads(&a, &b);
                close_scene(&b);
            }
            close_scene(&a);
        }
        kscene_free(known);
        kscene_free(future);
    }
}

/* explorer.exe of the Server 2022 scene as a source (`pmm map DUMP --process explorer.exe`): its
 * threads and its map from the VAD tree, with notes that say the offsets were inferred. */
TEST_CASE(server_2022_process_source_reads_inferred_threads_and_vads)
{
    kscene *s = scene_with_structures(SERVER_2022, 0);
    opened o;
    uint64_t gpr[16];
    for (int i = 0; i < 16; i++)
        gpr[i] = 0x1000 * (uint64_t)(i + 1) + 7;
    if (s) {   /* 4664's user-mode registers in a trap frame, found through the inferred KTHREAD offsets */
        kscene_set_user_context(s, &s->processes[2].listed[0], gpr, 0x7FF712345678ull);
        kscene_relink(s);
    }
    if (!s || !open_scene(s, &o)) {
        kscene_free(s);
        return;
    }
    pmm_source src;
    char message[256];
    memset(&src, 0, sizeof src);
    CHECK_EQ_U64(pmm_kdump_process_source_wrap(o.dump, "t.dmp", &o.list.processes[2], &o.list, &src, message,
                                               sizeof message), PMM_OK);
    o.dump = NULL;   /* the source owns it */
    if (src.ops) {
        pmm_thread_info *threads = NULL;
        size_t count = 0;
        CHECK_EQ_U64(src.ops->threads(src.impl, &threads, &count), PMM_OK);
        CHECK_EQ_U64(count, 2);
        if (count == 2) {
            CHECK_EQ_U64(threads[0].tid, 4664);
            CHECK_EQ_U64(threads[0].teb, 0x000000A000021000ull);
            CHECK_EQ_U64(threads[0].context.ip, 0x7FF712345678ull);
            CHECK_EQ_U64(threads[0].context.gpr[4], gpr[4]);   /* rsp */
            CHECK_EQ_U64(threads[1].context.arch, 0);          /* no trap frame */
            CHECK_EQ_U64(threads[1].tid, 4700);
            CHECK_EQ_U64(threads[1].start_address, 0x7FFB00011230ull);
        }
        free(threads);
        CHECK(note_with(&src, "from the VAD tree: 3 VADs (offsets of build 20348, inferred from the VAD layout of "
                              "Windows 11 21H2)") != NULL);
        CHECK(note_with(&src, "thread offsets inferred: the ETHREAD layout of builds 22000 to 22631") != NULL);
        CHECK(note_with(&src, "the VAD tree was not read") == NULL);
        pmm_source_close(&src);
    }
    close_scene(&o);
    kscene_free(s);
}


#define ETHREAD_22621_CID 0x4C8u
#define ETHREAD_22621_LIST_ENTRY 0x538u

/* Structures that fit no known layout, or contradict the one they follow: nothing inferred, the
 * reason said, the processes listed all the same. */
TEST_CASE(inference_refused_with_the_reason)
{
    /* Server 2022 as the builder lays it without structures: empty thread lists, no VadRoot. */
    kscene *s = kscene_build_with(KDB_X64, NULL, 0, KS_BUILD_20348);
    opened o;
    if (s && open_scene(s, &o)) {
        CHECK_EQ_U64(o.list.count, 5);
        CHECK(!o.threads.inferred && o.threads.offsets.thread_list_head == 0);
        CHECK_STR(o.threads.inference, "thread offsets not inferred: no sampled process's thread list held a thread "
                                       "that a known ETHREAD layout reads");
        CHECK(!o.vads.inferred && !o.vads.known && pmm_kdump_vad_choice_row(&o.vads) == NULL);
        CHECK_STR(o.vads.inference, "VAD offsets not inferred: no known VadRoot offset and node layout give a sampled "
                                    "process a VAD tree with an image and private memory in order");
        close_scene(&o);
    }
    kscene_free(s);
    /* notepad's thread says it belongs to another process; explorer's image VAD is read-only. */
    s = scene_with_structures(SERVER_2022, 0);
    if (s) {
        write_pointer(s, s->processes[3].listed[0].ethread + ETHREAD_22621_CID, 4660);
        if (open_scene(s, &o)) {
            CHECK_EQ_U64(o.list.count, 5);
            CHECK(!o.threads.inferred && o.threads.offsets.thread_list_head == 0);
            CHECK(strstr(o.threads.inference, "thread offsets not inferred: no known ETHREAD layout validated (the "
                                              "closest, that of builds 22000 to 22631 with ThreadListHead 0x5e0, "
                                              "validated on 2 processes, then: ETHREAD") != NULL);
            CHECK(strstr(o.threads.inference, "on the list of pid 6012 has Cid.UniqueProcess 4660") != NULL);
            CHECK(o.vads.inferred);   /* the VADs are sound */
            close_scene(&o);
        }
    }
    kscene_free(s);
}

/* explorer's image VAD with a protection no image view has: no layout validates. */
TEST_CASE(vad_inference_refused_when_an_image_view_is_not_execute_writecopy)
{
    kscene *s = kscene_build_with(KDB_X64, NULL, 0, SERVER_2022);
    opened o;
    if (!s)
        return;
    const ks_vad vads[] = {
        {0x400000, 0x408000, KS_VAD_IMAGE, 0x02, 0, KS_EXPLORER_IMAGE},
        {s->processes[2].peb, s->processes[2].peb + 0x4000, KS_VAD_PRIVATE, 0x04, 0, NULL},
    };
    const ks_vad notepad[] = {
        {0x400000, 0x401000, KS_VAD_IMAGE, 0x80, 0, NULL},
        {s->processes[3].peb, s->processes[3].peb + 0x1000, KS_VAD_PRIVATE, 0x04, 1, NULL},
    };
    kscene_write_vads(s, &s->processes[2], vads, 2, 0);
    kscene_write_vads(s, &s->processes[3], notepad, 2, 0);
    kscene_relink(s);
    if (open_scene(s, &o)) {
        CHECK(!o.vads.inferred && !o.vads.known);
        CHECK(strstr(o.vads.inference, "VAD offsets not inferred: no known VAD layout validated (the closest, the VAD "
                                       "layout of ") != NULL);
        CHECK(strstr(o.vads.inference, "validated on 0 processes, then: pid 4660's VAD at 0x") != NULL);
        CHECK(strstr(o.vads.inference, "has VadType 2, protection 0x1, not private") != NULL);
        close_scene(&o);
    }
    kscene_free(s);
}

/* A thread list that cycles without coming back to its head, and a VAD tree whose last node leads
 * back to its root: each judged in bounded steps, refused with why. */
TEST_CASE(looping_structures_stay_bounded)
{
    kscene *s = scene_with_structures(SERVER_2022, KS_VAD_LOOP);
    opened o;
    if (!s)
        return;
    const ks_thread *t = s->processes[2].listed;   /* explorer's second thread leads back to its first */
    write_pointer(s, t[1].ethread + ETHREAD_22621_LIST_ENTRY, t[0].ethread + ETHREAD_22621_LIST_ENTRY);
    if (open_scene(s, &o)) {
        CHECK_EQ_U64(o.list.count, 5);
        CHECK(!o.threads.inferred);
        CHECK(strstr(o.threads.inference, "the thread list of pid 4660 cycles without returning to its head") != NULL);
        CHECK(!o.vads.inferred);
        CHECK(strstr(o.vads.inference, "pid 4660's VAD at") != NULL &&
              strstr(o.vads.inference, "out of address order") != NULL);
        close_scene(&o);
    }
    kscene_free(s);
}

CHECK_MAIN(CASE(server_2022_threads_and_vads_inferred_as_windows_11s),
           CASE(server_2022_process_source_reads_inferred_threads_and_vads),
           CASE(future_build_threads_and_vads_inferred_after_its_process_offsets),
           CASE(x86_future_build_inferred_as_windows_7s), CASE(inference_refused_with_the_reason),
           CASE(vad_inference_refused_when_an_image_view_is_not_execute_writecopy),
           CASE(looping_structures_stay_bounded))
