#!/usr/bin/env python3
"""A process inside a kernel dump in the GUI, under Wine and Xvfb. The dump is the one
test_kdump_process.py checks (kdump_process_fixture: a live pmm_target_basic.exe laid behind its
own page tables, its first thread the one running at the crash), built once. The picker (--view
kdump-processes --dump-view) lists the rows of `pmm kdump --processes --json` (with "crashed here"
where it says current) and the kernel's address space, filters, sits over the main window and
selects the process that crashed at first; picking a process in it (--pick: typed in its filter
box, OK pressed; also by the 32-bit explorer) and naming it with --process (then F5) both give the
list rows of `pmm map DUMP --process PID --json` (address and size of every allocation), and the
title and the status bar name the dump and the process; Search, Save Map, Call Stacks, Strings,
Integrity (F8) and Dump (our minidump) give what pmm gives; a dump whose process list cannot be read says so and still offers the kernel's address
space; a corrupt kernel dump is refused with a message and exit code 1, never a crash."""
import os
import re
import shutil
import struct

import gui_harness
import pmmtest
from pmmtest import test
from kdmp_oracle import win
import kdump_process_fixture
from kdump_process_fixture import NAME, built

BITS = 64
session = gui_harness.Session("kdump")


def picker(name, *args, dump=None):
    """The picker's text: ({"dialog": rect, "owner": rect, "status": text, ...}, [row cells]), and
    what the run said on stderr (message boxes, in an unattended run)."""
    env, out_dir = session.start()
    path = os.path.join(out_dir, name)
    rc, _, err = gui_harness.run_gui(BITS, env, win(dump or built()["kdump"]), "--view", "kdump-processes", *args,
                                     "--dump-view", path)
    if rc != 0:
        raise AssertionError("ProcessMemoryMap.exe --view kdump-processes exited %d: %s" % (rc, err.strip()))
    with open(path, encoding="utf-8") as f:
        header, rows = gui_harness.header_and_rows(f.read())
    return header, rows, err.strip()


def allocations(doc):
    """(address, size) of each allocation of `pmm map --json`, grouped as the core groups them."""
    out, previous = [], None
    for r in doc["regions"]:
        address = int(r["address"], 16)
        if previous is None or r["state"] == "free" or previous["state"] == "free" or \
                r["alloc_base"] != previous["alloc_base"]:
            out.append([address, 0])
        out[-1][1] += r["size"]
        previous = r
    return [tuple(a) for a in out]


SIZE = re.compile(r"([\d,.]+) (bytes|K|M|G|T)")
UNITS = {"bytes": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def size_matches(text, size):
    """The Size cell ("1,024 K", "4.5 M") against bytes: equal to the precision the cell shows."""
    match = SIZE.fullmatch(text.strip())
    if not match:
        raise AssertionError("size cell %r is not a size" % text)
    number, unit = match.group(1).replace(",", ""), UNITS[match.group(2)]
    decimals = len(number.partition(".")[2])
    return abs(float(number) * unit - size) <= unit * 0.5 * 10 ** -decimals + 0.5


def gui_map(name, *args, dump=None, bits=BITS):
    """Rows (address, size text), the title once the last scan was done, and how many scans were
    done, from one unattended run."""
    env, out_dir = session.start()
    rows_path, log_path = os.path.join(out_dir, name + "-rows.txt"), os.path.join(out_dir, name + "-log.txt")
    rc, _, err = gui_harness.run_gui(bits, env, win(dump or built()["kdump"]), *args, "--dump-rows", rows_path,
                                     "--scan-log", log_path, timeout=300)
    if rc != 0:
        raise AssertionError("ProcessMemoryMap.exe %s exited %d: %s" % (" ".join(args), rc, err.strip()))
    rows = []
    with open(rows_path, encoding="utf-8") as f:
        for line in f:
            cells = line.rstrip("\n").split("\t")
            if not cells[0].startswith(" "):   # allocations; their regions are indented
                rows.append((int(cells[0], 16), cells[2]))
    with open(log_path, encoding="utf-8") as f:
        done = [line for line in f if line.startswith("done ")]
    if not done:
        raise AssertionError("the scan log has no 'done' line")
    return rows, done[-1].split(" title ", 1)[1].strip(), len(done)


def check_map(rows, title, selector, space, dump=None):
    """The rows against `pmm map DUMP --process SELECTOR` (address and size of every allocation),
    the title against the dump's name and space."""
    dump = dump or built()["kdump"]
    want = allocations(pmmtest.pmm_json(BITS, "map", win(dump), "--process", selector))
    got_addresses = [a for a, _ in rows]
    if got_addresses != [a for a, _ in want]:
        missing = sorted(set(a for a, _ in want) - set(got_addresses))[:5]
        extra = sorted(set(got_addresses) - set(a for a, _ in want))[:5]
        raise AssertionError("rows differ from pmm map --process %s: missing %s, extra %s" %
                             (selector, [hex(a) for a in missing], [hex(a) for a in extra]))
    wrong = [(hex(a), text, size) for (a, text), (_, size) in zip(rows, want) if not size_matches(text, size)]
    if wrong:
        raise AssertionError("sizes differ from pmm map --process %s: %s" % (selector, wrong[:5]))
    expected = "%s (kernel dump) \u2014 %s, 64-bit - ProcessMemoryMap" % (os.path.basename(dump), space)
    if title != expected:
        raise AssertionError("title %r, expected %r" % (title, expected))
    return len(rows)


def target_space():
    return "%s (pid %d)" % (NAME, built()["pid"])


@test
def picker_lists_the_dumps_processes():
    b = built()
    header, rows, _ = picker("picker.txt")
    processes = pmmtest.pmm_json(BITS, "kdump", win(b["kdump"]), "--processes")["processes"]
    listed, current = processes["list"], processes["current"]
    if rows[0][:4] != ["Kernel address space", "", "", "64-bit"]:
        raise AssertionError("the first row is not the kernel's address space: %s" % rows[0])
    shown = {int(cells[1]): cells for cells in rows[1:]}
    if sorted(shown) != sorted(p["pid"] for p in listed) or len(shown) != len(rows) - 1:
        raise AssertionError("picker pids %s, pmm kdump --processes %s" % (sorted(shown), [p["pid"] for p in listed]))
    for p in listed:
        cells = shown[p["pid"]]
        bits = "?" if p["wow64"] is None else "32-bit (WOW64)" if p["wow64"] else "64-bit"
        want = [p["name"], str(p["pid"]), "?" if p["parent_pid"] is None else str(p["parent_pid"]), bits,
                "?" if p["threads"] is None else str(p["threads"])]
        if cells[:5] != want:
            raise AssertionError("pid %d: picker %s, pmm kdump %s" % (p["pid"], cells[:5], want))
        if (cells[5] == "?") != (p["create_time"] is None):
            raise AssertionError("pid %d: created %r, pmm kdump %s" % (p["pid"], cells[5], p["create_time"]))
        crash = "crashed here (thread %d)" % current["tid"] if p["current"] else ""
        if cells[6] != crash:
            raise AssertionError("pid %d: %r at the crash, pmm kdump says %r" % (p["pid"], cells[6], crash))
    if b["pid"] not in shown or shown[b["pid"]][0] != NAME:
        raise AssertionError("the target (pid %d) is not listed as %s" % (b["pid"], NAME))
    if header["status"] != "%d of %d processes" % (len(listed), len(listed)):
        raise AssertionError("status %r for %d processes" % (header["status"], len(listed)))
    dlg, owner = ([int(v) for v in header[k].split()] for k in ("dialog", "owner"))
    centre_x, centre_y = (dlg[0] + dlg[2]) // 2, (dlg[1] + dlg[3]) // 2
    if not (owner[0] <= centre_x <= owner[2] and owner[1] <= centre_y <= owner[3]):
        raise AssertionError("picker %s is not over the main window %s" % (dlg, owner))
    _, filtered, _ = picker("filtered.txt", "--find", str(b["pid"]))
    if [c[1] for c in filtered if c[1] == str(b["pid"])] != [str(b["pid"])] or \
            any(str(b["pid"]) not in c[1] + c[2] for c in filtered):
        raise AssertionError("filter %d shows %s" % (b["pid"], filtered))
    print("  kernel + %d processes as pmm kdump --processes lists them, crashed here: pid %d thread %d; "
          "filter by pid: %d row(s)" % (len(listed), current["pid"], current["tid"], len(filtered)))


@test
def picked_process_maps_as_pmm_does():
    rows, title, _ = gui_map("picked", "--pick", NAME)
    count = check_map(rows, title, str(built()["pid"]), target_space())
    print("  picked %s: %d allocation rows as pmm map --process has them; title %r" % (NAME, count, title))


@test
def x86_explorer_maps_the_same():
    if not os.path.isfile(os.path.join(pmmtest.WIN_DIRS[32], "ProcessMemoryMap.exe")):
        raise pmmtest.Skip("no 32-bit ProcessMemoryMap.exe in %s" % pmmtest.WIN_DIRS[32])
    rows, title, _ = gui_map("picked32", "--pick", NAME, bits=32)
    count = check_map(rows, title, str(built()["pid"]), target_space())
    print("  the 32-bit explorer picked %s: %d allocation rows as pmm map --process has them" % (NAME, count))


@test
def process_that_crashed_is_preselected():
    b = built()
    current = pmmtest.pmm_json(BITS, "kdump", win(b["kdump"]), "--processes")["processes"]["current"]
    if not current or current["pid"] != b["pid"]:
        raise AssertionError("pmm kdump --processes does not name the target as crashed: %s" % current)
    rows, title, _ = gui_map("preselected", "--pick", "")   # OK on the row selected at first
    check_map(rows, title, str(b["pid"]), target_space())
    print("  OK at once maps the process that crashed (pid %d): %r" % (b["pid"], title))


@test
def process_option_maps_as_pmm_does():
    # --refresh scans again as F5 does: the same process of the dump, not a picker.
    _, out_dir = session.start()
    view = os.path.join(out_dir, "option-view.txt")
    rows, title, scans = gui_map("option", "--process", NAME, "--refresh", "--dump-view", view)
    if scans != 2:
        raise AssertionError("%d scans were done, expected 2 (--refresh)" % scans)
    count = check_map(rows, title, NAME, target_space())
    with open(view, encoding="utf-8") as f:
        status = [line for line in f if line.startswith("Status pid: ")]
    want = 'Status pid: set "Kernel dump, PID %d" shown "Kernel dump, PID %d"' % (built()["pid"], built()["pid"])
    if not status or not status[0].startswith(want):
        raise AssertionError("status bar %s, expected %r" % (status, want))
    print("  --process %s, then F5: %d allocation rows as pmm map --process has them; %s" % (
        NAME, count, status[0].split(" part ")[0]))


@test
def search_and_save_work_as_on_a_minidump():
    env, out_dir = session.start()
    b = built()
    text = gui_harness.gui_text(BITS, env, out_dir, "search.txt", win(b["kdump"]), "--process", NAME,
                                "--search", "4D 5A 90 00", "--search-kind", "hex")
    got = sorted(int(line.split("\t")[0], 16) for line in text.splitlines()[1:]
                 if line and not line.startswith("#"))   # "# columns ...": the list's widths
    cli = pmmtest.pmm_json(BITS, "search", win(b["kdump"]), "--process", NAME, "--hex", "4D 5A 90 00", "--max", "0")
    want = sorted(int(h["address"], 16) for h in cli["hits"])
    if got != want or not got:
        raise AssertionError("GUI search hits %s, pmm search --process %s" % ([hex(a) for a in got],
                                                                              [hex(a) for a in want]))
    saved = os.path.join(out_dir, "saved.pmm")
    rc, _, err = gui_harness.run_gui(BITS, env, win(b["kdump"]), "--process", NAME, "--save-map", win(saved))
    if rc != 0:
        raise AssertionError("--save-map exited %d: %s" % (rc, err.strip()))
    regions = lambda doc: [(r["address"], r["size"], r["protect_value"]) for r in doc["regions"]]
    from_file = pmmtest.pmm_json(BITS, "map", win(saved))
    from_dump = pmmtest.pmm_json(BITS, "map", win(b["kdump"]), "--process", NAME)
    if regions(from_file) != regions(from_dump):
        raise AssertionError("the saved map's regions differ from pmm map --process")
    print("  search: %d hits as pmm search --process; Save Map: %d regions as pmm map --process" % (
        len(got), len(regions(from_file))))


@test
def call_stacks_as_pmm_stacks():
    env, out_dir = session.start()
    b = built()
    text = gui_harness.gui_text(BITS, env, out_dir, "stacks.txt", win(b["kdump"]), "--process", NAME, "--view",
                                "stacks")
    got, tid = {}, None
    for line in text.splitlines():
        if line.startswith("Thread "):
            tid = int(line.split()[1])
            got[tid] = []
        elif tid is not None and line.strip() and not line.strip().startswith("SEH "):
            got[tid].append(int(line.split()[1], 16))   # "  3  00007FF6A0B41234  module!f+0x1a ..."
    cli = pmmtest.pmm_json(BITS, "stacks", win(b["kdump"]), "--process", NAME)["threads"]
    want = {t["tid"]: [int(f["address"], 16) for f in t["frames"]] for t in cli}
    if got != want or not any(got.values()):
        raise AssertionError("GUI call stacks %s, pmm stacks --process %s" % (got, want))
    print("  %d threads, %d frames as pmm stacks --process walks them" % (len(got), sum(map(len, got.values()))))


def view_rows(text):
    """The rows of a search, strings or integrity view's text: the summary line first, then the
    rows' cells, less the list's column widths ("# columns ...")."""
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return lines[0], [line.split("\t") for line in lines[1:]]


@test
def strings_as_pmm_strings():
    env, out_dir = session.start()
    b = built()
    summary, rows = view_rows(gui_harness.gui_text(BITS, env, out_dir, "strings.txt", win(b["kdump"]),
                                                   "--process", NAME, "--strings", "16"))
    got = sorted((int(r[0], 16), r[1]) for r in rows)
    cli = pmmtest.pmm_json(BITS, "strings", win(b["kdump"]), "--process", NAME, "--min", "16")["strings"]
    kinds = {"ansi": "ANSI", "utf16": "UTF-16"}
    want = sorted((int(s["address"], 16), kinds[s["encoding"]]) for s in cli)
    if got != want or len(got) < 100:
        raise AssertionError("GUI strings (%d) differ from pmm strings --process (%d): first missing %s, "
                             "first extra %s (%s)" % (len(got), len(want), sorted(set(want) - set(got))[:3],
                                                      sorted(set(got) - set(want))[:3], summary))
    print("  %d strings of 16 characters or more, as pmm strings --process lists them" % len(got))


@test
def integrity_window_as_pmm_scan():
    env, out_dir = session.start()
    b = built()
    summary, rows = view_rows(gui_harness.gui_text(BITS, env, out_dir, "integrity.txt", win(b["kdump"]),
                                                   "--process", NAME, "--view", "integrity"))
    scan = pmmtest.pmm_json(BITS, "scan", win(b["kdump"]), "--process", NAME)
    found = sorted(int(r[1], 16) for r in rows if r[0] != "Not checked")
    want = sorted(int(f["address"], 16) for f in scan["findings"])
    if found != want or not found:
        raise AssertionError("F8 window findings %s, pmm scan --process %s" % ([hex(a) for a in found],
                                                                             [hex(a) for a in want]))
    head = "%d finding%s, %d not checked." % (len(want), "" if len(want) == 1 else "s", len(scan["not_checked"]))
    if not summary.startswith(head):
        raise AssertionError("F8 window says %r, pmm scan --process has %r" % (summary, head))
    print("  F8 window: %s" % summary[:120])


@test
def dump_dialog_writes_the_processs_minidump():
    """File > Dump (unattended: every committed region, our minidump) of the process of the kernel
    dump: pmm reads the file back with the regions, modules and threads of the minidump `pmm dump
    --process --format minidump` writes (test_kdump_process_threads.py checks that one with lldb)."""
    env, out_dir = session.start()
    b = built()
    path = os.path.join(out_dir, "from-gui.dmp")
    rc, _, err = gui_harness.run_gui(BITS, env, win(b["kdump"]), "--process", NAME, "--dump-format", "minidump",
                                     "--dump-to", win(path), timeout=300)
    if rc != 0:
        raise AssertionError("--dump-format minidump exited %d: %s" % (rc, err.strip()))
    cli_path = os.path.join(out_dir, "from-cli.dmp")
    rc, _, err = pmmtest.pmm(BITS, "dump", win(b["kdump"]), "--process", NAME, "--format", "minidump", win(cli_path))
    if rc != 0:
        raise AssertionError("pmm dump --process exited %d: %s" % (rc, err.strip()))
    gui_doc, cli_doc = pmmtest.pmm_json(BITS, "map", win(path)), pmmtest.pmm_json(BITS, "map", win(cli_path))
    parts = {"regions": lambda d: [(r["address"], r["size"], r["state"]) for r in d["regions"]],
             "modules": lambda d: [(m["base"], m["size"]) for m in d["modules"]],
             "threads": lambda d: sorted(t["tid"] for t in d["threads"])}
    for name, part in parts.items():
        if part(gui_doc) != part(cli_doc) or not part(gui_doc):
            raise AssertionError("the GUI's minidump differs from pmm dump --process in its %s: %s against %s" %
                                 (name, part(gui_doc)[:4], part(cli_doc)[:4]))
    print("  " + ", ".join("%d %s" % (len(part(gui_doc)), name) for name, part in parts.items()) +
          ", as pmm dump --process --format minidump writes them")


@test
def unreadable_process_list_still_offers_the_kernel():
    _, out_dir = session.start()
    dump = os.path.join(out_dir, "nolist.dmp")
    shutil.copy(built()["kdump"], dump)
    with open(dump, "r+b") as f:   # PsActiveProcessHead of the 64-bit header, where no page is
        f.seek(0x28)
        f.write(struct.pack("<Q", 0xFFFF8000DEAD0000))
    header, rows, said = picker("nolist.txt", dump=dump)
    if "could not be read" not in said or "kernel address space can still be opened" not in said:
        raise AssertionError("no message on the unreadable list: %r" % said)
    if [r[0] for r in rows] != ["Kernel address space"] or header["status"] != "0 of 0 processes":
        raise AssertionError("rows %s, status %r: expected the kernel's alone" % (rows, header["status"]))
    rows, title, _ = gui_map("nolist", "--pick", "kernel", dump=dump)
    count = check_map(rows, title, "kernel", "kernel address space", dump=dump)
    print("  said %r; the kernel picked: %d allocation rows as pmm map --process kernel has them" % (
        said.splitlines()[0][:100], count))


@test
def corrupt_kernel_dump_is_refused():
    env, out_dir = session.start()
    b = built()
    results = []
    # The header kept, its page data cut off; the header alone, shortened.
    for name, keep in (("cut.dmp", 0x2000 + 0x1000), ("header.dmp", 0x800)):
        path = os.path.join(out_dir, name)
        with open(b["kdump"], "rb") as src, open(path, "wb") as dst:
            dst.write(src.read(keep))
        for extra in ((), ("--process", str(b["pid"]))):
            rc, _, err = gui_harness.run_gui(BITS, env, win(path), *extra, "--pick", NAME, "--dump-rows",
                                             os.path.join(out_dir, name + ".rows"))
            message = err.strip()
            if rc != 1 or not message.startswith("ProcessMemoryMap: "):
                raise AssertionError("%s %s: exit %d (a crash is not 1), %r" % (name, " ".join(extra), rc, message))
            results.append("%s%s: %s" % (name, " --process" if extra else "", message.splitlines()[0][:110]))
    print("  " + "\n  ".join(results))


if __name__ == "__main__":
    session.run(at_end=kdump_process_fixture.remove)
