"""Kernel crash dumps: `pmm kdump` of every dump type the builder writes (tests/kdump, a machine with
Wine's ntoskrnl.exe, hal.dll and ndis.sys as drivers) against kdmp-parser, an independent reader
(../shared/oracles/kdmp-parser, built here natively), and against what the builder placed: the dump
type, every context register, the bug check, the checksum of every physical page, translations,
every byte `--virtual` prints, the reasons for what it cannot print, and the module list."""
import atexit
import json
import os
import re
import shutil
import subprocess
import tempfile

from kdmp_oracle import oracle, win
from pmmtest import BUILD, WINE_PE_FOLDERS as WINE_DLLS, Skip, pmm, run_tests, test

DRIVERS = ("ntoskrnl.exe", "hal.dll", "ndis.sys")
VIRTUAL_STATUS = {"present": "present", "transition": "transition", "zero_entry": "zero_entry",
                  "demand_zero": "demand_zero", "page_file": "page_file", "prototype": "prototype",
                  "table_not_in_dump": "table_not_in_dump", "page_not_in_dump": "present"}

_built = {}


def dumps():
    """Builds the dumps once: (folder, truth)."""
    if "dir" not in _built:
        tool = os.path.join(BUILD, "native", "tests", "unit", "kdump_build")
        if not os.path.exists(tool):
            raise Skip(f"{tool} is not built (tools/build.sh native)")
        folder = tempfile.mkdtemp(prefix="pmm_kdump_")
        atexit.register(shutil.rmtree, folder, True)   # the dumps go with the script, passed or failed
        args = [tool, folder]
        for bits, flag in ((64, "--driver64"), (32, "--driver32")):
            for name in DRIVERS:
                path = os.path.join(WINE_DLLS[bits], name)
                if os.path.exists(path):
                    args += [flag, path]
        subprocess.run(args, check=True)
        with open(os.path.join(folder, "truth.json")) as f:
            _built["dir"], _built["truth"] = folder, json.load(f)
    return _built["dir"], _built["truth"]


def pmm_kdump(path, *args):
    rc, out, err = pmm(64, "kdump", win(path), "--json", *args, timeout=300)
    assert rc == 0, f"pmm kdump {path} failed ({rc}): {err.strip()}"
    return json.loads(out)


def each_dump(bits=None):
    folder, truth = dumps()
    for d in truth["dumps"]:
        if bits is None or d["bits"] == bits:
            yield os.path.join(folder, d["file"]), d


@test
def agrees_with_kdmp_parser():
    exe = oracle()
    compared = dumps_compared = 0
    for path, truth in each_dump(64):
        addresses = [c["address"] for c in truth["checks"]]
        got = subprocess.run([exe, path] + addresses, capture_output=True, text=True)
        if truth["type"] == 2:   # a 64-bit kernel summary dump: kdmp-parser does not read the type
            assert got.returncode != 0, "kdmp-parser read a type it does not support"
            continue
        assert got.returncode == 0, f"kdmp-parser failed on {path}: {got.stderr.strip()}"
        ref = json.loads(got.stdout)
        ours = pmm_kdump(path, "--page-hashes", "--translate", ",".join(addresses))
        where = truth["file"]
        assert ours["header"]["dump_type"] == ref["dump_type"] == truth["type"], where
        assert int(ours["header"]["directory_table_base"], 16) == int(ref["dtb"], 16), where
        compared += 2
        for reg, value in ref["context"].items():
            mine = ours["context"][reg]
            assert (int(mine, 16) if isinstance(mine, str) else mine) == \
                (int(value, 16) if isinstance(value, str) else value), f"{where}: {reg} {mine} != {value}"
            compared += 1
        assert ours["bugcheck"]["code"] == ref["bugcheck"]["code"], where
        assert [int(p, 16) for p in ours["bugcheck"]["parameters"]] == \
            [int(p, 16) for p in ref["bugcheck"]["parameters"]], where
        compared += 5
        pages_ours = {int(p["address"], 16): p["hash"] for p in ours["page_hashes"]}
        pages_ref = {int(p["address"], 16): p["hash"] for p in ref["pages"]}
        assert pages_ours.keys() == pages_ref.keys(), \
            f"{where}: pages only pmm has {sorted(pages_ours.keys() - pages_ref.keys())[:5]}, " \
            f"only kdmp-parser has {sorted(pages_ref.keys() - pages_ours.keys())[:5]}"
        bad = [hex(a) for a in pages_ref if int(pages_ours[a], 16) != int(pages_ref[a], 16)]
        assert not bad, f"{where}: {len(bad)} pages differ, e.g. {bad[:5]}"
        assert len(pages_ref) == truth["present_pages"], where
        compared += len(pages_ref)
        for check, mine, theirs in zip(truth["checks"], ours["translations"], ref["translations"]):
            label = f"{where} {check['what']} {check['address']}"
            if theirs["physical"] is not None:
                assert mine["status"] == "present", f"{label}: pmm says {mine['status']}"
                assert int(mine["physical"], 16) == int(theirs["physical"], 16), label
            elif check["expect"] == "transition":
                # kdmp-parser follows valid entries only; the builder's truth says where the page is.
                assert mine["status"] == "transition", label
                assert int(mine["physical"], 16) == int(check["physical"], 16), label
            else:
                assert mine["status"] not in ("present", "transition"), f"{label}: pmm says {mine['status']}"
            compared += 1
        dumps_compared += 1
    assert dumps_compared == 7, f"only {dumps_compared} dumps were compared"
    print(f"  {dumps_compared} dumps, {compared} facts agree with kdmp-parser")


@test
def virtual_bytes_are_what_the_builder_placed():
    printed = absent = 0
    for path, truth in each_dump():
        pages = [c for c in truth["checks"]]
        starts = ",".join(hex(int(c["address"], 16) & ~0xFFF) for c in pages)
        ours = pmm_kdump(path, "--virtual", starts, "--size", "4096")
        for check, read in zip(pages, ours["reads"]):
            label = f"{truth['file']} {check['what']}"
            assert len(read["chunks"]) == 1, label
            chunk = read["chunks"][0]
            if check["expect"] in ("present", "transition"):
                assert chunk.get("data") == check["page"], f"{label}: bytes differ"
                printed += 4096
            else:
                assert "data" not in chunk, f"{label}: printed bytes the dump does not hold"
                assert chunk["status"] == VIRTUAL_STATUS[check["expect"]], f"{label}: {chunk['status']}"
                assert chunk["absent"], label
                absent += 1
    print(f"  {printed} bytes printed equal the builder's, {absent} pages reported absent with their reason")


@test
def header_modules_and_os_version_match_the_builder():
    for path, truth in each_dump():
        ours = pmm_kdump(path)
        where = truth["file"]
        h = ours["header"]
        assert h["bits"] == truth["bits"] and h["dump_type"] == truth["type"], where
        assert int(h["directory_table_base"], 16) == int(truth["dtb"], 16), where
        assert h["minor_version"] == truth["build"], where
        assert h["paging"] == truth["paging"], where
        assert ours["os_version"] == truth["os"], f"{where}: {ours['os_version']}"
        assert ours["bugcheck"]["name"] == "DRIVER_IRQL_NOT_LESS_OR_EQUAL", where
        assert [int(p, 16) for p in ours["bugcheck"]["parameters"]] == \
            [int(p, 16) for p in truth["bugcheck"]["parameters"]], where
        regs = ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13",
                "r14", "r15"] if truth["bits"] == 64 else ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"]
        assert [int(ours["context"][r], 16) for r in regs] == [int(v, 16) for v in truth["gpr"]], where
        assert ours["physical_memory"]["present_pages"] == truth["present_pages"], where
        assert ours["warnings"] == [], f"{where}: {ours['warnings']}"
        mods = [(int(m["base"], 16), m["size"], int(m["entry_point"], 16), m["name"], m["path"])
                for m in ours["modules"]]
        want = [(int(m["base"], 16), m["size"], int(m["entry_point"], 16), m["name"], m["path"])
                for m in truth["modules"]]
        assert mods == want, f"{where}: {mods} != {want}"


@test
def text_output_names_the_bug_check_and_walks():
    path, truth = next(each_dump(64))
    check = next(c for c in truth["checks"] if c["expect"] == "page_file")
    rc, out, err = pmm(64, "kdump", win(path), "--translate", check["address"], "--virtual", check["address"],
                       "--size", "64")
    assert rc == 0, err
    assert "Bug check 0xD1 DRIVER_IRQL_NOT_LESS_OR_EQUAL" in out, out[:2000]
    assert "PML4E" in out and "PTE" in out, out
    assert "paged out to page file 2 at offset 0x1234000" in out, out
    assert "not in the dump: paged out" in out, out
    assert "Kernel modules (3" in out, out


OBJDUMP = {64: "x86_64-w64-mingw32-objdump", 32: "i686-w64-mingw32-objdump"}
EAT_LINE = re.compile(r"^\t\[\s*(\d+)\] \+base\[\s*(\d+)\] ([0-9a-f]+) (Export|Forwarder) RVA")
NAME_LINE = re.compile(r"^\t\[\s*(\d+)\] (.*)$")


def objdump_exports(bits, path):
    """{name: rva} of the named exports objdump lists for a PE file (forwarders left out)."""
    if not shutil.which(OBJDUMP[bits]):
        raise Skip(f"{OBJDUMP[bits]} is not installed (binutils-mingw-w64)")
    text = subprocess.run([OBJDUMP[bits], "-p", path], capture_output=True, text=True, errors="replace").stdout
    eat, names, mode = {}, [], None
    for line in text.splitlines():
        if line.startswith("Export Address Table -- Ordinal Base"):
            mode = "eat"
        elif line.startswith("[Ordinal/Name Pointer] Table"):
            mode = "names"
        elif not line.startswith("\t"):
            mode = None if line.strip() else mode
        elif mode == "eat" and EAT_LINE.match(line):
            m = EAT_LINE.match(line)
            if m.group(4) == "Export":
                eat[int(m.group(1))] = int(m.group(3), 16)
        elif mode == "names" and NAME_LINE.match(line):
            m = NAME_LINE.match(line)
            names.append((int(m.group(1)), m.group(2)))
    return {name: eat[index] for index, name in names if index in eat}


@test
def drivers_in_the_dump_read_like_their_files():
    """pmm exports of a kernel dump lists each driver's exports as objdump reads them from the file the
    builder placed; pmm pe DUMP:ADDRESS reads the image as pmm pe reads the file (sections, entry point)."""
    compared = 0
    for path, truth in each_dump():
        if truth["type"] not in (1, 5):
            continue
        placed = [m for m in truth["modules"] if m["file"]]
        if not placed:
            raise Skip("Wine's ntoskrnl.exe, hal.dll and ndis.sys were not found to place as drivers")
        ours = pmm_kdump_exports(path)
        by_base = {int(m["base"], 16): m for m in ours["modules"]}
        for m in placed:
            mine = by_base[int(m["base"], 16)]
            got = {e["name"]: int(e["rva"], 16) for e in mine["exports"] if "name" in e and "address" in e}
            want = objdump_exports(truth["bits"], m["file"])
            assert got == want, f"{truth['file']} {m['name']}: {len(got)} exports, objdump {len(want)}; " \
                f"e.g. {sorted(set(got.items()) ^ set(want.items()))[:3]}"
            compared += len(want)
            image = pmm_pe(f"{win(path)}:{m['base']}")
            file = pmm_pe(win(m["file"]))
            assert image["layout"] == "image" and file["layout"] == "file", truth["file"]
            # Long section names (/4, /19...) resolve through the COFF string table, which is in the
            # file but never mapped: the dump names the driver \SystemRoot\..., no file here, so the
            # image keeps the /N form and says why.
            assert len(image["sections"]) == len(file["sections"]), f"{truth['file']} {m['name']}"
            kept = image["long_names"]
            for a, b in zip(image["sections"], file["sections"]):
                assert (a["virtual_address"], a["virtual_size"]) == (b["virtual_address"], b["virtual_size"]), a
                assert a["name"] == b["name"] or (re.fullmatch(r"/[0-9]+", a["name"]) and kept["status"] ==
                                                  "file_not_found" and kept["reason"]), (a["name"], b["name"], kept)
            assert image["headers"]["entry_point"] == file["headers"]["entry_point"], m["name"]
    print(f"  {compared} driver exports agree with objdump")


def pmm_kdump_exports(path):
    rc, out, err = pmm(64, "exports", win(path), "--json", timeout=300)
    assert rc == 0, f"pmm exports {path} failed ({rc}): {err.strip()}"
    return json.loads(out)


def pmm_pe(spec):
    rc, out, err = pmm(64, "pe", spec, "--json", timeout=300)
    assert rc == 0, f"pmm pe {spec} failed ({rc}): {err.strip()}"
    return json.loads(out)


def patched(data, *edits):
    out = bytearray(data)
    for offset, value in edits:
        out[offset:offset + len(value)] = value
    return bytes(out)


@test
def hostile_files_give_a_clear_message():
    import struct
    import time
    folder, truth = dumps()
    full = open(os.path.join(folder, "x64_type1.dmp"), "rb").read()
    bitmap = open(os.path.join(folder, "x64_type5.dmp"), "rb").read()
    rdmp = open(os.path.join(folder, "x64_type8.dmp"), "rb").read()
    first_run = struct.unpack_from("<Q", full, 0x98)[0]
    cases = [
        ("truncated header", full[:0x1800], "ends inside the 8192-byte header"),
        ("truncated pages", full[:len(full) - 0x3000], "past the end of the file"),
        ("run count 0xFFFFFFFF", patched(full, (0x88, b"\xff\xff\xff\xff")), "claims 4294967295 physical memory runs"),
        ("overlapping runs", patched(full, (0xA8, struct.pack("<Q", first_run + 3))), "overlapping runs"),
        ("bitmap past the end", patched(bitmap, (0x2030, struct.pack("<Q", len(bitmap) * 8 + 64))),
         "past the end of the file"),
        ("bitmap marks too many pages", patched(bitmap, (0x2038, b"\xff" * 0x200)), "the file holds only"),
        ("RDMP sizes disagree", patched(rdmp, (0x2010, struct.pack("<Q", 0x30))), "disagree"),
        ("32-bit signature, 64-bit fields", patched(full, (4, b"DUMP")),
         "32-bit signature (PAGEDUMP) but its fields are laid out as in a 64-bit header"),
        ("not a dump", b"PAGEDU6" + b"\0" * 100, "not a kernel dump"),
    ]
    for name, data, want in cases:
        path = os.path.join(folder, "hostile.dmp")
        with open(path, "wb") as f:
            f.write(data)
        started = time.time()
        rc, out, err = pmm(64, "kdump", win(path), timeout=60)
        assert rc == 1, f"{name}: exit {rc}, {err.strip()}"
        assert want in err and err.startswith("pmm: "), f"{name}: {err.strip()}"
        assert out == "", f"{name}: printed output for a dump it refused"
        assert time.time() - started < 30, name
    print(f"  {len(cases)} hostile files refused, each with its reason")


@test
def processes_match_the_builder():
    """`pmm kdump --processes` of every dump: each process the builder placed, every field the
    offsets give, with offsets from the table or, for the build it lacks, inferred and said so."""
    compared = dumps_compared = currents = 0
    for path, truth in each_dump():
        ours = pmm_kdump(path, "--processes")["processes"]
        where = truth["file"]
        assert ours["problem"] is None, f"{where}: {ours['problem']}"
        assert ours["offsets"]["origin"] == ("inferred" if truth["unlisted_build"] else "table"), where
        # A build the tables lack, whose scene lays no ETHREADs or VAD trees: thread and VAD offsets
        # are tried by validation and said not inferred, with why; the others come from the tables.
        for key in ("thread_offsets", "vad_offsets"):
            got = ours[key]
            if truth["unlisted_build"]:
                assert got["origin"] == "none" and " offsets not inferred: " in got["inference"], (where, got)
            else:
                assert got["origin"] == "table" and got["inference"] is None, (where, got)
        want = truth["processes"]
        assert [p["pid"] for p in ours["list"]] == [p["pid"] for p in want], where
        for mine, placed in zip(ours["list"], want):
            label = f"{where} pid {placed['pid']}"
            assert mine["name"] == placed["name"], label
            assert mine["parent_pid"] == placed["parent_pid"], label
            assert int(mine["directory_table_base"], 16) == int(placed["directory_table_base"], 16), label
            assert int(mine["eprocess"], 16) == int(placed["eprocess"], 16), label
            compared += 5
            if truth["unlisted_build"]:
                assert mine["peb"] is None and mine["create_time"] is None and mine["threads"] is None, label
                continue
            assert int(mine["peb"], 16) == int(placed["peb"], 16), label
            assert mine["create_time"] == placed["create_time"] and mine["threads"] == placed["threads"], label
            if truth["bits"] == 64:
                assert mine["wow64"] == bool(placed["wow64"]), label
                peb32 = int(mine["peb32"], 16) if mine["peb32"] else 0
                assert peb32 == (int(placed["peb32"], 16) if placed["wow64"] else 0), label
            compared += 4
        crashed = truth["current"]
        if crashed:   # the thread running at the crash: found, and its process marked
            mine = ours["current"]
            assert mine and (mine["pid"], mine["tid"], mine["processor"]) == \
                (crashed["pid"], crashed["tid"], crashed["processor"]), (where, mine, ours["current_problem"])
            assert int(mine["ethread"], 16) == int(crashed["ethread"], 16) and "KPRCB" in mine["how"], where
            currents += 1
        else:
            assert ours.get("current") is None, (where, ours.get("current"))
        assert [p["pid"] for p in ours["list"] if p.get("current")] == ([crashed["pid"]] if crashed else []), where
        dumps_compared += 1
    rc, out, err = pmm(64, "kdump", win(path), "--processes")
    assert rc == 0 and "Processes (" in out and "notepad.exe" in out and "offsets inferred" in out, (rc, err)
    assert "crashed here: not known" in out, out
    path64 = next(p for p, t in each_dump(64) if not t["unlisted_build"])
    rc, out, err = pmm(64, "kdump", win(path64), "--processes")
    assert rc == 0 and "* crashed here: thread 4700" in out and "*     4660" in out, out
    print(f"  {dumps_compared} dumps, {compared} process fields equal the builder's; the crash thread of "
          f"{currents} found as the builder placed it")


@test
def map_of_a_kernel_dump_asks_for_a_process():
    path, _ = next(each_dump(64))
    rc, out, err = pmm(64, "map", win(path))
    assert rc == 1, (rc, out, err)
    assert "kernel crash dump" in err and "process" in err and "pmm kdump" in err, err


run_tests()
