#!/usr/bin/env python3
"""Symbols in the explorer (issue 16), under Wine and Xvfb, through --dump-view text, against what
pmm (the same engine from the command line) and the target itself say, and against the source:
- the call stacks window names pmm_testdll's f3 with testdll.c and the line marked PMM-PARK-LINE,
  frame for frame as `pmm stacks`, for the live target and for a minidump of it;
- Go To accepts a function that is not exported (park_thread_main, from DWARF): the hex view's
  status line names it with its file and line, at the address `pmm symbols` gives;
- the exports window's Symbols column says which source names each export (dwarf here);
- Properties of an address inside f3 has its Source line."""
import os
import re

import gui_harness
import pmmtest
from pmmtest import addr, test

BITS = 64
session = gui_harness.Session("symbols")


def setup():
    env, out_dir = session.start()
    return env, out_dir, session.target(BITS, "pmm_target_symbols.exe")


def park_line():
    with open(os.path.join(pmmtest.ROOT, "tests", "targets", "testdll.c")) as f:
        return next(n for n, text in enumerate(f, 1) if "PMM-PARK-LINE" in text)


def gui_frames(env, out_dir, name, target_arg):
    """{tid: [frame symbols]} from the call stacks window's text."""
    text = gui_harness.gui_text(BITS, env, out_dir, name, target_arg, "--view", "stacks")
    threads, current = {}, None
    for line in text.splitlines():
        if line.startswith("Thread "):
            current = threads.setdefault(int(line.split()[1].rstrip(":")), [])
        elif current is not None and re.match(r"^\s*\d+\s+[0-9A-F]{8,16}\s", line):
            current.append(re.sub(r"  \[[a-z0-9 ]+\]$", "", line.split(None, 2)[2]))
    return threads


def check_stack_window(env, out_dir, name, target_arg, tid):
    frames = gui_frames(env, out_dir, name, target_arg)[tid]
    cli = [f["symbol"] or "?" for f in pmmtest.pmm_json(BITS, "stacks", target_arg, "--tid", tid)["threads"][0]["frames"]]
    if frames != cli:
        raise AssertionError("thread %d: GUI %s\npmm stacks %s" % (tid, frames, cli))
    want = "testdll.c:%d]" % park_line()
    f3 = [f for f in frames if "!pmm_test_f3+" in f]
    if not f3 or not f3[0].endswith(want):
        raise AssertionError("f3 frame %s, want ...%s" % (f3, want))
    return f3[0]


@test
def call_stacks_window_has_lines():
    env, out_dir, target = setup()
    f3 = check_stack_window(env, out_dir, "stacks.txt", str(target.pid), target.info["park_tid"])
    return f3


@test
def call_stacks_window_on_a_minidump():
    env, out_dir, target = setup()
    dump = os.path.join(out_dir, "symbols.dmp")
    rc, _, err = pmmtest.pmm(BITS, "dump", target.pid, "--format", "minidump", dump)
    if rc != 0:
        raise AssertionError("pmm dump: %s" % err)
    return check_stack_window(env, out_dir, "stacks-dump.txt", dump, target.info["park_tid"])


@test
def go_to_a_function_that_is_not_exported():
    env, out_dir, target = setup()
    out = pmmtest.pmm_json(BITS, "symbols", target.pid, "pmm_testdll!park_thread_main")
    [match] = out["results"][0]["matches"]
    address = addr(match["address"])
    text = gui_harness.gui_text(BITS, env, out_dir, "goto.txt", str(target.pid), "--goto", "park_thread_main")
    status = [line for line in text.splitlines() if line.startswith("status: ")]
    want = "status: %016X  pmm_testdll.dll!park_thread_main [" % address
    if not status or not status[0].startswith(want) or "testdll.c:%d]" % match["line"] not in status[0]:
        raise AssertionError("hex view status %r, want %r...testdll.c:%d]" % (status, want, match["line"]))
    return status[0]


@test
def exports_window_symbols_column():
    env, out_dir, target = setup()
    text = gui_harness.gui_text(BITS, env, out_dir, "exports.txt", str(target.pid), "--view", "exports",
                                "--find", "pmm_testdll!pmm_test_f3")
    rows = [line[1:].split("\t") for line in text.splitlines()[1:] if "\tpmm_test_f3\t" in line]
    if len(rows) != 1 or rows[0][5] != "dwarf":
        raise AssertionError("pmm_test_f3 row %r (want Symbols = dwarf)" % rows)
    return "pmm_test_f3: %s" % rows[0][5]


@test
def properties_have_the_source_line():
    env, out_dir, target = setup()
    f3 = addr(target.info["f3"])
    text = gui_harness.gui_text(BITS, env, out_dir, "props.txt", str(target.pid), "--view", "properties",
                                "--goto", "0x%x" % (f3 + 8))
    facts = dict(line.split(": ", 1) for line in text.splitlines() if ": " in line)
    if facts.get("Symbol") != "pmm_testdll.dll!pmm_test_f3+0x8" or "testdll.c:" not in facts.get("Source", "") \
            or not facts["Source"].endswith("(dwarf)"):
        raise AssertionError("properties: %r" % facts)
    return "Symbol %s, Source %s" % (facts["Symbol"], facts["Source"])


if __name__ == "__main__":
    session.run()
