/* The decoder's fast path tables (internal to x86_decode.c; x86_fast_table.c is generated from the
 * opcode tables by tools/gen_x86_fast.c, and a test checks it is current).
 *
 * Most code is general-purpose instructions of the one-byte and 0F maps with no prefix but a 66
 * and a REX. For those, everything but the register numbers, the memory operand, the immediate and
 * the length is known from the opcode, the 66, REX.W, whether ModRM.mod is 3 and ModRM.reg: one
 * entry (x86_fast) per such combination says it, prebuilt, so decoding one takes no walk through
 * the tables and no branch on an operand's kind or size. An opcode looks at only the bits of that
 * key that change its entry (x86_fast_opcode.mask). Entry 0 sends the instruction to the general
 * path: another prefix, VEX/EVEX, x87, SSE or system operands, a suffix, an invalid slot... */
#ifndef PMM_X86_FAST_H
#define PMM_X86_FAST_H

#include <stdint.h>
#include "x86_decode.h"

/* The key's bits. */
enum { X86_FK_66 = 1, X86_FK_W = 2, X86_FK_MOD3 = 4, X86_FK_REG_SHIFT = 3, X86_FK_COUNT = 64 };

/* An operand's first eight bytes, laid out as x86_operand's (type, mem_size, flags, size, reg,
 * index), with the register's class and no number. */
typedef struct x86_fast_op {
    uint8_t type, mem_size, flags, size;
    x86_reg reg, index;
} x86_fast_op;

/* Where an operand's register number comes from (x86_fast.reg_shift): the shift that takes it
 * out of the word (G << 8 | E << 16 | Z << 24) the decoder builds from ModRM, REX and the opcode. */
enum { X86_FR_NONE = 0, X86_FR_G = 8, X86_FR_E = 16, X86_FR_Z = 24 };

/* x86_fast.ctl */
enum {
    X86_FC_NO_REX_B = 0x01,   /* with REX.B the instruction is another (90 is xchg r8,rax): general path */
    X86_FC_MODRM = 0x02,      /* a ModRM byte follows the opcode */
    X86_FC_MEM = 0x04,        /* ... and names memory (its SIB and displacement follow) */
    X86_FC_SIGNED = 0x08,     /* the immediate is sign-extended (relative displacements too) */
    X86_FC_REL = 0x10,        /* the immediate is a relative displacement: the value is the target */
    X86_FC_DATA16 = 0x20,     /* a 66 took no part: objdump names it */
    X86_FC_ONE = 0x40         /* the immediate operand is the constant 1 (shift by one) */
};

typedef struct x86_fast {
    x86_fast_op op[3];
    x86_reg reg_rex[3];       /* op[i].reg with a REX prefix (a byte register's class is then spl..r15b's) */
    uint16_t mnemonic;        /* movabs already told from mov */
    uint8_t operand_count;
    uint8_t opsize;           /* bytes */
    uint8_t branch;           /* enum x86_branch */
    uint8_t iflags;           /* X86_IF_INDIRECT, X86_IF_RELATIVE */
    uint8_t ctl;              /* X86_FC_* */
    uint8_t mem_slot;         /* the memory operand's index (3 when there is none or no operand shows it) */
    uint8_t imm_slot;         /* the immediate's (or the target's) operand index, 3 when none */
    uint8_t imm_bytes;        /* the immediate's or relative displacement's bytes: 0, 1, 2, 4, 8 */
    uint8_t imm_shift;        /* 64 - 8 * imm_bytes (0 when there is none) */
    uint8_t reg_shift[3];     /* X86_FR_* */
    uint8_t rex_used;         /* REX bits the instruction uses (W, R, B; X when a SIB byte comes),
                               * 0x40 when it names a byte register */
    uint8_t unused[3];
} x86_fast;

typedef struct x86_fast_opcode {
    uint16_t base;            /* the opcode's first entry in x86_fast_slots */
    uint8_t mask;             /* the key bits its entry depends on */
} x86_fast_opcode;

/* [32-bit mode, 64-bit mode][opcode, or 256 + the byte after 0F] */
extern const x86_fast_opcode x86_fast_opcodes[2][512];
extern const uint16_t x86_fast_slots[];
extern const x86_fast x86_fast_entries[];

#endif
