"""A process inside a kernel dump (`--process PID|NAME`). A live Wine target's memory, its bytes from
a minidump dbghelp wrote (independent of our writer) and its regions from `pmm map PID --json`, is
laid into a builder-made x64 kernel dump behind the process's own page tables, with a VAD tree of
its allocations (tests/kdump/kdump_from_minidump.c; every 97th page left out of the dump, pages
without bytes in the minidump as paged out). Then `pmm map DUMP --process PID` against `pmm map` of
the minidump: every page with bytes lies in a region with the protection page-table entries can
express, the PEB, the modules from the loader list, the threads (ETHREAD list: id, TEB, the stack
the TEB gives), the heaps; against the live map: each region's allocation base, allocation
protection, type and mapped file name from the VAD tree; `pmm search` finds the same hits but for
the pages left out; kdmp-parser's VirtTranslate with the process's DirectoryTableBase agrees with
`pmm kdump --translate --dtb` on every page; `pmm scan` finds what it finds in the live process;
the selector works by name for the other commands."""
import json
import os
import subprocess

from pmmtest import pmm, pmm_json, run_tests, test
from kdmp_oracle import oracle, win
from kdump_process_fixture import built, remove

PAGE = 0x1000
# What a page-table entry can say of a Windows protection: write or not (copy-on-write pages are
# read-only until written), execute or not (an execute-only page reads as execute-read).
EXPRESSIBLE = {0x02: 0x02, 0x04: 0x04, 0x08: 0x02, 0x10: 0x20, 0x20: 0x20, 0x40: 0x40, 0x80: 0x20}


def kd_map(*args):
    b = built()
    return pmm_json(64, "map", win(b["kdump"]), "--process", str(b["pid"]), *args)


def region_at(regions, address):
    for r in regions:
        base = int(r["address"], 16)
        if base <= address < base + r["size"]:
            return r
    return None


@test
def map_of_the_process_equals_the_minidumps():
    b = built()
    ours = kd_map()
    md = pmm_json(64, "map", win(b["minidump"]))
    assert ours["target"]["source"] == "kernel_dump" and ours["target"]["pid"] == b["pid"], ours["target"]
    assert int(ours["target"]["peb"], 16) == int(md["target"]["peb"], 16) != 0
    pages = checked = 0
    for first, end, protect, _ in b["laid"]["laid"]:
        want = EXPRESSIBLE[protect & 0xFF]
        for va in range(first, end, PAGE):
            r = region_at(ours["regions"], va)
            assert r is not None, f"page {va:#x} with bytes is in no region of the kernel dump's map"
            assert r["protect_value"] == want, f"{va:#x}: {r['protect']} (0x{r['protect_value']:x}), want 0x{want:x}"
            assert region_at(md["regions"], va) is not None, f"{va:#x} is in no region of the minidump's map"
            pages += 1
        checked += 1
    assert pages == b["laid"]["pages"] and pages > 1000, pages
    loader = {(int(m["base"], 16), m["size"]) for m in md["modules"] if m["in_loader_list"]}
    mine = {(int(m["base"], 16), m["size"]) for m in ours["modules"] if m["in_loader_list"]}
    assert mine == loader and len(mine) >= 5, (sorted(mine - loader), sorted(loader - mine))
    threads = lambda doc: sorted((t["tid"], int(t["teb"], 16)) for t in doc["threads"])
    assert threads(ours) == threads(md) and threads(ours), (threads(ours), threads(md))
    stacks = lambda doc: sorted((t["tid"], t["stack_base"], t["stack_limit"]) for t in doc["threads"])
    assert stacks(ours) == stacks(md), "the stacks the TEBs give differ"
    # Heaps: the same, but for one found by signature at the start of an allocation that page tables
    # cannot tell from the memory before it (same protection, adjacent: one run).
    heaps_md, heaps_ours = ({int(h["address"], 16) for h in m["heaps"]} for m in (md, ours))
    assert heaps_ours <= heaps_md and heaps_ours, (sorted(heaps_ours), sorted(heaps_md))
    for heap in heaps_md - heaps_ours:
        r = region_at(ours["regions"], heap)
        assert r is not None and int(r["address"], 16) < heap, f"heap {heap:#x} missed, though a region starts there"
    assert f"{b['laid']['left_out'] + b['laid']['paged_out']} pages of the address space are mapped but not in " \
           "the dump" in json.dumps(ours), "the pages without bytes are not counted in the map's notes"
    print(f"  {pages} pages in {checked} runs, {len(mine)} modules, {len(threads(ours))} threads (TEB and stack), "
          f"{len(heaps_ours)} of {len(heaps_md)} heaps agree "
          f"(the rest inside a run of one protection); "
          f"{b['laid']['left_out']} left out and {b['laid']['paged_out']} paged out, reported")


def overlapping(regions, base, end):
    return [r for r in regions if int(r["address"], 16) < end and base < int(r["address"], 16) + r["size"]]


@test
def allocations_come_from_the_vad_tree():
    """Each region of the kernel dump's map lies in regions of the live map (what the builder laid as
    VADs and page tables) with the same allocation base, allocation protection, type and, for
    images and mapped views, file name; committed memory has the protection its entries give (the
    exact one where paged out), reserved private memory is reserved; every allocation is there."""
    b = built()
    ours, live = kd_map(), [r for r in b["live"]["regions"] if r["state"] in ("commit", "reserve")]
    assert "from the VAD tree" in json.dumps(ours["warnings"]), "the map does not say the VAD tree was used"
    compared, named, views_reserved = 0, 0, 0
    for r in ours["regions"]:
        base = int(r["address"], 16)
        under = overlapping(live, base, base + r["size"])
        assert under, f"region {r['address']} is in no allocation of the live map"
        for want in under:
            what = (r["address"], want["address"])
            assert int(r["alloc_base"], 16) == int(want["alloc_base"], 16), (what, r["alloc_base"], want["alloc_base"])
            assert r["type"] == want["type"], (what, r["type"], want["type"])
            assert r["alloc_protect_value"] == want["alloc_protect_value"], (what, r["alloc_protect"])
            if want["type"] in ("image", "mapped"):
                assert r["details"] == want["details"], (what, r["details"], want["details"])
                named += 1
            if want["state"] == "commit":
                assert r["state"] == "commit", (what, r["state"])
                expressible = EXPRESSIBLE.get(want["protect_value"] & 0xFF, want["protect_value"])
                assert r["protect_value"] in (expressible, want["protect_value"]), (what, r["protect"], want["protect"])
            elif want["type"] == "private":
                assert r["state"] == "reserve", (what, r["state"])
            else:   # a view's page without an entry: committed with the view's protection (prototype PTEs unread)
                assert r["state"] == "commit" and r["protect_value"] == r["alloc_protect_value"], (what, r)
                views_reserved += 1
            compared += 1
    allocations = {int(r["alloc_base"], 16) for r in live}
    assert allocations == {int(r["alloc_base"], 16) for r in ours["regions"]}, "allocations differ"
    types = {r["type"] for r in ours["regions"]}
    assert types == {"image", "mapped", "private"}, types
    print(f"  {len(ours['regions'])} regions in {len(allocations)} allocations agree with the live map "
          f"({compared} region pairs, {named} with a file name); {views_reserved} reserved parts of views "
          "read as committed")


@test
def search_finds_the_same_hits():
    b = built()
    left_out = [(first, end) for first, end, _, out in b["laid"]["laid"] if out]
    for pattern in (("--utf16", "ntdll.dll"), ("--hex", "4D 5A 90 00")):
        md = pmm_json(64, "search", win(b["minidump"]), *pattern, "--max", "0")
        ours = pmm_json(64, "search", win(b["kdump"]), "--process", "pmm_target_basi", *pattern, "--max", "0")
        want = {int(h["address"], 16) for h in md["hits"]}
        want = {a for a in want if not any(f <= a < e for f, e in left_out)}
        got = {int(h["address"], 16) for h in ours["hits"]}
        assert got == want and got, (pattern, sorted(want - got)[:5], sorted(got - want)[:5])
    print(f"  {len(got)} hits of the last pattern equal the minidump's (pages left out excepted)")


@test
def translations_agree_with_kdmp_parser():
    b = built()
    dtb = b["laid"]["directory_table_base"]
    pages = [va for first, end, _, _ in b["laid"]["laid"] for va in range(first, end, PAGE)]
    ref = json.loads(subprocess.run([oracle(), b["kdump"], "--dtb", dtb] + [hex(v) for v in pages],
                                    capture_output=True, text=True, check=True).stdout)["translations"]
    compared = 0
    for at in range(0, len(pages), 256):
        batch = pages[at:at + 256]
        rc, out, err = pmm(64, "kdump", win(b["kdump"]), "--json", "--dtb", dtb, "--translate",
                           ",".join(hex(v) for v in batch), timeout=300)
        assert rc == 0, err
        for mine, theirs in zip(json.loads(out)["translations"], ref[at:at + 256]):
            assert int(mine["address"], 16) == int(theirs["address"], 16)
            assert theirs["physical"] is not None and mine["status"] == "present", (mine, theirs)
            assert int(mine["physical"], 16) == int(theirs["physical"], 16), (mine["address"], mine, theirs)
            compared += 1
    assert compared == len(pages) == b["laid"]["pages"]
    print(f"  {compared} pages translate as kdmp-parser translates them")


@test
def minidump_written_from_the_kernel_dump():
    """`pmm dump --format minidump` of the process in the kernel dump: a minidump whose map has the
    loader list's modules and whose memory holds every page the kernel dump has bytes of."""
    b = built()
    path = os.path.join(b["folder"], "from_kernel.dmp")
    rc, out, err = pmm(64, "dump", win(b["kdump"]), "--process", str(b["pid"]), "--format", "minidump", win(path),
                       timeout=300)
    assert rc == 0 and "not in" in err, (rc, err)   # the pages left out are said to be left out
    written = pmm_json(64, "map", win(path))
    ours = kd_map()
    # The written minidump lists the loader list's modules in its ModuleList.
    written_modules = {(int(m["base"], 16), m["size"]) for m in written["modules"]}
    loader = {(int(m["base"], 16), m["size"]) for m in ours["modules"] if m["in_loader_list"]}
    assert written_modules == loader and loader, (sorted(written_modules), sorted(loader))
    info = pmm_json(64, "minidump", win(path))
    ranges = [(int(r["address"], 16), int(r["address"], 16) + r["bytes_in_file"]) for r in info["memory64"]]
    pages = [va for first, end, _, out_ in b["laid"]["laid"] if not out_ for va in range(first, end, PAGE)]
    missing = [va for va in pages if not any(f <= va < e for f, e in ranges)]
    assert not missing, f"{len(missing)} pages with bytes are not in the minidump, e.g. {missing[:3]}"
    print(f"  {len(pages)} pages and {len(loader)} modules in the minidump written from the kernel dump")


@test
def other_commands_take_the_selector():
    b = built()
    exports_md = pmm_json(64, "exports", win(b["minidump"]))
    exports_kd = pmm_json(64, "exports", win(b["kdump"]), "--process", str(b["pid"]))
    count = lambda doc: sum(len(m["exports"]) for m in doc["modules"])
    assert count(exports_kd) == count(exports_md) > 1000, (count(exports_kd), count(exports_md))
    kernel = pmm_json(64, "exports", win(b["kdump"]))   # no --process: the drivers
    assert all("\\drivers\\" in m["path"] for m in kernel["modules"]), [m["path"] for m in kernel["modules"]]
    kernel_map = pmm_json(64, "map", win(b["kdump"]), "--process", "kernel")
    assert kernel_map["target"]["name"] == "kernel" and len(kernel_map["modules"]) == 3, kernel_map["target"]
    for m in kernel_map["modules"]:   # each driver's pages are Image regions from its base
        r = region_at(kernel_map["regions"], int(m["base"], 16))
        assert r and r["type"] == "image" and int(r["address"], 16) == int(m["base"], 16), (m["path"], r)
    rc, out, err = pmm(64, "map", win(b["kdump"]))
    assert rc == 1 and "--process" in err and "--processes" in err, (rc, err)
    rc, out, err = pmm(64, "map", win(b["kdump"]), "--process", "nosuch.exe")
    assert rc == 1 and "no process 'nosuch.exe'" in err, (rc, err)
    rc, out, err = pmm(64, "map", win(b["kdump"]), "--process", "4")
    assert rc != 0 and "--process kernel" in err, (rc, err)
    rc, out, err = pmm(64, "map", win(b["kdump"]), "--process")
    assert rc == 2 and "--process needs" in err, (rc, err)
    print(f"  exports through --process: {count(exports_kd)}; refusals name what to do")


@test
def integrity_scan_as_the_live_process():
    """pmm scan of the process finds what pmm scan of the live process found (its regions typed by
    the VAD tree, so images, unlinked modules and executable private memory are all checked), compares
    the images the minidump's scan compares, and each image it checked only partly has a section
    whose memory the dump left out."""
    b = built()
    kd = pmm_json(64, "scan", win(b["kdump"]), "--process", str(b["pid"]))
    md, live = pmm_json(64, "scan", win(b["minidump"])), b["live_scan"]
    keys = lambda d: sorted((f["kind"], f["address"]) for f in d["findings"])  # noqa: E731
    assert keys(kd) == keys(live) and keys(kd), (kd["findings"], live["findings"])
    untyped = [u for u in kd["not_checked"] if "VAD tree" in u["reason"]]
    assert not untyped, untyped
    unread = {u["module"] for u in kd["not_checked"] if u["reason"] == "memory could not be read"}
    partly = {i["name"] for i in kd["images"] if i["status"] == "partly"}
    assert partly and partly <= unread, (partly, unread)
    assert {i["name"] for i in kd["images"]} == {i["name"] for i in md["images"]}
    assert 0.9 * md["summary"]["bytes_compared"] < kd["summary"]["bytes_compared"] <= md["summary"]["bytes_compared"]
    print(f"  {len(kd['images'])} images, {kd['summary']['bytes_compared']:,} of the minidump's "
          f"{md['summary']['bytes_compared']:,} bytes compared, {len(partly)} partly (pages left out); "
          f"findings as the live process's: {keys(kd)}")


try:
    run_tests()
finally:
    remove()
