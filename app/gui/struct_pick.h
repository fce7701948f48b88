/* Which known structures start at an address of a map: the PEB, a TEB, the process parameters,
 * KUSER_SHARED_DATA, the loader's module entries, a PE image's DOS, NT and section headers, its
 * export, import, TLS and load-config directories. Chosen from the annotations the scan made
 * there, with the layout (32/64-bit) they record; a few target reads follow e_lfanew and the
 * loader list. Plain C over a source, for the structure view. */
#ifndef PMM_GUI_STRUCT_PICK_H
#define PMM_GUI_STRUCT_PICK_H

#include <stddef.h>
#include <stdint.h>
#include "core/formats/struct_tables.h"
#include "core/model/map.h"
#include "core/source/source.h"

#define STRUCT_PICK_MAX 64

typedef struct struct_pick_item {
    uint64_t address;
    const pmm_struct_def *def;
} struct_pick_item;

typedef struct struct_pick {
    struct_pick_item items[STRUCT_PICK_MAX];
    size_t count;
    char title[200];             /* what was recognised: "PEB (64-bit)", "PE headers of pmm_testdll.dll" */
} struct_pick;

/* Fills pick with the structures starting at address (none: count 0). src may be NULL (a saved map:
 * only structures needing no reads are picked, and they cannot be decoded anyway). */
void struct_pick_at(const pmm_map *map, pmm_source *src, uint64_t address, struct_pick *pick);

#endif
