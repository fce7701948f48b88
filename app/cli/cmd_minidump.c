/* pmm minidump: the streams of a minidump file, like a dump inspector. */
#include <stdio.h>
#include "cli_args.h"
#include "commands.h"
#include "core/tools/minidump_report.h"

static const char *minidump_usage =
    "pmm minidump FILE [--json]\n"
    "  Prints every stream of a minidump: system info, the exception with the faulting thread's\n"
    "  registers, threads, modules (with PDB ids), unloaded modules, handles, memory ranges and\n"
    "  regions, and the directory including streams this tool does not decode. Damaged streams are\n"
    "  reported and the rest is still shown; the exit code is 1 when any stream was damaged.";

int cmd_minidump(int argc, char **argv)
{
    int json = 0, npos;
    const char *pos[1];
    cli_option options[] = {{"--json", NULL, &json}};
    int rc = cli_parse(argc, argv, options, 1, pos, 1, 1, &npos, minidump_usage);
    if (rc != CLI_PARSED)
        return rc;
    pmm_md_report *report;
    char message[512] = "";
    pmm_status st = pmm_md_report_load(pos[0], &report, message, sizeof message);
    if (st != PMM_OK) {
        cli_error("%s", message[0] ? message : pmm_status_text(st));
        return PMM_EXIT_FAILURE;
    }
    pmm_out out = pmm_out_file(stdout);
    if (json)
        pmm_md_report_write_json(report, &out);
    else
        pmm_md_report_write_text(report, &out);
    for (size_t i = 0; i < report->error_count; i++)
        cli_error("%s: %s", pos[0], report->errors[i].message);
    rc = report->error_count ? PMM_EXIT_FAILURE : PMM_EXIT_OK;
    pmm_md_report_free(report);
    return rc;
}
