#!/usr/bin/env python3
"""The explorer's Search, Strings and Call Stacks windows and its structure view, under Wine and
Xvfb, through their text output (--search / --strings / --view stacks|structure with --dump-view),
checked against what the test targets report about themselves and against `pmm` on the same
process: pmm_target_markers' markers are found at exactly their addresses (ANSI, UTF-16, hex with
wildcards, integers; the result cap and More continue in address order), a malformed pattern is refused with a message, strings lists a marker, the
call stacks window shows pmm_test_f3 <- f2 <- f1 for the thread pmm_target_basic parks there, and
the structure view of the process parameters shows the target's real command line, and a search
in a minidump from the shared fixtures gives what `pmm search` gives."""
import glob
import os
import re

import gui_harness
import pmmtest
from pmmtest import Skip, addr, test

BITS = 64
MARKER_PREFIX = "50 4D 4D ?? 4D 41 52 4B 45 52"   # "PMM?MARKER"
CHAIN = ["pmm_testdll.dll!pmm_test_f3", "pmm_testdll.dll!pmm_test_f2", "pmm_testdll.dll!pmm_test_f1"]
session = gui_harness.Session("search")


def setup():
    return session.start()


def target(name):
    return session.target(BITS, name)


def markers():
    t = target("pmm_target_markers.exe")
    allocations = [(addr(a["base"]), a["size"]) for a in t.info["allocations"]]
    return t, {m["name"]: m for m in t.info["markers"]}, allocations


def view_lines(text):
    """The lines of a search or strings view's text, less its column widths ("# columns ...")."""
    return [line for line in text.splitlines() if not line.startswith("# columns")]


def gui_search(env, out_dir, pid, name, text, kind="ansi"):
    """Hits of the GUI's search: (status line, [(address, cells)])."""
    lines = view_lines(gui_harness.gui_text(BITS, env, out_dir, name, str(pid), "--search", text, "--search-kind",
                                            kind))
    hits = []
    for line in lines[1:]:
        cells = line.split("\t")
        hits.append((int(cells[0], 16), cells[1:]))
    return lines[0], hits


def cli_hits(pid, *args):
    data = pmmtest.pmm_json(BITS, "search", str(pid), *args, "--max", "0")
    return sorted(addr(h["address"]) for h in data["hits"])


def inside(addresses, allocations):
    return sorted(a for a in addresses if any(b <= a < b + s for b, s in allocations))


@test
def search_finds_ansi_marker_at_its_address():
    env, out_dir = setup()
    t, m, allocations = markers()
    want = addr(m["inside_page"]["address"])
    status, hits = gui_search(env, out_dir, t.pid, "ansi.txt", m["inside_page"]["text"])
    found = [a for a, _ in hits]
    if inside(found, allocations) != [want]:
        raise AssertionError("GUI search for %r: %s inside the marker allocations, want [%#x] (%s)"
                             % (m["inside_page"]["text"], [hex(a) for a in inside(found, allocations)], want, status))
    cli = cli_hits(t.pid, "--ansi", m["inside_page"]["text"])
    if inside(cli, allocations) != inside(found, allocations):
        raise AssertionError("GUI %s vs pmm search %s" % ([hex(a) for a in found], [hex(a) for a in cli]))
    cells = dict(hits)[want]
    if cells[0] != "Private Data" or not cells[3].startswith("50 4D 4D 2D") or not cells[4].startswith("PMM-MARKER"):
        raise AssertionError("hit row %r: want type Private Data and the marker's bytes" % cells)
    return "%#x found (%d hits in all; pmm search: %d); %s" % (want, len(found), len(cli), status)


@test
def search_kinds_match_pmm_search():
    env, out_dir = setup()
    t, m, allocations = markers()
    cases = [
        ("utf16", m["utf16"]["text"], ["--utf16", m["utf16"]["text"]], [m["utf16"]]),
        ("ansi-nocase", m["across_page"]["text"].lower(), ["--ansi", m["across_page"]["text"].lower(),
                                                           "--ignore-case"], [m["across_page"]]),
        ("int32", m["int32_aligned"]["value"], ["--int", m["int32_aligned"]["value"], "--width", "32"],
         [m["int32_aligned"], m["int32_unaligned"]]),
        ("int64", m["int64_aligned"]["value"], ["--int", m["int64_aligned"]["value"], "--width", "64"],
         [m["int64_aligned"], m["int64_unaligned"]]),
        ("hex", MARKER_PREFIX, ["--hex", MARKER_PREFIX], None),
    ]
    report = []
    for kind, text, cli_args, expected in cases:
        status, hits = gui_search(env, out_dir, t.pid, "kind-%s.txt" % kind, text, kind)
        found = inside([a for a, _ in hits], allocations)
        cli = inside(cli_hits(t.pid, *cli_args), allocations)
        if found != cli:
            raise AssertionError("%s %r: GUI %s, pmm search %s" % (kind, text, [hex(a) for a in found],
                                                                   [hex(a) for a in cli]))
        if expected is not None and found != sorted(addr(e["address"]) for e in expected):
            raise AssertionError("%s %r: found %s, want %s" % (kind, text, [hex(a) for a in found],
                                                               [e["address"] for e in expected]))
        report.append("%s %d" % (kind, len(found)))
    return "hits inside the marker allocations, equal to pmm search: " + ", ".join(report)


@test
def search_cap_and_more_continue_in_order():
    env, out_dir = setup()
    t, _, _ = markers()
    cli = cli_hits(t.pid, "--hex", MARKER_PREFIX)
    if len(cli) < 5:
        raise AssertionError("pmm search found only %d marker prefixes" % len(cli))
    lines = view_lines(gui_harness.gui_text(BITS, env, out_dir, "more.txt", str(t.pid), "--search", MARKER_PREFIX,
                                            "--search-kind", "hex", "--search-max", "2", "--search-more"))
    found = [int(line.split("\t")[0], 16) for line in lines[1:] if not line.startswith("...")]
    if found != cli[:4] or "stopped at the cap" not in lines[0]:
        raise AssertionError("max 2 then More: %s (%s), want the first 4 of pmm search: %s"
                             % ([hex(a) for a in found], lines[0], [hex(a) for a in cli[:4]]))
    # The list itself says it stopped short, in a last row after the hits.
    if not lines[-1].startswith("...\tStopped at the cap after 4 hits") or "0x%X" % cli[4] not in lines[-1]:
        raise AssertionError("the list's last row is %r (the 5th hit is at %#x)" % (lines[-1], cli[4]))
    return "2 + 2 hits = pmm search's first 4; " + lines[0] + "; the list ends with: " + lines[-1]


@test
def search_32bit_gui_on_32bit_target():
    env, out_dir = setup()
    try:
        pmmtest.binary(32, "ProcessMemoryMap.exe")
    except pmmtest.Skip as why:
        raise Skip("no 32-bit build: %s" % why)
    with pmmtest.Target(32, "pmm_target_markers.exe") as t:
        m = {x["name"]: x for x in t.info["markers"]}
        allocations = [(addr(a["base"]), a["size"]) for a in t.info["allocations"]]
        want = addr(m["across_region"]["address"])
        path = os.path.join(out_dir, "search32.txt")
        rc, _, err = gui_harness.run_gui(32, env, str(t.pid), "--search", m["across_region"]["text"], "--dump-view", path)
        if rc != 0:
            raise AssertionError("32-bit GUI search exited %d: %s" % (rc, err.strip()))
        with open(path, encoding="utf-8") as f:
            lines = view_lines(f.read())
        found = inside([int(line.split("\t")[0], 16) for line in lines[1:]], allocations)
        if found != [want]:
            raise AssertionError("32-bit: %s inside the marker allocations, want [%#x] (%s)"
                                 % ([hex(a) for a in found], want, lines[0]))
        if not lines[1].startswith("0x00000000") or len(lines[1].split("\t")[0]) != 18:
            raise AssertionError("32-bit hit line %r" % lines[1])
    return "across-region marker at %#x (32-bit GUI, 32-bit target)" % want


@test
def malformed_pattern_is_refused():
    env, out_dir = setup()
    t, _, _ = markers()
    path = os.path.join(out_dir, "bad.txt")
    rc, _, err = gui_harness.run_gui(BITS, env, str(t.pid), "--search", "4D 5Z", "--search-kind", "hex",
                                     "--dump-view", path)
    if rc != 1 or "pattern" not in err or "hex" not in err.lower():
        raise AssertionError("malformed hex: exit %d, stderr %r" % (rc, err.strip()))
    return "exit 1: " + err.strip().splitlines()[0]


@test
def strings_lists_a_marker():
    env, out_dir = setup()
    t, m, _ = markers()
    want = addr(m["across_region"]["address"])
    lines = view_lines(gui_harness.gui_text(BITS, env, out_dir, "strings.txt", str(t.pid), "--strings", "20"))
    rows = {int(line.split("\t")[0], 16): line.split("\t")[1:] for line in lines[1:]}
    row = rows.get(want)
    if not row or row[0] != "ANSI" or row[3] != m["across_region"]["text"]:
        raise AssertionError("strings: row at %#x is %r (%s)" % (want, row, lines[0]))
    # The filter box (ignoring case) keeps only the strings containing its text.
    lines = view_lines(gui_harness.gui_text(BITS, env, out_dir, "strings-filter.txt", str(t.pid), "--strings", "20",
                                            "--strings-filter", "marker-across"))
    shown = {int(line.split("\t")[0], 16): line.split("\t")[4] for line in lines[1:]}
    if want not in shown or any("marker-across" not in text.lower() for text in shown.values()):
        raise AssertionError("filter 'marker-across' shows %r (%s)" % (shown, lines[0]))
    if len(shown) >= len(rows) or "shown by the filter" not in lines[0]:
        raise AssertionError("filter: %d of %d rows, %r" % (len(shown), len(rows), lines[0]))
    return "%s at %#x among %d strings; the filter shows %d" % (row[3], want, len(rows), len(shown))


def gui_stacks(bits, env, out_dir, pid):
    """The call stacks window's text: {tid: (frame symbols, SEH lines)}."""
    path = os.path.join(out_dir, "stacks%d.txt" % bits)
    rc, _, err = gui_harness.run_gui(bits, env, str(pid), "--view", "stacks", "--dump-view", path)
    if rc != 0:
        raise AssertionError("%d-bit --view stacks exited %d: %s" % (bits, rc, err.strip()))
    threads, current = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f.read().splitlines():
            if line.startswith("Thread "):
                current = int(line.split()[1])
                threads[current] = ([], [])
            elif current is not None and line.strip().startswith("SEH "):
                threads[current][1].append(line.strip())
            elif current is not None:
                # "  3  00007FF6A0B41234  module!f+0x1a [file.c:12]  [scan]": the symbol has spaces
                # of its own; a method other than unwind/frame pointer follows it in brackets.
                symbol = line.split(None, 2)[2]
                threads[current][0].append(re.sub(r"  \[[a-z0-9 ]+\]$", "", symbol))
    return threads


def check_stacks(bits, env, out_dir, t):
    threads = gui_stacks(bits, env, out_dir, t.pid)
    expected = {th["tid"]: th for th in pmmtest.pmm_json(bits, "stacks", str(t.pid))["threads"]}
    chained = [tid for tid, (names, _) in threads.items()
               if any([n.split("+")[0] for n in names[i:i + 3]] == CHAIN for i in range(len(names) - 2))]
    if not chained:
        raise AssertionError("%d-bit: no thread shows %s: %s" % (bits, " <- ".join(CHAIN), threads))
    for tid in chained:
        cli = [f["symbol"] or "?" for f in expected[tid]["frames"]]
        seh = expected[tid].get("seh", [])
        names, seh_lines = threads[tid]
        if names != cli:
            raise AssertionError("%d-bit thread %d: GUI %s, pmm stacks %s" % (bits, tid, names, cli))
        records = [line for line in seh_lines if line.startswith("SEH record")]
        if len(records) != len(seh):
            raise AssertionError("%d-bit thread %d: SEH lines %s, pmm stacks %s" % (bits, tid, seh_lines, seh))
    return chained, len(threads)


@test
def call_stacks_show_f3_f2_f1():
    env, out_dir = setup()
    chained, count = check_stacks(BITS, env, out_dir, target("pmm_target_basic.exe"))
    return "threads %s: %s, same frames as pmm stacks (%d threads)" % (chained, " <- ".join(CHAIN), count)


@test
def gui_32bit_call_stacks_seh_and_structure():
    env, out_dir = setup()
    try:
        pmmtest.binary(32, "ProcessMemoryMap.exe")
    except pmmtest.Skip as why:
        raise Skip("no 32-bit build: %s" % why)
    with pmmtest.Target(32, "pmm_target_basic.exe") as t:
        chained, count = check_stacks(32, env, out_dir, t)
        # The 32-bit layout of the process parameters, from the 32-bit GUI.
        params = next(a["address"] for a in pmmtest.pmm_json(32, "map", str(t.pid))["annotations"]
                      if a["kind"] == "process_parameters")
        path = os.path.join(out_dir, "params32.txt")
        rc, _, err = gui_harness.run_gui(32, env, str(t.pid), "--goto", params, "--view", "structure", "--dump-view", path)
        if rc != 0:
            raise AssertionError("32-bit --view structure exited %d: %s" % (rc, err.strip()))
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        row = next((line.strip().split("\t") for line in lines if line.strip().startswith("CommandLine\t")), None)
        if not lines[1].startswith("RTL_USER_PROCESS_PARAMETERS32\t") or not row or "pmm_target_basic" not in row[3]:
            raise AssertionError("32-bit structure view: %r, CommandLine %r" % (lines[:2], row))
    return "32-bit threads %s: f3 <- f2 <- f1 and the SEH chain as pmm stacks (%d threads); parameters decoded as " \
           "RTL_USER_PROCESS_PARAMETERS32" % (chained, count)


@test
def structure_view_shows_command_line():
    env, out_dir = setup()
    t = target("pmm_target_basic.exe")
    data = pmmtest.pmm_json(BITS, "map", str(t.pid))
    params = next(a["address"] for a in data["annotations"] if a["kind"] == "process_parameters")
    decoded = pmmtest.pmm_json(BITS, "decode", str(t.pid), "params")
    command_line = next(f["value"] for f in decoded["fields"] if f["name"] == "CommandLine")
    if "pmm_target_basic" not in command_line:
        raise AssertionError("pmm decode params: CommandLine %r" % command_line)
    text = gui_harness.gui_text(BITS, env, out_dir, "params.txt", str(t.pid), "--goto", params, "--view", "structure")
    lines = text.splitlines()
    heading = [line for line in lines[1:] if not line.startswith("  ")]
    row = next((line.strip().split("\t") for line in lines if line.strip().startswith("CommandLine\t")), None)
    if not heading or not heading[0].startswith("RTL_USER_PROCESS_PARAMETERS64\t") or addr(heading[0].split("\t")[1]) != addr(params):
        raise AssertionError("structure view heading %r, want RTL_USER_PROCESS_PARAMETERS64 at %s" % (heading[:1], params))
    if not row or not row[3].startswith('"%s"' % command_line):
        raise AssertionError("CommandLine row %r, want %r" % (row, command_line))
    # The same structure reached from the PEB by following its ProcessParameters pointer.
    peb = next(a["address"] for a in data["annotations"] if a["kind"] == "peb")
    text = gui_harness.gui_text(BITS, env, out_dir, "follow.txt", str(t.pid), "--goto", peb, "--view", "structure",
                                "--follow", "ProcessParameters")
    heading = next((line for line in text.splitlines()[1:] if not line.startswith("  ")), "")
    if not heading.startswith("RTL_USER_PROCESS_PARAMETERS64\t") or addr(heading.split("\t")[1]) != addr(params):
        raise AssertionError("PEB, follow ProcessParameters: %r, want the parameters at %s" % (heading, params))
    return "%s: CommandLine %s; also reached from the PEB" % (lines[0], row[3].split(" (length")[0])


@test
def structure_view_decodes_pe_headers():
    env, out_dir = setup()
    t = target("pmm_target_basic.exe")
    base = t.info["dll"]["base"]
    text = gui_harness.gui_text(BITS, env, out_dir, "pe.txt", str(t.pid), "--goto", base, "--view", "structure")
    names = [line.split("\t")[0] for line in text.splitlines()[1:] if not line.startswith("  ")]
    if names[:2] != ["IMAGE_DOS_HEADER", "IMAGE_NT_HEADERS64"] or "IMAGE_SECTION_HEADER" not in names:
        raise AssertionError("structures at the DLL's base: %s" % names)
    # A mapped data file holds no structure: the view says so and the run fails.
    rc, _, err = gui_harness.run_gui(BITS, env, str(t.pid), "--goto", t.info["mapped_file"]["base"], "--view",
                                     "structure", "--dump-view", os.path.join(out_dir, "none.txt"))
    if rc != 1 or "no known structure" not in err:
        raise AssertionError("structure view of a mapped file: exit %d, %r" % (rc, err.strip()))
    return "%s: %s" % (text.splitlines()[0], ", ".join(names[:3]) + " x%d" % names.count("IMAGE_SECTION_HEADER"))


@test
def search_in_a_minidump_matches_pmm_search():
    dumps = sorted(glob.glob(os.path.join(pmmtest.FIXTURES, "minidump", "windows", "tiny-exe-fastfail.dmp")))
    if not dumps:
        raise Skip("no ../shared/fixtures/minidump/windows/tiny-exe-fastfail.dmp")
    env, out_dir = setup()
    status, hits = gui_search(env, out_dir, dumps[0], "dump.txt", "controlflowguard", "utf16")
    cli = cli_hits(dumps[0], "--utf16", "controlflowguard")
    found = sorted(a for a, _ in hits)
    if not found or found != cli:
        raise AssertionError("'controlflowguard' in the minidump: GUI %s, pmm search %s (%s)"
                             % ([hex(a) for a in found], [hex(a) for a in cli], status))
    return "%d hits of UTF-16 'controlflowguard', as pmm search; %s" % (len(found), status)


if __name__ == "__main__":
    session.run()
