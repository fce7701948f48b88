#!/usr/bin/env python3
"""The Disassembly tab under Wine and Xvfb (--view disasm, --dump-view), against a live
pmm_target_basic.exe, 64- and 32-bit: at pmm_testdll.dll!pmm_test_f1 it shows the instructions
`pmm disasm` lists from its first line, the lines above the function (found by re-synchronising
backwards) start where GNU objdump's listing of the DLL's .text has instructions, and the cursor is
on the function; double-clicking its first call lands on pmm_test_f2, the callee; reserved memory
shows as unreadable, never decoded."""
import os
import re
import subprocess
import tempfile

import gui_harness
import pmmtest
from pmmtest import Skip, test

OBJDUMP = {64: "x86_64-w64-mingw32-objdump", 32: "i686-w64-mingw32-objdump"}
OBJDUMP_LINE = re.compile(r"^\s*([0-9a-f]+):\t")
session = gui_harness.Session("disasm")


def setup(bits):
    env, out_dir = session.start()
    return env, out_dir, session.target(bits, "pmm_target_basic.exe")


def export_address(target, name):
    return int(next(e for e in target.info["dll"]["exports"] if e["name"] == name)["address"], 16)


def disasm_view(bits, env, out_dir, target, name, *args):
    """(caption, cursor, lines) of the Disassembly tab."""
    text = gui_harness.gui_text(bits, env, out_dir, name, str(target.pid), "--view", "disasm", *args)
    lines = text.splitlines()
    if len(lines) < 3 or not lines[1].startswith("cursor "):
        raise AssertionError("the Disassembly tab wrote %r" % text[:400])
    return lines[0], int(lines[1].split()[1], 16), lines[2:]


def pmm_listing(bits, target, address, count):
    rc, out, err = pmmtest.pmm(bits, "disasm", str(target.pid), "0x%x" % address, "--count", str(count))
    if rc != 0:
        raise AssertionError("pmm disasm failed (%d): %s" % (rc, err.strip()))
    return [line for line in out.splitlines() if re.match(r"^[0-9a-f]{16}  ", line)]


def objdump_starts(bits, dll_path, image_base):
    """Instruction starts (RVAs) of objdump's linear listing of the DLL's code (symbols stripped)."""
    if not os.path.exists(dll_path):
        raise Skip("%s is absent" % dll_path)
    with tempfile.TemporaryDirectory() as tmp:
        stripped = os.path.join(tmp, "s.dll")
        subprocess.run([OBJDUMP[bits].replace("objdump", "strip"), "-o", stripped, dll_path], check=True,
                       capture_output=True)
        out = subprocess.run([OBJDUMP[bits], "-d", "-z", "-M", "intel", stripped], check=True, capture_output=True,
                             text=True).stdout
    return {int(m.group(1), 16) - image_base for m in map(OBJDUMP_LINE.match, out.splitlines()) if m}


def image_base_of(bits, path):
    out = subprocess.run([OBJDUMP[bits], "-p", path], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^ImageBase\s+([0-9a-fA-F]+)", out, re.M).group(1), 16)


def function_listing(bits):
    env, out_dir, target = setup(bits)
    f1 = export_address(target, "pmm_test_f1")
    caption, cursor, lines = disasm_view(bits, env, out_dir, target, "f1-%d.txt" % bits, "--goto",
                                         "pmm_testdll!pmm_test_f1")
    if cursor != f1:
        raise AssertionError("cursor at %#x, want pmm_test_f1 at %#x" % (cursor, f1))
    addresses = [int(line.split()[0], 16) for line in lines]
    if f1 not in addresses or addresses.index(f1) == 0:
        raise AssertionError("pmm_test_f1 (%#x) is not a line below the top: %s" % (f1, [hex(a) for a in addresses]))
    want = pmm_listing(bits, target, addresses[0], len(lines))
    if lines != want:
        diff = next((i for i in range(min(len(lines), len(want))) if lines[i] != want[i]), min(len(lines), len(want)))
        raise AssertionError("line %d: tab %r, pmm disasm %r" % (diff, lines[diff] if diff < len(lines) else None,
                                                                want[diff] if diff < len(want) else None))
    # The lines above the function were found going backwards: objdump, decoding the file from the
    # section's start, has instructions at the same places.
    dll = target.info["dll"]
    module_base = int(dll["base"], 16)
    path = pmmtest.binary(bits, "pmm_testdll.dll")
    starts = objdump_starts(bits, path, image_base_of(bits, path))
    off = [hex(a) for a in addresses if a - module_base not in starts]
    if off:
        raise AssertionError("lines objdump has no instruction at: %s" % off)
    if not caption.endswith(" - at pmm_testdll.dll!pmm_test_f1"):
        raise AssertionError("caption %r does not say where the cursor is" % caption)
    if len(lines) < 10:
        raise AssertionError("only %d lines" % len(lines))
    return "%d-bit: %d lines equal pmm disasm's, %d above pmm_test_f1, all on objdump's boundaries" % (
        bits, len(lines), addresses.index(f1))


def follow_call(bits):
    env, out_dir, target = setup(bits)
    f2 = export_address(target, "pmm_test_f2")
    _, cursor, lines = disasm_view(bits, env, out_dir, target, "follow-%d.txt" % bits, "--goto",
                                   "pmm_testdll!pmm_test_f1", "--follow", "call")
    if cursor != f2:
        raise AssertionError("after the call's double-click the cursor is at %#x, want pmm_test_f2 at %#x" % (cursor, f2))
    at = [line for line in lines if int(line.split()[0], 16) == f2]
    if not at:
        raise AssertionError("pmm_test_f2 (%#x) is not on screen" % f2)
    want = pmm_listing(bits, target, f2, 1)
    if at[0] != want[0]:
        raise AssertionError("pmm_test_f2's line %r, pmm disasm %r" % (at[0], want[0]))
    return "%d-bit: call in pmm_test_f1 -> pmm_test_f2 at %#x" % (bits, f2)


@test
def function_shows_the_listing_of_pmm_disasm_64():
    return function_listing(64)


@test
def function_shows_the_listing_of_pmm_disasm_32():
    return function_listing(32)


@test
def call_target_lands_on_the_callee_64():
    return follow_call(64)


@test
def call_target_lands_on_the_callee_32():
    return follow_call(32)


@test
def reserved_memory_is_not_decoded():
    env, out_dir, target = setup(64)
    reserved = int(target.info["reserved_only"]["base"], 16)
    _, cursor, lines = disasm_view(64, env, out_dir, target, "reserved.txt", "--goto", "0x%x" % reserved)
    if cursor != reserved or not re.match(r"^%016x  \?\? \(0x[0-9a-f]+ bytes unreadable\)$" % reserved, lines[0]):
        raise AssertionError("reserved memory at %#x shown as %r (cursor %#x)" % (reserved, lines[:2], cursor))
    return lines[0]


if __name__ == "__main__":
    session.run()
