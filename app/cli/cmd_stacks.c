/* pmm stacks: the call stack of each thread (or of one), innermost frame first, as the scan's
 * stacks analyzer walked it: x64 by the images' unwind data, x86 by the EBP chain. */
#include <inttypes.h>
#include <stdio.h>
#include "cli_args.h"
#include "cli_map.h"
#include "cli_target.h"
#include "commands.h"
#include "core/analyzers/scan.h"
#include "core/analyzers/seh.h"
#include "core/util/json_writer.h"

#define PMM_STACKS_JSON_VERSION 1

static const char *stacks_usage =
    "pmm stacks TARGET [--tid N] [--json] [--debug-privilege] [--symbols PATH]\n"
    "  TARGET is a process id, a minidump or a saved map. Prints each thread's call stack, innermost frame\n"
    "  first, each frame as address, module!export+offset and how it was found. A WOW64 process\n"
    "  shows its 32-bit stacks, then each thread's 64-bit side (walked when the thread's x64 context is on\n"
    "  its 64-bit stack; otherwise the reason). 32-bit threads also show their SEH chain (record, handler).\n"
    "  Frames are named module!function+offset [file:line] from the best symbols each module has (a\n"
    "  matching PDB found beside the image or on --symbols PATH / _NT_SYMBOL_PATH, DWARF, COFF symbols,\n"
    "  exports); modules whose symbols were not found are listed with the reason.";

/* The x86 SEH chain of a 32-bit thread, innermost record first. */
static void json_seh(pmm_json *j, const pmm_map *map, const pmm_thread *t)
{
    pmm_json_kv_string(j, "seh_walk", pmm_seh_end_text((pmm_seh_end)t->seh_end));
    pmm_json_key(j, "seh");
    pmm_json_begin_array(j);
    for (size_t i = t->seh_first; i < (size_t)t->seh_first + t->seh_count && i < map->seh_count; i++) {
        pmm_json_begin_object(j);
        pmm_json_kv_address(j, "record", map->seh[i].record);
        pmm_json_kv_address(j, "handler", map->seh[i].handler);
        pmm_json_kv_string(j, "symbol", pmm_map_text(map, map->seh[i].symbol));
        pmm_json_end_object(j);
    }
    pmm_json_end_array(j);
}

static void text_seh(pmm_out *out, const pmm_map *map, const pmm_thread *t)
{
    if (t->seh_end == PMM_SEH_NOT_WALKED)
        return;
    pmm_out_printf(out, "  SEH chain (%u records): %s\n", (unsigned)t->seh_count,
                   pmm_seh_end_text((pmm_seh_end)t->seh_end));
    for (size_t i = t->seh_first; i < (size_t)t->seh_first + t->seh_count && i < map->seh_count; i++) {
        const char *symbol = pmm_map_text(map, map->seh[i].symbol);
        pmm_out_printf(out, "     record 0x%08" PRIx64 " handler 0x%08" PRIx64 " %s\n", map->seh[i].record,
                       map->seh[i].handler, *symbol ? symbol : "?");
    }
}

static void json_frames(pmm_json *j, const pmm_map *map, const char *key, size_t first, size_t count)
{
    pmm_json_key(j, key);
    pmm_json_begin_array(j);
    for (size_t i = first; i < first + count && i < map->frame_count; i++) {
        const pmm_frame *f = &map->frames[i];
        pmm_json_begin_object(j);
        pmm_json_kv_address(j, "address", f->address);
        pmm_json_kv_address(j, "sp", f->stack_pointer);
        pmm_json_kv_string(j, "symbol", pmm_map_text(map, f->symbol));
        pmm_json_kv_string(j, "method", pmm_frame_method_name((pmm_frame_method)f->method));
        pmm_json_end_object(j);
    }
    pmm_json_end_array(j);
}

static void json_thread(pmm_json *j, const pmm_map *map, const pmm_thread *t)
{
    pmm_json_begin_object(j);
    pmm_json_kv_uint(j, "tid", t->tid);
    pmm_json_kv_uint(j, "bits", t->frame_bits);
    pmm_json_kv_string(j, "walk", pmm_walk_end_text((pmm_walk_end)t->walk_end));
    json_frames(j, map, "frames", t->frame_first, t->frame_count);
    if (t->teb64) {   /* a WOW64 thread's 64-bit side */
        pmm_json_kv_string(j, "walk64", pmm_walk_end_text((pmm_walk_end)t->walk64_end));
        json_frames(j, map, "frames64", t->frame64_first, t->frame64_count);
    }
    json_seh(j, map, t);
    pmm_json_end_object(j);
}

static void text_frames(pmm_out *out, const pmm_map *map, size_t first, size_t count, int width)
{
    for (size_t i = first; i < first + count && i < map->frame_count; i++) {
        const pmm_frame *f = &map->frames[i];
        const char *symbol = pmm_map_text(map, f->symbol);
        pmm_out_printf(out, "  %2zu 0x%0*" PRIx64 " %s", i - first, width, f->address, *symbol ? symbol : "?");
        if (f->method != PMM_FRAME_UNWIND && f->method != PMM_FRAME_POINTER && f->method != PMM_FRAME_CONTEXT)
            pmm_out_printf(out, "  [%s]", pmm_frame_method_name((pmm_frame_method)f->method));
        pmm_out_puts(out, "\n");
    }
}

static void text_thread(pmm_out *out, const pmm_map *map, const pmm_thread *t)
{
    pmm_out_printf(out, "Thread %u (%u-bit): %s\n", (unsigned)t->tid, (unsigned)t->frame_bits,
                   pmm_walk_end_text((pmm_walk_end)t->walk_end));
    text_frames(out, map, t->frame_first, t->frame_count, t->frame_bits == 32 ? 8 : 16);
    if (t->teb64) {
        pmm_out_printf(out, "  64-bit side: %s\n", pmm_walk_end_text((pmm_walk_end)t->walk64_end));
        text_frames(out, map, t->frame64_first, t->frame64_count, 16);
    }
    text_seh(out, map, t);
}

static void print_stacks(const pmm_map *map, const char *target, int has_tid, uint32_t tid, int json, pmm_out *out)
{
    pmm_json jw;
    if (json) {
        pmm_json_init(&jw, out, 1);
        pmm_json_begin_object(&jw);
        pmm_json_kv_string(&jw, "format", "pmm-stacks");
        pmm_json_kv_uint(&jw, "version", PMM_STACKS_JSON_VERSION);
        pmm_json_kv_string(&jw, "target", target);
        pmm_json_key(&jw, "threads");
        pmm_json_begin_array(&jw);
    }
    for (size_t i = 0; i < map->thread_count; i++) {
        const pmm_thread *t = &map->threads[i];
        if (has_tid && t->tid != tid)
            continue;
        if (json)
            json_thread(&jw, map, t);
        else
            text_thread(out, map, t);
    }
    if (json) {
        pmm_json_end_array(&jw);
        pmm_json_end_object(&jw);
        pmm_out_puts(out, "\n");
    }
}

int cmd_stacks(int argc, char **argv)
{
    int json = 0, debug_privilege = 0, npos;
    const char *pos[1], *tid_text = NULL, *symbol_path = NULL;
    unsigned long long tid = 0;
    cli_option options[] = {{"--json", NULL, &json}, {"--tid", &tid_text, NULL}, {"--debug-privilege", NULL, &debug_privilege},
                            {"--symbols", &symbol_path, NULL}};
    int rc = cli_parse(argc, argv, options, 4, pos, 1, 1, &npos, stacks_usage);
    if (rc != CLI_PARSED)
        return rc;
    if (tid_text && (cli_parse_u64(tid_text, &tid) != 0 || tid > UINT32_MAX)) {
        cli_error("--tid needs a thread id, not '%s'", tid_text);
        return PMM_EXIT_USAGE;
    }
    cli_target_options target_options = {debug_privilege, cli_symbol_path(symbol_path)};
    cli_map_request request = {&target_options, 0, 0, 0};
    pmm_map *map;
    char message[512];
    pmm_status st = cli_load_map(pos[0], &request, &map, NULL, message, sizeof message);
    if (st != PMM_OK) {
        cli_error("%s", message[0] ? message : pmm_status_text(st));
        return cli_target_exit_code(st);
    }
    pmm_out out = pmm_out_file(stdout);
    if (tid_text && !pmm_map_thread(map, (uint32_t)tid)) {
        cli_error("%s: no thread %llu", pos[0], tid);
        rc = PMM_EXIT_FAILURE;
    } else {
        print_stacks(map, pos[0], tid_text != NULL, (uint32_t)tid, json, &out);
        rc = PMM_EXIT_OK;
    }
    pmm_map_free(map);
    return rc;
}
