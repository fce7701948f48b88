#!/usr/bin/env bash
# Installs what is missing, builds everything, and runs every test: native unit tests (ASan+UBSan),
# integration tests under Wine, GUI tests under Wine + Xvfb. Ends with "N passed, N failed".
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export PMM_BUILD="${PMM_BUILD:-$ROOT/build}"
cd "$ROOT"

bash tools/install-deps.sh || { echo "test: installing dependencies failed"; echo "0 passed, 1 failed"; exit 1; }
# release: -Werror on gcc's optimised build too (about 45 s of CPU), so its warnings fail the run.
bash tools/build.sh win64 win32 native release || { echo "test: the build failed"; echo "0 passed, 1 failed"; exit 1; }
# shellcheck source=tools/wine-env.sh
source tools/wine-env.sh
# One persistent wineserver for the whole run, started here with no pipe attached: a wineserver
# (or explorer.exe) started by a test would inherit ctest's output pipe and keep it open.
/usr/lib/wine/wineserver -k >/dev/null 2>&1 || true
/usr/lib/wine/wineserver -p </dev/null >/dev/null 2>&1

log="$PMM_BUILD/ctest.log"
ctest --test-dir "$PMM_BUILD/native" --output-on-failure --timeout 900 "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
/usr/lib/wine/wineserver -k >/dev/null 2>&1 || true

# ctest's own summary is "NN% tests passed, F tests failed out of T"; restate it in the plain form.
summary=$(grep -E "tests passed, [0-9]+ tests? failed out of [0-9]+" "$log" | tail -1)
if [ -n "$summary" ]; then
    failed=$(echo "$summary" | sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/')
    total=$(echo "$summary" | sed -E 's/.* failed out of ([0-9]+).*/\1/')
    skipped=$(grep -c "\*\*\*Skipped\| Not Run" "$log" || true)
    echo "$((total - failed - skipped)) passed, $failed failed, $skipped skipped"
else
    echo "0 passed, 1 failed"
    status=1
fi
exit "$status"
