#include <stdio.h>
#include "cli_args.h"
#include "cli_target.h"
#include "commands.h"
#include "core/analyzers/scan.h"
#include "core/tools/map_output.h"

static const char *map_usage =
    "pmm map TARGET [--json] [--debug-privilege]\n"
    "  TARGET is a process id, a minidump (.dmp) or a saved map.";

int cmd_map(int argc, char **argv)
{
    int json = 0, debug_privilege = 0, npos;
    const char *pos[1];
    cli_option options[] = {{"--json", NULL, &json}, {"--debug-privilege", NULL, &debug_privilege}};
    int rc = cli_parse(argc, argv, options, 2, pos, 1, 1, &npos, map_usage);
    if (rc != CLI_PARSED)
        return rc;

    cli_target_options target_options = {debug_privilege};
    pmm_source src;
    char message[512];
    pmm_status st = cli_open_target(pos[0], &target_options, &src, message, sizeof message);
    if (st != PMM_OK) {
        cli_error("%s", message[0] ? message : pmm_status_text(st));
        return PMM_EXIT_FAILURE;
    }
    pmm_map *map;
    st = pmm_scan_source(&src, NULL, &map);
    pmm_source_close(&src);
    if (st != PMM_OK) {
        if (st == PMM_ERR_GONE)
            cli_error("%s: the process exited during the scan; no map was produced", pos[0]);
        else
            cli_error("%s: scan failed: %s", pos[0], pmm_status_text(st));
        return PMM_EXIT_FAILURE;
    }
    pmm_out out = pmm_out_file(stdout);
    if (json)
        pmm_map_write_json(map, &out);
    else
        pmm_map_write_text(map, &out);
    pmm_map_free(map);
    if (out.failed || fflush(stdout) != 0) {
        cli_error("writing the map failed (disk full or closed pipe?)");
        return PMM_EXIT_FAILURE;
    }
    return PMM_EXIT_OK;
}
