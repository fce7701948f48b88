/* Thread offsets of a kernel dump: the table's row, or a known row validated on the dump
 * (kdump_inference.h). */
#include "kdump_inference.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kdump_internal.h"
#include "kdump_trial.h"
#include "../util/cycle_check.h"

/* Threads of one process a validation reads: past this the list is judged by what was read. */
#define VALIDATE_THREADS 1024u
#define SYSTEM_PID 4u

/* A candidate: where ThreadListHead is, which ETHREAD row, and what the dump said of it. */
typedef struct candidate {
    uint32_t head;
    const pmm_kdump_thread_layout_row *row;
    uint32_t alike;                 /* other rows with the same layout */
    kd_trial trial;
} candidate;

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* One ETHREAD against the process: KD_VALIDATES when it fits (*has_teb: a TEB, page-aligned in user
 * space), KD_CONTRADICTS with why, KD_NEUTRAL when the dump does not hold it. A kernel stack, where the
 * layout and the dump give it, lies in kernel space with its base above its limit. */
static int thread_fits(pmm_kdump *dump, const pmm_kdump_thread_layout *l, uint32_t ps, uint64_t ethread,
                       const pmm_kdump_process *p, uint64_t *tid, int *has_teb, char *why, size_t cap)
{
    uint64_t pid, teb, limit = 0, base = 0;
    if (!kd_read_pointer(dump, 0, ethread + l->cid, ps, &pid) || !kd_read_pointer(dump, 0, ethread + l->cid + ps, ps, tid) ||
        !kd_read_pointer(dump, 0, ethread + l->teb, ps, &teb))
        return KD_NEUTRAL;
    if (pid != p->pid)
        return snprintf(why, cap, "ETHREAD 0x%llx on the list of pid %llu has Cid.UniqueProcess %llu",
                        (unsigned long long)ethread, (unsigned long long)p->pid, (unsigned long long)pid), KD_CONTRADICTS;
    if (*tid == 0 || *tid % 4 || *tid > 0xFFFFFFFFull)
        return snprintf(why, cap, "ETHREAD 0x%llx of pid %llu has thread id %llu", (unsigned long long)ethread,
                        (unsigned long long)p->pid, (unsigned long long)*tid), KD_CONTRADICTS;
    if (teb >= kd_user_top(ps) || teb % PMM_KDUMP_PAGE_SIZE || (p->pid == SYSTEM_PID && teb))
        return snprintf(why, cap, "ETHREAD 0x%llx of pid %llu has TEB 0x%llx", (unsigned long long)ethread,
                        (unsigned long long)p->pid, (unsigned long long)teb), KD_CONTRADICTS;
    if (l->stack_limit && l->stack_base && kd_read_pointer(dump, 0, ethread + l->stack_limit, ps, &limit) &&
        kd_read_pointer(dump, 0, ethread + l->stack_base, ps, &base) && (limit || base) &&
        (base <= limit || limit < pmm_kdump_kernel_start(dump)))
        return snprintf(why, cap, "ETHREAD 0x%llx of pid %llu has kernel stack 0x%llx-0x%llx", (unsigned long long)ethread,
                        (unsigned long long)p->pid, (unsigned long long)limit, (unsigned long long)base), KD_CONTRADICTS;
    *has_teb = teb != 0;
    return KD_VALIDATES;
}

/* The thread list of p with candidate c: KD_VALIDATES when it closes on its head through threads
 * that fit, with distinct ids, and (but for System's) one with a TEB; KD_CONTRADICTS with why; KD_NEUTRAL
 * when it says nothing (empty, no TEB, not in the dump, longer than the validation reads). */
/* What judging a process needs: the dump, the candidate, room for its thread ids. */
typedef struct judging {
    pmm_kdump *dump;
    const candidate *c;
    uint32_t ps;
    uint64_t *tids;                 /* room for VALIDATE_THREADS ids */
} judging;

static int judge_process(void *context, const pmm_kdump_process *p, char *why, size_t cap)
{
    const judging *j = context;
    pmm_kdump *dump = j->dump;
    const candidate *c = j->c;
    uint32_t ps = j->ps;
    uint64_t *tids = j->tids;
    const pmm_kdump_thread_layout *l = &c->row->layout;
    uint64_t head = p->eprocess + c->head, link;
    size_t count = 0;
    int tebs = 0;
    pmm_cycle_check cycle;
    pmm_cycle_check_init(&cycle);
    if (!kd_read_pointer(dump, 0, head, ps, &link))
        return KD_NEUTRAL;
    while (link != head) {
        if (link == 0)
            return snprintf(why, cap, "the thread list of pid %llu ends in a null link", (unsigned long long)p->pid),
                   KD_CONTRADICTS;
        if (pmm_cycle_check_step(&cycle, link))
            return snprintf(why, cap, "the thread list of pid %llu cycles without returning to its head",
                            (unsigned long long)p->pid), KD_CONTRADICTS;
        if (count == VALIDATE_THREADS)
            return KD_NEUTRAL;
        int has_teb = 0;
        int verdict = thread_fits(dump, l, ps, link - l->thread_list_entry, p, &tids[count], &has_teb, why, cap);
        if (verdict != KD_VALIDATES)
            return verdict;
        tebs += has_teb;
        count++;
        if (!kd_read_pointer(dump, 0, link, ps, &link))
            return KD_NEUTRAL;
    }
    qsort(tids, count, sizeof *tids, compare_u64);
    for (size_t i = 1; i < count; i++)
        if (tids[i] == tids[i - 1])
            return snprintf(why, cap, "two threads of pid %llu have id %llu", (unsigned long long)p->pid,
                            (unsigned long long)tids[i]), KD_CONTRADICTS;
    return count && (tebs || p->pid == SYSTEM_PID) ? KD_VALIDATES : KD_NEUTRAL;
}

static void judge(pmm_kdump *dump, candidate *c, uint32_t ps, const pmm_kdump_process_list *list, uint64_t *tids)
{
    judging j = {dump, c, ps, tids};
    kd_trial_run(&c->trial, list, judge_process, &j);
}

static int accepted(const candidate *c)
{
    return kd_trial_accepted(&c->trial);
}

/* ThreadListHead offsets to try: the list's own, or, when its offsets were inferred, every known
 * EPROCESS row's of the pointer size. */
static size_t head_offsets(const pmm_kdump_process_list *list, uint32_t ps, uint32_t *heads, size_t cap)
{
    size_t n = 0;
    if (!list->inferred && list->layout.thread_list_head) {
        heads[0] = list->layout.thread_list_head;
        return 1;
    }
    const pmm_kdump_layout_row *r;
    for (size_t i = 0; (r = pmm_kdump_layout_row_at(i)) != NULL && n < cap; i++) {
        int seen = r->pointer_size != ps || !r->layout.thread_list_head;
        for (size_t k = 0; k < n && !seen; k++)
            seen = heads[k] == r->layout.thread_list_head;
        if (!seen)
            heads[n++] = r->layout.thread_list_head;
    }
    return n;
}

#define MAX_HEADS 32u
#define MAX_CANDIDATES 512u

/* Every (head, distinct ETHREAD row) pair; rows with the same layout as an earlier one are counted
 * on it. */
static size_t make_candidates(const pmm_kdump_process_list *list, uint32_t ps, candidate *out)
{
    uint32_t heads[MAX_HEADS];
    size_t head_count = head_offsets(list, ps, heads, MAX_HEADS), n = 0;
    const pmm_kdump_thread_layout_row *r;
    for (size_t h = 0; h < head_count; h++)
        for (size_t i = 0; (r = pmm_kdump_thread_layout_row_at(i)) != NULL && n < MAX_CANDIDATES; i++) {
            if (r->pointer_size != ps)
                continue;
            candidate *same = NULL;
            for (size_t k = 0; k < n && !same; k++)
                if (out[k].head == heads[h] && memcmp(&out[k].row->layout, &r->layout, sizeof r->layout) == 0)
                    same = &out[k];
            if (same) {
                same->alike++;
                continue;
            }
            memset(&out[n], 0, sizeof out[n]);
            out[n].head = heads[h];
            out[n++].row = r;
        }
    return n;
}

static void rows_text(const candidate *c, char *out, size_t cap)
{
    if (c->row->first_build == c->row->last_build)
        snprintf(out, cap, "build %u", c->row->first_build);
    else
        snprintf(out, cap, "builds %u to %u", c->row->first_build, c->row->last_build);
    if (c->alike) {
        size_t used = strlen(out);
        snprintf(out + used, cap - used, " (and %u more rows alike)", c->alike);
    }
}

/* The accepted candidates merged into out: the fields validation checks must agree; the others
 * are kept where they agree and left unknown (0) where they do not. 0 when they disagree on one
 * validation checks (why says which). */
static int merge(const candidate *c, size_t n, pmm_kdump_thread_choice *out, char *left_out, size_t left_cap,
                 char *why, size_t why_cap)
{
    const candidate *first = NULL;
    left_out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (!accepted(&c[i]))
            continue;
        if (!first) {
            first = &c[i];
            out->offsets.thread_list_head = first->head;
            out->offsets.thread = first->row->layout;
            out->row = first->row;
            continue;
        }
        const pmm_kdump_thread_layout *a = &first->row->layout, *b = &c[i].row->layout;
        if (c[i].head != first->head || a->thread_list_entry != b->thread_list_entry || a->cid != b->cid ||
            a->teb != b->teb) {
            char x[96], y[96];
            rows_text(first, x, sizeof x);
            rows_text(&c[i], y, sizeof y);
            snprintf(why, why_cap, "the ETHREAD layouts of %s and of %s both validate but disagree on ThreadListHead, "
                     "ThreadListEntry, Cid or Teb", x, y);
            return 0;
        }
        pmm_kdump_thread_layout *m = &out->offsets.thread;
        struct { uint32_t *field; uint32_t other; const char *name; } optional[] = {
            {&m->win32_start_address, b->win32_start_address, "Win32StartAddress"},
            {&m->initial_stack, b->initial_stack, "InitialStack"}, {&m->stack_limit, b->stack_limit, "StackLimit"},
            {&m->stack_base, b->stack_base, "StackBase"}, {&m->trap_frame, b->trap_frame, "TrapFrame"},
            {&m->trap_frame_edx, b->trap_frame_edx, "KTRAP_FRAME.Edx"}};
        for (size_t k = 0; k < sizeof optional / sizeof optional[0]; k++)
            if (*optional[k].field && *optional[k].field != optional[k].other) {
                size_t used = strlen(left_out);
                snprintf(left_out + used, left_cap - used, "%s%s", used ? ", " : "", optional[k].name);
                *optional[k].field = 0;
            }
    }
    return first != NULL;
}

/* Why nothing validated: the candidate that came closest, or that no list held a thread. */
static void not_inferred(const candidate *c, size_t n, pmm_kdump_thread_choice *out)
{
    const candidate *best = NULL;
    for (size_t i = 0; i < n; i++)
        if (kd_trial_closer(&c[i].trial, best ? &best->trial : NULL))
            best = &c[i];
    if (!best) {
        size_t validated = 0;
        for (size_t i = 0; i < n; i++)
            if (c[i].trial.validated > validated)
                validated = c[i].trial.validated;
        snprintf(out->inference, sizeof out->inference, "thread offsets not inferred: %s", n == 0
                 ? "no known ETHREAD layout of this pointer size and no ThreadListHead offset to try"
                 : validated ? "no known ETHREAD layout validated on enough processes (fewer than 2 thread lists read)"
                             : "no sampled process's thread list held a thread that a known ETHREAD layout reads");
        return;
    }
    char rows[96];
    rows_text(best, rows, sizeof rows);
    snprintf(out->inference, sizeof out->inference, "thread offsets not inferred: no known ETHREAD layout "
             "validated (the closest, that of %s with ThreadListHead 0x%x, validated on %u processes, then: %s)", rows,
             best->head, best->trial.validated, best->trial.why);
}

static void infer(pmm_kdump *dump, const pmm_kdump_process_list *list, uint32_t ps, candidate *c, uint64_t *tids,
                  pmm_kdump_thread_choice *out)
{
    size_t n = make_candidates(list, ps, c);
    for (size_t i = 0; i < n; i++)
        judge(dump, &c[i], ps, list, tids);
    char left_out[120], why[400];
    why[0] = '\0';
    if (!merge(c, n, out, left_out, sizeof left_out, why, sizeof why)) {
        memset(&out->offsets, 0, sizeof out->offsets);
        out->row = NULL;
        if (why[0])
            snprintf(out->inference, sizeof out->inference, "thread offsets not inferred: %s", why);
        else
            not_inferred(c, n, out);
        return;
    }
    const candidate *chosen = NULL;
    size_t accepted_count = 0;
    for (size_t i = 0; i < n; i++)
        if (accepted(&c[i]) && accepted_count++ == 0)
            chosen = &c[i];
    char rows[96];
    rows_text(chosen, rows, sizeof rows);
    out->inferred = 1;
    int used = snprintf(out->inference, sizeof out->inference, "thread offsets inferred: the ETHREAD layout of %s "
                        "validated on %u processes (ThreadListHead 0x%x)", rows, chosen->trial.validated, chosen->head);
    if (accepted_count > 1 && used > 0 && (size_t)used < sizeof out->inference)
        snprintf(out->inference + used, sizeof out->inference - (size_t)used, "; %zu layouts validated%s%s",
                 accepted_count, left_out[0] ? ", so these are not known: " : " and agree", left_out);
}

pmm_status pmm_kdump_choose_thread_offsets(pmm_kdump *dump, const pmm_kdump_process_list *list,
                                           pmm_kdump_thread_choice *out)
{
    uint32_t ps = pmm_kdump_pointer_size(dump);
    memset(out, 0, sizeof *out);
    const pmm_kdump_thread_layout_row *row = pmm_kdump_thread_layout_for(ps, pmm_kdump_header_of(dump)->minor_version);
    if (row && !list->inferred) {
        out->offsets.thread_list_head = list->layout.thread_list_head;
        out->offsets.thread = row->layout;
        out->row = row;
        return PMM_OK;
    }
    candidate *c = malloc(MAX_CANDIDATES * sizeof *c);
    uint64_t *tids = malloc(VALIDATE_THREADS * sizeof *tids);
    if (!c || !tids) {
        free(c);
        free(tids);
        return PMM_ERR_NOMEM;
    }
    infer(dump, list, ps, c, tids, out);
    free(c);
    free(tids);
    return PMM_OK;
}
