/* The minidump inspector's text output: one section per stream, tables aligned for reading. */
#include "minidump_report.h"

#include <inttypes.h>
#include <stdio.h>
#include "../util/text.h"

typedef struct text_ctx {
    const pmm_md_report *r;
    pmm_out *out;
    uint32_t ptr;   /* address width */
} text_ctx;

static const char *addr(const text_ctx *c, uint64_t value, char *buf, size_t cap)
{
    return pmm_address_text(value, c->ptr, buf, cap);
}

static void write_header(const text_ctx *c)
{
    const pmm_md_header *h = pmm_md_header_of(c->r->md);
    char when[32];
    pmm_out_printf(c->out, "Minidump %s (%" PRIu64 " bytes)\n", c->r->path, pmm_md_file_size(c->r->md));
    pmm_out_printf(c->out, "  version 0x%08x, %u streams, directory at rva %u, checksum 0x%x\n", h->version,
                   h->stream_count, h->directory_rva, h->checksum);
    pmm_out_printf(c->out, "  written %s UTC, flags (MINIDUMP_TYPE) 0x%" PRIx64 "\n\n",
                   pmm_md_time_text(h->time_date_stamp, when, sizeof when), h->flags);
}

static void write_streams(const text_ctx *c)
{
    size_t n = pmm_md_stream_count(c->r->md);
    pmm_out_printf(c->out, "Streams (%zu)\n  %3s  %-22s %10s %10s\n", n, "#", "Type", "Size", "RVA");
    for (size_t i = 0; i < n; i++) {
        const pmm_md_stream *s = pmm_md_stream_at(c->r->md, i);
        if (s->type == PMM_MD_STREAM_UNUSED && s->size == 0)
            continue;   /* writers pad the directory with unused entries */
        const char *name = pmm_md_stream_name(s->type);
        char unknown[32];
        if (!name) {
            snprintf(unknown, sizeof unknown, "unknown 0x%08x", s->type);
            name = unknown;
        }
        pmm_out_printf(c->out, "  %3zu  %-22s %10u %10u%s\n", i, name, s->size, s->rva,
                       s->in_file ? "" : "  (outside the file)");
    }
    pmm_out_puts(c->out, "\n");
}

static void write_errors(const text_ctx *c)
{
    if (c->r->error_count == 0)
        return;
    pmm_out_printf(c->out, "Damaged streams (%zu)\n", c->r->error_count);
    for (size_t i = 0; i < c->r->error_count; i++) {
        const pmm_md_report_error *e = &c->r->errors[i];
        const char *name = pmm_md_stream_name(e->stream_type);
        pmm_out_printf(c->out, "  %s: %s\n", name ? name : "?", e->message);
    }
    pmm_out_puts(c->out, "\n");
}

static void write_system(const text_ctx *c)
{
    if (!c->r->has_system)
        return;
    const pmm_md_system_info *s = &c->r->system;
    const char *platform = pmm_md_platform_name(s->platform_id);
    pmm_out_printf(c->out, "System\n  CPU       %s (architecture %u, level %u, revision 0x%04x), %u processors%s%s\n",
                   pmm_md_cpu_name(s->processor_architecture), s->processor_architecture, s->processor_level,
                   s->processor_revision, s->processor_count, s->cpu_vendor[0] ? ", " : "", s->cpu_vendor);
    pmm_out_printf(c->out, "  OS        %s %u.%u.%u (platform id 0x%x, product type %u, suite 0x%x)%s%s\n",
                   platform ? platform : "unknown", s->major_version, s->minor_version, s->build_number,
                   s->platform_id, s->product_type, s->suite_mask, s->csd_version[0] ? ", " : "", s->csd_version);
    if (!pmm_md_platform_is_windows(s->platform_id))
        pmm_out_printf(c->out, "  note      not a Windows dump: `pmm map` cannot map it; its streams are listed here\n");
    pmm_out_puts(c->out, "\n");
}

static void write_misc(const text_ctx *c)
{
    if (!c->r->has_misc)
        return;
    const pmm_md_misc_info *m = &c->r->misc;
    char when[32];
    pmm_out_printf(c->out, "Process (MiscInfo, %u bytes, flags 0x%x)\n", m->size_of_info, m->flags1);
    if (m->flags1 & PMM_MD_MISC_PROCESS_ID)
        pmm_out_printf(c->out, "  pid       %u\n", m->process_id);
    if (m->flags1 & PMM_MD_MISC_PROCESS_TIMES)
        pmm_out_printf(c->out, "  started   %s UTC, user %u s, kernel %u s\n",
                       pmm_md_time_text(m->process_create_time, when, sizeof when), m->process_user_time,
                       m->process_kernel_time);
    if (m->flags1 & PMM_MD_MISC_PROCESS_INTEGRITY)
        pmm_out_printf(c->out, "  integrity 0x%x\n", m->process_integrity_level);
    if (m->flags1 & PMM_MD_MISC_PROCESS_EXECUTE_FLAGS)
        pmm_out_printf(c->out, "  execute   0x%x\n", m->process_execute_flags);
    if (m->build_string[0])
        pmm_out_printf(c->out, "  build     %s %s\n", m->build_string, m->debug_build_string);
    pmm_out_puts(c->out, "\n");
}

static void write_context(const text_ctx *c, const pmm_md_context *ctx, const char *indent)
{
    char a[24];
    const pmm_context *regs = &ctx->regs;
    int x64 = regs->arch == PMM_ARCH_X64;
    pmm_out_printf(c->out, "%s%s context, flags 0x%08x\n%s%s %s", indent, x64 ? "x64" : "x86", regs->flags, indent,
                   x64 ? "rip" : "eip", pmm_address_text(regs->ip, x64 ? 8 : 4, a, sizeof a));
    size_t count = x64 ? 16 : 8;
    for (size_t i = 0; i < count; i++) {
        if ((i + 1) % 4 == 0)
            pmm_out_printf(c->out, "\n%s", indent);
        else
            pmm_out_puts(c->out, "  ");
        pmm_out_printf(c->out, "%-3s %s", pmm_md_register_name(regs->arch, i),
                       pmm_address_text(regs->gpr[i], x64 ? 8 : 4, a, sizeof a));
    }
    pmm_out_printf(c->out, "\n%seflags %08x  cs %04x ss %04x ds %04x es %04x fs %04x gs %04x\n", indent, ctx->eflags,
                   ctx->cs, ctx->ss, ctx->ds, ctx->es, ctx->fs, ctx->gs);
}

static void write_exception(const text_ctx *c)
{
    if (!c->r->has_exception)
        return;
    const pmm_md_exception *e = &c->r->exception;
    const char *name = pmm_md_exception_name(e->code);
    char a[24];
    pmm_out_printf(c->out, "Exception\n  thread %u: %s (0x%08x) at %s, flags 0x%x\n", e->thread_id,
                   name ? name : "exception", e->code, addr(c, e->address, a, sizeof a), e->flags);
    if (e->code == 0xC0000005u && e->parameter_count >= 2)
        pmm_out_printf(c->out, "  %s of address 0x%" PRIx64 "\n",
                       e->parameters[0] == 0 ? "read" : e->parameters[0] == 1 ? "write" : e->parameters[0] == 8 ? "execution" : "access",
                       e->parameters[1]);
    if (e->parameter_count > 0) {
        pmm_out_printf(c->out, "  parameters (%u):", e->parameter_count);
        for (uint32_t i = 0; i < e->parameter_count && i < PMM_MD_EXCEPTION_MAX_PARAMETERS; i++)
            pmm_out_printf(c->out, " 0x%" PRIx64, e->parameters[i]);
        pmm_out_puts(c->out, "\n");
    }
    if (e->record)
        pmm_out_printf(c->out, "  nested record at 0x%" PRIx64 "\n", e->record);
    if (e->has_context)
        write_context(c, &e->context, "  ");
    else
        pmm_out_printf(c->out, "  (no decodable context: %u bytes at rva %u)\n", e->context_size, e->context_rva);
    pmm_out_puts(c->out, "\n");
}

static void write_threads(const text_ctx *c)
{
    if (!c->r->has_threads)
        return;
    char a[24], b[24], d[24], s[24], e[24];
    pmm_out_printf(c->out, "Threads (%zu)\n  %-6s %-*s %-*s %8s %-*s %-*s %-*s  %s\n", c->r->thread_count, "TID",
                   (int)c->ptr * 2, "TEB", (int)c->ptr * 2, "Stack", "Bytes", (int)c->ptr * 2, "IP", (int)c->ptr * 2,
                   "SP", (int)c->ptr * 2, "Start", "Name");
    for (size_t i = 0; i < c->r->thread_count; i++) {
        const pmm_md_thread *t = &c->r->threads[i];
        int ctx = t->has_context;
        pmm_out_printf(c->out, "  %-6u %s %s %8u %s %s %s  %s%s\n", t->tid, addr(c, t->teb, a, sizeof a),
                       addr(c, t->stack_start, b, sizeof b), t->stack_size,
                       addr(c, ctx ? t->context.regs.ip : 0, d, sizeof d),
                       addr(c, ctx ? t->context.regs.gpr[PMM_REG_SP] : 0, s, sizeof s),
                       addr(c, t->has_info ? t->start_address : 0, e, sizeof e), t->name,
                       t->suspend_count ? " (suspended)" : "");
    }
    pmm_out_puts(c->out, "\n");
}

static void write_modules(const text_ctx *c)
{
    if (!c->r->has_modules)
        return;
    char a[24], v[48], when[32], guid[48];
    pmm_out_printf(c->out, "Modules (%zu)\n  %-*s %10s %-16s %-19s  %s\n", c->r->module_count, (int)c->ptr * 2, "Base",
                   "Size", "Version", "Timestamp", "Path");
    for (size_t i = 0; i < c->r->module_count; i++) {
        const pmm_md_module *m = &c->r->modules[i];
        pmm_out_printf(c->out, "  %s %10u %-16s %-19s  %s\n", addr(c, m->base, a, sizeof a), m->size,
                       m->has_version ? pmm_md_version_text(m->file_version_ms, m->file_version_ls, v, sizeof v) : "",
                       pmm_md_time_text(m->time_date_stamp, when, sizeof when),
                       m->name[0] ? m->name : "(unreadable name)");
        if (m->cv_signature == PMM_MD_CV_RSDS)
            pmm_out_printf(c->out, "    pdb %s %s age %u\n", m->pdb_name,
                           pmm_md_guid_text(m->pdb_guid, guid, sizeof guid), m->pdb_age);
        else if (m->cv_signature == PMM_MD_CV_NB10)
            pmm_out_printf(c->out, "    pdb %s (NB10 %08x age %u)\n", m->pdb_name, m->pdb_timestamp, m->pdb_age);
        else if (m->cv_signature == PMM_MD_CV_ELF) {
            pmm_out_puts(c->out, "    build id ");
            for (uint32_t k = 0; k < m->build_id_size; k++)
                pmm_out_printf(c->out, "%02x", m->build_id[k]);
            pmm_out_puts(c->out, "\n");
        }
        if (m->problems & PMM_MD_MODULE_BAD_CODEVIEW)
            pmm_out_printf(c->out, "    (CodeView record at rva %u, %u bytes, is outside the file)\n", m->cv_rva,
                           m->cv_size);
    }
    pmm_out_puts(c->out, "\n");
}

static void write_unloaded(const text_ctx *c)
{
    if (!c->r->has_unloaded)
        return;
    char a[24], when[32];
    pmm_out_printf(c->out, "Unloaded modules (%zu)\n", c->r->unloaded_count);
    for (size_t i = 0; i < c->r->unloaded_count; i++) {
        const pmm_md_unloaded_module *m = &c->r->unloaded[i];
        pmm_out_printf(c->out, "  %s %10u %-19s  %s\n", addr(c, m->base, a, sizeof a), m->size,
                       pmm_md_time_text(m->time_date_stamp, when, sizeof when), m->name);
    }
    pmm_out_puts(c->out, "\n");
}

static void write_handles(const text_ctx *c)
{
    if (!c->r->has_handles)
        return;
    pmm_out_printf(c->out, "Handles (%zu)\n  %-10s %-20s %-10s %6s  %s\n", c->r->handle_count, "Handle", "Type",
                   "Access", "Count", "Name");
    for (size_t i = 0; i < c->r->handle_count; i++) {
        const pmm_md_handle *h = &c->r->handles[i];
        pmm_out_printf(c->out, "  0x%-8" PRIx64 " %-20s 0x%08x %6u  %s\n", h->handle, h->type_name, h->granted_access,
                       h->handle_count, h->object_name);
    }
    pmm_out_puts(c->out, "\n");
}

static void write_ranges(const text_ctx *c, const char *title, const pmm_md_memory_range *ranges, size_t count)
{
    char a[24], e[24];
    pmm_out_printf(c->out, "%s (%zu)\n  %-*s   %-*s %10s %12s\n", title, count, (int)c->ptr * 2, "Start",
                   (int)c->ptr * 2, "End", "Size", "File offset");
    for (size_t i = 0; i < count; i++) {
        const pmm_md_memory_range *m = &ranges[i];
        pmm_out_printf(c->out, "  %s - %s %10" PRIu64 " %12" PRIu64 "%s\n", addr(c, m->address, a, sizeof a),
                       addr(c, m->address + m->size, e, sizeof e), m->size, m->file_offset,
                       m->available < m->size ? "  (truncated: not all bytes are in the file)" : "");
    }
    pmm_out_puts(c->out, "\n");
}

static void write_memory_info(const text_ctx *c)
{
    if (!c->r->has_memory_info)
        return;
    char a[24], b[24], p[32], ap[32];
    pmm_out_printf(c->out, "Memory regions (MemoryInfoList, %zu)\n  %-*s %14s %-*s %-8s %-8s %-8s %s\n",
                   c->r->memory_info_count, (int)c->ptr * 2, "Base", "Size", (int)c->ptr * 2, "AllocBase", "State",
                   "Type", "Protect", "AllocProtect");
    for (size_t i = 0; i < c->r->memory_info_count; i++) {
        const pmm_region_info *m = &c->r->memory_info[i];
        pmm_out_printf(c->out, "  %s %14" PRIu64 " %s %-8s %-8s %-8s %s\n", addr(c, m->base, a, sizeof a), m->size,
                       addr(c, m->alloc_base, b, sizeof b), pmm_state_text(m->state), pmm_type_text(m->type),
                       pmm_protect_text(m->protect, p, sizeof p), pmm_protect_text(m->alloc_protect, ap, sizeof ap));
    }
    pmm_out_puts(c->out, "\n");
}

void pmm_md_report_write_text(const pmm_md_report *r, pmm_out *out)
{
    text_ctx c = {r, out, pmm_md_report_pointer_size(r)};
    write_header(&c);
    write_streams(&c);
    write_errors(&c);
    write_system(&c);
    write_misc(&c);
    write_exception(&c);
    write_threads(&c);
    write_modules(&c);
    write_unloaded(&c);
    write_handles(&c);
    if (r->has_memory)
        write_ranges(&c, "Memory ranges (MemoryList)", r->memory, r->memory_count);
    if (r->has_memory64)
        write_ranges(&c, "Memory ranges (Memory64List)", r->memory64, r->memory64_count);
    write_memory_info(&c);
}
