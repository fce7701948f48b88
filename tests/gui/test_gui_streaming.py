#!/usr/bin/env python3
"""A big scan in the explorer under Wine and Xvfb, measured from the window itself (--scan-log:
the list's own row count, ListView_GetItemCount, and the title at each event): on a target with
100,000 allocations the title names the target at once, rows are in the list long before the
scan ends and grow as it walks, the finished list has every allocation `pmm map` finds, and
Cancel during the walk stops the scan's worker within 0.2 s, and the progress bar moves during the
walk with the address space in use walked; the hex view of a row streamed in says its bytes are not
loaded yet (never unreadable). Set PMM_STREAMING_ALLOCATIONS to use another size."""
import os
import re

import gui_harness
import pmmtest
from pmmtest import test

BITS = 64
ALLOCATIONS = int(os.environ.get("PMM_STREAMING_ALLOCATIONS", "100000"))
CANCEL_WITHIN_MS = 200
session = gui_harness.Session("streaming")


def setup():
    env, out_dir = session.start()
    return env, out_dir, session.target(BITS, "pmm_target_basic.exe", "--allocations", str(ALLOCATIONS),
                                        startup_timeout=600)


def scan_log(name, *args):
    """Runs the GUI with --scan-log; returns [(event, ms, rows, regions, title, progress)], progress the
    bar's position in thousandths (-1: no bar)."""
    env, out_dir, target = setup()
    path = os.path.join(out_dir, name)
    rc, _, err = gui_harness.run_gui(BITS, env, target.pid, "--scan-log", path, *args, timeout=900)
    if rc != 0:
        raise AssertionError("ProcessMemoryMap.exe exited %d: %s" % (rc, err.strip()))
    events = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            words = line.rstrip("\n").split(" ", 11)
            events.append((words[0], int(words[1]), int(words[3]), int(words[5]), words[11] if len(words) > 11 else "",
                           int(words[7])))
    return events


@test
def rows_stream_in_before_the_scan_ends():
    env, out_dir, target = setup()
    rows_path = os.path.join(out_dir, "rows.txt")
    events = scan_log("scan.txt", "--dump-rows", rows_path)
    start = events[0]
    if start[0] != "start" or "PID %d" % target.pid not in start[4] or "scanning" not in start[4]:
        raise AssertionError("at the start the title is %r" % start[4])
    previews = [e for e in events if e[0] == "preview"]
    done = next((e for e in events if e[0] == "done"), None)
    if not previews or not done:
        raise AssertionError("events %s" % [e[:4] for e in events])
    first = previews[0]
    if first[2] <= 0 or first[1] >= done[1]:
        raise AssertionError("first rows %d at %d ms, the scan ended at %d ms" % (first[2], first[1], done[1]))
    if "pmm_target_basic.exe" not in first[4]:
        raise AssertionError("with the first rows the title is %r" % first[4])
    counts = [e[2] for e in previews]
    if counts != sorted(counts) or len(previews) < 3:
        raise AssertionError("rows at each preview: %s" % counts)
    # The finished list against pmm map of the same (unchanging) target: one row per allocation
    # (free blocks included), as many regions.
    mapped = pmmtest.pmm_json(BITS, "map", target.pid, timeout=900)
    with open(rows_path, encoding="utf-8") as f:
        top = [line for line in f if not line.startswith(" ")]
    if not done[2] == len(top) == mapped["scan"]["allocation_count"]:
        raise AssertionError("the list has %d rows, --dump-rows %d, pmm map %d allocations"
                             % (done[2], len(top), mapped["scan"]["allocation_count"]))
    if done[3] != len(mapped["regions"]):
        raise AssertionError("the window shows %d regions, pmm map %d" % (done[3], len(mapped["regions"])))
    return "first %d rows after %d ms (%d regions), %d previews, all %d rows at %d ms; pmm map %d regions" % (
        first[2], first[1], first[3], len(previews), done[2], done[1], len(mapped["regions"]))


@test
def progress_moves_during_the_walk():
    """The bar's position at each preview (read from the window's progress bar, PBM_GETPOS) against
    the share of the address space in use the walk had passed, computed here from pmm map's regions:
    the bar grows with it from the first rows to the last preview (the whole walk), where it holds
    the walk's share of the scan, and the analyzers move it on from there."""
    env, out_dir, target = setup()
    events = scan_log("progress.txt", "--dump-rows", os.path.join(out_dir, "progress-rows.txt"))
    previews = [e for e in events if e[0] == "preview"]
    if len(previews) < 5:
        raise AssertionError("%d previews: %s" % (len(previews), [e[:4] for e in events]))
    regions = pmmtest.pmm_json(BITS, "map", target.pid, timeout=900)["regions"]
    used = [r["size"] if r["state"] != "free" else 0 for r in regions]
    total = sum(used)
    walked_used = [0]
    for size in used:
        walked_used.append(walked_used[-1] + size)
    walk_end = previews[-1]   # the last preview holds every region, sent when the walk ends
    if walk_end[3] != len(regions):
        raise AssertionError("the last preview has %d regions, pmm map %d" % (walk_end[3], len(regions)))
    share = walk_end[5]
    if not 300 <= share <= 1000:
        raise AssertionError("at the walk's end the bar is at %d of 1000" % share)
    checked = []
    for event in previews[:-1]:
        truth = walked_used[min(event[3], len(regions))] / total
        bar = event[5] / share
        if abs(bar - truth) > 0.1:
            raise AssertionError("with %d regions walked (%.0f%% of the space in use) the bar is at %d of 1000 "
                                 "(%.0f%% of the walk's %d)" % (event[3], truth * 100, event[5], bar * 100, share))
        checked.append(event[5])
    if checked != sorted(checked) or len(set(checked)) < 3 or checked[0] >= share / 2:
        raise AssertionError("the bar at the walk's previews: %s (the walk's share %d)" % (checked, share))
    return "%d previews during the walk, the bar at %s of 1000, %d at its end; within 10%% of the space in use " \
           "walked" % (len(checked), ",".join(map(str, checked)), share)


@test
def hex_view_during_the_scan_says_not_loaded():
    """The hex view of an allocation in the rows streamed so far (--hex at the preview that has 2,000
    rows): its bytes are not loaded yet, and the view says so in its caption, its lines ("--") and
    the inspector; nothing claims they could not be read ("??")."""
    env, out_dir, target = setup()
    bulk = target.info["bulk_allocations"]["ranges"][0]["base"]
    text = gui_harness.gui_text(BITS, env, out_dir, "hex-streaming.txt", target.pid, "--hex", bulk,
                                "--cancel-after-rows", "2000")
    lines = text.splitlines()
    address = "%016X" % int(bulk, 16)
    byte_lines = [line for line in lines if re.match(r"[0-9A-F]{16}  ", line)]
    inspector = [line for line in lines if line.startswith("Inspector ")]
    copy = lines.index("Copy as hex:") if "Copy as hex:" in lines else len(lines) - 2
    hex_text = "\n".join(lines[:copy + 2])   # the hex view's part of the text, before the list's
    if "not loaded yet: the scan has not finished" not in lines[0]:
        raise AssertionError("the caption during the scan is %r" % lines[0])
    if not byte_lines or not byte_lines[0].startswith(address + "  -- -- --"):
        raise AssertionError("the first line at %s is %r" % (address, byte_lines[:1]))
    if "??" in hex_text or "could not be read" in hex_text or "unreadable" in hex_text:
        raise AssertionError("the view calls bytes it has not loaded unreadable:\n%s" % hex_text)
    if not inspector or any("not loaded yet" not in line for line in inspector):
        raise AssertionError("inspector rows %r" % inspector)
    return "%d lines of '--' from %s, caption %r, %d inspector rows not loaded" % (
        len(byte_lines), address, lines[0], len(inspector))


@test
def cancel_stops_the_scan_within_200_ms():
    events = scan_log("cancel.txt", "--cancel-after-rows", "5000")
    by_name = {e[0]: e for e in events}
    for name in ("cancel", "stopped", "ended"):
        if name not in by_name:
            raise AssertionError("no %r in %s" % (name, [e[:4] for e in events]))
    if "done" in by_name:
        raise AssertionError("the cancelled scan still finished: %s" % [e[:4] for e in events])
    cancel, stopped, ended = by_name["cancel"], by_name["stopped"], by_name["ended"]
    if cancel[2] < 5000:
        raise AssertionError("Cancel was pressed with %d rows" % cancel[2])
    if stopped[1] - cancel[1] > CANCEL_WITHIN_MS or ended[1] - cancel[1] > CANCEL_WITHIN_MS:
        raise AssertionError("cancel at %d ms, window idle at %d ms, worker ended at %d ms"
                             % (cancel[1], stopped[1], ended[1]))
    if "incomplete" not in stopped[4]:
        raise AssertionError("after Cancel the title is %r" % stopped[4])
    return "cancel at %d ms with %d rows; window idle after %d ms, the worker ended after %d ms" % (
        cancel[1], cancel[2], stopped[1] - cancel[1], ended[1] - cancel[1])


if __name__ == "__main__":
    session.run()
