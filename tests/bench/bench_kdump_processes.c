/* Benchmark for processes inside a kernel dump: a builder-made x64 machine (tests/kdump) with 200
 * processes, one whose user space is 50,000 regions (runs of 2 pages alternating read-write and
 * read-only, a VAD over each pair: 25,000 VADs), one with 1 GiB of present read-write pages (one
 * VAD), the other 198 sharing the rest of the pages so the Bitmap dump is about 8 GiB (all
 * process pages generated, not stored). Figures (CPU time: the machine is shared):
 *   list            pmm_kdump_processes over the 200 (wall time, median of 9 batches of 20; goal
 *                   under 0.5 s)
 *   map             the process's source opened (its VAD tree read) and the 50,000 regions queried
 *                   through it (pmm_source_query to the end), against walking the same page tables
 *                   alone as the map reads them (pmm_kdump_walk_runs, a visit per run of alike
 *                   leaves): MAP_RUNS pairs, median of the ratios (goal <= 1.5); against the walk leaf by
 *                   leaf (pmm_kdump_walk, each page's presence looked up) for comparison; the queries
 *                   alone against the walk and the VAD tree's share of the open, to say where the
 *                   time goes; and a whole pmm_scan_source for reference
 *   search          pmm_search_run for a text that is not there over the 1 GiB (its bytes lent
 *                   from the file mapping), against a read-only pass over the same memory with
 *                   the same windows that copies them: RUNS pairs, median of the ratios (goal
 *                   <= 1.15); and against the lent walk alone (the floor)
 * Writes its dump into the current folder and removes it; with PMM_KDUMP_BENCH_KEEP set, keeps it and
 * reads the one already there instead of writing it again (the same machine: to compare two builds
 * over one dump, run after run).
 * Usage: bench_kdump_processes [MIB_OF_BIG_PROCESS [GIB_OF_DUMP]]   (default 1024 MiB, 8 GiB) */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/adapters/kdump_kernel_source.h"
#include "core/analyzers/scan.h"
#include "core/formats/kdump.h"
#include "core/formats/kdump_processes.h"
#include "core/tools/search.h"
#include "core/util/clock.h"
#include "bench_stats.h"
#include "../kdump/kdump_scene.h"
#include "../kdump/kdump_vads.h"

#define PROCESSES 200
#define REGIONS 50000
#define REGION_PAGES 2
#define FIRST_SYNTHETIC 0x100000ull   /* above the builder's page-table clusters */
#define MANY_REGIONS_AT 0x10000000ull
#define BIG_AT 0x100000000ull
#define FILLER_AT 0x200000000ull
#define LISTS 9
#define LIST_BATCH 20
#define RUNS 5
#define MAP_RUNS 21   /* the map's figures are a few ms: more pairs than the search's */
#define LIST_GOAL_MS 500.0
#define MAP_GOAL 1.5
#define SEARCH_GOAL 1.15
#define DUMP_PATH "bench_kdump_processes.dmp"

static uint64_t big_pages = 262144;   /* 1 GiB */
static uint64_t dump_pages = 8ull << 18;   /* 8 GiB */

/* A private VAD over each pair of regions of regions.exe, one over big.exe's memory. */
static void add_vads(kscene *s, ks_process *many, ks_process *big)
{
    size_t count = REGIONS / 2;
    ks_vad *vads = calloc(count, sizeof *vads);
    if (!vads)
        abort();
    for (size_t i = 0; i < count; i++) {
        vads[i].start = MANY_REGIONS_AT + i * 2 * REGION_PAGES * KDB_PAGE;
        vads[i].end = vads[i].start + 2 * REGION_PAGES * KDB_PAGE;
        vads[i].type = KS_VAD_PRIVATE;
        vads[i].protect = 0x04;
        vads[i].committed = 1;
    }
    kscene_write_vads(s, many, vads, count, 0);
    ks_vad whole = {BIG_AT, BIG_AT + big_pages * KDB_PAGE, KS_VAD_PRIVATE, 0x04, 1, NULL};
    kscene_write_vads(s, big, &whole, 1, 0);
    kscene_relink(s);
    free(vads);
}

/* The other processes' pages, as many each as makes the dump about dump_pages. */
static void add_filler(kscene *s, uint64_t next, uint64_t filler)
{
    size_t services = 0;
    for (size_t p = 0; p + 2 < s->process_count; p++)
        services += s->processes[p].pid >= 8000;   /* the scene's own processes keep their pages */
    uint64_t each = services ? filler / services : 0;
    for (size_t p = 0; p + 2 < s->process_count && each; p++) {
        if (s->processes[p].pid < 8000)
            continue;
        kdb_use_space(s->b, s->processes[p].dtb);
        for (uint64_t i = 0; i < each; i++)
            kdb_map(s->b, FILLER_AT + i * KDB_PAGE, next++ * KDB_PAGE, KDB_PAGE, KDB_PRESENT | KDB_USER | KDB_NX);
    }
    kdb_use_space(s->b, 0);
}

/* The machine: PROCESSES processes, the last two the measured ones. */
static kscene *build_machine(uint32_t *many_pid, uint32_t *big_pid)
{
    kscene *s = kscene_build(KDB_X64, NULL, 0);
    uint64_t many_pages = (uint64_t)REGIONS * REGION_PAGES, next = FIRST_SYNTHETIC;
    uint64_t filler = dump_pages > many_pages + big_pages ? dump_pages - many_pages - big_pages : 0;
    kdb_add_synthetic(s->b, FIRST_SYNTHETIC, many_pages + big_pages + filler);
    char name[16];
    while (s->process_count < PROCESSES - 2) {
        snprintf(name, sizeof name, "svc%zu.exe", s->process_count);
        kscene_add_process(s, (uint32_t)(8000 + 4 * s->process_count), 4660, name, 4);
    }
    ks_process *many = kscene_add_process(s, 9000, 4660, "regions.exe", 1);
    kdb_use_space(s->b, many->dtb);
    for (uint64_t i = 0; i < many_pages; i++) {
        uint64_t write = (i / REGION_PAGES) % 2 ? 0 : KDB_WRITE;
        kdb_map(s->b, MANY_REGIONS_AT + i * KDB_PAGE, next++ * KDB_PAGE, KDB_PAGE, KDB_PRESENT | KDB_USER | KDB_NX | write);
    }
    ks_process *big = kscene_add_process(s, 9004, 4660, "big.exe", 1);
    kdb_use_space(s->b, big->dtb);
    for (uint64_t i = 0; i < big_pages; i++)
        kdb_map(s->b, BIG_AT + i * KDB_PAGE, next++ * KDB_PAGE, KDB_PAGE, KDB_PRESENT | KDB_USER | KDB_NX | KDB_WRITE);
    kdb_use_space(s->b, 0);
    add_filler(s, next, filler);
    add_vads(s, many, big);
    *many_pid = many->pid;
    *big_pid = big->pid;
    return s;
}

static double median(double *v, size_t n)
{
    bench_sort_double(v, n);
    return v[n / 2];
}

static uint64_t median_u64(uint64_t *v, size_t n)
{
    bench_sort_u64(v, n);
    return v[n / 2];
}

/* A process of the dump as a source (the source owns its own open of the dump). */
static int open_process(uint32_t pid, pmm_source *src)
{
    char message[512], selector[16];
    snprintf(selector, sizeof selector, "%u", pid);
    if (pmm_kdump_source_open(DUMP_PATH, selector, src, message, sizeof message) != PMM_OK) {
        fprintf(stderr, "bench_kdump_processes: %s\n", message);
        return -1;
    }
    return 0;
}

static int bench_list(void)
{
    pmm_kdump *dump;
    char message[512];
    if (pmm_kdump_open(DUMP_PATH, &dump, message, sizeof message) != PMM_OK) {
        fprintf(stderr, "bench_kdump_processes: %s\n", message);
        return -1;
    }
    uint64_t wall[LISTS];
    size_t count = 0;
    for (int i = 0; i < LISTS; i++) {
        uint64_t t0 = pmm_clock_microseconds();
        for (int n = 0; n < LIST_BATCH; n++) {
            pmm_kdump_process_list list;
            pmm_status st = pmm_kdump_processes(dump, &list, message, sizeof message);
            count = st == PMM_OK ? list.count : 0;
            pmm_kdump_process_list_free(&list);
        }
        wall[i] = pmm_clock_microseconds() - t0;
    }
    pmm_kdump_close(dump);
    double ms = (double)median_u64(wall, LISTS) / 1000.0 / LIST_BATCH;
    printf("list: %zu processes in %.3f ms (wall, median of %d batches of %d; goal under %.0f ms: %s)\n", count, ms,
           LISTS, LIST_BATCH, LIST_GOAL_MS, ms < LIST_GOAL_MS ? "met" : "NOT met");
    return count == PROCESSES ? 0 : -1;
}

static int count_leaf(void *ctx, const pmm_kdump_leaf *leaf)
{
    (void)leaf;
    ++*(uint64_t *)ctx;
    return 0;
}

/* Walking the process's tables alone, through a kernel dump reader of its own: as the map reads
 * them (runs: adjacent leaves alike visited as one, no page's presence looked up), or leaf by leaf
 * with each page's presence in the dump looked up (what the map read before pmm_kdump_walk_runs). */
static uint64_t walk_tables(uint64_t dtb, uint64_t *leaves, int runs)
{
    pmm_kdump *dump;
    char message[512];
    *leaves = 0;
    if (pmm_kdump_open(DUMP_PATH, &dump, message, sizeof message) != PMM_OK)
        return 0;
    uint64_t t0 = bench_cpu_microseconds();
    (runs ? pmm_kdump_walk_runs : pmm_kdump_walk)(dump, dtb, 0x10000, 0x7FFFFFFF0000ull, 0, count_leaf, leaves, NULL);
    uint64_t t = bench_cpu_microseconds() - t0;
    pmm_kdump_close(dump);
    return t;
}

static uint64_t query_all(pmm_source *src, uint64_t *regions)
{
    pmm_region_info r;
    uint64_t at = 0;
    *regions = 0;
    uint64_t t0 = bench_cpu_microseconds();
    while (pmm_source_query(src, at, &r) == PMM_OK) {
        ++*regions;
        at = r.base + r.size;
    }
    return bench_cpu_microseconds() - t0;
}

static int bench_map(uint32_t pid, uint64_t dtb)
{
    double ratios[MAP_RUNS], query_ratios[MAP_RUNS], leaf_ratios[MAP_RUNS];
    uint64_t regions = 0, leaves = 0, runs = 0, queries[MAP_RUNS], walks[MAP_RUNS], leaf_walks[MAP_RUNS], opens[MAP_RUNS];
    uint64_t plain_opens[MAP_RUNS], alone[MAP_RUNS];
    for (int i = 0; i < MAP_RUNS; i++) {
        pmm_source src;
        walks[i] = walk_tables(dtb, &runs, 1);
        leaf_walks[i] = walk_tables(dtb, &leaves, 0);
        uint64_t t0 = bench_cpu_microseconds();
        if (open_process(pid, &src) != 0)
            return -1;
        opens[i] = bench_cpu_microseconds() - t0;
        pmm_source plain;   /* a process without VADs: what opening costs without reading a tree */
        t0 = bench_cpu_microseconds();
        if (open_process(8000 + 4 * 5, &plain) != 0)
            return -1;
        plain_opens[i] = bench_cpu_microseconds() - t0;
        pmm_source_close(&plain);
        alone[i] = query_all(&src, &regions);
        queries[i] = opens[i] + alone[i];
        pmm_source_close(&src);
        ratios[i] = (double)queries[i] / (double)(walks[i] | 1);
        query_ratios[i] = (double)alone[i] / (double)(walks[i] | 1);
        leaf_ratios[i] = (double)queries[i] / (double)(leaf_walks[i] | 1);
    }
    double ratio = median(ratios, MAP_RUNS);
    printf("map: source opened (%.2f ms with its VAD tree, %.2f ms for a process without one) and %" PRIu64 " regions queried in %.2f ms of CPU, the same "
           "tables walked alone as the map reads them (%" PRIu64 " runs) in %.2f ms (medians of %d); median ratio %.2f (goal <= %.1f: "
           "%s)\n", (double)median_u64(opens, MAP_RUNS) / 1000.0, (double)median_u64(plain_opens, MAP_RUNS) / 1000.0, regions, (double)median_u64(queries, MAP_RUNS) / 1000.0, runs, (double)median_u64(walks, MAP_RUNS) / 1000.0, MAP_RUNS, ratio,
           MAP_GOAL, ratio <= MAP_GOAL ? "met" : "NOT met");
    printf("     walked leaf by leaf (%" PRIu64 " leaves, each page's presence looked up) in %.2f ms: the map %.2f "
           "times that\n", leaves, (double)median_u64(leaf_walks, MAP_RUNS) / 1000.0, median(leaf_ratios, MAP_RUNS));
    printf("     of which: the queries alone (after the open) %.2f ms, median ratio %.2f to the walk; the VAD tree "
           "(open with it less open without) %.2f ms\n", (double)median_u64(alone, MAP_RUNS) / 1000.0,
           median(query_ratios, MAP_RUNS), ((double)median_u64(opens, MAP_RUNS) - (double)median_u64(plain_opens, MAP_RUNS)) / 1000.0);
    pmm_source src;
    pmm_map *map;
    if (open_process(pid, &src) != 0)
        return -1;
    uint64_t t0 = bench_cpu_microseconds();
    pmm_status st = pmm_scan_source(&src, NULL, &map);
    uint64_t scan = bench_cpu_microseconds() - t0;
    if (st == PMM_OK) {
        printf("     whole scan (pmm_scan_source, every analyzer): %zu regions in %.1f ms of CPU\n", map->region_count,
               (double)scan / 1000.0);
        pmm_map_free(map);
    }
    pmm_source_close(&src);
    return regions == REGIONS ? 0 : -1;
}

static int count_bytes(void *ctx, const uint8_t *data, size_t size, uint64_t addr, int stream_end)
{
    (void)data;
    (void)addr;
    (void)stream_end;
    *(uint64_t *)ctx += size;
    return 0;
}

/* The walk over the selected memory in the search's windows; copying: through the source's read op
 * alone (every byte copied, as any reader of a source gets it), else lent where the source lends. */
static uint64_t read_pass(pmm_source *src, const pmm_map *map, int copying, uint64_t *bytes)
{
    pmm_search_scope scope;
    pmm_memory_walk walk;
    pmm_source_ops ops = *src->ops;
    pmm_source reader = *src;
    if (copying)
        ops.borrow = NULL;
    reader.ops = &ops;
    memset(&scope, 0, sizeof scope);
    memset(&walk, 0, sizeof walk);
    walk.src = &reader;
    walk.map = map;
    walk.scope = &scope;
    walk.chunk_size = PMM_SEARCH_DEFAULT_CHUNK;
    uint64_t seen = 0, t0 = bench_cpu_microseconds();
    pmm_memory_walk_run(&walk, count_bytes, &seen);
    *bytes = walk.bytes_read;
    return bench_cpu_microseconds() - t0;
}

static uint64_t search_pass(pmm_source *src, const pmm_map *map, const pmm_search_pattern *p, uint64_t *bytes,
                            uint64_t *hits)
{
    pmm_search_options o;
    pmm_search_summary s;
    memset(&o, 0, sizeof o);
    o.chunk_size = PMM_SEARCH_DEFAULT_CHUNK;
    uint64_t t0 = bench_cpu_microseconds();
    pmm_search_run(src, map, p, &o, NULL, NULL, &s);
    *bytes = s.bytes_searched;
    *hits = s.hits;
    return bench_cpu_microseconds() - t0;
}

static int bench_search(uint32_t pid)
{
    pmm_source src;
    pmm_map *map;
    char message[256];
    if (open_process(pid, &src) != 0 || pmm_scan_source(&src, NULL, &map) != PMM_OK)
        return -1;
    pmm_search_spec spec = {PMM_SEARCH_ANSI, "PMM-BENCH-NEEDLE", 0, 0, 0, 0};
    pmm_search_pattern p;
    if (pmm_search_compile(&spec, &p, message, sizeof message) != PMM_OK) {
        fprintf(stderr, "bench_kdump_processes: %s\n", message);
        return -1;
    }
    double ratios[RUNS], floor_ratios[RUNS];
    uint64_t reads[RUNS], searches[RUNS], lent[RUNS], read_bytes = 0, lent_bytes = 0, searched = 0, hits = 0;
    for (int i = 0; i < RUNS; i++) {
        if (i % 2 == 0) {
            reads[i] = read_pass(&src, map, 1, &read_bytes);
            searches[i] = search_pass(&src, map, &p, &searched, &hits);
        } else {
            searches[i] = search_pass(&src, map, &p, &searched, &hits);
            reads[i] = read_pass(&src, map, 1, &read_bytes);
        }
        lent[i] = read_pass(&src, map, 0, &lent_bytes);
        ratios[i] = (double)searches[i] / (double)(reads[i] | 1);
        floor_ratios[i] = (double)searches[i] / (double)(lent[i] | 1);
    }
    double ratio = median(ratios, RUNS), floor_ratio = median(floor_ratios, RUNS);
    printf("search: %" PRIu64 " MiB searched (%" PRIu64 " hits) in %.0f ms of CPU, read-only pass (copying) over %"
           PRIu64 " MiB in %.0f ms (medians of %d); median ratio %.3f (goal <= %.2f: %s); against the lent walk "
           "alone (%.0f ms, no copy): %.3f\n", searched >> 20, hits, (double)median_u64(searches, RUNS) / 1000.0,
           read_bytes >> 20, (double)median_u64(reads, RUNS) / 1000.0, RUNS, ratio, SEARCH_GOAL,
           ratio <= SEARCH_GOAL ? "met" : "NOT met", (double)median_u64(lent, RUNS) / 1000.0, floor_ratio);
    pmm_search_pattern_free(&p);
    pmm_map_free(map);
    pmm_source_close(&src);
    return searched == big_pages * KDB_PAGE ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        big_pages = strtoull(argv[1], NULL, 0) * 256;
    if (argc > 2)
        dump_pages = strtoull(argv[2], NULL, 0) << 18;
    uint32_t many_pid, big_pid;
    kscene *s = build_machine(&many_pid, &big_pid);
    uint64_t many_dtb = s->processes[s->process_count - 2].dtb;
    int keep = getenv("PMM_KDUMP_BENCH_KEEP") != NULL, rc = 0;
    FILE *f = keep ? fopen(DUMP_PATH, "rb") : NULL;
    if (f)
        fclose(f);   /* kept from an earlier run */
    else {
        f = fopen(DUMP_PATH, "wb");
        rc = f ? kdb_write(s->b, 5, kdb_sink_file(f)) : -1;
        if (f && fclose(f) != 0)
            rc = -1;
    }
    kscene_free(s);
    if (rc == 0 && (f = fopen(DUMP_PATH, "rb")) != NULL && fseek(f, 0, SEEK_END) == 0) {
        printf("dump: %.2f GiB, %d processes\n", (double)ftell(f) / (1 << 30), PROCESSES);
        fclose(f);
    }
    if (rc != 0) {
        fprintf(stderr, "bench_kdump_processes: writing %s failed\n", DUMP_PATH);
        if (!keep)
            remove(DUMP_PATH);
        return 1;
    }
    rc = bench_list() | bench_map(many_pid, many_dtb) | bench_search(big_pid);
    if (!keep)
        remove(DUMP_PATH);
    if (rc != 0)
        fprintf(stderr, "bench_kdump_processes: a figure was taken over the wrong amount (see above)\n");
    return rc != 0;
}
