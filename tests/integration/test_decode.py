"""`pmm decode`: structures decoded from a live target's memory through the field tables, checked
against what the target reports about itself (GetCommandLineW, GetCurrentDirectoryW, its PEB,
its threads' TEBs) and against Wine's KUSER_SHARED_DATA."""
from pmmtest import Target, addr, pmm, pmm_json, run_tests, test


def fields(decoded):
    return {f["name"]: f for f in decoded["fields"]}


def check_params(bits, tool_bits):
    with Target(bits, "pmm_target_basic.exe") as t:
        d = pmm_json(tool_bits, "decode", t.pid, "params", "--json")
        assert d["format"] == "pmm-decode" and d["version"] == 1, d
        assert d["type"] == f"RTL_USER_PROCESS_PARAMETERS{bits}", d["type"]
        f = fields(d)
        assert f["CommandLine"]["value"] == t.info["command_line"], (f["CommandLine"], t.info["command_line"])
        # GetCurrentDirectoryW has no trailing backslash except at a root; the DosPath keeps one.
        cwd = f["CurrentDirectory.DosPath"]["value"]
        assert cwd.rstrip("\\") == t.info["current_directory"].rstrip("\\"), (cwd, t.info["current_directory"])
        assert f["ImagePathName"]["value"].lower().endswith("pmm_target_basic.exe"), f["ImagePathName"]
        text = pmm(tool_bits, "decode", t.pid, "params")[1]
        assert t.info["command_line"] in text, text
        print(f"  command line {t.info['command_line']!r}, directory {cwd!r}")


@test
def params_x64():
    check_params(64, 64)


@test
def params_x86():
    check_params(32, 32)


@test
def params_wow64_from_x64_tool():
    check_params(32, 64)


def check_peb(bits):
    with Target(bits, "pmm_target_basic.exe") as t:
        d = pmm_json(bits, "decode", t.pid, "peb", "--json")
        assert d["type"] == f"PEB{bits}" and addr(d["address"]) == addr(t.info["peb"]), (d["type"], d["address"])
        f = fields(d)
        assert addr(f["ImageBaseAddress"]["value"]) == addr(t.info["image_base"]), f["ImageBaseAddress"]
        assert addr(f["ProcessHeap"]["value"]) == addr(t.info["process_heap"]), f["ProcessHeap"]
        assert f["BeingDebugged"]["value"] == 0, f["BeingDebugged"]
        assert f["OSMajorVersion"]["value"] >= 5, f["OSMajorVersion"]


@test
def peb_x64():
    check_peb(64)


@test
def peb_x86():
    check_peb(32)


def check_teb(bits):
    with Target(bits, "pmm_target_basic.exe") as t:
        for own in [t.info["main_thread"]] + t.info["threads"]:
            d = pmm_json(bits, "decode", t.pid, "teb", own["tid"], "--json")
            f = fields(d)
            assert addr(f["NtTib.Self"]["value"]) == addr(own["teb"]) == addr(d["address"]), (f["NtTib.Self"], own)
            assert addr(f["NtTib.StackBase"]["value"]) == addr(own["stack_base"]), f["NtTib.StackBase"]
            assert f["ClientId.UniqueThread"]["value"] == own["tid"], f["ClientId.UniqueThread"]
            assert addr(f["ProcessEnvironmentBlock"]["value"]) == addr(t.info["peb"]), f["ProcessEnvironmentBlock"]


@test
def teb_x64():
    check_teb(64)


@test
def teb_x86():
    check_teb(32)


@test
def kuser_shared_data():
    """KUSER_SHARED_DATA holds the version the process sees (its PEB's OSMajor/MinorVersion,
    which GetVersionEx returns): Wine fills both with the Windows version it pretends to be."""
    with Target(64, "pmm_target_basic.exe") as t:
        f = fields(pmm_json(64, "decode", t.pid, "kuser", "--json"))
        peb = fields(pmm_json(64, "decode", t.pid, "peb", "--json"))
        assert 5 <= f["NtMajorVersion"]["value"] <= 20, f["NtMajorVersion"]
        assert f["NtMajorVersion"]["value"] == peb["OSMajorVersion"]["value"], (f["NtMajorVersion"], peb["OSMajorVersion"])
        assert f["NtMinorVersion"]["value"] == peb["OSMinorVersion"]["value"], (f["NtMinorVersion"], peb["OSMinorVersion"])
        assert f["NtSystemRoot"]["value"].lower().startswith("c:\\windows"), f["NtSystemRoot"]
        tick = f["TickCount"]["value"] or f["TickCountLowDeprecated"]["value"]
        assert tick > 0, (f["TickCount"], f["TickCountLowDeprecated"])
        print(f"  NtMajorVersion {f['NtMajorVersion']['value']}, tick count {tick}")


@test
def address_and_type():
    """The DLL's headers by address and type name; the bitness-free name picks the target's layout."""
    with Target(64, "pmm_target_basic.exe") as t:
        base = t.info["dll"]["base"]
        f = fields(pmm_json(64, "decode", t.pid, base, "IMAGE_DOS_HEADER", "--json"))
        assert f["e_magic"]["value"] == 0x5A4D, f["e_magic"]
        nt = addr(base) + f["e_lfanew"]["value"]
        g = fields(pmm_json(64, "decode", t.pid, hex(nt), "IMAGE_NT_HEADERS", "--json"))
        assert g["Signature"]["value"] == 0x4550 and g["FileHeader.Machine"]["value"] == 0x8664, g["Signature"]
        assert g["OptionalHeader.ImageBase"]["value"] == addr(base), g["OptionalHeader.ImageBase"]


@test
def errors():
    with Target(64, "pmm_target_basic.exe") as t:
        rc, out, err = pmm(64, "decode", t.pid, "0x1000", "NO_SUCH_TYPE")
        assert rc == 1 and err.startswith("pmm: "), (rc, err)
        rc, out, err = pmm(64, "decode", t.pid, "teb", "999999")
        assert rc == 1 and err.startswith("pmm: "), (rc, err)
        rc, out, err = pmm(64, "decode", t.pid, "0x10", "PEB64")
        assert rc == 1 and err.startswith("pmm: "), (rc, err)
        rc, out, err = pmm(64, "decode", t.pid, "nonsense")
        assert rc == 2 and err.startswith("pmm: "), (rc, err)


run_tests()
