/* pmm dump: a process's memory as a minidump (ours or dbghelp's), HiperDrop-style region dumps, or
 * one loaded image as a PE file. Every output is written under a temporary name and renamed only
 * when complete. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli_args.h"
#include "cli_target.h"
#include "commands.h"
#include "core/analyzers/scan.h"
#include "core/formats/minidump_write.h"
#include "core/tools/pe_dump.h"
#include "core/tools/region_dump.h"
#include "core/win32/dump_win32.h"
#include "core/util/names.h"
#include "core/util/temp_file.h"
#include "core/win32/live_source.h"

static const char *dump_usage =
    "pmm dump PID --format FORMAT OUTPUT [options]\n"
    "  formats: minidump FILE   our own minidump: full memory (Memory64List), or with a selection\n"
    "                           the selected regions and thread stacks (MemoryList)\n"
    "           regions DIR     one file per region, DIR/0xADDRESS.bin, and DIR/regions.map\n"
    "           single FILE     regions back to back, and FILE.map (address, size, file offset)\n"
    "           sparse FILE     file offset = address, holes between regions, and FILE.map\n"
    "           full FILE       the same with the holes written as zeros, and FILE.map\n"
    "           pe FILE         the image named by --module as a PE file in its virtual layout\n"
    "  --module NAME|ADDRESS    image for --format pe (name, path, or any address inside it)\n"
    "  --regions ADDR,ADDR...   only the regions containing these addresses\n"
    "  --kind K,K...            only regions of these types: image, mapped, shareable, heap, stack,\n"
    "                           private, system\n"
    "  --protect P,P...         only regions with these protections: R, RW, WC, X, RX, RWX, WCX or 0x40\n"
    "  --attach open|debug      open (default) reads the running process; debug attaches as a\n"
    "                           debugger so its threads stand still, and detaches at the end\n"
    "  --read query|pages       query (default): the regions VirtualQueryEx reports, read in large chunks;\n"
    "                           pages: for regions/single/sparse/full, no VirtualQueryEx: every page of\n"
    "                           --range is read on its own and runs of readable pages become the regions\n"
    "                           (pages that fail are listed in the map); for minidump and pe, one page\n"
    "                           per read call\n"
    "  --range START-END,...    --read pages: the address ranges to read (END exclusive, page-aligned);\n"
    "                           default for a 32-bit process: its whole user address space\n"
    "  --dbghelp FLAGS          --format minidump through dbghelp's MiniDumpWriteDump with these\n"
    "                           MINIDUMP_TYPE flags (0x1105, or MiniDumpWithFullMemory|...)\n"
    "  --debug-privilege        enable SeDebugPrivilege first\n"
    "  Unreadable pages are written as zeros and listed (map file, or the minidump's comment stream).\n"
    "  Exit codes: 0 written, 1 failed (nothing is left under OUTPUT), 2 usage.";

typedef struct dump_args {
    const char *pid, *output, *format, *module, *regions, *kinds, *protect, *attach, *read, *dbghelp, *range;
    int debug_privilege;
} dump_args;

typedef enum dump_kind { DUMP_MINIDUMP, DUMP_PE, DUMP_REGIONS } dump_kind;

/* The watchdog ends us while a read of a dead target hangs: the temporary files go first. */
static void on_stuck(uint32_t pid, void *ctx)
{
    (void)ctx;
    pmm_temp_file_remove_all();
    fprintf(stderr, "pmm: process %u exited during the dump; nothing was written\n", (unsigned)pid);
    fflush(stderr);
    exit(PMM_EXIT_FAILURE);
}

static int parse_addresses(const char *text, uint64_t **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    if (!text)
        return 0;
    size_t cap = 1;
    for (const char *p = text; *p; p++)
        cap += *p == ',';
    *out = calloc(cap, sizeof **out);
    if (!*out)
        return -1;
    const char *p = text;
    for (size_t i = 0; i < cap; i++) {
        char item[64];
        size_t len = strcspn(p, ",");
        unsigned long long value;
        snprintf(item, sizeof item, "%.*s", (int)(len < 63 ? len : 63), p);
        if (len == 0 || len >= 63 || cli_parse_u64(item, &value) != 0)
            return -1;
        (*out)[(*count)++] = value;
        p += len + (p[len] == ',');
    }
    return 0;
}

static const pmm_module *find_module(const pmm_map *map, const char *spec)
{
    unsigned long long address;
    if (cli_parse_u64(spec, &address) == 0)
        return pmm_map_module_at(map, address);
    for (size_t i = 0; i < map->module_count; i++) {
        const pmm_module *m = &map->modules[i];
        if (m->flags & PMM_MODULE_HEADER_ONLY)
            continue;
        if (pmm_names_equal(pmm_map_text(map, m->name), spec) || pmm_names_equal(pmm_map_text(map, m->path), spec))
            return m;
    }
    return NULL;
}

static void print_unreadable(const char *output, const pmm_dump_ranges *u, const char *where)
{
    if (u->count)
        fprintf(stderr, "pmm: warning: %zu unreadable range(s), %" PRIu64 " bytes, were written as zeros (%s)\n",
                u->count, pmm_dump_ranges_total(u), where);
    (void)output;
}

static void print_not_held(const dump_args *a, uint64_t bytes)
{
    if (bytes)
        fprintf(stderr, "pmm: warning: %" PRIu64 " bytes of the selected regions are not in %s (regions it "
                "lists without their contents) and were left out\n", bytes, a->pid);
}

/* ---- the three kinds of output ------------------------------------------------------------- */

static int write_minidump(pmm_source *src, const pmm_map *map, const dump_args *a, const pmm_dump_ranges *sel,
                          int selected, int page_reads)
{
    pmm_md_write_options o = {.memory_mode = selected ? PMM_MD_MEMORY_SELECTED : PMM_MD_MEMORY_FULL,
                              .selected = sel->items, .selected_count = sel->count, .page_reads = page_reads,
                              .time_date_stamp = (uint32_t)time(NULL)};
    pmm_md_write_result res;
    int handles_known = 0;
    char message[1024] = "";
    pmm_status st = pmm_dump_minidump_file(src, map, &o, a->output, &res, &handles_known, message, sizeof message);
    int rc = PMM_EXIT_OK;
    if (st != PMM_OK && message[0]) {   /* the file: its path and the OS's reason */
        cli_error("%s; nothing was kept", message);
        rc = PMM_EXIT_FAILURE;
    } else if (st != PMM_OK) {
        cli_error("%s: %s%s; nothing was kept", a->output,
                  st == PMM_ERR_GONE ? "the process exited during the dump" : pmm_status_text(st),
                  st == PMM_ERR_LIMIT ? " (a MemoryList dump must stay under 4 GiB: drop the selection for a full dump)" : "");
        rc = PMM_EXIT_FAILURE;
    } else {
        printf("minidump %s: %zu threads, %zu modules, %zu memory ranges, %" PRIu64 " bytes of memory, ", a->output,
               res.thread_count, res.module_count, res.memory_range_count, res.memory_bytes);
        if (handles_known)
            printf("%zu handles, ", res.handle_count);
        else
            printf("no handle data (the handle table could not be read), ");
        printf("file %" PRIu64 " bytes\n", res.file_size);
        print_unreadable(a->output, &res.unreadable, "listed in the dump's comment stream");
        print_not_held(a, res.not_held_bytes);
    }
    pmm_md_write_result_free(&res);
    return rc;
}

static int write_pe(pmm_source *src, const pmm_map *map, const dump_args *a, int page_reads)
{
    if (!a->module) {
        cli_error("--format pe needs --module NAME|ADDRESS");
        return PMM_EXIT_USAGE;
    }
    const pmm_module *m = find_module(map, a->module);
    if (!m) {
        cli_error("no module '%s' in process %s (pmm map %s lists them)", a->module, a->pid, a->pid);
        return PMM_EXIT_FAILURE;
    }
    pmm_sink sink;
    char message[512] = "";
    if (pmm_sink_open_file(&sink, a->output, message, sizeof message) != PMM_OK) {
        cli_error("%s", message);
        return PMM_EXIT_FAILURE;
    }
    pmm_pe_dump_result res;
    pmm_status st = pmm_pe_dump(src, m->base, page_reads, &sink, &res, message, sizeof message);
    if (st == PMM_OK)
        st = pmm_sink_commit(&sink);
    if (st != PMM_OK && !message[0])
        snprintf(message, sizeof message, "%s", pmm_sink_error_text(&sink));
    pmm_sink_close(&sink);
    int rc = PMM_EXIT_OK;
    if (st != PMM_OK) {
        cli_error("%s: %s; nothing was kept", a->output, message[0] ? message : pmm_status_text(st));
        rc = PMM_EXIT_FAILURE;
    } else {
        printf("pe %s: %s at 0x%" PRIx64 ", %u bytes, %zu sections (ImageBase 0x%" PRIx64 " -> 0x%" PRIx64 ")\n",
               a->output, pmm_map_text(map, m->name), m->base, res.size_of_image, res.section_count,
               res.original_image_base, m->base);
        print_unreadable(a->output, &res.unreadable, "not listed in the PE file");
        for (size_t i = 0; i < res.unreadable.count; i++)
            fprintf(stderr, "pmm: unreadable 0x%" PRIx64 " 0x%" PRIx64 "\n", res.unreadable.items[i].address,
                    res.unreadable.items[i].size);
    }
    pmm_pe_dump_result_free(&res);
    return rc;
}

static int write_regions(pmm_source *src, const dump_args *a, const pmm_dump_ranges *sel, int page_reads)
{
    pmm_region_dump_options o = {PMM_RDUMP_REGIONS, a->output, page_reads, pmm_dump_make_sparse, NULL, NULL};
    pmm_region_dump_parse_format(a->format, &o.format);
    pmm_region_dump_result res;
    char message[1024];
    pmm_status st = pmm_region_dump(src, sel, &o, &res, message, sizeof message);
    int rc = PMM_EXIT_OK;
    if (st != PMM_OK) {
        cli_error("%s", message[0] ? message : pmm_status_text(st));
        rc = PMM_EXIT_FAILURE;
    } else {
        printf("%s %s: %zu regions, %" PRIu64 " bytes%s\n", a->format, a->output, res.region_count, res.bytes,
               o.format == PMM_RDUMP_SPARSE ? (res.sparse ? ", sparse file" : ", not sparse (file system refused)") : "");
        print_unreadable(a->output, &res.unreadable, "listed in the map file");
        print_not_held(a, res.not_held_bytes);
    }
    pmm_region_dump_result_free(&res);
    return rc;
}

/* ---- command ----------------------------------------------------------------------------------- */

/* The output, and for the one-file region formats its map beside it, must be names a dump can be
 * written to and must not be the dump being read. */
static int check_outputs(const dump_args *a, dump_kind kind)
{
    int rc = cli_check_output(a->output, a->pid);
    pmm_region_dump_format f;
    if (rc == CLI_PARSED && kind == DUMP_REGIONS && pmm_region_dump_parse_format(a->format, &f) == PMM_OK &&
        f != PMM_RDUMP_REGIONS) {
        char map[4200];
        snprintf(map, sizeof map, "%s.map", a->output);
        rc = cli_check_output(map, a->pid);
    }
    return rc;
}

static int check_args(const dump_args *a, dump_kind *kind)
{
    pmm_region_dump_format f;
    if (!a->format) {
        cli_error("--format is required\n%s", dump_usage);
        return PMM_EXIT_USAGE;
    }
    if (strcmp(a->format, "minidump") == 0)
        *kind = DUMP_MINIDUMP;
    else if (strcmp(a->format, "pe") == 0)
        *kind = DUMP_PE;
    else if (pmm_region_dump_parse_format(a->format, &f) == PMM_OK)
        *kind = DUMP_REGIONS;
    else {
        cli_error("unknown --format '%s' (minidump, regions, single, sparse, full, pe)", a->format);
        return PMM_EXIT_USAGE;
    }
    if (a->attach && strcmp(a->attach, "open") != 0 && strcmp(a->attach, "debug") != 0) {
        cli_error("--attach takes open or debug");
        return PMM_EXIT_USAGE;
    }
    if (a->read && strcmp(a->read, "query") != 0 && strcmp(a->read, "pages") != 0) {
        cli_error("--read takes query or pages");
        return PMM_EXIT_USAGE;
    }
    int pages = a->read && strcmp(a->read, "pages") == 0;
    if (a->range && !(pages && *kind == DUMP_REGIONS)) {
        cli_error("--range goes with --read pages and the regions, single, sparse or full format");
        return PMM_EXIT_USAGE;
    }
    if (pages && *kind == DUMP_REGIONS && (a->regions || a->kinds || a->protect)) {
        cli_error("--read pages finds the regions by reading, without VirtualQueryEx, so --regions, --kind and "
                  "--protect (which need the OS's region list) do not apply: select with --range START-END");
        return PMM_EXIT_USAGE;
    }
    if (a->dbghelp && *kind != DUMP_MINIDUMP) {
        cli_error("--dbghelp writes minidumps only: use --format minidump");
        return PMM_EXIT_USAGE;
    }
    pmm_dump_selection sel = {NULL, 0, a->kinds, a->protect};
    char message[512];
    if (pmm_dump_selection_check(&sel, message, sizeof message) != PMM_OK) {
        cli_error("%s", message);
        return PMM_EXIT_USAGE;
    }
    return check_outputs(a, *kind);
}

static int run_dbghelp(const dump_args *a, uint32_t pid)
{
    uint32_t flags;
    char message[512];
    if (pmm_dbghelp_parse_flags(a->dbghelp, &flags, message, sizeof message) != PMM_OK) {
        cli_error("%s", message);
        return PMM_EXIT_USAGE;
    }
    if (pmm_dbghelp_write(pid, flags, a->output, message, sizeof message) != PMM_OK) {
        cli_error("%s: %s; nothing was kept", a->output, message);
        return PMM_EXIT_FAILURE;
    }
    printf("minidump %s: written by dbghelp MiniDumpWriteDump with flags 0x%x\n", a->output, flags);
    return PMM_EXIT_OK;
}

static int dump_scanned(pmm_source *src, const dump_args *a, dump_kind kind)
{
    pmm_map *map = NULL;
    pmm_scan_options scan_options = {0};
    pmm_status st = pmm_scan_source(src, &scan_options, &map);
    if (st != PMM_OK) {
        cli_error("scanning process %s failed: %s", a->pid, st == PMM_ERR_GONE ? "the process exited" : pmm_status_text(st));
        return PMM_EXIT_FAILURE;
    }
    uint64_t *addresses = NULL;
    size_t address_count = 0;
    if (parse_addresses(a->regions, &addresses, &address_count) != 0) {
        free(addresses);
        pmm_map_free(map);
        cli_error("--regions takes addresses separated by commas (0x7ff6a0b40000,0x10000)");
        return PMM_EXIT_USAGE;
    }
    pmm_dump_selection sel = {addresses, address_count, a->kinds, a->protect};
    int selected = address_count || a->kinds || a->protect;
    int page_reads = a->read && strcmp(a->read, "pages") == 0;
    pmm_dump_ranges ranges = {0};
    char message[512];
    int rc;
    if (kind != DUMP_PE && pmm_dump_select(map, &sel, &ranges, message, sizeof message) != PMM_OK) {
        cli_error("%s", message);
        rc = PMM_EXIT_USAGE;
    } else if (kind == DUMP_MINIDUMP) {
        rc = write_minidump(src, map, a, &ranges, selected, page_reads);
    } else if (kind == DUMP_PE) {
        rc = write_pe(src, map, a, page_reads);
    } else {
        rc = write_regions(src, a, &ranges, page_reads);
    }
    pmm_dump_ranges_free(&ranges);
    free(addresses);
    pmm_map_free(map);
    return rc;
}

/* --range START-END,START-END (END exclusive) into ascending spans. */
static int parse_spans(const char *text, pmm_dump_ranges *out)
{
    const char *p = text;
    for (int guard = 0; *p && guard < 4096; guard++) {
        char item[80];
        size_t len = strcspn(p, ",");
        snprintf(item, sizeof item, "%.*s", (int)(len < 79 ? len : 79), p);
        char *dash = strchr(item, '-');
        unsigned long long start, end;
        if (len == 0 || len >= 79 || !dash)
            return -1;
        *dash = '\0';
        if (cli_parse_u64(item, &start) != 0 || cli_parse_u64(dash + 1, &end) != 0 || end <= start)
            return -1;
        if (out->count && start < out->items[out->count - 1].address + out->items[out->count - 1].size)
            return -1;
        if (pmm_dump_ranges_add(out, start, end - start) != PMM_OK)
            return -1;
        p += len + (p[len] == ',');
    }
    return 0;
}

/* --read pages for the region formats: no scan (that would ask VirtualQueryEx), only reads. */
static int dump_probed(pmm_source *src, const dump_args *a)
{
    pmm_dump_ranges spans = {0};
    const pmm_target_info *t = &src->target;
    if (a->range) {
        if (parse_spans(a->range, &spans) != 0) {
            pmm_dump_ranges_free(&spans);
            cli_error("--range takes START-END[,START-END...] with END > START, ascending (0x10000-0x20000)");
            return PMM_EXIT_USAGE;
        }
    } else if (t->highest_address <= 0xFFFFFFFFull) {
        uint64_t low = (t->lowest_address + PMM_PAGE_SIZE - 1) & ~(uint64_t)(PMM_PAGE_SIZE - 1);
        uint64_t high = (t->highest_address + 1) & ~(uint64_t)(PMM_PAGE_SIZE - 1);
        pmm_dump_ranges_add(&spans, low, high > low ? high - low : 0);
    } else {
        cli_error("--read pages needs --range START-END for a 64-bit process (reading its 128 TiB page by page "
                  "would take days)");
        return PMM_EXIT_USAGE;
    }
    pmm_dump_ranges regions, unreadable;
    char message[1024];
    pmm_status st = pmm_dump_probe_pages(src, &spans, &regions, &unreadable, NULL, NULL, message, sizeof message);
    pmm_dump_ranges_free(&spans);
    if (st != PMM_OK) {
        cli_error("%s", message[0] ? message : pmm_status_text(st));
        return st == PMM_ERR_ARG || st == PMM_ERR_LIMIT ? PMM_EXIT_USAGE : PMM_EXIT_FAILURE;
    }
    pmm_region_dump_options o = {PMM_RDUMP_REGIONS, a->output, 1, pmm_dump_make_sparse, NULL, NULL};
    pmm_region_dump_parse_format(a->format, &o.format);
    pmm_region_dump_result res;
    st = pmm_region_dump_probed(src, &regions, &unreadable, &o, &res, message, sizeof message);
    int rc = PMM_EXIT_OK;
    if (st != PMM_OK) {
        cli_error("%s", message[0] ? message : pmm_status_text(st));
        rc = PMM_EXIT_FAILURE;
    } else {
        printf("%s %s: %zu regions found by reading page by page, %" PRIu64 " bytes, %zu unreadable range(s) "
               "between or inside them listed in the map%s\n", a->format, a->output, res.region_count, res.bytes,
               res.unreadable.count,
               o.format == PMM_RDUMP_SPARSE ? (res.sparse ? ", sparse file" : ", not sparse (file system refused)") : "");
    }
    pmm_region_dump_result_free(&res);
    pmm_dump_ranges_free(&regions);
    pmm_dump_ranges_free(&unreadable);
    return rc;
}

static int dump_target(const dump_args *a, dump_kind kind)
{
    cli_target_options target_options = {a->debug_privilege, cli_symbol_path(NULL)};
    pmm_source src;
    char message[512];
    pmm_status st = cli_open_target(a->pid, &target_options, &src, message, sizeof message);
    if (st != PMM_OK) {
        cli_error("%s", message);
        return cli_target_exit_code(st);
    }
    int debug = a->attach && strcmp(a->attach, "debug") == 0;
    if (debug && src.target.source_kind != PMM_SOURCE_LIVE) {
        pmm_source_close(&src);
        cli_error("--attach debug needs a process id");
        return PMM_EXIT_USAGE;
    }
    if (debug && pmm_dump_attach_debugger(src.target.pid, message, sizeof message) != PMM_OK) {
        pmm_source_close(&src);
        cli_error("%s", message);
        return PMM_EXIT_FAILURE;
    }
    int probe = kind == DUMP_REGIONS && a->read && strcmp(a->read, "pages") == 0;
    int rc = probe ? dump_probed(&src, a) : dump_scanned(&src, a, kind);
    if (debug && pmm_dump_detach_debugger(src.target.pid, message, sizeof message) != PMM_OK) {
        cli_error("%s", message);
        rc = PMM_EXIT_FAILURE;
    }
    pmm_source_close(&src);
    return rc;
}

int cmd_dump(int argc, char **argv)
{
    dump_args a = {0};
    const char *pos[2];
    int npos;
    cli_option options[] = {
        {"--format", &a.format, NULL},   {"--module", &a.module, NULL}, {"--regions", &a.regions, NULL},
        {"--kind", &a.kinds, NULL},      {"--protect", &a.protect, NULL}, {"--attach", &a.attach, NULL},
        {"--read", &a.read, NULL},       {"--dbghelp", &a.dbghelp, NULL}, {"--range", &a.range, NULL},
        {"--debug-privilege", NULL, &a.debug_privilege},
    };
    int rc = cli_parse(argc, argv, options, (int)(sizeof options / sizeof options[0]), pos, 2, 2, &npos, dump_usage);
    if (rc != CLI_PARSED)
        return rc;
    a.pid = pos[0];
    a.output = pos[1];
    dump_kind kind;
    rc = check_args(&a, &kind);
    if (rc != CLI_PARSED)
        return rc;
    pmm_live_set_stuck_handler(on_stuck, NULL);
    if (a.dbghelp) {
        unsigned long long pid;
        if (cli_parse_u64(a.pid, &pid) != 0 || pid > 0xFFFFFFFFull) {
            cli_error("--dbghelp needs a process id, not '%s'", a.pid);
            return PMM_EXIT_USAGE;
        }
        int debug = a.attach && strcmp(a.attach, "debug") == 0;
        char message[512];
        if (debug && pmm_dump_attach_debugger((uint32_t)pid, message, sizeof message) != PMM_OK) {
            cli_error("%s", message);
            return PMM_EXIT_FAILURE;
        }
        rc = run_dbghelp(&a, (uint32_t)pid);
        if (debug && pmm_dump_detach_debugger((uint32_t)pid, message, sizeof message) != PMM_OK) {
            cli_error("%s", message);
            rc = PMM_EXIT_FAILURE;
        }
        return rc;
    }
    return dump_target(&a, kind);
}
