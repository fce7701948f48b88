/* The disassembly listing over a source: counts, ends, unreadable memory reported (never decoded),
 * an instruction cut by unreadable memory shown truncated, symbols on branch targets. */
#include <string.h>

#include "check.h"
#include "core/source/buffer_source.h"
#include "core/tools/disasm_list.h"

typedef struct collected {
    pmm_disasm_line lines[64];
    size_t count;
} collected;

static int collect(void *ctx, const pmm_disasm_line *line)
{
    collected *c = ctx;
    if (c->count < 64)
        c->lines[c->count++] = *line;
    return 0;
}

/* sub rsp,0x28 / call +5 / nop / ret / mov rax,imm64 cut after 4 bytes */
static const uint8_t code[] = { 0x48, 0x83, 0xec, 0x28, 0xe8, 0x00, 0x00, 0x00, 0x00, 0x90, 0xc3,
                                0x48, 0xb8, 0x11, 0x22 };
#define BASE 0x7ff600001000ull

TEST_CASE(count_and_end)
{
    pmm_source src;
    CHECK(pmm_buffer_source_open(code, sizeof code, BASE, &src) == PMM_OK);
    collected c = { .count = 0 };
    pmm_disasm_summary sum;
    pmm_disasm_request req = { BASE, 0, 3, 64 };
    CHECK(pmm_disasm_source(&src, &req, collect, &c, &sum) == PMM_OK);
    CHECK(c.count == 3 && sum.instructions == 3 && sum.hit_limit);
    CHECK(c.lines[1].insn.branch == X86_BR_CALL && c.lines[1].insn.target == BASE + 9);
    c.count = 0;
    pmm_disasm_request to = { BASE, BASE + 10, 0, 64 };   /* ends inside nothing: sub, call, nop */
    CHECK(pmm_disasm_source(&src, &to, collect, &c, &sum) == PMM_OK);
    CHECK(c.count == 3 && !sum.hit_limit && c.lines[2].insn.mnemonic == X86_MN_nop);
    pmm_source_close(&src);
}

TEST_CASE(unreadable_reported_not_decoded)
{
    pmm_source src;
    CHECK(pmm_buffer_source_open(code, sizeof code, BASE, &src) == PMM_OK);
    collected c = { .count = 0 };
    pmm_disasm_summary sum;
    /* through the end of the readable bytes into the next page */
    pmm_disasm_request req = { BASE, BASE + 0x1800, 0, 64 };
    CHECK(pmm_disasm_source(&src, &req, collect, &c, &sum) == PMM_OK);
    CHECK(c.count >= 6);
    /* the cut mov rax,imm64: shown truncated, one byte, never completed with guessed bytes */
    const pmm_disasm_line *cut = &c.lines[4];
    CHECK(cut->readable && cut->address == BASE + 11 && (cut->insn.flags & X86_IF_TRUNCATED));
    /* then the unreadable rest: one line per unreadable range, up to the page end, then the next */
    int unreadable = 0;
    uint64_t covered = 0;
    for (size_t i = 0; i < c.count; i++)
        if (!c.lines[i].readable) {
            unreadable++;
            covered += c.lines[i].length;
        }
    CHECK(unreadable >= 1 && covered == sum.unreadable_bytes && sum.unreadable_bytes > 0);
    CHECK(c.lines[c.count - 1].address + c.lines[c.count - 1].length == BASE + 0x1800);
    /* without an end, a listing that starts in unreadable memory reports it once and stops */
    c.count = 0;
    pmm_disasm_request dead = { BASE + 0x4000, 0, 10, 64 };
    CHECK(pmm_disasm_source(&src, &dead, collect, &c, &sum) == PMM_OK);
    CHECK(c.count == 1 && !c.lines[0].readable && sum.instructions == 0);
    pmm_source_close(&src);
}

TEST_CASE(bad_requests)
{
    pmm_source src;
    CHECK(pmm_buffer_source_open(code, sizeof code, BASE, &src) == PMM_OK);
    collected c = { .count = 0 };
    pmm_disasm_summary sum;
    pmm_disasm_request bits16 = { BASE, 0, 1, 16 };
    pmm_disasm_request backwards = { BASE, BASE - 1, 0, 64 };
    CHECK(pmm_disasm_source(&src, &bits16, collect, &c, &sum) == PMM_ERR_ARG);
    CHECK(pmm_disasm_source(&src, &backwards, collect, &c, &sum) == PMM_ERR_ARG);
    pmm_source_close(&src);
}

TEST_CASE(text_line)
{
    pmm_source src;
    CHECK(pmm_buffer_source_open(code, sizeof code, BASE, &src) == PMM_OK);
    collected c = { .count = 0 };
    pmm_disasm_summary sum;
    pmm_disasm_request req = { BASE, 0, 2, 64 };
    CHECK(pmm_disasm_source(&src, &req, collect, &c, &sum) == PMM_OK);
    char text[256];
    pmm_disasm_format_line(&c.lines[1], NULL, text, sizeof text);
    CHECK(strstr(text, "00007ff600001004") == text);
    CHECK(strstr(text, "e8 00 00 00 00") != NULL);
    CHECK(strstr(text, "call   0x7ff600001009") != NULL);
    pmm_source_close(&src);
}

CHECK_MAIN(CASE(count_and_end), CASE(unreadable_reported_not_decoded), CASE(bad_requests), CASE(text_line))
