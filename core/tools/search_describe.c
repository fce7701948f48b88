/* Says where an address is, in the words of the map: the module and section of an image, the
 * stack of thread N, heap N, the TEB..., else the region's Details; plus the export it lies in. */
#include "search.h"

#include <stdio.h>
#include <string.h>

static const char *label(const pmm_map *map, const pmm_annotation *a)
{
    return a ? pmm_map_text(map, a->label) : "";
}

/* The innermost annotation that is not the module itself and not a PE directory or entry point
 * (those are tiny ranges inside a section; the section is what a reader wants to see). */
static const pmm_annotation *place_annotation(const pmm_map *map, uint64_t addr)
{
    static const int kinds[] = {PMM_ANN_SECTION, PMM_ANN_PE_HEADER, PMM_ANN_STACK_GUARD, PMM_ANN_STACK,
                                PMM_ANN_TEB, PMM_ANN_PEB, PMM_ANN_PROCESS_PARAMETERS, PMM_ANN_ENVIRONMENT,
                                PMM_ANN_LOADER_DATA, PMM_ANN_KUSER_SHARED_DATA, PMM_ANN_HEAP,
                                PMM_ANN_MAPPED_FILE};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        const pmm_annotation *a = pmm_map_annotation_at(map, addr, kinds[i]);
        if (a)
            return a;
    }
    return NULL;
}

void pmm_describe_address(const pmm_map *map, const pmm_symbols *syms, uint64_t addr, pmm_address_context *out)
{
    memset(out, 0, sizeof *out);
    size_t r = pmm_map_find(map, addr);
    out->region = r == PMM_NO_INDEX ? NULL : &map->regions[r];
    out->kind = out->region ? pmm_region_kind_name((pmm_region_kind)out->region->kind) : "";
    const pmm_annotation *module = pmm_map_annotation_at(map, addr, PMM_ANN_MODULE);
    const pmm_annotation *place = place_annotation(map, addr);
    if (module && place)
        snprintf(out->annotation, sizeof out->annotation, "%s %s", label(map, module), label(map, place));
    else if (module || place)
        snprintf(out->annotation, sizeof out->annotation, "%s", label(map, module ? module : place));
    else if (out->region)
        snprintf(out->annotation, sizeof out->annotation, "%s", pmm_map_text(map, out->region->details));
    if (syms)
        pmm_symbols_describe(syms, addr, out->symbol, sizeof out->symbol);
}
