/* The bytes behind the hex view: a range of the target's address space cut into 16-byte lines, read
 * page by page only when a line is asked for, and cached, so a 2 GiB region scrolls as fast as a
 * small one. Pages the map says cannot be read (reserved, free, no-access, guard) are never read:
 * reading a guard page would change the target, and Wine hands back zeros for reserved memory.
 * Unreadable bytes are reported as such and shown as "??", never as zeros. Plain C, no windows. */
#ifndef PMM_GUI_HEX_MODEL_H
#define PMM_GUI_HEX_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include "core/model/map.h"

#define HEX_BYTES_PER_LINE 16
#define HEX_CACHE_PAGES 16

typedef size_t (*hex_read_fn)(void *ctx, uint64_t addr, void *buf, size_t len);

/* NOT_LOADED: the map is a scan's preview, with no source yet: the bytes are neither read nor known
 * to be unreadable, and are never shown as "??". */
enum hex_byte_state { HEX_BYTE_OUTSIDE, HEX_BYTE_UNREADABLE, HEX_BYTE_OK, HEX_BYTE_NOT_LOADED };

/* What the views say of bytes not loaded yet. */
#define HEX_NOT_LOADED_TEXT "not loaded yet: the scan has not finished"

typedef struct hex_page {
    uint64_t base;
    uint32_t last_used;
    int used;
    uint8_t bytes[PMM_PAGE_SIZE];
    uint8_t readable[PMM_PAGE_SIZE];
} hex_page;

typedef struct hex_model {
    hex_read_fn read;
    void *read_ctx;
    const pmm_map *map;          /* borrowed; NULL reads everything */
    uint32_t probe_step;         /* after a failed read, where to try again: the next page for live
                                    processes (whole pages fail), the next byte for dumps (their memory
                                    ranges may start anywhere; a failed probe there is a cheap lookup) */
    uint32_t pointer_size;
    int not_loaded;              /* the map is a scan's preview: nothing is read (HEX_BYTE_NOT_LOADED) */
    uint64_t start, end;         /* the range shown, [start, end) */
    hex_page pages[HEX_CACHE_PAGES];
    uint32_t clock;
} hex_model;

void hex_model_init(hex_model *m, hex_read_fn read, void *read_ctx);
/* A new map (and source behind read): forgets the range and every cached byte. A preview map
 * (PMM_SCAN_PREVIEW) has no bytes loaded yet. */
void hex_model_set_map(hex_model *m, const pmm_map *map, uint32_t probe_step);
void hex_model_set_range(hex_model *m, uint64_t start, uint64_t end);
/* Forgets the cached bytes (they are re-read when next shown). */
void hex_model_invalidate(hex_model *m);

/* Lines start at 16-byte boundaries: the first one at start rounded down. */
uint64_t hex_model_line_count(const hex_model *m);
uint64_t hex_model_line_address(const hex_model *m, uint64_t line);
/* The line holding addr (clamped into the range). */
uint64_t hex_model_line_of(const hex_model *m, uint64_t addr);
/* The 16 bytes of a line and the state of each (hex_byte_state). */
void hex_model_line(hex_model *m, uint64_t line, uint8_t bytes[HEX_BYTES_PER_LINE],
                    uint8_t states[HEX_BYTES_PER_LINE]);
/* Any n bytes from addr through the page cache, with the state of each (hex_byte_state): bytes
 * outside the range are HEX_BYTE_OUTSIDE, unreadable ones HEX_BYTE_UNREADABLE, those of a preview
 * HEX_BYTE_NOT_LOADED (and 0 in bytes, a value nobody may show). */
void hex_model_bytes(hex_model *m, uint64_t addr, size_t n, uint8_t *bytes, uint8_t *states);
/* Reads the page at base (page-aligned) into p without caching it: what find in view walks with. */
void hex_model_read_page(hex_model *m, uint64_t base, hex_page *p);
/* Whether the map allows reading the page at all (committed, readable, not a guard page). */
int hex_model_page_may_be_read(const hex_model *m, uint64_t page);
/* "00007FF6A0B40000  4D 5A 90 00 ...  MZ..", unreadable bytes as "??", bytes not loaded yet as "--"
 * (both blank in the text part), bytes outside the range as blanks. Returns buf. */
const char *hex_model_format_line(hex_model *m, uint64_t line, char *buf, size_t cap);

#endif
