/* A map from what a TARGET argument names: a saved map is loaded; a process id or a minidump is
 * opened and scanned. Shared by `pmm map`, `pmm save`, `pmm diff` and the commands that read
 * memory as well. */
#ifndef PMM_CLI_MAP_H
#define PMM_CLI_MAP_H

#include <stddef.h>
#include "cli_target.h"
#include "core/formats/saved_map.h"

typedef struct cli_map_request {
    const cli_target_options *target;   /* may be NULL */
    int want_page_sums;                 /* checksum every committed page of a scanned target */
    int want_integrity;                 /* run the integrity scan (pmm scan) on a scanned target */
    uint32_t scan_flags;                /* pmm_scan_option_flags (PMM_SCAN_HEAP_BLOCKS); a saved map ignores them */
} cli_map_request;

/* On success *out is a finished map the caller frees with pmm_map_free, and sums (when not NULL)
 * holds the page checksums the saved map had or that were computed (present = 0 when none); free
 * them with pmm_page_sums_free. On failure prints nothing; message is ready for cli_error. */
pmm_status cli_load_map(const char *spec, const cli_map_request *request, pmm_map **out, pmm_page_sums *sums,
                        char *message, size_t message_cap);

/* Opens TARGET (a pid or a minidump) and scans it, keeping the source open for commands that read
 * memory as well. On failure prints the reason and returns PMM_EXIT_FAILURE (a saved map is
 * refused: it holds no bytes); on success PMM_EXIT_OK, and the caller frees the map and closes
 * the source. */
int cli_scan_target(const char *spec, const cli_target_options *options, pmm_source *src, pmm_map **map);
/* The same, except that a kernel dump no --process chose a process of is read as the address space
 * kernel_dump_default names ("kernel" for pe and exports: its drivers); NULL: refused. */
int cli_scan_target_reading(const char *spec, const cli_target_options *options, const char *kernel_dump_default,
                            pmm_source *src, pmm_map **map);

#endif
