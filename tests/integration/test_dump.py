"""pmm dump: our minidump of pmm_target_basic opens in winedump and in our own reader with the
target's threads, modules and memory (its known fill bytes at their addresses); dbghelp's dump
(--dbghelp) reads in winedump; each HiperDrop format holds the target's bytes at the offsets its map
file claims; the PE dump of pmm_testdll.dll parses with objdump and `pmm pe` and holds the image's
bytes; a file-size limit and a killed target fail cleanly and leave no complete-looking file.
`pmm map` of our minidump equals `pmm map` of the idle process (regions, modules, threads; the two
differences the format forces are allowed, narrowly); HandleData and ThreadInfoList hold the
target's named sections and each thread's start address and times; `--read pages` finds the
regions by reading alone."""
import json
import os
import shutil
import subprocess
import tempfile
import time

from pmmtest import Skip, Target, WINE, addr, binary, pmm, pmm_json, run_captured, run_tests, temporaries, test, wine_env

TMP = tempfile.mkdtemp(prefix="pmm_dump_test_")


def winpath(path):
    return "Z:" + path.replace("/", "\\")


def out(name):
    return os.path.join(TMP, name)


def dump(target, *args, timeout=300):
    rc, o, e = pmm(64, "dump", target.pid, *args, timeout=timeout)
    assert rc == 0, f"pmm dump {' '.join(map(str, args))}: exit {rc}: {e.strip()}"
    return o


def readable_pieces(info):
    """(address, size, fill) of target ranges whose bytes are known and readable."""
    pieces = [(addr(info["odd_size"]["base"]), info["odd_size"]["size"], info["odd_size"]["fill"])]
    for p in info["reservation"]["committed"]:
        if p["protect"] in (2, 4, 0x20, 0x40):   # R, RW, RX, RWX (not no-access, execute-only or guard)
            pieces.append((addr(p["base"]), p["size"], p["fill"]))
    return pieces


def winedump_text(path):
    if not shutil.which("winedump"):
        raise Skip("winedump is not installed (package wine64-tools)")
    r = subprocess.run(["winedump", "dump", path], capture_output=True, text=True, errors="replace")
    assert r.returncode == 0, f"winedump failed on {path}: {r.stderr}"
    assert "Done dumping" in r.stdout, f"winedump did not finish {path}"
    return r.stdout


def md_json(path):
    rc, o, e = pmm(64, "minidump", winpath(path), "--json")
    assert rc == 0, f"pmm minidump {path}: {e}"
    return json.loads(o)


def bytes_at(path, offset, size):
    with open(path, "rb") as f:
        f.seek(offset)
        return f.read(size)


@test
def our_minidump_reads_back():
    path = out("ours.dmp")
    with Target(64, "pmm_target_basic.exe") as t:
        text = dump(t, "--format", "minidump", winpath(path))
        assert "minidump" in text
        info = t.info
    assert os.path.exists(path) and not temporaries(path)
    wd = winedump_text(path)
    tids = [info["main_thread"]["tid"]] + [th["tid"] for th in info["threads"]] + [info["parked_thread"]]
    for tid in tids:
        assert f"ThreadId: {tid}\n" in wd, f"winedump does not list thread {tid}"
    assert "pmm_testdll.dll" in wd and "pmm_target_basic.exe" in wd
    md = md_json(path)
    assert not md["errors"], md["errors"]
    assert {th["tid"] for th in md["threads"]} >= set(tids)
    assert any(m["path"].lower().endswith("pmm_testdll.dll") and addr(m["base"]) == addr(info["dll"]["base"])
               for m in md["modules"])
    assert md["memory_info"], "no MemoryInfoList"
    # Every known fill byte at its address, found through the Memory64List's file offsets.
    for base, size, fill in readable_pieces(info):
        r = [m for m in md["memory64"] if addr(m["address"]) <= base and base + size <= addr(m["address"]) + m["size"]]
        assert r, f"0x{base:x} is not in the dump's memory"
        data = bytes_at(path, r[0]["file_offset"] + base - addr(r[0]["address"]), size)
        assert data == bytes([fill]) * size, f"bytes at 0x{base:x} differ from fill 0x{fill:x}"
    # The dll's data export, and a thread's stack, read back through `pmm map` on the dump.
    rc, o, e = pmm(64, "map", winpath(path), "--json")
    assert rc == 0, e
    m = json.loads(o)
    assert {th["tid"] for th in m["threads"]} >= set(tids)
    assert any(mod["path"].lower().endswith("pmm_testdll.dll") for mod in m["modules"])


REGION_FIELDS = ("address", "size", "state", "type", "protect", "protect_value", "alloc_base", "alloc_protect",
                 "alloc_protect_value", "kind", "details", "pe_header")


def map_differences(live, dumped):
    """Every difference between two pmm-map documents in regions, modules and threads, except the
    two that follow from the minidump format itself (each checked as narrowly as it can be):
    - the free range below 0x10000 (the lowest address Windows ever allocates): the minidump
      source's address space starts there, the live one at 0, so the live map's first free region
      [0, N) is [0x10000, N) in the dump's (or absent when N is 0x10000);
    - the Type and Details of a mapped view: MINIDUMP_MEMORY_INFO carries no file name, so where
      the live map names the mapped file ("Mapped File", path) the dump's map falls back to what
      the region's contents tell ("Shareable", or "System" with the structure the PEB points to).
      Everything else about such a region (address, size, state, protection, type) must agree."""
    diffs = []
    old = {r["address"]: r for r in live["regions"]}
    new = {r["address"]: r for r in dumped["regions"]}
    first = old.get("0x0")
    if first and first["state"] == "free" and "0x0" not in new:
        del old["0x0"]
        if first["size"] > 0x10000:
            # Clipped, its AllocationBase (meaningless for free memory, 0 live) becomes its new base.
            old["0x10000"] = dict(first, address="0x10000", size=first["size"] - 0x10000, alloc_base="0x10000")
    for a in sorted(set(old) | set(new), key=addr):
        x, y = old.get(a), new.get(a)
        if x is None or y is None:
            diffs.append(f"region {a} only in the {'live' if y is None else 'dump'} map")
            continue
        fields = [f for f in REGION_FIELDS if x.get(f) != y.get(f)]
        if (set(fields) <= {"kind", "details"} and x["type"] == "mapped" and x["kind"] == "Mapped File"
                and "\\" in x["details"] and y["kind"] in ("Shareable", "System") and "\\" not in y["details"]):
            continue
        if fields:
            diffs.append(f"region {a}: " + ", ".join(f"{f} {x.get(f)!r} != {y.get(f)!r}" for f in fields))
    for key in ("modules", "threads"):
        if len(live[key]) != len(dumped[key]):
            diffs.append(f"{key}: {len(live[key])} live, {len(dumped[key])} in the dump")
        for x, y in zip(live[key], dumped[key]):
            for f in sorted(set(x) | set(y)):
                if x.get(f) != y.get(f):
                    diffs.append(f"{key[:-1]} {x.get('tid', x.get('base'))}: {f} {str(x.get(f))[:120]} != {str(y.get(f))[:120]}")
    return diffs


@test
def map_of_our_dump_equals_the_live_map():
    """`pmm map` of our full minidump = `pmm map` of the process (regions, modules, threads), with
    the process idle: the live map is taken before and after the dump and must not have changed."""
    for bits in (64, 32):   # each tool on a target of its own bitness
        path = out(f"map_equal{bits}.dmp")
        with Target(bits, "pmm_target_basic.exe") as t:
            for attempt in range(3):
                before = pmm_json(bits, "map", t.pid)
                rc, o, e = pmm(bits, "dump", t.pid, "--format", "minidump", winpath(path), timeout=300)
                assert rc == 0, e
                after = pmm_json(bits, "map", t.pid)
                if not map_differences(before, after):
                    break
            else:
                raise AssertionError("the target kept changing: " + "; ".join(map_differences(before, after)[:5]))
        rc, o, e = pmm(bits, "map", winpath(path), "--json")
        assert rc == 0, e
        dumped = json.loads(o)
        diffs = map_differences(before, dumped)
        assert not diffs, f"{bits}-bit: the dump's map differs from the live map:\n  " + "\n  ".join(diffs[:30])
        assert dumped["target"]["name"] == before["target"]["name"], "the dump's first module is not the executable"
        mapped = sum(1 for r in before["regions"] if r["kind"] == "Mapped File")
        print(f"  {bits}-bit: {len(dumped['regions'])} regions, {len(dumped['modules'])} modules, "
              f"{len(dumped['threads'])} threads (stacks, contexts, start addresses) equal; {mapped} mapped views "
              "have no file name in the dump")


@test
def wow64_dump_of_the_64bit_tool_reads_as_a_32bit_process():
    """The 64-bit tool's (AMD64) dump of a 32-bit process is read back as WOW64 even under Wine,
    which loads no wow64.dll: the reader also knows it by the executable's i386 header. Regions and
    module bases then equal the live map's. Not compared: the threads' 32-bit contexts (an AMD64
    dump has none; under Wine its x64 context holds the 32-bit registers) and the modules'
    in_os_list flag (the dump's ModuleList lists them; live, Wine's Toolhelp gives the 64-bit tool no
    modules of a 32-bit process)."""
    path = out("wow64.dmp")
    with Target(32, "pmm_target_basic.exe") as t:
        for attempt in range(3):
            before = pmm_json(64, "map", t.pid)
            rc, o, e = pmm(64, "dump", t.pid, "--format", "minidump", winpath(path), timeout=300)
            assert rc == 0, e
            if not [d for d in map_differences(before, pmm_json(64, "map", t.pid)) if d.startswith("region")]:
                break
        else:
            raise AssertionError("the target's regions kept changing")
    dumped = pmm_json(64, "map", winpath(path))
    assert dumped["target"]["wow64"] and before["target"]["wow64"], dumped["target"]
    diffs = [d for d in map_differences(before, dumped) if d.startswith(("region", "modules"))]
    assert not diffs, "\n  ".join(diffs[:30])
    assert [m["base"] for m in dumped["modules"]] == [m["base"] for m in before["modules"]]
    assert all(m["bits"] == 32 for m in dumped["modules"]), [(m["base"], m["bits"]) for m in dumped["modules"]]
    print(f"  {len(dumped['regions'])} regions and {len(dumped['modules'])} module bases equal; read as WOW64")


@test
def handle_data_and_thread_infos():
    """HandleData and ThreadInfoList of our dump: the target's named section and its mapped file's
    section with their names, and every thread's start address and times, read back by
    `pmm minidump --json`; winedump reads the dump."""
    path = out("handles.dmp")
    with Target(64, "pmm_target_basic.exe") as t:
        live = pmm_json(64, "map", t.pid)
        text = dump(t, "--format", "minidump", winpath(path))
        section = t.info["shared_section"]["name"].split("\\")[-1]
        mapped_file = os.path.basename(t.info["mapped_file"]["path"].replace("\\", "/"))
    assert " handles, " in text, text
    md = md_json(path)
    assert not md["errors"], md["errors"]
    flags = int(md["header"]["flags"], 16)
    assert flags & 0x4 and flags & 0x1000, f"header flags 0x{flags:x} lack WithHandleData/WithThreadInfo"
    assert {"HandleData", "ThreadInfoList"} <= {s["name"] for s in md["streams"]}
    handles = md["handles"]
    sections = [h for h in handles if h["type"] == "Section"]
    assert any(h["name"].endswith("\\" + section) for h in sections), f"no Section handle named {section}: {sections}"
    assert any(h["name"].lower().endswith(mapped_file.lower()) for h in sections), \
        f"no Section handle of {mapped_file}: {sections}"
    assert len({h["handle"] for h in handles}) == len(handles), "a handle listed twice"
    assert all(h["type"] for h in handles), "a handle without its type"
    threads = {th["tid"]: th for th in md["threads"]}
    for th in live["threads"]:
        d = threads[th["tid"]]
        assert d["start_address"] == th["start_address"], (th["tid"], d["start_address"], th["start_address"])
        assert d["create_time"] > 116444736000000000, f"thread {th['tid']}: no creation time"
        assert d["exit_status"] == "0x103", f"thread {th['tid']}: exit status {d['exit_status']} (STILL_ACTIVE expected)"
        assert addr(d["affinity"]) != 0
    parked = threads[t.info["parked_thread"]]
    dll = t.info["dll"]
    assert addr(dll["base"]) <= addr(parked["start_address"]) < addr(dll["base"]) + 0x100000, \
        "the parked thread does not start in pmm_testdll.dll"
    wd = winedump_text(path)
    assert "Stream [" in wd
    print(f"  {len(handles)} handles ({len(sections)} sections), {len(threads)} thread infos")


@test
def selected_minidump_has_memory_list():
    path = out("selected.dmp")
    with Target(64, "pmm_target_basic.exe") as t:
        odd = t.info["odd_size"]
        dump(t, "--format", "minidump", winpath(path), "--regions", odd["base"])
    md = md_json(path)
    assert "memory64" not in md
    r = [x for x in md["memory"] if x["address"] == odd["base"]]
    assert r and r[0]["size"] == odd["size"]
    assert bytes_at(path, r[0]["file_offset"], odd["size"]) == bytes([odd["fill"]]) * odd["size"]
    winedump_text(path)


@test
def dbghelp_dumps_read_in_winedump():
    with Target(64, "pmm_target_basic.exe") as t:
        for name, flags in (("dbghelp_num.dmp", "0x1105"),
                            ("dbghelp_named.dmp", "MiniDumpWithFullMemory|MiniDumpWithHandleData|MiniDumpWithThreadInfo")):
            path = out(name)
            dump(t, "--format", "minidump", winpath(path), "--dbghelp", flags)
            wd = winedump_text(path)
            assert f"ThreadId: {t.info['main_thread']['tid']}" in wd
        rc, _, e = pmm(64, "dump", t.pid, "--format", "minidump", winpath(out("bad.dmp")), "--dbghelp", "WithNothing")
        assert rc == 2 and e.startswith("pmm: "), (rc, e)


def parse_map(path):
    regions, unreadable, end = [], [], None
    with open(path) as f:
        for line in f:
            parts = line.split()
            if parts[0] == "region":
                regions.append((int(parts[1], 16), int(parts[2], 16), int(parts[3], 16), parts[4] if len(parts) > 4 else None))
            elif parts[0] == "unreadable":
                unreadable.append((int(parts[1], 16), int(parts[2], 16)))
            elif parts[0] == "end":
                end = (int(parts[1]), int(parts[2]))
    assert end == (len(regions), len(unreadable)), f"{path}: no or wrong end line"
    return regions, unreadable


@test
def hiperdrop_formats_hold_the_bytes():
    with Target(64, "pmm_target_basic.exe") as t:
        pieces = readable_pieces(t.info)
        selection = ",".join(hex(p[0]) for p in pieces)
        for fmt in ("regions", "single", "sparse", "full"):
            target = out(f"hd_{fmt}")
            dump(t, "--format", fmt, winpath(target), "--regions", selection)
            map_path = os.path.join(target, "regions.map") if fmt == "regions" else target + ".map"
            regions, _ = parse_map(map_path)
            assert len(regions) == len(pieces), (fmt, regions)
            for base, size, fill in pieces:
                r = [x for x in regions if x[0] == base]
                assert r and r[0][1] == size, f"{fmt}: region 0x{base:x} missing or resized"
                if fmt == "regions":
                    data = bytes_at(os.path.join(target, r[0][3]), 0, size)
                else:
                    offset = r[0][2]
                    if fmt in ("sparse", "full"):
                        assert offset == base, f"{fmt}: offset 0x{offset:x} != address 0x{base:x}"
                    data = bytes_at(target, offset, size)
                assert data == bytes([fill]) * size, f"{fmt}: bytes of 0x{base:x} differ"
            if fmt in ("sparse", "full"):
                last = max(p[0] + p[1] for p in pieces)
                assert os.path.getsize(target) == last
        if True:  # --protect and --kind select what they name
            target = out("hd_rwx.bin")
            dump(t, "--format", "single", winpath(target), "--protect", "RWX", "--kind", "private")
            rwx = [p for p in t.info["reservation"]["committed"] if p["protect"] == 0x40][0]
            regions, _ = parse_map(target + ".map")
            assert any(r[0] == addr(rwx["base"]) for r in regions)
            assert all(r[0] != addr(t.info["odd_size"]["base"]) for r in regions)
        rc, _, e = pmm(64, "dump", t.pid, "--format", "single", winpath(out("x.bin")), "--kind", "nonsense")
        assert rc == 2 and "--kind: 'nonsense' is not one of" in e, (rc, e)


def tiles(regions, unreadable, spans):
    """Whether regions and unreadable ranges cover every page of the spans exactly once, and nothing else."""
    pieces = sorted([(r[0], r[1]) for r in regions] + list(unreadable))
    merged = []
    for a, n in pieces:
        assert not merged or a >= merged[-1][0] + merged[-1][1], f"0x{a:x} listed twice"
        if merged and a == merged[-1][0] + merged[-1][1]:
            merged[-1] = (merged[-1][0], merged[-1][1] + n)
        else:
            merged.append((a, n))
    return merged == spans


@test
def read_pages_finds_regions_by_reading():
    """--read pages: no VirtualQueryEx; every page of --range is read on its own, runs of readable
    pages become the regions and the pages that fail are listed as unreadable. The null page never
    reads (on Windows and Wine alike); two adjacent allocations that both read are one run."""
    with Target(64, "pmm_target_basic.exe") as t:
        res = t.info["reservation"]
        base = addr(res["base"])
        spans = [(0, 0x20000), (base, res["size"])]
        rng = ",".join(f"0x{a:x}-0x{a + n:x}" for a, n in spans)
        readable = [p for p in readable_pieces(t.info) if base <= p[0] < base + res["size"]]
        for fmt in ("single", "regions", "sparse"):
            target = out(f"pages_{fmt}")
            text = dump(t, "--format", fmt, winpath(target), "--read", "pages", "--range", rng)
            assert "found by reading page by page" in text, text
            map_path = os.path.join(target, "regions.map") if fmt == "regions" else target + ".map"
            regions, unreadable = parse_map(map_path)
            assert tiles(regions, unreadable, spans), f"{fmt}: regions {regions} and unreadable {unreadable} do not tile {spans}"
            assert any(a <= 0 < a + n for a, n in unreadable), f"{fmt}: the null page was not listed unreadable"
            for pbase, size, fill in readable:
                r = [x for x in regions if x[0] <= pbase and pbase + size <= x[0] + x[1]]
                assert r, f"{fmt}: readable piece 0x{pbase:x} is in no region"
                if fmt == "regions":
                    data = bytes_at(os.path.join(target, r[0][3]), pbase - r[0][0], size)
                else:
                    data = bytes_at(target, r[0][2] + pbase - r[0][0], size)
                assert data == bytes([fill]) * size, f"{fmt}: bytes of 0x{pbase:x} differ"
        # Usage: selections that need the OS's region list, and a 64-bit process without --range.
        for extra in (["--kind", "private"], ["--regions", res["base"]], []):
            args = ["--read", "pages"] + extra + (["--range", rng] if extra else [])
            rc, _, e = pmm(64, "dump", t.pid, "--format", "single", winpath(out("bad.bin")), *args)
            assert rc == 2 and e.startswith("pmm: "), (extra, rc, e)
        rc, _, e = pmm(64, "dump", t.pid, "--format", "single", winpath(out("bad.bin")), "--range", rng)
        assert rc == 2 and "--read pages" in e, (rc, e)
    with Target(64, "pmm_target_markers.exe") as t:
        al = {a["name"]: a for a in t.info["allocations"]}
        left, right = addr(al["left"]["base"]), addr(al["right"]["base"])
        target = out("pages_markers")
        dump(t, "--format", "single", winpath(target), "--read", "pages", "--range", f"0x{left:x}-0x{right + 0x10000:x}")
        regions, _ = parse_map(target + ".map")
        assert [(r[0], r[1]) for r in regions] == [(left, 0x20000)], f"left+right should be one run: {regions}"
        m = [x for x in t.info["markers"] if x["name"] == "across_region"][0]
        assert bytes_at(target, addr(m["address"]) - left, len(m["text"])) == m["text"].encode()
    print("  regions from reads alone tile the ranges; the null page is unreadable; adjacent allocations are one run")


@test
def pe_dump_of_the_test_dll():
    path = out("testdll.bin")
    with Target(64, "pmm_target_basic.exe") as t:
        dll = t.info["dll"]
        dump(t, "--format", "pe", winpath(path), "--module", "pmm_testdll.dll")
        by_address = out("testdll_by_address.bin")
        dump(t, "--format", "pe", winpath(by_address), "--module", hex(addr(dll["base"]) + 0x1000))
    objdump = shutil.which("x86_64-w64-mingw32-objdump")
    if objdump:
        r = subprocess.run([objdump, "-p", path], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        assert "pmm_test_f1" in r.stdout and "pmm_test_data" in r.stdout
        assert f"ImageBase\t\t{addr(dll['base']):016x}" in r.stdout
    rc, o, e = pmm(64, "pe", winpath(path), "--json")
    assert rc == 0, e
    pe = json.loads(o)
    names = {x.get("name") for x in pe["exports"]["items"]}
    assert {"pmm_test_f1", "pmm_test_data"} <= names, names
    assert len(pe["sections"]) >= 5
    data = [x for x in dll["exports"] if x["name"] == "pmm_test_data"][0]
    rva = addr(data["address"]) - addr(dll["base"])
    assert bytes_at(path, rva, 16) == dll["data_tag"].encode()
    assert open(path, "rb").read() == open(by_address, "rb").read()


@test
def file_size_limit_fails_cleanly():
    path = out("limited.dmp")
    with Target(64, "pmm_target_basic.exe") as t:
        cmd = " ".join([WINE[64], binary(64, "pmm.exe"), "dump", str(t.pid), "--format", "minidump", f"'{winpath(path)}'"])
        # SIGXFSZ ignored, so the write fails with EFBIG instead of killing pmm.
        rc, o, e = run_captured(["bash", "-c", f"trap '' XFSZ; ulimit -f 1000; exec {cmd}"], wine_env(), 300)
        assert rc == 1, (rc, o, e)
        assert e.startswith("pmm: ") and "nothing was kept" in e, e
        for fmt in ("single", "sparse"):
            single = out(f"limited.{fmt}")
            cmd = " ".join([WINE[64], binary(64, "pmm.exe"), "dump", str(t.pid), "--format", fmt, f"'{winpath(single)}'"])
            rc, o, e = run_captured(["bash", "-c", f"trap '' XFSZ; ulimit -f 1000; exec {cmd}"], wine_env(), 300)
            assert rc == 1 and e.startswith("pmm: "), (fmt, rc, e)
            for leftover in (single, single + ".map"):
                assert not os.path.exists(leftover) and not temporaries(leftover), f"{leftover} was left behind"
    assert not os.path.exists(path) and not temporaries(path)


@test
def killed_target_fails_cleanly():
    path = out("killed.dmp")
    with Target(64, "pmm_target_basic.exe", "--allocations", "3000") as t:
        p = subprocess.Popen([WINE[64], binary(64, "pmm.exe"), "dump", str(t.pid), "--format", "minidump",
                              winpath(path), "--read", "pages"], env=wine_env(), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        time.sleep(1.0)
        t.kill()
        o, e = p.communicate(timeout=120)
    if p.returncode == 0:
        raise Skip("the dump finished before the target was killed; nothing to check")
    assert p.returncode == 1 and e.startswith("pmm: ") and "exited" in e, (p.returncode, e)
    assert not os.path.exists(path), "a dump of a killed target was kept"


if __name__ == "__main__":
    try:
        run_tests()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
