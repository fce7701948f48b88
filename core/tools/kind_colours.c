#include "kind_colours.h"

#include "../model/map.h"

uint32_t pmm_kind_rgb(int kind)
{
    static const uint32_t colours[PMM_KIND_COUNT] = {
        [PMM_KIND_FREE] = 0xD8D8D8,   [PMM_KIND_UNUSABLE] = 0xA8A8A8, [PMM_KIND_IMAGE] = 0xB48CDC,
        [PMM_KIND_MAPPED_FILE] = 0x7CACE4, [PMM_KIND_SHAREABLE] = 0x6CC4C0, [PMM_KIND_HEAP] = 0xF0A058,
        [PMM_KIND_STACK] = 0xE8CC50,  [PMM_KIND_PRIVATE] = 0x8CC884,  [PMM_KIND_SYSTEM] = 0xE48CA0,
    };
    return kind >= 0 && kind < PMM_KIND_COUNT ? colours[kind] : 0xC0C0C0;
}

uint32_t pmm_rgb_lighten(uint32_t c, int percent_colour)
{
    uint32_t out = 0;
    for (int shift = 0; shift <= 16; shift += 8) {
        int v = (int)(c >> shift & 0xFF);
        out |= (uint32_t)(255 - (255 - v) * percent_colour / 100) << shift;
    }
    return out;
}
