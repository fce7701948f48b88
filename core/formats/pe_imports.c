/* Imports: the import directory (INT and IAT, by name and by ordinal), delay-load imports and
 * bound imports. */
#include "pe_internal.h"

#include <stdlib.h>
#include <string.h>
#include "../util/array.h"

#define IMPORT_DESCRIPTOR_SIZE 20u
#define DELAY_DESCRIPTOR_SIZE 32u
#define BOUND_DESCRIPTOR_SIZE 8u
#define DELAY_ATTRIBUTE_RVA 1u   /* dlattrRva: fields are RVAs; without it (VC6) they are VAs */

typedef struct import_builder {
    pe_imports *out;
    size_t module_cap, function_cap;
} import_builder;

/* Where one module's thunks live and how to read them. */
typedef struct thunk_tables {
    uint32_t name_table;     /* INT, or the IAT when there is no INT */
    uint32_t iat;
    int names_are_vas;       /* old delay imports store VAs in the INT */
    int iat_is_bound;        /* the IAT was filled by the loader: names only come from an INT */
} thunk_tables;

static uint32_t delay_rva(const pe_image *img, uint64_t value, int is_va);

static uint64_t ordinal_flag(const pe_image *img)
{
    return img->pointer_size == 8 ? 0x8000000000000000ull : 0x80000000ull;
}

static pmm_status add_function(import_builder *b, const pe_import_function *fn)
{
    pe_imports *im = b->out;
    pmm_status st = pmm_array_reserve((void **)&im->functions, &b->function_cap, im->function_count + 1,
                                      sizeof *im->functions);
    if (st == PMM_OK)
        im->functions[im->function_count++] = *fn;
    return st;
}

/* Decodes one thunk: by ordinal, or an RVA of IMAGE_IMPORT_BY_NAME (hint, then the name). */
static pmm_status decode_thunk(pe_image *img, import_builder *b, const thunk_tables *t, uint64_t thunk,
                               pe_import_function *fn)
{
    fn->name_thunk = thunk;
    if (t->iat_is_bound) {
        fn->name_unreadable = 1;
        return PMM_OK;
    }
    if (thunk & ordinal_flag(img)) {
        fn->by_ordinal = 1;
        fn->ordinal = (uint16_t)thunk;
        return PMM_OK;
    }
    uint32_t rva;
    if (t->names_are_vas) {
        rva = delay_rva(img, thunk, 1);
        if (rva == 0) {
            fn->name_unreadable = 1;
            return PMM_OK;
        }
    } else {
        rva = (uint32_t)(thunk & 0x7FFFFFFFu);
    }
    uint16_t hint = 0;
    pmm_status st = pe_read_rva_u16(img, rva, &hint);
    if (st == PMM_OK && rva <= 0xFFFFFFFDu)
        st = pe_read_name(img, rva + 2, &b->out->strings, &fn->name);
    if (st == PMM_ERR_NOMEM)
        return st;
    fn->hint = hint;
    if (st != PMM_OK || !fn->name) {
        fn->name = NULL;
        fn->name_unreadable = 1;
    }
    return PMM_OK;
}

/* Walks one module's thunk array up to its zero terminator, within the caps. */
static pmm_status read_thunks(pe_image *img, import_builder *b, const thunk_tables *t, pe_import_module *m)
{
    uint32_t ps = img->pointer_size;
    m->first_function = b->out->function_count;
    for (uint32_t i = 0; i < PE_MAX_IMPORT_FUNCTIONS; i++) {
        if (b->out->function_count >= PE_MAX_IMPORTS_TOTAL) {
            b->out->truncated = 1;
            break;
        }
        uint64_t off = (uint64_t)i * ps;
        if ((uint64_t)t->name_table + off + ps > 0xFFFFFFFFu) {
            b->out->truncated = 1;
            break;
        }
        uint8_t raw[8];
        if (pe_read_rva(img, t->name_table + (uint32_t)off, raw, ps) != PMM_OK) {
            b->out->truncated = 1;
            break;
        }
        uint64_t thunk = pmm_le_pointer(raw, ps);
        if (thunk == 0)
            break;
        pe_import_function fn;
        memset(&fn, 0, sizeof fn);
        if ((uint64_t)t->iat + off + ps <= 0xFFFFFFFFu) {
            fn.iat_rva = t->iat + (uint32_t)off;
            if (pe_read_rva(img, fn.iat_rva, raw, ps) == PMM_OK)
                fn.iat_value = pmm_le_pointer(raw, ps);
        }
        pmm_status st = decode_thunk(img, b, t, thunk, &fn);
        if (st == PMM_OK)
            st = add_function(b, &fn);
        if (st != PMM_OK)
            return st;
        if (i + 1 == PE_MAX_IMPORT_FUNCTIONS)
            b->out->truncated = 1;
    }
    m->function_count = b->out->function_count - m->first_function;
    return PMM_OK;
}

static pmm_status add_module(import_builder *b, const pe_import_module *m)
{
    pe_imports *im = b->out;
    pmm_status st = pmm_array_reserve((void **)&im->modules, &b->module_cap, im->module_count + 1,
                                      sizeof *im->modules);
    if (st == PMM_OK)
        im->modules[im->module_count++] = *m;
    return st;
}

static pmm_status read_module_name(pe_image *img, import_builder *b, pe_import_module *m)
{
    pmm_status st = pe_read_name(img, m->name_rva, &b->out->strings, &m->dll_name);
    if (st == PMM_ERR_NOMEM)
        return st;
    if (st != PMM_OK || !m->dll_name) {
        m->dll_name = "";
        b->out->truncated = 1;
    }
    return PMM_OK;
}

/* ---- ordinary imports ------------------------------------------------------------------------- */

/* d: the descriptor's IMPORT_DESCRIPTOR_SIZE bytes at rva. */
static pmm_status read_import_descriptor(pe_image *img, import_builder *b, uint32_t rva, const uint8_t *d, int *done)
{
    pe_import_module m;
    memset(&m, 0, sizeof m);
    m.descriptor_rva = rva;
    m.int_rva = pmm_le32(d + 0);
    m.timestamp = pmm_le32(d + 4);
    m.forwarder_chain = pmm_le32(d + 8);
    m.name_rva = pmm_le32(d + 12);
    m.iat_rva = pmm_le32(d + 16);
    /* The loader stops at the first descriptor without a name or without an IAT. */
    if (m.name_rva == 0 || m.iat_rva == 0) {
        *done = 1;
        return PMM_OK;
    }
    thunk_tables t;
    memset(&t, 0, sizeof t);
    t.name_table = m.int_rva ? m.int_rva : m.iat_rva;
    t.iat = m.iat_rva;
    /* In a loaded image an IAT without an INT holds resolved addresses, not names. */
    t.iat_is_bound = !m.int_rva && img->layout == PE_LAYOUT_IMAGE;
    pmm_status st = read_module_name(img, b, &m);
    if (st == PMM_OK)
        st = read_thunks(img, b, &t, &m);
    if (st == PMM_OK)
        st = add_module(b, &m);
    return st;
}

typedef pmm_status (*descriptor_reader)(pe_image *img, import_builder *b, uint32_t rva, const uint8_t *d,
                                       int *done);

/* Walks the table of descriptors of size bytes in directory dir_index until read says it is done,
 * a descriptor cannot be read (truncated) or PE_MAX_IMPORT_MODULES are read. */
static pmm_status read_descriptor_table(pe_image *img, pe_imports *out, int dir_index, uint32_t size,
                                        descriptor_reader read)
{
    import_builder b;
    memset(out, 0, sizeof *out);
    memset(&b, 0, sizeof b);
    b.out = out;
    const pe_data_directory *dir = &img->directories[dir_index];
    if (dir->rva == 0)
        return PMM_ERR_NOT_FOUND;
    pmm_status st = PMM_OK;
    int done = 0;
    for (uint32_t i = 0; !done && st == PMM_OK; i++) {
        if (i == PE_MAX_IMPORT_MODULES) {
            out->truncated = 1;
            break;
        }
        uint64_t rva = (uint64_t)dir->rva + (uint64_t)i * size;
        if (rva + size > 0xFFFFFFFFu)
            break;
        uint8_t d[DELAY_DESCRIPTOR_SIZE];   /* the larger of the two */
        if (pe_read_rva(img, (uint32_t)rva, d, size) != PMM_OK) {
            out->truncated = 1;
            break;
        }
        st = read(img, &b, (uint32_t)rva, d, &done);
    }
    if (st != PMM_OK)
        pe_imports_free(out);
    return st;
}

pmm_status pe_read_imports(pe_image *img, pe_imports *out)
{
    return read_descriptor_table(img, out, PE_DIR_IMPORT, IMPORT_DESCRIPTOR_SIZE, read_import_descriptor);
}

/* ---- delay imports ---------------------------------------------------------------------------- */

/* Old (VC6) descriptors hold VAs. The delay-load helper is code in the image itself, not the
 * loader, and hand-made files mix VAs and RVAs in one descriptor; a value below the image base
 * cannot be a VA, so it is taken as an RVA. */
static uint32_t delay_rva(const pe_image *img, uint64_t value, int is_va)
{
    uint32_t rva;
    if (!is_va || value == 0 || value < img->va_base)
        return (uint32_t)value;
    return pe_va_to_rva(img, value, &rva) == PMM_OK ? rva : 0;
}

static uint32_t delay_field(const pe_image *img, uint32_t value, int is_va)
{
    return delay_rva(img, value, is_va);
}

/* d: the descriptor's DELAY_DESCRIPTOR_SIZE bytes at rva. */
static pmm_status read_delay_descriptor(pe_image *img, import_builder *b, uint32_t rva, const uint8_t *d, int *done)
{
    pe_import_module m;
    memset(&m, 0, sizeof m);
    m.descriptor_rva = rva;
    m.attributes = pmm_le32(d + 0);
    int is_va = (m.attributes & DELAY_ATTRIBUTE_RVA) == 0;
    m.name_rva = delay_field(img, pmm_le32(d + 4), is_va);
    m.module_handle_rva = delay_field(img, pmm_le32(d + 8), is_va);
    m.iat_rva = delay_field(img, pmm_le32(d + 12), is_va);
    m.int_rva = delay_field(img, pmm_le32(d + 16), is_va);
    m.bound_iat_rva = delay_field(img, pmm_le32(d + 20), is_va);
    m.unload_iat_rva = delay_field(img, pmm_le32(d + 24), is_va);
    m.timestamp = pmm_le32(d + 28);
    if (pmm_le32(d + 4) == 0) {
        *done = 1;
        return PMM_OK;
    }
    pmm_status st = read_module_name(img, b, &m);
    if (st == PMM_OK && m.int_rva) {
        /* Delay-load helpers resolve through the INT; the IAT holds stubs until first call. */
        thunk_tables t;
        memset(&t, 0, sizeof t);
        t.name_table = m.int_rva;
        t.iat = m.iat_rva;
        t.names_are_vas = is_va;
        st = read_thunks(img, b, &t, &m);
    } else {
        m.first_function = b->out->function_count;
    }
    if (st == PMM_OK)
        st = add_module(b, &m);
    return st;
}

pmm_status pe_read_delay_imports(pe_image *img, pe_imports *out)
{
    return read_descriptor_table(img, out, PE_DIR_DELAY_IMPORT, DELAY_DESCRIPTOR_SIZE, read_delay_descriptor);
}

void pe_imports_free(pe_imports *im)
{
    if (!im)
        return;
    free(im->modules);
    free(im->functions);
    pe_strings_free(&im->strings);
    memset(im, 0, sizeof *im);
}

/* ---- bound imports ---------------------------------------------------------------------------- */

/* Names are offsets from the start of the bound import directory. */
static pmm_status add_bound(pe_image *img, pe_bound_imports *out, size_t *cap, uint32_t dir_rva,
                            const uint8_t *d, int is_ref)
{
    pmm_status st = pmm_array_reserve((void **)&out->items, cap, out->count + 1, sizeof *out->items);
    if (st != PMM_OK)
        return st;
    pe_bound_import *e = &out->items[out->count];
    memset(e, 0, sizeof *e);
    e->timestamp = pmm_le32(d);
    e->forwarder_ref_count = is_ref ? 0 : pmm_le16(d + 6);
    e->is_forwarder_ref = (uint8_t)is_ref;
    e->dll_name = "";
    const char *name = NULL;
    st = pe_read_name(img, dir_rva + pmm_le16(d + 4), &out->strings, &name);
    if (st == PMM_ERR_NOMEM)
        return st;
    if (name)
        e->dll_name = name;
    else
        out->truncated = 1;
    out->count++;
    return PMM_OK;
}

pmm_status pe_read_bound_imports(pe_image *img, pe_bound_imports *out)
{
    memset(out, 0, sizeof *out);
    const pe_data_directory *dir = &img->directories[PE_DIR_BOUND_IMPORT];
    if (dir->rva == 0)
        return PMM_ERR_NOT_FOUND;
    if (dir->rva > 0xFFFFFFFFu - 0x10000u)
        return PMM_ERR_FORMAT;
    size_t cap = 0;
    uint32_t offset = 0;
    size_t refs_left = 0;
    pmm_status st = PMM_OK;
    /* Descriptors and their forwarder references share one 8-byte stride; a zero entry ends the
     * list. The name offsets are 16 bits, so nothing meaningful lies past 64 KiB. */
    for (uint32_t i = 0; i < PE_MAX_IMPORT_MODULES && offset + BOUND_DESCRIPTOR_SIZE <= 0x10000u; i++) {
        uint8_t d[BOUND_DESCRIPTOR_SIZE];
        if (pe_read_rva(img, dir->rva + offset, d, sizeof d) != PMM_OK) {
            out->truncated = 1;
            break;
        }
        int is_ref = refs_left > 0;
        if (!is_ref && pmm_le32(d) == 0 && pmm_le16(d + 4) == 0)
            break;
        if ((st = add_bound(img, out, &cap, dir->rva, d, is_ref)) != PMM_OK)
            break;
        refs_left = is_ref ? refs_left - 1 : pmm_le16(d + 6);
        offset += BOUND_DESCRIPTOR_SIZE;
    }
    if (st != PMM_OK)
        pe_bound_imports_free(out);
    return st;
}

void pe_bound_imports_free(pe_bound_imports *bi)
{
    if (!bi)
        return;
    free(bi->items);
    pe_strings_free(&bi->strings);
    memset(bi, 0, sizeof *bi);
}
