#!/usr/bin/env python3
"""GUI smoke test under Wine and Xvfb: the explorer window opens a live target, its list agrees with
`pmm map --json`, a type filter and expand-all work, and --screenshot writes a sane BMP.

Run from the repository root. Environment: PMM_WIN64_DIR and PMM_WIN32_DIR (build folders of the
Windows binaries; x86 is checked when present), PMM_BUILD (build root holding the Wine prefix).
Exits 77 (skipped) when Xvfb or Wine is missing."""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SKIP = 77
TIMEOUT = 60


def log(text):
    print(text, flush=True)


def skip(reason):
    log("SKIP: " + reason)
    sys.exit(SKIP)


def fail(text):
    log("FAIL: " + text)
    raise SystemExit(1)


def wine_environment(build_root):
    """The environment tools/wine-env.sh sets up (private prefix, quiet Wine)."""
    script = os.path.join(ROOT, "tools", "wine-env.sh")
    env = dict(os.environ, PMM_BUILD=build_root)
    out = subprocess.run(["bash", "-c", 'source "$0" && env -0', script], env=env, check=True,
                         capture_output=True, timeout=180).stdout
    return dict(item.split("=", 1) for item in out.decode().split("\0") if "=" in item)


def start_xvfb():
    for display in range(120, 200):
        if os.path.exists("/tmp/.X%d-lock" % display) or os.path.exists("/tmp/.X11-unix/X%d" % display):
            continue
        proc = subprocess.Popen(["Xvfb", ":%d" % display, "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(50):
            if os.path.exists("/tmp/.X11-unix/X%d" % display):
                return proc, ":%d" % display
            if proc.poll() is not None:
                break
            time.sleep(0.1)
        proc.kill()
        proc.wait()
    skip("no free X display for Xvfb")


def run(cmd, env, timeout=TIMEOUT):
    """Output goes to temporary files, not pipes: the first GUI process starts explorer.exe (and a
    console one may start the wineserver), which inherit its output handles and outlive it, so
    waiting for a pipe's end would wait for them."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(cmd, proc.returncode, out.read(), err.read())


def list_pids(wine, pmm, env, name):
    out = run([wine, pmm, "list", "--json"], env).stdout
    return {p["pid"] for p in json.loads(out)["processes"] if p["name"].lower() == name}


def start_target(wine, pmm, env):
    """A ping that sleeps for two minutes in its own cmd.exe; returns (launcher, pid)."""
    before = list_pids(wine, pmm, env, "ping.exe")
    proc = subprocess.Popen([wine, "cmd.exe", "/c", "ping -n 120 127.0.0.1 >nul"], env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        new = list_pids(wine, pmm, env, "ping.exe") - before
        if new:
            time.sleep(1.0)  # let it finish loading before anyone maps it
            return proc, min(new)
        time.sleep(0.2)
    proc.kill()
    fail("the target ping.exe did not start")


def stop_target(wine, env, launcher, pid):
    run([wine, "taskkill", "/f", "/pid", str(pid)], env)
    try:
        launcher.wait(timeout=10)
    except subprocess.TimeoutExpired:
        launcher.kill()


def map_allocations(wine, pmm, env, pid):
    """(address, kind) of each allocation in `pmm map --json`, grouped as the core groups them."""
    result = run([wine, pmm, "map", str(pid), "--json"], env)
    if result.returncode != 0:
        fail("pmm map %d failed: %s" % (pid, result.stderr.decode(errors="replace")))
    regions = json.loads(result.stdout)["regions"]
    allocations = []
    previous = None
    for r in regions:
        starts = (previous is None or r["state"] == "free" or previous["state"] == "free"
                  or r["alloc_base"] != previous["alloc_base"])
        if starts:
            allocations.append((int(r["address"], 16), r["kind"]))
        previous = r
    return allocations


def gui_rows(wine, gui, env, pid, out_dir, *extra):
    path = os.path.join(out_dir, "rows-%d-%d.txt" % (pid, len(os.listdir(out_dir))))
    result = run([wine, gui, str(pid), "--dump-rows", path] + list(extra), env)
    if result.returncode != 0:
        fail("ProcessMemoryMap.exe %d --dump-rows exited %d: %s" % (pid, result.returncode,
                                                                 result.stderr.decode(errors="replace")))
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            depth = (len(line) - len(line.lstrip(" "))) // 2
            cells = line.strip(" ").split("\t")
            if len(cells) != 14:   # Address .. Committed, Private, five WS columns, Protection .. Details
                fail("row with %d cells, expected 14: %r" % (len(cells), line))
            rows.append((depth, cells))
    return rows


def check_rows_match_map(label, wine, gui, pmm, env, pid, out_dir):
    for attempt in range(2):
        expected = map_allocations(wine, pmm, env, pid)
        rows = gui_rows(wine, gui, env, pid, out_dir)
        got = [(int(cells[0], 16), cells[1]) for depth, cells in rows if depth == 0]
        if got == expected:
            log("ok  %s: %d allocation rows match pmm map %d (address and type)" % (label, len(got), pid))
            return rows
        log("    %s: rows differ from pmm map (attempt %d), retrying" % (label, attempt + 1))
    missing = sorted(set(expected) - set(got))[:5]
    extra = sorted(set(got) - set(expected))[:5]
    fail("%s: GUI rows differ from pmm map: missing %s, extra %s" % (label, missing, extra))


def check_filter_and_expand(label, wine, gui, env, pid, out_dir):
    rows = gui_rows(wine, gui, env, pid, out_dir, "--filter", "Image", "--expand-all")
    top = [cells for depth, cells in rows if depth == 0]
    children = [cells for depth, cells in rows if depth > 0]
    if not top or any(cells[1] != "Image" for cells in top):
        fail("%s: --filter Image shows other types: %s" % (label, sorted({c[1] for c in top})))
    if not any(cells[1] == "Module" for cells in children):
        fail("%s: expanded images show no Module annotation row" % label)
    if not any(cells[1] == "Image" for cells in children):
        fail("%s: expanded images show no region rows" % label)
    log("ok  %s: --filter Image --expand-all: %d image allocations, %d rows under them (regions, modules)"
        % (label, len(top), len(children)))


def check_screenshot(label, wine, gui, env, pid, out_dir):
    path = os.path.join(out_dir, "main-%d.bmp" % pid)
    result = run([wine, gui, str(pid), "--screenshot", path], env)
    if result.returncode != 0:
        fail("%s: --screenshot exited %d: %s" % (label, result.returncode, result.stderr.decode(errors="replace")))
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 54 or data[:2] != b"BM":
        fail("%s: %s is not a BMP" % (label, path))
    size, = struct.unpack_from("<I", data, 2)
    offset, = struct.unpack_from("<I", data, 10)
    width, height, planes, bpp = struct.unpack_from("<iiHH", data, 18)
    stride = (width * 3 + 3) & ~3
    if size != len(data) or bpp != 24 or planes != 1 or offset + stride * abs(height) != len(data):
        fail("%s: inconsistent BMP header (size %d of %d, %d bpp)" % (label, size, len(data), bpp))
    if not (400 <= width <= 4000 and 300 <= abs(height) <= 4000):
        fail("%s: implausible screenshot size %dx%d" % (label, width, height))
    pixels = data[offset:]
    colours = {pixels[i:i + 3] for i in range(0, len(pixels) - 3, 3 * 97)}
    if len(colours) < 8:
        fail("%s: the screenshot is nearly uniform (%d colours): nothing was drawn" % (label, len(colours)))
    log("ok  %s: --screenshot wrote a %dx%d 24-bit BMP with %d+ colours" % (label, width, abs(height), len(colours)))


def check_bitness(label, wine, build_dir, env, out_dir):
    gui = os.path.join(build_dir, "ProcessMemoryMap.exe")
    pmm = os.path.join(build_dir, "pmm.exe")
    for exe in (gui, pmm):
        if not os.path.isfile(exe):
            fail("%s: %s is missing; build it first" % (label, exe))
    launcher, pid = start_target(wine, pmm, env)
    try:
        log("    %s: target ping.exe pid %d" % (label, pid))
        check_rows_match_map(label, wine, gui, pmm, env, pid, out_dir)
        check_filter_and_expand(label, wine, gui, env, pid, out_dir)
        check_screenshot(label, wine, gui, env, pid, out_dir)
        result = run([wine, gui, "4000000000", "--dump-rows", os.path.join(out_dir, "none.txt")], env)
        if result.returncode == 0 or b"no process" not in result.stderr.lower():
            fail("%s: a missing pid gave exit %d and %r" % (label, result.returncode, result.stderr))
        log("ok  %s: a missing pid exits %d with: %s" % (label, result.returncode,
                                                       result.stderr.decode(errors="replace").strip()))
    finally:
        stop_target(wine, env, launcher, pid)


def main():
    started = time.time()
    if not shutil.which("Xvfb"):
        skip("Xvfb is not installed (apt-get install xvfb)")
    wine64, wine32 = "/usr/lib/wine/wine64", "/usr/lib/wine/wine"
    if not os.access(wine64, os.X_OK):
        skip("wine64 is not installed")
    build_root = os.environ.get("PMM_BUILD", os.path.join(ROOT, "build"))
    win64 = os.environ.get("PMM_WIN64_DIR") or os.path.join(build_root, "win64")
    win32 = os.environ.get("PMM_WIN32_DIR") or os.path.join(build_root, "win32")
    env = wine_environment(build_root)
    xvfb, display = start_xvfb()
    env["DISPLAY"] = display
    log("    Xvfb on %s, WINEPREFIX %s" % (display, env.get("WINEPREFIX")))
    try:
        with tempfile.TemporaryDirectory(prefix="pmm-gui-") as out_dir:
            check_bitness("x64", wine64, win64, env, out_dir)
            if os.path.isfile(os.path.join(win32, "ProcessMemoryMap.exe")) and os.access(wine32, os.X_OK):
                check_bitness("x86", wine32, win32, env, out_dir)
            else:
                log("    x86: skipped (no %s/ProcessMemoryMap.exe or no 32-bit Wine)" % win32)
    finally:
        xvfb.terminate()
        try:
            xvfb.wait(timeout=5)
        except subprocess.TimeoutExpired:
            xvfb.kill()
    log("PASS (%.1f s)" % (time.time() - started))


if __name__ == "__main__":
    main()
