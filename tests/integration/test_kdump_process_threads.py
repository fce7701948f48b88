"""Threads, stacks and the other commands of a process inside a kernel dump (`--process`), on the
kernel dump kdump_process_fixture.py builds from a live Wine target: its threads laid as ETHREADs
with trap frames of the registers dbghelp's minidump holds (the first one running at the crash).
`pmm stacks DUMP --process` walks the same frames as `pmm stacks` of the minidump; decode, strings,
save (and map of the saved map), diff, pe DUMP:ADDRESS and disasm take the selector and agree with
the minidump; `--process` where no target is a kernel dump is a usage error (exit 2); a 32-bit
Wine target laid as a WOW64 process maps and walks as its minidump."""
import json
import os
import re
import shutil
import subprocess

from pmmtest import BUILD, Skip, Target, pmm, pmm_json, run_tests, test
from kdmp_oracle import win
from kdump_process_fixture import NAME, SCENE_PIDS, built, remove

PAGE = 0x1000


def kd(*args):
    b = built()
    return pmm_json(64, args[0], win(b["kdump"]), *args[1:], "--process", NAME, timeout=300)


def md(*args):
    return pmm_json(64, args[0], win(built()["minidump"]), *args[1:], timeout=300)


def pages_with_bytes():
    """Pages of the process whose bytes the kernel dump holds."""
    b = built()
    laid = {va for first, end, _, out in b["laid"]["laid"] if not out for va in range(first, end, PAGE)}
    return laid


@test
def stacks_walk_the_minidumps_frames():
    ours = {t["tid"]: t for t in kd("stacks")["threads"]}
    theirs = {t["tid"]: t for t in md("stacks")["threads"]}
    assert set(ours) == set(theirs) and ours, (sorted(ours), sorted(theirs))
    frames = 0
    for tid, t in theirs.items():
        want = [(f["address"], f["sp"]) for f in t["frames"]]
        got = [(f["address"], f["sp"]) for f in ours[tid]["frames"]]
        assert got == want, f"thread {tid}: {got[:4]} != {want[:4]}"
        assert ours[tid]["walk"] == t["walk"], (tid, ours[tid]["walk"], t["walk"])
        frames += len(want)
    assert frames > 4 * len(theirs), frames
    rc, out, err = pmm(64, "kdump", win(built()["kdump"]), "--processes", "--json")
    current = json.loads(out)["processes"]["current"]
    assert current and current["pid"] == built()["pid"] and current["tid"] in ours, current
    print(f"  {len(ours)} threads, {frames} frames (address and stack pointer) as the minidump's; "
          f"thread {current['tid']} found running at the crash")


@test
def decode_reads_the_same_structures():
    for what in (["peb"], ["params"], ["kuser"]):
        ours, theirs = kd("decode", *what), md("decode", *what)
        assert ours["address"] == theirs["address"], what
        values = lambda d: [(f["name"], f.get("value")) for f in d["fields"]]  # noqa: E731
        assert values(ours) == values(theirs), (what, values(ours)[:5], values(theirs)[:5])
    tid = md("map")["threads"][0]["tid"]
    ours, theirs = kd("decode", "teb", str(tid)), md("decode", "teb", str(tid))
    assert ours["address"] == theirs["address"] and ours["fields"] == theirs["fields"], tid
    print("  PEB, process parameters, KUSER_SHARED_DATA and a TEB decode as from the minidump")


@test
def strings_are_the_minidumps_where_the_pages_are_there():
    held = pages_with_bytes()
    ours, theirs = kd("strings", "--min", "8"), md("strings", "--min", "8")

    def inside(s):   # the string and the pages on either side are in the kernel dump
        start = int(s["address"], 16)
        size = s["length"] * (2 if s["encoding"] == "U" else 1)
        first, last = (start & ~(PAGE - 1)) - PAGE, ((start + size) & ~(PAGE - 1)) + PAGE
        return all(va in held for va in range(first, last + 1, PAGE))

    key = lambda s: (s["address"], s["encoding"], s["text"])  # noqa: E731
    mine = {key(s) for s in ours["strings"] if inside(s)}
    want = {key(s) for s in theirs["strings"] if inside(s)}
    assert mine == want and len(mine) > 1000, (len(mine), len(want), sorted(want - mine)[:3], sorted(mine - want)[:3])
    print(f"  {len(mine)} strings equal where the kernel dump holds the pages")


@test
def save_then_map_of_the_saved_map_equals():
    b = built()
    path = os.path.join(b["folder"], "process.pmmmap")
    rc, out, err = pmm(64, "save", win(b["kdump"]), win(path), "--process", NAME, timeout=300)
    assert rc == 0, err
    saved = pmm_json(64, "map", win(path))
    ours = kd("map")
    for part in ("regions", "modules", "threads", "heaps"):
        assert saved[part] == ours[part], part
    rc, out, err = pmm(64, "diff", win(path), win(b["kdump"]), "--process", NAME, timeout=300)
    assert rc == 0 and "No differences" in out, (rc, out[-500:], err)
    print(f"  {len(saved['regions'])} regions saved and read back; diff of the saved map and the dump: none")


@test
def diff_with_itself_and_with_the_minidump():
    b = built()
    rc, out, err = pmm(64, "diff", win(b["kdump"]), win(b["kdump"]), "--process", NAME, timeout=300)
    assert rc == 0 and "No differences" in out, (rc, err)
    doc = json.loads(pmm(64, "diff", win(b["minidump"]), win(b["kdump"]), "--process", NAME, "--json",
                         timeout=300)[1])
    assert doc["old"]["source"] == "minidump" and doc["new"]["source"] == "kernel_dump", doc["old"]
    assert doc["new"]["pid"] == b["pid"] and doc["old"]["peb"] == doc["new"]["peb"], (doc["old"], doc["new"])
    print("  a kernel dump's process against itself: no differences; against its minidump: compared")


@test
def pe_and_disasm_of_an_image_in_the_dump():
    b = built()
    exe = next(m for m in md("map")["modules"] if m["path"].lower().endswith("pmm_target_basic.exe"))
    base = int(exe["base"], 16)
    ours = pmm_json(64, "pe", f"{win(b['kdump'])}:{base:#x}", "--process", NAME, timeout=300)
    from_file = pmm_json(64, "pe", exe["path"])
    # Long names (/4...) are in the file's COFF string table, which is not mapped: compare the layout.
    layout = lambda d: [(s["virtual_address"], s["virtual_size"], s["characteristics"]) for s in d["sections"]]  # noqa: E731
    assert layout(ours) == layout(from_file) and layout(ours), (layout(ours), layout(from_file))
    assert ours["headers"]["entry_point"] == from_file["headers"]["entry_point"], ours["headers"]
    entry = base + int(str(from_file["headers"]["entry_point"]), 0)
    lines = lambda d: [(i["address"], i["text"]) for i in d["instructions"]]  # noqa: E731
    mine = kd("disasm", hex(entry), "--count", "20")
    theirs = md("disasm", hex(entry), "--count", "20")
    assert lines(mine) == lines(theirs) and len(lines(mine)) == 20, (lines(mine)[:3], lines(theirs)[:3])
    print(f"  pe {exe['path'].split(chr(92))[-1]} at {base:#x}: sections and entry point as its file; "
          "20 instructions at the entry as the minidump's")


def lldb(core, *commands):
    """lldb --batch's output on a core file (as test_minidump_lldb.py runs it: not through its Python
    module, whose Debian 12 link is broken)."""
    exe = shutil.which("lldb")
    if not exe:
        raise Skip("lldb is not installed (tools/install-deps.sh installs it)")
    cmd = [exe, "--batch", "--no-lldbinit", "--core", core] + [a for c in commands for a in ("-o", c)]
    r = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=300)
    text = r.stdout + r.stderr
    assert "was loaded" in text, f"lldb did not load {core}:\n{text[-2000:]}"
    return text


@test
def minidump_written_from_the_kernel_dump_has_threads_and_its_name():
    """`pmm dump DUMP --process --format minidump`: lldb and `pmm map` read the written minidump with
    the process's threads (ids, TEBs, registers) and modules, the executable first (so the dump is
    named after it), and pmm map finds the same regions as `pmm map DUMP --process`."""
    b = built()
    path = os.path.join(b["folder"], "written.dmp")
    rc, out, err = pmm(64, "dump", win(b["kdump"]), "--process", NAME, "--format", "minidump", win(path), timeout=300)
    assert rc == 0, err
    written, ours = pmm_json(64, "map", win(path)), kd("map")
    assert written["target"]["name"].lower() == "pmm_target_basic.exe", written["target"]
    threads = lambda d: sorted((t["tid"], t["teb"], t["stack_base"], t["stack_limit"]) for t in d["threads"])  # noqa: E731
    assert threads(written) == threads(ours) and threads(ours), (threads(written), threads(ours))
    modules = lambda d: sorted((m["base"], m["size"], m["in_loader_list"]) for m in d["modules"])  # noqa: E731
    assert modules(written) == modules(ours), (modules(written), modules(ours))
    # The writer lists the map's regions (MemoryInfoList); memory the dump lacked is said to be left out.
    regions = lambda d: [(r["address"], r["size"], r["protect"]) for r in d["regions"]]  # noqa: E731
    assert regions(written) == regions(ours), [r for r in regions(ours) if r not in regions(written)][:5]
    text = lldb(path, "thread list", "image list")
    tids = [int(m.group(1), 16) for m in re.finditer(r"thread #\d+: tid = (0x[0-9a-f]+)", text)]
    assert sorted(tids) == sorted(t["tid"] for t in ours["threads"]), text[-2000:]
    lldb_modules = [(int(m.group(1), 16), m.group(2)) for m in
                    re.finditer(r"^\[\s*\d+\]\s+(?:\S+\s+)?0x([0-9a-f]+)\s+(.+?)\s*$", text, re.M)]
    assert sorted(base for base, _ in lldb_modules) == sorted(int(m["base"], 16) for m in ours["modules"]
                                                              if m["in_loader_list"]), lldb_modules
    assert lldb_modules[0][1].lower().endswith("pmm_target_basic.exe"), lldb_modules[0]
    stacks = {t["tid"]: [f["address"] for f in t["frames"]] for t in pmm_json(64, "stacks", win(path))["threads"]}
    assert stacks == {t["tid"]: [f["address"] for f in t["frames"]] for t in kd("stacks")["threads"]}
    print(f"  {len(ours['threads'])} threads, {len(lldb_modules)} modules (lldb and pmm map), "
          f"{len(ours['regions'])} regions and the stacks as the kernel dump's process")


@test
def process_option_needs_a_kernel_dump():
    b = built()
    minidump = win(b["minidump"])
    for args in (["map", minidump], ["stacks", minidump], ["search", minidump, "--utf16", "x"],
                 ["strings", minidump], ["exports", minidump], ["decode", minidump, "peb"],
                 ["disasm", minidump, "0x10000"], ["scan", minidump], ["pe", minidump],
                 ["dump", minidump, "--format", "minidump", win(os.path.join(b["folder"], "x.dmp"))],
                 ["save", minidump, win(os.path.join(b["folder"], "x.pmmmap"))], ["diff", minidump, minidump]):
        rc, out, err = pmm(64, *args, "--process", "1234", timeout=300)
        assert rc == 2 and "is not one" in err and "kernel crash dump" in err, (args, rc, err)
    assert not os.path.exists(os.path.join(b["folder"], "x.pmmmap"))
    print("  12 commands refuse --process on a minidump (exit 2); diff with one kernel-dump side works")


_wow64 = {}


def built_wow64():
    """A 32-bit Wine target (x86 build), its minidump written by the 32-bit pmm through dbghelp and
    its committed regions from the 32-bit `pmm map`, laid as a WOW64 process (--wow64)."""
    if _wow64:
        return _wow64
    b = built()   # the x64 fixture's folder holds these files too (removed with it)
    tool = os.path.join(BUILD, "native", "tests", "unit", "kdump_from_minidump")
    minidump = os.path.join(b["folder"], "target32.dmp")
    with Target(32, "pmm_target_basic.exe") as t:
        live = pmm_json(32, "map", t.pid)
        rc, _, err = pmm(32, "dump", t.pid, "--format", "minidump", win(minidump), "--dbghelp",
                         "MiniDumpWithFullMemory|MiniDumpWithThreadInfo", timeout=300)
        assert rc == 0, err
        pid = t.pid if t.pid not in SCENE_PIDS else t.pid + 0x10000
    regions = os.path.join(b["folder"], "regions32.txt")
    with open(regions, "w") as f:
        for r in live["regions"]:
            if r["state"] == "commit":
                f.write(f"{r['address']} {r['size']:#x} {r['protect_value']:#x}\n")
    kdump = os.path.join(b["folder"], "wow64.dmp")
    subprocess.run([tool, minidump, regions, kdump, str(pid), NAME, live["target"]["peb"], "--wow64"],
                   capture_output=True, text=True, check=True)
    _wow64.update(minidump=minidump, kdump=kdump, pid=pid, live=live)
    return _wow64


@test
def wow64_process_maps_as_its_minidump():
    """A 32-bit process laid under WOW64: `pmm map --process` (the 64-bit tool) finds its 32-bit
    PEB through the EWOW64PROCESS, its loader list's modules, its threads (the 32-bit TEBs the 64-bit
    TEBs point at, their stacks) and walks their 32-bit stacks from the WOW64 contexts, as `pmm map`
    and `pmm stacks` of its minidump do."""
    w = built_wow64()
    ours = pmm_json(64, "map", win(w["kdump"]), "--process", str(w["pid"]), timeout=300)
    theirs = pmm_json(64, "map", win(w["minidump"]), timeout=300)
    assert ours["target"]["wow64"] and ours["target"]["bits"] == 32, ours["target"]
    assert int(ours["target"]["peb32"], 16) == int(w["live"]["target"]["peb"], 16), (ours["target"], w["live"]["target"])
    loader = lambda d: sorted((m["base"], m["size"]) for m in d["modules"] if m["in_loader_list"])  # noqa: E731
    assert loader(ours) == loader(theirs) and len(loader(ours)) >= 4, (loader(ours), loader(theirs))
    threads = lambda d: sorted((t["tid"], t["teb"], t["stack_base"], t["stack_limit"]) for t in d["threads"])  # noqa: E731
    assert threads(ours) == threads(theirs) and threads(ours), (threads(ours), threads(theirs))
    mine = {t["tid"]: [(f["address"], f["sp"]) for f in t["frames"]]
            for t in pmm_json(64, "stacks", win(w["kdump"]), "--process", str(w["pid"]), timeout=300)["threads"]
            if t["bits"] == 32}
    want = {t["tid"]: [(f["address"], f["sp"]) for f in t["frames"]]
            for t in pmm_json(64, "stacks", win(w["minidump"]), timeout=300)["threads"] if t["bits"] == 32}
    assert mine == want and all(want.values()), (mine, want)
    # The 32-bit tool on the minidump walks the same frames (Wine's x86 system-call frames end the
    # walk after the first: the minidump's own limit, not the kernel dump's).
    native = {t["tid"]: [(f["address"], f["sp"]) for f in t["frames"]]
              for t in pmm_json(32, "stacks", win(w["minidump"]), timeout=300)["threads"]}
    assert native == want, (native, want)
    print(f"  32-bit PEB, {len(loader(ours))} modules, {len(threads(ours))} threads and "
          f"{sum(map(len, want.values()))} frames of 32-bit stacks as the minidump's")


def regions_of(d):
    return [(r["address"], r["size"], r["state"], r["protect"], r["type"], r.get("alloc_base"), r.get("details"))
            for r in d["regions"]]


def check_process_of_an_older_build(build, release, vad_row):
    """The target laid by the builder with the layouts of build (--build): `pmm kdump --processes`
    reads it with the table's row of release, `pmm map --process` gives the regions, modules,
    threads and heaps the 2004 dump gives (and so the live target's), its notes name the VAD row
    (vad_row), and `pmm stacks` gives the minidump's frames."""
    b = built()
    tool = os.path.join(BUILD, "native", "tests", "unit", "kdump_from_minidump")
    kdump = os.path.join(b["folder"], f"kernel{build}.dmp")
    subprocess.run([tool, b["minidump"], os.path.join(b["folder"], "regions.txt"), kdump, str(b["pid"]), NAME,
                    b["live"]["target"]["peb"], "--leave-out", "97", "--build", build],
                   capture_output=True, text=True, check=True)
    rc, out, err = pmm(64, "kdump", win(kdump), "--processes", "--json")
    procs = json.loads(out)["processes"]
    assert rc == 0 and procs["offsets"]["origin"] == "table" and release in procs["offsets"]["versions"], procs["offsets"]
    assert procs["current"] and procs["current"]["pid"] == b["pid"], procs["current"]
    ours = pmm_json(64, "map", win(kdump), "--process", NAME, timeout=300)
    theirs = kd("map")
    assert regions_of(ours) == regions_of(theirs) and len(regions_of(ours)) > 20, \
        [r for r in regions_of(ours) if r not in regions_of(theirs)][:4]
    assert {r[4] for r in regions_of(ours)} >= {"image", "mapped", "private"}, {r[4] for r in regions_of(ours)}
    assert f"(offsets of {vad_row})" in json.dumps(ours), f"the map's notes do not name the {vad_row} VAD row"
    for key in ("modules", "threads", "heaps"):
        assert ours[key] == theirs[key], key
    mine = {t["tid"]: [(f["address"], f["sp"]) for f in t["frames"]]
            for t in pmm_json(64, "stacks", win(kdump), "--process", NAME, timeout=300)["threads"]}
    want = {t["tid"]: [(f["address"], f["sp"]) for f in t["frames"]] for t in md("stacks")["threads"]}
    assert mine == want and all(want.values()), (sorted(mine), sorted(want))
    print(f"  {release} layouts: {len(regions_of(ours))} regions, {len(ours['modules'])} modules, "
          f"{len(ours['threads'])} threads as the 2004 dump's; {sum(map(len, want.values()))} frames as the minidump's")


@test
def process_of_a_1809_dump_maps_and_walks_as_its_minidump():
    """Windows 10 1809's layouts (--build 17763: EPROCESS of Chappell's 1703-1809 row, ETHREAD of the
    1709-1809 row, the 1809 VAD row whose VadFlags put VadType at bit 0)."""
    check_process_of_an_older_build("17763", "1809", "Windows 10 1809, Server 2019")


@test
def process_of_a_1507_dump_maps_and_walks_as_its_minidump():
    """Windows 10 1507's layouts (--build 10240: Chappell's EPROCESS and ETHREAD rows of 10.0, the
    1507 VAD row: VadRoot 0x608, PrivateMemory bit 15, MemProcFS's node and FilePointer)."""
    check_process_of_an_older_build("10240", "1507", "Windows 10 1507")


@test
def x86_kernel_dump_process_walks_as_its_minidump():
    """A 32-bit Wine target laid into the builder's x86 PAE machine (Windows 7 SP1's layouts,
    --x86): its threads as x86 ETHREADs with Windows 7 x86 trap frames of the minidump's CONTEXTs.
    `pmm map --process` (the 64-bit tool) gives the PEB, the loader list's modules and the threads
    (TEBs, stacks) of `pmm map` of the minidump, and `pmm stacks` the same 32-bit frames."""
    w = built_wow64()
    b = built()
    tool = os.path.join(BUILD, "native", "tests", "unit", "kdump_from_minidump")
    regions = os.path.join(b["folder"], "regions_x86.txt")
    with open(regions, "w") as f:   # user space of an x86 machine: below 2 GiB
        for r in w["live"]["regions"]:
            if r["state"] == "commit" and int(r["address"], 16) + r["size"] <= 0x80000000:
                f.write(f"{r['address']} {r['size']:#x} {r['protect_value']:#x}\n")
    kdump = os.path.join(b["folder"], "x86.dmp")
    subprocess.run([tool, w["minidump"], regions, kdump, str(w["pid"]), NAME, w["live"]["target"]["peb"], "--x86"],
                   capture_output=True, text=True, check=True)
    ours = pmm_json(64, "map", win(kdump), "--process", str(w["pid"]), timeout=300)
    theirs = pmm_json(64, "map", win(w["minidump"]), timeout=300)
    assert ours["target"]["bits"] == 32 and not ours["target"]["wow64"], ours["target"]
    assert int(ours["target"]["peb"], 16) == int(w["live"]["target"]["peb"], 16), (ours["target"], w["live"]["target"])
    loader = lambda d: sorted((m["base"], m["size"]) for m in d["modules"] if m["in_loader_list"])  # noqa: E731
    assert loader(ours) == loader(theirs) and len(loader(ours)) >= 4, (loader(ours), loader(theirs))
    threads = lambda d: sorted((t["tid"], t["teb"], t["stack_base"], t["stack_limit"]) for t in d["threads"])  # noqa: E731
    assert threads(ours) == threads(theirs) and threads(ours), (threads(ours), threads(theirs))
    mine = {t["tid"]: [(f["address"], f["sp"]) for f in t["frames"]]
            for t in pmm_json(64, "stacks", win(kdump), "--process", str(w["pid"]), timeout=300)["threads"]}
    want = {t["tid"]: [(f["address"], f["sp"]) for f in t["frames"]]
            for t in pmm_json(64, "stacks", win(w["minidump"]), timeout=300)["threads"] if t["bits"] == 32}
    assert mine == want and all(want.values()), (mine, want)
    rc, out, err = pmm(64, "kdump", win(kdump), "--processes", "--json")
    current = json.loads(out)["processes"]["current"]
    assert current and current["pid"] == w["pid"] and current["processor"] == 1, current
    print(f"  x86 7601: PEB, {len(loader(ours))} modules, {len(threads(ours))} threads and "
          f"{sum(map(len, want.values()))} frames as the minidump's; thread {current['tid']} running at the crash")


try:
    run_tests()
finally:
    remove()
