#!/usr/bin/env bash
# Installs every Debian package the build and the tests need, and nothing that is already there.
# Safe to run repeatedly; a no-op (no apt call) once everything is present.
set -euo pipefail

need_amd64=(cmake make gcc clang libclang-rt-14-dev python3 mingw-w64 wine wine64 wine64-tools
            xvfb xauth x11-utils imagemagick)
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

# Debian's i386 packages lag the amd64 security updates; pin the security suite low so that
# wine32:i386 and wine64 resolve to the same version instead of wine64 being removed.
if ! dpkg --print-foreign-architectures | grep -qx i386; then
    $SUDO dpkg --add-architecture i386
fi
pin=/etc/apt/preferences.d/pmm-wine-security-pin
if [ ! -f "$pin" ]; then
    printf 'Package: *\nPin: release l=Debian-Security\nPin-Priority: 100\n' | $SUDO tee "$pin" >/dev/null
fi
# A mirror caught mid-sync fails one index now and then: retry, then go on with what was fetched.
for attempt in 1 2 3; do
    $SUDO apt-get update -qq && break
    echo "install-deps: apt-get update failed (attempt $attempt), retrying" >&2
    sleep 5
done
$SUDO apt-get install -y -qq --no-install-recommends "${need_amd64[@]}" >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends libgstreamer-plugins-base1.0-0:i386 >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends wine wine64 wine32:i386 >/dev/null
for p in "${need_amd64[@]}" "${need_i386[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
        || { echo "install-deps: $p did not install" >&2; exit 1; }
done
echo "install-deps: done" >&2
