#include "cli_map.h"

#include <stdio.h>
#include <string.h>
#include "cli_args.h"
#include "commands.h"
#include "core/analyzers/scan.h"
#include "core/tools/integrity.h"

int cli_is_saved_map(const char *spec)
{
    unsigned long long pid;
    return cli_parse_u64(spec, &pid) != 0 && pmm_saved_map_is_file(spec);
}

static pmm_status scan_failed(const char *spec, pmm_status st, const char *what, char *message, size_t cap)
{
    if (st == PMM_ERR_GONE)
        snprintf(message, cap, "%s: the process exited during the %s; no map was produced", spec, what);
    else
        snprintf(message, cap, "%s: %s failed: %s", spec, what, pmm_status_text(st));
    return st;
}

int cli_scan_target(const char *spec, const cli_target_options *options, pmm_source *src, pmm_map **map)
{
    char message[512];
    pmm_status st = cli_open_target(spec, options, src, message, sizeof message);
    pmm_scan_options scan_options = {0};
    scan_options.symbol_path = options ? options->symbol_path : NULL;
    if (st == PMM_OK && (st = pmm_scan_source(src, &scan_options, map)) != PMM_OK) {
        scan_failed(spec, st, "scan", message, sizeof message);
        pmm_source_close(src);
    }
    if (st != PMM_OK) {
        cli_error("%s", message[0] ? message : pmm_status_text(st));
        return cli_target_exit_code(st);
    }
    return PMM_EXIT_OK;
}

/* Scans an opened source and, when asked, checksums its pages before it is closed. */
static pmm_status scan_source(const char *spec, pmm_source *src, const cli_map_request *request, uint32_t scan_flags,
                              pmm_map **out, pmm_page_sums *sums, char *message, size_t cap)
{
    pmm_scan_options options = {0};
    options.flags = scan_flags;
    options.symbol_path = request && request->target ? request->target->symbol_path : NULL;
    pmm_status st = pmm_scan_source(src, &options, out);
    if (st != PMM_OK)
        return scan_failed(spec, st, "scan", message, cap);
    if (request && request->want_page_sums && sums) {
        st = pmm_page_sums_compute(src, *out, NULL, NULL, sums);
        if (st != PMM_OK) {
            pmm_map_free(*out);
            *out = NULL;
            return scan_failed(spec, st, "page checksums", message, cap);
        }
    }
    if (request && request->want_integrity && (st = pmm_integrity_scan(src, *out, NULL, NULL)) != PMM_OK) {
        pmm_map_free(*out);
        *out = NULL;
        if (sums)
            pmm_page_sums_free(sums);
        return scan_failed(spec, st, "integrity scan", message, cap);
    }
    return PMM_OK;
}

pmm_status cli_load_map(const char *spec, const cli_map_request *request, pmm_map **out, pmm_page_sums *sums,
                        char *message, size_t message_cap)
{
    return cli_load_map_with_flags(spec, request, 0, out, sums, message, message_cap);
}

pmm_status cli_load_map_with_flags(const char *spec, const cli_map_request *request, uint32_t scan_flags,
                                   pmm_map **out, pmm_page_sums *sums, char *message, size_t message_cap)
{
    *out = NULL;
    message[0] = '\0';
    if (sums)
        memset(sums, 0, sizeof *sums);
    if (cli_is_saved_map(spec))
        return pmm_saved_map_load(spec, out, sums, message, message_cap);
    pmm_source src;
    pmm_status st = cli_open_target(spec, request ? request->target : NULL, &src, message, message_cap);
    if (st != PMM_OK) {
        if (!message[0])
            snprintf(message, message_cap, "%s", pmm_status_text(st));
        return st;
    }
    st = scan_source(spec, &src, request, scan_flags, out, sums, message, message_cap);
    pmm_source_close(&src);
    return st;
}
