/* A PE image as text, in the spirit of dumpbin /headers /exports /imports. */
#include "pe_output.h"
#include "../util/text.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t pmm_pe_rva_address(const pe_image *img, uint32_t rva)
{
    return (img->layout == PE_LAYOUT_IMAGE ? img->base : img->image_base) + rva;
}

const char *pmm_pe_section_flags_text(uint32_t c, char *buf, size_t cap)
{
    static const pmm_flag_name names[] = {
        {PE_SCN_CNT_CODE, "code"},
        {PE_SCN_CNT_INITIALIZED_DATA, "data"},
        {PE_SCN_CNT_UNINITIALIZED_DATA, "uninitialized"},
        {PE_SCN_MEM_DISCARDABLE, "discardable"},
        {PE_SCN_MEM_SHARED, "shared"},
        {PE_SCN_MEM_EXECUTE, "execute"},
        {PE_SCN_MEM_READ, "read"},
        {PE_SCN_MEM_WRITE, "write"},
    };
    return pmm_flags_text(c, names, sizeof names / sizeof names[0], buf, cap);
}

static void write_headers(pmm_out *o, const pe_image *img, const char *target)
{
    pmm_out_puts(o, "PE image ");
    pmm_out_puts(o, target ? target : "");
    pmm_out_printf(o, " (%s layout at 0x%" PRIx64 ")\n", img->layout == PE_LAYOUT_IMAGE ? "image" : "file",
                   img->base);
    pmm_out_printf(o, "  Machine              0x%04x (%s), %u-bit\n", img->machine, pe_machine_name(img->machine),
                   img->pointer_size * 8);
    pmm_out_printf(o, "  Characteristics      0x%04x%s\n", img->characteristics,
                   (img->characteristics & 0x2000) ? " (DLL)" : "");
    pmm_out_printf(o, "  TimeDateStamp        0x%08x\n", img->timestamp);
    pmm_out_printf(o, "  Magic                0x%03x (%s)\n", img->magic, img->pointer_size == 8 ? "PE32+" : "PE32");
    pmm_out_printf(o, "  Linker               %u.%u\n", img->linker_major, img->linker_minor);
    pmm_out_printf(o, "  EntryPoint           0x%08x\n", img->entry_point);
    pmm_out_printf(o, "  ImageBase            0x%" PRIx64 "\n", img->image_base);
    pmm_out_printf(o, "  SectionAlignment     0x%x\n", img->section_alignment);
    pmm_out_printf(o, "  FileAlignment        0x%x\n", img->file_alignment);
    pmm_out_printf(o, "  OS / image / subsys  %u.%u / %u.%u / %u.%u\n", img->os_major, img->os_minor,
                   img->image_major, img->image_minor, img->subsystem_major, img->subsystem_minor);
    pmm_out_printf(o, "  SizeOfImage          0x%x\n", img->size_of_image);
    pmm_out_printf(o, "  SizeOfHeaders        0x%x\n", img->size_of_headers);
    pmm_out_printf(o, "  CheckSum             0x%08x\n", img->checksum);
    pmm_out_printf(o, "  Subsystem            %u (%s)\n", img->subsystem, pe_subsystem_name(img->subsystem));
    pmm_out_printf(o, "  DllCharacteristics   0x%04x\n", img->dll_characteristics);
    pmm_out_printf(o, "  Stack reserve/commit 0x%" PRIx64 " / 0x%" PRIx64 "\n", img->stack_reserve, img->stack_commit);
    pmm_out_printf(o, "  Heap reserve/commit  0x%" PRIx64 " / 0x%" PRIx64 "\n", img->heap_reserve, img->heap_commit);
    pmm_out_printf(o, "  NumberOfRvaAndSizes  %u\n", img->rva_and_sizes_count);
    if (img->anomalies)
        pmm_out_printf(o, "  Anomalies            0x%x\n", img->anomalies);
}

static void write_sections(pmm_out *o, const pe_image *img)
{
    char flags[128];
    int width = 8;   /* long names (".debug_line_str") widen the column */
    for (size_t i = 0; i < img->section_count; i++) {
        size_t len = strlen(img->sections[i].name);
        if (len > (size_t)width)
            width = (int)len;
    }
    pmm_out_printf(o, "\nSections (%zu)\n  %-*s %-10s %-10s %-10s %-10s %s\n", img->section_count, width, "Name",
                   "RVA", "VirtSize", "RawOffset", "RawSize", "Flags");
    for (size_t i = 0; i < img->section_count; i++) {
        const pe_section *s = &img->sections[i];
        pmm_out_printf(o, "  %-*s 0x%08x 0x%08x 0x%08x 0x%08x %s\n", width, s->name, s->virtual_address,
                       s->virtual_size, s->raw_offset, s->raw_size,
                       pmm_pe_section_flags_text(s->characteristics, flags, sizeof flags));
    }
}

/* One line under the sections of a mapped image with "/N" names: where the real names came from,
 * or why they stay "/N". */
static void write_long_names(pmm_out *o, const pe_long_names_result *names)
{
    if (!names || names->outcome == PE_LONG_NAMES_NONE_NEEDED)
        return;
    if (names->outcome == PE_LONG_NAMES_RESOLVED) {
        pmm_out_printf(o, "  Long names: %u \"/N\" names read from %s (the same build)\n", names->resolved,
                       names->file);
        return;
    }
    pmm_out_printf(o, "  Note: %u long name%s stay%s \"/N\" (the COFF string table is not mapped)", names->unresolved,
                   names->unresolved == 1 ? "" : "s", names->unresolved == 1 ? "s" : "");
    if (names->resolved)
        pmm_out_printf(o, ", %u read from the file", names->resolved);
    if (names->file[0])
        pmm_out_printf(o, ": %s: %s\n", names->file, names->reason);
    else
        pmm_out_printf(o, ": %s\n", names->reason);
}

static void write_directories(pmm_out *o, const pe_image *img)
{
    pmm_out_puts(o, "\nData directories\n");
    for (unsigned i = 0; i < PE_DIR_COUNT; i++) {
        const pe_data_directory *d = &img->directories[i];
        if (d->rva || d->size)
            pmm_out_printf(o, "  %2u %-30s 0x%08x 0x%08x\n", i, pe_directory_name(i), d->rva, d->size);
    }
}

static void write_exports(pmm_out *o, pe_image *img, pmm_status *fatal)
{
    pe_exports ex;
    pmm_status st = pe_read_exports(img, &ex);
    if (st != PMM_OK) {
        if (st != PMM_ERR_NOT_FOUND)
            pmm_out_printf(o, "\nExports: %s\n", pmm_status_text(st));
        if (st == PMM_ERR_NOMEM)
            *fatal = st;
        return;
    }
    pmm_out_printf(o, "\nExports of ");
    pmm_out_puts(o, ex.dll_name);
    pmm_out_printf(o, " (%zu, ordinal base %u%s)\n  %-7s %-10s %s\n", ex.count, ex.ordinal_base,
                   ex.truncated ? ", truncated" : "", "Ordinal", "RVA", "Name");
    for (size_t i = 0; i < ex.count; i++) {
        const pe_export *e = &ex.items[i];
        pmm_out_printf(o, "  %-7u 0x%08x ", e->ordinal, e->rva);
        pmm_out_puts(o, e->name ? e->name : "[by ordinal]");
        if (e->forwarder) {
            pmm_out_puts(o, " -> ");
            pmm_out_puts(o, e->forwarder);
        }
        pmm_out_puts(o, e->is_data ? " (data)\n" : "\n");
    }
    pe_exports_free(&ex);
}

static void write_imports(pmm_out *o, pe_image *img, int delay, pmm_status *fatal)
{
    pe_imports im;
    pmm_status st = delay ? pe_read_delay_imports(img, &im) : pe_read_imports(img, &im);
    if (st != PMM_OK) {
        if (st != PMM_ERR_NOT_FOUND)
            pmm_out_printf(o, "\n%s: %s\n", delay ? "Delay imports" : "Imports", pmm_status_text(st));
        if (st == PMM_ERR_NOMEM)
            *fatal = st;
        return;
    }
    pmm_out_printf(o, "\n%s (%zu modules%s)\n", delay ? "Delay imports" : "Imports", im.module_count,
                   im.truncated ? ", truncated" : "");
    for (size_t m = 0; m < im.module_count; m++) {
        const pe_import_module *mod = &im.modules[m];
        pmm_out_puts(o, "  ");
        pmm_out_puts(o, mod->dll_name);
        pmm_out_printf(o, "  (IAT 0x%08x, INT 0x%08x)\n", mod->iat_rva, mod->int_rva);
        for (size_t f = 0; f < mod->function_count; f++) {
            const pe_import_function *fn = &im.functions[mod->first_function + f];
            pmm_out_printf(o, "    0x%08x ", fn->iat_rva);
            if (fn->by_ordinal)
                pmm_out_printf(o, "ordinal %u\n", fn->ordinal);
            else if (fn->name) {
                pmm_out_printf(o, "%5u ", fn->hint);
                pmm_out_puts(o, fn->name);
                pmm_out_puts(o, "\n");
            } else
                pmm_out_printf(o, "[unresolved 0x%" PRIx64 "]\n", fn->iat_value);
        }
    }
    pe_imports_free(&im);
}

static void write_bound_imports(pmm_out *o, pe_image *img, pmm_status *fatal)
{
    pe_bound_imports bi;
    pmm_status st = pe_read_bound_imports(img, &bi);
    if (st != PMM_OK) {
        if (st == PMM_ERR_NOMEM)
            *fatal = st;
        return;
    }
    pmm_out_printf(o, "\nBound imports (%zu)\n", bi.count);
    for (size_t i = 0; i < bi.count; i++) {
        pmm_out_puts(o, bi.items[i].is_forwarder_ref ? "    forwarder " : "  ");
        pmm_out_puts(o, bi.items[i].dll_name);
        pmm_out_printf(o, "  timestamp 0x%08x\n", bi.items[i].timestamp);
    }
    pe_bound_imports_free(&bi);
}

static void write_resource_tree(pmm_out *o, const pe_resources *rs)
{
    for (size_t i = 0; i < rs->count; i++) {
        const pe_resource_node *n = &rs->nodes[i];
        pmm_out_printf(o, "  %*s", 2 * n->level, "");
        if (n->name) {
            pmm_out_puts(o, "\"");
            pmm_out_puts(o, n->name);
            pmm_out_puts(o, "\"");
        } else {
            const char *type = n->level == 0 ? pe_resource_type_name(n->id) : NULL;
            pmm_out_printf(o, "%u%s%s%s", n->id, type ? " (" : "", type ? type : "", type ? ")" : "");
        }
        if (n->is_leaf)
            pmm_out_printf(o, ": data 0x%08x, %u bytes, codepage %u", n->data_rva, n->data_size, n->codepage);
        pmm_out_puts(o, "\n");
    }
}

static void write_resources(pmm_out *o, pe_image *img, pmm_status *fatal)
{
    pe_resources rs;
    pmm_status st = pe_read_resources(img, &rs);
    if (st != PMM_OK) {
        if (st != PMM_ERR_NOT_FOUND)
            pmm_out_printf(o, "\nResources: %s\n", pmm_status_text(st));
        if (st == PMM_ERR_NOMEM)
            *fatal = st;
        return;
    }
    pmm_out_printf(o, "\nResources (%zu nodes%s)\n", rs.count, rs.truncated ? ", truncated" : "");
    write_resource_tree(o, &rs);
    pe_resources_free(&rs);
}

static void write_tls(pmm_out *o, pe_image *img)
{
    pe_tls *tls = malloc(sizeof *tls);
    if (!tls || pe_read_tls(img, tls) != PMM_OK) {
        free(tls);
        return;
    }
    pmm_out_printf(o, "\nTLS\n  Raw data 0x%" PRIx64 "-0x%" PRIx64 ", index at 0x%" PRIx64 ", callbacks at 0x%" PRIx64 "\n",
                   tls->raw_data_start, tls->raw_data_end, tls->index_address, tls->callbacks_address);
    for (size_t i = 0; i < tls->callback_count; i++)
        pmm_out_printf(o, "  Callback %zu: 0x%" PRIx64 "\n", i, tls->callbacks[i]);
    free(tls);
}

static void write_relocs(pmm_out *o, pe_image *img, const pmm_pe_output_options *opt)
{
    pe_relocs rl;
    if (pe_read_relocs(img, &rl) != PMM_OK)
        return;
    pmm_out_printf(o, "\nBase relocations: %zu blocks, %zu entries%s\n", rl.block_count, rl.entry_count,
                   rl.truncated ? " (truncated)" : "");
    if (opt->relocation_entries)
        for (size_t i = 0; i < rl.entry_count; i++)
            pmm_out_printf(o, "  0x%08x %s\n", rl.entries[i].rva, pe_reloc_type_name(rl.entries[i].type));
    pe_relocs_free(&rl);
}

static void write_debug(pmm_out *o, pe_image *img)
{
    pe_debug dbg;
    if (pe_read_debug(img, &dbg) != PMM_OK)
        return;
    char guid[40];
    pmm_out_printf(o, "\nDebug directory (%zu)\n", dbg.count);
    for (size_t i = 0; i < dbg.count; i++) {
        const pe_debug_entry *e = &dbg.entries[i];
        pmm_out_printf(o, "  %-10s size %u, RVA 0x%08x, file offset 0x%08x\n", pe_debug_type_name(e->type),
                       e->data_size, e->data_rva, e->data_file_offset);
        if (e->cv_signature[0] == 'R')
            pmm_out_printf(o, "    RSDS %s age %u ", pe_guid_text(e->guid, guid, sizeof guid), e->age);
        else if (e->cv_signature[0] == 'N')
            pmm_out_printf(o, "    NB10 signature 0x%08x age %u ", e->pdb_signature, e->age);
        if (e->cv_signature[0]) {
            pmm_out_puts(o, e->pdb_path);
            pmm_out_puts(o, "\n");
        }
    }
    pe_debug_free(&dbg);
}

static void write_exceptions(pmm_out *o, pe_image *img, const pmm_pe_output_options *opt)
{
    pe_exceptions ex;
    if (pe_read_exceptions(img, &ex) != PMM_OK)
        return;
    pmm_out_printf(o, "\nException directory: %zu runtime functions\n", ex.count);
    if (opt->runtime_functions)
        for (size_t i = 0; i < ex.count; i++)
            pmm_out_printf(o, "  0x%08x-0x%08x unwind 0x%08x\n", ex.items[i].begin_rva, ex.items[i].end_rva,
                           ex.items[i].unwind_rva);
    pe_exceptions_free(&ex);
}

static void write_load_config(pmm_out *o, pe_image *img)
{
    pe_load_config lc;
    if (pe_read_load_config(img, &lc) != PMM_OK)
        return;
    char flags[512];
    pmm_out_printf(o, "\nLoad config (size %u)\n  Security cookie      0x%" PRIx64 "\n", lc.size, lc.security_cookie);
    if (img->pointer_size == 4)
        pmm_out_printf(o, "  SEH table            0x%" PRIx64 " (%" PRIu64 " handlers)\n", lc.se_handler_table,
                       lc.se_handler_count);
    pmm_out_printf(o, "  Guard flags          0x%08x %s\n", lc.guard_flags,
                   pe_guard_flags_text(lc.guard_flags, flags, sizeof flags));
    pmm_out_printf(o, "  CFG check / dispatch 0x%" PRIx64 " / 0x%" PRIx64 "\n", lc.guard_cf_check_function,
                   lc.guard_cf_dispatch_function);
    pmm_out_printf(o, "  CFG function table   0x%" PRIx64 " (%" PRIu64 " entries)\n", lc.guard_cf_function_table,
                   lc.guard_cf_function_count);
}

pmm_status pmm_pe_write_text(pe_image *img, const char *target, const pmm_pe_output_options *options,
                             pmm_out *out)
{
    static const pmm_pe_output_options defaults = {0, 0, 0, NULL};
    const pmm_pe_output_options *o = options ? options : &defaults;
    pmm_status fatal = PMM_OK;
    write_headers(out, img, target);
    write_sections(out, img);
    write_long_names(out, o->long_names);
    write_directories(out, img);
    write_exports(out, img, &fatal);
    write_imports(out, img, 0, &fatal);
    write_imports(out, img, 1, &fatal);
    write_bound_imports(out, img, &fatal);
    write_resources(out, img, &fatal);
    write_tls(out, img);
    write_relocs(out, img, o);
    write_debug(out, img);
    write_exceptions(out, img, o);
    write_load_config(out, img);
    return fatal;
}
