/* A PE image as JSON: {"format": "pmm-pe", "version": 1, "target", "layout", "headers",
 * "sections", "long_names", "directories", "exports", "imports", "delay_imports", "bound_imports",
 * "resources", "tls", "relocations", "debug", "exceptions", "load_config"}.
 * RVAs and addresses are "0x..." strings, sizes and counts numbers. A directory the image does not
 * have is null; one that could not be read is {"error": "..."}. */
#include "pe_output.h"

#include <stdio.h>
#include <stdlib.h>

static void kv_rva(pmm_json *j, const char *key, uint32_t rva)
{
    pmm_json_kv_address(j, key, rva);
}

static void kv_error(pmm_json *j, const char *key, pmm_status st)
{
    pmm_json_key(j, key);
    if (st == PMM_ERR_NOT_FOUND) {
        pmm_json_null(j);
        return;
    }
    pmm_json_begin_object(j);
    pmm_json_kv_string(j, "error", pmm_status_text(st));
    pmm_json_end_object(j);
}

static void write_anomalies(pmm_json *j, uint32_t anomalies)
{
    static const char *const names[] = {"header_truncated", "sections_truncated", "directory_count",
                                        "low_alignment", "optional_header_size"};
    pmm_json_key(j, "anomalies");
    pmm_json_begin_array(j);
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
        if (anomalies & (1u << i))
            pmm_json_string(j, names[i]);
    pmm_json_end_array(j);
}

static void write_headers(pmm_json *j, const pe_image *img)
{
    pmm_json_key(j, "headers");
    pmm_json_begin_object(j);
    kv_rva(j, "e_lfanew", img->e_lfanew);
    pmm_json_kv_uint(j, "machine", img->machine);
    pmm_json_kv_string(j, "machine_name", pe_machine_name(img->machine));
    pmm_json_kv_uint(j, "bits", img->pointer_size * 8);
    pmm_json_kv_uint(j, "number_of_sections", img->declared_section_count);
    pmm_json_kv_uint(j, "timestamp", img->timestamp);
    kv_rva(j, "symbol_table", img->symbol_table_offset);
    pmm_json_kv_uint(j, "symbol_count", img->symbol_count);
    pmm_json_kv_uint(j, "optional_header_size", img->optional_header_size);
    pmm_json_kv_uint(j, "characteristics", img->characteristics);
    pmm_json_kv_uint(j, "magic", img->magic);
    pmm_json_kv_uint(j, "linker_major", img->linker_major);
    pmm_json_kv_uint(j, "linker_minor", img->linker_minor);
    pmm_json_kv_uint(j, "size_of_code", img->size_of_code);
    pmm_json_kv_uint(j, "size_of_initialized_data", img->size_of_initialized_data);
    pmm_json_kv_uint(j, "size_of_uninitialized_data", img->size_of_uninitialized_data);
    kv_rva(j, "entry_point", img->entry_point);
    kv_rva(j, "base_of_code", img->base_of_code);
    if (img->pointer_size == 4)
        kv_rva(j, "base_of_data", img->base_of_data);
    pmm_json_kv_address(j, "image_base", img->image_base);
    pmm_json_kv_uint(j, "section_alignment", img->section_alignment);
    pmm_json_kv_uint(j, "file_alignment", img->file_alignment);
    pmm_json_kv_uint(j, "os_major", img->os_major);
    pmm_json_kv_uint(j, "os_minor", img->os_minor);
    pmm_json_kv_uint(j, "image_major", img->image_major);
    pmm_json_kv_uint(j, "image_minor", img->image_minor);
    pmm_json_kv_uint(j, "subsystem_major", img->subsystem_major);
    pmm_json_kv_uint(j, "subsystem_minor", img->subsystem_minor);
    pmm_json_kv_uint(j, "win32_version", img->win32_version);
    pmm_json_kv_uint(j, "size_of_image", img->size_of_image);
    pmm_json_kv_uint(j, "size_of_headers", img->size_of_headers);
    pmm_json_kv_uint(j, "checksum", img->checksum);
    pmm_json_kv_uint(j, "subsystem", img->subsystem);
    pmm_json_kv_string(j, "subsystem_name", pe_subsystem_name(img->subsystem));
    pmm_json_kv_uint(j, "dll_characteristics", img->dll_characteristics);
    pmm_json_kv_uint(j, "stack_reserve", img->stack_reserve);
    pmm_json_kv_uint(j, "stack_commit", img->stack_commit);
    pmm_json_kv_uint(j, "heap_reserve", img->heap_reserve);
    pmm_json_kv_uint(j, "heap_commit", img->heap_commit);
    pmm_json_kv_uint(j, "loader_flags", img->loader_flags);
    pmm_json_kv_uint(j, "number_of_rva_and_sizes", img->rva_and_sizes_count);
    write_anomalies(j, img->anomalies);
    pmm_json_end_object(j);
}

static void write_sections(pmm_json *j, const pe_image *img)
{
    char flags[128];
    pmm_json_key(j, "sections");
    pmm_json_begin_array(j);
    for (size_t i = 0; i < img->section_count; i++) {
        const pe_section *s = &img->sections[i];
        pmm_json_begin_object(j);
        pmm_json_kv_string(j, "name", s->name);
        kv_rva(j, "virtual_address", s->virtual_address);
        pmm_json_kv_uint(j, "virtual_size", s->virtual_size);
        kv_rva(j, "raw_offset", s->raw_offset);
        pmm_json_kv_uint(j, "raw_size", s->raw_size);
        pmm_json_kv_uint(j, "characteristics", s->characteristics);
        pmm_json_kv_string(j, "flags", pmm_pe_section_flags_text(s->characteristics, flags, sizeof flags));
        pmm_json_kv_address(j, "address", pmm_pe_rva_address(img, s->virtual_address));
        pmm_json_kv_uint(j, "mapped_size", pe_section_mapped_size(img, s));
        pmm_json_end_object(j);
    }
    pmm_json_end_array(j);
}

/* {status, file, resolved, unresolved, reason} of a mapped image's "/N" names; null when no file
 * was asked (a file layout reads its own string table). */
static void write_long_names(pmm_json *j, const pe_long_names_result *names)
{
    pmm_json_key(j, "long_names");
    if (!names) {
        pmm_json_null(j);
        return;
    }
    pmm_json_begin_object(j);
    pmm_json_kv_string(j, "status", pe_long_names_outcome_name(names->outcome));
    pmm_json_kv_string(j, "file", names->file);
    pmm_json_kv_uint(j, "resolved", names->resolved);
    pmm_json_kv_uint(j, "unresolved", names->unresolved);
    pmm_json_kv_string(j, "reason", names->reason);
    pmm_json_end_object(j);
}

static void write_directories(pmm_json *j, const pe_image *img)
{
    pmm_json_key(j, "directories");
    pmm_json_begin_array(j);
    for (unsigned i = 0; i < PE_DIR_COUNT; i++) {
        const pe_data_directory *d = &img->directories[i];
        pmm_json_begin_object(j);
        pmm_json_kv_uint(j, "index", i);
        pmm_json_kv_string(j, "name", pe_directory_name(i));
        kv_rva(j, "rva", d->rva);
        pmm_json_kv_uint(j, "size", d->size);
        size_t s = i == PE_DIR_SECURITY ? PE_NO_SECTION : pe_section_of_rva(img, d->rva);
        pmm_json_kv_string(j, "section", d->rva && s != PE_NO_SECTION ? img->sections[s].name : "");
        pmm_json_end_object(j);
    }
    pmm_json_end_array(j);
}

static void write_exports(pmm_json *j, pe_image *img, pmm_status *fatal)
{
    pe_exports ex;
    pmm_status st = pe_read_exports(img, &ex);
    if (st != PMM_OK) {
        if (st == PMM_ERR_NOMEM)
            *fatal = st;
        kv_error(j, "exports", st);
        return;
    }
    pmm_json_key(j, "exports");
    pmm_json_begin_object(j);
    pmm_json_kv_string(j, "dll_name", ex.dll_name);
    pmm_json_kv_uint(j, "timestamp", ex.timestamp);
    pmm_json_kv_uint(j, "ordinal_base", ex.ordinal_base);
    pmm_json_kv_uint(j, "function_count", ex.function_count);
    pmm_json_kv_uint(j, "name_count", ex.name_count);
    kv_rva(j, "functions_rva", ex.functions_rva);
    kv_rva(j, "names_rva", ex.names_rva);
    kv_rva(j, "ordinals_rva", ex.ordinals_rva);
    pmm_json_kv_bool(j, "truncated", ex.truncated != 0);
    pmm_json_key(j, "items");
    pmm_json_begin_array(j);
    for (size_t i = 0; i < ex.count; i++) {
        const pe_export *e = &ex.items[i];
        pmm_json_begin_object(j);
        pmm_json_kv_uint(j, "ordinal", e->ordinal);
        if (e->name)
            pmm_json_kv_string(j, "name", e->name);
        kv_rva(j, "rva", e->rva);
        if (e->forwarder)
            pmm_json_kv_string(j, "forwarder", e->forwarder);
        else
            pmm_json_kv_address(j, "address", pmm_pe_rva_address(img, e->rva));
        pmm_json_kv_bool(j, "data", e->is_data);
        pmm_json_end_object(j);
    }
    pmm_json_end_array(j);
    pmm_json_end_object(j);
    pe_exports_free(&ex);
}

static void write_import_function(pmm_json *j, const pe_import_function *f)
{
    pmm_json_begin_object(j);
    if (f->by_ordinal) {
        pmm_json_kv_uint(j, "ordinal", f->ordinal);
    } else if (f->name) {
        pmm_json_kv_string(j, "name", f->name);
        pmm_json_kv_uint(j, "hint", f->hint);
    } else {
        pmm_json_kv_bool(j, "unresolved", 1);   /* bound IAT without an INT, or an unreadable name */
    }
    kv_rva(j, "iat_rva", f->iat_rva);
    pmm_json_kv_address(j, "thunk", f->name_thunk);
    pmm_json_kv_address(j, "iat_value", f->iat_value);
    pmm_json_end_object(j);
}

static void write_imports(pmm_json *j, pe_image *img, int delay, pmm_status *fatal)
{
    const char *key = delay ? "delay_imports" : "imports";
    pe_imports im;
    pmm_status st = delay ? pe_read_delay_imports(img, &im) : pe_read_imports(img, &im);
    if (st != PMM_OK) {
        if (st == PMM_ERR_NOMEM)
            *fatal = st;
        kv_error(j, key, st);
        return;
    }
    pmm_json_key(j, key);
    pmm_json_begin_array(j);
    for (size_t m = 0; m < im.module_count; m++) {
        const pe_import_module *mod = &im.modules[m];
        pmm_json_begin_object(j);
        pmm_json_kv_string(j, "dll", mod->dll_name);
        kv_rva(j, "descriptor_rva", mod->descriptor_rva);
        kv_rva(j, "int_rva", mod->int_rva);
        kv_rva(j, "iat_rva", mod->iat_rva);
        pmm_json_kv_uint(j, "timestamp", mod->timestamp);
        if (delay) {
            pmm_json_kv_uint(j, "attributes", mod->attributes);
            kv_rva(j, "module_handle_rva", mod->module_handle_rva);
            kv_rva(j, "bound_iat_rva", mod->bound_iat_rva);
            kv_rva(j, "unload_iat_rva", mod->unload_iat_rva);
        } else {
            pmm_json_kv_uint(j, "forwarder_chain", mod->forwarder_chain);
        }
        pmm_json_key(j, "functions");
        pmm_json_begin_array(j);
        for (size_t f = 0; f < mod->function_count; f++)
            write_import_function(j, &im.functions[mod->first_function + f]);
        pmm_json_end_array(j);
        pmm_json_end_object(j);
    }
    pmm_json_end_array(j);
    pmm_json_kv_bool(j, delay ? "delay_imports_truncated" : "imports_truncated", im.truncated != 0);
    pe_imports_free(&im);
}

static void write_bound_imports(pmm_json *j, pe_image *img, pmm_status *fatal)
{
    pe_bound_imports bi;
    pmm_status st = pe_read_bound_imports(img, &bi);
    if (st != PMM_OK) {
        if (st == PMM_ERR_NOMEM)
            *fatal = st;
        kv_error(j, "bound_imports", st);
        return;
    }
    pmm_json_key(j, "bound_imports");
    pmm_json_begin_array(j);
    for (size_t i = 0; i < bi.count; i++) {
        pmm_json_begin_object(j);
        pmm_json_kv_string(j, "dll", bi.items[i].dll_name);
        pmm_json_kv_uint(j, "timestamp", bi.items[i].timestamp);
        pmm_json_kv_bool(j, "forwarder_ref", bi.items[i].is_forwarder_ref);
        pmm_json_end_object(j);
    }
    pmm_json_end_array(j);
    pe_bound_imports_free(&bi);
}

/* Children of node i follow it in pre-order; deeper descendants sit between them. */
static void write_resource_node(pmm_json *j, const pe_resources *rs, size_t i)
{
    const pe_resource_node *n = &rs->nodes[i];
    pmm_json_begin_object(j);
    if (n->name) {
        pmm_json_kv_string(j, "name", n->name);
    } else {
        pmm_json_kv_uint(j, "id", n->id);
        const char *type = n->level == 0 ? pe_resource_type_name(n->id) : NULL;
        if (type)
            pmm_json_kv_string(j, "type", type);
    }
    if (n->is_leaf) {
        kv_rva(j, "data_rva", n->data_rva);
        pmm_json_kv_uint(j, "size", n->data_size);
        pmm_json_kv_uint(j, "codepage", n->codepage);
    } else {
        pmm_json_key(j, "children");
        pmm_json_begin_array(j);
        for (size_t c = i + 1; c < rs->count && rs->nodes[c].level > n->level; c++)
            if (rs->nodes[c].parent == i)
                write_resource_node(j, rs, c);
        pmm_json_end_array(j);
    }
    pmm_json_end_object(j);
}

static void write_resources(pmm_json *j, pe_image *img, pmm_status *fatal)
{
    pe_resources rs;
    pmm_status st = pe_read_resources(img, &rs);
    if (st != PMM_OK) {
        if (st == PMM_ERR_NOMEM)
            *fatal = st;
        kv_error(j, "resources", st);
        return;
    }
    pmm_json_key(j, "resources");
    pmm_json_begin_object(j);
    pmm_json_kv_uint(j, "timestamp", rs.timestamp);
    pmm_json_kv_uint(j, "node_count", rs.count);
    pmm_json_kv_bool(j, "truncated", rs.truncated != 0);
    pmm_json_key(j, "types");
    pmm_json_begin_array(j);
    for (size_t i = 0; i < rs.count; i++)
        if (rs.nodes[i].parent == PE_RESOURCE_ROOT)
            write_resource_node(j, &rs, i);
    pmm_json_end_array(j);
    pmm_json_end_object(j);
    pe_resources_free(&rs);
}

static void write_tls(pmm_json *j, pe_image *img, pmm_status *fatal)
{
    pe_tls *tls = malloc(sizeof *tls);
    if (!tls) {
        *fatal = PMM_ERR_NOMEM;
        kv_error(j, "tls", PMM_ERR_NOMEM);
        return;
    }
    pmm_status st = pe_read_tls(img, tls);
    if (st != PMM_OK) {
        kv_error(j, "tls", st);
        free(tls);
        return;
    }
    pmm_json_key(j, "tls");
    pmm_json_begin_object(j);
    pmm_json_kv_address(j, "raw_data_start", tls->raw_data_start);
    pmm_json_kv_address(j, "raw_data_end", tls->raw_data_end);
    pmm_json_kv_address(j, "index_address", tls->index_address);
    pmm_json_kv_address(j, "callbacks_address", tls->callbacks_address);
    pmm_json_kv_uint(j, "zero_fill_size", tls->zero_fill_size);
    pmm_json_kv_uint(j, "characteristics", tls->characteristics);
    pmm_json_kv_bool(j, "truncated", tls->truncated != 0);
    pmm_json_key(j, "callbacks");
    pmm_json_begin_array(j);
    for (size_t i = 0; i < tls->callback_count; i++)
        pmm_json_address(j, tls->callbacks[i]);
    pmm_json_end_array(j);
    pmm_json_end_object(j);
    free(tls);
}

static void write_relocs(pmm_json *j, pe_image *img, const pmm_pe_output_options *o, pmm_status *fatal)
{
    pe_relocs rl;
    pmm_status st = pe_read_relocs(img, &rl);
    if (st != PMM_OK) {
        if (st == PMM_ERR_NOMEM)
            *fatal = st;
        kv_error(j, "relocations", st);
        return;
    }
    pmm_json_key(j, "relocations");
    pmm_json_begin_object(j);
    pmm_json_kv_uint(j, "block_count", rl.block_count);
    pmm_json_kv_uint(j, "entry_count", rl.entry_count);
    pmm_json_kv_bool(j, "truncated", rl.truncated != 0);
    pmm_json_key(j, "blocks");
    pmm_json_begin_array(j);
    for (size_t b = 0; b < rl.block_count; b++) {
        const pe_reloc_block *blk = &rl.blocks[b];
        pmm_json_begin_object(j);
        kv_rva(j, "page_rva", blk->page_rva);
        pmm_json_kv_uint(j, "block_size", blk->block_size);
        pmm_json_kv_uint(j, "count", blk->entry_count);
        if (o->relocation_entries) {
            pmm_json_key(j, "entries");
            pmm_json_begin_array(j);
            for (size_t e = 0; e < blk->entry_count; e++) {
                const pe_reloc_entry *r = &rl.entries[blk->first_entry + e];
                pmm_json_begin_object(j);
                kv_rva(j, "rva", r->rva);
                pmm_json_kv_string(j, "type", pe_reloc_type_name(r->type));
                pmm_json_end_object(j);
            }
            pmm_json_end_array(j);
        }
        pmm_json_end_object(j);
    }
    pmm_json_end_array(j);
    pmm_json_end_object(j);
    pe_relocs_free(&rl);
}

static void write_debug(pmm_json *j, pe_image *img, pmm_status *fatal)
{
    pe_debug dbg;
    pmm_status st = pe_read_debug(img, &dbg);
    if (st != PMM_OK) {
        if (st == PMM_ERR_NOMEM)
            *fatal = st;
        kv_error(j, "debug", st);
        return;
    }
    char guid[40];
    pmm_json_key(j, "debug");
    pmm_json_begin_array(j);
    for (size_t i = 0; i < dbg.count; i++) {
        const pe_debug_entry *e = &dbg.entries[i];
        pmm_json_begin_object(j);
        pmm_json_kv_uint(j, "type", e->type);
        pmm_json_kv_string(j, "type_name", pe_debug_type_name(e->type));
        pmm_json_kv_uint(j, "timestamp", e->timestamp);
        pmm_json_kv_uint(j, "size", e->data_size);
        kv_rva(j, "data_rva", e->data_rva);
        kv_rva(j, "data_file_offset", e->data_file_offset);
        if (e->cv_signature[0]) {
            pmm_json_kv_string(j, "codeview", e->cv_signature);
            if (e->cv_signature[0] == 'R')
                pmm_json_kv_string(j, "guid", pe_guid_text(e->guid, guid, sizeof guid));
            else
                pmm_json_kv_uint(j, "signature", e->pdb_signature);
            pmm_json_kv_uint(j, "age", e->age);
            pmm_json_kv_string(j, "pdb", e->pdb_path);
        }
        pmm_json_end_object(j);
    }
    pmm_json_end_array(j);
    pe_debug_free(&dbg);
}

static void write_exceptions(pmm_json *j, pe_image *img, const pmm_pe_output_options *o, pmm_status *fatal)
{
    pe_exceptions ex;
    pmm_status st = pe_read_exceptions(img, &ex);
    if (st != PMM_OK) {
        if (st == PMM_ERR_NOMEM)
            *fatal = st;
        kv_error(j, "exceptions", st == PMM_ERR_UNSUPPORTED ? PMM_ERR_NOT_FOUND : st);
        return;
    }
    pmm_json_key(j, "exceptions");
    pmm_json_begin_object(j);
    pmm_json_kv_uint(j, "count", ex.count);
    pmm_json_kv_bool(j, "truncated", ex.truncated != 0);
    if (o->runtime_functions) {
        pmm_json_key(j, "functions");
        pmm_json_begin_array(j);
        for (size_t i = 0; i < ex.count; i++) {
            pmm_json_begin_array(j);
            pmm_json_address(j, ex.items[i].begin_rva);
            pmm_json_address(j, ex.items[i].end_rva);
            pmm_json_address(j, ex.items[i].unwind_rva);
            pmm_json_end_array(j);
        }
        pmm_json_end_array(j);
    }
    pmm_json_end_object(j);
    pe_exceptions_free(&ex);
}

static void write_load_config(pmm_json *j, pe_image *img)
{
    pe_load_config lc;
    pmm_status st = pe_read_load_config(img, &lc);
    if (st != PMM_OK) {
        kv_error(j, "load_config", st);
        return;
    }
    char flags[512];
    pmm_json_key(j, "load_config");
    pmm_json_begin_object(j);
    pmm_json_kv_uint(j, "size", lc.size);
    pmm_json_kv_uint(j, "decoded_bytes", lc.present);
    pmm_json_kv_uint(j, "timestamp", lc.timestamp);
    pmm_json_kv_uint(j, "global_flags_clear", lc.global_flags_clear);
    pmm_json_kv_uint(j, "global_flags_set", lc.global_flags_set);
    pmm_json_kv_address(j, "lock_prefix_table", lc.lock_prefix_table);
    pmm_json_kv_address(j, "security_cookie", lc.security_cookie);
    pmm_json_kv_address(j, "se_handler_table", lc.se_handler_table);
    pmm_json_kv_uint(j, "se_handler_count", lc.se_handler_count);
    pmm_json_kv_address(j, "guard_cf_check_function", lc.guard_cf_check_function);
    pmm_json_kv_address(j, "guard_cf_dispatch_function", lc.guard_cf_dispatch_function);
    pmm_json_kv_address(j, "guard_cf_function_table", lc.guard_cf_function_table);
    pmm_json_kv_uint(j, "guard_cf_function_count", lc.guard_cf_function_count);
    pmm_json_kv_uint(j, "guard_flags", lc.guard_flags);
    pmm_json_kv_string(j, "guard_flags_text", pe_guard_flags_text(lc.guard_flags, flags, sizeof flags));
    pmm_json_end_object(j);
}

pmm_status pmm_pe_write_json(pe_image *img, const char *target, const pmm_pe_output_options *options,
                             pmm_out *out)
{
    static const pmm_pe_output_options defaults = {0, 0, 0, NULL};
    const pmm_pe_output_options *o = options ? options : &defaults;
    pmm_status fatal = PMM_OK;
    pmm_json json, *j = &json;
    pmm_json_init(j, out, !o->compact);
    pmm_json_begin_object(j);
    pmm_json_kv_string(j, "format", "pmm-pe");
    pmm_json_kv_uint(j, "version", PMM_PE_JSON_VERSION);
    pmm_json_kv_string(j, "target", target ? target : "");
    pmm_json_kv_string(j, "layout", img->layout == PE_LAYOUT_IMAGE ? "image" : "file");
    pmm_json_kv_address(j, "base", img->base);
    write_headers(j, img);
    write_sections(j, img);
    write_long_names(j, o->long_names);
    write_directories(j, img);
    write_exports(j, img, &fatal);
    write_imports(j, img, 0, &fatal);
    write_imports(j, img, 1, &fatal);
    write_bound_imports(j, img, &fatal);
    write_resources(j, img, &fatal);
    write_tls(j, img, &fatal);
    write_relocs(j, img, o, &fatal);
    write_debug(j, img, &fatal);
    write_exceptions(j, img, o, &fatal);
    write_load_config(j, img);
    pmm_json_end_object(j);
    pmm_out_puts(out, "\n");
    return fatal;
}
