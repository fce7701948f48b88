"""PE images in a live target, both bitnesses: `pmm exports` against what the target itself got
from GetProcAddress and against `pmm pe` of the same DLL on disk; `--find` both ways; and the map's
section, directory and entry-point annotations against the file's own headers plus the load base.

Differences that are real, not parser errors, and allowed here:
- Wine's loader zeroes export-table slots of forwarders it cannot resolve (32-bit kernel32's
  forwarders into krnl386.exe16): memory shows RVA 0 where the file has a forwarder.

Long section names ("/4" -> ".debug_info") live in the COFF string table, which is not mapped: the
map's labels and `pmm pe PID:ADDRESS` take them from the module's file when it is the same build,
and must give the names that `pmm pe FILE` and GNU objdump -h give for the file. A copy of the test
target whose DLL is replaced on disk by another build, then removed, keeps the "/N" names and says
why.
"""
import os
import re
import shutil
import subprocess

from pmmtest import BUILD, Skip, Target, addr, binary, pmm, pmm_json, run_tests, test

OBJDUMP = {64: "x86_64-w64-mingw32-objdump", 32: "i686-w64-mingw32-objdump"}
COFF_SHORT_NAME = 8   # longer section names go to the string table as "/N"

SECURITY_DIRECTORY = 4   # a file offset, never mapped: not annotated


def export_key(e, base=None):
    rva = addr(e["rva"])
    return (e["ordinal"], e.get("name"), rva, e.get("forwarder"))


def live_module(exports_doc, base):
    for m in exports_doc["modules"]:
        if addr(m["base"]) == base:
            return m
    raise AssertionError(f"no module at {base:#x} in pmm exports")


def compare_with_disk(bits, module):
    """Exports read from the target's memory equal those read from the file it was loaded from."""
    rc, out, err = pmm(bits, "pe", module["path"], "--json")
    if rc != 0:
        return f"{module['name']}: pmm pe on {module['path']} failed: {err.strip()}"
    import json
    disk = json.loads(out)
    if not disk.get("exports"):
        return None if not module["exports"] else f"{module['name']}: the file on disk has no exports"
    mine = sorted(export_key(e) for e in module["exports"])
    theirs = sorted(export_key(e) for e in disk["exports"]["items"])
    cleared = {(o, n) for o, n, rva, fwd in theirs if fwd} & {(o, n) for o, n, rva, fwd in mine if rva == 0 and not fwd}
    mine = [k for k in mine if (k[0], k[1]) not in cleared]
    theirs = [k for k in theirs if (k[0], k[1]) not in cleared]
    if cleared:
        print(f"  {module['name']}: {len(cleared)} unresolvable forwarders cleared by the loader in memory")
    if mine != theirs:
        diff = sorted(set(mine) ^ set(theirs))[:3]
        return f"{module['name']}: {len(mine)} exports in memory, {len(theirs)} on disk; e.g. {diff}"
    return None


def check_target_dll(bits, target, exports_doc):
    dll = target.info["dll"]
    base = addr(dll["base"])
    module = live_module(exports_doc, base)
    by_ordinal = {e["ordinal"]: e for e in module["exports"]}
    for want in dll["exports"]:
        got = by_ordinal.get(want["ordinal"])
        assert got, f"ordinal {want['ordinal']} missing from pmm exports"
        assert got.get("name") == want["name"], f"ordinal {want['ordinal']}: {got.get('name')} != {want['name']}"
        assert addr(got["address"]) == addr(want["address"]), f"{want['name']}: {got['address']} != {want['address']}"
    assert 6 not in by_ordinal, "the hole at ordinal 6 must not be listed"
    data = [e for e in module["exports"] if e.get("name") == "pmm_test_data"]
    assert data and data[0]["data"], "pmm_test_data is a data export"
    return module


def check_find(bits, pid, dll):
    exports = {e["name"]: addr(e["address"]) for e in dll["exports"] if e["name"]}
    f2 = exports["pmm_test_f2"]
    found = pmm_json(bits, "exports", pid, "--find", hex(f2 + 4))
    texts = [m["text"] for m in found["matches"]]
    assert texts == ["pmm_testdll.dll!pmm_test_f2+0x4"], f"--find {f2 + 4:#x}: {texts}"
    noname = next(addr(e["address"]) for e in dll["exports"] if e["ordinal"] == 7)
    found = pmm_json(bits, "exports", pid, "--find", hex(noname + 1))
    assert [m["text"] for m in found["matches"]] == ["pmm_testdll.dll!Ordinal7+0x1"], found
    found = pmm_json(bits, "exports", pid, "--find", "pmm_testdll!pmm_test_f3")
    assert [addr(m["address"]) for m in found["matches"]] == [exports["pmm_test_f3"]], found
    rc, _, err = pmm(bits, "exports", pid, "--find", "no_such_export_anywhere")
    assert rc != 0 and "nothing matches" in err, f"unknown name: rc {rc}, {err.strip()}"


def check_annotations(bits, pid, module):
    """Sections, directories and the entry point sit at base + RVA as the file's headers say."""
    import json
    rc, out, err = pmm(bits, "pe", module["path"], "--json")
    assert rc == 0, err
    pe = json.loads(out)
    base = addr(module["base"])
    doc = pmm_json(bits, "map", pid)
    ours = {(a["kind"], addr(a["address"]), a["label"]) for a in doc["annotations"]}
    missing = []
    for s in pe["sections"]:
        name = s["name"]
        found = any(k == "section" and at == base + addr(s["virtual_address"]) and label.split(" (")[0] == name
                    for k, at, label in ours)
        if not found:
            missing.append(f"section {s['name']}")
    for d in pe["directories"]:
        if d["index"] != SECURITY_DIRECTORY and addr(d["rva"]) and d["size"]:
            if ("directory", base + addr(d["rva"]), d["name"]) not in ours:
                missing.append(d["name"])
    entry = addr(pe["headers"]["entry_point"])
    if entry and ("entry_point", base + entry, "Entry point") not in ours:
        missing.append("entry point")
    if ("pe_header", base, "PE header") not in ours:
        missing.append("PE header")
    assert not missing, f"{module['name']}: not annotated at the file's addresses: {missing}"


def check_bits(bits):
    with Target(bits, "pmm_target_basic.exe") as target:
        if "dll" not in target.info:
            raise Skip("the target did not load pmm_testdll.dll")
        doc = pmm_json(bits, "exports", target.pid)
        module = check_target_dll(bits, target, doc)
        problems = [p for p in (compare_with_disk(bits, module),) if p]
        compared = 1
        for m in doc["modules"]:
            if m["name"].lower() in ("kernel32.dll", "ntdll.dll", "kernelbase.dll", "user32.dll", "msvcrt.dll"):
                compared += 1
                p = compare_with_disk(bits, m)
                if p:
                    problems.append(p)
        assert not problems, "; ".join(problems)
        print(f"  {bits}-bit: {len(doc['modules'])} modules, {compared} compared with their files on disk")
        check_find(bits, target.pid, target.info["dll"])
        check_annotations(bits, target.pid, module)
        kernel32 = next((m for m in doc["modules"] if m["name"].lower() == "kernel32.dll"), None)
        if kernel32:
            check_annotations(bits, target.pid, kernel32)


def objdump_long_names(bits, path):
    """{rva: name} of the sections objdump -h names with more than 8 characters (VMA - ImageBase)."""
    tool = shutil.which(OBJDUMP[bits])
    if not tool:
        raise Skip(f"{OBJDUMP[bits]} is not installed (package binutils-mingw-w64)")
    headers = subprocess.run([tool, "-p", path], capture_output=True, text=True, check=True).stdout
    image_base = int(re.search(r"^ImageBase\s+([0-9a-fA-F]+)", headers, re.M).group(1), 16)
    listing = subprocess.run([tool, "-h", path], capture_output=True, text=True, check=True).stdout
    names = {}
    for line in listing.splitlines():
        f = line.split()
        if len(f) == 7 and f[0].isdigit() and len(f[1]) > COFF_SHORT_NAME:
            names[int(f[3], 16) - image_base] = f[1]
    return names


def long_sections(sections):
    return {addr(s["virtual_address"]): s["name"] for s in sections if len(s["name"]) > COFF_SHORT_NAME}


def is_string_table_reference(name):
    return re.fullmatch(r"/[0-9]+", name) is not None


def section_labels(map_doc, base):
    """{rva: name} of the section annotations of the module at base in a `pmm map` document."""
    owner = 1 + next(i for i, m in enumerate(map_doc["modules"]) if addr(m["base"]) == base)
    return {addr(a["address"]) - base: a["label"].split(" (")[0]
            for a in map_doc["annotations"] if a["kind"] == "section" and a.get("owner") == owner}


def check_long_names(bits, pid, map_doc, module, linux_path):
    """The map, `pmm pe PID:BASE` and `pmm pe FILE` give objdump's long names for a same-build file."""
    base = addr(module["base"])
    disk = long_sections(pmm_json(bits, "pe", module["path"])["sections"])
    theirs = objdump_long_names(bits, linux_path)
    if not theirs:
        raise Skip(f"{linux_path} has no long section names (built without debug information?)")
    assert disk == theirs, f"{module['name']}: pmm pe FILE {disk} != objdump -h {theirs}"
    live = pmm_json(bits, "pe", f"{pid}:{base:#x}")
    assert long_sections(live["sections"]) == theirs, f"{module['name']}: pmm pe PID:ADDRESS {live['sections']}"
    names = live["long_names"]
    assert names["status"] == "resolved" and names["unresolved"] == 0, names
    assert names["resolved"] == len(theirs), f"{names['resolved']} resolved, objdump lists {len(theirs)}"
    assert names["file"].lower() == module["path"].lower(), names
    labels = section_labels(map_doc, base)
    for rva, name in theirs.items():
        assert labels.get(rva) == name, f"{module['name']}: map labels {labels.get(rva)!r} at +{rva:#x}, objdump {name}"
    rc, text, err = pmm(bits, "pe", f"{pid}:{base:#x}")
    assert rc == 0, err
    assert f'Long names: {len(theirs)} "/N" names read from ' in text, text[:2000]
    print(f"  {bits}-bit {module['name']}: {len(theirs)} long names agree with objdump -h")


def module_named(doc, name):
    found = [m for m in doc["modules"] if m["name"].lower() == name]
    assert found, f"{name} is not in the module list"
    return found[0]


def check_same_build(bits):
    with Target(bits, "pmm_target_basic.exe") as target:
        doc = pmm_json(bits, "map", target.pid)
        for name in ("pmm_testdll.dll", "pmm_target_basic.exe"):
            check_long_names(bits, target.pid, doc, module_named(doc, name), binary(bits, name))


def flip_timestamp(path):
    """Writes another build of path in its place (TimeDateStamp changed), leaving the mapped one alone."""
    data = bytearray(open(path, "rb").read())
    at = int.from_bytes(data[0x3c:0x40], "little") + 8
    data[at] ^= 0x5a
    with open(path + ".new", "wb") as f:
        f.write(data)
    os.replace(path + ".new", path)   # a new file: the process keeps the old one mapped


def check_names_stay(bits, pid, base, status, reason, count):
    live = pmm_json(bits, "pe", f"{pid}:{base:#x}")
    names = live["long_names"]
    assert names["status"] == status and reason in names["reason"], names
    assert names["unresolved"] == count and names["resolved"] == 0, names
    numbered = [s["name"] for s in live["sections"] if is_string_table_reference(s["name"])]
    assert len(numbered) == count, f"{status}: sections {[s['name'] for s in live['sections']]}"
    rc, text, err = pmm(bits, "pe", f"{pid}:{base:#x}")
    assert rc == 0, err
    assert f'Note: {count} long names stay "/N"' in text and reason in text, text[:2000]
    labels = section_labels(pmm_json(bits, "map", pid), base).values()
    assert sum(is_string_table_reference(name) for name in labels) == count, labels


def check_other_build(bits):
    """A copy of the target whose DLL on disk is replaced by another build, then removed."""
    folder = os.path.join(BUILD, f"long_names_copy{bits}")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    try:
        for name in ("pmm_target_basic.exe", "pmm_testdll.dll"):
            shutil.copy2(binary(bits, name), folder)
        dll = os.path.join(folder, "pmm_testdll.dll")
        count = len(objdump_long_names(bits, dll))
        if not count:
            raise Skip(f"{dll} has no long section names (built without debug information?)")
        with Target(bits, os.path.join(folder, "pmm_target_basic.exe")) as target:
            base = addr(target.info["dll"]["base"])
            live = pmm_json(bits, "pe", f"{target.pid}:{base:#x}")
            assert live["long_names"]["status"] == "resolved", live["long_names"]
            flip_timestamp(dll)
            check_names_stay(bits, target.pid, base, "not_same_build", "not the same build: timestamp", count)
            os.remove(dll)
            check_names_stay(bits, target.pid, base, "file_not_found", "cannot be opened", count)
            print(f"  {bits}-bit: {count} \"/N\" names kept, with the reason, for another build and for no file")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@test
def long_names_same_build_64():
    check_same_build(64)


@test
def long_names_same_build_32():
    check_same_build(32)


@test
def long_names_other_build_or_no_file_64():
    check_other_build(64)


@test
def long_names_other_build_or_no_file_32():
    check_other_build(32)


@test
def exports_and_annotations_64():
    check_bits(64)


@test
def exports_and_annotations_32():
    check_bits(32)


if __name__ == "__main__":
    run_tests()
