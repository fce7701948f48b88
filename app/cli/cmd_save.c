#include <stdio.h>
#include "cli_args.h"
#include "cli_map.h"
#include "cli_target.h"
#include "commands.h"

static const char *save_usage =
    "pmm save TARGET FILE [--checksums] [--scan] [--debug-privilege] [--symbols PATH]\n"
    "  Saves the annotated map of TARGET (a process id or a minidump) to FILE, for `pmm map FILE`\n"
    "  and `pmm diff`. --checksums also records a checksum of every committed page, so a later\n"
    "  diff can show which pages' contents changed. --scan also runs the integrity scan (pmm scan)\n"
    "  and saves its findings, for `pmm scan FILE` and `pmm diff`.";

int cmd_save(int argc, char **argv)
{
    int checksums = 0, integrity = 0, debug_privilege = 0, npos;
    const char *pos[2], *symbol_path = NULL;
    cli_option options[] = {{"--checksums", NULL, &checksums}, {"--scan", NULL, &integrity},
                            {"--debug-privilege", NULL, &debug_privilege}, {"--symbols", &symbol_path, NULL}};
    int rc = cli_parse(argc, argv, options, 4, pos, 2, 2, &npos, save_usage);
    if (rc != CLI_PARSED || (rc = cli_check_output(pos[1], pos[0])) != CLI_PARSED)
        return rc;

    cli_target_options target_options = {debug_privilege, cli_symbol_path(symbol_path)};
    cli_map_request request = {&target_options, checksums, integrity, 0};
    pmm_map *map;
    pmm_page_sums sums;
    char message[1400];
    pmm_status st = cli_load_map(pos[0], &request, &map, &sums, message, sizeof message);
    if (st != PMM_OK) {
        cli_error("%s", message);
        return cli_target_exit_code(st);
    }
    st = pmm_saved_map_save(pos[1], map, &sums, message, sizeof message);
    pmm_page_sums_free(&sums);
    pmm_map_free(map);
    if (st != PMM_OK) {
        cli_error("%s", message);
        return PMM_EXIT_FAILURE;
    }
    return PMM_EXIT_OK;
}
