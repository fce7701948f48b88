#include "cli_map.h"

#include <stdio.h>
#include <string.h>
#include "cli_args.h"
#include "commands.h"
#include "core/tools/integrity.h"

int cli_scan_target(const char *spec, const cli_target_options *options, pmm_source *src, pmm_map **map)
{
    return cli_scan_target_reading(spec, options, NULL, src, map);
}

int cli_scan_target_reading(const char *spec, const cli_target_options *options, const char *kernel_dump_default,
                            pmm_source *src, pmm_map **map)
{
    char message[1400];
    pmm_target t;
    *map = NULL;
    pmm_scan_options scan_options = {0};
    scan_options.symbol_path = options ? options->symbol_path : NULL;
    pmm_status st = cli_parse_target(spec, options, &t, message, sizeof message);
    if (st == PMM_OK && kernel_dump_default && t.kind == PMM_TARGET_KERNEL_DUMP && !t.selector)
        st = pmm_target_choose(&t, kernel_dump_default);
    if (st == PMM_OK && (st = cli_require_bytes(&t, spec, message, sizeof message)) == PMM_OK &&
        (st = pmm_target_load_map(&t, &scan_options, map, NULL, src, message, sizeof message)) == PMM_OK)
        cli_report_damage(spec, src);
    pmm_target_free(&t);
    if (st != PMM_OK) {
        if (st == PMM_ERR_NOMEM && !message[0])
            snprintf(message, sizeof message, "out of memory");
        cli_error("%s", message);
        return cli_target_exit_code(st);
    }
    return PMM_EXIT_OK;
}

static pmm_status step_failed(const char *spec, pmm_status st, const char *what, char *message, size_t cap)
{
    if (st == PMM_ERR_GONE)
        snprintf(message, cap, "%s: the process exited during the %s; no map was produced", spec, what);
    else
        snprintf(message, cap, "%s: %s failed: %s", spec, what, pmm_status_text(st));
    return st;
}

/* What a request adds to a scanned target's map, through the source it was scanned from: page
 * checksums and integrity findings. */
static pmm_status finish_scanned(const char *spec, pmm_source *src, const cli_map_request *request, pmm_map *map,
                                 pmm_page_sums *sums, char *message, size_t cap)
{
    pmm_status st;
    if (request->want_page_sums && sums && (st = pmm_page_sums_compute(src, map, NULL, NULL, sums)) != PMM_OK)
        return step_failed(spec, st, "page checksums", message, cap);
    if (request->want_integrity && (st = pmm_integrity_scan(src, map, NULL, NULL)) != PMM_OK)
        return step_failed(spec, st, "integrity scan", message, cap);
    return PMM_OK;
}

pmm_status cli_load_map(const char *spec, const cli_map_request *request, pmm_map **out, pmm_page_sums *sums,
                        char *message, size_t message_cap)
{
    static const cli_map_request defaults = {0};
    pmm_target t;
    pmm_source src;
    if (!request)
        request = &defaults;
    *out = NULL;
    if (sums)
        memset(sums, 0, sizeof *sums);
    pmm_status st = cli_parse_target(spec, request->target, &t, message, message_cap);
    if (st != PMM_OK)
        return st;
    pmm_scan_options options = {0};
    options.flags = request->scan_flags;
    options.symbol_path = request->target ? request->target->symbol_path : NULL;
    /* A saved map is the map itself; anything else is scanned, so it must have bytes. */
    if (t.kind == PMM_TARGET_SAVED_MAP || (st = cli_require_bytes(&t, spec, message, message_cap)) == PMM_OK)
        st = pmm_target_load_map(&t, &options, out, sums, &src, message, message_cap);
    else
        memset(&src, 0, sizeof src);
    if (st == PMM_OK && src.ops) {
        cli_report_damage(spec, &src);
        st = finish_scanned(spec, &src, request, *out, sums, message, message_cap);
    }
    if (st != PMM_OK) {
        pmm_map_free(*out);
        *out = NULL;
        if (sums)
            pmm_page_sums_free(sums);
    }
    pmm_source_close(&src);
    pmm_target_free(&t);
    return st;
}
