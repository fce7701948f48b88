/* VEX-encoded maps 0F, 0F38, 0F3A: AVX, AVX2, FMA, BMI1/2, F16C, VAES, VPCLMULQDQ (Intel SDM vol. 2). */
#include "x86_tables_ops.h"

const x86_entry x86_map_vex[3][256] = {
    { [0x77] = LSEL(IF0(vzeroupper, F_NOMODRM), IF0(vzeroall, F_NOMODRM), BAD) },
};
