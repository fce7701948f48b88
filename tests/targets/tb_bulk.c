/* --allocations N: many separate small allocations, for the scan benchmark.
 *
 * Each is its own allocation (its own allocation base), so a scanner sees N allocations and not
 * one big one. Protections alternate so that neighbouring regions can't be merged by mistake.
 * Only the count and the span are reported: a 100,000-entry list would make the JSON line huge.
 * When address space runs out (a 32-bit target fits about 30,000 64 KiB-aligned allocations)
 * the loop stops and the report says how many were made and why it stopped.
 */
#include "target_basic.h"

#include <string.h>

typedef struct bulk_kind {
    DWORD type;
    DWORD protect;
} bulk_kind;

static const bulk_kind bulk_kinds[] = {
    { MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE },
    { MEM_COMMIT | MEM_RESERVE, PAGE_READONLY },
    { MEM_RESERVE, PAGE_READWRITE },
    { MEM_COMMIT | MEM_RESERVE, PAGE_EXECUTE_READ },
};

#define BULK_KIND_COUNT (sizeof bulk_kinds / sizeof bulk_kinds[0])

void tb_bulk_make(tb_bulk *b, unsigned long requested)
{
    SYSTEM_INFO info;
    GetSystemInfo(&info);
    memset(b, 0, sizeof *b);
    b->requested = requested;
    b->size_each = info.dwPageSize;

    for (unsigned long i = 0; i < requested; i++) {
        const bulk_kind *kind = &bulk_kinds[i % BULK_KIND_COUNT];
        uintptr_t base = (uintptr_t)VirtualAlloc(NULL, b->size_each, kind->type, kind->protect);
        if (!base) {
            b->last_error = GetLastError();
            break;
        }
        if (b->count == 0 || base < b->low)
            b->low = base;
        if (b->count == 0 || base + b->size_each > b->high)
            b->high = base + b->size_each;
        b->count++;
    }
}

void tb_bulk_report(const tb_bulk *b, tj_writer *w)
{
    tj_begin_object(w, "bulk_allocations");
    tj_uint(w, "requested", b->requested);
    tj_uint(w, "count", b->count);
    tj_uint(w, "size_each", b->size_each);
    tj_address(w, "low", b->low);
    tj_address(w, "high", b->high);
    tj_uint(w, "error", b->last_error);
    tj_end_object(w);
}
