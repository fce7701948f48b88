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

/* Why a stack range read from a TEB cannot be right; NULL when it can. */
static const char *bad_stack_reason(const stack_fields *s)
{
    if (s->limit > s->base)
        return "stack limit above base";
    if (s->limit == s->base)
        return "stack limit equals base";
    if (s->base - s->limit > MAX_STACK_SIZE)
        return "stack larger than 4 GiB";
    return NULL;
}

/* Reads NT_TIB.StackBase/StackLimit and TEB.DeallocationStack. A stack whose limit is not below
 * its base, or that is absurdly large, is corrupt or hostile: it is not used, *invalid says why
 * (the TEB gets a marked-invalid annotation) and a warning names the thread and the values. */
static int read_stack(pmm_scan *scan, uint32_t tid, uint64_t teb, uint32_t pointer_size, stack_fields *out,
                      const char **invalid)
{
    const pmm_nt_layout *l = pmm_nt_layout_for(pointer_size);
    memset(out, 0, sizeof *out);
    if (pmm_source_read_pointer(scan->src, teb + l->teb_stack_base, pointer_size, &out->base) != PMM_OK ||
        pmm_source_read_pointer(scan->src, teb + l->teb_stack_limit, pointer_size, &out->limit) != PMM_OK)
        return 0;
    pmm_source_read_pointer(scan->src, teb + l->teb_deallocation_stack, pointer_size, &out->reserve_base);
    const char *reason = bad_stack_reason(out);
    if (reason) {
        *invalid = reason;
        pmm_map_warn(scan->map, "thread %u: invalid %u-bit stack in TEB 0x%llx: limit 0x%llx, base 0x%llx (%s)",
                     (unsigned)tid, (unsigned)pointer_size * 8, (unsigned long long)teb,
                     (unsigned long long)out->limit, (unsigned long long)out->base, reason);
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

/* Why each TEB of a thread is marked invalid; NULL when it is not. */
typedef struct teb_marks {
    const char *teb, *teb64;
} teb_marks;

static void read_tebs(pmm_scan *scan, const pmm_thread_info *info, pmm_thread *t, teb_marks *marks)
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
            if (own_size == 4 && read_stack(scan, info->tid, info->teb, 8, &s, &marks->teb64)) {
                t->stack64_base = s.base;
                t->stack64_limit = s.limit;
                t->stack64_reserve_base = s.reserve_base;
                t->flags |= PMM_THREAD_TEB64_READ;
            }
        }
    } else {
        t->teb = info->teb;  /* a 32-bit process whose OS reports the 32-bit TEB directly */
    }
    if (t->teb && read_stack(scan, info->tid, t->teb, own_size, &s, &marks->teb)) {
        t->stack_base = s.base;
        t->stack_limit = s.limit;
        t->stack_reserve_base = s.reserve_base;
        t->flags |= PMM_THREAD_TEB_READ;
    }
}

/* The stack pointer of a context of the given architecture, 0 when the thread has none. */
static uint64_t stack_pointer_of(const pmm_thread *t, uint32_t arch)
{
    if (t->context32.arch == arch)
        return t->context32.gpr[PMM_REG_SP];
    return t->context.arch == arch ? t->context.gpr[PMM_REG_SP] : 0;
}

/* Without a TEB (a dump that did not save it), the private allocation holding the stack pointer
 * is the best evidence of where the stack is. */
static int infer_stack_from_sp(pmm_scan *scan, pmm_thread *t)
{
    uint64_t sp = stack_pointer_of(t, scan->src->target.pointer_size == 4 ? PMM_ARCH_X86 : PMM_ARCH_X64), base, size;
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

/* A thread whose stack pointer is outside the stack its TEB describes is running on memory the
 * TEB does not know about, or the TEB is lying: the stack is marked invalid and a warning gives
 * the values. */
static const char *check_stack_pointer(pmm_scan *scan, uint32_t tid, uint64_t sp, uint64_t reserve_base, uint64_t base,
                                       uint32_t bits)
{
    if (sp == 0 || (sp >= reserve_base && sp <= base))
        return NULL;
    pmm_map_warn(scan->map, "thread %u: %u-bit stack pointer 0x%llx is outside its stack 0x%llx-0x%llx", (unsigned)tid,
                 (unsigned)bits, (unsigned long long)sp, (unsigned long long)reserve_base, (unsigned long long)base);
    return "stack pointer outside the stack";
}

static pmm_status annotate_stack(pmm_scan *scan, uint32_t tid, uint64_t reserve_base, uint64_t base, uint32_t bits,
                                 const char *prefix, uint64_t sp)
{
    char label[64];
    snprintf(label, sizeof label, "%sStack (thread %u)", prefix, (unsigned)tid);
    const char *invalid = check_stack_pointer(scan, tid, sp, reserve_base, base, bits);
    pmm_status st = invalid ? pmm_map_add_invalid_annotation(scan->map, reserve_base, base - reserve_base, PMM_ANN_STACK,
                                                             bits, tid, label, invalid)
                            : pmm_map_add_annotation(scan->map, reserve_base, base - reserve_base, PMM_ANN_STACK, bits,
                                                     tid, label);
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

static pmm_status annotate_teb(pmm_scan *scan, uint64_t teb, uint32_t bits, uint32_t tid, const char *label,
                               const char *invalid)
{
    uint64_t size = pmm_nt_layout_for(bits / 8)->teb_size;
    if (invalid)
        return pmm_map_add_invalid_annotation(scan->map, teb, size, PMM_ANN_TEB, bits, tid, label, invalid);
    return pmm_map_add_annotation(scan->map, teb, size, PMM_ANN_TEB, bits, tid, label);
}

static pmm_status annotate_thread(pmm_scan *scan, const pmm_thread *t, const teb_marks *marks)
{
    uint32_t own_bits = scan->src->target.pointer_size * 8;
    char label[64];
    pmm_status st = PMM_OK;
    int wow64 = t->teb64 != 0;
    if (t->teb) {
        snprintf(label, sizeof label, "%sTEB (thread %u)", wow64 ? "32-bit " : "", (unsigned)t->tid);
        st = annotate_teb(scan, t->teb, own_bits, t->tid, label, marks->teb);
    }
    if (st == PMM_OK && t->teb64) {
        snprintf(label, sizeof label, "64-bit TEB (thread %u)", (unsigned)t->tid);
        st = annotate_teb(scan, t->teb64, 64, t->tid, label, marks->teb64);
    }
    /* Only a stack read from the TEB is checked against the stack pointer: one inferred from the
     * stack pointer holds it by construction. */
    if (st == PMM_OK && (t->flags & (PMM_THREAD_TEB_READ | PMM_THREAD_STACK_FROM_SP)))
        st = annotate_stack(scan, t->tid, t->stack_reserve_base, t->stack_base, own_bits, wow64 ? "32-bit " : "",
                            (t->flags & PMM_THREAD_TEB_READ)
                                ? stack_pointer_of(t, own_bits == 32 ? PMM_ARCH_X86 : PMM_ARCH_X64) : 0);
    if (st == PMM_OK && (t->flags & PMM_THREAD_TEB64_READ))
        st = annotate_stack(scan, t->tid, t->stack64_reserve_base, t->stack64_base, 64, "64-bit ", 0);
    return st;
}

pmm_status pmm_analyze_threads(pmm_scan *scan)
{
    pmm_thread_info *list = NULL;
    size_t count = 0;
    pmm_status st = pmm_source_threads(scan->src, &list, &count);
    if (st == PMM_ERR_NOT_PROVIDED)
        return PMM_OK;
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
        teb_marks marks = {NULL, NULL};
        read_tebs(scan, &list[i], &t, &marks);
        if (!(t.flags & PMM_THREAD_TEB_READ) && marks.teb)
            infer_stack_from_sp(scan, &t);   /* the TEB was read and found corrupt: already warned */
        else if (!(t.flags & PMM_THREAD_TEB_READ))
            pmm_map_warn(scan->map, "thread %u: TEB at 0x%llx could not be read; %s", (unsigned)t.tid,
                         (unsigned long long)list[i].teb,
                         infer_stack_from_sp(scan, &t) ? "its stack is the allocation holding its stack pointer"
                                                       : "no stack range");
        st = pmm_map_add_thread(scan->map, &t);
        if (st == PMM_OK)
            st = annotate_thread(scan, &t, &marks);
    }
    free(list);
    return st;
}
