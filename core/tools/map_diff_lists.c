/* The list parts of a comparison: modules (matched by base and path), threads (by thread id and
 * TEB), heaps (by address), and page checksums (by address). Each list is sorted into key order
 * once and the two sides are merged, so the cost is O(n log n) whatever the input order. */
#include "map_diff.h"

#include <stdlib.h>
#include <string.h>

typedef struct keyed {
    uint64_t key, key2;    /* key2 tells apart two items with one key (a thread id reused) */
    const char *text;      /* compared too when not NULL: a module's path */
    size_t index;
} keyed;

static int compare_keyed(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    if (a->key2 != b->key2)
        return a->key2 < b->key2 ? -1 : 1;
    if (a->text && b->text)
        return strcmp(a->text, b->text);
    return 0;
}

typedef void (*key_fn)(const pmm_map *map, size_t index, keyed *out);

static void module_key(const pmm_map *map, size_t i, keyed *k)
{
    *k = (keyed){map->modules[i].base, map->modules[i].size, pmm_map_text(map, map->modules[i].path), i};
}

static void thread_key(const pmm_map *map, size_t i, keyed *k)
{
    *k = (keyed){map->threads[i].tid, map->threads[i].teb, NULL, i};
}

static void heap_key(const pmm_map *map, size_t i, keyed *k)
{
    *k = (keyed){map->heaps[i].address, 0, NULL, i};
}

static keyed *sorted_keys(const pmm_map *map, size_t count, key_fn key)
{
    keyed *keys = malloc((count ? count : 1) * sizeof *keys);
    if (!keys)
        return NULL;
    for (size_t i = 0; i < count; i++)
        key(map, i, &keys[i]);
    qsort(keys, count, sizeof *keys, compare_keyed);
    return keys;
}

/* Address and size an entry shows for an item of a list. */
static void item_range(const pmm_map *map, pmm_diff_what what, size_t i, pmm_diff_entry *e)
{
    if (what == PMM_DIFF_MODULE_LOADED || what == PMM_DIFF_MODULE_UNLOADED) {
        e->address = map->modules[i].base;
        e->size = map->modules[i].size;
    } else if (what == PMM_DIFF_THREAD_STARTED || what == PMM_DIFF_THREAD_EXITED) {
        e->address = map->threads[i].teb;
    } else {
        e->address = map->heaps[i].address;
    }
}

static pmm_status merge_lists(pmm_map_diff *diff, size_t old_count, size_t new_count, key_fn key,
                              pmm_diff_what added, pmm_diff_what removed)
{
    keyed *a = sorted_keys(diff->old_map, old_count, key), *b = sorted_keys(diff->new_map, new_count, key);
    pmm_status st = a && b ? PMM_OK : PMM_ERR_NOMEM;
    size_t i = 0, j = 0;
    while (st == PMM_OK && (i < old_count || j < new_count)) {   /* each pass consumes one item */
        int order = i == old_count ? 1 : j == new_count ? -1 : compare_keyed(&a[i], &b[j]);
        if (order == 0) {
            i++;
            j++;
            continue;
        }
        pmm_diff_entry e = {.what = order < 0 ? removed : added, .old_index = PMM_NO_INDEX, .new_index = PMM_NO_INDEX};
        if (order < 0) {
            e.old_index = a[i].index;
            item_range(diff->old_map, removed, a[i++].index, &e);
        } else {
            e.new_index = b[j].index;
            item_range(diff->new_map, added, b[j++].index, &e);
        }
        st = pmm_map_diff_add(diff, &e);
    }
    free(a);
    free(b);
    return st;
}

pmm_status pmm_map_diff_lists(pmm_map_diff *diff)
{
    const pmm_map *o = diff->old_map, *n = diff->new_map;
    pmm_status st = merge_lists(diff, o->module_count, n->module_count, module_key, PMM_DIFF_MODULE_LOADED,
                                PMM_DIFF_MODULE_UNLOADED);
    if (st == PMM_OK)
        st = merge_lists(diff, o->thread_count, n->thread_count, thread_key, PMM_DIFF_THREAD_STARTED,
                         PMM_DIFF_THREAD_EXITED);
    if (st == PMM_OK)
        st = merge_lists(diff, o->heap_count, n->heap_count, heap_key, PMM_DIFF_HEAP_CREATED,
                         PMM_DIFF_HEAP_DESTROYED);
    return st;
}

/* Adjacent changed pages become one entry; a page hashed on one side only (newly committed,
 * unreadable, guard) is not a content change: the region comparison already shows why. */
pmm_status pmm_map_diff_pages(pmm_map_diff *diff, const pmm_page_sums *old_sums, const pmm_page_sums *new_sums)
{
    if (!old_sums || !new_sums || !old_sums->present || !new_sums->present)
        return PMM_OK;
    diff->pages_compared = 1;
    size_t i = 0, j = 0;
    pmm_diff_entry run = {.what = PMM_DIFF_PAGES_CHANGED, .old_index = PMM_NO_INDEX, .new_index = PMM_NO_INDEX};
    while (i < old_sums->count && j < new_sums->count) {   /* each pass advances i or j */
        const pmm_page_sum *x = &old_sums->items[i], *y = &new_sums->items[j];
        if (x->address != y->address) {
            i += x->address < y->address;
            j += y->address < x->address;
            continue;
        }
        i++;
        j++;
        if (x->status != PMM_PAGE_HASHED || y->status != PMM_PAGE_HASHED || x->hash == y->hash)
            continue;
        diff->pages_changed++;
        if (run.size && run.address + run.size == x->address) {
            run.size += PMM_PAGE_SIZE;
            continue;
        }
        if (run.size && pmm_map_diff_add(diff, &run) != PMM_OK)
            return PMM_ERR_NOMEM;
        run.address = x->address;
        run.size = PMM_PAGE_SIZE;
    }
    return run.size ? pmm_map_diff_add(diff, &run) : PMM_OK;
}
