/* AMD XOP maps 8, 9 and A (escape 8F with ModRM.reg != 0: the byte after 8F is RXB.mmmmm with mmmmm
 * 8-10, then W.vvvv.L.pp as in a three-byte VEX): XOP's integer SIMD (vpperm, vpcmov, vprot*,
 * vpsha*, vpshl*, vpcom*, vpmacs*, vphadd*, vfrcz*), TBM (blcfill ... t1mskc, bextr with a 32-bit
 * immediate) and LWP (llwpcb, lwpins). Every form needs pp = 00; which W and L each takes is as
 * objdump (binutils 2.40) accepts them. The fourth register of the four-operand forms is in the
 * immediate's high four bits, W1 swapping it with the r/m operand (as FMA4). */
#include "x86_tables_ops.h"

#define Ldq OP(M_L, S_XX)
#define Id OP(M_I, S_D)
#define Vxx OP(M_V, S_XX)
#define Wxx OP(M_W, S_XX)
#define Hxx OP(M_H, S_XX)
#define By OP(M_B, S_Y)

/* Map 8: four operands, W0 only (vpmacs*, vpmadcs*) or both W orders (vpcmov, vpperm). */
#define MACS(mn) PNP(L0(WSEL(I(mn, Vxx, Hxx, Wxx, Ldq), BAD)))
#define XOP4W(mn) PNP(WSEL(I(mn, Vx, Hx, Wx, Lx), I(mn, Vx, Hx, Lx, Wx)))
#define XOP4W_L0(mn) PNP(L0(WSEL(I(mn, Vxx, Hxx, Wxx, Ldq), I(mn, Vxx, Hxx, Ldq, Wxx))))
/* vpcom*: the predicate in the immediate (objdump: vpcomltb for 0-7). */
#define COM(mn) PNP(L0(WSEL(I(mn, Vxx, Hxx, Wxx, Ib), BAD)))
/* Rotate by an immediate: VEX.vvvv unused. */
#define ROTI(mn) PNP(L0(WSEL(I(mn, Vxx, Wxx, Ib), BAD)))
/* Map 9: shifts and rotates by a register, W swapping the count and the source. */
#define SHIFT(mn) PNP(L0(WSEL(I(mn, Vxx, Wxx, Hxx), I(mn, Vxx, Hxx, Wxx))))
#define HADD(mn) PNP(L0(WSEL(I(mn, Vxx, Wxx), BAD)))
/* TBM's one-operand groups: the destination in VEX.vvvv. */
#define TBM(mn) PNP(L0(I(mn, By, Ey)))

#define XOP_8 { \
    [0x85] = MACS(vpmacssww), MACS(vpmacsswd), MACS(vpmacssdql), \
    [0x8e] = MACS(vpmacssdd), MACS(vpmacssdqh), \
    [0x95] = MACS(vpmacsww), MACS(vpmacswd), MACS(vpmacsdql), \
    [0x9e] = MACS(vpmacsdd), MACS(vpmacsdqh), \
    [0xa2] = XOP4W(vpcmov), XOP4W_L0(vpperm), \
    [0xa6] = MACS(vpmadcsswd), [0xb6] = MACS(vpmadcswd), \
    [0xc0] = ROTI(vprotb), ROTI(vprotw), ROTI(vprotd), ROTI(vprotq), \
    [0xcc] = COM(vpcomb), COM(vpcomw), COM(vpcomd), COM(vpcomq), \
    [0xec] = COM(vpcomub), COM(vpcomuw), COM(vpcomud), COM(vpcomuq), \
}

#define XOP_9 { \
    [0x01] = REG8(BAD, TBM(blcfill), TBM(blsfill), TBM(blcs), TBM(tzmsk), TBM(blcic), TBM(blsic), TBM(t1mskc)), \
    [0x02] = REG8(BAD, TBM(blcmsk), BAD, BAD, BAD, BAD, TBM(blci), BAD), \
    [0x12] = MOD(BAD, REG8(PNP(L0(I(llwpcb, RMy))), PNP(L0(I(slwpcb, RMy))), BAD, BAD, BAD, BAD, BAD, BAD)), \
    [0x80] = PNP(WSEL(I(vfrczps, Vx, Wx), BAD)), PNP(WSEL(I(vfrczpd, Vx, Wx), BAD)), \
    [0x82] = PNP(L0(WSEL(I(vfrczss, Vxx, Wd), BAD))), PNP(L0(WSEL(I(vfrczsd, Vxx, Wq), BAD))), \
    [0x90] = SHIFT(vprotb), SHIFT(vprotw), SHIFT(vprotd), SHIFT(vprotq), \
    [0x94] = SHIFT(vpshlb), SHIFT(vpshlw), SHIFT(vpshld), SHIFT(vpshlq), \
    [0x98] = SHIFT(vpshab), SHIFT(vpshaw), SHIFT(vpshad), SHIFT(vpshaq), \
    [0xc1] = HADD(vphaddbw), HADD(vphaddbd), HADD(vphaddbq), [0xc6] = HADD(vphaddwd), HADD(vphaddwq), \
    [0xcb] = HADD(vphadddq), \
    [0xd1] = HADD(vphaddubw), HADD(vphaddubd), HADD(vphaddubq), [0xd6] = HADD(vphadduwd), HADD(vphadduwq), \
    [0xdb] = HADD(vphaddudq), \
    [0xe1] = HADD(vphsubbw), HADD(vphsubwd), HADD(vphsubdq), \
}

#define XOP_A { \
    [0x10] = PNP(I(bextr, Gy, Ey, Id)), \
    [0x12] = REG8(PNP(L0(I(lwpins, By, Ed, Id))), PNP(L0(I(lwpval, By, Ed, Id))), BAD, BAD, BAD, BAD, BAD, BAD), \
}

const x86_entry x86_map_xop[3][256] = { XOP_8, XOP_9, XOP_A };
