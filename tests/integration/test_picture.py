#!/usr/bin/env python3
"""`pmm map --picture FILE.png|.bmp`: the picture read back with ImageMagick (identify, stream)
has, at the pixel of every region that covers a whole cell, that region's type colour as the
README lists it (reserved memory paler by the documented formula). The map and the picture come
from one saved map, so they describe the same moment. Bad names and unwritable places fail with a
message and no file.
Pixels are read with `convert FILE -depth 8 rgb:-`; ImageMagick's `stream` would hand a bottom-up
BMP's rows over in file order, upside down."""
import json
import os
import shutil
import subprocess
import tempfile

from pmmtest import Skip, Target, addr, pmm, pmm_json, run_tests, temporaries, test

# README, "The address-space picture": the colour of each type.
PALETTE = {"Free": 0xD8D8D8, "Unusable": 0xA8A8A8, "Image": 0xB48CDC, "Mapped File": 0x7CACE4,
           "Shareable": 0x6CC4C0, "Heap": 0xF0A058, "Stack": 0xE8CC50, "Private Data": 0x8CC884,
           "System": 0xE48CA0}


def lighten(rgb):
    """Reserved memory: each channel c becomes 255 - (255 - c) * 45 / 100 (integer division)."""
    out = 0
    for shift in (0, 8, 16):
        c = (rgb >> shift) & 0xFF
        out |= (255 - (255 - c) * 45 // 100) << shift
    return out


def read_pixels(path):
    """(width, height, format, RGB bytes) as ImageMagick decodes the file."""
    for tool in ("identify", "convert"):
        if not shutil.which(tool):
            raise Skip(f"ImageMagick's {tool} is not installed (tools/install-deps.sh installs imagemagick)")
    info = subprocess.run(["identify", "-format", "%w %h %m", path], capture_output=True, text=True, check=True)
    width, height, fmt = info.stdout.split()
    raw = subprocess.run(["convert", path, "-depth", "8", "rgb:-"], capture_output=True, check=True).stdout
    assert len(raw) == int(width) * int(height) * 3, f"{path}: {len(raw)} bytes of pixels"
    return int(width), int(height), fmt, raw


def pixel_of(layout, address):
    """Top-left pixel of the cell holding address, by the layout rules in the README."""
    cb, columns, px = layout["cell_bytes"], layout["columns"], layout["cell_px"]
    for s in layout["stretches"]:
        if addr(s["start"]) <= address < addr(s["end"]):
            k = (address - addr(s["start"])) // cb
            return (k % columns) * px, s["y"] + (k // columns) * px
    return None


def check_picture(bits, fmt_ext):
    workdir = tempfile.mkdtemp(prefix="pmm_picture_")
    try:
        saved = os.path.join(workdir, "t.pmm")
        picture = os.path.join(workdir, "t." + fmt_ext)
        with Target(bits, "pmm_target_basic.exe") as t:
            rc, out, err = pmm(bits, "save", t.pid, saved)
            assert rc == 0, err
        m = pmm_json(bits, "map", saved)
        layout = pmm_json(bits, "map", saved, "--picture", picture)
        width, height, fmt, raw = read_pixels(picture)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    assert layout["format"] == "pmm-picture" and (width, height) == (layout["width"], layout["height"])
    assert fmt == {"png": "PNG", "bmp": "BMP3"}[fmt_ext], fmt   # BMP3: a BITMAPINFOHEADER file
    assert {k: int(v[1:], 16) for k, v in layout["colours"].items()} == PALETTE
    cb = layout["cell_bytes"]
    checked, wrong, kinds = 0, [], set()
    for r in m["regions"]:
        start = (addr(r["address"]) + cb - 1) // cb * cb
        if start + cb > addr(r["address"]) + r["size"]:
            continue   # covers no whole cell: its colour may be its neighbour's
        where = pixel_of(layout, start)
        if where is None:
            assert r["state"] != "commit", f"committed region {r['address']} is not in the picture"
            continue   # in a collapsed gap
        x, y = where[0] + layout["cell_px"] // 2, where[1] + layout["cell_px"] // 2
        got = int.from_bytes(raw[(y * width + x) * 3:(y * width + x) * 3 + 3], "big")
        want = PALETTE[r["kind"]] if r["state"] != "reserve" else lighten(PALETTE[r["kind"]])
        checked += 1
        kinds.add(r["kind"])
        if got != want:
            wrong.append(f"{r['address']} {r['kind']} {r['state']}: pixel ({x},{y}) is #{got:06x}, expected #{want:06x}")
    print(f"  {bits}-bit {fmt_ext}: {checked} regions checked at their pixels, {len(kinds)} types, "
          f"{len(layout['stretches'])} stretches, {cb // 1024} K cells")
    assert checked >= 20 and {"Image", "Stack", "Heap"} <= kinds, (checked, kinds)
    assert not wrong, "\n".join(wrong[:20])


@test
def png_pixels_match_types_64():
    check_picture(64, "png")


@test
def bmp_pixels_match_types_64():
    check_picture(64, "bmp")


@test
def png_pixels_match_types_32():
    check_picture(32, "png")


@test
def bad_names_and_places_fail():
    workdir = tempfile.mkdtemp(prefix="pmm_picture_bad_")
    try:
        with Target(64, "pmm_target_basic.exe") as t:
            rc, out, err = pmm(64, "map", t.pid, "--picture", os.path.join(workdir, "x.gif"))
            assert rc == 2 and "must end in .png or .bmp" in err, (rc, err)
            rc, out, err = pmm(64, "map", t.pid, "--columns", "99")
            assert rc == 2 and "--columns" in err, (rc, err)
            missing = os.path.join(workdir, "no", "such", "folder", "x.png")
            rc, out, err = pmm(64, "map", t.pid, "--picture", missing)
            assert rc == 1 and err.startswith("pmm: ") and "nothing was saved" in err, (rc, err)
            assert not os.path.exists(missing) and not temporaries(missing)
            live = os.path.join(workdir, "live.png")
            rc, out, err = pmm(64, "map", t.pid, "--picture", live, "--columns", "64")
            assert rc == 0 and out.startswith("Picture: ") and "64 columns" in out, (rc, out, err)
            assert read_pixels(live)[0] == 64 * 3
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


run_tests()
