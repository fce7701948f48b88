/* EVEX-encoded maps 0F, 0F38, 0F3A: AVX-512 F, BW, DQ, VL, CD (Intel SDM vol. 2). Flags: F_BC embedded
 * broadcast on memory, F_ER rounding and F_SAE {sae} with EVEX.b on registers; the element size of a
 * broadcast is EVEX.W's (4 or 8 bytes). Memory displacements of 8 bits are scaled by the size of
 * the access (x86_decode.c). Not here yet: scatters/gathers (VSIB), down-converting vpmov*, the
 * FP16, BF16, VNNI, IFMA, VBMI2 and 4FMAPS extensions. */
#include "x86_tables_ops.h"

#define K OP(M_K, 0)
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
#define EFMA(n, mn) P66(WSEL(E3(mn##n##ps, F_ER | F_BC), E3(mn##n##pd, F_ER | F_BC)))
#define EFMAS(n, mn) P66(WSEL(IF(mn##n##ss, F_ER, Vdq, Hdq, Wd), IF(mn##n##sd, F_ER, Vdq, Hdq, Wq)))
#define EFMA_ROW(n) \
    EFMA(n, vfmaddsub), EFMA(n, vfmsubadd), EFMA(n, vfmadd), EFMAS(n, vfmadd), EFMA(n, vfmsub), EFMAS(n, vfmsub), \
    EFMA(n, vfnmadd), EFMAS(n, vfnmadd), EFMA(n, vfnmsub), EFMAS(n, vfnmsub)

#define EVEX_0F { \
    [0x10] = PFX(WSEL(E2(vmovups, 0), BAD), WSEL(BAD, E2(vmovupd, 0)), \
                 WSEL(MOD(I(vmovss, Vdq, Md), I(vmovss, Vdq, Hdq, Udq)), BAD), \
                 WSEL(BAD, MOD(I(vmovsd, Vdq, Mq), I(vmovsd, Vdq, Hdq, Udq)))), \
    [0x11] = PFX(WSEL(I(vmovups, Wx, Vx), BAD), WSEL(BAD, I(vmovupd, Wx, Vx)), \
                 WSEL(MOD(I(vmovss, Md, Vdq), I(vmovss, Udq, Hdq, Vdq)), BAD), \
                 WSEL(BAD, MOD(I(vmovsd, Mq, Vdq), I(vmovsd, Udq, Hdq, Vdq)))), \
    [0x14] = ELOGIC(vunpckl), ELOGIC(vunpckh), \
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
    [0x5a] = PFX(WSEL(IF(vcvtps2pd, F_SAE | F_BC, Vx, Wxh), BAD), WSEL(BAD, IF(vcvtpd2ps, F_ER | F_BC, Vxh, Wx)), \
                 WSEL(IF(vcvtss2sd, F_SAE, Vdq, Hdq, Wd), BAD), WSEL(BAD, IF(vcvtsd2ss, F_ER, Vdq, Hdq, Wq))), \
    [0x5b] = PFX(WSEL(E2(vcvtdq2ps, F_ER | F_BC), IF(vcvtqq2ps, F_ER | F_BC, Vxh, Wx)), WSEL(E2(vcvtps2dq, F_ER | F_BC), BAD), \
                 WSEL(E2(vcvttps2dq, F_SAE | F_BC), BAD), BAD), \
    [0x5c] = EARITH(vsub, F_ER), EARITH(vmin, F_SAE), EARITH(vdiv, F_ER), EARITH(vmax, F_SAE), \
    [0x60] = EP3(vpunpcklbw, 0), EP3(vpunpcklwd, 0), P66(WSEL(E3(vpunpckldq, F_BC), BAD)), EP3(vpacksswb, 0), \
    [0x64] = EPCMP(vpcmpgtb), EPCMP(vpcmpgtw), EPCMPDQ(vpcmpgt), EP3(vpackuswb, 0), \
    [0x68] = EP3(vpunpckhbw, 0), EP3(vpunpckhwd, 0), P66(WSEL(E3(vpunpckhdq, F_BC), BAD)), \
    [0x6b] = P66(WSEL(E3(vpackssdw, F_BC), BAD)), P66(WSEL(BAD, E3(vpunpcklqdq, F_BC))), \
    [0x6d] = P66(WSEL(BAD, E3(vpunpckhqdq, F_BC))), \
    [0x6e] = P66(L0(WSEL(I(vmovd, Vdq, Ed), I(vmovq, Vdq, Eq)))), \
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
    [0x7e] = PFX(BAD, L0(WSEL(I(vmovd, Ed, Vdq), I(vmovq, Eq, Vdq))), L0(WSEL(BAD, I(vmovq, Vdq, Wq))), BAD), \
    [0x7f] = PFX(BAD, WSEL(I(vmovdqa32, Wx, Vx), I(vmovdqa64, Wx, Vx)), \
                 WSEL(I(vmovdqu32, Wx, Vx), I(vmovdqu64, Wx, Vx)), \
                 WSEL(I(vmovdqu8, Wx, Vx), I(vmovdqu16, Wx, Vx))), \
    [0xc2] = PFX(WSEL(IF(vcmpps, F_CMPPS | F_SAE | F_BC, K, Hx, Wx, Ib), BAD), \
                 WSEL(BAD, IF(vcmppd, F_CMPPS | F_SAE | F_BC, K, Hx, Wx, Ib)), \
                 WSEL(IF(vcmpss, F_CMPPS | F_SAE, K, Hdq, Wd, Ib), BAD), \
                 WSEL(BAD, IF(vcmpsd, F_CMPPS | F_SAE, K, Hdq, Wq, Ib))), \
    [0xc6] = PFX(WSEL(IF(vshufps, F_BC, Vx, Hx, Wx, Ib), BAD), WSEL(BAD, IF(vshufpd, F_BC, Vx, Hx, Wx, Ib)), \
                 BAD, BAD), \
    [0xd1] = ESHIFT_XMM(vpsrlw), P66(WSEL(I(vpsrld, Vx, Hx, Wdq), BAD)), P66(WSEL(BAD, I(vpsrlq, Vx, Hx, Wdq))), \
    [0xd4] = P66(WSEL(BAD, E3(vpaddq, F_BC))), EP3(vpmullw, 0), \
    [0xd8] = EP3(vpsubusb, 0), EP3(vpsubusw, 0), EP3(vpminub, 0), EDQ3(vpand, 0), EP3(vpaddusb, 0), EP3(vpaddusw, 0), \
    [0xde] = EP3(vpmaxub, 0), EDQ3(vpandn, 0), \
    [0xe0] = EP3(vpavgb, 0), ESHIFT_XMM(vpsraw), P66(WSEL(I(vpsrad, Vx, Hx, Wdq), I(vpsraq, Vx, Hx, Wdq))), \
    [0xe3] = EP3(vpavgw, 0), EP3(vpmulhuw, 0), EP3(vpmulhw, 0), \
    [0xe6] = PFX(BAD, WSEL(BAD, IF(vcvttpd2dq, F_SAE | F_BC, Vxh, Wx)), \
                 WSEL(IF(vcvtdq2pd, F_BC, Vx, Wxh), IF(vcvtqq2pd, F_ER | F_BC, Vx, Wx)), \
                 WSEL(BAD, IF(vcvtpd2dq, F_ER | F_BC, Vxh, Wx))), \
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
    [0x16] = P66(WSEL(E3(vpermps, F_BC), E3(vpermpd, F_BC))), \
    [0x18] = P66(WSEL(I(vbroadcastss, Vx, Wd), BAD)), \
    [0x19] = P66(WSEL(I(vbroadcastf32x2, Vx, Wq), I(vbroadcastsd, Vx, Wq))), \
    [0x1a] = P66(MOD(WSEL(I(vbroadcastf32x4, Vx, Mdq), I(vbroadcastf64x2, Vx, Mdq)), BAD)), \
    [0x1c] = EP2(vpabsb, 0), EP2(vpabsw, 0), P66(WSEL(E2(vpabsd, F_BC), BAD)), P66(WSEL(BAD, E2(vpabsq, F_BC))), \
    [0x20] = P66(I(vpmovsxbw, Vx, Wxh)), P66(I(vpmovsxbd, Vx, Wxq)), P66(I(vpmovsxbq, Vx, Wxe)), \
    [0x23] = P66(I(vpmovsxwd, Vx, Wxh)), P66(I(vpmovsxwq, Vx, Wxq)), P66(WSEL(I(vpmovsxdq, Vx, Wxh), BAD)), \
    [0x28] = P66(WSEL(BAD, E3(vpmuldq, F_BC))), P66(WSEL(BAD, IF(vpcmpeqq, F_BC, K, Hx, Wx))), \
    [0x2a] = P66(WSEL(I(vmovntdqa, Vx, Mx), BAD)), P66(WSEL(E3(vpackusdw, F_BC), BAD)), \
    [0x2c] = EPSPD3(vscalef, F_ER), ESSSD3(vscalef, F_ER), \
    [0x30] = P66(I(vpmovzxbw, Vx, Wxh)), P66(I(vpmovzxbd, Vx, Wxq)), P66(I(vpmovzxbq, Vx, Wxe)), \
    [0x33] = P66(I(vpmovzxwd, Vx, Wxh)), P66(I(vpmovzxwq, Vx, Wxq)), P66(WSEL(I(vpmovzxdq, Vx, Wxh), BAD)), \
    [0x36] = P66(WSEL(E3(vpermd, F_BC), E3(vpermq, F_BC))), P66(WSEL(BAD, IF(vpcmpgtq, F_BC, K, Hx, Wx))), \
    [0x38] = EP3(vpminsb, 0), EDQ3(vpmins, 0), EP3(vpminuw, 0), EDQ3(vpminu, 0), \
    [0x3c] = EP3(vpmaxsb, 0), EDQ3(vpmaxs, 0), EP3(vpmaxuw, 0), EDQ3(vpmaxu, 0), \
    [0x40] = EDQ3(vpmull, 0), \
    [0x42] = EPSPD2(vgetexp, F_SAE), ESSSD3(vgetexp, F_SAE), \
    [0x44] = EDQ2(vplzcnt, 0), \
    [0x45] = EDQ3(vpsrlv, 0), EDQ3(vpsrav, 0), EDQ3(vpsllv, 0), \
    [0x4c] = EPSPD2(vrcp14, 0), ESSSD3(vrcp14, 0), EPSPD2(vrsqrt14, 0), ESSSD3(vrsqrt14, 0), \
    [0x58] = P66(WSEL(I(vpbroadcastd, Vx, Wd), BAD)), \
    [0x59] = P66(WSEL(I(vbroadcasti32x2, Vx, Wq), I(vpbroadcastq, Vx, Wq))), \
    [0x5a] = P66(MOD(WSEL(I(vbroadcasti32x4, Vx, Mdq), I(vbroadcasti64x2, Vx, Mdq)), BAD)), \
    [0x64] = EDQ3(vpblendm, 0), EPSPD3(vblendm, 0), \
    [0x76] = EDQ3(vpermi2, 0), EPSPD3(vpermi2, 0), \
    [0x78] = P66(WSEL(I(vpbroadcastb, Vx, Wb), BAD)), P66(WSEL(I(vpbroadcastw, Vx, Ww), BAD)), \
    [0x7a] = P66(MOD(BAD, WSEL(I(vpbroadcastb, Vx, RMd), BAD))), \
    [0x7b] = P66(MOD(BAD, WSEL(I(vpbroadcastw, Vx, RMd), BAD))), \
    [0x7c] = P66(MOD(BAD, WSEL(I(vpbroadcastd, Vx, RMd), I(vpbroadcastq, Vx, RMq)))), \
    [0x7e] = EDQ3(vpermt2, 0), EPSPD3(vpermt2, 0), \
    [0x88] = EPSPD2(vexpand, 0), EDQ2(vpexpand, 0), \
    [0x8a] = P66(WSEL(I(vcompressps, Wx, Vx), I(vcompresspd, Wx, Vx))), \
    [0x8b] = P66(WSEL(I(vpcompressd, Wx, Vx), I(vpcompressq, Wx, Vx))), \
    [0x96] = EFMA_ROW(132), \
    [0xa6] = EFMA_ROW(213), \
    [0xb6] = EFMA_ROW(231), \
    [0xc4] = EDQ2(vpconflict, 0), \
    [0xdc] = EP3(vaesenc, 0), EP3(vaesenclast, 0), EP3(vaesdec, 0), EP3(vaesdeclast, 0), \
}

#define EVEX_0F3A { \
    [0x00] = P66(WSEL(BAD, IF(vpermq, F_BC, Vx, Wx, Ib))), P66(WSEL(BAD, IF(vpermpd, F_BC, Vx, Wx, Ib))), \
    [0x03] = P66(WSEL(IF(valignd, F_BC, Vx, Hx, Wx, Ib), IF(valignq, F_BC, Vx, Hx, Wx, Ib))), \
    [0x04] = P66(WSEL(IF(vpermilps, F_BC, Vx, Wx, Ib), BAD)), P66(WSEL(BAD, IF(vpermilpd, F_BC, Vx, Wx, Ib))), \
    [0x08] = P66(WSEL(IF(vrndscaleps, F_SAE | F_BC, Vx, Wx, Ib), BAD)), \
    [0x09] = P66(WSEL(BAD, IF(vrndscalepd, F_SAE | F_BC, Vx, Wx, Ib))), \
    [0x0a] = P66(WSEL(IF(vrndscaless, F_SAE, Vdq, Hdq, Wd, Ib), BAD)), \
    [0x0b] = P66(WSEL(BAD, IF(vrndscalesd, F_SAE, Vdq, Hdq, Wq, Ib))), \
    [0x0f] = P66(I(vpalignr, Vx, Hx, Wx, Ib)), \
    [0x18] = P66(WSEL(I(vinsertf32x4, Vx, Hx, Wdq, Ib), I(vinsertf64x2, Vx, Hx, Wdq, Ib))), \
    [0x19] = P66(WSEL(I(vextractf32x4, Wdq, Vx, Ib), I(vextractf64x2, Wdq, Vx, Ib))), \
    [0x1a] = P66(WSEL(I(vinsertf32x8, Vx, Hx, Wqq, Ib), I(vinsertf64x4, Vx, Hx, Wqq, Ib))), \
    [0x1b] = P66(WSEL(I(vextractf32x8, Wqq, Vx, Ib), I(vextractf64x4, Wqq, Vx, Ib))), \
    [0x1e] = P66(WSEL(IF(vpcmpud, F_BC, K, Hx, Wx, Ib), IF(vpcmpuq, F_BC, K, Hx, Wx, Ib))), \
    [0x1f] = P66(WSEL(IF(vpcmpd, F_BC, K, Hx, Wx, Ib), IF(vpcmpq, F_BC, K, Hx, Wx, Ib))), \
    [0x23] = P66(WSEL(IF(vshuff32x4, F_BC, Vx, Hx, Wx, Ib), IF(vshuff64x2, F_BC, Vx, Hx, Wx, Ib))), \
    [0x25] = P66(WSEL(IF(vpternlogd, F_BC, Vx, Hx, Wx, Ib), IF(vpternlogq, F_BC, Vx, Hx, Wx, Ib))), \
    [0x26] = P66(WSEL(IF(vgetmantps, F_SAE | F_BC, Vx, Wx, Ib), IF(vgetmantpd, F_SAE | F_BC, Vx, Wx, Ib))), \
    [0x27] = P66(WSEL(IF(vgetmantss, F_SAE, Vdq, Hdq, Wd, Ib), IF(vgetmantsd, F_SAE, Vdq, Hdq, Wq, Ib))), \
    [0x38] = P66(WSEL(I(vinserti32x4, Vx, Hx, Wdq, Ib), I(vinserti64x2, Vx, Hx, Wdq, Ib))), \
    [0x39] = P66(WSEL(I(vextracti32x4, Wdq, Vx, Ib), I(vextracti64x2, Wdq, Vx, Ib))), \
    [0x3a] = P66(WSEL(I(vinserti32x8, Vx, Hx, Wqq, Ib), I(vinserti64x4, Vx, Hx, Wqq, Ib))), \
    [0x3b] = P66(WSEL(I(vextracti32x8, Wqq, Vx, Ib), I(vextracti64x4, Wqq, Vx, Ib))), \
    [0x3e] = P66(WSEL(I(vpcmpub, K, Hx, Wx, Ib), I(vpcmpuw, K, Hx, Wx, Ib))), \
    [0x3f] = P66(WSEL(I(vpcmpb, K, Hx, Wx, Ib), I(vpcmpw, K, Hx, Wx, Ib))), \
    [0x43] = P66(WSEL(IF(vshufi32x4, F_BC, Vx, Hx, Wx, Ib), IF(vshufi64x2, F_BC, Vx, Hx, Wx, Ib))), \
    [0x44] = P66(IF(vpclmulqdq, F_PCLMUL, Vx, Hx, Wx, Ib)), \
    [0x54] = P66(WSEL(IF(vfixupimmps, F_SAE | F_BC, Vx, Hx, Wx, Ib), IF(vfixupimmpd, F_SAE | F_BC, Vx, Hx, Wx, Ib))), \
    [0x55] = P66(WSEL(IF(vfixupimmss, F_SAE, Vdq, Hdq, Wd, Ib), IF(vfixupimmsd, F_SAE, Vdq, Hdq, Wq, Ib))), \
}

const x86_entry x86_map_evex[3][256] = { EVEX_0F, EVEX_0F38, EVEX_0F3A };
