/* What the window shows about one target: the map, the source it was read from (kept open so the
 * hex view can read bytes on demand), and the symbols of its modules, read the first time a view
 * needs them. The provider side of the provider/list split.
 *
 * The map and the source are shared (target_data, reference counted): the window holds one
 * reference and lends others to the jobs that read the same target (search, strings, dumps, page
 * checksums), so a refresh or another target can replace what the window shows while a job still
 * reads the old one, and no job opens or scans the target again. Sources answer reads from several
 * threads at once (source.h); the map is never changed once made. */
#ifndef PMM_GUI_TARGET_SESSION_H
#define PMM_GUI_TARGET_SESSION_H

#include <stddef.h>
#include <stdint.h>
#include "core/model/map.h"
#include "core/symbols/symbols.h"
#include "core/tools/target.h"

typedef struct target_data {
    volatile long refs;
    pmm_target target;       /* what map and source were read from */
    pmm_map *map;
    pmm_source source;
    int has_source;          /* 0 for a saved map: no bytes */
} target_data;

/* Takes ownership of map and (when not NULL) src, read from target (copied), with one reference for
 * the caller; NULL when out of memory (map and src are then freed). */
target_data *target_data_new(const pmm_target *target, pmm_map *map, const pmm_source *src);
target_data *target_data_acquire(target_data *d);
/* Drops a reference; the last frees the map and closes the source. NULL is fine. */
void target_data_release(target_data *d);
/* The source, or NULL when the target has no bytes. */
pmm_source *target_data_source(target_data *d);

typedef struct target_session {
    target_data *data;       /* the window's reference; NULL when nothing is shown */
    pmm_map *map;            /* data->map, for the views; NULL when nothing is shown */
    pmm_source *source;      /* the source in data, NULL when none (a saved map) */
    pmm_symbols symbols;
    int symbols_state;       /* 0 not read, 1 read, -1 reading failed (out of memory) */
    char symbol_path[1024];  /* UTF-8: where PDBs are; "" beside the images only */
    uint32_t generation;     /* changes with each new map, so views know their cached bytes are stale */
} target_session;

void target_session_init(target_session *s);
/* Takes the caller's reference to data (NULL shows nothing); drops the one it held. */
void target_session_replace(target_session *s, target_data *data);
void target_session_close(target_session *s);
/* Another reference to what is shown, for a job (target_data_release it); NULL when nothing is. */
target_data *target_session_share(target_session *s);

/* Bytes from the target; 0 when there is no source. Like pmm_source_read: contiguous from addr. */
size_t target_session_read(target_session *s, uint64_t addr, void *buf, size_t len);
/* Where PDBs are (symbol_path.h syntax); the symbols read so far are dropped and read again. */
void target_session_set_symbol_path(target_session *s, const char *symbol_path);
/* The modules' symbols (core/symbols: registered now, each module read when first needed); NULL
 * when they cannot be set up. */
const pmm_symbols *target_session_symbols(target_session *s);
/* "module!function+0x1a" for addr (the best name its module has), "" when it is in no module (or
 * there are no symbols). */
const char *target_session_describe(target_session *s, uint64_t addr, char *buf, size_t cap);
/* The same with the source line and inlined call: "module!f+0x1a [file.c:12]". */
const char *target_session_describe_line(target_session *s, uint64_t addr, char *buf, size_t cap);
/* Where the code at addr comes from, "file.c:12, inlined f from file.c:30 (dwarf)"; "" when no
 * symbols say. */
const char *target_session_source(target_session *s, uint64_t addr, char *buf, size_t cap);

#endif
