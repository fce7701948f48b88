"""`pmm pe --json` against independent readers, over every PE file in Wine's library folders:
sections (`objdump -h`), data directories, imports, exports, base relocations and the x64 function
table (`objdump -p`), resources (`winedump -j resource`). The x64 folder is read by the 64-bit pmm,
the i386 folder by the 32-bit one, so both builds of the parser are checked.

Deliberate differences, normalised here rather than hidden:
- Section size: BFD shows one "size" per section: VirtualSize when the raw size is larger (or the
  section is uninitialised data without raw bytes), else SizeOfRawData. We report both sizes and
  compare against that same rule.
- Exports: objdump prints the export address table and the name table separately; we list one
  entry per name plus one per ordinal-only function. Both are rebuilt from our list and compared.
- Imports by ordinal: objdump's ordinal column is hex in PE32+ and decimal in PE32; we compare the
  ordinal taken from the thunk value objdump prints in its first column instead.
- Delay imports and bound imports: objdump -p does not decode them and no Wine DLL has them; the
  unit tests and the corkami fixtures cover them.
- Resources: winedump names predefined types (ICON, RT_MANIFEST, ...), prints other ids as 4 hex
  digits and names as escaped C strings L"..." (a backslash doubled): our tree (plain UTF-8 names)
  is converted to the same keys.
"""
import concurrent.futures
import json
import os
import re
import subprocess

from pmmtest import WINE_PE_FOLDERS as FOLDERS, Skip, binary, is_pe, run_tests, run_wine, test

OBJDUMP = "x86_64-w64-mingw32-objdump"
WINEDUMP = "winedump"
BATCH = 60          # files per pmm run: one Wine start per batch, well under the command-line limit

# winedump's names for predefined resource types.
WINEDUMP_TYPES = {1: "CURSOR", 2: "BITMAP", 3: "ICON", 4: "MENU", 5: "DIALOG", 6: "STRING", 7: "FONTDIR",
                  8: "FONT", 9: "ACCELERATOR", 10: "RCDATA", 11: "MESSAGETABLE", 12: "GROUP_CURSOR",
                  14: "GROUP_ICON", 16: "VERSION", 17: "DLGINCLUDE", 19: "PLUGPLAY", 20: "VXD",
                  21: "ANICURSOR", 22: "ANIICON", 23: "HTML", 24: "RT_MANIFEST"}
SCN_CNT_UNINITIALIZED_DATA = 0x80


def pe_files(bits):
    folder = FOLDERS[bits]
    if not os.path.isdir(folder):
        raise Skip(f"{folder} is absent (install wine64 / wine32:i386)")
    for tool in (OBJDUMP, WINEDUMP):
        if subprocess.run(["which", tool], capture_output=True).returncode != 0:
            raise Skip(f"{tool} is not installed (packages mingw-w64, wine64-tools)")
    return sorted(os.path.join(folder, n) for n in os.listdir(folder) if is_pe(os.path.join(folder, n)))


def ours(bits, files):
    """pmm pe --json over all files, in batches; {unix path: document}."""
    exe = binary(bits, "pmm.exe")
    docs = {}
    for i in range(0, len(files), BATCH):
        batch = files[i:i + BATCH]
        rc, out, err = run_wine(bits, exe, "pe", "--json", *["Z:" + f for f in batch], timeout=600)
        for line in out.splitlines():
            if line.strip():
                doc = json.loads(line)
                docs[doc["target"][2:]] = doc
        missing = [f for f in batch if f not in docs]
        if missing:
            raise AssertionError(f"pmm pe gave no document for {missing[:3]} (rc {rc}): {err.strip()[:500]}")
    return docs


# ---- objdump -------------------------------------------------------------------------------------

SECTION_LINE = re.compile(r"^\s*(\d+)\s+(\S+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+2\*\*\d+$")
DIR_LINE = re.compile(r"^Entry ([0-9a-f]) ([0-9a-f]+) ([0-9a-f]+) ")
IMPORT_FN = re.compile(r"^\t([0-9a-f]+)\t\s*([0-9a-f]+)\s+(\S.*)$")
EAT_LINE = re.compile(r"^\t\[\s*(\d+)\] \+base\[\s*(\d+)\] ([0-9a-f]+) (Export|Forwarder) RVA(?: -- (.*))?$")
NAME_LINE = re.compile(r"^\t\[\s*(\d+)\] (.*)$")
RELOC_BLOCK = re.compile(r"^Virtual Address: ([0-9a-f]+) Chunk size (\d+) \(0x[0-9a-f]+\) Number of fixups (\d+)$")
PDATA_LINE = re.compile(r"^ [0-9a-f]+:\t[0-9a-f]+ [0-9a-f]+ [0-9a-f]+$")


def objdump(path):
    text = subprocess.run([OBJDUMP, "-h", "-p", path], capture_output=True, text=True, errors="replace").stdout
    r = {"sections": [], "dirs": {}, "imports": [], "eat": {}, "names": [], "relocs": [], "pdata": 0}
    mode = None
    for line in text.splitlines():
        if line == "Sections:":
            mode = "sections"
            continue
        m = SECTION_LINE.match(line)
        if m and mode == "sections":
            r["sections"].append({"name": m.group(2), "size": int(m.group(3), 16), "vma": int(m.group(4), 16),
                                  "file_off": int(m.group(6), 16)})
            continue
        m = DIR_LINE.match(line)
        if m:
            r["dirs"][int(m.group(1), 16)] = (int(m.group(2), 16), int(m.group(3), 16))
            continue
        if line.startswith("The Import Tables"):
            mode = "imports"
        elif line.startswith("Export Address Table -- Ordinal Base"):
            mode = "eat"
        elif line.startswith("[Ordinal/Name Pointer] Table"):
            mode = "names"
        elif line.startswith("The Function Table"):
            mode = "pdata"
        elif line.startswith("PE File Base Relocations"):
            mode = "relocs"
        elif line.startswith("The .rsrc Resource Directory") or line.startswith("Dump of .xdata"):
            mode = "other"
        elif mode == "imports" and line.startswith("\tDLL Name: "):
            r["imports"].append((line[len("\tDLL Name: "):].strip(), []))
        elif mode == "imports" and r["imports"]:
            m = IMPORT_FN.match(line)
            if m:
                thunk, member = int(m.group(1), 16), m.group(3).strip()
                if member == "<none>":
                    r["imports"][-1][1].append(("#", thunk & 0xFFFF))
                else:
                    r["imports"][-1][1].append((member, int(m.group(2)), thunk))
        elif mode == "eat":
            m = EAT_LINE.match(line)
            if m:
                r["eat"][int(m.group(1))] = ("fwd", m.group(5)) if m.group(4) == "Forwarder" else ("rva", int(m.group(3), 16))
        elif mode == "names":
            m = NAME_LINE.match(line)
            if m:
                r["names"].append((int(m.group(1)), m.group(2)))
        elif mode == "pdata" and PDATA_LINE.match(line):
            r["pdata"] += 1
        elif mode == "relocs":
            m = RELOC_BLOCK.match(line)
            if m:
                r["relocs"].append((int(m.group(1), 16), int(m.group(2)), int(m.group(3))))
    return r


# ---- winedump ------------------------------------------------------------------------------------

RES_LINE = re.compile(r"^  (\S+|L\".*?\") Name=(\S+|L\".*?\") Language=([0-9a-f]{4}):$")


def winedump_resources(path):
    text = subprocess.run([WINEDUMP, "-j", "resource", "dump", path], capture_output=True, text=True,
                          errors="replace").stdout
    return sorted(m.groups() for m in map(RES_LINE.match, text.splitlines()) if m)


def our_resources(doc):
    res = doc.get("resources")
    out = []
    if not res or "types" not in res:
        return out

    def key(node, level):
        if "name" in node:
            # winedump writes names as C strings: a backslash comes out doubled.
            return 'L"' + node["name"].replace("\\", "\\\\") + '"'
        if level == 0 and node["id"] in WINEDUMP_TYPES:
            return WINEDUMP_TYPES[node["id"]]
        return f"{node['id']:04x}"

    for t in res["types"]:
        for n in t.get("children", []):
            for lang in n.get("children", []):
                out.append((key(t, 0), key(n, 1), f"{lang.get('id', 0):04x}"))
    return sorted(out)


# ---- comparison ----------------------------------------------------------------------------------

def bfd_section_size(s):
    """The one size BFD keeps for a section of a PE image (see the module docstring)."""
    vs, raw = s["virtual_size"], s["raw_size"]
    if vs > 0 and (((s["characteristics"] & SCN_CNT_UNINITIALIZED_DATA) and raw == 0) or raw > vs):
        return vs
    return raw


def compare_sections(doc, od, problems):
    mine = [(s["name"], bfd_section_size(s), int(doc["headers"]["image_base"], 16) + int(s["virtual_address"], 16),
             int(s["raw_offset"], 16)) for s in doc["sections"]]
    theirs = [(s["name"], s["size"], s["vma"], s["file_off"]) for s in od["sections"]]
    if mine != theirs:
        diff = next(((a, b) for a, b in zip(mine, theirs) if a != b), (len(mine), len(theirs)))
        problems.append(f"sections differ: ours {diff[0]} objdump {diff[1]}")


def compare_directories(doc, od, problems):
    for d in doc["directories"]:
        theirs = od["dirs"].get(d["index"])
        mine = (int(d["rva"], 16), d["size"])
        if theirs != mine:
            problems.append(f"directory {d['index']} ({d['name']}): ours {mine} objdump {theirs}")


def compare_imports(doc, od, problems):
    mine = []
    for mod in doc.get("imports") or []:
        fns = []
        for f in mod["functions"]:
            fns.append(("#", f["ordinal"]) if "ordinal" in f else (f.get("name", "?"), f.get("hint", 0), int(f["thunk"], 16)))
        mine.append((mod["dll"], fns))
    if mine != od["imports"]:
        for a, b in zip(mine, od["imports"]):
            if a != b:
                problems.append(f"imports of {a[0]} differ from objdump's {b[0]}: "
                                f"{next(((x, y) for x, y in zip(a[1], b[1]) if x != y), (len(a[1]), len(b[1])))}")
                return
        problems.append(f"{len(mine)} import modules, objdump {len(od['imports'])}")


def compare_exports(doc, od, problems):
    ex = doc.get("exports")
    if not ex or "items" not in ex:
        if od["eat"] or od["names"]:
            problems.append("objdump shows exports we do not")
        return
    base = ex["ordinal_base"]
    eat, names = {}, []
    for e in ex["items"]:
        index = e["ordinal"] - base
        eat[index] = ("fwd", e["forwarder"]) if "forwarder" in e else ("rva", int(e["rva"], 16))
        if "name" in e:
            names.append((index, e["name"]))
    if eat != od["eat"]:
        diff = sorted(set(eat.items()) ^ set(od["eat"].items()))[:3]
        problems.append(f"export address table differs: {diff}")
    if names != od["names"]:
        diff = next(((a, b) for a, b in zip(names, od["names"]) if a != b), (len(names), len(od["names"])))
        problems.append(f"export names differ: ours {diff[0]} objdump {diff[1]}")


def compare_relocations(doc, od, problems):
    rel = doc.get("relocations")
    mine = [(int(b["page_rva"], 16), b["block_size"], b["count"]) for b in rel["blocks"]] if rel and "blocks" in rel else []
    if mine != od["relocs"]:
        problems.append(f"relocation blocks differ: ours {len(mine)} objdump {len(od['relocs'])}")


def compare_function_table(doc, od, problems):
    exc = doc.get("exceptions")
    mine = exc["count"] if exc and "count" in exc else 0
    if doc["headers"]["machine"] == 0x8664 and mine != od["pdata"]:
        problems.append(f"{mine} runtime functions, objdump {od['pdata']}")


def check_file(path, doc):
    od = objdump(path)
    problems = []
    compare_sections(doc, od, problems)
    compare_directories(doc, od, problems)
    compare_imports(doc, od, problems)
    compare_exports(doc, od, problems)
    compare_relocations(doc, od, problems)
    compare_function_table(doc, od, problems)
    theirs = winedump_resources(path)
    mine = our_resources(doc)
    if mine != theirs:
        problems.append(f"resources: ours {len(mine)} winedump {len(theirs)}; first difference "
                        f"{sorted(set(mine) ^ set(theirs))[:2]}")
    return problems


def check_folder(bits):
    files = pe_files(bits)
    docs = ours(bits, files)
    failures = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 4) as pool:
        for path, problems in zip(files, pool.map(lambda f: check_file(f, docs[f]), files)):
            if problems:
                failures[path] = problems
    counts = {"imports": sum(len(d.get("imports") or []) for d in docs.values()),
              "exports": sum(len((d.get("exports") or {}).get("items", [])) for d in docs.values())}
    print(f"  {len(files)} files, {counts['imports']} import modules, {counts['exports']} exports compared")
    if failures:
        for path, problems in list(failures.items())[:10]:
            print(f"  {os.path.basename(path)}: " + "; ".join(problems[:3]))
        raise AssertionError(f"{len(failures)} of {len(files)} files differ from objdump/winedump")


@test
def wine_x64_folder_matches_objdump():
    check_folder(64)


@test
def wine_i386_folder_matches_objdump():
    check_folder(32)


if __name__ == "__main__":
    run_tests()
