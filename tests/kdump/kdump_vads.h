/* VAD trees for the kernel dump builder's processes: MMVAD nodes of the scene's build (x64 19041:
 * an RTL_AVL_TREE at EPROCESS.VadRoot; x86 7601: an MM_AVL_TABLE, the root its BalancedRoot's
 * right child), balanced and in address order, each with its flags (VadType, Protection,
 * PrivateMemory, MemCommit) and, for a view, Subsection -> ControlArea -> FilePointer ->
 * FILE_OBJECT.FileName. Written from the published layouts, independently of core/formats. */
#ifndef PMM_KDUMP_VADS_H
#define PMM_KDUMP_VADS_H

#include <stddef.h>
#include <stdint.h>
#include "kdump_scene.h"

enum { KS_VAD_PRIVATE = 0x20000, KS_VAD_MAPPED = 0x40000, KS_VAD_IMAGE = 0x1000000 };

typedef struct ks_vad {
    uint64_t start, end;        /* [start, end), page aligned */
    uint32_t type;              /* KS_VAD_* */
    uint32_t protect;           /* PAGE_* of the allocation */
    int committed;              /* MemCommit */
    const char *name;           /* a view's file (NULL: none) */
} ks_vad;

/* Ways to damage the tree (tests of a hostile dump). */
enum {
    KS_VAD_LOOP = 1u << 0,          /* the last node's right child is the root */
    KS_VAD_OUTSIDE = 1u << 1        /* the root's left child is an address the dump does not hold */
};

/* Writes p's VAD tree (vads sorted by start, not overlapping; at most 1<<20) and sets p->vad_root;
 * call kscene_relink after. Leaves the kernel's page tables active. */
void kscene_write_vads(kscene *s, ks_process *p, const ks_vad *vads, size_t count, uint32_t damage);
/* explorer.exe's VADs in the scene (x64 and x86 scenes of a listed build): its image over its
 * pages at 0x400000 and four more without entries (EXECUTE_WRITECOPY, KS_EXPLORER_IMAGE), a view
 * of a file over the page it shares with notepad and one more (READONLY, KS_EXPLORER_VIEW), private
 * memory from its PEB page with three reserved pages after it (READWRITE, not MemCommit). */
#define KS_EXPLORER_IMAGE "\\Device\\HarddiskVolume2\\Windows\\explorer.exe"
#define KS_EXPLORER_VIEW "\\Device\\HarddiskVolume2\\Users\\data.bin"
void kscene_add_explorer_vads(kscene *s, uint32_t damage);
/* Offset from the EPROCESS where the scene writes the root pointer. */
uint32_t kscene_vad_root_offset(const kscene *s);
/* The MM protection (5 bits) of a PAGE_* value. */
uint32_t ks_mm_protection(uint32_t protect);

#endif
