"""PE images in a live target, both bitnesses: `pmm exports` against what the target itself got
from GetProcAddress and against `pmm pe` of the same DLL on disk; `--find` both ways; and the map's
section, directory and entry-point annotations against the file's own headers plus the load base.

Differences that are real, not parser errors, and allowed here:
- Wine's loader zeroes export-table slots of forwarders it cannot resolve (32-bit kernel32's
  forwarders into krnl386.exe16): memory shows RVA 0 where the file has a forwarder.
- Long section names ("/4" -> ".debug_info") live in the COFF string table, which is not mapped:
  the map shows the "/4" form for them.
"""
from pmmtest import Skip, Target, addr, pmm, pmm_json, run_tests, test

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
        found = any(k == "section" and at == base + addr(s["virtual_address"]) and
                    (label.split(" (")[0] == name or label.startswith("/"))   # long names: see above
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


@test
def exports_and_annotations_64():
    check_bits(64)


@test
def exports_and_annotations_32():
    check_bits(32)


if __name__ == "__main__":
    run_tests()
