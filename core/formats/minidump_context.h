/* Thread CONTEXT records in a minidump (ThreadList and Exception streams), x86 and x64. */
#ifndef PMM_MINIDUMP_CONTEXT_H
#define PMM_MINIDUMP_CONTEXT_H

#include <stddef.h>
#include <stdint.h>
#include "../source/source.h"
#include "minidump.h"

/* PROCESSOR_ARCHITECTURE values in SystemInfo. */
enum {
    PMM_MD_CPU_X86 = 0,
    PMM_MD_CPU_ARM = 5,
    PMM_MD_CPU_IA64 = 6,
    PMM_MD_CPU_AMD64 = 9,
    PMM_MD_CPU_ARM64 = 12,
    PMM_MD_CPU_UNKNOWN = 0xFFFF
};

/* CONTEXT_i386 / CONTEXT_AMD64 bits of ContextFlags (the same in Breakpad's raw contexts). */
#define PMM_MD_CONTEXT_X86 0x00010000u
#define PMM_MD_CONTEXT_AMD64 0x00100000u

#define PMM_MD_CONTEXT_X86_SIZE 0x2CCu      /* with ExtendedRegisters */
#define PMM_MD_CONTEXT_X86_MIN_SIZE 0xCCu   /* integer and control registers only */
#define PMM_MD_CONTEXT_AMD64_SIZE 0x4D0u
#define PMM_MD_CONTEXT_AMD64_MIN_SIZE 0x100u /* through Rip */

typedef struct pmm_md_context {
    pmm_context regs;        /* regs.flags holds the raw ContextFlags */
    uint32_t eflags;
    uint16_t cs, ds, es, fs, gs, ss;
} pmm_md_context;

/* Decodes a CONTEXT of size bytes. The layout is chosen by the ContextFlags architecture bits,
 * falling back to processor_arch (SystemInfo) when they are absent. Leaves regs.arch ==
 * PMM_ARCH_UNKNOWN (and returns PMM_ERR_UNSUPPORTED) for other CPUs or records too short. */
pmm_status pmm_md_parse_context(const uint8_t *data, size_t size, uint32_t processor_arch, pmm_md_context *out);

/* Decodes a CONTEXT whose layout the caller knows (arch PMM_ARCH_X64 or PMM_ARCH_X86), whatever its
 * ContextFlags say: a kernel dump's header context is x64 in a 64-bit header and x86 in a 32-bit one.
 * PMM_ERR_UNSUPPORTED when size is too short for that layout. */
pmm_status pmm_md_parse_context_as(const uint8_t *data, size_t size, uint32_t arch, pmm_md_context *out);

/* Reads and decodes the CONTEXT at a location descriptor. */
pmm_status pmm_md_read_context(pmm_minidump *md, uint32_t size, uint32_t rva, uint32_t processor_arch,
                               pmm_md_context *out);

#endif
