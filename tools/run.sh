#!/usr/bin/env bash
# Installs what is missing, builds, and opens the explorer on a live process under Wine.
# With no display, prints the process's map with pmm.exe instead.
#   tools/run.sh          starts a demo process (our test target) and maps it
#   tools/run.sh PID      maps an already running Wine process (see: pmm.exe list)
set -euo pipefail
# shellcheck source=tools/win64-ready.sh
source "$(dirname "$0")/win64-ready.sh"

pid="${1:-}"
demo_fifo=""
if [ -z "$pid" ]; then
    demo_fifo="$(mktemp -u)"
    mkfifo "$demo_fifo"
    # The demo target keeps running while its stdin (the fifo) stays open.
    "$WINE64" "$BIN/tests/targets/pmm_target_basic.exe" <"$demo_fifo" >"$PMM_BUILD/demo-target.json" 2>/dev/null &
    exec 3>"$demo_fifo"
    for _ in $(seq 1 100); do
        [ -s "$PMM_BUILD/demo-target.json" ] && break
        sleep 0.2
    done
    pid="$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["pid"])' "$PMM_BUILD/demo-target.json")"
    echo "run: started the demo process pmm_target_basic.exe, pid $pid" >&2
fi
stop_demo() {
    if [ -n "$demo_fifo" ]; then
        echo quit >&3 || true
        exec 3>&-
        rm -f "$demo_fifo"
    fi
}
trap stop_demo EXIT

if [ -n "${DISPLAY:-}" ] && command -v xdpyinfo >/dev/null && xdpyinfo >/dev/null 2>&1; then
    pmm_wine_windows_managed Y   # a desktop has a window manager; the tests turn this off again
    "$WINE64" "$BIN/ProcessMemoryMap.exe" "$pid"
else
    echo "run: no display, so here is the map from pmm.exe (set DISPLAY to see the explorer window)" >&2
    "$WINE64" "$BIN/pmm.exe" map "$pid"
fi
