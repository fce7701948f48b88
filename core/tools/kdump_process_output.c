/* `pmm kdump --processes`: the process list as text and as the "processes" object of pmm-kdump
 * JSON. Fields the offsets do not give (an inferred layout) are "unknown" / null, never zero. */
#include "kdump_report.h"

#include <inttypes.h>
#include <stdio.h>
#include "minidump_report.h"
#include "../util/text.h"

/* FILETIME of 1970-01-01 in 100 ns units. */
#define FILETIME_UNIX_EPOCH 116444736000000000ull

static const char *created_text(const pmm_kdump_process *p, char *buf, size_t cap)
{
    if (!(p->known & PMM_KDUMP_PROCESS_CREATE_TIME))
        return "unknown";
    if (p->create_time < FILETIME_UNIX_EPOCH)
        return "not recorded";
    return pmm_md_time_text((p->create_time - FILETIME_UNIX_EPOCH) / 10000000u, buf, cap);
}

static const char *bits_text(const pmm_kdump_process *p, uint32_t ps)
{
    if (ps == 4)
        return "32";
    if (!(p->known & PMM_KDUMP_PROCESS_WOW64))
        return "?";
    return p->wow64 ? "32" : "64";
}

static void write_offsets_text(const pmm_kdump_process_list *list, pmm_out *out)
{
    if (list->inferred)
        pmm_out_printf(out, "  %s\n", list->inference);
    else
        pmm_out_printf(out, "  offsets of %s (builds %u to %u), from %s\n", list->row->versions,
                       list->row->first_build, list->row->last_build, list->row->source);
}

/* Where threads and VADs are read from: said when it was inferred or tried (the table's rows are
 * not repeated for every dump). */
static void write_structure_offsets_text(const pmm_kdump_report *r, pmm_out *out)
{
    if (r->threads.inference[0])
        pmm_out_printf(out, "  %s\n", r->threads.inference);
    if (r->vads.inference[0])
        pmm_out_printf(out, "  %s\n", r->vads.inference);
}

/* "thread_offsets" / "vad_offsets": origin (table, inferred, none), the build range of the table's
 * or the matched row (null when none), inference (null when the table gave them). */
static void write_choice_json(pmm_json *j, const char *key, int known, int inferred, uint32_t first, uint32_t last,
                              const char *inference)
{
    pmm_json_key(j, key);
    pmm_json_begin_object(j);
    pmm_json_kv_string(j, "origin", inferred ? "inferred" : known ? "table" : "none");
    pmm_json_key(j, "first_build");
    if (known)
        pmm_json_uint(j, first);
    else
        pmm_json_null(j);
    pmm_json_key(j, "last_build");
    if (known)
        pmm_json_uint(j, last);
    else
        pmm_json_null(j);
    pmm_json_key(j, "inference");
    if (inference[0])
        pmm_json_string(j, inference);
    else
        pmm_json_null(j);
    pmm_json_end_object(j);
}

static void write_structure_offsets_json(pmm_json *j, const pmm_kdump_report *r)
{
    const pmm_kdump_thread_choice *t = &r->threads;
    const pmm_kdump_vad_row *v = r->vads.inferred ? r->vads.matched : pmm_kdump_vad_choice_row(&r->vads);
    int threads_known = t->offsets.thread_list_head != 0 && t->row;
    write_choice_json(j, "thread_offsets", threads_known, t->inferred, threads_known ? t->row->first_build : 0,
                      threads_known ? t->row->last_build : 0, t->inference);
    write_choice_json(j, "vad_offsets", v != NULL, r->vads.inferred, v ? v->first_build : 0, v ? v->last_build : 0,
                      r->vads.inference);
}

/* Whether p is the process of the thread running at the crash. */
static int crashed_in(const pmm_kdump_report *r, const pmm_kdump_process *p)
{
    return r->crash.found && r->crash.pid == p->pid;
}

static void write_crash_text(const pmm_kdump_report *r, pmm_out *out)
{
    const pmm_kdump_crash_thread *c = &r->crash;
    const pmm_kdump_process *p = NULL;
    for (size_t i = 0; c->found && i < r->processes.count; i++)
        if (r->processes.processes[i].pid == c->pid)
            p = &r->processes.processes[i];
    if (c->found)
        pmm_out_printf(out, "* crashed here: thread %" PRIu64 " (ETHREAD 0x%" PRIx64 ") of %s (pid %" PRIu64 "), from %s\n",
                       c->tid, c->ethread, p ? p->name : "?", c->pid, c->how);
    else
        pmm_out_printf(out, "  crashed here: not known (%s)\n", c->how);
}

void pmm_kdump_write_processes_text(pmm_kdump_report *r, pmm_out *out)
{
    const pmm_kdump_process_list *list = &r->processes;
    uint32_t ps = pmm_kdump_pointer_size(r->dump);
    char a[32], b[32], c[32], when[48], parent[24], threads[16];
    pmm_out_printf(out, "Processes (%zu, PsActiveProcessHead at %s)\n", list->count,
                   pmm_address_text(pmm_kdump_header_of(r->dump)->ps_active_process_head, ps, a, sizeof a));
    if (r->processes_status != PMM_OK) {
        pmm_out_printf(out, "  not listed: %s\n\n", r->processes_message);
        return;
    }
    write_offsets_text(list, out);
    write_structure_offsets_text(r, out);
    pmm_out_printf(out, "  %8s %8s %-15s %4s %7s %-20s %-*s %-*s %s\n", "pid", "parent", "name", "bits", "threads",
                   "created (UTC)", (int)ps * 2, "PEB", (int)ps * 2, "EPROCESS", "DirectoryTableBase");
    for (size_t i = 0; i < list->count; i++) {
        const pmm_kdump_process *p = &list->processes[i];
        snprintf(parent, sizeof parent, (p->known & PMM_KDUMP_PROCESS_PARENT) ? "%" PRIu64 : "?", p->parent_pid);
        snprintf(threads, sizeof threads, (p->known & PMM_KDUMP_PROCESS_THREADS) ? "%u" : "?", p->thread_count);
        pmm_out_printf(out, "%s%8" PRIu64 " %8s %-15s %4s %7s %-20s %-*s %s 0x%" PRIx64 "\n", crashed_in(r, p) ? "* " : "  ", p->pid, parent, p->name,
                       bits_text(p, ps), threads, created_text(p, when, sizeof when), (int)ps * 2,
                       (p->known & PMM_KDUMP_PROCESS_PEB) ? pmm_address_text(p->peb, ps, b, sizeof b) : "?",
                       pmm_address_text(p->eprocess, ps, c, sizeof c), p->directory_table_base);
        if (p->wow64 && p->peb32)
            pmm_out_printf(out, "  %8s 32-bit PEB at 0x%08" PRIx64 "\n", "", p->peb32);
    }
    if (list->problem[0])
        pmm_out_printf(out, "  %s\n", list->problem);
    write_crash_text(r, out);
    pmm_out_puts(out, "\n");
}

static void write_layout_json(pmm_json *j, const pmm_kdump_eprocess_layout *l)
{
    const struct { const char *key; uint32_t value; } fields[] = {
        {"directory_table_base", l->directory_table_base}, {"unique_process_id", l->unique_process_id},
        {"active_process_links", l->active_process_links},
        {"inherited_from_unique_process_id", l->inherited_from_unique_process_id}, {"create_time", l->create_time},
        {"peb", l->peb}, {"wow64_process", l->wow64_process}, {"image_file_name", l->image_file_name},
        {"thread_list_head", l->thread_list_head}, {"active_threads", l->active_threads}};
    pmm_json_key(j, "layout");
    pmm_json_begin_object(j);
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        pmm_json_key(j, fields[i].key);
        if (fields[i].value)
            pmm_json_uint(j, fields[i].value);
        else
            pmm_json_null(j);
    }
    pmm_json_end_object(j);
}

static void write_offsets_json(pmm_json *j, const pmm_kdump_process_list *list)
{
    pmm_json_key(j, "offsets");
    pmm_json_begin_object(j);
    pmm_json_kv_string(j, "origin", list->inferred ? "inferred" : "table");
    if (list->inferred) {
        pmm_json_kv_string(j, "inference", list->inference);
    } else {
        pmm_json_kv_string(j, "versions", list->row->versions);
        pmm_json_kv_uint(j, "first_build", list->row->first_build);
        pmm_json_kv_uint(j, "last_build", list->row->last_build);
        pmm_json_kv_string(j, "source", list->row->source);
    }
    write_layout_json(j, &list->layout);
    pmm_json_end_object(j);
}

/* key: value when known, else null. */
static void kv_known_uint(pmm_json *j, const char *key, int known, uint64_t value)
{
    pmm_json_key(j, key);
    if (known)
        pmm_json_uint(j, value);
    else
        pmm_json_null(j);
}

static void kv_known_address(pmm_json *j, const char *key, int known, uint64_t value)
{
    if (known) {
        pmm_json_kv_address(j, key, value);
    } else {
        pmm_json_key(j, key);
        pmm_json_null(j);
    }
}

static void write_process_json(pmm_json *j, const pmm_kdump_report *r, const pmm_kdump_process *p)
{
    pmm_json_begin_object(j);
    pmm_json_kv_uint(j, "pid", p->pid);
    kv_known_uint(j, "parent_pid", (p->known & PMM_KDUMP_PROCESS_PARENT) != 0, p->parent_pid);
    pmm_json_kv_string(j, "name", p->name);
    kv_known_uint(j, "create_time", (p->known & PMM_KDUMP_PROCESS_CREATE_TIME) != 0, p->create_time);
    kv_known_address(j, "peb", (p->known & PMM_KDUMP_PROCESS_PEB) != 0, p->peb);
    pmm_json_key(j, "wow64");
    if (p->known & PMM_KDUMP_PROCESS_WOW64)
        pmm_json_bool(j, p->wow64);
    else
        pmm_json_null(j);
    kv_known_address(j, "peb32", p->wow64 && p->peb32, p->peb32);
    kv_known_uint(j, "threads", (p->known & PMM_KDUMP_PROCESS_THREADS) != 0, p->thread_count);
    pmm_json_kv_address(j, "directory_table_base", p->directory_table_base);
    pmm_json_kv_address(j, "eprocess", p->eprocess);
    pmm_json_key(j, "current");
    pmm_json_bool(j, crashed_in(r, p));
    pmm_json_end_object(j);
}

/* "current": the thread running at the crash, or null with "current_problem" saying why. */
static void write_crash_json(pmm_json *j, const pmm_kdump_crash_thread *c)
{
    pmm_json_key(j, "current");
    if (!c->found) {
        pmm_json_null(j);
        pmm_json_kv_string(j, "current_problem", c->how);
        return;
    }
    pmm_json_begin_object(j);
    pmm_json_kv_uint(j, "pid", c->pid);
    pmm_json_kv_uint(j, "tid", c->tid);
    pmm_json_kv_address(j, "ethread", c->ethread);
    kv_known_uint(j, "processor", c->processor >= 0, (uint64_t)c->processor);
    pmm_json_kv_string(j, "how", c->how);
    pmm_json_end_object(j);
    pmm_json_key(j, "current_problem");
    pmm_json_null(j);
}

void pmm_kdump_write_processes_json(pmm_kdump_report *r, pmm_json *j)
{
    const pmm_kdump_process_list *list = &r->processes;
    pmm_json_key(j, "processes");
    pmm_json_begin_object(j);
    if (r->processes_status != PMM_OK) {
        pmm_json_kv_string(j, "error", r->processes_message);
    } else {
        write_offsets_json(j, list);
        write_structure_offsets_json(j, r);
        pmm_json_key(j, "problem");
        if (list->problem[0])
            pmm_json_string(j, list->problem);
        else
            pmm_json_null(j);
        write_crash_json(j, &r->crash);
    }
    pmm_json_key(j, "list");
    pmm_json_begin_array(j);
    for (size_t i = 0; i < list->count; i++)
        write_process_json(j, r, &list->processes[i]);
    pmm_json_end_array(j);
    pmm_json_end_object(j);
}
