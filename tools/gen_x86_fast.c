/* Generates core/formats/x86_fast_table.c, the decoder's fast path entries (x86_fast.h), from the
 * opcode tables:
 *   gen_x86_fast > core/formats/x86_fast_table.c
 *   gen_x86_fast --check core/formats/x86_fast_table.c   (exit 1 when the file is not current)
 * For each mode, opcode of the one-byte and 0F maps and key (66, REX.W, ModRM.mod 3, ModRM.reg) it
 * walks the tables as the general path does and, when the leaf is one the fast path takes
 * (general-purpose register, memory, immediate and relative operands, no flag that needs another
 * prefix, a suffix or a later check), works out everything about it but the register numbers, the
 * memory operand, the immediate and the length, with the general path's rules for the operand
 * size and for which prefixes took part. Anything else is entry 0: the general path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/formats/x86_fast.h"
#include "core/formats/x86_tables.h"

/* What the derivation knows about the instruction. */
typedef struct derive {
    int mode64, has66, w, mod3, reg;
    int modrm;          /* the walk or an operand reads the ModRM byte */
    int osz_used;       /* the 66 took part */
    int rex_bits;       /* REX bits used */
    int byte_reg;
    int osize;
    int v_rex, v_osz;   /* what a "v" size marks as used */
    int d64;            /* the leaf's F_D64 */
    int d64w;           /* F_D64 in 64-bit mode with REX.W: 64 bits whatever the 66 */
} derive;

static int is_prefix_byte(int b, int mode64)
{
    switch (b) {
    case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65: case 0x66: case 0x67:
    case 0xf0: case 0xf2: case 0xf3: case 0x9b:
        return 1;
    default:
        return mode64 && (b & 0xf0) == 0x40;
    }
}

static const x86_entry *walk(derive *d, const x86_entry *e)
{
    while (e->kind != X86_T_LEAF) {
        int i;
        switch (e->kind) {
        case X86_T_REG: i = d->reg; d->modrm = 1; break;
        case X86_T_MOD: i = d->mod3; d->modrm = 1; break;
        case X86_T_PFX: i = d->has66; d->osz_used |= d->has66; break;
        case X86_T_OSZ:
            if (d->mode64 && d->w) {
                d->rex_bits |= 8;
                i = 2;
            } else if (d->has66) {
                d->osz_used = 1;
                i = 0;
            } else {
                i = 1;
            }
            break;
        case X86_T_MODE: i = d->mode64; break;
        case X86_T_ASZ: i = d->mode64 ? 2 : 1; break;
        case X86_T_W:
            i = d->w;
            d->rex_bits |= 8;
            break;
        default: return NULL;   /* ModRM.rm (not in the key), VEX.L */
        }
        e = &e->sub[i];
    }
    return e;
}

static int leaf_allowed(const x86_entry *e, const derive *d)
{
    enum { FLAGS = F_BRANCH | F_D64 | F_I64 | F_O64 | F_LOCK | F_REP | F_REPZ | F_BND | F_NOTRACK | F_XREL | F_IND |
                   F_SUFW };
    if (e->mnemonic == X86_MN_BAD || (e->flags & ~(uint32_t)FLAGS))
        return 0;
    if (d->mode64 ? (e->flags & F_I64) : (e->flags & F_O64))
        return 0;
    return !(d->has66 && (e->flags & F_SUFW));
}

/* Size codes of general-purpose operands, and of immediates. */
static int gp_code(int s) { return s == S_B || s == S_W || s == S_D || s == S_Q || s == S_V || s == S_Z || s == S_VQ; }
static int imm_code(int s) { return gp_code(s) && s != S_VQ; }

static int size_of(derive *d, int s)
{
    switch (s) {
    case S_B: return 1;
    case S_W: return 2;
    case S_D: return 4;
    case S_Q: return 8;
    case S_V:
    case S_Z:
        if (s == S_V)
            d->rex_bits |= d->v_rex;   /* a z size is 32 bits with REX.W: the REX.W takes no part */
        d->osz_used |= d->v_osz;
        return s == S_Z && d->osize == 8 ? 4 : d->osize;
    default:   /* S_VQ */
        if (d->d64w)
            return 8;
        if (d->has66) {
            d->osz_used = 1;
            return 2;
        }
        return d->mode64 ? 8 : 4;
    }
}

static uint8_t keyword(int bytes)
{
    switch (bytes) {
    case 1: return X86_MS_BYTE;
    case 2: return X86_MS_WORD;
    case 4: return X86_MS_DWORD;
    case 8: return X86_MS_QWORD;
    default: return X86_MS_NONE;
    }
}

static int gpr_class(int size)
{
    return size == 1 ? X86_RC_GPR8 : size == 2 ? X86_RC_GPR16 : size == 8 ? X86_RC_GPR64 : X86_RC_GPR32;
}

/* A general register operand whose number the decoder supplies. */
static void reg_operand(derive *d, x86_fast *f, int i, int s, int shift, int rex_bit)
{
    int size = size_of(d, s);
    f->op[i].type = X86_OP_REG;
    f->op[i].size = (uint8_t)size;
    f->op[i].reg = X86_REG_MAKE(gpr_class(size), 0);
    f->reg_rex[i] = X86_REG_MAKE(size == 1 ? X86_RC_GPR8REX : gpr_class(size), 0);
    f->reg_shift[i] = (uint8_t)shift;
    d->rex_bits |= rex_bit;
    if (size == 1)
        d->byte_reg = 1;
}

/* One operand; 0 when the fast path does not take it. *imm counts immediates and displacements. */
static int operand(derive *d, x86_fast *f, int i, uint16_t spec, int *imm)
{
    int m = spec >> 8, s = spec & 0xff, size;
    switch (m) {
    case M_E:
    case M_M:
        if (!gp_code(s) && !(m == M_M && s == S_0))
            return 0;
        if (*imm)
            return 0;   /* an immediate before the ModRM byte */
        d->modrm = 1;
        if (d->mod3) {
            if (m == M_M)
                return 0;
            reg_operand(d, f, i, s, X86_FR_E, 1);
            return 1;
        }
        if (f->mem_slot != 3)
            return 0;
        size = s == S_0 ? 0 : size_of(d, s);
        f->op[i].type = X86_OP_MEM;
        f->op[i].size = (uint8_t)size;
        f->op[i].mem_size = keyword(size);
        f->mem_slot = (uint8_t)i;
        return 1;
    case M_G:
        if (!gp_code(s) || *imm)
            return 0;
        d->modrm = 1;
        reg_operand(d, f, i, s, X86_FR_G, 4);
        return 1;
    case M_Z:
        if (!gp_code(s))
            return 0;
        reg_operand(d, f, i, s, X86_FR_Z, 1);
        return 1;
    case M_I:
    case M_SI:
        if (!(m == M_SI ? gp_code(s) : imm_code(s)) || (*imm)++)
            return 0;
        if (m == M_SI) {
            size = size_of(d, d->d64 ? S_VQ : S_V);
            f->imm_bytes = (uint8_t)(s == S_B ? 1 : (size == 8 ? 4 : size));
            f->ctl |= X86_FC_SIGNED;
            f->op[i].flags = X86_OPF_IMM_SIGNED;
        } else {
            size = size_of(d, s);
            f->imm_bytes = (uint8_t)size;
        }
        f->op[i].type = X86_OP_IMM;
        f->op[i].size = (uint8_t)size;
        f->imm_slot = (uint8_t)i;
        return 1;
    case M_J:
        if (!imm_code(s) || (s != S_B && d->has66) || (*imm)++)
            return 0;
        f->imm_bytes = (uint8_t)(s == S_B ? 1 : 4);
        f->ctl |= X86_FC_SIGNED | X86_FC_REL;
        f->op[i].type = X86_OP_REL;
        f->op[i].size = f->imm_bytes;
        f->imm_slot = (uint8_t)i;
        f->iflags |= X86_IF_RELATIVE;
        return 1;
    case M_REG:
        if (!gp_code(s >> 3))
            return 0;
        size = size_of(d, s >> 3);
        f->op[i].type = X86_OP_REG;
        f->op[i].size = (uint8_t)size;
        f->op[i].reg = X86_REG_MAKE(gpr_class(size), s & 7);   /* al, not the REX class */
        f->reg_rex[i] = f->op[i].reg;
        return 1;
    case M_ONE:
        if ((*imm)++)
            return 0;
        f->op[i].type = X86_OP_IMM;
        f->ctl |= X86_FC_ONE;
        f->imm_slot = (uint8_t)i;
        return 1;
    default:
        return 0;
    }
}

/* The entry for one mode, opcode (idx: 0-255 one-byte, 256-511 0F) and key; 0 for the general path. */
static int derive_entry(int mode64, int idx, int key, x86_fast *f)
{
    derive d;
    memset(&d, 0, sizeof d);
    memset(f, 0, sizeof *f);
    d.mode64 = mode64;
    d.has66 = key & X86_FK_66;
    d.w = mode64 && (key & X86_FK_W);   /* no REX in 32-bit mode */
    d.mod3 = (key & X86_FK_MOD3) != 0;
    d.reg = key >> X86_FK_REG_SHIFT;
    int op = idx & 0xff;
    const x86_entry *e;
    if (idx < 256) {
        if (is_prefix_byte(op, mode64) || (op >= 0xd8 && op <= 0xdf) || op == 0xc4 || op == 0xc5 || op == 0x62)
            return 0;
        if (op == 0x90 && d.has66)
            return 0;   /* xchg ax,ax */
        if (op == 0x90)
            f->ctl |= X86_FC_NO_REX_B;
        e = &x86_map_1byte[op];
    } else {
        if (op == 0x38 || op == 0x3a)
            return 0;
        e = &x86_map_0f[op];
    }
    e = walk(&d, e);
    if (!e || !leaf_allowed(e, &d))
        return 0;
    /* the operand size (the general path's compute_osize and size_v) */
    d.d64 = (e->flags & F_D64) != 0;
    int d64 = mode64 && d.d64;
    int w = mode64 && !d64 && d.w;
    d.d64w = d64 && d.w;   /* REX.W wins over a 66 (SDM 2.2.1.2), though objdump counts neither as used */
    d.osize = w || d.d64w ? 8 : d.has66 ? 2 : (d64 ? 8 : 4);
    d.v_rex = w ? 8 : 0;
    d.v_osz = !w && !d.d64w && d.has66;
    f->mem_slot = f->imm_slot = 3;
    int imm = 0, n = 0;
    for (; n < 4 && e->ops[n]; n++)
        if (n == 3 || !operand(&d, f, n, e->ops[n], &imm))
            return 0;
    if (d.modrm && !d.mod3)
        d.rex_bits |= 1;   /* the memory operand's base (or the SIB's) */
    f->mnemonic = e->mnemonic;
    if (e->mnemonic == X86_MN_mov && f->imm_bytes == 8)
        f->mnemonic = X86_MN_movabs;
    f->operand_count = (uint8_t)n;
    f->opsize = (uint8_t)d.osize;
    f->branch = (uint8_t)(e->flags & F_BRANCH);
    if (e->flags & F_IND)
        f->iflags |= X86_IF_INDIRECT;
    if (d.modrm)
        f->ctl |= X86_FC_MODRM;
    if (d.modrm && !d.mod3)
        f->ctl |= X86_FC_MEM;
    else
        f->mem_slot = 3;
    if (d.has66 && !d.osz_used)
        f->ctl |= X86_FC_DATA16;
    f->imm_shift = (uint8_t)(f->imm_bytes ? 64 - 8 * f->imm_bytes : 0);
    f->rex_used = (uint8_t)(d.rex_bits | (d.byte_reg ? 0x40 : 0));
    return 1;
}

/* ---- output ------------------------------------------------------------------------------ */

enum { MAX_ENTRIES = 8192, MAX_SLOTS = 2 * 512 * X86_FK_COUNT };
static x86_fast entries[MAX_ENTRIES];
static size_t entry_count = 1;   /* 0: the general path */
static uint16_t slots[MAX_SLOTS];
static size_t slot_count = 1;    /* slot 0: entry 0 */
static x86_fast_opcode opcodes[2][512];

static uint16_t intern(const x86_fast *f)
{
    for (size_t i = 1; i < entry_count; i++)
        if (!memcmp(&entries[i], f, sizeof *f))
            return (uint16_t)i;
    if (entry_count == MAX_ENTRIES) {
        fprintf(stderr, "gen_x86_fast: too many entries\n");
        exit(2);
    }
    entries[entry_count] = *f;
    return (uint16_t)entry_count++;
}

static void build(void)
{
    for (int mode64 = 0; mode64 < 2; mode64++)
        for (int idx = 0; idx < 512; idx++) {
            uint16_t by_key[X86_FK_COUNT];
            for (int key = 0; key < X86_FK_COUNT; key++) {
                x86_fast f;
                by_key[key] = derive_entry(mode64, idx, key, &f) ? intern(&f) : 0;
            }
            /* the key bits the entry depends on */
            int mask = 0;
            for (int bit = 1; bit < X86_FK_COUNT; bit <<= 1)
                for (int key = 0; key < X86_FK_COUNT; key++)
                    if (by_key[key] != by_key[key ^ bit])
                        mask |= bit;
            x86_fast_opcode *oc = &opcodes[mode64][idx];
            oc->mask = (uint8_t)mask;
            if (!mask && !by_key[0]) {
                oc->base = 0;   /* every key: the general path */
                continue;
            }
            oc->base = (uint16_t)slot_count;
            for (int k = 0; k <= mask; k++)
                slots[slot_count++] = (k & ~mask) ? 0 : by_key[k];
        }
}

static void print(FILE *out)
{
    fprintf(out, "/* Generated by tools/gen_x86_fast.c from the opcode tables (x86_tables_1byte.c, x86_tables_0f.c):\n"
                 " * do not edit. The decoder's fast path entries, described in x86_fast.h. */\n"
                 "#include \"x86_fast.h\"\n\n");
    fprintf(out, "const x86_fast x86_fast_entries[%zu] = {\n", entry_count);
    for (size_t i = 0; i < entry_count; i++) {
        const x86_fast *f = &entries[i];
        fprintf(out, "    { {");
        for (int k = 0; k < 3; k++)
            fprintf(out, " { %u, %u, 0x%x, %u, 0x%x, 0 }%s", f->op[k].type, f->op[k].mem_size, f->op[k].flags,
                    f->op[k].size, f->op[k].reg, k < 2 ? "," : " },");
        fprintf(out, " { 0x%x, 0x%x, 0x%x }, %u, %u, %u, %u, 0x%x, 0x%x, %u, %u, %u, %u, { %u, %u, %u }, 0x%x, { 0 } },",
                f->reg_rex[0], f->reg_rex[1], f->reg_rex[2], f->mnemonic, f->operand_count, f->opsize, f->branch,
                f->iflags, f->ctl, f->mem_slot, f->imm_slot, f->imm_bytes, f->imm_shift, f->reg_shift[0],
                f->reg_shift[1], f->reg_shift[2], f->rex_used);
        fprintf(out, i ? " /* %s */\n" : " /* the general path */\n", x86_mnemonic_name(f->mnemonic));
    }
    fprintf(out, "};\n\nconst uint16_t x86_fast_slots[%zu] = {", slot_count);
    for (size_t i = 0; i < slot_count; i++)
        fprintf(out, "%s%u,", i % 16 ? " " : "\n    ", slots[i]);
    fprintf(out, "\n};\n\nconst x86_fast_opcode x86_fast_opcodes[2][512] = {\n");
    for (int mode64 = 0; mode64 < 2; mode64++) {
        fprintf(out, "    { /* %d-bit mode */", mode64 ? 64 : 32);
        for (int idx = 0; idx < 512; idx++)
            fprintf(out, "%s{ %u, 0x%x },", idx % 8 ? " " : "\n        ", opcodes[mode64][idx].base,
                    opcodes[mode64][idx].mask);
        fprintf(out, "\n    },\n");
    }
    fprintf(out, "};\n");
}

int main(int argc, char **argv)
{
    build();
    if (argc == 1) {
        print(stdout);
        return 0;
    }
    if (argc != 3 || strcmp(argv[1], "--check")) {
        fprintf(stderr, "usage: gen_x86_fast [--check FILE]\n");
        return 2;
    }
    char *made = NULL, *have = NULL;
    size_t made_len = 0, have_len = 0;
    FILE *mem = open_memstream(&made, &made_len);
    if (!mem)
        return 2;
    print(mem);
    fclose(mem);
    FILE *in = fopen(argv[2], "rb");
    if (!in) {
        fprintf(stderr, "gen_x86_fast: cannot read %s\n", argv[2]);
        return 2;
    }
    FILE *copy = open_memstream(&have, &have_len);
    int c;
    while ((c = fgetc(in)) != EOF)
        fputc(c, copy);
    fclose(in);
    fclose(copy);
    int same = made_len == have_len && !memcmp(made, have, made_len);
    if (!same)
        fprintf(stderr, "gen_x86_fast: %s is not current: run gen_x86_fast > %s\n", argv[2], argv[2]);
    free(made);
    free(have);
    return same ? 0 : 1;
}
