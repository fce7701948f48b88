/* The explorer's region list at scale: a target with many allocations (100,000 by default) is
 * scanned once; then, as the main window does when a scan ends, the row model is built over the
 * map and the owner-data ListView (app/gui/region_list.c) is told its row count and painted.
 * Prints the time from the scan's end to the first paint with rows on screen (goal <= 500 ms),
 * and a scroll measure: every page of the list painted in turn (LVN_GETDISPINFO for each visible
 * cell), total and per page, then expand-all and a sort by size. Figures only, no verdict exit.
 * Usage: bench_gui_rows.exe TARGET_EXE [ALLOCATIONS] */
#include <windows.h>
#include <commctrl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/gui/region_list.h"
#include "app/gui/region_rows.h"
#include "bench_target.h"
#include "core/analyzers/scan.h"
#include "core/util/clock.h"
#include "core/win32/live_source.h"

#define HOST_CLASS L"ProcessMemoryMap.BenchHost"

typedef struct bench_host {
    region_list list;
    region_rows rows;
    size_t painted_rows;         /* rows painted since the counter was reset */
} bench_host;

static LRESULT CALLBACK host_proc(HWND hwnd, UINT msg, WPARAM wParam, LPARAM lParam)
{
    bench_host *h = (bench_host *)GetWindowLongPtrW(hwnd, GWLP_USERDATA);
    if (msg == WM_NOTIFY && h) {
        NMHDR *hdr = (NMHDR *)lParam;
        LRESULT result = 0;
        if (hdr->code == LVN_GETDISPINFOW && ((NMLVDISPINFOW *)hdr)->item.iSubItem == 0)
            h->painted_rows++;
        if (region_list_notify(&h->list, hdr, &result))
            return result;
    }
    return DefWindowProcW(hwnd, msg, wParam, lParam);
}

static HWND create_host(bench_host *h)
{
    WNDCLASSEXW wc = {0};
    wc.cbSize = sizeof wc;
    wc.lpfnWndProc = host_proc;
    wc.hInstance = GetModuleHandleW(NULL);
    wc.hbrBackground = (HBRUSH)(COLOR_BTNFACE + 1);
    wc.lpszClassName = HOST_CLASS;
    RegisterClassExW(&wc);
    /* The main window's list at its default size: 1180x900 less the panes, about 40 rows. */
    HWND hwnd = CreateWindowExW(0, HOST_CLASS, L"bench", WS_OVERLAPPEDWINDOW | WS_VISIBLE, 0, 0, 1180, 700, NULL, NULL,
                                wc.hInstance, NULL);
    if (!hwnd)
        return NULL;
    SetWindowLongPtrW(hwnd, GWLP_USERDATA, (LONG_PTR)h);
    if (!region_list_create(&h->list, hwnd, 301, &h->rows, 96))
        return NULL;
    SetWindowPos(h->list.hwnd, NULL, 0, 0, 1170, 660, SWP_NOZORDER);
    return hwnd;
}

static void pump(void)
{
    MSG msg;
    while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) {
        TranslateMessage(&msg);
        DispatchMessageW(&msg);
    }
}

static pmm_map *scan(DWORD pid)
{
    pmm_source src;
    pmm_map *map = NULL;
    char message[256];
    if (pmm_live_open(pid, &src, message, sizeof message) != PMM_OK) {
        fprintf(stderr, "bench_gui_rows: %s\n", message);
        return NULL;
    }
    if (pmm_scan_source(&src, NULL, &map) != PMM_OK)
        map = NULL;
    pmm_source_close(&src);
    return map;
}

/* What the main window does once a scan has finished, up to the first paint with rows. */
static double first_rows_ms(bench_host *h, const pmm_map *map)
{
    uint64_t started = pmm_clock_microseconds();
    region_rows_set_map(&h->rows, map);
    region_list_set_pointer_size(&h->list, map->target.pointer_size);
    region_list_refresh(&h->list, h->rows.count ? 0 : PMM_NO_INDEX);
    h->painted_rows = 0;
    UpdateWindow(h->list.hwnd);
    GdiFlush();
    double ms = (double)(pmm_clock_microseconds() - started) / 1000.0;
    if (h->painted_rows == 0)
        fprintf(stderr, "bench_gui_rows: the first paint showed no rows\n");
    return ms;
}

/* Pages through the whole list, painting each page as a user scrolling would see it. */
static void scroll_through(bench_host *h, size_t *pages, double *total_ms, double *worst_ms)
{
    int per_page = ListView_GetCountPerPage(h->list.hwnd);
    RECT item = {0};
    ListView_GetItemRect(h->list.hwnd, 0, &item, LVIR_BOUNDS);
    int row_h = item.bottom - item.top > 0 ? item.bottom - item.top : 16;
    *pages = 0;
    *worst_ms = 0;
    uint64_t started = pmm_clock_microseconds();
    for (size_t top = 0; top + (size_t)per_page < h->rows.count; top += (size_t)per_page) {
        uint64_t page_started = pmm_clock_microseconds();
        ListView_Scroll(h->list.hwnd, 0, per_page * row_h);
        UpdateWindow(h->list.hwnd);
        double ms = (double)(pmm_clock_microseconds() - page_started) / 1000.0;
        if (ms > *worst_ms)
            *worst_ms = ms;
        (*pages)++;
        if (*pages % 64 == 0)
            pump();
    }
    *total_ms = (double)(pmm_clock_microseconds() - started) / 1000.0;
}

volatile size_t bench_keep;   /* the cell loop's result, so it is not optimised away */

/* The owner-data callbacks' share: every cell of every row computed, without painting. */
static double cells_ms(const region_rows *rows)
{
    char buf[600];
    size_t chars = 0;
    uint64_t started = pmm_clock_microseconds();
    for (size_t row = 0; row < rows->count; row++)
        for (int c = 0; c < REGION_COL_COUNT; c++)
            chars += strlen(region_rows_cell(rows, row, (region_column)c, buf, sizeof buf));
    bench_keep = chars;
    return (double)(pmm_clock_microseconds() - started) / 1000.0;
}

static double timed_ms(bench_host *h, int expand)
{
    uint64_t started = pmm_clock_microseconds();
    if (expand)
        region_rows_expand_all(&h->rows, 1);
    else
        region_rows_sort(&h->rows, REGION_COL_SIZE, 1);
    region_list_refresh(&h->list, 0);
    UpdateWindow(h->list.hwnd);
    return (double)(pmm_clock_microseconds() - started) / 1000.0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_gui_rows TARGET_EXE [ALLOCATIONS]\n");
        return 2;
    }
    const char *allocations = argc > 2 ? argv[2] : "100000";
    INITCOMMONCONTROLSEX controls = {sizeof controls, ICC_LISTVIEW_CLASSES};
    InitCommonControlsEx(&controls);
    bench_target target;
    if (bench_target_start(argv[1], "--allocations", allocations, &target) != 0) {
        fprintf(stderr, "bench_gui_rows: could not start %s\n", argv[1]);
        return 1;
    }
    uint64_t scan_started = pmm_clock_microseconds();
    pmm_map *map = scan(target.pid);
    double scan_ms = (double)(pmm_clock_microseconds() - scan_started) / 1000.0;
    bench_target_stop(&target);
    if (!map) {
        fprintf(stderr, "bench_gui_rows: the scan failed\n");
        return 1;
    }
    static bench_host host;
    region_rows_init(&host.rows);
    HWND hwnd = create_host(&host);
    if (!hwnd) {
        fprintf(stderr, "bench_gui_rows: no window (is there a display?)\n");
        return 1;
    }
    pump();
    double first_ms = first_rows_ms(&host, map);
    size_t pages;
    double scroll_ms, worst_ms;
    scroll_through(&host, &pages, &scroll_ms, &worst_ms);
    size_t top_rows = host.rows.count;
    double model_ms = cells_ms(&host.rows);
    double expand_ms = timed_ms(&host, 1);
    size_t expanded_rows = host.rows.count;
    double sort_ms = timed_ms(&host, 0);
    printf("gui rows bench: %s allocations requested, %zu regions in %zu allocations (scan %.0f ms)\n", allocations,
           map->region_count, map->allocation_count, scan_ms);
    printf("  scan end to first rows on screen: %.1f ms (goal <= 500) %s\n", first_ms,
           first_ms <= 500 ? "MET" : "NOT MET");
    printf("  scroll through %zu rows: %zu pages of %d rows, %.0f ms, %.2f ms per page (worst %.1f ms)\n", top_rows,
           pages, ListView_GetCountPerPage(host.list.hwnd), scroll_ms, pages ? scroll_ms / (double)pages : 0.0,
           worst_ms);
    printf("  of which the cell texts (owner-data callbacks, no painting): %.0f ms for all rows, %.3f ms per page\n",
           model_ms, top_rows ? model_ms * ListView_GetCountPerPage(host.list.hwnd) / (double)top_rows : 0.0);
    printf("  expand all (%zu rows): %.1f ms; sort by size: %.1f ms\n", expanded_rows, expand_ms, sort_ms);
    DestroyWindow(hwnd);
    region_rows_free(&host.rows);
    pmm_map_free(map);
    return 0;
}
