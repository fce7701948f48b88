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
