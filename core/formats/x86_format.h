/* Intel-syntax text of a decoded instruction, spelled as GNU `objdump -d -M intel` spells it:
 * "mov    rax,QWORD PTR [rip+0x1234]        # 0x7ff6a0b41000". Branch targets and rip-relative
 * addresses are followed by " <name>" when the caller's symbolizer knows the address. */
#ifndef PMM_X86_FORMAT_H
#define PMM_X86_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include "x86_decode.h"

/* Writes a name for addr ("kernel32.dll!CreateFileW+0x1a") into buf; returns 0 when it has none. */
typedef int (*x86_symbolizer)(void *ctx, uint64_t addr, char *buf, size_t cap);

#define X86_FORMAT_CAP 256   /* enough for any instruction's text with a symbol of 96 characters */

/* Formats insn into buf (always NUL-terminated when cap > 0); returns the text's length.
 * symbolize may be NULL. */
size_t x86_format(const x86_insn *insn, char *buf, size_t cap, x86_symbolizer symbolize, void *ctx);

/* The mnemonic as shown, with pseudo-op names (cmpltps, pclmulhqlqdq, movabs); no prefixes. */
size_t x86_format_mnemonic(const x86_insn *insn, char *buf, size_t cap);

#endif
