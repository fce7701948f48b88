/* `pmm kdump` as text: the header, the bug check, the context and exception records, physical
 * memory, the kernel modules, then the reads and translations asked for. */
#include "kdump_report.h"

#include <inttypes.h>
#include <stdio.h>
#include "minidump_report.h"
#include "../source/source.h"
#include "../util/text.h"

/* FILETIME of 1970-01-01 in 100 ns units. */
#define FILETIME_UNIX_EPOCH 116444736000000000ull

typedef struct text_ctx {
    pmm_kdump_report *r;
    const pmm_kdump_header *h;
    pmm_out *out;
    uint32_t ptr;
} text_ctx;

static const char *addr(const text_ctx *c, uint64_t value, char *buf, size_t cap)
{
    return pmm_address_text(value, c->ptr, buf, cap);
}

static const char *machine_name(uint32_t machine)
{
    switch (machine) {
    case PMM_KDUMP_MACHINE_AMD64: return "x64";
    case PMM_KDUMP_MACHINE_I386: return "x86";
    case PMM_KDUMP_MACHINE_ARM64: return "ARM64";
    }
    return "unknown";
}

static void write_time(const text_ctx *c, const char *label, uint64_t filetime)
{
    char when[48];
    if (filetime < FILETIME_UNIX_EPOCH)
        pmm_out_printf(c->out, "  %-20s not recorded\n", label);
    else
        pmm_out_printf(c->out, "  %-20s %s UTC\n", label,
                       pmm_md_time_text((filetime - FILETIME_UNIX_EPOCH) / 10000000u, when, sizeof when));
}

static void write_header(const text_ctx *c)
{
    const pmm_kdump_header *h = c->h;
    const char *type = pmm_kdump_type_name(h->dump_type);
    char a[32];
    uint64_t up = h->system_uptime / 10000000u;
    pmm_out_printf(c->out, "Kernel dump %s (%" PRIu64 " bytes)\n", c->r->path, pmm_kdump_file_size(c->r->dump));
    pmm_out_printf(c->out, "  %-20s %u-bit header (%s), %s (machine 0x%x), %s\n", "format", h->bits,
                   h->bits == 64 ? "PAGEDU64" : "PAGEDUMP", machine_name(h->machine), h->machine,
                   pmm_kdump_paging_text(pmm_kdump_paging(c->r->dump)));
    pmm_out_printf(c->out, "  %-20s %u %s\n", "dump type", h->dump_type, type ? type : "unknown");
    if (c->r->has_os_version)
        pmm_out_printf(c->out, "  %-20s %u.%u build %u (KUSER_SHARED_DATA)\n", "Windows", c->r->os_major,
                       c->r->os_minor, c->r->os_build);
    pmm_out_printf(c->out, "  %-20s build %u, %s (header MajorVersion 0x%x)\n", "header version", h->minor_version,
                   h->major_version == 0xF ? "free build" : h->major_version == 0xC ? "checked build" : "unknown kind",
                   h->major_version);
    pmm_out_printf(c->out, "  %-20s %u\n", "processors", h->processors);
    write_time(c, "system time", h->system_time);
    pmm_out_printf(c->out, "  %-20s %" PRIu64 " days %02u:%02u:%02u\n", "uptime", up / 86400, (unsigned)(up / 3600 % 24),
                   (unsigned)(up / 60 % 60), (unsigned)(up % 60));
    pmm_out_printf(c->out, "  %-20s %s\n", "DirectoryTableBase", addr(c, h->directory_table_base, a, sizeof a));
    pmm_out_printf(c->out, "  %-20s %s\n", "PfnDataBase", addr(c, h->pfn_database, a, sizeof a));
    pmm_out_printf(c->out, "  %-20s %s\n", "PsLoadedModuleList", addr(c, h->ps_loaded_module_list, a, sizeof a));
    pmm_out_printf(c->out, "  %-20s %s\n", "PsActiveProcessHead", addr(c, h->ps_active_process_head, a, sizeof a));
    pmm_out_printf(c->out, "  %-20s %s\n", "KdDebuggerDataBlock", addr(c, h->kd_debugger_data_block, a, sizeof a));
    if (h->bits == 32)
        pmm_out_printf(c->out, "  %-20s %s\n", "PAE", h->pae_enabled ? "enabled" : "not enabled");
    pmm_out_printf(c->out, "  %-20s %" PRIu64 "\n", "required dump space", h->required_dump_space);
    pmm_out_printf(c->out, "  %-20s %s\n\n", "comment", h->comment[0] ? h->comment : "(none)");
}

static void write_bugcheck(const text_ctx *c)
{
    const char *name = pmm_kdump_bugcheck_name(c->h->bugcheck_code);
    pmm_out_printf(c->out, "Bug check 0x%X %s (", c->h->bugcheck_code, name ? name : "(not in pmm's table)");
    for (int i = 0; i < 4; i++)
        pmm_out_printf(c->out, "%s0x%" PRIx64, i ? ", " : "", c->h->bugcheck_parameters[i]);
    pmm_out_puts(c->out, ")\n\n");
}

static void write_context(const text_ctx *c)
{
    const pmm_kdump_context *x = &c->h->context;
    if (x->arch == PMM_ARCH_UNKNOWN) {
        pmm_out_puts(c->out, "Context: not decoded (a machine whose CONTEXT layout pmm does not know)\n\n");
        return;
    }
    int wide = x->arch == PMM_ARCH_X64;
    size_t n = wide ? 16 : 8;
    pmm_out_printf(c->out, "Context (%s, ContextFlags 0x%x)\n", wide ? "x64" : "x86", x->context_flags);
    for (size_t i = 0; i < n; i++)
        pmm_out_printf(c->out, "%s%3s=%0*" PRIx64 "%s", i % 4 == 0 ? "  " : " ", pmm_md_register_name(x->arch, i),
                       wide ? 16 : 8, x->gpr[i], i % 4 == 3 ? "\n" : "");
    pmm_out_printf(c->out, "  %3s=%0*" PRIx64 " efl=%08x\n", wide ? "rip" : "eip", wide ? 16 : 8, x->ip, x->eflags);
    pmm_out_printf(c->out, "  cs=%04x ss=%04x ds=%04x es=%04x fs=%04x gs=%04x  mxcsr=%08x fpcw=%04x fpsw=%04x\n",
                   x->cs, x->ss, x->ds, x->es, x->fs, x->gs, x->mxcsr, x->fpu_control, x->fpu_status);
    pmm_out_printf(c->out, "  dr0=%" PRIx64 " dr1=%" PRIx64 " dr2=%" PRIx64 " dr3=%" PRIx64 " dr6=%" PRIx64
                           " dr7=%" PRIx64 "\n\n",
                   x->dr[0], x->dr[1], x->dr[2], x->dr[3], x->dr[4], x->dr[5]);
}

static void write_exception(const text_ctx *c)
{
    const pmm_kdump_exception *e = &c->h->exception;
    char a[32];
    pmm_out_printf(c->out, "Exception record: code 0x%08x, flags 0x%x, address %s, %u parameters", e->code, e->flags,
                   addr(c, e->address, a, sizeof a), e->parameter_count);
    for (uint32_t i = 0; i < e->parameter_count && i < PMM_KDUMP_EXCEPTION_PARAMETERS; i++)
        pmm_out_printf(c->out, "%s0x%" PRIx64, i ? ", " : ": ", e->parameters[i]);
    pmm_out_puts(c->out, "\n\n");
}

static void write_memory(const text_ctx *c, const pmm_kdump_request *req)
{
    const pmm_kdump_memory_summary *m = &c->r->memory;
    char size[48];
    pmm_out_printf(c->out, "Physical memory: %s, %" PRIu64 " pages present (%s) in %" PRIu64
                           " ranges, highest page 0x%" PRIx64 ", first page at file offset 0x%" PRIx64 "\n",
                   m->storage == PMM_KDUMP_STORAGE_BITMAP ? "bitmap" : "runs", m->present_pages,
                   pmm_size_text(m->present_pages * PMM_KDUMP_PAGE_SIZE, size, sizeof size), m->run_count,
                   m->highest_page ? m->highest_page - 1 : 0, m->first_page_offset);
    if (m->storage == PMM_KDUMP_STORAGE_BITMAP)
        pmm_out_printf(c->out, "  the bitmap describes %" PRIu64 " page frames\n", m->bitmap_pages);
    pmm_kdump_run runs[256];
    uint64_t from = 0, shown = 0, limit = req->all_runs ? UINT64_MAX : PMM_KDUMP_RUNS_SHOWN;
    pmm_out_printf(c->out, "  %-18s %-18s %10s  %s\n", "first address", "last address", "pages", "file offset");
    for (;;) {
        size_t n = pmm_kdump_runs(c->r->dump, from, runs, sizeof runs / sizeof runs[0]);
        for (size_t i = 0; i < n && shown < limit; i++, shown++)
            pmm_out_printf(c->out, "  0x%016" PRIx64 " 0x%016" PRIx64 " %10" PRIu64 "  0x%" PRIx64 "\n",
                           runs[i].first_page * PMM_KDUMP_PAGE_SIZE,
                           (runs[i].first_page + runs[i].page_count) * PMM_KDUMP_PAGE_SIZE - 1, runs[i].page_count,
                           runs[i].file_offset);
        if (n == 0 || shown >= limit)
            break;
        from = runs[n - 1].first_page + runs[n - 1].page_count;
    }
    if (shown < m->run_count)
        pmm_out_printf(c->out, "  ... %" PRIu64 " more ranges (--runs lists them all)\n", m->run_count - shown);
    pmm_out_puts(c->out, "\n");
}

static void write_modules(const text_ctx *c)
{
    char a[32], b[32];
    pmm_kdump_report *r = c->r;
    pmm_out_printf(c->out, "Kernel modules (%zu, PsLoadedModuleList at %s)\n", r->module_count,
                   addr(c, c->h->ps_loaded_module_list, a, sizeof a));
    if (r->module_count)
        pmm_out_printf(c->out, "  %-*s %10s %-*s  %s\n", (int)c->ptr * 2, "base", "size", (int)c->ptr * 2, "entry",
                       "name (path)");
    for (size_t i = 0; i < r->module_count; i++) {
        const pmm_kdump_module *m = &r->modules[i];
        pmm_out_printf(c->out, "  %s %10" PRIu64 " %s  %s (%s)\n", addr(c, m->base, a, sizeof a), m->size,
                       addr(c, m->entry_point, b, sizeof b), m->base_name[0] ? m->base_name : "?",
                       m->full_name[0] ? m->full_name : "name not readable");
    }
    if (r->modules_problem[0])
        pmm_out_printf(c->out, "  %s\n", r->modules_problem);
    pmm_out_puts(c->out, "\n");
}

static void write_warnings(const text_ctx *c)
{
    if (!pmm_kdump_warning(c->r->dump, 0))
        return;
    pmm_out_puts(c->out, "Warnings\n");
    for (size_t i = 0; pmm_kdump_warning(c->r->dump, i); i++)
        pmm_out_printf(c->out, "  %s\n", pmm_kdump_warning(c->r->dump, i));
    pmm_out_puts(c->out, "\n");
}

static void write_hex_lines(const text_ctx *c, const pmm_kdump_chunk *k)
{
    for (size_t line = 0; line < k->size; line += 16) {
        pmm_out_printf(c->out, "  %016" PRIx64 " ", k->address + line);
        for (size_t i = 0; i < 16; i++)
            if (line + i < k->size)
                pmm_out_printf(c->out, "%s%02x", i == 8 ? "  " : " ", k->data[line + i]);
            else
                pmm_out_puts(c->out, i == 8 ? "     " : "   ");
        pmm_out_puts(c->out, "  ");
        for (size_t i = 0; i < 16 && line + i < k->size; i++) {
            uint8_t ch = k->data[line + i];
            char s[2] = {(char)(ch >= 0x20 && ch < 0x7F ? ch : '.'), 0};
            pmm_out_puts(c->out, s);
        }
        pmm_out_puts(c->out, "\n");
    }
}

static void write_read(const text_ctx *c, int is_virtual, uint64_t address, const pmm_kdump_request *req)
{
    pmm_kdump_chunk chunk;
    uint64_t end = address + req->size < address ? UINT64_MAX : address + req->size;
    pmm_out_printf(c->out, "%s 0x%" PRIx64 ", %" PRIu64 " bytes%s\n", is_virtual ? "Virtual" : "Physical", address,
                   end - address, is_virtual && req->dtb ? " (own DirectoryTableBase)" : "");
    for (uint64_t at = address; at < end;) {
        pmm_kdump_read_chunk(c->r->dump, is_virtual, req->dtb, at, end, &chunk);
        if (chunk.readable)
            write_hex_lines(c, &chunk);
        else
            pmm_out_printf(c->out, "  %016" PRIx64 "..%016" PRIx64 " not in the dump: %s\n", at,
                           at + chunk.size - 1, chunk.reason);
        if (at + chunk.size <= at)
            break;
        at += chunk.size;
    }
    pmm_out_puts(c->out, "\n");
}

static const char *level_name(uint32_t paging, uint32_t level)
{
    static const char *const x64[] = {"", "PTE", "PDE", "PDPTE", "PML4E"};
    if (paging == PMM_KDUMP_PAGING_PAE && level == 3)
        return "PDPTE";
    return level <= 4 ? x64[level] : "?";
}

static const char *page_size_text(uint64_t size)
{
    switch (size) {
    case 0x1000: return "4 KiB";
    case 0x200000: return "2 MiB";
    case 0x400000: return "4 MiB";
    case 0x40000000: return "1 GiB";
    }
    return "?";
}

static void write_translation(const text_ctx *c, uint64_t va, uint64_t dtb)
{
    pmm_kdump_translation t;
    char reason[160];
    uint32_t paging = pmm_kdump_paging(c->r->dump);
    pmm_kdump_translate(c->r->dump, dtb, va, &t);
    pmm_out_printf(c->out, "Translate 0x%" PRIx64 " (DirectoryTableBase 0x%" PRIx64 ")\n", va,
                   dtb ? dtb : c->h->directory_table_base);
    for (uint32_t i = 0; i < t.step_count; i++) {
        const pmm_kdump_walk_step *s = &t.steps[i];
        if (s->read)
            pmm_out_printf(c->out, "  %-5s [%3u] at physical 0x%" PRIx64 " = 0x%0*" PRIx64 "\n",
                           level_name(paging, s->level), s->index, s->entry_address,
                           paging == PMM_KDUMP_PAGING_X86 ? 8 : 16, s->entry);
        else
            pmm_out_printf(c->out, "  %-5s [%3u] at physical 0x%" PRIx64 ": not in the dump\n",
                           level_name(paging, s->level), s->index, s->entry_address);
    }
    if ((t.status == PMM_KDUMP_VA_PRESENT || t.status == PMM_KDUMP_VA_TRANSITION)) {
        pmm_out_printf(c->out, "  -> physical 0x%" PRIx64 " (%s page%s%s%s%s)%s%s\n", t.physical,
                       page_size_text(t.page_size),
                       t.status == PMM_KDUMP_VA_TRANSITION ? ", in transition" : "",
                       t.status == PMM_KDUMP_VA_PRESENT && t.writable ? ", writable" : "",
                       t.status == PMM_KDUMP_VA_PRESENT && t.user ? ", user" : "",
                       t.status == PMM_KDUMP_VA_PRESENT && t.executable ? ", executable" : "",
                       t.page_in_dump ? "" : "; ", t.page_in_dump ? "" : "the dump does not hold that page");
    } else {
        pmm_out_printf(c->out, "  -> %s\n", pmm_kdump_translation_reason(&t, reason, sizeof reason));
    }
    pmm_out_puts(c->out, "\n");
}

void pmm_kdump_report_write_text(pmm_kdump_report *report, const pmm_kdump_request *request, pmm_out *out)
{
    text_ctx c = {report, pmm_kdump_header_of(report->dump), out, pmm_kdump_pointer_size(report->dump)};
    write_header(&c);
    write_bugcheck(&c);
    write_context(&c);
    write_exception(&c);
    write_memory(&c, request);
    write_modules(&c);
    if (report->has_processes)
        pmm_kdump_write_processes_text(report, out);
    write_warnings(&c);
    for (size_t i = 0; i < request->physical_count; i++)
        write_read(&c, 0, request->physical[i], request);
    for (size_t i = 0; i < request->virtual_count; i++)
        write_read(&c, 1, request->virtual_addresses[i], request);
    for (size_t i = 0; i < request->translate_count; i++)
        write_translation(&c, request->translate[i], request->dtb);
}
