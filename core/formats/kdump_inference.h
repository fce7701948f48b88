/* Thread and VAD offsets for a kernel dump's processes: the rows of the offset tables for the dump's
 * build (kdump_thread_layouts.c, kdump_layouts.c) or, for a build without a row (or a process list
 * whose own offsets were inferred), a known row of the same pointer size found by validation on the
 * dump. A thread candidate (an ETHREAD row with an EPROCESS.ThreadListHead offset) is accepted only
 * when, for several processes, the list from ThreadListHead closes on its head (bounded,
 * cycle-checked) through ETHREADs whose Cid.UniqueProcess is the process's pid, whose thread ids
 * are non-zero, multiples of 4 and distinct, whose TEBs are user addresses (0 for System's) and
 * whose stack base lies above their stack limit; and on no process it contradicts. A VAD candidate
 * (an EPROCESS.VadRoot offset with a node layout, each from a known row) is accepted only when, for
 * several processes, the tree's nodes are kernel addresses whose ranges are user-space, in order and
 * not overlapping, whose image views are not private and have EXECUTE_WRITECOPY protection and
 * whose private VADs have a private VadType, with at least one image and one private VAD; bounded
 * in nodes and depth. When several distinct layouts validate, fields validation checks must agree
 * (else nothing is inferred); of the others, those they disagree on are left unknown where the
 * readers allow it (thread start address, stacks, trap frame; views' file names), and MemCommit,
 * which they need, makes the inference fail. Every string says what was found or why not. */
#ifndef PMM_KDUMP_INFERENCE_H
#define PMM_KDUMP_INFERENCE_H

#include <stddef.h>
#include "kdump.h"
#include "kdump_processes.h"
#include "kdump_threads.h"
#include "kdump_vad.h"

/* Processes whose structures take part in validating a candidate (the first of the list). */
#define PMM_KDUMP_INFER_SAMPLE 24u
/* Processes a candidate must validate on. */
#define PMM_KDUMP_INFER_MIN_PROCESSES 2u

typedef struct pmm_kdump_thread_choice {
    pmm_kdump_thread_offsets offsets;   /* thread_list_head 0: threads are not read */
    const pmm_kdump_thread_layout_row *row;   /* the table's row, or the (first) known row inferred */
    int inferred;
    char inference[512];            /* inference tried: what validated, or "not inferred: " and why */
} pmm_kdump_thread_choice;

typedef struct pmm_kdump_vad_choice {
    int known;                      /* row holds offsets to read VADs with */
    int inferred;
    const pmm_kdump_vad_row *table_row;   /* the table's row (NULL when inferred or none) */
    const pmm_kdump_vad_row *matched;     /* inferred: the (first) known row whose nodes validated */
    pmm_kdump_vad_row row;          /* the offsets; inferred: versions says so ("build N, inferred ...") */
    char versions[200];             /* the inferred row's versions text */
    char inference[512];
} pmm_kdump_vad_choice;

/* The row to read VADs with: the table's, or the inferred one; NULL when neither. */
static inline const pmm_kdump_vad_row *pmm_kdump_vad_choice_row(const pmm_kdump_vad_choice *c)
{
    return !c->known ? NULL : c->table_row ? c->table_row : &c->row;
}

/* The thread offsets for list's processes (list->processes sampled for validation). PMM_OK, or
 * PMM_ERR_NOMEM. out->inference is "" when the table gave them or the table has none and list is
 * empty. */
pmm_status pmm_kdump_choose_thread_offsets(pmm_kdump *dump, const pmm_kdump_process_list *list,
                                           pmm_kdump_thread_choice *out);
/* The VAD offsets likewise; pass out->row to pmm_kdump_vads_with when out->known (it must stay where
 * it is while a list read with it is in use). */
pmm_status pmm_kdump_choose_vad_offsets(pmm_kdump *dump, const pmm_kdump_process_list *list,
                                        pmm_kdump_vad_choice *out);

#endif
