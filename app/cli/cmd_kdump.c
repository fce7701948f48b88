/* pmm kdump: a Windows kernel crash dump, in the spirit of kdmp-parser's parser: the header, the
 * bug check, the context and exception records, physical memory, the kernel modules; hex dumps of
 * physical or virtual memory and translations with every level of the walk. */
#include <stdio.h>
#include <string.h>
#include "cli_args.h"
#include "commands.h"
#include "core/tools/kdump_report.h"

static const char *kdump_usage =
    "pmm kdump FILE [--json] [--runs] [--page-hashes] [--processes]\n"
    "               [--physical ADDRESS[,ADDRESS...]] [--virtual ADDRESS[,ADDRESS...]] [--size N]\n"
    "               [--translate ADDRESS[,ADDRESS...]] [--dtb X]\n"
    "  Reads a Windows kernel crash dump (MEMORY.DMP; 64-bit Full, Bitmap, LiveKernelBitmap,\n"
    "  KernelMemory, KernelAndUserMemory, CompleteMemory; 32-bit Full and kernel summary) and prints\n"
    "  its header, bug check, context, exception record, physical memory and kernel modules.\n"
    "  --physical / --virtual print N bytes (--size, default 256) from each address as hex; pages the\n"
    "  dump does not hold are named with the reason (left out, paged out, prototype...), never shown as\n"
    "  zeros. --translate walks the page tables for each address and prints every level. --dtb gives\n"
    "  the page tables to use (default: the header's DirectoryTableBase). --runs lists every range of\n"
    "  physical memory (default: the first 64); --page-hashes adds a checksum of every page (JSON).\n"
    "  --processes lists the processes (PsActiveProcessHead): pid, parent, name, bits, threads, creation\n"
    "  time, PEB, page tables, with where the structure offsets came from (a table by build, or\n"
    "  inferred for a build the table does not know).";

/* Parses "A,B,C" into addresses; 0 on success. */
static int parse_list(const char *text, const char *option, uint64_t *out, size_t *count)
{
    char item[64];
    *count = 0;
    while (text && *text) {
        const char *comma = strchr(text, ',');
        size_t len = comma ? (size_t)(comma - text) : strlen(text);
        unsigned long long v;
        if (len == 0 || len >= sizeof item) {
            cli_error("%s: an empty or overlong address in '%s'", option, text);
            return -1;
        }
        memcpy(item, text, len);
        item[len] = '\0';
        if (cli_parse_u64(item, &v) != 0) {
            cli_error("%s: '%s' is not an address (decimal or 0x...)", option, item);
            return -1;
        }
        if (*count >= PMM_KDUMP_MAX_REQUESTS) {
            cli_error("%s: at most %d addresses", option, PMM_KDUMP_MAX_REQUESTS);
            return -1;
        }
        out[(*count)++] = v;
        text = comma ? comma + 1 : NULL;
    }
    return 0;
}

static int parse_number(const char *text, const char *option, uint64_t *out)
{
    unsigned long long v;
    if (cli_parse_u64(text, &v) != 0) {
        cli_error("%s: '%s' is not a number (decimal or 0x...)", option, text);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_request(const char *physical, const char *virtual_list, const char *translate, const char *size,
                         const char *dtb, pmm_kdump_request *req)
{
    req->size = 256;
    if (parse_list(physical, "--physical", req->physical, &req->physical_count) != 0 ||
        parse_list(virtual_list, "--virtual", req->virtual_addresses, &req->virtual_count) != 0 ||
        parse_list(translate, "--translate", req->translate, &req->translate_count) != 0 ||
        (size && parse_number(size, "--size", &req->size) != 0) || (dtb && parse_number(dtb, "--dtb", &req->dtb) != 0))
        return -1;
    if (req->size == 0 || req->size > PMM_KDUMP_MAX_READ) {
        cli_error("--size: between 1 and %u bytes", PMM_KDUMP_MAX_READ);
        return -1;
    }
    return 0;
}

int cmd_kdump(int argc, char **argv)
{
    static pmm_kdump_request req;
    int json = 0, runs = 0, hashes = 0, processes = 0, npos;
    const char *pos[1], *physical = NULL, *virtual_list = NULL, *translate = NULL, *size = NULL, *dtb = NULL;
    cli_option options[] = {{"--json", NULL, &json},          {"--runs", NULL, &runs},
                            {"--page-hashes", NULL, &hashes}, {"--physical", &physical, NULL},
                            {"--virtual", &virtual_list, NULL}, {"--translate", &translate, NULL},
                            {"--size", &size, NULL},          {"--dtb", &dtb, NULL},
                            {"--processes", NULL, &processes}};
    int rc = cli_parse(argc, argv, options, sizeof options / sizeof options[0], pos, 1, 1, &npos, kdump_usage);
    if (rc != CLI_PARSED)
        return rc;
    memset(&req, 0, sizeof req);
    if (parse_request(physical, virtual_list, translate, size, dtb, &req) != 0)
        return PMM_EXIT_USAGE;
    req.all_runs = runs;
    req.page_hashes = hashes;
    pmm_kdump *dump;
    char message[512] = "";
    pmm_status st = pmm_kdump_open(pos[0], &dump, message, sizeof message);
    if (st != PMM_OK) {
        cli_error("%s: %s", pos[0], message[0] ? message : pmm_status_text(st));
        return PMM_EXIT_FAILURE;
    }
    pmm_kdump_report report;
    st = pmm_kdump_report_load(dump, pos[0], &report);
    if (st == PMM_OK && processes)
        st = pmm_kdump_report_load_processes(&report);
    if (st != PMM_OK) {
        cli_error("%s: %s", pos[0], pmm_status_text(st));
        pmm_kdump_report_free(&report);
        pmm_kdump_close(dump);
        return PMM_EXIT_FAILURE;
    }
    pmm_out out = pmm_out_file(stdout);
    if (json)
        pmm_kdump_report_write_json(&report, &req, &out);
    else
        pmm_kdump_report_write_text(&report, &req, &out);
    int listed = !processes || report.processes_status == PMM_OK;
    if (!listed)
        cli_error("%s: the processes could not be listed: %s", pos[0], report.processes_message);
    pmm_kdump_report_free(&report);
    pmm_kdump_close(dump);
    return listed ? PMM_EXIT_OK : PMM_EXIT_FAILURE;
}
