/* The last resort: the export table, read from the image file (or the mapped image). On x64 the
 * function table (.pdata) gives each function's extent, so an export's name covers its own
 * function only and an address in an unexported function stays "module+0x...". Elsewhere an
 * export reaches to the next export or the end of its section. */
#include "image_symbols_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct named_rva {
    uint32_t rva;
    const char *export_name;     /* NULL for an export by ordinal only */
    char ordinal_name[24];       /* "Ordinal12" */
    int covered;                 /* a function-table entry starts here and carries the name */
} named_rva;

static const char *name_of(const named_rva *n)
{
    return n->export_name ? n->export_name : n->ordinal_name;
}

/* By address; at one address named exports first, so the name shown does not depend on the
 * order of the export table. */
static int compare_named(const void *a, const void *b)
{
    const named_rva *x = a, *y = b;
    if (x->rva != y->rva)
        return x->rva < y->rva ? -1 : 1;
    if (!x->export_name != !y->export_name)
        return x->export_name ? -1 : 1;
    return strcmp(name_of(x), name_of(y));
}

/* The first export at rva, or NULL. */
static named_rva *export_at(named_rva *sorted, size_t count, uint32_t rva)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sorted[mid].rva < rva)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < count && sorted[lo].rva == rva ? &sorted[lo] : NULL;
}

static pmm_status add(pmm_image_symbols *s, uint32_t rva, uint32_t size, const char *name, uint8_t kind)
{
    dbg_scope scope = {rva, size, name, kind, DBG_ORIGIN_EXPORT, 0, 0, 0};
    return s->table.sink.scope(s->table.sink.ctx, &scope);
}

/* Functions of the x64 table become scopes named by the export at their start, if any. */
static pmm_status add_function_table(pmm_image_symbols *s, pe_image *img, named_rva *exports, size_t count)
{
    pe_exceptions ex;
    if (pe_read_exceptions(img, &ex) != PMM_OK)
        return PMM_OK;
    pmm_status st = PMM_OK;
    for (size_t i = 0; i < ex.count && st == PMM_OK; i++) {
        const pe_runtime_function *f = &ex.items[i];
        if (f->end_rva <= f->begin_rva)
            continue;
        named_rva *e = export_at(exports, count, f->begin_rva);
        st = add(s, f->begin_rva, f->end_rva - f->begin_rva, e ? name_of(e) : NULL, DBG_SCOPE_FUNCTION);
        for (; e && e < exports + count && e->rva == f->begin_rva; e++)
            e->covered = 1;
    }
    pe_exceptions_free(&ex);
    return st;
}

pmm_status image_add_exports(pmm_image_symbols *s, image_views *v)
{
    /* The file when it is the same build: reading it costs less than target memory (a system call
     * per chunk in a live process), and the names and extents are the same. */
    pe_image *img = v->have_file ? &v->file : &v->mapped;
    pe_exports ex;
    if (pe_read_exports(img, &ex) != PMM_OK)
        return PMM_OK;
    named_rva *sorted = malloc((ex.count ? ex.count : 1) * sizeof *sorted);
    if (!sorted) {
        pe_exports_free(&ex);
        return PMM_ERR_NOMEM;
    }
    size_t count = 0;
    for (size_t i = 0; i < ex.count; i++) {
        const pe_export *e = &ex.items[i];
        if (e->forwarder || !e->rva || e->rva >= img->size_of_image)
            continue;
        named_rva *n = &sorted[count++];
        memset(n, 0, sizeof *n);
        n->rva = e->rva;
        snprintf(n->ordinal_name, sizeof n->ordinal_name, "Ordinal%u", e->ordinal);
        n->export_name = e->name;
    }
    if (count > 1)
        qsort(sorted, count, sizeof *sorted, compare_named);
    pmm_status st = add_function_table(s, img, sorted, count);
    for (size_t i = 0; st == PMM_OK && i < count; i++)
        if (!sorted[i].covered)
            st = add(s, sorted[i].rva, 0, name_of(&sorted[i]), DBG_SCOPE_SYMBOL);
    if (st == PMM_OK && count)
        s->origins |= 1u << DBG_ORIGIN_EXPORT;
    free(sorted);
    pe_exports_free(&ex);
    return st;
}
