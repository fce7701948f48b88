/* x86-32 and x86-64 instruction decoder: bytes in, one instruction's structure out (length,
 * mnemonic, operands, branch kind and resolved target). Table-driven (x86_tables*.c), no
 * allocation, never reads past the buffer it is given. Invalid encodings are reported as such
 * (X86_MN_BAD), with the length GNU objdump gives them, so a linear listing keeps the same
 * instruction boundaries as `objdump -d`. The Intel-syntax text is x86_format.h's job. */
#ifndef PMM_X86_DECODE_H
#define PMM_X86_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include "x86_mnemonics.h"

#define X86_MAX_LENGTH 15
#define X86_MAX_OPERANDS 5
#define X86_MAX_PREFIXES 15

/* Registers: a class in the high bits, the number in the low five. 0 is "no register". */
enum x86_reg_class {
    X86_RC_NONE = 0,
    X86_RC_GPR8,      /* al cl dl bl ah ch dh bh (no REX) */
    X86_RC_GPR8REX,   /* al cl dl bl spl bpl sil dil r8b..r15b (with a REX prefix) */
    X86_RC_GPR16,
    X86_RC_GPR32,
    X86_RC_GPR64,
    X86_RC_SEG,       /* es cs ss ds fs gs, then 6 and 7 (no such register: "?") */
    X86_RC_CR,
    X86_RC_DR,
    X86_RC_ST,        /* x87 st(0)..st(7) */
    X86_RC_MMX,
    X86_RC_XMM,
    X86_RC_YMM,
    X86_RC_ZMM,
    X86_RC_MASK,      /* k0..k7 */
    X86_RC_BND,
    X86_RC_TMM,
    X86_RC_IP,        /* 0: rip, 1: eip (rip-relative addressing) */
    X86_RC_RIZ        /* 0: riz, 1: eiz (a SIB byte's "no index" when a scale is encoded) */
};
typedef uint16_t x86_reg;   /* class << 5 | number */
#define X86_REG_MAKE(cls, n) ((x86_reg)(((cls) << 5) | (n)))
#define X86_REG_CLASS(r) ((r) >> 5)
#define X86_REG_NUM(r) ((r) & 31)

/* Names of prefixes shown before a mnemonic. 0x40..0x4f are REX bytes, shown as rex.WRXB. */
enum x86_prefix_name {
    X86_PN_NONE = 0,
    X86_PN_LOCK, X86_PN_REPZ, X86_PN_REPNZ, X86_PN_REP, X86_PN_BND, X86_PN_NOTRACK,
    X86_PN_XACQUIRE, X86_PN_XRELEASE,
    X86_PN_ES, X86_PN_CS, X86_PN_SS, X86_PN_DS, X86_PN_FS, X86_PN_GS,
    X86_PN_DATA16, X86_PN_DATA32, X86_PN_ADDR16, X86_PN_ADDR32, X86_PN_ADDR64, X86_PN_FWAIT
};

enum x86_operand_type {
    X86_OP_NONE = 0,
    X86_OP_REG,
    X86_OP_MEM,
    X86_OP_IMM,
    X86_OP_REL,       /* a relative branch: value is the resolved target address */
    X86_OP_FAR,       /* seg:offset pointer (value = offset, far_seg = selector) */
    X86_OP_BAD        /* an operand the encoding cannot have (objdump: "(bad)"); mnemonic is BAD */
};

/* Size keyword of a memory operand, as objdump spells it ("QWORD PTR"). */
enum x86_mem_size {
    X86_MS_NONE = 0,  /* no keyword: lea, fxsave, lgdt, ... */
    X86_MS_BYTE, X86_MS_WORD, X86_MS_DWORD, X86_MS_FWORD, X86_MS_QWORD, X86_MS_TBYTE,
    X86_MS_OWORD, X86_MS_XMMWORD, X86_MS_YMMWORD, X86_MS_ZMMWORD
};

/* Flags of an operand. */
enum {
    X86_OPF_DISP = 0x01,        /* memory: a displacement is encoded (objdump shows +0x0 then) */
    X86_OPF_BCST = 0x02,        /* memory: EVEX embedded broadcast */
    X86_OPF_STRING = 0x04,      /* memory: the implicit ds:[rsi] / es:[rdi] of a string instruction */
    X86_OPF_MOFFS = 0x08,       /* memory: a moffs absolute address (mov al,ds:0x...) */
    X86_OPF_IMM_SIGNED = 0x10,  /* immediate: sign-extended to the operand size */
    X86_OPF_BAD_BCST = 0x20     /* memory: EVEX.b on an instruction without embedded broadcast; the
                                 * instruction is invalid (objdump: "[rax]{bad}") */
};

typedef struct x86_operand {
    uint8_t type;       /* enum x86_operand_type */
    uint8_t mem_size;   /* enum x86_mem_size (memory operands) */
    uint8_t flags;      /* X86_OPF_* */
    uint8_t size;       /* operand size in bytes (registers, immediates, memory) */
    x86_reg reg;        /* REG: the register; MEM: the base (0 = none) */
    x86_reg index;      /* MEM: the index register (0 = none) */
    uint8_t scale;      /* MEM: 1, 2, 4, 8 (0 when there is no SIB index) */
    uint8_t segment;    /* MEM: explicit segment 1..6 = es cs ss ds fs gs (0 = default) */
    uint16_t far_seg;   /* FAR: the selector */
    int64_t value;      /* MEM: displacement; IMM: value; REL: target address; FAR: offset */
} x86_operand;

enum x86_branch {
    X86_BR_NONE = 0,
    X86_BR_JMP,         /* unconditional jump, direct or indirect */
    X86_BR_JCC,         /* conditional jump, loop, jrcxz */
    X86_BR_CALL,
    X86_BR_RET,
    X86_BR_JMP_FAR,
    X86_BR_CALL_FAR,
    X86_BR_RET_FAR,     /* retf, iret */
    X86_BR_INT,         /* int, int3, into, syscall, sysenter, ... */
    X86_BR_SYSRET       /* sysret, sysexit */
};

/* Instruction flags. */
enum {
    X86_IF_VEX = 0x01,          /* VEX-encoded */
    X86_IF_EVEX = 0x02,         /* EVEX-encoded */
    X86_IF_INDIRECT = 0x04,     /* a branch through a register or memory */
    X86_IF_RELATIVE = 0x08,     /* a branch with a relative target (target valid) */
    X86_IF_RIP_MEM = 0x10,      /* a memory operand is rip-relative (mem_target valid) */
    X86_IF_TRUNCATED = 0x20,    /* the buffer ended inside the instruction (mnemonic is BAD) */
    X86_IF_EVEX_Z = 0x40,       /* EVEX zeroing-masking {z} */
    X86_IF_EVEX_SAE = 0x80,     /* EVEX {sae} or rounding (see evex_rc) */
    X86_IF_EVEX_AS_VEX = 0x100, /* EVEX that VEX could encode: objdump shows it "{evex}" */
    X86_IF_BCST_COUNT = 0x200,  /* show the broadcast's element count: "{1to4}" (see evex_bcst) */
    X86_IF_VEX_SHOWN = 0x400    /* a VEX form objdump marks "{vex}" (vpdpbusd: AVX-VNNI) */
};

enum { X86_RC_RN_BAD = 6 };   /* evex_rc of (bad): 6 rn-bad, 7 rd-bad, 8 ru-bad, 9 rz-bad */

typedef struct x86_insn {
    uint64_t address;
    uint8_t length;
    uint8_t mode;               /* 32 or 64 */
    uint16_t mnemonic;          /* enum x86_mnemonic; X86_MN_BAD for an invalid encoding */
    uint8_t branch;             /* enum x86_branch */
    uint8_t operand_count;
    uint16_t flags;             /* X86_IF_* */
    uint8_t opsize;             /* effective operand size in bytes: 2, 4, 8 */
    uint8_t adsize;             /* effective address size in bytes: 2, 4, 8 */
    uint8_t prefix_count;       /* legacy and REX prefix bytes before the opcode */
    uint8_t evex_mask;          /* EVEX opmask register k1..k7 (0 = none) */
    uint8_t evex_rc;            /* EVEX rounding: 0 none, 1 rn, 2 rd, 3 ru, 4 rz, 5 sae only;
                                 * on an invalid encoding X86_RC_RN_BAD.. (objdump's "{rn-bad}") */
    uint8_t evex_bcst;          /* EVEX broadcast element count ({1to16}), 0 none */
    char suffix[3];             /* objdump's size suffix on the mnemonic: "w" (callw), "d", "q", "64", or "" */
    uint16_t shown_mnemonic;    /* BAD with a (bad) operand: the mnemonic objdump still shows */
    /* Prefixes that took no part in the instruction, in encoding order, as objdump names them
     * before the mnemonic: enum x86_prefix_name. */
    uint8_t shown_prefix_count;
    uint8_t shown_prefixes[X86_MAX_PREFIXES];
    uint64_t target;            /* relative branches: the destination */
    uint64_t mem_target;        /* rip-relative memory: the address it refers to */
    x86_operand ops[X86_MAX_OPERANDS];
} x86_insn;

/* Decodes one instruction of `len` bytes at `code`, which lies at `address`; bits is 32 or 64.
 * Always fills *out and returns its length (at least 1 when len > 0; 0 only when len == 0).
 * An invalid or truncated encoding gives X86_MN_BAD with objdump's length for it. */
size_t x86_decode(const uint8_t *code, size_t len, uint64_t address, int bits, x86_insn *out);

/* The mnemonic's name ("mov"), without prefixes or VEX "v" (see x86_format for the full text). */
const char *x86_mnemonic_name(unsigned mnemonic);

/* The register's name as objdump spells it ("rax", "xmm3", "st(1)", "k2"). */
const char *x86_reg_name(x86_reg reg, char buf[8]);

#endif
