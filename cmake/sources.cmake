# Every source file of the product, by layer. ProcessMemoryMap.sln's projects list the same files
# (tests/integration/test_sln_sources.py checks it).

set(PMM_CORE_SOURCES
    core/util/status.c
    core/util/array.c
    core/util/utf.c
    core/util/json_writer.c
    core/util/text.c
    core/source/source.c
    core/model/strings.c
    core/model/map.c
    core/formats/nt_layout.c
    core/analyzers/scan.c
    core/analyzers/regions.c
    core/analyzers/peb.c
    core/analyzers/modules.c
    core/analyzers/threads.c
    core/analyzers/classify.c
    core/tools/map_summary.c
    core/tools/map_text.c
    core/tools/map_json.c
)

set(PMM_WIN32_SOURCES
    core/win32/live_source.c
    core/win32/live_threads.c
    core/win32/nt_api.c
    core/win32/device_paths.c
    core/win32/process_list.c
    core/win32/privilege.c
    core/win32/utf8.c
)

set(PMM_CLI_SOURCES
    app/cli/main.c
    app/cli/cli_args.c
    app/cli/cli_target.c
    app/cli/cmd_list.c
    app/cli/cmd_map.c
)

set(PMM_GUI_SOURCES
    app/gui/gui_main.c
    app/gui/main_window.c
    app/gui/region_rows.c
    app/gui/region_list.c
)
