/* The colour of each region type (after VMMap's legend), shared by every picture of a map: the
 * GUI's tints, graphs and Fragmentation view, and `pmm map --picture`. Listed in the README. */
#ifndef PMM_KIND_COLOURS_H
#define PMM_KIND_COLOURS_H

#include <stdint.h>

/* 0xRRGGBB of a pmm_region_kind; grey for an unknown value. */
uint32_t pmm_kind_rgb(int kind);
/* c moved towards white: percent_colour 100 keeps it, 0 gives white. */
uint32_t pmm_rgb_lighten(uint32_t c, int percent_colour);

#endif
