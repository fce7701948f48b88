/* Integrity scan: every image's code and read-only data compared with the file it was mapped from
 * (relocated for its loaded base), each difference classified (inline hook with its destination,
 * patched bytes, IAT / delay-IAT / EAT redirection, entry point, TLS callback, PE header), and
 * process-wide checks (hollowed or replaced images, files gone or changed, unlinked modules, PE
 * images implanted in non-image memory, executable private memory and the threads there).
 *
 * Works through the source interface, so live processes and minidumps are scanned alike; image
 * files are read from disk through the file source. What could not be compared (a file missing,
 * pages not in a dump, relocations that cannot be applied) is listed with the reason, never
 * counted as clean. Results go into map->integrity (core/model/findings.h). */
#ifndef PMM_INTEGRITY_H
#define PMM_INTEGRITY_H

#include "../util/progress.h"
#include "../model/map.h"
#include "../util/json_writer.h"
#include "../symbols/symbols.h"

#define PMM_SCAN_JSON_VERSION 1

typedef struct pmm_integrity_options {
    /* Only images whose file name (with or without extension) or base address matches; the
     * process-wide checks are then skipped. NULL for every image. */
    const char *module_filter;
    pmm_progress_fn progress;        /* done/total in bytes of images; non-zero cancels */
    void *progress_ctx;
    /* Opens the file an image was mapped from (a path as the map names it). NULL: the file
     * source (pmm_file_source_open). Tests and minidumps from elsewhere redirect it. */
    pmm_status (*open_file)(void *ctx, const char *path, pmm_source *out);
    void *open_ctx;
    const char *symbol_path;         /* where PDBs for naming findings may be (symbol_path.h); NULL: none */
} pmm_integrity_options;

/* Scans the images of a finished map of src and adds what it finds to map->integrity (replacing
 * what an earlier scan put there). syms names addresses; NULL builds it from the map here, when a
 * finding first needs a name.
 * Fatal only on PMM_ERR_NOMEM, PMM_ERR_GONE (the process exited) and PMM_ERR_CANCELLED;
 * everything else becomes a finding or an unchecked entry. */
pmm_status pmm_integrity_scan(pmm_source *src, pmm_map *map, const pmm_symbols *syms,
                              const pmm_integrity_options *options);

/* Output: text for people, JSON format pmm-scan (README). */
void pmm_integrity_write_text(const pmm_map *map, pmm_out *out);
void pmm_integrity_write_json(const pmm_map *map, pmm_out *out);
/* The findings part alone (the "findings", "not_checked" and "integrity" keys), for pmm map --json. */
void pmm_integrity_write_json_members(const pmm_map *map, pmm_json *json);

#endif
