/* pmm decode: one structure of a target decoded field by field from its table, with the strings
 * its UNICODE_STRINGs point at. Names the PEB, a thread's TEB, the process parameters and
 * KUSER_SHARED_DATA by what they are; anything else by address and type name. */
#include <stdio.h>
#include <string.h>
#include "cli_args.h"
#include "cli_map.h"
#include "cli_target.h"
#include "commands.h"
#include "core/analyzers/scan.h"
#include "core/tools/decode.h"

static const char *decode_usage =
    "pmm decode TARGET WHAT [--json] [--debug-privilege]\n"
    "  WHAT is one of:\n"
    "    peb | peb32 | peb64       the PEB (of the process's own bitness; a WOW64 process has both)\n"
    "    teb TID | teb64 TID       a thread's TEB (teb64: the 64-bit TEB of a WOW64 thread)\n"
    "    params                    RTL_USER_PROCESS_PARAMETERS (command line, current directory...)\n"
    "    kuser                     KUSER_SHARED_DATA\n"
    "    ADDRESS TYPE              any table at an address; TYPE is one of:\n"
    "      PEB32 PEB64 TEB32 TEB64 RTL_USER_PROCESS_PARAMETERS32/64 KUSER_SHARED_DATA\n"
    "      LDR_DATA_TABLE_ENTRY32/64 IMAGE_DOS_HEADER IMAGE_NT_HEADERS32/64 IMAGE_SECTION_HEADER\n"
    "      IMAGE_EXPORT_DIRECTORY IMAGE_IMPORT_DESCRIPTOR IMAGE_TLS_DIRECTORY32/64\n"
    "      IMAGE_LOAD_CONFIG_DIRECTORY32/64 (or PEB, TEB, ... for the target's bitness)";

typedef struct decode_request {
    uint64_t address;
    const pmm_struct_def *def;
} decode_request;

/* The PEB annotation of the given bitness (32 or 64); 0 when the scan found none. */
static uint64_t find_peb(const pmm_map *map, uint32_t bits)
{
    for (size_t i = 0; i < map->annotation_count; i++)
        if (map->annotations[i].kind == PMM_ANN_PEB && map->annotations[i].bits == bits)
            return map->annotations[i].base;
    return 0;
}

static int resolve_peb(const pmm_map *map, uint32_t bits, decode_request *r)
{
    r->address = find_peb(map, bits);
    r->def = bits == 32 ? &pmm_struct_peb32 : &pmm_struct_peb64;
    if (!r->address)
        cli_error("no %u-bit PEB was found in the target", (unsigned)bits);
    return r->address != 0;
}

static int resolve_teb(const pmm_map *map, const char *tid_text, int want64, decode_request *r)
{
    unsigned long long tid;
    if (!tid_text || cli_parse_u64(tid_text, &tid) != 0 || tid > UINT32_MAX) {
        cli_error("teb needs a thread id");
        return 0;
    }
    const pmm_thread *t = pmm_map_thread(map, (uint32_t)tid);
    if (!t) {
        cli_error("no thread %llu in the target", tid);
        return 0;
    }
    int own64 = map->target.pointer_size == 8;
    r->address = want64 && !own64 ? t->teb64 : t->teb;
    r->def = want64 || own64 ? &pmm_struct_teb64 : &pmm_struct_teb32;
    if (!r->address)
        cli_error("thread %llu has no %s TEB that could be read", tid, want64 ? "64-bit" : "known");
    return r->address != 0;
}

static int resolve_params(pmm_source *src, const pmm_map *map, decode_request *r)
{
    uint32_t ps = map->target.pointer_size;
    decode_request peb;
    if (!resolve_peb(map, ps * 8, &peb))
        return 0;
    uint64_t params = 0;
    uint32_t offset = ps == 4 ? 0x10 : 0x20;   /* PEB.ProcessParameters (struct_tables_nt.c) */
    if (pmm_source_read_pointer(src, peb.address + offset, ps, &params) != PMM_OK || !params) {
        cli_error("PEB.ProcessParameters could not be read");
        return 0;
    }
    r->address = params;
    r->def = ps == 4 ? &pmm_struct_params32 : &pmm_struct_params64;
    return 1;
}

/* Returns 1 with r filled, 0 after printing why not, -1 for a usage error. */
static int resolve(pmm_source *src, const pmm_map *map, const char *what, const char *arg, decode_request *r)
{
    uint32_t own_bits = map->target.pointer_size * 8;
    unsigned long long address;
    if (strcmp(what, "peb") == 0)
        return arg ? -1 : resolve_peb(map, own_bits, r);
    if (strcmp(what, "peb32") == 0 || strcmp(what, "peb64") == 0)
        return arg ? -1 : resolve_peb(map, what[3] == '3' ? 32 : 64, r);
    if (strcmp(what, "teb") == 0 || strcmp(what, "teb64") == 0)
        return arg ? resolve_teb(map, arg, what[3] == '6', r) : -1;
    if (strcmp(what, "params") == 0)
        return arg ? -1 : resolve_params(src, map, r);
    if (strcmp(what, "kuser") == 0) {
        r->address = PMM_KUSER_SHARED_DATA;
        r->def = &pmm_struct_kuser;
        return arg ? -1 : 1;
    }
    if (cli_parse_u64(what, &address) != 0 || !arg)
        return -1;
    r->address = address;
    r->def = pmm_struct_find(arg, map->target.pointer_size);
    if (!r->def)
        cli_error("unknown structure type '%s' (pmm decode --help lists them)", arg);
    return r->def != NULL;
}

static void write_result(const pmm_decoded *d, const char *target, int json, pmm_out *out)
{
    if (!json) {
        pmm_decode_write_text(d, out);
        return;
    }
    pmm_json j;
    pmm_json_init(&j, out, 1);
    pmm_json_begin_object(&j);
    pmm_json_kv_string(&j, "format", "pmm-decode");
    pmm_json_kv_uint(&j, "version", PMM_DECODE_JSON_VERSION);
    pmm_json_kv_string(&j, "target", target);
    pmm_decode_write_json_members(d, &j);
    pmm_json_end_object(&j);
    pmm_out_puts(out, "\n");
}

/* Takes the map: it is freed once the address to decode is known. */
static int decode_target(pmm_source *src, pmm_map *map, const char *target, const char *what, const char *arg,
                         int json)
{
    decode_request r = {0, NULL};
    int found = resolve(src, map, what, arg, &r);
    pmm_map_free(map);
    if (found < 0) {
        cli_error("cannot decode '%s%s%s'\n%s", what, arg ? " " : "", arg ? arg : "", decode_usage);
        return PMM_EXIT_USAGE;
    }
    if (!found)
        return PMM_EXIT_FAILURE;
    pmm_decoded d;
    pmm_status st = pmm_decode(src, r.address, r.def, &d);
    int rc = PMM_EXIT_OK;
    if (st != PMM_OK) {
        cli_error("%s: %s at 0x%llx could not be read: %s", target, r.def->name, (unsigned long long)r.address,
                  pmm_status_text(st));
        rc = PMM_EXIT_FAILURE;
    } else {
        pmm_out out = pmm_out_file(stdout);
        write_result(&d, target, json, &out);
    }
    pmm_decoded_free(&d);
    return rc;
}

int cmd_decode(int argc, char **argv)
{
    int json = 0, debug_privilege = 0, npos;
    const char *pos[3] = {NULL, NULL, NULL};
    cli_option options[] = {{"--json", NULL, &json}, {"--debug-privilege", NULL, &debug_privilege}};
    int rc = cli_parse(argc, argv, options, 2, pos, 2, 3, &npos, decode_usage);
    if (rc != CLI_PARSED)
        return rc;
    cli_target_options target_options = {debug_privilege, cli_symbol_path(NULL)};
    pmm_source src;
    pmm_map *map;
    if ((rc = cli_scan_target(pos[0], &target_options, &src, &map)) != PMM_EXIT_OK)
        return rc;
    rc = decode_target(&src, map, pos[0], pos[1], npos > 2 ? pos[2] : NULL, json);
    pmm_source_close(&src);
    return rc;
}
