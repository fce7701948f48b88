/* Benchmark for `pmm search`: a target with N MiB (default 1024) of committed, readable memory
 * (pmm_target_markers --fill-mib N, pseudo-random bytes). For each kind of pattern, RUNS runs of
 *   read-only pass  the same memory walk (same regions, same 256 KiB chunks) reading every window
 *                   through the source's read op (a copy, as any reader gets the bytes), with a
 *                   callback that does nothing
 *   lent floor      for a source that lends its bytes in place (a minidump's file mapping): the
 *                   walk over the lent windows with one load per 64-byte line, the least a pass
 *                   can do to bring the bytes to the processor (no copy)
 *   search          pmm_search_run as pmm search and the GUI call it
 * back to back, in alternating order, so each run's pair sees the same machine state; the ratio
 * search / read-only of each pair, and their median, is the figure (goal <= 1.15): a best-of-N
 * of each side alone is also printed, but one unusually fast read-only pass (under Wine they
 * range from 0.7 to 1.5 s per GiB) decides it. Also, for contrast:
 *   naive           a compare at every offset over the same walk (ANSI and hex)
 *   matcher alone   pmm_search_find over one in-memory chunk of random bytes, as many bytes as
 *                   the walk reads, with each scanner the build and CPU have (AVX2, SSE2, words)
 * First over the live process, then over our full minidump of it: a file, whose reads are a copy
 * from the file cache, several times faster than reading another process; the search lends the
 * dump's bytes from its file mapping instead of copying them (goal <= 1.15 for both).
 * Writes its minidump into the current folder and removes it.
 * Usage: bench_search.exe TARGET_EXE [MIB [CHUNK_KIB]]   (chunk: default PMM_SEARCH_DEFAULT_CHUNK)
 * PMM_SEARCH_BENCH_ONLY=minidump skips the live passes (the minidump is still written from the
 * live target). */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/analyzers/scan.h"
#include "core/adapters/minidump_source.h"
#include "core/tools/search.h"
#include "core/util/clock.h"
#include "core/win32/dump_win32.h"
#include "core/win32/live_source.h"
#include "bench_stats.h"
#include "bench_target.h"

#define RUNS 9
#define NAIVE_RUNS 2         /* 15+ s a pass: enough to show the gain */
#define DUMP_FILE "bench_search.dmp"
#define GOAL 1.15

static size_t chunk_size = PMM_SEARCH_DEFAULT_CHUNK;

/* CPU time (user + kernel) of this process so far, in microseconds: it shows what the search
 * adds to a read (the Wine server's share of a read is not in it). */
/* One pass: wall and CPU time in microseconds. */
typedef struct timing {
    uint64_t wall, cpu;
} timing;

static uint64_t pass_started_wall, pass_started_cpu;

static void pass_start(void)
{
    pass_started_cpu = bench_cpu_microseconds();
    pass_started_wall = pmm_clock_microseconds();
}

static timing pass_end(void)
{
    timing t = {pmm_clock_microseconds() - pass_started_wall, 0};
    t.cpu = bench_cpu_microseconds() - pass_started_cpu;
    return t;
}

static int count_nothing(void *ctx, const uint8_t *data, size_t size, uint64_t addr, int stream_end)
{
    (void)data;
    (void)addr;
    (void)stream_end;
    *(uint64_t *)ctx += size;
    return 0;
}

/* Brings every window it is given into the processor at the least cost: one load per 64-byte line
 * (a lent window is not read by the walk itself). */
static int touch_every_line(void *ctx, const uint8_t *data, size_t size, uint64_t addr, int stream_end)
{
    uint64_t x = 0;
    (void)addr;
    (void)stream_end;
    for (size_t i = 0; i < size; i += 64)
        x += data[i];
    if (size)
        x += data[size - 1];
    *(volatile uint64_t *)ctx += x;
    return 0;
}

static timing walk_pass(pmm_source *src, const pmm_map *map, size_t overlap, pmm_window_fn fn, void *ctx,
                        uint64_t *bytes)
{
    pmm_search_scope scope;
    memset(&scope, 0, sizeof scope);
    pmm_memory_walk walk;
    memset(&walk, 0, sizeof walk);
    walk.src = src;
    walk.map = map;
    walk.scope = &scope;
    walk.chunk_size = chunk_size;
    walk.overlap = overlap;
    pass_start();
    pmm_memory_walk_run(&walk, fn, ctx);
    *bytes = walk.bytes_read;
    return pass_end();
}

static timing read_pass(pmm_source *src, const pmm_map *map, uint64_t *bytes)
{
    /* The source's read op only: the window is copied, as any reader of the source gets it. */
    pmm_source_ops copying = *src->ops;
    copying.borrow = NULL;
    pmm_source reader = *src;
    reader.ops = &copying;
    uint64_t seen = 0;
    return walk_pass(&reader, map, 0, count_nothing, &seen, bytes);
}

static timing lent_pass(pmm_source *src, const pmm_map *map)
{
    uint64_t seen = 0, bytes;
    return walk_pass(src, map, 0, touch_every_line, &seen, &bytes);
}

static timing search_pass(pmm_source *src, const pmm_map *map, const pmm_search_pattern *p, uint64_t *hits,
                          uint64_t *bytes)
{
    pmm_search_options o;
    pmm_search_summary s;
    memset(&o, 0, sizeof o);
    o.chunk_size = chunk_size;
    pass_start();
    pmm_search_run(src, map, p, &o, NULL, NULL, &s);
    *hits = s.hits;
    *bytes = s.bytes_searched;
    return pass_end();
}

typedef struct naive_ctx {
    const pmm_search_pattern *pattern;
    uint64_t hits;
} naive_ctx;

/* Compare at every offset: what a search without an anchor and a filter would do (memcmp when
 * every byte is fixed, else the byte-by-byte masked compare). */
static int naive_window(void *ctx, const uint8_t *data, size_t size, uint64_t addr, int stream_end)
{
    naive_ctx *n = ctx;
    const pmm_search_pattern *p = n->pattern;
    (void)stream_end;
    for (size_t i = 0; i + p->length <= size; i++)
        if ((addr + i) % p->alignment == 0 &&
            (p->plain ? memcmp(data + i, p->value, p->length) == 0 : pmm_search_pattern_matches(p, data + i)))
            n->hits++;
    return 0;
}

static uint64_t naive_pass(pmm_source *src, const pmm_map *map, const pmm_search_pattern *p, uint64_t *hits)
{
    naive_ctx n = {p, 0};
    uint64_t bytes;
    timing t = walk_pass(src, map, p->length - 1, naive_window, &n, &bytes);
    *hits = n.hits;
    return t.wall;
}

static int count_match(void *ctx, size_t offset)
{
    (void)offset;
    ++*(uint64_t *)ctx;
    return 0;
}

static uint8_t *random_chunk;   /* chunk_size + PMM_SEARCH_MAX_PATTERN pseudo-random bytes */

/* The matcher alone, no reading: one chunk of pseudo-random bytes matched over and over, as much
 * as the walk reads, with the given scanner. Best of three. */
static uint64_t match_only_pass(pmm_search_pattern *p, pmm_search_simd simd, uint64_t bytes)
{
    pmm_search_simd saved = p->simd;
    uint64_t best = UINT64_MAX;
    p->simd = simd;
    for (int r = 0; r < 3; r++) {
        uint64_t found = 0, started = pmm_clock_microseconds();
        for (uint64_t done = 0; done < bytes; done += chunk_size)
            pmm_search_find(p, random_chunk, chunk_size, done, count_match, &found);
        uint64_t took = pmm_clock_microseconds() - started;
        best = took < best ? took : best;
    }
    p->simd = saved;
    return best;
}

/* Sorts v[0..n); returns the median, and the minimum in *best. */
static uint64_t median(uint64_t *v, int n, uint64_t *best)
{
    bench_sort_u64(v, (size_t)n);
    *best = v[0];
    return v[n / 2];
}

typedef struct bench_kind {
    pmm_search_spec spec;
    int naive;
} bench_kind;

/* Texts that are not there (every candidate fails), a code-like hex pattern with wildcards, one
 * that starts with wildcards, and numbers. */
static const bench_kind kinds[] = {
    {{PMM_SEARCH_ANSI, "PMM-BENCH-NEEDLE", 0, 0, 0, 0}, 1},
    {{PMM_SEARCH_HEX, "48 8B 05 ?? ?? ?? ?? 48 85 C0", 0, 0, 0, 0}, 1},
    {{PMM_SEARCH_ANSI, "PMM-BENCH-NEEDLE", 1, 0, 0, 0}, 0},
    {{PMM_SEARCH_UTF16, "PMM-BENCH-NEEDLE", 1, 0, 0, 0}, 0},
    {{PMM_SEARCH_HEX, "?? ?? 4? 8B 05", 0, 0, 0, 0}, 0},
    {{PMM_SEARCH_INT, "0x7A3B9C1D", 0, 32, 0, 4}, 0},
    {{PMM_SEARCH_DOUBLE, "3.14159", 0, 0, 0, 0}, 0},
};
#define KIND_COUNT (sizeof kinds / sizeof kinds[0])

static const char *const scanner_names[] = {"64-bit words", "SSE2", "AVX2"};

static void print_matcher_alone(pmm_search_pattern *p, uint64_t bytes, uint64_t read_median)
{
    printf("    matcher alone (no reads, one core), ms for the same bytes and %% of the median read-only pass:");
    for (int simd = (int)pmm_search_simd_best(); simd >= PMM_SIMD_WORDS; simd--) {
        uint64_t t = match_only_pass(p, (pmm_search_simd)simd, bytes);
        printf(" %s %.1f (%.1f%%)", scanner_names[simd], t / 1000.0, 100.0 * (double)t / (double)(read_median | 1));
    }
    printf("\n");
}

/* Every kind over one source. live: also the naive compare and the matcher alone (neither
 * depends on the source). Returns the worst median ratio over the kinds, or -1 on an error. */
static double bench_source(const char *label, pmm_source *src, const pmm_map *map, int live)
{
    char message[256];
    double worst = 0;
    printf("%s\n", label);
    for (size_t k = 0; k < KIND_COUNT; k++) {
        const pmm_search_spec *spec = &kinds[k].spec;
        int naive = live && kinds[k].naive;
        pmm_search_pattern p;
        if (pmm_search_compile(spec, &p, message, sizeof message) != PMM_OK) {
            fprintf(stderr, "bench_search: %s\n", message);
            return -1;
        }
        uint64_t reads[RUNS], searches[RUNS], read_cpu[RUNS], search_cpu[RUNS], naives[NAIVE_RUNS], floors[RUNS];
        double ratios[RUNS], floor_ratios[RUNS];
        int lends = src->ops->borrow != NULL;
        uint64_t bytes = 0, searched = 0, hits = 0, naive_hits = 0;
        for (int i = 0; i < RUNS; i++) {
            timing r, s;
            if (i % 2 == 0) {
                r = read_pass(src, map, &bytes);
                s = search_pass(src, map, &p, &hits, &searched);
            } else {
                s = search_pass(src, map, &p, &hits, &searched);
                r = read_pass(src, map, &bytes);
            }
            if (lends) {
                floors[i] = lent_pass(src, map).wall;
                floor_ratios[i] = (double)s.wall / (double)(floors[i] | 1);
            }
            reads[i] = r.wall;
            read_cpu[i] = r.cpu;
            searches[i] = s.wall;
            search_cpu[i] = s.cpu;
            ratios[i] = (double)s.wall / (double)(r.wall | 1);
            if (naive && i < NAIVE_RUNS)
                naives[i] = naive_pass(src, map, &p, &naive_hits);
        }
        uint64_t rb, sb, rcb, scb, nb = 0;
        uint64_t rm = median(reads, RUNS, &rb), sm = median(searches, RUNS, &sb);
        uint64_t rcm = median(read_cpu, RUNS, &rcb), scm = median(search_cpu, RUNS, &scb);
        if (naive)
            median(naives, NAIVE_RUNS, &nb);
        bench_sort_double(ratios, RUNS);
        double ratio = ratios[RUNS / 2];
        if (ratio > worst)
            worst = ratio;
        printf("  %s%s%s \"%s\"%s: %llu hits in %.1f MiB\n", pmm_search_kind_name(spec->kind),
               spec->ignore_case ? " ignore-case" : "", spec->kind == PMM_SEARCH_INT ? " 32-bit" : "", spec->text,
               spec->alignment > 1 ? " aligned" : "", (unsigned long long)hits, searched / 1048576.0);
        printf("    read-only %.1f ms median (%.0f MiB/s), best %.1f; search %.1f ms median, best %.1f\n", rm / 1000.0,
               bytes / 1048576.0 / (rm / 1e6), rb / 1000.0, sm / 1000.0, sb / 1000.0);
        printf("    search / read-only: median of the %d pairs %.3f%s; pairs from %.3f to %.3f; best / best %.3f\n",
               RUNS, ratio, ratio <= GOAL ? " (goal <= 1.15: MET)" : " (goal <= 1.15: NOT MET)",
               ratios[0], ratios[RUNS - 1], (double)sb / (double)(rb | 1));
        if (lends) {
            uint64_t fb, fm = median(floors, RUNS, &fb);
            bench_sort_double(floor_ratios, RUNS);
            printf("    lent floor (no copy, one load per 64-byte line) %.1f ms median, best %.1f; search / floor: "
                   "median %.3f (%.3f to %.3f)\n", fm / 1000.0, fb / 1000.0, floor_ratios[RUNS / 2], floor_ratios[0],
                   floor_ratios[RUNS - 1]);
        }
        printf("    CPU time of this process, median: read-only %.0f ms, search %.0f ms\n", rcm / 1000.0, scm / 1000.0);
        if (live)
            print_matcher_alone(&p, bytes, rm);
        if (naive)
            printf("    naive compare at every offset: %.1f ms best of %d (%.1fx the search; %llu hits)\n", nb / 1000.0,
                   NAIVE_RUNS, (double)nb / (double)(sm | 1), (unsigned long long)naive_hits);
        pmm_search_pattern_free(&p);
        fflush(stdout);
    }
    printf("  worst median ratio over the kinds: %.3f%s\n", worst,
           live ? (worst <= GOAL ? " (goal <= 1.15: MET)" : " (goal <= 1.15: NOT MET)") : "");
    return worst;
}

/* The same kinds over our full minidump of the live target, as `pmm dump PID --format minidump`
 * writes it. */
static int bench_minidump_source(pmm_source *live_src, const pmm_map *live_map)
{
    char message[256] = "";
    pmm_md_write_options o = {.memory_mode = PMM_MD_MEMORY_FULL};
    pmm_md_write_result res;
    pmm_status st = pmm_dump_minidump_file(live_src, live_map, &o, DUMP_FILE, &res, NULL, message, sizeof message);
    pmm_md_write_result_free(&res);
    if (st != PMM_OK) {
        fprintf(stderr, "bench_search: could not write %s, a full minidump of the target: %s\n", DUMP_FILE,
                message[0] ? message : pmm_status_text(st));
        return -1;
    }
    pmm_source src;
    pmm_map *map = NULL;
    int rc = -1;
    if (pmm_minidump_open(DUMP_FILE, &src, message, sizeof message) == PMM_OK) {
        if (pmm_scan_source(&src, NULL, &map) == PMM_OK)
            rc = bench_source("minidump: the same searches over our full minidump of the target (a file)", &src, map,
                              0) < 0;
        pmm_map_free(map);
        pmm_source_close(&src);
    } else {
        fprintf(stderr, "bench_search: cannot open %s: %s\n", DUMP_FILE, message);
    }
    DeleteFileA(DUMP_FILE);
    return rc;
}

int main(int argc, char **argv)
{
    bench_target c;
    if (argc < 2) {
        fprintf(stderr, "usage: bench_search TARGET_EXE [MIB [CHUNK_KIB]]\n");
        return 2;
    }
    const char *mib = argc > 2 ? argv[2] : "1024";
    if (argc > 3 && atoi(argv[3]) > 0)
        chunk_size = (size_t)atoi(argv[3]) * 1024u;
    if (bench_target_start(argv[1], "--fill-mib", mib, &c) != 0) {
        fprintf(stderr, "bench_search: could not start %s\n", argv[1]);
        return 1;
    }
    pmm_source src;
    pmm_map *map = NULL;
    char message[256];
    if (pmm_live_open(c.pid, &src, message, sizeof message) != PMM_OK || pmm_scan_source(&src, NULL, &map) != PMM_OK) {
        fprintf(stderr, "bench_search: cannot open or scan the target: %s\n", message);
        bench_target_stop(&c);
        return 1;
    }
    random_chunk = malloc(chunk_size + PMM_SEARCH_MAX_PATTERN);
    if (!random_chunk)
        return 1;
    uint32_t state = 12345;
    for (size_t i = 0; i < chunk_size + PMM_SEARCH_MAX_PATTERN; i++) {
        state = state * 1103515245u + 12345u;
        random_chunk[i] = (uint8_t)(state >> 24);
    }
    printf("search bench: %s MiB filled, %zu KiB chunks, %d runs per kind, scanner %s\n", mib, chunk_size / 1024, RUNS,
           scanner_names[pmm_search_simd_best()]);
    const char *only = getenv("PMM_SEARCH_BENCH_ONLY");
    int rc = only && strcmp(only, "minidump") == 0 ? 0 : bench_source("live process:", &src, map, 1) < 0;
    rc |= bench_minidump_source(&src, map) != 0;
    free(random_chunk);
    pmm_map_free(map);
    pmm_source_close(&src);
    bench_target_stop(&c);
    return rc;
}
