/* pmm strings: the ANSI and UTF-16 strings in a process's or a minidump's memory. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_args.h"
#include "cli_map.h"
#include "commands.h"
#include "core/tools/strings_list.h"
#include "core/util/json_writer.h"

#define PMM_STRINGS_JSON_VERSION 1

static const char *strings_usage =
    "pmm strings TARGET [--min N] [--encoding ansi|utf16] [--kind image|private|mapped[,...]]\n"
    "                   [--range START-END] [--executable] [--writable] [--json] [--debug-privilege]\n"
    "  TARGET is a process id or a minidump. Prints every run of at least N (default 4) printable ASCII\n"
    "  characters stored one byte each (A) or as UTF-16LE (U), with its address and length in characters;\n"
    "  the text of very long strings is cut at 1024 characters.";

typedef struct strings_output {
    pmm_json *json;
    pmm_out *out;
} strings_output;

static int print_string(void *ctx, const pmm_found_string *s)
{
    strings_output *o = ctx;
    int utf16 = s->encoding == PMM_STRINGS_UTF16;
    if (o->json) {
        pmm_json *j = o->json;
        pmm_json_begin_object(j);
        pmm_json_kv_address(j, "address", s->address);
        pmm_json_kv_string(j, "encoding", utf16 ? "utf16" : "ansi");
        pmm_json_kv_uint(j, "length", s->length);
        pmm_json_kv_string(j, "text", s->text);
        pmm_json_kv_bool(j, "truncated", s->text_truncated);
        pmm_json_end_object(j);
    } else {
        char *shown = pmm_found_string_shown(s);
        if (!shown)
            return 1;
        pmm_out_printf(o->out, "0x%016" PRIx64 " %c %6" PRIu64 " %s\n", s->address, utf16 ? 'U' : 'A', s->length, shown);
        free(shown);
    }
    return o->out->failed;
}

static void write_summary(pmm_json *j, pmm_out *out, const pmm_strings_summary *s)
{
    if (!j) {
        pmm_out_printf(out, "%" PRIu64 " strings in %" PRIu64 " regions, %" PRIu64 " bytes searched", s->strings,
                       s->regions_searched, s->bytes_searched);
        if (s->unreadable_pages)
            pmm_out_printf(out, "; %" PRIu64 " bytes in %" PRIu64 " places could not be read", s->unreadable_bytes,
                           s->unreadable_pages);
        pmm_out_puts(out, "\n");
        return;
    }
    pmm_json_end_array(j);
    pmm_json_key(j, "summary");
    pmm_json_begin_object(j);
    pmm_json_kv_uint(j, "strings", s->strings);
    pmm_json_kv_uint(j, "regions_searched", s->regions_searched);
    pmm_json_kv_uint(j, "bytes_searched", s->bytes_searched);
    pmm_json_kv_uint(j, "unreadable_bytes", s->unreadable_bytes);
    pmm_json_kv_uint(j, "unreadable_pages", s->unreadable_pages);
    pmm_json_end_object(j);
    pmm_json_end_object(j);
    pmm_out_puts(out, "\n");
}

static int run_strings(const char *target, pmm_source *src, const pmm_map *map, const pmm_strings_options *options,
                       int json)
{
    pmm_out out = pmm_out_file(stdout);
    pmm_json jw;
    strings_output o = {json ? &jw : NULL, &out};
    if (o.json) {
        pmm_json_init(o.json, &out, 1);
        pmm_json_begin_object(o.json);
        pmm_json_kv_string(o.json, "format", "pmm-strings");
        pmm_json_kv_uint(o.json, "version", PMM_STRINGS_JSON_VERSION);
        pmm_json_kv_string(o.json, "target", target);
        pmm_json_kv_uint(o.json, "min_length", options->min_length);
        pmm_json_key(o.json, "strings");
        pmm_json_begin_array(o.json);
    }
    pmm_strings_summary summary;
    pmm_status st = pmm_strings_run(src, map, options, print_string, &o, &summary);
    write_summary(o.json, &out, &summary);
    int rc = PMM_EXIT_OK;
    if (st != PMM_OK) {
        cli_error("%s: the listing did not finish: %s", target,
                  st == PMM_ERR_GONE ? "the process exited during the listing" : pmm_status_text(st));
        rc = PMM_EXIT_FAILURE;
    }
    return rc;
}

int cmd_strings(int argc, char **argv)
{
    cli_scope_args scope_args;
    memset(&scope_args, 0, sizeof scope_args);
    int json = 0, debug_privilege = 0, npos;
    const char *pos[1], *min_text = NULL, *encoding = NULL;
    cli_option options[] = {
        {"--min", &min_text, NULL}, {"--encoding", &encoding, NULL}, {"--range", &scope_args.range, NULL},
        {"--kind", &scope_args.kind, NULL}, {"--executable", NULL, &scope_args.executable},
        {"--writable", NULL, &scope_args.writable}, {"--json", NULL, &json},
        {"--debug-privilege", NULL, &debug_privilege}};
    int rc = cli_parse(argc, argv, options, (int)(sizeof options / sizeof options[0]), pos, 1, 1, &npos, strings_usage);
    if (rc != CLI_PARSED)
        return rc;
    pmm_strings_options so;
    memset(&so, 0, sizeof so);
    if ((rc = cli_parse_scope(&scope_args, &so.scope, strings_usage)) != CLI_PARSED)
        return rc;
    unsigned long long min = PMM_STRINGS_DEFAULT_MIN;
    if (min_text && (cli_parse_u64(min_text, &min) != 0 || min < 1 || min > 1000000)) {
        cli_error("--min wants a number of characters from 1 to 1000000, not '%s'\nusage: %s", min_text, strings_usage);
        return PMM_EXIT_USAGE;
    }
    so.min_length = (size_t)min;
    if (encoding) {
        so.encodings = strcmp(encoding, "ansi") == 0 ? PMM_STRINGS_ANSI : strcmp(encoding, "utf16") == 0 ? PMM_STRINGS_UTF16 : 0;
        if (!so.encodings) {
            cli_error("--encoding wants ansi or utf16, not '%s'\nusage: %s", encoding, strings_usage);
            return PMM_EXIT_USAGE;
        }
    }
    pmm_source src;
    pmm_map *map;
    cli_target_options target_options = {debug_privilege, cli_symbol_path(NULL)};
    rc = cli_scan_target(pos[0], &target_options, &src, &map);
    if (rc != PMM_EXIT_OK)
        return rc;
    rc = run_strings(pos[0], &src, map, &so, json);
    pmm_map_free(map);
    pmm_source_close(&src);
    return rc;
}
