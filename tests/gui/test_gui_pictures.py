#!/usr/bin/env python3
"""The graphs across the top of the main window and the Fragmentation view, under Wine and Xvfb.

- Graphs: opened on a saved map of pmm_self_scan.exe (which has working-set facts: Wine tells them
  only to the process itself), each bar's segments are the per-type Committed, Private and Total WS
  of `pmm map FILE --json` (the same file), they tile the bar in proportion, and the screenshot of
  the graphs shows each wide segment in its type's README colour (read with ImageMagick). Clicking
  the Heap segment filters the list to Heap allocations, as the summary does. A live process of
  another pid has no working set: its graph says "not available".
- Fragmentation view, 64-bit and 32-bit: pointing at the cell of an address (a real WM_MOUSEMOVE at
  that cell's pixels) names the region holding it, for regions at least two cells long of every
  type; a click selects that region in the main window's list."""
import json
import os
import shutil
import subprocess

import gui_harness
import pmmtest
from pmmtest import Skip, addr, test

# README, "The address-space picture": the colour of each type.
PALETTE = {"Image": 0xB48CDC, "Mapped File": 0x7CACE4, "Shareable": 0x6CC4C0, "Heap": 0xF0A058,
           "Stack": 0xE8CC50, "Private Data": 0x8CC884, "System": 0xE48CA0}
GRAPH_FIGURE = {"Committed": "committed", "Private Bytes": "private", "Working Set": "ws_total"}
session = gui_harness.Session("pictures")


def setup():
    return session.start()


def self_scan_map(out_dir):
    path = os.path.join(out_dir, "self.pmm")
    if not os.path.exists(path):
        with pmmtest.Target(64, "pmm_self_scan.exe", "--commit-mib", 32) as t:
            reply = t.command("save Z:" + path.replace("/", "\\"), timeout=120)
            assert reply and reply["reply"] == "save" and reply["working_set"], reply
    return path


def parse_graphs(text):
    bars, segments, totals = {}, {}, {}
    for line in text.splitlines():
        cells = line.split("\t")
        if cells[1] == "bar":
            bars[cells[0]] = tuple(int(c) for c in cells[2:6])
        elif cells[1] == "Total":
            totals[cells[0]] = None if cells[2] == "not available" else int(cells[2])
        else:
            segments[(cells[0], cells[1])] = (int(cells[2]), int(cells[3]), int(cells[4]))
    return bars, segments, totals


def pixels(bmp):
    if not shutil.which("convert"):
        raise Skip("ImageMagick's convert is not installed")
    size = subprocess.run(["identify", "-format", "%w %h", bmp], capture_output=True, text=True, check=True)
    width, height = (int(v) for v in size.stdout.split())
    raw = subprocess.run(["convert", bmp, "-depth", "8", "rgb:-"], capture_output=True, check=True).stdout
    return width, height, raw


@test
def graphs_segments_equal_the_summary():
    env, out_dir = setup()
    saved = self_scan_map(out_dir)
    summary = {k["kind"]: k for k in pmmtest.pmm_json(64, "map", saved)["summary"]}
    bmp = os.path.join(out_dir, "graphs.bmp")
    text = gui_harness.gui_text(64, env, out_dir, "graphs.txt", saved, "--view", "graphs", "--screenshot", bmp)
    bars, segments, totals = parse_graphs(text)
    width, height, raw = pixels(bmp)
    checked = coloured = 0
    for graph, key in GRAPH_FIGURE.items():
        left, top, right, bottom = bars[graph]
        assert totals[graph] == sum(summary[k][key] for k in PALETTE), (graph, totals[graph])
        edge = 0
        for kind in PALETTE:
            value, x0, x1 = segments[(graph, kind)]
            assert value == summary[kind][key], (graph, kind, value, summary[kind][key])
            assert x0 == edge, (graph, kind, "segments must tile the bar")
            share = value * (right - left) / totals[graph]
            assert abs((x1 - x0) - share) <= 1.0, (graph, kind, x1 - x0, share)
            edge = x1
            checked += 1
            if x1 - x0 >= 6:   # wide enough that its middle is clear of the frame and neighbours
                x, y = left + (x0 + x1) // 2, (top + bottom) // 2
                got = int.from_bytes(raw[(y * width + x) * 3:(y * width + x) * 3 + 3], "big")
                assert got == PALETTE[kind], (graph, kind, "#%06x" % got)
                coloured += 1
        assert edge == right - left, (graph, edge, right - left)
    assert coloured >= 6, coloured
    print("  %d segments equal the summary's figures; %d checked by colour in the screenshot" % (checked, coloured))


@test
def clicking_a_segment_filters_the_list():
    env, out_dir = setup()
    saved = self_scan_map(out_dir)
    heaps = {k["kind"]: k for k in pmmtest.pmm_json(64, "map", saved)["summary"]}["Heap"]["blocks"]
    path = os.path.join(out_dir, "heap-rows.txt")
    rc, _, err = gui_harness.run_gui(64, env, saved, "--view", "graphs", "--click-graph", "committed:Heap",
                                     "--dump-rows", path)
    assert rc == 0, err
    with open(path, encoding="utf-8") as f:
        top = [line.rstrip("\n").split("\t") for line in f if not line.startswith(" ")]
    assert top and all(cells[1] == "Heap" for cells in top), sorted({c[1] for c in top})
    assert len(top) == heaps, (len(top), heaps)
    print("  %d Heap allocations after the click, as the summary counts" % len(top))


@test
def another_process_has_no_working_set_graph():
    env, out_dir = setup()
    with pmmtest.Target(64, "pmm_target_basic.exe") as t:
        text = gui_harness.gui_text(64, env, out_dir, "graphs-live.txt", str(t.pid), "--view", "graphs")
    bars, segments, totals = parse_graphs(text)
    assert totals["Working Set"] is None and totals["Committed"] > 0, totals
    print("  Working Set: not available; Committed %d K" % (totals["Committed"] // 1024))


def fragmentation(bits, env, out_dir, name, saved, *extra):
    text = gui_harness.gui_text(bits, env, out_dir, name, saved, "--view", "fragmentation", *extra)
    head = text.splitlines()[0].split()
    assert head[0] == "picture", text[:200]
    return int(head[head.index("cell_bytes") + 1]), text


def check_fragmentation(bits):
    env, out_dir = setup()
    saved = os.path.join(out_dir, "frag%d.pmm" % bits)
    with pmmtest.Target(bits, "pmm_target_basic.exe") as t:
        rc, _, err = pmmtest.pmm(bits, "save", t.pid, saved)
        assert rc == 0, err
    m = pmmtest.pmm_json(bits, "map", saved)
    cell, _ = fragmentation(bits, env, out_dir, "frag%d-layout.txt" % bits, saved)
    # Regions two cells long or more, each type in turn, at most 24: their middle cell is theirs alone.
    big = sorted((r for r in m["regions"] if r["size"] >= 2 * cell and r["kind"] != "Free"), key=lambda r: -r["size"])
    by_kind = {}
    for r in big:
        by_kind.setdefault(r["kind"], []).append(r)
    chosen = []
    while len(chosen) < 24 and any(by_kind.values()):   # the largest of each type in turn
        for regions in by_kind.values():
            if regions and len(chosen) < 24:
                chosen.append(regions.pop(0))
    seen = {r["kind"] for r in chosen}
    points = [addr(r["address"]) + r["size"] // 2 // cell * cell for r in chosen]
    args = []
    for p in points:
        args += ["--hover", "0x%x" % p]
    args += ["--click", "0x%x" % points[0]]
    _, text = fragmentation(bits, env, out_dir, "frag%d-hover.txt" % bits, saved, *args)
    said = [line.split("\t", 1) for line in text.splitlines() if line.startswith("hover ")]
    assert len(said) == len(points), text
    width = 8 if bits == 32 else 16
    for r, (what, description) in zip(chosen, said):
        start = "%0*X-%0*X  %s" % (width, addr(r["address"]), width, addr(r["address"]) + r["size"], r["kind"])
        assert description.startswith(start), (what, description, start)
    selected = next(line for line in text.splitlines() if line.startswith("selected "))
    first = chosen[0]
    assert int(selected.split()[1], 16) in (addr(first["address"]), addr(first["alloc_base"])), (selected, first)
    print("  %d-bit: %d cells of %d K named their regions (%s); the click selected %s" % (
        bits, len(said), cell // 1024, ", ".join(sorted(seen)), selected.split()[1]))


@test
def fragmentation_cells_name_their_regions_64():
    check_fragmentation(64)


@test
def fragmentation_cells_name_their_regions_32():
    check_fragmentation(32)


if __name__ == "__main__":
    session.run()
