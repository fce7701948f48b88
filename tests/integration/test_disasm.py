"""`pmm disasm`: a PE file's code section and a live process's code, against GNU objdump's listing of
the same bytes (x64 and x86 pmm, each on its own folder of Wine DLLs), branch targets named from
the target's exports, unreadable memory reported as such, and bad arguments refused."""
import os
import re
import subprocess
import tempfile

from pmmtest import WINE_PE_FOLDERS as FOLDERS, Skip, Target, addr, pmm, pmm_json, run_tests, test

TOOLS = {64: "x86_64-w64-mingw32", 32: "i686-w64-mingw32"}
LINE = re.compile(r"^\s*([0-9a-f]+):\t[0-9a-f ]+\t(.*)$")
COUNT = 3000


def norm(text):
    return re.sub(r" <[^>]*>", "", re.sub(r"\s+", " ", text)).strip()


def objdump_listing(bits, path, start=None, stop=None):
    """{address: text} of objdump -d on a copy of path without symbols."""
    if not os.path.exists(path):
        raise Skip(f"{path} is absent")
    with tempfile.TemporaryDirectory() as tmp:
        stripped = os.path.join(tmp, "s.dll")
        subprocess.run([TOOLS[bits] + "-strip", "-o", stripped, path], check=True, capture_output=True)
        args = [TOOLS[bits] + "-objdump", "-d", "-z", "-M", "intel", stripped]
        if start is not None:
            args += [f"--start-address=0x{start:x}", f"--stop-address=0x{stop:x}"]
        out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    listing = {}
    for line in out.splitlines():
        m = LINE.match(line)
        if m and m.group(2):
            listing[int(m.group(1), 16)] = norm(m.group(2))
    return listing


def check_against(listing, instructions, what):
    assert len(instructions) > 100, f"{what}: only {len(instructions)} instructions"
    compared = 0
    for insn in instructions:
        a = addr(insn["address"])
        if a not in listing:
            continue
        assert listing[a] == norm(insn["text"]), f"{what} 0x{a:x}: objdump '{listing[a]}', pmm '{insn['text']}'"
        compared += 1
    assert compared >= len(instructions) - 2, f"{what}: {compared} of {len(instructions)} addresses in objdump's listing"
    return compared


def file_section(bits):
    path = os.path.join(FOLDERS[bits], "kernelbase.dll")
    listing = objdump_listing(bits, path)
    d = pmm_json(bits, "disasm", "Z:" + path, "--section", ".text", "--count", COUNT)
    assert d["format"] == "pmm-disasm" and d["version"] == 1 and d["bits"] == bits, d
    assert d["count"] == COUNT and len(d["instructions"]) == COUNT, (d["count"], len(d["instructions"]))
    n = check_against(listing, d["instructions"], "kernelbase .text")
    # the text form lists the same instructions
    rc, out, err = pmm(bits, "disasm", "Z:" + path, "--section", ".text", "--count", 50)
    assert rc == 0 and len(out.splitlines()) == 50, (rc, err)
    print(f"  {n} instructions agree with objdump")


@test
def file_section_x64():
    file_section(64)


@test
def file_section_x86():
    file_section(32)


def text_rva(path):
    """RVA and size of the .text section, and the image base, from the PE headers."""
    data = open(path, "rb").read(4096)
    pe = int.from_bytes(data[0x3c:0x40], "little")
    sections = int.from_bytes(data[pe + 6:pe + 8], "little")
    opt = int.from_bytes(data[pe + 20:pe + 22], "little")
    magic = int.from_bytes(data[pe + 24:pe + 26], "little")
    base = int.from_bytes(data[pe + 48:pe + 56], "little") if magic == 0x20b else int.from_bytes(data[pe + 52:pe + 56], "little")
    for i in range(sections):
        h = pe + 24 + opt + 40 * i
        if data[h:h + 8].rstrip(b"\0") == b".text":
            return int.from_bytes(data[h + 12:h + 16], "little"), int.from_bytes(data[h + 8:h + 12], "little"), base
    raise AssertionError(f"{path} has no .text")


def live(bits):
    path = os.path.join(FOLDERS[bits], "kernelbase.dll")
    rva, size, image_base = text_rva(path)
    with Target(bits, "pmm_target_basic.exe") as t:
        m = pmm_json(bits, "map", t.pid)
        mods = [x for x in m["modules"] if x["name"].lower() == "kernelbase.dll"]
        assert mods, "kernelbase.dll is not in the target's module list"
        base = addr(mods[0]["base"])
        if base != image_base:
            raise Skip(f"kernelbase.dll is loaded at 0x{base:x}, not at its preferred base 0x{image_base:x}: "
                       "relocated code differs from the file's")
        start = base + rva + (size // 2 & ~0xfff)   # past the stubs at the start: ordinary compiled code
        d = pmm_json(bits, "disasm", t.pid, hex(start), "--count", COUNT)
        listing = objdump_listing(bits, path, start, start + 0x10000)
        # objdump starts decoding at start too; both are linear from there
        n = check_against(listing, d["instructions"], "live kernelbase")
        named = [i for i in d["instructions"] if i.get("branch") == "call" and "target_name" in i]
        assert named, "no call target was named from the exports"
        assert any(i["target_name"].lower().startswith(("kernelbase.dll!", "ntdll.dll!")) for i in named), named[:3]
        print(f"  {n} live instructions agree with objdump; {len(named)} call targets named, "
              f"e.g. {named[0]['text']}")
        # --to: up to an end, exclusive
        end = start + 0x40
        d = pmm_json(bits, "disasm", t.pid, hex(start), "--to", hex(end))
        last = d["instructions"][-1]
        assert addr(last["address"]) < end <= addr(last["address"]) + last["length"] + 15, last
        # the end of the image: the listing reaches unreadable memory and says so
        image_end = base + addr(mods[0]["size"]) if isinstance(mods[0]["size"], str) else base + mods[0]["size"]
        d = pmm_json(bits, "disasm", t.pid, hex(image_end - 0x10), "--to", hex(image_end + 0x2000))
        unreadable = [i for i in d["instructions"] if i.get("readable") is False]
        if unreadable:
            assert d["unreadable_bytes"] > 0 and addr(unreadable[0]["address"]) >= image_end - 0x10, d
        # nothing readable at all: an error
        rc, out, err = pmm(bits, "disasm", t.pid, "0x10", "--count", "4")
        assert rc == 1 and "could be read" in err, (rc, out, err)


@test
def live_x64():
    live(64)


@test
def live_x86():
    live(32)


@test
def bad_arguments():
    for args, code in ((["disasm"], 2), (["disasm", "1234"], 2), (["disasm", "1", "0x1000", "--count", "0"], 2),
                       (["disasm", "1", "0x1000", "--bits", "16"], 2),
                       (["disasm", "1", "0x1000", "--count", "3", "--to", "0x2000"], 2),
                       (["disasm", "Z:/nonexistent/file.dll", "--section", ".text"], 1),
                       (["disasm", "Z:" + os.path.join(FOLDERS[64], "kernelbase.dll"), "--section", ".nope"], 1)):
        rc, out, err = pmm(64, *args)
        assert rc == code and err.strip(), (args, rc, out, err)


if __name__ == "__main__":
    run_tests()
