/* VAD offsets of a kernel dump: the table's row, or a known EPROCESS.VadRoot offset and node layout
 * validated on the dump (kdump_inference.h). */
#include "kdump_inference.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kdump_internal.h"
#include "kdump_trial.h"
#include "kdump_vad_node.h"

/* Nodes of one tree a validation reads: past this the tree is judged by what was read. */
#define VALIDATE_NODES 4096u
#define MAX_NODE_BYTES 0x100u
#define MAX_ROOTS 32u
#define MAX_NODES 32u
#define MM_EXECUTE_WRITECOPY 7u
#define VAD_TYPE_IMAGE 2u
#define SYSTEM_PID 4u

typedef struct candidate {
    const pmm_kdump_vad_row *root_row;   /* the first row with this VadRoot */
    const pmm_kdump_vad_row *node_row;   /* the first row with this node layout */
    pmm_kdump_vad_layout layout;
    int whole;                      /* some row has both */
    kd_trial trial;
} candidate;

/* What one tree walk saw. */
typedef struct tree_walk {
    pmm_kdump *dump;
    const pmm_kdump_vad_layout *l;
    uint32_t ps, span;
    uint64_t pid;
    uint64_t last_end;              /* end of the last VAD in order (pages) */
    size_t visited, images, privates;
    char *why;
    size_t why_cap;
} tree_walk;

/* A node's bytes: 1 when read; 0 when the dump does not hold them; -1 (why set) when va is not a
 * kernel address. */
static int read_node(tree_walk *t, uint64_t va, uint8_t *node)
{
    if (va < pmm_kdump_kernel_start(t->dump) || (t->ps == 4 && va > 0xFFFFFFFFull)) {
        snprintf(t->why, t->why_cap, "pid %llu's VAD tree points at 0x%llx, not a kernel address",
                 (unsigned long long)t->pid, (unsigned long long)va);
        return -1;
    }
    return pmm_kdump_read_virtual(t->dump, 0, va, node, t->span, NULL) == t->span;
}

/* One node in order: KD_CONTRADICTS (why set) or KD_VALIDATES (it fits). */
static int judge_node(tree_walk *t, uint64_t va, const uint8_t *node)
{
    const pmm_kdump_vad_layout *l = t->l;
    uint64_t first, last;
    kd_vad_pages(l, node, &first, &last);
    if (last < first || last >= kd_user_top(t->ps) / PMM_KDUMP_PAGE_SIZE || first < t->last_end) {
        snprintf(t->why, t->why_cap, "pid %llu's VAD at 0x%llx has pages 0x%llx-0x%llx, %s",
                 (unsigned long long)t->pid, (unsigned long long)va, (unsigned long long)first,
                 (unsigned long long)last, first < t->last_end && last >= first ? "out of address order"
                                                                                 : "not a range of user space");
        return KD_CONTRADICTS;
    }
    t->last_end = last + 1;
    uint64_t flags = kd_vad_field(node, l->flags, l->flags_size);
    uint32_t type = (uint32_t)(flags >> l->type_shift) & 7, protection = (uint32_t)(flags >> l->protection_shift) & 31;
    int private_memory = (int)((flags >> l->private_shift) & 1);
    /* Private memory is VadNone, VadAwe, VadWriteWatch, VadLargePages or VadRotatePhysical; an image
     * view is never private and its VAD has EXECUTE_WRITECOPY protection. */
    int fits = private_memory ? type == 0 || (type >= 3 && type <= 6)
                              : type != VAD_TYPE_IMAGE || protection == MM_EXECUTE_WRITECOPY;
    if (!fits) {
        snprintf(t->why, t->why_cap, "pid %llu's VAD at 0x%llx has VadType %u, protection 0x%x, %s",
                 (unsigned long long)t->pid, (unsigned long long)va, type, protection,
                 private_memory ? "private" : "not private");
        return KD_CONTRADICTS;
    }
    t->images += !private_memory && type == VAD_TYPE_IMAGE;
    t->privates += private_memory;
    return KD_VALIDATES;
}

/* In-order walk (addresses on an explicit stack, nodes read again when met in order). */
static int walk(tree_walk *t, uint64_t root)
{
    uint64_t stack[PMM_KDUMP_MAX_VAD_DEPTH];
    uint8_t node[MAX_NODE_BYTES];
    size_t depth = 0;
    uint64_t at = root;
    for (;;) {
        while (at) {
            if (depth == PMM_KDUMP_MAX_VAD_DEPTH) {
                snprintf(t->why, t->why_cap, "pid %llu's VAD tree is deeper than %u", (unsigned long long)t->pid,
                         PMM_KDUMP_MAX_VAD_DEPTH);
                return KD_CONTRADICTS;
            }
            if (t->visited++ == VALIDATE_NODES)
                return KD_VALIDATES;   /* judged by what was read */
            int read = read_node(t, at, node);
            if (read <= 0)
                return read < 0 ? KD_CONTRADICTS : KD_NEUTRAL;
            stack[depth++] = at;
            at = kd_vad_field(node, t->l->left, t->ps);
        }
        if (depth == 0)
            return KD_VALIDATES;
        uint64_t va = stack[--depth];
        if (read_node(t, va, node) <= 0)
            return KD_NEUTRAL;
        if (judge_node(t, va, node) != KD_VALIDATES)
            return KD_CONTRADICTS;
        at = kd_vad_field(node, t->l->right, t->ps);
    }
}

/* What judging a process needs: the dump and the candidate's layout. */
typedef struct judging {
    pmm_kdump *dump;
    const pmm_kdump_vad_layout *l;
    uint32_t ps;
} judging;

static int judge_process(void *context, const pmm_kdump_process *p, char *why, size_t cap)
{
    const judging *j = context;
    uint8_t b[8];
    if (p->pid == SYSTEM_PID)
        return KD_NEUTRAL;   /* no user address space: whatever its VadRoot holds says nothing */
    if (pmm_kdump_read_virtual(j->dump, 0, p->eprocess + j->l->root, b, j->ps, NULL) != j->ps)
        return KD_NEUTRAL;
    uint64_t root = kd_pointer_at(b, j->ps);
    if (root == 0)
        return KD_NEUTRAL;
    tree_walk t = {j->dump, j->l, j->ps, kd_vad_node_span(j->l, j->ps), p->pid, 0, 0, 0, 0, why, cap};
    int verdict = walk(&t, root);
    if (verdict == KD_VALIDATES && (t.images == 0 || t.privates == 0))
        return KD_NEUTRAL;   /* fits, but shows neither an image nor private memory */
    return verdict;
}

static void judge(pmm_kdump *dump, candidate *c, uint32_t ps, const pmm_kdump_process_list *list)
{
    judging j = {dump, &c->layout, ps};
    if (kd_vad_node_span(&c->layout, ps) <= MAX_NODE_BYTES)
        kd_trial_run(&c->trial, list, judge_process, &j);
}

static int accepted(const candidate *c)
{
    return kd_trial_accepted(&c->trial);
}

static int same_node(const pmm_kdump_vad_layout *a, const pmm_kdump_vad_layout *b)
{
    pmm_kdump_vad_layout x = *a, y = *b;
    x.root = y.root = 0;
    return memcmp(&x, &y, sizeof x) == 0;
}

/* Every known VadRoot offset with every known node layout of the pointer size. */
static size_t make_candidates(uint32_t ps, candidate *out, size_t cap)
{
    const pmm_kdump_vad_row *roots[MAX_ROOTS], *nodes[MAX_NODES], *r;
    size_t root_count = 0, node_count = 0, n = 0;
    for (size_t i = 0; (r = pmm_kdump_vad_row_at(i)) != NULL; i++) {
        if (r->pointer_size != ps)
            continue;
        int seen = 0;
        for (size_t k = 0; k < root_count && !seen; k++)
            seen = roots[k]->layout.root == r->layout.root;
        if (!seen && root_count < MAX_ROOTS)
            roots[root_count++] = r;
        seen = 0;
        for (size_t k = 0; k < node_count && !seen; k++)
            seen = same_node(&nodes[k]->layout, &r->layout);
        if (!seen && node_count < MAX_NODES)
            nodes[node_count++] = r;
    }
    for (size_t a = 0; a < root_count; a++)
        for (size_t b = 0; b < node_count && n < cap; b++) {
            candidate *c = &out[n++];
            memset(c, 0, sizeof *c);
            c->root_row = roots[a];
            c->node_row = nodes[b];
            c->layout = nodes[b]->layout;
            c->layout.root = roots[a]->layout.root;
            for (size_t i = 0; (r = pmm_kdump_vad_row_at(i)) != NULL && !c->whole; i++)
                c->whole = r->pointer_size == ps && r->layout.root == c->layout.root && same_node(&r->layout, &c->layout);
        }
    return n;
}

static void candidate_text(const candidate *c, char *out, size_t cap)
{
    if (c->whole)
        snprintf(out, cap, "the VAD layout of %s", c->node_row->versions);
    else
        snprintf(out, cap, "the VadRoot (0x%x) of %s with the VAD nodes of %s", c->layout.root,
                 c->root_row->versions, c->node_row->versions);
}

/* The accepted candidates (whole rows only, when some are) merged into out->row.layout: 0 with why
 * when they disagree on a field the reader needs; names not read when they disagree on them. */
static int merge(const candidate *c, size_t n, pmm_kdump_vad_choice *out, int *names_dropped, char *why, size_t cap)
{
    int whole = 0;
    const candidate *first = NULL;
    for (size_t i = 0; i < n; i++)
        whole |= accepted(&c[i]) && c[i].whole;
    *names_dropped = 0;
    for (size_t i = 0; i < n; i++) {
        if (!accepted(&c[i]) || (whole && !c[i].whole))
            continue;
        if (!first) {
            first = &c[i];
            out->row.layout = c[i].layout;
            continue;
        }
        pmm_kdump_vad_layout a = first->layout, b = c[i].layout;
        a.subsection = b.subsection = a.file_pointer = b.file_pointer = a.file_name = b.file_name = 0;
        a.fast_ref_bits = b.fast_ref_bits = 0;
        if (memcmp(&a, &b, sizeof a) != 0) {
            char x[128], y[128];
            candidate_text(first, x, sizeof x);
            candidate_text(&c[i], y, sizeof y);
            snprintf(why, cap, "%s and %s both validate but disagree on %s", x, y,
                     a.commit_flags != b.commit_flags || a.commit_shift != b.commit_shift
                         ? "where MemCommit is, which validation cannot decide" : "the node layout");
            return 0;
        }
        const pmm_kdump_vad_layout *f = &first->layout, *o = &c[i].layout;
        if (f->subsection != o->subsection || f->file_pointer != o->file_pointer || f->file_name != o->file_name ||
            f->fast_ref_bits != o->fast_ref_bits) {
            out->row.layout.file_pointer = 0;
            *names_dropped = 1;
        }
    }
    return first != NULL;
}

/* Why nothing validated: the candidate that came furthest through the sampled processes (then the
 * one that validated on most, then a whole row), or that no tree fitted any. */
static void not_inferred(const candidate *c, size_t n, pmm_kdump_vad_choice *out)
{
    const candidate *best = NULL;
    size_t validated = 0;
    for (size_t i = 0; i < n; i++) {
        const kd_trial *t = &c[i].trial, *b = best ? &best->trial : NULL;
        if (kd_trial_closer(t, b) || (t->contradicted && b && t->reached == b->reached &&
                                      t->validated == b->validated && c[i].whole && !best->whole))
            best = &c[i];
        if (t->validated > validated)
            validated = t->validated;
    }
    if (best) {
        char text[160];
        candidate_text(best, text, sizeof text);
        snprintf(out->inference, sizeof out->inference, "VAD offsets not inferred: no known VAD layout validated "
                 "(the closest, %s, validated on %u processes, then: %s)", text, best->trial.validated, best->trial.why);
    } else {
        snprintf(out->inference, sizeof out->inference, "VAD offsets not inferred: %s", n == 0
                 ? "no known VAD layout of this pointer size"
                 : validated ? "no known VAD layout validated on enough processes (a tree with an image and private "
                               "memory on fewer than 2)"
                             : "no known VadRoot offset and node layout give a sampled process a VAD tree with an "
                               "image and private memory in order");
    }
}

static void infer(pmm_kdump *dump, const pmm_kdump_process_list *list, uint32_t ps, candidate *c, size_t cap,
                  pmm_kdump_vad_choice *out)
{
    size_t n = make_candidates(ps, c, cap);
    for (size_t i = 0; i < n; i++)
        judge(dump, &c[i], ps, list);
    char why[400];
    int names_dropped;
    why[0] = '\0';
    if (!merge(c, n, out, &names_dropped, why, sizeof why)) {
        memset(&out->row, 0, sizeof out->row);
        if (why[0])
            snprintf(out->inference, sizeof out->inference, "VAD offsets not inferred: %s", why);
        else
            not_inferred(c, n, out);
        return;
    }
    const candidate *chosen = NULL;
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (accepted(&c[i]) && (!chosen || (!chosen->whole && c[i].whole)))
            chosen = &c[i];
    for (size_t i = 0; i < n; i++)   /* those merged: whole rows when one is */
        count += accepted(&c[i]) && c[i].whole == chosen->whole;
    char text[160];
    candidate_text(chosen, text, sizeof text);
    out->known = 1;
    out->inferred = 1;
    out->matched = chosen->node_row;
    snprintf(out->versions, sizeof out->versions, "build %u, inferred from %s", pmm_kdump_header_of(dump)->minor_version,
             text);
    out->row.pointer_size = ps;
    out->row.first_build = out->row.last_build = pmm_kdump_header_of(dump)->minor_version;
    out->row.versions = out->versions;
    out->row.source = "inferred by validation on the dump (kdump_inference.h)";
    snprintf(out->inference, sizeof out->inference, "VAD offsets inferred: %s (VadRoot 0x%x) validated on %u "
             "processes%s", text, chosen->layout.root, chosen->trial.validated,
             count > 1 ? (names_dropped ? "; other layouts validated too and disagree on views' file names, so "
                                          "those are not read" : "; other layouts validated too and agree") : "");
}

pmm_status pmm_kdump_choose_vad_offsets(pmm_kdump *dump, const pmm_kdump_process_list *list,
                                        pmm_kdump_vad_choice *out)
{
    uint32_t ps = pmm_kdump_pointer_size(dump);
    memset(out, 0, sizeof *out);
    const pmm_kdump_vad_row *row = pmm_kdump_vad_row_for(ps, pmm_kdump_header_of(dump)->minor_version);
    if (row) {
        out->known = 1;
        out->table_row = row;
        out->row = *row;
        return PMM_OK;
    }
    size_t cap = MAX_ROOTS * MAX_NODES;
    candidate *c = malloc(cap * sizeof *c);
    if (!c)
        return PMM_ERR_NOMEM;
    infer(dump, list, ps, c, cap, out);
    free(c);
    return PMM_OK;
}
