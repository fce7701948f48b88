"""Our x86 decoder and Intel formatter against GNU objdump over Wine's builtin PE files.

For each file: objdump -d -z -M intel of a copy stripped of its symbols (with symbols, objdump restarts
decoding at every symbol and cuts instructions that run over one; -z keeps runs of zeros it would
otherwise skip), so objdump decodes each code section linearly from its start, as we do. One
disasm_compare process then decodes the same sections with our decoder and compares the two
listings instruction by instruction: boundaries must agree 100%, the text (after collapsing
whitespace and dropping "<symbol>" suffixes) for at least 99.9%, and every kind of difference left
must be one the README lists.

The suite runs a representative subset (SUBSET below: the libraries whose code covers the most
instruction forms, plus the 16-bit thunk modules of the x86 folder); PMM_DISASM_ALL=1 runs every
PE file of both folders (about 110 MB of code; objdump alone takes a few minutes).
"""
import concurrent.futures
import json
import os
import shutil
import subprocess
import tempfile

from pmmtest import BUILD, WINE_PE_FOLDERS as FOLDERS, Skip, is_pe, run_tests, test

TOOLS = {64: "x86_64-w64-mingw32", 32: "i686-w64-mingw32"}
# System code (syscalls, CET, segment registers), the C runtimes (x87, SSE math, string
# instructions), float conversions with fwait (oleaut32), SIMD-heavy math (d3dx9, wined3d),
# scripting engines (large switch-heavy code), and on x86 the 16-bit thunks (data16 prefixes,
# far returns, sgdt).
SUBSET = {
    64: ["ntdll.dll", "kernelbase.dll", "msvcrt.dll", "ucrtbase.dll", "oleaut32.dll", "d3dx9_43.dll",
         "wined3d.dll", "jscript.dll", "gdiplus.dll", "msvcr120.dll"],
    32: ["ntdll.dll", "kernelbase.dll", "msvcrt.dll", "ucrtbase.dll", "oleaut32.dll", "d3dx9_43.dll",
         "wined3d.dll", "jscript.dll", "krnl386.exe16", "system.drv16", "win87em.dll16", "user.exe16"],
}
# Differences that remain, by the kind disasm_compare gives them; each is explained in the README.
KNOWN_KINDS = {}
COMPARE = os.path.join(BUILD, "native", "tests", "disasm", "disasm_compare")


def files(bits):
    folder = FOLDERS[bits]
    if not os.path.isdir(folder):
        raise Skip(f"{folder} is absent (install wine64 / wine32:i386)")
    if not shutil.which(TOOLS[bits] + "-objdump"):
        raise Skip(f"{TOOLS[bits]}-objdump is not installed (package binutils-mingw-w64)")
    if not os.path.exists(COMPARE):
        raise Skip(f"{COMPARE} is not built (tools/build.sh native)")
    names = sorted(os.listdir(folder)) if os.environ.get("PMM_DISASM_ALL") else SUBSET[bits]
    return [os.path.join(folder, n) for n in names if is_pe(os.path.join(folder, n))]


def listing(bits, path, tmp):
    """objdump's listing of path's code sections, without symbols."""
    base = os.path.join(tmp, os.path.basename(path))
    subprocess.run([TOOLS[bits] + "-strip", "-o", base + ".stripped", path], check=True, capture_output=True)
    with open(base + ".txt", "w") as out:
        subprocess.run([TOOLS[bits] + "-objdump", "-d", "-z", "-M", "intel", base + ".stripped"], check=True,
                       stdout=out, stderr=subprocess.DEVNULL)
    os.remove(base + ".stripped")
    return base + ".txt"


def compare(bits):
    paths = files(bits)
    with tempfile.TemporaryDirectory(prefix="pmm-objdump-") as tmp:
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            listings = list(pool.map(lambda p: listing(bits, p, tmp), paths))
        report = os.path.join(tmp, "report.json")
        args = [COMPARE, "--json", report]
        for p, l in zip(paths, listings):
            args += [p, l]
        text = subprocess.run(args, check=True, capture_output=True, text=True).stdout
        print(text, end="")
        with open(report) as f:
            result = json.load(f)
    assert result["files"] == len(paths), f"compared {result['files']} of {len(paths)} files"
    assert result["objdump"] > 10000, f"only {result['objdump']} instructions in objdump's listings"
    assert result["boundary_differences"] == 0 and result["same_boundary"] == result["objdump"] == result["ours"], \
        f"instruction boundaries differ: {result}"
    rate = result["text_equal"] / result["same_boundary"]
    assert rate >= 0.999, f"text agrees for {rate:.4%} of instructions only"
    unknown = {k: n for k, n in result["kinds"].items() if k not in KNOWN_KINDS}
    assert not unknown, f"differences not listed in the README: {unknown}"


@test
def x64_against_objdump():
    compare(64)


@test
def x86_against_objdump():
    compare(32)


if __name__ == "__main__":
    run_tests()
