"""Our own full minidump of a live test target, opened by two independent readers: lldb (`lldb
--batch --core`) and winedump. lldb must see the target's threads (count and ids, as `pmm map PID`
lists them live), its registers as our dump reader decodes them, the module list (names and base
addresses) that winedump and `pmm minidump` list, and the marker strings pmm_target_markers
planted, read back at their addresses with `memory read`.

lldb is run as a command-line program, not through its Python module: in Debian 12's
python3-lldb-14 the link lldb/_lldb.cpython-311-x86_64-linux-gnu.so points one directory too far up
(to /usr/lib/lib/liblldb.so, which no package ships, liblldb-14-dev included), so `import lldb`
fails under /usr/bin/python3 with PYTHONPATH=/usr/lib/llvm-14/lib/python3.11/dist-packages, and
lldb's embedded interpreter prints tracebacks at start (filtered out below); its commands work.

What lldb 14 cannot do with Windows minidumps (checked below, and found with dbghelp's dumps
as well, so it is lldb's reader, not our file): a `memory read` never continues from one
memory descriptor into the next, even when they are adjacent, so bytes across a region boundary
come back only up to the boundary ("Not all bytes (12/32) were able to be read").
"""
import os
import re
import shutil
import subprocess
import tempfile

from pmmtest import Skip, Target, addr, pmm, pmm_json, run_tests, test

TMP = tempfile.mkdtemp(prefix="pmm_lldb_test_")
NOISE = ("Traceback", 'File "<string>"', "NameError", "ModuleNotFoundError", "ImportError")


def winpath(path):
    return "Z:" + path.replace("/", "\\")


def lldb(core, *commands):
    """Output of lldb --batch on the core file with these commands (one -o each)."""
    exe = shutil.which("lldb")
    if not exe:
        raise Skip("lldb is not installed (tools/install-deps.sh installs lldb and python3-lldb-14)")
    cmd = [exe, "--batch", "--no-lldbinit", "--core", core]
    for c in commands:
        cmd += ["-o", c]
    r = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=300,
                       env={**os.environ, "PYTHONPATH": "/usr/lib/llvm-14/lib/python3.11/dist-packages"})
    text = "\n".join(line for line in (r.stdout + r.stderr).splitlines() if not line.lstrip().startswith(NOISE))
    assert "was loaded" in text, f"lldb did not load {core}:\n{text}"
    return text


def lldb_threads(text):
    return [int(m.group(1), 16) for m in re.finditer(r"thread #\d+: tid = (0x[0-9a-f]+)", text)]


def lldb_modules(text):
    """(base, path) of each `image list` line: [  0] UUID? 0xBASE PATH"""
    mods = []
    for line in text.splitlines():
        m = re.match(r"\[\s*\d+\]\s+(?:\S+\s+)?0x([0-9a-f]+)\s+(.+?)\s*$", line)
        if m:
            mods.append((int(m.group(1), 16), m.group(2)))
    return mods


def lldb_bytes(text, address):
    """The bytes a `memory read` printed from address on (its hex columns, in order)."""
    out = bytearray()
    expected = address
    for line in text.splitlines():
        m = re.match(r"^0x([0-9a-f]+): ((?:[0-9a-f]{2} )+)", line)
        if m and int(m.group(1), 16) == expected:
            chunk = bytes(int(b, 16) for b in m.group(2).split())
            out += chunk
            expected += len(chunk)
    return bytes(out)


def read_memory(core, address, size):
    """The bytes lldb read: as many as its "Not all bytes (N/M)" warning says it got, else all."""
    text = lldb(core, f"memory read --force -c {size} 0x{address:x}")
    short = re.search(r"Not all bytes \((\d+)/\d+\)", text)
    data = lldb_bytes(text, address)
    return data[:int(short.group(1))] if short else data[:size]


def winedump_text(path):
    if not shutil.which("winedump"):
        raise Skip("winedump is not installed (package wine64-tools)")
    r = subprocess.run(["winedump", "dump", path], capture_output=True, text=True, errors="replace")
    assert r.returncode == 0 and "Done dumping" in r.stdout, f"winedump failed on {path}: {r.stderr}"
    return r.stdout


def winedump_modules(text):
    mods, base = [], None
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("BaseOfImage:"):
            base = int(s.split()[1], 16)
        elif s.startswith("ModuleName:") and base is not None:
            mods.append((base, s[len('ModuleName: L"'):-1].replace("\\\\", "\\")))
            base = None
    return mods


def write_dump(bits, target, name):
    path = os.path.join(TMP, name)
    rc, o, e = pmm(bits, "dump", target.pid, "--format", "minidump", winpath(path), timeout=300)
    assert rc == 0, f"pmm dump: exit {rc}: {e.strip()}"
    return path


def check_threads_and_modules(bits, t, live, path):
    """lldb's threads = the live process's, its modules = winedump's = ours, registers = ours."""
    text = lldb(path, "thread list", "image list")
    tids = lldb_threads(text)
    live_tids = [th["tid"] for th in live["threads"]]
    assert sorted(tids) == sorted(live_tids), f"lldb threads {tids} != live threads {live_tids}"
    theirs = lldb_modules(text)
    wd = winedump_modules(winedump_text(path))
    md = pmm_json(64, "minidump", winpath(path))
    ours = [(addr(m["base"]), m["path"]) for m in md["modules"]]
    assert theirs == wd == ours, f"modules differ:\n lldb     {theirs}\n winedump {wd}\n ours     {ours}"
    live_mods = sorted((addr(m["base"]), m["path"].lower()) for m in live["modules"] if not m["header_only"])
    assert sorted((b, p.lower()) for b, p in theirs) == live_mods, "lldb's modules differ from the live map's"
    assert ours[0][1].lower() == live["target"]["path"].lower(), "the executable is not the first module"
    # Registers: lldb's view of each thread equals what our reader decodes from the same bytes.
    regs = ("rip", "rsp") if md["system_info"]["cpu"] == "x64" else ("eip", "esp")
    commands = []
    for i in range(len(tids)):
        commands += [f"thread select {i + 1}", "register read " + " ".join(regs)]
    text = lldb(path, *commands)
    got = {}
    current = None
    for line in text.splitlines():
        m = re.match(r"\(lldb\) thread select (\d+)", line)   # the echo (stdout); the answer goes to stderr
        if m:
            current = tids[int(m.group(1)) - 1]   # `thread list` order
        m = re.match(r"\s*(\w+) = (0x[0-9a-f]+)", line)
        if m and current is not None:
            got.setdefault(current, {})[m.group(1)] = int(m.group(2), 16)
    for th in md["threads"]:
        ctx = th["context"]
        want = {regs[0]: addr(ctx["ip"]), regs[1]: addr(ctx["sp"])}
        assert got.get(th["tid"]) == want, f"thread {th['tid']}: lldb {got.get(th['tid'])} != ours {want}"
    print(f"  {bits}-bit: {len(tids)} threads, {len(theirs)} modules and their {'/'.join(regs)} agree "
          f"(lldb, winedump, pmm)")


@test
def lldb_reads_threads_modules_and_registers():
    with Target(64, "pmm_target_basic.exe") as t:
        live = pmm_json(64, "map", t.pid)
        path = write_dump(64, t, "basic.dmp")
        reported = {t.info["main_thread"]["tid"], t.info["parked_thread"]} | {th["tid"] for th in t.info["threads"]}
    assert reported <= {th["tid"] for th in live["threads"]}
    check_threads_and_modules(64, t, live, path)


@test
def lldb_reads_the_markers_at_their_addresses():
    with Target(64, "pmm_target_markers.exe") as t:
        live = pmm_json(64, "map", t.pid)
        path = write_dump(64, t, "markers.dmp")
        info = t.info
        inside = [x for x in info["markers"] if x["name"] == "inside_page"][0]
        selected = os.path.join(TMP, "markers_selected.dmp")   # MemoryList instead of Memory64List
        rc, o, e = pmm(64, "dump", t.pid, "--format", "minidump", winpath(selected), "--regions", inside["address"])
        assert rc == 0, e
        theirs = os.path.join(TMP, "markers_dbghelp.dmp")   # the same process by dbghelp, for comparison
        rc, o, e = pmm(64, "dump", t.pid, "--format", "minidump", winpath(theirs), "--dbghelp", "MiniDumpWithFullMemory",
                       timeout=300)
        assert rc == 0, e
    assert f'"{inside["text"]}"' in lldb(selected, f"x/s {inside['address']}"), "lldb cannot read a MemoryList dump"
    assert lldb_threads(lldb(path, "thread list")) == [th["tid"] for th in live["threads"]]
    commands, wanted = [], []
    for m in info["markers"]:
        if m["kind"] == "ansi":
            data = m["text"].encode()
        elif m["kind"] == "utf16":
            data = m["text"].encode("utf-16-le")
        elif m["kind"] in ("int32", "int64"):
            data = int(m["value"], 16).to_bytes(4 if m["kind"] == "int32" else 8, "little")
        else:
            continue
        if m["name"] == "across_region":
            continue   # below: lldb stops at the end of a memory descriptor
        commands.append(f"memory read --force -c {len(data)} {m['address']}")
        wanted.append((m, data))
    text = lldb(path, *commands)
    for m, data in wanted:
        got = lldb_bytes(text, addr(m["address"]))
        assert got[:len(data)] == data, f"{m['name']} at {m['address']}: lldb read {got!r}, want {data!r}"
    # Strings lldb itself decodes.
    text = lldb(path, *[f"x/s {m['address']}" for m in info["markers"] if m["kind"] == "ansi"])
    for m in info["markers"]:
        if m["kind"] == "ansi":
            assert f'"{m["text"]}"' in text, f"lldb x/s does not show {m['text']}"
    # The marker across two adjacent allocations: one memory descriptor each.
    m = [x for x in info["markers"] if x["name"] == "across_region"][0]
    data, at = m["text"].encode(), addr(m["address"])
    boundary = (at + 0xFFFF) & ~0xFFFF
    first = read_memory(path, at, len(data))
    rest = read_memory(path, boundary, at + len(data) - boundary)
    assert first == data[:len(first)] and len(first) >= boundary - at, f"lldb read {first!r} at {m['address']}"
    assert rest == data[boundary - at:], f"bytes after the region boundary: {rest!r}"
    dbghelp_first = read_memory(theirs, at, len(data))
    if first[:len(data)] == data:
        print("  lldb read the marker across two memory descriptors in one go")
    else:
        assert dbghelp_first == first, f"lldb reads dbghelp's dump differently: {dbghelp_first!r} vs ours {first!r}"
        print(f"  lldb limitation: `memory read` of {len(data)} bytes at {m['address']} stops after "
              f"{len(first)} bytes, at the end of the memory descriptor (lldb 14 never reads into the next "
              "descriptor; it reads dbghelp's dump of the same process the same way); both halves read back "
              "separately")
    wd = winedump_text(path)
    assert f"ThreadId: {live['threads'][0]['tid']}\n" in wd
    print(f"  {len(wanted) + 1} markers read back through lldb (Memory64List; and one from a MemoryList dump); "
          "winedump reads the dump")


@test
def lldb_reads_32_bit_dumps():
    with Target(32, "pmm_target_markers.exe") as t:
        live = pmm_json(32, "map", t.pid)
        native = write_dump(32, t, "markers32.dmp")
        wow = write_dump(64, t, "markers32_by_64.dmp")
        info = t.info
    check_threads_and_modules(32, t, live, native)
    m = [x for x in info["markers"] if x["name"] == "inside_page"][0]
    for path in (native, wow):
        got = read_memory(path, addr(m["address"]), len(m["text"]))
        assert got == m["text"].encode(), f"{os.path.basename(path)}: lldb read {got!r}"
    print("  the 32-bit tool's x86 dump and the 64-bit tool's dump of the same WOW64 process both read in lldb")


if __name__ == "__main__":
    try:
        run_tests()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
