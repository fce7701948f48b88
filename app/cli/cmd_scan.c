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
    "  TARGET is a process id or a minidump. Compares every image's code and read-only data with the file\n"
    "  it was mapped from (relocated for where it was loaded) and reports each change: inline hooks with\n"
    "  their destination, patched bytes, redirected IAT / delay-load IAT / EAT entries, changed entry\n"
    "  points and TLS callbacks, changed PE headers; then images replaced in memory, files gone or\n"
    "  changed, images the loader list does not name, PE images in non-image memory, and executable\n"
    "  non-image memory with the threads there. Everything that could not be compared is listed with\n"
    "  the reason. --module NAME scans one image (file name, with or without extension, or an address\n"
    "  in it) and skips the process-wide checks. Exit code 0 whatever is found.";

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
    cli_target_options target_options = {debug_privilege};
    pmm_source src;
    pmm_map *map;
    if (cli_scan_target(pos[0], &target_options, &src, &map) != PMM_EXIT_OK)
        return PMM_EXIT_FAILURE;
    pmm_integrity_options scan_options = {module, NULL, NULL, NULL, NULL};
    pmm_status st = pmm_integrity_scan(&src, map, NULL, &scan_options);
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
    pmm_source_close(&src);
    if (out.failed || fflush(stdout) != 0) {
        cli_error("writing the output failed (disk full or closed pipe?)");
        rc = PMM_EXIT_FAILURE;
    }
    return rc;
}
