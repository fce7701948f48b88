/* VAD trees for the builder's processes (kdump_vads.h). */
#include "kdump_vads.h"

#include <stdlib.h>
#include <string.h>

/* Bytes per VAD in the kernel area (nodes packed as pool allocations are, many to a page), and
 * per view in an area after the nodes: its subsection, control area, file object and name. */
#define NODE_STRIDE 0x100u
#define VIEW_STRIDE 0x800u
#define AT_SUBSECTION 0x000u
#define AT_CONTROL_AREA 0x040u
#define AT_FILE_OBJECT 0x100u
#define AT_NAME 0x200u
#define NAME_MAX_BYTES (VIEW_STRIDE - AT_NAME)

/* Offsets of the scene's builds (x64 19041 and 17763 / x86 7601), from the same published layouts
 * (17763: ntdiff's Win10_1809_RS5 _EPROCESS.h and _MMVAD.h, VadType bits 0-2, Protection 3-7,
 * PrivateMemory 14). */
typedef struct vad_offsets {
    uint32_t root, left, right, start, end, vpn_size, start_high, end_high, flags, flags1;
    uint32_t type_shift, protection_shift, private_shift, commit_shift;   /* commit: in flags1 (x64) or flags */
    uint32_t subsection, file_pointer, file_name;
} vad_offsets;

static const vad_offsets x64_19041 = {0x7D8, 0x00, 0x08, 0x18, 0x1C, 4, 0x20, 0x21, 0x30, 0x34, 4, 7, 20, 31,
                                      0x48, 0x40, 0x58};
/* x64 1903: the Vergilius Project's _EPROCESS, _MMVAD_SHORT, _MMVAD_FLAGS(1), _MMVAD and
 * _CONTROL_AREA of 10.0.18362.418 (novafacing/vergilius-rs): the 2004 node and bits, VadRoot 0x658. */
static const vad_offsets x64_18362 = {0x658, 0x00, 0x08, 0x18, 0x1C, 4, 0x20, 0x21, 0x30, 0x34, 4, 7, 20, 31,
                                      0x48, 0x40, 0x58};
/* x64 22H2: ntdiff's Win11_2209_22H2 _EPROCESS.h and _MMVAD.h (PrivateMemory bit 21), CONTROL_AREA.
 * FilePointer and FILE_OBJECT.FileName of the Vergilius Project's 10.0.22621.382 header. */
static const vad_offsets x64_22621 = {0x7D8, 0x00, 0x08, 0x18, 0x1C, 4, 0x20, 0x21, 0x30, 0x34, 4, 7, 21, 31,
                                      0x48, 0x40, 0x58};
static const vad_offsets x64_17763 = {0x628, 0x00, 0x08, 0x18, 0x1C, 4, 0x20, 0x21, 0x30, 0x34, 0, 3, 14, 31,
                                      0x48, 0x40, 0x58};
/* x86 1809: VadRoot 0x29C (Chappell), MMVAD_SHORT/MMVAD from ntdiff's Win10_1809_RS5 x86 _MMVAD.h,
 * CONTROL_AREA.FilePointer 0x20 (_CONTROL_AREA.h), FILE_OBJECT.FileName 0x30. */
static const vad_offsets x86_17763 = {0x29C, 0x00, 0x04, 0x0C, 0x10, 4, 0, 0, 0x1C, 0x20, 0, 3, 14, 31,
                                      0x2C, 0x20, 0x30};
/* x86 1903: VadRoot 0x310 (Chappell), MMVAD_FLAGS bits and CONTROL_AREA.FilePointer 0x20 of the
 * Vergilius Project's 10.0.18362.418 x86 header, the node of MemProcFS's _MMVAD32_10. */
static const vad_offsets x86_18362 = {0x310, 0x00, 0x04, 0x0C, 0x10, 4, 0, 0, 0x1C, 0x20, 4, 7, 20, 31,
                                      0x2C, 0x20, 0x30};
/* Windows 10 1507 x64 and x86: VadRoot 0x608 / 0x284 (Chappell), VadType bits 0-2, Protection 3-7,
 * PrivateMemory 15 (the MMVAD_FLAGS of Andrey Bazhan's SymStore 10.0.10240.16384 headers), the node of
 * MemProcFS's _MMVAD64_10 / _MMVAD32_10 (the 8.1 and 1607 node). */
static const vad_offsets x64_10240 = {0x608, 0x00, 0x08, 0x18, 0x1C, 4, 0x20, 0x21, 0x30, 0x34, 0, 3, 15, 31,
                                      0x48, 0x40, 0x58};
static const vad_offsets x86_10240 = {0x284, 0x00, 0x04, 0x0C, 0x10, 4, 0, 0, 0x1C, 0x20, 0, 3, 15, 31,
                                      0x2C, 0x20, 0x30};
static const vad_offsets x86_7601 = {0x278 + 0x08, 0x04, 0x08, 0x0C, 0x10, 4, 0, 0, 0x14, 0x14, 20, 24, 31, 23,
                                     0x24, 0x24, 0x30};

/* The scene's VAD offsets; NULL for Server 2022 (20348), whose EPROCESS.VadRoot no source gave,
 * unless the scene lays 22H2's structures there. */
static const vad_offsets *offsets_of(const kscene *s)
{
    if (s->flags & KS_LAYS_22621_STRUCTURES)
        return &x64_22621;
    if ((s->flags & KS_BUILD_FUTURE) && kdb_paging_of(s->b) != KDB_X64)
        return &x86_7601;   /* Windows 7's, under a build no table has */
    if (s->flags & (KS_BUILD_20348 | KS_BUILD_FUTURE))
        return NULL;
    if (kdb_paging_of(s->b) != KDB_X64) {
        if (s->flags & KS_BUILD_18362)
            return &x86_18362;
        if (s->flags & KS_BUILD_10240)
            return &x86_10240;
        return s->flags & KS_BUILD_17763 ? &x86_17763 : &x86_7601;
    }
    if (s->flags & KS_BUILD_18362)
        return &x64_18362;
    if (s->flags & KS_BUILD_22621)
        return &x64_22621;
    if (s->flags & KS_BUILD_10240)
        return &x64_10240;
    return s->flags & KS_BUILD_17763 ? &x64_17763 : &x64_19041;
}

/* EPROCESS.VadRoot of the scene's build. */
uint32_t kscene_vad_root_offset(const kscene *s)
{
    const vad_offsets *o = offsets_of(s);
    return o ? o->root : 0;
}

uint32_t ks_mm_protection(uint32_t protect)
{
    uint32_t mm;
    switch (protect & 0xFF) {
    case 0x02: mm = 1; break;
    case 0x04: mm = 4; break;
    case 0x08: mm = 5; break;
    case 0x10: mm = 2; break;
    case 0x20: mm = 3; break;
    case 0x40: mm = 6; break;
    case 0x80: mm = 7; break;
    default: return 0x18;   /* MM_NOACCESS */
    }
    if (protect & 0x100)
        mm |= 0x10;          /* guard */
    if (protect & 0x200)
        mm |= 0x08;          /* no-cache */
    return mm;
}

static void put(uint8_t *p, uint64_t v, uint32_t size)
{
    for (uint32_t i = 0; i < size; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

typedef struct tree {
    kscene *s;
    const vad_offsets *o;
    uint32_t ps;
    const ks_vad *vads;
    uint64_t area, views;   /* the nodes; the views' structures (view i at views + i * VIEW_STRIDE) */
} tree;

static uint64_t node_of(const tree *t, size_t i)
{
    return t->area + i * NODE_STRIDE;
}

/* The subsection, control area, file object and name of view i, and its node's Subsection. */
static void write_view(const tree *t, size_t i, uint8_t *node)
{
    const vad_offsets *o = t->o;
    uint64_t at = t->views + i * VIEW_STRIDE;
    uint8_t block[VIEW_STRIDE];
    memset(block, 0, sizeof block);
    put(node + o->subsection, at + AT_SUBSECTION, t->ps);
    put(block + AT_SUBSECTION, at + AT_CONTROL_AREA, t->ps);          /* Subsection.ControlArea */
    if (!t->vads[i].name) {
        kdb_write_virtual(t->s->b, at, block, sizeof block);
        return;
    }
    put(block + AT_CONTROL_AREA + o->file_pointer, (at + AT_FILE_OBJECT) | 3, t->ps);   /* EX_FAST_REF: 3 refs */
    size_t chars = strlen(t->vads[i].name);
    if (chars > NAME_MAX_BYTES / 2)
        chars = NAME_MAX_BYTES / 2;
    for (size_t c = 0; c < chars; c++)   /* ASCII names: UTF-16 by widening */
        put(block + AT_NAME + 2 * c, (uint8_t)t->vads[i].name[c], 2);
    uint8_t *us = block + AT_FILE_OBJECT + o->file_name;
    put(us, chars * 2, 2);
    put(us + 2, chars * 2, 2);
    put(us + t->ps, at + AT_NAME, t->ps);
    kdb_write_virtual(t->s->b, at, block, sizeof block);
}

/* Writes the nodes of vads[lo, hi) as a balanced subtree; returns its root's address (0: empty). */
static uint64_t write_subtree(const tree *t, size_t lo, size_t hi)
{
    if (lo >= hi)
        return 0;
    size_t mid = lo + (hi - lo) / 2;
    const ks_vad *v = &t->vads[mid];
    const vad_offsets *o = t->o;
    uint8_t block[NODE_STRIDE];
    memset(block, 0, sizeof block);
    put(block + o->left, write_subtree(t, lo, mid), t->ps);
    put(block + o->right, write_subtree(t, mid + 1, hi), t->ps);
    uint64_t first = v->start / KDB_PAGE, last = v->end / KDB_PAGE - 1;
    put(block + o->start, first, o->vpn_size);
    put(block + o->end, last, o->vpn_size);
    if (o->start_high) {
        block[o->start_high] = (uint8_t)(first >> 32);
        block[o->end_high] = (uint8_t)(last >> 32);
    }
    uint32_t vad_type = v->type == KS_VAD_IMAGE ? 2 : 0;
    uint32_t flags = vad_type << o->type_shift | ks_mm_protection(v->protect) << o->protection_shift |
                     (uint32_t)(v->type == KS_VAD_PRIVATE) << o->private_shift;
    put(block + o->flags, flags, 4);
    uint8_t *commit = block + o->flags1;
    put(commit, (commit[0] | (uint32_t)commit[1] << 8 | (uint32_t)commit[2] << 16 | (uint32_t)commit[3] << 24) |
                    (uint32_t)(v->committed != 0) << o->commit_shift, 4);
    if (v->type != KS_VAD_PRIVATE)
        write_view(t, mid, block);
    kdb_write_virtual(t->s->b, node_of(t, mid), block, sizeof block);
    return node_of(t, mid);
}

void kscene_write_vads(kscene *s, ks_process *p, const ks_vad *vads, size_t count, uint32_t damage)
{
    if (count == 0 || count > (1u << 20) || !offsets_of(s))
        abort();
    tree t = {s, offsets_of(s), kdb_paging_of(s->b) == KDB_X64 ? 8 : 4, vads, 0, 0};
    uint64_t area = s->eprocess_area + 0x1000000;
    size_t views = 0;
    for (size_t i = 0; i < count; i++)
        views += vads[i].type != KS_VAD_PRIVATE;
    kdb_use_space(s->b, 0);
    t.area = area + s->vad_slots * KDB_PAGE;   /* vad_slots: pages used in the area */
    size_t node_pages = (count * NODE_STRIDE + KDB_PAGE - 1) / KDB_PAGE;
    kdb_map_new(s->b, t.area, node_pages * KDB_PAGE, KDB_PRESENT | KDB_WRITE | KDB_NX);
    t.views = t.area + node_pages * KDB_PAGE;
    size_t view_pages = views ? (count * VIEW_STRIDE + KDB_PAGE - 1) / KDB_PAGE : 0;
    if (view_pages)
        kdb_map_new(s->b, t.views, view_pages * KDB_PAGE, KDB_PRESENT | KDB_WRITE | KDB_NX);
    s->vad_slots += node_pages + view_pages + 1;
    p->vad_root = write_subtree(&t, 0, count);
    uint8_t link[8];
    if (damage & KS_VAD_LOOP) {   /* the last node (the rightmost) points back at the root */
        put(link, p->vad_root, t.ps);
        kdb_write_virtual(s->b, node_of(&t, count - 1) + t.o->right, link, t.ps);
    }
    if (damage & KS_VAD_OUTSIDE) {
        put(link, area - 0x100000, t.ps);   /* below the area: never mapped */
        kdb_write_virtual(s->b, p->vad_root + t.o->left, link, t.ps);
    }
}

void kscene_add_explorer_vads(kscene *s, uint32_t damage)
{
    ks_process *p = &s->processes[2];
    const ks_vad vads[] = {
        {0x400000, 0x408000, KS_VAD_IMAGE, 0x80, 0, KS_EXPLORER_IMAGE},
        {0x500000, 0x502000, KS_VAD_MAPPED, 0x02, 0, KS_EXPLORER_VIEW},
        {p->peb, p->peb + 0x4000, KS_VAD_PRIVATE, 0x04, 0, NULL},
    };
    kscene_write_vads(s, p, vads, 3, damage);
    kscene_relink(s);
}
