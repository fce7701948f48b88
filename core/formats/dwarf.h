/* DWARF versions 2 to 5, as MinGW gcc and clang write them into PE images: the functions of every
 * compilation unit (DW_TAG_subprogram with low/high PC or ranges, names through abstract origins
 * and specifications, inlined calls with their call sites) and the line programs. Reported to a
 * dbg_sink as RVAs. Every offset, count and reference is checked; a unit that is damaged is
 * skipped (and counted), the others are still read. */
#ifndef PMM_DWARF_H
#define PMM_DWARF_H

#include <stddef.h>
#include <stdint.h>
#include "debug_sink.h"

typedef struct dwarf_section {
    const uint8_t *data;         /* NULL when the image has no such section */
    size_t size;
} dwarf_section;

typedef struct dwarf_input {
    dwarf_section info, abbrev, line, str, line_str, ranges, rnglists, addr, str_offsets;
    uint64_t image_base;         /* DWARF holds addresses at the header's ImageBase */
    uint32_t image_size;         /* addresses outside the image (discarded code at 0) are dropped */
} dwarf_input;

typedef struct dwarf_stats {
    uint32_t units;              /* compilation units read */
    uint32_t units_damaged;      /* skipped or cut short because something in them was invalid */
    uint32_t functions;          /* function ranges reported */
    uint32_t inlined;            /* inlined-call ranges reported */
    uint32_t sequences;          /* line sequences reported */
    char problem[160];           /* the first damage found, "" when none */
} dwarf_stats;

/* The section names DWARF uses, so that a caller can pick them out of an image's sections. */
dwarf_section *dwarf_input_section(dwarf_input *in, const char *name);

/* Walks every unit of in->info. PMM_ERR_NOT_FOUND when there is no .debug_info, PMM_ERR_NOMEM,
 * or the first error the sink returned; damage in the data is not an error (see stats). */
pmm_status dwarf_report(const dwarf_input *in, const dbg_sink *sink, dwarf_stats *stats);

#endif
