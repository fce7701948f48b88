# Sourced by the scripts and tests: a private Wine prefix under the build folder, quiet and with no
# Mono/Gecko install prompts. Creates the prefix the first time.
: "${PMM_BUILD:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build}"
export WINEPREFIX="${WINEPREFIX_OVERRIDE:-$PMM_BUILD/wineprefix}"
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
export WINE64=/usr/lib/wine/wine64
export WINE32=/usr/lib/wine/wine
if [ ! -f "$WINEPREFIX/system.reg" ]; then
    mkdir -p "$WINEPREFIX"
    echo "wine-env: creating Wine prefix $WINEPREFIX" >&2
    DISPLAY= "$WINE64" wineboot --init >/dev/null 2>&1 || true
    # With no window manager (Xvfb) Wine leaves title bars black unless it draws them itself.
    DISPLAY= "$WINE64" reg add 'HKCU\Software\Wine\X11 Driver' /v Decorated /d N /f >/dev/null 2>&1 || true
    /usr/lib/wine/wineserver -w || true
fi
# pmm_wine_windows_managed Y|N: whether Wine leaves its windows to a window manager. A managed
# window, when it closes, waits up to 2 s for the manager to withdraw it (winex11's
# wait_for_withdrawn_state); the tests' Xvfb has no manager, so every GUI test run paid 2 s for
# nothing. The prefix is unmanaged (N) here; tools/run.sh asks for Y on a real desktop.
pmm_wine_windows_managed() {
    if ! grep -q "\"Managed\"=\"$1\"" "$WINEPREFIX/user.reg" 2>/dev/null; then
        # Into the running wineserver's registry when there is one (user.reg catches up later),
        # so this may run again: harmless.
        DISPLAY= "$WINE64" reg add 'HKCU\Software\Wine\X11 Driver' /v Managed /d "$1" /f >/dev/null 2>&1 || true
    fi
}
pmm_wine_windows_managed N
