/* libFuzzer harness for the x86 decoder and formatter: the input is code. It is decoded linearly
 * in 64-bit and in 32-bit mode from an exact-size heap copy (so ASan sees any read past the end),
 * every instruction formatted. Checked: each length is at least 1, at most 15 and within the bytes
 * left; operands are within the operand array; the text fits the documented cap.
 * Parsers it reaches: core/formats/x86_decode.c with its opcode tables x86_tables_1byte.c,
 * x86_tables_0f.c (3DNow! too: 0F 0F with its suffix byte), x86_tables_vex.c, x86_tables_evex.c and
 * x86_tables_xop.c (AMD XOP and TBM: an 8F byte whose next byte is not a ModRM of pop's /0, which
 * random input holds often), and the fast path's entries x86_fast_table.c (any input of 24 bytes
 * or more starts there). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/formats/x86_decode.h"
#include "core/formats/x86_format.h"

static int name_everything(void *ctx, uint64_t addr, char *buf, size_t cap)
{
    (void)ctx;
    /* a long name for every third address: the text must still fit */
    if (addr % 3)
        return 0;
    memset(buf, 'n', cap - 1);
    buf[cap - 1] = '\0';
    return 1;
}

static void decode_all(const uint8_t *code, size_t size, int bits)
{
    size_t off = 0;
    while (off < size) {
        x86_insn insn;
        char text[X86_FORMAT_CAP];
        size_t len = x86_decode(code + off, size - off, 0x7ff000000000ull + off, bits, &insn);
        if (len < 1 || len > X86_MAX_LENGTH || len > size - off || insn.operand_count > X86_MAX_OPERANDS)
            abort();
        size_t text_len = x86_format(&insn, text, sizeof text, name_everything, NULL);
        if (text_len >= sizeof text || strlen(text) != text_len)
            abort();
        off += len;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    decode_all(copy, size, 64);
    decode_all(copy, size, 32);
    free(copy);
    return 0;
}
