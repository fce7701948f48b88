#include <stdio.h>
#include "cli_args.h"
#include "cli_map.h"
#include "cli_target.h"
#include "commands.h"
#include "core/tools/map_diff.h"

static const char *diff_usage =
    "pmm diff OLD NEW [--json] [--scan] [--debug-privilege] [--symbols PATH]\n"
    "  Compares two maps of a process: each of OLD and NEW is a saved map (pmm save), a minidump\n"
    "  or a live process id. Page contents are compared when both sides have page checksums\n"
    "  (a live side gets them when the saved side has them); integrity findings (pmm scan) when both\n"
    "  sides have them (a live side is scanned when the saved side was, or with --scan).";

typedef struct diff_side {
    const char *spec;
    pmm_map *map;
    pmm_page_sums sums;
} diff_side;

/* Saved sides are loaded first: whether they carry page checksums or integrity findings decides
 * whether a scanned side gets them too. The exit code of a failure (printed), else PMM_EXIT_OK. */
static int load_sides(diff_side sides[2], const cli_target_options *target_options, int integrity)
{
    int saved_with_sums = 0;
    char message[1400];
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < 2; i++) {
            if (cli_is_saved_map(sides[i].spec) != (pass == 0))
                continue;
            cli_map_request request = {target_options, saved_with_sums, integrity, 0};
            pmm_status st = cli_load_map(sides[i].spec, &request, &sides[i].map, &sides[i].sums, message, sizeof message);
            if (st != PMM_OK) {
                cli_error("%s", message);
                return cli_target_exit_code(st);
            }
            saved_with_sums |= sides[i].sums.present;
            integrity |= (sides[i].map->integrity.summary.flags & PMM_INTEGRITY_SCANNED) != 0;
        }
    }
    return PMM_EXIT_OK;
}

int cmd_diff(int argc, char **argv)
{
    int json = 0, integrity = 0, debug_privilege = 0, npos;
    const char *pos[2], *symbol_path = NULL;
    cli_option options[] = {{"--json", NULL, &json}, {"--scan", NULL, &integrity},
                            {"--debug-privilege", NULL, &debug_privilege}, {"--symbols", &symbol_path, NULL}};
    int rc = cli_parse(argc, argv, options, 4, pos, 2, 2, &npos, diff_usage);
    if (rc != CLI_PARSED)
        return rc;

    cli_target_options target_options = {debug_privilege, cli_symbol_path(symbol_path)};
    diff_side sides[2] = {{pos[0], NULL, {0}}, {pos[1], NULL, {0}}};
    pmm_map_diff diff = {0};
    cli_allow_process_beside_others();
    rc = load_sides(sides, &target_options, integrity);
    if (rc == PMM_EXIT_OK)
        rc = cli_check_process_option_used(pos[0]);
    if (rc == PMM_EXIT_OK) {
        if (pmm_map_diff_compute(sides[0].map, &sides[0].sums, sides[1].map, &sides[1].sums, &diff) != PMM_OK) {
            cli_error("comparing the maps failed: out of memory");
            rc = PMM_EXIT_FAILURE;
        } else {
            pmm_out out = pmm_out_file(stdout);
            if (json)
                pmm_map_diff_write_json(&diff, &out);
            else
                pmm_map_diff_write_text(&diff, &out);
            rc = PMM_EXIT_OK;   /* main() checks that all of it reached stdout */
        }
    }
    pmm_map_diff_free(&diff);
    for (int i = 0; i < 2; i++) {
        pmm_map_free(sides[i].map);
        pmm_page_sums_free(&sides[i].sums);
    }
    return rc;
}
