/* pmm exports: every module's exports with absolute addresses, read from the target's memory;
 * --find resolves a name to addresses or an address to "module!export+0x1a". */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "cli_args.h"
#include "cli_map.h"
#include "cli_target.h"
#include "commands.h"
#include "core/analyzers/scan.h"
#include "core/formats/pe.h"
#include "core/symbols/symbols.h"
#include "core/util/json_writer.h"

#define PMM_EXPORTS_JSON_VERSION 1

static const char *exports_usage =
    "pmm exports TARGET [--json] [--find NAME|ADDRESS] [--debug-privilege]\n"
    "  TARGET is a process id, a minidump or a kernel dump (its drivers). Lists each module's exports\n"
    "  (ordinal, name, absolute address, forwarder). --find ADDRESS (0x... or decimal) names the export it lies in, as\n"
    "  module!export+0x1a; --find NAME (or module!NAME) gives the address of each export so named.";

/* ---- listing ---------------------------------------------------------------------------------- */

static void json_export(pmm_json *j, const pe_export *e, uint64_t base)
{
    pmm_json_begin_object(j);
    pmm_json_kv_uint(j, "ordinal", e->ordinal);
    if (e->name)
        pmm_json_kv_string(j, "name", e->name);
    pmm_json_kv_address(j, "rva", e->rva);
    if (e->forwarder)
        pmm_json_kv_string(j, "forwarder", e->forwarder);
    else
        pmm_json_kv_address(j, "address", base + e->rva);
    pmm_json_kv_bool(j, "data", e->is_data);
    pmm_json_end_object(j);
}

static void text_export(pmm_out *out, const pe_export *e, uint64_t base, uint32_t pointer_size)
{
    if (e->forwarder)
        pmm_out_printf(out, "  %*s", pointer_size == 8 ? 18 : 10, "");
    else
        pmm_out_printf(out, "  0x%0*" PRIx64, pointer_size == 8 ? 16 : 8, base + e->rva);
    pmm_out_printf(out, " %6u ", e->ordinal);
    pmm_out_puts(out, e->name ? e->name : "[by ordinal]");
    if (e->forwarder) {
        pmm_out_puts(out, " -> ");
        pmm_out_puts(out, e->forwarder);
    }
    pmm_out_puts(out, e->is_data ? " (data)\n" : "\n");
}

/* One module: its header in either format, then its exports or why there are none. */
static pmm_status list_module(pmm_source *src, const pmm_map *map, const pmm_module *m, pmm_json *j, pmm_out *out)
{
    pe_exports ex;
    pmm_status st = pe_read_exports_at(src, m->base, &ex);
    if (st == PMM_ERR_NOMEM)
        return st;
    uint32_t ps = m->pointer_size ? m->pointer_size : 8;
    if (j) {
        pmm_json_begin_object(j);
        pmm_json_kv_string(j, "name", pmm_map_text(map, m->name));
        pmm_json_kv_string(j, "path", pmm_map_text(map, m->path));
        pmm_json_kv_address(j, "base", m->base);
        pmm_json_kv_uint(j, "size", m->size);
        if (st == PMM_OK) {
            pmm_json_kv_string(j, "dll_name", ex.dll_name);
            pmm_json_kv_bool(j, "truncated", ex.truncated != 0);
        } else if (st != PMM_ERR_NOT_FOUND) {
            pmm_json_kv_string(j, "error", pmm_status_text(st));
        }
        pmm_json_key(j, "exports");
        pmm_json_begin_array(j);
        for (size_t i = 0; st == PMM_OK && i < ex.count; i++)
            json_export(j, &ex.items[i], m->base);
        pmm_json_end_array(j);
        pmm_json_end_object(j);
    } else {
        pmm_out_printf(out, "%s at 0x%" PRIx64 ": ", pmm_map_text(map, m->name), m->base);
        if (st == PMM_OK)
            pmm_out_printf(out, "%zu exports%s\n", ex.count, ex.truncated ? " (truncated)" : "");
        else
            pmm_out_printf(out, "%s\n", st == PMM_ERR_NOT_FOUND ? "no exports" : pmm_status_text(st));
        for (size_t i = 0; st == PMM_OK && i < ex.count; i++)
            text_export(out, &ex.items[i], m->base, ps);
    }
    if (st == PMM_OK)
        pe_exports_free(&ex);
    return PMM_OK;
}

static pmm_status list_exports(pmm_source *src, const pmm_map *map, const char *target, int json, pmm_out *out)
{
    pmm_json jw, *j = json ? &jw : NULL;
    if (j) {
        pmm_json_init(j, out, 1);
        pmm_json_begin_object(j);
        pmm_json_kv_string(j, "format", "pmm-exports");
        pmm_json_kv_uint(j, "version", PMM_EXPORTS_JSON_VERSION);
        pmm_json_kv_string(j, "target", target);
        pmm_json_key(j, "modules");
        pmm_json_begin_array(j);
    }
    pmm_status st = PMM_OK;
    for (size_t i = 0; i < map->module_count && st == PMM_OK; i++)
        st = list_module(src, map, &map->modules[i], j, out);
    if (j) {
        pmm_json_end_array(j);
        pmm_json_end_object(j);
        pmm_out_puts(out, "\n");
    }
    return st;
}

/* ---- --find ----------------------------------------------------------------------------------- */

typedef struct find_output {
    const pmm_symbols *syms;
    pmm_json *json;
    pmm_out *out;
} find_output;

static void emit_match(find_output *f, uint64_t address)
{
    pmm_symbol_match match;
    char text[1024];
    int found = pmm_symbols_lookup_export(f->syms, address, &match);
    pmm_symbols_describe(f->syms, address, text, sizeof text);   /* exports only: see cmd_exports */
    if (f->json) {
        pmm_json *j = f->json;
        pmm_json_begin_object(j);
        pmm_json_kv_address(j, "address", address);
        if (found) {
            pmm_json_kv_string(j, "module", pmm_symbols_text(f->syms, match.module->name));
            pmm_json_kv_address(j, "module_base", match.module->base);
            if (match.symbol) {
                pmm_json_kv_string(j, "symbol", pmm_symbols_text(f->syms, match.symbol->name));
                pmm_json_kv_uint(j, "ordinal", match.symbol->ordinal);
            }
            pmm_json_kv_uint(j, "offset", match.offset);
            pmm_json_kv_string(j, "text", text);
        }
        pmm_json_end_object(j);
    } else {
        pmm_out_printf(f->out, "0x%" PRIx64 " ", address);
        pmm_out_puts(f->out, found ? text : "(in no module)");
        pmm_out_puts(f->out, "\n");
    }
}

static void emit_symbol(void *ctx, const pmm_symbol *symbol)
{
    emit_match(ctx, symbol->address);
}

/* Returns the number of matches. */
static size_t find(const pmm_symbols *syms, const char *query, const char *target, int json, pmm_out *out)
{
    pmm_json jw;
    find_output f = {syms, json ? &jw : NULL, out};
    if (f.json) {
        pmm_json_init(f.json, out, 1);
        pmm_json_begin_object(f.json);
        pmm_json_kv_string(f.json, "format", "pmm-exports-find");
        pmm_json_kv_uint(f.json, "version", PMM_EXPORTS_JSON_VERSION);
        pmm_json_kv_string(f.json, "target", target);
        pmm_json_kv_string(f.json, "query", query);
        pmm_json_key(f.json, "matches");
        pmm_json_begin_array(f.json);
    }
    unsigned long long address;
    size_t found;
    if (cli_parse_u64(query, &address) == 0) {
        pmm_symbol_match match;
        found = (size_t)pmm_symbols_lookup_export(syms, address, &match);
        if (found)
            emit_match(&f, address);
    } else {
        found = pmm_symbols_find_name(syms, query, emit_symbol, &f);
    }
    if (f.json) {
        pmm_json_end_array(f.json);
        pmm_json_end_object(f.json);
        pmm_out_puts(out, "\n");
    }
    return found;
}

/* ---- command ---------------------------------------------------------------------------------- */

int cmd_exports(int argc, char **argv)
{
    int json = 0, debug_privilege = 0, npos;
    const char *pos[1], *query = NULL;
    cli_option options[] = {{"--json", NULL, &json}, {"--find", &query, NULL}, {"--debug-privilege", NULL, &debug_privilege}};
    int rc = cli_parse(argc, argv, options, 3, pos, 1, 1, &npos, exports_usage);
    if (rc != CLI_PARSED)
        return rc;

    cli_target_options target_options = {debug_privilege, cli_symbol_path(NULL)};
    pmm_source src;
    pmm_map *map;
    if ((rc = cli_scan_target_reading(pos[0], &target_options, "kernel", &src, &map)) != PMM_EXIT_OK)
        return rc;
    pmm_status st;
    pmm_out out = pmm_out_file(stdout);
    rc = PMM_EXIT_OK;
    if (query) {
        pmm_symbols syms;
        pmm_symbols_init(&syms);
        syms.exports_only = 1;   /* pmm exports names exports; pmm symbols uses every source */
        st = pmm_symbols_add_map(&syms, &src, map);
        pmm_symbols_finish(&syms);
        if (st != PMM_OK) {
            cli_error("%s: reading exports failed: %s", pos[0], pmm_status_text(st));
            rc = PMM_EXIT_FAILURE;
        } else if (find(&syms, query, pos[0], json, &out) == 0) {
            cli_error("%s: nothing matches '%s'", pos[0], query);
            rc = PMM_EXIT_FAILURE;
        }
        pmm_symbols_free(&syms);
    } else if ((st = list_exports(&src, map, pos[0], json, &out)) != PMM_OK) {
        cli_error("%s: reading exports failed: %s", pos[0], pmm_status_text(st));
        rc = PMM_EXIT_FAILURE;
    }
    pmm_map_free(map);
    pmm_source_close(&src);
    return rc;
}
