/* Decodes the first instruction of each fixed-size slot of a file, for the scripts that compare
 * the decoder with objdump on generated encodings (tools/x86_table_cases.py):
 *   x86_slots BITS SLOT_SIZE FILE [BASE]   one line per slot: "ADDRESS LENGTH TEXT", the file
 *                                          lying at BASE (default 0)
 * Each slot is decoded from its own bytes only, as objdump sees them in the same file. */
#include <stdio.h>
#include <stdlib.h>

#include "core/formats/x86_decode.h"
#include "core/formats/x86_format.h"

int main(int argc, char **argv)
{
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: x86_slots BITS SLOT_SIZE FILE [BASE]\n");
        return 2;
    }
    int bits = atoi(argv[1]);
    size_t slot = (size_t)strtoul(argv[2], NULL, 0);
    uint64_t base = argc == 5 ? strtoull(argv[4], NULL, 0) : 0;
    FILE *f = fopen(argv[3], "rb");
    if (!f || slot == 0 || slot > 4096 || (bits != 32 && bits != 64)) {
        fprintf(stderr, "x86_slots: bad arguments or cannot open %s\n", argv[3]);
        return 1;
    }
    unsigned char buf[4096];
    for (size_t off = 0; fread(buf, 1, slot, f) == slot; off += slot) {
        x86_insn insn;
        char text[X86_FORMAT_CAP];
        size_t len = x86_decode(buf, slot, base + off, bits, &insn);
        x86_format(&insn, text, sizeof text, NULL, NULL);
        printf("%llx %zu %s\n", (unsigned long long)(base + off), len, text);
    }
    fclose(f);
    return 0;
}
