#include <stdio.h>
#include "cli_args.h"
#include "cli_map.h"
#include "commands.h"
#include "core/analyzers/scan.h"
#include "core/tools/map_output.h"

static const char *map_usage =
    "pmm map TARGET [--json] [--debug-privilege] [--heap-blocks]\n"
    "  TARGET is a process id, a minidump (.dmp) or a saved map.\n"
    "  --heap-blocks  also label every heap block the OS lists (address, size, busy/free; Windows only)";

int cmd_map(int argc, char **argv)
{
    int json = 0, debug_privilege = 0, heap_blocks = 0, npos;
    const char *pos[1];
    cli_option options[] = {{"--json", NULL, &json}, {"--debug-privilege", NULL, &debug_privilege},
                            {"--heap-blocks", NULL, &heap_blocks}};
    int rc = cli_parse(argc, argv, options, 3, pos, 1, 1, &npos, map_usage);
    if (rc != CLI_PARSED)
        return rc;

    cli_target_options target_options = {debug_privilege};
    cli_map_request request = {&target_options, 0};
    pmm_map *map;
    char message[1400];
    if (cli_load_map_with_flags(pos[0], &request, heap_blocks ? PMM_SCAN_HEAP_BLOCKS : 0, &map, NULL, message,
                                sizeof message) != PMM_OK) {
        cli_error("%s", message);
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
