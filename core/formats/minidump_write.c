/* The minidump writer's outline: header, stream directory, then each stream in turn (see
 * minidump_write.h). The directory sits right after the header and is filled in at the end, when
 * every stream's place and size is known. */
#include "minidump_write_internal.h"

#include <stdlib.h>
#include <string.h>
#include "minidump_context.h"
#include "minidump_misc.h"

#define MDW_STRING_MAX_UNITS 32768u

int pmm_dump_region_is_saved(const pmm_region *region)
{
    return region->state == PMM_MEM_COMMIT && pmm_protect_is_readable(region->protect);
}

pmm_status mdw_rva(md_writer *w, uint32_t *rva)
{
    if (w->sink->error != PMM_OK)
        return w->sink->error;
    if (w->sink->size > UINT32_MAX)
        return PMM_ERR_LIMIT;
    *rva = (uint32_t)w->sink->size;
    return PMM_OK;
}

pmm_status mdw_reserve_list(md_writer *w, uint32_t type, uint32_t count, uint32_t entry_size, uint32_t *rva)
{
    uint8_t count_bytes[4];
    pmm_put32(count_bytes, count);
    pmm_status st = pmm_sink_align(w->sink, 4);
    if (st == PMM_OK)
        st = mdw_rva(w, rva);
    if (st == PMM_OK)
        st = pmm_sink_write(w->sink, count_bytes, sizeof count_bytes);
    if (st == PMM_OK)
        st = pmm_sink_write_zeros(w->sink, (uint64_t)count * entry_size);
    if (st == PMM_OK)
        st = mdw_end_stream(w, type, *rva);
    return st;
}

pmm_status mdw_end_stream(md_writer *w, uint32_t type, uint32_t rva)
{
    uint32_t end;
    pmm_status st = mdw_rva(w, &end);
    if (st != PMM_OK)
        return st;
    if (w->stream_count >= MDW_MAX_STREAMS)
        return PMM_ERR_LIMIT;
    w->directory[w->stream_count][0] = type;
    w->directory[w->stream_count][1] = end - rva;
    w->directory[w->stream_count][2] = rva;
    w->stream_count++;
    return PMM_OK;
}

/* Next code point of UTF-8 text; malformed bytes give U+FFFD and advance by one. */
static uint32_t next_code_point(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t c = s[0];
    int extra = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
    if (extra < 0) {
        *p = s + 1;
        return 0xFFFD;
    }
    if (extra)
        c &= 0x3Fu >> extra;
    for (int i = 1; i <= extra; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *p = s + 1;
            return 0xFFFD;
        }
        c = (c << 6) | (s[i] & 0x3F);
    }
    *p = s + 1 + extra;
    return c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF) ? 0xFFFD : c;
}

pmm_status mdw_write_string(md_writer *w, const char *utf8, uint32_t *rva)
{
    uint8_t *units = malloc(4 + 2 * (MDW_STRING_MAX_UNITS + 2));
    if (!units)
        return PMM_ERR_NOMEM;
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)utf8;
    while (*p && n < MDW_STRING_MAX_UNITS) {
        uint32_t c = next_code_point(&p);
        if (c >= 0x10000) {
            c -= 0x10000;
            pmm_put16(units + 4 + 2 * n++, (uint16_t)(0xD800 | (c >> 10)));
            c = 0xDC00 | (c & 0x3FF);
        }
        pmm_put16(units + 4 + 2 * n++, (uint16_t)c);
    }
    pmm_put32(units, (uint32_t)(2 * n));
    pmm_put16(units + 4 + 2 * n, 0);
    pmm_status st = pmm_sink_align(w->sink, 4);
    if (st == PMM_OK)
        st = mdw_rva(w, rva);
    if (st == PMM_OK)
        st = pmm_sink_write(w->sink, units, 4 + 2 * n + 2);
    free(units);
    return st;
}

/* ---- small streams --------------------------------------------------------------------------- */

pmm_status mdw_write_system_info(md_writer *w)
{
    static const pmm_md_system_facts unknown;
    const pmm_md_system_facts *f = w->options->system ? w->options->system : &unknown;
    uint8_t d[56] = {0};
    uint32_t csd_rva, rva;
    pmm_status st = mdw_write_string(w, "", &csd_rva);
    if (st == PMM_OK)
        st = mdw_rva(w, &rva);
    if (st != PMM_OK)
        return st;
    pmm_put16(d + 0, (uint16_t)w->cpu);
    pmm_put16(d + 2, f->processor_level);
    pmm_put16(d + 4, f->processor_revision);
    d[6] = f->processor_count;
    d[7] = f->product_type;
    pmm_put32(d + 8, f->major_version);
    pmm_put32(d + 12, f->minor_version);
    pmm_put32(d + 16, f->build_number);
    pmm_put32(d + 20, f->platform_id ? f->platform_id : PMM_MD_PLATFORM_WIN32_NT);
    pmm_put32(d + 24, csd_rva);
    pmm_put16(d + 28, f->suite_mask);
    for (int i = 0; i < 3; i++)
        pmm_put32(d + 32 + 4 * i, f->cpu_vendor[i]);
    pmm_put32(d + 44, f->cpu_version);
    pmm_put32(d + 48, f->cpu_features);
    pmm_put32(d + 52, f->cpu_amd_features);
    st = pmm_sink_write(w->sink, d, sizeof d);
    return st == PMM_OK ? mdw_end_stream(w, PMM_MD_STREAM_SYSTEM_INFO, rva) : st;
}

/* MINIDUMP_MISC_INFO (the first version): pid and, when known, process times. */
pmm_status mdw_write_misc_info(md_writer *w)
{
    const pmm_md_process_facts *p = w->options->process;
    uint8_t d[24] = {0};
    uint32_t rva;
    pmm_status st = mdw_rva(w, &rva);
    if (st != PMM_OK)
        return st;
    uint32_t flags = PMM_MD_MISC_PROCESS_ID | (p && p->times_known ? PMM_MD_MISC_PROCESS_TIMES : 0);
    pmm_put32(d + 0, sizeof d);
    pmm_put32(d + 4, flags);
    pmm_put32(d + 8, w->src->target.pid);
    if (p && p->times_known) {
        pmm_put32(d + 12, p->create_time);
        pmm_put32(d + 16, p->user_seconds);
        pmm_put32(d + 20, p->kernel_seconds);
    }
    st = pmm_sink_write(w->sink, d, sizeof d);
    return st == PMM_OK ? mdw_end_stream(w, PMM_MD_STREAM_MISC_INFO, rva) : st;
}

/* HandleData: MINIDUMP_HANDLE_DATA_STREAM (16 bytes) and one 32-byte MINIDUMP_HANDLE_DESCRIPTOR
 * per handle; type and object names as MINIDUMP_STRINGs written before the table (0 when unknown). */
pmm_status mdw_write_handles(md_writer *w)
{
    const pmm_md_write_extras *x = w->extras;
    uint32_t *names = calloc(x->handle_count ? 2 * x->handle_count : 1, sizeof *names);
    if (!names)
        return PMM_ERR_NOMEM;
    pmm_status st = PMM_OK;
    uint32_t last_type_rva = 0;
    const char *last_type = NULL;
    for (size_t i = 0; i < x->handle_count && st == PMM_OK; i++) {
        const pmm_md_handle_fact *h = &x->handles[i];
        if (h->type_name[0] && last_type && strcmp(last_type, h->type_name) == 0) {
            names[2 * i] = last_type_rva;   /* runs of one type share a string */
        } else if (h->type_name[0]) {
            st = mdw_write_string(w, h->type_name, &names[2 * i]);
            last_type = h->type_name;
            last_type_rva = names[2 * i];
        }
        if (st == PMM_OK && h->object_name[0])
            st = mdw_write_string(w, h->object_name, &names[2 * i + 1]);
    }
    uint32_t rva = 0;
    if (st == PMM_OK)
        st = pmm_sink_align(w->sink, 8);
    if (st == PMM_OK)
        st = mdw_rva(w, &rva);
    uint8_t d[32] = {0};
    pmm_put32(d + 0, 16);
    pmm_put32(d + 4, 32);
    pmm_put32(d + 8, (uint32_t)x->handle_count);
    if (st == PMM_OK)
        st = pmm_sink_write(w->sink, d, 16);
    for (size_t i = 0; i < x->handle_count && st == PMM_OK; i++) {
        const pmm_md_handle_fact *h = &x->handles[i];
        pmm_put64(d + 0, h->handle);
        pmm_put32(d + 8, names[2 * i]);
        pmm_put32(d + 12, names[2 * i + 1]);
        pmm_put32(d + 16, h->attributes);
        pmm_put32(d + 20, h->granted_access);
        pmm_put32(d + 24, h->handle_count);
        pmm_put32(d + 28, h->pointer_count);
        st = pmm_sink_write(w->sink, d, sizeof d);
    }
    free(names);
    if (st == PMM_OK)
        w->result->handle_count = x->handle_count;
    return st == PMM_OK ? mdw_end_stream(w, PMM_MD_STREAM_HANDLE_DATA, rva) : st;
}

/* Empty: the loader's unload trace (RtlGetUnloadEventTrace) is not read. */
pmm_status mdw_write_unloaded_modules(md_writer *w)
{
    uint8_t d[12];
    uint32_t rva;
    pmm_status st = mdw_rva(w, &rva);
    if (st != PMM_OK)
        return st;
    pmm_put32(d + 0, sizeof d);  /* SizeOfHeader */
    pmm_put32(d + 4, 24);        /* SizeOfEntry: MINIDUMP_UNLOADED_MODULE */
    pmm_put32(d + 8, 0);
    st = pmm_sink_write(w->sink, d, sizeof d);
    return st == PMM_OK ? mdw_end_stream(w, PMM_MD_STREAM_UNLOADED_MODULE_LIST, rva) : st;
}

pmm_status mdw_write_memory_info(md_writer *w)
{
    uint8_t d[48];
    uint32_t rva;
    pmm_status st = mdw_rva(w, &rva);
    if (st != PMM_OK)
        return st;
    pmm_put32(d + 0, 16);        /* SizeOfHeader */
    pmm_put32(d + 4, 48);        /* SizeOfEntry: MINIDUMP_MEMORY_INFO */
    pmm_put64(d + 8, w->map->region_count);
    st = pmm_sink_write(w->sink, d, 16);
    for (size_t i = 0; i < w->map->region_count && st == PMM_OK; i++) {
        const pmm_region *r = &w->map->regions[i];
        memset(d, 0, sizeof d);
        pmm_put64(d + 0, r->base);
        pmm_put64(d + 8, r->alloc_base);
        pmm_put32(d + 16, r->alloc_protect);
        pmm_put64(d + 24, r->size);
        pmm_put32(d + 32, r->state);
        pmm_put32(d + 36, r->protect);
        pmm_put32(d + 40, r->type);
        st = pmm_sink_write(w->sink, d, sizeof d);
    }
    return st == PMM_OK ? mdw_end_stream(w, PMM_MD_STREAM_MEMORY_INFO_LIST, rva) : st;
}

/* ---- outline ----------------------------------------------------------------------------------- */

static uint32_t dump_cpu(const pmm_target_info *t)
{
    /* A 64-bit tool's view of a WOW64 process is a 64-bit one (dbghelp writes the same). */
    if (t->pointer_size == 8 || (t->wow64 && t->tool_pointer_size == 8))
        return PMM_MD_CPU_AMD64;
    return PMM_MD_CPU_X86;
}

static uint64_t header_flags(const md_writer *w)
{
    return PMM_MD_TYPE_WITH_FULL_MEMORY_INFO | PMM_MD_TYPE_WITH_THREAD_INFO |
           (w->options->memory_mode == PMM_MD_MEMORY_FULL ? PMM_MD_TYPE_WITH_FULL_MEMORY : 0) |
           (w->extras->handles_known ? PMM_MD_TYPE_WITH_HANDLE_DATA : 0);
}

static pmm_status write_header_and_directory(md_writer *w)
{
    uint8_t h[MDW_HEADER_SIZE] = {0};
    pmm_put32(h + 0, PMM_MD_SIGNATURE);
    pmm_put32(h + 4, PMM_MD_VERSION);
    pmm_put32(h + 8, (uint32_t)w->stream_count);
    pmm_put32(h + 12, MDW_HEADER_SIZE);
    pmm_put32(h + 20, w->options->time_date_stamp);
    pmm_put64(h + 24, header_flags(w));
    pmm_status st = pmm_sink_patch(w->sink, 0, h, sizeof h);
    for (size_t i = 0; i < w->stream_count && st == PMM_OK; i++) {
        uint8_t e[MDW_DIRECTORY_ENTRY_SIZE];
        pmm_put32(e + 0, w->directory[i][0]);
        pmm_put32(e + 4, w->directory[i][1]);
        pmm_put32(e + 8, w->directory[i][2]);
        st = pmm_sink_patch(w->sink, MDW_HEADER_SIZE + i * MDW_DIRECTORY_ENTRY_SIZE, e, sizeof e);
    }
    return st;
}

static size_t planned_stream_count(const md_writer *w)
{
    /* System, misc, threads, thread infos, modules, unloaded modules, memory info; handles; memory
     * and its comment. */
    return 7 + (w->extras->handles_known ? 1 : 0) + (w->options->memory_mode != PMM_MD_MEMORY_NONE ? 2 : 0);
}

static pmm_status write_streams(md_writer *w)
{
    size_t planned = planned_stream_count(w);
    /* Header and directory first as zeros: a dump cut short never carries a valid signature. */
    pmm_status st = pmm_sink_write_zeros(w->sink, MDW_HEADER_SIZE + planned * MDW_DIRECTORY_ENTRY_SIZE);
    if (st == PMM_OK)
        st = mdw_write_system_info(w);
    if (st == PMM_OK)
        st = mdw_write_misc_info(w);
    if (st == PMM_OK)
        st = mdw_write_threads(w);
    if (st == PMM_OK)
        st = mdw_write_thread_infos(w);
    if (st == PMM_OK)
        st = mdw_write_modules(w);
    if (st == PMM_OK)
        st = mdw_write_unloaded_modules(w);
    if (st == PMM_OK)
        st = mdw_write_memory_info(w);
    if (st == PMM_OK && w->extras->handles_known)
        st = mdw_write_handles(w);
    if (st == PMM_OK && w->options->memory_mode != PMM_MD_MEMORY_NONE)
        st = mdw_write_memory(w);
    if (st == PMM_OK && w->stream_count != planned)
        st = PMM_ERR_ARG;   /* a writer bug: the directory would not match its reserved size */
    if (st == PMM_OK)
        st = write_header_and_directory(w);
    return st;
}

pmm_status pmm_md_write(pmm_source *src, const pmm_map *map, const pmm_md_write_options *options, pmm_sink *sink,
                        pmm_md_write_result *result)
{
    static const pmm_md_write_extras no_extras;
    memset(result, 0, sizeof *result);
    md_writer w;
    memset(&w, 0, sizeof w);
    w.src = src;
    w.map = map;
    w.options = options;
    w.extras = options->extras ? options->extras : &no_extras;
    w.sink = sink;
    w.result = result;
    w.cpu = dump_cpu(&src->target);
    pmm_status st = pmm_dump_copier_init(&w.copier, src, options->page_reads);
    if (st != PMM_OK)
        return st;
    w.copier.progress = options->progress;
    w.copier.progress_ctx = options->progress_ctx;
    st = write_streams(&w);
    result->unreadable = w.copier.unreadable;   /* handed over: the result owns it now */
    memset(&w.copier.unreadable, 0, sizeof w.copier.unreadable);
    result->file_size = sink->size;
    pmm_dump_copier_free(&w.copier);
    free(w.stacks);
    return st != PMM_OK ? st : sink->error;
}

void pmm_md_write_result_free(pmm_md_write_result *result)
{
    pmm_dump_ranges_free(&result->unreadable);
}
