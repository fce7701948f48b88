/* The export directory: named exports, ordinal-only exports, forwarders and data exports. */
#include "pe_internal.h"

#include <stdlib.h>
#include <string.h>

#define EXPORT_DIRECTORY_SIZE 40u

typedef struct export_tables {
    uint32_t *functions;
    size_t function_count;
    uint32_t *names;
    uint16_t *ordinals;
    size_t name_count;
    uint8_t *named;          /* per function: reached through a name */
} export_tables;

/* Reads count little-endian values of width bytes; *readable says how many were read when the
 * table runs into unreadable bytes (the rest are left as zero). */
static pmm_status read_table(pe_image *img, uint32_t rva, size_t count, unsigned width, void *out,
                             size_t *readable)
{
    *readable = 0;
    if (count == 0)
        return PMM_OK;
    uint8_t *raw = malloc(count * width);
    if (!raw)
        return PMM_ERR_NOMEM;
    size_t n = 0;
    if (pe_range_ok(rva, (uint32_t)(count * width)) && pe_read_rva(img, rva, raw, count * width) == PMM_OK) {
        n = count;
    } else {
        /* Part of the table may still be there: take what precedes the first unreadable entry. */
        while (n < count && pe_range_ok(rva, (uint32_t)((n + 1) * width)) &&
               pe_read_rva(img, rva + (uint32_t)(n * width), raw + n * width, width) == PMM_OK)
            n++;
    }
    for (size_t i = 0; i < n; i++) {
        if (width == 4)
            ((uint32_t *)out)[i] = pmm_le32(raw + 4 * i);
        else
            ((uint16_t *)out)[i] = pmm_le16(raw + 2 * i);
    }
    free(raw);
    *readable = n;
    return PMM_OK;
}

static void free_tables(export_tables *t)
{
    free(t->functions);
    free(t->names);
    free(t->ordinals);
    free(t->named);
}

static pmm_status load_tables(pe_image *img, pe_exports *ex, export_tables *t)
{
    size_t nfunc = ex->function_count, nname = ex->name_count;
    if (nfunc > PE_MAX_EXPORTS) {
        nfunc = PE_MAX_EXPORTS;
        ex->truncated = 1;
    }
    if (nname > PE_MAX_EXPORTS) {
        nname = PE_MAX_EXPORTS;
        ex->truncated = 1;
    }
    t->functions = calloc(nfunc ? nfunc : 1, sizeof *t->functions);
    t->named = calloc(nfunc ? nfunc : 1, 1);
    t->names = calloc(nname ? nname : 1, sizeof *t->names);
    t->ordinals = calloc(nname ? nname : 1, sizeof *t->ordinals);
    if (!t->functions || !t->named || !t->names || !t->ordinals)
        return PMM_ERR_NOMEM;
    size_t got_names, got_ordinals;
    pmm_status st = read_table(img, ex->functions_rva, nfunc, 4, t->functions, &t->function_count);
    if (st == PMM_OK)
        st = read_table(img, ex->names_rva, nname, 4, t->names, &got_names);
    if (st == PMM_OK)
        st = read_table(img, ex->ordinals_rva, nname, 2, t->ordinals, &got_ordinals);
    if (st != PMM_OK)
        return st;
    t->name_count = got_names < got_ordinals ? got_names : got_ordinals;
    if (t->function_count < nfunc || t->name_count < nname)
        ex->truncated = 1;
    return PMM_OK;
}

static int is_executable_rva(const pe_image *img, uint32_t rva)
{
    size_t i = pe_section_of_rva(img, rva);
    if (i == PE_NO_SECTION)
        return 0;
    uint32_t c = img->sections[i].characteristics;
    return (c & (PE_SCN_MEM_EXECUTE | PE_SCN_CNT_CODE)) != 0;
}

static pmm_status add_export(pe_image *img, pe_exports *ex, size_t *cap, uint32_t index, uint32_t rva,
                             const char *name, uint16_t hint)
{
    pmm_status st = PMM_OK;
    if (ex->count == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        pe_export *grown = realloc(ex->items, nc * sizeof *grown);
        if (!grown)
            return PMM_ERR_NOMEM;
        ex->items = grown;
        *cap = nc;
    }
    pe_export *e = &ex->items[ex->count];
    memset(e, 0, sizeof *e);
    e->ordinal = ex->ordinal_base + index;
    e->rva = rva;
    e->name = name;
    e->hint = hint;
    const pe_data_directory *dir = &img->directories[PE_DIR_EXPORT];
    /* An address inside the export directory itself is a "DLL.Function" forwarder string. */
    if (rva >= dir->rva && rva - dir->rva < dir->size) {
        st = pe_read_name(img, rva, &ex->strings, &e->forwarder);
        if (st == PMM_ERR_NOMEM)
            return st;
        if (st != PMM_OK) {
            e->forwarder = NULL;
            ex->truncated = 1;
        }
    } else if (rva) {
        e->is_data = !is_executable_rva(img, rva);
    }
    ex->count++;
    return PMM_OK;
}

static pmm_status collect(pe_image *img, pe_exports *ex, export_tables *t)
{
    size_t cap = 0;
    for (size_t i = 0; i < t->name_count; i++) {
        uint16_t index = t->ordinals[i];
        if (index >= t->function_count) {
            ex->truncated = 1;  /* a name for a function the table does not have */
            continue;
        }
        const char *name = NULL;
        pmm_status st = pe_read_name(img, t->names[i], &ex->strings, &name);
        if (st == PMM_ERR_NOMEM)
            return st;
        if (st != PMM_OK) {
            ex->truncated = 1;
            continue;
        }
        t->named[index] = 1;
        st = add_export(img, ex, &cap, index, t->functions[index], name, (uint16_t)i);
        if (st != PMM_OK)
            return st;
    }
    for (size_t i = 0; i < t->function_count; i++) {
        if (t->named[i] || t->functions[i] == 0)
            continue;
        pmm_status st = add_export(img, ex, &cap, (uint32_t)i, t->functions[i], NULL, 0);
        if (st != PMM_OK)
            return st;
    }
    return PMM_OK;
}

pmm_status pe_read_exports(pe_image *img, pe_exports *out)
{
    memset(out, 0, sizeof *out);
    out->dll_name = "";
    const pe_data_directory *dir = &img->directories[PE_DIR_EXPORT];
    if (dir->rva == 0)
        return PMM_ERR_NOT_FOUND;
    uint8_t d[EXPORT_DIRECTORY_SIZE];
    pmm_status st = pe_read_rva(img, dir->rva, d, sizeof d);
    if (st != PMM_OK)
        return st;
    out->characteristics = pmm_le32(d + 0);
    out->timestamp = pmm_le32(d + 4);
    out->major_version = pmm_le16(d + 8);
    out->minor_version = pmm_le16(d + 10);
    uint32_t name_rva = pmm_le32(d + 12);
    out->ordinal_base = pmm_le32(d + 16);
    out->function_count = pmm_le32(d + 20);
    out->name_count = pmm_le32(d + 24);
    out->functions_rva = pmm_le32(d + 28);
    out->names_rva = pmm_le32(d + 32);
    out->ordinals_rva = pmm_le32(d + 36);
    if (name_rva) {
        const char *name = NULL;
        st = pe_read_name(img, name_rva, &out->strings, &name);
        if (st == PMM_ERR_NOMEM)
            goto fail;
        if (name)
            out->dll_name = name;
    }
    export_tables t;
    memset(&t, 0, sizeof t);
    st = load_tables(img, out, &t);
    if (st == PMM_OK)
        st = collect(img, out, &t);
    free_tables(&t);
    if (st == PMM_OK)
        return PMM_OK;
fail:
    pe_exports_free(out);
    return st;
}

void pe_exports_free(pe_exports *ex)
{
    if (!ex)
        return;
    free(ex->items);
    pe_strings_free(&ex->strings);
    memset(ex, 0, sizeof *ex);
    ex->dll_name = "";
}

pmm_status pe_read_exports_at(pmm_source *src, uint64_t base, pe_exports *out)
{
    pe_image img;
    pmm_status st = pe_open(src, base, PE_LAYOUT_IMAGE, &img);
    if (st != PMM_OK)
        return st;
    st = pe_read_exports(&img, out);
    pe_close(&img);
    return st;
}
