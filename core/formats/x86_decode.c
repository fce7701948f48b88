/* x86 decoder: prefixes, the walk through the opcode tables (x86_tables.h), ModRM/SIB/displacement
 * and immediates. Which prefixes an instruction used, and the length of invalid encodings, follow
 * GNU objdump so that a linear listing agrees with `objdump -d` instruction for instruction. */
#include "x86_decode.h"

#include <string.h>
#include "../util/endian.h"
#include "x86_fast.h"
#include "x86_tables.h"

enum { NO_PREFIX = -1 };

typedef struct dec {
    /* Set for each instruction before the rest is cleared. */
    const uint8_t *code;
    size_t len;
    x86_insn *out;
    int mode64;
    /* Legacy prefixes in order: the first npfx are valid (read_prefixes clears each it adds). */
    uint8_t pfx[X86_MAX_PREFIXES];
    uint8_t pfx_used[X86_MAX_PREFIXES];
    uint8_t pfx_name[X86_MAX_PREFIXES];
    /* Cleared for each instruction, from pos on (small fields: the clearing is a hot spot). */
    size_t pos;
    size_t opcode_end;
    const x86_entry *leaf;
    uint32_t flags;
    int osize, asize;       /* in bytes */
    uint8_t npfx;
    int8_t last_66, last_67, last_rep, last_seg, last_rex;   /* the index of the last of each kind */
    uint8_t seg_active;     /* 1..6 (es cs ss ds fs gs) for memory operands, 0 none */
    uint8_t rex, rex_used;
    uint8_t osz_used, asz_used, seg_used;
    /* VEX / EVEX */
    uint8_t vex;            /* 0, 2 (C5), 3 (C4), 4 (EVEX) */
    uint8_t vl, vw, vvvv, vpp, evex_aaa, evex_z, evex_b, evex_rr, evex_vv;
    uint8_t evex_v_bad;     /* EVEX.V' clear outside 64-bit mode: the vvvv register is "(bad)" */
    uint8_t evex_ll;        /* EVEX.L'L as encoded (vl becomes 2 with rounding) */
    /* Opcode and ModRM */
    uint8_t has_modrm, modrm, modrm_consumed;
    uint8_t x87;
    uint8_t disp8;          /* the memory operand has an 8-bit displacement (EVEX scales it) */
    uint8_t rm_register_only;   /* mov to/from cr/dr: ModRM.rm names a register whatever mod says */
    uint8_t vsib;           /* gathers/scatters: the bytes of the SIB index's vector register */
    uint8_t vsib_bad;       /* ... and the ModRM has no SIB byte to take it from */
    uint8_t bare_bad;       /* objdump shows this invalid encoding as a bare "(bad)": no prefix
                             * named, no EVEX masking */
    uint8_t fwait;          /* a 9B came before the opcode (absorbed by an x87 instruction) */
    uint8_t fwait_after;    /* number of prefixes before the 9B */
    uint8_t bad_bcst;       /* EVEX.b on a memory operand that cannot broadcast */
    uint8_t amd3dnow;       /* 0F 0F: named by its suffix byte */
    uint8_t mpx;            /* an MPX instruction (a bound register operand): see mpx_addressing */
    uint8_t bad_shown;      /* an operand is "(bad)" in an instruction objdump otherwise shows whole */
} dec;

/* Error exits: the buffer ended (objdump: ".byte 0x..") or a table slot is invalid. */
enum { DEC_OK = 0, DEC_TRUNC = 1, DEC_BAD = 2 };

static int need(const dec *d, size_t n) { return d->pos + n <= d->len; }

static uint64_t read_le(const uint8_t *p, int n)
{
    switch (n) {
    case 1: return p[0];
    case 2: return pmm_le16(p);
    case 4: return pmm_le32(p);
    case 8: return pmm_le64(p);
    default: {
        uint64_t v = 0;
        for (int i = n - 1; i >= 0; i--)
            v = (v << 8) | p[i];
        return v;
    }
    }
}

static int64_t sign_extend(uint64_t v, int bytes)
{
    int shift = 64 - bytes * 8;
    return shift ? (int64_t)(v << shift) >> shift : (int64_t)v;
}

static void use_rex(dec *d, uint8_t bit)
{
    /* without a branch: whether the bit is set changes from one instruction to the next */
    uint8_t set = d->rex & bit;
    d->rex_used |= (uint8_t)(set | ((set != 0) << 6));
}

/* ---- prefixes ---------------------------------------------------------------------------- */

/* What a byte is as a prefix: 0 not one (REX only in 64-bit mode, checked by the caller). */
enum { PK_NONE = 0, PK_SEG, PK_FSGS, PK_66, PK_67, PK_REP, PK_LOCK, PK_FWAIT, PK_REX };
static const uint8_t prefix_kind[256] = {
    [0x26] = PK_SEG, [0x2e] = PK_SEG, [0x36] = PK_SEG, [0x3e] = PK_SEG,
    [0x64] = PK_FSGS, [0x65] = PK_FSGS, [0x66] = PK_66, [0x67] = PK_67,
    [0xf2] = PK_REP, [0xf3] = PK_REP, [0xf0] = PK_LOCK, [0x9b] = PK_FWAIT,
    [0x40] = PK_REX, [0x41] = PK_REX, [0x42] = PK_REX, [0x43] = PK_REX,
    [0x44] = PK_REX, [0x45] = PK_REX, [0x46] = PK_REX, [0x47] = PK_REX,
    [0x48] = PK_REX, [0x49] = PK_REX, [0x4a] = PK_REX, [0x4b] = PK_REX,
    [0x4c] = PK_REX, [0x4d] = PK_REX, [0x4e] = PK_REX, [0x4f] = PK_REX,
};

/* objdump's ckprefix: returns 0 when the prefixes alone make the "instruction" (a REX followed by
 * another prefix, or too many prefixes). A lookup table, not a switch: most instructions have no
 * prefix or one, and the loop is on every instruction's path. */
static int read_prefixes(dec *d)
{
    d->last_66 = d->last_67 = d->last_rep = d->last_seg = d->last_rex = NO_PREFIX;
    while (d->npfx < X86_MAX_LENGTH - 1) {
        if (!need(d, 1))
            return d->fwait && !d->npfx ? 1 : -1;   /* a final fwait stands alone */
        uint8_t b = d->code[d->pos];
        int kind = prefix_kind[b];
        if (kind == PK_NONE || (kind == PK_REX && !d->mode64))
            return 1;
        int idx = d->npfx;
        switch (kind) {
        case PK_SEG:
            d->last_seg = (int8_t)idx;
            if (!d->mode64)
                d->seg_active = (uint8_t)(((b >> 3) & 3) + 1);
            break;
        case PK_FSGS:
            d->last_seg = (int8_t)idx;
            d->seg_active = (uint8_t)(b - 0x64 + 5);
            break;
        case PK_66: d->last_66 = (int8_t)idx; break;
        case PK_67: d->last_67 = (int8_t)idx; break;
        case PK_REP: d->last_rep = (int8_t)idx; break;
        case PK_FWAIT:
            /* fwait: part of the x87 instruction that follows, or an instruction of its own with
             * the prefixes before it. Prefixes before it end the prefix list. */
            if (d->rex)
                return 0;
            d->fwait = 1;
            d->fwait_after = d->npfx;
            d->pos++;
            if (d->npfx)
                return 1;
            continue;
        case PK_REX: d->last_rex = (int8_t)idx; break;
        default: break;   /* lock */
        }
        if (d->rex)             /* a REX followed by another prefix: it stands alone */
            return 0;
        d->pfx_used[d->npfx] = 0;
        d->pfx_name[d->npfx] = 0;
        d->pfx[d->npfx++] = b;
        d->rex = kind == PK_REX ? b : 0;
        d->pos++;
    }
    return 0;
}

static uint8_t lock_index(const dec *d)
{
    for (int i = d->npfx - 1; i >= 0; i--)
        if (d->pfx[i] == 0xf0)
            return (uint8_t)i;
    return 0xff;
}

/* The mandatory prefix objdump picks: the last F2/F3, else 66. Returns 0 none, 1 66, 2 F3, 3 F2. */
static int mandatory_prefix(const dec *d, int *index)
{
    if (d->vex) {
        *index = NO_PREFIX;
        return d->vpp == 1 ? 1 : d->vpp == 2 ? 2 : d->vpp == 3 ? 3 : 0;
    }
    if (d->last_rep != NO_PREFIX) {
        *index = d->last_rep;
        return d->pfx[d->last_rep] == 0xf3 ? 2 : 3;
    }
    if (d->last_66 != NO_PREFIX) {
        *index = d->last_66;
        return 1;
    }
    *index = NO_PREFIX;
    return 0;
}

/* ---- sizes ------------------------------------------------------------------------------- */

/* The address size: known from the prefixes (the table walk may select on it). */
static void compute_asize(dec *d)
{
    int a67 = d->last_67 != NO_PREFIX;
    d->asize = d->mode64 ? (a67 ? 4 : 8) : (a67 ? 2 : 4);
}

/* The operand size: also depends on the leaf (F_D64). */
static void compute_osize(dec *d)
{
    int o16 = d->last_66 != NO_PREFIX;
    if (!d->mode64)
        d->osize = o16 ? 2 : 4;
    else if (d->flags & F_D64)
        d->osize = (d->rex & 8) || !o16 ? 8 : 2;   /* REX.W wins over a 66 (SDM 2.2.1.2) */
    else
        d->osize = (d->vex ? d->vw : (d->rex & 8)) ? 8 : o16 ? 2 : 4;
}

/* The operand size of a "v" operand, marking what decided it as used. */
static int size_v(dec *d)
{
    if (d->mode64 && !(d->flags & F_D64) && (d->rex & 8) && !d->vex) {
        use_rex(d, 8);
        return 8;
    }
    if (d->last_66 != NO_PREFIX && d->osize == 2)
        d->osz_used = 1;
    return d->osize;
}

static int size_z(dec *d)
{
    if (d->mode64 && !(d->flags & F_D64) && (d->rex & 8) && !d->vex)
        return 4;   /* REX.W changes nothing here: objdump names it unused ("rex.W in eax,dx") */
    int v = size_v(d);
    return v == 8 ? 4 : v;
}

static int size_y(dec *d)
{
    if (d->vex) {
        if (d->mode64 && d->vw)
            return 8;
        return 4;
    }
    if (d->mode64 && (d->rex & 8)) {
        use_rex(d, 8);
        return 8;
    }
    return 4;
}

/* ---- ModRM and memory -------------------------------------------------------------------- */

static int get_modrm(dec *d)
{
    if (!d->has_modrm) {
        if (d->opcode_end + 1 > d->len)
            return DEC_TRUNC;
        d->modrm = d->code[d->opcode_end];
        d->has_modrm = 1;
    }
    return DEC_OK;
}

#define MOD_OF(m) ((m) >> 6)
#define REG_OF(m) (((m) >> 3) & 7)
#define RM_OF(m) ((m) & 7)

static x86_reg gpr(int size, int n, int rex)
{
    /* a lookup, not a switch: the size changes from one operand to the next */
    static const uint8_t cls[2][9] = {
        { X86_RC_GPR32, X86_RC_GPR8, X86_RC_GPR16, X86_RC_GPR32, X86_RC_GPR32, X86_RC_GPR32, X86_RC_GPR32,
          X86_RC_GPR32, X86_RC_GPR64 },
        { X86_RC_GPR32, X86_RC_GPR8REX, X86_RC_GPR16, X86_RC_GPR32, X86_RC_GPR32, X86_RC_GPR32, X86_RC_GPR32,
          X86_RC_GPR32, X86_RC_GPR64 },
    };
    return X86_REG_MAKE(cls[rex != 0][(unsigned)size <= 8 ? size : 4], n);
}

static int decode_mem16(dec *d, x86_operand *op, int mod, int rm)
{
    static const uint8_t base16[8] = { 3, 3, 5, 5, 6, 7, 5, 3 };   /* bx bx bp bp si di bp bx */
    static const uint8_t index16[8] = { 6, 7, 6, 7, 0, 0, 0, 0 };  /* si di si di */
    int disp_size = mod == 1 ? 1 : mod == 2 ? 2 : (mod == 0 && rm == 6) ? 2 : 0;
    if (!(mod == 0 && rm == 6)) {
        op->reg = X86_REG_MAKE(X86_RC_GPR16, base16[rm]);
        if (rm < 4)
            op->index = X86_REG_MAKE(X86_RC_GPR16, index16[rm]);
    }
    if (disp_size) {
        if (!need(d, (size_t)disp_size))
            return DEC_TRUNC;
        uint64_t raw = read_le(d->code + d->pos, disp_size);
        op->value = sign_extend(raw, disp_size);
        op->flags |= X86_OPF_DISP;
        d->pos += (size_t)disp_size;
    }
    return DEC_OK;
}

static int vector_class(int bytes);

/* Memory operand from ModRM (already fetched; pos is past it). */
static int decode_mem(dec *d, x86_operand *op)
{
    int mod = MOD_OF(d->modrm), rm = RM_OF(d->modrm);
    op->type = X86_OP_MEM;
    op->segment = d->seg_active;
    if (d->seg_active)
        d->seg_used = 1;
    if (d->last_67 != NO_PREFIX && !d->mpx)
        d->asz_used = 1;
    if (d->asize == 2) {
        d->vsib_bad = d->vsib != 0;
        return decode_mem16(d, op, mod, rm);
    }
    int bbit = d->rex & 1, xbit = (d->rex >> 1) & 1;
    use_rex(d, 1);
    int size = d->asize;
    int base = -1, index = -1, scale = 0, disp_size = 0, rip = 0;
    if (rm == 4) {
        if (!need(d, 1))
            return DEC_TRUNC;
        uint8_t sib = d->code[d->pos++];
        use_rex(d, 2);
        scale = sib >> 6;
        index = ((sib >> 3) & 7) | (xbit << 3);
        base = (sib & 7) | (bbit << 3);
        if ((sib & 7) == 5 && mod == 0) {
            base = -1;
            disp_size = 4;
        }
        if (d->vsib) {
            /* VSIB: the index is a vector register (EVEX.V' its fifth bit), always present */
            int n = index | (d->vex == 4 ? d->evex_vv << 4 : 0);
            op->index = X86_REG_MAKE(vector_class(d->vsib), n);
        } else if (index == 4) {
            /* No index. objdump still shows one ("riz"/"eiz") when the SIB byte was not needed
             * to name the base: a scale, a base other than rsp/r12, or no base in 32-bit mode. */
            index = -1;
            if (scale != 0 || (base >= 0 && (base & 7) != 4) || (base < 0 && !d->mode64))
                op->index = X86_REG_MAKE(X86_RC_RIZ, d->asize == 4 ? 1 : 0);
        } else {
            op->index = gpr(size, index, 0);
        }
        op->scale = (uint8_t)(1 << scale);
    } else if (rm == 5 && mod == 0) {
        d->vsib_bad = d->vsib != 0;
        disp_size = 4;
        if (d->mode64)
            rip = 1;
    } else {
        d->vsib_bad = d->vsib != 0;
        base = rm | (bbit << 3);
    }
    if (mod == 1) {
        disp_size = 1;
        d->disp8 = 1;
    } else if (mod == 2)
        disp_size = 4;
    if (base >= 0)
        op->reg = gpr(size, base, 0);
    if (rip) {
        op->reg = X86_REG_MAKE(X86_RC_IP, d->asize == 4 ? 1 : 0);
        d->out->flags |= X86_IF_RIP_MEM;
    }
    if (disp_size) {
        if (!need(d, (size_t)disp_size))
            return DEC_TRUNC;
        op->value = sign_extend(read_le(d->code + d->pos, disp_size), disp_size);
        op->flags |= X86_OPF_DISP;
        d->pos += (size_t)disp_size;
    }
    if (!op->index)
        op->scale = 0;
    return DEC_OK;
}

/* Consumes the ModRM byte (and the memory operand's SIB and displacement) once. */
static int consume_modrm(dec *d, x86_operand *mem, int *is_mem)
{
    int r = get_modrm(d);
    if (r)
        return r;
    if (!d->modrm_consumed) {
        d->pos = d->opcode_end + 1;
        d->modrm_consumed = 1;
        if (MOD_OF(d->modrm) != 3 && !d->rm_register_only) {
            if (d->mpx && d->asize == 2) {
                mem->type = X86_OP_BAD;   /* see mpx_addressing */
                d->bad_shown = 1;
                *is_mem = 1;
                return DEC_OK;
            }
            r = decode_mem(d, mem);
            if (r)
                return r;
        }
    }
    *is_mem = MOD_OF(d->modrm) != 3 && !d->rm_register_only;
    return DEC_OK;
}

/* ---- operands ---------------------------------------------------------------------------- */

static uint8_t mem_keyword(int bytes)
{
    static const uint8_t keyword[65] = {
        [1] = X86_MS_BYTE, [2] = X86_MS_WORD, [4] = X86_MS_DWORD, [6] = X86_MS_FWORD, [8] = X86_MS_QWORD,
        [10] = X86_MS_TBYTE, [16] = X86_MS_XMMWORD, [32] = X86_MS_YMMWORD, [64] = X86_MS_ZMMWORD,
    };
    return (unsigned)bytes <= 64 ? keyword[bytes] : X86_MS_NONE;
}

static int vector_bytes(const dec *d)
{
    return d->vl == 0 ? 16 : d->vl == 1 ? 32 : 64;
}

static int vector_class(int bytes)
{
    return bytes >= 64 ? X86_RC_ZMM : bytes == 32 ? X86_RC_YMM : X86_RC_XMM;
}

/* Size in bytes of a general-register or memory operand with size code s. */
static int gp_size(dec *d, int s)
{
    switch (s) {
    case S_B: return 1;
    case S_W: return 2;
    case S_D: return 4;
    case S_Q: return 8;
    case S_V: return size_v(d);
    case S_Z: return size_z(d);
    case S_Y: return size_y(d);
    case S_VQ:
        if (d->mode64 && (d->rex & 8) && !d->vex)
            return 8;   /* REX.W wins over a 66; as objdump has it, neither counts as used */
        if (d->last_66 != NO_PREFIX) {
            d->osz_used = 1;
            return 2;
        }
        return d->mode64 ? 8 : 4;
    case S_VW:
        return size_v(d) == 2 ? 2 : 4;
    case S_AS:
        if (d->last_67 != NO_PREFIX)
            d->asz_used = 1;
        return d->asize;
    case S_MODE:
        return d->mode64 ? 8 : 4;
    default: return 0;
    }
}

/* Memory size in bytes for vector and special size codes (0: no keyword). */
static int mem_size(dec *d, int s)
{
    int vb = vector_bytes(d);
    if (!d->vex)
        vb = 16;
    switch (s) {
    case S_0: return 0;
    case S_DQ: return 16;
    case S_QQ: return 32;
    case S_X: return vb;
    case S_XX: return 16;
    case S_YY: return 32;
    case S_XH: return vb / 2;
    case S_XQ: return vb / 4;
    case S_XE: return vb / 8;
    case S_T: return 10;
    case S_O: return 16;
    case S_P:
        /* a far pointer: m16:16 with a 66, else m16:32; REX.W is ignored, as on AMD64 (objdump's
         * default; Intel's m16:64 differs), even when it makes the other operand 64 bits (lfs rax) */
        if (d->last_66 != NO_PREFIX) {
            d->osz_used = 1;
            return 4;
        }
        return 6;
    case S_DQW: return d->vw ? 8 : 4;
    case S_DDUP: return vb == 16 ? 8 : vb;
    case S_XS: return d->vw ? 8 : 4;
    case S_XY: return 0;
    default: return gp_size(d, s);
    }
}

static int vec_reg_bytes(dec *d, int s)
{
    int vb = d->vex ? vector_bytes(d) : 16;
    switch (s) {
    case S_XX: case S_DQ: case S_B: case S_W: case S_D: case S_Q: case S_XS:
        return 16;
    case S_YY: case S_QQ:
        return 32;
    case S_XH: return vb / 2 > 16 ? vb / 2 : 16;
    case S_XQ: return vb / 4 > 16 ? vb / 4 : 16;
    case S_XE: return vb / 8 > 16 ? vb / 8 : 16;
    default: return vb;
    }
}

/* EVEX memory: embedded broadcast of one element ("DWORD BCST"), and the compressed 8-bit
 * displacement, scaled by the size of the memory access (disp8*N). */
static void evex_memory(dec *d, x86_operand *op)
{
    if (d->evex_b && !(d->flags & F_BC)) {
        /* no embedded broadcast: invalid, objdump shows the operand bare with "{bad}" */
        op->flags |= X86_OPF_BAD_BCST;
        op->mem_size = X86_MS_NONE;
        d->bad_bcst = 1;
    } else if (d->evex_b) {
        int elem = (d->flags & F_PH) ? 2 : d->vw || (d->flags & F_W1) ? 8 : 4;
        op->flags |= X86_OPF_BCST;
        op->size = (uint8_t)elem;
        op->mem_size = mem_keyword(elem);
        d->out->evex_bcst = (uint8_t)(vector_bytes(d) / elem);
        uint16_t dest = d->leaf->ops[0];
        if ((d->flags & F_BCN) && (d->vl < 2 || (dest >> 8) == M_K || (dest & 0xff) == S_XQ))
            d->out->flags |= X86_IF_BCST_COUNT;
    }
    int n = d->leaf->disp8_scale ? d->leaf->disp8_scale : op->size;
    if (d->disp8 && n)
        op->value *= n;
}

/* bnd0-bnd3; objdump shows "(bad)" for the numbers 4-15 (ModRM 4-7, REX.R or REX.B; #UD) and the
 * rest of the instruction as usual. */
static void bound_register(dec *d, x86_operand *op, int n)
{
    if (n > 3) {
        op->type = X86_OP_BAD;
        d->bad_shown = 1;
        return;
    }
    op->type = X86_OP_REG;
    op->reg = X86_REG_MAKE(X86_RC_BND, n);
}

static int read_imm(dec *d, int bytes, uint64_t *v)
{
    if (!need(d, (size_t)bytes))
        return DEC_TRUNC;
    *v = read_le(d->code + d->pos, bytes);
    d->pos += (size_t)bytes;
    return DEC_OK;
}

/* An immediate of `size` bytes read from `imm_bytes` (sign-extended when those are fewer). */
static void set_immediate(x86_operand *op, uint64_t v, int size, int imm_bytes, int is_signed)
{
    op->type = X86_OP_IMM;
    op->size = (uint8_t)size;
    if (is_signed) {
        op->value = sign_extend(v, imm_bytes);
        op->flags |= X86_OPF_IMM_SIGNED;
    } else {
        op->value = (int64_t)v;
    }
}

static int decode_operand(dec *d, uint16_t spec, x86_operand *op, const x86_operand *mem, int is_mem)
{
    int m = spec >> 8, s = spec & 0xff;
    int reg = REG_OF(d->modrm), rm = RM_OF(d->modrm);
    int rbit = (d->rex >> 2) & 1, bbit = d->rex & 1;
    uint64_t v;
    int r;
    switch (m) {
    case M_E: case M_M: case M_Q: case M_W: case M_KW: case M_BNDW:
        if (is_mem) {
            *op = *mem;
            op->size = (uint8_t)mem_size(d, s);
            op->mem_size = mem_keyword(op->size);
            if (s == S_O)
                op->mem_size = X86_MS_OWORD;
            if (s == S_0 || s == S_XY || d->mpx)
                op->mem_size = X86_MS_NONE;   /* objdump: no keyword on bndcl's memory either */
            if (d->vex == 4)
                evex_memory(d, op);
            return DEC_OK;
        }
        if (m == M_M)
            return DEC_BAD;
        op->type = X86_OP_REG;
        if (m == M_E) {
            int size = gp_size(d, s);
            if (size == 1 && rm >= 4)
                d->rex_used |= 0x40;   /* spl..dil; al..bl are the same without a REX (objdump: "rex") */
            use_rex(d, 1);
            op->reg = gpr(size, rm | (bbit << 3), d->rex != 0);
            op->size = (uint8_t)size;
        } else if (m == M_Q) {
            op->reg = X86_REG_MAKE(X86_RC_MMX, rm);
            op->size = 8;
        } else if (m == M_KW) {
            op->reg = X86_REG_MAKE(X86_RC_MASK, rm);
        } else if (m == M_BNDW) {
            use_rex(d, 1);
            bound_register(d, op, rm | (bbit << 3));
        } else {
            int bytes = vec_reg_bytes(d, s);
            use_rex(d, 1);
            int n = rm | (bbit << 3) | (d->vex == 4 ? ((d->rex >> 1) & 1) << 4 : 0);
            op->reg = X86_REG_MAKE(vector_class(bytes), n);
            op->size = (uint8_t)bytes;
        }
        return DEC_OK;
    case M_VSIB: case M_VSIBH:
        if (!is_mem)
            return DEC_BAD;   /* objdump's BadOp, one byte; a memory operand without SIB: vsib_valid */
        *op = *mem;
        op->size = (uint8_t)gp_size(d, s);
        op->mem_size = mem_keyword(op->size);
        if (d->vex == 4)
            evex_memory(d, op);
        return DEC_OK;
    case M_R: case M_RM: {
        if (m == M_RM && is_mem)
            return DEC_BAD;
        /* mov to and from control and debug registers: 64 bits in 64-bit mode whatever REX.W says,
         * so objdump names a REX.W unused ("rex.W mov rax,cr0"); REX.B selects r8-r15 */
        int size = m == M_R ? (d->mode64 ? 8 : 4) : gp_size(d, s);
        use_rex(d, 1);
        op->type = X86_OP_REG;
        op->reg = gpr(size, rm | (bbit << 3), d->rex != 0);
        op->size = (uint8_t)size;
        return DEC_OK;
    }
    case M_N: case M_U: case M_KU:
        if (is_mem)
            return DEC_BAD;
        op->type = X86_OP_REG;
        if (m == M_N) {
            op->reg = X86_REG_MAKE(X86_RC_MMX, rm);
        } else if (m == M_KU) {
            op->reg = X86_REG_MAKE(X86_RC_MASK, rm);
        } else {
            int bytes = vec_reg_bytes(d, s);
            use_rex(d, 1);
            int n = rm | (bbit << 3) | (d->vex == 4 ? ((d->rex >> 1) & 1) << 4 : 0);
            op->reg = X86_REG_MAKE(vector_class(bytes), n);
        }
        return DEC_OK;
    case M_G: {
        int size = gp_size(d, s);
        if (size == 1 && reg >= 4)
            d->rex_used |= 0x40;
        use_rex(d, 4);
        op->type = X86_OP_REG;
        op->reg = gpr(size, reg | (rbit << 3), d->rex != 0);
        op->size = (uint8_t)size;
        return DEC_OK;
    }
    case M_S:
        op->type = X86_OP_REG;
        op->reg = X86_REG_MAKE(X86_RC_SEG, reg);
        op->size = 2;
        return DEC_OK;
    case M_C: case M_D:
        use_rex(d, 4);
        op->type = X86_OP_REG;
        op->reg = X86_REG_MAKE(m == M_C ? X86_RC_CR : X86_RC_DR, reg | (rbit << 3));
        op->size = (uint8_t)(d->mode64 ? 8 : 4);
        return DEC_OK;
    case M_P:
        op->type = X86_OP_REG;
        op->reg = X86_REG_MAKE(X86_RC_MMX, reg);
        op->size = 8;
        return DEC_OK;
    case M_V: {
        int bytes = vec_reg_bytes(d, s);
        use_rex(d, 4);
        op->type = X86_OP_REG;
        op->reg = X86_REG_MAKE(vector_class(bytes), reg | (rbit << 3) | (d->evex_rr << 4));
        op->size = (uint8_t)bytes;
        return DEC_OK;
    }
    case M_H: {
        int bytes = vec_reg_bytes(d, s);
        if (d->evex_v_bad) {
            op->type = X86_OP_BAD;
            d->bad_shown = 1;
            return DEC_OK;
        }
        op->type = X86_OP_REG;
        op->reg = X86_REG_MAKE(vector_class(bytes), d->vvvv | (d->evex_vv << 4));
        op->size = (uint8_t)bytes;
        return DEC_OK;
    }
    case M_B: case M_BL0: {
        if (m == M_BL0 && d->vl) {
            op->type = X86_OP_BAD;
            d->bad_shown = 1;
            return DEC_OK;
        }
        int size = size_y(d);
        op->type = X86_OP_REG;
        op->reg = gpr(size, d->vvvv, 0);
        op->size = (uint8_t)size;
        return DEC_OK;
    }
    case M_K:
        op->type = X86_OP_REG;
        op->reg = X86_REG_MAKE(X86_RC_MASK, reg);
        return DEC_OK;
    case M_KH:
        op->type = X86_OP_REG;
        op->reg = X86_REG_MAKE(X86_RC_MASK, d->vvvv & 7);
        return DEC_OK;
    case M_BND:
        use_rex(d, 4);
        bound_register(d, op, reg | (rbit << 3));
        return DEC_OK;
    case M_L: {
        r = read_imm(d, 1, &v);
        if (r)
            return r;
        int bytes = vec_reg_bytes(d, s);
        op->type = X86_OP_REG;
        op->reg = X86_REG_MAKE(vector_class(bytes), (int)((v >> 4) & (d->mode64 ? 15 : 7)));
        return DEC_OK;
    }
    case M_I: case M_SI: case M_I2: {
        int size, imm_bytes;
        if (m == M_SI) {
            /* sign-extended to the operand size: ib, or iz (at most four bytes) */
            size = (d->flags & F_D64) ? gp_size(d, S_VQ) : gp_size(d, S_V);
            imm_bytes = s == S_B ? 1 : (size == 8 ? 4 : size);
        } else {
            size = s == S_B ? 1 : s == S_W ? 2 : gp_size(d, s);
            imm_bytes = size;   /* mov r64, imm64 reads all eight */
        }
        r = read_imm(d, imm_bytes, &v);
        if (r)
            return r;
        set_immediate(op, v, size, imm_bytes, m == M_SI);
        return DEC_OK;
    }
    case M_J: {
        int bytes = s == S_B ? 1 : (gp_size(d, S_VQ) == 2 ? 2 : 4);
        r = read_imm(d, bytes, &v);
        if (r)
            return r;
        op->type = X86_OP_REL;
        op->size = (uint8_t)bytes;
        uint64_t target = d->out->address + d->pos + (uint64_t)sign_extend(v, bytes);
        if (bytes == 2 && s != S_B)
            target &= 0xffff;
        else if (!d->mode64)
            target &= 0xffffffffu;
        op->value = (int64_t)target;
        return DEC_OK;
    }
    case M_O: {
        /* objdump leaves the 67 prefix of a moffs unmarked: it shows "addr32"/"addr16" anyway */
        int ab = d->asize;
        r = read_imm(d, ab, &v);
        if (r)
            return r;
        op->type = X86_OP_MEM;
        op->value = (int64_t)v;
        op->flags = X86_OPF_MOFFS | X86_OPF_DISP;
        op->segment = d->seg_active;
        if (d->seg_active)
            d->seg_used = 1;
        op->size = (uint8_t)gp_size(d, s);
        op->mem_size = X86_MS_NONE;   /* objdump: "mov eax,ds:0x1234", no keyword */
        return DEC_OK;
    }
    case M_A: {
        int ob = size_v(d) == 2 ? 2 : 4;
        uint64_t seg;
        r = read_imm(d, ob, &v);
        if (r)
            return r;
        r = read_imm(d, 2, &seg);
        if (r)
            return r;
        op->type = X86_OP_FAR;
        op->value = (int64_t)v;
        op->far_seg = (uint16_t)seg;
        return DEC_OK;
    }
    case M_Z: {
        int size = gp_size(d, s);
        int n = (d->code[d->opcode_end - 1] & 7) | (bbit << 3);
        if (size == 1 && (n & 7) >= 4)
            d->rex_used |= 0x40;
        use_rex(d, 1);
        op->type = X86_OP_REG;
        op->reg = gpr(size, n, d->rex != 0);
        op->size = (uint8_t)size;
        return DEC_OK;
    }
    case M_REG: {
        /* a fixed al: objdump does not count a REX as used by it ("rex add al,0x2d") */
        int size = gp_size(d, s >> 3);
        op->type = X86_OP_REG;
        op->reg = gpr(size, s & 7, 0);
        op->size = (uint8_t)size;
        return DEC_OK;
    }
    case M_SEG:
        op->type = X86_OP_REG;
        op->reg = X86_REG_MAKE(X86_RC_SEG, s);
        op->size = 2;
        return DEC_OK;
    case M_ONE:
        op->type = X86_OP_IMM;
        op->value = 1;
        op->size = 0;
        return DEC_OK;
    case M_ST0:
        op->type = X86_OP_REG;
        op->reg = X86_REG_MAKE(X86_RC_ST, 0);
        op->size = 0;   /* "st" */
        return DEC_OK;
    case M_STI:
        op->type = X86_OP_REG;
        op->reg = X86_REG_MAKE(X86_RC_ST, rm);
        op->size = 10;  /* "st(i)" */
        return DEC_OK;
    case M_XMM0:
        op->type = X86_OP_REG;
        op->reg = X86_REG_MAKE(X86_RC_XMM, 0);
        return DEC_OK;
    case M_TV: case M_TU: case M_TH:
        /* the number as encoded, with the REX/VEX high bit: tile_operands_valid checks it */
        if (m == M_TU && is_mem)
            return DEC_BAD;
        op->type = X86_OP_REG;
        op->reg = X86_REG_MAKE(X86_RC_TMM, m == M_TV ? reg | (rbit << 3) : m == M_TU ? rm | (bbit << 3) : d->vvvv);
        return DEC_OK;
    case M_SIBMEM:
        if (!is_mem || rm != 4)
            return DEC_BAD;   /* objdump: "tileloadd tmm0,(bad)" */
        *op = *mem;
        op->mem_size = X86_MS_NONE;
        return DEC_OK;
    case M_X: case M_Y: {
        int size = s == S_B ? 1 : gp_size(d, s);
        int ab = gp_size(d, S_AS);
        op->type = X86_OP_MEM;
        op->flags = X86_OPF_STRING;
        op->size = (uint8_t)size;
        op->mem_size = mem_keyword(size);
        op->reg = gpr(ab, m == M_X ? 6 : 7, 0);
        if (m == M_X && d->code[d->opcode_end - 1] == 0xd7)
            op->reg = gpr(ab, 3, 0);   /* xlat: [rbx] */
        if (m == M_X)
            op->segment = d->seg_active ? d->seg_active : 4;
        else
            op->segment = 1;
        /* objdump counts the last segment prefix as used by any string operand, even one that
         * 64-bit mode ignores or es:[rdi] cannot take */
        if (d->last_seg != NO_PREFIX)
            d->seg_used = 1;
        return DEC_OK;
    }
    default:
        return DEC_BAD;
    }
}

/* An operand-size switch's child: 64 with (E)VEX.W or REX.W in 64-bit mode, else 16 with a 66,
 * else 32; marking what decided it as used. */
static int osz_index(dec *d)
{
    int w = d->vex ? d->vw : (d->rex & 8) != 0;
    if (d->mode64 && w) {
        use_rex(d, 8);
        return 2;
    }
    if (d->last_66 != NO_PREFIX) {
        d->osz_used = 1;
        return 0;
    }
    return 1;
}

/* ---- table walk -------------------------------------------------------------------------- */

static const x86_entry *walk(dec *d, const x86_entry *e, int *status)
{
    while (e->kind != X86_T_LEAF) {
        int i = 0, idx;
        if (e->kind == X86_T_REG || e->kind == X86_T_MOD || e->kind == X86_T_RM) {
            int r = get_modrm(d);
            if (r) {
                *status = r;
                return NULL;
            }
        }
        switch (e->kind) {
        case X86_T_REG: i = REG_OF(d->modrm); break;
        case X86_T_MOD: i = MOD_OF(d->modrm) == 3; break;
        case X86_T_RM: i = RM_OF(d->modrm); break;
        case X86_T_PFX:
            i = mandatory_prefix(d, &idx);
            if (e->sub[i].kind == X86_T_LEAF && e->sub[i].mnemonic == X86_MN_BAD &&
                ((e->flags & F_PFXCHECK) || d->vex == 2 || d->vex == 3))
                d->bare_bad = 1;   /* objdump's VEX tables check the prefix after the lookup */
            else if (idx != NO_PREFIX)
                d->pfx_used[idx] = 1;
            break;
        case X86_T_OSZ: i = osz_index(d); break;
        case X86_T_ASZ:
            if (d->last_67 != NO_PREFIX)
                d->asz_used = 1;
            i = d->asize == 2 ? 0 : d->asize == 4 ? 1 : 2;
            break;
        case X86_T_MODE: i = d->mode64; break;
        case X86_T_W:
            if (d->vex) {
                i = d->vw;
            } else {
                i = (d->rex & 8) != 0;
                use_rex(d, 8);
            }
            break;
        case X86_T_L:
            i = d->vl > 2 ? 2 : d->vl;
            if (d->vex == 4 && d->evex_b) {
                /* EVEX.b on a register operand: 512 bits, L'L is the rounding (objdump checks the
                 * vector length so; an instruction without rounding is then "{rn-bad}") */
                int r = get_modrm(d);
                if (r) {
                    *status = r;
                    return NULL;
                }
                if (MOD_OF(d->modrm) == 3)
                    i = 2;
            }
            break;
        default: i = 0; break;
        }
        e = &e->sub[i];
    }
    return e;
}

/* ---- VEX / EVEX -------------------------------------------------------------------------- */

/* The two- and three-byte VEX prefixes (C5, C4) and AMD's XOP (8F, laid out as C4 with maps 8-A). */
static int read_vex(dec *d, uint8_t first, const x86_entry **map)
{
    int map_index;
    if (first == 0xc5) {
        if (!need(d, 3))
            return DEC_TRUNC;
        uint8_t p = d->code[d->pos + 1];
        d->rex = (uint8_t)((p & 0x80) ? 0 : 0x44);
        d->vvvv = (uint8_t)((~p >> 3) & 15);
        d->vl = (p >> 2) & 1;
        d->vpp = p & 3;
        d->vex = 2;
        map_index = 0;
        d->pos += 2;
    } else {
        if (!need(d, 4))
            return DEC_TRUNC;
        uint8_t p0 = d->code[d->pos + 1], p1 = d->code[d->pos + 2];
        int mm = p0 & 0x1f;
        if (first == 0x8f ? mm < 8 || mm > 10 : mm < 1 || mm > 3)
            return DEC_BAD;
        map_index = first == 0x8f ? mm - 8 : mm - 1;
        d->rex = (uint8_t)(0x40 | ((~p0 >> 5) & 7));
        if (!d->mode64)
            d->rex &= (uint8_t)~1;
        d->vw = (p1 >> 7) & 1;
        d->vvvv = (uint8_t)((~p1 >> 3) & 15);
        d->vl = (p1 >> 2) & 1;
        d->vpp = p1 & 3;
        d->vex = 3;
        d->pos += 3;
    }
    if (!d->mode64)
        d->vvvv &= 7;
    if (d->vex == 3 && d->vw && d->mode64)
        d->rex |= 8;
    *map = first == 0x8f ? x86_map_xop[map_index] : x86_map_vex[map_index];
    return DEC_OK;
}

static int read_evex(dec *d, const x86_entry **map)
{
    if (!need(d, 5))
        return DEC_TRUNC;
    uint8_t p0 = d->code[d->pos + 1], p1 = d->code[d->pos + 2], p2 = d->code[d->pos + 3];
    int mm = p0 & 7;
    if (mm < 1 || mm == 4 || mm > 6 || (p0 & 8))
        return DEC_BAD;
    if (!(p1 & 4)) {
        d->pos++;   /* objdump reads P1 before it rejects the encoding: "(bad)" of 62 and P0 */
        return DEC_BAD;
    }
    d->rex = (uint8_t)(0x40 | ((~p0 >> 5) & 7));
    d->evex_rr = (uint8_t)(((~p0) >> 4) & 1);
    d->vw = (p1 >> 7) & 1;
    d->vvvv = (uint8_t)((~p1 >> 3) & 15);
    d->vpp = p1 & 3;
    d->evex_z = (p2 >> 7) & 1;
    d->vl = (p2 >> 5) & 3;
    d->evex_ll = d->vl;
    d->evex_b = (p2 >> 4) & 1;
    d->evex_vv = (uint8_t)(((~p2) >> 3) & 1);
    d->evex_aaa = p2 & 7;
    if (!d->mode64) {
        d->rex &= (uint8_t)~3;
        d->evex_rr = 0;
        d->vvvv &= 7;
        d->evex_v_bad = d->evex_vv;   /* V' must be 1 outside 64-bit mode (#UD otherwise, as Intel's XED has it) */
        d->evex_vv = 0;
    }
    if (d->vw && d->mode64)
        d->rex |= 8;
    d->vex = 4;
    d->pos += 4;
    *map = x86_map_evex[mm <= 3 ? mm - 1 : mm - 2];
    return DEC_OK;
}

/* ---- the instruction --------------------------------------------------------------------- */

static size_t finish_bad(dec *d, size_t length)
{
    x86_insn *o = d->out;
    o->mnemonic = X86_MN_BAD;
    o->operand_count = 0;
    o->branch = X86_BR_NONE;
    o->length = (uint8_t)length;
    return length;
}

static uint8_t prefix_name(const dec *d, int i)
{
    uint8_t b = d->pfx[i];
    if (d->pfx_name[i])
        return d->pfx_name[i];
    switch (b) {
    case 0xf0: return X86_PN_LOCK;
    case 0xf2: return X86_PN_REPNZ;
    case 0xf3: return X86_PN_REPZ;
    case 0x26: return X86_PN_ES;
    case 0x2e: return X86_PN_CS;
    case 0x36: return X86_PN_SS;
    case 0x3e: return X86_PN_DS;
    case 0x64: return X86_PN_FS;
    case 0x65: return X86_PN_GS;
    case 0x66: return X86_PN_DATA16;
    case 0x67: return d->mode64 ? X86_PN_ADDR32 : X86_PN_ADDR16;
    case 0x9b: return X86_PN_FWAIT;
    default: return b;   /* REX */
    }
}

/* objdump prints a truncated instruction as its first byte: a prefix name or ".byte 0x..". */
static size_t finish_truncated(dec *d)
{
    x86_insn *o = d->out;
    o->flags |= X86_IF_TRUNCATED;
    o->shown_prefix_count = 0;
    if (d->npfx || d->fwait) {
        o->shown_prefixes[0] = d->npfx ? prefix_name(d, 0) : X86_PN_FWAIT;
        o->shown_prefix_count = 1;
    }
    size_t n = finish_bad(d, 1);
    o->operand_count = 1;
    memset(&o->ops[0], 0, sizeof o->ops[0]);
    o->ops[0].type = X86_OP_IMM;
    o->ops[0].size = 1;
    o->ops[0].value = d->code[0];
    return n;
}

static void list_prefixes(dec *d, int all)
{
    x86_insn *o = d->out;
    o->shown_prefix_count = 0;
    if (d->bare_bad && !all)
        return;   /* objdump's bare "(bad)" */
    for (int i = 0; i < d->npfx; i++)
        if (all || !d->pfx_used[i])
            o->shown_prefixes[o->shown_prefix_count++] = prefix_name(d, i);
}

/* Names F2/F3/3E the way objdump does for this instruction (rep, bnd, notrack, xacquire, ...). */
static void name_prefixes(dec *d)
{
    uint32_t f = d->flags;
    int lock = d->npfx && (f & F_LOCK) && lock_index(d) != 0xff;
    for (int i = 0; i < d->npfx; i++) {
        uint8_t b = d->pfx[i];
        if (d->pfx_used[i])
            continue;
        if ((b == 0xf2 || b == 0xf3) && i == d->last_rep) {
            if (f & F_REP)
                d->pfx_name[i] = b == 0xf3 ? X86_PN_REP : X86_PN_REPNZ;
            else if ((f & F_BND) && b == 0xf2)
                d->pfx_name[i] = X86_PN_BND;
            else if ((f & F_LOCK) && (lock || d->leaf->mnemonic == X86_MN_xchg) && d->modrm_consumed &&
                     MOD_OF(d->modrm) != 3)   /* xchg with memory locks without a prefix */
                d->pfx_name[i] = b == 0xf2 ? X86_PN_XACQUIRE : X86_PN_XRELEASE;
            else if ((f & F_XREL) && b == 0xf3 && d->modrm_consumed && MOD_OF(d->modrm) != 3)
                d->pfx_name[i] = X86_PN_XRELEASE;
        }
        if (b == 0x3e && i == d->last_seg && (f & F_NOTRACK))
            d->pfx_name[i] = X86_PN_NOTRACK;
    }
}

/* EVEX: the opmask, zeroing, and with EVEX.b on a register form, rounding or {sae} (the vector
 * length is then 512 bits). 0 when the instruction takes neither (invalid; objdump still decodes
 * its operands, at 512 bits, and appends "{rn-bad}"). */
static int evex_setup(dec *d, int is_mem)
{
    x86_insn *o = d->out;
    o->evex_mask = d->evex_aaa;
    if (d->evex_z)
        o->flags |= X86_IF_EVEX_Z;
    if (d->evex_b && !is_mem) {
        if (d->flags & F_ER)
            o->evex_rc = (uint8_t)(d->vl + 1);
        else if (d->flags & F_SAE)
            o->evex_rc = 5;
        d->vl = 2;
        if (!o->evex_rc)
            return 0;
        o->flags |= X86_IF_EVEX_SAE;
    }
    return 1;
}

/* objdump still shows the masking of an EVEX encoding it finds invalid ("(bad)  {k1}{z}"), and
 * EVEX.b with a register operand as "{rn-bad}" (the rounding L'L would select); zeroing without a
 * mask, an unused EVEX.vvvv or a failed prefix check give a bare "(bad)". */
static void evex_bad_marks(dec *d)
{
    x86_insn *o = d->out;
    if (d->vex != 4 || d->bare_bad || (d->evex_z && !d->evex_aaa))
        return;
    o->evex_mask = d->evex_aaa;
    if (d->evex_z)
        o->flags |= X86_IF_EVEX_Z;
    if (d->evex_b && d->opcode_end < d->len && MOD_OF(d->code[d->opcode_end]) == 3)
        o->evex_rc = (uint8_t)(X86_RC_RN_BAD + d->evex_ll);
}

static const uint8_t has_vex_form[X86_MN_COUNT] = {
#define X86_VEX_FORM(id) [X86_MN_##id] = 1,
    X86_VEX_MNEMONIC_LIST(X86_VEX_FORM)
#undef X86_VEX_FORM
};

/* An EVEX instruction that uses nothing of EVEX's own: vector length up to 256, no mask, no
 * broadcast or rounding, registers 0-15 only, and a mnemonic VEX has. */
static int evex_as_vex(const dec *d, const x86_insn *o)
{
    if (d->vl >= 2 || d->evex_aaa || d->evex_z || d->evex_b || o->mnemonic >= X86_MN_COUNT ||
        !has_vex_form[o->mnemonic])
        return 0;
    int broadcast = o->mnemonic == X86_MN_vpbroadcastb || o->mnemonic == X86_MN_vpbroadcastw ||
                    o->mnemonic == X86_MN_vpbroadcastd || o->mnemonic == X86_MN_vpbroadcastq;
    for (int i = 0; i < o->operand_count; i++) {
        const x86_operand *op = &o->ops[i];
        if (op->type == X86_OP_REG && (X86_REG_NUM(op->reg) >= 16 || X86_REG_CLASS(op->reg) == X86_RC_MASK))
            return 0;
        if (broadcast && op->type == X86_OP_REG && X86_REG_CLASS(op->reg) <= X86_RC_GPR64)
            return 0;   /* a broadcast from a general register has no VEX form */
        if (op->type == X86_OP_MEM && X86_REG_NUM(op->index) >= 16)
            return 0;
    }
    return 1;
}

/* A gather or scatter the CPU accepts: a SIB byte, EVEX with a mask, no zeroing or broadcast; the
 * destination, the index and a VEX mask all different registers. */
static int vsib_valid(const dec *d, const x86_operand *ops)
{
    const x86_operand *mem = ops[0].type == X86_OP_MEM ? &ops[0] : &ops[1];
    int index = X86_REG_NUM(mem->index);
    if (d->vsib_bad || (d->vex == 4 && (!d->evex_aaa || d->evex_z || d->evex_b)))
        return 0;
    if (ops[0].type != X86_OP_REG)
        return 1;
    int dest = X86_REG_NUM(ops[0].reg);
    if (dest == index)
        return 0;
    if (d->vex != 4) {
        int mask = X86_REG_NUM(ops[2].reg);
        if (mask == dest || mask == index)
            return 0;
    }
    return 1;
}

/* The complex FP16 multiplies: a destination that is also a source is invalid. */
static int destination_unique(const x86_operand *ops, int n)
{
    for (int i = 1; i < n; i++)
        if (ops[i].type == X86_OP_REG && X86_REG_NUM(ops[i].reg) == X86_REG_NUM(ops[0].reg))
            return 0;
    return 1;
}

/* AMX: tmm0-tmm7 only (objdump: "(bad)" for a REX or VEX high bit), and the three registers of a
 * dot product all different ("tmm0/(bad)"). */
static int tile_operands_valid(const x86_operand *ops, int n)
{
    for (int i = 0; i < n; i++) {
        if (ops[i].type != X86_OP_REG || X86_REG_CLASS(ops[i].reg) != X86_RC_TMM)
            continue;
        if (X86_REG_NUM(ops[i].reg) > 7)
            return 0;
        for (int j = 0; j < i; j++)
            if (ops[j].type == X86_OP_REG && ops[j].reg == ops[i].reg)
                return 0;
    }
    return 1;
}

/* objdump's size suffixes: callw, retfq, sgdtd. */
static void set_suffix(dec *d)
{
    uint32_t f = d->flags;
    char *suffix = d->out->suffix;
    int w = d->mode64 && (d->rex & 8);
    if ((f & F_SUFD) && !d->mode64) {
        strcpy(suffix, d->last_66 != NO_PREFIX ? "w" : "d");
        if (d->last_66 != NO_PREFIX)
            d->osz_used = 1;
    } else if ((f & F_SUFW) && d->last_66 != NO_PREFIX && !(w && (f & (F_D64 | F_SUFQ | F_BRANCH)))) {
        strcpy(suffix, "w");
        d->osz_used = 1;
    } else if ((f & (F_SUFQ | F_SUFDQ)) && w) {
        strcpy(suffix, "q");
        use_rex(d, 8);
    } else if ((f & F_SUFDQ) && d->mode64) {
        strcpy(suffix, "d");
    } else if ((f & F_SUF64) && w) {
        strcpy(suffix, "64");
        use_rex(d, 8);
    }
}

/* objdump's "movabs": mov with a 64-bit immediate or a 64-bit absolute address. */
static int is_movabs(const x86_insn *o)
{
    for (int i = 0; i < o->operand_count; i++) {
        const x86_operand *op = &o->ops[i];
        if (op->type == X86_OP_IMM && op->size == 8 && !(op->flags & X86_OPF_IMM_SIGNED))
            return 1;
        if (op->type == X86_OP_MEM && (op->flags & X86_OPF_MOFFS) && o->adsize == 8)
            return 1;
    }
    return 0;
}

/* What an addressing method needs from the encoding, looked up once per operand. */
enum { MU_MODRM = 1, MU_VVVV = 2, MU_REG_ONLY = 4, MU_VSIB = 8, MU_BND = 16 };
static const uint8_t method_uses[256] = {
    [M_E] = MU_MODRM, [M_M] = MU_MODRM, [M_R] = MU_MODRM | MU_REG_ONLY, [M_RM] = MU_MODRM,
    [M_Q] = MU_MODRM, [M_N] = MU_MODRM, [M_W] = MU_MODRM, [M_U] = MU_MODRM, [M_KW] = MU_MODRM,
    [M_KU] = MU_MODRM, [M_BNDW] = MU_MODRM | MU_BND, [M_STI] = MU_MODRM, [M_G] = MU_MODRM, [M_V] = MU_MODRM,
    [M_P] = MU_MODRM, [M_S] = MU_MODRM, [M_C] = MU_MODRM, [M_D] = MU_MODRM, [M_K] = MU_MODRM,
    [M_BND] = MU_MODRM | MU_BND, [M_VSIB] = MU_MODRM | MU_VSIB, [M_VSIBH] = MU_MODRM | MU_VSIB,
    [M_H] = MU_VVVV, [M_B] = MU_VVVV, [M_BL0] = MU_VVVV, [M_KH] = MU_VVVV,
    [M_TV] = MU_MODRM, [M_TU] = MU_MODRM, [M_TH] = MU_VVVV, [M_SIBMEM] = MU_MODRM,
};

/* MPX addresses memory with the mode's address size: in 64-bit mode a 67 changes nothing (objdump
 * names it "addr32", [rax]); 16-bit addressing has no bound forms (objdump: "addr16 bndcl
 * bnd0,(bad)", the instruction ending at the ModRM byte). */
static void mpx_addressing(dec *d)
{
    d->mpx = 1;
    if (d->mode64)
        d->asize = 8;
}

static size_t decode_leaf(dec *d)
{
    x86_insn *o = d->out;
    const x86_entry *e = d->leaf;
    d->flags = e->flags;
    compute_osize(d);
    x86_operand mem;
    memset(&mem, 0, sizeof mem);
    int is_mem = 0;
    /* The ModRM operand (with SIB and displacement) comes before any immediate. */
    int uses = 0;
    for (int i = 0; i < 4 && e->ops[i]; i++)
        uses |= method_uses[e->ops[i] >> 8];
    int uses_rm = uses & MU_MODRM;
    if (uses & MU_VSIB) {
        int vb = d->vex ? vector_bytes(d) : 16;
        int half = 0;
        for (int i = 0; i < 4 && e->ops[i]; i++)
            half |= (e->ops[i] >> 8) == M_VSIBH;
        d->vsib = (uint8_t)(!half || vb == 16 ? vb : vb / 2);
    }
    if (d->vex && !(uses & MU_VVVV) && (d->vvvv | (d->vsib ? 0 : d->evex_vv << 4)) != 0) {
        d->bare_bad = 1;
        return finish_bad(d, d->opcode_end);   /* VEX.vvvv must be 1111 when unused */
    }
    if (uses & MU_REG_ONLY)
        d->rm_register_only = 1;
    if (uses & MU_BND)
        mpx_addressing(d);
    if (uses_rm || d->has_modrm) {
        int r = consume_modrm(d, &mem, &is_mem);
        if (r == DEC_TRUNC)
            return finish_truncated(d);
    }
    int bad_rounding = d->vex == 4 && !evex_setup(d, is_mem);
    int n = 0, bad_operand = 0;
    for (int i = 0; i < 4 && e->ops[i]; i++) {
        memset(&o->ops[n], 0, sizeof o->ops[n]);
        int r = decode_operand(d, e->ops[i], &o->ops[n], &mem, is_mem);
        if (r == DEC_TRUNC)
            return finish_truncated(d);
        if (r == DEC_BAD) {
            /* an operand the encoding cannot have: "(bad)"; for F_BADOP entries objdump's BadOp,
             * the mnemonic with "(bad)" for this operand and one opcode byte consumed */
            o->ops[n].type = X86_OP_BAD;
            bad_operand = 1;
        }
        n++;
    }
    if (bad_operand && !(e->flags & (F_BADOP | F_BADPOS)))
        return finish_bad(d, d->opcode_end);
    if (bad_rounding)
        return finish_bad(d, d->pos);
    if (d->bad_bcst && !bad_operand) {
        /* the whole instruction's length, its operands shown, the memory one marked "{bad}" */
        o->operand_count = (uint8_t)n;
        o->shown_mnemonic = e->mnemonic;
        o->mnemonic = X86_MN_BAD;
        o->length = (uint8_t)d->pos;
        if (o->flags & X86_IF_RIP_MEM)
            for (int i = 0; i < n; i++)
                if (o->ops[i].type == X86_OP_MEM && X86_REG_CLASS(o->ops[i].reg) == X86_RC_IP)
                    o->mem_target = o->address + o->length + (uint64_t)o->ops[i].value;
        return o->length;
    }
    if (bad_operand) {
        o->operand_count = (uint8_t)n;
        o->shown_mnemonic = e->mnemonic;
        o->mnemonic = X86_MN_BAD;
        o->length = (uint8_t)((e->flags & F_BADPOS) ? d->opcode_end + 1 : (size_t)d->npfx + (d->fwait ? 1 : 0) + 1);
        return o->length;
    }
    if (n && X86_REG_CLASS(o->ops[0].reg) == X86_RC_TMM && !tile_operands_valid(o->ops, n)) {
        d->bare_bad = 1;
        return finish_bad(d, d->pos);   /* objdump's length, its text marks the operands "(bad)" */
    }
    if ((e->flags & F_DSTUNIQ) && !destination_unique(o->ops, n)) {
        d->bare_bad = 1;
        return finish_bad(d, d->pos);   /* objdump's length, its text marks the destination "(bad)" */
    }
    if (d->vsib && !vsib_valid(d, o->ops)) {
        d->bare_bad = 1;
        return finish_bad(d, d->pos);   /* objdump's length, its text marks the operand "/(bad)" */
    }
    if (e->mnemonic == X86_MN_vpermil2ps || e->mnemonic == X86_MN_vpermil2pd) {
        /* the fifth operand (m2z): the low four bits of the immediate that named the fourth register */
        memset(&o->ops[n], 0, sizeof o->ops[n]);
        set_immediate(&o->ops[n], d->code[d->pos - 1] & 15u, 1, 1, 0);
        n++;
    }
    o->operand_count = (uint8_t)n;
    o->mnemonic = e->mnemonic;
    if (d->bad_shown) {
        /* objdump shows the instruction with "(bad)" for the operand (bound_register, mpx_addressing) */
        o->shown_mnemonic = e->mnemonic;
        o->mnemonic = X86_MN_BAD;
    }
    o->opsize = (uint8_t)d->osize;
    o->adsize = (uint8_t)d->asize;
    if (e->flags & (F_SUFD | F_SUFW | F_SUFQ | F_SUFDQ | F_SUF64))
        set_suffix(d);
    if (d->vex == 4 && evex_as_vex(d, o))
        o->flags |= X86_IF_EVEX_AS_VEX;
    if (o->mnemonic == X86_MN_mov && is_movabs(o))
        o->mnemonic = X86_MN_movabs;
    o->branch = (uint8_t)(e->flags & F_BRANCH);
    if (e->flags & F_IND)
        o->flags |= X86_IF_INDIRECT;
    if (e->flags & F_VEXSHOW)
        o->flags |= X86_IF_VEX_SHOWN;
    for (int i = 0; i < n; i++)
        if (o->ops[i].type == X86_OP_REL) {
            o->target = (uint64_t)o->ops[i].value;
            o->flags |= X86_IF_RELATIVE;
        }
    o->length = (uint8_t)d->pos;
    if (o->flags & X86_IF_RIP_MEM)
        for (int i = 0; i < n; i++)
            if (o->ops[i].type == X86_OP_MEM && X86_REG_CLASS(o->ops[i].reg) == X86_RC_IP) {
                uint64_t t = o->address + o->length + (uint64_t)o->ops[i].value;
                o->mem_target = t;   /* objdump does not wrap an eip-relative address at 4 GiB */
            }
    return o->length;
}

static void mark_used_prefixes(dec *d)
{
    if (d->last_rex != NO_PREFIX && !d->vex && (d->rex ^ d->rex_used) == 0)
        d->pfx_used[d->last_rex] = 1;
    if (d->last_seg != NO_PREFIX && d->seg_used)
        d->pfx_used[d->last_seg] = 1;
    if (d->last_67 != NO_PREFIX && d->asz_used)
        d->pfx_used[d->last_67] = 1;
    if (d->last_66 != NO_PREFIX && d->osz_used && !d->vex)
        d->pfx_used[d->last_66] = 1;
}

/* Special forms that depend on more than the tables say. */
static const x86_entry *special_1byte(dec *d, uint8_t op, const x86_entry *e)
{
    static const x86_entry xchg_r8 = { X86_MN_xchg, X86_T_LEAF, 0, 0, { OP(M_Z, S_V), OP(M_REG, (S_V << 3) | 0) }, 0 };
    static const x86_entry xchg_ax = { X86_MN_xchg, X86_T_LEAF, 0, 0, { OP(M_REG, (S_V << 3) | 0), OP(M_REG, (S_V << 3) | 0) }, 0 };
    static const x86_entry pause = { X86_MN_pause, X86_T_LEAF, 0, 0, { 0 }, 0 };
    if (op == 0x90) {
        if (d->rex & 1)
            return &xchg_r8;
        if (d->last_rep != NO_PREFIX && d->pfx[d->last_rep] == 0xf3) {
            d->pfx_used[d->last_rep] = 1;
            return &pause;
        }
        if (d->last_66 != NO_PREFIX)
            return &xchg_ax;
    }
    return e;
}

/* 3DNow!: the suffix read as the last operand names the instruction. An unknown suffix is objdump's
 * "(bad)" one byte past the prefixes (the 66 it took for the operands not named). */
static size_t name_3dnow(dec *d)
{
    x86_insn *o = d->out;
    x86_operand *suffix = &o->ops[--o->operand_count];
    o->mnemonic = x86_3dnow[(uint8_t)suffix->value];
    memset(suffix, 0, sizeof *suffix);
    mark_used_prefixes(d);
    if (!o->mnemonic) {
        o->flags &= (uint16_t)~X86_IF_RIP_MEM;
        list_prefixes(d, 0);
        return finish_bad(d, (size_t)d->npfx + 1);
    }
    name_prefixes(d);
    list_prefixes(d, 0);
    return o->length;
}

/* A 9B before an x87 instruction: the waiting form's name (fnstcw -> fstcw); objdump shows nothing
 * for it before other x87 instructions. */
static void apply_fwait(x86_insn *out)
{
    static const uint16_t pairs[][2] = {
        { X86_MN_fnstcw, X86_MN_fstcw }, { X86_MN_fnstsw, X86_MN_fstsw }, { X86_MN_fnclex, X86_MN_fclex },
        { X86_MN_fninit, X86_MN_finit }, { X86_MN_fnstenv, X86_MN_fstenv }, { X86_MN_fnsave, X86_MN_fsave },
        { X86_MN_fneni8087_only, X86_MN_feni8087_only }, { X86_MN_fndisi8087_only, X86_MN_fdisi8087_only },
        { X86_MN_fnsetpm287_only, X86_MN_fsetpm287_only },
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (out->mnemonic == pairs[i][0]) {
            out->mnemonic = pairs[i][1];
            return;
        }
}

#if defined(__GNUC__) || defined(__clang__)
#define NOT_INLINED __attribute__((noinline))
#elif defined(_MSC_VER)
#define NOT_INLINED __declspec(noinline)
#else
#define NOT_INLINED
#endif

/* Not inlined into x86_decode: its frame and setup would be paid by the fast path too. */
NOT_INLINED static size_t decode(const uint8_t *code, size_t len, uint64_t address, int bits, x86_insn *out)
{
    dec d;
    memset(&d.pos, 0, sizeof d - offsetof(dec, pos));
    memset(out, 0, offsetof(x86_insn, ops));
    d.code = code;
    d.len = len > X86_MAX_LENGTH + 8 ? X86_MAX_LENGTH + 8 : len;   /* enough to see an over-long one */
    d.out = out;
    d.mode64 = bits == 64;
    out->address = address;
    out->mode = (uint8_t)(bits == 64 ? 64 : 32);
    if (len == 0)
        return 0;

    int pr = read_prefixes(&d);
    if (pr < 0)
        return finish_truncated(&d);
    out->prefix_count = (uint8_t)d.npfx;
    if (pr == 0) {
        /* Only prefixes: objdump shows them by name as one "instruction". */
        list_prefixes(&d, 1);
        return finish_bad(&d, (size_t)d.npfx);
    }
    if (!need(&d, 1) && !d.fwait)
        return finish_truncated(&d);
    uint8_t op = need(&d, 1) ? code[d.pos] : 0x90;   /* a final fwait stands alone */
    const x86_entry *e;
    if (d.fwait && (op < 0xd8 || op > 0xdf)) {
        /* objdump: the prefixes before the fwait, and "fwait" */
        d.npfx = d.fwait_after;
        list_prefixes(&d, 1);
        out->mnemonic = X86_MN_fwait;
        out->length = (uint8_t)(d.fwait_after + 1);
        return out->length;
    }
    int vex_ok = d.mode64 || (need(&d, 2) && (code[d.pos + 1] & 0xc0) == 0xc0);
    /* 8F with ModRM.reg 0 is pop; any other reg field is XOP's mmmmm >= 8 (objdump: in both modes) */
    int xop = op == 0x8f && need(&d, 2) && (code[d.pos + 1] & 0x38) != 0;
    if (((op == 0xc4 || op == 0xc5) && vex_ok) || xop) {
        const x86_entry *map;
        int r = read_vex(&d, op, &map);
        if (r == DEC_TRUNC)
            return finish_truncated(&d);
        if (r == DEC_BAD) {
            list_prefixes(&d, 1);
            return finish_bad(&d, d.pos + 1);
        }
        if (!need(&d, 1))
            return finish_truncated(&d);
        uint8_t vop = code[d.pos++];
        d.opcode_end = d.pos;
        e = &map[vop];
        out->flags |= X86_IF_VEX;
    } else if (op == 0x62 && vex_ok) {
        const x86_entry *map;
        int r = read_evex(&d, &map);
        if (r == DEC_TRUNC)
            return finish_truncated(&d);
        if (r == DEC_BAD) {
            list_prefixes(&d, 1);
            return finish_bad(&d, d.pos + 1);
        }
        if (!need(&d, 1))
            return finish_truncated(&d);
        uint8_t vop = code[d.pos++];
        d.opcode_end = d.pos;
        e = &map[vop];
        out->flags |= X86_IF_EVEX;
    } else if (op == 0x0f) {
        if (!need(&d, 2))
            return finish_truncated(&d);
        uint8_t op2 = code[d.pos + 1];
        d.pos += 2;
        if (op2 == 0x38 || op2 == 0x3a) {
            if (!need(&d, 1))
                return finish_truncated(&d);
            uint8_t op3 = code[d.pos++];
            e = op2 == 0x38 ? &x86_map_0f38[op3] : &x86_map_0f3a[op3];
            d.opcode_end = d.pos;
            if (!need(&d, 1))
                return finish_truncated(&d);
        } else if (op2 == 0x0f) {
            /* 3DNow!: the operands, then the suffix names it (name_3dnow); objdump takes a 66 */
            d.amd3dnow = 1;
            d.osz_used = d.last_66 != NO_PREFIX;
            e = &x86_3dnow_operands[d.osz_used];
            d.opcode_end = d.pos;
            if (!need(&d, 1))
                return finish_truncated(&d);
        } else {
            e = &x86_map_0f[op2];
            d.opcode_end = d.pos;
            if (x86_has_modrm_0f[op2] && !need(&d, 1))
                return finish_truncated(&d);
        }
    } else {
        d.pos++;
        d.opcode_end = d.pos;
        if (x86_has_modrm_1byte[op] && !need(&d, 1))
            return finish_truncated(&d);
        e = special_1byte(&d, op, &x86_map_1byte[op]);
        d.x87 = op >= 0xd8 && op <= 0xdf;
    }
    int status = DEC_OK;
    compute_asize(&d);
    const x86_entry *leaf = walk(&d, e, &status);
    if (status == DEC_TRUNC)
        return finish_truncated(&d);
    if (leaf && leaf->mnemonic == X86_MN_nop && !d.vex && d.last_rep != NO_PREFIX)
        d.pfx_used[d.last_rep] = 0;   /* a hint nop takes no F2/F3 part: "repz nop ecx" (0F 1E) */
    if (!leaf || (leaf->mnemonic == X86_MN_BAD && !d.amd3dnow) ||
        (d.mode64 && (leaf->flags & F_I64)) || (!d.mode64 && (leaf->flags & F_O64))) {
        size_t length = d.opcode_end;
        if (d.x87) {
            /* objdump consumes an x87 escape's ModRM (and memory operand) even when invalid. */
            x86_operand mem;
            int is_mem;
            memset(&mem, 0, sizeof mem);
            if (consume_modrm(&d, &mem, &is_mem) == DEC_TRUNC)
                return finish_truncated(&d);
            length = d.pos;
        }
        if (d.vex && (d.vvvv | d.evex_vv) != 0)
            d.bare_bad = 1;   /* objdump checks an unused VEX.vvvv even on an invalid opcode */
        mark_used_prefixes(&d);
        list_prefixes(&d, 0);
        evex_bad_marks(&d);
        return finish_bad(&d, length);
    }
    d.leaf = leaf;
    size_t n = decode_leaf(&d);
    if (out->flags & X86_IF_TRUNCATED)
        return n;
    if (d.amd3dnow)
        return name_3dnow(&d);
    if (out->mnemonic == X86_MN_BAD && !out->shown_mnemonic) {
        list_prefixes(&d, 0);
        evex_bad_marks(&d);
        return n;
    }
    if (d.npfx) {
        mark_used_prefixes(&d);
        name_prefixes(&d);
        list_prefixes(&d, 0);
    }
    if (d.fwait)
        apply_fwait(out);
    return n;
}

/* ---- the fast path ----------------------------------------------------------------------- */

/* Most code is general-purpose instructions of the one-byte and 0F maps with no prefix but a 66
 * and a REX: mov, lea, call, jcc, push, add, cmp, test, movzx... For those x86_fast_table.c (made
 * from the same tables by tools/gen_x86_fast.c, with the general path's rules) holds one entry per
 * mode, opcode, 66, REX.W, register-or-memory ModRM and ModRM.reg that says all the general path
 * would work out: mnemonic, operand count, kinds, sizes, size keywords, register classes, the
 * immediate's size, branch kind, which prefixes took part. decode_fast finds the entry with two
 * lookups, then reads only what changes from one instruction of the same opcode to the next:
 * register numbers, the memory operand, the immediate, the length. Entry 0 (other prefixes, VEX,
 * x87, SSE or system operands, suffixes, invalid slots) and fewer than 24 bytes left (so nothing
 * read can be past the end) go to the general path. */

#define FAST_MIN_BYTES 24

/* The memory operand of ModRM (32- or 64-bit addressing, no segment); p is past the ModRM byte.
 * Returns the position after the SIB byte and displacement, which goes to *disp (not op->value:
 * the operands' values are written after the immediate is read). */
static inline size_t fast_mem(const uint8_t *code, size_t p, unsigned modrm, unsigned rex, int mode64,
                              x86_operand *op, unsigned *rex_x, int *rip, int64_t *disp)
{
    unsigned mod = modrm >> 6, rm = modrm & 7;
    int cls = mode64 ? X86_RC_GPR64 : X86_RC_GPR32;
    int disp_size = mod == 1 ? 1 : mod == 2 ? 4 : 0;
    x86_reg base = 0, index = 0;
    uint8_t scale = 0;
    if (rm == 4) {
        unsigned sib = code[p++];
        unsigned ss = sib >> 6, ix = ((sib >> 3) & 7) | ((rex & 2) << 2), b = (sib & 7) | ((rex & 1) << 3);
        *rex_x = 2;
        int no_base = (sib & 7) == 5 && mod == 0;
        if (no_base)
            disp_size = 4;
        if (ix != 4)
            index = X86_REG_MAKE(cls, ix);
        else if (ss != 0 || (!no_base && (b & 7) != 4) || (no_base && !mode64))
            index = X86_REG_MAKE(X86_RC_RIZ, mode64 ? 0 : 1);   /* see decode_mem */
        if (index)
            scale = (uint8_t)(1 << ss);
        if (!no_base)
            base = X86_REG_MAKE(cls, b);
    } else if (rm == 5 && mod == 0) {
        disp_size = 4;
        if (mode64) {
            base = X86_REG_MAKE(X86_RC_IP, 0);
            *rip = 1;
        }
    } else {
        base = X86_REG_MAKE(cls, rm | ((rex & 1) << 3));
    }
    op->reg = base;
    op->index = index;
    op->scale = scale;
    if (disp_size) {
        *disp = disp_size == 1 ? (int8_t)code[p] : (int32_t)pmm_le32(code + p);
        op->flags |= X86_OPF_DISP;
        p += (size_t)disp_size;
    }
    return p;
}

/* What REX.R and REX.B add to the register numbers (x86_fast.reg_shift's word). */
static const uint32_t fast_rex_numbers[16] = {
#define FAST_REX(r) ((((r) & 4u) << 1) << X86_FR_G | (((r) & 1u) << 3) << X86_FR_E | (((r) & 1u) << 3) << X86_FR_Z)
    FAST_REX(0), FAST_REX(1), FAST_REX(2), FAST_REX(3), FAST_REX(4), FAST_REX(5), FAST_REX(6), FAST_REX(7),
    FAST_REX(8), FAST_REX(9), FAST_REX(10), FAST_REX(11), FAST_REX(12), FAST_REX(13), FAST_REX(14), FAST_REX(15),
#undef FAST_REX
};

_Static_assert(sizeof(x86_fast_op) == 8 && offsetof(x86_operand, type) == offsetof(x86_fast_op, type) &&
               offsetof(x86_operand, mem_size) == offsetof(x86_fast_op, mem_size) &&
               offsetof(x86_operand, flags) == offsetof(x86_fast_op, flags) &&
               offsetof(x86_operand, size) == offsetof(x86_fast_op, size) &&
               offsetof(x86_operand, reg) == offsetof(x86_fast_op, reg) &&
               offsetof(x86_operand, index) == offsetof(x86_fast_op, index) && offsetof(x86_operand, scale) == 8 &&
               offsetof(x86_operand, value) == 16,
               "x86_fast_op is x86_operand's first eight bytes");

/* An operand from its entry's first eight bytes plus what its register field gets (the number, and
 * with a REX a byte register's other class), the rest zero. On a little-endian host the eight bytes
 * are one word built in a register: one store rather than a copy and a store into it. */
/* A bare REX takes part in a byte register only when it makes spl, bpl, sil or dil of 4-7 (objdump
 * names it "rex" otherwise: "rex setp bl"). Called only when an entry has a byte register. */
static int byte_register_needs_rex(const x86_operand *ops)
{
    for (int i = 0; i < 3; i++)
        if (ops[i].type == X86_OP_REG && X86_REG_CLASS(ops[i].reg) == X86_RC_GPR8REX && X86_REG_NUM(ops[i].reg) >= 4)
            return 1;
    return 0;
}

static inline void fast_operand(x86_operand *o, const x86_fast_op *t, unsigned reg_add)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    memcpy(o, t, sizeof *t);
    o->reg = (x86_reg)(t->reg + reg_add);
    o->scale = 0;
    o->segment = 0;
    o->far_seg = 0;
#else
    uint64_t head, zero = 0;
    memcpy(&head, t, sizeof head);
    head += (uint64_t)reg_add << (8 * offsetof(x86_fast_op, reg));
    memcpy(o, &head, sizeof head);
    memcpy((uint8_t *)o + sizeof head, &zero, sizeof zero);   /* scale, segment, far_seg */
#endif
    o->value = 0;
}

static size_t decode_fast(const uint8_t *code, size_t len, uint64_t address, int bits, x86_insn *out)
{
    if (len < FAST_MIN_BYTES)
        return 0;
    int mode64 = bits == 64;
    /* the prefixes it takes: a 66, then a REX */
    unsigned has66 = code[0] == 0x66;
    size_t p = has66;
    unsigned rex = code[p];
    rex = mode64 && (rex & 0xf0) == 0x40 ? rex : 0;
    p += rex != 0;
    size_t prefix_count = p;
    unsigned op = code[p];
    unsigned map0f = op == 0x0f;
    unsigned idx = map0f ? 256u + code[p + 1] : op;
    p += 1 + map0f;
    unsigned last_opcode = code[p - 1], modrm = code[p];   /* the ModRM read ahead: there may be none */
    const x86_fast_opcode *oc = &x86_fast_opcodes[mode64][idx];
    unsigned key = has66 | ((rex >> 2) & X86_FK_W) | (modrm >= 0xc0 ? (unsigned)X86_FK_MOD3 : 0u) |
                   (((modrm >> 3) & 7) << X86_FK_REG_SHIFT);
    unsigned slot = x86_fast_slots[oc->base + (key & oc->mask)];
    const x86_fast *f = &x86_fast_entries[slot];
    unsigned ctl = f->ctl;
    if (!slot || (rex & ctl & X86_FC_NO_REX_B))
        return 0;
    p += (ctl / X86_FC_MODRM) & 1;
    /* the entry's fields in locals: the stores to *out below could alias it for the compiler */
    unsigned mem_slot = f->mem_slot, imm_slot = f->imm_slot, imm_bytes = f->imm_bytes;
    uint64_t imm_shift = f->imm_shift;
    unsigned rex_uses = f->rex_used, iflags = f->iflags;
    uint16_t mnemonic = f->mnemonic;
    uint8_t branch = f->branch, operand_count = f->operand_count, opsize = f->opsize;
    /* the operands as the entry has them, with their register numbers; with a REX, the byte
     * registers' other class, selected without a branch (a REX or not changes from one
     * instruction to the next) */
    uint32_t numbers = ((modrm >> 3) & 7) << X86_FR_G | (modrm & 7) << X86_FR_E | (last_opcode & 7) << X86_FR_Z |
                       fast_rex_numbers[rex & 15];
    unsigned with_rex = 0 - (unsigned)(rex != 0);
    fast_operand(&out->ops[0], &f->op[0],
                 (((unsigned)f->reg_rex[0] - f->op[0].reg) & with_rex) + ((numbers >> f->reg_shift[0]) & 0x1f));
    fast_operand(&out->ops[1], &f->op[1],
                 (((unsigned)f->reg_rex[1] - f->op[1].reg) & with_rex) + ((numbers >> f->reg_shift[1]) & 0x1f));
    fast_operand(&out->ops[2], &f->op[2],
                 (((unsigned)f->reg_rex[2] - f->op[2].reg) & with_rex) + ((numbers >> f->reg_shift[2]) & 0x1f));

    unsigned rex_x = 0;
    int rip = 0;
    int64_t disp = 0;
    if (ctl & X86_FC_MEM)
        p = fast_mem(code, p, modrm, rex, mode64, &out->ops[mem_slot], &rex_x, &rip, &disp);
    /* the immediate (or relative displacement), read whole and cut to its size */
    uint64_t raw = pmm_le64(code + p);
    uint64_t imm = (ctl & X86_FC_SIGNED) ? (uint64_t)((int64_t)(raw << imm_shift) >> imm_shift)
                                         : (raw << imm_shift) >> imm_shift;
    imm = (imm & (0 - (uint64_t)(imm_bytes != 0))) | ((ctl / X86_FC_ONE) & 1);
    p += imm_bytes;
    uint64_t target = address + p + imm;
    target = mode64 ? target : target & 0xffffffffu;
    imm = (ctl & X86_FC_REL) ? target : imm;
    out->ops[mem_slot].value = disp;   /* slot 3 when there is no memory operand */
    out->ops[imm_slot].value = (int64_t)imm;

    memset(out, 0, offsetof(x86_insn, ops));
    out->address = address;
    out->length = (uint8_t)p;
    out->mode = (uint8_t)(mode64 ? 64 : 32);
    out->mnemonic = mnemonic;
    out->branch = branch;
    out->operand_count = operand_count;
    out->opsize = opsize;
    out->adsize = (uint8_t)(mode64 ? 8 : 4);
    out->prefix_count = (uint8_t)prefix_count;
    out->flags = (uint16_t)(iflags | (rip ? X86_IF_RIP_MEM : 0));
    out->target = (ctl & X86_FC_REL) ? imm : 0;
    out->mem_target = rip ? address + p + (uint64_t)disp : 0;
    /* the prefixes that took no part, in order: a 66 no operand size used, a REX not used all of */
    unsigned used = rex & (rex_uses | rex_x) & 0x0f;
    unsigned rex_used = used | ((used || ((rex_uses & 0x40) && byte_register_needs_rex(out->ops))) ? 0x40 : 0);
    unsigned shown = 0;
    if (has66 & (ctl / X86_FC_DATA16))
        out->shown_prefixes[shown++] = X86_PN_DATA16;
    if (rex && rex != rex_used)
        out->shown_prefixes[shown++] = (uint8_t)rex;
    out->shown_prefix_count = (uint8_t)shown;
    return p;
}

size_t x86_decode(const uint8_t *code, size_t len, uint64_t address, int bits, x86_insn *out)
{
    size_t n = decode_fast(code, len, address, bits, out);
    if (n)
        return n;
    n = decode(code, len, address, bits, out);
    if (n > X86_MAX_LENGTH) {
        /* longer than any instruction may be: objdump's "(bad)" of 15 bytes, prefixes still named */
        out->mnemonic = X86_MN_BAD;
        out->operand_count = 0;
        out->branch = X86_BR_NONE;
        out->flags &= (uint16_t)~(X86_IF_RELATIVE | X86_IF_RIP_MEM | X86_IF_INDIRECT);
        out->length = X86_MAX_LENGTH;
        n = X86_MAX_LENGTH;
    }
    return n;
}
