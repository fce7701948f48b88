/* The x86 decoder's API: lengths, branch kinds and targets of the instructions a hook is made of
 * (what the integrity scan classifies), truncated and over-long input, and reads that never pass the
 * buffer (each case decodes from a heap block of exactly its size, under AddressSanitizer).
 * The expected texts are objdump's (binutils 2.40, `objdump -D -b binary -M intel`). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "test_util.h"

#define CHECK_MSG(cond, ...)                                            \
    do {                                                                \
        if (!(cond)) {                                                  \
            fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);             \
            fprintf(stderr, __VA_ARGS__);                               \
            fprintf(stderr, "\n");                                      \
            check_failures_in_case++;                                   \
        }                                                               \
    } while (0)
#include "core/formats/x86_decode.h"
#include "core/formats/x86_format.h"

/* Decodes hex from an exact-size heap copy. */
static size_t decode_hex(const char *hex, uint64_t address, int bits, x86_insn *insn, char *text, size_t cap)
{
    size_t n = strlen(hex) / 2;
    uint8_t *bytes = malloc(n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        bytes[i] = (uint8_t)v;
    }
    size_t len = x86_decode(bytes, n, address, bits, insn);
    if (text)
        x86_format(insn, text, cap, NULL, NULL);
    free(bytes);
    return len;
}

static void expect(const char *hex, int bits, uint64_t address, const char *want, size_t want_len)
{
    x86_insn insn;
    char text[X86_FORMAT_CAP], norm[X86_FORMAT_CAP];
    size_t len = decode_hex(hex, address, bits, &insn, text, sizeof text);
    /* collapse the padding after the mnemonic */
    size_t j = 0;
    for (size_t i = 0; text[i]; i++)
        if (!(text[i] == ' ' && j && norm[j - 1] == ' '))
            norm[j++] = text[i];
    norm[j] = '\0';
    CHECK_MSG(!strcmp(norm, want), "%s (%d-bit): got '%s', want '%s'", hex, bits, norm, want);
    CHECK_MSG(len == want_len, "%s (%d-bit): length %zu, want %zu", hex, bits, len, want_len);
}

TEST_CASE(test_hook_shapes)
{
    x86_insn insn;
    /* jmp rel32 */
    CHECK(decode_hex("e9fb0f0000", 0x7ff600001000ull, 64, &insn, NULL, 0) == 5);
    CHECK(insn.mnemonic == X86_MN_jmp && insn.branch == X86_BR_JMP && (insn.flags & X86_IF_RELATIVE));
    CHECK(insn.target == 0x7ff600002000ull);
    /* jmp QWORD PTR [rip+0x10] */
    CHECK(decode_hex("ff2510000000", 0x1000, 64, &insn, NULL, 0) == 6);
    CHECK(insn.branch == X86_BR_JMP && (insn.flags & X86_IF_INDIRECT) && (insn.flags & X86_IF_RIP_MEM));
    CHECK(insn.mem_target == 0x1016);
    /* push imm32 / ret */
    CHECK(decode_hex("6878563412", 0x1000, 32, &insn, NULL, 0) == 5);
    CHECK(insn.mnemonic == X86_MN_push && insn.ops[0].type == X86_OP_IMM && insn.ops[0].value == 0x12345678);
    CHECK(decode_hex("c3", 0x1000, 32, &insn, NULL, 0) == 1 && insn.branch == X86_BR_RET);
    /* mov rax, imm64 / jmp rax */
    CHECK(decode_hex("48b88877665544332211", 0, 64, &insn, NULL, 0) == 10);
    CHECK(insn.mnemonic == X86_MN_movabs && (uint64_t)insn.ops[1].value == 0x1122334455667788ull);
    CHECK(decode_hex("ffe0", 0, 64, &insn, NULL, 0) == 2);
    CHECK(insn.branch == X86_BR_JMP && (insn.flags & X86_IF_INDIRECT) && insn.ops[0].type == X86_OP_REG);
    /* call rel32 backwards, 32-bit wraps at 4 GiB */
    CHECK(decode_hex("e8f6ffffff", 0x5, 32, &insn, NULL, 0) == 5);
    CHECK(insn.branch == X86_BR_CALL && insn.target == 0x0);
    CHECK(decode_hex("e8f0ffffff", 0x5, 32, &insn, NULL, 0) == 5 && insn.target == 0xfffffffaull);
    /* jcc rel8 */
    CHECK(decode_hex("7402", 0x100, 64, &insn, NULL, 0) == 2 && insn.branch == X86_BR_JCC && insn.target == 0x104);
}

TEST_CASE(test_objdump_texts)
{
    expect("4883ec28", 64, 0, "sub rsp,0x28", 4);
    expect("488d0df56f0800", 64, 0x7b001004, "lea rcx,[rip+0x86ff5] # 0x7b088000", 7);
    expect("66662e0f1f840000000000", 64, 0, "data16 cs nop WORD PTR [rax+rax*1+0x0]", 11);
    expect("8d742600", 32, 0, "lea esi,[esi+eiz*1+0x0]", 4);
    expect("a178563412", 32, 0, "mov eax,ds:0x12345678", 5);
    expect("f3a4", 64, 0, "rep movs BYTE PTR es:[rdi],BYTE PTR ds:[rsi]", 2);
    expect("f3c3", 64, 0, "repz ret", 2);
    expect("3effe0", 64, 0, "notrack jmp rax", 3);
    expect("4890", 64, 0, "rex.W nop", 2);
    expect("6aff", 64, 0, "push 0xffffffffffffffff", 2);
    expect("d8c1", 64, 0, "fadd st,st(1)", 2);
    expect("9bd93c24", 64, 0, "fstcw WORD PTR [rsp]", 4);
    expect("f20f5ec1", 64, 0, "divsd xmm0,xmm1", 4);
    expect("f20fc2c106", 64, 0, "cmpnlesd xmm0,xmm1", 5);
    expect("66e80000", 64, 0, "callw 0x4", 4);
    expect("0f0100", 32, 0, "sgdtd [eax]", 3);
    expect("ffff", 64, 0, "(bad)", 1);
    expect("0f04", 64, 0, "(bad)", 2);
}

/* AMD XOP (8F with ModRM.reg != 0: maps 8, 9, A), TBM, LWP, 3DNow! (0F 0F, named by the suffix byte)
 * and vpermil2ps's fifth operand, as objdump shows them; 8F /0 stays pop. */
TEST_CASE(test_amd_extensions)
{
    expect("8fe878c0c111", 64, 0, "vprotb xmm0,xmm1,0x11", 6);
    expect("8fe9f892c1", 64, 0, "vprotd xmm0,xmm0,xmm1", 5);            /* W1 swaps count and source */
    expect("8fe868a30010", 64, 0, "vpperm xmm0,xmm2,XMMWORD PTR [rax],xmm1", 6);
    expect("8fe87ca2c110", 64, 0, "vpcmov ymm0,ymm0,ymm1,ymm1", 6);
    expect("8fe878ccc100", 64, 0, "vpcomltb xmm0,xmm0,xmm1", 6);
    expect("8fe878efc108", 64, 0, "vpcomuq xmm0,xmm0,xmm1,0x8", 6);
    expect("8fe9788300", 64, 0, "vfrczsd xmm0,QWORD PTR [rax]", 5);
    expect("8fe878a6c120", 64, 0, "vpmadcsswd xmm0,xmm0,xmm1,xmm2", 6);
    expect("8fe9f801c9", 64, 0, "blcfill rax,rcx", 5);
    expect("8fe97801f1", 64, 0, "blsic eax,ecx", 5);
    expect("8feaf810c144332211", 64, 0, "bextr rax,rcx,0x11223344", 9);
    expect("8fe97812c1", 64, 0, "llwpcb ecx", 5);
    expect("8fe9f801c9", 32, 0, "blcfill eax,ecx", 5);                   /* W ignored in 32-bit mode */
    expect("8fe8f8ccc101", 64, 0, "(bad)", 4);                          /* vpcom is W0 only */
    expect("8fe07800c0", 64, 0, "(bad)", 1);                            /* mmmmm 0: not XOP */
    expect("8fc0", 64, 0, "pop rax", 2);
    expect("8f00", 32, 0, "pop DWORD PTR [eax]", 2);
    expect("c4e3f948c123", 64, 0, "vpermil2ps xmm0,xmm0,xmm2,xmm1,0x3", 6);
    expect("0f0fc19e", 64, 0, "pfadd mm0,mm1", 4);
    expect("0f0f44c0019e", 64, 0, "pfadd mm0,QWORD PTR [rax+rax*8+0x1]", 6);
    expect("660f0f009e", 64, 0, "pfadd xmm0,XMMWORD PTR [rax]", 5);
    expect("0f0fc1bf", 32, 0, "pavgusb mm0,mm1", 4);
    expect("0f0fc111", 64, 0, "(bad)", 1);                              /* unknown suffix: one byte */
    expect("f30f0fc111", 64, 0, "repz (bad)", 2);
}

/* EVEX.b on a memory operand of an instruction without embedded broadcast: invalid, shown as objdump
 * shows it, with the whole instruction's length; with broadcast it is a BCST operand. */
TEST_CASE(test_evex_bad_broadcast)
{
    x86_insn insn;
    char text[X86_FORMAT_CAP];
    CHECK(decode_hex("62f17c181000", 0, 64, &insn, text, sizeof text) == 6);
    CHECK(insn.mnemonic == X86_MN_BAD && insn.shown_mnemonic == X86_MN_vmovups);
    expect("62f17c181000", 64, 0, "vmovups xmm0,[rax]{bad}", 6);
    expect("62f17c991000", 64, 0, "vmovups xmm0{k1}{z},[rax]{bad}", 6);
    expect("62f17c3810400111", 64, 0, "vmovups ymm0,[rax+0x20]{bad}", 7);
    expect("62f27d1878000000", 64, 0, "vpbroadcastb xmm0,[rax]{bad}", 6);
    /* objdump accepts a broadcast vpshufb has not (AVX512BW: byte elements); we do not */
    CHECK(decode_hex("62f27d180000", 0, 64, &insn, text, sizeof text) == 6 && insn.mnemonic == X86_MN_BAD);
    expect("62f1fe18e64001", 64, 0, "vcvtqq2pd xmm0,QWORD BCST [rax+0x8]", 7);
    CHECK(decode_hex("62f1fe18e64001", 0, 64, &insn, text, sizeof text) == 7 && insn.mnemonic == X86_MN_vcvtqq2pd);
}

/* Encodings the SDM makes #UD that objdump shows as such: VEX forms that are W0 only, bound
 * registers 4-15, MPX with 16-bit addressing; and CMPccXADD (64-bit mode, memory only). */
TEST_CASE(test_invalid_forms_and_cmpccxadd)
{
    x86_insn insn;
    char text[X86_FORMAT_CAP];
    expect("c4e2352e00", 64, 0, "vmaskmovps YMMWORD PTR [rax],ymm9,ymm0", 5);
    expect("c4e2b52e00", 64, 0, "(bad)", 4);                            /* vmaskmovps is W0 */
    expect("66c4e2b52e00", 64, 0, "(bad)", 5);
    expect("c4e3fd18c111", 64, 0, "(bad)", 4);                          /* vinsertf128 is W0 */
    expect("c4e2f958c1", 64, 0, "(bad)", 4);                            /* vpbroadcastd is W0 */
    expect("c4e3f960c111", 64, 0, "vpcmpestrmq xmm0,xmm1,0x11", 6);
    expect("c4e3f960c111", 32, 0, "vpcmpestrm xmm0,xmm1,0x11", 6);
    expect("f30f1a00", 64, 0, "bndcl bnd0,[rax]", 4);
    expect("f30f1ae4", 64, 0, "bndcl (bad),rsp", 4);                    /* bnd4 does not exist */
    expect("66410f1ac0", 64, 0, "bndmov bnd0,(bad)", 5);                /* nor bnd8 */
    CHECK(decode_hex("f30f1a20", 0, 64, &insn, text, sizeof text) == 4);
    CHECK(insn.mnemonic == X86_MN_BAD && insn.shown_mnemonic == X86_MN_bndcl && insn.ops[0].type == X86_OP_BAD);
    expect("67f30f1a00", 64, 0, "addr32 bndcl bnd0,[rax]", 5);           /* 64-bit addressing regardless */
    expect("67f30f1a401122", 32, 0, "addr16 bndcl bnd0,(bad)", 5);       /* no 16-bit addressing */
    expect("c462f9ef8c8811223344", 64, 0, "cmpnlexadd QWORD PTR [rax+rcx*4+0x44332211],r9,rax", 10);
    expect("c4e271e04010", 64, 0, "cmpoxadd DWORD PTR [rax+0x10],eax,ecx", 6);
    expect("c4e279e0c1", 64, 0, "cmpoxadd (bad),eax,eax", 1);           /* memory only */
    expect("c4e279e000", 32, 0, "(bad)", 4);                            /* 64-bit mode only */
    expect("c4e27de000", 64, 0, "cmpoxadd DWORD PTR [rax],eax,(bad)", 5);  /* VEX.L1: #UD, shown whole */
    CHECK(decode_hex("c4e271e04010", 0, 64, &insn, NULL, 0) == 6 && insn.mnemonic == X86_MN_cmpoxadd);
}

TEST_CASE(test_truncated_and_long)
{
    x86_insn insn;
    char text[X86_FORMAT_CAP];
    /* every proper prefix of a 10-byte instruction is truncated: one byte, ".byte 0x48" */
    const char *full = "48b88877665544332211";
    char part[32];
    for (size_t n = 1; n < strlen(full) / 2; n++) {
        memcpy(part, full, 2 * n);
        part[2 * n] = '\0';
        size_t len = decode_hex(part, 0, 64, &insn, text, sizeof text);
        CHECK_MSG(len == 1 && (insn.flags & X86_IF_TRUNCATED), "%zu bytes: length %zu", n, len);
        CHECK_MSG(!strcmp(text, n == 1 ? "rex.W" : "rex.W"), "%zu bytes: '%s'", n, text);
    }
    CHECK(decode_hex("8b", 0, 64, &insn, text, sizeof text) == 1 && !strcmp(text, ".byte 0x8b"));
    /* 15 prefixes: objdump shows 14 of them as one "instruction" */
    size_t len = decode_hex("666666666666666666666666666666", 0, 64, &insn, text, sizeof text);
    CHECK(len == 14 && insn.mnemonic == X86_MN_BAD);
    CHECK(decode_hex("", 0, 64, &insn, NULL, 0) == 0);
}

/* Random bytes, each decoded from a block of exactly its size: no read past it (ASan), a length
 * within it, and a text that fits the formatter's cap. */
TEST_CASE(test_random_within_bounds)
{
    uint32_t seed = 12345;
    for (int round = 0; round < 200000; round++) {
        uint8_t tmp[16];
        size_t n = 1 + round % 16;
        for (size_t i = 0; i < n; i++) {
            tmp[i] = (uint8_t)test_random(&seed);
        }
        uint8_t *bytes = malloc(n);
        memcpy(bytes, tmp, n);
        x86_insn insn;
        char text[X86_FORMAT_CAP];
        size_t len = x86_decode(bytes, n, 0x401000, round & 1 ? 64 : 32, &insn);
        size_t tl = x86_format(&insn, text, sizeof text, NULL, NULL);
        free(bytes);
        if (len < 1 || len > n || tl >= sizeof text) {
            CHECK_MSG(0, "round %d: length %zu of %zu, text length %zu", round, len, n, tl);
            break;
        }
    }
}

CHECK_MAIN(CASE(test_hook_shapes), CASE(test_objdump_texts), CASE(test_evex_bad_broadcast), CASE(test_amd_extensions),
           CASE(test_invalid_forms_and_cmpccxadd), CASE(test_truncated_and_long),
           CASE(test_random_within_bounds))
