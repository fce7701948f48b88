/* A process's VAD tree in a kernel dump: the virtual address descriptors under EPROCESS.VadRoot
 * (an RTL_AVL_TREE from Windows 8.1 on, an MM_AVL_TABLE on Windows 7 and 8), each an allocation: its
 * address range, VadType, protection and PrivateMemory from its flags, MemCommit where the build
 * keeps it, and for a mapped or image view the file name through Subsection -> ControlArea ->
 * FilePointer (EX_FAST_REF) -> FILE_OBJECT.FileName. Offsets come from a table keyed by the build
 * (kdump_layouts.c, with where each came from). The walk is in order, bounded in nodes and depth,
 * and checked for loops (an in-order walk of a search tree meets strictly rising addresses: a
 * node met again, or a tree out of order, stops it); a node the dump does not hold skips its
 * subtree and is reported, the other VADs are kept. */
#ifndef PMM_KDUMP_VAD_H
#define PMM_KDUMP_VAD_H

#include <stddef.h>
#include <stdint.h>
#include "kdump.h"
#include "kdump_processes.h"

/* VAD offsets of one build (0 where the build has no such field; `root` is never 0 in a row). */
typedef struct pmm_kdump_vad_layout {
    uint32_t root;                  /* EPROCESS.VadRoot + where the root node pointer is in it */
    uint32_t left, right;           /* child pointers in a node */
    uint32_t starting_vpn, ending_vpn, vpn_size;   /* vpn_size: 4 or 8 */
    uint32_t starting_vpn_high, ending_vpn_high;   /* UCHARs with bits 32-39 (0: none) */
    uint32_t flags, flags_size;     /* MMVAD_SHORT.u (VadFlags), 4 or 8 bytes */
    uint8_t type_shift, protection_shift, private_shift;   /* VadType:3, Protection:5, PrivateMemory:1 */
    uint32_t commit_flags;          /* where MemCommit is: VadFlags1 or VadFlags (node offset) */
    uint8_t commit_shift;
    uint32_t subsection;            /* MMVAD.Subsection */
    uint32_t file_pointer;          /* CONTROL_AREA.FilePointer (0: not known for the build, names not read) */
    uint32_t file_name;             /* FILE_OBJECT.FileName (UNICODE_STRING) */
    uint32_t fast_ref_bits;         /* EX_FAST_REF's reference count bits */
} pmm_kdump_vad_layout;

typedef struct pmm_kdump_vad_row {
    uint32_t pointer_size;
    uint32_t first_build, last_build;
    const char *versions;
    const char *source;
    pmm_kdump_vad_layout layout;
} pmm_kdump_vad_row;

/* The VAD row for a build, or NULL; rows by index (NULL past the last). */
const pmm_kdump_vad_row *pmm_kdump_vad_row_for(uint32_t pointer_size, uint32_t build);
const pmm_kdump_vad_row *pmm_kdump_vad_row_at(size_t index);

#define PMM_KDUMP_VAD_IMAGE 2u      /* VadType VadImageMap */

typedef struct pmm_kdump_vad {
    uint64_t node;                  /* the MMVAD's address */
    uint64_t start, end;            /* [start, end) */
    uint32_t type;                  /* PMM_MEM_PRIVATE, PMM_MEM_MAPPED or PMM_MEM_IMAGE */
    uint32_t mm_protection;         /* the 5-bit MM protection */
    uint32_t protect;               /* as a PAGE_* value */
    int committed;                  /* MemCommit: the whole range was committed when allocated */
    char *name;                     /* a view's file name (UTF-8, allocated), NULL when none or not readable */
} pmm_kdump_vad;

#define PMM_KDUMP_MAX_VADS (1u << 20)
#define PMM_KDUMP_MAX_VAD_DEPTH 96u

typedef struct pmm_kdump_vad_list {
    pmm_kdump_vad *vads;            /* in address order, not overlapping */
    size_t count;
    const pmm_kdump_vad_row *row;
    size_t names_missing;           /* views whose file name could not be read */
    char problem[256];              /* why the tree was not read whole; "" when it was */
} pmm_kdump_vad_list;

/* Reads the VAD tree of the process whose EPROCESS is at eprocess, user space below top.
 * PMM_OK with out filled (problem says what was skipped); PMM_ERR_UNSUPPORTED when the table has
 * no VAD row for the dump's build, PMM_ERR_READ when VadRoot is not in the dump (message says
 * which). Free with pmm_kdump_vad_list_free. */
pmm_status pmm_kdump_vads(pmm_kdump *dump, uint64_t eprocess, uint64_t top, pmm_kdump_vad_list *out,
                          char *message, size_t message_cap);
/* The same with the offsets of row (a table row, or one inference made: kdump_inference.h); out->row
 * is row, which must outlive the list. */
pmm_status pmm_kdump_vads_with(pmm_kdump *dump, const pmm_kdump_vad_row *row, uint64_t eprocess, uint64_t top,
                               pmm_kdump_vad_list *out, char *message, size_t message_cap);
void pmm_kdump_vad_list_free(pmm_kdump_vad_list *list);

/* A 5-bit MM protection (a VAD's, or that of a page table entry that is not valid) as PAGE_*. */
uint32_t pmm_kdump_protect_from_mm(uint32_t mm);

#endif
