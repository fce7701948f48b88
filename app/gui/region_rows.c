#include "region_rows.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/tools/map_summary.h"
#include "core/util/text.h"

#define MAX_ANNOTATION_NESTING 6

void region_rows_init(region_rows *rows)
{
    memset(rows, 0, sizeof *rows);
    rows->filter = REGION_FILTER_ALL;
    rows->show_free = 1;
    rows->sort_column = REGION_COL_ADDRESS;
}

static void release(region_rows *rows)
{
    free(rows->rows);
    free(rows->expanded);
    free(rows->order);
    rows->rows = NULL;
    rows->expanded = NULL;
    rows->order = NULL;
    rows->count = rows->cap = 0;
}

void region_rows_free(region_rows *rows)
{
    release(rows);
    rows->map = NULL;
}

/* ---- allocation facts ---- */

typedef struct allocation_span {
    size_t first, count;
    uint64_t base, end;
} allocation_span;

static allocation_span allocation_at(const pmm_map *map, size_t allocation)
{
    allocation_span s;
    pmm_map_allocation_regions(map, allocation, &s.first, &s.count);
    const pmm_region *r = &map->regions[s.first];
    const pmm_region *last = &map->regions[s.first + s.count - 1];
    s.base = r->base;
    s.end = last->base + last->size;
    return s;
}

static int is_usage_column(region_column column)
{
    return column >= REGION_COL_COMMITTED && column < REGION_COL_COMMITTED + PMM_USAGE_COLUMNS;
}

/* The figure of a usage column (Committed to Locked WS) for the regions [first, first + count). */
static uint64_t usage_value(const pmm_map *map, size_t first, size_t count, region_column column)
{
    pmm_usage u;
    uint64_t values[PMM_USAGE_COLUMNS];
    pmm_regions_usage(map, first, count, &u);
    pmm_usage_values(&u, values);
    return values[column - REGION_COL_COMMITTED];
}

/* Zero is left blank, as VMMap does; so is every working-set figure of a map without them. */
static const char *usage_cell(const pmm_map *map, size_t first, size_t count, region_column column, char *buf,
                              size_t cap)
{
    if (region_column_is_working_set(column) && !map->working_set)
        return "";
    uint64_t value = usage_value(map, first, count, column);
    return value ? pmm_size_text(value, buf, cap) : "";
}

static int allocation_has_children(const pmm_map *map, const allocation_span *s)
{
    if (map->regions[s->first].state == PMM_MEM_FREE)
        return 0;
    if (s->count > 1)
        return 1;
    size_t a = pmm_map_annotation_lower_bound(map, s->base);
    return a < map->annotation_count && map->annotations[a].base < s->end;
}

static int allocation_visible(const region_rows *rows, const pmm_region *first)
{
    uint32_t bit = 1u << first->kind;
    if (first->kind == PMM_KIND_FREE && !rows->show_free && rows->filter != bit)
        return 0;
    return (rows->filter & bit) != 0;
}

/* The protection an allocation's committed blocks share; "" when they differ or none is committed. */
static const char *allocation_protection(const pmm_map *map, const allocation_span *s, char *buf, size_t cap)
{
    uint32_t protect = pmm_allocation_shared_protect(map, s->first, s->count);
    return protect ? pmm_protect_text(protect, buf, cap) : "";
}

/* ---- building the flat list ---- */

static void push_row(region_rows *rows, region_row_kind kind, unsigned depth, unsigned flags, uint8_t region_kind,
                     size_t index)
{
    /* cap was sized for every allocation, region and annotation, so this cannot overflow */
    if (rows->count >= rows->cap)
        return;
    region_row *row = &rows->rows[rows->count++];
    row->kind = (uint8_t)kind;
    row->depth = (uint8_t)(depth > 255 ? 255 : depth);
    row->flags = (uint8_t)flags;
    row->region_kind = region_kind;
    row->index = (uint32_t)index;
}

/* Annotations [next, end) that start below limit, nested by containment under base_depth. skip_wide
 * leaves out those that reach past limit (they belong a level up); wide_only picks just those. */
static void push_annotations(region_rows *rows, size_t next, size_t end, uint64_t limit, unsigned base_depth,
                             uint8_t region_kind, int skip_wide, int wide_only)
{
    const pmm_map *map = rows->map;
    uint64_t open_ends[MAX_ANNOTATION_NESTING];
    size_t open = 0;
    for (; next < end && map->annotations[next].base < limit; next++) {
        const pmm_annotation *a = &map->annotations[next];
        int wide = a->base + a->size > limit;
        if ((skip_wide && wide) || (wide_only && !wide))
            continue;
        while (open > 0 && open_ends[open - 1] <= a->base)
            open--;
        push_row(rows, REGION_ROW_ANNOTATION, base_depth + (unsigned)open, 0, region_kind, next);
        if (open < MAX_ANNOTATION_NESTING)
            open_ends[open++] = a->base + a->size;
    }
}

static size_t skip_annotations(const pmm_map *map, size_t next, size_t end, uint64_t limit)
{
    while (next < end && map->annotations[next].base < limit)
        next++;
    return next;
}

/* Under an allocation: its regions, each followed by the annotations that fit inside it. An
 * annotation that spans several regions (a module, a stack, a heap) describes the allocation, so it
 * comes before the region it starts in, one level up. */
static void push_children(region_rows *rows, size_t allocation)
{
    const pmm_map *map = rows->map;
    allocation_span s = allocation_at(map, allocation);
    uint8_t kind = map->regions[s.first].kind;
    size_t next = pmm_map_annotation_lower_bound(map, s.base);
    size_t end = pmm_map_annotation_lower_bound(map, s.end);
    if (s.count == 1) {
        push_annotations(rows, next, end, s.end, 1, kind, 0, 0);
        return;
    }
    for (size_t i = s.first; i < s.first + s.count; i++) {
        const pmm_region *r = &map->regions[i];
        uint64_t limit = r->base + r->size;
        push_annotations(rows, next, end, limit, 1, kind, 0, 1);
        push_row(rows, REGION_ROW_REGION, 1, 0, kind, i);
        push_annotations(rows, next, end, limit, 2, kind, 1, 0);
        next = skip_annotations(map, next, end, limit);
    }
}

static void rebuild(region_rows *rows)
{
    rows->count = 0;
    const pmm_map *map = rows->map;
    if (!map)
        return;
    for (size_t k = 0; k < map->allocation_count; k++) {
        size_t n = rows->order[k];
        allocation_span s = allocation_at(map, n);
        const pmm_region *first = &map->regions[s.first];
        if (!allocation_visible(rows, first))
            continue;
        unsigned flags = 0;
        if (allocation_has_children(map, &s))
            flags |= REGION_ROW_EXPANDABLE | (rows->expanded[n] ? REGION_ROW_EXPANDED : 0);
        push_row(rows, REGION_ROW_ALLOCATION, 0, flags, first->kind, n);
        if (flags & REGION_ROW_EXPANDED)
            push_children(rows, n);
    }
}

/* ---- sorting ---- */

typedef struct sort_item {
    uint64_t number;
    const char *text;        /* NULL: the text is in protect (items move while sorted) */
    char protect[16];
    uint32_t allocation;
    uint64_t base;
} sort_item;

static int sort_descending;
static int sort_by_text;

static int compare_items(const void *pa, const void *pb)
{
    const sort_item *a = pa, *b = pb;
    int c = 0;
    if (sort_by_text) {
        const char *ta = a->text ? a->text : a->protect, *tb = b->text ? b->text : b->protect;
        const char *x = ta, *y = tb;
        while (*x && tolower((unsigned char)*x) == tolower((unsigned char)*y)) {
            x++;
            y++;
        }
        c = tolower((unsigned char)*x) - tolower((unsigned char)*y);
        /* empty text sorts last either way: a blank column is not information */
        if (c != 0 && (!ta[0] || !tb[0]))
            return ta[0] ? -1 : 1;
    } else if (a->number != b->number) {
        c = a->number < b->number ? -1 : 1;
    }
    if (c != 0)
        return sort_descending ? -c : c;
    return a->base < b->base ? -1 : a->base > b->base;
}

static void fill_sort_item(const pmm_map *map, size_t n, region_column column, sort_item *item)
{
    allocation_span s = allocation_at(map, n);
    const pmm_region *r = &map->regions[s.first];
    char buf[16];
    memset(item, 0, sizeof *item);
    item->allocation = (uint32_t)n;
    item->base = s.base;
    item->text = "";
    switch (column) {
    case REGION_COL_ADDRESS: item->number = s.base; break;
    case REGION_COL_TYPE: item->text = pmm_region_kind_name((pmm_region_kind)r->kind); break;
    case REGION_COL_SIZE: item->number = s.end - s.base; break;
    case REGION_COL_PROTECTION:
        snprintf(item->protect, sizeof item->protect, "%s", allocation_protection(map, &s, buf, sizeof buf));
        item->text = NULL;
        break;
    case REGION_COL_INITIAL:
        if (r->state != PMM_MEM_FREE) {
            pmm_protect_text(r->alloc_protect, item->protect, sizeof item->protect);
            item->text = NULL;
        }
        break;
    case REGION_COL_BLOCKS: item->number = r->state == PMM_MEM_FREE ? 0 : s.count; break;
    case REGION_COL_DETAILS: item->text = pmm_map_text(map, r->details); break;
    default:
        item->number = is_usage_column(column) ? usage_value(map, s.first, s.count, column) : s.base;
        break;
    }
}

static pmm_status sort_order(region_rows *rows)
{
    const pmm_map *map = rows->map;
    size_t n = map->allocation_count;
    if (rows->sort_column == REGION_COL_ADDRESS) {
        for (size_t i = 0; i < n; i++)
            rows->order[rows->sort_descending ? n - 1 - i : i] = (uint32_t)i;
        return PMM_OK;
    }
    sort_item *items = malloc((n ? n : 1) * sizeof *items);
    if (!items)
        return PMM_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        fill_sort_item(map, i, (region_column)rows->sort_column, &items[i]);
    int column = rows->sort_column;
    sort_by_text = column == REGION_COL_TYPE || column == REGION_COL_PROTECTION || column == REGION_COL_INITIAL ||
                   column == REGION_COL_DETAILS;
    sort_descending = rows->sort_descending;
    qsort(items, n, sizeof *items, compare_items);
    for (size_t i = 0; i < n; i++)
        rows->order[i] = items[i].allocation;
    free(items);
    return PMM_OK;
}

/* ---- public ---- */

pmm_status region_rows_set_map(region_rows *rows, const pmm_map *map)
{
    release(rows);
    rows->map = map;
    if (!map)
        return PMM_OK;
    size_t allocations = map->allocation_count;
    rows->cap = allocations + map->region_count + map->annotation_count;
    rows->rows = malloc((rows->cap ? rows->cap : 1) * sizeof *rows->rows);
    rows->expanded = calloc(allocations ? allocations : 1, 1);
    rows->order = malloc((allocations ? allocations : 1) * sizeof *rows->order);
    if (!rows->rows || !rows->expanded || !rows->order) {
        release(rows);
        rows->map = NULL;
        return PMM_ERR_NOMEM;
    }
    pmm_status st = sort_order(rows);
    if (st != PMM_OK)
        return st;
    rebuild(rows);
    return PMM_OK;
}

pmm_status region_rows_set_filter(region_rows *rows, uint32_t filter)
{
    rows->filter = filter & REGION_FILTER_ALL;
    if (rows->filter == 0)
        rows->filter = REGION_FILTER_ALL;
    rebuild(rows);
    return PMM_OK;
}

pmm_status region_rows_set_show_free(region_rows *rows, int show_free)
{
    rows->show_free = show_free != 0;
    rebuild(rows);
    return PMM_OK;
}

pmm_status region_rows_sort(region_rows *rows, region_column column, int descending)
{
    if ((unsigned)column >= REGION_COL_COUNT)
        return PMM_ERR_ARG;
    rows->sort_column = column;
    rows->sort_descending = descending != 0;
    if (!rows->map)
        return PMM_OK;
    pmm_status st = sort_order(rows);
    rebuild(rows);
    return st;
}

size_t region_rows_parent(const region_rows *rows, size_t row)
{
    if (row >= rows->count)
        return PMM_NO_INDEX;
    while (row > 0 && rows->rows[row].kind != REGION_ROW_ALLOCATION)
        row--;
    return row;
}

size_t region_rows_find_allocation(const region_rows *rows, size_t allocation)
{
    for (size_t i = 0; i < rows->count; i++)
        if (rows->rows[i].kind == REGION_ROW_ALLOCATION && rows->rows[i].index == allocation)
            return i;
    return PMM_NO_INDEX;
}

size_t region_rows_set_expanded(region_rows *rows, size_t row, int expanded)
{
    size_t parent = region_rows_parent(rows, row);
    if (parent == PMM_NO_INDEX)
        return PMM_NO_INDEX;
    const region_row *p = &rows->rows[parent];
    if (!(p->flags & REGION_ROW_EXPANDABLE))
        return parent;
    size_t allocation = p->index;
    if ((rows->expanded[allocation] != 0) == (expanded != 0))
        return parent;
    rows->expanded[allocation] = expanded != 0;
    /* Rows above the parent do not change, so the parent keeps its index. */
    rebuild(rows);
    return parent;
}

pmm_status region_rows_expand_all(region_rows *rows, int expanded)
{
    if (!rows->map)
        return PMM_OK;
    memset(rows->expanded, expanded != 0, rows->map->allocation_count);
    rebuild(rows);
    return PMM_OK;
}

void region_rows_rebuild(region_rows *rows)
{
    rebuild(rows);
}

size_t region_rows_find_prefix(const region_rows *rows, size_t start, const char *prefix)
{
    size_t len = strlen(prefix);
    if (rows->count == 0 || len == 0)
        return PMM_NO_INDEX;
    char buf[32];
    for (size_t k = 0; k < rows->count; k++) {
        size_t i = (start + k) % rows->count;
        if (rows->rows[i].kind != REGION_ROW_ALLOCATION)
            continue;
        const char *text = region_rows_cell(rows, i, REGION_COL_ADDRESS, buf, sizeof buf);
        size_t j = 0;
        while (j < len && text[j] && tolower((unsigned char)text[j]) == tolower((unsigned char)prefix[j]))
            j++;
        if (j == len)
            return i;
    }
    return PMM_NO_INDEX;
}

size_t region_rows_reveal(region_rows *rows, uint64_t addr)
{
    const pmm_map *map = rows->map;
    size_t region = map ? pmm_map_find(map, addr) : PMM_NO_INDEX;
    if (region == PMM_NO_INDEX || map->regions[region].base > addr)
        return PMM_NO_INDEX;
    size_t allocation = pmm_map_find_allocation(map, region);
    const pmm_region *first = &map->regions[map->allocation_first[allocation]];
    if (!allocation_visible(rows, first)) {
        rows->filter = REGION_FILTER_ALL;
        if (first->kind == PMM_KIND_FREE)
            rows->show_free = 1;
    }
    rows->expanded[allocation] = 1;
    rebuild(rows);
    size_t row = region_rows_find_allocation(rows, allocation);
    if (row == PMM_NO_INDEX)
        return PMM_NO_INDEX;
    for (size_t i = row + 1; i < rows->count && rows->rows[i].kind != REGION_ROW_ALLOCATION; i++)
        if (rows->rows[i].kind == REGION_ROW_REGION && rows->rows[i].index == region)
            return i;
    return row;
}

int region_rows_range(const region_rows *rows, size_t row, uint64_t *start, uint64_t *end)
{
    if (!rows->map || row >= rows->count)
        return 0;
    const pmm_map *map = rows->map;
    const region_row *r = &rows->rows[row];
    switch (r->kind) {
    case REGION_ROW_ALLOCATION: {
        allocation_span s = allocation_at(map, r->index);
        *start = s.base;
        *end = s.end;
        return 1;
    }
    case REGION_ROW_REGION:
        *start = map->regions[r->index].base;
        *end = *start + map->regions[r->index].size;
        return 1;
    default:
        *start = map->annotations[r->index].base;
        *end = *start + map->annotations[r->index].size;
        return 1;
    }
}

const char *region_column_name(region_column column)
{
    static const char *const names[REGION_COL_COUNT] = {
        "Address", "Type", "Size", "Committed", "Private", "Total WS", "Private WS", "Shareable WS",
        "Shared WS", "Locked WS", "Protection", "Initial protection", "Blocks", "Details",
    };
    return (unsigned)column < REGION_COL_COUNT ? names[column] : "";
}

int region_column_is_working_set(region_column column)
{
    return column >= REGION_COL_WS_TOTAL && column <= REGION_COL_WS_LOCKED;
}

const char *region_annotation_kind_text(int kind)
{
    static const char *const names[] = {
        "Module", "PE header", "Section", "Directory", "Entry point", "Stack", "Stack guard", "TEB", "PEB",
        "Process parameters", "Environment", "Loader data", "KUSER_SHARED_DATA", "Heap", "Mapped file",
        "System data", "SEH record", "Heap segment", "Heap block",
    };
    _Static_assert(sizeof names / sizeof names[0] == PMM_ANN_COUNT, "a name for every annotation kind");
    return (unsigned)kind < PMM_ANN_COUNT ? names[kind] : "Annotation";
}

/* The Details text, led by a mark when integrity findings (pmm scan, F8) lie in [base, base + size):
 * how many, and how many pages their bytes touch. */
static const char *details_text(const pmm_map *map, uint64_t base, uint64_t size, const char *details, char *buf,
                                size_t cap)
{
    size_t findings = pmm_findings_count_in(&map->integrity, base, size);
    if (!findings)
        return details;
    uint64_t pages = pmm_findings_pages_in(&map->integrity, base, size);
    snprintf(buf, cap, "[modified: %zu finding%s, %llu page%s]%s%s", findings, findings == 1 ? "" : "s",
             (unsigned long long)pages, pages == 1 ? "" : "s", *details ? " " : "", details);
    return buf;
}

static const char *allocation_cell(const pmm_map *map, size_t n, region_column column, char *buf, size_t cap)
{
    allocation_span s = allocation_at(map, n);
    const pmm_region *r = &map->regions[s.first];
    int is_free = r->state == PMM_MEM_FREE;
    if (is_usage_column(column))
        return usage_cell(map, s.first, s.count, column, buf, cap);
    switch (column) {
    case REGION_COL_ADDRESS: return pmm_address_text(s.base, map->target.pointer_size, buf, cap);
    case REGION_COL_TYPE: return pmm_region_kind_name((pmm_region_kind)r->kind);
    case REGION_COL_SIZE: return pmm_size_text(s.end - s.base, buf, cap);
    case REGION_COL_PROTECTION: return allocation_protection(map, &s, buf, cap);
    case REGION_COL_INITIAL: return is_free ? "" : pmm_protect_text(r->alloc_protect, buf, cap);
    case REGION_COL_BLOCKS:
        if (is_free)
            return "";
        snprintf(buf, cap, "%zu", s.count);
        return buf;
    case REGION_COL_DETAILS: return details_text(map, s.base, s.end - s.base, pmm_map_text(map, r->details), buf, cap);
    default: return "";
    }
}

static const char *region_cell(const pmm_map *map, size_t i, region_column column, char *buf, size_t cap)
{
    const pmm_region *r = &map->regions[i];
    if (is_usage_column(column))
        return usage_cell(map, i, 1, column, buf, cap);
    switch (column) {
    case REGION_COL_ADDRESS: return pmm_address_text(r->base, map->target.pointer_size, buf, cap);
    case REGION_COL_TYPE: return pmm_region_kind_name((pmm_region_kind)r->kind);
    case REGION_COL_SIZE: return pmm_size_text(r->size, buf, cap);
    case REGION_COL_PROTECTION:
        if (r->state == PMM_MEM_RESERVE)
            return "Reserved";
        return r->state == PMM_MEM_COMMIT ? pmm_protect_text(r->protect, buf, cap) : "";
    case REGION_COL_DETAILS: {
        /* Say it only where it differs from the allocation row above. */
        size_t n = pmm_map_find_allocation(map, i);
        size_t first, count;
        pmm_map_allocation_regions(map, n, &first, &count);
        const char *details = count && map->regions[first].details == r->details ? "" : pmm_map_text(map, r->details);
        return details_text(map, r->base, r->size, details, buf, cap);
    }
    default: return "";
    }
}

static const char *annotation_cell(const pmm_map *map, size_t i, region_column column, char *buf, size_t cap)
{
    const pmm_annotation *a = &map->annotations[i];
    switch (column) {
    case REGION_COL_ADDRESS: return pmm_address_text(a->base, map->target.pointer_size, buf, cap);
    case REGION_COL_TYPE: return region_annotation_kind_text(a->kind);
    case REGION_COL_SIZE: return pmm_size_text(a->size, buf, cap);
    case REGION_COL_DETAILS:
        if (a->kind == PMM_ANN_SECTION && !a->invalid)   /* which sections the findings are in */
            return details_text(map, a->base, a->size, pmm_map_text(map, a->label), buf, cap);
        if (!a->invalid)
            return pmm_map_text(map, a->label);
        snprintf(buf, cap, "%s [invalid: %s]", pmm_map_text(map, a->label), pmm_map_text(map, a->invalid));
        return buf;
    default: return "";
    }
}

const char *region_rows_cell(const region_rows *rows, size_t row, region_column column, char *buf, size_t cap)
{
    if (cap)
        buf[0] = '\0';
    if (!rows->map || row >= rows->count)
        return "";
    const region_row *r = &rows->rows[row];
    switch (r->kind) {
    case REGION_ROW_ALLOCATION: return allocation_cell(rows->map, r->index, column, buf, cap);
    case REGION_ROW_REGION: return region_cell(rows->map, r->index, column, buf, cap);
    case REGION_ROW_ANNOTATION: return annotation_cell(rows->map, r->index, column, buf, cap);
    }
    return "";
}

/* Appends text to buf at *used, truncating; keeps buf NUL-terminated. */
static void append(char *buf, size_t cap, size_t *used, const char *text)
{
    size_t len = strlen(text);
    if (*used + 1 >= cap)
        return;
    if (len > cap - 1 - *used)
        len = cap - 1 - *used;
    memcpy(buf + *used, text, len);
    *used += len;
    buf[*used] = '\0';
}

const char *region_rows_format(const region_rows *rows, size_t row, char sep, char *buf, size_t cap)
{
    char cell[512], sep_text[2] = {sep, '\0'};
    size_t used = 0;
    if (cap == 0)
        return buf;
    buf[0] = '\0';
    if (row >= rows->count)
        return buf;
    for (unsigned d = 0; d < rows->rows[row].depth; d++)
        append(buf, cap, &used, "  ");
    for (int c = 0; c < REGION_COL_COUNT; c++) {
        if (c > 0)
            append(buf, cap, &used, sep_text);
        append(buf, cap, &used, region_rows_cell(rows, row, (region_column)c, cell, sizeof cell));
    }
    return buf;
}

const char *region_rows_format_header(char sep, char *buf, size_t cap)
{
    char sep_text[2] = {sep, '\0'};
    size_t used = 0;
    if (cap == 0)
        return buf;
    buf[0] = '\0';
    for (int c = 0; c < REGION_COL_COUNT; c++) {
        if (c > 0)
            append(buf, cap, &used, sep_text);
        append(buf, cap, &used, region_column_name((region_column)c));
    }
    return buf;
}
