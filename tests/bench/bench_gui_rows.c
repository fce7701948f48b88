/* The explorer's region list at scale, on a target with many allocations (100,000 by default):
 *  - the window itself against `pmm map` of the same target in the same run: ProcessMemoryMap.exe
 *    runs unattended (--scan-log, --dump-rows) and its log gives, from the window's own row count,
 *    when the first rows were in the list after the scan started (goal < 500 ms) and when all were;
 *    its run from its start to every row in the list and written by --dump-rows (the time on the
 *    log's "written" line, from the performance counter both processes read) is timed against
 *    pmm.exe map's (start to exit, the map written), interleaved, median of RUNS each (goal: ratio
 *    <= 1.1). Both are waited for in the same way, to their exit, and the log is read only then:
 *    polling it while the window ran (every 20 ms, as this benchmark once did) made the window's
 *    scan 1.2 to 1.8 times slower under Wine, each poll a few wineserver round trips the scan queues
 *    behind. The window's exit is timed too, but apart: it is not part of showing the rows (and in a
 *    prefix whose windows are managed, with no window manager under Xvfb, Wine waits 2 s there
 *    for one to withdraw the closing window; tools/wine-env.sh makes them unmanaged). Each run is
 *    split too: the scan (the log's "scanned"; pmm map's header) and the time besides it, because
 *    the scan's own time moves by a factor of several from run to run with the machine's state,
 *    while the time besides it is the window's own work;
 *  - in this process, as the main window does when a scan ends: the row model built over the map
 *    and the owner-data ListView (app/gui/region_list.c) told its row count and painted (scan end to
 *    first paint), every page of the list painted in turn, expand-all and a sort by size.
 * Figures only, no verdict exit.
 * Usage: bench_gui_rows.exe TARGET_EXE ALLOCATIONS PROCESSMEMORYMAP_EXE PMM_EXE [RUNS] */
#include <windows.h>
#include <commctrl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/gui/region_list.h"
#include "app/gui/region_rows.h"
#include "bench_stats.h"
#include "bench_target.h"
#include "core/analyzers/scan.h"
#include "core/util/clock.h"
#include "core/win32/live_source.h"

#define HOST_CLASS L"ProcessMemoryMap.BenchHost"
/* Odd, for a median; five by default, because a run's time moves by a factor of several with the
 * machine's load (other work on its two cores), and each pair (window and pmm map back to back)
 * sees about the same load; more (up to MAX_RUNS) narrow the median where the scatter is wide. */
#define RUNS 5
#define MAX_RUNS 21

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

/* ---- the window against pmm map ---- */

/* Runs cmd to its end with stdout into out_path (NULL: inherited); its wall time in ms, or -1.
 * *started is when it was started, on pmm_clock_microseconds. */
static double run_to_end(char *cmd, const char *out_path, uint64_t *started)
{
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;
    HANDLE out = INVALID_HANDLE_VALUE;
    ZeroMemory(&si, sizeof si);
    si.cb = sizeof si;
    if (out_path) {
        out = CreateFileA(out_path, GENERIC_WRITE, 0, &sa, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
        if (out == INVALID_HANDLE_VALUE)
            return -1;
        si.dwFlags = STARTF_USESTDHANDLES;
        si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
        si.hStdOutput = out;
        si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    }
    *started = pmm_clock_microseconds();
    BOOL made = CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi);
    if (out != INVALID_HANDLE_VALUE)
        CloseHandle(out);
    if (!made)
        return -1;
    DWORD code = 1;
    WaitForSingleObject(pi.hProcess, INFINITE);
    double ms = (double)(pmm_clock_microseconds() - *started) / 1000.0;
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    return code == 0 ? ms : -1;
}

/* One unattended run of the window, read back from its --scan-log. */
typedef struct window_run {
    double wall_ms;              /* process start to exit, every row written by --dump-rows */
    double list_ms;              /* process start to every row in the list and written (the log's "written") */
    double first_ms, done_ms;    /* after the scan started: the first rows in the list, all of them */
    double scanned_ms, written_ms;   /* after the scan started: its worker ended; the rows were written */
    unsigned long first_rows, rows, regions, previews;
} window_run;

/* Where a run's time went: before its scan started, the scan, after it (the same for both). */
typedef struct run_parts {
    double before_ms, scan_ms, after_ms;
} run_parts;

/* The run's events from its log; list_ms from started (the window's start on pmm_clock_microseconds)
 * to the "written" line's time. */
static int read_scan_log(const char *path, uint64_t started, window_run *run)
{
    FILE *f = fopen(path, "r");
    char line[1024], event[32];
    unsigned long long ms, at;
    unsigned long rows, regions;
    if (!f)
        return -1;
    run->first_ms = run->done_ms = run->scanned_ms = run->written_ms = run->list_ms = -1;
    run->previews = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "%31s %llu rows %lu regions %lu progress %*d at %llu", event, &ms, &rows, &regions, &at) == 5) {
            if (strcmp(event, "preview") == 0 && run->previews++ == 0) {
                run->first_ms = (double)ms;
                run->first_rows = rows;
            } else if (strcmp(event, "scanned") == 0) {
                run->scanned_ms = (double)ms;
            } else if (strcmp(event, "written") == 0) {
                run->written_ms = (double)ms;
                run->list_ms = at >= started ? (double)(at - started) / 1000.0 : -1;
            } else if (strcmp(event, "done") == 0) {
                run->done_ms = (double)ms;
                run->rows = rows;
                run->regions = regions;
            }
        }
    fclose(f);
    return run->done_ms >= 0 && run->scanned_ms >= 0 && run->written_ms >= 0 && run->list_ms >= 0 ? 0 : -1;
}

/* The window's run in parts: its start to the scan's, the scan (to its worker's end), the rows
 * shown and written after it. */
static run_parts window_parts(const window_run *run)
{
    run_parts p = {run->list_ms - run->written_ms, run->scanned_ms, run->written_ms - run->scanned_ms};
    return p;
}

/* The scan time pmm map printed in its header ("scanned in N ms"); -1 when absent. */
static double map_scan_ms(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    double ms = -1;
    if (!f)
        return -1;
    for (int n = 0; n < 8 && ms < 0 && fgets(line, sizeof line, f); n++) {
        const char *at = strstr(line, "scanned in ");
        unsigned long long value;
        if (strncmp(line, "Regions:", 8) == 0 && at && sscanf(at, "scanned in %llu ms", &value) == 1)
            ms = (double)value;
    }
    fclose(f);
    return ms;
}

static int run_window(const char *exe, DWORD pid, const char *dir, window_run *run)
{
    char cmd[2048], log[MAX_PATH], rows[MAX_PATH];
    snprintf(log, sizeof log, "%sbench_gui_rows_log.txt", dir);
    snprintf(rows, sizeof rows, "%sbench_gui_rows_rows.txt", dir);
    snprintf(cmd, sizeof cmd, "\"%s\" %lu --scan-log \"%s\" --dump-rows \"%s\"", exe, (unsigned long)pid, log, rows);
    DeleteFileA(log);
    uint64_t started;
    run->wall_ms = run_to_end(cmd, NULL, &started);
    int ok = run->wall_ms >= 0 && read_scan_log(log, started, run) == 0;
    DeleteFileA(log);
    DeleteFileA(rows);
    return ok ? 0 : -1;
}

/* pmm map's wall time in ms (-1: it failed), and in *parts its scan (from its header) and the rest:
 * before it, the opening; after it, the text written and the exit. */
static double run_pmm_map(const char *exe, DWORD pid, const char *dir, run_parts *parts)
{
    char cmd[2048], out[MAX_PATH];
    snprintf(out, sizeof out, "%sbench_gui_rows_map.txt", dir);
    snprintf(cmd, sizeof cmd, "\"%s\" map %lu", exe, (unsigned long)pid);
    uint64_t started;
    double ms = run_to_end(cmd, out, &started);
    parts->scan_ms = map_scan_ms(out);
    parts->before_ms = 0;
    parts->after_ms = ms - parts->scan_ms;
    DeleteFileA(out);
    return ms;
}

/* n runs of each, interleaved (window first, then pmm first), so both see the same machine state. */
static int window_against_pmm_map(const char *window_exe, const char *pmm_exe, DWORD pid, int n)
{
    char dir[MAX_PATH];
    window_run runs[MAX_RUNS];
    double list_ms[MAX_RUNS], window_ms[MAX_RUNS], first_ms[MAX_RUNS], done_ms[MAX_RUNS], map_ms[MAX_RUNS], pair_ratio[MAX_RUNS];
    double own_ms[MAX_RUNS], map_rest_ms[MAX_RUNS], scan_ratio[MAX_RUNS];
    run_parts map_parts[MAX_RUNS];
    GetTempPathA(sizeof dir, dir);
    for (int i = 0; i < n; i++) {
        if (i % 2)
            map_ms[i] = run_pmm_map(pmm_exe, pid, dir, &map_parts[i]);
        if (run_window(window_exe, pid, dir, &runs[i]) != 0) {
            fprintf(stderr, "bench_gui_rows: %s did not finish its unattended run\n", window_exe);
            return -1;
        }
        if (i % 2 == 0)
            map_ms[i] = run_pmm_map(pmm_exe, pid, dir, &map_parts[i]);
        if (map_ms[i] < 0 || map_parts[i].scan_ms < 0) {
            fprintf(stderr, "bench_gui_rows: %s map %lu failed\n", pmm_exe, (unsigned long)pid);
            return -1;
        }
        list_ms[i] = runs[i].list_ms;
        pair_ratio[i] = list_ms[i] / map_ms[i];
        window_ms[i] = runs[i].wall_ms;
        first_ms[i] = runs[i].first_ms;
        done_ms[i] = runs[i].done_ms;
        run_parts parts = window_parts(&runs[i]);
        own_ms[i] = parts.before_ms + parts.after_ms;
        map_rest_ms[i] = map_parts[i].after_ms;
        scan_ratio[i] = parts.scan_ms / map_parts[i].scan_ms;
        printf("  run %d: window: first %lu rows at %.0f ms after the scan started, %lu previews, all %lu rows "
               "(%lu regions) at %.0f ms, in the list and written %.0f ms after start, exit at %.0f ms; pmm map: "
               "%.0f ms (ratio %.2f)\n", i + 1, runs[i].first_rows, runs[i].first_ms, runs[i].previews, runs[i].rows,
               runs[i].regions, runs[i].done_ms, runs[i].list_ms, runs[i].wall_ms, map_ms[i], list_ms[i] / map_ms[i]);
        printf("         where it went: window %.0f to its scan, the scan %.0f, %.0f after it (rows shown and written); "
               "pmm map: the scan %.0f, %.0f besides (start, opening, text, exit); the scans' ratio %.2f\n",
               parts.before_ms, parts.scan_ms, parts.after_ms, map_parts[i].scan_ms, map_parts[i].after_ms,
               scan_ratio[i]);
    }
    bench_sort_double(list_ms, n);
    bench_sort_double(pair_ratio, n);
    bench_sort_double(window_ms, n);
    bench_sort_double(first_ms, n);
    bench_sort_double(done_ms, n);
    bench_sort_double(map_ms, n);
    bench_sort_double(own_ms, n);
    bench_sort_double(map_rest_ms, n);
    bench_sort_double(scan_ratio, n);
    double first = first_ms[n / 2], ratio = list_ms[n / 2] / map_ms[n / 2];
    printf("  first rows after the scan started: %.0f ms median of %d (worst %.0f; goal < 500) %s\n", first, n,
           first_ms[n - 1], first >= 0 && first < 500 ? "MET" : "NOT MET");
    printf("  the full list: window %.0f ms from its start to every row in the list and written (all rows at %.0f "
           "ms after the scan started), pmm map %.0f ms start to exit; ratio %.2f, medians of %d (goal <= 1.10) %s\n",
           list_ms[n / 2], done_ms[n / 2], map_ms[n / 2], ratio, n, ratio <= 1.1 ? "MET" : "NOT MET");
    printf("  the same pair by pair (each window run against the pmm map run beside it): median ratio %.2f (%.2f to "
           "%.2f)\n", pair_ratio[n / 2], pair_ratio[0], pair_ratio[n - 1]);
    printf("  the window to its exit: %.0f ms (ratio %.2f; with managed windows, under Xvfb, that includes about 2 s "
           "of Wine waiting for a window manager to withdraw the closing window)\n", window_ms[n / 2],
           window_ms[n / 2] / map_ms[n / 2]);
    printf("  besides the scan: the window %.0f ms (%.0f to %.0f), pmm map %.0f ms (%.0f to %.0f), medians; the scans "
           "themselves pair by pair: window/pmm map %.2f (%.2f to %.2f)\n", own_ms[n / 2], own_ms[0],
           own_ms[n - 1], map_rest_ms[n / 2], map_rest_ms[0], map_rest_ms[n - 1], scan_ratio[n / 2],
           scan_ratio[0], scan_ratio[n - 1]);
    return 0;
}

int main(int argc, char **argv)
{
    int runs = argc > 5 ? atoi(argv[5]) : RUNS;
    if (argc < 5 || runs < 1 || runs > MAX_RUNS || runs % 2 == 0) {
        fprintf(stderr, "usage: bench_gui_rows TARGET_EXE ALLOCATIONS PROCESSMEMORYMAP_EXE PMM_EXE [RUNS: odd, 1 to "
                "%d, default %d]\n", MAX_RUNS, RUNS);
        return 2;
    }
    const char *allocations = argv[2];
    setvbuf(stdout, NULL, _IONBF, 0);   /* each run's line as it ends: the whole takes minutes */
    INITCOMMONCONTROLSEX controls = {sizeof controls, ICC_LISTVIEW_CLASSES};
    InitCommonControlsEx(&controls);
    bench_target target;
    if (bench_target_start(argv[1], "--allocations", allocations, &target) != 0) {
        fprintf(stderr, "bench_gui_rows: could not start %s\n", argv[1]);
        return 1;
    }
    printf("gui rows bench: %s allocations requested\n", allocations);
    if (window_against_pmm_map(argv[3], argv[4], target.pid, runs) != 0) {
        bench_target_stop(&target);
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
    printf("  in this process: %zu regions in %zu allocations (scan %.0f ms)\n", map->region_count,
           map->allocation_count, scan_ms);
    printf("  scan end to first rows on screen: %.1f ms\n", first_ms);
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
