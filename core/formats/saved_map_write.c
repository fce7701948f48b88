/* Encodes a map into the saved-map format (layout in saved_map_layout.h and the README). */
#include "saved_map.h"

#include <stdlib.h>
#include <string.h>
#include "saved_map_layout.h"

/* String ids of a map are offsets into its pool; in the file they are 1-based indexes into the
 * strings section (0 = no string), which the loader can check with one comparison. */
typedef struct sm_encoder {
    const pmm_map *map;
    sm_writer w;
    uint32_t *starts;          /* pool offset of each string, ascending */
    size_t start_count;
    uint32_t extra[2];         /* indexes of the target's name and path, appended after the pool */
    size_t string_count;
    int bad_reference;
} sm_encoder;

static pmm_status index_pool(sm_encoder *e)
{
    const pmm_strings *pool = &e->map->strings;
    e->starts = malloc((pool->count + 1) * sizeof *e->starts);
    if (!e->starts)
        return PMM_ERR_NOMEM;
    size_t offset = 1;
    while (offset < pool->used && e->start_count < pool->count) {
        e->starts[e->start_count++] = (uint32_t)offset;
        offset += strlen(pool->data + offset) + 1;
    }
    e->string_count = e->start_count;
    return PMM_OK;
}

static uint32_t string_ref(sm_encoder *e, uint32_t id)
{
    if (id == 0)
        return 0;
    size_t lo = 0, hi = e->start_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (e->starts[mid] == id)
            return (uint32_t)(mid + 1);
        if (e->starts[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    e->bad_reference = 1;   /* an id that is not a string start: a bug in whoever built the map */
    return 0;
}

static void begin_section(sm_encoder *e, uint32_t id, size_t count, size_t length)
{
    if (count > UINT32_MAX)
        e->w.failed = 1;
    sm_reserve(&e->w, SM_SECTION_HEADER_SIZE + length);
    sm_put_u32(&e->w, id);
    sm_put_u32(&e->w, (uint32_t)count);
    sm_put_u64(&e->w, length);
}

static void put_header(sm_encoder *e, uint32_t section_count, uint32_t flags)
{
    sm_put_bytes(&e->w, PMM_SAVED_MAP_MAGIC, PMM_SAVED_MAP_MAGIC_SIZE);
    sm_put_u32(&e->w, PMM_SAVED_MAP_VERSION);
    sm_put_u32(&e->w, section_count);
    sm_put_u64(&e->w, 0);   /* file size, patched at the end */
    sm_put_u32(&e->w, flags);
    sm_put_u32(&e->w, 0);
}

/* Length of a fixed-size char array's text; cap when it has no terminator. */
static size_t bounded_length(const char *text, size_t cap)
{
    size_t n = 0;
    while (n < cap && text[n])
        n++;
    return n;
}

static void put_strings(sm_encoder *e)
{
    const pmm_map *map = e->map;
    const char *extra_text[2] = {map->target.name, map->target.path};
    size_t pool_bytes = map->strings.used > 1 ? map->strings.used - 1 : 0;
    size_t length = pool_bytes, count = e->string_count;
    for (int i = 0; i < 2; i++) {
        size_t cap = i == 0 ? sizeof map->target.name : sizeof map->target.path;
        size_t n = bounded_length(extra_text[i], cap);
        e->extra[i] = 0;
        if (n == 0 || n == cap)
            continue;   /* empty, or not terminated: saved as no text */
        e->extra[i] = (uint32_t)++count;
        length += n + 1;
    }
    begin_section(e, SM_SECTION_STRINGS, count, length);
    if (pool_bytes)
        sm_put_bytes(&e->w, map->strings.data + 1, pool_bytes);
    for (int i = 0; i < 2; i++)
        if (e->extra[i])
            sm_put_bytes(&e->w, extra_text[i], strlen(extra_text[i]) + 1);
}

static void put_target(sm_encoder *e)
{
    const pmm_map *map = e->map;
    const pmm_target_info *t = &map->target;
    begin_section(e, SM_SECTION_TARGET, 1, SM_TARGET_SIZE);
    sm_put_u32(&e->w, t->source_kind);
    sm_put_u32(&e->w, t->pid);
    sm_put_u32(&e->w, t->pointer_size);
    sm_put_u32(&e->w, t->wow64);
    sm_put_u32(&e->w, t->tool_pointer_size);
    sm_put_u32(&e->w, map->scan_flags);
    sm_put_u64(&e->w, t->peb);
    sm_put_u64(&e->w, t->peb32);
    sm_put_u64(&e->w, t->lowest_address);
    sm_put_u64(&e->w, t->highest_address);
    sm_put_u64(&e->w, map->scan_microseconds);
    sm_put_u32(&e->w, e->extra[0]);
    sm_put_u32(&e->w, e->extra[1]);
    sm_put_u64(&e->w, 0);
}

static void put_regions(sm_encoder *e)
{
    const pmm_map *map = e->map;
    begin_section(e, SM_SECTION_REGIONS, map->region_count, map->region_count * SM_REGION_SIZE);
    for (size_t i = 0; i < map->region_count; i++) {
        const pmm_region *r = &map->regions[i];
        sm_put_u64(&e->w, r->base);
        sm_put_u64(&e->w, r->size);
        sm_put_u64(&e->w, r->alloc_base);
        sm_put_u32(&e->w, r->state);
        sm_put_u32(&e->w, r->protect);
        sm_put_u32(&e->w, r->alloc_protect);
        sm_put_u32(&e->w, r->type);
        sm_put_u8(&e->w, r->kind);
        sm_put_u8(&e->w, r->flags);
        sm_put_u16(&e->w, 0);
        sm_put_u32(&e->w, string_ref(e, r->details));
    }
}

static void put_annotations(sm_encoder *e)
{
    const pmm_map *map = e->map;
    begin_section(e, SM_SECTION_ANNOTATIONS, map->annotation_count, map->annotation_count * SM_ANNOTATION_SIZE);
    for (size_t i = 0; i < map->annotation_count; i++) {
        const pmm_annotation *a = &map->annotations[i];
        sm_put_u64(&e->w, a->base);
        sm_put_u64(&e->w, a->size);
        sm_put_u16(&e->w, a->kind);
        sm_put_u16(&e->w, a->bits);
        sm_put_u32(&e->w, a->owner);
        sm_put_u32(&e->w, string_ref(e, a->label));
        sm_put_u32(&e->w, string_ref(e, a->invalid));   /* reserved (0) before the invalid marks */
    }
}

static void put_modules(sm_encoder *e)
{
    const pmm_map *map = e->map;
    begin_section(e, SM_SECTION_MODULES, map->module_count, map->module_count * SM_MODULE_SIZE);
    for (size_t i = 0; i < map->module_count; i++) {
        const pmm_module *m = &map->modules[i];
        sm_put_u64(&e->w, m->base);
        sm_put_u64(&e->w, m->size);
        sm_put_u64(&e->w, m->entry);
        sm_put_u32(&e->w, string_ref(e, m->path));
        sm_put_u32(&e->w, string_ref(e, m->name));
        sm_put_u32(&e->w, m->flags);
        sm_put_u32(&e->w, m->pointer_size);
    }
}

static void put_context(sm_encoder *e, const pmm_context *c)
{
    sm_put_u32(&e->w, c->arch);
    sm_put_u32(&e->w, c->flags);
    sm_put_u64(&e->w, c->ip);
    for (int i = 0; i < 16; i++)
        sm_put_u64(&e->w, c->gpr[i]);
}

static void put_threads(sm_encoder *e)
{
    const pmm_map *map = e->map;
    begin_section(e, SM_SECTION_THREADS, map->thread_count, map->thread_count * SM_THREAD_SIZE);
    for (size_t i = 0; i < map->thread_count; i++) {
        const pmm_thread *t = &map->threads[i];
        const uint64_t fields[9] = {t->teb, t->start_address, t->stack_base, t->stack_limit, t->stack_reserve_base,
                                    t->teb64, t->stack64_base, t->stack64_limit, t->stack64_reserve_base};
        sm_put_u32(&e->w, t->tid);
        sm_put_u32(&e->w, t->flags);
        for (int f = 0; f < 9; f++)
            sm_put_u64(&e->w, fields[f]);
        sm_put_u32(&e->w, t->frame_first);
        sm_put_u32(&e->w, t->frame_count);
        sm_put_u32(&e->w, t->walk_end);
        sm_put_u32(&e->w, t->frame_bits);
        put_context(e, &t->context);
        put_context(e, &t->context32);
    }
}

/* Written as their own sections (not in the thread record) so files from before them still read. */
static void put_thread_extras(sm_encoder *e)
{
    const pmm_map *map = e->map;
    begin_section(e, SM_SECTION_THREAD_EXTRAS, map->thread_count, map->thread_count * SM_THREAD_EXTRA_SIZE);
    for (size_t i = 0; i < map->thread_count; i++) {
        const pmm_thread *t = &map->threads[i];
        sm_put_u32(&e->w, string_ref(e, t->start_symbol));
        sm_put_u32(&e->w, t->seh_first);
        sm_put_u32(&e->w, t->seh_count);
        sm_put_u32(&e->w, t->seh_end);
    }
    begin_section(e, SM_SECTION_THREAD_WALK64, map->thread_count, map->thread_count * SM_THREAD_WALK64_SIZE);
    for (size_t i = 0; i < map->thread_count; i++) {
        const pmm_thread *t = &map->threads[i];
        sm_put_u32(&e->w, t->frame64_first);
        sm_put_u32(&e->w, t->frame64_count);
        sm_put_u32(&e->w, t->walk64_end);
        sm_put_u32(&e->w, 0);
    }
    begin_section(e, SM_SECTION_SEH, map->seh_count, map->seh_count * SM_SEH_SIZE);
    for (size_t i = 0; i < map->seh_count; i++) {
        sm_put_u64(&e->w, map->seh[i].record);
        sm_put_u64(&e->w, map->seh[i].handler);
        sm_put_u32(&e->w, string_ref(e, map->seh[i].symbol));
        sm_put_u32(&e->w, 0);
    }
}

static void put_frames(sm_encoder *e)
{
    const pmm_map *map = e->map;
    begin_section(e, SM_SECTION_FRAMES, map->frame_count, map->frame_count * SM_FRAME_SIZE);
    for (size_t i = 0; i < map->frame_count; i++) {
        const pmm_frame *f = &map->frames[i];
        sm_put_u64(&e->w, f->address);
        sm_put_u64(&e->w, f->stack_pointer);
        sm_put_u32(&e->w, string_ref(e, f->symbol));
        sm_put_u16(&e->w, f->method);
        sm_put_u16(&e->w, 0);
    }
}

static void put_heaps_and_warnings(sm_encoder *e)
{
    const pmm_map *map = e->map;
    begin_section(e, SM_SECTION_HEAPS, map->heap_count, map->heap_count * SM_HEAP_SIZE);
    for (size_t i = 0; i < map->heap_count; i++) {
        sm_put_u64(&e->w, map->heaps[i].address);
        sm_put_u32(&e->w, map->heaps[i].id);
        sm_put_u32(&e->w, map->heaps[i].flags);
    }
    begin_section(e, SM_SECTION_WARNINGS, map->warning_count, map->warning_count * SM_WARNING_SIZE);
    for (size_t i = 0; i < map->warning_count; i++)
        sm_put_u32(&e->w, string_ref(e, map->warnings[i]));
}

/* Always written: without records it still carries why the map has no working set. */
static void put_working_set(sm_encoder *e)
{
    const pmm_map *map = e->map;
    size_t count = map->working_set ? map->region_count : 0;
    begin_section(e, SM_SECTION_WORKING_SET, count, SM_WORKING_SET_HEAD_SIZE + count * SM_WORKING_SET_SIZE);
    sm_put_u32(&e->w, string_ref(e, map->working_set_note));
    sm_put_u32(&e->w, 0);
    for (size_t i = 0; i < count; i++) {
        const pmm_region_ws *ws = &map->working_set[i];
        sm_put_u32(&e->w, ws->private_pages);
        sm_put_u32(&e->w, ws->shareable_pages);
        sm_put_u32(&e->w, ws->shared_pages);
        sm_put_u32(&e->w, ws->locked_pages);
    }
}

static void put_pages(sm_encoder *e, const pmm_page_sums *sums)
{
    begin_section(e, SM_SECTION_PAGES, sums->count, sums->count * SM_PAGE_SIZE_RECORD);
    for (size_t i = 0; i < sums->count; i++) {
        sm_put_u64(&e->w, sums->items[i].address);
        sm_put_u64(&e->w, sums->items[i].hash);
        sm_put_u32(&e->w, sums->items[i].status);
        sm_put_u32(&e->w, 0);
    }
}

/* The integrity scan's results, when one ran: four sections. */
static void put_integrity(sm_encoder *e)
{
    const pmm_findings *f = &e->map->integrity;
    begin_section(e, SM_SECTION_INTEGRITY, 1, SM_INTEGRITY_SIZE);
    sm_put_u32(&e->w, f->summary.flags);
    sm_put_u32(&e->w, string_ref(e, f->summary.module_filter));
    sm_put_u64(&e->w, f->summary.bytes_compared);
    sm_put_u64(&e->w, f->summary.microseconds);
    sm_put_u64(&e->w, 0);
    begin_section(e, SM_SECTION_IMAGE_CHECKS, f->image_count, f->image_count * SM_IMAGE_CHECK_SIZE);
    for (size_t i = 0; i < f->image_count; i++) {
        sm_put_u32(&e->w, f->images[i].module);
        sm_put_u32(&e->w, f->images[i].status);
        sm_put_u32(&e->w, string_ref(e, f->images[i].file));
        sm_put_u32(&e->w, 0);
        sm_put_u64(&e->w, f->images[i].bytes_compared);
    }
    begin_section(e, SM_SECTION_FINDINGS, f->count, f->count * SM_FINDING_SIZE);
    for (size_t i = 0; i < f->count; i++) {
        const pmm_finding *x = &f->items[i];
        sm_put_u64(&e->w, x->address);
        sm_put_u64(&e->w, x->size);
        sm_put_u64(&e->w, x->destination);
        sm_put_u32(&e->w, x->kind);
        sm_put_u32(&e->w, x->module);
        const uint32_t strings[5] = {x->symbol, x->destination_text, x->file_bytes, x->memory_bytes, x->detail};
        for (int s = 0; s < 5; s++)
            sm_put_u32(&e->w, string_ref(e, strings[s]));
        sm_put_u32(&e->w, 0);
    }
    begin_section(e, SM_SECTION_UNCHECKED, f->unchecked_count, f->unchecked_count * SM_UNCHECKED_SIZE);
    for (size_t i = 0; i < f->unchecked_count; i++) {
        const pmm_unchecked *u = &f->unchecked[i];
        sm_put_u64(&e->w, u->address);
        sm_put_u64(&e->w, u->size);
        sm_put_u32(&e->w, u->module);
        sm_put_u32(&e->w, string_ref(e, u->what));
        sm_put_u32(&e->w, string_ref(e, u->reason));
        sm_put_u32(&e->w, 0);
    }
}

int pmm_saved_map_has_magic(const void *data, size_t size)
{
    return size >= PMM_SAVED_MAP_MAGIC_SIZE && memcmp(data, PMM_SAVED_MAP_MAGIC, PMM_SAVED_MAP_MAGIC_SIZE) == 0;
}

pmm_status pmm_saved_map_encode(const pmm_map *map, const pmm_page_sums *sums, uint8_t **data, size_t *size)
{
    *data = NULL;
    *size = 0;
    int with_pages = sums && sums->present;
    int with_integrity = (map->integrity.summary.flags & PMM_INTEGRITY_SCANNED) != 0;
    sm_encoder e = {.map = map};
    pmm_status st = index_pool(&e);
    if (st != PMM_OK)
        return st;
    /* every section below, counted */
    put_header(&e, 13 + (with_pages ? 1 : 0) + (with_integrity ? 4 : 0), with_pages ? 1 : 0);
    put_strings(&e);
    put_target(&e);
    put_regions(&e);
    put_annotations(&e);
    put_modules(&e);
    put_threads(&e);
    put_frames(&e);
    put_thread_extras(&e);
    put_heaps_and_warnings(&e);
    put_working_set(&e);
    if (with_pages)
        put_pages(&e, sums);
    if (with_integrity)
        put_integrity(&e);
    sm_patch_u64(&e.w, 16, (uint64_t)e.w.used + SM_TRAILER_SIZE);
    if (!e.w.failed)
        sm_put_u64(&e.w, pmm_checksum64(e.w.data, e.w.used));
    free(e.starts);
    if (e.w.failed || e.bad_reference) {
        free(e.w.data);
        return e.bad_reference ? PMM_ERR_ARG : PMM_ERR_NOMEM;
    }
    *data = e.w.data;
    *size = e.w.used;
    return PMM_OK;
}
