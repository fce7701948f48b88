#!/usr/bin/env bash
# Runs the benchmarks under Wine and prints their figures (ratios measured within one run).
#   tools/bench.sh [ALLOCATIONS]     default 100000
set -euo pipefail
# shellcheck source=tools/win64-ready.sh
source "$(dirname "$0")/win64-ready.sh"
"$WINE64" "$BIN/tests/bench/bench_map.exe" "$BIN/tests/targets/pmm_target_basic.exe" "${1:-100000}"
"$WINE64" "$BIN/tests/bench/bench_pe.exe" 'C:\windows\system32' 'C:\windows\syswow64'
"$WINE64" "$BIN/tests/bench/bench_pe.exe" --exports
"$WINE64" "$BIN/tests/bench/bench_search.exe" "$BIN/tests/targets/pmm_target_markers.exe" "${PMM_SEARCH_BENCH_MIB:-1024}"
"$WINE64" "$BIN/tests/bench/bench_integrity.exe" "$BIN/tests/targets/pmm_target_integrity.exe" "${PMM_INTEGRITY_BENCH_DLLS:-100}"
"$WINE64" "$BIN/tests/bench/bench_working_set.exe" "${PMM_WS_BENCH_MIB:-1024}"
# Writes its temporary file into the current folder: run it from the temporary folder.
(cd "${TMPDIR:-/tmp}" && "$WINE64" "$BIN/tests/bench/bench_saved_map.exe" "${PMM_SAVED_MAP_BENCH_REGIONS:-100000}")
# The explorer against pmm map (both started by the benchmark); the machine is shared: say how busy it was.
echo "load average before bench_gui_rows: $(cut -d' ' -f1-3 /proc/loadavg)"
xvfb-run -a "$WINE64" "$BIN/tests/bench/bench_gui_rows.exe" "$BIN/tests/targets/pmm_target_basic.exe" "${1:-100000}" \
    "$BIN/ProcessMemoryMap.exe" "$BIN/pmm.exe" "${PMM_GUI_BENCH_RUNS:-5}"
echo "load average after bench_gui_rows: $(cut -d' ' -f1-3 /proc/loadavg)"
xvfb-run -a "$WINE64" "$BIN/tests/bench/bench_fragmentation.exe" "$BIN/tests/targets/pmm_target_basic.exe" "${1:-100000}"
# Our full minidump vs dbghelp's, and MB/s per dump format; writes (and removes) ~1 GiB files in the temporary folder.
(cd "${TMPDIR:-/tmp}" && "$WINE64" "$BIN/tests/bench/bench_minidump.exe" "$BIN/tests/targets/pmm_target_markers.exe" "${PMM_MINIDUMP_BENCH_MIB:-1024}")
# Symbols: every frame of a process with 100 DLLs named cold, every module, warm lookups; then addr2line
# naming the same frames from the same files (ours / addr2line in one run).
frames="$(mktemp)"
"$WINE64" "$BIN/tests/bench/bench_symbols.exe" "Z:${frames//\//\\}" | tee "$frames.out"
cold_ms="$(sed -n 's/^bench_symbols: cold: .* in \([0-9.]*\) ms, .*/\1/p' "$frames.out")"
python3 tests/bench/bench_symbols_addr2line.py "$frames" "$cold_ms" "$WINEPREFIX"
rm -f "$frames" "$frames.out"
# x86 decoder (native, optimised, no sanitizers): decode and decode+format vs objdump over the same DLLs,
# then Zydis and capstone (when installed) over the same bytes.
cmake -S "$ROOT" -B "$PMM_BUILD/bench-native" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$PMM_BUILD/bench-native" --target bench_disasm bench_symbols -j "$(nproc)" >/dev/null
W64=/usr/lib/x86_64-linux-gnu/wine/x86_64-windows
"$PMM_BUILD/bench-native/tests/disasm/bench_disasm" x86_64-w64-mingw32-objdump "$W64/ntdll.dll" "$W64/kernelbase.dll" \
    "$W64/msvcrt.dll" "$W64/ucrtbase.dll" "$W64/wined3d.dll" "$W64/d3dx9_43.dll" "$W64/jscript.dll"
# Symbols natively: warm lookups per second over 12 large Wine DLLs (goal: at least a million).
"$PMM_BUILD/bench-native/tests/symbols/bench_symbols" "$W64/ntdll.dll" "$W64/kernelbase.dll" "$W64/msvcrt.dll" \
    "$W64/ucrtbase.dll" "$W64/user32.dll" "$W64/ole32.dll" "$W64/shell32.dll" "$W64/comctl32.dll" \
    "$W64/wined3d.dll" "$W64/d3dx9_43.dll" "$W64/jscript.dll" "$W64/dbghelp.dll"
# Kernel dumps (native, optimised, no sanitizers): writes (and removes) two dumps of about 4 GiB
# each in the temporary folder.
cmake --build "$PMM_BUILD/bench-native" --target bench_kdump -j "$(nproc)" >/dev/null
(cd "${TMPDIR:-/tmp}" && "$PMM_BUILD/bench-native/tests/unit/bench_kdump")
# Processes in a kernel dump (native, optimised): writes (and removes) a dump of about 8 GiB.
cmake --build "$PMM_BUILD/bench-native" --target bench_kdump_processes -j "$(nproc)" >/dev/null
(cd "${TMPDIR:-/tmp}" && "$PMM_BUILD/bench-native/tests/unit/bench_kdump_processes")
