#!/usr/bin/env python3
"""The Select Process dialog under Wine and Xvfb (--view processes --dump-view): its rows against
`pmm list --json` (name, pid, bits, user, private bytes, working set), the target's working set
against the kernel's own count (VmRSS in /proc of the Wine process, an independent witness), the
user against the account Wine runs as, the filter box (name, pid, user) and its placement over
the main window."""
import os
import pwd
import re
import socket

import gui_harness
import pmmtest
from pmmtest import test

BITS = 64
session = gui_harness.Session("processes")


def setup():
    env, out_dir = session.start()
    return env, out_dir, session.target(BITS, "pmm_target_basic.exe")


def dialog(name, *args):
    """The dialog's text: ({"dialog": rect, "owner": rect, "status": text}, [row cells])."""
    env, out_dir, target = setup()
    return gui_harness.header_and_rows(gui_harness.gui_text(BITS, env, out_dir, name, target.pid, "--view",
                                                            "processes", *args))


def size_bytes(text):
    """ "24,648 K" -> bytes; None for "?" (the OS did not say)."""
    if text == "?":
        return None
    match = re.fullmatch(r"([\d,.]+) (K|M|G|bytes)", text)
    if not match:
        raise AssertionError("size %r is not a size" % text)
    scale = {"bytes": 1, "K": 1024, "M": 1024 ** 2, "G": 1024 ** 3}[match.group(2)]
    return float(match.group(1).replace(",", "")) * scale


def vm_rss(unix_pid):
    with open("/proc/%d/status" % unix_pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS for unix pid %d" % unix_pid)


@test
def rows_match_pmm_list():
    env, out_dir, target = setup()
    _, rows = dialog("all.txt")
    listed = {p["pid"]: p for p in pmmtest.pmm_json(BITS, "list")["processes"]}
    shown = {int(cells[1]): cells for cells in rows}
    if target.pid not in shown:
        raise AssertionError("the target (pid %d) is not in the dialog: %s" % (target.pid, sorted(shown)))
    # pmm list and the dialog ran one after the other: both see the long-lived processes.
    common = set(shown) & set(listed)
    if len(common) < len(shown) - 2:
        raise AssertionError("dialog pids %s, pmm list pids %s" % (sorted(shown), sorted(listed)))
    ws_checked = 0
    for pid in sorted(common):
        name, _, bits, user, private, working_set = shown[pid]
        want = listed[pid]
        expected = [want["name"], "%d-bit" % want["bits"] if want["bits"] else "?", want["user"] or "?"]
        if [name, bits, user] != expected:
            raise AssertionError("pid %d: dialog %s, pmm list %s" % (pid, [name, bits, user], expected))
        if (size_bytes(private) is None) != (want["private_bytes"] is None):
            raise AssertionError("pid %d: private bytes %r, pmm list %s" % (pid, private, want["private_bytes"]))
        shown_ws, listed_ws = size_bytes(working_set), want["working_set"]
        if (shown_ws is None) != (listed_ws is None):
            raise AssertionError("pid %d: working set %r, pmm list %s" % (pid, working_set, listed_ws))
        if shown_ws is not None:
            # Two moments apart: idle processes stay within a quarter.
            if abs(shown_ws - listed_ws) > listed_ws / 4:
                raise AssertionError("pid %d: working set %s, pmm list %d bytes" % (pid, working_set, listed_ws))
            ws_checked += 1
    if not ws_checked:
        raise AssertionError("no working set shown for any process")
    return "%d processes as pmm list has them, %d working sets within 25%%" % (len(common), ws_checked)


@test
def target_facts_match_the_system():
    _, _, target = setup()
    _, rows = dialog("target.txt")
    cells = next(c for c in rows if int(c[1]) == target.pid)
    # Wine's account is the unix user on the computer named after the host.
    user = "%s\\%s" % (socket.gethostname().split(".")[0].upper(), pwd.getpwuid(os.getuid()).pw_name)
    if cells[3].lower() != user.lower():
        raise AssertionError("user %r, expected %r" % (cells[3], user))
    # The Wine process is the unix process Popen started (the loader execs in place).
    rss, shown = vm_rss(target.proc.pid), size_bytes(cells[5])
    if shown is None or abs(shown - rss) > rss / 4:
        raise AssertionError("working set %r, the kernel's VmRSS %d bytes" % (cells[5], rss))
    return "user %s, working set %s against VmRSS %d K" % (cells[3], cells[5], rss // 1024)


@test
def filter_box_filters():
    _, _, target = setup()
    header, all_rows = dialog("unfiltered.txt")
    header_pid, by_pid = dialog("by-pid.txt", "--find", str(target.pid))
    if not any(int(c[1]) == target.pid for c in by_pid) or \
            any(str(target.pid) not in c[1] and str(target.pid) not in c[0] for c in by_pid):
        raise AssertionError("filter %d shows %s" % (target.pid, by_pid))
    _, by_name = dialog("by-name.txt", "--find", "TARGET_BASIC")
    named = [c for c in all_rows if "target_basic" in c[0].lower()]   # other tests' targets may run too
    if target.pid not in [int(c[1]) for c in by_name] or len(by_name) != len(named) or \
            any("target_basic" not in c[0].lower() for c in by_name):
        raise AssertionError("filter TARGET_BASIC shows %s of %s" % (by_name, all_rows))
    user = next(c[3] for c in all_rows if int(c[1]) == target.pid).split("\\")[-1]
    _, by_user = dialog("by-user.txt", "--find", user)
    if len(by_user) != len([c for c in all_rows if user.lower() in c[3].lower() or user.lower() in c[0].lower()]):
        raise AssertionError("filter %s shows %d of %d rows" % (user, len(by_user), len(all_rows)))
    _, none = dialog("none.txt", "--find", "no-such-process-name")
    if none:
        raise AssertionError("filter no-such-process-name shows %s" % none)
    expected = "%d of %d processes" % (len(by_pid), len(all_rows))
    if header_pid["status"] != expected:
        raise AssertionError("status %r, expected %r" % (header_pid["status"], expected))
    return "pid: %d row(s), name: %d, user %s: %d of %d, none: 0; status %r" % (
        len(by_pid), len(by_name), user, len(by_user), len(all_rows), header_pid["status"])


@test
def placed_over_main_window():
    header, _ = dialog("placement.txt")
    dlg, owner = ([int(v) for v in header[k].split()] for k in ("dialog", "owner"))
    centre_x, centre_y = (dlg[0] + dlg[2]) // 2, (dlg[1] + dlg[3]) // 2
    if not (owner[0] <= centre_x <= owner[2] and owner[1] <= centre_y <= owner[3]):
        raise AssertionError("dialog %s is not over the main window %s" % (dlg, owner))
    if abs(centre_x - (owner[0] + owner[2]) // 2) > 2:
        raise AssertionError("dialog %s is not centred across the main window %s" % (dlg, owner))
    return "dialog %s over main window %s" % (dlg, owner)


if __name__ == "__main__":
    session.run()
