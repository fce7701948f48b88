/* The decoder against objdump, one encoding per mnemonic: tests/disasm/x86_table_cases.txt, made by
 * tools/x86_table_cases.py from a systematic walk of the opcode maps (objdump's length and text for
 * the first encoding of every mnemonic either decoder produced). Each case must decode to objdump's
 * length and text; a line marked "!" is a known difference (an instruction objdump knows and we do
 * not yet, or a spelling of its own), whose text of ours is recorded after "||" and must stay as
 * recorded, so that any change shows. Each case holds 16 bytes: the encoding and what followed it
 * (objdump decoded it with those bytes after it). Every mnemonic the decoder knows must have a case.
 * tests/disasm/x86_regression_cases.txt, made by the same tool's "regress" command from a list of
 * encodings, holds objdump's length and text for encodings we once decoded wrong (66 with REX.W...),
 * checked the same way. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/formats/x86_decode.h"
#include "core/formats/x86_format.h"
#include "../disasm/x86_text.h"

static uint8_t covered[X86_MN_COUNT];

/* Decodes every case of one file as the header says; returns the number of cases, or -1 when the
 * file cannot be read. Counts failures in *failed. */
static int check_cases(const char *path, int *failed)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "cannot read %s\n", path);
        return -1;
    }
    char line[1024];
    int cases = 0, known = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        int is_known = line[0] == '!';
        char *p = line + is_known;
        int bits, want_len;
        unsigned long long address;
        char hex[80];
        int used = 0;
        if (sscanf(p, "%d %llx %79s %d %n", &bits, &address, hex, &want_len, &used) != 4) {
            fprintf(stderr, "%s: malformed line: %s", path, line);
            ++*failed;
            continue;
        }
        char *want = p + used;
        char *ours_part = strstr(want, " || ");
        int ours_len = want_len;
        if (is_known) {
            if (!ours_part) {
                fprintf(stderr, "%s: a recorded difference without ' || ': %s", path, line);
                ++*failed;
                continue;
            }
            *ours_part = '\0';
            want = ours_part + 4;
            int u2 = 0;
            sscanf(want, "%d %n", &ours_len, &u2);
            want += u2;
        }
        uint8_t code[40];
        size_t n = strlen(hex) / 2;
        for (size_t i = 0; i < n && i < sizeof code; i++) {
            unsigned v;
            sscanf(hex + 2 * i, "%2x", &v);
            code[i] = (uint8_t)v;
        }
        x86_insn insn;
        size_t len = x86_decode(code, n < sizeof code ? n : sizeof code, address, bits, &insn);
        char text[X86_FORMAT_CAP], got[X86_FORMAT_CAP], expect[X86_FORMAT_CAP];
        x86_format(&insn, text, sizeof text, NULL, NULL);
        x86_text_normalise(text, got, sizeof got);
        x86_text_normalise(want, expect, sizeof expect);
        if ((int)len != ours_len || strcmp(got, expect)) {
            if ((*failed)++ < 20)
                fprintf(stderr, "%d-bit %s: got %zu '%s', want %d '%s'%s\n", bits, hex, len, got, ours_len, expect,
                        is_known ? " (recorded difference)" : "");
        }
        if (insn.mnemonic < X86_MN_COUNT)
            covered[insn.mnemonic] = 1;
        if (insn.shown_mnemonic < X86_MN_COUNT)
            covered[insn.shown_mnemonic] = 1;   /* "cmpxchg8b (bad)": the name is decoded too */
        cases++;
        known += is_known;
    }
    fclose(f);
    printf("%s: %d cases, %d recorded differences\n", path, cases, known);
    return cases;
}

TEST_CASE(every_case_decodes_as_recorded)
{
    int failed = 0;
    int cases = check_cases(PMM_X86_TABLE_CASES, &failed);
    int regressions = check_cases(PMM_X86_REGRESSION_CASES, &failed);
    printf("%d failed\n", failed);
    CHECK(cases > 1000);
    CHECK(regressions > 0);
    CHECK(failed == 0);
    int missing = 0;
    for (unsigned m = 1; m < X86_MN_COUNT; m++)
        if (!covered[m] && missing++ < 20)
            fprintf(stderr, "no case decodes to %s\n", x86_mnemonic_name(m));
    printf("%d mnemonics of %d without a case\n", missing, (int)X86_MN_COUNT - 1);
    CHECK(missing == 0);
}

CHECK_MAIN(CASE(every_case_decodes_as_recorded))
