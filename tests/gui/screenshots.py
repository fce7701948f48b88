#!/usr/bin/env python3
"""Writes PNGs of the explorer's views, showing a live pmm_target_basic.exe, to build/screenshots/:
main window, hex view (at the target's mapped file, 40 bytes selected, the inspector), a scan in
progress (20,000 allocations, at 2,000 rows, a streamed row's hex view), exports (found pmm_test), properties (of
pmm_testdll!pmm_test_f2), search results (pmm_test), strings (filtered to pmm_test), call stacks,
the structure view (of the process parameters), the Disassembly tab (at pmm_testdll!pmm_test_f1),
the Fragmentation view, the Select Process dialog, Options, the refresh highlight (a churning
target), the compare view and the Dump Memory dialog (pmm_target_changes.exe), the main window with
its graphs on a saved map of pmm_self_scan.exe (which has working-set facts), a minidump when the
shared fixtures are there, the Integrity window (F8) on pmm_target_integrity.exe after its
changes, and the picker of a kernel dump's processes with the main window on the one picked (the
dump of test_gui_kdump.py); each at 100% (96 DPI) and, in a throwaway copy of the Wine prefix with LogPixels=144, at
150%.

Usage: tools/screenshots.sh [--out DIR] [--scales 96,144] [--bits 64]"""
import argparse
import glob
import os
import sys

import gui_harness
import kdump_process_fixture
import pmmtest


def capture(bits, env, out_dir, name, *args):
    bmp = os.path.join(out_dir, name + ".bmp")
    rc, _, err = gui_harness.run_gui(bits, env, *args, "--screenshot", bmp)
    if rc != 0:
        raise AssertionError("screenshot %s failed (%d): %s" % (name, rc, err.strip()))
    return gui_harness.bmp_to_png(bmp, os.path.join(out_dir, name + ".png"))


def tool_views(bits, env, out_dir, suffix, pid):
    """Search results, strings, call stacks and the structure view (process parameters) of pid. The
    strings are filtered to pmm_test: unfiltered they would show the target's environment, which is
    the test machine's."""
    params = next(a["address"] for a in pmmtest.pmm_json(bits, "map", pid)["annotations"]
                  if a["kind"] == "process_parameters")
    return [capture(bits, env, out_dir, "search" + suffix, pid, "--search", "pmm_test"),
            capture(bits, env, out_dir, "strings" + suffix, pid, "--strings", "10", "--strings-filter", "pmm_test"),
            capture(bits, env, out_dir, "stacks" + suffix, pid, "--view", "stacks"),
            capture(bits, env, out_dir, "structure" + suffix, pid, "--goto", params, "--view", "structure")]


def map_file_views(bits, env, out_dir, suffix):
    """The compare view (a map saved before pmm_target_changes made its scripted changes, against
    the live process) and the Dump Memory dialog over the row of its re-protected allocation."""
    with pmmtest.Target(bits, "pmm_target_changes.exe") as target:
        pid, saved = str(target.pid), os.path.join(out_dir, "compare-before%s.pmm" % suffix)
        rc, _, err = pmmtest.pmm(bits, "save", pid, "Z:" + saved.replace("/", "\\"))
        if rc != 0:
            raise AssertionError("pmm save failed: %s" % err.strip())
        for _ in range(5):   # allocate, free, protect, load a DLL, start a thread
            target.command("step")
        try:
            return [capture(bits, env, out_dir, "compare" + suffix, pid, "--compare", "Z:" + saved.replace("/", "\\"),
                            "--view", "compare"),
                    capture(bits, env, out_dir, "dump-dialog" + suffix, pid, "--goto", target.info["to_protect"],
                            "--view", "dump-dialog")]
        finally:
            os.unlink(saved)


def graphs_view(bits, env, out_dir, suffix):
    """The main window with all three graphs: a map pmm_self_scan.exe saved of itself (under Wine only
    a process itself is told its working set)."""
    saved = os.path.join(out_dir, "graphs%s.pmm" % suffix)
    with pmmtest.Target(bits, "pmm_self_scan.exe", "--commit-mib", "48") as target:
        reply = target.command("save Z:" + saved.replace("/", "\\"), timeout=120)
        if not reply or reply.get("reply") != "save":
            raise AssertionError("pmm_self_scan could not save its map: %s" % reply)
    try:
        return capture(bits, env, out_dir, "graphs" + suffix, saved)
    finally:
        os.unlink(saved)


def integrity_view(bits, env, out_dir, suffix):
    """The Integrity window (F8) on pmm_target_integrity.exe after it made each kind of change."""
    with pmmtest.Target(bits, "pmm_target_integrity.exe") as target:
        target.command("apply")
        return capture(bits, env, out_dir, "integrity" + suffix, str(target.pid), "--view", "integrity")


def kdump_views(bits, env, out_dir, suffix):
    """The picker of a kernel dump's processes, and the main window on the process picked, in the
    dump test_gui_kdump.py uses (kdump_process_fixture; built once, needs the native build)."""
    if bits != 64:
        return []
    try:
        dump = "Z:" + kdump_process_fixture.built()["kdump"].replace("/", "\\")
    except pmmtest.Skip as why:
        print("screenshots: no kernel dump views: %s" % why)
        return []
    return [capture(bits, env, out_dir, "kdump-picker" + suffix, dump, "--view", "kdump-processes"),
            capture(bits, env, out_dir, "kdump-process" + suffix, dump, "--process", kdump_process_fixture.NAME)]


def views_of_target(bits, env, out_dir, suffix):
    written = []
    with pmmtest.Target(bits, "pmm_target_basic.exe") as target:
        info = target.info
        pid = str(target.pid)
        written.append(capture(bits, env, out_dir, "main" + suffix, pid))
        written.append(capture(bits, env, out_dir, "hex" + suffix, pid, "--hex", info["mapped_file"]["base"],
                               "--hex-select", "40"))
        written.append(capture(bits, env, out_dir, "exports" + suffix, pid, "--view", "exports", "--find", "pmm_test"))
        written.append(capture(bits, env, out_dir, "properties" + suffix, pid, "--view", "properties", "--goto",
                               "pmm_testdll!pmm_test_f2"))
        written += tool_views(bits, env, out_dir, suffix, pid)
        written.append(capture(bits, env, out_dir, "disasm" + suffix, pid, "--view", "disasm", "--goto",
                               "pmm_testdll!pmm_test_f1"))
        written.append(capture(bits, env, out_dir, "fragmentation" + suffix, pid, "--view", "fragmentation"))
        written.append(capture(bits, env, out_dir, "processes" + suffix, pid, "--view", "processes"))
        written.append(capture(bits, env, out_dir, "options" + suffix, pid, "--view", "options"))
    with pmmtest.Target(bits, "pmm_target_basic.exe", "--allocations", "20000", startup_timeout=600) as big:
        # A scan in progress: the rows walked so far, the bar and Cancel, a streamed row's hex view.
        bulk = big.info["bulk_allocations"]["ranges"][0]["base"]
        written.append(capture(bits, env, out_dir, "scanning" + suffix, str(big.pid), "--hex", bulk,
                               "--cancel-after-rows", "2000"))
    with pmmtest.Target(bits, "pmm_target_churn.exe") as churn:
        written.append(capture(bits, env, out_dir, "refresh" + suffix, str(churn.pid), "--refresh", "--hide-free"))
    written += map_file_views(bits, env, out_dir, suffix)
    written.append(graphs_view(bits, env, out_dir, suffix))
    written.append(integrity_view(bits, env, out_dir, suffix))
    dumps = sorted(glob.glob(os.path.join(pmmtest.FIXTURES, "minidump", "windows", "tiny-exe-fastfail.dmp")))
    if dumps:
        written.append(capture(bits, env, out_dir, "minidump" + suffix, dumps[0]))
    written += kdump_views(bits, env, out_dir, suffix)
    return written


def take(out_dir, scales=(96, 144), bits=64, log=print):
    os.makedirs(out_dir, exist_ok=True)
    # Large enough for the 150% window (1180x900 logical) to open at its full size.
    display = gui_harness.Display(width=1800, height=1400)
    written = []
    try:
        for dpi in scales:
            suffix = "-%d" % (dpi * 100 // 96)
            if dpi == 96:
                env = gui_harness.gui_env(display)
                written += views_of_target(bits, env, out_dir, suffix)
                continue
            prefix = gui_harness.ScaledPrefix(dpi)
            saved = os.environ.get("WINEPREFIX_OVERRIDE")
            os.environ["WINEPREFIX_OVERRIDE"] = prefix.path   # targets start in the same prefix
            try:
                env = dict(prefix.env, DISPLAY=display.name)
                written += views_of_target(bits, env, out_dir, suffix)
            finally:
                if saved is None:
                    os.environ.pop("WINEPREFIX_OVERRIDE", None)
                else:
                    os.environ["WINEPREFIX_OVERRIDE"] = saved
                prefix.close()
    finally:
        display.stop()
        kdump_process_fixture.remove()
    for path in written:
        log("wrote " + os.path.relpath(path, pmmtest.ROOT))
    return written


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(pmmtest.BUILD, "screenshots"))
    parser.add_argument("--scales", default="96,144", help="DPI values (96 = 100%%, 144 = 150%%)")
    parser.add_argument("--bits", type=int, default=64, choices=(32, 64))
    args = parser.parse_args()
    try:
        take(args.out, tuple(int(s) for s in args.scales.split(",")), args.bits)
    except pmmtest.Skip as why:
        print("screenshots: skipped: %s" % why)
        return 77
    return 0


if __name__ == "__main__":
    sys.exit(main())
