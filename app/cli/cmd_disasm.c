/* pmm disasm: instructions at an address of a target (branch targets named from the modules'
 * exports), or a code section of a PE file on disk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_args.h"
#include "cli_map.h"
#include "cli_target.h"
#include "commands.h"
#include "core/formats/pe.h"
#include "core/source/buffer_source.h"
#include "core/source/file_source.h"
#include "core/tools/disasm_list.h"

static const char *disasm_usage =
    "pmm disasm TARGET ADDRESS [--count N | --to END] [--bits 32|64] [--json] [--debug-privilege]\n"
    "pmm disasm FILE --section NAME [--count N] [--bits 32|64] [--json]\n"
    "  TARGET is a pid or a minidump; ADDRESS and END are numbers (0x... for hex).\n"
    "  --count N     instructions to list (default 32; with --to, at most 1000000)\n"
    "  --to END      list up to END (exclusive)\n"
    "  --section     a PE file on disk: its section NAME (.text), decoded from its start\n"
    "  --bits        decode as 32- or 64-bit code (default: the target's or the file's)";

typedef struct listing {
    const pmm_symbols *syms;
    int json;
    pmm_json j;
    pmm_out out;
} listing;

static int print_line(void *ctx, const pmm_disasm_line *line)
{
    listing *l = ctx;
    if (l->json) {
        pmm_json_begin_object(&l->j);
        pmm_disasm_write_json_line(line, l->syms, &l->j);
        pmm_json_end_object(&l->j);
    } else {
        char text[512];
        pmm_disasm_format_line(line, l->syms, text, sizeof text);
        pmm_out_puts(&l->out, text);
        pmm_out_puts(&l->out, "\n");
    }
    return l->out.failed;
}

static int run_listing(pmm_source *src, const pmm_disasm_request *req, const pmm_symbols *syms, const char *target,
                       const char *section, int json)
{
    listing l;
    memset(&l, 0, sizeof l);
    l.syms = syms;
    l.json = json;
    l.out = pmm_out_file(stdout);
    if (json) {
        pmm_json_init(&l.j, &l.out, 1);
        pmm_json_begin_object(&l.j);
        pmm_json_kv_string(&l.j, "format", "pmm-disasm");
        pmm_json_kv_uint(&l.j, "version", PMM_DISASM_JSON_VERSION);
        pmm_json_kv_string(&l.j, "target", target);
        if (section)
            pmm_json_kv_string(&l.j, "section", section);
        pmm_json_kv_uint(&l.j, "bits", (uint64_t)req->bits);
        pmm_json_kv_address(&l.j, "start", req->start);
        pmm_json_key(&l.j, "instructions");
        pmm_json_begin_array(&l.j);
    }
    pmm_disasm_summary summary;
    pmm_status st = pmm_disasm_source(src, req, print_line, &l, &summary);
    if (json) {
        pmm_json_end_array(&l.j);
        pmm_json_kv_uint(&l.j, "count", summary.instructions);
        pmm_json_kv_uint(&l.j, "invalid", summary.invalid);
        pmm_json_kv_uint(&l.j, "unreadable_bytes", summary.unreadable_bytes);
        pmm_json_kv_bool(&l.j, "truncated", summary.hit_limit);
        pmm_json_end_object(&l.j);
        pmm_out_puts(&l.out, "\n");
    }
    if (st != PMM_OK) {
        cli_error("%s: cannot disassemble: %s", target, pmm_status_text(st));
        return PMM_EXIT_FAILURE;
    }
    if (summary.instructions == 0 && summary.unreadable_bytes) {
        cli_error("%s: nothing at 0x%llx could be read", target, (unsigned long long)req->start);
        return PMM_EXIT_FAILURE;
    }
    return PMM_EXIT_OK;
}

/* A section of a PE file on disk: its raw bytes, listed at their virtual address. */
static int disasm_file_section(const char *path, const char *section, pmm_disasm_request *req, int json)
{
    pmm_source file;
    pmm_status st = pmm_file_source_open(path, &file);
    if (st != PMM_OK) {
        cli_error("%s: cannot open: %s", path, pmm_status_text(st));
        return PMM_EXIT_FAILURE;
    }
    pe_image img;
    st = pe_open(&file, 0, PE_LAYOUT_FILE, &img);
    if (st != PMM_OK) {
        cli_error("%s: not a PE file: %s", path, pmm_status_text(st));
        pmm_source_close(&file);
        return PMM_EXIT_FAILURE;
    }
    const pe_section *s = NULL;
    for (size_t i = 0; i < img.section_count && !s; i++)
        if (strcmp(img.sections[i].name, section) == 0)
            s = &img.sections[i];
    int rc = PMM_EXIT_FAILURE;
    if (!s) {
        cli_error("%s: no section named '%s'", path, section);
    } else {
        /* the bytes the file holds for it: the smaller of its raw and virtual sizes */
        uint32_t size = s->virtual_size && s->virtual_size < s->raw_size ? s->virtual_size : s->raw_size;
        uint8_t *bytes = size ? malloc(size) : NULL;
        if (!size) {
            cli_error("%s: section '%s' has no bytes in the file", path, section);
        } else if (!bytes) {
            cli_error("out of memory");
        } else if ((st = pmm_source_read_exact(&file, s->raw_offset, bytes, size)) != PMM_OK) {
            cli_error("%s: section '%s' could not be read: %s", path, section, pmm_status_text(st));
        } else {
            pmm_source code;
            req->start = img.image_base + s->virtual_address;
            req->end = req->start + size;
            if (!req->bits)
                req->bits = img.pointer_size == 8 ? 64 : 32;
            if (pmm_buffer_source_open(bytes, size, req->start, &code) == PMM_OK) {
                rc = run_listing(&code, req, NULL, path, section, json);
                pmm_source_close(&code);
            }
        }
        free(bytes);
    }
    pe_close(&img);
    pmm_source_close(&file);
    return rc;
}

static int disasm_target(const char *spec, const char *address_text, pmm_disasm_request *req, int json,
                         int debug_privilege)
{
    unsigned long long address;
    if (cli_parse_u64(address_text, &address) != 0) {
        cli_error("'%s' is not an address\n%s", address_text, disasm_usage);
        return PMM_EXIT_USAGE;
    }
    req->start = address;
    if (req->end && req->end <= req->start) {
        cli_error("--to must be above ADDRESS");
        return PMM_EXIT_USAGE;
    }
    cli_target_options target_options = {debug_privilege, cli_symbol_path(NULL)};
    pmm_source src;
    pmm_map *map;
    int rc = cli_scan_target(spec, &target_options, &src, &map);
    if (rc != PMM_EXIT_OK)
        return rc;
    if (!req->bits)
        req->bits = map->target.pointer_size == 4 ? 32 : 64;
    pmm_symbols syms;
    pmm_symbols_init(&syms);
    pmm_status st = pmm_symbols_set_path(&syms, target_options.symbol_path);
    if (st == PMM_OK)
        st = pmm_symbols_add_map(&syms, &src, map);
    pmm_symbols_finish(&syms);
    pmm_map_free(map);
    if (st != PMM_OK) {
        cli_error("%s: reading the modules' exports failed: %s", spec, pmm_status_text(st));
        rc = PMM_EXIT_FAILURE;
    } else {
        rc = run_listing(&src, req, &syms, spec, NULL, json);
    }
    pmm_symbols_free(&syms);
    pmm_source_close(&src);
    return rc;
}

int cmd_disasm(int argc, char **argv)
{
    int json = 0, debug_privilege = 0, npos;
    const char *count_text = NULL, *to_text = NULL, *bits_text = NULL, *section = NULL;
    const char *pos[2] = {NULL, NULL};
    cli_option options[] = {{"--json", NULL, &json}, {"--debug-privilege", NULL, &debug_privilege},
                            {"--count", &count_text, NULL}, {"--to", &to_text, NULL},
                            {"--bits", &bits_text, NULL}, {"--section", &section, NULL}};
    int rc = cli_parse(argc, argv, options, 6, pos, 1, 2, &npos, disasm_usage);
    if (rc != CLI_PARSED)
        return rc;
    pmm_disasm_request req = {0, 0, 32, 0};
    unsigned long long v;
    if (count_text && to_text) {
        cli_error("--count and --to are exclusive\n%s", disasm_usage);
        return PMM_EXIT_USAGE;
    }
    if (count_text) {
        if (cli_parse_u64(count_text, &v) != 0 || v == 0 || v > PMM_DISASM_MAX_COUNT) {
            cli_error("--count must be 1 to %u", PMM_DISASM_MAX_COUNT);
            return PMM_EXIT_USAGE;
        }
        req.max_count = (size_t)v;
    }
    if (to_text) {
        if (cli_parse_u64(to_text, &v) != 0) {
            cli_error("--to needs an address");
            return PMM_EXIT_USAGE;
        }
        req.end = v;
        req.max_count = PMM_DISASM_MAX_COUNT;
    }
    if (bits_text) {
        if (strcmp(bits_text, "32") && strcmp(bits_text, "64")) {
            cli_error("--bits must be 32 or 64");
            return PMM_EXIT_USAGE;
        }
        req.bits = atoi(bits_text);
    }
    if (section) {
        if (npos != 1 || to_text) {
            cli_error("--section takes a FILE and no ADDRESS or --to\n%s", disasm_usage);
            return PMM_EXIT_USAGE;
        }
        if (!count_text)
            req.max_count = PMM_DISASM_MAX_COUNT;
        rc = cli_check_process_option_used(pos[0]);
        return rc == PMM_EXIT_OK ? disasm_file_section(pos[0], section, &req, json) : rc;
    }
    if (npos != 2) {
        cli_error("pmm disasm needs TARGET and ADDRESS (or FILE --section NAME)\n%s", disasm_usage);
        return PMM_EXIT_USAGE;
    }
    return disasm_target(pos[0], pos[1], &req, json, debug_privilege);
}
