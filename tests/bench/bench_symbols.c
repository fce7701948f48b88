/* Benchmark for symbol resolution.
 *   Under Wine (Windows build):  bench_symbols [FRAMES_FILE]
 *     This process loads up to 100 of Wine's DLLs, parks 8 threads in waits, scans itself and
 *     names every frame of every thread with a fresh resolver (cold: nothing parsed before), then
 *     the entry point of every module (every DLL's symbols loaded), then 100,000 random addresses
 *     in the modules already loaded (warm). Prints the times and the memory of each module's table,
 *     and writes the frames (module file, address) to FRAMES_FILE for the addr2line comparison
 *     (tests/bench/bench_symbols_addr2line.py, run by tools/bench.sh in the same run).
 *   Natively:  bench_symbols IMAGE...
 *     Loads the images' symbols, then looks up 1,000,000 random addresses in them (warm lookups
 *     per second; the goal is at least one million). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/symbols/symbols.h"
#include "core/util/clock.h"

#define WARM_LOOKUPS 100000u

/* xorshift: the same addresses in every run. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

/* Lookups per second over addresses inside the modules that have a table loaded. */
static double warm_rate(const pmm_symbols *syms, unsigned count, size_t *named)
{
    size_t loaded[4096], n = 0;
    for (size_t i = 0; i < syms->module_count && n < 4096; i++)
        if (syms->modules[i].debug)
            loaded[n++] = i;
    *named = 0;
    if (!n)
        return 0;
    uint64_t state = 0x9e3779b97f4a7c15ull;
    uint64_t start = pmm_clock_microseconds();
    for (unsigned k = 0; k < count; k++) {
        const pmm_symbol_module *m = &syms->modules[loaded[next_random(&state) % n]];
        uint64_t address = m->base + next_random(&state) % (m->size ? m->size : 1);
        pmm_symbol_match match;
        if (pmm_symbols_lookup(syms, address, &match) && match.symbol)
            (*named)++;
    }
    uint64_t us = pmm_clock_microseconds() - start;
    return us ? (double)count * 1e6 / (double)us : 0;
}

static void print_memory(const pmm_symbols *syms)
{
    size_t loaded = 0, total = 0, largest = 0, largest_index = 0;
    for (size_t i = 0; i < syms->module_count; i++) {
        const pmm_symbol_module *m = &syms->modules[i];
        if (!m->debug)
            continue;
        size_t bytes = pmm_symtab_memory(&m->debug->table);
        loaded++;
        total += bytes;
        if (bytes > largest) {
            largest = bytes;
            largest_index = i;
        }
    }
    if (loaded)
        printf("bench_symbols: memory of %zu module tables: %.1f MB, %.0f KB per module on average, largest %.0f KB (%s)\n",
               loaded, (double)total / 1e6, (double)total / 1e3 / (double)loaded, (double)largest / 1e3,
               pmm_symbols_text(syms, syms->modules[largest_index].name));
}

#ifdef _WIN32
#include <windows.h>
#include "core/analyzers/scan.h"
#include "core/win32/live_source.h"
#include "bench_target.h"

#define PARKED_THREADS 8

static DWORD WINAPI parked(void *arg)
{
    HANDLE never = CreateEventW(NULL, TRUE, FALSE, NULL);
    switch ((uintptr_t)arg % 4) {
    case 0: return WaitForSingleObject(never, INFINITE);
    case 1: SleepEx(INFINITE, FALSE); return 0;
    case 2: return WaitForMultipleObjects(1, &never, FALSE, INFINITE);
    default: return MsgWaitForMultipleObjects(1, &never, FALSE, INFINITE, 0);
    }
}

/* The frames of every thread: name (and line) each, return addresses by their call. */
static size_t name_frames(const pmm_symbols *syms, const pmm_map *map, FILE *out, size_t *named)
{
    size_t frames = 0;
    *named = 0;
    for (size_t t = 0; t < map->thread_count; t++) {
        const pmm_thread *th = &map->threads[t];
        for (uint32_t i = 0; i < th->frame_count; i++) {
            const pmm_frame *f = &map->frames[th->frame_first + i];
            char text[1024];
            if (pmm_symbols_describe_line(syms, f->address, i ? PMM_SYMBOLS_CALLER : 0, text, sizeof text)) {
                pmm_symbol_match m;
                pmm_symbols_lookup(syms, f->address, &m);
                (*named)++;
                if (out && m.module)
                    fprintf(out, "%s\t%" PRIx64 "\t%" PRIx64 "\n", pmm_symbols_text(syms, m.module->path),
                            f->address - (i ? 1 : 0) - m.module->base, (uint64_t)i);
            }
            frames++;
        }
    }
    return frames;
}

int main(int argc, char **argv)
{
    bench_load_system_dlls(100);
    for (uintptr_t i = 0; i < PARKED_THREADS; i++)
        CloseHandle(CreateThread(NULL, 0, parked, (void *)i, 0, NULL));
    Sleep(300);
    pmm_source src;
    char message[512];
    if (pmm_live_open(GetCurrentProcessId(), &src, message, sizeof message) != PMM_OK) {
        fprintf(stderr, "bench_symbols: %s\n", message);
        return 1;
    }
    pmm_scan_options options = {0};
    options.flags = PMM_SCAN_EXPORT_NAMES;   /* frames are walked; naming them is what is timed */
    pmm_map *map;
    if (pmm_scan_source(&src, &options, &map) != PMM_OK) {
        fprintf(stderr, "bench_symbols: scan failed\n");
        return 1;
    }
    FILE *out = argc > 1 ? fopen(argv[1], "w") : NULL;
    pmm_symbols syms;
    pmm_symbols_init(&syms);
    uint64_t start = pmm_clock_microseconds();
    pmm_symbols_add_map(&syms, &src, map);
    pmm_symbols_finish(&syms);
    size_t named;
    size_t frames = name_frames(&syms, map, out, &named);
    uint64_t cold = pmm_clock_microseconds() - start;
    size_t read_modules = 0;
    for (size_t i = 0; i < syms.module_count; i++)
        read_modules += syms.modules[i].debug != NULL;
    printf("bench_symbols: cold: %zu frames of %zu threads named (%zu in a module) in %.1f ms, reading the symbols of "
           "%zu of the %zu modules (goal < 1000 ms)\n",
           frames, map->thread_count, named, (double)cold / 1000.0, read_modules, map->module_count);
    start = pmm_clock_microseconds();
    for (size_t i = 0; i < map->module_count; i++) {
        char text[1024];
        pmm_symbols_describe_line(&syms, map->modules[i].entry ? map->modules[i].entry : map->modules[i].base,
                                  0, text, sizeof text);
    }
    uint64_t all = pmm_clock_microseconds() - start;
    read_modules = 0;
    for (size_t i = 0; i < syms.module_count; i++)
        read_modules += syms.modules[i].debug != NULL;
    printf("bench_symbols: every module's symbols (an address in each of %zu modules): %.1f ms more, %zu tables\n",
           map->module_count, (double)all / 1000.0, read_modules);
    print_memory(&syms);
    size_t warm_named = 0;
    double rate = warm_rate(&syms, WARM_LOOKUPS, &warm_named);
    printf("bench_symbols: warm under Wine: %u random addresses, %zu named, %.2f million lookups per second\n",
           WARM_LOOKUPS, warm_named, rate / 1e6);
    if (out)
        fclose(out);
    pmm_symbols_free(&syms);
    pmm_map_free(map);
    pmm_source_close(&src);
    return 0;
}

#else

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_symbols IMAGE...\n");
        return 2;
    }
    pmm_symbols syms;
    pmm_symbols_init(&syms);
    uint64_t start = pmm_clock_microseconds();
    for (int i = 1; i < argc; i++) {
        pmm_image_request req = {NULL, 0, argv[i], NULL};
        pmm_image_symbols probe;
        if (pmm_image_symbols_load(&req, &probe) != PMM_OK)
            continue;
        pmm_symbols_add_image(&syms, NULL, probe.base, probe.image_size, argv[i], argv[i]);
        pmm_image_symbols_free(&probe);
    }
    pmm_symbols_finish(&syms);
    for (size_t i = 0; i < syms.module_count; i++)
        pmm_symbols_module_table(&syms, i);
    uint64_t load = pmm_clock_microseconds() - start;
    printf("bench_symbols: %zu images' symbols loaded in %.1f ms (each parsed twice: probe and load)\n",
           syms.module_count, (double)load / 1000.0);
    print_memory(&syms);
    double best = 0;
    size_t named = 0;
    for (int run = 0; run < 5; run++) {
        double rate = warm_rate(&syms, 10 * WARM_LOOKUPS, &named);
        if (rate > best)
            best = rate;
    }
    printf("bench_symbols: warm: %u random addresses per run, %zu named, %.2f million lookups per second (best of 5; "
           "goal >= 1)\n", 10 * WARM_LOOKUPS, named, best / 1e6);
    pmm_symbols_free(&syms);
    return 0;
}

#endif
