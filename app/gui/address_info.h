/* Everything the map knows about one address, as name/value pairs for the Properties window and
 * --dump-view: its region and allocation, the annotations that contain it (module, section, stack,
 * TEB, heap...), the module, the symbol and its source line. Plain C, no windows. */
#ifndef PMM_GUI_ADDRESS_INFO_H
#define PMM_GUI_ADDRESS_INFO_H

#include <stddef.h>
#include <stdint.h>
#include "core/model/map.h"

#define ADDRESS_INFO_MAX 40

typedef struct address_fact {
    char name[40];
    char value[600];
} address_fact;

typedef struct address_info {
    address_fact facts[ADDRESS_INFO_MAX];
    size_t count;
} address_info;

/* symbol: "module!function+0x1a" or ""; source: "file.c:12 (dwarf)" or "" (the caller resolves
 * them: that needs the source and the symbols). */
void address_info_describe(const pmm_map *map, uint64_t addr, const char *symbol, const char *source,
                           address_info *out);

/* Parses "0x7ff6a0b40000", "7ff6a0b40000", "7ff6`a0b40000" or "h" suffixed hex. Returns 1 on success. */
int address_parse(const char *text, uint64_t *out);

#endif
