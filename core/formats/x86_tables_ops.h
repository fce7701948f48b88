/* Shorthand for writing the opcode tables (x86_tables*.c only): operand specifications in the Intel
 * SDM's notation and the entry builders. */
#ifndef PMM_X86_TABLES_OPS_H
#define PMM_X86_TABLES_OPS_H

#include "x86_tables.h"

/* Entries. */
#define I0(mn) { X86_MN_##mn, X86_T_LEAF, 0, 0, { 0 }, 0 }
#define I(mn, ...) { X86_MN_##mn, X86_T_LEAF, 0, 0, { __VA_ARGS__ }, 0 }
#define IF0(mn, fl) { X86_MN_##mn, X86_T_LEAF, 0, (fl), { 0 }, 0 }
#define IF(mn, fl, ...) { X86_MN_##mn, X86_T_LEAF, 0, (fl), { __VA_ARGS__ }, 0 }
/* EVEX with a compressed displacement scaled by the element size n (disp8*n). */
#define IN(mn, n, fl, ...) { X86_MN_##mn, X86_T_LEAF, (n), (fl), { __VA_ARGS__ }, 0 }
#define SW(k, ...) { 0, (k), 0, 0, { 0 }, (const x86_entry[]){ __VA_ARGS__ } }
#define SWF(k, fl, ...) { 0, (k), 0, (fl), { 0 }, (const x86_entry[]){ __VA_ARGS__ } }
#define BAD { 0, X86_T_LEAF, 0, 0, { 0 }, 0 }
/* Switches. Every combinator forwards its arguments variadically: an entry's text has commas. */
#define REG8(...) SW(X86_T_REG, __VA_ARGS__)
#define RM8(...) SW(X86_T_RM, __VA_ARGS__)
#define MOD(...) SW(X86_T_MOD, __VA_ARGS__)          /* memory form, register form */
#define PFX(...) SW(X86_T_PFX, __VA_ARGS__)          /* none, 66, F3, F2 */
#define OSZ(...) SW(X86_T_OSZ, __VA_ARGS__)          /* 16, 32, 64 */
#define ASZ(...) SW(X86_T_ASZ, __VA_ARGS__)          /* 16, 32, 64 */
#define MODE(...) SW(X86_T_MODE, __VA_ARGS__)        /* 32-bit, 64-bit */
#define WSEL(...) SW(X86_T_W, __VA_ARGS__)           /* W0, W1 */
#define LSEL(...) SW(X86_T_L, __VA_ARGS__)           /* L0, L1, L2 */
/* W0, W1 of a form whose W1 names a 64-bit general register (vmovq, vpextrq, kmovq r64): outside
 * 64-bit mode (E)VEX.W is ignored and W1 is the W0 form (SDM: "VEX.W1 in non-64-bit is ignored"). */
#define WGPR(a, b) SW(X86_T_MODE, a, SW(X86_T_W, a, b))
#define I64(...) SW(X86_T_MODE, __VA_ARGS__, BAD)    /* invalid in 64-bit mode */
#define W0(...) SW(X86_T_W, __VA_ARGS__, BAD)      /* (E)VEX.W = 0 only */
#define L0(...) SW(X86_T_L, __VA_ARGS__, BAD, BAD)    /* VEX.L = 0 only */
#define L1(...) SW(X86_T_L, BAD, __VA_ARGS__, BAD)    /* VEX.L = 1 only */
/* Only with one mandatory prefix. */
#define P66(...) SWF(X86_T_PFX, F_PFXCHECK, BAD, __VA_ARGS__, BAD, BAD)
#define PNP(...) SW(X86_T_PFX, __VA_ARGS__, BAD, BAD, BAD)
#define PF3(...) SW(X86_T_PFX, BAD, BAD, __VA_ARGS__, BAD)
#define PF2(...) SW(X86_T_PFX, BAD, BAD, BAD, __VA_ARGS__)
#define PF3X(...) SWF(X86_T_PFX, F_PFXCHECK, BAD, BAD, __VA_ARGS__, BAD)   /* F3, checked as P66 is */
/* MMX form without a prefix, SSE2 form with 66. */
#define MMXSSE(mn) SWF(X86_T_PFX, F_PFXCHECK, I(mn, Pq, Qq), I(mn, Vx, Wx), BAD, BAD)
#define MMXSSE_D(mn) SWF(X86_T_PFX, F_PFXCHECK, I(mn, Pq, Qd), I(mn, Vx, Wx), BAD, BAD)

/* Branch kinds in the flags. */
#define BR_JMP X86_BR_JMP
#define BR_JCC X86_BR_JCC
#define BR_CALL X86_BR_CALL
#define BR_RET X86_BR_RET
#define BR_JMPF X86_BR_JMP_FAR
#define BR_CALLF X86_BR_CALL_FAR
#define BR_RETF X86_BR_RET_FAR
#define BR_INT X86_BR_INT
#define BR_SYSRET X86_BR_SYSRET

/* Operands. */
#define Eb OP(M_E, S_B)
#define Ew OP(M_E, S_W)
#define Ed OP(M_E, S_D)
#define Eq OP(M_E, S_Q)
#define Ev OP(M_E, S_V)
#define Ey OP(M_E, S_Y)
#define Evq OP(M_E, S_VQ)
#define Gb OP(M_G, S_B)
#define Gw OP(M_G, S_W)
#define Gd OP(M_G, S_D)
#define Gq OP(M_G, S_Q)
#define Gv OP(M_G, S_V)
#define Gy OP(M_G, S_Y)
#define Gz OP(M_G, S_Z)
#define Gvw OP(M_G, S_VW)
#define M0 OP(M_M, S_0)
#define Mb OP(M_M, S_B)
#define Mw OP(M_M, S_W)
#define Md OP(M_M, S_D)
#define Mq OP(M_M, S_Q)
#define Mv OP(M_M, S_V)
#define My OP(M_M, S_Y)
#define Mt OP(M_M, S_T)
#define Mp OP(M_M, S_P)
#define Mo OP(M_M, S_O)
#define Mdq OP(M_M, S_DQ)
#define Mx OP(M_M, S_X)
#define Mxy OP(M_M, S_XY)
#define Rd OP(M_R, S_D)
#define Rq OP(M_R, S_Q)
#define Ry OP(M_R, S_Y)
#define Rv OP(M_RM, S_V)
#define Emode OP(M_E, S_MODE)
#define Gmode OP(M_G, S_MODE)
#define RMmode OP(M_RM, S_MODE)
#define Gas OP(M_G, S_AS)
#define Bnd OP(M_BND, 0)
#define BndE OP(M_BNDW, 0)
#define RMd OP(M_RM, S_D)
#define RMy OP(M_RM, S_Y)
#define RMq OP(M_RM, S_Q)
#define Ib OP(M_I, S_B)
#define Iw OP(M_I, S_W)
#define Iz OP(M_I, S_Z)
#define Iv OP(M_I, S_V)
#define sIb OP(M_SI, S_B)
#define sIz OP(M_SI, S_Z)
#define Ib2 OP(M_I2, S_B)
#define Jb OP(M_J, S_B)
#define Jz OP(M_J, S_Z)
#define Ob OP(M_O, S_B)
#define Ov OP(M_O, S_V)
#define Ap OP(M_A, S_P)
#define Zb OP(M_Z, S_B)
#define Zv OP(M_Z, S_V)
#define Zvq OP(M_Z, S_VQ)
#define Zy OP(M_Z, S_Y)
#define Sw OP(M_S, S_W)
#define Cy OP(M_C, S_Y)
#define Dy OP(M_D, S_Y)
#define Pq OP(M_P, S_Q)
#define Pd OP(M_P, S_D)
#define Qq OP(M_Q, S_Q)
#define Qd OP(M_Q, S_D)
#define Nq OP(M_N, S_Q)
#define Vx OP(M_V, S_X)
#define Vdq OP(M_V, S_XX)
#define Vqq OP(M_V, S_YY)
#define Vd OP(M_V, S_XX)
#define Vxh OP(M_V, S_XH)
#define Vq OP(M_V, S_XX)
#define Wx OP(M_W, S_X)
#define Wb OP(M_W, S_B)
#define Ww OP(M_W, S_W)
#define Wd OP(M_W, S_D)
#define Wq OP(M_W, S_Q)
#define Wdq OP(M_W, S_DQ)
#define Wqq OP(M_W, S_QQ)
#define Wxh OP(M_W, S_XH)
#define Wxq OP(M_W, S_XQ)
#define Wxe OP(M_W, S_XE)
#define Wxs OP(M_W, S_XS)
#define Ux OP(M_U, S_X)
#define Udq OP(M_U, S_XX)
#define Hx OP(M_H, S_X)
#define Hdq OP(M_H, S_XX)
#define Lx OP(M_L, S_X)
#define By OP(M_B, S_Y)
#define Xb OP(M_X, S_B)
#define Xv OP(M_X, S_V)
#define Xz OP(M_X, S_Z)
#define Yb OP(M_Y, S_B)
#define Yv OP(M_Y, S_V)
#define Yz OP(M_Y, S_Z)
#define FIXREG(size, n) OP(M_REG, ((size) << 3) | (n))
#define AL FIXREG(S_B, 0)
#define CL FIXREG(S_B, 1)
#define DX FIXREG(S_W, 2)
#define AX FIXREG(S_W, 0)
#define rAX FIXREG(S_V, 0)
#define eAX FIXREG(S_Z, 0)
#define SEGR(n) OP(M_SEG, n)
#define ONE OP(M_ONE, 0)
#define ST0 OP(M_ST0, 0)
#define STi OP(M_STI, 0)
#define XMM0 OP(M_XMM0, 0)
#define VSd OP(M_VSIB, S_D)      /* DWORD elements, index of the vector length */
#define VSq OP(M_VSIB, S_Q)
#define VSHq OP(M_VSIBH, S_Q)    /* QWORD elements, dword indices: half the vector length */

#endif
