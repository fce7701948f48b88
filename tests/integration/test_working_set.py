#!/usr/bin/env python3
"""Working-set figures (Total WS, Private WS, Shareable WS) against the Linux kernel's own account
of the same Wine process, /proc/PID/smaps; "not available" for another process under Wine; the
leak pattern in `pmm diff`.

Wine answers QueryWorkingSetEx only for the calling process (for any other it fails with error 87),
so pmm_self_scan.exe maps itself with the live source and writes the pmm-map JSON. Wine derives
each page's facts from /proc/self/pagemap (Valid = present; Shared = a file or shared page of a
mapped view), the kernel's smaps counts the same page tables: per Linux mapping, Rss (present
pages) and Anonymous (present pages that are nobody's file: private). So for each stretch of
address space that no Linux mapping crosses out of:
    Total WS = Rss,  Private WS = Anonymous,  Shareable WS = Rss - Anonymous.
smaps is read just before and just after the scan; the scan's figure must lie between the two
reads (what changed in between is the scan itself: its thread, its heap). Left out, and counted:
stretches where Windows sees free or reserved space yet Linux has pages (Wine's own Unix libraries
and heaps live there, outside any Windows view). Known disagreement: KUSER_SHARED_DATA, which Wine
maps from a shared file yet reports as a private page (its total agrees).
Shared WS (share count > 1) is not compared: Wine reports a share count of 1 for every page
(a FIXME in its QueryWorkingSetEx), so it is always 0 here; smaps' Shared_* are printed beside it.
"""
import json
import os
import shutil
import tempfile

from pmmtest import Skip, Target, addr, pmm, pmm_json, run_tests, test

MIB = 1024 * 1024
PAGE = 4096
KUSER_SHARED_DATA = 0x7FFE0000


def read_smaps(linux_pid):
    """Linux mappings of a process: start, end and the byte counts smaps gives (Rss, Anonymous, ...)."""
    maps = []
    with open(f"/proc/{linux_pid}/smaps") as f:
        for line in f:
            fields = line.split()
            if "-" in fields[0] and not fields[0].endswith(":"):
                start, end = (int(x, 16) for x in fields[0].split("-"))
                maps.append({"start": start, "end": end})
            elif fields[0].endswith(":") and len(fields) >= 3 and fields[2] == "kB":
                maps[-1][fields[0][:-1]] = int(fields[1]) * 1024
    return maps


def stretches(regions, mappings):
    """Groups consecutive regions into stretches whose edges no Linux mapping crosses."""
    groups = []
    for r in regions:
        base = addr(r["address"])
        crossed = any(m["start"] < base < m["end"] for m in mappings)
        if groups and crossed:
            groups[-1]["regions"].append(r)
            groups[-1]["end"] = base + r["size"]
        else:
            groups.append({"start": base, "end": base + r["size"], "regions": [r]})
    return groups


def linux_sum(mappings, stretch, key):
    return sum(m.get(key, 0) for m in mappings if m["start"] >= stretch["start"] and m["end"] <= stretch["end"])


def linux_pages_outside_views(mappings, stretch):
    """Resident Linux pages in what Windows calls free or reserved (Wine's own mappings)."""
    for m in mappings:
        if not m.get("Rss") or m["end"] <= stretch["start"] or m["start"] >= stretch["end"]:
            continue
        for r in stretch["regions"]:
            base = addr(r["address"])
            if r["state"] != "commit" and m["start"] < base + r["size"] and m["end"] > base:
                return True
    return False


def between(value, a, b):
    return min(a, b) <= value <= max(a, b)


def self_map(target, workdir):
    path = os.path.join(workdir, "self.json")
    reply = target.command("map Z:" + path.replace("/", "\\"), timeout=120)
    assert reply and reply.get("reply") == "map", f"self scan failed: {reply}"
    assert reply["working_set"], "the process's own working set was not available"
    with open(path) as f:
        return json.load(f)


def compare_with_smaps(bits):
    workdir = tempfile.mkdtemp(prefix="pmm_ws_")
    try:
        with Target(bits, "pmm_self_scan.exe", "--commit-mib", 64, "--touch-mib", 24) as t:
            linux_pid = t.proc.pid   # wine execs the program in place: Popen's pid is the process
            before = read_smaps(linux_pid)
            m = self_map(t, workdir)
            after = read_smaps(linux_pid)
            block = t.info["block"]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    assert m["working_set"]["available"] and m["working_set"]["note"] == ""

    # The block the target touched: exactly its first 24 MiB resident, all private.
    touched = [r for r in m["regions"] if r["address"] == block["base"]]
    assert touched and touched[0]["ws_private"] == 24 * MIB and touched[0]["ws_shareable"] == 0, touched

    agreed = compared = outside = 0
    mismatches = []
    for s in stretches(m["regions"], before + after):
        ours = {k: sum(r.get(k, 0) for r in s["regions"]) for k in ("ws_total", "ws_private", "ws_shareable")}
        rss = (linux_sum(before, s, "Rss"), linux_sum(after, s, "Rss"))
        anon = (linux_sum(before, s, "Anonymous"), linux_sum(after, s, "Anonymous"))
        if ours["ws_total"] == 0 and rss == (0, 0):
            continue
        if linux_pages_outside_views(before, s) or linux_pages_outside_views(after, s):
            outside += 1
            continue
        compared += 1
        ok_total = between(ours["ws_total"], *rss)
        ok_private = between(ours["ws_private"], *anon)
        ok_shareable = between(ours["ws_shareable"], rss[0] - anon[0], rss[1] - anon[1])
        if s["start"] == KUSER_SHARED_DATA and ok_total:
            ok_private = ok_shareable = True   # Wine: a shared file page it calls private
        if ok_total and ok_private and ok_shareable:
            agreed += 1
        else:
            mismatches.append(f"{s['start']:#x}-{s['end']:#x} {s['regions'][0]['kind']}: ours total/private/"
                              f"shareable {ours['ws_total'] // PAGE}/{ours['ws_private'] // PAGE}/"
                              f"{ours['ws_shareable'] // PAGE} pages, smaps Rss {rss[0] // PAGE}..{rss[1] // PAGE}, "
                              f"Anonymous {anon[0] // PAGE}..{anon[1] // PAGE}")
    shared_linux = sum(x.get("Shared_Clean", 0) + x.get("Shared_Dirty", 0) for x in after)
    print(f"  {bits}-bit: {agreed} of {compared} stretches agree with smaps ({outside} left out: Linux pages "
          f"where Windows sees free or reserved space); total WS {m['total']['ws_total'] // 1024} K; "
          f"Shared WS {m['total']['ws_shared'] // 1024} K (smaps Shared_*: {shared_linux // 1024} K)")
    assert compared >= 20, f"only {compared} stretches could be compared"
    assert not mismatches, "disagreements with smaps:\n  " + "\n  ".join(mismatches)
    for r in m["regions"]:
        assert r.get("ws_shared", 0) <= r.get("ws_shareable", 0)
        assert r.get("ws_total", 0) <= (r["size"] if r["state"] == "commit" else 0)


@test
def self_scan_agrees_with_smaps_64():
    compare_with_smaps(64)


@test
def self_scan_agrees_with_smaps_32():
    compare_with_smaps(32)


WINE_REFUSAL = "Wine answers it only for a process asking about itself"


@test
def another_process_is_not_available():
    with Target(64, "pmm_self_scan.exe", "--commit-mib", 4) as t:
        m = pmm_json(64, "map", t.pid)
        rc, text, err = pmm(64, "map", t.pid)
    ws = m["working_set"]
    assert not ws["available"]
    expected = f"Working set not available: QueryWorkingSetEx refused process {t.pid} (Windows error 87): {WINE_REFUSAL}"
    assert ws["note"] == expected, ws["note"]
    assert not any("ws_total" in r for r in m["regions"]) and "ws_total" not in m["total"]
    assert m["total"]["private"] > 0   # Private needs no working set
    assert rc == 0 and expected in text and "Total WS" not in text, text[:2000]


@test
def minidump_has_none():
    workdir = tempfile.mkdtemp(prefix="pmm_ws_dump_")
    try:
        dump = os.path.join(workdir, "t.dmp")
        with Target(64, "pmm_self_scan.exe", "--commit-mib", 4) as t:
            rc, out, err = pmm(64, "dump", t.pid, "--format", "minidump", dump)
            assert rc == 0, err
        ws = pmm_json(64, "map", dump)["working_set"]
        assert not ws["available"] and ws["note"] == "Working set not available: a minidump does not record the working set", ws
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@test
def diff_shows_64_mib_more_private_ws():
    workdir = tempfile.mkdtemp(prefix="pmm_ws_diff_")
    try:
        old, new = os.path.join(workdir, "old.pmm"), os.path.join(workdir, "new.pmm")
        with Target(64, "pmm_self_scan.exe", "--commit-mib", 4) as t:
            assert t.command("save Z:" + old.replace("/", "\\"), timeout=120)["reply"] == "save"
            touched = t.command("touch 64")
            assert touched["reply"] == "touched", touched
            assert t.command("save Z:" + new.replace("/", "\\"), timeout=120)["reply"] == "save"
        d = pmm_json(64, "diff", old, new)
        rc, text, err = pmm(64, "diff", old, new)
        saved = pmm_json(64, "map", new)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    assert d["working_set_compared"]
    kinds = {k["kind"]: k for k in d["kinds"]}
    growth = kinds["Private Data"]["new"]["ws_private"] - kinds["Private Data"]["old"]["ws_private"]
    # 64 MiB touched, plus what a new thread brings (our scan's watchdog; under Wine a 1 MiB
    # "kernel stack" allocation above its stack, partly resident).
    print(f"  Private Data Private WS grew by {growth // 1024} K")
    assert 64 * MIB <= growth <= 66 * MIB, growth
    added = [e for e in d["regions"] if e["change"] == "added" and e["allocation"] == touched["base"]]
    assert added and added[0]["new"][0]["ws_private"] == 64 * MIB, added
    row = next(line for line in text.splitlines() if line.strip().startswith("Private Data"))
    assert rc == 0 and "+6" in row, row
    # The saved map keeps the working set: `pmm map FILE` prints the columns.
    assert saved["working_set"]["available"] and saved["total"]["ws_total"] > 64 * MIB


run_tests()
