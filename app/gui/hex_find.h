/* Find within the hex view's range (Ctrl+F in the pane): the next place at or after an address
 * where a compiled pattern (core/tools/search_pattern.h: text or hex bytes with ??) matches, read
 * page by page through the hex model's reader without disturbing its cache. Unreadable bytes
 * never match, and a match never spans them. One call examines at most a given number of bytes,
 * so a search through a huge region can go on in steps. Plain C, no windows. */
#ifndef PMM_GUI_HEX_FIND_H
#define PMM_GUI_HEX_FIND_H

#include <stdint.h>
#include "core/tools/search_pattern.h"
#include "hex_model.h"

typedef enum hex_find_result {
    HEX_FIND_FOUND,              /* *at is the match's address */
    HEX_FIND_NOT_FOUND,          /* nothing up to the end of the range */
    HEX_FIND_STOPPED,            /* max_bytes examined; *at is where to go on from */
    HEX_FIND_NO_MEMORY
} hex_find_result;

/* Looks in [from, m->end) (from clamped to m->start). */
hex_find_result hex_find_next(hex_model *m, const pmm_search_pattern *pattern, uint64_t from, uint64_t max_bytes,
                              uint64_t *at);

#endif
