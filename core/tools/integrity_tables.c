/* The pointers the loader fills or follows, checked one by one instead of byte by byte: IAT slots
 * against the export each import names, delay-load IAT slots, the export address table, TLS
 * callbacks, the entry point and the CFG check-function pointers. */
#include "integrity_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t slot_size(const integrity_image *img)
{
    return img->file.pointer_size;
}

static uint64_t read_le(const uint8_t *p, uint32_t n)
{
    uint64_t v = 0;
    for (uint32_t i = n; i-- > 0;)
        v = (v << 8) | p[i];
    return v;
}

static int in_image(const integrity_image *img, uint64_t address)
{
    return address >= img->base && address - img->base < img->size;
}

static void import_label(char *buf, size_t cap, const pe_import_module *m, const pe_import_function *f)
{
    if (f->name)
        snprintf(buf, cap, "%s!%s", m->dll_name, f->name);
    else if (f->by_ordinal)
        snprintf(buf, cap, "%s!#%u", m->dll_name, f->ordinal);
    else
        snprintf(buf, cap, "%s!(unreadable name)", m->dll_name);
}

/* ---- exclusions ------------------------------------------------------------------------------- */

static pmm_status exclude_import_slots(integrity_image *img, const pe_imports *im)
{
    pmm_status st = PMM_OK;
    for (size_t i = 0; i < im->module_count && st == PMM_OK; i++)
        st = integrity_exclude(img, im->modules[i].iat_rva,
                               ((uint64_t)im->modules[i].function_count + 1) * slot_size(img));
    return st;
}

/* Where the file's export address table is: from its export directory alone, so the names (read
 * only when an entry changed) cost nothing on a clean image. */
typedef struct export_table_place {
    uint32_t rva, count, ordinal_base;
} export_table_place;

static int export_table(integrity_image *img, export_table_place *out)
{
    const pe_data_directory *dir = &img->file.directories[PE_DIR_EXPORT];
    uint8_t d[40];
    if (!dir->rva || pe_read_rva(&img->file, dir->rva, d, sizeof d) != PMM_OK)
        return 0;
    out->ordinal_base = (uint32_t)read_le(d + 16, 4);
    out->count = (uint32_t)read_le(d + 20, 4);
    out->rva = (uint32_t)read_le(d + 28, 4);
    if (out->count > PE_MAX_EXPORTS)
        out->count = PE_MAX_EXPORTS;
    return out->rva && out->count;
}

static uint32_t va_rva(const integrity_image *img, uint64_t va)
{
    uint64_t rva = va - img->file.image_base;
    return va >= img->file.image_base && rva < img->file.size_of_image ? (uint32_t)rva : 0;
}

pmm_status integrity_exclude_tables(integrity_ctx *ctx, integrity_image *img)
{
    (void)ctx;
    pe_image *f = &img->file;
    const pe_data_directory *iat = &f->directories[PE_DIR_IAT];
    pmm_status st = integrity_exclude(img, iat->rva, iat->size);
    pmm_status got = pe_read_imports(f, &img->imports);
    if (got == PMM_ERR_NOMEM)
        return got;
    img->have_imports = got == PMM_OK;
    got = pe_read_delay_imports(f, &img->delay_imports);
    if (got == PMM_ERR_NOMEM)
        return got;
    img->have_delay_imports = got == PMM_OK;
    if (st == PMM_OK && img->have_imports)
        st = exclude_import_slots(img, &img->imports);
    if (st == PMM_OK && img->have_delay_imports)
        st = exclude_import_slots(img, &img->delay_imports);
    export_table_place eat;
    if (st == PMM_OK && export_table(img, &eat))
        st = integrity_exclude(img, eat.rva, (uint64_t)eat.count * 4);
    pe_tls tls;
    if (st == PMM_OK && pe_read_tls(f, &tls) == PMM_OK && va_rva(img, tls.callbacks_address))
        st = integrity_exclude(img, va_rva(img, tls.callbacks_address),
                               ((uint64_t)tls.callback_count + 1) * slot_size(img));
    pe_load_config lc;
    if (st == PMM_OK && pe_read_load_config(f, &lc) == PMM_OK) {
        if (va_rva(img, lc.guard_cf_check_function))
            st = integrity_exclude(img, va_rva(img, lc.guard_cf_check_function), slot_size(img));
        if (st == PMM_OK && va_rva(img, lc.guard_cf_dispatch_function))
            st = integrity_exclude(img, va_rva(img, lc.guard_cf_dispatch_function), slot_size(img));
    }
    return st;
}

/* ---- IAT -------------------------------------------------------------------------------------- */

typedef struct name_match {
    uint64_t value;
    int found;
} name_match;

static void match_value(void *ctx, const pmm_symbol *symbol)
{
    name_match *m = ctx;
    m->found |= symbol->address == m->value;
}

/* For an import through an API set whose schema could not be read: the slot must at least hold an
 * export of that name. */
static int is_export_named(integrity_ctx *ctx, const char *name, uint64_t value)
{
    name_match m = {value, 0};
    if (name)
        pmm_symbols_find_name(integrity_symbols(ctx), name, match_value, &m);
    return m.found;
}

static pmm_status report_slot(integrity_ctx *ctx, integrity_image *img, uint32_t kind, uint32_t rva, uint64_t value,
                              uint64_t expected, const char *label)
{
    char want[600];
    integrity_describe(ctx, expected, want, sizeof want);
    integrity_finding_args a = {kind, integrity_module_number(img), img->base + rva, slot_size(img), value, NULL,
                                NULL, 0, 1};
    return integrity_add_finding(ctx, &a, "the slot for %s should hold 0x%" PRIx64 " (%s)", label, expected, want);
}

/* One import's slot. value_in_file is the slot's relocated file value: a delay-load slot holding
 * it has not been resolved yet. */
static pmm_status check_slot(integrity_ctx *ctx, integrity_image *img, uint32_t kind, const pe_import_module *m,
                             const pe_import_function *f, uint64_t value, uint64_t value_in_file)
{
    char label[PE_MAX_NAME + 300], why[PE_MAX_NAME + 400];
    uint64_t expected = 0;
    import_label(label, sizeof label, m, f);
    if (kind == PMM_FINDING_DELAY_IAT && value == value_in_file)
        return PMM_OK;
    if (!f->name && !f->by_ordinal)
        return integrity_add_unchecked(ctx, integrity_module_number(img), img->base + f->iat_rva, slot_size(img),
                                       label, "the import's name could not be read from the file");
    pmm_status st = integrity_resolve_export(ctx, img->name, m->dll_name, f->name, f->ordinal, &expected, why,
                                             sizeof why);
    if (st == PMM_ERR_NOMEM)
        return st;
    if (st == PMM_ERR_UNSUPPORTED) {
        if (is_export_named(ctx, f->name, value))
            return PMM_OK;
        integrity_finding_args a = {kind, integrity_module_number(img), img->base + f->iat_rva, slot_size(img), value,
                                    NULL, NULL, 0, 1};
        return integrity_add_finding(ctx, &a, "the slot for %s holds no export of that name (%s)", label, why);
    }
    if (st != PMM_OK)
        return integrity_add_unchecked(ctx, integrity_module_number(img), img->base + f->iat_rva, slot_size(img),
                                       label, "%s", why);
    return value == expected ? PMM_OK : report_slot(ctx, img, kind, f->iat_rva, value, expected, label);
}

static const char *unreadable_reason(const integrity_ctx *ctx)
{
    return ctx->src->target.source_kind == PMM_SOURCE_MINIDUMP ? "pages not in the dump" : "memory could not be read";
}

/* The IAT slots of all the imports, read from memory in one piece when they lie within this span
 * (they normally sit side by side in the IAT directory): one read instead of one per module. */
#define IAT_SPAN_MAX (4u * 1024 * 1024)

typedef struct iat_memory {
    uint32_t rva;                /* of bytes[0] */
    size_t size;
    uint8_t *bytes;              /* NULL: read each module's slots on their own */
} iat_memory;

static void read_iat_span(integrity_ctx *ctx, integrity_image *img, const pe_imports *im, iat_memory *out)
{
    memset(out, 0, sizeof *out);
    uint64_t lo = UINT64_MAX, hi = 0;
    for (size_t i = 0; i < im->module_count; i++) {
        const pe_import_module *m = &im->modules[i];
        uint64_t end = (uint64_t)m->iat_rva + (uint64_t)m->function_count * slot_size(img);
        lo = m->iat_rva < lo ? m->iat_rva : lo;
        hi = end > hi ? end : hi;
    }
    if (hi <= lo || hi - lo > IAT_SPAN_MAX || !(out->bytes = malloc((size_t)(hi - lo))))
        return;
    out->rva = (uint32_t)lo;
    out->size = (size_t)(hi - lo);
    if (pmm_source_read(ctx->src, img->base + lo, out->bytes, out->size) != out->size) {
        free(out->bytes);
        out->bytes = NULL;   /* some slots unreadable: each module says which */
    }
}

/* A module's slots: from the span, or read now into own (freed by the caller). */
static const uint8_t *module_slots(integrity_ctx *ctx, integrity_image *img, const iat_memory *span,
                                   const pe_import_module *m, uint8_t **own)
{
    size_t bytes = m->function_count * slot_size(img);
    *own = NULL;
    if (span->bytes)
        return span->bytes + (m->iat_rva - span->rva);
    if (!(*own = malloc(bytes)))
        return NULL;
    if (pmm_source_read(ctx->src, img->base + m->iat_rva, *own, bytes) == bytes)
        return *own;
    free(*own);
    *own = NULL;
    return NULL;
}

static pmm_status check_import_module(integrity_ctx *ctx, integrity_image *img, uint32_t kind, const pe_imports *im,
                                      const pe_import_module *m, const iat_memory *span)
{
    uint32_t ps = slot_size(img);
    size_t bytes = m->function_count * ps;
    if (bytes == 0)
        return PMM_OK;
    char what[400];
    snprintf(what, sizeof what, "%s from %s (%zu slots)", kind == PMM_FINDING_DELAY_IAT ? "delay-load imports"
                                                                                      : "imports",
             m->dll_name, m->function_count);
    /* One entry for a whole module that is not there, not one per slot. */
    if (!pmm_apiset_is_contract(m->dll_name, strlen(m->dll_name)) &&
        integrity_module_by_name(ctx->map, m->dll_name) == PMM_NO_INDEX)
        return integrity_add_unchecked(ctx, integrity_module_number(img), img->base + m->iat_rva, bytes, what,
                                       "%s is not loaded", m->dll_name);
    uint8_t *own;
    const uint8_t *slots = module_slots(ctx, img, span, m, &own);
    if (!slots) {
        img->partial = 1;
        return integrity_add_unchecked(ctx, integrity_module_number(img), img->base + m->iat_rva, bytes, what, "%s",
                                       unreadable_reason(ctx));
    }
    pmm_status st = PMM_OK;
    for (size_t i = 0; st == PMM_OK && i < m->function_count; i++) {
        const pe_import_function *f = &im->functions[m->first_function + i];
        uint64_t in_file = 0;
        if (kind == PMM_FINDING_DELAY_IAT)
            integrity_expected_pointer(img, f->iat_rva, &in_file);
        st = check_slot(ctx, img, kind, m, f, read_le(slots + i * ps, ps), in_file);
    }
    free(own);
    return st;
}

static pmm_status check_imports(integrity_ctx *ctx, integrity_image *img, uint32_t kind, const pe_imports *im)
{
    iat_memory span;
    read_iat_span(ctx, img, im, &span);
    pmm_status st = PMM_OK;
    for (size_t i = 0; i < im->module_count && st == PMM_OK; i++)
        st = check_import_module(ctx, img, kind, im, &im->modules[i], &span);
    free(span.bytes);
    if (st == PMM_OK && im->truncated)
        st = integrity_add_unchecked(ctx, integrity_module_number(img), img->base, 0,
                                     kind == PMM_FINDING_DELAY_IAT ? "delay-load imports" : "imports",
                                     "the file's import table is damaged or too long; the rest was not checked");
    return st;
}

/* ---- EAT -------------------------------------------------------------------------------------- */

/* "Name (ordinal 3)" or "ordinal 3": the names are read from the file now, when one is needed. */
static void export_label(integrity_image *img, uint32_t ordinal, char *buf, size_t cap)
{
    pe_exports ex;
    const char *name = NULL;
    int read = pe_read_exports(&img->file, &ex) == PMM_OK;
    for (size_t i = 0; read && i < ex.count && !name; i++)
        if (ex.items[i].ordinal == ordinal && ex.items[i].name)
            name = ex.items[i].name;
    if (name)
        snprintf(buf, cap, "%s (ordinal %u)", name, ordinal);
    else
        snprintf(buf, cap, "ordinal %u", ordinal);
    if (read)
        pe_exports_free(&ex);
}

static pmm_status report_eat_entry(integrity_ctx *ctx, integrity_image *img, const export_table_place *eat,
                                   uint32_t index, uint32_t file_rva, uint32_t memory_rva)
{
    char label[PE_MAX_NAME + 32];
    export_label(img, eat->ordinal_base + index, label, sizeof label);
    uint8_t fb[4] = {(uint8_t)file_rva, (uint8_t)(file_rva >> 8), (uint8_t)(file_rva >> 16), (uint8_t)(file_rva >> 24)};
    uint8_t mb[4] = {(uint8_t)memory_rva, (uint8_t)(memory_rva >> 8), (uint8_t)(memory_rva >> 16),
                     (uint8_t)(memory_rva >> 24)};
    uint64_t dest = memory_rva ? (img->base + memory_rva) & (img->file.pointer_size == 4 ? 0xFFFFFFFFu : UINT64_MAX) : 0;
    integrity_finding_args a = {PMM_FINDING_EAT, integrity_module_number(img), img->base + eat->rva + 4ull * index,
                                4, dest, fb, mb, 4, 1};
    if (!memory_rva)
        return integrity_add_finding(ctx, &a, "export %s removed: its RVA 0x%x is now 0", label, file_rva);
    return integrity_add_finding(ctx, &a, "export %s: RVA 0x%x in the file, 0x%x in memory", label, file_rva,
                                 memory_rva);
}

static pmm_status check_exports(integrity_ctx *ctx, integrity_image *img)
{
    export_table_place eat;
    if (!export_table(img, &eat))
        return PMM_OK;
    size_t bytes = (size_t)eat.count * 4;
    uint8_t *file = malloc(bytes), *memory = malloc(bytes);
    pmm_status st = PMM_OK;
    if (!file || !memory) {
        st = PMM_ERR_NOMEM;
    } else if (pe_read_rva(&img->file, eat.rva, file, bytes) != PMM_OK) {
        st = integrity_add_unchecked(ctx, integrity_module_number(img), img->base + eat.rva, bytes,
                                     "export address table", "the file's export address table could not be read");
    } else if (pmm_source_read(ctx->src, img->base + eat.rva, memory, bytes) != bytes) {
        img->partial = 1;
        st = integrity_add_unchecked(ctx, integrity_module_number(img), img->base + eat.rva, bytes,
                                     "export address table", "%s", unreadable_reason(ctx));
    } else {
        for (uint32_t i = 0; i < eat.count && st == PMM_OK; i++) {
            uint32_t f = (uint32_t)read_le(file + 4 * i, 4), m = (uint32_t)read_le(memory + 4 * i, 4);
            if (f != m)
                st = report_eat_entry(ctx, img, &eat, i, f, m);
        }
    }
    free(file);
    free(memory);
    return st;
}

/* ---- TLS callbacks ---------------------------------------------------------------------------- */

static pmm_status report_callback(integrity_ctx *ctx, integrity_image *img, uint64_t slot, uint64_t value,
                                  uint64_t expected, size_t index)
{
    integrity_finding_args a = {PMM_FINDING_TLS_CALLBACK, integrity_module_number(img), slot, slot_size(img), value,
                                NULL, NULL, 0, 1};
    if (expected)
        return integrity_add_finding(ctx, &a, "TLS callback %zu should be 0x%" PRIx64 "", index, expected);
    if (!in_image(img, value))
        return integrity_add_finding(ctx, &a, "TLS callback %zu, which the file does not have, points outside the "
                                              "image", index);
    return integrity_add_finding(ctx, &a, "TLS callback %zu was added; the file does not have it", index);
}

static pmm_status check_tls(integrity_ctx *ctx, integrity_image *img)
{
    pe_tls tls;
    uint32_t ps = slot_size(img), rva;
    if (pe_read_tls(&img->file, &tls) != PMM_OK || !(rva = va_rva(img, tls.callbacks_address)))
        return PMM_OK;
    pmm_status st = PMM_OK;
    for (size_t i = 0; i < PE_MAX_TLS_CALLBACKS && st == PMM_OK; i++) {
        uint64_t slot = img->base + rva + i * ps, value;
        if (pmm_source_read_pointer(ctx->src, slot, ps, &value) != PMM_OK)
            return integrity_add_unchecked(ctx, integrity_module_number(img), slot, ps, "TLS callbacks", "%s",
                                           unreadable_reason(ctx));
        uint64_t expected = i < tls.callback_count ? tls.callbacks[i] + img->delta : 0;
        if (ps == 4)
            expected &= 0xFFFFFFFFu;
        if (value == 0 && expected == 0)
            break;
        if (value != expected)
            st = report_callback(ctx, img, slot, value, expected, i);
        else if (!in_image(img, value))
            st = integrity_add_finding(ctx, &(integrity_finding_args){PMM_FINDING_TLS_CALLBACK,
                                           integrity_module_number(img), slot, ps, value, NULL, NULL, 0, 1},
                                       "TLS callback %zu points outside its image, as the file has it", i);
    }
    return st;
}

/* ---- entry point ------------------------------------------------------------------------------ */

static pmm_status check_entry_point(integrity_ctx *ctx, integrity_image *img)
{
    const pmm_module *m = &ctx->map->modules[img->module_index];
    uint32_t rva = img->file.entry_point;
    uint64_t expected = rva ? img->base + rva : 0;
    integrity_finding_args a = {PMM_FINDING_ENTRY_POINT, integrity_module_number(img), expected ? expected : img->base,
                                0, 0, NULL, NULL, 0, 0};
    if (rva && rva >= img->file.size_of_image) {
        a.destination = expected;
        return integrity_add_finding(ctx, &a, "the file's entry point (RVA 0x%x) lies outside the image", rva);
    }
    if (m->entry && m->entry != expected) {
        a.destination = m->entry;
        return integrity_add_finding(ctx, &a, "the loader list's entry point is 0x%" PRIx64 "; the file's is 0x%" PRIx64,
                                     m->entry, expected);
    }
    return PMM_OK;
}

/* ---- CFG pointers ----------------------------------------------------------------------------- */

/* The loader points the CFG check and dispatch functions into ntdll; anything else is a change. */
static pmm_status check_guard_pointer(integrity_ctx *ctx, integrity_image *img, uint64_t va, const char *what)
{
    uint32_t rva = va_rva(img, va);
    uint64_t value, expected;
    if (!rva || pmm_source_read_pointer(ctx->src, img->base + rva, slot_size(img), &value) != PMM_OK ||
        integrity_expected_pointer(img, rva, &expected) != PMM_OK || value == expected)
        return PMM_OK;
    size_t ntdll = integrity_module_by_name(ctx->map, "ntdll.dll");
    const pmm_module *n = ntdll != PMM_NO_INDEX ? &ctx->map->modules[ntdll] : NULL;
    if (n && value >= n->base && value - n->base < n->size)
        return PMM_OK;
    integrity_finding_args a = {PMM_FINDING_PATCH, integrity_module_number(img), img->base + rva, slot_size(img),
                                value, NULL, NULL, 0, 1};
    return integrity_add_finding(ctx, &a, "the %s pointer leads outside ntdll.dll", what);
}

static pmm_status check_guard_pointers(integrity_ctx *ctx, integrity_image *img)
{
    pe_load_config lc;
    if (pe_read_load_config(&img->file, &lc) != PMM_OK)
        return PMM_OK;
    pmm_status st = check_guard_pointer(ctx, img, lc.guard_cf_check_function, "CFG check-function");
    if (st == PMM_OK)
        st = check_guard_pointer(ctx, img, lc.guard_cf_dispatch_function, "CFG dispatch-function");
    return st;
}

pmm_status integrity_check_tables(integrity_ctx *ctx, integrity_image *img)
{
    pmm_status st = PMM_OK;
    if (img->have_imports)
        st = check_imports(ctx, img, PMM_FINDING_IAT, &img->imports);
    if (st == PMM_OK && img->have_delay_imports)
        st = check_imports(ctx, img, PMM_FINDING_DELAY_IAT, &img->delay_imports);
    if (st == PMM_OK)
        st = check_exports(ctx, img);
    if (st == PMM_OK)
        st = check_tls(ctx, img);
    if (st == PMM_OK)
        st = check_entry_point(ctx, img);
    if (st == PMM_OK)
        st = check_guard_pointers(ctx, img);
    return st;
}
