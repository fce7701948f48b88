#!/usr/bin/env bash
# PNGs of every view of the explorer (main window, hex view, exports, properties, search results,
# call stacks, structure view, fragmentation view, refresh highlight, compare view, dump dialog, graphs on a saved
# map with working-set facts, minidump, integrity window, a kernel dump's process picker) showing a live test target, at 100% and 150% scaling, in build/screenshots/.
# Needs the win64 build (tools/build.sh win64), Wine, Xvfb and ImageMagick's convert.
# Usage: tools/screenshots.sh [--out DIR] [--scales 96,144] [--bits 64]
# The views are opened with ProcessMemoryMap.exe's unattended switches (--screenshot, --hex, --goto,
# --view, --find, --refresh, --search; see ProcessMemoryMap.exe --help). 150% runs in a throwaway copy of the
# Wine prefix with LogPixels=144 (drive_c hard-linked), removed afterwards.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export PMM_BUILD="${PMM_BUILD:-$ROOT/build}"
cd "$ROOT"
# shellcheck source=tools/wine-env.sh
source tools/wine-env.sh
export PYTHONPATH="$ROOT/tests/integration:$ROOT/tests/gui${PYTHONPATH:+:$PYTHONPATH}"
exec python3 tests/gui/screenshots.py "$@"
