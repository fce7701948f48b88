/* One image against its file: open and check that the file is the image's, relocations, the
 * header, each executable or read-only section, then the tables the loader fills. */
#include "integrity_internal.h"
#include "../util/names.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../source/file_source.h"
#include "../util/array.h"

/* A code section at least this large and differing in more than a quarter of its bytes was
 * replaced, not patched: one finding instead of thousands. */
#define REPLACED_MIN_BYTES 4096u

pmm_status integrity_exclude(integrity_image *img, uint32_t rva, uint64_t size)
{
    if (size == 0)
        return PMM_OK;
    uint64_t end = (uint64_t)rva + size;
    if (end > 0xFFFFFFFFu)
        end = 0xFFFFFFFFu;
    pmm_status st = pmm_array_reserve((void **)&img->excluded, &img->excluded_cap, img->excluded_count + 1,
                                      sizeof *img->excluded);
    if (st == PMM_OK)
        img->excluded[img->excluded_count++] = (integrity_range){rva, (uint32_t)end};
    return st;
}

static pmm_status whole_image_unchecked(integrity_ctx *ctx, integrity_image *img, const char *reason)
{
    img->partial = 1;
    return integrity_add_unchecked(ctx, integrity_module_number(img), img->base, img->size, img->name, "%s", reason);
}

static pmm_status open_file(integrity_ctx *ctx, integrity_image *img)
{
    const pmm_integrity_options *o = ctx->options;
    if (o && o->open_file)
        return o->open_file(o->open_ctx, img->path, &img->file_src);
    return pmm_file_source_open(img->path, &img->file_src);
}

static uint64_t file_size(integrity_image *img)
{
    pmm_region_info info;
    return pmm_source_query(&img->file_src, 0, &info) == PMM_OK ? info.size : 0;
}

/* 1 when the memory at base is an image mapping. A loader entry over private memory is what
 * classic process hollowing leaves: the image unmapped and something else allocated there. */
static pmm_status check_mapping_type(integrity_ctx *ctx, integrity_image *img)
{
    size_t i = pmm_map_find(ctx->map, img->base);
    /* A dump without MemoryInfoList has no types at all; regions rebuilt from its modules are
     * images. Only a type the source reported can contradict the loader: a kernel dump's process
     * has none (its not-checked list says so). */
    if (i == PMM_NO_INDEX || ctx->map->regions[i].state == PMM_MEM_FREE || ctx->map->regions[i].type == PMM_MEM_IMAGE ||
        !ctx->map->regions[i].type)
        return PMM_OK;
    const pmm_region *r = &ctx->map->regions[i];
    integrity_finding_args a = {PMM_FINDING_IMAGE_REPLACED, integrity_module_number(img), img->base, img->size, 0,
                                NULL, NULL, 0, 0};
    return integrity_add_finding(ctx, &a, "the loader lists %s here, but the memory is %s (%s), not an image mapping",
                                 img->name, pmm_region_kind_name(r->kind), r->type == PMM_MEM_PRIVATE ? "private" : "mapped");
}

/* The file and the memory image agree on what identifies an image: machine, layout, timestamp
 * and checksum. Describes the first difference in why. */
static int same_image(const pe_image *f, const pe_image *m, char *why, size_t cap)
{
    if (f->machine != m->machine)
        return snprintf(why, cap, "Machine 0x%x in memory, 0x%x in the file", m->machine, f->machine), 0;
    if (f->size_of_image != m->size_of_image)
        return snprintf(why, cap, "SizeOfImage 0x%x in memory, 0x%x in the file", m->size_of_image,
                        f->size_of_image), 0;
    if (f->timestamp != m->timestamp)
        return snprintf(why, cap, "TimeDateStamp 0x%x in memory, 0x%x in the file", m->timestamp, f->timestamp), 0;
    if (f->checksum != m->checksum)
        return snprintf(why, cap, "CheckSum 0x%x in memory, 0x%x in the file", m->checksum, f->checksum), 0;
    if (f->section_count != m->section_count)
        return snprintf(why, cap, "%zu sections in memory, %zu in the file", m->section_count, f->section_count), 0;
    for (size_t i = 0; i < f->section_count; i++) {
        const pe_section *a = &f->sections[i], *b = &m->sections[i];
        if (a->virtual_address != b->virtual_address || a->virtual_size != b->virtual_size ||
            a->raw_size != b->raw_size)
            return snprintf(why, cap, "section %zu (%s) is laid out differently", i + 1, a->name), 0;
    }
    return 1;
}

/* The memory header differs from the file's. When it also differs from what the loader recorded
 * (SizeOfImage in the loader list), the memory was replaced; otherwise the file changed. */
static pmm_status report_mismatch(integrity_ctx *ctx, integrity_image *img, const char *why)
{
    const pmm_module *m = &ctx->map->modules[img->module_index];
    int replaced = m->size && img->memory.size_of_image && m->size != img->memory.size_of_image;
    integrity_finding_args a = {replaced ? PMM_FINDING_IMAGE_REPLACED : PMM_FINDING_FILE_MISMATCH,
                                integrity_module_number(img), img->base, img->size, 0, NULL, NULL, 0, 0};
    pmm_status st = replaced
        ? integrity_add_finding(ctx, &a, "the header in memory is not the one the loader recorded (SizeOfImage 0x%" PRIx64
                                         " in the loader list, 0x%x in memory) and not the file's: %s",
                                m->size, img->memory.size_of_image, why)
        : integrity_add_finding(ctx, &a, "%s no longer matches the image in memory: %s", img->path, why);
    if (st == PMM_OK)
        st = whole_image_unchecked(ctx, img, "the file does not match the image in memory; nothing compared");
    return st;
}

/* Every section's raw data must lie in the file: the loader refuses a file whose does not, so
 * such a file is not what was loaded. */
static int sections_in_file(integrity_image *img, char *why, size_t cap)
{
    uint64_t size = file_size(img);
    for (size_t i = 0; i < img->file.section_count; i++) {
        const pe_section *s = &img->file.sections[i];
        if (s->raw_size && s->raw_offset && (uint64_t)s->raw_offset + s->raw_size > size)
            return snprintf(why, cap, "section %s's raw data (0x%x bytes at offset 0x%x) runs past the end of the "
                                      "file (0x%" PRIx64 " bytes); the file is not the one that was loaded",
                            s->name, s->raw_size, s->raw_offset, size), 0;
    }
    return 1;
}

static int compare_relocs(const void *a, const void *b)
{
    const integrity_reloc *x = a, *y = b;
    return x->rva < y->rva ? -1 : x->rva > y->rva;
}

/* Reads and checks the relocations the loader applied. 0 and why when they cannot be applied. */
static pmm_status read_relocs(integrity_image *img, int *ok, char *why, size_t cap)
{
    *ok = 0;
    if (img->delta == 0)
        return (*ok = 1), PMM_OK;
    pe_relocs rl;
    pmm_status st = pe_read_relocs(&img->file, &rl);
    if (st == PMM_ERR_NOT_FOUND || (st == PMM_OK && rl.entry_count == 0)) {
        snprintf(why, cap, "loaded at 0x%" PRIx64 " instead of its preferred 0x%" PRIx64 ", and the file has no "
                           "relocations to say what the loader changed", img->base, img->file.image_base);
        return st == PMM_OK ? (pe_relocs_free(&rl), PMM_OK) : PMM_OK;
    }
    if (st == PMM_ERR_NOMEM)
        return st;
    if (st != PMM_OK || rl.truncated) {
        snprintf(why, cap, "its relocation table is damaged or cut short, so the loader's changes are not known");
        if (st == PMM_OK)
            pe_relocs_free(&rl);
        return PMM_OK;
    }
    img->relocs = malloc(rl.entry_count * sizeof *img->relocs);
    if (!img->relocs) {
        pe_relocs_free(&rl);
        return PMM_ERR_NOMEM;
    }
    *ok = 1;
    for (size_t i = 0; i < rl.entry_count && *ok; i++) {
        const pe_reloc_entry *e = &rl.entries[i];
        uint32_t width = e->type == 10 ? 8 : e->type == 3 ? 4 : e->type >= 1 && e->type <= 4 ? 2 : 0;
        if (e->type == 0)
            continue;
        if (!width) {
            snprintf(why, cap, "relocation of type %u (%s) at RVA 0x%x is not one the loader applies to x86 or x64 "
                               "images", e->type, pe_reloc_type_name(e->type), e->rva);
            *ok = 0;
        } else if ((uint64_t)e->rva + width > img->file.size_of_image) {
            snprintf(why, cap, "relocation at RVA 0x%x overflows the image (SizeOfImage 0x%x)", e->rva,
                     img->file.size_of_image);
            *ok = 0;
        } else {
            uint16_t next = e->type == 4 && i + 1 < rl.entry_count ? rl.entries[i + 1].raw : 0;
            img->relocs[img->reloc_count++] = (integrity_reloc){e->rva, e->type, next};
            if (e->type == 4)
                i++;  /* HIGHADJ's second entry is its operand */
        }
    }
    pe_relocs_free(&rl);
    qsort(img->relocs, img->reloc_count, sizeof *img->relocs, compare_relocs);
    return PMM_OK;
}

/* Opens the file and the memory header and decides whether they can be compared. *ready = 0 when
 * not, after recording why. */
static pmm_status prepare(integrity_ctx *ctx, integrity_image *img, int *ready)
{
    char why[600];
    *ready = 0;
    pmm_status st = check_mapping_type(ctx, img);
    if (st != PMM_OK)
        return st;
    if (!img->path[0])
        return whole_image_unchecked(ctx, img, "no file name is known for it");
    if ((st = open_file(ctx, img)) != PMM_OK) {
        if (st == PMM_ERR_NOMEM)
            return st;
        if (st == PMM_ERR_NOT_FOUND) {
            integrity_finding_args a = {PMM_FINDING_FILE_MISSING, integrity_module_number(img), img->base, img->size,
                                        0, NULL, NULL, 0, 0};
            if ((st = integrity_add_finding(ctx, &a, "%s, the file it was mapped from, is gone", img->path)) != PMM_OK)
                return st;
            snprintf(why, sizeof why, "its file %s is not there", img->path);
        } else {
            snprintf(why, sizeof why, "its file %s could not be opened (%s)", img->path, pmm_status_text(st));
        }
        return whole_image_unchecked(ctx, img, why);
    }
    img->file_src_open = 1;
    if ((st = pe_open(&img->file_src, 0, PE_LAYOUT_FILE, &img->file)) != PMM_OK) {
        if (st == PMM_ERR_NOMEM)
            return st;
        integrity_finding_args a = {PMM_FINDING_FILE_MISMATCH, integrity_module_number(img), img->base, img->size, 0,
                                    NULL, NULL, 0, 0};
        if ((st = integrity_add_finding(ctx, &a, "%s is not a PE image", img->path)) != PMM_OK)
            return st;
        return whole_image_unchecked(ctx, img, "its file is not a PE image");
    }
    img->file_open = 1;
    img->memory_open = pe_open(ctx->src, img->base, PE_LAYOUT_IMAGE, &img->memory) == PMM_OK;
    if (img->memory_open && !same_image(&img->file, &img->memory, why, sizeof why))
        return report_mismatch(ctx, img, why);
    if (!sections_in_file(img, why, sizeof why))
        return whole_image_unchecked(ctx, img, why);
    img->delta = img->base - img->file.image_base;
    if (img->file.pointer_size == 4)
        img->delta &= 0xFFFFFFFFu;
    int ok;
    if ((st = read_relocs(img, &ok, why, sizeof why)) != PMM_OK)
        return st;
    if (!ok)
        return whole_image_unchecked(ctx, img, why);
    *ready = 1;
    return PMM_OK;
}

static int is_code(const pe_section *s)
{
    return (s->characteristics & (PE_SCN_MEM_EXECUTE | PE_SCN_CNT_CODE)) != 0;
}

/* Executable sections and read-only ones are compared; writable data changes by design. */
static int is_compared(const pe_section *s)
{
    return is_code(s) || !(s->characteristics & PE_SCN_MEM_WRITE);
}

static pmm_status report_replaced(integrity_ctx *ctx, integrity_image *img, const pe_section *s, uint32_t length)
{
    integrity_finding_args a = {PMM_FINDING_IMAGE_REPLACED, integrity_module_number(img),
                                img->base + s->virtual_address, length, 0, NULL, NULL, 0, 0};
    return integrity_add_finding(ctx, &a, "%" PRIu64 " of the %" PRIu64 " bytes of code section %s differ from the "
                                          "file: the code was replaced (hollowed)",
                                 img->differing_bytes, img->compared_bytes, s->name);
}

static pmm_status report_dropped(integrity_ctx *ctx, integrity_image *img, const pe_section *s)
{
    integrity_finding_args a = {PMM_FINDING_PATCH, integrity_module_number(img), img->base + s->virtual_address,
                                0, 0, NULL, NULL, 0, 0};
    return integrity_add_finding(ctx, &a, "%" PRIu64 " more runs of changed bytes in %s are not listed",
                                 img->runs_dropped, s->name);
}

static pmm_status compare_section(integrity_ctx *ctx, integrity_image *img, const pe_section *s)
{
    uint64_t limit = img->file.size_of_image < img->size ? img->file.size_of_image : img->size;
    if (s->virtual_address >= limit)
        return PMM_OK;
    uint64_t length = pe_section_mapped_size(&img->file, s);
    if (length > limit - s->virtual_address)
        length = limit - s->virtual_address;
    char what[sizeof img->name + sizeof s->name];   /* both names whole, with the space between */
    snprintf(what, sizeof what, "%s %s", img->name, s->name);
    img->run_count = 0;
    img->runs_dropped = 0;
    img->differing_bytes = 0;
    img->compared_bytes = 0;
    pmm_status st = integrity_compare_range(ctx, img, s->virtual_address, (uint32_t)length, what);
    if (st == PMM_ERR_READ) {
        img->partial = 1;
        return integrity_add_unchecked(ctx, integrity_module_number(img), img->base + s->virtual_address, length, what,
                                       "the file could not be read there");
    }
    if (st != PMM_OK)
        return st;
    if (is_code(s) && img->compared_bytes >= REPLACED_MIN_BYTES && img->differing_bytes * 4 > img->compared_bytes)
        return report_replaced(ctx, img, s, (uint32_t)length);
    for (size_t i = 0; i < img->run_count && st == PMM_OK; i++)
        st = is_code(s) ? integrity_classify_code_run(ctx, img, s, &img->runs[i])
                        : integrity_report_data_run(ctx, img, s, &img->runs[i]);
    if (st == PMM_OK && img->runs_dropped)
        st = report_dropped(ctx, img, s);
    return st;
}

static pmm_status compare_image(integrity_ctx *ctx, integrity_image *img)
{
    pmm_status st = integrity_exclude_tables(ctx, img);
    if (st == PMM_OK && img->memory_open)
        st = integrity_compare_header(ctx, img);
    else if (st == PMM_OK)
        st = integrity_add_unchecked(ctx, integrity_module_number(img), img->base, PMM_PAGE_SIZE, "PE header",
                                     "the header in memory could not be read");
    for (size_t i = 0; st == PMM_OK && i < img->file.section_count; i++)
        if (is_compared(&img->file.sections[i]))
            st = compare_section(ctx, img, &img->file.sections[i]);
    if (st == PMM_OK)
        st = integrity_check_tables(ctx, img);
    return st;
}

static void release(integrity_image *img)
{
    if (img->memory_open)
        pe_close(&img->memory);
    if (img->file_open)
        pe_close(&img->file);
    if (img->file_src_open)
        pmm_source_close(&img->file_src);
    if (img->have_imports)
        pe_imports_free(&img->imports);
    if (img->have_delay_imports)
        pe_imports_free(&img->delay_imports);
    free(img->relocs);
    free(img->excluded);
    free(img->runs);
    free(img->functions);
    free(img);
}

/* A 32-bit module named under ...\system32\ was loaded from ...\SysWOW64\ (the file system
 * redirector shows 32-bit code the one as the other), but this tool may be 64-bit: a WOW64 process,
 * or a 32-bit process's minidump read here. Wine names its 32-bit ntdll that way even in the mapped
 * file name. */
static void redirect_wow64(const integrity_ctx *ctx, integrity_image *img)
{
    const pmm_module *m = &ctx->map->modules[img->module_index];
    if (m->pointer_size == 4 && ctx->src->target.tool_pointer_size == 8)
        pmm_path_redirect_wow64(img->path);
}

/* The file the OS says the image was mapped from, where the source can ask (a live process): the
 * loader list's path is the process's own claim. Otherwise the path the map has. */
static void choose_file(integrity_ctx *ctx, integrity_image *img, const char *listed)
{
    pmm_source *src = ctx->src;
    if (pmm_source_mapped_file_name(src, img->base, img->path, sizeof img->path) != PMM_OK || !img->path[0])
        snprintf(img->path, sizeof img->path, "%s", listed);
    redirect_wow64(ctx, img);
}

pmm_status integrity_check_image(integrity_ctx *ctx, size_t module_index)
{
    const pmm_module *m = &ctx->map->modules[module_index];
    integrity_image *img = calloc(1, sizeof *img);
    if (!img)
        return PMM_ERR_NOMEM;
    img->module_index = module_index;
    img->base = m->base;
    img->size = m->size;
    snprintf(img->name, sizeof img->name, "%s", pmm_map_text(ctx->map, m->name));
    choose_file(ctx, img, pmm_map_text(ctx->map, m->path));
    if (!img->name[0])
        snprintf(img->name, sizeof img->name, "image at 0x%" PRIx64, m->base);
    size_t before = ctx->map->integrity.unchecked_count;
    int ready;
    pmm_status st = prepare(ctx, img, &ready);
    if (st == PMM_OK && ready)
        st = compare_image(ctx, img);
    pmm_image_check check = {integrity_module_number(img), PMM_IMAGE_NOT_CHECKED, 0, 0, img->compared_total};
    if (ready)
        check.status = !img->partial && ctx->map->integrity.unchecked_count == before ? PMM_IMAGE_CHECKED
                                                                                       : PMM_IMAGE_PARTLY;
    if (st == PMM_OK)
        st = pmm_strings_intern(&ctx->map->strings, img->path, &check.file);
    if (st == PMM_OK)
        st = pmm_map_add_image_check(ctx->map, &check);
    release(img);
    return st;
}
