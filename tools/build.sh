#!/usr/bin/env bash
# Configures and builds everything into build/: win64 and win32 (mingw-w64 cross builds) and native
# (the portable core with AddressSanitizer + UndefinedBehaviorSanitizer, unit and integration tests);
# on request release: gcc's optimised build as tools/bench.sh makes it, whose analysis at -O3 warns
# (format truncation, maybe-uninitialized) where the others do not (tools/test.sh builds it too).
# Usage: tools/build.sh [win64|win32|native|release ...]   (default: win64 win32 native)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${PMM_BUILD:-$ROOT/build}"
JOBS="$(nproc 2>/dev/null || echo 2)"
WERROR="${PMM_WERROR:-ON}"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(win64 win32 native)

configure_and_build() {
    local dir="$1"; shift
    cmake -S "$ROOT" -B "$BUILD/$dir" -DPMM_WERROR="$WERROR" "$@" >"$BUILD/$dir.configure.log" 2>&1 \
        || { cat "$BUILD/$dir.configure.log" >&2; echo "build: configuring $dir failed" >&2; exit 1; }
    cmake --build "$BUILD/$dir" -j "$JOBS" >"$BUILD/$dir.build.log" 2>&1 \
        || { grep -E "error|warning" "$BUILD/$dir.build.log" | head -40 >&2; tail -20 "$BUILD/$dir.build.log" >&2
             echo "build: $dir failed (full log: $BUILD/$dir.build.log)" >&2; exit 1; }
    echo "build: $dir done" >&2
}

mkdir -p "$BUILD"
for t in "${targets[@]}"; do
    case "$t" in
    win64) configure_and_build win64 -DCMAKE_TOOLCHAIN_FILE="$ROOT/cmake/toolchain-mingw-x64.cmake" ;;
    win32) configure_and_build win32 -DCMAKE_TOOLCHAIN_FILE="$ROOT/cmake/toolchain-mingw-x86.cmake" ;;
    # clang, so the libFuzzer harnesses build beside the sanitized unit tests.
    native) configure_and_build native -DCMAKE_C_COMPILER=clang -DPMM_SANITIZE=ON -DPMM_FUZZ=ON \
                -DPMM_FUZZ_SECONDS="${PMM_FUZZ_SECONDS:-20}" \
                -DPMM_WIN64_DIR="$BUILD/win64" -DPMM_WIN32_DIR="$BUILD/win32" ;;
    release) configure_and_build release -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=Release ;;
    *) echo "build: unknown target $t (win64, win32, native, release)" >&2; exit 2 ;;
    esac
done
