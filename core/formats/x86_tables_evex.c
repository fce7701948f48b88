/* EVEX-encoded maps 0F, 0F38, 0F3A: AVX-512 (Intel SDM vol. 2). */
#include "x86_tables_ops.h"

const x86_entry x86_map_evex[3][256] = {
    { [0] = BAD },
};
