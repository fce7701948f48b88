"""pmm scan (the integrity scan) under Wine, x64 and x86, against pmm_target_integrity.exe, which
hooks, patches and implants itself on command and reports exactly what it changed, and against
idle Wine processes, where nothing may be found except the changes Wine itself makes (each named
and explained below). Also checks, independently of pmm, which files Wine really mapped the images
from (/proc/PID/maps) and that they are the files pmm reads."""
import filecmp
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time

from pmmtest import (ROOT, WINE, Skip, Target, addr, binary, pmm, pmm_json, run_tests, test, wine_env,
                     windows_pids)

sys.path.insert(0, os.path.join(ROOT, "tests", "gui"))
import gui_harness  # noqa: E402  (Xvfb for notepad)

TARGET = "pmm_target_integrity.exe"
DLLS = ["pmm_integrity_victim.dll", "pmm_integrity_hooks.dll", "pmm_testdll.dll"]


def scan(tool_bits, pid, *args):
    data = pmm_json(tool_bits, "scan", pid, *args)
    assert data["format"] == "pmm-scan" and data["version"] == 1, data.get("format")
    return data


# ---- what Wine itself changes -------------------------------------------------------------------

def wine_made(finding, target_bits):
    """Why Wine made this change, or None. Each is matched by its exact shape, never by kind alone."""
    kind = finding["kind"]
    if (target_bits == 32 and kind == "eat" and finding["module"] == "kernel32.dll"
            and "export FT_Thunk " in finding["detail"] and finding["memory_bytes"] == "00 00 00 00"
            and finding["size"] == 4):
        # dlls/kernel32/kernel_main.c, process_attach(), i386 only: "Securom checks for this one
        # when version is NT" -- kernel32's own DllMain sets FT_Thunk's export RVA to 0.
        return "kernel32's DllMain zeroes the FT_Thunk export (i386)"
    if (target_bits == 32 and kind == "implanted_pe" and finding["module"] is None
            and finding["detail"].startswith("x64 PE image (DLL)")
            and finding["detail"].lower().endswith("\\wow64cpu.dll)")
            and " in mapped memory " in finding["detail"]):
        # dlls/ntdll/loader.c, 32-bit build, map_wow64cpu(): every 32-bit process opens
        # \??\C:\windows\sysnative\wow64cpu.dll and maps it as a plain read-execute file view (not an
        # image) to find the Wow64Transition trampoline in it. An x64 PE in non-image executable
        # memory is exactly what the check looks for.
        return "32-bit ntdll maps the 64-bit wow64cpu.dll as a read-execute file view"
    return None


def split_findings(data, target_bits):
    ours, wines = [], []
    for f in data["findings"]:
        (wines if wine_made(f, target_bits) else ours).append(f)
    return ours, wines


def assert_wine_findings(wines, target_bits):
    """Wine's changes are there, every time, and only those."""
    kinds = sorted(f["kind"] for f in wines)
    expected = ["eat", "implanted_pe"] if target_bits == 32 else []
    assert kinds == expected, f"Wine-made findings {kinds}, expected {expected}"


def assert_all_images_checked(data):
    for image in data["images"]:
        assert image["status"] == "checked", f"{image['name']} {image['status']}: {data['not_checked']}"
    assert data["summary"]["images_checked"] == data["summary"]["images"] > 0


def describe(findings):
    return "\n".join(f"  {f['kind']} {f['address']} {f['size']} {f['symbol']}: {f['detail']}" for f in findings)


# ---- the files Wine mapped ------------------------------------------------------------------------

def linux_maps(linux_pid):
    with open(f"/proc/{linux_pid}/maps") as f:
        return [line.split() for line in f]


def windows_path_to_prefix(path):
    """The Linux file behind a Windows path in the prefix, its components matched ignoring case."""
    current = os.path.join(wine_env()["WINEPREFIX"], "dosdevices", path[0].lower() + ":")
    for part in path[3:].split("\\"):
        names = {n.lower(): n for n in os.listdir(current)}
        current = os.path.join(current, names.get(part.lower(), part))
    return current


@test
def images_are_mapped_from_wine_builtins_identical_to_the_prefix_files():
    """Wine maps its builtin DLLs from /usr/lib/.../wine/<arch>-windows (Linux's own account in
    /proc/PID/maps), while the loader list and pmm name C:\\windows\\system32 or syswow64; those files
    must be byte for byte the ones mapped, or comparing with them would be comparing with something
    else."""
    for bits in (64, 32):
        with Target(bits, TARGET) as t:
            data = scan(64, t.pid)
            maps = linux_maps(t.proc.pid)
            mapped_files = {os.path.basename(m[5]).lower(): m[5] for m in maps if len(m) >= 6 and m[5].endswith(".dll")}
            builtins = 0
            for image in data["images"]:
                name, path = image["name"].lower(), image["file"]
                if not path.lower().startswith("c:\\windows\\"):
                    continue
                linux = mapped_files.get(name)
                assert linux, f"{name} is not in /proc/{t.proc.pid}/maps"
                arch = "x86_64-windows" if bits == 64 else "i386-windows"
                assert f"/wine/{arch}/" in linux, f"{name} mapped from {linux}"
                prefix_file = windows_path_to_prefix(path)
                assert filecmp.cmp(prefix_file, linux, shallow=False), f"{prefix_file} differs from {linux}"
                builtins += 1
            assert builtins >= 4, f"only {builtins} Wine builtins among {[i['name'] for i in data['images']]}"
            print(f"  {bits}-bit: {builtins} builtin DLLs mapped from /usr/lib/.../wine/{arch}, identical to "
                  f"the prefix's files pmm read")


# ---- idle processes -----------------------------------------------------------------------------

def check_idle(tool_bits, target_bits, pid, what):
    data = scan(tool_bits, pid)
    ours, wines = split_findings(data, target_bits)
    assert not ours, f"{what}: unexpected findings\n{describe(ours)}"
    assert_wine_findings(wines, target_bits)
    assert_all_images_checked(data)
    assert not data["not_checked"], f"{what}: not checked: {data['not_checked']}"
    print(f"  {what} ({tool_bits}-bit pmm): {data['summary']['images']} images, "
          f"{data['summary']['bytes_compared']} bytes compared, Wine's own: {[wine_made(f, target_bits) for f in wines]}")


@test
def idle_integrity_target_has_no_findings():
    for tool_bits, target_bits in ((64, 64), (32, 32), (64, 32)):
        with Target(target_bits, TARGET) as t:
            check_idle(tool_bits, target_bits, t.pid, f"idle {TARGET} ({target_bits}-bit)")


@test
def idle_cmd_has_no_findings():
    for bits in (64, 32):
        env = wine_env()
        before = set(windows_pids(bits, "cmd.exe"))
        proc = subprocess.Popen([WINE[bits], "cmd.exe", "/c", "ping -n 60 127.0.0.1 >nul"], env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            pid = wait_for_new_pid(bits, "cmd.exe", before)
            check_idle(bits, bits, pid, f"cmd.exe ({bits}-bit)")
        finally:
            proc.kill()
            proc.wait()


@test
def idle_notepad_has_no_findings():
    display = gui_harness.Display()
    try:
        for bits in (64, 32):
            env = gui_harness.gui_env(display)
            before = set(windows_pids(bits, "notepad.exe"))
            proc = subprocess.Popen([WINE[bits], "notepad.exe"], env=env, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                pid = wait_for_new_pid(bits, "notepad.exe", before)
                time.sleep(2)  # its window and the DLLs that come with it
                check_idle(bits, bits, pid, f"notepad.exe ({bits}-bit)")
            finally:
                proc.kill()
                proc.wait()
    finally:
        display.stop()


def wait_for_new_pid(bits, name, before):
    deadline = time.time() + 60
    while time.time() < deadline:
        new = set(windows_pids(bits, name)) - before
        if new:
            time.sleep(1.0)
            return min(new)
        time.sleep(0.5)
    raise AssertionError(f"{name} ({bits}-bit) did not start")


# ---- the self-modifying target --------------------------------------------------------------------

def check_changes(data, changes, threads, target_bits):
    """Every change the target reports is found at its exact address with its kind, size and
    destination, and nothing else is (Wine's own changes apart)."""
    ours, wines = split_findings(data, target_bits)
    assert_wine_findings(wines, target_bits)
    by_address = {}
    for f in ours:
        by_address.setdefault((f["kind"], addr(f["address"])), []).append(f)
    missing = []
    for c in changes:
        key = (c["kind"], addr(c["address"]))
        found = by_address.pop(key, None)
        if not found:
            missing.append(c)
            continue
        assert len(found) == 1, f"{c['what']}: {len(found)} findings"
        f = found[0]
        assert f["size"] == c["size"], f"{c['what']}: size {f['size']}, the target says {c['size']}"
        if "destination" in c:
            assert addr(f["destination"]) == addr(c["destination"]), \
                f"{c['what']}: destination {f['destination']}, the target says {c['destination']}"
        if c["module"]:
            assert f["module"] == c["module"], f"{c['what']}: module {f['module']}"
        if c["kind"] == "private_code" and c["what"] == "a thread starts here":
            assert [t["tid"] for t in f["threads"] if t["starts_here"]] == threads, f["threads"]
    assert not missing, "not found:\n" + "\n".join(f"  {c}" for c in missing) + "\nfound:\n" + describe(ours)
    extra = [f for fs in by_address.values() for f in fs]
    assert not extra, f"findings the target did not make:\n{describe(extra)}"


@test
def hooked_target_findings_are_exact():
    for tool_bits, target_bits in ((64, 64), (32, 32), (64, 32)):
        with Target(target_bits, TARGET) as t:
            reply = t.command("apply")
            assert "error" not in reply, reply
            data = scan(tool_bits, t.pid)
            check_changes(data, reply["changes"], reply["threads"], target_bits)
            # The contract import resolves through the process's API set schema to kernelbase.dll.
            contract = next(c for c in reply["changes"] if "api-ms-win-core-synch" in c["what"])
            slot = next(f for f in data["findings"] if addr(f["address"]) == addr(contract["address"]))
            assert "(kernelbase.dll!" in slot["detail"], slot["detail"]
            hooks = [f for f in data["findings"] if f["kind"] == "inline_hook"]
            assert all(f["detail"].endswith("at a function start") or "at a function start," in f["detail"]
                       for f in hooks), describe(hooks)
            assert all(f["destination_symbol"].startswith("Private Data at ") for f in hooks), describe(hooks)
            hooks_dll = next(m for m in t.info["modules"] if m["role"] == "hooks")
            print(f"  {target_bits}-bit target, {tool_bits}-bit pmm: {len(reply['changes'])} changes found "
                  f"exactly; hooks DLL relocated to {hooks_dll['base']}")


@test
def module_filter_scans_one_image():
    with Target(64, TARGET) as t:
        t.command("apply")
        data = scan(64, t.pid, "--module", "pmm_integrity_hooks")
        assert data["module_filter"] == "pmm_integrity_hooks"
        assert [i["name"] for i in data["images"]] == ["pmm_integrity_hooks.dll"]
        assert not data["summary"]["process_wide"]
        assert {f["module"] for f in data["findings"]} == {"pmm_integrity_hooks.dll"}
        kinds = sorted(f["kind"] for f in data["findings"])
        assert kinds == sorted(["header", "inline_hook", "inline_hook", "inline_hook", "inline_hook", "patch", "iat",
                                "iat", "eat", "tls_callback", "entry_point"]), kinds
        rc, out, err = pmm(64, "scan", t.pid, "--module", "no_such_module")
        assert rc == 0 and "no module matches --module no_such_module" in out, (rc, out, err)


@test
def text_output_and_usage_errors():
    with Target(64, TARGET) as t:
        rc, out, err = pmm(64, "scan", t.pid)
        assert rc == 0 and out.startswith("Integrity scan of pmm_target_integrity.exe"), (rc, out[:200], err)
        assert "Findings (0)" in out and "Not checked (0)" in out, out
    for args, code in ((["scan"], 2), (["scan", "1", "2"], 2), (["scan", "999999"], 1),
                       (["scan", "1", "--module", ""], 2), (["scan", "--bogus"], 2)):
        rc, out, err = pmm(64, *args)
        assert rc == code and err.strip() and not out, (args, rc, out, err)


# ---- minidumps -----------------------------------------------------------------------------------

def finding_key(f):
    """What must be the same on every source; the detail too, except where it names the file of a
    mapping (an unlinked image, a PE in a mapped view), which a minidump does not record."""
    names_mapped_file = f["kind"] == "unlinked_module" or " in mapped memory" in f["detail"]
    return (f["kind"], f["address"], f["size"], f.get("destination"), None if names_mapped_file else f["detail"])


PROCESS_WIDE = {"unlinked_module", "implanted_pe", "private_code"}


@test
def minidumps_give_the_live_findings():
    """Our minidump holds every committed page and the memory information: the same findings as
    the live process. Its module list leaves the unlinked DLL out (a debugger would not list it), and
    a minidump has no file names for mappings, so that one image is not checked, with that reason.
    dbghelp's full-memory dump (Wine's writes no MemoryInfoList) gives the same image findings; the
    process-wide ones need memory types and protections it does not have, and it says so."""
    for tool_bits, target_bits in ((64, 64), (32, 32), (64, 32)):
        with Target(target_bits, TARGET) as t, tempfile.TemporaryDirectory(prefix="pmm_integrity_") as tmp:
            t.command("apply")
            live = scan(tool_bits, t.pid)
            ours, dbghelp = os.path.join(tmp, "ours.dmp"), os.path.join(tmp, "dbghelp.dmp")
            for path, extra in ((ours, []), (dbghelp, ["--dbghelp", "MiniDumpWithFullMemory"])):
                rc, out, err = pmm(tool_bits, "dump", t.pid, "--format", "minidump", path, *extra, timeout=600)
                assert rc == 0, (extra, rc, err)
            unlinked = next(m for m in t.info["modules"] if m["role"] == "testdll")
            live_keys = sorted(map(finding_key, live["findings"]))

            dump = scan(tool_bits, ours)
            assert sorted(map(finding_key, dump["findings"])) == live_keys, \
                f"our dump:\n{describe(dump['findings'])}\nlive:\n{describe(live['findings'])}"
            reasons = [(u["address"], u["reason"]) for u in dump["not_checked"]]
            assert reasons == [(unlinked["base"], "no file name is known for it")], reasons

            dump = scan(tool_bits, dbghelp)
            image_keys = sorted(k for k in live_keys if k[0] not in PROCESS_WIDE)
            assert sorted(map(finding_key, dump["findings"])) == image_keys, describe(dump["findings"])
            whats = sorted(u["what"] for u in dump["not_checked"])
            assert whats == ["executable non-image memory", "unlinked modules"], dump["not_checked"]
            assert all("MemoryInfoList" in u["reason"] for u in dump["not_checked"])
            assert_all_images_checked(dump)
            print(f"  {target_bits}-bit target, {tool_bits}-bit pmm: our dump {len(live_keys)} findings as live; "
                  f"dbghelp's {len(image_keys)} image findings as live, process-wide not judged (said so)")


# ---- saved maps and pmm diff ---------------------------------------------------------------------

@test
def saved_maps_keep_findings_and_diff_compares_them():
    for bits in (64, 32):
        with Target(bits, TARGET) as t, tempfile.TemporaryDirectory(prefix="pmm_integrity_") as tmp:
            before, after, plain = (os.path.join(tmp, n) for n in ("before.pmm", "after.pmm", "plain.pmm"))
            for path, extra in ((before, ["--scan"]), (plain, [])):
                rc, out, err = pmm(bits, "save", t.pid, path, *extra)
                assert rc == 0, err
            reply = t.command("apply")
            rc, out, err = pmm(bits, "save", t.pid, after, "--scan")
            assert rc == 0, err
            live = scan(bits, t.pid)
            saved = scan(bits, after)
            assert saved["target"]["source"] == "saved"
            assert sorted(map(finding_key, saved["findings"])) == sorted(map(finding_key, live["findings"]))
            assert saved["images"] == live["images"] and saved["not_checked"] == live["not_checked"]

            rc, out, err = pmm(bits, "scan", plain)
            assert rc == 1 and "has no integrity scan" in err, (rc, err)

            for new_side in (after, t.pid):   # a live side is scanned because the saved side was
                diff = pmm_json(bits, "diff", before, new_side)
                assert diff["findings_compared"], diff["summary"]
                appeared = sorted((f["kind"], f["address"]) for f in diff["findings"] if f["change"] == "appeared")
                expected = sorted((c["kind"], c["address"]) for c in reply["changes"])
                assert appeared == expected, (appeared, expected)
                assert not [f for f in diff["findings"] if f["change"] == "gone"]
                assert diff["summary"]["findings_appeared"] == len(expected)
            diff = pmm_json(bits, "diff", plain, after)
            assert not diff["findings_compared"] and diff["findings"] == []
            print(f"  {bits}-bit: {len(reply['changes'])} findings appeared in pmm diff, saved and live")


# ---- hostile files on disk ------------------------------------------------------------------------

def pe_sections(data):
    nt = struct.unpack_from("<I", data, 0x3C)[0]
    count = struct.unpack_from("<H", data, nt + 6)[0]
    opt_size = struct.unpack_from("<H", data, nt + 20)[0]
    magic = struct.unpack_from("<H", data, nt + 24)[0]
    dirs = nt + 24 + (112 if magic == 0x20B else 96)
    reloc_rva = struct.unpack_from("<I", data, dirs + 5 * 8)[0]
    size_of_image = struct.unpack_from("<I", data, nt + 24 + 56)[0]
    sections = []
    for i in range(count):
        o = nt + 24 + opt_size + 40 * i
        vs, va, raw, off = struct.unpack_from("<IIII", data, o + 8)
        sections.append((va, raw, off))
    return reloc_rva, size_of_image, sections


def reloc_overflow(data):
    """The first relocation block's page moved to SizeOfImage: its fixups lie outside the image."""
    reloc_rva, size_of_image, sections = pe_sections(data)
    out = bytearray(data)
    for va, raw, off in sections:
        if va <= reloc_rva < va + raw:
            struct.pack_into("<I", out, off + reloc_rva - va, size_of_image)
            return bytes(out)
    raise AssertionError("no relocation section")


@test
def hostile_files_are_listed_as_not_checked():
    cases = [
        ("gone", None, "file_missing", "is not there"),
        ("not a PE", b"this is not the image\r\n" * 10, "file_mismatch", "its file is not a PE image"),
        ("cut short", "half", None, "runs past the end of the file"),
        ("relocations overflow", "reloc", None, "overflows the image"),
    ]
    for bits in (64, 32):
        for label, content, kind, reason in cases:
            with tempfile.TemporaryDirectory(prefix="pmm_integrity_") as tmp:
                for dll in DLLS:
                    shutil.copy(binary(bits, dll), tmp)
                with Target(bits, TARGET, "--dll-dir", "Z:" + tmp.replace("/", "\\")) as t:
                    hooks = next(m for m in t.info["modules"] if m["role"] == "hooks")
                    path = os.path.join(tmp, "pmm_integrity_hooks.dll")
                    with open(path, "rb") as f:
                        original = f.read()
                    os.rename(path, path + ".loaded")   # the loaded file stays, under another name
                    if content == "half":
                        content = original[:len(original) // 2]
                    elif content == "reloc":
                        content = reloc_overflow(original)
                    if content is not None:
                        with open(path, "wb") as f:
                            f.write(content)
                    data = scan(bits, t.pid)
                    image = next(i for i in data["images"] if i["name"] == "pmm_integrity_hooks.dll")
                    assert image["status"] == "not_checked", (label, image)
                    entry = [u for u in data["not_checked"] if u["module"] == "pmm_integrity_hooks.dll"]
                    assert len(entry) == 1 and reason in entry[0]["reason"], (label, entry)
                    assert addr(entry[0]["address"]) == addr(hooks["base"]) and entry[0]["size"] == hooks["size"]
                    ours, _ = split_findings(data, bits)
                    assert [f["kind"] for f in ours] == ([kind] if kind else []), (label, describe(ours))
                    print(f"  {bits}-bit, {label}: not checked, \"{entry[0]['reason']}\"")


if __name__ == "__main__":
    run_tests()
