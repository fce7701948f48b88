#include "symtab.h"

#include <stdlib.h>
#include <string.h>
#include "../util/array.h"

#define MAX_ACTIVE 256u   /* scopes open at one address; real code nests a few deep */

/* ---- the sink ----------------------------------------------------------------------------------- */

static pmm_status sink_file(void *ctx, const char *path, uint32_t *id)
{
    pmm_symtab *t = ctx;
    return pmm_strings_intern(&t->strings, path, id);
}

static pmm_status sink_scope(void *ctx, const dbg_scope *s)
{
    pmm_symtab *t = ctx;
    if (s->rva >= t->limit || (s->size == 0 && s->kind != DBG_SCOPE_SYMBOL))
        return PMM_OK;
    if (t->scope_count >= UINT32_MAX - 1)
        return PMM_ERR_LIMIT;
    pmm_status st = pmm_array_reserve((void **)&t->scopes, &t->scope_cap, t->scope_count + 1, sizeof *t->scopes);
    if (st != PMM_OK)
        return st;
    pmm_symtab_scope *d = &t->scopes[t->scope_count];
    memset(d, 0, sizeof *d);
    st = pmm_strings_intern(&t->strings, s->name, &d->name);
    if (st != PMM_OK)
        return st;
    d->rva = s->rva;
    d->end = s->size > t->limit - s->rva ? t->limit : s->rva + s->size;
    d->call_file = s->call_file;
    d->call_line = s->call_line;
    d->order = (uint32_t)t->scope_count;
    d->kind = s->kind;
    d->origin = s->origin;
    d->depth = s->depth;
    t->scope_count++;
    return PMM_OK;
}

static pmm_status sink_sequence(void *ctx, const dbg_line_row *rows, size_t count, uint32_t end)
{
    pmm_symtab *t = ctx;
    if (count == 0 || rows[0].rva >= t->limit || end <= rows[0].rva)
        return PMM_OK;
    if (end > t->limit)
        end = t->limit;
    if (t->row_count + count >= UINT32_MAX / 2)
        return PMM_ERR_LIMIT;
    pmm_status st = pmm_array_reserve((void **)&t->rows, &t->row_cap, t->row_count + count, sizeof *t->rows);
    if (st == PMM_OK)
        st = pmm_array_reserve((void **)&t->sequences, &t->sequence_cap, t->sequence_count + 1, sizeof *t->sequences);
    if (st != PMM_OK)
        return st;
    pmm_symtab_sequence *q = &t->sequences[t->sequence_count++];
    q->first_row = (uint32_t)t->row_count;
    q->count = 0;
    q->start = rows[0].rva;
    q->end = end;
    for (size_t i = 0; i < count && rows[i].rva < end; i++) {
        pmm_symtab_row r = {rows[i].rva, rows[i].file, rows[i].line};
        t->rows[t->row_count++] = r;
        q->count++;
    }
    return PMM_OK;
}

static int compare_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

pmm_status pmm_symtab_init(pmm_symtab *t, uint32_t image_size, const uint32_t *section_ends, size_t count)
{
    memset(t, 0, sizeof *t);
    pmm_strings_init(&t->strings);
    t->limit = image_size;
    t->sink.ctx = t;
    t->sink.file = sink_file;
    t->sink.scope = sink_scope;
    t->sink.sequence = sink_sequence;
    if (count) {
        t->code_ends = malloc(count * sizeof *t->code_ends);
        if (!t->code_ends)
            return PMM_ERR_NOMEM;
        memcpy(t->code_ends, section_ends, count * sizeof *t->code_ends);
        qsort(t->code_ends, count, sizeof *t->code_ends, compare_u32);
        t->code_end_count = count;
    }
    return PMM_OK;
}

void pmm_symtab_free(pmm_symtab *t)
{
    pmm_strings_free(&t->strings);
    free(t->scopes);
    free(t->rows);
    free(t->segments);
    free(t->sequences);
    free(t->code_ends);
    free(t->segment_pages);
    free(t->row_pages);
    memset(t, 0, sizeof *t);
}

const char *pmm_symtab_text(const pmm_symtab *t, uint32_t id)
{
    return pmm_strings_get(&t->strings, id);
}

size_t pmm_symtab_memory(const pmm_symtab *t)
{
    return sizeof *t + pmm_strings_memory(&t->strings) + t->scope_cap * sizeof *t->scopes +
           t->row_cap * sizeof *t->rows + t->segment_count * sizeof *t->segments +
           t->code_end_count * sizeof *t->code_ends + 2 * (t->page_count + 1) * sizeof *t->segment_pages;
}

/* ---- measuring symbols ------------------------------------------------------------------------ */

static int compare_by_rva(const void *a, const void *b)
{
    const pmm_symtab_scope *x = a, *y = b;
    if (x->rva != y->rva)
        return x->rva < y->rva ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static uint32_t section_end_after(const pmm_symtab *t, uint32_t rva)
{
    size_t lo = 0, hi = t->code_end_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->code_ends[mid] <= rva)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < t->code_end_count ? t->code_ends[lo] : t->limit;
}

#define ORIGIN_SLOTS 8u

/* A symbol without a size reaches to the next function or symbol from the same source, or to the
 * end of its section: further than that its name would be a guess. */
static void measure_symbols(pmm_symtab *t)
{
    uint32_t next[ORIGIN_SLOTS];
    for (unsigned i = 0; i < ORIGIN_SLOTS; i++)
        next[i] = t->limit;
    size_t i = t->scope_count;
    while (i > 0) {
        size_t group_end = i;
        uint32_t rva = t->scopes[i - 1].rva;
        while (i > 0 && t->scopes[i - 1].rva == rva)
            i--;
        for (size_t k = i; k < group_end; k++) {
            pmm_symtab_scope *s = &t->scopes[k];
            if (s->kind == DBG_SCOPE_SYMBOL && s->end == s->rva) {
                uint32_t end = next[s->origin % ORIGIN_SLOTS];
                uint32_t section_end = section_end_after(t, s->rva);
                s->end = end < section_end ? end : section_end;
            }
        }
        for (size_t k = i; k < group_end; k++)
            if (t->scopes[k].kind != DBG_SCOPE_INLINED)
                next[t->scopes[k].origin % ORIGIN_SLOTS] = rva;
    }
}

/* ---- segments ------------------------------------------------------------------------------------ */

/* Best source first, then the smallest extent, then a named scope over a nameless one (a section
 * symbol at a function's address), then the later report (binutils' rule: it is the inner of two
 * scopes with the same extent). */
static int better(const pmm_symtab_scope *a, const pmm_symtab_scope *b)
{
    if (a->origin != b->origin)
        return a->origin < b->origin;
    uint32_t la = a->end - a->rva, lb = b->end - b->rva;
    if (la != lb)
        return la < lb;
    if (!a->name != !b->name)
        return a->name != 0;
    return a->order > b->order;
}

static int compare_extent(const void *a, const void *b)
{
    const pmm_symtab_scope *x = a, *y = b;
    if (x->rva != y->rva)
        return x->rva < y->rva ? -1 : 1;
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

typedef struct sweep {
    uint32_t active[MAX_ACTIVE];
    size_t count;
} sweep;

static void pick(const pmm_symtab *t, const sweep *w, uint32_t *inner, uint32_t *outer)
{
    *inner = *outer = PMM_SYMTAB_NONE;
    for (size_t i = 0; i < w->count; i++)
        if (*inner == PMM_SYMTAB_NONE || better(&t->scopes[w->active[i]], &t->scopes[*inner]))
            *inner = w->active[i];
    if (*inner == PMM_SYMTAB_NONE)
        return;
    const pmm_symtab_scope *in = &t->scopes[*inner];
    *outer = *inner;
    for (size_t i = 0; i < w->count; i++) {
        const pmm_symtab_scope *s = &t->scopes[w->active[i]];
        const pmm_symtab_scope *o = &t->scopes[*outer];
        if (s->origin == in->origin && s->kind == DBG_SCOPE_FUNCTION &&
            (o->kind != DBG_SCOPE_FUNCTION || s->depth < o->depth ||
             (s->depth == o->depth && s->end - s->rva > o->end - o->rva)))
            *outer = w->active[i];
    }
}

static pmm_status add_segment(pmm_symtab *t, size_t *cap, uint32_t rva, uint32_t inner, uint32_t outer)
{
    if (t->segment_count) {
        pmm_symtab_segment *last = &t->segments[t->segment_count - 1];
        if (last->inner == inner && last->outer == outer)
            return PMM_OK;
        if (last->rva == rva) {
            last->inner = inner;
            last->outer = outer;
            return PMM_OK;
        }
    }
    pmm_status st = pmm_array_reserve((void **)&t->segments, cap, t->segment_count + 1, sizeof *t->segments);
    if (st == PMM_OK) {
        pmm_symtab_segment s = {rva, inner, outer};
        t->segments[t->segment_count++] = s;
    }
    return st;
}

/* Sweeps the boundaries (every start and end) in order, keeping the scopes open at each. */
static pmm_status build_segments(pmm_symtab *t)
{
    size_t n = t->scope_count, cap = 0;
    uint32_t *points = malloc((2 * n + 1) * sizeof *points);
    if (!points)
        return PMM_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        points[2 * i] = t->scopes[i].rva;
        points[2 * i + 1] = t->scopes[i].end;
    }
    qsort(points, 2 * n, sizeof *points, compare_u32);
    sweep w;
    w.count = 0;
    size_t next = 0;
    pmm_status st = PMM_OK;
    for (size_t p = 0; p < 2 * n && st == PMM_OK; p++) {
        uint32_t at = points[p];
        if (p > 0 && points[p - 1] == at)
            continue;
        size_t kept = 0;
        for (size_t i = 0; i < w.count; i++)
            if (t->scopes[w.active[i]].end > at)
                w.active[kept++] = w.active[i];
        w.count = kept;
        for (; next < n && t->scopes[next].rva <= at; next++)
            if (t->scopes[next].end > at && w.count < MAX_ACTIVE)
                w.active[w.count++] = (uint32_t)next;
        uint32_t inner, outer;
        pick(t, &w, &inner, &outer);
        st = add_segment(t, &cap, at, inner, outer);
    }
    free(points);
    return st;
}

/* ---- line rows ----------------------------------------------------------------------------- */

static int compare_sequences(const void *a, const void *b)
{
    const pmm_symtab_sequence *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->end > y->end ? -1 : x->end < y->end;
}

static void put_row(pmm_symtab_row *out, size_t *count, uint32_t rva, uint32_t file, uint32_t line)
{
    if (*count && out[*count - 1].rva == rva) {
        out[*count - 1].file = file;   /* at one address the last row wins, as in binutils */
        out[*count - 1].line = line;
        return;
    }
    pmm_symtab_row r = {rva, file, line};
    out[(*count)++] = r;
}

/* Sequences sorted by start; one nested in an earlier one is dropped and one overlapping an
 * earlier one starts where that one ends (binutils does the same), so the merged rows are one
 * sorted list with an end marker after each sequence. */
static pmm_status merge_rows(pmm_symtab *t)
{
    if (t->sequence_count > 1)
        qsort(t->sequences, t->sequence_count, sizeof *t->sequences, compare_sequences);
    pmm_symtab_row *out = malloc((t->row_count + t->sequence_count + 1) * sizeof *out);
    if (!out)
        return PMM_ERR_NOMEM;
    size_t count = 0;
    uint32_t covered_to = 0;
    for (size_t s = 0; s < t->sequence_count; s++) {
        const pmm_symtab_sequence *q = &t->sequences[s];
        uint32_t start = q->start;
        if (s > 0 && start < covered_to) {
            if (q->end <= covered_to)
                continue;
            start = covered_to;
        }
        const pmm_symtab_row *rows = t->rows + q->first_row;
        size_t first = 0;
        while (first + 1 < q->count && rows[first + 1].rva <= start)
            first++;
        put_row(out, &count, start, rows[first].file, rows[first].line);
        for (size_t i = first + 1; i < q->count; i++)
            put_row(out, &count, rows[i].rva, rows[i].file, rows[i].line);
        put_row(out, &count, q->end, PMM_SYMTAB_NONE, 0);
        covered_to = q->end;
    }
    free(t->rows);
    t->rows = out;
    t->row_count = count;
    t->row_cap = t->row_count + t->sequence_count + 1;
    free(t->sequences);
    t->sequences = NULL;
    t->sequence_count = t->sequence_cap = 0;
    return PMM_OK;
}

#define MAX_PAGES 262144u    /* 2 MiB of index at most, whatever the image's size */

/* pages[p] = how many of the rvas (sorted) lie below page p. */
static uint32_t *page_index(const pmm_symtab *t, const void *items, size_t count, size_t stride)
{
    uint32_t *pages = malloc((t->page_count + 1) * sizeof *pages);
    if (!pages)
        return NULL;
    size_t i = 0;
    for (size_t p = 0; p <= t->page_count; p++) {
        uint64_t start = (uint64_t)p << t->page_shift;
        while (i < count && *(const uint32_t *)((const uint8_t *)items + i * stride) < start)
            i++;
        pages[p] = (uint32_t)i;
    }
    return pages;
}

static pmm_status build_page_index(pmm_symtab *t)
{
    t->page_shift = 12;
    while (((uint64_t)t->limit >> t->page_shift) + 1 > MAX_PAGES)
        t->page_shift++;
    t->page_count = (size_t)((uint64_t)t->limit >> t->page_shift) + 1;
    t->segment_pages = page_index(t, t->segments, t->segment_count, sizeof *t->segments);
    t->row_pages = page_index(t, t->rows, t->row_count, sizeof *t->rows);
    return t->segment_pages && t->row_pages ? PMM_OK : PMM_ERR_NOMEM;
}

pmm_status pmm_symtab_finish(pmm_symtab *t)
{
    if (t->scope_count > 1)
        qsort(t->scopes, t->scope_count, sizeof *t->scopes, compare_by_rva);
    measure_symbols(t);
    if (t->scope_count > 1)
        qsort(t->scopes, t->scope_count, sizeof *t->scopes, compare_extent);
    pmm_status st = build_segments(t);
    if (st == PMM_OK)
        st = merge_rows(t);
    if (st == PMM_OK)
        st = build_page_index(t);
    return st;
}

/* ---- lookups ------------------------------------------------------------------------------------ */

/* How many entries have an rva at or below rva: segments or rows (both start with their rva,
 * and are sorted by it); the page index says where to search. */
static size_t count_at_or_below(const pmm_symtab *t, const uint32_t *pages, const void *items, size_t count,
                                size_t stride, uint32_t rva)
{
    size_t lo = 0, hi = count;
    if (pages) {
        size_t p = rva >> t->page_shift;
        if (p < t->page_count) {
            lo = pages[p];
            hi = pages[p + 1];
        } else {
            lo = pages[t->page_count];
        }
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (*(const uint32_t *)((const uint8_t *)items + mid * stride) <= rva)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int pmm_symtab_lookup(const pmm_symtab *t, uint32_t rva, pmm_symtab_hit *hit)
{
    memset(hit, 0, sizeof *hit);
    size_t n = count_at_or_below(t, t->segment_pages, t->segments, t->segment_count, sizeof *t->segments, rva);
    if (n > 0 && t->segments[n - 1].inner != PMM_SYMTAB_NONE) {
        hit->inner = &t->scopes[t->segments[n - 1].inner];
        hit->outer = &t->scopes[t->segments[n - 1].outer];
    }
    n = count_at_or_below(t, t->row_pages, t->rows, t->row_count, sizeof *t->rows, rva);
    if (n > 0 && t->rows[n - 1].file != PMM_SYMTAB_NONE) {
        hit->has_line = 1;
        hit->file = t->rows[n - 1].file;
        hit->line = t->rows[n - 1].line;
    }
    return hit->inner || hit->has_line;
}

size_t pmm_symtab_chain(const pmm_symtab *t, uint32_t rva, const pmm_symtab_scope **out, size_t cap)
{
    pmm_symtab_hit hit;
    if (!cap || !pmm_symtab_lookup(t, rva, &hit) || !hit.inner)
        return 0;
    size_t count = 0;
    out[count++] = hit.inner;
    if (hit.inner == hit.outer)
        return count;
    /* The scopes between: inlined calls of the same source inside the outer function. */
    for (size_t i = (size_t)(hit.outer - t->scopes); i < t->scope_count && t->scopes[i].rva <= rva; i++) {
        const pmm_symtab_scope *s = &t->scopes[i];
        if (s == hit.inner || s == hit.outer || s->origin != hit.inner->origin || s->end <= rva ||
            s->depth >= hit.inner->depth || s->depth <= hit.outer->depth)
            continue;
        size_t at = count;
        while (at > 1 && out[at - 1]->depth < s->depth)
            at--;
        if (count < cap) {
            memmove(&out[at + 1], &out[at], (count - at) * sizeof *out);
            out[at] = s;
            count++;
        }
    }
    if (count < cap)
        out[count++] = hit.outer;
    return count;
}
