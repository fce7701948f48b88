/* Benchmark for `pmm scan`: pmm_target_integrity --extra-dlls 100 (its own DLLs, 100 of Wine's of
 * at most 2 MB each, and their dependencies). RUNS times, in alternating order:
 *   read-only pass  for every image: its headers opened in memory and in its file, then every
 *                   section the scan compares read from the file and from memory in the same 1 MiB
 *                   chunks, nothing compared
 *   scan            pmm_integrity_scan as pmm scan calls it (export tables read for the symbols,
 *                   relocations, comparison, IAT/EAT/TLS checks, process-wide checks)
 * The figure is the median of the per-pair ratios scan / read-only (goal at most 1.3), with MB/s.
 * A first pair warms the file cache and is not counted. Also printed: how many reads of the target
 * each pass makes, a figure that does not depend on how busy the machine is.
 * Usage: bench_integrity.exe TARGET_EXE [DLLS] */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include "core/analyzers/scan.h"
#include "core/formats/pe.h"
#include "core/source/file_source.h"
#include "core/tools/integrity.h"
#include "core/util/clock.h"
#include "core/win32/live_source.h"
#include "bench_stats.h"
#include "bench_target.h"

#define RUNS 7
#define CHUNK (1024u * 1024u)
#define GOAL 1.3

static uint8_t file_chunk[CHUNK], memory_chunk[CHUNK];

/* Every read of the target goes through here and is counted: how many calls each pass makes does
 * not depend on how busy the machine is. */
static const pmm_source_ops *live_ops;
static uint64_t read_calls;
static pmm_source_ops counting_ops;

static size_t counting_read(void *impl, uint64_t addr, void *buf, size_t len)
{
    read_calls++;
    return live_ops->read(impl, addr, buf, len);
}

static void count_reads(pmm_source *src)
{
    live_ops = src->ops;
    counting_ops = *src->ops;
    counting_ops.read = counting_read;
    src->ops = &counting_ops;
}

static int compared_section(const pe_section *s)
{
    return (s->characteristics & (PE_SCN_MEM_EXECUTE | PE_SCN_CNT_CODE)) || !(s->characteristics & PE_SCN_MEM_WRITE);
}

/* Reads one image's compared sections from its file and from memory; returns the bytes of memory read. */
static uint64_t read_image(pmm_source *src, const pmm_map *map, const pmm_module *m)
{
    char path[520];
    pmm_source file;
    if (src->ops->mapped_file_name(src->impl, m->base, path, sizeof path) != PMM_OK ||
        pmm_file_source_open(path, &file) != PMM_OK)
        return 0;
    (void)map;
    uint64_t bytes = 0;
    pe_image f, mem;
    if (pe_open(&file, 0, PE_LAYOUT_FILE, &f) == PMM_OK) {
        if (pe_open(src, m->base, PE_LAYOUT_IMAGE, &mem) == PMM_OK)
            pe_close(&mem);
        for (size_t i = 0; i < f.section_count; i++) {
            const pe_section *s = &f.sections[i];
            if (!compared_section(s))
                continue;
            uint32_t length = pe_section_mapped_size(&f, s);
            for (uint32_t at = 0; at < length; at += CHUNK) {
                uint32_t n = length - at < CHUNK ? length - at : CHUNK;
                pe_read_rva(&f, s->virtual_address + at, file_chunk, n);
                bytes += pmm_source_read(src, m->base + s->virtual_address + at, memory_chunk, n);
            }
        }
        pe_close(&f);
    }
    pmm_source_close(&file);
    return bytes;
}

static uint64_t read_only_pass(pmm_source *src, const pmm_map *map, uint64_t *bytes)
{
    uint64_t start = pmm_clock_microseconds();
    *bytes = 0;
    for (size_t i = 0; i < map->module_count; i++)
        *bytes += read_image(src, map, &map->modules[i]);
    return pmm_clock_microseconds() - start;
}

static uint64_t scan_pass(pmm_source *src, pmm_map *map, uint64_t *bytes)
{
    uint64_t start = pmm_clock_microseconds();
    if (pmm_integrity_scan(src, map, NULL, NULL) != PMM_OK)
        fputs("bench_integrity: the scan failed\n", stderr);
    *bytes = map->integrity.summary.bytes_compared;
    return pmm_clock_microseconds() - start;
}

static double mb_per_s(uint64_t bytes, uint64_t us)
{
    return us ? (double)bytes / (double)us : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("usage: bench_integrity.exe TARGET_EXE [DLLS]\n", stderr);
        return 2;
    }
    bench_target target;
    if (bench_target_start(argv[1], "--extra-dlls", argc > 2 ? argv[2] : "100", &target) != 0)
        return 1;
    pmm_source src;
    char message[256];
    pmm_map *map = NULL;
    int rc = 1;
    if (pmm_live_open(target.pid, &src, message, sizeof message) != PMM_OK) {
        fprintf(stderr, "bench_integrity: %s\n", message);
        goto done;
    }
    count_reads(&src);
    if (pmm_scan_source(&src, NULL, &map) != PMM_OK) {
        fputs("bench_integrity: the map scan failed\n", stderr);
        goto close;
    }
    uint64_t image_bytes = 0;
    for (size_t i = 0; i < map->module_count; i++)
        image_bytes += map->modules[i].size;
    printf("integrity scan: %zu images, %.1f MB of images\n", map->module_count, image_bytes / 1e6);
    double ratios[RUNS];
    uint64_t read_us[RUNS], scan_us[RUNS], read_bytes = 0, scan_bytes = 0, read_only_calls = 0, scan_calls = 0;
    for (int run = -1; run < RUNS; run++) {
        uint64_t r, s, calls = read_calls;
        if (run % 2) {
            r = read_only_pass(&src, map, &read_bytes);
            read_only_calls = read_calls - calls;
            calls = read_calls;
            s = scan_pass(&src, map, &scan_bytes);
            scan_calls = read_calls - calls;
        } else {
            s = scan_pass(&src, map, &scan_bytes);
            scan_calls = read_calls - calls;
            calls = read_calls;
            r = read_only_pass(&src, map, &read_bytes);
            read_only_calls = read_calls - calls;
        }
        if (run < 0)
            continue;   /* warms the file cache */
        read_us[run] = r;
        scan_us[run] = s;
        ratios[run] = (double)s / (double)r;
        printf("  pair %d: read-only %.3f s (%.0f MB/s), scan %.3f s (%.0f MB/s), ratio %.3f\n", run + 1, r / 1e6,
               mb_per_s(read_bytes, r), s / 1e6, mb_per_s(scan_bytes, s), ratios[run]);
    }
    bench_sort_double(ratios, RUNS);
    bench_sort_u64(read_us, RUNS);
    bench_sort_u64(scan_us, RUNS);
    printf("integrity scan: reads of the target per pass: read-only %llu, scan %llu\n",
           (unsigned long long)read_only_calls, (unsigned long long)scan_calls);
    printf("integrity scan: %.1f MB compared, %zu findings; median ratio scan / read-only %.3f (%.3f to %.3f; "
           "goal <= %.1f); best read-only %.0f MB/s, best scan %.0f MB/s\n",
           scan_bytes / 1e6, map->integrity.count, ratios[RUNS / 2], ratios[0], ratios[RUNS - 1], GOAL,
           mb_per_s(read_bytes, read_us[0]), mb_per_s(scan_bytes, scan_us[0]));
    rc = ratios[RUNS / 2] <= GOAL ? 0 : 1;
    pmm_map_free(map);
close:
    pmm_source_close(&src);
done:
    bench_target_stop(&target);
    return rc;
}
