#!/usr/bin/env python3
"""Dumps from ProcessMemoryMap.exe under Wine and Xvfb (unattended --goto ADDRESS --dump-format F
--dump-to PATH, which runs what File > Dump Selected Regions does for the row at ADDRESS), checked
against what pmm_target_basic.exe reports about its own memory (its fill bytes at known addresses):

- single, sparse and regions formats of one selected region hold the region's bytes where the
  map file says, and the map file has its end line;
- our minidump of a selected region holds it in a MemoryList (read back with `pmm minidump`);
- a dump attached as a debugger (--dump-attach-debug, as the dialog's checkbox) holds the bytes
  and the target runs on afterwards (detached);
- a dump into a folder that does not exist fails with exit 1, a message, and no file."""
import json
import os

import gui_harness
from pmmtest import addr, pmm, test

BITS = 64
session = gui_harness.Session("dump")


def setup():
    env, out_dir = session.start()
    return env, out_dir, session.target(BITS, "pmm_target_basic.exe")


def winpath(path):
    return "Z:" + path.replace("/", "\\")


def gui_dump(env, target, address, fmt, path):
    return gui_harness.run_gui(BITS, env, str(target.pid), "--goto", address, "--dump-format", fmt,
                               "--dump-to", winpath(path))


def parse_map(path):
    regions, end = [], None
    with open(path) as f:
        for line in f:
            parts = line.split()
            if parts[0] == "region":
                regions.append((int(parts[1], 16), int(parts[2], 16), int(parts[3], 16),
                                parts[4] if len(parts) > 4 else None))
            elif parts[0] == "end":
                end = int(parts[1])
    if end != len(regions):
        raise AssertionError("%s: no end line, or it counts %s regions for %d" % (path, end, len(regions)))
    return regions


def bytes_at(path, offset, size):
    with open(path, "rb") as f:
        f.seek(offset)
        return f.read(size)


@test
def selected_region_in_each_file_format():
    env, out_dir, target = setup()
    odd = target.info["odd_size"]
    base, size, fill = addr(odd["base"]), odd["size"], odd["fill"]
    seen = []
    for fmt in ("single", "sparse", "regions"):
        path = os.path.join(out_dir, "odd-" + fmt)
        rc, _, err = gui_dump(env, target, odd["base"], fmt, path)
        if rc != 0:
            raise AssertionError("%s dump exited %d: %s" % (fmt, rc, err.strip()))
        regions = parse_map(os.path.join(path, "regions.map") if fmt == "regions" else path + ".map")
        if [(r[0], r[1]) for r in regions] != [(base, size)]:
            raise AssertionError("%s: the map lists %s, want only 0x%x (+0x%x)" % (fmt, regions, base, size))
        if fmt == "regions":
            data = bytes_at(os.path.join(path, regions[0][3]), 0, size)
        else:
            if fmt == "sparse" and regions[0][2] != base:
                raise AssertionError("sparse: file offset 0x%x is not the address 0x%x" % (regions[0][2], base))
            data = bytes_at(path, regions[0][2], size)
        if data != bytes([fill]) * size:
            raise AssertionError("%s: the dumped bytes are not the target's fill 0x%02x" % (fmt, fill))
        leftovers = [n for n in os.listdir(out_dir) if n.endswith(".partial")]
        if leftovers:
            raise AssertionError("%s: partial files left: %s" % (fmt, leftovers))
        seen.append(fmt)
    return "0x%x (%d bytes of 0x%02x) in %s" % (base, size, fill, ", ".join(seen))


@test
def selected_region_in_our_minidump():
    env, out_dir, target = setup()
    odd = target.info["odd_size"]
    path = os.path.join(out_dir, "odd.dmp")
    rc, _, err = gui_dump(env, target, odd["base"], "minidump", path)
    if rc != 0:
        raise AssertionError("minidump exited %d: %s" % (rc, err.strip()))
    rc, out, err = pmm(BITS, "minidump", winpath(path), "--json")
    if rc != 0:
        raise AssertionError("pmm minidump: %s" % err.strip())
    md = json.loads(out)
    if "memory64" in md:
        raise AssertionError("a selection dump should have a MemoryList, not Memory64List")
    ranges = [m for m in md["memory"] if addr(m["address"]) == addr(odd["base"])]
    if not ranges or ranges[0]["size"] != odd["size"]:
        raise AssertionError("the region is not in the dump's MemoryList: %s" % md["memory"][:4])
    if bytes_at(path, ranges[0]["file_offset"], odd["size"]) != bytes([odd["fill"]]) * odd["size"]:
        raise AssertionError("the minidump's bytes of the region are not the target's")
    tids = {t["tid"] for t in md["threads"]}
    if target.info["main_thread"]["tid"] not in tids:
        raise AssertionError("the main thread is not in the dump: %s" % sorted(tids))
    return "%d memory ranges, %d threads" % (len(md["memory"]), len(tids))


@test
def dump_attached_as_debugger_detaches():
    env, out_dir, target = setup()
    odd = target.info["odd_size"]
    path = os.path.join(out_dir, "odd-debug.bin")
    rc, _, err = gui_harness.run_gui(BITS, env, str(target.pid), "--goto", odd["base"], "--dump-format", "single",
                                     "--dump-to", winpath(path), "--dump-attach-debug")
    if rc != 0:
        raise AssertionError("dump with --dump-attach-debug exited %d: %s" % (rc, err.strip()))
    if bytes_at(path, 0, odd["size"]) != bytes([odd["fill"]]) * odd["size"]:
        raise AssertionError("the bytes dumped while attached are not the target's")
    # Detached and running: the target still answers (its threads were only held during the dump).
    reply = target.command("ping")
    if reply != {"reply": "pong"}:
        raise AssertionError("the target does not answer after the dump: %r" % reply)
    return "dumped while attached; the target answers %r" % reply


@test
def dump_into_missing_folder_fails_cleanly():
    env, out_dir, target = setup()
    path = os.path.join(out_dir, "no-such-folder", "x.bin")
    rc, _, err = gui_dump(env, target, target.info["odd_size"]["base"], "single", path)
    if rc != 1 or not err.strip():
        raise AssertionError("a dump into a missing folder gave exit %d, %r" % (rc, err.strip()))
    if os.path.exists(os.path.dirname(path)):
        raise AssertionError("the failed dump created %s" % os.listdir(os.path.dirname(path)))
    return "exit 1: %s" % err.strip().splitlines()[0][:90]


if __name__ == "__main__":
    session.run()
