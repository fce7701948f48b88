/* Decodes a saved map. The input is untrusted: every length, count, offset and string reference
 * is checked before use, every loop is bounded by the input's size, and any inconsistency ends
 * the load with PMM_ERR_FORMAT and a message naming what was wrong. */
#include "saved_map.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../util/array.h"
#include "saved_map_layout.h"

typedef struct sm_section {
    uint32_t count;
    uint64_t length;
    const uint8_t *data;   /* NULL when the file has no such section */
} sm_section;

typedef struct sm_decoder {
    const uint8_t *data;
    size_t size;
    sm_section sections[SM_SECTION_LAST + 1];
    pmm_map *map;
    uint32_t *string_ids;  /* file string index (1-based) -> id in map->strings; [0] = 0 */
    size_t string_count;
    char *message;
    size_t message_cap;
} sm_decoder;

static pmm_status fail(sm_decoder *d, const char *fmt, ...) PMM_PRINTF_FORMAT(2, 3);

static pmm_status fail(sm_decoder *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (d->message_cap)
        vsnprintf(d->message, d->message_cap, fmt, ap);
    va_end(ap);
    return PMM_ERR_FORMAT;
}

static pmm_status check_header(sm_decoder *d)
{
    if (d->size == 0)
        return fail(d, "the file is empty: not a saved map");
    if (d->size < PMM_SAVED_MAP_MAGIC_SIZE && memcmp(d->data, PMM_SAVED_MAP_MAGIC, d->size) == 0)
        return fail(d, "truncated saved map: %zu bytes, less than its magic", d->size);
    if (!pmm_saved_map_has_magic(d->data, d->size))
        return fail(d, "not a saved map (no \"PMMSAVE\" magic at the start)");
    if (d->size < SM_HEADER_SIZE + SM_TRAILER_SIZE)
        return fail(d, "truncated saved map: %zu bytes, less than the %d of an empty one", d->size,
                    SM_HEADER_SIZE + SM_TRAILER_SIZE);
    uint32_t version = pmm_le32(d->data + 8);
    if (version != PMM_SAVED_MAP_VERSION)
        return fail(d, "saved map version %u is not supported (this build reads version %d)", (unsigned)version,
                    PMM_SAVED_MAP_VERSION);
    uint64_t declared = pmm_le64(d->data + 16);
    if (declared > d->size)
        return fail(d, "truncated saved map: the header says %llu bytes, the file has %zu",
                    (unsigned long long)declared, d->size);
    if (declared < d->size)
        return fail(d, "saved map has %zu bytes after its end (the header says %llu bytes)",
                    d->size - (size_t)declared, (unsigned long long)declared);
    uint64_t stored = pmm_le64(d->data + d->size - SM_TRAILER_SIZE);
    if (stored != pmm_checksum64(d->data, d->size - SM_TRAILER_SIZE))
        return fail(d, "saved map checksum mismatch: the file is damaged");
    return PMM_OK;
}

static pmm_status index_sections(sm_decoder *d)
{
    uint32_t count = pmm_le32(d->data + 12);
    size_t end = d->size - SM_TRAILER_SIZE, offset = SM_HEADER_SIZE;
    if (count > SM_MAX_SECTIONS)
        return fail(d, "saved map claims %u sections (at most %d)", (unsigned)count, SM_MAX_SECTIONS);
    for (uint32_t i = 0; i < count; i++) {
        if (end - offset < SM_SECTION_HEADER_SIZE)
            return fail(d, "section %u header at offset %zu runs past the end", (unsigned)i, offset);
        const uint8_t *h = d->data + offset;
        uint32_t id = pmm_le32(h);
        uint64_t length = pmm_le64(h + 8);
        offset += SM_SECTION_HEADER_SIZE;
        if (length > end - offset)
            return fail(d, "%s section at offset %zu claims %llu bytes, only %zu remain", sm_section_name(id),
                        offset - SM_SECTION_HEADER_SIZE, (unsigned long long)length, end - offset);
        if (id >= 1 && id <= SM_SECTION_LAST) {   /* unknown ids are later additions: skipped */
            if (d->sections[id].data)
                return fail(d, "the %s section appears twice", sm_section_name(id));
            d->sections[id] = (sm_section){pmm_le32(h + 4), length, d->data + offset};
        }
        offset += (size_t)length;
    }
    if (offset != end)
        return fail(d, "%zu bytes between the last section and the checksum", end - offset);
    static const uint32_t required[] = {SM_SECTION_TARGET, SM_SECTION_STRINGS, SM_SECTION_REGIONS};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!d->sections[required[i]].data)
            return fail(d, "the %s section is missing", sm_section_name(required[i]));
    return PMM_OK;
}

/* A fixed-size section: its length must be exactly count records. */
static pmm_status check_records(sm_decoder *d, uint32_t id, size_t record_size)
{
    const sm_section *s = &d->sections[id];
    if (s->data && s->length != (uint64_t)s->count * record_size)
        return fail(d, "%s section: %u records of %zu bytes do not fill its %llu bytes", sm_section_name(id),
                    (unsigned)s->count, record_size, (unsigned long long)s->length);
    return PMM_OK;
}

static pmm_status read_strings(sm_decoder *d)
{
    const sm_section *s = &d->sections[SM_SECTION_STRINGS];
    if (s->count > s->length)   /* each string has at least its terminator */
        return fail(d, "strings section: %u strings cannot fit in %llu bytes", (unsigned)s->count,
                    (unsigned long long)s->length);
    d->string_ids = malloc(((size_t)s->count + 1) * sizeof *d->string_ids);
    if (!d->string_ids)
        return PMM_ERR_NOMEM;
    d->string_ids[0] = 0;
    d->string_count = s->count;
    const char *text = (const char *)s->data;
    size_t offset = 0, length = (size_t)s->length;
    for (uint32_t i = 0; i < s->count; i++) {
        const char *nul = memchr(text + offset, '\0', length - offset);
        if (!nul)
            return fail(d, "strings section: string %u is not terminated", (unsigned)i + 1);
        pmm_status st = pmm_strings_intern(&d->map->strings, text + offset, &d->string_ids[i + 1]);
        if (st != PMM_OK)
            return st;
        offset = (size_t)(nul - text) + 1;
    }
    if (offset != length)
        return fail(d, "strings section: %zu bytes after its %u strings", length - offset, (unsigned)s->count);
    return PMM_OK;
}

/* Maps a string reference from the file to the map's id; 0 and sets *bad when out of range. */
static uint32_t string_id(const sm_decoder *d, uint32_t ref, int *bad)
{
    if (ref > d->string_count) {
        *bad = 1;
        return 0;
    }
    return d->string_ids[ref];
}

static pmm_status copy_text(sm_decoder *d, uint32_t ref, char *buf, size_t cap, const char *what)
{
    int bad = 0;
    const char *text = pmm_map_text(d->map, string_id(d, ref, &bad));
    size_t n = strlen(text);
    if (bad || n >= cap)
        return fail(d, "target section: the %s is %s", what, bad ? "not a valid string reference" : "too long");
    memcpy(buf, text, n + 1);
    return PMM_OK;
}

static pmm_status read_target(sm_decoder *d)
{
    const sm_section *s = &d->sections[SM_SECTION_TARGET];
    if (s->count != 1 || s->length != SM_TARGET_SIZE)
        return fail(d, "target section: %u records of %llu bytes, expected one of %d", (unsigned)s->count,
                    (unsigned long long)s->length, SM_TARGET_SIZE);
    const uint8_t *p = s->data;
    pmm_target_info *t = &d->map->target;
    t->source_kind = PMM_SOURCE_SAVED;   /* what was saved (live, minidump) is at offset 0 */
    t->pid = pmm_le32(p + 4);
    t->pointer_size = pmm_le32(p + 8);
    t->wow64 = pmm_le32(p + 12);
    t->tool_pointer_size = pmm_le32(p + 16);
    d->map->scan_flags = pmm_le32(p + 20);
    t->peb = pmm_le64(p + 24);
    t->peb32 = pmm_le64(p + 32);
    t->lowest_address = pmm_le64(p + 40);
    t->highest_address = pmm_le64(p + 48);
    d->map->scan_microseconds = pmm_le64(p + 56);
    if (t->pointer_size != 4 && t->pointer_size != 8)
        return fail(d, "target section: pointer size %u is neither 4 nor 8", (unsigned)t->pointer_size);
    pmm_status st = copy_text(d, pmm_le32(p + 64), t->name, sizeof t->name, "name");
    if (st == PMM_OK)
        st = copy_text(d, pmm_le32(p + 68), t->path, sizeof t->path, "path");
    return st;
}

static pmm_status read_region(sm_decoder *d, const uint8_t *p, size_t index)
{
    pmm_region_info info = {.base = pmm_le64(p), .size = pmm_le64(p + 8), .alloc_base = pmm_le64(p + 16),
                            .state = pmm_le32(p + 24), .protect = pmm_le32(p + 28),
                            .alloc_protect = pmm_le32(p + 32), .type = pmm_le32(p + 36)};
    pmm_map *map = d->map;
    if (info.size == 0 || info.size > UINT64_MAX - info.base)
        return fail(d, "region %zu at 0x%llx: size 0x%llx is empty or wraps around", index,
                    (unsigned long long)info.base, (unsigned long long)info.size);
    if (p[40] >= PMM_KIND_COUNT)
        return fail(d, "region %zu: unknown type %u", index, (unsigned)p[40]);
    if (pmm_map_add_region(map, &info) != PMM_OK)
        return fail(d, "region %zu at 0x%llx overlaps or precedes the region before it", index,
                    (unsigned long long)info.base);
    pmm_region *r = &map->regions[map->region_count - 1];
    int bad = 0;
    r->alloc_base = info.alloc_base;
    r->kind = p[40];
    r->flags = p[41];
    r->details = string_id(d, pmm_le32(p + 44), &bad);
    return bad ? fail(d, "region %zu: details refer to a string that does not exist", index) : PMM_OK;
}

static pmm_status read_regions(sm_decoder *d)
{
    const sm_section *s = &d->sections[SM_SECTION_REGIONS];
    pmm_map *map = d->map;
    pmm_status st = pmm_array_reserve((void **)&map->regions, &map->region_cap, s->count, sizeof *map->regions);
    for (uint32_t i = 0; i < s->count && st == PMM_OK; i++)
        st = read_region(d, s->data + (size_t)i * SM_REGION_SIZE, i);
    return st;
}

static pmm_status read_annotations(sm_decoder *d)
{
    const sm_section *s = &d->sections[SM_SECTION_ANNOTATIONS];
    pmm_map *map = d->map;
    if (!s->data)
        return PMM_OK;
    pmm_status st = pmm_array_reserve((void **)&map->annotations, &map->annotation_cap, s->count,
                                      sizeof *map->annotations);
    for (uint32_t i = 0; i < s->count && st == PMM_OK; i++) {
        const uint8_t *p = s->data + (size_t)i * SM_ANNOTATION_SIZE;
        pmm_annotation a = {.base = pmm_le64(p), .size = pmm_le64(p + 8), .kind = pmm_le16(p + 16),
                            .bits = pmm_le16(p + 18), .owner = pmm_le32(p + 20)};
        int bad = 0;
        a.label = string_id(d, pmm_le32(p + 24), &bad);
        a.invalid = string_id(d, pmm_le32(p + 28), &bad);   /* 0 in files written before the marks */
        if (bad || a.kind >= PMM_ANN_COUNT || a.size > UINT64_MAX - a.base)
            return fail(d, "annotation %u: %s", (unsigned)i,
                        bad ? "its label or invalid mark refers to a string that does not exist"
                            : a.kind >= PMM_ANN_COUNT ? "unknown kind" : "its range wraps around");
        map->annotations[map->annotation_count++] = a;
    }
    return st;
}

static pmm_status read_modules(sm_decoder *d)
{
    const sm_section *s = &d->sections[SM_SECTION_MODULES];
    pmm_map *map = d->map;
    if (!s->data)
        return PMM_OK;
    pmm_status st = pmm_array_reserve((void **)&map->modules, &map->module_cap, s->count, sizeof *map->modules);
    for (uint32_t i = 0; i < s->count && st == PMM_OK; i++) {
        const uint8_t *p = s->data + (size_t)i * SM_MODULE_SIZE;
        int bad = 0;
        pmm_module m = {.base = pmm_le64(p), .size = pmm_le64(p + 8), .entry = pmm_le64(p + 16),
                        .flags = pmm_le32(p + 32), .pointer_size = pmm_le32(p + 36)};
        m.path = string_id(d, pmm_le32(p + 24), &bad);
        m.name = string_id(d, pmm_le32(p + 28), &bad);
        if (bad)
            return fail(d, "module %u: its path or name refers to a string that does not exist", (unsigned)i);
        map->modules[map->module_count++] = m;
    }
    return st;
}

static pmm_status read_context(sm_decoder *d, const uint8_t *p, pmm_context *c, uint32_t thread)
{
    c->arch = pmm_le32(p);
    c->flags = pmm_le32(p + 4);
    c->ip = pmm_le64(p + 8);
    for (int i = 0; i < 16; i++)
        c->gpr[i] = pmm_le64(p + 16 + 8 * (size_t)i);
    if (c->arch > PMM_ARCH_X64)
        return fail(d, "thread %u: unknown register context architecture %u", (unsigned)thread, (unsigned)c->arch);
    return PMM_OK;
}

static pmm_status read_threads(sm_decoder *d)
{
    const sm_section *s = &d->sections[SM_SECTION_THREADS];
    pmm_map *map = d->map;
    if (!s->data)
        return PMM_OK;
    pmm_status st = pmm_array_reserve((void **)&map->threads, &map->thread_cap, s->count, sizeof *map->threads);
    for (uint32_t i = 0; i < s->count && st == PMM_OK; i++) {
        const uint8_t *p = s->data + (size_t)i * SM_THREAD_SIZE;
        pmm_thread *t = &map->threads[map->thread_count];
        memset(t, 0, sizeof *t);
        t->tid = pmm_le32(p);
        t->flags = pmm_le32(p + 4);
        uint64_t *fields[9] = {&t->teb, &t->start_address, &t->stack_base, &t->stack_limit, &t->stack_reserve_base,
                               &t->teb64, &t->stack64_base, &t->stack64_limit, &t->stack64_reserve_base};
        for (int f = 0; f < 9; f++)
            *fields[f] = pmm_le64(p + 8 + 8 * (size_t)f);
        t->frame_first = pmm_le32(p + 80);
        t->frame_count = pmm_le32(p + 84);
        t->walk_end = pmm_le32(p + 88);
        t->frame_bits = pmm_le32(p + 92);
        if (t->frame_count > map->frame_count || t->frame_first > map->frame_count - t->frame_count)
            return fail(d, "thread %u: its call stack lies outside the frames section", (unsigned)i);
        st = read_context(d, p + 96, &t->context, i);
        if (st == PMM_OK)
            st = read_context(d, p + 96 + SM_CONTEXT_SIZE, &t->context32, i);
        map->thread_count++;
    }
    return st;
}

/* Read before the threads, which refer to ranges of it. */
static pmm_status read_frames(sm_decoder *d)
{
    const sm_section *s = &d->sections[SM_SECTION_FRAMES];
    pmm_map *map = d->map;
    if (!s->data)
        return PMM_OK;
    pmm_status st = pmm_array_reserve((void **)&map->frames, &map->frame_cap, s->count, sizeof *map->frames);
    for (uint32_t i = 0; i < s->count && st == PMM_OK; i++) {
        const uint8_t *p = s->data + (size_t)i * SM_FRAME_SIZE;
        int bad = 0;
        pmm_frame f = {.address = pmm_le64(p), .stack_pointer = pmm_le64(p + 8), .method = pmm_le16(p + 20)};
        f.symbol = string_id(d, pmm_le32(p + 16), &bad);
        if (bad)
            return fail(d, "frame %u: its symbol refers to a string that does not exist", (unsigned)i);
        map->frames[map->frame_count++] = f;
    }
    return st;
}

/* Optional (files written before them lack both): read after the threads they extend. */
static pmm_status read_seh(sm_decoder *d)
{
    const sm_section *s = &d->sections[SM_SECTION_SEH];
    pmm_map *map = d->map;
    if (!s->data)
        return PMM_OK;
    pmm_status st = pmm_array_reserve((void **)&map->seh, &map->seh_cap, s->count, sizeof *map->seh);
    for (uint32_t i = 0; i < s->count && st == PMM_OK; i++) {
        const uint8_t *p = s->data + (size_t)i * SM_SEH_SIZE;
        int bad = 0;
        pmm_seh_record r = {.record = pmm_le64(p), .handler = pmm_le64(p + 8)};
        r.symbol = string_id(d, pmm_le32(p + 16), &bad);
        if (bad)
            return fail(d, "SEH record %u: its symbol refers to a string that does not exist", (unsigned)i);
        map->seh[map->seh_count++] = r;
    }
    return st;
}

static pmm_status read_thread_extras(sm_decoder *d)
{
    const sm_section *s = &d->sections[SM_SECTION_THREAD_EXTRAS];
    pmm_map *map = d->map;
    if (!s->data)
        return PMM_OK;
    if (s->count != map->thread_count)
        return fail(d, "%u thread extras for %u threads", (unsigned)s->count, (unsigned)map->thread_count);
    for (uint32_t i = 0; i < s->count; i++) {
        const uint8_t *p = s->data + (size_t)i * SM_THREAD_EXTRA_SIZE;
        pmm_thread *t = &map->threads[i];
        int bad = 0;
        t->start_symbol = string_id(d, pmm_le32(p), &bad);
        t->seh_first = pmm_le32(p + 4);
        t->seh_count = pmm_le32(p + 8);
        t->seh_end = pmm_le32(p + 12);
        if (bad)
            return fail(d, "thread %u: its start name refers to a string that does not exist", (unsigned)i);
        if (t->seh_count > map->seh_count || t->seh_first > map->seh_count - t->seh_count)
            return fail(d, "thread %u: its SEH chain lies outside the SEH section", (unsigned)i);
    }
    return PMM_OK;
}

/* Files from before the WOW64 64-bit walks have no such section: their threads were not walked. */
static pmm_status read_thread_walk64(sm_decoder *d)
{
    const sm_section *s = &d->sections[SM_SECTION_THREAD_WALK64];
    pmm_map *map = d->map;
    if (!s->data)
        return PMM_OK;
    if (s->count != map->thread_count)
        return fail(d, "%u 64-bit call stacks for %u threads", (unsigned)s->count, (unsigned)map->thread_count);
    for (uint32_t i = 0; i < s->count; i++) {
        const uint8_t *p = s->data + (size_t)i * SM_THREAD_WALK64_SIZE;
        pmm_thread *t = &map->threads[i];
        t->frame64_first = pmm_le32(p);
        t->frame64_count = pmm_le32(p + 4);
        t->walk64_end = pmm_le32(p + 8);
        if (t->frame64_count > map->frame_count || t->frame64_first > map->frame_count - t->frame64_count)
            return fail(d, "thread %u: its 64-bit call stack lies outside the frames section", (unsigned)i);
    }
    return PMM_OK;
}

static pmm_status read_heaps(sm_decoder *d)
{
    const sm_section *s = &d->sections[SM_SECTION_HEAPS];
    pmm_map *map = d->map;
    if (!s->data)
        return PMM_OK;
    pmm_status st = pmm_array_reserve((void **)&map->heaps, &map->heap_cap, s->count, sizeof *map->heaps);
    for (uint32_t i = 0; i < s->count && st == PMM_OK; i++) {
        const uint8_t *p = s->data + (size_t)i * SM_HEAP_SIZE;
        map->heaps[map->heap_count++] =
            (pmm_heap){.address = pmm_le64(p), .id = pmm_le32(p + 8), .flags = pmm_le32(p + 12)};
    }
    return st;
}

static pmm_status read_warnings(sm_decoder *d)
{
    const sm_section *s = &d->sections[SM_SECTION_WARNINGS];
    pmm_map *map = d->map;
    if (!s->data)
        return PMM_OK;
    pmm_status st = pmm_array_reserve((void **)&map->warnings, &map->warning_cap, s->count, sizeof *map->warnings);
    for (uint32_t i = 0; i < s->count && st == PMM_OK; i++) {
        int bad = 0;
        uint32_t id = string_id(d, pmm_le32(s->data + (size_t)i * SM_WARNING_SIZE), &bad);
        if (bad)
            return fail(d, "warning %u refers to a string that does not exist", (unsigned)i);
        map->warnings[map->warning_count++] = id;
    }
    return st;
}

/* Each count must fit in its region; a file without the section was saved before working sets. */
static pmm_status read_working_set(sm_decoder *d)
{
    const sm_section *s = &d->sections[SM_SECTION_WORKING_SET];
    pmm_map *map = d->map;
    if (!s->data)
        return pmm_map_set_working_set_note(map, "Working set not available: saved by a version without it");
    if (s->length != SM_WORKING_SET_HEAD_SIZE + (uint64_t)s->count * SM_WORKING_SET_SIZE ||
        (s->count != 0 && s->count != map->region_count))
        return fail(d, "working set section: %u records in %llu bytes for %zu regions", (unsigned)s->count,
                    (unsigned long long)s->length, map->region_count);
    int bad = 0;
    uint32_t note = string_id(d, pmm_le32(s->data), &bad);
    if (bad)
        return fail(d, "working set section: its note refers to a string that does not exist");
    if (s->count == 0) {
        map->working_set_note = note;   /* already in the map's strings */
        return note ? PMM_OK : pmm_map_set_working_set_note(map, "Working set not available");
    }
    pmm_status st = pmm_map_enable_working_set(map);
    for (uint32_t i = 0; i < s->count && st == PMM_OK; i++) {
        const uint8_t *p = s->data + SM_WORKING_SET_HEAD_SIZE + (size_t)i * SM_WORKING_SET_SIZE;
        pmm_region_ws ws = {pmm_le32(p), pmm_le32(p + 4), pmm_le32(p + 8), pmm_le32(p + 12)};
        uint64_t pages = map->regions[i].size / PMM_PAGE_SIZE;
        if ((uint64_t)ws.private_pages + ws.shareable_pages > pages || ws.shared_pages > ws.shareable_pages ||
            ws.locked_pages > (uint64_t)ws.private_pages + ws.shareable_pages)
            return fail(d, "working set of region %u: its page counts do not fit the region", (unsigned)i);
        map->working_set[i] = ws;
    }
    return st;
}

static pmm_status read_pages(sm_decoder *d, pmm_page_sums *sums)
{
    const sm_section *s = &d->sections[SM_SECTION_PAGES];
    if (!s->data || !sums)
        return PMM_OK;
    sums->present = 1;
    pmm_status st = pmm_array_reserve((void **)&sums->items, &sums->cap, s->count, sizeof *sums->items);
    for (uint32_t i = 0; i < s->count && st == PMM_OK; i++) {
        const uint8_t *p = s->data + (size_t)i * SM_PAGE_SIZE_RECORD;
        pmm_page_sum page = {.address = pmm_le64(p), .hash = pmm_le64(p + 8), .status = pmm_le32(p + 16)};
        if (page.address % PMM_PAGE_SIZE || page.status > PMM_PAGE_SKIPPED ||
            (i > 0 && page.address <= sums->items[i - 1].address))
            return fail(d, "page checksum %u (0x%llx) is unaligned, out of order or has an unknown status",
                        (unsigned)i, (unsigned long long)page.address);
        sums->items[sums->count++] = page;
    }
    return st;
}

/* ---- the integrity scan's results (absent when no scan ran, and in older files) ---- */

static pmm_status read_integrity_summary(sm_decoder *d)
{
    const sm_section *s = &d->sections[SM_SECTION_INTEGRITY];
    if (!s->data)
        return PMM_OK;
    if (s->count != 1)
        return fail(d, "the integrity section has %u records (1 expected)", (unsigned)s->count);
    pmm_integrity_summary *sum = &d->map->integrity.summary;
    int bad = 0;
    sum->flags = pmm_le32(s->data) | PMM_INTEGRITY_SCANNED;
    sum->module_filter = string_id(d, pmm_le32(s->data + 4), &bad);
    sum->bytes_compared = pmm_le64(s->data + 8);
    sum->microseconds = pmm_le64(s->data + 16);
    return bad ? fail(d, "the integrity section refers to a string that does not exist") : PMM_OK;
}

/* A 1-based module number: 0 (none) or one of the map's modules. */
static int module_ok(const sm_decoder *d, uint32_t module)
{
    return module <= d->map->module_count;
}

static pmm_status read_image_checks(sm_decoder *d)
{
    const sm_section *s = &d->sections[SM_SECTION_IMAGE_CHECKS];
    pmm_findings *f = &d->map->integrity;
    if (!s->data)
        return PMM_OK;
    pmm_status st = pmm_array_reserve((void **)&f->images, &f->image_cap, s->count, sizeof *f->images);
    for (uint32_t i = 0; i < s->count && st == PMM_OK; i++) {
        const uint8_t *p = s->data + (size_t)i * SM_IMAGE_CHECK_SIZE;
        int bad = 0;
        pmm_image_check c = {.module = pmm_le32(p), .status = pmm_le32(p + 4), .bytes_compared = pmm_le64(p + 16)};
        c.file = string_id(d, pmm_le32(p + 8), &bad);
        if (bad || !c.module || !module_ok(d, c.module) || c.status > PMM_IMAGE_NOT_CHECKED)
            return fail(d, "image check %u names no module, an unknown status or a missing string", (unsigned)i);
        f->images[f->image_count++] = c;
    }
    return st;
}

static pmm_status read_findings(sm_decoder *d)
{
    const sm_section *s = &d->sections[SM_SECTION_FINDINGS];
    pmm_findings *f = &d->map->integrity;
    if (!s->data)
        return PMM_OK;
    pmm_status st = pmm_array_reserve((void **)&f->items, &f->cap, s->count, sizeof *f->items);
    for (uint32_t i = 0; i < s->count && st == PMM_OK; i++) {
        const uint8_t *p = s->data + (size_t)i * SM_FINDING_SIZE;
        int bad = 0;
        pmm_finding x = {.address = pmm_le64(p), .size = pmm_le64(p + 8), .destination = pmm_le64(p + 16),
                         .kind = pmm_le32(p + 24), .module = pmm_le32(p + 28)};
        uint32_t *strings[5] = {&x.symbol, &x.destination_text, &x.file_bytes, &x.memory_bytes, &x.detail};
        for (int k = 0; k < 5; k++)
            *strings[k] = string_id(d, pmm_le32(p + 32 + 4 * k), &bad);
        if (bad || x.kind >= PMM_FINDING_KIND_COUNT || !module_ok(d, x.module))
            return fail(d, "finding %u has an unknown kind, no such module or a missing string", (unsigned)i);
        f->items[f->count++] = x;
    }
    return st;
}

static pmm_status read_unchecked(sm_decoder *d)
{
    const sm_section *s = &d->sections[SM_SECTION_UNCHECKED];
    pmm_findings *f = &d->map->integrity;
    if (!s->data)
        return PMM_OK;
    pmm_status st = pmm_array_reserve((void **)&f->unchecked, &f->unchecked_cap, s->count, sizeof *f->unchecked);
    for (uint32_t i = 0; i < s->count && st == PMM_OK; i++) {
        const uint8_t *p = s->data + (size_t)i * SM_UNCHECKED_SIZE;
        int bad = 0;
        pmm_unchecked u = {.address = pmm_le64(p), .size = pmm_le64(p + 8), .module = pmm_le32(p + 16)};
        u.what = string_id(d, pmm_le32(p + 20), &bad);
        u.reason = string_id(d, pmm_le32(p + 24), &bad);
        if (bad || !module_ok(d, u.module))
            return fail(d, "not-checked entry %u names no such module or a missing string", (unsigned)i);
        f->unchecked[f->unchecked_count++] = u;
    }
    return st;
}

static pmm_status read_integrity(sm_decoder *d)
{
    int any = d->sections[SM_SECTION_IMAGE_CHECKS].data || d->sections[SM_SECTION_FINDINGS].data ||
              d->sections[SM_SECTION_UNCHECKED].data;
    if (any && !d->sections[SM_SECTION_INTEGRITY].data)
        return fail(d, "integrity results without the integrity section");
    pmm_status st = read_integrity_summary(d);
    if (st == PMM_OK)
        st = read_image_checks(d);
    if (st == PMM_OK)
        st = read_findings(d);
    if (st == PMM_OK)
        st = read_unchecked(d);
    return st;
}

static pmm_status decode_sections(sm_decoder *d, pmm_page_sums *sums)
{
    static const struct { uint32_t id; size_t size; } records[] = {
        {SM_SECTION_REGIONS, SM_REGION_SIZE}, {SM_SECTION_ANNOTATIONS, SM_ANNOTATION_SIZE},
        {SM_SECTION_MODULES, SM_MODULE_SIZE}, {SM_SECTION_THREADS, SM_THREAD_SIZE},
        {SM_SECTION_HEAPS, SM_HEAP_SIZE},     {SM_SECTION_WARNINGS, SM_WARNING_SIZE},
        {SM_SECTION_PAGES, SM_PAGE_SIZE_RECORD}, {SM_SECTION_FRAMES, SM_FRAME_SIZE},
        {SM_SECTION_THREAD_EXTRAS, SM_THREAD_EXTRA_SIZE}, {SM_SECTION_SEH, SM_SEH_SIZE},
        {SM_SECTION_THREAD_WALK64, SM_THREAD_WALK64_SIZE}, {SM_SECTION_INTEGRITY, SM_INTEGRITY_SIZE},
        {SM_SECTION_IMAGE_CHECKS, SM_IMAGE_CHECK_SIZE}, {SM_SECTION_FINDINGS, SM_FINDING_SIZE},
        {SM_SECTION_UNCHECKED, SM_UNCHECKED_SIZE},
    };
    pmm_status st = PMM_OK;
    for (size_t i = 0; i < sizeof records / sizeof records[0] && st == PMM_OK; i++)
        st = check_records(d, records[i].id, records[i].size);
    pmm_status (*const steps[])(sm_decoder *) = {read_strings, read_target, read_regions, read_annotations,
                                                 read_modules, read_frames, read_threads, read_seh, read_thread_extras,
                                                 read_thread_walk64,
                                                 read_heaps, read_warnings, read_working_set, read_integrity};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0] && st == PMM_OK; i++)
        st = steps[i](d);
    if (st == PMM_OK)
        st = read_pages(d, sums);
    return st;
}

pmm_status pmm_saved_map_decode(const void *data, size_t size, pmm_map **out, pmm_page_sums *sums, char *message,
                                size_t message_cap)
{
    *out = NULL;
    if (sums)
        memset(sums, 0, sizeof *sums);
    if (message_cap)
        message[0] = '\0';
    sm_decoder d = {.data = data, .size = size, .message = message, .message_cap = message_cap};
    pmm_status st = check_header(&d);
    if (st == PMM_OK)
        st = index_sections(&d);
    if (st == PMM_OK && !(d.map = pmm_map_new()))
        st = PMM_ERR_NOMEM;
    if (st == PMM_OK)
        st = decode_sections(&d, sums);
    if (st == PMM_OK)
        st = pmm_map_finish(d.map);
    free(d.string_ids);
    if (st != PMM_OK) {
        if (message_cap && !message[0])
            snprintf(message, message_cap, "loading the saved map failed: %s", pmm_status_text(st));
        pmm_map_free(d.map);
        if (sums)
            pmm_page_sums_free(sums);
        return st;
    }
    *out = d.map;
    return PMM_OK;
}
