/* VEX-encoded maps 0F, 0F38, 0F3A: AVX, AVX2, FMA, F16C, BMI1/2, VAES, VPCLMULQDQ (Intel SDM vol. 2).
 * An entry without an H/B operand requires VEX.vvvv = 1111; L0(...) marks forms that exist with
 * VEX.L = 0 only, L1(...) with VEX.L = 1 only (objdump: "(bad)" otherwise). */
#include "x86_tables_ops.h"

#define V3(mn) I(mn, Vx, Hx, Wx)
#define V2(mn) I(mn, Vx, Wx)
#define P3(mn) P66(V3(mn))
#define P2(mn) P66(V2(mn))
#define PSPD(mn) PFX(V3(mn##ps), V3(mn##pd), BAD, BAD)
#define ARITH(mn) PFX(V3(mn##ps), V3(mn##pd), I(mn##ss, Vdq, Hdq, Wd), I(mn##sd, Vdq, Hdq, Wq))
#define SHIFT_IMM(mn) P66(I(mn, Hx, Ux, Ib))
#define SHIFT_XMM(mn) P66(I(mn, Vx, Hx, Wdq))
#define FMA(n, mn) WSEL(V3(mn##n##ps), V3(mn##n##pd))
#define FMAS(n, mn) WSEL(I(mn##n##ss, Vdq, Hdq, Wd), I(mn##n##sd, Vdq, Hdq, Wq))
#define FMA_ROW(n) \
    P66(FMA(n, vfmaddsub)), P66(FMA(n, vfmsubadd)), P66(FMA(n, vfmadd)), P66(FMAS(n, vfmadd)), \
    P66(FMA(n, vfmsub)), P66(FMAS(n, vfmsub)), P66(FMA(n, vfnmadd)), P66(FMAS(n, vfnmadd)), \
    P66(FMA(n, vfnmsub)), P66(FMAS(n, vfnmsub))
#define Wddup OP(M_W, S_DDUP)
#define Hxh OP(M_H, S_XH)
#define Vyy OP(M_V, S_YY)
#define Hyy OP(M_H, S_YY)
#define Wyy OP(M_W, S_QQ)
#define By_ OP(M_B, S_Y)

/* Opmask instructions: W and pp pick the width (W0: w with no prefix, b with 66; W1: q, d). */
#define KW(mn) PFX(WSEL(I(mn##w, OP(M_K, 0), OP(M_KH, 0), OP(M_KU, 0)), I(mn##q, OP(M_K, 0), OP(M_KH, 0), OP(M_KU, 0))), \
                   WSEL(I(mn##b, OP(M_K, 0), OP(M_KH, 0), OP(M_KU, 0)), I(mn##d, OP(M_K, 0), OP(M_KH, 0), OP(M_KU, 0))), \
                   BAD, BAD)
#define KOP(mn) MOD(BAD, L1(KW(mn)))
#define K2(mn) MOD(BAD, L0(PFX(WSEL(I(mn##w, OP(M_K, 0), OP(M_KU, 0)), I(mn##q, OP(M_K, 0), OP(M_KU, 0))), \
                               WSEL(I(mn##b, OP(M_K, 0), OP(M_KU, 0)), I(mn##d, OP(M_K, 0), OP(M_KU, 0))), BAD, BAD)))
#define Kr OP(M_K, 0)
#define Ku OP(M_KU, 0)
#define Kw OP(M_KW, S_0)

#define VEX_0F { \
    [0x41] = KOP(kand), KOP(kandn), [0x44] = K2(knot), KOP(kor), KOP(kxnor), KOP(kxor), \
    [0x4a] = KOP(kadd), \
    [0x4b] = MOD(BAD, L1(PFX(WSEL(I(kunpckwd, Kr, OP(M_KH, 0), Ku), I(kunpckdq, Kr, OP(M_KH, 0), Ku)), \
                             WSEL(I(kunpckbw, Kr, OP(M_KH, 0), Ku), BAD), BAD, BAD))), \
    [0x90] = L0(PFX(WSEL(I(kmovw, Kr, OP(M_KW, S_W)), I(kmovq, Kr, OP(M_KW, S_Q))), \
                    WSEL(I(kmovb, Kr, OP(M_KW, S_B)), I(kmovd, Kr, OP(M_KW, S_D))), BAD, BAD)), \
    [0x91] = MOD(L0(PFX(WSEL(I(kmovw, Mw, Kr), I(kmovq, Mq, Kr)), WSEL(I(kmovb, Mb, Kr), I(kmovd, Md, Kr)), BAD, BAD)), \
                 BAD), \
    [0x92] = MOD(BAD, L0(PFX(WSEL(I(kmovw, Kr, RMd), BAD), WSEL(I(kmovb, Kr, RMd), BAD), BAD, \
                             WGPR(I(kmovd, Kr, RMd), I(kmovq, Kr, RMq))))), \
    [0x93] = MOD(BAD, L0(PFX(WSEL(I(kmovw, Gd, Ku), BAD), WSEL(I(kmovb, Gd, Ku), BAD), BAD, \
                             WGPR(I(kmovd, Gd, Ku), I(kmovq, Gq, Ku))))), \
    [0x98] = K2(kortest), K2(ktest), \
    [0x10] = PFX(V2(vmovups), V2(vmovupd), MOD(I(vmovss, Vdq, Md), I(vmovss, Vdq, Hdq, Udq)), \
                 MOD(I(vmovsd, Vdq, Mq), I(vmovsd, Vdq, Hdq, Udq))), \
    [0x11] = PFX(I(vmovups, Wx, Vx), I(vmovupd, Wx, Vx), MOD(I(vmovss, Md, Vdq), I(vmovss, Udq, Hdq, Vdq)), \
                 MOD(I(vmovsd, Mq, Vdq), I(vmovsd, Udq, Hdq, Vdq))), \
    [0x12] = PFX(L0(MOD(I(vmovlps, Vdq, Hdq, Mq), I(vmovhlps, Vdq, Hdq, Udq))), L0(I(vmovlpd, Vdq, Hdq, Mq)), \
                 V2(vmovsldup), I(vmovddup, Vx, Wddup)), \
    [0x13] = PFX(L0(I(vmovlps, Mq, Vdq)), L0(I(vmovlpd, Mq, Vdq)), BAD, BAD), \
    [0x14] = PSPD(vunpckl), PSPD(vunpckh), \
    [0x16] = PFX(L0(MOD(I(vmovhps, Vdq, Hdq, Mq), I(vmovlhps, Vdq, Hdq, Udq))), L0(I(vmovhpd, Vdq, Hdq, Mq)), \
                 V2(vmovshdup), BAD), \
    [0x17] = PFX(L0(I(vmovhps, Mq, Vdq)), L0(I(vmovhpd, Mq, Vdq)), BAD, BAD), \
    [0x28] = PFX(V2(vmovaps), V2(vmovapd), BAD, BAD), \
    [0x29] = PFX(I(vmovaps, Wx, Vx), I(vmovapd, Wx, Vx), BAD, BAD), \
    [0x2a] = PFX(BAD, BAD, I(vcvtsi2ss, Vdq, Hdq, Ey), I(vcvtsi2sd, Vdq, Hdq, Ey)), \
    [0x2b] = PFX(I(vmovntps, Mx, Vx), I(vmovntpd, Mx, Vx), BAD, BAD), \
    [0x2c] = PFX(BAD, BAD, I(vcvttss2si, Gy, Wd), I(vcvttsd2si, Gy, Wq)), \
    [0x2d] = PFX(BAD, BAD, I(vcvtss2si, Gy, Wd), I(vcvtsd2si, Gy, Wq)), \
    [0x2e] = PFX(I(vucomiss, Vdq, Wd), I(vucomisd, Vdq, Wq), BAD, BAD), \
    [0x2f] = PFX(I(vcomiss, Vdq, Wd), I(vcomisd, Vdq, Wq), BAD, BAD), \
    [0x50] = PFX(I(vmovmskps, Gy, Ux), I(vmovmskpd, Gy, Ux), BAD, BAD), \
    [0x51] = PFX(V2(vsqrtps), V2(vsqrtpd), I(vsqrtss, Vdq, Hdq, Wd), I(vsqrtsd, Vdq, Hdq, Wq)), \
    [0x52] = PFX(V2(vrsqrtps), BAD, I(vrsqrtss, Vdq, Hdq, Wd), BAD), \
    [0x53] = PFX(V2(vrcpps), BAD, I(vrcpss, Vdq, Hdq, Wd), BAD), \
    [0x54] = PSPD(vand), PSPD(vandn), PSPD(vor), PSPD(vxor), \
    [0x58] = ARITH(vadd), ARITH(vmul), \
    [0x5a] = PFX(I(vcvtps2pd, Vx, Wxh), I(vcvtpd2ps, Vdq, Wx), I(vcvtss2sd, Vdq, Hdq, Wd), I(vcvtsd2ss, Vdq, Hdq, Wq)), \
    [0x5b] = PFX(V2(vcvtdq2ps), V2(vcvtps2dq), V2(vcvttps2dq), BAD), \
    [0x5c] = ARITH(vsub), ARITH(vmin), ARITH(vdiv), ARITH(vmax), \
    [0x60] = P3(vpunpcklbw), P3(vpunpcklwd), P3(vpunpckldq), P3(vpacksswb), \
    [0x64] = P3(vpcmpgtb), P3(vpcmpgtw), P3(vpcmpgtd), P3(vpackuswb), \
    [0x68] = P3(vpunpckhbw), P3(vpunpckhwd), P3(vpunpckhdq), P3(vpackssdw), \
    [0x6c] = P3(vpunpcklqdq), P3(vpunpckhqdq), \
    [0x6e] = P66(L0(WGPR(I(vmovd, Vdq, Ed), I(vmovq, Vdq, Eq)))), \
    [0x6f] = PFX(BAD, V2(vmovdqa), V2(vmovdqu), BAD), \
    [0x70] = PFX(BAD, I(vpshufd, Vx, Wx, Ib), I(vpshufhw, Vx, Wx, Ib), I(vpshuflw, Vx, Wx, Ib)), \
    [0x71] = MOD(BAD, REG8(BAD, BAD, SHIFT_IMM(vpsrlw), BAD, SHIFT_IMM(vpsraw), BAD, SHIFT_IMM(vpsllw), BAD)), \
    [0x72] = MOD(BAD, REG8(BAD, BAD, SHIFT_IMM(vpsrld), BAD, SHIFT_IMM(vpsrad), BAD, SHIFT_IMM(vpslld), BAD)), \
    [0x73] = MOD(BAD, REG8(BAD, BAD, SHIFT_IMM(vpsrlq), SHIFT_IMM(vpsrldq), BAD, BAD, SHIFT_IMM(vpsllq), \
                           SHIFT_IMM(vpslldq))), \
    [0x74] = P3(vpcmpeqb), P3(vpcmpeqw), P3(vpcmpeqd), \
    [0x77] = PNP(LSEL(I0(vzeroupper), I0(vzeroall), BAD)), \
    [0x7c] = PFX(BAD, V3(vhaddpd), BAD, V3(vhaddps)), \
    [0x7d] = PFX(BAD, V3(vhsubpd), BAD, V3(vhsubps)), \
    [0x7e] = PFX(BAD, L0(WGPR(I(vmovd, Ed, Vdq), I(vmovq, Eq, Vdq))), L0(I(vmovq, Vdq, Wq)), BAD), \
    [0x7f] = PFX(BAD, I(vmovdqa, Wx, Vx), I(vmovdqu, Wx, Vx), BAD), \
    [0xae] = MOD(REG8(BAD, BAD, PNP(L0(I(vldmxcsr, Md))), PNP(L0(I(vstmxcsr, Md))), BAD, BAD, BAD, BAD), BAD), \
    [0xc2] = PFX(IF(vcmpps, F_CMPPS, Vx, Hx, Wx, Ib), IF(vcmppd, F_CMPPS, Vx, Hx, Wx, Ib), \
                 IF(vcmpss, F_CMPPS, Vdq, Hdq, Wd, Ib), IF(vcmpsd, F_CMPPS, Vdq, Hdq, Wq, Ib)), \
    [0xc4] = P66(L0(MOD(I(vpinsrw, Vdq, Hdq, Mw, Ib), I(vpinsrw, Vdq, Hdq, RMd, Ib)))), \
    [0xc5] = P66(L0(I(vpextrw, Gd, Udq, Ib))), \
    [0xc6] = PFX(I(vshufps, Vx, Hx, Wx, Ib), I(vshufpd, Vx, Hx, Wx, Ib), BAD, BAD), \
    [0xd0] = PFX(BAD, V3(vaddsubpd), BAD, V3(vaddsubps)), \
    [0xd1] = SHIFT_XMM(vpsrlw), SHIFT_XMM(vpsrld), SHIFT_XMM(vpsrlq), P3(vpaddq), P3(vpmullw), \
    [0xd6] = P66(L0(I(vmovq, Wq, Vdq))), \
    [0xd7] = P66(I(vpmovmskb, Gy, Ux)), \
    [0xd8] = P3(vpsubusb), P3(vpsubusw), P3(vpminub), P3(vpand), P3(vpaddusb), P3(vpaddusw), P3(vpmaxub), P3(vpandn), \
    [0xe0] = P3(vpavgb), SHIFT_XMM(vpsraw), SHIFT_XMM(vpsrad), P3(vpavgw), P3(vpmulhuw), P3(vpmulhw), \
    [0xe6] = PFX(BAD, I(vcvttpd2dq, Vdq, Wx), I(vcvtdq2pd, Vx, Wxh), I(vcvtpd2dq, Vdq, Wx)), \
    [0xe7] = P66(I(vmovntdq, Mx, Vx)), \
    [0xe8] = P3(vpsubsb), P3(vpsubsw), P3(vpminsw), P3(vpor), P3(vpaddsb), P3(vpaddsw), P3(vpmaxsw), P3(vpxor), \
    [0xf0] = PF2(I(vlddqu, Vx, M0)), \
    [0xf1] = SHIFT_XMM(vpsllw), SHIFT_XMM(vpslld), SHIFT_XMM(vpsllq), P3(vpmuludq), P3(vpmaddwd), P3(vpsadbw), \
    [0xf7] = P66(L0(I(vmaskmovdqu, Vdq, Udq))), \
    [0xf8] = P3(vpsubb), P3(vpsubw), P3(vpsubd), P3(vpsubq), P3(vpaddb), P3(vpaddw), P3(vpaddd), \
}

/* AMX (64-bit mode only): tile registers, sibmem addressing; VEX.L 0 and W0. */
#define Tv OP(M_TV, 0)
#define Tu OP(M_TU, 0)
#define Th OP(M_TH, 0)
#define Sib OP(M_SIBMEM, 0)
#define AMX(...) L0(WSEL(__VA_ARGS__, BAD))
#define TDP(mn) MOD(BAD, IF(mn, F_O64, Tv, Tu, Th))
/* AVX-VNNI and AVX-IFMA: VEX forms of EVEX instructions, shown "{vex}" */
#define VEXSHOW(mn) IF(mn, F_VEXSHOW, Vx, Hx, Wx)
/* AVX-NE-CONVERT: memory only, W0 */
#define NECVT(mn, src) WSEL(IF(mn, F_BADOP, Vx, src), BAD)

/* CMPccXADD (64-bit mode only): memory only (objdump's "cmpoxadd (bad),eax,eax" for a register),
 * VEX.L0 only (objdump: "cmpoxadd DWORD PTR [rax],eax,(bad)" with L1) */
#define CMPCCXADD(mn) P66(IF(mn, F_O64 | F_BADOP, My, Gy, OP(M_BL0, S_Y)))
#define VEX_0F38 { \
    [0x00] = P3(vpshufb), P3(vphaddw), P3(vphaddd), P3(vphaddsw), P3(vpmaddubsw), P3(vphsubw), P3(vphsubd), \
    [0x07] = P3(vphsubsw), P3(vpsignb), P3(vpsignw), P3(vpsignd), P3(vpmulhrsw), \
    [0x0c] = P66(W0(V3(vpermilps))), P66(W0(V3(vpermilpd))), P66(W0(V2(vtestps))), P66(W0(V2(vtestpd))), \
    [0x13] = P66(W0(I(vcvtph2ps, Vx, Wxh))), \
    [0x16] = P66(L1(W0(V3(vpermps)))), P2(vptest), \
    [0x18] = P66(W0(I(vbroadcastss, Vx, Wd))), P66(L1(W0(I(vbroadcastsd, Vx, Wq)))), P66(L1(W0(I(vbroadcastf128, Vx, Mdq)))), \
    [0x1c] = P2(vpabsb), P2(vpabsw), P2(vpabsd), \
    [0x20] = P66(I(vpmovsxbw, Vx, Wxh)), P66(I(vpmovsxbd, Vx, Wxq)), P66(I(vpmovsxbq, Vx, Wxe)), \
    [0x23] = P66(I(vpmovsxwd, Vx, Wxh)), P66(I(vpmovsxwq, Vx, Wxq)), P66(I(vpmovsxdq, Vx, Wxh)), \
    [0x28] = P3(vpmuldq), P3(vpcmpeqq), P66(I(vmovntdqa, Vx, Mx)), P3(vpackusdw), \
    [0x2c] = P66(W0(I(vmaskmovps, Vx, Hx, Mx))), P66(W0(I(vmaskmovpd, Vx, Hx, Mx))), \
    [0x2e] = P66(W0(I(vmaskmovps, Mx, Hx, Vx))), P66(W0(I(vmaskmovpd, Mx, Hx, Vx))), \
    [0x30] = P66(I(vpmovzxbw, Vx, Wxh)), P66(I(vpmovzxbd, Vx, Wxq)), P66(I(vpmovzxbq, Vx, Wxe)), \
    [0x33] = P66(I(vpmovzxwd, Vx, Wxh)), P66(I(vpmovzxwq, Vx, Wxq)), P66(I(vpmovzxdq, Vx, Wxh)), \
    [0x36] = P66(L1(W0(V3(vpermd)))), P3(vpcmpgtq), \
    [0x38] = P3(vpminsb), P3(vpminsd), P3(vpminuw), P3(vpminud), P3(vpmaxsb), P3(vpmaxsd), P3(vpmaxuw), P3(vpmaxud), \
    [0x40] = P3(vpmulld), P66(L0(V2(vphminposuw))), \
    [0x45] = P66(WSEL(V3(vpsrlvd), V3(vpsrlvq))), P66(W0(V3(vpsravd))), P66(WSEL(V3(vpsllvd), V3(vpsllvq))), \
    [0x49] = AMX(PFX(MOD(IF(ldtilecfg, F_O64, M0), REG8(RM8(IF0(tilerelease, F_O64), BAD, BAD, BAD, BAD, BAD, BAD, BAD), \
                                                    BAD, BAD, BAD, BAD, BAD, BAD, BAD)), \
                     MOD(IF(sttilecfg, F_O64, M0), BAD), BAD, MOD(BAD, IF(tilezero, F_O64, Tv)))), \
    [0x4b] = AMX(MOD(PFX(BAD, IF(tileloaddt1, F_O64 | F_BADPOS, Tv, Sib), IF(tilestored, F_O64 | F_BADPOS, Sib, Tv), \
                         IF(tileloadd, F_O64 | F_BADPOS, Tv, Sib)), BAD)), \
    [0x5c] = AMX(PFX(BAD, BAD, TDP(tdpbf16ps), TDP(tdpfp16ps))), \
    [0x5e] = AMX(PFX(TDP(tdpbuud), TDP(tdpbusd), TDP(tdpbsud), TDP(tdpbssd))), \
    [0x50] = WSEL(PFX(V3(vpdpbuud), VEXSHOW(vpdpbusd), V3(vpdpbsud), V3(vpdpbssd)), BAD), \
    [0x51] = WSEL(PFX(V3(vpdpbuuds), VEXSHOW(vpdpbusds), V3(vpdpbsuds), V3(vpdpbssds)), BAD), \
    [0x52] = P66(WSEL(VEXSHOW(vpdpwssd), BAD)), P66(WSEL(VEXSHOW(vpdpwssds), BAD)), \
    [0x72] = PF3(WSEL(IF(vcvtneps2bf16, F_VEXSHOW, Vdq, Wx), BAD)), \
    [0xb0] = PFX(NECVT(vcvtneoph2ps, Mx), NECVT(vcvtneeph2ps, Mx), NECVT(vcvtneebf162ps, Mx), NECVT(vcvtneobf162ps, Mx)), \
    [0xb1] = PFX(BAD, WSEL(IF(vbcstnesh2ps, F_BADOP, Vx, Mw), BAD), WSEL(IF(vbcstnebf162ps, F_BADOP, Vx, Mw), BAD), BAD), \
    [0xb4] = P66(WSEL(BAD, VEXSHOW(vpmadd52luq))), P66(WSEL(BAD, VEXSHOW(vpmadd52huq))), \
    [0x58] = P66(W0(I(vpbroadcastd, Vx, Wd))), P66(W0(I(vpbroadcastq, Vx, Wq))), P66(L1(W0(I(vbroadcasti128, Vx, Mdq)))), \
    [0x78] = P66(W0(I(vpbroadcastb, Vx, Wb))), P66(W0(I(vpbroadcastw, Vx, Ww))), \
    [0x8c] = P66(WSEL(I(vpmaskmovd, Vx, Hx, Mx), I(vpmaskmovq, Vx, Hx, Mx))), \
    [0x8e] = P66(WSEL(I(vpmaskmovd, Mx, Hx, Vx), I(vpmaskmovq, Mx, Hx, Vx))), \
    [0x90] = P66(WSEL(IF(vpgatherdd, F_BADOP, Vx, VSd, Hx), IF(vpgatherdq, F_BADOP, Vx, VSHq, Hx))), \
    [0x91] = P66(WSEL(IF(vpgatherqd, F_BADOP, Vxh, VSd, Hxh), IF(vpgatherqq, F_BADOP, Vx, VSq, Hx))), \
    [0x92] = P66(WSEL(IF(vgatherdps, F_BADOP, Vx, VSd, Hx), IF(vgatherdpd, F_BADOP, Vx, VSHq, Hx))), \
    [0x93] = P66(WSEL(IF(vgatherqps, F_BADOP, Vxh, VSd, Hxh), IF(vgatherqpd, F_BADOP, Vx, VSq, Hx))), \
    [0x96] = FMA_ROW(132), \
    [0xa6] = FMA_ROW(213), \
    [0xb6] = FMA_ROW(231), \
    [0xcf] = P66(WSEL(V3(vgf2p8mulb), BAD)), \
    [0xe0] = CMPCCXADD(cmpoxadd), CMPCCXADD(cmpnoxadd), CMPCCXADD(cmpbxadd), CMPCCXADD(cmpnbxadd), CMPCCXADD(cmpzxadd), CMPCCXADD(cmpnzxadd), \
             CMPCCXADD(cmpbexadd), CMPCCXADD(cmpnbexadd), CMPCCXADD(cmpsxadd), CMPCCXADD(cmpnsxadd), CMPCCXADD(cmppxadd), CMPCCXADD(cmpnpxadd), CMPCCXADD(cmplxadd), CMPCCXADD(cmpnlxadd), CMPCCXADD(cmplexadd), CMPCCXADD(cmpnlexadd), \
    [0xdb] = P66(L0(V2(vaesimc))), P3(vaesenc), P3(vaesenclast), P3(vaesdec), P3(vaesdeclast), \
    [0xf2] = PNP(L0(I(andn, Gy, By_, Ey))), \
    [0xf3] = PNP(L0(REG8(BAD, I(blsr, By_, Ey), I(blsmsk, By_, Ey), I(blsi, By_, Ey), BAD, BAD, BAD, BAD))), \
    [0xf5] = L0(PFX(I(bzhi, Gy, Ey, By_), BAD, I(pext, Gy, By_, Ey), I(pdep, Gy, By_, Ey))), \
    [0xf6] = L0(PF2(I(mulx, Gy, By_, Ey))), \
    [0xf7] = L0(PFX(I(bextr, Gy, Ey, By_), I(shlx, Gy, Ey, By_), I(sarx, Gy, Ey, By_), I(shrx, Gy, Ey, By_))), \
}

/* AMD FMA4: the fourth register in the immediate's high bits; W1 swaps it with the r/m operand. */
#define Ldq OP(M_L, S_XX)
#define FMA4(mn) P66(WSEL(I(mn, Vx, Hx, Wx, Lx), I(mn, Vx, Hx, Lx, Wx)))
#define FMA4S(mn, w) P66(WSEL(I(mn, Vdq, Hdq, w, Ldq), I(mn, Vdq, Hdq, Ldq, w)))
#define FMA4_ROW(mn) FMA4(mn##ps), FMA4(mn##pd), FMA4S(mn##ss, Wd), FMA4S(mn##sd, Wq)

#define VEX_0F3A { \
    [0x00] = P66(L1(WSEL(BAD, I(vpermq, Vx, Wx, Ib)))), P66(L1(WSEL(BAD, I(vpermpd, Vx, Wx, Ib)))), P66(W0(I(vpblendd, Vx, Hx, Wx, Ib))), \
    [0x04] = P66(W0(I(vpermilps, Vx, Wx, Ib))), P66(W0(I(vpermilpd, Vx, Wx, Ib))), P66(L1(W0(I(vperm2f128, Vx, Hx, Wx, Ib)))), \
    [0x08] = P66(I(vroundps, Vx, Wx, Ib)), P66(I(vroundpd, Vx, Wx, Ib)), P66(I(vroundss, Vdq, Hdq, Wd, Ib)), \
    [0x0b] = P66(I(vroundsd, Vdq, Hdq, Wq, Ib)), P66(I(vblendps, Vx, Hx, Wx, Ib)), P66(I(vblendpd, Vx, Hx, Wx, Ib)), \
    [0x0e] = P66(I(vpblendw, Vx, Hx, Wx, Ib)), P66(I(vpalignr, Vx, Hx, Wx, Ib)), \
    [0x14] = P66(L0(MOD(I(vpextrb, Mb, Vdq, Ib), I(vpextrb, RMd, Vdq, Ib)))), \
    [0x15] = P66(L0(MOD(I(vpextrw, Mw, Vdq, Ib), I(vpextrw, RMd, Vdq, Ib)))), \
    [0x16] = P66(L0(WGPR(I(vpextrd, Ed, Vdq, Ib), I(vpextrq, Eq, Vdq, Ib)))), \
    [0x17] = P66(L0(I(vextractps, Ed, Vdq, Ib))), \
    [0x18] = P66(L1(W0(I(vinsertf128, Vx, Hx, Wdq, Ib)))), P66(L1(W0(I(vextractf128, Wdq, Vx, Ib)))), \
    [0x1d] = P66(W0(I(vcvtps2ph, Wxh, Vx, Ib))), \
    [0x20] = P66(L0(MOD(I(vpinsrb, Vdq, Hdq, Mb, Ib), I(vpinsrb, Vdq, Hdq, RMd, Ib)))), \
    [0x21] = P66(L0(I(vinsertps, Vdq, Hdq, Wd, Ib))), \
    [0x22] = P66(L0(WGPR(I(vpinsrd, Vdq, Hdq, Ed, Ib), I(vpinsrq, Vdq, Hdq, Eq, Ib)))), \
    [0x38] = P66(L1(W0(I(vinserti128, Vx, Hx, Wdq, Ib)))), P66(L1(W0(I(vextracti128, Wdq, Vx, Ib)))), \
    [0x40] = P66(I(vdpps, Vx, Hx, Wx, Ib)), P66(L0(I(vdppd, Vx, Hx, Wx, Ib))), P66(I(vmpsadbw, Vx, Hx, Wx, Ib)), \
    [0x44] = P66(IF(vpclmulqdq, F_PCLMUL, Vx, Hx, Wx, Ib)), \
    [0x46] = P66(L1(W0(I(vperm2i128, Vx, Hx, Wx, Ib)))), \
    [0x48] = P66(WSEL(I(vpermil2ps, Vx, Hx, Wx, Lx), I(vpermil2ps, Vx, Hx, Lx, Wx))), \
    [0x49] = P66(WSEL(I(vpermil2pd, Vx, Hx, Wx, Lx), I(vpermil2pd, Vx, Hx, Lx, Wx))), \
    [0x4a] = P66(W0(I(vblendvps, Vx, Hx, Wx, Lx))), P66(W0(I(vblendvpd, Vx, Hx, Wx, Lx))), P66(W0(I(vpblendvb, Vx, Hx, Wx, Lx))), \
    [0x60] = P66(L0(IF(vpcmpestrm, F_SUFQ, Vx, Wx, Ib))), P66(L0(IF(vpcmpestri, F_SUFQ, Vx, Wx, Ib))), \
    [0x62] = P66(L0(I(vpcmpistrm, Vx, Wx, Ib))), P66(L0(I(vpcmpistri, Vx, Wx, Ib))), \
    [0xce] = P66(WSEL(BAD, I(vgf2p8affineqb, Vx, Hx, Wx, Ib))), P66(WSEL(BAD, I(vgf2p8affineinvqb, Vx, Hx, Wx, Ib))), \
    [0xdf] = P66(L0(I(vaeskeygenassist, Vx, Wx, Ib))), \
    [0x30] = MOD(BAD, L0(P66(WSEL(I(kshiftrb, Kr, Ku, Ib), I(kshiftrw, Kr, Ku, Ib))))), \
    [0x31] = MOD(BAD, L0(P66(WSEL(I(kshiftrd, Kr, Ku, Ib), I(kshiftrq, Kr, Ku, Ib))))), \
    [0x32] = MOD(BAD, L0(P66(WSEL(I(kshiftlb, Kr, Ku, Ib), I(kshiftlw, Kr, Ku, Ib))))), \
    [0x33] = MOD(BAD, L0(P66(WSEL(I(kshiftld, Kr, Ku, Ib), I(kshiftlq, Kr, Ku, Ib))))), \
    [0xf0] = L0(PF2(I(rorx, Gy, Ey, Ib))), \
    [0x5c] = FMA4(vfmaddsubps), FMA4(vfmaddsubpd), FMA4(vfmsubaddps), FMA4(vfmsubaddpd), \
    [0x68] = FMA4_ROW(vfmadd), FMA4_ROW(vfmsub), \
    [0x78] = FMA4_ROW(vfnmadd), FMA4_ROW(vfnmsub), \
}

const x86_entry x86_map_vex[3][256] = { VEX_0F, VEX_0F38, VEX_0F3A };
