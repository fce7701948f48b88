#!/usr/bin/env python3
"""The explorer's views under Wine and Xvfb, checked through their text output (--dump-rows,
--dump-view) against what a live pmm_target_basic.exe reports about itself: type filter, an image
expanded to its sections, the exports window finding a function of pmm_testdll.dll, the hex view
at the mapped file, properties of an address, a minidump from the shared fixtures, and the
screenshots (tools/screenshots.sh at 100%; set PMM_SCREENSHOTS_150=1 for 150% too)."""
import glob
import json
import os
import re

import gui_harness
import pmmtest
from pmmtest import Skip, test

BITS = 64
session = gui_harness.Session("views")


def setup():
    env, out_dir = session.start()
    return env, out_dir, session.target(BITS, "pmm_target_basic.exe")


def rows(env, out_dir, name, *args):
    path = os.path.join(out_dir, name)
    rc, _, err = gui_harness.run_gui(BITS, env, *args, "--dump-rows", path)
    if rc != 0:
        raise AssertionError("--dump-rows %s exited %d: %s" % (" ".join(args), rc, err.strip()))
    result = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            result.append(((len(line) - len(line.lstrip(" "))) // 2, line.strip(" ").split("\t")))
    return result


@test
def type_filter_shows_one_type():
    env, out_dir, target = setup()
    got = rows(env, out_dir, "stack.txt", str(target.pid), "--filter", "Stack")
    top = [cells for depth, cells in got if depth == 0]
    if not top or any(cells[1] != "Stack" for cells in top):
        raise AssertionError("--filter Stack shows %s" % sorted({c[1] for c in top}))
    threads = [target.info["main_thread"]] + target.info["threads"]
    if len(top) < len(threads):
        raise AssertionError("%d Stack rows for %d threads" % (len(top), len(threads)))
    return "%d Stack allocations, no other type" % len(top)


@test
def image_expands_to_sections():
    env, out_dir, target = setup()
    got = rows(env, out_dir, "image.txt", str(target.pid), "--filter", "Image", "--expand-all")
    dll_base = "%016X" % int(target.info["dll"]["base"], 16)
    start = next((i for i, (depth, cells) in enumerate(got) if depth == 0 and cells[0] == dll_base), None)
    if start is None:
        raise AssertionError("no Image row at the DLL's base %s" % dll_base)
    children = []
    for depth, cells in got[start + 1:]:
        if depth == 0:
            break
        children.append(cells)
    sections = [c[-1] for c in children if c[1] == "Section"]   # Details, the last column
    if not any(s.startswith(".text") for s in sections):
        raise AssertionError("pmm_testdll.dll expanded shows sections %s" % sections)
    return "pmm_testdll.dll: %d rows under it, sections %s" % (len(children), ", ".join(s.split()[0] for s in sections))


@test
def exports_window_finds_a_function():
    env, out_dir, target = setup()
    wanted = next(e for e in target.info["dll"]["exports"] if e["name"] == "pmm_test_f2")
    address = int(wanted["address"], 16)
    text = gui_harness.gui_text(BITS, env, out_dir, "exports.txt", str(target.pid), "--view", "exports",
                                "--find", "pmm_test_f2")
    lines = text.splitlines()
    hits = [line[1:].split("\t") for line in lines[1:] if "\tpmm_test_f2\t" in line]
    if len(hits) != 1 or hits[0][0] != "pmm_testdll.dll" or int(hits[0][3], 16) != address:
        raise AssertionError("find pmm_test_f2 gave %r (want pmm_testdll.dll at %#x)" % (hits, address))
    text = gui_harness.gui_text(BITS, env, out_dir, "exports-addr.txt", str(target.pid), "--view", "exports",
                                "--find", "0x%x" % (address + 5))
    first = text.splitlines()[0]
    if not first.endswith("pmm_testdll.dll!pmm_test_f2+0x5"):
        raise AssertionError("find by address: %r" % first)
    selected = [line for line in text.splitlines()[1:] if line.startswith("*")]
    if len(selected) != 1 or "\tpmm_test_f2\t" not in selected[0]:
        raise AssertionError("find by address selected %r" % selected)
    return "pmm_test_f2 at %#x; %#x is %s" % (address, address + 5, first.split(" is ")[1])


@test
def hex_view_shows_mapped_file_tag():
    env, out_dir, target = setup()
    mapped = target.info["mapped_file"]
    base = int(mapped["base"], 16)
    text = gui_harness.gui_text(BITS, env, out_dir, "hex.txt", str(target.pid), "--hex", mapped["base"])
    lines = text.splitlines()
    tag = mapped["tag"].encode()
    expected_hex = " ".join("%02X" % b for b in tag[:8]) + "  " + " ".join("%02X" % b for b in tag[8:16])
    first = lines[1]
    if not first.startswith("%016X  %s" % (base, expected_hex)) or not first.endswith(mapped["tag"]):
        raise AssertionError("first hex line %r, want the tag %r at %#x" % (first, mapped["tag"], base))
    fill = "%02X" % mapped["fill"]
    if fill * 1 not in lines[2]:
        raise AssertionError("second line %r lacks the fill byte %s" % (lines[2], fill))
    # Reserved memory is never read: it shows as ?? (Wine would hand back zeros).
    reserved = target.info["reserved_only"]["base"]
    text = gui_harness.gui_text(BITS, env, out_dir, "hex-reserved.txt", str(target.pid), "--hex", reserved)
    body = text.splitlines()[1]
    if "??" not in body or " 00 " in body:
        raise AssertionError("reserved memory shown as %r" % body)
    return "%s at %#x; reserved memory shows ??" % (mapped["tag"], base)


STATUS_PART = re.compile(r'^Status (\w+): set "(.*)" shown "(.*)" part (-?\d+) px text (\d+) px(?: tip "(.*)")?$')
# A part's sunken edges and the bar's text inset: a part narrower than its text plus these cuts it.
STATUS_EDGES = 7


def status_parts(text):
    """The status bar's parts as --dump-view writes them: [(name, set, shown, part px, text px, tip)]."""
    parts = []
    for line in text.splitlines():
        match = STATUS_PART.match(line)
        if match:
            name, wanted, shown, part, width, tip = match.groups()
            parts.append((name, wanted, shown, int(part), int(width), tip or ""))
    return parts


@test
def status_bar_parts_hold_their_text():
    """Every part of the status bar holds its whole text (read back with SB_GETTEXT, measured with
    the bar's font against the part's SB_GETRECT), in the plain run and with --hex and --goto; the
    working set's reason (a sentence under Wine) is the tooltip, as pmm map gives it."""
    env, out_dir, target = setup()
    note = pmmtest.pmm_json(BITS, "map", str(target.pid))["working_set"]["note"]
    checked = []
    for name, args in (("main", ()), ("hex", ("--hex", target.info["mapped_file"]["base"])),
                       ("goto", ("--goto", "pmm_testdll!pmm_test_f1"))):
        parts = status_parts(gui_harness.gui_text(BITS, env, out_dir, "status-%s.txt" % name, str(target.pid), *args))
        names = [p[0] for p in parts]
        if names[:4] != ["target", "pid", "bits", "regions"] or "time" not in names:
            raise AssertionError("%s: status parts %s" % (name, names))
        for index, (part, wanted, shown, width, text_width, tip) in enumerate(parts):
            grip = 16 if index == len(parts) - 1 else 0   # the last part also holds the size grip
            if shown != wanted or width < text_width + STATUS_EDGES + grip:
                raise AssertionError("%s: status part %s shows %r (set %r) in %d px, its text needs %d px"
                                     % (name, part, shown, wanted, width, text_width + STATUS_EDGES + grip))
        working_set = [p for p in parts if p[0] == "working_set"]
        if note and (not working_set or working_set[0][5] != note):
            raise AssertionError("%s: working-set part %r, pmm map's note %r" % (name, working_set, note))
        checked.append("%s %d parts" % (name, len(parts)))
    return "; ".join(checked) + (", working set's reason in the tip" if note else "")


@test
def properties_of_an_export():
    env, out_dir, target = setup()
    text = gui_harness.gui_text(BITS, env, out_dir, "props.txt", str(target.pid), "--view", "properties",
                                "--goto", "pmm_testdll!pmm_test_f1")
    facts = dict(line.split(": ", 1) for line in text.splitlines() if ": " in line)
    want = int(next(e for e in target.info["dll"]["exports"] if e["name"] == "pmm_test_f1")["address"], 16)
    if int(facts.get("Address", "0"), 16) != want or facts.get("Symbol") != "pmm_testdll.dll!pmm_test_f1":
        raise AssertionError("properties: %r" % facts)
    if facts.get("Type") != "Image" or not facts.get("Section", "").startswith(".text"):
        raise AssertionError("properties type/section: %r" % facts)
    return "Symbol %s, Section %s" % (facts["Symbol"], facts["Section"].split(",")[0])


@test
def minidump_opens():
    dumps = sorted(glob.glob(os.path.join(pmmtest.FIXTURES, "minidump", "windows", "tiny-exe-fastfail.dmp")))
    if not dumps:
        raise Skip("no ../shared/fixtures/minidump/windows/tiny-exe-fastfail.dmp")
    env, out_dir, _ = setup()
    dump = dumps[0]
    expected = pmmtest.pmm_json(BITS, "map", dump)
    got = rows(env, out_dir, "dump.txt", dump, "--hide-free")
    top = [int(cells[0], 16) for depth, cells in got if depth == 0]
    allocations = {int(r["alloc_base"], 16) for r in expected["regions"] if r["state"] != "free"}
    missing = sorted(allocations - set(top))
    if missing:
        raise AssertionError("minidump rows lack allocations of pmm map: %s" % [hex(a) for a in missing[:5]])
    peb = expected["target"]["peb"]
    text = gui_harness.gui_text(BITS, env, out_dir, "dump-hex.txt", dump, "--hex", peb)
    body = text.splitlines()[1]
    if body.count("??") > 8:
        raise AssertionError("the dump's PEB bytes are not shown: %r" % body)
    return "%s: %d allocation rows; PEB %s bytes shown" % (os.path.basename(dump), len(top), peb)


@test
def screenshots():
    import screenshots as shots
    setup()
    out = os.path.join(pmmtest.BUILD, "screenshots")
    scales = (96, 144) if os.environ.get("PMM_SCREENSHOTS_150") else (96,)
    written = shots.take(out, scales, BITS, log=lambda text: None)
    small = [p for p in written if os.path.getsize(p) < 5000]
    if small:
        raise AssertionError("suspiciously small screenshots: %s" % small)
    return "%d PNGs in %s" % (len(written), os.path.relpath(out, pmmtest.ROOT))


if __name__ == "__main__":
    session.run()
