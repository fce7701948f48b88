# Every source file of the product, by layer. ProcessMemoryMap.sln's projects list the same files
# (tests/integration/test_sln_sources.py checks it).

set(PMM_CORE_SOURCES
    core/util/status.c
    core/util/array.c
    core/util/utf.c
    core/util/json_writer.c
    core/util/text.c
    core/util/device_path.c
    core/source/source.c
    core/source/file_source.c
    core/source/buffer_source.c
    core/source/minidump_source.c
    core/source/minidump_ranges.c
    core/source/minidump_regions.c
    core/model/strings.c
    core/model/map.c
    core/formats/nt_layout.c
    core/formats/pe_read.c
    core/formats/pe_headers.c
    core/formats/pe_exports.c
    core/formats/pe_imports.c
    core/formats/pe_resources.c
    core/formats/pe_tls.c
    core/formats/pe_relocs.c
    core/formats/pe_debug.c
    core/formats/pe_exceptions.c
    core/formats/pe_load_config.c
    core/formats/minidump.c
    core/formats/minidump_context.c
    core/formats/minidump_threads.c
    core/formats/minidump_modules.c
    core/formats/minidump_memory.c
    core/formats/minidump_misc.c
    core/analyzers/scan.c
    core/analyzers/regions.c
    core/analyzers/peb.c
    core/analyzers/modules.c
    core/analyzers/pe_annotate.c
    core/analyzers/threads.c
    core/analyzers/classify.c
    core/tools/map_summary.c
    core/tools/map_text.c
    core/tools/map_json.c
    core/tools/pe_json.c
    core/tools/pe_text.c
    core/tools/minidump_report.c
    core/tools/minidump_text.c
    core/tools/minidump_json.c
    core/tools/symbols.c
)

# The core's one platform-specific piece: its clock.
set(PMM_CORE_POSIX_CLOCK core/util/clock_posix.c)
set(PMM_CORE_WIN32_CLOCK core/win32/clock.c)

set(PMM_WIN32_SOURCES
    core/win32/live_source.c
    core/win32/live_threads.c
    core/win32/live_watchdog.c
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
    app/cli/cmd_pe.c
    app/cli/cmd_exports.c
    app/cli/cmd_minidump.c
)

set(PMM_GUI_SOURCES
    app/gui/gui_main.c
    app/gui/main_window.c
    app/gui/summary_pane.c
    app/gui/target_pane.c
    app/gui/region_rows.c
    app/gui/region_list.c
    app/gui/process_dialog.c
    app/gui/info_dialogs.c
    app/gui/scan_worker.c
    app/gui/gui_capture.c
    app/gui/gui_util.c
)
