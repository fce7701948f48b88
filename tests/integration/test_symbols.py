"""Symbols in live processes and minidumps (issue 16).

pmm_target_symbols.exe parks a thread in pmm_testdll's f1 -> f2 -> f3, which waits at the line
marked PMM-PARK-LINE in testdll.c, and a thread of its own in WaitForSingleObject (Wine's
kernelbase). The DLL is built twice: by mingw gcc with DWARF (pmm_testdll.dll) and by clang + lld
with a PDB (pmm_testdll_pdb.dll). Checked:
- `pmm stacks` names f3 with testdll.c and the marked line, and every frame that has a line agrees
  with x86_64-w64-mingw32-addr2line (or i686-) run on the module's file at the same place;
- the PDB build's frames come from the PDB (`pmm symbols` says so) with the same line;
- a minidump of the target names the same frames; a dump whose modules' files are gone says
  "symbols not found" for them, with the reason, and still names frames from exports;
- `pmm symbols` resolves a name to the address the target reports and back, lists a module's
  functions, reads an image file alone, finds a PDB in a srv* store or fetches it from the server
  the element names (a local HTTP server here), and fails with a message on names it cannot resolve;
- section names of MinGW images in `pmm map` are the long ones objdump -h shows, not "/4"."""
import os
import re
import shutil
import socket
import subprocess
import tempfile

from pmmtest import (ROOT, Skip, Target, addr, binary, ensure_prefix, pmm, pmm_json, run_tests, test,
                     wine_cmd, wine_env)

TESTDLL_C = os.path.join(ROOT, "tests", "targets", "testdll.c")
PREFIX = {64: "x86_64-w64-mingw32-", 32: "i686-w64-mingw32-"}
# module!name [file:line] (inlined in outer+0x1a at file:line), or module!name+0x1a [file:line]
FRAME = re.compile(r"^(?P<module>[^!]+)!(?P<name>[^ +\[]+)(?:\+0x[0-9a-f]+)?(?: \[(?P<file>.+?):(?P<line>\d+)\])?")


def park_line():
    with open(TESTDLL_C) as f:
        for number, text in enumerate(f, 1):
            if "PMM-PARK-LINE" in text:
                return number
    raise AssertionError("no PMM-PARK-LINE marker in testdll.c")


def parse(symbol):
    m = FRAME.match(symbol)
    return m.groupdict() if m else None


def linux_path(windows_path, bits=64):
    """Where a module of the Wine prefix is on this machine (a 32-bit process's system32 is SysWOW64)."""
    drive, rest = windows_path[:2].upper(), windows_path[2:].replace("\\", "/")
    if bits == 32:
        rest = re.sub(r"(?i)/windows/system32/", "/windows/syswow64/", rest)
    if drive == "Z:":
        return rest
    if drive == "C:":
        return os.path.join(wine_env()["WINEPREFIX"], "drive_c", rest.lstrip("/"))
    return None


def image_base(path):
    r = subprocess.run(["x86_64-w64-mingw32-objdump", "-p", path], capture_output=True, text=True)
    m = re.search(r"^ImageBase\s+([0-9a-f]+)", r.stdout, re.M)
    return int(m.group(1), 16) if m else None


def addr2line(bits, path, address):
    r = subprocess.run([PREFIX[bits] + "addr2line", "-f", "-e", path, "%x" % address], capture_output=True, text=True)
    lines = r.stdout.splitlines()
    where = re.sub(r" \(discriminator \d+\)$", "", lines[1]) if len(lines) > 1 else "??:0"
    return (lines[0] if lines else "??"), where


def stack_of(tool_bits, target, tid):
    out = pmm_json(tool_bits, "stacks", target, "--tid", tid)
    [thread] = out["threads"]
    return [f["symbol"] for f in thread["frames"]], [addr(f["address"]) for f in thread["frames"]]


def check_against_addr2line(bits, modules, symbols, addresses):
    """Every frame with a line, in a module whose file is here and carries DWARF, as addr2line says."""
    checked = 0
    for i, (symbol, address) in enumerate(zip(symbols, addresses)):
        frame = parse(symbol)
        if not frame or not frame["line"]:
            continue
        module = next((m for m in modules if addr(m["base"]) <= address < addr(m["base"]) + m["size"]), None)
        path = linux_path(module["path"], bits) if module else None
        if not path or not os.path.exists(path) or path.endswith("_pdb.dll") or path.endswith("_pdb.exe"):
            continue
        at = address - (1 if i else 0) - addr(module["base"]) + image_base(path)
        name, where = addr2line(bits, path, at)
        ours = "%s:%s" % (frame["file"], frame["line"])
        assert name == frame["name"] and where.lstrip("./") == ours.lstrip("./") or where == ours, \
            f"frame {i} {symbol}: addr2line says {name} {where}"
        checked += 1
    return checked


def check_park_stack(bits, exe, dll, origin, tool_bits=None):
    """bits: the target's; tool_bits: pmm's (a 64-bit pmm reads a 32-bit process's DLLs from SysWOW64)."""
    line = park_line()
    tool_bits = tool_bits or bits
    with Target(bits, exe, dll) as t:
        symbols, addresses = stack_of(tool_bits, t.pid, t.info["park_tid"])
        frames = [parse(s) for s in symbols]
        f3 = next((f for f in frames if f and f["name"] == "pmm_test_f3"), None)
        assert f3, f"pmm_test_f3 not named in {symbols}"
        assert f3["file"].endswith("testdll.c") and int(f3["line"]) == line, f"f3 at {f3}, want testdll.c:{line}"
        names = [f["name"] for f in frames if f]
        assert names.index("pmm_test_f3") + 1 == names.index("pmm_test_f2") and \
            names.index("pmm_test_f2") + 1 == names.index("pmm_test_f1"), names
        modules = pmm_json(tool_bits, "map", t.pid)["modules"]
        checked = check_against_addr2line(bits, modules, symbols, addresses)
        # The thread waiting in kernelbase: WaitForSingleObject, named from Wine's DWARF with its line.
        wait_symbols, wait_addresses = stack_of(tool_bits, t.pid, t.info["wait_tid"])
        assert any("WaitForSingleObject" in s and "sync.c:" in s for s in wait_symbols), wait_symbols
        checked += check_against_addr2line(bits, modules, wait_symbols, wait_addresses)
        # Which source named f3.
        f3_address = addr(t.info["f3"])
        out = pmm_json(tool_bits, "symbols", t.pid, "0x%x" % f3_address)
        [match] = out["results"][0]["matches"]
        assert match["function"] == "pmm_test_f3" and match["origin"] == origin and match["offset"] == 0, match
        print(f"  {bits}-bit {dll}, {tool_bits}-bit pmm: f3 at testdll.c:{line} ({origin}); {checked} frames agree with addr2line")
        return t.pid


@test
def x64_stack_lines_dwarf():
    check_park_stack(64, "pmm_target_symbols.exe", "pmm_testdll.dll", "dwarf")


@test
def x86_stack_lines_dwarf():
    check_park_stack(32, "pmm_target_symbols.exe", "pmm_testdll.dll", "dwarf")


@test
def x86_stack_lines_from_the_64bit_tool():
    check_park_stack(32, "pmm_target_symbols.exe", "pmm_testdll.dll", "dwarf", tool_bits=64)


@test
def x64_stack_lines_pdb():
    binary(64, "pmm_testdll_pdb.dll")
    check_park_stack(64, "pmm_target_symbols_pdb.exe", "pmm_testdll_pdb.dll", "pdb")


@test
def x86_stack_lines_pdb():
    binary(32, "pmm_testdll_pdb.dll")
    check_park_stack(32, "pmm_target_symbols_pdb.exe", "pmm_testdll_pdb.dll", "pdb")


@test
def minidump_names_the_same_frames():
    with tempfile.TemporaryDirectory() as tmp, Target(64, "pmm_target_symbols.exe") as t:
        dump = os.path.join(tmp, "symbols.dmp")
        rc, _, err = pmm(64, "dump", t.pid, "--format", "minidump", dump)
        assert rc == 0, err
        for tid in (t.info["park_tid"], t.info["wait_tid"]):
            live, _ = stack_of(64, t.pid, tid)
            dumped, _ = stack_of(64, dump, tid)
            assert live == dumped, f"thread {tid}: live {live}\ndump {dumped}"
        print(f"  {len(live)} frames of thread {tid} named alike")


class Copied:
    """pmm_target_symbols.exe and pmm_testdll.dll copied into a folder of the Wine prefix (C:\\...)
    and started from there, so that the folder can be removed after a dump is written."""

    def __init__(self, bits):
        ensure_prefix()
        self.folder = tempfile.mkdtemp(prefix="pmmsym", dir=os.path.join(wine_env()["WINEPREFIX"], "drive_c"))
        for name in ("pmm_target_symbols.exe", "pmm_testdll.dll"):
            shutil.copy(binary(bits, name), self.folder)
        self.proc = subprocess.Popen(wine_cmd(bits, os.path.join(self.folder, "pmm_target_symbols.exe")),
                                     env=wine_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
        import json
        self.info = json.loads(self.proc.stdout.readline())
        self.pid = self.info["pid"]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
        shutil.rmtree(self.folder, ignore_errors=True)


@test
def minidump_without_the_module_files():
    target = Copied(64)
    folder = tempfile.mkdtemp(prefix="pmm_symbols_gone_")
    try:
        dump = os.path.join(folder, "gone.dmp")
        rc, _, err = pmm(64, "dump", target.pid, "--format", "minidump", dump)
        assert rc == 0, err
        target.stop()
        rc, out, err = pmm(64, "stacks", dump)
        assert rc == 0, err
        m = pmm_json(64, "map", dump)
        warnings = [w for w in m["warnings"] if "pmm_testdll.dll" in w and "symbols not found" in w]
        assert warnings and "not on this machine" in warnings[0], m["warnings"]
        symbols, _ = stack_of(64, dump, target.info["park_tid"])
        assert any(s.startswith("pmm_testdll.dll!pmm_test_f3") and "[" not in s for s in symbols), symbols
        print(f"  {warnings[0]}")
    finally:
        target.stop()
        shutil.rmtree(folder, ignore_errors=True)


@test
def symbols_command():
    with Target(64, "pmm_target_symbols.exe") as t:
        f3 = addr(t.info["f3"])
        out = pmm_json(64, "symbols", t.pid, "pmm_testdll!pmm_test_f3")
        assert [addr(m["address"]) for m in out["results"][0]["matches"]] == [f3], out
        assert any(m["name"] == "pmm_testdll.dll" and m["symbols_found"] and "dwarf" in m["sources"]
                   for m in out["modules"]), out["modules"]
        listing = pmm_json(64, "symbols", t.pid, "--module", "pmm_testdll")
        assert any(s["name"] == "pmm_test_f3" and addr(s["address"]) == f3 and s["origin"] == "dwarf"
                   for s in listing["symbols"]), listing["symbols"][:5]
        rc, out, err = pmm(64, "symbols", t.pid, "pmm_no_such_function_anywhere")
        assert rc == 1 and "no module has a symbol of that name" in err, (rc, err)
        rc, out, err = pmm(64, "symbols", t.pid)
        assert rc == 2, (rc, err)
    dll = binary(64, "pmm_testdll_pdb.dll")
    out = pmm_json(64, "symbols", dll, "pmm_test_f3")
    [match] = out["results"][0]["matches"]
    assert match["origin"] == "pdb" and match["file"].endswith("testdll.c"), match


def in_prefix(path):
    """A path under the Wine prefix's drive_c as the C: path Windows programs see."""
    return "C:\\" + os.path.relpath(path, os.path.join(wine_env()["WINEPREFIX"], "drive_c")).replace("/", "\\")


def lone_copy(dll, folder, letter):
    """A copy of dll in folder whose CodeView PDB path is `letter` repeated (a path nowhere): returns
    the copy, that PDB name and the symbol store key (GUID and age) of the record."""
    data = bytearray(open(dll, "rb").read())
    at = data.find(b"RSDS") + 24
    end = data.index(b"\0", at)
    name = letter * (end - at)
    data[at:end] = name.encode()
    guid, age = bytes(data[at - 20:at - 4]), int.from_bytes(data[at - 4:at], "little")
    key = "%08X%04X%04X%s%X" % (int.from_bytes(guid[0:4], "little"), int.from_bytes(guid[4:6], "little"),
                                int.from_bytes(guid[6:8], "little"), guid[8:].hex().upper(), age)
    copy = os.path.join(folder, os.path.basename(dll))
    open(copy, "wb").write(bytes(data))
    return copy, name, key


@test
def pdb_in_a_symbol_store():
    """The PDB is found in a srv* cache layout (name.pdb/GUIDAGE/name.pdb) and refused when it is
    another build's; the image is a copy whose CodeView path names a folder that does not exist."""
    dll, pdb, other = binary(64, "pmm_testdll_pdb.dll"), binary(64, "pmm_testdll_pdb.pdb"), \
        binary(64, "pmm_target_symbols_pdb.pdb")
    with tempfile.TemporaryDirectory(dir=os.path.join(wine_env()["WINEPREFIX"], "drive_c")) as tmp:
        copy, name, key = lone_copy(dll, tmp, "Q")
        win_copy = in_prefix(copy)
        shutil.copy(other, os.path.join(tmp, "QQ.pdb"))
        store = os.path.join(tmp, "store", "QQQ", key)
        rc, out, err = pmm(64, "symbols", win_copy, "pmm_test_f3", "--json")
        doc = __import__("json").loads(out)
        assert doc["results"][0]["matches"][0]["origin"] != "pdb", doc
        os.makedirs(store)
        shutil.copy(pdb, os.path.join(tmp, "store", name[:0] or "QQQ", key, "x"))   # not the PDB's name: not found
        shutil.rmtree(os.path.join(tmp, "store"))
        store = os.path.join(tmp, "store", name, key)
        os.makedirs(store)
        shutil.copy(pdb, os.path.join(store, name))
        win_store = in_prefix(os.path.join(tmp, "store"))
        out = pmm_json(64, "symbols", win_copy, "pmm_test_f3", "--symbols", "srv*%s*https://symbols.invalid" % win_store)
        assert out["results"][0]["matches"][0]["origin"] == "pdb", out
        [module] = out["modules"]
        assert key in module["pdb"], module
        # Another build's PDB under the same name in the store is refused, with both GUIDs.
        shutil.copy(other, os.path.join(store, name))
        out = pmm_json(64, "symbols", win_copy, "pmm_test_f3", "--symbols", "srv*%s" % win_store)
        [module] = out["modules"]
        assert "refused" in module["note"] and "another build" in module["note"] and not module["pdb"], module
        print(f"  {module['note'][:160]}")


class SymbolServer:
    """A symbol server on 127.0.0.1 serving folder (the store layout), recording each request's path;
    paths in `cut` get a Content-Length larger than the bytes sent before the connection closes."""

    def __init__(self, folder):
        import functools
        import http.server
        import threading
        self.requests, self.cut = [], set()
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(self.path)
                if self.path in server.cut:
                    self.send_response(200)
                    self.send_header("Content-Length", "100000")
                    self.end_headers()
                    self.wfile.write(b"Microsoft C/C++ MSF 7.00\r\n")
                    self.close_connection = True
                    return
                super().do_GET()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=folder))
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@test
def pdb_from_a_symbol_server():
    """A PDB in no local store is fetched from the server a srv* element names into its first store
    (WinHTTP) and used; the next run finds it there without asking. A 404 or a connection cut short
    leaves nothing in the store, and the note says the PDB was not found and what the server did."""
    dll, pdb = binary(64, "pmm_testdll_pdb.dll"), binary(64, "pmm_testdll_pdb.pdb")
    with tempfile.TemporaryDirectory(dir=os.path.join(wine_env()["WINEPREFIX"], "drive_c")) as tmp, \
            tempfile.TemporaryDirectory() as served:
        copy, name, key = lone_copy(dll, tmp, "S")   # only the server has the PDB
        server = SymbolServer(served)
        try:
            want = "/%s/%s/%s" % (name, key, name)
            cache = os.path.join(tmp, "cache")
            path = "srv*%s*%s" % (in_prefix(cache), server.url)
            ask = lambda: pmm_json(64, "symbols", in_prefix(copy), "pmm_test_f3", "--symbols", path)  # noqa: E731
            # Not on the server yet: a 404, nothing in the store.
            out = ask()
            [module] = out["modules"]
            assert out["results"][0]["matches"][0]["origin"] != "pdb" and "not found" in module["note"], module
            assert "%s%s: the server answered 404" % (server.url, want) in module["note"], module
            assert server.requests == [want], server.requests
            assert not any(files for _, _, files in os.walk(cache)), list(os.walk(cache))
            # Cut short: nothing in the store either (no half PDB, no temporary left behind).
            server.cut.add(want)
            out = ask()
            [module] = out["modules"]
            assert out["results"][0]["matches"][0]["origin"] != "pdb", out
            assert "%s%s: the connection ended after 26 of 100000 bytes" % (server.url, want) in module["note"], module
            assert not any(files for _, _, files in os.walk(cache)), list(os.walk(cache))
            server.cut.clear()
            # On the server: fetched into the store, byte for byte, and used.
            os.makedirs(os.path.join(served, name, key))
            shutil.copy(pdb, os.path.join(served, name, key, name))
            out = ask()
            [module] = out["modules"]
            assert out["results"][0]["matches"][0]["origin"] == "pdb", out
            stored = os.path.join(cache, name, key, name)
            assert open(stored, "rb").read() == open(pdb, "rb").read()
            assert key in module["pdb"], module
            asked = len(server.requests)
            # The next run finds it in the store and does not ask the server.
            out = ask()
            assert out["results"][0]["matches"][0]["origin"] == "pdb" and len(server.requests) == asked, server.requests
            print(f"  {asked} requests; fetched into {stored[len(tmp):]}")
            # No server listening: the note names the URL and WinHTTP's reason.
            with socket.socket() as sock:
                sock.bind(("127.0.0.1", 0))
                port = sock.getsockname()[1]
            out = pmm_json(64, "symbols", in_prefix(copy), "pmm_test_f3", "--symbols",
                           "srv*%s*http://127.0.0.1:%d" % (in_prefix(os.path.join(tmp, "other")), port))
            [module] = out["modules"]
            assert "GET http://127.0.0.1:%d%s failed: " % (port, want) in module["note"], module
            print(f"  {module['note'][module['note'].index(' failed: '):][:90]}")
        finally:
            server.close()


@test
def long_section_names_in_the_map():
    with Target(64, "pmm_target_symbols.exe") as t:
        m = pmm_json(64, "map", t.pid)
        owners = {i + 1: mod for i, mod in enumerate(m["modules"])}
        checked = 0
        for mod in (x for x in m["modules"] if x["name"].lower() in ("kernelbase.dll", "pmm_testdll.dll")):
            path = linux_path(mod["path"])
            r = subprocess.run(["x86_64-w64-mingw32-objdump", "-h", path], capture_output=True, text=True)
            want = re.findall(r"^\s+\d+ (\S+)\s+[0-9a-f]{8}", r.stdout, re.M)
            got = [a["label"].split(" (")[0] for a in m["annotations"]
                   if a["kind"] == "section" and owners.get(a["owner"]) is mod]
            assert got == want, f"{mod['name']}: ours {got}, objdump {want}"
            assert ".debug_info" in got
            checked += len(got)
        print(f"  {checked} section names equal objdump -h")


run_tests()
