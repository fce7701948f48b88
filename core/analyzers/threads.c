/* Threads: the TEB of each thread (both TEBs of a WOW64 thread) and the stack it describes. */
#include "analyzers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../formats/nt_layout.h"

#define MAX_STACK_SIZE (1ull << 32)
/* Where Windows puts the 32-bit TEB of a WOW64 thread when the 64-bit TEB does not say. */
#define WOW64_TEB32_OFFSET 0x2000

typedef struct stack_fields {
    uint64_t base, limit, reserve_base;
} stack_fields;

/* A TEB is recognised by its NT_TIB.Self field pointing back at itself. */
static int is_teb(pmm_scan *scan, uint64_t teb, uint32_t pointer_size)
{
    const pmm_nt_layout *l = pmm_nt_layout_for(pointer_size);
    uint64_t self;
    return teb && pmm_source_read_pointer(scan->src, teb + l->teb_self, pointer_size, &self) == PMM_OK && self == teb;
}

/* Reads NT_TIB.StackBase/StackLimit and TEB.DeallocationStack. A stack whose limit is not below
 * its base, or that is absurdly large, is corrupt or hostile: it is recorded as a warning naming
 * the thread and the values, and not used. */
static int read_stack(pmm_scan *scan, uint32_t tid, uint64_t teb, uint32_t pointer_size, stack_fields *out)
{
    const pmm_nt_layout *l = pmm_nt_layout_for(pointer_size);
    memset(out, 0, sizeof *out);
    if (pmm_source_read_pointer(scan->src, teb + l->teb_stack_base, pointer_size, &out->base) != PMM_OK ||
        pmm_source_read_pointer(scan->src, teb + l->teb_stack_limit, pointer_size, &out->limit) != PMM_OK)
        return 0;
    pmm_source_read_pointer(scan->src, teb + l->teb_deallocation_stack, pointer_size, &out->reserve_base);
    if (out->limit >= out->base || out->base - out->limit > MAX_STACK_SIZE) {
        pmm_map_warn(scan->map, "thread %u: invalid %u-bit stack in TEB 0x%llx: limit 0x%llx, base 0x%llx (%s)",
                     (unsigned)tid, (unsigned)pointer_size * 8, (unsigned long long)teb,
                     (unsigned long long)out->limit, (unsigned long long)out->base,
                     out->limit >= out->base ? "limit not below base" : "larger than 4 GiB");
        return 0;
    }
    if (out->reserve_base == 0 || out->reserve_base > out->limit || out->base - out->reserve_base > MAX_STACK_SIZE)
        out->reserve_base = out->limit;
    return 1;
}

/* The 32-bit TEB of a WOW64 thread: the 64-bit TEB's ExceptionList points at it on Windows. */
static uint64_t find_wow64_teb32(pmm_scan *scan, uint64_t teb64)
{
    uint64_t candidate = 0;
    if (pmm_source_read_u64(scan->src, teb64, &candidate) == PMM_OK && candidate < (1ull << 32) &&
        is_teb(scan, candidate, 4))
        return candidate;
    candidate = teb64 + WOW64_TEB32_OFFSET;
    return is_teb(scan, candidate, 4) ? candidate : 0;
}

static void read_tebs(pmm_scan *scan, const pmm_thread_info *info, pmm_thread *t)
{
    uint32_t own_size = scan->src->target.pointer_size;
    stack_fields s;
    if (own_size == 8 || !is_teb(scan, info->teb, 4)) {
        if (is_teb(scan, info->teb, 8)) {
            uint64_t teb32 = own_size == 4 ? find_wow64_teb32(scan, info->teb) : 0;
            if (own_size == 8) {
                t->teb = info->teb;
            } else {
                t->teb64 = info->teb;
                t->teb = teb32;
            }
            if (own_size == 4 && read_stack(scan, info->tid, info->teb, 8, &s)) {
                t->stack64_base = s.base;
                t->stack64_limit = s.limit;
                t->stack64_reserve_base = s.reserve_base;
                t->flags |= PMM_THREAD_TEB64_READ;
            }
        }
    } else {
        t->teb = info->teb;  /* a 32-bit process whose OS reports the 32-bit TEB directly */
    }
    if (t->teb && read_stack(scan, info->tid, t->teb, own_size, &s)) {
        t->stack_base = s.base;
        t->stack_limit = s.limit;
        t->stack_reserve_base = s.reserve_base;
        t->flags |= PMM_THREAD_TEB_READ;
    }
}

/* The stack pointer of the thread's own bitness, 0 when no context was read. */
static uint64_t own_stack_pointer(pmm_scan *scan, const pmm_thread *t)
{
    uint32_t arch = scan->src->target.pointer_size == 4 ? PMM_ARCH_X86 : PMM_ARCH_X64;
    if (t->context32.arch == arch)
        return t->context32.gpr[PMM_REG_SP];
    return t->context.arch == arch ? t->context.gpr[PMM_REG_SP] : 0;
}

/* Without a TEB (a dump that did not save it), the private allocation holding the stack pointer
 * is the best evidence of where the stack is. */
static int infer_stack_from_sp(pmm_scan *scan, pmm_thread *t)
{
    uint64_t sp = own_stack_pointer(scan, t), base, size;
    size_t i = pmm_map_find(scan->map, sp);
    if (!sp || i == PMM_NO_INDEX || scan->map->regions[i].type == PMM_MEM_IMAGE ||
        !pmm_scan_allocation_extent(scan->map, sp, &base, &size))
        return 0;
    t->stack_reserve_base = base;
    t->stack_base = base + size;
    t->stack_limit = scan->map->regions[i].base;
    t->flags |= PMM_THREAD_STACK_FROM_SP;
    return 1;
}

static pmm_status annotate_stack(pmm_scan *scan, uint32_t tid, uint64_t reserve_base, uint64_t base, uint32_t bits,
                                 const char *prefix)
{
    char label[64];
    snprintf(label, sizeof label, "%sStack (thread %u)", prefix, (unsigned)tid);
    pmm_status st = pmm_map_add_annotation(scan->map, reserve_base, base - reserve_base, PMM_ANN_STACK, bits, tid, label);
    /* The guard page sits just below the committed part. */
    size_t i = pmm_map_find(scan->map, reserve_base);
    for (; st == PMM_OK && i != PMM_NO_INDEX && i < scan->map->region_count; i++) {
        const pmm_region *r = &scan->map->regions[i];
        if (r->base >= base)
            break;
        if (r->state == PMM_MEM_COMMIT && (r->protect & PMM_PAGE_GUARD)) {
            snprintf(label, sizeof label, "%sStack guard (thread %u)", prefix, (unsigned)tid);
            st = pmm_map_add_annotation(scan->map, r->base, r->size, PMM_ANN_STACK_GUARD, bits, tid, label);
        }
    }
    return st;
}

static pmm_status annotate_thread(pmm_scan *scan, const pmm_thread *t)
{
    uint32_t own_bits = scan->src->target.pointer_size * 8;
    char label[64];
    pmm_status st = PMM_OK;
    int wow64 = t->teb64 != 0;
    if (t->teb) {
        snprintf(label, sizeof label, "%sTEB (thread %u)", wow64 ? "32-bit " : "", (unsigned)t->tid);
        st = pmm_map_add_annotation(scan->map, t->teb, pmm_nt_layout_for(own_bits / 8)->teb_size, PMM_ANN_TEB,
                                    own_bits, t->tid, label);
    }
    if (st == PMM_OK && t->teb64) {
        snprintf(label, sizeof label, "64-bit TEB (thread %u)", (unsigned)t->tid);
        st = pmm_map_add_annotation(scan->map, t->teb64, pmm_nt_layout_for(8)->teb_size, PMM_ANN_TEB, 64, t->tid,
                                    label);
    }
    if (st == PMM_OK && (t->flags & (PMM_THREAD_TEB_READ | PMM_THREAD_STACK_FROM_SP)))
        st = annotate_stack(scan, t->tid, t->stack_reserve_base, t->stack_base, own_bits, wow64 ? "32-bit " : "");
    if (st == PMM_OK && (t->flags & PMM_THREAD_TEB64_READ))
        st = annotate_stack(scan, t->tid, t->stack64_reserve_base, t->stack64_base, 64, "64-bit ");
    return st;
}

pmm_status pmm_analyze_threads(pmm_scan *scan)
{
    pmm_thread_info *list = NULL;
    size_t count = 0;
    if (!scan->src->ops->threads)
        return PMM_OK;
    pmm_status st = scan->src->ops->threads(scan->src->impl, &list, &count);
    if (st == PMM_ERR_GONE || st == PMM_ERR_NOMEM)
        return st;
    if (st != PMM_OK) {
        pmm_map_warn(scan->map, "threads could not be listed: %s", pmm_status_text(st));
        return PMM_OK;
    }
    for (size_t i = 0; i < count && st == PMM_OK; i++) {
        pmm_thread t;
        memset(&t, 0, sizeof t);
        t.tid = list[i].tid;
        t.start_address = list[i].start_address;
        t.context = list[i].context;
        t.context32 = list[i].context32;
        read_tebs(scan, &list[i], &t);
        if (!(t.flags & PMM_THREAD_TEB_READ))
            pmm_map_warn(scan->map, "thread %u: TEB at 0x%llx could not be read; %s", (unsigned)t.tid,
                         (unsigned long long)list[i].teb,
                         infer_stack_from_sp(scan, &t) ? "its stack is the allocation holding its stack pointer"
                                                       : "no stack range");
        st = pmm_map_add_thread(scan->map, &t);
        if (st == PMM_OK)
            st = annotate_thread(scan, &t);
    }
    free(list);
    return st;
}
