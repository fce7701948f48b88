/* The x86 SEH chain of every 32-bit thread (the threads of an x86 process, or the 32-bit side of a
 * WOW64 thread): TEB32.NtTib.ExceptionList -> EXCEPTION_REGISTRATION_RECORD {Next, Handler} -> ...
 * -> 0xFFFFFFFF. The records live on the thread's own stack, each above the one before it, which
 * is what the checks below hold the chain to: a chain that leaves the stack, goes down or loops
 * is corrupt (or hostile) and is reported, not followed. Handlers are named by the stacks analyzer,
 * which runs after this one and already reads the exports of the modules code addresses are in. */
#include "analyzers.h"

#include "seh.h"
#include "../formats/nt_layout.h"

#define SEH_END_OF_CHAIN 0xFFFFFFFFu
#define SEH_RECORD_SIZE 8u

static const char *bad_record_reason(uint64_t record, uint64_t previous, uint64_t low, uint64_t high)
{
    if (record & 3)
        return "is not 4-byte aligned";
    if (record < low || record + SEH_RECORD_SIZE > high)
        return "is outside the thread's stack";
    if (previous && record <= previous)
        return "is not above the previous record (a loop or a descending chain)";
    return NULL;
}

pmm_seh_end pmm_seh_walk(pmm_source *src, uint64_t teb32, uint64_t stack_low, uint64_t stack_high,
                         pmm_seh_entry *out, size_t cap, size_t *count, char *why, size_t why_cap)
{
    uint32_t record = 0;
    uint64_t previous = 0;
    *count = 0;
    if (why_cap)
        why[0] = 0;
    if (pmm_source_read_u32(src, teb32 + pmm_nt_layout_for(4)->teb_exception_list, &record) != PMM_OK) {
        snprintf(why, why_cap, "TEB.ExceptionList at 0x%llx could not be read", (unsigned long long)teb32);
        return PMM_SEH_READ_FAILED;
    }
    /* Ascending records inside a bounded stack end by themselves; the cap is a second fence. */
    for (size_t i = 0; i < PMM_SEH_MAX_RECORDS; i++) {
        if (record == SEH_END_OF_CHAIN)
            return PMM_SEH_COMPLETE;
        const char *reason = bad_record_reason(record, previous, stack_low, stack_high);
        if (reason) {
            snprintf(why, why_cap, "record 0x%08x %s (stack 0x%llx-0x%llx)", (unsigned)record, reason,
                     (unsigned long long)stack_low, (unsigned long long)stack_high);
            return PMM_SEH_BAD_RECORD;
        }
        uint32_t next, handler;
        if (pmm_source_read_u32(src, record, &next) != PMM_OK || pmm_source_read_u32(src, record + 4, &handler) != PMM_OK) {
            snprintf(why, why_cap, "record 0x%08x could not be read", (unsigned)record);
            return PMM_SEH_READ_FAILED;
        }
        if (*count >= cap)
            break;
        out[*count].record = record;
        out[*count].handler = handler;
        (*count)++;
        previous = record;
        record = next;
    }
    snprintf(why, why_cap, "more than %u records", (unsigned)PMM_SEH_MAX_RECORDS);
    return PMM_SEH_RECORD_LIMIT;
}

/* A chain that stopped at a bad link gets a marked-invalid annotation where that link is stored:
 * on the last good record (its Next field), or on the TEB when ExceptionList itself is bad. */
static pmm_status mark_bad_link(pmm_scan *scan, const pmm_thread *t, const pmm_seh_entry *entries, size_t count)
{
    uint64_t holder = count ? entries[count - 1].record : t->teb + pmm_nt_layout_for(4)->teb_exception_list;
    uint32_t next = 0;
    const char *reason;
    char label[64];
    if (pmm_source_read_u32(scan->src, holder, &next) != PMM_OK)
        return PMM_OK;
    if (next & 3)
        reason = "SEH record misaligned";
    else if (next < t->stack_reserve_base || (uint64_t)next + SEH_RECORD_SIZE > t->stack_base)
        reason = "SEH record outside the stack";
    else
        reason = "SEH chain goes down the stack";
    for (size_t i = 0; i < count && next; i++)
        if (entries[i].record == next)
            reason = "SEH chain loops";
    if (count == 0) {
        pmm_status st = pmm_map_mark_invalid(scan->map, t->teb, PMM_ANN_TEB, reason);
        return st == PMM_ERR_NOT_FOUND ? PMM_OK : st;
    }
    snprintf(label, sizeof label, "SEH record (thread %u)", (unsigned)t->tid);
    return pmm_map_add_invalid_annotation(scan->map, holder, SEH_RECORD_SIZE, PMM_ANN_SEH_RECORD, 32, t->tid, label,
                                          reason);
}

static pmm_status walk_thread(pmm_scan *scan, pmm_thread *t, pmm_seh_entry *entries)
{
    size_t count = 0;
    char why[160];
    t->seh_first = (uint32_t)scan->map->seh_count;
    t->seh_count = 0;
    if (!t->teb || !(t->flags & PMM_THREAD_TEB_READ) || t->stack_base <= t->stack_reserve_base) {
        t->seh_end = PMM_SEH_NOT_WALKED;
        return PMM_OK;
    }
    t->seh_end = pmm_seh_walk(scan->src, t->teb, t->stack_reserve_base, t->stack_base, entries, PMM_SEH_MAX_RECORDS,
                              &count, why, sizeof why);
    for (size_t i = 0; i < count; i++) {
        pmm_seh_record r = {entries[i].record, entries[i].handler, 0, 0};
        pmm_status st = pmm_map_add_seh_record(scan->map, &r);
        if (st != PMM_OK)
            return st;
    }
    t->seh_count = (uint32_t)count;
    if (t->seh_end == PMM_SEH_BAD_RECORD) {
        pmm_status st = mark_bad_link(scan, t, entries, count);
        if (st != PMM_OK)
            return st;
    }
    if (t->seh_end != PMM_SEH_COMPLETE)
        return pmm_map_warn(scan->map, "thread %u: invalid SEH chain, walk stopped after %zu records: %s",
                            (unsigned)t->tid, count, why);
    return PMM_OK;
}

pmm_status pmm_analyze_seh(pmm_scan *scan)
{
    pmm_seh_entry entries[PMM_SEH_MAX_RECORDS];
    pmm_status st = PMM_OK;
    if (scan->src->target.pointer_size != 4)
        return PMM_OK;   /* x64 code has table-based exception handling: there is no chain */
    for (size_t i = 0; i < scan->map->thread_count && st == PMM_OK; i++)
        st = walk_thread(scan, &scan->map->threads[i], entries);
    return st;
}

const char *pmm_seh_end_text(pmm_seh_end end)
{
    switch (end) {
    case PMM_SEH_NOT_WALKED: return "not walked";
    case PMM_SEH_COMPLETE: return "complete";
    case PMM_SEH_BAD_RECORD: return "invalid: a record outside the stack, misaligned or not ascending";
    case PMM_SEH_READ_FAILED: return "stopped: a record could not be read";
    case PMM_SEH_RECORD_LIMIT: return "stopped at the record limit";
    }
    return "?";
}
