/* Loading one image's symbols: open the mapped image and the file, check they are the same build,
 * then let each source add what it has to the module's table. */
#include "image_symbols_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../source/file_source.h"
#include "../util/names.h"

const char *pmm_symbol_origin_name(uint32_t origin)
{
    switch (origin) {
    case DBG_ORIGIN_PDB: return "pdb";
    case DBG_ORIGIN_DWARF: return "dwarf";
    case DBG_ORIGIN_COFF: return "coff";
    case DBG_ORIGIN_EXPORT: return "exports";
    default: return "";
    }
}

void image_note(pmm_image_symbols *s, const char *fmt, ...)
{
    size_t used = strlen(s->note);
    if (used + 2 >= sizeof s->note)
        return;
    if (used) {
        s->note[used++] = ' ';
        s->note[used] = '\0';
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->note + used, sizeof s->note - used, fmt, ap);
    va_end(ap);
}

static void open_file(pmm_image_symbols *s, image_views *v, const char *path)
{
    if (!path || !*path)
        return;
    if (pmm_file_source_open(path, &v->file_src) != PMM_OK) {
        image_note(s, "%s is not on this machine.", path);
        return;
    }
    v->file_size = pmm_file_source_size(&v->file_src);
    if (pe_open(&v->file_src, 0, PE_LAYOUT_FILE, &v->file) != PMM_OK) {
        image_note(s, "%s is not a PE image.", path);
        pmm_source_close(&v->file_src);
        return;
    }
    v->have_file = 1;
}

/* A file of another build would name the wrong code: it must have the mapped image's timestamp
 * and size. */
static void check_same_build(pmm_image_symbols *s, image_views *v, const char *path)
{
    if (!v->have_file || !v->have_mapped)
        return;
    if (v->file.timestamp == v->mapped.timestamp && v->file.size_of_image == v->mapped.size_of_image &&
        v->file.machine == v->mapped.machine)
        return;
    image_note(s, "%s differs from the loaded image (timestamp or size): not used.", path);
    pe_close(&v->file);
    pmm_source_close(&v->file_src);
    v->have_file = 0;
}

static pmm_status init_table(pmm_image_symbols *s, const pe_image *img)
{
    uint32_t *ends = malloc((img->section_count ? img->section_count : 1) * sizeof *ends);
    if (!ends)
        return PMM_ERR_NOMEM;
    for (size_t i = 0; i < img->section_count; i++) {
        uint64_t end = (uint64_t)img->sections[i].virtual_address + pe_section_mapped_size(img, &img->sections[i]);
        ends[i] = end < img->size_of_image ? (uint32_t)end : img->size_of_image;
    }
    pmm_status st = pmm_symtab_init(&s->table, img->size_of_image, ends, img->section_count);
    free(ends);
    return st;
}

static void close_views(image_views *v)
{
    if (v->have_mapped)
        pe_close(&v->mapped);
    if (v->have_file) {
        pe_close(&v->file);
        pmm_source_close(&v->file_src);
    }
}

pmm_status pmm_image_symbols_load(const pmm_image_request *req, pmm_image_symbols *out)
{
    memset(out, 0, sizeof *out);
    image_views v;
    memset(&v, 0, sizeof v);
    if (req->src && pe_open(req->src, req->base, PE_LAYOUT_IMAGE, &v.mapped) == PMM_OK)
        v.have_mapped = 1;
    char path[1024];
    snprintf(path, sizeof path, "%s", req->path ? req->path : "");
    if (v.have_mapped && v.mapped.pointer_size == 4 && req->src->target.tool_pointer_size == 8)
        pmm_path_redirect_wow64(path);
    v.file_path = path;
    open_file(out, &v, path);
    check_same_build(out, &v, path);
    if (!v.have_mapped && !v.have_file) {
        image_note(out, "No PE image could be read%s.", req->src ? " in memory or on disk" : "");
        return PMM_ERR_NOT_FOUND;
    }
    v.headers = v.have_file ? &v.file : &v.mapped;
    out->base = req->src ? req->base : v.file.image_base;
    out->image_size = v.headers->size_of_image;
    pmm_status st = init_table(out, v.headers);
    if (st == PMM_OK)
        st = image_add_pdb(out, &v, req);
    if (st == PMM_OK)
        st = image_add_dwarf(out, &v);
    if (st == PMM_OK)
        st = image_add_coff(out, &v);
    if (st == PMM_OK)
        st = image_add_exports(out, &v);
    if (st == PMM_OK)
        st = pmm_symtab_finish(&out->table);
    close_views(&v);
    if (st != PMM_OK)
        pmm_image_symbols_free(out);
    return st;
}

void pmm_image_symbols_free(pmm_image_symbols *s)
{
    pmm_symtab_free(&s->table);
}
