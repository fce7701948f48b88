/* pmm symbols: addresses to names (module!function+offset, file:line, inlined calls) and names
 * to addresses, from the best symbols each module has; --module lists a module's functions. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_args.h"
#include "cli_target.h"
#include "commands.h"
#include "core/analyzers/scan.h"
#include "core/adapters/target_kind.h"
#include "core/formats/pe.h"
#include "core/source/file_source.h"
#include "core/symbols/symbols.h"
#include "core/util/json_writer.h"
#include "core/util/names.h"

#define PMM_SYMBOLS_JSON_VERSION 1

static const char *symbols_usage =
    "pmm symbols TARGET ADDRESS|NAME... [--json] [--symbols PATH] [--exports-only] [--debug-privilege]\n"
    "pmm symbols TARGET --module NAME [--json] [--symbols PATH]\n"
    "  TARGET is a process id, a minidump, or an image file (a DLL or EXE: addresses at its preferred base).\n"
    "  An ADDRESS (0x... or decimal) is named module!function+0x1a [file:line], with the inlined call it is\n"
    "  in; a NAME (function or module!function) is given its address(es). Names come from the best source\n"
    "  a module has: a matching PDB (beside the image, on --symbols PATH or _NT_SYMBOL_PATH: folders and\n"
    "  srv*CACHE*URL / cache*DIR stores, ';'-separated; a PDB missing from CACHE is fetched from URL),\n"
    "  DWARF, the COFF symbol table, then exports.\n"
    "  --exports-only uses exports alone. Each module that was read is listed with what was found, or why\n"
    "  its symbols were not. --module NAME lists every function and symbol of one module.";

typedef struct symbols_cli {
    pmm_symbols syms;
    pmm_source src;
    int have_src;
    pmm_json *json;
    pmm_out *out;
} symbols_cli;

/* ---- targets ------------------------------------------------------------------------------------ */

static int is_image_file(const char *spec)
{
    if (pmm_file_kind_of(spec) != PMM_FILE_UNKNOWN)
        return 0;
    pmm_source src;
    if (pmm_file_source_open(spec, &src) != PMM_OK)
        return 0;
    pe_image img;
    int ok = pe_open(&src, 0, PE_LAYOUT_FILE, &img) == PMM_OK;
    if (ok)
        pe_close(&img);
    pmm_source_close(&src);
    return ok;
}

/* A process or a dump: its modules as the scan finds them (the OS's list and the loader's, as
 * pmm map shows them); frames are named from exports there, since only the queries need more. */
static int register_modules(symbols_cli *c, const char *spec)
{
    pmm_scan_options options = {0};
    options.flags = PMM_SCAN_EXPORT_NAMES;
    pmm_map *map;
    pmm_status st = pmm_scan_source(&c->src, &options, &map);
    if (st != PMM_OK) {
        cli_error("%s: the scan failed: %s", spec, st == PMM_ERR_GONE ? "the process exited" : pmm_status_text(st));
        return PMM_EXIT_FAILURE;
    }
    st = pmm_symbols_add_map(&c->syms, &c->src, map);
    pmm_map_free(map);
    if (st != PMM_OK) {
        cli_error("%s: %s", spec, pmm_status_text(st));
        return PMM_EXIT_FAILURE;
    }
    return PMM_EXIT_OK;
}

/* An image file alone: one module at the base its header asks for. */
static int register_file(symbols_cli *c, const char *spec)
{
    pmm_source src;
    pe_image img;
    if (pmm_file_source_open(spec, &src) != PMM_OK || pe_open(&src, 0, PE_LAYOUT_FILE, &img) != PMM_OK) {
        cli_error("%s: cannot be read as a PE image", spec);
        return PMM_EXIT_FAILURE;
    }
    uint64_t base = img.image_base, size = img.size_of_image;
    pe_close(&img);
    pmm_source_close(&src);
    pmm_status st = pmm_symbols_add_image(&c->syms, NULL, base, size, pmm_path_base_name(spec), spec);
    if (st != PMM_OK) {
        cli_error("%s: %s", spec, pmm_status_text(st));
        return PMM_EXIT_FAILURE;
    }
    return PMM_EXIT_OK;
}

static int open_target(symbols_cli *c, const char *spec, const cli_target_options *options)
{
    if (is_image_file(spec))
        return register_file(c, spec);
    char message[512];
    pmm_status st = cli_open_target(spec, options, &c->src, message, sizeof message);
    if (st != PMM_OK) {
        cli_error("%s", message[0] ? message : pmm_status_text(st));
        return cli_target_exit_code(st);
    }
    c->have_src = 1;
    return register_modules(c, spec);
}

/* ---- one address -------------------------------------------------------------------------------- */

static void json_match(symbols_cli *c, uint64_t address)
{
    pmm_symbol_match m;
    char text[1024];
    pmm_json *j = c->json;
    pmm_json_begin_object(j);
    pmm_json_kv_address(j, "address", address);
    if (pmm_symbols_lookup(&c->syms, address, &m)) {
        pmm_symbols_describe_line(&c->syms, address, 0, text, sizeof text);
        pmm_json_kv_string(j, "module", pmm_symbols_text(&c->syms, m.module->name));
        pmm_json_kv_address(j, "module_base", m.module->base);
        pmm_json_key(j, "function");
        if (m.symbol)
            pmm_json_string(j, pmm_symbols_text(&c->syms, m.symbol->name));
        else
            pmm_json_null(j);
        if (m.symbol)
            pmm_json_kv_address(j, "function_address", m.symbol->address);
        pmm_json_kv_uint(j, "offset", m.offset);
        pmm_json_kv_string(j, "origin", pmm_symbol_origin_name(m.origin));
        if (m.file) {
            pmm_json_kv_string(j, "file", pmm_symbols_text(&c->syms, m.file));
            pmm_json_kv_uint(j, "line", m.line);
        }
        if (m.inlined) {
            pmm_json_kv_string(j, "inlined", pmm_symbols_text(&c->syms, m.inlined));
            if (m.call_file) {
                pmm_json_kv_string(j, "call_file", pmm_symbols_text(&c->syms, m.call_file));
                pmm_json_kv_uint(j, "call_line", m.call_line);
            }
        }
        pmm_json_kv_string(j, "text", text);
    }
    pmm_json_end_object(j);
}

static void text_match(symbols_cli *c, const char *query, uint64_t address)
{
    pmm_symbol_match m;
    char text[1024];
    if (query)
        pmm_out_printf(c->out, "%s = ", query);
    pmm_out_printf(c->out, "0x%" PRIx64 "  ", address);
    if (!pmm_symbols_lookup(&c->syms, address, &m)) {
        pmm_out_puts(c->out, "(in no module)\n");
        return;
    }
    pmm_symbols_describe_line(&c->syms, address, 0, text, sizeof text);
    pmm_out_printf(c->out, "%s  (%s)\n", text, m.symbol ? pmm_symbol_origin_name(m.origin) : "no symbol");
}

/* ---- queries ------------------------------------------------------------------------------------ */

typedef struct name_matches {
    uint64_t *addresses;
    size_t count, cap;
} name_matches;

static void collect(void *ctx, const pmm_symbol *symbol)
{
    name_matches *n = ctx;
    if (n->count == n->cap) {
        size_t cap = n->cap ? n->cap * 2 : 8;
        uint64_t *grown = realloc(n->addresses, cap * sizeof *grown);
        if (!grown)
            return;
        n->addresses = grown;
        n->cap = cap;
    }
    n->addresses[n->count++] = symbol->address;
}

/* Returns 1 when the query named something. */
static int answer(symbols_cli *c, const char *query)
{
    unsigned long long address;
    name_matches n = {NULL, 0, 0};
    int is_address = cli_parse_u64(query, &address) == 0;
    if (is_address) {
        pmm_symbol_match m;
        if (pmm_symbols_lookup(&c->syms, address, &m))
            collect(&n, &(pmm_symbol){.address = address});
    } else {
        /* The table's text is only valid until the next lookup: addresses first, then names. */
        pmm_symbols_find(&c->syms, query, collect, &n);
    }
    if (c->json) {
        pmm_json_begin_object(c->json);
        pmm_json_kv_string(c->json, "query", query);
        pmm_json_key(c->json, "matches");
        pmm_json_begin_array(c->json);
        for (size_t i = 0; i < n.count; i++)
            json_match(c, n.addresses[i]);
        pmm_json_end_array(c->json);
        pmm_json_end_object(c->json);
    } else {
        for (size_t i = 0; i < n.count; i++)
            text_match(c, is_address ? NULL : query, n.addresses[i]);
    }
    size_t found = n.count;
    free(n.addresses);
    if (!found)
        cli_error("%s: %s", query, is_address ? "in no module of the target" : "no module has a symbol of that name");
    return found != 0;
}

/* ---- what each module had ---------------------------------------------------------------------- */

static void sources_text(uint32_t origins, char *buf, size_t cap)
{
    buf[0] = '\0';
    for (uint32_t o = DBG_ORIGIN_PDB; o <= DBG_ORIGIN_EXPORT; o++)
        if (origins & (1u << o))
            snprintf(buf + strlen(buf), cap - strlen(buf), "%s%s", buf[0] ? ", " : "", pmm_symbol_origin_name(o));
}

static void report_modules(symbols_cli *c)
{
    const pmm_symbols *s = &c->syms;
    if (c->json) {
        pmm_json_key(c->json, "modules");
        pmm_json_begin_array(c->json);
    } else {
        pmm_out_puts(c->out, "Symbols of the modules read:\n");
    }
    for (size_t i = 0; i < s->module_count; i++) {
        const pmm_symbol_module *m = &s->modules[i];
        if (m->debug_state == PMM_DEBUG_NOT_READ)
            continue;
        char sources[64];
        sources_text(m->origins, sources, sizeof sources);
        int found = (m->origins & ~(1u << DBG_ORIGIN_EXPORT)) != 0;
        const char *note = m->note ? pmm_symbols_text(s, m->note) : "";
        if (c->json) {
            pmm_json *j = c->json;
            pmm_json_begin_object(j);
            pmm_json_kv_string(j, "name", pmm_symbols_text(s, m->name));
            pmm_json_kv_address(j, "base", m->base);
            pmm_json_kv_uint(j, "size", m->size);
            pmm_json_kv_string(j, "path", pmm_symbols_text(s, m->path));
            pmm_json_kv_string(j, "sources", sources);
            pmm_json_kv_bool(j, "symbols_found", found);
            pmm_json_kv_string(j, "pdb", m->debug ? m->debug->pdb_path : "");
            pmm_json_kv_string(j, "note", note);
            pmm_json_end_object(j);
        } else {
            pmm_out_printf(c->out, "  %s at 0x%" PRIx64 ": %s%s. %s\n", pmm_symbols_text(s, m->name), m->base,
                           found ? "" : "symbols not found, names from ", sources[0] ? sources : "nothing", note);
        }
    }
    if (c->json)
        pmm_json_end_array(c->json);
}

/* ---- --module ------------------------------------------------------------------------------------ */

static const char *kind_name(uint8_t kind)
{
    return kind == DBG_SCOPE_FUNCTION ? "function" : "symbol";
}

/* Several sources often name one function: only the best of those at its address is listed. */
static int best_of_its_name(const pmm_symtab *t, size_t index)
{
    const pmm_symtab_scope *s = &t->scopes[index];
    for (size_t k = index; k > 0 && t->scopes[k - 1].rva == s->rva; k--)
        if (t->scopes[k - 1].name == s->name && t->scopes[k - 1].kind != DBG_SCOPE_INLINED &&
            t->scopes[k - 1].origin <= s->origin)
            return 0;
    for (size_t k = index + 1; k < t->scope_count && t->scopes[k].rva == s->rva; k++)
        if (t->scopes[k].name == s->name && t->scopes[k].kind != DBG_SCOPE_INLINED && t->scopes[k].origin < s->origin)
            return 0;
    return 1;
}

static int list_module(symbols_cli *c, const char *name)
{
    size_t index = SIZE_MAX;
    for (size_t i = 0; i < c->syms.module_count && index == SIZE_MAX; i++) {
        const char *m = pmm_symbols_text(&c->syms, c->syms.modules[i].name);
        size_t len = strlen(name);
        if (pmm_names_equal(m, name) || (strlen(m) > len && m[len] == '.' && pmm_names_equal_n(m, name, len)))
            index = i;
    }
    if (index == SIZE_MAX) {
        cli_error("the target has no module named '%s'", name);
        return 0;
    }
    const pmm_symbol_module *m = &c->syms.modules[index];
    const pmm_image_symbols *d = pmm_symbols_module_table(&c->syms, index);
    if (c->json) {
        pmm_json_key(c->json, "symbols");
        pmm_json_begin_array(c->json);
    }
    size_t listed = 0;
    for (size_t i = 0; d && i < d->table.scope_count; i++) {
        const pmm_symtab_scope *s = &d->table.scopes[i];
        if (s->kind == DBG_SCOPE_INLINED || !s->name || !best_of_its_name(&d->table, i))
            continue;
        const char *text = pmm_symtab_text(&d->table, s->name);
        uint64_t address = m->base + s->rva;
        if (c->json) {
            pmm_json_begin_object(c->json);
            pmm_json_kv_address(c->json, "address", address);
            pmm_json_kv_uint(c->json, "size", s->end - s->rva);
            pmm_json_kv_string(c->json, "name", text);
            pmm_json_kv_string(c->json, "kind", kind_name(s->kind));
            pmm_json_kv_string(c->json, "origin", pmm_symbol_origin_name(s->origin));
            pmm_json_end_object(c->json);
        } else {
            pmm_out_printf(c->out, "0x%016" PRIx64 " %8u %-8s %-7s %s\n", address, s->end - s->rva, kind_name(s->kind),
                           pmm_symbol_origin_name(s->origin), text);
        }
        listed++;
    }
    if (c->json)
        pmm_json_end_array(c->json);
    else
        pmm_out_printf(c->out, "%zu symbols in %s\n", listed, pmm_symbols_text(&c->syms, m->name));
    return 1;
}

/* ---- command -------------------------------------------------------------------------------------- */

int cmd_symbols(int argc, char **argv)
{
    int json = 0, debug_privilege = 0, exports_only = 0, npos;
    const char *pos[64], *module = NULL, *symbol_path = NULL;
    cli_option options[] = {{"--json", NULL, &json}, {"--module", &module, NULL}, {"--symbols", &symbol_path, NULL},
                            {"--exports-only", NULL, &exports_only}, {"--debug-privilege", NULL, &debug_privilege}};
    int rc = cli_parse(argc, argv, options, 5, pos, 1, 64, &npos, symbols_usage);
    if (rc != CLI_PARSED)
        return rc;
    if ((npos == 1) == !module) {
        cli_error("give addresses or names, or --module NAME (pmm symbols --help)");
        return PMM_EXIT_USAGE;
    }
    symbols_cli c;
    memset(&c, 0, sizeof c);
    pmm_symbols_init(&c.syms);
    c.syms.exports_only = exports_only;
    cli_target_options target_options = {debug_privilege, cli_symbol_path(symbol_path)};
    if (pmm_symbols_set_path(&c.syms, target_options.symbol_path) != PMM_OK ||
        (rc = open_target(&c, pos[0], &target_options)) != PMM_EXIT_OK) {
        pmm_symbols_free(&c.syms);
        if (c.have_src)
            pmm_source_close(&c.src);
        return rc ? rc : PMM_EXIT_FAILURE;
    }
    pmm_symbols_finish(&c.syms);
    pmm_out out = pmm_out_file(stdout);
    pmm_json jw;
    c.out = &out;
    c.json = json ? &jw : NULL;
    if (c.json) {
        pmm_json_init(c.json, &out, 1);
        pmm_json_begin_object(c.json);
        pmm_json_kv_string(c.json, "format", module ? "pmm-symbols-module" : "pmm-symbols");
        pmm_json_kv_uint(c.json, "version", PMM_SYMBOLS_JSON_VERSION);
        pmm_json_kv_string(c.json, "target", pos[0]);
    }
    int all_found = 1;
    if (module) {
        all_found = list_module(&c, module);
    } else {
        if (c.json) {
            pmm_json_key(c.json, "results");
            pmm_json_begin_array(c.json);
        }
        for (int i = 1; i < npos; i++)
            all_found &= answer(&c, pos[i]);
        if (c.json)
            pmm_json_end_array(c.json);
    }
    report_modules(&c);
    if (c.json) {
        pmm_json_end_object(c.json);
        pmm_out_puts(&out, "\n");
    }
    pmm_symbols_free(&c.syms);
    if (c.have_src)
        pmm_source_close(&c.src);
    return all_found ? PMM_EXIT_OK : PMM_EXIT_FAILURE;
}
