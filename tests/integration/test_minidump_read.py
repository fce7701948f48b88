"""Reading minidumps: `pmm minidump --json` agrees with winedump (an independent reader) on every
real Windows dump in the fixtures (threads, modules, memory ranges, exception, system and process
info); broken dumps and a Linux dump give a clear message; `pmm map` works on a dump."""
import json
import os
import re
import shutil
import subprocess
import tempfile

from pmmtest import FIXTURES, Skip, pmm, run_tests, test

WINDOWS_DUMPS = os.path.join(FIXTURES, "minidump", "windows")
INVALID_DUMPS = os.path.join(FIXTURES, "minidump", "invalid")
LINUX_DUMP = os.path.join(FIXTURES, "minidump", "other", "linux-mini.dmp")


def fixture_files(folder):
    if not os.path.isdir(folder):
        raise Skip(f"{folder} not found")
    return sorted(os.path.join(folder, n) for n in os.listdir(folder) if not n.startswith("."))


def winedump(path):
    """The streams winedump prints, as plain values: {'threads': [...], 'modules': [...], ...}."""
    if not shutil.which("winedump"):
        raise Skip("winedump is not installed (package wine64-tools)")
    text = subprocess.run(["winedump", "dump", path], capture_output=True, text=True, errors="replace",
                          check=True).stdout
    out = {"threads": [], "modules": [], "ranges": [], "exception": None, "cpus": None, "platform": None,
           "pid": None}
    section = None
    for line in text.splitlines():
        m = re.match(r"Stream \[\d+\]: (\w[\w ]*)", line)
        if m:
            section = m.group(1).strip()
            if section.startswith("Exception"):
                out["exception"] = {}
            continue
        s = line.strip()
        if s.startswith("Thread: #"):
            out["threads"].append({})
        elif s.startswith("ThreadId:") and section == "Threads":
            out["threads"][-1]["tid"] = int(s.split()[1], 0)
        elif s.startswith("Teb:") and section == "Threads":
            out["threads"][-1]["teb"] = int(s.split()[1], 16)
        elif s.startswith("Stack:") and section == "Threads":
            lo, hi = s.split()[1].split("-")
            out["threads"][-1]["stack"] = (int(lo, 16), int(hi, 16) - int(lo, 16))
        elif s.startswith("Module #"):
            out["modules"].append({})
        elif s.startswith("BaseOfImage:"):
            out["modules"][-1]["base"] = int(s.split()[1], 16)
        elif s.startswith("SizeOfImage:"):
            out["modules"][-1]["size"] = int(s.split()[1])
        elif s.startswith("ModuleName:"):
            out["modules"][-1]["path"] = s[len('ModuleName: L"'):-1].replace("\\\\", "\\")
        elif s.startswith("Range:") and section.startswith("Memory"):
            lo, hi = s.split()[1].split("-")
            out["ranges"].append((int(lo, 16), int(hi, 16) - int(lo, 16)))
        elif section == "Exception" and ":" in s:
            key, value = [p.strip() for p in s.split(":", 1)]
            if key in ("ThreadId", "ExceptionCode", "ExceptionAddress", "ExceptionFlags") and value:
                out["exception"].setdefault(key, int(value, 16))
        elif s.startswith("Processor:"):
            out["cpus"] = int(re.search(r"#(\d+) CPUs", s).group(1))
        elif s.startswith("PlatformId:"):
            out["platform"] = int(s.split()[1])
        elif s.startswith("ProcessId:"):
            out["pid"] = int(s.split()[1])
    return out


def pmm_minidump_json(path, bits=64):
    rc, out, err = pmm(bits, "minidump", path, "--json")
    assert rc == 0, f"pmm minidump {path}: exit {rc}: {err.strip()}"
    return json.loads(out)


def compare_with_winedump(path, bits=64):
    ours, theirs = pmm_minidump_json(path, bits), winedump(path)
    name = os.path.basename(path)
    got = [(t["tid"], int(t["teb"], 16), (int(t["stack_address"], 16), t["stack_size"])) for t in ours["threads"]]
    want = [(t["tid"], t["teb"], t["stack"]) for t in theirs["threads"]]
    assert got == want, f"{name}: threads differ:\n ours   {got}\n theirs {want}"
    got = [(int(m["base"], 16), m["size"], m["path"]) for m in ours["modules"]]
    want = [(m["base"], m["size"], m["path"]) for m in theirs["modules"]]
    assert got == want, f"{name}: modules differ:\n ours   {got}\n theirs {want}"
    got = [(int(r["address"], 16), r["size"]) for r in ours.get("memory", [])]
    assert got == theirs["ranges"], f"{name}: memory ranges differ"
    exc, theirs_exc = ours["exception"], theirs["exception"]
    assert exc["thread_id"] == theirs_exc["ThreadId"], f"{name}: exception thread"
    assert int(exc["code"], 16) == theirs_exc["ExceptionCode"], f"{name}: exception code"
    assert int(exc["address"], 16) == theirs_exc["ExceptionAddress"], f"{name}: exception address"
    assert exc["context"] is not None, f"{name}: the faulting thread's context was not decoded"
    assert ours["system_info"]["processor_count"] == theirs["cpus"], f"{name}: CPU count"
    assert ours["system_info"]["platform_id"] == theirs["platform"], f"{name}: platform"
    assert ours["misc_info"]["pid"] == theirs["pid"], f"{name}: pid"
    assert ours["errors"] == [], f"{name}: streams reported damaged: {ours['errors']}"
    return len(want)


@test
def every_windows_dump_agrees_with_winedump():
    files = fixture_files(WINDOWS_DUMPS)
    for path in files:
        compare_with_winedump(path)
    print(f"  {len(files)} dumps: threads, modules, memory ranges, exception, system and pid agree")


@test
def the_32_bit_tool_reads_a_64_bit_dump():
    path = os.path.join(WINDOWS_DUMPS, "tiny-exe-fastfail.dmp")
    if not os.path.exists(path):
        raise Skip(f"{path} not found")
    compare_with_winedump(path, bits=32)


@test
def inspector_text_shows_the_exception_and_registers():
    path = os.path.join(WINDOWS_DUMPS, "ascii_read_av.dmp")
    if not os.path.exists(path):
        raise Skip(f"{path} not found")
    rc, out, err = pmm(64, "minidump", path)
    assert rc == 0, err
    for expected in ("STATUS_ACCESS_VIOLATION (0xc0000005) at 00D6A6CD", "read of address 0x41414141",
                     "eip 00D6A6CD", "D:\\crashme\\Debug\\crashme.exe", "pdb wntdll.pdb",
                     "BreakpadInfo", "Threads (2)", "Modules (26)"):
        assert expected in out, f"missing {expected!r} in the text output"


@test
def broken_dumps_fail_clearly():
    for path in fixture_files(INVALID_DUMPS):
        for command in ("minidump", "map"):
            rc, out, err = pmm(64, command, path)
            assert rc == 1, f"pmm {command} {path}: exit {rc}"
            assert err.startswith("pmm: ") and os.path.basename(path) in err, f"unclear message: {err!r}"
            print(f"  {command}: {err.strip()}")


@test
def linux_dump_says_it_is_not_windows():
    if not os.path.exists(LINUX_DUMP):
        raise Skip(f"{LINUX_DUMP} not found")
    rc, out, err = pmm(64, "map", LINUX_DUMP)
    assert rc == 1 and "Linux" in err and "not a Windows" in err, f"exit {rc}: {err!r}"
    info = pmm_minidump_json(LINUX_DUMP)
    assert info["system_info"]["platform"] == "Linux" and not info["system_info"]["windows"]
    assert info["modules"][0]["path"] == "/work/linux/build/crash"
    assert info["modules"][0]["codeview"]["format"] == "ELF"
    assert any(s["name"] == "LinuxMaps" for s in info["streams"])


@test
def map_of_a_dump_has_its_modules_and_threads():
    path = os.path.join(WINDOWS_DUMPS, "tiny-exe-fastfail.dmp")
    if not os.path.exists(path):
        raise Skip(f"{path} not found")
    rc, out, err = pmm(64, "map", path, "--json")
    assert rc == 0, err
    m = json.loads(out)
    assert m["target"]["source"] == "minidump" and m["target"]["pid"] == 41996 and m["target"]["bits"] == 64
    theirs = winedump(path)
    bases = {int(x["base"], 16) for x in m["modules"]}
    assert bases == {x["base"] for x in theirs["modules"]}, "map modules differ from winedump's"
    tids = sorted(t["tid"] for t in m["threads"])
    assert tids == sorted(t["tid"] for t in theirs["threads"]), "map threads differ from winedump's"
    images = {int(r["address"], 16) for r in m["regions"] if r["type"] == "image"}
    assert bases <= images, "every module is an image region"



@test
def a_dump_under_a_non_ascii_path_opens():
    """Arguments reach the engine as UTF-8 (wmain), and files open through their UTF-16 names:
    Cyrillic and CJK are outside the ANSI code page, so main()'s arguments would turn them into '?'."""
    source = os.path.join(WINDOWS_DUMPS, "ascii_read_av.dmp")
    if not os.path.exists(source):
        raise Skip(f"{source} not found")
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "дамп-ダンプ", "снимок.dmp")
        os.mkdir(os.path.dirname(path))
        shutil.copy(source, path)
        for bits in (64, 32):
            rc, out, err = pmm(bits, "map", path)
            assert rc == 0, f"{bits}-bit pmm map of {path}: {err.strip()}"
            assert f"Path:     {path}" in out, out[:400]
            rc, out, err = pmm(bits, "minidump", path)
            assert rc == 0 and "Modules (26)" in out, err.strip()


run_tests()
