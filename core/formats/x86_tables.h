/* The decoder's opcode tables (internal to x86_decode.c and x86_tables*.c).
 *
 * Each opcode map is an array of 256 entries. An entry is either a leaf (a mnemonic with up to four
 * operand specifications and flags) or a switch that picks one of its children by a field of the
 * encoding: ModRM.reg, ModRM.mod, ModRM.rm, the mandatory prefix, the operand or address size, the
 * mode, REX.W/VEX.W or VEX.L. Operand specifications use the Intel SDM's notation (appendix A):
 * an addressing method (E, G, V, W, I, J, ...) and a size (b, w, d, q, v, z, x, ...). */
#ifndef PMM_X86_TABLES_H
#define PMM_X86_TABLES_H

#include <stdint.h>
#include "x86_decode.h"

/* What a switch entry selects on; the number of children follows each. */
enum x86_table_kind {
    X86_T_LEAF = 0,
    X86_T_REG,      /* 8: ModRM.reg */
    X86_T_MOD,      /* 2: memory operand, register operand */
    X86_T_RM,       /* 8: ModRM.rm (register forms) */
    X86_T_PFX,      /* 4: no prefix, 66, F3, F2 (the mandatory prefix; VEX/EVEX pp) */
    X86_T_OSZ,      /* 3: operand size 16, 32, 64 */
    X86_T_ASZ,      /* 3: address size 16, 32, 64 */
    X86_T_MODE,     /* 2: 32-bit mode, 64-bit mode */
    X86_T_W,        /* 2: REX.W / VEX.W / EVEX.W clear, set */
    X86_T_L         /* 3: VEX.L / EVEX.L'L 0, 1, 2 */
};

/* Addressing methods (high byte of an operand specification). */
enum x86_method {
    M_NONE = 0,
    M_E,        /* ModRM.rm: general register or memory */
    M_G,        /* ModRM.reg: general register */
    M_M,        /* ModRM.rm: memory only */
    M_R,        /* ModRM.rm: general register only (the mod field is ignored: mov cr/dr) */
    M_RM,       /* ModRM.rm: general register only (mod must be 3) */
    M_I,        /* immediate */
    M_SI,       /* immediate byte, sign-extended to the operand size */
    M_I2,       /* second immediate (enter's byte, extrq's second byte) */
    M_J,        /* relative branch target */
    M_O,        /* moffs: absolute address of the address size */
    M_A,        /* far pointer seg:offset */
    M_Z,        /* general register from the opcode's low three bits (+REX.B) */
    M_S,        /* segment register from ModRM.reg */
    M_C,        /* control register from ModRM.reg */
    M_D,        /* debug register from ModRM.reg */
    M_P,        /* MMX register from ModRM.reg */
    M_Q,        /* MMX register or memory from ModRM.rm */
    M_N,        /* MMX register from ModRM.rm */
    M_V,        /* XMM/YMM/ZMM from ModRM.reg */
    M_W,        /* XMM/YMM/ZMM or memory from ModRM.rm */
    M_U,        /* XMM/YMM/ZMM from ModRM.rm, register only */
    M_H,        /* XMM/YMM/ZMM from VEX.vvvv */
    M_L,        /* XMM/YMM from the immediate's high four bits */
    M_B,        /* general register from VEX.vvvv */
    M_K,        /* mask register from ModRM.reg */
    M_KW,       /* mask register or memory from ModRM.rm */
    M_KU,       /* mask register from ModRM.rm, register only */
    M_KH,       /* mask register from VEX.vvvv */
    M_BND,      /* bound register from ModRM.reg */
    M_BNDW,     /* bound register or memory from ModRM.rm */
    M_X,        /* string source ds:[rsi] */
    M_Y,        /* string destination es:[rdi] */
    M_REG,      /* a fixed general register: size code gives the size, low bits the number */
    M_SEG,      /* a fixed segment register (push es): number in the size byte */
    M_ONE,      /* the constant 1 (shifts) */
    M_ST0,      /* st (x87 st(0)) */
    M_STI,      /* st(i) from ModRM.rm */
    M_XMM0,     /* the implicit xmm0 of blendv/sha256rnds2 */
    M_VSIB,     /* VSIB memory (gathers, scatters): an XMM/YMM/ZMM index of the vector length; the
                 * size code is the element's (DWORD, QWORD) */
    M_VSIBH,    /* VSIB memory with an index of half the vector length (dword indices, qword data) */
    M_INVALID,  /* an operand the encoding cannot have: with F_BADOP objdump's "mnemonic (bad)" */
    M_TV,       /* AMX tile register from ModRM.reg */
    M_TU,       /* AMX tile register from ModRM.rm, register only */
    M_TH,       /* AMX tile register from VEX.vvvv */
    M_SIBMEM,   /* AMX memory with a SIB byte (base + index*scale, no size keyword) */
    M_BL0       /* M_B of an instruction that is VEX.L0 only: "(bad)" with L1, the instruction shown
                 * whole (objdump's CMPccXADD) */
};

/* Sizes (low byte). */
enum x86_size {
    S_0 = 0,    /* no size keyword */
    S_B, S_W, S_D, S_Q,
    S_V,        /* operand size: 16, 32, 64 */
    S_Z,        /* 16 with a 66 prefix, else 32 */
    S_Y,        /* 64 with REX.W, else 32 */
    S_DQ,       /* 16 bytes (XMMWORD) */
    S_QQ,       /* 32 bytes (YMMWORD) */
    S_X,        /* vector length: 16, 32, 64 */
    S_XH,       /* half the vector length (cvtps2pd) */
    S_XQ,       /* a quarter (pmovzxbd) */
    S_XE,       /* an eighth (pmovzxbq) */
    S_P,        /* far pointer: 16:16 (DWORD) or 16:32 (FWORD) */
    S_T,        /* 10 bytes (TBYTE) */
    S_O,        /* 16 bytes, spelled OWORD (cmpxchg16b) */
    S_VQ,       /* 64 in 64-bit mode, else the operand size (push/pop of a register) */
    S_DQW,      /* DWORD, or QWORD with (E)VEX.W */
    S_XY,       /* vector register by L, memory XMMWORD/YMMWORD... without a keyword */
    S_XS,       /* scalar element of the vector: DWORD or QWORD by W (EVEX broadcast size) */
    S_XX,       /* always an XMM register (vector length ignored) */
    S_YY,       /* always a YMM register */
    S_VW,       /* 16-bit register with a data16 prefix, else 32 (lar/lsl source) */
    S_AS,       /* the address size (jcxz's register, moffs, movdir64b) */
    S_MODE,     /* 64 in 64-bit mode, else 32, whatever the prefixes (invept, vmread, rdpid) */
    S_DDUP      /* movddup's source: QWORD with 128-bit vectors, else the vector length */
};

#define OP(m, s) ((uint16_t)(((m) << 8) | (s)))

/* Leaf flags. The low four bits hold the branch kind (enum x86_branch). */
enum {
    F_BRANCH = 0x0000f,
    F_D64 = 0x00010,      /* operand size defaults to 64 in 64-bit mode (push, pop, near branches) */
    F_I64 = 0x00020,      /* invalid in 64-bit mode */
    F_O64 = 0x00040,      /* valid in 64-bit mode only */
    F_LOCK = 0x00080,     /* lockable; with lock, F2/F3 are xacquire/xrelease */
    F_REP = 0x00100,      /* string instruction: F3 is "rep" */
    F_REPZ = 0x00200,     /* cmps/scas: F3 is "repz", F2 "repnz" */
    F_BND = 0x00400,      /* F2 is "bnd" */
    F_NOTRACK = 0x00800,  /* 3E is "notrack" (indirect near call/jmp) */
    F_XREL = 0x01000,     /* mov to memory: F3 is "xrelease" even without lock */
    F_BCN = 0x02000,      /* EVEX: objdump shows the broadcast's count ({1to4}) when the destination
                           * does not tell the vector length (narrowing conversions below 512
                           * bits, a mask destination) */
    F_IND = 0x04000,      /* indirect branch */
    F_DSTUNIQ = 0x08000,  /* the destination must differ from the sources (FP16 complex FMA) */
    F_SUFW = 0x10000,     /* objdump adds a "w" suffix with a 66 prefix (callw, pushw, retw) */
    F_SAE = 0x80000,      /* EVEX: {sae} allowed with EVEX.b on registers */
    F_ER = 0x100000,      /* EVEX: embedded rounding allowed with EVEX.b on registers */
    F_PH = 0x20000,       /* EVEX: FP16 elements (broadcast WORD) */
    F_PFXCHECK = 0x40000, /* on a switch on the prefix: objdump checks the prefix after the lookup
                           * (its PREFIX_DATA/PREFIX_OPCODE), so a wrong one is a bare "(bad)",
                           * no prefix named; without it the lookup consumed the prefix */
    F_BC = 0x200000,      /* EVEX: broadcast allowed with EVEX.b on memory */
    F_BADPOS = 0x400000,  /* like F_BADOP, but through the ModRM byte (AMX sibmem without SIB) */
    F_VEXSHOW = 0x800000, /* VEX form that objdump marks "{vex}" (AVX-VNNI, AVX-IFMA: EVEX came first) */
    F_CMPPS = 0x1000000,  /* comparison predicate shown in the mnemonic (cmpeqps) */
    F_PCLMUL = 0x2000000, /* pclmulqdq predicate in the mnemonic (pclmullqlqdq) */
    F_W1 = 0x4000000,     /* EVEX: element size 64 (broadcast QWORD, disp8 scale) */
    F_SUFQ = 0x8000000,   /* objdump adds a "q" suffix with REX.W (retfq) */
    F_SUFD = 0x10000000,  /* 32-bit mode: objdump adds "d", or "w" with a 66 prefix (sgdtd, sgdtw) */
    F_SUFDQ = 0x20000000, /* 64-bit mode: "q" with REX.W, else "d" (sysretd, sysretq) */
    F_SUF64 = 0x40000000, /* 64-bit mode with REX.W: "64" (fxsave64) */
    F_BADOP = 0x80000000u /* an impossible operand shows as "mnemonic (bad)", one opcode byte long (objdump) */
};

typedef struct x86_entry {
    uint16_t mnemonic;        /* X86_MN_*; 0 (X86_MN_BAD) for an invalid slot or a switch */
    uint8_t kind;             /* enum x86_table_kind */
    uint8_t disp8_scale;      /* EVEX: the N of disp8*N when it is the element size rather than
                               * the size of the memory access (expand, compress); 0 otherwise */
    uint32_t flags;
    uint16_t ops[4];
    const struct x86_entry *sub;  /* a switch's children */
} x86_entry;

/* Legacy maps. */
extern const x86_entry x86_map_1byte[256];
extern const x86_entry x86_map_0f[256];
extern const x86_entry x86_map_0f38[256];
extern const x86_entry x86_map_0f3a[256];
extern const uint8_t x86_has_modrm_1byte[256];
extern const uint8_t x86_has_modrm_0f[256];
/* VEX maps 1, 2, 3 (0F, 0F38, 0F3A) and EVEX maps 1, 2, 3, 5, 6 (the last two FP16). */
extern const x86_entry x86_map_vex[3][256];
extern const x86_entry x86_map_evex[5][256];
/* AMD XOP maps 8, 9, A (escape 8F): XOP, TBM, LWP. */
extern const x86_entry x86_map_xop[3][256];
/* 3DNow! (0F 0F ModRM ... suffix): the operands, without and with a 66 prefix (objdump: XMM
 * registers then), the suffix read as an immediate; and the mnemonic by the suffix byte (0 none). */
extern const x86_entry x86_3dnow_operands[2];
extern const uint16_t x86_3dnow[256];

#endif
