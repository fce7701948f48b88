#!/usr/bin/env python3
"""A big scan in the explorer under Wine and Xvfb, measured from the window itself (--scan-log:
the list's own row count, ListView_GetItemCount, and the title at each event): on a target with
100,000 allocations the title names the target at once, rows are in the list long before the
scan ends and grow as it walks, the finished list has every allocation `pmm map` finds, and
Cancel during the walk stops the scan's worker within 0.2 s. Set PMM_STREAMING_ALLOCATIONS to
use another size."""
import os

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
    """Runs the GUI with --scan-log; returns [(event, ms, rows, regions, title)]."""
    env, out_dir, target = setup()
    path = os.path.join(out_dir, name)
    rc, _, err = gui_harness.run_gui(BITS, env, target.pid, "--scan-log", path, *args, timeout=900)
    if rc != 0:
        raise AssertionError("ProcessMemoryMap.exe exited %d: %s" % (rc, err.strip()))
    events = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            words = line.rstrip("\n").split(" ", 7)
            events.append((words[0], int(words[1]), int(words[3]), int(words[5]), words[7] if len(words) > 7 else ""))
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
