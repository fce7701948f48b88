/* Benchmark for `pmm search`: a target with N MiB (default 1024) of committed, readable memory
 * (pmm_target_markers --fill-mib N, pseudo-random bytes). In the same run, interleaved: a pass that
 * only reads the same regions in the same chunks, the search (ratio goal <= 1.15), and a naive
 * compare at every offset, for contrast. Prints the best of 5 runs (the least disturbed by other
 * load on the machine) and the medians.
 * Usage: bench_search.exe TARGET_EXE [MIB] */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/analyzers/scan.h"
#include "core/tools/search.h"
#include "core/util/clock.h"
#include "core/win32/live_source.h"
#include "bench_target.h"

#define RUNS 5

static int count_nothing(void *ctx, const uint8_t *data, size_t size, uint64_t addr, int stream_end)
{
    (void)data;
    (void)addr;
    (void)stream_end;
    *(uint64_t *)ctx += size;
    return 0;
}

static uint64_t read_pass(pmm_source *src, const pmm_map *map, uint64_t *bytes)
{
    pmm_search_scope scope;
    memset(&scope, 0, sizeof scope);
    pmm_memory_walk walk;
    memset(&walk, 0, sizeof walk);
    walk.src = src;
    walk.map = map;
    walk.scope = &scope;
    walk.chunk_size = PMM_SEARCH_DEFAULT_CHUNK;
    uint64_t seen = 0, started = pmm_clock_microseconds();
    pmm_memory_walk_run(&walk, count_nothing, &seen);
    *bytes = walk.bytes_read;
    return pmm_clock_microseconds() - started;
}

static uint64_t search_pass(pmm_source *src, const pmm_map *map, const pmm_search_pattern *p, uint64_t *hits)
{
    pmm_search_options o;
    pmm_search_summary s;
    memset(&o, 0, sizeof o);
    uint64_t started = pmm_clock_microseconds();
    pmm_search_run(src, map, p, &o, NULL, NULL, &s);
    *hits = s.hits;
    return pmm_clock_microseconds() - started;
}

typedef struct naive_ctx {
    const pmm_search_pattern *pattern;
    uint64_t hits;
} naive_ctx;

/* Compare at every offset: what a search without an anchor and a skip would do. */
static int naive_window(void *ctx, const uint8_t *data, size_t size, uint64_t addr, int stream_end)
{
    naive_ctx *n = ctx;
    (void)addr;
    (void)stream_end;
    for (size_t i = 0; i + n->pattern->length <= size; i++)
        if (memcmp(data + i, n->pattern->value, n->pattern->length) == 0)
            n->hits++;
    return 0;
}

static uint64_t naive_pass(pmm_source *src, const pmm_map *map, const pmm_search_pattern *p, uint64_t *hits)
{
    pmm_search_scope scope;
    memset(&scope, 0, sizeof scope);
    pmm_memory_walk walk;
    memset(&walk, 0, sizeof walk);
    walk.src = src;
    walk.map = map;
    walk.scope = &scope;
    walk.chunk_size = PMM_SEARCH_DEFAULT_CHUNK;
    walk.overlap = p->length - 1;
    naive_ctx n = {p, 0};
    uint64_t started = pmm_clock_microseconds();
    pmm_memory_walk_run(&walk, naive_window, &n);
    *hits = n.hits;
    return pmm_clock_microseconds() - started;
}

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorts v; returns the median, and the minimum in *best. */
static uint64_t median(uint64_t *v, uint64_t *best)
{
    qsort(v, RUNS, sizeof v[0], compare_u64);
    *best = v[0];
    return v[RUNS / 2];
}

int main(int argc, char **argv)
{
    bench_target c;
    if (argc < 2) {
        fprintf(stderr, "usage: bench_search TARGET_EXE [MIB]\n");
        return 2;
    }
    const char *mib = argc > 2 ? argv[2] : "1024";
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
    /* A text that is not there (every candidate fails) and a code-like hex pattern with wildcards. */
    pmm_search_spec specs[2] = {{PMM_SEARCH_ANSI, "PMM-BENCH-NEEDLE", 0, 0, 0, 0},
                                {PMM_SEARCH_HEX, "48 8B 05 ?? ?? ?? ?? 48 85 C0", 0, 0, 0, 0}};
    printf("search bench: %s MiB filled\n", mib);
    for (int k = 0; k < 2; k++) {
        pmm_search_pattern p;
        if (pmm_search_compile(&specs[k], &p, message, sizeof message) != PMM_OK)
            return 1;
        uint64_t reads[RUNS], searches[RUNS], naives[RUNS], bytes = 0, hits = 0, naive_hits = 0;
        for (int i = 0; i < RUNS; i++) {   /* interleaved, so all three see the same machine state */
            reads[i] = read_pass(&src, map, &bytes);
            searches[i] = search_pass(&src, map, &p, &hits);
            naives[i] = specs[k].kind == PMM_SEARCH_ANSI ? naive_pass(&src, map, &p, &naive_hits) : 0;
        }
        uint64_t rb, sb, nb;
        uint64_t rm = median(reads, &rb), sm = median(searches, &sb), n = median(naives, &nb);
        uint64_t r = rb, s = sb;
        double ratio = (double)s / (double)(r ? r : 1);
        printf("  pattern %s \"%s\": %llu hits\n", pmm_search_kind_name(specs[k].kind), specs[k].text,
               (unsigned long long)hits);
        printf("    read-only pass: %.1f ms for %.1f MiB (%.0f MiB/s), best of %d (median %.1f ms)\n", r / 1000.0,
               bytes / 1048576.0, bytes / 1048576.0 / (r / 1e6), RUNS, rm / 1000.0);
        printf("    search:         %.1f ms (median %.1f ms), ratio %.2f (goal <= 1.15) %s; medians %.2f\n",
               s / 1000.0, sm / 1000.0, ratio, ratio <= 1.15 ? "MET" : "NOT MET", (double)sm / (double)(rm ? rm : 1));
        if (n)
            printf("    naive compare at every offset: %.1f ms (%.1fx the search; %llu hits)\n", n / 1000.0,
                   (double)n / (double)(s ? s : 1), (unsigned long long)naive_hits);
        pmm_search_pattern_free(&p);
    }
    pmm_map_free(map);
    pmm_source_close(&src);
    bench_target_stop(&c);
    return 0;
}
