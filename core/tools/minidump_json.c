/* The minidump inspector's JSON output ("format": "pmm-minidump"): addresses as "0x..." strings,
 * sizes and counts as numbers, one key per stream that the dump holds. */
#include "minidump_report.h"

#include <stdio.h>
#include "../util/text.h"

static void kv_hex32(pmm_json *json, const char *key, uint32_t value)
{
    char text[16];
    snprintf(text, sizeof text, "0x%x", value);
    pmm_json_kv_string(json, key, text);
}

static void kv_time(pmm_json *json, const char *key, uint64_t seconds)
{
    char text[32];
    pmm_json_kv_uint(json, key, seconds);
    char text_key[64];
    snprintf(text_key, sizeof text_key, "%s_text", key);
    pmm_json_kv_string(json, text_key, pmm_md_time_text(seconds, text, sizeof text));
}

/* A name the dump may not have: null when it has none. */
static void kv_name(pmm_json *json, const char *key, const char *name)
{
    pmm_json_key(json, key);
    if (name)
        pmm_json_string(json, name);
    else
        pmm_json_null(json);
}

static void write_header(pmm_json *json, const pmm_md_report *r)
{
    const pmm_md_header *h = pmm_md_header_of(r->md);
    pmm_json_key(json, "header");
    pmm_json_begin_object(json);
    kv_hex32(json, "version", h->version);
    pmm_json_kv_uint(json, "stream_count", h->stream_count);
    pmm_json_kv_uint(json, "directory_rva", h->directory_rva);
    kv_hex32(json, "checksum", h->checksum);
    kv_time(json, "time_date_stamp", h->time_date_stamp);
    pmm_json_kv_address(json, "flags", h->flags);
    pmm_json_end_object(json);
}

static void write_streams(pmm_json *json, const pmm_md_report *r)
{
    pmm_json_key(json, "streams");
    pmm_json_begin_array(json);
    for (size_t i = 0; i < pmm_md_stream_count(r->md); i++) {
        const pmm_md_stream *s = pmm_md_stream_at(r->md, i);
        const char *name = pmm_md_stream_name(s->type);
        pmm_json_begin_object(json);
        pmm_json_kv_uint(json, "index", i);
        pmm_json_kv_uint(json, "type", s->type);
        kv_name(json, "name", name);
        pmm_json_kv_uint(json, "size", s->size);
        pmm_json_kv_uint(json, "rva", s->rva);
        pmm_json_kv_bool(json, "in_file", (int)s->in_file);
        pmm_json_end_object(json);
    }
    pmm_json_end_array(json);
}

static void write_errors(pmm_json *json, const pmm_md_report *r)
{
    pmm_json_key(json, "errors");
    pmm_json_begin_array(json);
    for (size_t i = 0; i < r->error_count; i++) {
        const char *name = pmm_md_stream_name(r->errors[i].stream_type);
        pmm_json_begin_object(json);
        pmm_json_kv_string(json, "stream", name ? name : "");
        pmm_json_kv_string(json, "status", pmm_status_text(r->errors[i].status));
        pmm_json_kv_string(json, "message", r->errors[i].message);
        pmm_json_end_object(json);
    }
    pmm_json_end_array(json);
}

static void write_system(pmm_json *json, const pmm_md_report *r)
{
    const pmm_md_system_info *s = &r->system;
    const char *platform = pmm_md_platform_name(s->platform_id);
    pmm_json_key(json, "system_info");
    pmm_json_begin_object(json);
    pmm_json_kv_string(json, "cpu", pmm_md_cpu_name(s->processor_architecture));
    pmm_json_kv_uint(json, "processor_architecture", s->processor_architecture);
    pmm_json_kv_uint(json, "processor_level", s->processor_level);
    pmm_json_kv_uint(json, "processor_revision", s->processor_revision);
    pmm_json_kv_uint(json, "processor_count", s->processor_count);
    pmm_json_kv_string(json, "cpu_vendor", s->cpu_vendor);
    pmm_json_kv_uint(json, "platform_id", s->platform_id);
    pmm_json_kv_string(json, "platform", platform ? platform : "unknown");
    pmm_json_kv_bool(json, "windows", pmm_md_platform_is_windows(s->platform_id));
    pmm_json_kv_uint(json, "major_version", s->major_version);
    pmm_json_kv_uint(json, "minor_version", s->minor_version);
    pmm_json_kv_uint(json, "build_number", s->build_number);
    pmm_json_kv_uint(json, "product_type", s->product_type);
    kv_hex32(json, "suite_mask", s->suite_mask);
    pmm_json_kv_string(json, "csd_version", s->csd_version);
    pmm_json_end_object(json);
}

static void write_misc(pmm_json *json, const pmm_md_report *r)
{
    const pmm_md_misc_info *m = &r->misc;
    pmm_json_key(json, "misc_info");
    pmm_json_begin_object(json);
    pmm_json_kv_uint(json, "size", m->size_of_info);
    kv_hex32(json, "flags1", m->flags1);
    if (m->flags1 & PMM_MD_MISC_PROCESS_ID)
        pmm_json_kv_uint(json, "pid", m->process_id);
    if (m->flags1 & PMM_MD_MISC_PROCESS_TIMES) {
        kv_time(json, "process_create_time", m->process_create_time);
        pmm_json_kv_uint(json, "process_user_seconds", m->process_user_time);
        pmm_json_kv_uint(json, "process_kernel_seconds", m->process_kernel_time);
    }
    if (m->flags1 & PMM_MD_MISC_PROCESS_INTEGRITY)
        kv_hex32(json, "integrity_level", m->process_integrity_level);
    if (m->flags1 & PMM_MD_MISC_PROCESS_EXECUTE_FLAGS)
        kv_hex32(json, "execute_flags", m->process_execute_flags);
    if (m->build_string[0]) {
        pmm_json_kv_string(json, "build_string", m->build_string);
        pmm_json_kv_string(json, "debug_build_string", m->debug_build_string);
    }
    pmm_json_end_object(json);
}

static void write_context(pmm_json *json, const pmm_md_context *ctx)
{
    const pmm_context *regs = &ctx->regs;
    pmm_json_begin_object(json);
    pmm_json_kv_string(json, "arch", regs->arch == PMM_ARCH_X64 ? "x64" : "x86");
    kv_hex32(json, "flags", regs->flags);
    pmm_json_kv_address(json, "ip", regs->ip);
    pmm_json_kv_address(json, "sp", regs->gpr[PMM_REG_SP]);
    pmm_json_key(json, "registers");
    pmm_json_begin_object(json);
    pmm_json_kv_address(json, regs->arch == PMM_ARCH_X64 ? "rip" : "eip", regs->ip);
    for (size_t i = 0; pmm_md_register_name(regs->arch, i); i++)
        pmm_json_kv_address(json, pmm_md_register_name(regs->arch, i), regs->gpr[i]);
    kv_hex32(json, "eflags", ctx->eflags);
    kv_hex32(json, "cs", ctx->cs);
    kv_hex32(json, "ss", ctx->ss);
    kv_hex32(json, "ds", ctx->ds);
    kv_hex32(json, "es", ctx->es);
    kv_hex32(json, "fs", ctx->fs);
    kv_hex32(json, "gs", ctx->gs);
    pmm_json_end_object(json);
    pmm_json_end_object(json);
}

static void write_exception(pmm_json *json, const pmm_md_report *r)
{
    const pmm_md_exception *e = &r->exception;
    const char *name = pmm_md_exception_name(e->code);
    pmm_json_key(json, "exception");
    pmm_json_begin_object(json);
    pmm_json_kv_uint(json, "thread_id", e->thread_id);
    kv_hex32(json, "code", e->code);
    kv_name(json, "name", name);
    kv_hex32(json, "flags", e->flags);
    pmm_json_kv_address(json, "address", e->address);
    pmm_json_kv_address(json, "record", e->record);
    pmm_json_kv_uint(json, "parameter_count", e->parameter_count);
    pmm_json_key(json, "parameters");
    pmm_json_begin_array(json);
    for (uint32_t i = 0; i < e->parameter_count && i < PMM_MD_EXCEPTION_MAX_PARAMETERS; i++)
        pmm_json_address(json, e->parameters[i]);
    pmm_json_end_array(json);
    pmm_json_key(json, "context");
    if (e->has_context)
        write_context(json, &e->context);
    else
        pmm_json_null(json);
    pmm_json_end_object(json);
}

static void write_thread(pmm_json *json, const void *item)
{
    const pmm_md_thread *t = item;
    pmm_json_begin_object(json);
    pmm_json_kv_uint(json, "tid", t->tid);
    pmm_json_kv_address(json, "teb", t->teb);
    pmm_json_kv_address(json, "stack_address", t->stack_start);
    pmm_json_kv_uint(json, "stack_size", t->stack_size);
    pmm_json_kv_uint(json, "suspend_count", t->suspend_count);
    pmm_json_kv_uint(json, "priority_class", t->priority_class);
    pmm_json_kv_uint(json, "priority", t->priority);
    pmm_json_kv_string(json, "name", t->name);
    if (t->has_info) {
        pmm_json_kv_address(json, "start_address", t->start_address);
        kv_hex32(json, "dump_flags", t->dump_flags);
        kv_hex32(json, "exit_status", t->exit_status);
        pmm_json_kv_uint(json, "create_time", t->create_time);
        pmm_json_kv_uint(json, "kernel_time", t->kernel_time);
        pmm_json_kv_uint(json, "user_time", t->user_time);
        pmm_json_kv_address(json, "affinity", t->affinity);
    }
    pmm_json_key(json, "context");
    if (t->has_context)
        write_context(json, &t->context);
    else
        pmm_json_null(json);
    pmm_json_end_object(json);
}

static void write_codeview(pmm_json *json, const pmm_md_module *m)
{
    char text[48];
    pmm_json_key(json, "codeview");
    if (m->cv_signature == 0) {
        pmm_json_null(json);
        return;
    }
    pmm_json_begin_object(json);
    if (m->cv_signature == PMM_MD_CV_RSDS) {
        pmm_json_kv_string(json, "format", "RSDS");
        pmm_json_kv_string(json, "pdb", m->pdb_name);
        pmm_json_kv_string(json, "guid", pmm_md_guid_text(m->pdb_guid, text, sizeof text));
        pmm_json_kv_uint(json, "age", m->pdb_age);
    } else if (m->cv_signature == PMM_MD_CV_NB10) {
        pmm_json_kv_string(json, "format", "NB10");
        pmm_json_kv_string(json, "pdb", m->pdb_name);
        kv_hex32(json, "signature", m->pdb_timestamp);
        pmm_json_kv_uint(json, "age", m->pdb_age);
    } else if (m->cv_signature == PMM_MD_CV_ELF) {
        char hex[2 * sizeof m->build_id + 1];
        for (uint32_t k = 0; k < m->build_id_size; k++)
            snprintf(hex + 2 * k, 3, "%02x", m->build_id[k]);
        hex[2 * m->build_id_size] = '\0';
        pmm_json_kv_string(json, "format", "ELF");
        pmm_json_kv_string(json, "build_id", hex);
    } else {
        kv_hex32(json, "format", m->cv_signature);
    }
    pmm_json_kv_uint(json, "size", m->cv_size);
    pmm_json_end_object(json);
}

/* What loaded and unloaded modules both say of themselves. */
static void write_module_identity(pmm_json *json, uint64_t base, uint64_t size, const char *path, uint32_t checksum,
                                  uint64_t time_date_stamp)
{
    pmm_json_kv_address(json, "base", base);
    pmm_json_kv_uint(json, "size", size);
    pmm_json_kv_string(json, "path", path);
    kv_hex32(json, "checksum", checksum);
    kv_time(json, "time_date_stamp", time_date_stamp);
}

static void write_module(pmm_json *json, const void *item)
{
    const pmm_md_module *m = item;
    char v[48];
    pmm_json_begin_object(json);
    write_module_identity(json, m->base, m->size, m->name, m->checksum, m->time_date_stamp);
    if (m->has_version) {
        pmm_json_kv_string(json, "file_version", pmm_md_version_text(m->file_version_ms, m->file_version_ls, v, sizeof v));
        pmm_json_kv_string(json, "product_version",
                           pmm_md_version_text(m->product_version_ms, m->product_version_ls, v, sizeof v));
    }
    write_codeview(json, m);
    if (m->problems) {
        pmm_json_kv_bool(json, "bad_name", (m->problems & PMM_MD_MODULE_BAD_NAME) != 0);
        pmm_json_kv_bool(json, "bad_codeview", (m->problems & PMM_MD_MODULE_BAD_CODEVIEW) != 0);
    }
    pmm_json_end_object(json);
}

static void write_unloaded(pmm_json *json, const void *item)
{
    const pmm_md_unloaded_module *m = item;
    pmm_json_begin_object(json);
    write_module_identity(json, m->base, m->size, m->name, m->checksum, m->time_date_stamp);
    pmm_json_end_object(json);
}

static void write_handle(pmm_json *json, const void *item)
{
    const pmm_md_handle *h = item;
    pmm_json_begin_object(json);
    pmm_json_kv_address(json, "handle", h->handle);
    pmm_json_kv_string(json, "type", h->type_name);
    pmm_json_kv_string(json, "name", h->object_name);
    kv_hex32(json, "attributes", h->attributes);
    kv_hex32(json, "granted_access", h->granted_access);
    pmm_json_kv_uint(json, "handle_count", h->handle_count);
    pmm_json_kv_uint(json, "pointer_count", h->pointer_count);
    pmm_json_end_object(json);
}

static void write_ranges(pmm_json *json, const char *key, const pmm_md_memory_range *ranges, size_t count)
{
    pmm_json_key(json, key);
    pmm_json_begin_array(json);
    for (size_t i = 0; i < count; i++) {
        pmm_json_begin_object(json);
        pmm_json_kv_address(json, "address", ranges[i].address);
        pmm_json_kv_uint(json, "size", ranges[i].size);
        pmm_json_kv_uint(json, "file_offset", ranges[i].file_offset);
        pmm_json_kv_uint(json, "bytes_in_file", ranges[i].available);
        pmm_json_end_object(json);
    }
    pmm_json_end_array(json);
}

static void write_memory_info(pmm_json *json, const pmm_md_report *r)
{
    char p[32];
    pmm_json_key(json, "memory_info");
    pmm_json_begin_array(json);
    for (size_t i = 0; i < r->memory_info_count; i++) {
        const pmm_region_info *m = &r->memory_info[i];
        pmm_json_begin_object(json);
        pmm_json_kv_address(json, "address", m->base);
        pmm_json_kv_uint(json, "size", m->size);
        pmm_json_kv_address(json, "alloc_base", m->alloc_base);
        pmm_json_kv_string(json, "state", pmm_state_text(m->state));
        pmm_json_kv_string(json, "type", pmm_type_text(m->type));
        pmm_json_kv_string(json, "protect", pmm_protect_text(m->protect, p, sizeof p));
        pmm_json_kv_uint(json, "protect_value", m->protect);
        pmm_json_kv_string(json, "alloc_protect", pmm_protect_text(m->alloc_protect, p, sizeof p));
        pmm_json_kv_uint(json, "alloc_protect_value", m->alloc_protect);
        pmm_json_end_object(json);
    }
    pmm_json_end_array(json);
}

/* An array of count items of size bytes each, every one written by write_item. */
static void write_list(pmm_json *json, const char *key, const void *items, size_t size, size_t count,
                       void (*write_item)(pmm_json *json, const void *item))
{
    pmm_json_key(json, key);
    pmm_json_begin_array(json);
    for (size_t i = 0; i < count; i++)
        write_item(json, (const char *)items + i * size);
    pmm_json_end_array(json);
}

static void write_lists(pmm_json *json, const pmm_md_report *r)
{
    if (r->has_threads)
        write_list(json, "threads", r->threads, sizeof r->threads[0], r->thread_count, write_thread);
    if (r->has_modules)
        write_list(json, "modules", r->modules, sizeof r->modules[0], r->module_count, write_module);
    if (r->has_unloaded)
        write_list(json, "unloaded_modules", r->unloaded, sizeof r->unloaded[0], r->unloaded_count, write_unloaded);
    if (r->has_handles)
        write_list(json, "handles", r->handles, sizeof r->handles[0], r->handle_count, write_handle);
    if (r->has_memory)
        write_ranges(json, "memory", r->memory, r->memory_count);
    if (r->has_memory64)
        write_ranges(json, "memory64", r->memory64, r->memory64_count);
    if (r->has_memory_info)
        write_memory_info(json, r);
}

void pmm_md_report_write_json(const pmm_md_report *r, pmm_out *out)
{
    pmm_json json;
    pmm_json_init(&json, out, 1);
    pmm_json_begin_object(&json);
    pmm_json_kv_string(&json, "format", "pmm-minidump");
    pmm_json_kv_uint(&json, "version", PMM_MD_REPORT_JSON_VERSION);
    pmm_json_kv_string(&json, "file", r->path);
    pmm_json_kv_uint(&json, "file_size", pmm_md_file_size(r->md));
    write_header(&json, r);
    write_streams(&json, r);
    write_errors(&json, r);
    if (r->has_system)
        write_system(&json, r);
    if (r->has_misc)
        write_misc(&json, r);
    if (r->has_exception)
        write_exception(&json, r);
    write_lists(&json, r);
    pmm_json_end_object(&json);
    pmm_out_puts(out, "\n");
}
