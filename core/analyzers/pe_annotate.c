/* PE images in the map: each module's header, sections (with code/data flags), data directories,
 * entry point and TLS callbacks become annotations at their addresses in the target. The image is
 * parsed in place (image layout) from the target's memory, so what is shown is what is mapped,
 * including anything patched since load; only the long names of sections come from the file
 * (pe_long_names.c). */
#include "analyzers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../formats/pe.h"
#include "../formats/pe_long_names.h"

/* "code", "data" or "uninitialized data": what a section holds, from its characteristics. */
static const char *section_content(uint32_t c)
{
    if (c & (PE_SCN_CNT_CODE | PE_SCN_MEM_EXECUTE))
        return "code";
    if (c & PE_SCN_CNT_UNINITIALIZED_DATA)
        return "uninitialized data";
    if (c & PE_SCN_CNT_INITIALIZED_DATA)
        return "data";
    return NULL;
}

/* A range inside the module, clipped to it; 0 when nothing of it lies inside. */
static int clip(const pmm_module *m, uint64_t rva, uint64_t size, uint64_t *out_size)
{
    if (rva >= m->size || size == 0)
        return 0;
    *out_size = size < m->size - rva ? size : m->size - rva;
    return 1;
}

static pmm_status annotate_sections(pmm_map *map, const pmm_module *m, uint32_t owner, pe_image *img)
{
    /* A "/N" that stays gets no warning in the map (a file of another build on disk is routine):
     * `pmm pe PID:ADDRESS` says why for the image. */
    pe_long_names_result names;
    pmm_status resolved = pe_long_names_resolve(img, pmm_map_text(map, m->path), &names);
    if (resolved != PMM_OK)
        return resolved;
    uint64_t size;
    if (clip(m, 0, img->header_end ? img->header_end : PMM_PAGE_SIZE, &size)) {
        pmm_status st = pmm_map_add_annotation(map, m->base, size, PMM_ANN_PE_HEADER, img->pointer_size * 8, owner,
                                               "PE header");
        if (st != PMM_OK)
            return st;
    }
    for (size_t i = 0; i < img->section_count; i++) {
        const pe_section *s = &img->sections[i];
        if (!clip(m, s->virtual_address, pe_section_mapped_size(img, s), &size))
            continue;
        char label[96];
        const char *content = section_content(s->characteristics);
        if (content)
            snprintf(label, sizeof label, "%s (%s)", s->name[0] ? s->name : "(unnamed)", content);
        else
            snprintf(label, sizeof label, "%s", s->name[0] ? s->name : "(unnamed)");
        pmm_status st = pmm_map_add_annotation(map, m->base + s->virtual_address, size, PMM_ANN_SECTION, 0, owner, label);
        if (st != PMM_OK)
            return st;
    }
    return PMM_OK;
}

static pmm_status annotate_directories(pmm_map *map, const pmm_module *m, uint32_t owner, const pe_image *img)
{
    for (unsigned d = 0; d < PE_DIR_COUNT; d++) {
        const pe_data_directory *dir = &img->directories[d];
        uint64_t size;
        /* The security directory holds a file offset, and its certificates are never mapped. */
        if (d == PE_DIR_SECURITY || dir->rva == 0 || !clip(m, dir->rva, dir->size, &size))
            continue;
        pmm_status st = pmm_map_add_annotation(map, m->base + dir->rva, size, PMM_ANN_DIRECTORY, 0, owner,
                                               pe_directory_name(d));
        if (st != PMM_OK)
            return st;
    }
    return PMM_OK;
}

static pmm_status annotate_entry_points(pmm_map *map, const pmm_module *m, uint32_t owner, pe_image *img)
{
    uint64_t size;
    if (img->entry_point && clip(m, img->entry_point, 1, &size)) {
        pmm_status st = pmm_map_add_annotation(map, m->base + img->entry_point, 1, PMM_ANN_ENTRY_POINT, 0, owner,
                                               "Entry point");
        if (st != PMM_OK)
            return st;
    }
    pe_tls *tls = malloc(sizeof *tls);
    if (!tls)
        return PMM_ERR_NOMEM;
    pmm_status st = PMM_OK;
    if (pe_read_tls(img, tls) == PMM_OK) {
        for (size_t i = 0; i < tls->callback_count && st == PMM_OK; i++) {
            char label[48];
            uint64_t va = tls->callbacks[i];
            snprintf(label, sizeof label, "TLS callback %zu", i + 1);
            /* A callback may point into another module (a known trick): annotate it where it is. */
            st = pmm_map_add_annotation(map, va, 1, PMM_ANN_ENTRY_POINT, 0, owner, label);
        }
    }
    free(tls);
    return st;
}

static int is_fatal(pmm_status st)
{
    return st == PMM_ERR_NOMEM || st == PMM_ERR_GONE || st == PMM_ERR_CANCELLED;
}

static pmm_status annotate_module(pmm_scan *scan, size_t index)
{
    pmm_map *map = scan->map;
    const pmm_module m = map->modules[index];   /* a copy: adding strings never moves modules, but be safe */
    uint32_t owner = (uint32_t)index + 1;
    pe_image img;
    pmm_status st = pe_open(scan->src, m.base, PE_LAYOUT_IMAGE, &img);
    if (st != PMM_OK) {
        if (is_fatal(st))
            return st;
        return pmm_map_warn(map, "%s at 0x%llx: PE headers not parsed: %s", pmm_map_text(map, m.name),
                            (unsigned long long)m.base, pmm_status_text(st));
    }
    st = annotate_sections(map, &m, owner, &img);
    if (st == PMM_OK)
        st = annotate_directories(map, &m, owner, &img);
    if (st == PMM_OK)
        st = annotate_entry_points(map, &m, owner, &img);
    pe_close(&img);
    return st;
}

/* Annotation owners are 1-based module numbers (index + 1), so 0 still means "none". */
pmm_status pmm_analyze_pe_images(pmm_scan *scan)
{
    for (size_t i = 0; i < scan->map->module_count; i++) {
        pmm_status st = annotate_module(scan, i);
        if (st != PMM_OK)
            return st;
    }
    return PMM_OK;
}
