#!/usr/bin/env python3
"""Saved maps and the compare view of ProcessMemoryMap.exe under Wine and Xvfb:

- a map saved by the window (--save-map, as File > Save Map) opens again in the window
  (as File > Open) and its rows are those `pmm map` prints for the same file; a truncated copy is
  refused with a message;
- pmm_target_changes.exe makes scripted changes (allocate, free, re-protect) between a map the
  window saved and the live process; the compare view (--compare OLD, as File > Compare with Saved
  Map) shows each of them and exactly what `pmm diff OLD PID --json` reports at the same moment;
- a map saved with page checksums (--save-map-checksums, as File > Save Map with Page Checksums)
  compared with the live process after the target wrote into one page lists that page as changed
  (the live side is checksummed too, as pmm diff does);
- two saved maps compared in the window (--compare-two, as File > Compare Two Saved Maps) give
  the same rows as `pmm diff OLD NEW --json`."""
import json
import os

import gui_harness
from pmmtest import Target, addr, pmm, pmm_json, test

BITS = 64
session = gui_harness.Session("compare")

# pmm diff --json groups and change names -> the compare view's Change column.
CHANGE_TEXT = {("regions", "added"): "Allocation added", ("regions", "removed"): "Allocation removed",
               ("regions", "changed"): "Allocation changed", ("modules", "loaded"): "Module loaded",
               ("modules", "unloaded"): "Module unloaded", ("threads", "started"): "Thread started",
               ("threads", "exited"): "Thread exited", ("heaps", "created"): "Heap created",
               ("heaps", "destroyed"): "Heap destroyed", ("pages", "changed"): "Pages changed"}


def setup():
    return session.start()


def winpath(path):
    return "Z:" + path.replace("/", "\\")


def gui(env, *args):
    rc, _, err = gui_harness.run_gui(BITS, env, *args)
    if rc != 0:
        raise AssertionError("ProcessMemoryMap.exe %s exited %d: %s" % (" ".join(map(str, args)), rc, err.strip()))


def compare_view(env, out_dir, name, *args):
    """The compare view's rows as {(change, address): cells} and the summary line."""
    path = os.path.join(out_dir, name)
    gui(env, *args, "--view", "compare", "--dump-view", winpath(path))
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    header = lines[1].split("\t")
    if header[:4] != ["Change", "Address", "Size", "Type"]:
        raise AssertionError("compare view header %r" % header)
    rows = {}
    for line in lines[2:]:
        cells = dict(zip(header, line.split("\t")))
        rows[(cells["Change"], int(cells["Address"], 16))] = cells
    return rows, lines[0]


def expected_rows(diff):
    """{(change, address)} from a pmm-diff document."""
    keys = set()
    for group, address_key in (("regions", "allocation"), ("modules", "base"), ("threads", "teb"),
                               ("heaps", "address"), ("pages", "address")):
        for e in diff.get(group, []):
            keys.add((CHANGE_TEXT[(group, e["change"])], addr(e[address_key])))
    return keys


def check_same(rows, diff, what):
    got, want = set(rows), expected_rows(diff)
    if got != want:
        raise AssertionError("%s: the compare view differs from pmm diff: only in the view %s, only in pmm diff %s"
                             % (what, sorted(got - want)[:5], sorted(want - got)[:5]))


@test
def saved_map_reopens_with_pmm_map_rows():
    env, out_dir = setup()
    saved = os.path.join(out_dir, "basic.pmm")
    with Target(BITS, "pmm_target_basic.exe") as target:
        gui(env, str(target.pid), "--save-map", winpath(saved))
    if not os.path.exists(saved) or [n for n in os.listdir(out_dir) if n.endswith(".partial")]:
        raise AssertionError("--save-map left %s" % os.listdir(out_dir))
    rows_path = os.path.join(out_dir, "saved-rows.txt")
    gui(env, winpath(saved), "--dump-rows", winpath(rows_path))
    with open(rows_path, encoding="utf-8") as f:
        got = [line.rstrip("\n").split("\t") for line in f if not line.startswith(" ")]
    expected = pmm_json(BITS, "map", winpath(saved))
    if expected["target"]["source"] != "saved":
        raise AssertionError("pmm map of the saved file says source %r" % expected["target"]["source"])
    want = []
    for r in expected["regions"]:
        if r["state"] == "free":
            want.append((addr(r["address"]), r["kind"]))
        elif addr(r["address"]) == addr(r["alloc_base"]):
            want.append((addr(r["alloc_base"]), r["kind"]))
    have = [(int(cells[0], 16), cells[1]) for cells in got]
    if have != want:
        diffs = [(hex(a), b) for a, b in set(have) ^ set(want)][:6]
        raise AssertionError("%d rows from the saved map, pmm map has %d; differing: %s" % (len(have), len(want), diffs))
    # Cut in half, the file is refused with a message, not shown as a partial map.
    cut = os.path.join(out_dir, "cut.pmm")
    with open(saved, "rb") as f, open(cut, "wb") as g:
        data = f.read()
        g.write(data[:len(data) // 2])
    rc, _, err = gui_harness.run_gui(BITS, env, winpath(cut), "--dump-rows", winpath(rows_path + ".cut"))
    if rc != 1 or "could not be read as a saved map" not in err or os.path.exists(rows_path + ".cut"):
        raise AssertionError("a truncated saved map gave exit %d, %r" % (rc, err.strip()))
    return "%d top-level rows equal pmm map %s; a truncated copy is refused" % (len(have), os.path.basename(saved))


@test
def compare_view_shows_scripted_changes():
    env, out_dir = setup()
    old = os.path.join(out_dir, "before.pmm")
    with Target(BITS, "pmm_target_changes.exe") as target:
        info = target.info
        gui(env, str(target.pid), "--save-map", winpath(old))
        steps = {}
        for _ in range(3):   # allocate, free, protect
            reply = target.command("step")
            if not reply or reply.get("error"):
                raise AssertionError("target step failed: %r" % reply)
            steps[reply["step"]] = reply
        rows, summary = compare_view(env, out_dir, "compare-live.txt", str(target.pid), "--compare", winpath(old))
        rc, out, err = pmm(BITS, "diff", winpath(old), target.pid, "--json")
        if rc != 0:
            raise AssertionError("pmm diff failed: %s" % err.strip())
        diff = json.loads(out)
    added = rows.get(("Allocation added", addr(steps["allocate"]["address"])))
    if not added or added["Protection after"] != "RW" or added["Protection before"] != "":
        raise AssertionError("the allocation is not shown as added RW: %r" % added)
    removed = rows.get(("Allocation removed", addr(info["to_free"])))
    if not removed or removed["Protection before"] != "RW":
        raise AssertionError("the freed allocation is not shown as removed: %r" % removed)
    changed = rows.get(("Allocation changed", addr(info["to_protect"])))
    if not changed or (changed["Protection before"], changed["Protection after"]) != ("RW", "R") \
            or "protect" not in changed["Details"]:
        raise AssertionError("the protection change is not shown: %r" % changed)
    check_same(rows, diff, "live")
    return "%d rows, as pmm diff; %s" % (len(rows), summary.split("  ")[0])


@test
def compare_view_shows_written_page_with_checksums():
    env, out_dir = setup()
    old = os.path.join(out_dir, "sums.pmm")
    with Target(BITS, "pmm_target_changes.exe") as target:
        info = target.info
        for _ in range(5):   # allocate, free, protect, load_dll, thread: the next step writes
            target.command("step")
        gui(env, str(target.pid), "--save-map", winpath(old), "--save-map-checksums")
        saved = pmm_json(BITS, "map", winpath(old))   # the file must still read as a map
        write = target.command("step")
        if not write or write.get("step") != "write":
            raise AssertionError("the target's last step is not the write: %r" % write)
        rows, summary = compare_view(env, out_dir, "compare-pages.txt", str(target.pid), "--compare", winpath(old))
    page = addr(write["address"])
    hits = [cells for (change, address), cells in rows.items()
            if change == "Pages changed" and address <= page < address + int(cells["Details"].split()[0]) * 4096]
    if not hits:
        raise AssertionError("the written page 0x%x is not among the changed pages: %s"
                             % (page, sorted(hex(a) for c, a in rows if c == "Pages changed")))
    # Nothing else of the target's own untouched allocations changed.
    for base in (addr(info["to_protect"]),):
        if ("Pages changed", base) in rows:
            raise AssertionError("pages of the untouched allocation 0x%x reported as changed" % base)
    pages = sum(1 for c, _ in rows if c == "Pages changed")
    return "page 0x%x in %s (%d changed-page ranges in all; %d regions saved)" % (
        page, hits[0]["Type"], pages, len(saved["regions"]))


@test
def compare_two_saved_maps_equals_pmm_diff():
    env, out_dir = setup()
    old, new = os.path.join(out_dir, "two-old.pmm"), os.path.join(out_dir, "two-new.pmm")
    with Target(BITS, "pmm_target_changes.exe") as target:
        rc, _, err = pmm(BITS, "save", target.pid, winpath(old))
        if rc != 0:
            raise AssertionError("pmm save: %s" % err.strip())
        for _ in range(5):   # allocate, free, protect, load_dll, thread
            target.command("step")
        rc, _, err = pmm(BITS, "save", target.pid, winpath(new))
        if rc != 0:
            raise AssertionError("pmm save: %s" % err.strip())
    rows, summary = compare_view(env, out_dir, "compare-two.txt", winpath(old), "--compare-two", winpath(old),
                                 winpath(new))
    diff = pmm_json(BITS, "diff", winpath(old), winpath(new))
    check_same(rows, diff, "two saved maps")
    kinds = {change for change, _ in rows}
    for wanted in ("Allocation added", "Allocation removed", "Allocation changed", "Module loaded", "Thread started"):
        if wanted not in kinds:
            raise AssertionError("no %r row after the scripted steps: %s" % (wanted, sorted(kinds)))
    return "%d rows equal pmm diff (%s)" % (len(rows), ", ".join(sorted(kinds)))


if __name__ == "__main__":
    session.run()
