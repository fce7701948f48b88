/* The lines behind the Disassembly tab: the instructions of one range of the target (the selected
 * row's), decoded on demand from the bytes hex_model reads and caches, so only what is on screen is
 * read. Bytes that cannot be read are one line each run ("??"), never decoded; an instruction cut
 * short by them is shown as the decoder shows a truncated one.
 *
 * Scrolling down is decoding on. Scrolling up cannot decode backwards (x86 instructions have no
 * marks at their starts), so it re-synchronises: it decodes forwards from a known boundary below the
 * address (the start of the function holding it, from the symbols; the start of its memory region;
 * the address the view was opened at) and keeps the instruction starts it met. The same lines as
 * `pmm disasm` from that boundary, then. Plain C, no windows. */
#ifndef PMM_GUI_DISASM_MODEL_H
#define PMM_GUI_DISASM_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include "core/tools/disasm_list.h"
#include "hex_model.h"

/* How far below an address a known boundary is looked for. Past it the model decodes from this far
 * below (x86 code falls into step with the true boundaries within a few instructions), and says so. */
#define DISASM_RESYNC_MAX ((uint64_t)1 << 20)
/* Instruction starts kept from the last re-synchronisation (so repeated Up keys decode once). */
#define DISASM_BACK_MAX 4096
/* An unreadable line covers at most this much of memory the map calls readable (a dump without
 * those bytes): the next line tries again. Unreadable regions are one line up to their end. */
#define DISASM_UNREADABLE_STEP 0x10000u

/* A known instruction boundary at or below addr (the function holding it); 0 when none is known. */
typedef int (*disasm_anchor_fn)(void *ctx, uint64_t addr, uint64_t *start);

typedef struct disasm_model {
    hex_model bytes;             /* the page cache; its range is the range shown */
    int bits;                    /* 32 or 64 */
    disasm_anchor_fn anchor;
    void *anchor_ctx;
    uint64_t origin;             /* where the view was opened (a boundary the user chose) */
    /* The last re-synchronisation: starts of the instructions decoded from a boundary up to
     * back_limit, ascending; back_count of them (the last DISASM_BACK_MAX). */
    uint64_t back[DISASM_BACK_MAX];
    size_t back_count;
    uint64_t back_limit;
    int back_guessed;            /* no known boundary was within DISASM_RESYNC_MAX */
} disasm_model;

void disasm_model_init(disasm_model *m, hex_read_fn read, void *read_ctx, disasm_anchor_fn anchor, void *anchor_ctx);
/* A new map (and source): as hex_model_set_map; bits 32 or 64. */
void disasm_model_set_map(disasm_model *m, const pmm_map *map, uint32_t probe_step, int bits);
/* Shows [start, end); origin (clamped into it) is a boundary the user chose. */
void disasm_model_set_range(disasm_model *m, uint64_t start, uint64_t end, uint64_t origin);
/* Forgets cached bytes and boundaries (a refresh of the same target). */
void disasm_model_invalidate(disasm_model *m);

/* The line at addr: an instruction, or the unreadable run starting there. 0 when addr is outside
 * the range. */
int disasm_model_line(disasm_model *m, uint64_t addr, pmm_disasm_line *line);
/* Up to count lines from addr; returns how many (fewer at the range's end). */
size_t disasm_model_lines(disasm_model *m, uint64_t addr, pmm_disasm_line *lines, size_t count);
/* The start of the line n lines above addr, re-synchronised from a known boundary; returns how many
 * lines up it went (fewer than n at the range's start). */
size_t disasm_model_back(disasm_model *m, uint64_t addr, size_t n, uint64_t *out);
/* The start of the line holding addr (an instruction boundary at or below it): where a jump to any
 * address (the scroll bar's thumb) lands. */
uint64_t disasm_model_align(disasm_model *m, uint64_t addr);

#endif
