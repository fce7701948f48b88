#include "hook_shapes.h"

#include <string.h>

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t le64(const uint8_t *p)
{
    return (uint64_t)le32(p) | ((uint64_t)le32(p + 4) << 32);
}

/* Addresses wrap at the process's pointer width, as the CPU computes them. */
static uint64_t wrap(uint64_t address, uint32_t pointer_size)
{
    return pointer_size == 4 ? (address & 0xFFFFFFFFu) : address;
}

static uint64_t relative(uint64_t next, int64_t displacement, uint32_t pointer_size)
{
    return wrap(next + (uint64_t)displacement, pointer_size);
}

static int set(pmm_hook_shape *out, uint32_t kind, uint32_t length, uint64_t target, int indirect)
{
    out->kind = kind;
    out->length = length;
    out->target = target;
    out->indirect = indirect;
    return 1;
}

/* jmp rel32, call rel32, jmp rel8. */
static int match_relative(const uint8_t *c, size_t n, uint64_t address, uint32_t ps, pmm_hook_shape *out)
{
    if (n >= 5 && (c[0] == 0xE9 || c[0] == 0xE8))
        return set(out, c[0] == 0xE9 ? PMM_HOOK_JMP_REL32 : PMM_HOOK_CALL_REL32, 5,
                   relative(address + 5, (int32_t)le32(c + 1), ps), 0);
    if (n >= 2 && c[0] == 0xEB)
        return set(out, PMM_HOOK_JMP_REL8, 2, relative(address + 2, (int8_t)c[1], ps), 0);
    return 0;
}

/* FF 25 / FF 15 with a 32-bit displacement: RIP-relative on x64, an absolute address on x86. On x64
 * "jmp [rip+0]" keeps its pointer right after the instruction, so those 8 bytes are the hook's too. */
static int match_memory(const uint8_t *c, size_t n, uint64_t address, uint32_t ps, pmm_hook_shape *out)
{
    if (n < 6 || c[0] != 0xFF || (c[1] != 0x25 && c[1] != 0x15))
        return 0;
    uint32_t kind = c[1] == 0x25 ? PMM_HOOK_JMP_MEM : PMM_HOOK_CALL_MEM;
    uint32_t disp = le32(c + 2);
    if (ps == 4)
        return set(out, kind, 6, disp, 1);
    uint32_t length = disp == 0 && n >= 14 ? 14 : 6;
    return set(out, kind, length, relative(address + 6, (int32_t)disp, ps), 1);
}

/* mov reg, imm (x86: B8+r imm32; x64: REX.W B8+r imm64) followed by jmp reg (FF E0+r) or
 * push reg; ret (50+r C3), with the REX.B prefix for r8..r15 on both. */
static int match_register(const uint8_t *c, size_t n, uint32_t ps, pmm_hook_shape *out)
{
    size_t at = 0;
    int extended = 0;
    if (ps == 8) {
        if (n < 2 || (c[0] != 0x48 && c[0] != 0x49))
            return 0;
        extended = c[0] == 0x49;
        at = 1;
    }
    if (n < at + 1 || c[at] < 0xB8 || c[at] > 0xBF)
        return 0;
    uint32_t reg = c[at] - 0xB8u;
    size_t imm_size = ps == 8 ? 8 : 4;
    at++;
    if (n < at + imm_size)
        return 0;
    uint64_t target = imm_size == 8 ? le64(c + at) : le32(c + at);
    at += imm_size;
    if (extended) {
        if (n < at + 1 || c[at] != 0x41)
            return 0;
        at++;
    }
    if (n >= at + 2 && c[at] == 0xFF && c[at + 1] == 0xE0 + reg)
        return set(out, PMM_HOOK_MOV_JMP, (uint32_t)at + 2, target, 0);
    if (n >= at + 2 && c[at] == 0x50 + reg && c[at + 1] == 0xC3)
        return set(out, PMM_HOOK_MOV_PUSH_RET, (uint32_t)at + 2, target, 0);
    return 0;
}

/* push imm32; ret, or on x64 push lo32; mov dword [rsp+4], hi32; ret (C7 44 24 04 imm32). */
static int match_push_ret(const uint8_t *c, size_t n, uint32_t ps, pmm_hook_shape *out)
{
    if (n < 6 || c[0] != 0x68)
        return 0;
    uint32_t low = le32(c + 1);
    if (c[5] == 0xC3)
        return set(out, PMM_HOOK_PUSH_RET, 6, ps == 8 ? (uint64_t)(int64_t)(int32_t)low : low, 0);
    static const uint8_t mov_high[4] = {0xC7, 0x44, 0x24, 0x04};
    if (ps == 8 && n >= 14 && memcmp(c + 5, mov_high, 4) == 0 && c[13] == 0xC3)
        return set(out, PMM_HOOK_PUSH_RET, 14, (uint64_t)low | ((uint64_t)le32(c + 9) << 32), 0);
    return 0;
}

int pmm_hook_shape_match(const uint8_t *code, size_t avail, uint64_t address, uint32_t pointer_size,
                         pmm_hook_shape *out)
{
    memset(out, 0, sizeof *out);
    if (pointer_size != 4 && pointer_size != 8)
        return 0;
    return match_relative(code, avail, address, pointer_size, out) ||
           match_memory(code, avail, address, pointer_size, out) ||
           match_register(code, avail, pointer_size, out) || match_push_ret(code, avail, pointer_size, out);
}

const char *pmm_hook_shape_name(uint32_t kind)
{
    static const char *const names[PMM_HOOK_SHAPE_COUNT] = {
        "", "jmp rel32", "jmp rel8", "call rel32", "jmp [pointer]", "call [pointer]", "mov reg, imm; jmp reg",
        "mov reg, imm; push reg; ret", "push imm; ret",
    };
    return kind < PMM_HOOK_SHAPE_COUNT ? names[kind] : "?";
}
