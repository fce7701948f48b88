/* EVEX-encoded maps 0F, 0F38, 0F3A, 5 and 6: AVX-512 F, BW, DQ, VL, CD, ER, PF, VBMI, VBMI2, IFMA, VNNI,
 * BF16, FP16, BITALG, VPOPCNTDQ, VP2INTERSECT, GFNI, VAES, VPCLMULQDQ (Intel SDM vol. 2). Flags: F_BC embedded
 * broadcast on memory, F_ER rounding and F_SAE {sae} with EVEX.b on registers; the element size of a
 * broadcast is EVEX.W's (4 or 8 bytes). Memory displacements of 8 bits are scaled by the size of
 * the access, or by the element's for IN(...) entries (x86_decode.c). LH(...) marks forms that exist
 * with 256 and 512-bit vectors only, LZ(...) with 512 only. Not here: the Xeon Phi 4FMAPS/4VNNIW
 * forms. */
#include "x86_tables_ops.h"

#define K OP(M_K, 0)
#define P66W1(...) P66(WSEL(BAD, __VA_ARGS__))
#define KU OP(M_KU, 0)
#define Wddup OP(M_W, S_DDUP)
#define LH(...) SW(X86_T_L, BAD, __VA_ARGS__, __VA_ARGS__)
#define LZ(...) SW(X86_T_L, BAD, BAD, __VA_ARGS__)
/* Both element widths by W: d/q, ps/pd, b/w (W1 names the second). */
#define EW3(a, b, fl) P66(WSEL(E3(a, fl), E3(b, fl)))
#define EW2(a, b, fl) P66(WSEL(E2(a, fl), E2(b, fl)))
/* Down-converting moves (F3 prefix): register or memory of half, a quarter or an eighth of the
 * vector length. */
#define EPMOV(mn, dst) PF3(WSEL(I(mn, dst, Vx), BAD))
/* Gathers and scatters: an element size and whether the index is half the vector length. */
#define GATHER(mn, dst, vs) IF(mn, F_BADOP, dst, vs)
#define SCATTER(mn, vs, src) IF(mn, F_BADOP, vs, src)
#define PREFETCH(mn, vs) IF(mn, F_BADOP, vs)
#define E3(mn, fl) IF(mn, fl, Vx, Hx, Wx)
#define E2(mn, fl) IF(mn, fl, Vx, Wx)
#define EP3(mn, fl) P66(E3(mn, fl))
#define EP2(mn, fl) P66(E2(mn, fl))
#define EDQ3(mn, fl) P66(WSEL(E3(mn##d, (fl) | F_BC), E3(mn##q, (fl) | F_BC)))
#define EDQ2(mn, fl) P66(WSEL(E2(mn##d, (fl) | F_BC), E2(mn##q, (fl) | F_BC)))
#define EPSPD3(mn, fl) P66(WSEL(E3(mn##ps, (fl) | F_BC), E3(mn##pd, (fl) | F_BC)))
#define EPSPD2(mn, fl) P66(WSEL(E2(mn##ps, (fl) | F_BC), E2(mn##pd, (fl) | F_BC)))
#define ESSSD3(mn, fl) P66(WSEL(IF(mn##ss, (fl), Vdq, Hdq, Wd), IF(mn##sd, (fl), Vdq, Hdq, Wq)))
#define EARITH(mn, fl) PFX(WSEL(E3(mn##ps, (fl) | F_BC), BAD), WSEL(BAD, E3(mn##pd, (fl) | F_BC)), \
                           WSEL(IF(mn##ss, (fl), Vdq, Hdq, Wd), BAD), WSEL(BAD, IF(mn##sd, (fl), Vdq, Hdq, Wq)))
#define ELOGIC(mn) PFX(WSEL(E3(mn##ps, F_BC), BAD), WSEL(BAD, E3(mn##pd, F_BC)), BAD, BAD)
#define EPCMP(mn) P66(I(mn, K, Hx, Wx))
#define EPCMPDQ(mn) P66(WSEL(IF(mn##d, F_BC, K, Hx, Wx), BAD))
#define ESHIFT_IMM(mn, fl) P66(IF(mn, (fl), Hx, Wx, Ib))
#define ESHIFT_XMM(mn) P66(I(mn, Vx, Hx, Wdq))
/* With F2 some slots of the FMA rows are the Xeon Phi AVX512_4FMAPS (memory only, W0). */
#define EFMA_OR(n, mn, ...) SWF(X86_T_PFX, F_PFXCHECK, BAD, \
    WSEL(E3(mn##n##ps, F_ER | F_BC), E3(mn##n##pd, F_ER | F_BC)), BAD, __VA_ARGS__)
#define EFMAS_OR(n, mn, ...) SWF(X86_T_PFX, F_PFXCHECK, BAD, \
    WSEL(IF(mn##n##ss, F_ER, Vdq, Hdq, Wd), IF(mn##n##sd, F_ER, Vdq, Hdq, Wq)), BAD, __VA_ARGS__)
#define EFMA(n, mn) EFMA_OR(n, mn, BAD)
#define EFMAS(n, mn) EFMAS_OR(n, mn, BAD)
#define FMAPS4(mn, v, h) WSEL(IF(mn, F_BADOP, v, h, Mdq), BAD)
#define EFMA_ROW(n) \
    EFMA(n, vfmaddsub), EFMA(n, vfmsubadd), EFMA(n, vfmadd), EFMAS(n, vfmadd), EFMA(n, vfmsub), EFMAS(n, vfmsub), \
    EFMA(n, vfnmadd), EFMAS(n, vfnmadd), EFMA(n, vfnmsub), EFMAS(n, vfnmsub)
#define EFMA_ROW4(n, ps4, ss4) \
    EFMA(n, vfmaddsub), EFMA(n, vfmsubadd), EFMA(n, vfmadd), EFMAS(n, vfmadd), \
    EFMA_OR(n, vfmsub, FMAPS4(ps4, Vx, Hx)), EFMAS_OR(n, vfmsub, FMAPS4(ss4, Vdq, Hdq)), \
    EFMA(n, vfnmadd), EFMAS(n, vfnmadd), EFMA(n, vfnmsub), EFMAS(n, vfnmsub)

#define EVEX_0F { \
    [0x10] = PFX(WSEL(E2(vmovups, 0), BAD), WSEL(BAD, E2(vmovupd, 0)), \
                 WSEL(MOD(I(vmovss, Vdq, Md), I(vmovss, Vdq, Hdq, Udq)), BAD), \
                 WSEL(BAD, MOD(I(vmovsd, Vdq, Mq), I(vmovsd, Vdq, Hdq, Udq)))), \
    [0x11] = PFX(WSEL(I(vmovups, Wx, Vx), BAD), WSEL(BAD, I(vmovupd, Wx, Vx)), \
                 WSEL(MOD(I(vmovss, Md, Vdq), I(vmovss, Udq, Hdq, Vdq)), BAD), \
                 WSEL(BAD, MOD(I(vmovsd, Mq, Vdq), I(vmovsd, Udq, Hdq, Vdq)))), \
    [0x12] = PFX(WSEL(L0(MOD(I(vmovlps, Vdq, Hdq, Mq), I(vmovhlps, Vdq, Hdq, Udq))), BAD), \
                 WSEL(BAD, L0(I(vmovlpd, Vdq, Hdq, Mq))), WSEL(E2(vmovsldup, 0), BAD), \
                 WSEL(BAD, I(vmovddup, Vx, Wddup))), \
    [0x13] = PFX(WSEL(L0(I(vmovlps, Mq, Vdq)), BAD), WSEL(BAD, L0(I(vmovlpd, Mq, Vdq))), BAD, BAD), \
    [0x14] = ELOGIC(vunpckl), ELOGIC(vunpckh), \
    [0x16] = PFX(WSEL(L0(MOD(I(vmovhps, Vdq, Hdq, Mq), I(vmovlhps, Vdq, Hdq, Udq))), BAD), \
                 WSEL(BAD, L0(I(vmovhpd, Vdq, Hdq, Mq))), WSEL(E2(vmovshdup, 0), BAD), BAD), \
    [0x17] = PFX(WSEL(L0(I(vmovhps, Mq, Vdq)), BAD), WSEL(BAD, L0(I(vmovhpd, Mq, Vdq))), BAD, BAD), \
    [0x28] = PFX(WSEL(E2(vmovaps, 0), BAD), WSEL(BAD, E2(vmovapd, 0)), BAD, BAD), \
    [0x29] = PFX(WSEL(I(vmovaps, Wx, Vx), BAD), WSEL(BAD, I(vmovapd, Wx, Vx)), BAD, BAD), \
    [0x2a] = PFX(BAD, BAD, IF(vcvtsi2ss, F_ER, Vdq, Hdq, Ey), IF(vcvtsi2sd, F_ER, Vdq, Hdq, Ey)), \
    [0x2b] = PFX(WSEL(I(vmovntps, Mx, Vx), BAD), WSEL(BAD, I(vmovntpd, Mx, Vx)), BAD, BAD), \
    [0x2c] = PFX(BAD, BAD, IF(vcvttss2si, F_SAE, Gy, Wd), IF(vcvttsd2si, F_SAE, Gy, Wq)), \
    [0x2d] = PFX(BAD, BAD, IF(vcvtss2si, F_ER, Gy, Wd), IF(vcvtsd2si, F_ER, Gy, Wq)), \
    [0x2e] = PFX(WSEL(IF(vucomiss, F_SAE, Vdq, Wd), BAD), WSEL(BAD, IF(vucomisd, F_SAE, Vdq, Wq)), BAD, BAD), \
    [0x2f] = PFX(WSEL(IF(vcomiss, F_SAE, Vdq, Wd), BAD), WSEL(BAD, IF(vcomisd, F_SAE, Vdq, Wq)), BAD, BAD), \
    [0x51] = PFX(WSEL(E2(vsqrtps, F_ER | F_BC), BAD), WSEL(BAD, E2(vsqrtpd, F_ER | F_BC)), \
                 WSEL(IF(vsqrtss, F_ER, Vdq, Hdq, Wd), BAD), WSEL(BAD, IF(vsqrtsd, F_ER, Vdq, Hdq, Wq))), \
    [0x54] = ELOGIC(vand), ELOGIC(vandn), ELOGIC(vor), ELOGIC(vxor), \
    [0x58] = EARITH(vadd, F_ER), EARITH(vmul, F_ER), \
    [0x5a] = PFX(WSEL(IF(vcvtps2pd, F_SAE | F_BC, Vx, Wxh), BAD), WSEL(BAD, IF(vcvtpd2ps, F_ER | F_BC | F_BCN, Vxh, Wx)), \
                 WSEL(IF(vcvtss2sd, F_SAE, Vdq, Hdq, Wd), BAD), WSEL(BAD, IF(vcvtsd2ss, F_ER, Vdq, Hdq, Wq))), \
    [0x5b] = PFX(WSEL(E2(vcvtdq2ps, F_ER | F_BC), IF(vcvtqq2ps, F_ER | F_BC | F_BCN, Vxh, Wx)), WSEL(E2(vcvtps2dq, F_ER | F_BC), BAD), \
                 WSEL(E2(vcvttps2dq, F_SAE | F_BC), BAD), BAD), \
    [0x5c] = EARITH(vsub, F_ER), EARITH(vmin, F_SAE), EARITH(vdiv, F_ER), EARITH(vmax, F_SAE), \
    [0x60] = EP3(vpunpcklbw, 0), EP3(vpunpcklwd, 0), P66(WSEL(E3(vpunpckldq, F_BC), BAD)), EP3(vpacksswb, 0), \
    [0x64] = EPCMP(vpcmpgtb), EPCMP(vpcmpgtw), EPCMPDQ(vpcmpgt), EP3(vpackuswb, 0), \
    [0x68] = EP3(vpunpckhbw, 0), EP3(vpunpckhwd, 0), P66(WSEL(E3(vpunpckhdq, F_BC), BAD)), \
    [0x6b] = P66(WSEL(E3(vpackssdw, F_BC), BAD)), P66(WSEL(BAD, E3(vpunpcklqdq, F_BC))), \
    [0x6d] = P66(WSEL(BAD, E3(vpunpckhqdq, F_BC))), \
    [0x6e] = P66(L0(WGPR(I(vmovd, Vdq, Ed), I(vmovq, Vdq, Eq)))), \
    [0x6f] = PFX(BAD, WSEL(E2(vmovdqa32, 0), E2(vmovdqa64, 0)), WSEL(E2(vmovdqu32, 0), E2(vmovdqu64, 0)), \
                 WSEL(E2(vmovdqu8, 0), E2(vmovdqu16, 0))), \
    [0x70] = PFX(BAD, WSEL(IF(vpshufd, F_BC, Vx, Wx, Ib), BAD), I(vpshufhw, Vx, Wx, Ib), \
                 I(vpshuflw, Vx, Wx, Ib)), \
    [0x71] = REG8(BAD, BAD, ESHIFT_IMM(vpsrlw, 0), BAD, ESHIFT_IMM(vpsraw, 0), BAD, ESHIFT_IMM(vpsllw, 0), BAD), \
    [0x72] = REG8(P66(WSEL(IF(vprord, F_BC, Hx, Wx, Ib), IF(vprorq, F_BC, Hx, Wx, Ib))), \
                  P66(WSEL(IF(vprold, F_BC, Hx, Wx, Ib), IF(vprolq, F_BC, Hx, Wx, Ib))), \
                  P66(WSEL(IF(vpsrld, F_BC, Hx, Wx, Ib), BAD)), BAD, \
                  P66(WSEL(IF(vpsrad, F_BC, Hx, Wx, Ib), IF(vpsraq, F_BC, Hx, Wx, Ib))), BAD, \
                  P66(WSEL(IF(vpslld, F_BC, Hx, Wx, Ib), BAD)), BAD), \
    [0x73] = REG8(BAD, BAD, P66(WSEL(BAD, IF(vpsrlq, F_BC, Hx, Wx, Ib))), ESHIFT_IMM(vpsrldq, 0), BAD, BAD, \
                  P66(WSEL(BAD, IF(vpsllq, F_BC, Hx, Wx, Ib))), ESHIFT_IMM(vpslldq, 0)), \
    [0x74] = EPCMP(vpcmpeqb), EPCMP(vpcmpeqw), EPCMPDQ(vpcmpeq), \
    [0x7e] = PFX(BAD, L0(WGPR(I(vmovd, Ed, Vdq), I(vmovq, Eq, Vdq))), L0(WSEL(BAD, I(vmovq, Vdq, Wq))), BAD), \
    [0x7f] = PFX(BAD, WSEL(I(vmovdqa32, Wx, Vx), I(vmovdqa64, Wx, Vx)), \
                 WSEL(I(vmovdqu32, Wx, Vx), I(vmovdqu64, Wx, Vx)), \
                 WSEL(I(vmovdqu8, Wx, Vx), I(vmovdqu16, Wx, Vx))), \
    [0x78] = PFX(WSEL(E2(vcvttps2udq, F_SAE | F_BC), IF(vcvttpd2udq, F_SAE | F_BC | F_BCN, Vxh, Wx)), \
                 WSEL(IF(vcvttps2uqq, F_SAE | F_BC, Vx, Wxh), E2(vcvttpd2uqq, F_SAE | F_BC)), \
                 IF(vcvttss2usi, F_SAE, Gy, Wd), IF(vcvttsd2usi, F_SAE, Gy, Wq)), \
    [0x79] = PFX(WSEL(E2(vcvtps2udq, F_ER | F_BC), IF(vcvtpd2udq, F_ER | F_BC | F_BCN, Vxh, Wx)), \
                 WSEL(IF(vcvtps2uqq, F_ER | F_BC, Vx, Wxh), E2(vcvtpd2uqq, F_ER | F_BC)), \
                 IF(vcvtss2usi, F_ER, Gy, Wd), IF(vcvtsd2usi, F_ER, Gy, Wq)), \
    [0x7a] = PFX(BAD, WSEL(IF(vcvttps2qq, F_SAE | F_BC, Vx, Wxh), E2(vcvttpd2qq, F_SAE | F_BC)), \
                 WSEL(IF(vcvtudq2pd, F_BC, Vx, Wxh), E2(vcvtuqq2pd, F_ER | F_BC)), \
                 WSEL(E2(vcvtudq2ps, F_ER | F_BC), IF(vcvtuqq2ps, F_ER | F_BC | F_BCN, Vxh, Wx))), \
    [0x7b] = PFX(BAD, WSEL(IF(vcvtps2qq, F_ER | F_BC, Vx, Wxh), E2(vcvtpd2qq, F_ER | F_BC)), \
                 IF(vcvtusi2ss, F_ER, Vdq, Hdq, Ey), IF(vcvtusi2sd, F_ER, Vdq, Hdq, Ey)), \
    [0xc2] = PFX(WSEL(IF(vcmpps, F_CMPPS | F_SAE | F_BC, K, Hx, Wx, Ib), BAD), \
                 WSEL(BAD, IF(vcmppd, F_CMPPS | F_SAE | F_BC, K, Hx, Wx, Ib)), \
                 WSEL(IF(vcmpss, F_CMPPS | F_SAE, K, Hdq, Wd, Ib), BAD), \
                 WSEL(BAD, IF(vcmpsd, F_CMPPS | F_SAE, K, Hdq, Wq, Ib))), \
    [0xc4] = P66(L0(MOD(I(vpinsrw, Vdq, Hdq, Mw, Ib), I(vpinsrw, Vdq, Hdq, RMd, Ib)))), \
    [0xc5] = P66(L0(I(vpextrw, Gd, Udq, Ib))), \
    [0xc6] = PFX(WSEL(IF(vshufps, F_BC, Vx, Hx, Wx, Ib), BAD), WSEL(BAD, IF(vshufpd, F_BC, Vx, Hx, Wx, Ib)), \
                 BAD, BAD), \
    [0xd1] = ESHIFT_XMM(vpsrlw), P66(WSEL(I(vpsrld, Vx, Hx, Wdq), BAD)), P66(WSEL(BAD, I(vpsrlq, Vx, Hx, Wdq))), \
    [0xd4] = P66(WSEL(BAD, E3(vpaddq, F_BC))), EP3(vpmullw, 0), \
    [0xd8] = EP3(vpsubusb, 0), EP3(vpsubusw, 0), EP3(vpminub, 0), EDQ3(vpand, 0), EP3(vpaddusb, 0), EP3(vpaddusw, 0), \
    [0xde] = EP3(vpmaxub, 0), EDQ3(vpandn, 0), \
    [0xe0] = EP3(vpavgb, 0), ESHIFT_XMM(vpsraw), P66(WSEL(I(vpsrad, Vx, Hx, Wdq), I(vpsraq, Vx, Hx, Wdq))), \
    [0xe3] = EP3(vpavgw, 0), EP3(vpmulhuw, 0), EP3(vpmulhw, 0), \
    [0xe6] = PFX(BAD, WSEL(BAD, IF(vcvttpd2dq, F_SAE | F_BC | F_BCN, Vxh, Wx)), \
                 WSEL(IF(vcvtdq2pd, F_BC, Vx, Wxh), IF(vcvtqq2pd, F_ER | F_BC, Vx, Wx)), \
                 WSEL(BAD, IF(vcvtpd2dq, F_ER | F_BC | F_BCN, Vxh, Wx))), \
    [0xd6] = P66(L0(WSEL(BAD, I(vmovq, Wq, Vdq)))), \
    [0xe7] = P66(WSEL(I(vmovntdq, Mx, Vx), BAD)), \
    [0xe8] = EP3(vpsubsb, 0), EP3(vpsubsw, 0), EP3(vpminsw, 0), EDQ3(vpor, 0), EP3(vpaddsb, 0), EP3(vpaddsw, 0), \
    [0xee] = EP3(vpmaxsw, 0), EDQ3(vpxor, 0), \
    [0xf1] = ESHIFT_XMM(vpsllw), P66(WSEL(I(vpslld, Vx, Hx, Wdq), BAD)), P66(WSEL(BAD, I(vpsllq, Vx, Hx, Wdq))), \
    [0xf4] = P66(WSEL(BAD, E3(vpmuludq, F_BC))), EP3(vpmaddwd, 0), EP3(vpsadbw, 0), \
    [0xf8] = EP3(vpsubb, 0), EP3(vpsubw, 0), P66(WSEL(E3(vpsubd, F_BC), BAD)), P66(WSEL(BAD, E3(vpsubq, F_BC))), \
    [0xfc] = EP3(vpaddb, 0), EP3(vpaddw, 0), P66(WSEL(E3(vpaddd, F_BC), BAD)), \
}

#define EVEX_0F38 { \
    [0x00] = EP3(vpshufb, 0), [0x04] = EP3(vpmaddubsw, 0), [0x0b] = EP3(vpmulhrsw, 0), \
    [0x0c] = P66(WSEL(E3(vpermilps, F_BC), BAD)), P66(WSEL(BAD, E3(vpermilpd, F_BC))), \
    [0x10] = PFX(BAD, P66W1(E3(vpsrlvw, 0)), EPMOV(vpmovuswb, Wxh), BAD), \
    [0x11] = PFX(BAD, P66W1(E3(vpsravw, 0)), EPMOV(vpmovusdb, Wxq), BAD), \
    [0x12] = PFX(BAD, P66W1(E3(vpsllvw, 0)), EPMOV(vpmovusqb, Wxe), BAD), \
    [0x13] = PFX(BAD, WSEL(IF(vcvtph2ps, F_SAE, Vx, Wxh), BAD), EPMOV(vpmovusdw, Wxh), BAD), \
    [0x14] = PFX(BAD, WSEL(E3(vprorvd, F_BC), E3(vprorvq, F_BC)), EPMOV(vpmovusqw, Wxq), BAD), \
    [0x15] = PFX(BAD, WSEL(E3(vprolvd, F_BC), E3(vprolvq, F_BC)), EPMOV(vpmovusqd, Wxh), BAD), \
    [0x16] = P66(LH(WSEL(E3(vpermps, F_BC), E3(vpermpd, F_BC)))), \
    [0x18] = P66(WSEL(I(vbroadcastss, Vx, Wd), BAD)), \
    [0x19] = P66(LH(WSEL(I(vbroadcastf32x2, Vx, Wq), I(vbroadcastsd, Vx, Wq)))), \
    [0x1a] = P66(LH(MOD(WSEL(I(vbroadcastf32x4, Vx, Mdq), I(vbroadcastf64x2, Vx, Mdq)), BAD))), \
    [0x1b] = P66(LZ(MOD(WSEL(I(vbroadcastf32x8, Vx, Wqq), I(vbroadcastf64x4, Vx, Wqq)), BAD))), \
    [0x1c] = EP2(vpabsb, 0), EP2(vpabsw, 0), P66(WSEL(E2(vpabsd, F_BC), BAD)), P66(WSEL(BAD, E2(vpabsq, F_BC))), \
    [0x20] = PFX(BAD, I(vpmovsxbw, Vx, Wxh), EPMOV(vpmovswb, Wxh), BAD), \
    [0x21] = PFX(BAD, I(vpmovsxbd, Vx, Wxq), EPMOV(vpmovsdb, Wxq), BAD), \
    [0x22] = PFX(BAD, I(vpmovsxbq, Vx, Wxe), EPMOV(vpmovsqb, Wxe), BAD), \
    [0x23] = PFX(BAD, I(vpmovsxwd, Vx, Wxh), EPMOV(vpmovsdw, Wxh), BAD), \
    [0x24] = PFX(BAD, I(vpmovsxwq, Vx, Wxq), EPMOV(vpmovsqw, Wxq), BAD), \
    [0x25] = PFX(BAD, WSEL(I(vpmovsxdq, Vx, Wxh), BAD), EPMOV(vpmovsqd, Wxh), BAD), \
    [0x26] = PFX(BAD, WSEL(I(vptestmb, K, Hx, Wx), I(vptestmw, K, Hx, Wx)), \
                 WSEL(I(vptestnmb, K, Hx, Wx), I(vptestnmw, K, Hx, Wx)), BAD), \
    [0x27] = PFX(BAD, WSEL(IF(vptestmd, F_BC, K, Hx, Wx), IF(vptestmq, F_BC, K, Hx, Wx)), \
                 WSEL(IF(vptestnmd, F_BC, K, Hx, Wx), IF(vptestnmq, F_BC, K, Hx, Wx)), BAD), \
    [0x28] = PFX(BAD, WSEL(BAD, E3(vpmuldq, F_BC)), MOD(BAD, WSEL(I(vpmovm2b, Vx, KU), I(vpmovm2w, Vx, KU))), BAD), \
    [0x29] = PFX(BAD, WSEL(BAD, IF(vpcmpeqq, F_BC, K, Hx, Wx)), MOD(BAD, WSEL(I(vpmovb2m, K, Ux), I(vpmovw2m, K, Ux))), BAD), \
    [0x2a] = PFX(BAD, WSEL(I(vmovntdqa, Vx, Mx), BAD), MOD(BAD, WSEL(BAD, I(vpbroadcastmb2q, Vx, KU))), BAD), \
    [0x2b] = P66(WSEL(E3(vpackusdw, F_BC), BAD)), \
    [0x2c] = EPSPD3(vscalef, F_ER), ESSSD3(vscalef, F_ER), \
    [0x30] = PFX(BAD, I(vpmovzxbw, Vx, Wxh), EPMOV(vpmovwb, Wxh), BAD), \
    [0x31] = PFX(BAD, I(vpmovzxbd, Vx, Wxq), EPMOV(vpmovdb, Wxq), BAD), \
    [0x32] = PFX(BAD, I(vpmovzxbq, Vx, Wxe), EPMOV(vpmovqb, Wxe), BAD), \
    [0x33] = PFX(BAD, I(vpmovzxwd, Vx, Wxh), EPMOV(vpmovdw, Wxh), BAD), \
    [0x34] = PFX(BAD, I(vpmovzxwq, Vx, Wxq), EPMOV(vpmovqw, Wxq), BAD), \
    [0x35] = PFX(BAD, WSEL(I(vpmovzxdq, Vx, Wxh), BAD), EPMOV(vpmovqd, Wxh), BAD), \
    [0x36] = P66(LH(WSEL(E3(vpermd, F_BC), E3(vpermq, F_BC)))), P66(WSEL(BAD, IF(vpcmpgtq, F_BC, K, Hx, Wx))), \
    [0x38] = PFX(BAD, E3(vpminsb, 0), MOD(BAD, WSEL(I(vpmovm2d, Vx, KU), I(vpmovm2q, Vx, KU))), BAD), \
    [0x39] = PFX(BAD, WSEL(E3(vpminsd, F_BC), E3(vpminsq, F_BC)), \
                 MOD(BAD, WSEL(I(vpmovd2m, K, Ux), I(vpmovq2m, K, Ux))), BAD), \
    [0x3a] = PFX(BAD, E3(vpminuw, 0), MOD(BAD, WSEL(I(vpbroadcastmw2d, Vx, KU), BAD)), BAD), \
    [0x3b] = EDQ3(vpminu, 0), \
    [0x3c] = EP3(vpmaxsb, 0), EDQ3(vpmaxs, 0), EP3(vpmaxuw, 0), EDQ3(vpmaxu, 0), \
    [0x40] = EDQ3(vpmull, 0), \
    [0x42] = EPSPD2(vgetexp, F_SAE), ESSSD3(vgetexp, F_SAE), \
    [0x44] = EDQ2(vplzcnt, 0), \
    [0x45] = EDQ3(vpsrlv, 0), EDQ3(vpsrav, 0), EDQ3(vpsllv, 0), \
    [0x4c] = EPSPD2(vrcp14, 0), ESSSD3(vrcp14, 0), EPSPD2(vrsqrt14, 0), ESSSD3(vrsqrt14, 0), \
    [0x50] = P66(WSEL(E3(vpdpbusd, F_BC), BAD)), P66(WSEL(E3(vpdpbusds, F_BC), BAD)), \
    [0x52] = PFX(BAD, WSEL(E3(vpdpwssd, F_BC), BAD), WSEL(E3(vdpbf16ps, F_BC), BAD), FMAPS4(vp4dpwssd, Vx, Hx)), \
    [0x53] = SWF(X86_T_PFX, F_PFXCHECK, BAD, WSEL(E3(vpdpwssds, F_BC), BAD), BAD, FMAPS4(vp4dpwssds, Vx, Hx)), \
    [0x54] = EW2(vpopcntb, vpopcntw, 0), P66(WSEL(E2(vpopcntd, F_BC), E2(vpopcntq, F_BC))), \
    [0x58] = P66(WSEL(I(vpbroadcastd, Vx, Wd), BAD)), \
    [0x59] = P66(WSEL(I(vbroadcasti32x2, Vx, Wq), I(vpbroadcastq, Vx, Wq))), \
    [0x5a] = P66(LH(MOD(WSEL(I(vbroadcasti32x4, Vx, Mdq), I(vbroadcasti64x2, Vx, Mdq)), BAD))), \
    [0x5b] = P66(LZ(MOD(WSEL(I(vbroadcasti32x8, Vx, Wqq), I(vbroadcasti64x4, Vx, Wqq)), BAD))), \
    [0x62] = P66(WSEL(IN(vpexpandb, 1, 0, Vx, Wx), IN(vpexpandw, 2, 0, Vx, Wx))), \
    [0x63] = P66(WSEL(IN(vpcompressb, 1, 0, Wx, Vx), IN(vpcompressw, 2, 0, Wx, Vx))), \
    [0x64] = EDQ3(vpblendm, 0), EPSPD3(vblendm, 0), EW3(vpblendmb, vpblendmw, 0), \
    [0x68] = PF2(WSEL(IF(vp2intersectd, F_BC, K, Hx, Wx), IF(vp2intersectq, F_BC, K, Hx, Wx))), \
    [0x70] = P66(WSEL(BAD, E3(vpshldvw, 0))), EDQ3(vpshldv, 0), \
    [0x72] = PFX(BAD, WSEL(BAD, E3(vpshrdvw, 0)), WSEL(IF(vcvtneps2bf16, F_BC | F_BCN, Vxh, Wx), BAD), \
                 WSEL(E3(vcvtne2ps2bf16, F_BC), BAD)), \
    [0x73] = EDQ3(vpshrdv, 0), \
    [0x75] = EW3(vpermi2b, vpermi2w, 0), \
    [0x76] = EDQ3(vpermi2, 0), EPSPD3(vpermi2, 0), \
    [0x78] = P66(WSEL(I(vpbroadcastb, Vx, Wb), BAD)), P66(WSEL(I(vpbroadcastw, Vx, Ww), BAD)), \
    [0x7a] = P66(MOD(BAD, WSEL(I(vpbroadcastb, Vx, RMd), BAD))), \
    [0x7b] = P66(MOD(BAD, WSEL(I(vpbroadcastw, Vx, RMd), BAD))), \
    [0x7c] = P66(MOD(BAD, WGPR(I(vpbroadcastd, Vx, RMd), I(vpbroadcastq, Vx, RMq)))), \
    [0x7d] = EW3(vpermt2b, vpermt2w, 0), \
    [0x7e] = EDQ3(vpermt2, 0), EPSPD3(vpermt2, 0), \
    [0x83] = P66(WSEL(BAD, E3(vpmultishiftqb, F_BC))), \
    [0x88] = P66(WSEL(IN(vexpandps, 4, 0, Vx, Wx), IN(vexpandpd, 8, 0, Vx, Wx))), \
    [0x89] = P66(WSEL(IN(vpexpandd, 4, 0, Vx, Wx), IN(vpexpandq, 8, 0, Vx, Wx))), \
    [0x8a] = P66(WSEL(IN(vcompressps, 4, 0, Wx, Vx), IN(vcompresspd, 8, 0, Wx, Vx))), \
    [0x8b] = P66(WSEL(IN(vpcompressd, 4, 0, Wx, Vx), IN(vpcompressq, 8, 0, Wx, Vx))), \
    [0x8d] = EW3(vpermb, vpermw, 0), \
    [0x8f] = P66(WSEL(I(vpshufbitqmb, K, Hx, Wx), BAD)), \
    [0x90] = P66(WSEL(GATHER(vpgatherdd, Vx, VSd), GATHER(vpgatherdq, Vx, VSHq))), \
    [0x91] = P66(WSEL(GATHER(vpgatherqd, Vxh, VSd), GATHER(vpgatherqq, Vx, VSq))), \
    [0x92] = P66(WSEL(GATHER(vgatherdps, Vx, VSd), GATHER(vgatherdpd, Vx, VSHq))), \
    [0x93] = P66(WSEL(GATHER(vgatherqps, Vxh, VSd), GATHER(vgatherqpd, Vx, VSq))), \
    [0xa0] = P66(WSEL(SCATTER(vpscatterdd, VSd, Vx), SCATTER(vpscatterdq, VSHq, Vx))), \
    [0xa1] = P66(WSEL(SCATTER(vpscatterqd, VSd, Vxh), SCATTER(vpscatterqq, VSq, Vx))), \
    [0xa2] = P66(WSEL(SCATTER(vscatterdps, VSd, Vx), SCATTER(vscatterdpd, VSHq, Vx))), \
    [0xa3] = P66(WSEL(SCATTER(vscatterqps, VSd, Vxh), SCATTER(vscatterqpd, VSq, Vx))), \
    [0xb4] = P66(WSEL(BAD, E3(vpmadd52luq, F_BC))), P66(WSEL(BAD, E3(vpmadd52huq, F_BC))), \
    [0x96] = EFMA_ROW4(132, v4fmaddps, v4fmaddss), \
    [0xa6] = EFMA_ROW4(213, v4fnmaddps, v4fnmaddss), \
    [0xb6] = EFMA_ROW(231), \
    [0xc4] = EDQ2(vpconflict, 0), \
    [0xc6] = P66(LZ(REG8(BAD, WSEL(PREFETCH(vgatherpf0dps, VSd), PREFETCH(vgatherpf0dpd, VSHq)), \
                         WSEL(PREFETCH(vgatherpf1dps, VSd), PREFETCH(vgatherpf1dpd, VSHq)), BAD, BAD, \
                         WSEL(PREFETCH(vscatterpf0dps, VSd), PREFETCH(vscatterpf0dpd, VSHq)), \
                         WSEL(PREFETCH(vscatterpf1dps, VSd), PREFETCH(vscatterpf1dpd, VSHq)), BAD))), \
    [0xc7] = P66(LZ(REG8(BAD, WSEL(PREFETCH(vgatherpf0qps, VSd), PREFETCH(vgatherpf0qpd, VSq)), \
                         WSEL(PREFETCH(vgatherpf1qps, VSd), PREFETCH(vgatherpf1qpd, VSq)), BAD, BAD, \
                         WSEL(PREFETCH(vscatterpf0qps, VSd), PREFETCH(vscatterpf0qpd, VSq)), \
                         WSEL(PREFETCH(vscatterpf1qps, VSd), PREFETCH(vscatterpf1qpd, VSq)), BAD))), \
    [0xc8] = EPSPD2(vexp2, F_SAE), \
    [0xca] = EPSPD2(vrcp28, F_SAE), ESSSD3(vrcp28, F_SAE), EPSPD2(vrsqrt28, F_SAE), ESSSD3(vrsqrt28, F_SAE), \
    [0xcf] = P66(WSEL(E3(vgf2p8mulb, 0), BAD)), \
    [0xdc] = EP3(vaesenc, 0), EP3(vaesenclast, 0), EP3(vaesdec, 0), EP3(vaesdeclast, 0), \
}

#define EVEX_0F3A { \
    [0x00] = P66(LH(WSEL(BAD, IF(vpermq, F_BC, Vx, Wx, Ib)))), P66(LH(WSEL(BAD, IF(vpermpd, F_BC, Vx, Wx, Ib)))), \
    [0x03] = P66(WSEL(IF(valignd, F_BC, Vx, Hx, Wx, Ib), IF(valignq, F_BC, Vx, Hx, Wx, Ib))), \
    [0x04] = P66(WSEL(IF(vpermilps, F_BC, Vx, Wx, Ib), BAD)), P66(WSEL(BAD, IF(vpermilpd, F_BC, Vx, Wx, Ib))), \
    [0x08] = PFX(WSEL(IF(vrndscaleph, F_SAE | F_BC | F_PH, Vx, Wx, Ib), BAD), \
                 WSEL(IF(vrndscaleps, F_SAE | F_BC, Vx, Wx, Ib), BAD), BAD, BAD), \
    [0x09] = P66(WSEL(BAD, IF(vrndscalepd, F_SAE | F_BC, Vx, Wx, Ib))), \
    [0x0a] = PFX(WSEL(IF(vrndscalesh, F_SAE, Vdq, Hdq, Ww, Ib), BAD), \
                 WSEL(IF(vrndscaless, F_SAE, Vdq, Hdq, Wd, Ib), BAD), BAD, BAD), \
    [0x0b] = P66(WSEL(BAD, IF(vrndscalesd, F_SAE, Vdq, Hdq, Wq, Ib))), \
    [0x0f] = P66(I(vpalignr, Vx, Hx, Wx, Ib)), \
    [0x14] = P66(L0(MOD(I(vpextrb, Mb, Vdq, Ib), I(vpextrb, RMd, Vdq, Ib)))), \
    [0x15] = P66(L0(MOD(I(vpextrw, Mw, Vdq, Ib), I(vpextrw, RMd, Vdq, Ib)))), \
    [0x16] = P66(L0(WGPR(I(vpextrd, Ed, Vdq, Ib), I(vpextrq, Eq, Vdq, Ib)))), \
    [0x17] = P66(L0(I(vextractps, Ed, Vdq, Ib))), \
    [0x18] = P66(LH(WSEL(I(vinsertf32x4, Vx, Hx, Wdq, Ib), I(vinsertf64x2, Vx, Hx, Wdq, Ib)))), \
    [0x19] = P66(LH(WSEL(I(vextractf32x4, Wdq, Vx, Ib), I(vextractf64x2, Wdq, Vx, Ib)))), \
    [0x1a] = P66(LZ(WSEL(I(vinsertf32x8, Vx, Hx, Wqq, Ib), I(vinsertf64x4, Vx, Hx, Wqq, Ib)))), \
    [0x1b] = P66(LZ(WSEL(I(vextractf32x8, Wqq, Vx, Ib), I(vextractf64x4, Wqq, Vx, Ib)))), \
    [0x1d] = P66(WSEL(IF(vcvtps2ph, F_SAE, Wxh, Vx, Ib), BAD)), \
    [0x1e] = P66(WSEL(IF(vpcmpud, F_BC, K, Hx, Wx, Ib), IF(vpcmpuq, F_BC, K, Hx, Wx, Ib))), \
    [0x1f] = P66(WSEL(IF(vpcmpd, F_BC, K, Hx, Wx, Ib), IF(vpcmpq, F_BC, K, Hx, Wx, Ib))), \
    [0x20] = P66(L0(MOD(I(vpinsrb, Vdq, Hdq, Mb, Ib), I(vpinsrb, Vdq, Hdq, RMd, Ib)))), \
    [0x21] = P66(L0(WSEL(I(vinsertps, Vdq, Hdq, Wd, Ib), BAD))), \
    [0x22] = P66(L0(WGPR(I(vpinsrd, Vdq, Hdq, Ed, Ib), I(vpinsrq, Vdq, Hdq, Eq, Ib)))), \
    [0x23] = P66(LH(WSEL(IF(vshuff32x4, F_BC, Vx, Hx, Wx, Ib), IF(vshuff64x2, F_BC, Vx, Hx, Wx, Ib)))), \
    [0x25] = P66(WSEL(IF(vpternlogd, F_BC, Vx, Hx, Wx, Ib), IF(vpternlogq, F_BC, Vx, Hx, Wx, Ib))), \
    [0x26] = PFX(WSEL(IF(vgetmantph, F_SAE | F_BC | F_PH, Vx, Wx, Ib), BAD), \
                 WSEL(IF(vgetmantps, F_SAE | F_BC, Vx, Wx, Ib), IF(vgetmantpd, F_SAE | F_BC, Vx, Wx, Ib)), BAD, BAD), \
    [0x27] = PFX(WSEL(IF(vgetmantsh, F_SAE, Vdq, Hdq, Ww, Ib), BAD), \
                 WSEL(IF(vgetmantss, F_SAE, Vdq, Hdq, Wd, Ib), IF(vgetmantsd, F_SAE, Vdq, Hdq, Wq, Ib)), BAD, BAD), \
    [0x38] = P66(LH(WSEL(I(vinserti32x4, Vx, Hx, Wdq, Ib), I(vinserti64x2, Vx, Hx, Wdq, Ib)))), \
    [0x39] = P66(LH(WSEL(I(vextracti32x4, Wdq, Vx, Ib), I(vextracti64x2, Wdq, Vx, Ib)))), \
    [0x3a] = P66(LZ(WSEL(I(vinserti32x8, Vx, Hx, Wqq, Ib), I(vinserti64x4, Vx, Hx, Wqq, Ib)))), \
    [0x3b] = P66(LZ(WSEL(I(vextracti32x8, Wqq, Vx, Ib), I(vextracti64x4, Wqq, Vx, Ib)))), \
    [0x3e] = P66(WSEL(I(vpcmpub, K, Hx, Wx, Ib), I(vpcmpuw, K, Hx, Wx, Ib))), \
    [0x3f] = P66(WSEL(I(vpcmpb, K, Hx, Wx, Ib), I(vpcmpw, K, Hx, Wx, Ib))), \
    [0x42] = P66(WSEL(I(vdbpsadbw, Vx, Hx, Wx, Ib), BAD)), \
    [0x43] = P66(LH(WSEL(IF(vshufi32x4, F_BC, Vx, Hx, Wx, Ib), IF(vshufi64x2, F_BC, Vx, Hx, Wx, Ib)))), \
    [0x44] = P66(IF(vpclmulqdq, F_PCLMUL, Vx, Hx, Wx, Ib)), \
    [0x50] = P66(WSEL(IF(vrangeps, F_SAE | F_BC, Vx, Hx, Wx, Ib), IF(vrangepd, F_SAE | F_BC, Vx, Hx, Wx, Ib))), \
    [0x51] = P66(WSEL(IF(vrangess, F_SAE, Vdq, Hdq, Wd, Ib), IF(vrangesd, F_SAE, Vdq, Hdq, Wq, Ib))), \
    [0x54] = P66(WSEL(IF(vfixupimmps, F_SAE | F_BC, Vx, Hx, Wx, Ib), IF(vfixupimmpd, F_SAE | F_BC, Vx, Hx, Wx, Ib))), \
    [0x55] = P66(WSEL(IF(vfixupimmss, F_SAE, Vdq, Hdq, Wd, Ib), IF(vfixupimmsd, F_SAE, Vdq, Hdq, Wq, Ib))), \
    [0x56] = PFX(WSEL(IF(vreduceph, F_SAE | F_BC | F_PH, Vx, Wx, Ib), BAD), \
                 WSEL(IF(vreduceps, F_SAE | F_BC, Vx, Wx, Ib), IF(vreducepd, F_SAE | F_BC, Vx, Wx, Ib)), BAD, BAD), \
    [0x57] = PFX(WSEL(IF(vreducesh, F_SAE, Vdq, Hdq, Ww, Ib), BAD), \
                 WSEL(IF(vreducess, F_SAE, Vdq, Hdq, Wd, Ib), IF(vreducesd, F_SAE, Vdq, Hdq, Wq, Ib)), BAD, BAD), \
    [0x66] = PFX(WSEL(IF(vfpclassph, F_BC | F_BCN | F_PH, K, Wx, Ib), BAD), \
                 WSEL(IF(vfpclassps, F_BC | F_BCN, K, Wx, Ib), IF(vfpclasspd, F_BC | F_BCN, K, Wx, Ib)), BAD, BAD), \
    [0x67] = PFX(WSEL(I(vfpclasssh, K, Ww, Ib), BAD), WSEL(I(vfpclassss, K, Wd, Ib), I(vfpclasssd, K, Wq, Ib)), BAD, BAD), \
    [0x70] = P66(WSEL(BAD, I(vpshldw, Vx, Hx, Wx, Ib))), \
    [0x71] = P66(WSEL(IF(vpshldd, F_BC, Vx, Hx, Wx, Ib), IF(vpshldq, F_BC, Vx, Hx, Wx, Ib))), \
    [0x72] = P66(WSEL(BAD, I(vpshrdw, Vx, Hx, Wx, Ib))), \
    [0x73] = P66(WSEL(IF(vpshrdd, F_BC, Vx, Hx, Wx, Ib), IF(vpshrdq, F_BC, Vx, Hx, Wx, Ib))), \
    [0xc2] = PFX(WSEL(IF(vcmpph, F_CMPPS | F_SAE | F_BC | F_PH, K, Hx, Wx, Ib), BAD), BAD, \
                 WSEL(IF(vcmpsh, F_CMPPS | F_SAE, K, Hdq, Ww, Ib), BAD), BAD), \
    [0xce] = P66(WSEL(BAD, IF(vgf2p8affineqb, F_BC, Vx, Hx, Wx, Ib))), \
    [0xcf] = P66(WSEL(BAD, IF(vgf2p8affineinvqb, F_BC, Vx, Hx, Wx, Ib))), \
}

/* AVX512-FP16, maps 5 and 6: W0 only, "ph" packed halves (broadcast WORD), "sh" the scalar. */
#define Vxq OP(M_V, S_XQ)
#define PH(mn, fl, ...) WSEL(IF(mn, (fl) | F_BC | F_PH, __VA_ARGS__), BAD)
#define HARITH(mn, fl) PFX(PH(mn##ph, fl, Vx, Hx, Wx), BAD, W0(IF(mn##sh, fl, Vdq, Hdq, Ww)), BAD)
#define HP66(mn, fl) P66(PH(mn, fl, Vx, Hx, Wx))
#define HS66(mn, fl) P66(W0(IF(mn, fl, Vdq, Hdq, Ww)))
#define HFMA(n, mn) HP66(mn##n##ph, F_ER), HS66(mn##n##sh, F_ER)
#define HFMA_ROW(n) \
    HP66(vfmaddsub##n##ph, F_ER), HP66(vfmsubadd##n##ph, F_ER), HFMA(n, vfmadd), HFMA(n, vfmsub), HFMA(n, vfnmadd), \
    HFMA(n, vfnmsub)
/* Complex multiplies (pairs of halves: broadcast DWORD): F3 the product, F2 with the conjugate;
 * the destination is no source. */
#define HCOMPLEX(a, b, fl, w) PFX(BAD, BAD, W0(IF(a, (fl) | F_DSTUNIQ, Vdq, Hdq, w)), W0(IF(b, (fl) | F_DSTUNIQ, Vdq, Hdq, w)))
#define HCOMPLEXP(a, b) PFX(BAD, BAD, W0(IF(a, F_ER | F_BC | F_DSTUNIQ, Vx, Hx, Wx)), \
                         W0(IF(b, F_ER | F_BC | F_DSTUNIQ, Vx, Hx, Wx)))

#define EVEX_MAP5 { \
    [0x10] = PF3(W0(MOD(I(vmovsh, Vdq, Mw), I(vmovsh, Vdq, Hdq, Udq)))), \
    [0x11] = PF3(W0(MOD(I(vmovsh, Mw, Vdq), I(vmovsh, Udq, Hdq, Vdq)))), \
    [0x1d] = PFX(W0(IF(vcvtss2sh, F_ER, Vdq, Hdq, Wd)), W0(IF(vcvtps2phx, F_ER | F_BC | F_BCN, Vxh, Wx)), BAD, BAD), \
    [0x2a] = PF3(IF(vcvtsi2sh, F_ER, Vdq, Hdq, Ey)), \
    [0x2c] = PF3(IF(vcvttsh2si, F_SAE, Gy, Ww)), PF3(IF(vcvtsh2si, F_ER, Gy, Ww)), \
    [0x2e] = PNP(W0(IF(vucomish, F_SAE, Vdq, Ww))), PNP(W0(IF(vcomish, F_SAE, Vdq, Ww))), \
    [0x51] = PFX(PH(vsqrtph, F_ER, Vx, Wx), BAD, W0(IF(vsqrtsh, F_ER, Vdq, Hdq, Ww)), BAD), \
    [0x58] = HARITH(vadd, F_ER), HARITH(vmul, F_ER), \
    [0x5a] = PFX(PH(vcvtph2pd, F_SAE, Vx, Wxq), WSEL(BAD, IF(vcvtpd2ph, F_ER | F_BC | F_BCN, Vxq, Wx)), \
                 W0(IF(vcvtsh2sd, F_SAE, Vdq, Hdq, Ww)), WSEL(BAD, IF(vcvtsd2sh, F_ER, Vdq, Hdq, Wq))), \
    [0x5b] = PFX(WSEL(IF(vcvtdq2ph, F_ER | F_BC | F_BCN, Vxh, Wx), IF(vcvtqq2ph, F_ER | F_BC | F_BCN, Vxq, Wx)), \
                 PH(vcvtph2dq, F_ER, Vx, Wxh), PH(vcvttph2dq, F_SAE, Vx, Wxh), BAD), \
    [0x5c] = HARITH(vsub, F_ER), HARITH(vmin, F_SAE), HARITH(vdiv, F_ER), HARITH(vmax, F_SAE), \
    [0x6e] = P66(MOD(I(vmovw, Vdq, Mw), I(vmovw, Vdq, RMd))), \
    [0x78] = PFX(PH(vcvttph2udq, F_SAE, Vx, Wxh), PH(vcvttph2uqq, F_SAE, Vx, Wxq), IF(vcvttsh2usi, F_SAE, Gy, Ww), BAD), \
    [0x79] = PFX(PH(vcvtph2udq, F_ER, Vx, Wxh), PH(vcvtph2uqq, F_ER, Vx, Wxq), IF(vcvtsh2usi, F_ER, Gy, Ww), BAD), \
    [0x7a] = PFX(BAD, PH(vcvttph2qq, F_SAE, Vx, Wxq), BAD, \
                 WSEL(IF(vcvtudq2ph, F_ER | F_BC | F_BCN, Vxh, Wx), IF(vcvtuqq2ph, F_ER | F_BC | F_BCN, Vxq, Wx))), \
    [0x7b] = PFX(BAD, PH(vcvtph2qq, F_ER, Vx, Wxq), IF(vcvtusi2sh, F_ER, Vdq, Hdq, Ey), BAD), \
    [0x7c] = PFX(PH(vcvttph2uw, F_SAE, Vx, Wx), PH(vcvttph2w, F_SAE, Vx, Wx), BAD, BAD), \
    [0x7d] = PFX(PH(vcvtph2uw, F_ER, Vx, Wx), PH(vcvtph2w, F_ER, Vx, Wx), PH(vcvtw2ph, F_ER, Vx, Wx), \
                 PH(vcvtuw2ph, F_ER, Vx, Wx)), \
    [0x7e] = P66(MOD(I(vmovw, Mw, Vdq), I(vmovw, RMd, Vdq))), \
}

#define EVEX_MAP6 { \
    [0x13] = PFX(W0(IF(vcvtsh2ss, F_SAE, Vdq, Hdq, Ww)), PH(vcvtph2psx, F_SAE, Vx, Wxh), BAD, BAD), \
    [0x2c] = HP66(vscalefph, F_ER), HS66(vscalefsh, F_ER), \
    [0x42] = P66(PH(vgetexpph, F_SAE, Vx, Wx)), HS66(vgetexpsh, F_SAE), \
    [0x4c] = P66(PH(vrcpph, 0, Vx, Wx)), HS66(vrcpsh, 0), P66(PH(vrsqrtph, 0, Vx, Wx)), HS66(vrsqrtsh, 0), \
    [0x56] = HCOMPLEXP(vfmaddcph, vfcmaddcph), HCOMPLEX(vfmaddcsh, vfcmaddcsh, F_ER, Wd), \
    [0x96] = HFMA_ROW(132), \
    [0xa6] = HFMA_ROW(213), \
    [0xb6] = HFMA_ROW(231), \
    [0xd6] = HCOMPLEXP(vfmulcph, vfcmulcph), HCOMPLEX(vfmulcsh, vfcmulcsh, F_ER, Wd), \
}

const x86_entry x86_map_evex[5][256] = { EVEX_0F, EVEX_0F38, EVEX_0F3A, EVEX_MAP5, EVEX_MAP6 };
