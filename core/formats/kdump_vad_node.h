/* A VAD node's fields where a layout places them, shared by the VAD tree read (kdump_vad.c) and
 * the validation of candidate layouts (kdump_vad_inference.c). Internal to the kernel dump reader. */
#ifndef PMM_KDUMP_VAD_NODE_H
#define PMM_KDUMP_VAD_NODE_H

#include <stdint.h>
#include "kdump_internal.h"
#include "kdump_vad.h"

static inline uint64_t kd_vad_field(const uint8_t *node, uint32_t offset, uint32_t size)
{
    return kd_pointer_at(node + offset, size);
}

/* The first and last page numbers of the node's range. */
static inline void kd_vad_pages(const pmm_kdump_vad_layout *l, const uint8_t *node, uint64_t *first, uint64_t *last)
{
    *first = kd_vad_field(node, l->starting_vpn, l->vpn_size);
    *last = kd_vad_field(node, l->ending_vpn, l->vpn_size);
    if (l->starting_vpn_high) {
        *first |= (uint64_t)node[l->starting_vpn_high] << 32;
        *last |= (uint64_t)node[l->ending_vpn_high] << 32;
    }
}

/* Bytes of a node the layout reads. */
static inline uint32_t kd_vad_node_span(const pmm_kdump_vad_layout *l, uint32_t ps)
{
    const uint32_t ends[] = {l->left + ps, l->right + ps, l->starting_vpn + l->vpn_size, l->ending_vpn + l->vpn_size,
                             l->starting_vpn_high + 1, l->ending_vpn_high + 1, l->flags + l->flags_size,
                             l->commit_flags + 4, l->subsection + ps};
    uint32_t span = 0;
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++)
        if (ends[i] > span)
            span = ends[i];
    return span;
}

#endif
