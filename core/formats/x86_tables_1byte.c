/* The one-byte opcode map and the x87 escapes (Intel SDM vol. 2, appendix A.3 and A.4). */
#include "x86_tables_ops.h"

#define ALU(mn) \
    IF(mn, F_LOCK, Eb, Gb), IF(mn, F_LOCK, Ev, Gv), I(mn, Gb, Eb), I(mn, Gv, Ev), I(mn, AL, Ib), I(mn, rAX, sIz)
#define GRP1(sz, imm) REG8(IF(add, F_LOCK, sz, imm), IF(or, F_LOCK, sz, imm), IF(adc, F_LOCK, sz, imm), \
    IF(sbb, F_LOCK, sz, imm), IF(and, F_LOCK, sz, imm), IF(sub, F_LOCK, sz, imm), IF(xor, F_LOCK, sz, imm), I(cmp, sz, imm))
#define GRP2(sz, cnt) REG8(I(rol, sz, cnt), I(ror, sz, cnt), I(rcl, sz, cnt), I(rcr, sz, cnt), \
    I(shl, sz, cnt), I(shr, sz, cnt), I(shl, sz, cnt), I(sar, sz, cnt))
#define JCC(op) IF(op, BR_JCC | F_BND, Jb)

/* x87: memory forms by ModRM.reg. The register forms of DC and DE put the reversed operation
 * first (DC E0+i is fsubr st(i),st), as the SDM lists them. */
#define X87M(a, b, c, d, e, f, g, h) REG8(a, b, c, d, e, f, g, h)
#define FST(mn) I(mn, ST0, STi)
#define FSTR(mn) I(mn, STi, ST0)
#define FI(mn) I(mn, STi)

#define X87_D8 MOD( \
    X87M(I(fadd, Md), I(fmul, Md), I(fcom, Md), I(fcomp, Md), I(fsub, Md), I(fsubr, Md), I(fdiv, Md), I(fdivr, Md)), \
    REG8(FST(fadd), FST(fmul), FI(fcom), FI(fcomp), FST(fsub), FST(fsubr), FST(fdiv), FST(fdivr)))
#define X87_D9 MOD( \
    X87M(I(fld, Md), BAD, I(fst, Md), I(fstp, Md), IF(fldenv, F_SUFW, M0), I(fldcw, Mw), IF(fnstenv, F_SUFW, M0), I(fnstcw, Mw)), \
    REG8(FI(fld), FI(fxch), RM8(I0(fnop), BAD, BAD, BAD, BAD, BAD, BAD, BAD), BAD, \
         RM8(I0(fchs), I0(fabs), BAD, BAD, I0(ftst), I0(fxam), BAD, BAD), \
         RM8(I0(fld1), I0(fldl2t), I0(fldl2e), I0(fldpi), I0(fldlg2), I0(fldln2), I0(fldz), BAD), \
         RM8(I0(f2xm1), I0(fyl2x), I0(fptan), I0(fpatan), I0(fxtract), I0(fprem1), I0(fdecstp), I0(fincstp)), \
         RM8(I0(fprem), I0(fyl2xp1), I0(fsqrt), I0(fsincos), I0(frndint), I0(fscale), I0(fsin), I0(fcos))))
#define X87_DA MOD( \
    X87M(I(fiadd, Md), I(fimul, Md), I(ficom, Md), I(ficomp, Md), I(fisub, Md), I(fisubr, Md), I(fidiv, Md), I(fidivr, Md)), \
    REG8(FST(fcmovb), FST(fcmove), FST(fcmovbe), FST(fcmovu), BAD, \
         RM8(BAD, I0(fucompp), BAD, BAD, BAD, BAD, BAD, BAD), BAD, BAD))
#define X87_DB MOD( \
    X87M(I(fild, Md), I(fisttp, Md), I(fist, Md), I(fistp, Md), BAD, I(fld, Mt), BAD, I(fstp, Mt)), \
    REG8(FST(fcmovnb), FST(fcmovne), FST(fcmovnbe), FST(fcmovnu), \
         RM8(I0(fneni8087_only), I0(fndisi8087_only), I0(fnclex), I0(fninit), I0(fnsetpm287_only), I0(frstpm287_only), BAD, BAD), \
         FST(fucomi), FST(fcomi), BAD))
#define X87_DC MOD( \
    X87M(I(fadd, Mq), I(fmul, Mq), I(fcom, Mq), I(fcomp, Mq), I(fsub, Mq), I(fsubr, Mq), I(fdiv, Mq), I(fdivr, Mq)), \
    REG8(FSTR(fadd), FSTR(fmul), BAD, BAD, FSTR(fsubr), FSTR(fsub), FSTR(fdivr), FSTR(fdiv)))
#define X87_DD MOD( \
    X87M(I(fld, Mq), I(fisttp, Mq), I(fst, Mq), I(fstp, Mq), IF(frstor, F_SUFW, M0), BAD, IF(fnsave, F_SUFW, M0), I(fnstsw, Mw)), \
    REG8(FI(ffree), BAD, FI(fst), FI(fstp), FI(fucom), FI(fucomp), BAD, BAD))
#define X87_DE MOD( \
    X87M(I(fiadd, Mw), I(fimul, Mw), I(ficom, Mw), I(ficomp, Mw), I(fisub, Mw), I(fisubr, Mw), I(fidiv, Mw), I(fidivr, Mw)), \
    REG8(FSTR(faddp), FSTR(fmulp), BAD, RM8(BAD, I0(fcompp), BAD, BAD, BAD, BAD, BAD, BAD), \
         FSTR(fsubrp), FSTR(fsubp), FSTR(fdivrp), FSTR(fdivp)))
#define X87_DF MOD( \
    X87M(I(fild, Mw), I(fisttp, Mw), I(fist, Mw), I(fistp, Mw), I(fbld, Mt), I(fild, Mq), I(fbstp, Mt), I(fistp, Mq)), \
    REG8(FI(ffreep), BAD, BAD, BAD, RM8(I(fnstsw, AX), BAD, BAD, BAD, BAD, BAD, BAD, BAD), \
         FST(fucomip), FST(fcomip), BAD))

const x86_entry x86_map_1byte[256] = {
    [0x00] = ALU(add), [0x06] = I64(IF(push, F_SUFW, SEGR(0))), [0x07] = I64(IF(pop, F_SUFW, SEGR(0))),
    [0x08] = ALU(or), [0x0e] = I64(IF(push, F_SUFW, SEGR(1))),
    [0x10] = ALU(adc), [0x16] = I64(IF(push, F_SUFW, SEGR(2))), [0x17] = I64(IF(pop, F_SUFW, SEGR(2))),
    [0x18] = ALU(sbb), [0x1e] = I64(IF(push, F_SUFW, SEGR(3))), [0x1f] = I64(IF(pop, F_SUFW, SEGR(3))),
    [0x20] = ALU(and), [0x27] = I64(I0(daa)),
    [0x28] = ALU(sub), [0x2f] = I64(I0(das)),
    [0x30] = ALU(xor), [0x37] = I64(I0(aaa)),
    [0x38] = I(cmp, Eb, Gb), I(cmp, Ev, Gv), I(cmp, Gb, Eb), I(cmp, Gv, Ev), I(cmp, AL, Ib), I(cmp, rAX, sIz),
    [0x3f] = I64(I0(aas)),
    /* 0x40..0x4f: inc/dec in 32-bit mode; REX prefixes in 64-bit mode (never reach the table). */
    [0x40] = I(inc, Zv), I(inc, Zv), I(inc, Zv), I(inc, Zv), I(inc, Zv), I(inc, Zv), I(inc, Zv), I(inc, Zv),
    [0x48] = I(dec, Zv), I(dec, Zv), I(dec, Zv), I(dec, Zv), I(dec, Zv), I(dec, Zv), I(dec, Zv), I(dec, Zv),
    [0x50] = IF(push, F_D64, Zvq), IF(push, F_D64, Zvq), IF(push, F_D64, Zvq), IF(push, F_D64, Zvq),
             IF(push, F_D64, Zvq), IF(push, F_D64, Zvq), IF(push, F_D64, Zvq), IF(push, F_D64, Zvq),
    [0x58] = IF(pop, F_D64, Zvq), IF(pop, F_D64, Zvq), IF(pop, F_D64, Zvq), IF(pop, F_D64, Zvq),
             IF(pop, F_D64, Zvq), IF(pop, F_D64, Zvq), IF(pop, F_D64, Zvq), IF(pop, F_D64, Zvq),
    [0x60] = I64(OSZ(I0(pushaw), I0(pusha), I0(pusha))), I64(OSZ(I0(popaw), I0(popa), I0(popa))),
    [0x62] = I64(OSZ(I(bound, Gv, Md), I(bound, Gv, Mq), BAD)),
    [0x63] = MODE(I(arpl, Ew, Gw), I(movsxd, Gv, Ed)),
    [0x68] = IF(push, F_D64 | F_SUFW, sIz), I(imul, Gv, Ev, sIz), IF(push, F_D64 | F_SUFW, sIb), I(imul, Gv, Ev, sIb),
    [0x6c] = IF(ins, F_REP, Yb, DX), IF(ins, F_REP, Yz, DX),
    [0x6e] = IF(outs, F_REP, DX, Xb), IF(outs, F_REP, DX, Xz),
    [0x70] = JCC(jo), JCC(jno), JCC(jb), JCC(jae), JCC(je), JCC(jne), JCC(jbe), JCC(ja),
    [0x78] = JCC(js), JCC(jns), JCC(jp), JCC(jnp), JCC(jl), JCC(jge), JCC(jle), JCC(jg),
    [0x80] = GRP1(Eb, Ib), GRP1(Ev, sIz), I64(GRP1(Eb, Ib)), GRP1(Ev, sIb),
    [0x84] = I(test, Eb, Gb), I(test, Ev, Gv), IF(xchg, F_LOCK, Eb, Gb), IF(xchg, F_LOCK, Ev, Gv),
    [0x88] = IF(mov, F_XREL, Eb, Gb), IF(mov, F_XREL, Ev, Gv), I(mov, Gb, Eb), I(mov, Gv, Ev),
    [0x8c] = MOD(I(mov, Ew, Sw), I(mov, Rv, Sw)), I(lea, Gv, M0), MOD(I(mov, Sw, Mw), I(mov, Sw, Rv)),
    [0x8f] = REG8(IF(pop, F_D64, Evq), BAD, BAD, BAD, BAD, BAD, BAD, BAD),
    [0x90] = I0(nop),   /* special-cased: xchg r8,rax with REX.B, pause with F3 */
    [0x91] = I(xchg, Zv, rAX), I(xchg, Zv, rAX), I(xchg, Zv, rAX), I(xchg, Zv, rAX),
             I(xchg, Zv, rAX), I(xchg, Zv, rAX), I(xchg, Zv, rAX),
    [0x98] = OSZ(I0(cbw), I0(cwde), I0(cdqe)), OSZ(I0(cwd), I0(cdq), I0(cqo)),
    [0x9a] = I64(IF(call, BR_CALLF, Ap)), IF0(fwait, 0),
    [0x9c] = IF0(pushf, F_D64 | F_SUFW), IF0(popf, F_D64 | F_SUFW), I0(sahf), I0(lahf),
    [0xa0] = I(mov, AL, Ob), I(mov, rAX, Ov), I(mov, Ob, AL), I(mov, Ov, rAX),
    [0xa4] = IF(movs, F_REP, Yb, Xb), IF(movs, F_REP, Yv, Xv),
    [0xa6] = IF(cmps, F_REPZ, Xb, Yb), IF(cmps, F_REPZ, Xv, Yv),
    [0xa8] = I(test, AL, Ib), I(test, rAX, sIz),
    [0xaa] = IF(stos, F_REP, Yb, AL), IF(stos, F_REP, Yv, rAX),
    [0xac] = IF(lods, F_REP, AL, Xb), IF(lods, F_REP, rAX, Xv),
    [0xae] = IF(scas, F_REPZ, AL, Yb), IF(scas, F_REPZ, rAX, Yv),
    [0xb0] = I(mov, Zb, Ib), I(mov, Zb, Ib), I(mov, Zb, Ib), I(mov, Zb, Ib),
             I(mov, Zb, Ib), I(mov, Zb, Ib), I(mov, Zb, Ib), I(mov, Zb, Ib),
    [0xb8] = I(mov, Zv, Iv), I(mov, Zv, Iv), I(mov, Zv, Iv), I(mov, Zv, Iv),
             I(mov, Zv, Iv), I(mov, Zv, Iv), I(mov, Zv, Iv), I(mov, Zv, Iv),
    [0xc0] = GRP2(Eb, Ib), GRP2(Ev, Ib),
    [0xc2] = IF(ret, BR_RET | F_D64 | F_BND | F_SUFW, Iw), IF0(ret, BR_RET | F_D64 | F_BND | F_SUFW),
    [0xc4] = I(les, Gz, Mp), I(lds, Gz, Mp),   /* VEX prefixes where they can be: x86_decode.c */
    [0xc6] = REG8(IF(mov, F_XREL, Eb, Ib), BAD, BAD, BAD, BAD, BAD, BAD,
                  MOD(BAD, RM8(I(xabort, Ib), BAD, BAD, BAD, BAD, BAD, BAD, BAD))),
    [0xc7] = REG8(IF(mov, F_XREL, Ev, sIz), BAD, BAD, BAD, BAD, BAD, BAD,
                  MOD(BAD, RM8(IF(xbegin, BR_JCC | F_SUFW, Jz), BAD, BAD, BAD, BAD, BAD, BAD, BAD))),
    [0xc8] = IF(enter, F_D64 | F_SUFW, Iw, Ib2), IF0(leave, F_D64 | F_SUFW),
    [0xca] = IF(retf, BR_RETF | F_SUFW | F_SUFQ, Iw), IF0(retf, BR_RETF | F_SUFW | F_SUFQ),
    [0xcc] = IF0(int3, BR_INT), IF(int, BR_INT, Ib), I64(IF0(into, BR_INT)),
    [0xcf] = OSZ(IF0(iretw, BR_RETF), IF0(iret, BR_RETF), IF0(iretq, BR_RETF)),
    [0xd0] = GRP2(Eb, ONE), GRP2(Ev, ONE), GRP2(Eb, CL), GRP2(Ev, CL),
    [0xd4] = I64(I(aam, Ib)), I64(I(aad, Ib)),
    [0xd7] = I(xlat, OP(M_X, S_B)),
    [0xd8] = X87_D8, X87_D9, X87_DA, X87_DB, X87_DC, X87_DD, X87_DE, X87_DF,
    [0xe0] = IF(loopne, BR_JCC, Jb), IF(loope, BR_JCC, Jb), IF(loop, BR_JCC, Jb),
    [0xe3] = ASZ(IF(jcxz, BR_JCC, Jb), IF(jecxz, BR_JCC, Jb), IF(jrcxz, BR_JCC, Jb)),
    [0xe4] = I(in, AL, Ib), I(in, eAX, Ib), I(out, Ib, AL), I(out, Ib, eAX),
    [0xe8] = IF(call, BR_CALL | F_D64 | F_BND | F_SUFW, Jz), IF(jmp, BR_JMP | F_D64 | F_BND | F_SUFW, Jz),
    [0xea] = I64(IF(jmp, BR_JMPF, Ap)), IF(jmp, BR_JMP | F_BND, Jb),
    [0xec] = I(in, AL, DX), I(in, eAX, DX), I(out, DX, AL), I(out, DX, eAX),
    [0xf1] = IF0(int1, BR_INT), [0xf4] = I0(hlt), I0(cmc),
    [0xf6] = REG8(I(test, Eb, Ib), I(test, Eb, Ib), IF(not, F_LOCK, Eb), IF(neg, F_LOCK, Eb),
                  I(mul, Eb), I(imul, Eb), I(div, Eb), I(idiv, Eb)),
    [0xf7] = REG8(I(test, Ev, sIz), I(test, Ev, sIz), IF(not, F_LOCK, Ev), IF(neg, F_LOCK, Ev),
                  I(mul, Ev), I(imul, Ev), I(div, Ev), I(idiv, Ev)),
    [0xf8] = I0(clc), I0(stc), I0(cli), I0(sti), I0(cld), I0(std),
    [0xfe] = REG8(IF(inc, F_LOCK, Eb), IF(dec, F_LOCK, Eb), BAD, BAD, BAD, BAD, BAD, BAD),
    [0xff] = REG8(IF(inc, F_LOCK, Ev), IF(dec, F_LOCK, Ev),
                  IF(call, BR_CALL | F_D64 | F_BND | F_NOTRACK | F_IND, Evq),
                  IF(call, BR_CALLF | F_IND, OP(M_M, S_P)),
                  IF(jmp, BR_JMP | F_D64 | F_BND | F_NOTRACK | F_IND, Evq),
                  IF(jmp, BR_JMPF | F_IND, OP(M_M, S_P)),
                  IF(push, F_D64, Evq), BAD),
};

/* Opcodes followed by a ModRM byte. */
const uint8_t x86_has_modrm_1byte[256] = {
    [0x00] = 1, 1, 1, 1, [0x08] = 1, 1, 1, 1, [0x10] = 1, 1, 1, 1, [0x18] = 1, 1, 1, 1,
    [0x20] = 1, 1, 1, 1, [0x28] = 1, 1, 1, 1, [0x30] = 1, 1, 1, 1, [0x38] = 1, 1, 1, 1,
    [0x62] = 1, 1, [0x69] = 1, [0x6b] = 1,
    [0x80] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    [0xc0] = 1, 1, [0xc4] = 1, 1, 1, 1,
    [0xd0] = 1, 1, 1, 1, [0xd8] = 1, 1, 1, 1, 1, 1, 1, 1,
    [0xf6] = 1, 1, [0xfe] = 1, 1,
};
