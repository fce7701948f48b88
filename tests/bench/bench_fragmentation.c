/* The Fragmentation view at scale: a target with many allocations (100,000 by default) is scanned
 * once, then the view (app/gui/fragmentation_view.c) is given the map, as the main window does,
 * at its default size (900x640): the layout, the drawing of every cell into its bitmap, and a
 * WM_PRINTCLIENT paint into a memory DC are timed, each run from scratch. Prints the medians and
 * the total against the goal (< 100 ms). Usage: bench_fragmentation.exe TARGET_EXE [ALLOCATIONS] */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include "app/gui/fragmentation_view.h"
#include "bench_stats.h"
#include "bench_target.h"
#include "core/analyzers/scan.h"
#include "core/util/clock.h"
#include "core/win32/live_source.h"
#include "res/resource.h"

#define RUNS 9

static void ignore_go_to(void *ctx, uint64_t address)
{
    (void)ctx;
    (void)address;
}

static pmm_map *scan(DWORD pid)
{
    pmm_source src;
    pmm_map *map = NULL;
    char message[256];
    if (pmm_live_open(pid, &src, message, sizeof message) != PMM_OK || pmm_scan_source(&src, NULL, &map) != PMM_OK) {
        fprintf(stderr, "bench_fragmentation: scan failed %s\n", message);
        exit(1);
    }
    pmm_source_close(&src);
    return map;
}

int main(int argc, char **argv)
{
    bench_target target;
    if (argc < 2) {
        fprintf(stderr, "usage: bench_fragmentation TARGET_EXE [ALLOCATIONS]\n");
        return 2;
    }
    const char *allocations = argc > 2 ? argv[2] : "100000";
    if (bench_target_start(argv[1], "--allocations", allocations, &target) != 0) {
        fprintf(stderr, "bench_fragmentation: could not start %s\n", argv[1]);
        return 1;
    }
    pmm_map *map = scan(target.pid);
    bench_target_stop(&target);
    HINSTANCE instance = GetModuleHandleW(NULL);
    HWND owner = CreateWindowExW(0, L"STATIC", L"owner", WS_OVERLAPPEDWINDOW, 0, 0, 1180, 900, NULL, NULL, instance, NULL);
    tool_host host = {.go_to = ignore_go_to};
    HWND view = fragmentation_view_register(instance) ? fragmentation_view_open(owner, &host, NULL) : NULL;
    HWND canvas = view ? GetDlgItem(view, IDC_FRAGMENTATION) : NULL;
    if (!canvas) {
        fprintf(stderr, "bench_fragmentation: the view could not be opened\n");
        return 1;
    }
    RECT r;
    GetClientRect(canvas, &r);
    HDC screen = GetDC(canvas), memory = CreateCompatibleDC(screen);
    HBITMAP bitmap = CreateCompatibleBitmap(screen, r.right, r.bottom);
    HGDIOBJ old = SelectObject(memory, bitmap);
    uint64_t draw[RUNS], paint[RUNS], total[RUNS];
    for (int i = 0; i < RUNS; i++) {
        fragmentation_view_reload(view, NULL);   /* from scratch each time */
        uint64_t started = pmm_clock_microseconds();
        fragmentation_view_reload(view, map);
        uint64_t drawn = pmm_clock_microseconds();
        SendMessageW(canvas, WM_PRINTCLIENT, (WPARAM)memory, PRF_CLIENT);
        GdiFlush();
        uint64_t painted = pmm_clock_microseconds();
        draw[i] = fragmentation_view_draw_microseconds(view);
        paint[i] = painted - drawn;
        total[i] = painted - started;
    }
    bench_sort_u64(draw, RUNS);
    bench_sort_u64(paint, RUNS);
    bench_sort_u64(total, RUNS);
    printf("fragmentation bench: %s allocations requested, %zu regions, canvas %ldx%ld\n", allocations,
           map->region_count, (long)r.right, (long)r.bottom);
    printf("  layout and drawing the cells: %.1f ms (median of %d)\n", draw[RUNS / 2] / 1000.0, RUNS);
    printf("  paint (WM_PRINTCLIENT):       %.1f ms (median of %d)\n", paint[RUNS / 2] / 1000.0, RUNS);
    printf("  map to pixels:                %.1f ms (median of %d, best %.1f; goal < 100) %s\n", total[RUNS / 2] / 1000.0,
           RUNS, total[0] / 1000.0, total[RUNS / 2] < 100000 ? "MET" : "NOT MET");
    SelectObject(memory, old);
    DeleteObject(bitmap);
    DeleteDC(memory);
    ReleaseDC(canvas, screen);
    DestroyWindow(view);
    pmm_map_free(map);
    return 0;
}
