/* What the window shows about one target: the map, the source it was read from (kept open so the
 * hex view can read bytes on demand), and the symbols of its modules, read the first time a view
 * needs them. Plain C, no windows: the provider side of the provider/list split.
 * Used only on the UI thread: sources are not safe to read from two threads at once. */
#ifndef PMM_GUI_TARGET_SESSION_H
#define PMM_GUI_TARGET_SESSION_H

#include <stddef.h>
#include <stdint.h>
#include "core/model/map.h"
#include "core/symbols/symbols.h"

typedef struct target_session {
    pmm_map *map;            /* owned; NULL when nothing is shown */
    pmm_source source;       /* owned when has_source */
    int has_source;
    pmm_symbols symbols;
    int symbols_state;       /* 0 not read, 1 read, -1 reading failed (out of memory) */
    char symbol_path[1024];  /* UTF-8: where PDBs are; "" beside the images only */
    uint32_t generation;     /* changes with each new map, so views know their cached bytes are stale */
} target_session;

void target_session_init(target_session *s);
/* Takes ownership of map and (when not NULL) src; frees what was there before. */
void target_session_replace(target_session *s, pmm_map *map, const pmm_source *src);
void target_session_close(target_session *s);

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
