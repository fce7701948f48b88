#!/usr/bin/env bash
# Runs every libFuzzer harness for longer than the test suite does, and prints each one's figures.
#   tools/fuzz.sh [SECONDS_EACH] [HARNESS...]     default 600 seconds, every harness
# New inputs go to build/native/tests/fuzz/corpus_<harness>; findings to build/fuzz-findings/.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export PMM_BUILD="${PMM_BUILD:-$ROOT/build}"
cd "$ROOT"
seconds="${1:-600}"
shift || true
bash tools/install-deps.sh
bash tools/build.sh native
dir="$PMM_BUILD/native/tests/fuzz"
findings="$PMM_BUILD/fuzz-findings"
mkdir -p "$findings"
harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
    for f in "$dir"/fuzz_*; do [ -x "$f" ] && harnesses+=("$(basename "$f")"); done
fi
status=0
for h in "${harnesses[@]}"; do
    mapfile -t corpus <"$dir/$h.corpus"   # written by tests/fuzz/CMakeLists.txt
    echo "fuzz: $h for $seconds s (corpus: ${corpus[*]})" >&2
    log="$findings/$h.log"
    if "$dir/$h" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
        -artifact_prefix="$findings/$h-" "${corpus[@]}" >"$log" 2>&1; then
        grep -E "^(#[0-9]+\s+DONE|Done [0-9]+ runs)" "$log" | tail -1 | sed "s/^/  $h: /"
    else
        echo "  $h: FOUND A PROBLEM, see $log and $findings/$h-*" >&2
        status=1
    fi
done
exit $status
