/* The public decoders bench_disasm measures ours against, over exactly the same code sections:
 * Zydis (the fastest public C decoder) and capstone, each only when found at configure time
 * (PMM_HAVE_ZYDIS, PMM_HAVE_CAPSTONE; test and benchmark dependencies, never the product's).
 * Same passes and clock as ours: best of ten, CPU time; each decoder is set up once, outside the
 * timing; the mnemonic of every instruction goes into a checksum that is printed, so no call can
 * be optimised away. Where a decoder rejects a byte it is skipped and decoding goes on at the
 * next one, as our pass goes on after an invalid encoding (ours skips objdump's length for it,
 * at least one byte): both instruction counts are printed, and they agree closely. */
#include <stdio.h>

#include "bench_disasm.h"

#ifdef PMM_HAVE_ZYDIS
#include <Zydis/Zydis.h>
#endif
#ifdef PMM_HAVE_CAPSTONE
#include <capstone/capstone.h>
#endif

#if defined(PMM_HAVE_ZYDIS) || defined(PMM_HAVE_CAPSTONE)
static void print_figures(const char *what, double seconds, const pass_count *counted, const our_figures *ours)
{
    printf("    %-34s %8.3f s CPU  %8.1f MB/s  %zu instructions, %zu bytes rejected\n", what, seconds,
           ours->mb / seconds, counted->instructions, counted->rejected_bytes);
}
#endif

#ifdef PMM_HAVE_ZYDIS
enum zydis_depth {
    ZYDIS_DEPTH_FULL,             /* ZydisDecoderDecodeFull: instruction and every operand, hidden ones too */
    ZYDIS_DEPTH_VISIBLE_OPERANDS, /* instruction, then only the operands a listing shows (as ours fills) */
    ZYDIS_DEPTH_INSTRUCTION       /* ZydisDecoderDecodeInstruction alone: length, mnemonic, no operands */
};

typedef struct zydis_decoders {
    ZydisDecoder mode64, mode32;
    enum zydis_depth depth;
} zydis_decoders;

static ZyanStatus zydis_decode_one(const ZydisDecoder *decoder, enum zydis_depth depth, const uint8_t *bytes,
                                   size_t len, ZydisDecodedInstruction *insn)
{
    ZydisDecodedOperand operands[ZYDIS_MAX_OPERAND_COUNT];
    if (depth == ZYDIS_DEPTH_FULL)
        return ZydisDecoderDecodeFull(decoder, bytes, len, insn, operands);
    ZydisDecoderContext context;
    ZyanStatus status = ZydisDecoderDecodeInstruction(decoder, &context, bytes, len, insn);
    if (ZYAN_SUCCESS(status) && depth == ZYDIS_DEPTH_VISIBLE_OPERANDS)
        status = ZydisDecoderDecodeOperands(decoder, &context, insn, operands, insn->operand_count_visible);
    return status;
}

static pass_count zydis_pass(const void *decoders, const code *c, size_t count, unsigned *sum)
{
    const zydis_decoders *z = decoders;
    pass_count counted = {0, 0};
    for (size_t i = 0; i < count; i++) {
        const ZydisDecoder *decoder = c[i].bits == 64 ? &z->mode64 : &z->mode32;
        for (size_t off = 0; off < c[i].size;) {
            ZydisDecodedInstruction insn;
            if (ZYAN_SUCCESS(zydis_decode_one(decoder, z->depth, c[i].bytes + off, c[i].size - off, &insn))) {
                *sum += insn.mnemonic;
                off += insn.length;
                counted.instructions++;
            } else {
                off++;
                counted.rejected_bytes++;
            }
        }
    }
    return counted;
}

static int zydis_init(zydis_decoders *z, enum zydis_depth depth, int minimal)
{
    z->depth = depth;
    return ZYAN_SUCCESS(ZydisDecoderInit(&z->mode64, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64)) &&
           ZYAN_SUCCESS(ZydisDecoderInit(&z->mode32, ZYDIS_MACHINE_MODE_LEGACY_32, ZYDIS_STACK_WIDTH_32)) &&
           ZYAN_SUCCESS(ZydisDecoderEnableMode(&z->mode64, ZYDIS_DECODER_MODE_MINIMAL, minimal != 0)) &&
           ZYAN_SUCCESS(ZydisDecoderEnableMode(&z->mode32, ZYDIS_DECODER_MODE_MINIMAL, minimal != 0));
}

static void bench_zydis(const code *c, size_t count, const our_figures *ours)
{
    static const struct {
        enum zydis_depth depth;
        int minimal;
        const char *what;
    } runs[] = {
        {ZYDIS_DEPTH_FULL, 0, "full (instruction + all operands):"},
        {ZYDIS_DEPTH_VISIBLE_OPERANDS, 0, "instruction + visible operands:"},
        {ZYDIS_DEPTH_INSTRUCTION, 0, "instruction only (no operands):"},
        {ZYDIS_DEPTH_INSTRUCTION, 1, "minimal mode (length, mnemonic):"},
    };
    enum { RUNS = sizeof runs / sizeof runs[0] };
    zydis_decoders decoders[RUNS];
    for (size_t r = 0; r < RUNS; r++)
        if (!zydis_init(&decoders[r], runs[r].depth, runs[r].minimal)) {
            printf("  Zydis: decoder initialisation failed, skipped\n");
            return;
        }
    ZyanU64 v = ZydisGetVersion();
    printf("  Zydis %u.%u.%u over the same bytes (a rejected byte is skipped):\n", (unsigned)(v >> 48),
           (unsigned)(v >> 32) & 0xffff, (unsigned)(v >> 16) & 0xffff);
    double seconds[RUNS];
    unsigned sum = 0;
    for (size_t r = 0; r < RUNS; r++) {
        pass_count counted;
        seconds[r] = best_of_ten_passes(zydis_pass, &decoders[r], c, count, &counted, &sum);
        print_figures(runs[r].what, seconds[r], &counted, ours);
    }
    printf("    (checksum %u; ours: %zu instructions)\n", sum, ours->instructions);
    printf("    ours decode only / Zydis: full %.2fx, visible operands %.2fx, instruction only %.2fx, minimal "
           "%.2fx\n",
           seconds[0] / ours->decode_seconds, seconds[1] / ours->decode_seconds, seconds[2] / ours->decode_seconds,
           seconds[3] / ours->decode_seconds);
}
#endif

#ifdef PMM_HAVE_CAPSTONE
typedef struct capstone_decoders {
    csh mode64, mode32;
    cs_insn *insn64, *insn32;
} capstone_decoders;

/* cs_disasm_iter decodes, fills the detail and always writes the text too: compare with our
 * decode + format. */
static pass_count capstone_pass(const void *decoders, const code *c, size_t count, unsigned *sum)
{
    const capstone_decoders *cs = decoders;
    pass_count counted = {0, 0};
    for (size_t i = 0; i < count; i++) {
        csh handle = c[i].bits == 64 ? cs->mode64 : cs->mode32;
        cs_insn *insn = c[i].bits == 64 ? cs->insn64 : cs->insn32;
        for (size_t off = 0; off < c[i].size;) {
            const uint8_t *at = c[i].bytes + off;
            size_t left = c[i].size - off;
            uint64_t address = c[i].va + off;
            if (cs_disasm_iter(handle, &at, &left, &address, insn)) {
                *sum += insn->id;
                off = (size_t)(at - c[i].bytes);
                counted.instructions++;
            } else {
                off++;
                counted.rejected_bytes++;
            }
        }
    }
    return counted;
}

static void bench_capstone(const code *c, size_t count, const our_figures *ours)
{
    capstone_decoders cs = {0, 0, NULL, NULL};
    int opened64 = cs_open(CS_ARCH_X86, CS_MODE_64, &cs.mode64) == CS_ERR_OK;
    int opened32 = cs_open(CS_ARCH_X86, CS_MODE_32, &cs.mode32) == CS_ERR_OK;
    if (opened64 && opened32 && cs_option(cs.mode64, CS_OPT_DETAIL, CS_OPT_ON) == CS_ERR_OK &&
        cs_option(cs.mode32, CS_OPT_DETAIL, CS_OPT_ON) == CS_ERR_OK) {
        cs.insn64 = cs_malloc(cs.mode64);
        cs.insn32 = cs_malloc(cs.mode32);
    }
    if (cs.insn64 && cs.insn32) {
        int major, minor;
        cs_version(&major, &minor);
        printf("  capstone %d.%d, detail on, over the same bytes (a rejected byte is skipped):\n", major, minor);
        unsigned sum = 0;
        pass_count counted;
        double seconds = best_of_ten_passes(capstone_pass, &cs, c, count, &counted, &sum);
        print_figures("decode + detail + text:", seconds, &counted, ours);
        printf("    (checksum %u) ours decode + format / capstone: %.2fx; ours decode only / capstone: %.2fx\n", sum,
               seconds / ours->format_seconds, seconds / ours->decode_seconds);
    } else {
        printf("  capstone: could not be set up, skipped\n");
    }
    if (cs.insn64)
        cs_free(cs.insn64, 1);
    if (cs.insn32)
        cs_free(cs.insn32, 1);
    if (opened64)
        cs_close(&cs.mode64);
    if (opened32)
        cs_close(&cs.mode32);
}
#endif

void bench_references(const code *sections, size_t count, const our_figures *ours)
{
#ifdef PMM_HAVE_ZYDIS
    bench_zydis(sections, count, ours);
#else
    printf("  Zydis: not installed, skipped\n");
#endif
#ifdef PMM_HAVE_CAPSTONE
    bench_capstone(sections, count, ours);
#else
    printf("  capstone: not installed, skipped\n");
#endif
    (void)sections;
    (void)count;
    (void)ours;
}
