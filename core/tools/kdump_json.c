/* `pmm kdump --json`: format pmm-kdump, version 1 (documented in the README). Register values,
 * addresses and 64-bit parameters are "0x..." strings, sizes and counts numbers. */
#include "kdump_report.h"

#include <stdio.h>
#include "minidump_report.h"
#include "../formats/saved_map_pages.h"
#include "../source/source.h"

static const char *status_key(uint32_t status)
{
    switch (status) {
    case PMM_KDUMP_VA_PRESENT: return "present";
    case PMM_KDUMP_VA_TRANSITION: return "transition";
    case PMM_KDUMP_VA_ZERO_ENTRY: return "zero_entry";
    case PMM_KDUMP_VA_DEMAND_ZERO: return "demand_zero";
    case PMM_KDUMP_VA_PAGE_FILE: return "page_file";
    case PMM_KDUMP_VA_PROTOTYPE: return "prototype";
    case PMM_KDUMP_VA_TABLE_NOT_IN_DUMP: return "table_not_in_dump";
    case PMM_KDUMP_VA_NOT_CANONICAL: return "not_canonical";
    }
    return "no_paging";
}

static const char *paging_key(uint32_t paging)
{
    switch (paging) {
    case PMM_KDUMP_PAGING_X64: return "x64";
    case PMM_KDUMP_PAGING_PAE: return "pae";
    case PMM_KDUMP_PAGING_X86: return "x86";
    }
    return "none";
}

static void kv_hex(pmm_json *j, const char *key, uint64_t value)
{
    pmm_json_kv_address(j, key, value);
}

static void write_header(pmm_json *j, pmm_kdump_report *r, const pmm_kdump_header *h)
{
    const char *type = pmm_kdump_type_name(h->dump_type);
    pmm_json_key(j, "header");
    pmm_json_begin_object(j);
    pmm_json_kv_uint(j, "bits", h->bits);
    pmm_json_kv_string(j, "signature", h->bits == 64 ? "PAGEDU64" : "PAGEDUMP");
    pmm_json_kv_uint(j, "dump_type", h->dump_type);
    pmm_json_key(j, "dump_type_name");
    if (type)
        pmm_json_string(j, type);
    else
        pmm_json_null(j);
    pmm_json_kv_uint(j, "machine", h->machine);
    pmm_json_kv_string(j, "paging", paging_key(pmm_kdump_paging(r->dump)));
    pmm_json_kv_uint(j, "major_version", h->major_version);
    pmm_json_kv_uint(j, "minor_version", h->minor_version);
    pmm_json_kv_uint(j, "processors", h->processors);
    kv_hex(j, "directory_table_base", h->directory_table_base);
    kv_hex(j, "pfn_database", h->pfn_database);
    kv_hex(j, "ps_loaded_module_list", h->ps_loaded_module_list);
    kv_hex(j, "ps_active_process_head", h->ps_active_process_head);
    kv_hex(j, "kd_debugger_data_block", h->kd_debugger_data_block);
    if (h->bits == 32)
        pmm_json_kv_bool(j, "pae_enabled", h->pae_enabled);
    pmm_json_kv_uint(j, "product_type", h->product_type);
    pmm_json_kv_uint(j, "suite_mask", h->suite_mask);
    pmm_json_kv_uint(j, "system_time", h->system_time);
    pmm_json_kv_uint(j, "system_uptime", h->system_uptime);
    pmm_json_kv_uint(j, "required_dump_space", h->required_dump_space);
    pmm_json_kv_string(j, "comment", h->comment);
    pmm_json_end_object(j);
    pmm_json_key(j, "os_version");
    if (r->has_os_version) {
        pmm_json_begin_object(j);
        pmm_json_kv_uint(j, "major", r->os_major);
        pmm_json_kv_uint(j, "minor", r->os_minor);
        pmm_json_kv_uint(j, "build", r->os_build);
        pmm_json_end_object(j);
    } else {
        pmm_json_null(j);
    }
}

static void write_bugcheck(pmm_json *j, const pmm_kdump_header *h)
{
    const char *name = pmm_kdump_bugcheck_name(h->bugcheck_code);
    pmm_json_key(j, "bugcheck");
    pmm_json_begin_object(j);
    pmm_json_kv_uint(j, "code", h->bugcheck_code);
    pmm_json_key(j, "name");
    if (name)
        pmm_json_string(j, name);
    else
        pmm_json_null(j);
    pmm_json_key(j, "parameters");
    pmm_json_begin_array(j);
    for (int i = 0; i < 4; i++)
        pmm_json_address(j, h->bugcheck_parameters[i]);
    pmm_json_end_array(j);
    pmm_json_end_object(j);
}

static void write_xmm(pmm_json *j, const char *key, const uint8_t v[16])
{
    char text[40] = "0x";
    for (int i = 0; i < 16; i++)
        snprintf(text + 2 + 2 * i, 3, "%02x", v[15 - i]);
    pmm_json_kv_string(j, key, text);
}

static void write_context(pmm_json *j, const pmm_kdump_context *x)
{
    static const char *const dr_names[6] = {"dr0", "dr1", "dr2", "dr3", "dr6", "dr7"};
    pmm_json_key(j, "context");
    if (x->arch == PMM_ARCH_UNKNOWN) {
        pmm_json_null(j);
        return;
    }
    int wide = x->arch == PMM_ARCH_X64;
    pmm_json_begin_object(j);
    pmm_json_kv_string(j, "arch", wide ? "x64" : "x86");
    pmm_json_kv_uint(j, "context_flags", x->context_flags);
    for (size_t i = 0; i < (wide ? 16u : 8u); i++)
        kv_hex(j, pmm_md_register_name(x->arch, i), x->gpr[i]);
    kv_hex(j, wide ? "rip" : "eip", x->ip);
    pmm_json_kv_uint(j, "eflags", x->eflags);
    pmm_json_kv_uint(j, "cs", x->cs);
    pmm_json_kv_uint(j, "ss", x->ss);
    pmm_json_kv_uint(j, "ds", x->ds);
    pmm_json_kv_uint(j, "es", x->es);
    pmm_json_kv_uint(j, "fs", x->fs);
    pmm_json_kv_uint(j, "gs", x->gs);
    pmm_json_kv_uint(j, "mxcsr", x->mxcsr);
    pmm_json_kv_uint(j, "fpu_control", x->fpu_control);
    pmm_json_kv_uint(j, "fpu_status", x->fpu_status);
    for (int i = 0; i < 6; i++)
        kv_hex(j, dr_names[i], x->dr[i]);
    for (int i = 0; i < (wide ? 16 : 8); i++) {
        char key[8];
        snprintf(key, sizeof key, "xmm%d", i);
        write_xmm(j, key, x->xmm[i]);
    }
    pmm_json_end_object(j);
}

static void write_exception(pmm_json *j, const pmm_kdump_exception *e)
{
    pmm_json_key(j, "exception");
    pmm_json_begin_object(j);
    pmm_json_kv_uint(j, "code", e->code);
    pmm_json_kv_uint(j, "flags", e->flags);
    kv_hex(j, "record", e->record);
    kv_hex(j, "address", e->address);
    pmm_json_kv_uint(j, "parameter_count", e->parameter_count);
    pmm_json_key(j, "parameters");
    pmm_json_begin_array(j);
    for (uint32_t i = 0; i < e->parameter_count && i < PMM_KDUMP_EXCEPTION_PARAMETERS; i++)
        pmm_json_address(j, e->parameters[i]);
    pmm_json_end_array(j);
    pmm_json_end_object(j);
}

static void write_memory(pmm_json *j, pmm_kdump_report *r, const pmm_kdump_request *req)
{
    const pmm_kdump_memory_summary *m = &r->memory;
    pmm_json_key(j, "physical_memory");
    pmm_json_begin_object(j);
    pmm_json_kv_string(j, "storage", m->storage == PMM_KDUMP_STORAGE_BITMAP ? "bitmap" : "runs");
    pmm_json_kv_uint(j, "present_pages", m->present_pages);
    pmm_json_kv_uint(j, "run_count", m->run_count);
    kv_hex(j, "highest_page", m->highest_page ? m->highest_page - 1 : 0);
    pmm_json_kv_uint(j, "first_page_offset", m->first_page_offset);
    if (m->storage == PMM_KDUMP_STORAGE_BITMAP)
        pmm_json_kv_uint(j, "bitmap_pages", m->bitmap_pages);
    pmm_json_key(j, "runs");
    pmm_json_begin_array(j);
    pmm_kdump_run runs[256];
    uint64_t from = 0, shown = 0, limit = req->all_runs ? UINT64_MAX : PMM_KDUMP_RUNS_JSON;
    for (;;) {
        size_t n = pmm_kdump_runs(r->dump, from, runs, sizeof runs / sizeof runs[0]);
        for (size_t i = 0; i < n && shown < limit; i++, shown++) {
            pmm_json_begin_object(j);
            kv_hex(j, "first_page", runs[i].first_page);
            pmm_json_kv_uint(j, "page_count", runs[i].page_count);
            pmm_json_kv_uint(j, "file_offset", runs[i].file_offset);
            pmm_json_end_object(j);
        }
        if (n == 0 || shown >= limit)
            break;
        from = runs[n - 1].first_page + runs[n - 1].page_count;
    }
    pmm_json_end_array(j);
    pmm_json_kv_bool(j, "runs_truncated", shown < m->run_count);
    pmm_json_end_object(j);
}

static void write_modules(pmm_json *j, pmm_kdump_report *r)
{
    pmm_json_key(j, "modules");
    pmm_json_begin_array(j);
    for (size_t i = 0; i < r->module_count; i++) {
        const pmm_kdump_module *m = &r->modules[i];
        pmm_json_begin_object(j);
        kv_hex(j, "base", m->base);
        pmm_json_kv_uint(j, "size", m->size);
        kv_hex(j, "entry_point", m->entry_point);
        kv_hex(j, "entry_address", m->entry_address);
        pmm_json_kv_string(j, "name", m->base_name);
        pmm_json_kv_string(j, "path", m->full_name);
        pmm_json_end_object(j);
    }
    pmm_json_end_array(j);
    if (r->modules_problem[0])
        pmm_json_kv_string(j, "modules_problem", r->modules_problem);
    pmm_json_key(j, "warnings");
    pmm_json_begin_array(j);
    for (size_t i = 0; pmm_kdump_warning(r->dump, i); i++)
        pmm_json_string(j, pmm_kdump_warning(r->dump, i));
    pmm_json_end_array(j);
}

static void write_page_hashes(pmm_json *j, pmm_kdump_report *r)
{
    uint8_t page[PMM_KDUMP_PAGE_SIZE];
    pmm_kdump_run runs[256];
    uint64_t from = 0;
    pmm_json_key(j, "page_hashes");
    pmm_json_begin_array(j);
    for (size_t n; (n = pmm_kdump_runs(r->dump, from, runs, sizeof runs / sizeof runs[0])) > 0;) {
        for (size_t i = 0; i < n; i++)
            for (uint64_t pfn = runs[i].first_page; pfn < runs[i].first_page + runs[i].page_count; pfn++) {
                pmm_json_begin_object(j);
                kv_hex(j, "address", pfn * PMM_KDUMP_PAGE_SIZE);
                if (pmm_kdump_read_physical(r->dump, pfn * PMM_KDUMP_PAGE_SIZE, page, sizeof page) == sizeof page)
                    kv_hex(j, "hash", pmm_checksum64(page, sizeof page));
                else
                    pmm_json_kv_string(j, "error", "not readable");
                pmm_json_end_object(j);
            }
        from = runs[n - 1].first_page + runs[n - 1].page_count;
    }
    pmm_json_end_array(j);
}

static void write_hex_data(pmm_json *j, const uint8_t *data, size_t size)
{
    static const char digits[] = "0123456789abcdef";
    char text[2 * PMM_KDUMP_PAGE_SIZE + 1];
    for (size_t i = 0; i < size; i++) {
        text[2 * i] = digits[data[i] >> 4];
        text[2 * i + 1] = digits[data[i] & 15];
    }
    text[2 * size] = '\0';
    pmm_json_kv_string(j, "data", text);
}

static void write_read(pmm_json *j, pmm_kdump_report *r, int is_virtual, uint64_t address,
                       const pmm_kdump_request *req)
{
    pmm_kdump_chunk chunk;
    uint64_t end = address + req->size < address ? UINT64_MAX : address + req->size;
    pmm_json_begin_object(j);
    pmm_json_kv_string(j, "kind", is_virtual ? "virtual" : "physical");
    kv_hex(j, "address", address);
    pmm_json_kv_uint(j, "size", end - address);
    pmm_json_key(j, "chunks");
    pmm_json_begin_array(j);
    for (uint64_t at = address; at < end;) {
        pmm_kdump_read_chunk(r->dump, is_virtual, req->dtb, at, end, &chunk);
        pmm_json_begin_object(j);
        kv_hex(j, "address", at);
        pmm_json_kv_uint(j, "size", chunk.size);
        if (chunk.readable) {
            write_hex_data(j, chunk.data, chunk.size);
        } else {
            pmm_json_kv_string(j, "absent", chunk.reason);
            if (is_virtual)
                pmm_json_kv_string(j, "status", status_key(chunk.translation.status));
        }
        pmm_json_end_object(j);
        if (at + chunk.size <= at)
            break;
        at += chunk.size;
    }
    pmm_json_end_array(j);
    pmm_json_end_object(j);
}

static void write_translation(pmm_json *j, pmm_kdump_report *r, uint64_t va, uint64_t dtb)
{
    pmm_kdump_translation t;
    pmm_kdump_translate(r->dump, dtb, va, &t);
    int mapped = t.status == PMM_KDUMP_VA_PRESENT || t.status == PMM_KDUMP_VA_TRANSITION;
    pmm_json_begin_object(j);
    kv_hex(j, "address", va);
    kv_hex(j, "dtb", dtb ? dtb : pmm_kdump_header_of(r->dump)->directory_table_base);
    pmm_json_kv_string(j, "status", status_key(t.status));
    if (mapped) {
        kv_hex(j, "physical", t.physical);
        pmm_json_kv_uint(j, "page_size", t.page_size);
        pmm_json_kv_bool(j, "in_dump", t.page_in_dump);
    }
    if (t.status == PMM_KDUMP_VA_PRESENT) {
        pmm_json_kv_bool(j, "writable", t.writable);
        pmm_json_kv_bool(j, "user", t.user);
        pmm_json_kv_bool(j, "executable", t.executable);
    }
    if (t.status == PMM_KDUMP_VA_PAGE_FILE) {
        pmm_json_kv_uint(j, "page_file", t.page_file);
        kv_hex(j, "page_file_offset", t.page_file_offset);
    }
    pmm_json_key(j, "steps");
    pmm_json_begin_array(j);
    for (uint32_t i = 0; i < t.step_count; i++) {
        pmm_json_begin_object(j);
        pmm_json_kv_uint(j, "level", t.steps[i].level);
        pmm_json_kv_uint(j, "index", t.steps[i].index);
        kv_hex(j, "entry_address", t.steps[i].entry_address);
        pmm_json_key(j, "entry");
        if (t.steps[i].read)
            pmm_json_address(j, t.steps[i].entry);
        else
            pmm_json_null(j);
        pmm_json_end_object(j);
    }
    pmm_json_end_array(j);
    pmm_json_end_object(j);
}

void pmm_kdump_report_write_json(pmm_kdump_report *report, const pmm_kdump_request *request, pmm_out *out)
{
    const pmm_kdump_header *h = pmm_kdump_header_of(report->dump);
    pmm_json jw, *j = &jw;
    pmm_json_init(j, out, 1);
    pmm_json_begin_object(j);
    pmm_json_kv_string(j, "format", "pmm-kdump");
    pmm_json_kv_uint(j, "version", PMM_KDUMP_JSON_VERSION);
    pmm_json_kv_string(j, "file", report->path);
    pmm_json_kv_uint(j, "file_size", pmm_kdump_file_size(report->dump));
    write_header(j, report, h);
    write_bugcheck(j, h);
    write_context(j, &h->context);
    write_exception(j, &h->exception);
    write_memory(j, report, request);
    write_modules(j, report);
    if (report->has_processes)
        pmm_kdump_write_processes_json(report, j);
    if (request->page_hashes)
        write_page_hashes(j, report);
    pmm_json_key(j, "reads");
    pmm_json_begin_array(j);
    for (size_t i = 0; i < request->physical_count; i++)
        write_read(j, report, 0, request->physical[i], request);
    for (size_t i = 0; i < request->virtual_count; i++)
        write_read(j, report, 1, request->virtual_addresses[i], request);
    pmm_json_end_array(j);
    pmm_json_key(j, "translations");
    pmm_json_begin_array(j);
    for (size_t i = 0; i < request->translate_count; i++)
        write_translation(j, report, request->translate[i], request->dtb);
    pmm_json_end_array(j);
    pmm_json_end_object(j);
    pmm_out_puts(out, "\n");
}
