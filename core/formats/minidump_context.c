/* x86 and x64 CONTEXT layouts, decoded field by field at their documented offsets. */
#include "minidump_context.h"

#include <stdlib.h>
#include <string.h>
#include "minidump_internal.h"

/* CONTEXT (x86): integer registers edi..eax are stored in reverse of the encoding order. */
enum {
    X86_FLAGS = 0x00,
    X86_SEG_GS = 0x8C, X86_SEG_FS = 0x90, X86_SEG_ES = 0x94, X86_SEG_DS = 0x98,
    X86_EDI = 0x9C, X86_ESI = 0xA0, X86_EBX = 0xA4, X86_EDX = 0xA8, X86_ECX = 0xAC, X86_EAX = 0xB0,
    X86_EBP = 0xB4, X86_EIP = 0xB8, X86_SEG_CS = 0xBC, X86_EFLAGS = 0xC0, X86_ESP = 0xC4, X86_SEG_SS = 0xC8
};

/* CONTEXT (x64): rax..r15 are stored in encoding order from 0x78. */
enum {
    X64_FLAGS = 0x30,
    X64_SEG_CS = 0x38, X64_SEG_DS = 0x3A, X64_SEG_ES = 0x3C, X64_SEG_FS = 0x3E, X64_SEG_GS = 0x40,
    X64_SEG_SS = 0x42, X64_EFLAGS = 0x44, X64_RAX = 0x78, X64_RIP = 0xF8
};

static void parse_x86(const uint8_t *d, pmm_md_context *out)
{
    static const uint16_t gpr_offsets[8] = {X86_EAX, X86_ECX, X86_EDX, X86_EBX, X86_ESP, X86_EBP, X86_ESI, X86_EDI};
    out->regs.arch = PMM_ARCH_X86;
    out->regs.flags = pmm_le32(d + X86_FLAGS);
    out->regs.ip = pmm_le32(d + X86_EIP);
    for (int i = 0; i < 8; i++)
        out->regs.gpr[i] = pmm_le32(d + gpr_offsets[i]);
    out->eflags = pmm_le32(d + X86_EFLAGS);
    out->cs = (uint16_t)pmm_le32(d + X86_SEG_CS);
    out->ds = (uint16_t)pmm_le32(d + X86_SEG_DS);
    out->es = (uint16_t)pmm_le32(d + X86_SEG_ES);
    out->fs = (uint16_t)pmm_le32(d + X86_SEG_FS);
    out->gs = (uint16_t)pmm_le32(d + X86_SEG_GS);
    out->ss = (uint16_t)pmm_le32(d + X86_SEG_SS);
}

static void parse_x64(const uint8_t *d, pmm_md_context *out)
{
    out->regs.arch = PMM_ARCH_X64;
    out->regs.flags = pmm_le32(d + X64_FLAGS);
    out->regs.ip = pmm_le64(d + X64_RIP);
    for (int i = 0; i < 16; i++)
        out->regs.gpr[i] = pmm_le64(d + X64_RAX + 8 * i);
    out->eflags = pmm_le32(d + X64_EFLAGS);
    out->cs = pmm_le16(d + X64_SEG_CS);
    out->ds = pmm_le16(d + X64_SEG_DS);
    out->es = pmm_le16(d + X64_SEG_ES);
    out->fs = pmm_le16(d + X64_SEG_FS);
    out->gs = pmm_le16(d + X64_SEG_GS);
    out->ss = pmm_le16(d + X64_SEG_SS);
}

static int arch_bits_are(uint32_t flags, uint32_t want)
{
    uint32_t arch_bits = flags & (PMM_MD_CONTEXT_X86 | PMM_MD_CONTEXT_AMD64);
    return arch_bits == want;
}

/* Each layout keeps ContextFlags at a different offset, and the other layout has arbitrary data
 * there (x64 P1Home, x86 floating-point state), so the flags alone can look right for both.
 * A layout whose flags match wins; when both or neither match, the CPU from SystemInfo decides.
 * A 32-bit context in a 64-bit dump (WOW64) is recognised by its flags. */
static uint32_t context_arch(const uint8_t *d, size_t size, uint32_t processor_arch)
{
    int x64_ok = size >= PMM_MD_CONTEXT_AMD64_MIN_SIZE;
    int x86_ok = size >= PMM_MD_CONTEXT_X86_MIN_SIZE;
    int x64_flags = x64_ok && arch_bits_are(pmm_le32(d + X64_FLAGS), PMM_MD_CONTEXT_AMD64);
    int x86_flags = x86_ok && arch_bits_are(pmm_le32(d + X86_FLAGS), PMM_MD_CONTEXT_X86);
    if (x64_flags && !x86_flags)
        return PMM_ARCH_X64;
    if (x86_flags && !x64_flags)
        return PMM_ARCH_X86;
    if (processor_arch == PMM_MD_CPU_AMD64 && x64_ok)
        return PMM_ARCH_X64;
    if (processor_arch == PMM_MD_CPU_X86 && x86_ok)
        return PMM_ARCH_X86;
    return PMM_ARCH_UNKNOWN;
}

pmm_status pmm_md_parse_context(const uint8_t *data, size_t size, uint32_t processor_arch, pmm_md_context *out)
{
    memset(out, 0, sizeof *out);
    switch (context_arch(data, size, processor_arch)) {
    case PMM_ARCH_X64:
        parse_x64(data, out);
        return PMM_OK;
    case PMM_ARCH_X86:
        parse_x86(data, out);
        return PMM_OK;
    }
    return PMM_ERR_UNSUPPORTED;
}

pmm_status pmm_md_parse_context_as(const uint8_t *data, size_t size, uint32_t arch, pmm_md_context *out)
{
    memset(out, 0, sizeof *out);
    if (arch == PMM_ARCH_X64 && size >= PMM_MD_CONTEXT_AMD64_MIN_SIZE)
        parse_x64(data, out);
    else if (arch == PMM_ARCH_X86 && size >= PMM_MD_CONTEXT_X86_MIN_SIZE)
        parse_x86(data, out);
    else
        return PMM_ERR_UNSUPPORTED;
    return PMM_OK;
}

pmm_status pmm_md_read_context(pmm_minidump *md, uint32_t size, uint32_t rva, uint32_t processor_arch,
                               pmm_md_context *out)
{
    memset(out, 0, sizeof *out);
    if (size == 0)
        return PMM_ERR_NOT_FOUND;
    uint8_t *data;
    size_t loaded;
    /* Nothing past the x64 layout is decoded, so longer records (AVX state) are not copied. */
    pmm_status st = md_load_location(md, size, rva, PMM_MD_CONTEXT_AMD64_SIZE, &data, &loaded);
    if (st != PMM_OK)
        return st;
    st = pmm_md_parse_context(data, loaded, processor_arch, out);
    free(data);
    return st;
}
