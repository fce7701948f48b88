"""pmm dump: our minidump of pmm_target_basic opens in winedump and in our own reader with the
target's threads, modules and memory (its known fill bytes at their addresses); dbghelp's dump
(--dbghelp) reads in winedump; each HiperDrop format holds the target's bytes at the offsets its map
file claims; the PE dump of pmm_testdll.dll parses with objdump and `pmm pe` and holds the image's
bytes; a file-size limit and a killed target fail cleanly and leave no complete-looking file."""
import json
import os
import shutil
import subprocess
import tempfile
import time

from pmmtest import Skip, Target, WINE, addr, binary, pmm, run_captured, run_tests, test, wine_env

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
    assert os.path.exists(path) and not os.path.exists(path + ".partial")
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
        assert rc == 2 and "unknown kind" in e, (rc, e)


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
            for leftover in (single, single + ".map", single + ".partial", single + ".map.partial"):
                assert not os.path.exists(leftover), f"{leftover} was left behind"
    assert not os.path.exists(path) and not os.path.exists(path + ".partial")


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
