#!/usr/bin/env python3
"""GUI smoke test under Wine and Xvfb: the explorer window opens a live target (a ping.exe that
ships with Wine), its list agrees with `pmm map --json`, a type filter and expand-all work,
--screenshot writes a sane BMP, and a missing pid is refused; for x64 and, when built, x86."""
import os
import struct

import gui_harness
import pmmtest
from pmmtest import Skip, test

session = gui_harness.Session("basic")


def setup():
    return session.start()


def ping(bits):
    """A ping that sleeps for two minutes in its own cmd.exe."""
    if not os.path.isfile(os.path.join(pmmtest.WIN_DIRS[bits], "ProcessMemoryMap.exe")):
        raise Skip("no %d-bit ProcessMemoryMap.exe in %s" % (bits, pmmtest.WIN_DIRS[bits]))
    return pmmtest.WineProgram(bits, ["cmd.exe", "/c", "ping -n 120 127.0.0.1 >nul"], "ping.exe")


def map_allocations(bits, pid):
    """(address, kind) of each allocation in `pmm map --json`, grouped as the core groups them."""
    allocations = []
    previous = None
    for r in pmmtest.pmm_json(bits, "map", str(pid))["regions"]:
        if (previous is None or r["state"] == "free" or previous["state"] == "free"
                or r["alloc_base"] != previous["alloc_base"]):
            allocations.append((int(r["address"], 16), r["kind"]))
        previous = r
    return allocations


def gui_rows(bits, pid, *extra):
    env, out_dir = setup()
    path = os.path.join(out_dir, "rows-%d-%d.txt" % (pid, len(os.listdir(out_dir))))
    rc, _, err = gui_harness.run_gui(bits, env, str(pid), "--dump-rows", path, *extra)
    if rc != 0:
        raise AssertionError("ProcessMemoryMap.exe %d --dump-rows exited %d: %s" % (pid, rc, err.strip()))
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            cells = line.strip(" ").split("\t")
            if len(cells) != 14:   # Address .. Committed, Private, five WS columns, Protection .. Details
                raise AssertionError("row with %d cells, expected 14: %r" % (len(cells), line))
            rows.append(((len(line) - len(line.lstrip(" "))) // 2, cells))
    return rows


def rows_match_map(bits, pid):
    for attempt in range(2):   # the target may still load a DLL between the two scans
        expected = map_allocations(bits, pid)
        got = [(int(cells[0], 16), cells[1]) for depth, cells in gui_rows(bits, pid) if depth == 0]
        if got == expected:
            return "%d allocation rows match pmm map %d (address and type)" % (len(got), pid)
        print("    rows differ from pmm map (attempt %d), retrying" % (attempt + 1), flush=True)
    missing = sorted(set(expected) - set(got))[:5]
    extra = sorted(set(got) - set(expected))[:5]
    raise AssertionError("GUI rows differ from pmm map: missing %s, extra %s" % (missing, extra))


def filter_and_expand(bits, pid):
    rows = gui_rows(bits, pid, "--filter", "Image", "--expand-all")
    top = [cells for depth, cells in rows if depth == 0]
    children = [cells for depth, cells in rows if depth > 0]
    if not top or any(cells[1] != "Image" for cells in top):
        raise AssertionError("--filter Image shows other types: %s" % sorted({c[1] for c in top}))
    if not any(cells[1] == "Module" for cells in children):
        raise AssertionError("expanded images show no Module annotation row")
    if not any(cells[1] == "Image" for cells in children):
        raise AssertionError("expanded images show no region rows")
    return "--filter Image --expand-all: %d image allocations, %d rows under them" % (len(top), len(children))


def screenshot(bits, pid):
    env, out_dir = setup()
    path = os.path.join(out_dir, "main-%d.bmp" % pid)
    rc, _, err = gui_harness.run_gui(bits, env, str(pid), "--screenshot", path)
    if rc != 0:
        raise AssertionError("--screenshot exited %d: %s" % (rc, err.strip()))
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 54 or data[:2] != b"BM":
        raise AssertionError("%s is not a BMP" % path)
    size, = struct.unpack_from("<I", data, 2)
    offset, = struct.unpack_from("<I", data, 10)
    width, height, planes, bpp = struct.unpack_from("<iiHH", data, 18)
    stride = (width * 3 + 3) & ~3
    if size != len(data) or bpp != 24 or planes != 1 or offset + stride * abs(height) != len(data):
        raise AssertionError("inconsistent BMP header (size %d of %d, %d bpp)" % (size, len(data), bpp))
    if not (400 <= width <= 4000 and 300 <= abs(height) <= 4000):
        raise AssertionError("implausible screenshot size %dx%d" % (width, abs(height)))
    pixels = data[offset:]
    colours = {pixels[i:i + 3] for i in range(0, len(pixels) - 3, 3 * 97)}
    if len(colours) < 8:
        raise AssertionError("the screenshot is nearly uniform (%d colours): nothing was drawn" % len(colours))
    return "--screenshot wrote a %dx%d 24-bit BMP with %d+ colours" % (width, abs(height), len(colours))


def missing_pid_is_refused(bits):
    env, out_dir = setup()
    rc, _, err = gui_harness.run_gui(bits, env, "4000000000", "--dump-rows", os.path.join(out_dir, "none.txt"))
    if rc == 0 or "no process" not in err.lower():
        raise AssertionError("a missing pid gave exit %d and %r" % (rc, err))
    return "a missing pid exits %d with: %s" % (rc, err.strip())


def check_bitness(bits):
    setup()
    with ping(bits) as target:
        for check in (rows_match_map, filter_and_expand, screenshot):
            print("    x%s: %s" % ("64" if bits == 64 else "86", check(bits, target.pid)), flush=True)
    print("    %s" % missing_pid_is_refused(bits), flush=True)


@test
def explorer_x64():
    check_bitness(64)


@test
def explorer_x86():
    check_bitness(32)


if __name__ == "__main__":
    session.run()
