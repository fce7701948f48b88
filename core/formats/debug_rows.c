#include "debug_sink.h"

#include <stdlib.h>
#include <string.h>

/* A bottom-up merge sort: stable, O(n log n) whatever the input, one scratch buffer. */
pmm_status dbg_sort_rows(dbg_line_row *rows, size_t count)
{
    if (count < 2)
        return PMM_OK;
    dbg_line_row *scratch = malloc(count * sizeof *scratch);
    if (!scratch)
        return PMM_ERR_NOMEM;
    dbg_line_row *from = rows, *to = scratch;
    for (size_t width = 1; width < count; width *= 2) {
        for (size_t lo = 0; lo < count; lo += 2 * width) {
            size_t mid = lo + width < count ? lo + width : count;
            size_t hi = lo + 2 * width < count ? lo + 2 * width : count;
            size_t a = lo, b = mid, k = lo;
            while (a < mid && b < hi)
                to[k++] = from[b].rva < from[a].rva ? from[b++] : from[a++];
            while (a < mid)
                to[k++] = from[a++];
            while (b < hi)
                to[k++] = from[b++];
        }
        dbg_line_row *t = from;
        from = to;
        to = t;
    }
    if (from != rows)
        memcpy(rows, from, count * sizeof *rows);
    free(scratch);
    return PMM_OK;
}
