/* The two-byte (0F) and three-byte (0F 38, 0F 3A) opcode maps: system, MMX, SSE to SSE4.2,
 * AES-NI, PCLMUL, SHA, CET, TSX and friends (Intel SDM vol. 2, appendix A.3). */
#include "x86_tables_ops.h"

#define SSE4(mn) PFX(I(mn##ps, Vx, Wx), I(mn##pd, Vx, Wx), I(mn##ss, Vx, Wd), I(mn##sd, Vx, Wq))
#define SSE2PD(mn) PFX(I(mn##ps, Vx, Wx), I(mn##pd, Vx, Wx), BAD, BAD)
#define CMOV(mn) I(mn, Gv, Ev)
#define JCCZ(mn) IF(mn, BR_JCC | F_BND, Jz)
#define SETCC(mn) I(mn, Eb)
#define SSSE3(mn) PFX(I(mn, Pq, Qq), I(mn, Vx, Wx), BAD, BAD)
#define SSE41(mn) P66(I(mn, Vx, Wx))

#define KEYLOCKER(aes, kl) SWF(X86_T_PFX, F_PFXCHECK, BAD, I(aes, Vx, Wx), kl, BAD)

#define GRP6 REG8(MOD(I(sldt, Mw), I(sldt, Rv)), MOD(I(str, Mw), I(str, Rv)), I(lldt, Ew), I(ltr, Ew), \
    I(verr, Ew), I(verw, Ew), BAD, BAD)
#define GRP7 MOD( \
    REG8(IF(sgdt, F_SUFD, M0), IF(sidt, F_SUFD, M0), IF(lgdt, F_SUFD, M0), IF(lidt, F_SUFD, M0), I(smsw, Mw), \
         PFX(BAD, BAD, I(rstorssp, Mq), BAD), I(lmsw, Ew), I(invlpg, Mb)), \
    REG8(RM8(I0(enclv), I0(vmcall), I0(vmlaunch), I0(vmresume), I0(vmxoff), I0(pconfig), \
             PFX(I0(wrmsrns), BAD, IF0(wrmsrlist, F_O64), IF0(rdmsrlist, F_O64)), BAD), \
         RM8(I0(monitor), I0(mwait), I0(clac), I0(stac), PFX(BAD, I0(tdcall), BAD, BAD), \
             PFX(BAD, IF0(seamret, F_O64), BAD, BAD), PFX(BAD, IF0(seamops, F_O64), BAD, BAD), \
             PFX(I0(encls), IF0(seamcall, F_O64), BAD, BAD)), \
         RM8(I0(xgetbv), I0(xsetbv), BAD, BAD, I0(vmfunc), I0(xend), I0(xtest), I0(enclu)), \
         RM8(I0(vmrun), PFX(I0(vmmcall), BAD, I0(vmgexit), BAD), I0(vmload), I0(vmsave), I0(stgi), I0(clgi), \
             I0(skinit), I0(invlpga)), \
         I(smsw, Rv), \
         RM8(PFX(I0(serialize), BAD, I0(setssbsy), PF2(I0(xsusldtrk))), PFX(BAD, BAD, BAD, I0(xresldtrk)), \
             PF3(I0(saveprevssp)), BAD, PFX(BAD, BAD, IF0(uiret, F_O64), BAD), \
             PFX(BAD, BAD, IF0(testui, F_O64), BAD), \
             PFX(I0(rdpkru), BAD, IF0(clui, F_O64), BAD), PFX(I0(wrpkru), BAD, IF0(stui, F_O64), BAD)), \
         I(lmsw, Ew), \
         RM8(I0(swapgs), I0(rdtscp), PFX(I0(monitorx), BAD, I0(mcommit), BAD), I0(mwaitx), I0(clzero), \
             PFX(I0(rdpru), BAD, IF0(rmpquery, F_O64), BAD), \
             PFX(I0(invlpgb), BAD, IF0(rmpadjust, F_O64), IF0(rmpupdate, F_O64)), \
             PFX(I0(tlbsync), BAD, IF0(psmash, F_O64), I0(pvalidate)))))

#define GRP12(a, b, c) REG8(BAD, BAD, PFX(I(a, Nq, Ib), I(a, Ux, Ib), BAD, BAD), BAD, \
    PFX(I(b, Nq, Ib), I(b, Ux, Ib), BAD, BAD), BAD, PFX(I(c, Nq, Ib), I(c, Ux, Ib), BAD, BAD), BAD)
#define GRP14 REG8(BAD, BAD, PFX(I(psrlq, Nq, Ib), I(psrlq, Ux, Ib), BAD, BAD), P66(I(psrldq, Ux, Ib)), \
    BAD, BAD, PFX(I(psllq, Nq, Ib), I(psllq, Ux, Ib), BAD, BAD), P66(I(pslldq, Ux, Ib)))

#define GRP15 MOD( \
    PFX(REG8(IF(fxsave, F_SUF64, M0), IF(fxrstor, F_SUF64, M0), I(ldmxcsr, Md), I(stmxcsr, Md), \
             IF(xsave, F_SUF64, M0), IF(xrstor, F_SUF64, M0), IF(xsaveopt, F_SUF64, M0), I(clflush, Mb)), \
        REG8(BAD, BAD, BAD, BAD, BAD, BAD, I(clwb, Mb), I(clflushopt, Mb)), \
        REG8(BAD, BAD, BAD, BAD, I(ptwrite, Ey), BAD, I(clrssbsy, Mq), BAD), \
        REG8(BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD)), \
    PFX(REG8(BAD, BAD, BAD, BAD, BAD, I0(lfence), I0(mfence), I0(sfence)), \
        REG8(BAD, BAD, BAD, BAD, BAD, BAD, I(tpause, RMy), BAD), \
        REG8(I(rdfsbase, RMy), I(rdgsbase, RMy), I(wrfsbase, RMy), I(wrgsbase, RMy), I(ptwrite, Ey), \
             WSEL(I(incsspd, RMd), I(incsspq, RMq)), I(umonitor, OP(M_RM, S_AS)), BAD), \
        REG8(BAD, BAD, BAD, BAD, BAD, BAD, I(umwait, RMy), BAD)))

/* VIA PadLock: valid with ModRM C0+8*n only; another rm or a memory operand is objdump's
 * "montmul (bad)", one opcode byte long. */
#define PADLOCK(mn) MOD(IF(mn, F_BADOP, OP(M_INVALID, 0)), \
    RM8(I0(mn), PADLOCK_BAD(mn), PADLOCK_BAD(mn), PADLOCK_BAD(mn), PADLOCK_BAD(mn), PADLOCK_BAD(mn), \
        PADLOCK_BAD(mn), PADLOCK_BAD(mn)))
#define PADLOCK_BAD(mn) IF(mn, F_BADOP, OP(M_INVALID, 0))

#define GRP9 MOD( \
    REG8(BAD, WSEL(IF(cmpxchg8b, F_LOCK | F_BADOP, Mq), IF(cmpxchg16b, F_LOCK | F_BADOP, Mo)), BAD, IF(xrstors, F_SUF64, M0), \
         IF(xsavec, F_SUF64, M0), IF(xsaves, F_SUF64, M0), PFX(I(vmptrld, Mq), I(vmclear, Mq), I(vmxon, Mq), BAD), PNP(I(vmptrst, Mq))), \
    REG8(BAD, BAD, BAD, BAD, BAD, BAD, PFX(I(rdrand, Rv), I(rdrand, Rv), IF(senduipi, F_O64, RMq), BAD), \
         PFX(I(rdseed, Rv), I(rdseed, Rv), I(rdpid, RMmode), BAD)))

const x86_entry x86_map_0f[256] = {
    [0x00] = GRP6, GRP7, MOD(I(lar, Gv, Mw), I(lar, Gv, Rv)), MOD(I(lsl, Gv, Mw), I(lsl, Gv, Rv)),
    [0x05] = IF0(syscall, BR_INT), I0(clts), IF0(sysret, BR_SYSRET | F_SUFDQ),
    [0x08] = I0(invd), PFX(I0(wbinvd), BAD, I0(wbnoinvd), BAD), [0x0b] = I0(ud2),
    [0x0d] = REG8(IF(prefetch, F_BADOP, Mb), IF(prefetchw, F_BADOP, Mb), IF(prefetchwt1, F_BADOP, Mb),
                  IF(prefetch, F_BADOP, Mb), IF(prefetch, F_BADOP, Mb), IF(prefetch, F_BADOP, Mb),
                  IF(prefetch, F_BADOP, Mb), IF(prefetch, F_BADOP, Mb)),
    [0x0e] = I0(femms),
    [0x10] = PFX(I(movups, Vx, Wx), I(movupd, Vx, Wx), I(movss, Vx, Wd), I(movsd, Vx, Wq)),
    [0x11] = PFX(I(movups, Wx, Vx), I(movupd, Wx, Vx), I(movss, Wd, Vx), I(movsd, Wq, Vx)),
    [0x12] = PFX(MOD(I(movlps, Vx, Mq), I(movhlps, Vx, Ux)), I(movlpd, Vx, Mq), I(movsldup, Vx, Wx), I(movddup, Vx, Wq)),
    [0x13] = PFX(I(movlps, Mq, Vx), I(movlpd, Mq, Vx), BAD, BAD),
    [0x14] = SSE2PD(unpckl), SSE2PD(unpckh),
    [0x16] = PFX(MOD(I(movhps, Vx, Mq), I(movlhps, Vx, Ux)), I(movhpd, Vx, Mq), I(movshdup, Vx, Wx), BAD),
    [0x17] = PFX(I(movhps, Mq, Vx), I(movhpd, Mq, Vx), BAD, BAD),
    [0x18] = MOD(REG8(I(prefetchnta, Mb), I(prefetcht0, Mb), I(prefetcht1, Mb), I(prefetcht2, Mb),
                      I(nop, Ev), I(nop, Ev), I(nop, Ev), I(nop, Ev)), I(nop, Ev)),
    [0x19] = I(nop, Ev),
    /* MPX: bound registers; the register forms without a prefix stay hint nops */
    [0x1a] = PFX(MOD(I(bndldx, Bnd, M0), I(nop, Ev)), I(bndmov, Bnd, BndE), I(bndcl, Bnd, OP(M_E, S_MODE)),
                 I(bndcu, Bnd, OP(M_E, S_MODE))),
    [0x1b] = PFX(MOD(I(bndstx, M0, Bnd), I(nop, Ev)), I(bndmov, BndE, Bnd), MOD(I(bndmk, Bnd, M0), I(nop, Ev)),
                 I(bndcn, Bnd, OP(M_E, S_MODE))),
    [0x1c] = MOD(REG8(PFX(I(cldemote, Mb), I(nop, Ev), I(nop, Ev), I(nop, Ev)), I(nop, Ev), I(nop, Ev), I(nop, Ev), I(nop, Ev), I(nop, Ev), I(nop, Ev),
                      I(nop, Ev)), I(nop, Ev)),
    [0x1d] = I(nop, Ev),
    [0x1e] = PFX(I(nop, Ev), I(nop, Ev),
                 MOD(I(nop, Ev), REG8(I(nop, Ev), WSEL(I(rdsspd, RMd), I(rdsspq, RMq)), I(nop, Ev), I(nop, Ev), I(nop, Ev), I(nop, Ev), I(nop, Ev),
                                      RM8(I(nop, Ev), I(nop, Ev), I0(endbr64), I0(endbr32), I(nop, Ev), I(nop, Ev),
                                          I(nop, Ev), I(nop, Ev)))),
                 I(nop, Ev)),
    [0x1f] = I(nop, Ev),
    [0x20] = I(mov, Ry, Cy), I(mov, Ry, Dy), I(mov, Cy, Ry), I(mov, Dy, Ry),
    [0x28] = PFX(I(movaps, Vx, Wx), I(movapd, Vx, Wx), BAD, BAD),
    [0x29] = PFX(I(movaps, Wx, Vx), I(movapd, Wx, Vx), BAD, BAD),
    [0x2a] = PFX(I(cvtpi2ps, Vx, Qq), I(cvtpi2pd, Vx, Qq), I(cvtsi2ss, Vx, Ey), I(cvtsi2sd, Vx, Ey)),
    [0x2b] = PFX(I(movntps, Mx, Vx), I(movntpd, Mx, Vx), I(movntss, Md, Vx), I(movntsd, Mq, Vx)),
    [0x2c] = PFX(I(cvttps2pi, Pq, Wq), I(cvttpd2pi, Pq, Wx), I(cvttss2si, Gy, Wd), I(cvttsd2si, Gy, Wq)),
    [0x2d] = PFX(I(cvtps2pi, Pq, Wq), I(cvtpd2pi, Pq, Wx), I(cvtss2si, Gy, Wd), I(cvtsd2si, Gy, Wq)),
    [0x2e] = PFX(I(ucomiss, Vx, Wd), I(ucomisd, Vx, Wq), BAD, BAD),
    [0x2f] = PFX(I(comiss, Vx, Wd), I(comisd, Vx, Wq), BAD, BAD),
    [0x30] = I0(wrmsr), I0(rdtsc), I0(rdmsr), I0(rdpmc), IF0(sysenter, BR_INT), IF0(sysexit, BR_SYSRET | F_SUFDQ),
    [0x37] = I0(getsec),
    [0x40] = CMOV(cmovo), CMOV(cmovno), CMOV(cmovb), CMOV(cmovae), CMOV(cmove), CMOV(cmovne), CMOV(cmovbe), CMOV(cmova),
    [0x48] = CMOV(cmovs), CMOV(cmovns), CMOV(cmovp), CMOV(cmovnp), CMOV(cmovl), CMOV(cmovge), CMOV(cmovle), CMOV(cmovg),
    [0x50] = PFX(I(movmskps, Gy, Ux), I(movmskpd, Gy, Ux), BAD, BAD),
    [0x51] = SSE4(sqrt),
    [0x52] = PFX(I(rsqrtps, Vx, Wx), BAD, I(rsqrtss, Vx, Wd), BAD),
    [0x53] = PFX(I(rcpps, Vx, Wx), BAD, I(rcpss, Vx, Wd), BAD),
    [0x54] = SSE2PD(and), SSE2PD(andn), SSE2PD(or), SSE2PD(xor),
    [0x58] = SSE4(add), SSE4(mul),
    [0x5a] = PFX(I(cvtps2pd, Vx, Wq), I(cvtpd2ps, Vx, Wx), I(cvtss2sd, Vx, Wd), I(cvtsd2ss, Vx, Wq)),
    [0x5b] = PFX(I(cvtdq2ps, Vx, Wx), I(cvtps2dq, Vx, Wx), I(cvttps2dq, Vx, Wx), BAD),
    [0x5c] = SSE4(sub), SSE4(min), SSE4(div), SSE4(max),
    [0x60] = MMXSSE_D(punpcklbw), MMXSSE_D(punpcklwd), MMXSSE_D(punpckldq), MMXSSE(packsswb),
    [0x64] = MMXSSE(pcmpgtb), MMXSSE(pcmpgtw), MMXSSE(pcmpgtd), MMXSSE(packuswb),
    [0x68] = MMXSSE(punpckhbw), MMXSSE(punpckhwd), MMXSSE(punpckhdq), MMXSSE(packssdw),
    [0x6c] = P66(I(punpcklqdq, Vx, Wx)), P66(I(punpckhqdq, Vx, Wx)),
    [0x6e] = PFX(WSEL(I(movd, Pq, Ed), I(movq, Pq, Eq)), WSEL(I(movd, Vx, Ed), I(movq, Vx, Eq)), BAD, BAD),
    [0x6f] = PFX(I(movq, Pq, Qq), I(movdqa, Vx, Wx), I(movdqu, Vx, Wx), BAD),
    [0x70] = PFX(I(pshufw, Pq, Qq, Ib), I(pshufd, Vx, Wx, Ib), I(pshufhw, Vx, Wx, Ib), I(pshuflw, Vx, Wx, Ib)),
    [0x71] = GRP12(psrlw, psraw, psllw), GRP12(psrld, psrad, pslld), GRP14,
    [0x74] = MMXSSE(pcmpeqb), MMXSSE(pcmpeqw), MMXSSE(pcmpeqd), PNP(I0(emms)),
    [0x78] = PFX(I(vmread, Emode, Gmode), REG8(I(extrq, Ux, Ib, Ib2), BAD, BAD, BAD, BAD, BAD, BAD, BAD), BAD,
                 I(insertq, Vx, Ux, Ib, Ib2)),
    [0x79] = PFX(I(vmwrite, Gmode, Emode), I(extrq, Vx, Ux), BAD, I(insertq, Vx, Ux)),
    [0x7c] = PFX(BAD, I(haddpd, Vx, Wx), BAD, I(haddps, Vx, Wx)),
    [0x7d] = PFX(BAD, I(hsubpd, Vx, Wx), BAD, I(hsubps, Vx, Wx)),
    [0x7e] = PFX(WSEL(I(movd, Ed, Pq), I(movq, Eq, Pq)), WSEL(I(movd, Ed, Vx), I(movq, Eq, Vx)), I(movq, Vx, Wq), BAD),
    [0x7f] = PFX(I(movq, Qq, Pq), I(movdqa, Wx, Vx), I(movdqu, Wx, Vx), BAD),
    [0x80] = JCCZ(jo), JCCZ(jno), JCCZ(jb), JCCZ(jae), JCCZ(je), JCCZ(jne), JCCZ(jbe), JCCZ(ja),
    [0x88] = JCCZ(js), JCCZ(jns), JCCZ(jp), JCCZ(jnp), JCCZ(jl), JCCZ(jge), JCCZ(jle), JCCZ(jg),
    [0x90] = SETCC(seto), SETCC(setno), SETCC(setb), SETCC(setae), SETCC(sete), SETCC(setne), SETCC(setbe), SETCC(seta),
    [0x98] = SETCC(sets), SETCC(setns), SETCC(setp), SETCC(setnp), SETCC(setl), SETCC(setge), SETCC(setle), SETCC(setg),
    [0xa0] = IF(push, F_D64 | F_SUFW, SEGR(4)), IF(pop, F_D64 | F_SUFW, SEGR(4)), I0(cpuid), I(bt, Ev, Gv),
    [0xa4] = I(shld, Ev, Gv, Ib), I(shld, Ev, Gv, CL),
    [0xa6] = REG8(PADLOCK(montmul), PADLOCK(xsha1), PADLOCK(xsha256), BAD, BAD, BAD, BAD, BAD),
    [0xa7] = REG8(PADLOCK(xstore_rng), PADLOCK(xcrypt_ecb), PADLOCK(xcrypt_cbc), PADLOCK(xcrypt_ctr),
                  PADLOCK(xcrypt_cfb), PADLOCK(xcrypt_ofb), BAD, BAD),
    [0xa8] = IF(push, F_D64 | F_SUFW, SEGR(5)), IF(pop, F_D64 | F_SUFW, SEGR(5)), I0(rsm), IF(bts, F_LOCK, Ev, Gv),
    [0xac] = I(shrd, Ev, Gv, Ib), I(shrd, Ev, Gv, CL), GRP15, I(imul, Gv, Ev),
    [0xb0] = IF(cmpxchg, F_LOCK, Eb, Gb), IF(cmpxchg, F_LOCK, Ev, Gv), I(lss, Gv, Mp), IF(btr, F_LOCK, Ev, Gv),
    [0xb4] = I(lfs, Gv, Mp), I(lgs, Gv, Mp), I(movzx, Gv, Eb), I(movzx, Gv, Ew),
    [0xb8] = PFX(BAD, BAD, I(popcnt, Gv, Ev), BAD), I(ud1, Gv, Ev),
    [0xba] = REG8(BAD, BAD, BAD, BAD, I(bt, Ev, Ib), IF(bts, F_LOCK, Ev, Ib), IF(btr, F_LOCK, Ev, Ib), IF(btc, F_LOCK, Ev, Ib)),
    [0xbb] = IF(btc, F_LOCK, Ev, Gv),
    [0xbc] = PFX(I(bsf, Gv, Ev), I(bsf, Gv, Ev), I(tzcnt, Gv, Ev), BAD),
    [0xbd] = PFX(I(bsr, Gv, Ev), I(bsr, Gv, Ev), I(lzcnt, Gv, Ev), BAD),
    [0xbe] = I(movsx, Gv, Eb), I(movsx, Gv, Ew),
    [0xc0] = IF(xadd, F_LOCK, Eb, Gb), IF(xadd, F_LOCK, Ev, Gv),
    [0xc2] = PFX(IF(cmpps, F_CMPPS, Vx, Wx, Ib), IF(cmppd, F_CMPPS, Vx, Wx, Ib), IF(cmpss, F_CMPPS, Vx, Wd, Ib),
                 IF(cmpsd, F_CMPPS, Vx, Wq, Ib)),
    [0xc3] = PNP(I(movnti, My, Gy)),
    [0xc4] = PFX(MOD(I(pinsrw, Pq, Mw, Ib), I(pinsrw, Pq, RMd, Ib)), MOD(I(pinsrw, Vx, Mw, Ib), I(pinsrw, Vx, RMd, Ib)), BAD, BAD),
    [0xc5] = PFX(I(pextrw, Gd, Nq, Ib), I(pextrw, Gd, Ux, Ib), BAD, BAD),
    [0xc6] = PFX(I(shufps, Vx, Wx, Ib), I(shufpd, Vx, Wx, Ib), BAD, BAD),
    [0xc7] = GRP9,
    [0xc8] = I(bswap, Zy), I(bswap, Zy), I(bswap, Zy), I(bswap, Zy), I(bswap, Zy), I(bswap, Zy), I(bswap, Zy), I(bswap, Zy),
    [0xd0] = PFX(BAD, I(addsubpd, Vx, Wx), BAD, I(addsubps, Vx, Wx)),
    [0xd1] = MMXSSE(psrlw), MMXSSE(psrld), MMXSSE(psrlq), MMXSSE(paddq), MMXSSE(pmullw),
    [0xd6] = PFX(BAD, I(movq, Wq, Vx), I(movq2dq, Vx, Nq), I(movdq2q, Pq, Ux)),
    [0xd7] = PFX(I(pmovmskb, Gy, Nq), I(pmovmskb, Gy, Ux), BAD, BAD),
    [0xd8] = MMXSSE(psubusb), MMXSSE(psubusw), MMXSSE(pminub), MMXSSE(pand),
    [0xdc] = MMXSSE(paddusb), MMXSSE(paddusw), MMXSSE(pmaxub), MMXSSE(pandn),
    [0xe0] = MMXSSE(pavgb), MMXSSE(psraw), MMXSSE(psrad), MMXSSE(pavgw), MMXSSE(pmulhuw), MMXSSE(pmulhw),
    [0xe6] = PFX(BAD, I(cvttpd2dq, Vx, Wx), I(cvtdq2pd, Vx, Wq), I(cvtpd2dq, Vx, Wx)),
    [0xe7] = PFX(IF(movntq, F_BADOP, Mq, Pq), I(movntdq, Mx, Vx), BAD, BAD),
    [0xe8] = MMXSSE(psubsb), MMXSSE(psubsw), MMXSSE(pminsw), MMXSSE(por),
    [0xec] = MMXSSE(paddsb), MMXSSE(paddsw), MMXSSE(pmaxsw), MMXSSE(pxor),
    [0xf0] = PF2(I(lddqu, Vx, M0)),
    [0xf1] = MMXSSE(psllw), MMXSSE(pslld), MMXSSE(psllq), MMXSSE(pmuludq), MMXSSE(pmaddwd), MMXSSE(psadbw),
    [0xf7] = PFX(I(maskmovq, Pq, Nq), I(maskmovdqu, Vx, Ux), BAD, BAD),
    [0xf8] = MMXSSE(psubb), MMXSSE(psubw), MMXSSE(psubd), MMXSSE(psubq),
    [0xfc] = MMXSSE(paddb), MMXSSE(paddw), MMXSSE(paddd), I(ud0, Gv, Ev),
};

const uint8_t x86_has_modrm_0f[256] = {
    [0x00] = 1, 1, 1, 1, [0x0d] = 1, [0x0f] = 1,
    [0x10] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    [0x20] = 1, 1, 1, 1, [0x28] = 1, 1, 1, 1, 1, 1, 1, 1,
    [0x40] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    [0x50] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    [0x60] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    [0x70] = 1, 1, 1, 1, 1, 1, 1, [0x78] = 1, 1, [0x7c] = 1, 1, 1, 1,
    [0x90] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    [0xa3] = 1, 1, 1, [0xab] = 1, 1, 1, 1, 1,
    [0xb0] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    [0xc0] = 1, 1, 1, 1, 1, 1, 1, 1,
    [0xd0] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    [0xe0] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    [0xf0] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

const x86_entry x86_map_0f38[256] = {
    [0x00] = SSSE3(pshufb), SSSE3(phaddw), SSSE3(phaddd), SSSE3(phaddsw), SSSE3(pmaddubsw), SSSE3(phsubw),
    [0x06] = SSSE3(phsubd), SSSE3(phsubsw), SSSE3(psignb), SSSE3(psignw), SSSE3(psignd), SSSE3(pmulhrsw),
    [0x10] = P66(I(pblendvb, Vx, Wx, XMM0)), [0x14] = P66(I(blendvps, Vx, Wx, XMM0)), P66(I(blendvpd, Vx, Wx, XMM0)),
    [0x17] = SSE41(ptest),
    [0x1c] = SSSE3(pabsb), SSSE3(pabsw), SSSE3(pabsd),
    [0x20] = P66(I(pmovsxbw, Vx, Wq)), P66(I(pmovsxbd, Vx, Wd)), P66(I(pmovsxbq, Vx, Ww)),
    [0x23] = P66(I(pmovsxwd, Vx, Wq)), P66(I(pmovsxwq, Vx, Wd)), P66(I(pmovsxdq, Vx, Wq)),
    [0x28] = SSE41(pmuldq), SSE41(pcmpeqq), P66(I(movntdqa, Vx, Mx)), SSE41(packusdw),
    [0x30] = P66(I(pmovzxbw, Vx, Wq)), P66(I(pmovzxbd, Vx, Wd)), P66(I(pmovzxbq, Vx, Ww)),
    [0x33] = P66(I(pmovzxwd, Vx, Wq)), P66(I(pmovzxwq, Vx, Wd)), P66(I(pmovzxdq, Vx, Wq)),
    [0x37] = SSE41(pcmpgtq), SSE41(pminsb), SSE41(pminsd), SSE41(pminuw), SSE41(pminud),
    [0x3c] = SSE41(pmaxsb), SSE41(pmaxsd), SSE41(pmaxuw), SSE41(pmaxud), SSE41(pmulld), SSE41(phminposuw),
    [0x80] = P66(IF(invept, F_BADOP, Gmode, Mo)), P66(IF(invvpid, F_BADOP, Gmode, Mo)),
    [0x82] = P66(IF(invpcid, F_BADOP, Gmode, M0)),
    [0xc8] = PNP(I(sha1nexte, Vx, Wx)), PNP(I(sha1msg1, Vx, Wx)), PNP(I(sha1msg2, Vx, Wx)),
    [0xcb] = PNP(I(sha256rnds2, Vx, Wx, XMM0)), PNP(I(sha256msg1, Vx, Wx)), PNP(I(sha256msg2, Vx, Wx)),
    [0xcf] = P66(I(gf2p8mulb, Vx, Wx)),
    /* AES-NI with 66; Key Locker with F3 (the wide forms take no register, encodekey no memory) */
    [0xd8] = PF3X(REG8(IF(aesencwide128kl, F_BADOP, M0), IF(aesdecwide128kl, F_BADOP, M0),
                       IF(aesencwide256kl, F_BADOP, M0), IF(aesdecwide256kl, F_BADOP, M0), BAD, BAD, BAD, BAD)),
    [0xdb] = SSE41(aesimc),
    [0xdc] = KEYLOCKER(aesenc, MOD(I(aesenc128kl, Vdq, M0), I(loadiwkey, Vdq, Udq))),
    [0xdd] = KEYLOCKER(aesenclast, MOD(I(aesdec128kl, Vdq, M0), BAD)),
    [0xde] = KEYLOCKER(aesdec, MOD(I(aesenc256kl, Vdq, M0), BAD)),
    [0xdf] = KEYLOCKER(aesdeclast, MOD(I(aesdec256kl, Vdq, M0), BAD)),
    [0xfa] = PF3X(I(encodekey128, Gd, RMd)), PF3X(I(encodekey256, Gd, RMd)),
    [0xf0] = PFX(IF(movbe, F_BADOP, Gv, Mv), IF(movbe, F_BADOP, Gv, Mv), BAD, I(crc32, Gy, Eb)),
    [0xf1] = PFX(IF(movbe, F_BADOP, Mv, Gv), IF(movbe, F_BADOP, Mv, Gv), BAD, I(crc32, Gy, Ev)),
    [0xf5] = PFX(BAD, WSEL(I(wrussd, M0, Gd), I(wrussq, M0, Gq)), BAD, BAD),
    [0xf6] = PFX(WSEL(I(wrssd, M0, Gd), I(wrssq, M0, Gq)), I(adcx, Gy, Ey), I(adox, Gy, Ey), BAD),
    [0xf8] = PFX(BAD, I(movdir64b, Gas, M0), I(enqcmds, Gas, M0), I(enqcmd, Gas, M0)),
    [0xf9] = PNP(I(movdiri, My, Gy)),
    [0xfc] = PFX(IF(aadd, F_BADOP, My, Gy), IF(aand, F_BADOP, My, Gy), IF(axor, F_BADOP, My, Gy),
                 IF(aor, F_BADOP, My, Gy)),   /* RAO-INT */
};

const x86_entry x86_map_0f3a[256] = {
    [0x08] = P66(I(roundps, Vx, Wx, Ib)), P66(I(roundpd, Vx, Wx, Ib)), P66(I(roundss, Vx, Wd, Ib)),
    [0x0b] = P66(I(roundsd, Vx, Wq, Ib)), P66(I(blendps, Vx, Wx, Ib)), P66(I(blendpd, Vx, Wx, Ib)),
    [0x0e] = P66(I(pblendw, Vx, Wx, Ib)), PFX(I(palignr, Pq, Qq, Ib), I(palignr, Vx, Wx, Ib), BAD, BAD),
    [0x14] = P66(MOD(I(pextrb, Mb, Vx, Ib), I(pextrb, RMd, Vx, Ib))),
    [0x15] = P66(MOD(I(pextrw, Mw, Vx, Ib), I(pextrw, RMd, Vx, Ib))),
    [0x16] = P66(WSEL(I(pextrd, Ed, Vx, Ib), I(pextrq, Eq, Vx, Ib))),
    [0x17] = P66(I(extractps, Ed, Vx, Ib)),
    [0x20] = P66(MOD(I(pinsrb, Vx, Mb, Ib), I(pinsrb, Vx, RMd, Ib))),
    [0x21] = P66(I(insertps, Vx, Wd, Ib)),
    [0x22] = P66(WSEL(I(pinsrd, Vx, Ed, Ib), I(pinsrq, Vx, Eq, Ib))),
    [0x40] = P66(I(dpps, Vx, Wx, Ib)), P66(I(dppd, Vx, Wx, Ib)), P66(I(mpsadbw, Vx, Wx, Ib)),
    [0x44] = P66(IF(pclmulqdq, F_PCLMUL, Vx, Wx, Ib)),
    [0x60] = P66(IF(pcmpestrm, F_SUFQ, Vx, Wx, Ib)), P66(IF(pcmpestri, F_SUFQ, Vx, Wx, Ib)),
    [0x62] = P66(I(pcmpistrm, Vx, Wx, Ib)), P66(I(pcmpistri, Vx, Wx, Ib)),
    [0xcc] = PNP(I(sha1rnds4, Vx, Wx, Ib)),
    [0xce] = P66(I(gf2p8affineqb, Vx, Wx, Ib)), P66(I(gf2p8affineinvqb, Vx, Wx, Ib)),
    [0xdf] = P66(I(aeskeygenassist, Vx, Wx, Ib)),
    [0xf0] = PF3(MOD(BAD, I(hreset, Ib))),
};

/* AMD 3DNow!: 0F 0F ModRM [SIB, displacement] suffix. The operands are read with the suffix as an
 * immediate, then the suffix names the instruction (x86_decode). objdump takes a 66 prefix as making
 * the operands XMM registers ("pfadd xmm0,XMMWORD PTR [rax]"). */
const x86_entry x86_3dnow_operands[2] = {
    { X86_MN_BAD, X86_T_LEAF, 0, 0, { Pq, Qq, Ib }, 0 },
    { X86_MN_BAD, X86_T_LEAF, 0, 0, { Vdq, Wdq, Ib }, 0 },
};

const uint16_t x86_3dnow[256] = {
    [0x0c] = X86_MN_pi2fw, [0x0d] = X86_MN_pi2fd, [0x1c] = X86_MN_pf2iw, [0x1d] = X86_MN_pf2id,
    [0x8a] = X86_MN_pfnacc, [0x8e] = X86_MN_pfpnacc, [0x90] = X86_MN_pfcmpge, [0x94] = X86_MN_pfmin,
    [0x96] = X86_MN_pfrcp, [0x97] = X86_MN_pfrsqrt, [0x9a] = X86_MN_pfsub, [0x9e] = X86_MN_pfadd,
    [0xa0] = X86_MN_pfcmpgt, [0xa4] = X86_MN_pfmax, [0xa6] = X86_MN_pfrcpit1, [0xa7] = X86_MN_pfrsqit1,
    [0xaa] = X86_MN_pfsubr, [0xae] = X86_MN_pfacc, [0xb0] = X86_MN_pfcmpeq, [0xb4] = X86_MN_pfmul,
    [0xb6] = X86_MN_pfrcpit2, [0xb7] = X86_MN_pmulhrw, [0xbb] = X86_MN_pswapd, [0xbf] = X86_MN_pavgusb,
};
