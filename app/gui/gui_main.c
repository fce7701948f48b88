/* ProcessMemoryMap.exe [PID | FILE.dmp] [options]: see usage below.
 * Without a target the Select Process dialog opens. --screenshot, --dump-rows and --dump-view run
 * unattended: they need a target, write their files once the scan has finished, and exit (0 on
 * success). */
#include <windows.h>
#include <commctrl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "core/model/map.h"
#include "core/symbols/symbol_path.h"
#include "core/tools/target.h"
#include "core/win32/live_source.h"
#include "core/win32/symbol_download.h"
#include "dump_dialog.h"
#include "gui_util.h"
#include "main_window.h"
#include "region_rows.h"
#include "res/resource.h"
#include "settings.h"
#include "tool_options.h"

static const char usage[] =
    "Usage: ProcessMemoryMap.exe [PID | FILE.dmp | FILE.pmm] [options]\n\n"
    "PID: the process to open; FILE.dmp: a minidump or a kernel dump, FILE.pmm: a saved map to open.\n"
    "Without one the Select Process dialog opens.\n\n"
    "--process SEL     which address space of a kernel dump: a pid, an image name or kernel; without\n"
    "                  it the dump's processes are offered in a picker\n"
    "--filter TYPE     show one region type (Image, \"Mapped File\", Shareable, Heap, Stack, Private,\n"
    "                  System, Unusable, Free)\n"
    "--expand-all      expand every allocation;  --hide-free: hide free regions\n"
    "--goto ADDRESS    select the region holding ADDRESS (hex, or an export: module!name) and show\n"
    "                  it in the hex view;  --hex ADDRESS is the same\n"
    "--hex-select N    select N bytes of the hex view from that address (for its inspector and copy)\n"
    "--view VIEW       main (default), hex, exports or properties (of the --goto address), search,\n"
    "                  strings, stacks (call stacks), structure (the --goto address decoded),\n"
    "                  disasm (the --goto address in the Disassembly tab), graphs, fragmentation,\n"
    "                  processes (the Select Process dialog), kdump-processes (the picker of a kernel\n"
    "                  dump's processes; --find TEXT types in its filter box), options or integrity\n"
    "                  (the F8 window; the target is scanned again with the integrity scan when its\n"
    "                  map has no findings; --dump-view lists them)\n"
    "--finding N       with --view integrity: open finding row N (from 1) as Enter does; --dump-view\n"
    "                  then writes the main window's hex view at its address\n"
    "--search TEXT     run a search in the Search window (--search-kind ansi, ansi-nocase, utf16,\n"
    "                  hex, int8..int64, sint32..., float, double; default ansi), --search-max N\n"
    "                  (Max results), --search-more (press More once the cap stopped it)\n"
    "--strings N       list the strings of at least N characters in the Strings window\n"
    "                  (--strings-filter TEXT: show those containing TEXT)\n"
    "--follow FIELD    with --view structure: follow that pointer field (as a double-click does);\n"
    "                  with --view disasm: double-click the first line whose instruction starts\n"
    "                  with FIELD (call, jmp, lea ...) and has a target\n"
    "--view graphs     the graphs (Committed, Private Bytes, Working Set);  --click-graph GRAPH:TYPE\n"
    "                  clicks a segment (GRAPH committed, private or ws), which filters the list\n"
    "--view fragmentation   the Fragmentation view;  --hover ADDRESS (repeatable) points at the cell\n"
    "                  holding ADDRESS, --click ADDRESS clicks it; --dump-view lists what it said\n"
    "--find TEXT       with --view exports: type TEXT (a name or an address) in the find box;\n"
    "                  with --view processes: in the filter box\n"
    "--refresh         scan twice (as F5 does), so the view highlights what changed\n"
    "--save-map FILE   save the map (as File > Save Map) once it is shown; --save-map-checksums\n"
    "                  with page checksums\n"
    "--compare OLD     compare OLD (a saved map) with the map shown, in the compare view\n"
    "--compare-two OLD NEW   compare two saved maps;  --view compare shows the result\n"
    "--dump-format F --dump-to PATH   dump the --goto row's regions (every committed one without\n"
    "                  --goto): F is regions, single, sparse, full, minidump or dbghelp\n"
    "                  (--dbghelp-flags FLAGS, --dump-attach-debug);  --view dump-dialog shows\n"
    "                  the Dump dialog\n"
    "--reset-layout    forget the remembered window size and place, hex pane height and column\n"
    "                  widths (as Options > Reset the layout does), and exit\n\n"
    "Unattended (for tests and tools/screenshots.sh; need a target; exit when done):\n"
    "--screenshot FILE.bmp   capture the view's window\n"
    "--dump-rows FILE.txt    write the region list's rows (tab-separated)\n"
    "--dump-view FILE.txt    write the view as text: hex lines, exports rows or properties\n"
    "--use-settings          read the saved settings (Options, layout) as an interactive run does;\n"
    "                        they are still never written\n"
    "--pick TEXT             a kernel dump without --process: type TEXT in its process picker, press OK\n"
    "--scan-log FILE.txt     write when the scan showed rows: start, preview, scanned (the scan's\n"
    "                        worker ended), done, and written\n"
    "                        once --dump-rows/--dump-view wrote them (milliseconds after the\n"
    "                        scan started, the list's rows, the regions, the progress bar in\n"
    "                        thousandths or -1 when none is shown, the time in microseconds on\n"
    "                        the machine's performance counter, the title);\n"
    "                        --cancel-after-rows N presses Cancel\n"
    "                        once the list shows N rows (logged: cancel, stopped, ended), then exits;\n"
    "                        before it --goto/--hex, --dump-view and --screenshot show the scan in\n"
    "                        progress";

/* Region type by name, ignoring case, spaces and an optional " Data". */
static int parse_kind(const wchar_t *text, uint32_t *filter)
{
    char wanted[64];
    size_t n = 0;
    for (const wchar_t *p = text; *p && n + 1 < sizeof wanted; p++)
        if (*p != L' ' && *p < 128)
            wanted[n++] = (char)(*p | 0x20);
    wanted[n] = '\0';
    for (int k = 0; k < PMM_KIND_COUNT; k++) {
        char name[64];
        size_t m = 0;
        for (const char *p = pmm_region_kind_name((pmm_region_kind)k); *p && m + 1 < sizeof name; p++)
            if (*p != ' ')
                name[m++] = (char)(*p | 0x20);
        name[m] = '\0';
        if (strcmp(wanted, name) == 0 || (k == PMM_KIND_PRIVATE && strcmp(wanted, "private") == 0)) {
            *filter = 1u << k;
            return 1;
        }
    }
    return 0;
}

static int parse_pid(const wchar_t *text, uint32_t *pid)
{
    wchar_t *end;
    if (!*text || *text == L'-')
        return 0;
    unsigned long long value = wcstoull(text, &end, 0);
    if (*end || value > 0xFFFFFFFFull)
        return 0;
    *pid = (uint32_t)value;
    return 1;
}

static void report_usage(const char *problem)
{
    /* Sized by the text: a fixed buffer cut the usage short as it grew. */
    size_t size = strlen(problem) + strlen(usage) + 3;
    char *text = malloc(size);
    if (!text) {
        gui_error(NULL, problem);
        return;
    }
    snprintf(text, size, "%s\n\n%s", problem, usage);
    gui_error(NULL, text);
    free(text);
}

static int parse_view(const wchar_t *text, main_view *view)
{
    static const struct { const wchar_t *name; main_view view; } views[] = {
        {L"main", VIEW_MAIN}, {L"hex", VIEW_HEX}, {L"exports", VIEW_EXPORTS}, {L"properties", VIEW_PROPERTIES},
        {L"compare", VIEW_COMPARE}, {L"dump-dialog", VIEW_DUMP_DIALOG}, {L"processes", VIEW_PROCESSES},
        {L"options", VIEW_OPTIONS}, {L"kdump-processes", VIEW_KDUMP_PROCESSES}};
    for (size_t i = 0; i < sizeof views / sizeof views[0]; i++)
        if (_wcsicmp(text, views[i].name) == 0) {
            *view = views[i].view;
            return 1;
        }
    return 0;
}

/* Stores a UTF-8 copy of text in *out (replacing what was there). */
static int set_utf8(char **out, const wchar_t *text)
{
    free(*out);
    *out = gui_wide_to_utf8_alloc(text);
    return *out != NULL;
}

static int is_file_argument(const wchar_t *arg)
{
    return arg[0] != L'-' && GetFileAttributesW(arg) != INVALID_FILE_ATTRIBUTES;
}

/* --save-map, --compare, --compare-two, --dump-format, --dump-to, --dbghelp-flags and
 * --dump-attach-debug, --save-map-checksums, --process and --pick. Returns 1 when
 * argv[*i] was one of them (and moves *i past its values); dump_format -2 when it is unknown. */
static int parse_file_option(int argc, wchar_t **argv, int *i, main_options *options)
{
    const wchar_t *arg = argv[*i];
    if (wcscmp(arg, L"--compare-two") == 0 && *i + 2 < argc) {
        set_utf8(&options->compare_old, argv[++*i]);
        set_utf8(&options->compare_new, argv[++*i]);
        return 1;
    }
    char **text = wcscmp(arg, L"--save-map") == 0      ? &options->save_map
                  : wcscmp(arg, L"--compare") == 0     ? &options->compare_old
                  : wcscmp(arg, L"--dump-to") == 0     ? &options->dump_to
                  : wcscmp(arg, L"--dbghelp-flags") == 0 ? &options->dbghelp_flags
                  : wcscmp(arg, L"--symbols") == 0     ? &options->symbol_path
                  : wcscmp(arg, L"--process") == 0     ? &options->kdump_process
                  : wcscmp(arg, L"--pick") == 0        ? &options->kdump_pick
                                                        : NULL;
    if (text && *i + 1 < argc)
        return set_utf8(text, argv[++*i]), 1;
    if (wcscmp(arg, L"--dump-attach-debug") == 0)
        return options->dump_attach_debug = 1;
    if (wcscmp(arg, L"--save-map-checksums") == 0)
        return options->save_map_sums = 1;
    if (wcscmp(arg, L"--dump-format") == 0 && *i + 1 < argc) {
        char *name = gui_wide_to_utf8_alloc(argv[++*i]);
        dump_format format;
        options->dump_format = name && dump_format_parse(name, &format) ? (int)format : -2;
        free(name);
        return 1;
    }
    return 0;
}

/* Returns 0 when the command line is usable. */
static int parse_command_line(int argc, wchar_t **argv, main_options *options)
{
    memset(options, 0, sizeof *options);
    options->filter = REGION_FILTER_ALL;
    options->dump_format = -1;
    for (int i = 1; i < argc; i++) {
        const wchar_t *arg = argv[i];
        if ((wcscmp(arg, L"--goto") == 0 || wcscmp(arg, L"--hex") == 0) && i + 1 < argc) {
            if (wcscmp(arg, L"--hex") == 0 && options->view == VIEW_MAIN)
                options->view = VIEW_HEX;
            set_utf8(&options->goto_text, argv[++i]);
        } else if (wcscmp(arg, L"--hex-select") == 0 && i + 1 < argc) {
            options->hex_select = wcstoull(argv[++i], NULL, 0);
        } else if (wcscmp(arg, L"--find") == 0 && i + 1 < argc) {
            set_utf8(&options->find_text, argv[++i]);
        } else if (wcscmp(arg, L"--view") == 0 && i + 1 < argc) {
            if (!parse_view(argv[++i], &options->view) && !tool_options_view(argv[i], &options->view)) {
                report_usage("--view: unknown view.");
                return -1;
            }
        } else if (wcscmp(arg, L"--refresh") == 0) {
            options->refresh = 1;
        } else if (parse_file_option(argc, argv, &i, options) != 0) {
            if (options->dump_format == -2) {
                report_usage("--dump-format: regions, single, sparse, full, minidump or dbghelp.");
                return -1;
            }
        } else if (tool_options_parse(argc, argv, &i, options)) {
            continue;
        } else if (wcscmp(arg, L"--dump-view") == 0 && i + 1 < argc) {
            options->dump_view = argv[++i];
        } else if (wcscmp(arg, L"--screenshot") == 0 && i + 1 < argc) {
            options->screenshot = argv[++i];
        } else if (wcscmp(arg, L"--dump-rows") == 0 && i + 1 < argc) {
            options->dump_rows = argv[++i];
        } else if (wcscmp(arg, L"--filter") == 0 && i + 1 < argc) {
            if (!parse_kind(argv[++i], &options->filter)) {
                report_usage("--filter: unknown region type.");
                return -1;
            }
        } else if (wcscmp(arg, L"--expand-all") == 0) {
            options->expand_all = 1;
        } else if (wcscmp(arg, L"--scan-log") == 0 && i + 1 < argc) {
            options->scan_log = argv[++i];
        } else if (wcscmp(arg, L"--cancel-after-rows") == 0 && i + 1 < argc) {
            options->cancel_after_rows = (unsigned)wcstoul(argv[++i], NULL, 10);
        } else if (wcscmp(arg, L"--reset-layout") == 0) {
            options->reset_layout = 1;
        } else if (wcscmp(arg, L"--use-settings") == 0) {
            options->use_settings = 1;
        } else if (wcscmp(arg, L"--hide-free") == 0) {
            options->hide_free = 1;
        } else if (wcscmp(arg, L"--help") == 0 || wcscmp(arg, L"/?") == 0) {
            report_usage("ProcessMemoryMap: the memory map of a process.");
            return 1;
        } else if (!options->has_pid && !options->dump_path && parse_pid(arg, &options->pid)) {
            options->has_pid = 1;
        } else if (!options->has_pid && !options->dump_path && is_file_argument(arg)) {
            set_utf8(&options->dump_path, arg);
        } else {
            char problem[300];
            snprintf(problem, sizeof problem, "Unexpected argument '%ls'.", arg);
            report_usage(problem);
            return -1;
        }
    }
    if (options->dump_to && options->dump_format < 0) {
        report_usage("--dump-to needs --dump-format.");
        return -1;
    }
    if ((options->screenshot || options->dump_rows || options->dump_view) && !options->has_pid && !options->dump_path) {
        report_usage("--screenshot, --dump-rows and --dump-view need a process id or a minidump.");
        return -1;
    }
    if (options->view == VIEW_PROPERTIES && !options->goto_text && (options->screenshot || options->dump_view)) {
        report_usage("--view properties needs --goto ADDRESS.");
        return -1;
    }
    return 0;
}

int WINAPI wWinMain(HINSTANCE instance, HINSTANCE prev, PWSTR command_line, int show)
{
    (void)prev;
    (void)command_line;
    main_options options;
    int unattended = 0;
    for (int i = 1; i < __argc; i++)
        if (wcscmp(__wargv[i], L"--screenshot") == 0 || wcscmp(__wargv[i], L"--dump-rows") == 0 ||
            wcscmp(__wargv[i], L"--dump-view") == 0 || wcscmp(__wargv[i], L"--dump-to") == 0 ||
            wcscmp(__wargv[i], L"--save-map") == 0 || wcscmp(__wargv[i], L"--scan-log") == 0)
            unattended = 1;
    gui_set_unattended(unattended);
    pmm_target_set_process_opener(pmm_live_open);
    pmm_symbol_path_set_downloader(pmm_win32_symbol_download);
    int parsed = parse_command_line(__argc, __wargv, &options);
    if (parsed != 0)
        return parsed < 0 ? 2 : 0;
    settings_set_access(!unattended || options.use_settings, !unattended);
    if (options.reset_layout) {
        if (settings_forget_layout() == 0)
            return 0;
        gui_error(NULL, "The remembered layout could not be removed from the registry "
                        "(HKCU\\Software\\ProcessMemoryMap).");
        return 1;
    }

    INITCOMMONCONTROLSEX controls = {sizeof controls, ICC_LISTVIEW_CLASSES | ICC_BAR_CLASSES | ICC_PROGRESS_CLASS |
                                                          ICC_STANDARD_CLASSES | ICC_UPDOWN_CLASS};
    InitCommonControlsEx(&controls);
    if (!main_window_register(instance)) {
        gui_error(NULL, "The main window class could not be registered.");
        return 1;
    }
    HWND main = main_window_create(instance, &options, unattended ? SW_SHOWNORMAL : show);
    if (!main) {
        gui_error(NULL, "The main window could not be created.");
        return 1;
    }
    HACCEL accelerators = LoadAcceleratorsW(instance, MAKEINTRESOURCEW(IDR_MAIN_ACCEL));
    MSG msg;
    while (GetMessageW(&msg, NULL, 0, 0) > 0) {
        if (main_window_translate(main, accelerators, &msg) || gui_modeless_dispatch(&msg))
            continue;
        TranslateMessage(&msg);
        DispatchMessageW(&msg);
    }
    return (int)msg.wParam;
}
