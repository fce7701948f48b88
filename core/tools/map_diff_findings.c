/* Integrity findings (pmm scan) of two maps: one that is on one side only appeared or went. A
 * finding is the same on both sides when its kind, address, size and destination are. */
#include "map_diff.h"

#include <stdlib.h>

static const pmm_findings *sort_findings;   /* qsort has no context argument; diffs run on one thread */

static int compare_keys(const pmm_finding *a, const pmm_finding *b)
{
    if (a->address != b->address)
        return a->address < b->address ? -1 : 1;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->size != b->size)
        return a->size < b->size ? -1 : 1;
    return a->destination < b->destination ? -1 : a->destination > b->destination;
}

static int compare_indexes(const void *a, const void *b)
{
    return compare_keys(&sort_findings->items[*(const size_t *)a], &sort_findings->items[*(const size_t *)b]);
}

static size_t *sorted_indexes(const pmm_findings *f)
{
    size_t *order = malloc((f->count ? f->count : 1) * sizeof *order);
    if (!order)
        return NULL;
    for (size_t i = 0; i < f->count; i++)
        order[i] = i;
    sort_findings = f;
    qsort(order, f->count, sizeof *order, compare_indexes);
    return order;
}

static pmm_status add(pmm_map_diff *diff, pmm_diff_what what, const pmm_finding *f, size_t old_index,
                      size_t new_index)
{
    pmm_diff_entry e = {.what = what, .address = f->address, .size = f->size, .old_index = old_index,
                        .new_index = new_index};
    return pmm_map_diff_add(diff, &e);
}

pmm_status pmm_map_diff_findings(pmm_map_diff *diff)
{
    const pmm_findings *a = &diff->old_map->integrity, *b = &diff->new_map->integrity;
    if (!(a->summary.flags & PMM_INTEGRITY_SCANNED) || !(b->summary.flags & PMM_INTEGRITY_SCANNED))
        return PMM_OK;
    diff->findings_compared = 1;
    size_t *x = sorted_indexes(a), *y = sorted_indexes(b);
    pmm_status st = x && y ? PMM_OK : PMM_ERR_NOMEM;
    size_t i = 0, j = 0;
    while (st == PMM_OK && (i < a->count || j < b->count)) {
        int c = i == a->count ? 1 : j == b->count ? -1 : compare_keys(&a->items[x[i]], &b->items[y[j]]);
        if (c < 0) {
            st = add(diff, PMM_DIFF_FINDING_GONE, &a->items[x[i]], x[i], PMM_NO_INDEX);
            i++;
        } else if (c > 0) {
            st = add(diff, PMM_DIFF_FINDING_APPEARED, &b->items[y[j]], PMM_NO_INDEX, y[j]);
            j++;
        } else {
            i++;
            j++;
        }
    }
    free(x);
    free(y);
    return st;
}
