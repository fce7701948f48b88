/* Intel syntax as objdump writes it. Every spelling choice here (operand size keywords, "+0x0" when
 * a displacement is encoded, masks of sign-extended immediates, unused prefixes named before the
 * mnemonic, the "# address" comment after rip-relative operands) follows binutils' i386-dis.c
 * output, so listings compare with objdump's after only whitespace is normalised. */
#include "x86_format.h"

#include <stdio.h>
#include <string.h>

static const char *const mnemonic_names[] = {
#define X86_MN_NAME(id, text) text,
    X86_MNEMONIC_LIST(X86_MN_NAME)
#undef X86_MN_NAME
};

const char *x86_mnemonic_name(unsigned mnemonic)
{
    return mnemonic < X86_MN_COUNT ? mnemonic_names[mnemonic] : "(bad)";
}

typedef struct out {
    char *buf;
    size_t cap, len;
} out;

static void put(out *o, const char *s)
{
    size_t n = strlen(s);
    if (o->cap && o->len < o->cap - 1) {
        size_t room = o->cap - 1 - o->len;
        memcpy(o->buf + o->len, s, n < room ? n : room);
    }
    o->len += n;
    if (o->cap)
        o->buf[o->len < o->cap ? o->len : o->cap - 1] = '\0';
}

/* "0x1a2b": written by hand, as printf costs more than the rest of an instruction's text. */
static void putf_hex(out *o, uint64_t v)
{
    char tmp[20];
    char *p = tmp + sizeof tmp;
    *--p = '\0';
    do {
        *--p = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v);
    *--p = 'x';
    *--p = '0';
    put(o, p);
}

/* prefix + decimal n + suffix into buf (at most 8 bytes with the NUL) */
static const char *numbered(char buf[8], const char *prefix, int n, const char *suffix)
{
    char *p = buf;
    while (*prefix)
        *p++ = *prefix++;
    if (n >= 10)
        *p++ = (char)('0' + n / 10);
    *p++ = (char)('0' + n % 10);
    while (*suffix)
        *p++ = *suffix++;
    *p = '\0';
    return buf;
}

const char *x86_reg_name(x86_reg reg, char buf[8])
{
    static const char *const gpr8[] = { "al", "cl", "dl", "bl", "ah", "ch", "dh", "bh" };
    static const char *const gpr8rex[] = { "al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil" };
    static const char *const gpr16[] = { "ax", "cx", "dx", "bx", "sp", "bp", "si", "di" };
    static const char *const gpr32[] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi" };
    static const char *const gpr64[] = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi" };
    static const char *const seg[] = { "es", "cs", "ss", "ds", "fs", "gs", "?", "?" };
    int n = X86_REG_NUM(reg);
    switch (X86_REG_CLASS(reg)) {
    case X86_RC_GPR8:
        return gpr8[n & 7];
    case X86_RC_GPR8REX:
        if (n < 8)
            return gpr8rex[n];
        return numbered(buf, "r", n, "b");
    case X86_RC_GPR16:
        if (n < 8)
            return gpr16[n];
        return numbered(buf, "r", n, "w");
    case X86_RC_GPR32:
        if (n < 8)
            return gpr32[n];
        return numbered(buf, "r", n, "d");
    case X86_RC_GPR64:
        if (n < 8)
            return gpr64[n];
        return numbered(buf, "r", n, "");
    case X86_RC_SEG: return seg[n & 7];
    case X86_RC_CR: return numbered(buf, "cr", n, "");
    case X86_RC_DR: return numbered(buf, "dr", n, "");
    case X86_RC_ST: return numbered(buf, "st(", n, ")");
    case X86_RC_MMX: return numbered(buf, "mm", n, "");
    case X86_RC_XMM: return numbered(buf, "xmm", n, "");
    case X86_RC_YMM: return numbered(buf, "ymm", n, "");
    case X86_RC_ZMM: return numbered(buf, "zmm", n, "");
    case X86_RC_MASK: return numbered(buf, "k", n, "");
    case X86_RC_BND: return numbered(buf, "bnd", n, "");
    case X86_RC_TMM: return numbered(buf, "tmm", n, "");
    case X86_RC_IP: return n ? "eip" : "rip";
    case X86_RC_RIZ: return n ? "eiz" : "riz";
    default: return "?";
    }
}

static const char *prefix_text(uint8_t name, char buf[12])
{
    static const char *const names[] = {
        [X86_PN_LOCK] = "lock", [X86_PN_REPZ] = "repz", [X86_PN_REPNZ] = "repnz", [X86_PN_REP] = "rep",
        [X86_PN_BND] = "bnd", [X86_PN_NOTRACK] = "notrack", [X86_PN_XACQUIRE] = "xacquire",
        [X86_PN_XRELEASE] = "xrelease", [X86_PN_ES] = "es", [X86_PN_CS] = "cs", [X86_PN_SS] = "ss",
        [X86_PN_DS] = "ds", [X86_PN_FS] = "fs", [X86_PN_GS] = "gs", [X86_PN_DATA16] = "data16",
        [X86_PN_DATA32] = "data32", [X86_PN_ADDR16] = "addr16", [X86_PN_ADDR32] = "addr32",
        [X86_PN_ADDR64] = "addr64", [X86_PN_FWAIT] = "fwait",
    };
    if (name >= 0x40 && name <= 0x4f) {
        strcpy(buf, "rex");
        if (name & 0xf) {
            strcat(buf, ".");
            if (name & 8) strcat(buf, "W");
            if (name & 4) strcat(buf, "R");
            if (name & 2) strcat(buf, "X");
            if (name & 1) strcat(buf, "B");
        }
        return buf;
    }
    return name < sizeof names / sizeof names[0] && names[name] ? names[name] : "?";
}

static const char *const mem_keywords[] = {
    [X86_MS_BYTE] = "BYTE PTR ", [X86_MS_WORD] = "WORD PTR ", [X86_MS_DWORD] = "DWORD PTR ",
    [X86_MS_FWORD] = "FWORD PTR ", [X86_MS_QWORD] = "QWORD PTR ", [X86_MS_TBYTE] = "TBYTE PTR ",
    [X86_MS_OWORD] = "OWORD PTR ", [X86_MS_XMMWORD] = "XMMWORD PTR ", [X86_MS_YMMWORD] = "YMMWORD PTR ",
    [X86_MS_ZMMWORD] = "ZMMWORD PTR ",
};

static const char *const seg_names[] = { "", "es", "cs", "ss", "ds", "fs", "gs" };

/* objdump's print_displacement: signed, "-0x8", "+0x0". */
static void put_disp(out *o, int64_t disp, int first)
{
    if (disp < 0) {
        put(o, "-");
        putf_hex(o, (uint64_t)0 - (uint64_t)disp);
    } else {
        if (!first)
            put(o, "+");
        putf_hex(o, (uint64_t)disp);
    }
}

static void put_mem(out *o, const x86_insn *in, const x86_operand *op)
{
    char rb[8];
    if (op->flags & X86_OPF_BCST) {
        put(o, op->mem_size == X86_MS_QWORD ? "QWORD BCST " : op->mem_size == X86_MS_WORD ? "WORD BCST " : "DWORD BCST ");
    } else if (op->mem_size && op->mem_size < sizeof mem_keywords / sizeof mem_keywords[0]) {
        put(o, mem_keywords[op->mem_size]);
    }
    int has_base = op->reg != 0, has_index = op->index != 0;
    if (op->flags & X86_OPF_STRING) {
        put(o, seg_names[op->segment]);
        put(o, ":[");
        put(o, x86_reg_name(op->reg, rb));
        put(o, "]");
        return;
    }
    if (op->segment) {
        put(o, seg_names[op->segment]);
        put(o, ":");
    }
    if (!has_base && !has_index) {
        /* An absolute address: "ds:0x1234" (the segment is always shown). */
        if (!op->segment)
            put(o, "ds:");
        uint64_t a = (uint64_t)op->value;
        if (op->flags & X86_OPF_MOFFS)
            a = (uint64_t)op->value;   /* read at the address size already */
        else if (in->adsize == 4)
            a &= 0xffffffffu;
        else if (in->adsize == 2)
            a &= 0xffffu;
        putf_hex(o, a);
        return;
    }
    put(o, "[");
    if (has_base)
        put(o, x86_reg_name(op->reg, rb));
    if (has_index) {
        if (has_base)
            put(o, "+");
        put(o, x86_reg_name(op->index, rb));
        static const char *const scales[] = { "*1", "*1", "*2", "*1", "*4", "*1", "*1", "*1", "*8" };
        if (in->adsize != 2)   /* 16-bit addressing has no scale: [bx+si] */
            put(o, scales[op->scale <= 8 ? op->scale : 1]);
    }
    if (X86_REG_CLASS(op->reg) == X86_RC_IP) {
        /* objdump prints a rip-relative displacement unsigned, as 64 bits */
        put(o, "+");
        putf_hex(o, (uint64_t)op->value);
    } else if (op->flags & X86_OPF_DISP) {
        put_disp(o, in->adsize == 2 ? (int64_t)(int16_t)op->value : op->value, 0);
    }
    put(o, "]");
    if (op->flags & X86_OPF_BAD_BCST)
        put(o, "{bad}");
    if ((op->flags & X86_OPF_BCST) && (in->flags & X86_IF_BCST_COUNT)) {
        char count[12];
        snprintf(count, sizeof count, "{1to%u}", (unsigned)in->evex_bcst);
        put(o, count);
    }
}

static void put_symbol(out *o, uint64_t addr, x86_symbolizer symbolize, void *ctx)
{
    char name[128];
    if (symbolize && symbolize(ctx, addr, name, sizeof name)) {
        put(o, " <");
        put(o, name);
        put(o, ">");
    }
}

static void put_operand(out *o, const x86_insn *in, const x86_operand *op, x86_symbolizer symbolize, void *ctx)
{
    char rb[8];
    switch (op->type) {
    case X86_OP_REG:
        if (X86_REG_CLASS(op->reg) == X86_RC_ST && op->size == 0)
            put(o, "st");
        else
            put(o, x86_reg_name(op->reg, rb));
        break;
    case X86_OP_MEM:
        put_mem(o, in, op);
        break;
    case X86_OP_IMM: {
        uint64_t v = (uint64_t)op->value;
        if (op->size == 0 && v == 1 && !(op->flags & X86_OPF_IMM_SIGNED)) {
            put(o, "1");
            break;
        }
        if (op->size == 1)
            v &= 0xff;
        else if (op->size == 2)
            v &= 0xffff;
        else if (op->size == 4)
            v &= 0xffffffffu;
        putf_hex(o, v);
        break;
    }
    case X86_OP_REL:
        putf_hex(o, (uint64_t)op->value);
        put_symbol(o, (uint64_t)op->value, symbolize, ctx);
        break;
    case X86_OP_BAD:
        put(o, "(bad)");
        break;
    case X86_OP_FAR:
        putf_hex(o, op->far_seg);
        put(o, ":");
        putf_hex(o, (uint64_t)op->value);
        break;
    default:
        break;
    }
}

static const char *const cmp_predicates[32] = {
    "eq", "lt", "le", "unord", "neq", "nlt", "nle", "ord", "eq_uq", "nge", "ngt", "false", "neq_oq", "ge",
    "gt", "true", "eq_os", "lt_oq", "le_oq", "unord_s", "neq_us", "nlt_uq", "nle_uq", "ord_s", "eq_us",
    "nge_uq", "ngt_uq", "false_os", "neq_os", "ge_oq", "gt_oq", "true_us",
};

/* How many trailing operands the pseudo-op name absorbs (the predicate immediate). */
static int pseudo_op(const x86_insn *in, char *name, size_t cap)
{
    /* an invalid encoding objdump still shows by name ("vcmplt_oqss k0,xmm0,[rax]{bad}") is named so */
    unsigned mnemonic = in->mnemonic == X86_MN_BAD && in->shown_mnemonic ? in->shown_mnemonic : in->mnemonic;
    const char *base = x86_mnemonic_name(mnemonic);
    const x86_operand *last = in->operand_count ? &in->ops[in->operand_count - 1] : NULL;
    size_t blen = strlen(base);
    int vex = (in->flags & (X86_IF_VEX | X86_IF_EVEX)) != 0;
    if (last && last->type == X86_OP_IMM && blen >= 5 && strncmp(base + (vex ? 1 : 0), "cmp", 3) == 0 &&
        (!strcmp(base + blen - 2, "ps") || !strcmp(base + blen - 2, "pd") || !strcmp(base + blen - 2, "ss") ||
         !strcmp(base + blen - 2, "sd") || !strcmp(base + blen - 2, "ph") || !strcmp(base + blen - 2, "sh")) &&
        blen == (size_t)(5 + vex)) {
        uint64_t p = (uint64_t)last->value & 0xff;
        if (p < (vex ? 32u : 8u)) {
            snprintf(name, cap, "%.*s%s%s", (int)(3 + vex), base, cmp_predicates[p], base + blen - 2);
            return 1;
        }
    }
    if (last && last->type == X86_OP_IMM && (in->flags & X86_IF_EVEX) && !strncmp(base, "vpcmp", 5) &&
        (blen == 6 || (blen == 7 && base[5] == 'u'))) {
        /* vpcmp{,u}{b,w,d,q} with a predicate: vpcmpltd, vpcmpnequb (0 eq 1 lt 2 le 4 neq 5 nlt 6 nle) */
        static const char *const preds[8] = { "eq", "lt", "le", NULL, "neq", "nlt", "nle", NULL };
        uint64_t p = (uint64_t)last->value & 0xff;
        if (p < 8 && preds[p]) {
            snprintf(name, cap, "vpcmp%s%s", preds[p], base + 5);
            return 1;
        }
    }
    if (last && last->type == X86_OP_IMM && (in->flags & X86_IF_VEX) && !strncmp(base, "vpcom", 5) &&
        (blen == 6 || blen == 7)) {
        /* XOP vpcom{,u}{b,w,d,q} with a predicate 0-7: vpcomltb, vpcomnequd, vpcomtrueq */
        static const char *const preds[8] = { "lt", "le", "gt", "ge", "eq", "neq", "false", "true" };
        uint64_t p = (uint64_t)last->value & 0xff;
        if (p < 8) {
            snprintf(name, cap, "vpcom%s%s", preds[p], base + 5);
            return 1;
        }
    }
    if (last && last->type == X86_OP_IMM && (mnemonic == X86_MN_pclmulqdq || mnemonic == X86_MN_vpclmulqdq)) {
        uint64_t p = (uint64_t)last->value & 0xff;
        static const char *const parts[] = { "lqlq", "hqlq", "lqhq", "hqhq" };
        int k = p == 0x00 ? 0 : p == 0x01 ? 1 : p == 0x10 ? 2 : p == 0x11 ? 3 : -1;
        if (k >= 0) {
            snprintf(name, cap, "%.*s%sdq", (int)(blen - 3), base, parts[k]);
            return 1;
        }
    }
    size_t n = strlen(base), m = strlen(in->suffix);
    if (n + m >= cap)
        n = m = 0;
    memcpy(name, base, n);
    memcpy(name + n, in->suffix, m);
    name[n + m] = '\0';
    return 0;
}

static const char *const rounding[] = { "", "{rn-sae}", "{rd-sae}", "{ru-sae}", "{rz-sae}", "{sae}",
                                         "{rn-bad}", "{rd-bad}", "{ru-bad}", "{rz-bad}" };

/* EVEX masking after the first operand: "{k1}{z}". */
static void put_masking(out *o, const x86_insn *in)
{
    char k[8];
    if (in->evex_mask) {
        put(o, "{");
        put(o, x86_reg_name(X86_REG_MAKE(X86_RC_MASK, in->evex_mask), k));
        put(o, "}");
    }
    if (in->flags & X86_IF_EVEX_Z)
        put(o, "{z}");
}

/* An invalid EVEX encoding as objdump shows it: "(bad)  {k1}{z},{rn-bad}". */
static void put_bad_marks(out *o, const x86_insn *in)
{
    put(o, "(bad)");
    size_t width = o->len;
    do
        put(o, " ");
    while (++width < 7);
    put_masking(o, in);
    if (in->evex_mask && in->evex_rc)
        put(o, ",");
    put(o, rounding[in->evex_rc < sizeof rounding / sizeof rounding[0] ? in->evex_rc : 0]);
}

size_t x86_format_mnemonic(const x86_insn *insn, char *buf, size_t cap)
{
    pseudo_op(insn, buf, cap);
    return strlen(buf);
}

size_t x86_format(const x86_insn *in, char *buf, size_t cap, x86_symbolizer symbolize, void *ctx)
{
    out o = { buf, cap, 0 };
    char pb[12];
    if (cap)
        buf[0] = '\0';
    if (in->flags & X86_IF_TRUNCATED) {
        if (in->shown_prefix_count) {
            put(&o, prefix_text(in->shown_prefixes[0], pb));
        } else {
            char tmp[16];
            snprintf(tmp, sizeof tmp, ".byte 0x%x", (unsigned)(in->operand_count ? in->ops[0].value : 0) & 0xff);
            put(&o, tmp);
        }
        return o.len;
    }
    for (int i = 0; i < in->shown_prefix_count; i++) {
        put(&o, prefix_text(in->shown_prefixes[i], pb));
        if (i + 1 < in->shown_prefix_count || in->mnemonic != X86_MN_BAD || in->shown_mnemonic ||
            in->length > in->prefix_count)
            put(&o, " ");
    }
    if (in->mnemonic == X86_MN_BAD && !in->shown_mnemonic && in->length <= in->prefix_count) {
        /* prefixes alone: objdump prints them without a trailing space */
        return o.len;
    }
    if (in->mnemonic == X86_MN_BAD && !in->operand_count && (in->evex_mask || in->evex_rc)) {
        put_bad_marks(&o, in);
        return o.len;
    }
    if (in->flags & X86_IF_EVEX_AS_VEX)
        put(&o, "{evex} ");
    if (in->flags & X86_IF_VEX_SHOWN)
        put(&o, "{vex} ");
    char name[40];
    int absorbed = pseudo_op(in, name, sizeof name);
    put(&o, name);
    int count = in->operand_count - absorbed;
    if (count > 0) {
        size_t width = o.len;
        do
            put(&o, " ");
        while (++width < 7);
    }
    int rip_op = -1, rc_op = -1;
    if (in->evex_rc)
        for (int i = 0; i < count; i++)
            if (in->ops[i].type == X86_OP_REG)
                rc_op = i;   /* {rn-sae} follows the last register operand */
    for (int i = 0; i < count; i++) {
        if (i)
            put(&o, ",");
        put_operand(&o, in, &in->ops[i], symbolize, ctx);
        if (i == 0)
            put_masking(&o, in);
        if (i == rc_op) {
            put(&o, rounding[in->evex_rc < sizeof rounding / sizeof rounding[0] ? in->evex_rc : 0]);
        }
        if (in->ops[i].type == X86_OP_MEM && X86_REG_CLASS(in->ops[i].reg) == X86_RC_IP)
            rip_op = i;
    }
    if (rip_op >= 0) {
        put(&o, "        # ");
        putf_hex(&o, in->mem_target);
        put_symbol(&o, in->mem_target, symbolize, ctx);
    }
    return o.len;
}
