/* pmm search: finds text, bytes or numbers in a process's or a minidump's memory and says where
 * each hit is (region, module and section, stack, heap, export). Also the --kind/--range/filter
 * options that pmm strings shares. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_args.h"
#include "cli_map.h"
#include "cli_target.h"
#include "commands.h"
#include "core/tools/search.h"
#include "core/util/clock.h"
#include "core/util/json_writer.h"

#define PMM_SEARCH_JSON_VERSION 1
#define DEFAULT_MAX_HITS 10000
#define MIN_CHUNK 4096ull
#define MAX_CHUNK (64ull << 20)

static const char *search_usage =
    "pmm search TARGET (--ansi TEXT [--ignore-case] | --utf16 TEXT [--ignore-case] | --hex \"4D 5A ?? 00\" |\n"
    "                   --int N --width 8|16|32|64 [--signed] | --float X | --double X)\n"
    "                  [--align A] [--range START-END] [--kind image|private|mapped[,...]] [--executable]\n"
    "                  [--writable] [--max N] [--from ADDRESS] [--chunk-size BYTES] [--json] [--debug-privilege]\n"
    "                  [--symbols PATH]\n"
    "  TARGET is a process id or a minidump. Prints every address where the pattern is, with its region,\n"
    "  what lives there and the symbol it lies in (see pmm symbols). Hex takes ?? for any byte and 4?\n"
    "  for a nibble; numbers are decimal or 0x...; integers and floats are little-endian, --align keeps\n"
    "  only aligned hits.\n"
    "  --range is END-exclusive; --executable and --writable keep only such memory. --max (default 10000,\n"
    "  0 for no cap) stops early and prints the address to continue from with --from.";

/* ---- options shared with pmm strings ---------------------------------------------------------- */

static int parse_kinds(const char *text, uint32_t *types)
{
    static const struct { const char *name; uint32_t bit; } kinds[] = {
        {"image", PMM_SEARCH_TYPE_IMAGE}, {"private", PMM_SEARCH_TYPE_PRIVATE}, {"mapped", PMM_SEARCH_TYPE_MAPPED}};
    *types = 0;
    while (*text) {
        size_t len = strcspn(text, ",");
        uint32_t bit = 0;
        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
            if (strlen(kinds[i].name) == len && strncmp(text, kinds[i].name, len) == 0)
                bit = kinds[i].bit;
        if (!bit)
            return -1;
        *types |= bit;
        text += len + (text[len] == ',');
    }
    return *types ? 0 : -1;
}

static int parse_range(const char *text, uint64_t *start, uint64_t *end)
{
    char first[64];
    const char *dash = strchr(text, '-');
    unsigned long long a, b;
    if (!dash || (size_t)(dash - text) >= sizeof first)
        return -1;
    memcpy(first, text, (size_t)(dash - text));
    first[dash - text] = '\0';
    if (cli_parse_u64(first, &a) != 0 || cli_parse_u64(dash + 1, &b) != 0 || b <= a)
        return -1;
    *start = a;
    *end = b;
    return 0;
}

int cli_parse_scope(const cli_scope_args *args, pmm_search_scope *scope, const char *usage)
{
    memset(scope, 0, sizeof *scope);
    if (args->range && parse_range(args->range, &scope->start, &scope->end) != 0) {
        cli_error("--range wants START-END with START below END (0x... or decimal), not '%s'\nusage: %s", args->range,
                  usage);
        return PMM_EXIT_USAGE;
    }
    if (args->kind && parse_kinds(args->kind, &scope->types) != 0) {
        cli_error("--kind wants image, private or mapped (or a comma list), not '%s'\nusage: %s", args->kind, usage);
        return PMM_EXIT_USAGE;
    }
    scope->executable_only = args->executable;
    scope->writable_only = args->writable;
    return CLI_PARSED;
}

/* ---- the pattern ------------------------------------------------------------------------------ */

typedef struct search_args {
    const char *ansi, *utf16, *hex, *integer, *real32, *real64, *width, *align;
    int ignore_case, is_signed;
} search_args;

static int parse_u32_option(const char *name, const char *text, unsigned *out, const char *usage)
{
    unsigned long long v;
    if (cli_parse_u64(text, &v) != 0 || v > 0xffffffffull) {
        cli_error("%s wants a number, not '%s'\nusage: %s", name, text, usage);
        return PMM_EXIT_USAGE;
    }
    *out = (unsigned)v;
    return CLI_PARSED;
}

/* Exactly one pattern option; its text and the modifiers that go with it. */
static int build_spec(const search_args *a, pmm_search_spec *spec)
{
    struct { const char *text; pmm_search_kind kind; } given[] = {
        {a->ansi, PMM_SEARCH_ANSI}, {a->utf16, PMM_SEARCH_UTF16}, {a->hex, PMM_SEARCH_HEX},
        {a->integer, PMM_SEARCH_INT}, {a->real32, PMM_SEARCH_FLOAT}, {a->real64, PMM_SEARCH_DOUBLE}};
    int count = 0;
    memset(spec, 0, sizeof *spec);
    for (size_t i = 0; i < sizeof given / sizeof given[0]; i++)
        if (given[i].text) {
            spec->kind = given[i].kind;
            spec->text = given[i].text;
            count++;
        }
    if (count != 1) {
        cli_error("give exactly one of --ansi, --utf16, --hex, --int, --float, --double\nusage: %s", search_usage);
        return PMM_EXIT_USAGE;
    }
    if (a->ignore_case && spec->kind != PMM_SEARCH_ANSI && spec->kind != PMM_SEARCH_UTF16) {
        cli_error("--ignore-case goes with --ansi or --utf16\nusage: %s", search_usage);
        return PMM_EXIT_USAGE;
    }
    if ((a->width || a->is_signed) && spec->kind != PMM_SEARCH_INT) {
        cli_error("--width and --signed go with --int\nusage: %s", search_usage);
        return PMM_EXIT_USAGE;
    }
    if (spec->kind == PMM_SEARCH_INT && !a->width) {
        cli_error("--int needs --width 8, 16, 32 or 64\nusage: %s", search_usage);
        return PMM_EXIT_USAGE;
    }
    spec->ignore_case = a->ignore_case;
    spec->is_signed = a->is_signed;
    int rc = CLI_PARSED;
    if (a->width)
        rc = parse_u32_option("--width", a->width, &spec->width, search_usage);
    if (rc == CLI_PARSED && a->align)
        rc = parse_u32_option("--align", a->align, &spec->alignment, search_usage);
    if (rc == CLI_PARSED && a->align && spec->alignment == 0) {
        cli_error("--align wants a power of two from 1 to 4096, not 0\nusage: %s", search_usage);
        rc = PMM_EXIT_USAGE;
    }
    return rc;
}

/* ---- output ----------------------------------------------------------------------------------- */

typedef struct search_output {
    pmm_source *src;
    const pmm_map *map;
    pmm_symbols syms;
    int syms_loaded;
    pmm_json *json;
    pmm_out *out;
    pmm_status syms_status;
} search_output;

/* Exports are read only once a hit lands in an image: most searches never need them. */
static const pmm_symbols *symbols_for(search_output *o, const pmm_region *region)
{
    if (!region || region->type != PMM_MEM_IMAGE)
        return NULL;
    if (!o->syms_loaded) {
        o->syms_loaded = 1;
        o->syms_status = pmm_symbols_add_map(&o->syms, o->src, o->map);
        pmm_symbols_finish(&o->syms);
    }
    return &o->syms;
}

static int print_hit(void *ctx, const pmm_search_hit *hit)
{
    search_output *o = ctx;
    const pmm_region *region = hit->region < o->map->region_count ? &o->map->regions[hit->region] : NULL;
    pmm_address_context where;
    pmm_describe_address(o->map, symbols_for(o, region), hit->address, &where);
    if (o->json) {
        pmm_json *j = o->json;
        pmm_json_begin_object(j);
        pmm_json_kv_address(j, "address", hit->address);
        pmm_json_kv_address(j, "region", region ? region->base : 0);
        pmm_json_kv_string(j, "region_kind", where.kind);
        pmm_json_kv_string(j, "annotation", where.annotation);
        if (where.symbol[0])
            pmm_json_kv_string(j, "symbol", where.symbol);
        pmm_json_end_object(j);
    } else {
        pmm_out_printf(o->out, "0x%016" PRIx64 "  %-12s %s", hit->address, where.kind, where.annotation);
        if (where.symbol[0])
            pmm_out_printf(o->out, "  %s", where.symbol);
        pmm_out_puts(o->out, "\n");
    }
    return o->out->failed;   /* a closed pipe: stop searching */
}

static void json_header(pmm_json *j, const char *target, const pmm_search_spec *spec, const pmm_search_pattern *p,
                        const pmm_search_options *options)
{
    pmm_json_begin_object(j);
    pmm_json_kv_string(j, "format", "pmm-search");
    pmm_json_kv_uint(j, "version", PMM_SEARCH_JSON_VERSION);
    pmm_json_kv_string(j, "target", target);
    pmm_json_key(j, "pattern");
    pmm_json_begin_object(j);
    pmm_json_kv_string(j, "kind", pmm_search_kind_name(spec->kind));
    pmm_json_kv_string(j, "text", spec->text);
    pmm_json_kv_uint(j, "length", p->length);
    pmm_json_kv_bool(j, "ignore_case", spec->ignore_case);
    if (spec->kind == PMM_SEARCH_INT) {
        pmm_json_kv_uint(j, "width", spec->width);
        pmm_json_kv_bool(j, "signed", spec->is_signed);
    }
    pmm_json_kv_uint(j, "alignment", p->alignment);
    pmm_json_end_object(j);
    pmm_json_kv_address(j, "from", options->scope.start);
    if (options->scope.end)
        pmm_json_kv_address(j, "to", options->scope.end);
    pmm_json_kv_uint(j, "max", options->max_hits);
    pmm_json_key(j, "hits");
    pmm_json_begin_array(j);
}

static void write_summary(pmm_json *j, pmm_out *out, const pmm_search_summary *s, uint64_t microseconds)
{
    if (j) {
        pmm_json_end_array(j);
        pmm_json_key(j, "summary");
        pmm_json_begin_object(j);
        pmm_json_kv_uint(j, "hits", s->hits);
        pmm_json_kv_bool(j, "truncated", s->truncated);
        if (s->truncated)
            pmm_json_kv_address(j, "resume_address", s->resume_address);
        pmm_json_kv_uint(j, "regions_searched", s->regions_searched);
        pmm_json_kv_uint(j, "bytes_searched", s->bytes_searched);
        pmm_json_kv_uint(j, "unreadable_bytes", s->unreadable_bytes);
        pmm_json_kv_uint(j, "unreadable_pages", s->unreadable_pages);
        pmm_json_kv_uint(j, "microseconds", microseconds);
        pmm_json_end_object(j);
        pmm_json_end_object(j);
        pmm_out_puts(out, "\n");
        return;
    }
    pmm_out_printf(out, "%" PRIu64 " hits in %" PRIu64 " regions, %" PRIu64 " bytes searched in %" PRIu64 " ms",
                   s->hits, s->regions_searched, s->bytes_searched, microseconds / 1000);
    if (s->unreadable_pages)
        pmm_out_printf(out, "; %" PRIu64 " bytes in %" PRIu64 " places could not be read", s->unreadable_bytes,
                       s->unreadable_pages);
    pmm_out_puts(out, "\n");
    if (s->truncated)
        pmm_out_printf(out, "more hits follow: continue with --from 0x%" PRIx64 "\n", s->resume_address);
}

/* ---- command ---------------------------------------------------------------------------------- */

static int run_search(const char *target, pmm_source *src, const pmm_map *map, const pmm_search_spec *spec,
                      const pmm_search_pattern *pattern, const pmm_search_options *options, const char *symbol_path,
                      int json)
{
    pmm_out out = pmm_out_file(stdout);
    pmm_json jw;
    search_output o = {src, map, {0}, 0, json ? &jw : NULL, &out, PMM_OK};
    pmm_symbols_init(&o.syms);
    o.syms_status = pmm_symbols_set_path(&o.syms, symbol_path);
    if (o.json) {
        pmm_json_init(o.json, &out, 1);
        json_header(o.json, target, spec, pattern, options);
    }
    pmm_search_summary summary;
    uint64_t started = pmm_clock_microseconds();
    pmm_status st = pmm_search_run(src, map, pattern, options, print_hit, &o, &summary);
    write_summary(o.json, &out, &summary, pmm_clock_microseconds() - started);
    pmm_symbols_free(&o.syms);
    int rc = PMM_EXIT_OK;
    if (st != PMM_OK) {
        cli_error("%s: the search did not finish: %s", target,
                  st == PMM_ERR_GONE ? "the process exited during the search" : pmm_status_text(st));
        rc = PMM_EXIT_FAILURE;
    }
    return rc;   /* main() checks that all of the output reached stdout */
}

int cmd_search(int argc, char **argv)
{
    search_args a;
    cli_scope_args scope_args;
    memset(&a, 0, sizeof a);
    memset(&scope_args, 0, sizeof scope_args);
    int json = 0, debug_privilege = 0, npos;
    const char *pos[1], *max_text = NULL, *from_text = NULL, *chunk_text = NULL, *symbol_path = NULL;
    cli_option options[] = {
        {"--ansi", &a.ansi, NULL}, {"--utf16", &a.utf16, NULL}, {"--hex", &a.hex, NULL},
        {"--int", &a.integer, NULL}, {"--float", &a.real32, NULL}, {"--double", &a.real64, NULL},
        {"--width", &a.width, NULL}, {"--align", &a.align, NULL}, {"--ignore-case", NULL, &a.ignore_case},
        {"--signed", NULL, &a.is_signed}, {"--range", &scope_args.range, NULL}, {"--kind", &scope_args.kind, NULL},
        {"--executable", NULL, &scope_args.executable}, {"--writable", NULL, &scope_args.writable},
        {"--max", &max_text, NULL}, {"--from", &from_text, NULL}, {"--chunk-size", &chunk_text, NULL},
        {"--json", NULL, &json}, {"--debug-privilege", NULL, &debug_privilege},
        {"--symbols", &symbol_path, NULL}};
    int rc = cli_parse(argc, argv, options, (int)(sizeof options / sizeof options[0]), pos, 1, 1, &npos, search_usage);
    if (rc != CLI_PARSED)
        return rc;
    pmm_search_spec spec;
    pmm_search_options so;
    memset(&so, 0, sizeof so);
    if ((rc = build_spec(&a, &spec)) != CLI_PARSED || (rc = cli_parse_scope(&scope_args, &so.scope, search_usage)) != CLI_PARSED)
        return rc;
    unsigned long long max = DEFAULT_MAX_HITS, from = 0, chunk = 0;
    if ((max_text && cli_parse_u64(max_text, &max) != 0) || (from_text && cli_parse_u64(from_text, &from) != 0) ||
        (chunk_text && cli_parse_u64(chunk_text, &chunk) != 0)) {
        cli_error("--max, --from and --chunk-size want numbers (decimal or 0x...)\nusage: %s", search_usage);
        return PMM_EXIT_USAGE;
    }
    so.max_hits = max;
    so.chunk_size = (size_t)chunk;
    if (from > so.scope.start)
        so.scope.start = from;

    pmm_search_pattern pattern;
    char message[256];
    pmm_status st = pmm_search_compile(&spec, &pattern, message, sizeof message);
    if (st != PMM_OK) {
        cli_error("%s", message);
        return st == PMM_ERR_ARG ? PMM_EXIT_USAGE : PMM_EXIT_FAILURE;
    }
    /* Each read costs a system call on a live process: reads of a few bytes would make a search
     * take minutes, and a window shorter than the pattern could never hold a hit. */
    if (chunk_text && (chunk < MIN_CHUNK || chunk < pattern.length || chunk > MAX_CHUNK)) {
        cli_error("--chunk-size wants 4 KiB (4096) to 64 MiB and at least the pattern's %zu bytes, not %s\nusage: %s",
                  pattern.length, chunk_text, search_usage);
        pmm_search_pattern_free(&pattern);
        return PMM_EXIT_USAGE;
    }
    pmm_source src;
    pmm_map *map;
    cli_target_options target_options = {debug_privilege, cli_symbol_path(symbol_path)};
    rc = cli_scan_target(pos[0], &target_options, &src, &map);
    if (rc == PMM_EXIT_OK) {
        rc = run_search(pos[0], &src, map, &spec, &pattern, &so, target_options.symbol_path, json);
        pmm_map_free(map);
        pmm_source_close(&src);
    }
    pmm_search_pattern_free(&pattern);
    return rc;
}
