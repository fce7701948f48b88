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
