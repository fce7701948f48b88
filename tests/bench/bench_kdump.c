/* Benchmark for the kernel dump reader (`pmm kdump`): a builder-made x64 machine with 4 GiB of
 * present pages in 1,000 runs (plus the page tables), written twice: as a CompleteMemory dump
 * (RDMP page ranges: runs) and as a Bitmap dump. For each file:
 *   open            pmm_kdump_open: header, run table or bitmap block counts (median of 9; goal
 *                   under 50 ms)
 *   physical reads  every present page through pmm_kdump_read_physical, against plain reads of
 *                   the same file ranges in the same order (pmm_input_file_read at the pages' file
 *                   offsets, on the same kind of open file): RUNS pairs back to back, the median
 *                   of the ratios (goal <= 1.1); with the file mapped, and read by offset
 *   translation     1,000,000 random virtual addresses of the 4 GiB mapped with 4 KiB pages,
 *                   through pmm_kdump_translate (goal >= 5 million per second); every answer is
 *                   checked against the builder's own mapping
 * Writes its two dumps (about 4 GiB each) into the current folder and removes them.
 * Usage: bench_kdump [PAGES_PER_RUN]   (default 1048: 1,000 runs of 1,048 pages = 4 GiB) */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/formats/kdump.h"
#include "core/util/clock.h"
#include "core/util/input_file.h"
#include "bench_stats.h"
#include "../kdump/kdump_builder.h"

#define RUN_COUNT 1000
#define RUN_GAP 152                 /* page frames between runs */
#define FIRST_RUN 0x100000ull       /* above the builder's page-table clusters */
#define VA_BASE 0xFFFF900000000000ull
#define OPENS 9
#define RUNS 5
#define TRANSLATIONS 1000000
#define OPEN_GOAL_MS 50.0
#define READ_GOAL 1.1
#define TRANSLATE_GOAL 5.0e6

static uint64_t pages_per_run = 1048;

static uint64_t run_first_page(uint64_t run)
{
    return FIRST_RUN + run * (pages_per_run + RUN_GAP);
}

/* Page i of the 4 GiB, as the machine maps it at VA_BASE + i * 4 KiB. */
static uint64_t pfn_of_index(uint64_t i)
{
    return run_first_page(i / pages_per_run) + i % pages_per_run;
}

static kdb *build_machine(void)
{
    kdb *b = kdb_new(KDB_X64);
    for (uint64_t r = 0; r < RUN_COUNT; r++)
        kdb_add_synthetic(b, run_first_page(r), pages_per_run);
    for (uint64_t i = 0; i < RUN_COUNT * pages_per_run; i++)
        kdb_map(b, VA_BASE + i * 4096, pfn_of_index(i) * 4096, 4096, KDB_PRESENT | KDB_WRITE | KDB_NX);
    return b;
}

static int write_dump(kdb *b, uint32_t type, const char *path)
{
    FILE *f = fopen(path, "wb");
    int rc = f ? kdb_write(b, type, kdb_sink_file(f)) : -1;
    if (f && fclose(f) != 0)
        rc = -1;
    if (rc != 0)
        fprintf(stderr, "bench_kdump: writing %s failed (disk full?)\n", path);
    return rc;
}

static double median_of(uint64_t *v, int n)
{
    bench_sort_u64(v, (size_t)n);
    return (double)v[n / 2];
}

static pmm_kdump *open_dump(const char *path, uint32_t flags)
{
    pmm_kdump *dump;
    char message[512];
    if (pmm_kdump_open_with(path, flags, &dump, message, sizeof message) != PMM_OK) {
        fprintf(stderr, "bench_kdump: %s: %s\n", path, message);
        return NULL;
    }
    return dump;
}

static int bench_open(const char *path)
{
    uint64_t took[OPENS];
    for (int i = 0; i < OPENS; i++) {
        uint64_t started = pmm_clock_microseconds();
        pmm_kdump *dump = open_dump(path, 0);
        took[i] = pmm_clock_microseconds() - started;
        if (!dump)
            return -1;
        pmm_kdump_close(dump);
    }
    double ms = median_of(took, OPENS) / 1000.0;
    printf("  open: %.2f ms median of %d (best %.2f)%s\n", ms, OPENS, took[0] / 1000.0,
           ms < OPEN_GOAL_MS ? " (goal < 50 ms: MET)" : " (goal < 50 ms: NOT MET)");
    return 0;
}

/* Every present page through the reader, in page order. */
static uint64_t reader_pass(pmm_kdump *dump, uint8_t *page, uint64_t *sum)
{
    pmm_kdump_run runs[256];
    uint64_t from = 0, started = pmm_clock_microseconds();
    for (size_t n; (n = pmm_kdump_runs(dump, from, runs, 256)) > 0; from = runs[n - 1].first_page + runs[n - 1].page_count)
        for (size_t i = 0; i < n; i++)
            for (uint64_t p = runs[i].first_page; p < runs[i].first_page + runs[i].page_count; p++) {
                if (pmm_kdump_read_physical(dump, p * 4096, page, 4096) != 4096)
                    return 0;
                *sum += page[p % 4096];
            }
    return pmm_clock_microseconds() - started;
}

/* The same file ranges read plainly, in the same order. */
static uint64_t plain_pass(pmm_input_file *file, const pmm_kdump_run *runs, size_t count, uint8_t *page,
                           uint64_t *sum)
{
    uint64_t started = pmm_clock_microseconds();
    for (size_t i = 0; i < count; i++)
        for (uint64_t p = 0; p < runs[i].page_count; p++) {
            if (pmm_input_file_read(file, runs[i].file_offset + p * 4096, page, 4096) != PMM_OK)
                return 0;
            *sum += page[(runs[i].first_page + p) % 4096];
        }
    return pmm_clock_microseconds() - started;
}

static int bench_reads(const char *path, uint32_t flags, const char *how)
{
    pmm_kdump *dump = open_dump(path, flags);
    pmm_input_file *file = NULL;
    if (!dump || pmm_input_file_open(path, flags, &file) != PMM_OK) {
        pmm_kdump_close(dump);
        return -1;
    }
    pmm_kdump_memory_summary m;
    pmm_kdump_memory_summary_of(dump, &m);
    pmm_kdump_run *runs = malloc((size_t)m.run_count * sizeof *runs);
    uint8_t *page = malloc(4096);
    size_t count = runs ? pmm_kdump_runs(dump, 0, runs, (size_t)m.run_count) : 0;
    uint64_t ours[RUNS], plain[RUNS], ours_sum = 0, plain_sum = 0;
    double ratios[RUNS];
    int rc = 0;
    for (int r = 0; r < RUNS && page && count == m.run_count; r++) {
        if (r % 2) {
            ours[r] = reader_pass(dump, page, &ours_sum);
            plain[r] = plain_pass(file, runs, count, page, &plain_sum);
        } else {
            plain[r] = plain_pass(file, runs, count, page, &plain_sum);
            ours[r] = reader_pass(dump, page, &ours_sum);
        }
        if (!ours[r] || !plain[r]) {
            rc = -1;
            break;
        }
        ratios[r] = (double)ours[r] / (double)plain[r];
    }
    if (rc == 0 && ours_sum != plain_sum) {
        fprintf(stderr, "bench_kdump: the reader and the plain reads saw different bytes\n");
        rc = -1;
    }
    if (rc == 0) {
        bench_sort_double(ratios, RUNS);
        double gib = (double)m.present_pages * 4096 / (1u << 30);
        double om = median_of(ours, RUNS), pm = median_of(plain, RUNS);
        printf("  read every present page (%" PRIu64 " pages, %.2f GiB, %s): reader %.0f ms (%.2f GB/s), plain %.0f ms; "
               "reader / plain median of %d pairs %.3f (%.3f to %.3f)%s\n",
               m.present_pages, gib, how, om / 1000, gib * 1.073741824 / (om / 1e6), pm / 1000, RUNS,
               ratios[RUNS / 2], ratios[0], ratios[RUNS - 1],
               ratios[RUNS / 2] <= READ_GOAL ? " (goal <= 1.1: MET)" : " (goal <= 1.1: NOT MET)");
    }
    free(page);
    free(runs);
    pmm_input_file_close(file);
    pmm_kdump_close(dump);
    return rc;
}

static uint64_t next_random(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

static int bench_translate(const char *path)
{
    pmm_kdump *dump = open_dump(path, 0);
    if (!dump)
        return -1;
    uint64_t total_pages = RUN_COUNT * pages_per_run, state = 0x9E3779B97F4A7C15ull, wrong = 0;
    uint64_t *vas = malloc(TRANSLATIONS * sizeof *vas);
    if (!vas) {
        pmm_kdump_close(dump);
        return -1;
    }
    for (int i = 0; i < TRANSLATIONS; i++)
        vas[i] = VA_BASE + next_random(&state) % (total_pages * 4096);
    uint64_t took[RUNS], cpu[RUNS];
    for (int r = 0; r < RUNS; r++) {
        uint64_t started = pmm_clock_microseconds(), cpu_started = bench_cpu_microseconds();
        for (int i = 0; i < TRANSLATIONS; i++) {
            pmm_kdump_translation t;
            pmm_kdump_translate(dump, 0, vas[i], &t);
            uint64_t index = (vas[i] - VA_BASE) / 4096;
            wrong += t.status != PMM_KDUMP_VA_PRESENT || t.physical != pfn_of_index(index) * 4096 + vas[i] % 4096;
        }
        took[r] = pmm_clock_microseconds() - started;
        cpu[r] = bench_cpu_microseconds() - cpu_started;
    }
    /* The rate is work per CPU second: on a machine shared with other jobs the wall clock counts
     * their time too (both are printed). */
    double us = median_of(took, RUNS), cpu_us = median_of(cpu, RUNS);
    double rate = TRANSLATIONS / (us / 1e6), cpu_rate = TRANSLATIONS / ((cpu_us > 0 ? cpu_us : 1) / 1e6);
    printf("  translate %d random addresses: %.0f ms wall, %.0f ms CPU (medians of %d); %.2f million per CPU "
           "second, %.2f per wall second; %" PRIu64 " wrong%s\n",
           TRANSLATIONS, us / 1000, cpu_us / 1000, RUNS, cpu_rate / 1e6, rate / 1e6, wrong,
           cpu_rate >= TRANSLATE_GOAL && !wrong ? " (goal >= 5 million/s: MET)" : " (goal >= 5 million/s: NOT MET)");
    free(vas);
    pmm_kdump_close(dump);
    return wrong ? -1 : 0;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        pages_per_run = strtoull(argv[1], NULL, 0);
    if (pages_per_run == 0 || pages_per_run > 100000) {
        fprintf(stderr, "usage: bench_kdump [PAGES_PER_RUN]\n");
        return 2;
    }
    static const struct {
        uint32_t type;
        const char *file, *name;
    } dumps[] = {{0xA, "bench_kdump_runs.dmp", "CompleteMemory (RDMP ranges)"},
                 {5, "bench_kdump_bitmap.dmp", "Bitmap"}};
    uint64_t started = pmm_clock_microseconds();
    kdb *b = build_machine();
    printf("kernel dump bench: %d runs of %" PRIu64 " pages (%.2f GiB present), built in %.1f s\n", RUN_COUNT,
           pages_per_run, (double)RUN_COUNT * pages_per_run * 4096 / (1u << 30),
           (pmm_clock_microseconds() - started) / 1e6);
    int rc = 0;
    for (int d = 0; d < 2 && rc == 0; d++) {
        started = pmm_clock_microseconds();
        if (write_dump(b, dumps[d].type, dumps[d].file) != 0) {
            rc = 1;
            break;
        }
        printf("%s: %s written in %.1f s\n", dumps[d].name, dumps[d].file, (pmm_clock_microseconds() - started) / 1e6);
        rc |= bench_open(dumps[d].file) != 0;
        rc |= bench_reads(dumps[d].file, 0, "file mapped") != 0;
        rc |= bench_reads(dumps[d].file, PMM_INPUT_FILE_NO_MAP, "read by offset") != 0;
        rc |= bench_translate(dumps[d].file) != 0;
        remove(dumps[d].file);
    }
    kdb_free(b);
    return rc;
}
