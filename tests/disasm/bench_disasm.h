/* What bench_disasm's parts share: the code sections every decoder is timed over, the clock,
 * and the reference decoders' benchmark (bench_references.c). */
#ifndef PMM_BENCH_DISASM_H
#define PMM_BENCH_DISASM_H

#include <stddef.h>
#include <stdint.h>

typedef struct code {
    uint8_t *bytes;
    size_t size;
    uint64_t va;
    int bits; /* 64 or 32: each decoder decodes the section in that mode */
} code;

/* CPU seconds used by this process so far. */
double cpu_seconds(void);

/* What one pass over every section counted. */
typedef struct pass_count {
    size_t instructions;
    size_t rejected_bytes;          /* the references' (ours decodes every byte into something) */
} pass_count;

/* One pass of a decoder (its state in decoder) over every section, adding to a checksum so
 * nothing is optimised away. */
typedef pass_count (*decoder_pass)(const void *decoder, const code *c, size_t count, unsigned *sum);

/* The best CPU time of ten passes; *counted: the last pass's counts. */
double best_of_ten_passes(decoder_pass pass, const void *decoder, const code *c, size_t count, pass_count *counted,
                          unsigned *sum);

/* Our decoder's figures from the same run, for the ratios. */
typedef struct our_figures {
    double mb;              /* code bytes of every section, in MB */
    double decode_seconds;  /* best pass, decode only */
    double format_seconds;  /* best pass, decode + format */
    size_t instructions;    /* per pass */
} our_figures;

/* Times the public decoders that were found at configure time (Zydis, capstone) over exactly the
 * same sections, with the same passes and clock as ours, and prints their figures and the ratios;
 * a decoder not installed is named and skipped. */
void bench_references(const code *sections, size_t count, const our_figures *ours);

#endif
