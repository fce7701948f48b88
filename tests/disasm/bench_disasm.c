/* Decoder benchmark (native, optimised build without sanitizers: tools/bench.sh builds one):
 *   bench_disasm OBJDUMP PE...
 * Over the code sections of the PE files: decode-only and decode+format throughput in MB/s (best
 * of ten passes), then the time `OBJDUMP -d -z -M intel` takes over the same files (its output
 * thrown away), and the ratios. Every figure comes from this one run. Times are CPU seconds (ours:
 * this process; objdump: its user and system time), so a machine shared with other work still
 * gives comparable figures; the wall-clock times are printed too. Then the public decoders found at
 * configure time (Zydis, capstone) over the same bytes, as references (bench_references.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bench_disasm.h"
#include "core/formats/pe.h"
#include "core/formats/x86_decode.h"
#include "core/formats/x86_format.h"
#include "core/source/file_source.h"

static double clock_seconds(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double cpu_seconds(void)
{
    return clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
}

static double children_cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           (double)ru.ru_stime.tv_usec / 1e6;
}

static size_t load(const char *path, code *out, size_t cap)
{
    pmm_source src;
    pe_image img;
    size_t n = 0;
    if (pmm_file_source_open(path, &src) != PMM_OK)
        return 0;
    if (pe_open(&src, 0, PE_LAYOUT_FILE, &img) == PMM_OK) {
        for (size_t i = 0; i < img.section_count && n < cap; i++) {
            const pe_section *s = &img.sections[i];
            size_t size = s->virtual_size && s->raw_size > s->virtual_size ? s->virtual_size : s->raw_size;
            if (!(s->characteristics & 0x20) || !size)
                continue;
            out[n].bytes = malloc(size);
            if (!out[n].bytes || pmm_source_read_exact(&src, s->raw_offset, out[n].bytes, size) != PMM_OK) {
                free(out[n].bytes);
                continue;
            }
            out[n].size = size;
            out[n].va = img.image_base + s->virtual_address;
            out[n].bits = img.pointer_size == 8 ? 64 : 32;
            n++;
        }
        pe_close(&img);
    }
    pmm_source_close(&src);
    return n;
}

/* One pass of ours over every section; decoder points at an int: 1 to format each instruction too. */
static pass_count our_pass(const void *decoder, const code *c, size_t count, unsigned *sum)
{
    int format = *(const int *)decoder;
    pass_count counted = {0, 0};
    char text[X86_FORMAT_CAP];
    for (size_t i = 0; i < count; i++)
        for (size_t off = 0; off < c[i].size;) {
            x86_insn insn;
            size_t len = x86_decode(c[i].bytes + off, c[i].size - off, c[i].va + off, c[i].bits, &insn);
            *sum += insn.mnemonic;
            if (format)
                *sum += (unsigned)x86_format(&insn, text, sizeof text, NULL, NULL);
            off += len;
            counted.instructions++;
        }
    return counted;
}

double best_of_ten_passes(decoder_pass pass, const void *decoder, const code *c, size_t count, pass_count *counted,
                          unsigned *sum)
{
    double best = 1e30;
    for (int r = 0; r < 10; r++) {
        double t0 = cpu_seconds();
        *counted = pass(decoder, c, count, sum);
        double t = cpu_seconds() - t0;
        if (t < best)
            best = t;
    }
    return best;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_disasm OBJDUMP PE...\n");
        return 2;
    }
    static code sections[4096];
    size_t count = 0, bytes = 0;
    for (int i = 2; i < argc; i++) {
        size_t loaded = load(argv[i], sections + count, sizeof sections / sizeof sections[0] - count);
        if (!loaded) {   /* a missing or unreadable file would make the figures of another set of bytes */
            fprintf(stderr, "bench_disasm: %s: no code section read (missing, not a PE, or unreadable)\n", argv[i]);
            return 1;
        }
        count += loaded;
    }
    for (size_t i = 0; i < count; i++)
        bytes += sections[i].size;
    if (!bytes) {
        fprintf(stderr, "bench_disasm: no code read\n");
        return 1;
    }
    unsigned sum = 0;
    size_t insns = 0;
    double mb = (double)bytes / 1e6;
    const int decode_only = 0, with_format = 1;
    pass_count counted;
    double t_decode = best_of_ten_passes(our_pass, &decode_only, sections, count, &counted, &sum);
    double t_format = best_of_ten_passes(our_pass, &with_format, sections, count, &counted, &sum);
    insns = counted.instructions;
    /* objdump over the same files, output discarded */
    size_t cmd_len = strlen(argv[1]) + 64;
    for (int i = 2; i < argc; i++)
        cmd_len += strlen(argv[i]) + 3;
    char *cmd = malloc(cmd_len);
    if (!cmd)
        return 1;
    snprintf(cmd, cmd_len, "%s -d -z -M intel", argv[1]);
    for (int i = 2; i < argc; i++) {
        strcat(cmd, " '");
        strcat(cmd, argv[i]);
        strcat(cmd, "'");
    }
    strcat(cmd, " >/dev/null 2>&1");
    double wall0 = clock_seconds(CLOCK_MONOTONIC), cpu0 = children_cpu_seconds();
    int rc = system(cmd);
    double t_objdump = children_cpu_seconds() - cpu0, wall = clock_seconds(CLOCK_MONOTONIC) - wall0;
    free(cmd);
    printf("x86 decoder over %d files: %zu code sections, %.1f MB, %zu instructions (checksum %u)\n", argc - 2,
           count, mb, insns, sum);
    printf("  decode only:     %8.3f s CPU  %8.1f MB/s  %6.1f M instructions/s\n", t_decode, mb / t_decode,
           (double)insns / t_decode / 1e6);
    printf("  decode + format: %8.3f s CPU  %8.1f MB/s\n", t_format, mb / t_format);
    printf("  objdump -d:      %8.3f s CPU  %8.1f MB/s  (%.3f s wall)%s\n", t_objdump, mb / t_objdump, wall,
           rc ? "  (objdump failed)" : "");
    printf("  decode + format is %.1fx objdump's throughput; decode only %.1fx\n", t_objdump / t_format,
           t_objdump / t_decode);
    our_figures ours = {mb, t_decode, t_format, insns};
    bench_references(sections, count, &ours);
    for (size_t i = 0; i < count; i++)
        free(sections[i].bytes);
    return 0;
}
