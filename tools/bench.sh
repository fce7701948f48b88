#!/usr/bin/env bash
# Runs the benchmarks under Wine and prints their figures (ratios measured within one run).
#   tools/bench.sh [ALLOCATIONS]     default 100000
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export PMM_BUILD="${PMM_BUILD:-$ROOT/build}"
cd "$ROOT"
bash tools/install-deps.sh
PMM_WERROR=OFF bash tools/build.sh win64
# shellcheck source=tools/wine-env.sh
source tools/wine-env.sh
BIN="$PMM_BUILD/win64"
"$WINE64" "$BIN/tests/bench/bench_map.exe" "$BIN/tests/targets/pmm_target_basic.exe" "${1:-100000}"
"$WINE64" "$BIN/tests/bench/bench_pe.exe" 'C:\windows\system32' 'C:\windows\syswow64'
"$WINE64" "$BIN/tests/bench/bench_pe.exe" --exports
"$WINE64" "$BIN/tests/bench/bench_search.exe" "$BIN/tests/targets/pmm_target_markers.exe" "${PMM_SEARCH_BENCH_MIB:-1024}"
"$WINE64" "$BIN/tests/bench/bench_integrity.exe" "$BIN/tests/targets/pmm_target_integrity.exe" "${PMM_INTEGRITY_BENCH_DLLS:-100}"
"$WINE64" "$BIN/tests/bench/bench_working_set.exe" "${PMM_WS_BENCH_MIB:-1024}"
# Writes its temporary file into the current folder: run it from the temporary folder.
(cd "${TMPDIR:-/tmp}" && "$WINE64" "$BIN/tests/bench/bench_saved_map.exe" "${PMM_SAVED_MAP_BENCH_REGIONS:-100000}")
xvfb-run -a "$WINE64" "$BIN/tests/bench/bench_gui_rows.exe" "$BIN/tests/targets/pmm_target_basic.exe" "${1:-100000}"
# Our full minidump vs dbghelp's, and MB/s per dump format; writes (and removes) ~1 GiB files in the temporary folder.
(cd "${TMPDIR:-/tmp}" && "$WINE64" "$BIN/tests/bench/bench_minidump.exe" "$BIN/tests/targets/pmm_target_markers.exe" "${PMM_MINIDUMP_BENCH_MIB:-1024}")
