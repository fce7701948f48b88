/* pmm scan: the integrity scan of a process or a minidump (core/tools/integrity.h): each image's
 * code and read-only data against its file, hooks and patches classified, and process-wide checks. */
#include <stdio.h>
#include "cli_args.h"
#include "cli_map.h"
#include "cli_target.h"
#include "commands.h"
#include "core/tools/integrity.h"
#include "core/util/json_writer.h"

static const char *scan_usage =
    "pmm scan TARGET [--json] [--module NAME] [--debug-privilege]\n"
    "  TARGET is a process id, a minidump, or a map saved with `pmm save --scan` (its findings are\n"
    "  printed as saved). Compares every image's code and read-only data with the file\n"
    "  it was mapped from (relocated for where it was loaded) and reports each change: inline hooks with\n"
    "  their destination, patched bytes, redirected IAT / delay-load IAT / EAT entries, changed entry\n"
    "  points and TLS callbacks, changed PE headers; then images replaced in memory, files gone or\n"
    "  changed, images the loader list does not name, PE images in non-image memory, and executable\n"
    "  non-image memory with the threads there. Everything that could not be compared is listed with\n"
    "  the reason. --module NAME scans one image (file name, with or without extension, or an address\n"
    "  in it) and skips the process-wide checks. Exit code 0 whatever is found.";

/* Opens and scans TARGET, then runs the integrity scan; *map is NULL when opening or scanning failed
 * (the reason printed). */
static pmm_status scan(const char *spec, int debug_privilege, const char *module, pmm_map **map)
{
    cli_target_options target_options = {debug_privilege, cli_symbol_path(NULL)};
    pmm_source src;
    *map = NULL;
    int rc = cli_scan_target(spec, &target_options, &src, map);
    if (rc != PMM_EXIT_OK)
        return rc == PMM_EXIT_USAGE ? PMM_ERR_ARG : PMM_ERR_NOT_FOUND;
    pmm_integrity_options scan_options = {module, NULL, NULL, NULL, NULL, target_options.symbol_path};
    pmm_status st = pmm_integrity_scan(&src, *map, NULL, &scan_options);
    pmm_source_close(&src);
    return st;
}

/* A map saved with --scan: its findings as they were. */
static pmm_status load_saved(const char *spec, const char *module, pmm_map **map)
{
    char message[1400];
    if (module) {
        cli_error("--module cannot select images of a saved map: it holds the whole scan as it was saved");
        *map = NULL;
        return PMM_ERR_ARG;
    }
    pmm_status st = pmm_saved_map_load(spec, map, NULL, message, sizeof message);
    if (st != PMM_OK) {
        cli_error("%s", message);
        return st;
    }
    if (!((*map)->integrity.summary.flags & PMM_INTEGRITY_SCANNED)) {
        cli_error("%s: this saved map has no integrity scan; save it with `pmm save --scan`", spec);
        pmm_map_free(*map);
        *map = NULL;
        return PMM_ERR_NOT_FOUND;
    }
    return PMM_OK;
}

int cmd_scan(int argc, char **argv)
{
    int json = 0, debug_privilege = 0, npos;
    const char *pos[1], *module = NULL;
    cli_option options[] = {{"--json", NULL, &json}, {"--module", &module, NULL},
                            {"--debug-privilege", NULL, &debug_privilege}};
    int rc = cli_parse(argc, argv, options, 3, pos, 1, 1, &npos, scan_usage);
    if (rc != CLI_PARSED)
        return rc;
    if (module && !*module) {
        cli_error("--module needs a name or an address\n%s", scan_usage);
        return PMM_EXIT_USAGE;
    }
    pmm_map *map;
    if (cli_is_saved_map(pos[0]) && (rc = cli_check_process_option_used(pos[0])) != PMM_EXIT_OK)
        return rc;
    pmm_status st = cli_is_saved_map(pos[0]) ? load_saved(pos[0], module, &map) : scan(pos[0], debug_privilege, module, &map);
    if (st == PMM_ERR_ARG)
        return PMM_EXIT_USAGE;
    if (!map)
        return PMM_EXIT_FAILURE;
    pmm_out out = pmm_out_file(stdout);
    rc = PMM_EXIT_OK;
    if (st == PMM_ERR_GONE) {
        cli_error("%s: the process exited during the scan; no findings are reported", pos[0]);
        rc = PMM_EXIT_FAILURE;
    } else if (st != PMM_OK) {
        cli_error("%s: the integrity scan failed: %s", pos[0], pmm_status_text(st));
        rc = PMM_EXIT_FAILURE;
    } else if (json) {
        pmm_integrity_write_json(map, &out);
    } else {
        pmm_integrity_write_text(map, &out);
    }
    pmm_map_free(map);
    return rc;   /* main() checks that all of the output reached stdout */
}
