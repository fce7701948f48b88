#!/usr/bin/env bash
# Installs every Debian package the build and the tests need, and nothing that is already there.
# Safe to run repeatedly; a no-op (no apt call) once everything is present.
set -euo pipefail

# lldb: an independent reader of the minidumps we write (test_minidump_lldb.py runs its command line;
# python3-lldb-14's module cannot be imported on Debian 12: its _lldb link points to a missing file).
# lld and llvm-14: the PDB-carrying test targets are linked by clang with lld; llvm-pdbutil and
# llvm-symbolizer (in /usr/lib/llvm-14/bin) are the symbol tests' oracles beside mingw's addr2line.
# libzydis-dev and libcapstone-dev: public x86 decoders that bench_disasm times over the same bytes
# as ours, as references (benchmark only: the product links neither; without them it skips them).
need_amd64=(cmake make gcc clang libclang-rt-14-dev python3 mingw-w64 wine wine64 wine64-tools
            xvfb xauth x11-utils imagemagick lldb python3-lldb-14 lld llvm-14 libzydis-dev libcapstone-dev)
need_i386=(wine32:i386)

missing=()
for p in "${need_amd64[@]}" "${need_i386[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive

if ! dpkg --print-foreign-architectures | grep -qx i386; then
    $SUDO dpkg --add-architecture i386
fi
# A mirror caught mid-sync fails one index now and then: retry, then go on with what was fetched.
for attempt in 1 2 3; do
    $SUDO apt-get update -qq && break
    echo "install-deps: apt-get update failed (attempt $attempt), retrying" >&2
    sleep 5
done

# Debian's i386 packages lag the amd64 security updates, so wine32:i386 and wine64 must both come
# from the main archive: pin Wine's packages out of the security suite. When the i386 security
# index could not be fetched at all, every i386 library must match its amd64 twin from main too,
# so then the whole security suite is pinned low (on a machine that already took security updates
# that second pin cannot help, and apt's message below says what is missing).
pin=/etc/apt/preferences.d/pmm-wine-security-pin
if ls /var/lib/apt/lists/*security*binary-i386_Packages* >/dev/null 2>&1; then
    printf 'Package: wine* libwine* fonts-wine*\nPin: release l=Debian-Security\nPin-Priority: 100\n' | $SUDO tee "$pin" >/dev/null
else
    printf 'Package: *\nPin: release l=Debian-Security\nPin-Priority: 100\n' | $SUDO tee "$pin" >/dev/null
fi

log="$(mktemp)"
install() {
    if ! $SUDO apt-get install -y -qq --no-install-recommends "$@" >"$log" 2>&1; then
        cat "$log" >&2
        echo "install-deps: apt-get install $* failed" >&2
        exit 1
    fi
}
install "${need_amd64[@]}"
install libgstreamer-plugins-base1.0-0:i386
install wine wine64 wine32:i386
rm -f "$log"
for p in "${need_amd64[@]}" "${need_i386[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
        || { echo "install-deps: $p did not install" >&2; exit 1; }
done
echo "install-deps: done" >&2
