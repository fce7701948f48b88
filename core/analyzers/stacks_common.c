/* What both stack walkers share: the cache of open images and the "is this code?" check. */
#include "stacks.h"

#include <string.h>

void pmm_stack_walker_init(pmm_stack_walker *w, pmm_source *src, const pmm_module *modules, size_t module_count)
{
    memset(w, 0, sizeof *w);
    w->src = src;
    w->modules = modules;
    w->module_count = module_count;
    w->stack_high = UINT64_MAX;
}

void pmm_stack_walker_free(pmm_stack_walker *w)
{
    for (size_t i = 0; i < PMM_UNWIND_IMAGE_CACHE; i++)
        if (w->images[i].last_use && w->images[i].status == PMM_OK)
            pe_close(&w->images[i].img);
    memset(w->images, 0, sizeof w->images);
}

static const pmm_module *module_at(const pmm_stack_walker *w, uint64_t addr)
{
    for (size_t i = 0; i < w->module_count; i++)
        if (addr >= w->modules[i].base && addr - w->modules[i].base < w->modules[i].size)
            return &w->modules[i];
    return NULL;
}

/* The least recently used slot, closed and ready for reuse. */
static pmm_unwind_image *free_slot(pmm_stack_walker *w)
{
    pmm_unwind_image *slot = &w->images[0];
    for (size_t i = 0; i < PMM_UNWIND_IMAGE_CACHE; i++)
        if (w->images[i].last_use < slot->last_use)
            slot = &w->images[i];
    if (slot->last_use && slot->status == PMM_OK)
        pe_close(&slot->img);
    memset(slot, 0, sizeof *slot);
    return slot;
}

pmm_unwind_image *pmm_stack_image_at(pmm_stack_walker *w, uint64_t addr)
{
    const pmm_module *m = module_at(w, addr);
    if (!m)
        return NULL;
    w->clock++;
    for (size_t i = 0; i < PMM_UNWIND_IMAGE_CACHE; i++) {
        pmm_unwind_image *e = &w->images[i];
        if (e->last_use && e->base == m->base) {
            e->last_use = w->clock;
            return e;
        }
    }
    pmm_unwind_image *slot = free_slot(w);
    slot->base = m->base;
    slot->size = m->size;
    slot->last_use = w->clock;
    slot->status = pe_open(w->src, m->base, PE_LAYOUT_IMAGE, &slot->img);
    return slot;
}

int pmm_stack_is_code(pmm_stack_walker *w, uint64_t addr)
{
    pmm_region_info r;
    if (addr == 0 || pmm_source_query(w->src, addr, &r) != PMM_OK)
        return 0;
    if (addr < r.base || addr - r.base >= r.size)
        return 0;   /* the query answered with the next region above */
    return r.state == PMM_MEM_COMMIT && r.type == PMM_MEM_IMAGE && pmm_protect_is_executable(r.protect) &&
           !(r.protect & PMM_PAGE_GUARD);
}
