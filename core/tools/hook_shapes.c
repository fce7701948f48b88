/* Hook sequences recognised instruction by instruction with the x86 decoder (core/formats/
 * x86_decode.h): any encoding of the same instructions matches (a REX.W jmp [rip+x], mov r11, imm
 * with jmp r11, ...), and lengths come from the decoder rather than from fixed byte patterns. */
#include "hook_shapes.h"

#include <string.h>
#include "../formats/x86_decode.h"

static uint64_t wrap(uint64_t address, uint32_t pointer_size)
{
    return pointer_size == 4 ? (address & 0xFFFFFFFFu) : address;
}

static int set(pmm_hook_shape *out, uint32_t kind, size_t length, uint64_t target, int indirect)
{
    out->kind = kind;
    out->length = (uint32_t)length;
    out->target = target;
    out->indirect = indirect;
    return 1;
}

/* Decodes the instruction at code[at]; 0 when there is none (past the end, invalid, truncated). */
static size_t decode(const uint8_t *code, size_t avail, size_t at, uint64_t address, uint32_t ps, x86_insn *insn)
{
    if (at >= avail)
        return 0;
    size_t n = x86_decode(code + at, avail - at, address + at, (int)ps * 8, insn);
    return insn->mnemonic == X86_MN_BAD ? 0 : n;
}

/* A memory operand that names one fixed address: rip-relative, or an absolute disp32 (x86). */
static int fixed_pointer(const x86_insn *insn, uint64_t *pointer)
{
    const x86_operand *m = &insn->ops[0];
    if (m->type != X86_OP_MEM || m->index)
        return 0;
    if (insn->flags & X86_IF_RIP_MEM)
        return (*pointer = insn->mem_target), 1;
    if (m->reg || insn->mode != 32)
        return 0;
    *pointer = (uint32_t)m->value;
    return 1;
}

/* jmp/call rel, jmp/call [pointer]. x64's jmp [rip+0] keeps its pointer right after itself: those
 * 8 bytes are the hook's too. */
static int match_branch(const x86_insn *insn, size_t n, uint32_t ps, pmm_hook_shape *out)
{
    int call = insn->branch == X86_BR_CALL;
    if (insn->branch != X86_BR_JMP && !call)
        return 0;
    if (insn->flags & X86_IF_RELATIVE) {
        uint32_t kind = call ? PMM_HOOK_CALL_REL32 : n == 2 ? PMM_HOOK_JMP_REL8 : PMM_HOOK_JMP_REL32;
        return set(out, kind, n, wrap(insn->target, ps), 0);
    }
    uint64_t pointer;
    if (!(insn->flags & X86_IF_INDIRECT) || !fixed_pointer(insn, &pointer))
        return 0;
    size_t length = (insn->flags & X86_IF_RIP_MEM) && pointer == insn->address + n ? n + 8 : n;
    return set(out, call ? PMM_HOOK_CALL_MEM : PMM_HOOK_JMP_MEM, length, pointer, 1);
}

static int is_gpr(const x86_operand *op, uint32_t ps)
{
    return op->type == X86_OP_REG && X86_REG_CLASS(op->reg) == (ps == 8 ? X86_RC_GPR64 : X86_RC_GPR32);
}

/* mov reg, imm then jmp reg, or push reg; ret. */
static int match_register(const uint8_t *code, size_t avail, uint64_t address, uint32_t ps, const x86_insn *mov,
                          size_t n, pmm_hook_shape *out)
{
    if ((mov->mnemonic != X86_MN_mov && mov->mnemonic != X86_MN_movabs) || !is_gpr(&mov->ops[0], ps) ||
        mov->ops[1].type != X86_OP_IMM)
        return 0;
    uint64_t target = wrap((uint64_t)mov->ops[1].value, ps);
    x86_insn next, ret;
    size_t m = decode(code, avail, n, address, ps, &next);
    if (!m)
        return 0;
    int same = next.ops[0].type == X86_OP_REG && next.ops[0].reg == mov->ops[0].reg;
    if (same && next.branch == X86_BR_JMP && (next.flags & X86_IF_INDIRECT))
        return set(out, PMM_HOOK_MOV_JMP, n + m, target, 0);
    size_t r;
    if (same && next.mnemonic == X86_MN_push && (r = decode(code, avail, n + m, address, ps, &ret)) &&
        ret.branch == X86_BR_RET && ret.operand_count == 0)
        return set(out, PMM_HOOK_MOV_PUSH_RET, n + m + r, target, 0);
    return 0;
}

/* mov dword ptr [rsp+4], imm32: the high half of a 64-bit return address pushed as push imm32. */
static int is_high_half_store(const x86_insn *insn)
{
    const x86_operand *m = &insn->ops[0];
    return insn->mnemonic == X86_MN_mov && m->type == X86_OP_MEM && m->mem_size == X86_MS_DWORD &&
           X86_REG_CLASS(m->reg) == X86_RC_GPR64 && X86_REG_NUM(m->reg) == 4 && !m->index && m->value == 4 &&
           insn->ops[1].type == X86_OP_IMM;
}

/* push imm32; ret, or on x64 push imm32; mov dword ptr [rsp+4], imm32; ret. */
static int match_push_ret(const uint8_t *code, size_t avail, uint64_t address, uint32_t ps, const x86_insn *push,
                          size_t n, pmm_hook_shape *out)
{
    if (push->mnemonic != X86_MN_push || push->ops[0].type != X86_OP_IMM || push->ops[0].size < 4)
        return 0;
    x86_insn next, ret;
    size_t m = decode(code, avail, n, address, ps, &next), r;
    if (!m)
        return 0;
    uint64_t low = wrap((uint64_t)push->ops[0].value, ps);
    if (next.branch == X86_BR_RET && next.operand_count == 0)
        return set(out, PMM_HOOK_PUSH_RET, n + m, low, 0);
    if (ps == 8 && is_high_half_store(&next) && (r = decode(code, avail, n + m, address, ps, &ret)) &&
        ret.branch == X86_BR_RET && ret.operand_count == 0)
        return set(out, PMM_HOOK_PUSH_RET, n + m + r,
                   (low & 0xFFFFFFFFu) | ((uint64_t)(uint32_t)next.ops[1].value << 32), 0);
    return 0;
}

int pmm_hook_shape_match(const uint8_t *code, size_t avail, uint64_t address, uint32_t pointer_size,
                         pmm_hook_shape *out)
{
    memset(out, 0, sizeof *out);
    if (pointer_size != 4 && pointer_size != 8)
        return 0;
    x86_insn insn;
    size_t n = decode(code, avail, 0, address, pointer_size, &insn);
    return n && (match_branch(&insn, n, pointer_size, out) ||
                 match_register(code, avail, address, pointer_size, &insn, n, out) ||
                 match_push_ret(code, avail, address, pointer_size, &insn, n, out));
}

const char *pmm_hook_shape_name(uint32_t kind)
{
    static const char *const names[PMM_HOOK_SHAPE_COUNT] = {
        "", "jmp rel32", "jmp rel8", "call rel32", "jmp [pointer]", "call [pointer]", "mov reg, imm; jmp reg",
        "mov reg, imm; push reg; ret", "push imm; ret",
    };
    return kind < PMM_HOOK_SHAPE_COUNT ? names[kind] : "?";
}
