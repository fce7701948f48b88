/* Benchmark for `pmm search`: a target with N MiB (default 1024) of committed, readable memory
 * (pmm_target_markers --fill-mib N, pseudo-random bytes). For each kind of pattern, in the same
 * run and interleaved so they see the same machine state:
 *   read-only pass  the same memory walk (same regions, same 256 KiB chunks) with a callback that
 *                   does nothing, once reading on the calling thread (sequential) and once with
 *                   the reader thread the search uses (threaded); the faster of the two is the
 *                   baseline, so the thread cannot make the ratio look better than it is
 *   search          pmm_search_run as pmm search and the GUI call it (ratio goal <= 1.15), and
 *                   once more with the walk's reader thread (PMM_WALK_THREADED), for comparison
 *   naive           a compare at every offset over the same walk, for contrast (ANSI and hex)
 *   matcher alone   pmm_search_find over one in-memory chunk of random bytes, as many bytes as
 *                   the walk reads: the search's own work, without any reading
 * Prints the best of RUNS runs (the least disturbed by other load on the machine), the median, and
 * the spread of the per-run ratios.
 * Usage: bench_search.exe TARGET_EXE [MIB [CHUNK_KIB]]   (chunk: default PMM_SEARCH_DEFAULT_CHUNK) */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/analyzers/scan.h"
#include "core/tools/search.h"
#include "core/util/clock.h"
#include "core/win32/live_source.h"
#include "bench_target.h"

#define RUNS 7
#define NAIVE_RUNS 2         /* 20+ s a pass: enough to show the gain */

static size_t chunk_size = PMM_SEARCH_DEFAULT_CHUNK;

/* CPU time (user + kernel) of this process so far, in microseconds: unlike wall time it hardly
 * depends on what else the machine runs, so it shows what the search itself adds (the Wine
 * server's share of a read is not in it). */
static uint64_t cpu_microseconds(void)
{
    FILETIME created, exited, kernel, user;
    if (!GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user))
        return 0;
    uint64_t k = (uint64_t)kernel.dwHighDateTime << 32 | kernel.dwLowDateTime;
    uint64_t u = (uint64_t)user.dwHighDateTime << 32 | user.dwLowDateTime;
    return (k + u) / 10;
}

static uint64_t last_cpu;    /* CPU time of the last walk_pass or search_pass */

static int count_nothing(void *ctx, const uint8_t *data, size_t size, uint64_t addr, int stream_end)
{
    (void)data;
    (void)addr;
    (void)stream_end;
    *(uint64_t *)ctx += size;
    return 0;
}

static uint64_t walk_pass(pmm_source *src, const pmm_map *map, int threading, size_t overlap, pmm_window_fn fn,
                          void *ctx, uint64_t *bytes)
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
    walk.threading = threading;
    uint64_t cpu = cpu_microseconds(), started = pmm_clock_microseconds();
    pmm_memory_walk_run(&walk, fn, ctx);
    *bytes = walk.bytes_read;
    uint64_t wall = pmm_clock_microseconds() - started;
    last_cpu = cpu_microseconds() - cpu;
    return wall;
}

static uint64_t read_pass(pmm_source *src, const pmm_map *map, int threading, uint64_t *bytes)
{
    uint64_t seen = 0;
    return walk_pass(src, map, threading, 0, count_nothing, &seen, bytes);
}

static uint64_t search_pass(pmm_source *src, const pmm_map *map, const pmm_search_pattern *p, int threading,
                            uint64_t *hits, uint64_t *bytes)
{
    pmm_search_options o;
    pmm_search_summary s;
    memset(&o, 0, sizeof o);
    o.chunk_size = chunk_size;
    o.threading = threading;
    uint64_t cpu = cpu_microseconds(), started = pmm_clock_microseconds();
    pmm_search_run(src, map, p, &o, NULL, NULL, &s);
    *hits = s.hits;
    *bytes = s.bytes_searched;
    uint64_t wall = pmm_clock_microseconds() - started;
    last_cpu = cpu_microseconds() - cpu;
    return wall;
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
    uint64_t t = walk_pass(src, map, PMM_WALK_SEQUENTIAL, p->length - 1, naive_window, &n, &bytes);
    *hits = n.hits;
    return t;
}

static int count_match(void *ctx, size_t offset)
{
    (void)offset;
    ++*(uint64_t *)ctx;
    return 0;
}

/* The matcher alone, no reading: one chunk of pseudo-random bytes matched over and over, as much
 * as the walk reads. What the search adds to a read on one core. */
static uint64_t match_only_pass(const pmm_search_pattern *p, const uint8_t *chunk, uint64_t bytes)
{
    uint64_t found = 0, started = pmm_clock_microseconds();
    for (uint64_t done = 0; done < bytes; done += chunk_size)
        pmm_search_find(p, chunk, chunk_size, done, count_match, &found);
    return pmm_clock_microseconds() - started;
}

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Sorts v[0..n); returns the median, and the minimum in *best. */
static uint64_t median(uint64_t *v, int n, uint64_t *best)
{
    qsort(v, (size_t)n, sizeof v[0], compare_u64);
    *best = v[0];
    return v[n / 2];
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

typedef struct bench_kind {
    pmm_search_spec spec;
    int naive;
} bench_kind;

int main(int argc, char **argv)
{
    bench_target c;
    if (argc < 2) {
        fprintf(stderr, "usage: bench_search TARGET_EXE [MIB]\n");
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
    /* Texts that are not there (every candidate fails), a code-like hex pattern with wildcards,
     * one that starts with wildcards, and numbers. */
    static const bench_kind kinds[] = {
        {{PMM_SEARCH_ANSI, "PMM-BENCH-NEEDLE", 0, 0, 0, 0}, 1},
        {{PMM_SEARCH_HEX, "48 8B 05 ?? ?? ?? ?? 48 85 C0", 0, 0, 0, 0}, 1},
        {{PMM_SEARCH_ANSI, "PMM-BENCH-NEEDLE", 1, 0, 0, 0}, 0},
        {{PMM_SEARCH_UTF16, "PMM-BENCH-NEEDLE", 1, 0, 0, 0}, 0},
        {{PMM_SEARCH_HEX, "?? ?? 4? 8B 05", 0, 0, 0, 0}, 0},
        {{PMM_SEARCH_INT, "0x7A3B9C1D", 0, 32, 0, 4}, 0},
        {{PMM_SEARCH_DOUBLE, "3.14159", 0, 0, 0, 0}, 0},
    };
    uint8_t *random_chunk = malloc(chunk_size + PMM_SEARCH_MAX_PATTERN);
    if (!random_chunk)
        return 1;
    uint32_t state = 12345;
    for (size_t i = 0; i < chunk_size + PMM_SEARCH_MAX_PATTERN; i++) {
        state = state * 1103515245u + 12345u;
        random_chunk[i] = (uint8_t)(state >> 24);
    }
    printf("search bench: %s MiB filled, %zu KiB chunks; read-only baseline: the faster of a sequential and a threaded walk\n", mib,
           chunk_size / 1024);
    double worst_best = 0;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        const pmm_search_spec *spec = &kinds[k].spec;
        pmm_search_pattern p;
        if (pmm_search_compile(spec, &p, message, sizeof message) != PMM_OK) {
            fprintf(stderr, "bench_search: %s\n", message);
            return 1;
        }
        uint64_t seq[RUNS], thr[RUNS], searches[RUNS], matches[RUNS], naives[NAIVE_RUNS];
        uint64_t seq_cpu[RUNS], search_cpu[RUNS], thr_cpu[RUNS], thr_searches[RUNS], thr_search_cpu[RUNS];
        double ratios[RUNS];
        uint64_t bytes = 0, searched = 0, hits = 0, naive_hits = 0;
        for (int i = 0; i < RUNS; i++) {   /* interleaved, so all of them see the same machine state */
            seq[i] = read_pass(&src, map, PMM_WALK_SEQUENTIAL, &bytes);
            seq_cpu[i] = last_cpu;
            searches[i] = search_pass(&src, map, &p, PMM_WALK_AUTO, &hits, &searched);
            search_cpu[i] = last_cpu;
            thr[i] = read_pass(&src, map, PMM_WALK_THREADED, &bytes);
            thr_cpu[i] = last_cpu;
            thr_searches[i] = search_pass(&src, map, &p, PMM_WALK_THREADED, &hits, &searched);
            thr_search_cpu[i] = last_cpu;
            ratios[i] = (double)searches[i] / (double)(min_u64(seq[i], thr[i]) | 1);
            matches[i] = match_only_pass(&p, random_chunk, bytes);
            if (kinds[k].naive && i < NAIVE_RUNS)
                naives[i] = naive_pass(&src, map, &p, &naive_hits);
        }
        uint64_t sb, tb, cb, mb, nb = 0, scb, ccb;
        median(matches, RUNS, &mb);
        uint64_t scm = median(seq_cpu, RUNS, &scb), ccm = median(search_cpu, RUNS, &ccb), tcb, qb, qcb;
        uint64_t tcm = median(thr_cpu, RUNS, &tcb), qm = median(thr_searches, RUNS, &qb);
        uint64_t qcm = median(thr_search_cpu, RUNS, &qcb);
        uint64_t sm = median(seq, RUNS, &sb), tm = median(thr, RUNS, &tb), cm = median(searches, RUNS, &cb);
        if (kinds[k].naive)
            median(naives, NAIVE_RUNS, &nb);
        qsort(ratios, RUNS, sizeof ratios[0], compare_double);
        uint64_t rb = min_u64(sb, tb);
        double ratio = (double)cb / (double)(rb | 1);
        if (ratio > worst_best)
            worst_best = ratio;
        printf("  %s%s%s \"%s\"%s: %llu hits\n", pmm_search_kind_name(spec->kind), spec->ignore_case ? " ignore-case" : "",
               spec->kind == PMM_SEARCH_INT ? " 32-bit" : "", spec->text,
               spec->alignment > 1 ? " aligned" : "", (unsigned long long)hits);
        printf("    read-only: %.1f ms for %.1f MiB (%.0f MiB/s) best of %d; sequential %.1f ms (median %.1f), "
               "threaded %.1f ms (median %.1f)\n",
               rb / 1000.0, bytes / 1048576.0, bytes / 1048576.0 / (rb / 1e6), RUNS, sb / 1000.0, sm / 1000.0,
               tb / 1000.0, tm / 1000.0);
        printf("    search:    %.1f ms (median %.1f) for %.1f MiB, ratio %.3f (goal <= 1.15) %s; "
               "per-run ratios min %.3f median %.3f max %.3f\n",
               cb / 1000.0, cm / 1000.0, searched / 1048576.0, ratio, ratio <= 1.15 ? "MET" : "NOT MET", ratios[0],
               ratios[RUNS / 2], ratios[RUNS - 1]);
        printf("    search with the reader thread: %.1f ms (median %.1f), ratio %.3f\n", qb / 1000.0, qm / 1000.0,
               (double)qb / (double)(rb | 1));
        printf("    CPU time of this process, best (median): read-only sequential %.0f (%.0f) ms, threaded %.0f (%.0f) ms; "
               "search %.0f (%.0f) ms, with the reader thread %.0f (%.0f) ms\n", scb / 1000.0, scm / 1000.0,
               tcb / 1000.0, tcm / 1000.0, ccb / 1000.0, ccm / 1000.0, qcb / 1000.0, qcm / 1000.0);
        printf("    matcher alone (no reads, one core): %.1f ms for the same bytes, %.1f%% of the read-only pass\n",
               mb / 1000.0, 100.0 * (double)mb / (double)(rb | 1));
        if (kinds[k].naive)
            printf("    naive compare at every offset: %.1f ms best of %d (%.1fx the search; %llu hits)\n", nb / 1000.0,
                   NAIVE_RUNS, (double)nb / (double)(cb | 1), (unsigned long long)naive_hits);
        pmm_search_pattern_free(&p);
        fflush(stdout);
    }
    printf("  worst best-of-%d ratio over the kinds: %.3f %s\n", RUNS, worst_best, worst_best <= 1.15 ? "MET" : "NOT MET");
    free(random_chunk);
    pmm_map_free(map);
    pmm_source_close(&src);
    bench_target_stop(&c);
    return 0;
}
