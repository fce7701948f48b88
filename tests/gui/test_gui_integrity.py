#!/usr/bin/env python3
"""The Integrity window (F8) under Wine and Xvfb, through its text output (--view integrity
--dump-view): on pmm_target_integrity.exe after its changes it lists the same findings, at the same
addresses, as `pmm scan --json`; on the idle target it lists none. A map saved with its findings
(pmm save --scan) opens with every allocation, region and section that holds findings marked with
their count and the pages they touch (--expand-all --dump-rows), as pmm scan's findings say."""
import os

import gui_harness
import pmmtest
from pmmtest import test

TARGET = "pmm_target_integrity.exe"
session = gui_harness.Session("integrity")

TITLES = {"inline_hook": "Inline hook", "patch": "Patched bytes", "iat": "IAT redirected",
          "delay_iat": "Delay-load IAT redirected", "eat": "EAT entry changed", "entry_point": "Entry point changed",
          "tls_callback": "TLS callback changed", "header": "PE header changed",
          "image_replaced": "Image replaced (hollowed)", "file_mismatch": "File does not match",
          "file_missing": "File missing", "unlinked_module": "Unlinked module", "implanted_pe": "Implanted PE image",
          "private_code": "Private code"}


def setup():
    return session.start()


def window_rows(bits, env, out_dir, name, pid):
    """The window's summary line and its rows as (kind title, address, cells)."""
    text = gui_harness.gui_text(bits, env, out_dir, name, str(pid), "--view", "integrity")
    lines = text.splitlines()
    rows = [line.split("\t") for line in lines[1:]]
    return lines[0], [(r[0], int(r[1], 16) if r[1] else 0, r) for r in rows]


@test
def window_lists_what_pmm_scan_finds():
    env, out_dir = setup()
    for bits in (64, 32):
        with pmmtest.Target(bits, TARGET) as t:
            t.command("apply")
            scan = pmmtest.pmm_json(bits, "scan", t.pid)
            summary, rows = window_rows(bits, env, out_dir, "findings%d.txt" % bits, t.pid)
            found = [(k, a) for k, a, _ in rows if k != "Not checked"]
            expected = [(TITLES[f["kind"]], int(f["address"], 16)) for f in scan["findings"]]
            assert sorted(found) == sorted(expected), (found, expected)
            assert summary.startswith("%d findings, %d not checked." % (len(expected), len(scan["not_checked"]))), summary
            hooks = [r for k, _, r in rows if k == "Inline hook"]
            assert len(hooks) == 4 and all(r[3].startswith("pmm_integrity_hooks.dll!pmm_hook_") for r in hooks), hooks
            print("  %d-bit: %d findings, as pmm scan has them" % (bits, len(found)))


@test
def a_finding_opens_its_address_and_the_map_keeps_the_findings():
    """Enter on a finding (--finding N) puts the main window's hex cursor on its address, named as
    pmm scan names it; the map the scan brought back is what File > Save Map saves, so pmm scan of
    that file lists the live findings."""
    env, out_dir = setup()
    with pmmtest.Target(64, TARGET) as t:
        t.command("apply")
        scan = pmmtest.pmm_json(64, "scan", t.pid)
        _, rows = window_rows(64, env, out_dir, "rows-for-enter.txt", t.pid)
        number = next(i for i, (k, _, _) in enumerate(rows) if k == "Inline hook") + 1
        address = rows[number - 1][1]
        symbol = next(f["symbol"] for f in scan["findings"] if int(f["address"], 16) == address)
        saved = os.path.join(out_dir, "from-gui.pmm")
        hex_text = gui_harness.gui_text(64, env, out_dir, "enter.txt", str(t.pid), "--view", "integrity",
                                        "--finding", str(number), "--save-map", "Z:" + saved.replace("/", "\\"))
    status = next(line for line in hex_text.splitlines() if line.startswith("status: "))
    assert status.split()[1] == "%016X" % address, (status, hex(address))
    assert status.split()[2] == symbol, (status, symbol)
    assert "focused and selected" in hex_text, hex_text
    saved_scan = pmmtest.pmm_json(64, "scan", saved)
    assert sorted((f["kind"], f["address"]) for f in saved_scan["findings"]) == \
        sorted((f["kind"], f["address"]) for f in scan["findings"]), saved_scan["findings"]
    print("  row %d: %s; the saved map holds all %d findings" % (number, status, len(saved_scan["findings"])))


@test
def idle_target_has_no_findings_in_the_window():
    env, out_dir = setup()
    with pmmtest.Target(64, TARGET) as t:
        summary, rows = window_rows(64, env, out_dir, "idle.txt", t.pid)
        assert summary.startswith("0 findings, 0 not checked."), summary
        assert rows == [], rows


def expected_mark(findings, base, size):
    """The region list's mark for [base, base + size), computed here from pmm scan --json: the
    findings that start there and the 4 KiB pages their bytes touch there."""
    inside = [(a, n) for a, n in findings if base <= a < base + size]
    if not inside:
        return None
    pages = set()
    for a, n in inside:
        last = min(a + max(n, 1), base + size) - 1
        pages.update(range(a >> 12, (last >> 12) + 1))
    return "[modified: %d finding%s, %d page%s]" % (len(inside), "" if len(inside) == 1 else "s",
                                                     len(pages), "" if len(pages) == 1 else "s")


def list_rows(bits, env, out_dir, path):
    """The expanded region list: (depth, address, type, details) per row."""
    rows_path = os.path.join(out_dir, "rows.txt")
    rc, _, err = gui_harness.run_gui(bits, env, path, "--expand-all", "--dump-rows", rows_path)
    assert rc == 0, err
    rows = []
    with open(rows_path, encoding="utf-8") as f:
        for line in f:
            text = line.rstrip("\n")
            cells = text.lstrip(" ").split("\t")
            rows.append(((len(text) - len(text.lstrip(" "))) // 2, int(cells[0], 16), cells[1], cells[-1]))
    return rows


@test
def saved_findings_mark_modified_pages():
    """Every allocation, region and section row of a map saved with its findings carries the mark
    pmm scan's findings call for, and no other row does."""
    env, out_dir = setup()
    with pmmtest.Target(64, TARGET) as t:
        reply = t.command("apply")
        path = os.path.join(out_dir, "hooked.pmm")
        rc, _, err = pmmtest.pmm(64, "save", t.pid, path, "--scan")
        assert rc == 0, err
    scan, mapped = pmmtest.pmm_json(64, "scan", path), pmmtest.pmm_json(64, "map", path)
    findings = [(int(f["address"], 16), f["size"]) for f in scan["findings"]]
    allocations, regions, sections = {}, {}, {}
    for r in mapped["regions"]:
        base, size = int(r["address"], 16), r["size"]
        regions[(base, r["kind"])] = size
        if r["state"] != "free":
            start, end = allocations.get(int(r["alloc_base"], 16), (base, base + size))
            allocations[int(r["alloc_base"], 16)] = (min(start, base), max(end, base + size))
    for a in mapped["annotations"]:
        if a["kind"] == "section":
            sections[int(a["address"], 16)] = a["size"]
    marked, checked = {}, 0
    for depth, address, kind, details in list_rows(64, env, out_dir, path):
        if depth == 0 and address in allocations:
            start, end = allocations[address]
            want = expected_mark(findings, start, end - start)
        elif depth > 0 and kind == "Section" and address in sections:
            want = expected_mark(findings, address, sections[address])
        elif depth > 0 and (address, kind) in regions:
            want = expected_mark(findings, address, regions[(address, kind)])
        else:
            continue
        checked += 1
        if want:
            assert details.startswith(want + " ") or details == want, (hex(address), kind, details, want)
            marked[(depth, address, kind)] = details
        else:
            assert "[modified" not in details, (hex(address), kind, details)
    stubs = next(c for c in reply["changes"] if c["what"] == "the hooks' stubs")
    hooks = next(m for m in t.info["modules"] if m["role"] == "hooks")
    hooks_base = int(hooks["base"], 16)
    assert any(a == int(stubs["address"], 16) for _, a, _ in marked), marked
    assert (0, hooks_base, "Image") in marked, marked
    text = [d for (_, a, k), d in marked.items() if k == "Section" and hooks_base <= a < hooks_base + hooks["size"]]
    assert any(".text" in d for d in text), text
    print("  %d rows checked, %d marked; the hooks DLL: %s; its sections: %s"
          % (checked, len(marked), marked[(0, hooks_base, "Image")], "; ".join(text)))
    # The window shows the findings the map was saved with; it cannot scan a saved map again.
    summary, rows = window_rows(64, env, out_dir, "saved.txt", path)
    assert summary.startswith("%d findings, %d not checked." % (len(findings), len(scan["not_checked"]))), summary
    assert sorted(a for k, a, _ in rows if k != "Not checked") == sorted(a for a, _ in findings), rows


if __name__ == "__main__":
    session.run()
