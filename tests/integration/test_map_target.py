"""The map of our test target shows exactly what the target says it built: every protection
(guard and no-access included), reserved gaps, the unusable tail of an odd-sized allocation, a
mapped file view with its path, a pagefile-backed section, thread stacks, the heaps the PEB
names, our DLL and the PEB itself. Run for x64 and x86 targets with the matching pmm."""
import re

from pmmtest import Target, addr, pmm_json, run_tests, test


class MapView:
    def __init__(self, data):
        self.data = data
        self.regions = data["regions"]

    def at(self, address):
        for r in self.regions:
            if addr(r["address"]) <= address < addr(r["address"]) + r["size"]:
                return r
        raise AssertionError(f"no region contains {address:#x}")

    def covering(self, base, size):
        """The regions making up [base, base+size); fails if they do not tile it exactly."""
        out, at = [], base
        while at < base + size:
            r = self.at(at)
            assert addr(r["address"]) == at, f"region boundary expected at {at:#x}, got {r['address']}"
            out.append(r)
            at += r["size"]
        assert at == base + size, f"range {base:#x}+{size:#x} ends inside a region"
        return out


def check_private_ranges(m, info):
    ro = info["reserved_only"]
    [r] = m.covering(addr(ro["base"]), ro["size"])
    assert r["state"] == "reserve" and r["kind"] == "Private Data", r

    res = info["reservation"]
    base, size = addr(res["base"]), res["size"]
    committed = {addr(c["base"]): c for c in res["committed"]}
    for r in m.covering(base, size):
        assert addr(r["alloc_base"]) == base and r["alloc_protect_value"] == res["allocation_protect"], r
        c = committed.get(addr(r["address"]))
        if c:
            assert r["state"] == "commit" and r["size"] == c["size"], (r, c)
            assert r["protect_value"] == c["protect"], f"{c['protect_name']}: ours {r['protect']} ({r['protect_value']:#x})"
        else:
            assert r["state"] == "reserve", f"gap at {r['address']} should be reserved: {r}"
    seen = {c["protect_name"] for c in res["committed"]}
    assert {"PAGE_NOACCESS", "PAGE_READWRITE", "PAGE_EXECUTE_READWRITE"} <= seen, seen
    assert any(c["protect"] & 0x100 for c in res["committed"]), "no guard page in the target's report"

    odd = info["odd_size"]
    u = m.at(addr(odd["unusable_base"]))
    assert u["kind"] == "Unusable" and u["size"] == odd["unusable_size"], u
    return len(res["committed"])


def check_views(m, info):
    mf = info["mapped_file"]
    r = m.at(addr(mf["base"]))
    assert r["kind"] == "Mapped File", r
    assert r["details"].lower() == mf["path"].lower(), f"mapped file name {r['details']!r} != {mf['path']!r}"
    sh = info["shared_section"]
    r = m.at(addr(sh["base"]))
    assert r["kind"] == "Shareable" and r["type"] == "mapped", r


def check_threads_and_system(m, info):
    for t in [info["main_thread"]] + info["threads"]:
        r = m.at(addr(t["local_address"]))
        assert r["kind"] == "Stack" and f"thread {t['tid']}" in r["details"], r
        r = m.at(addr(t["teb"]))
        assert r["kind"] == "System" and f"TEB (thread {t['tid']})" in r["details"], r
    r = m.at(addr(info["peb"]))
    assert r["kind"] == "System" and "PEB" in r["details"], r
    kuser = m.at(0x7FFE0000)
    assert kuser["kind"] == "System" and "KUSER_SHARED_DATA" in kuser["details"], kuser
    heaps = {addr(h["address"]): h for h in m.data["heaps"]}
    default = heaps.get(addr(info["process_heap"]))
    assert default and default["default"], f"default heap {info['process_heap']} not found: {m.data['heaps']}"
    r = m.at(addr(info["process_heap"]))
    assert r["kind"] == "Heap" and "Heap (ID" in r["details"], r
    # Wine leaves PEB.ProcessHeaps empty, so the HeapCreate heap is found by its header signature
    # (0xFFEEFFEE, the NT _HEAP_SEGMENT layout Wine copies); on Windows the PEB lists it too.
    private_heap = addr(info["heap"]["handle"])
    assert private_heap in heaps, f"HeapCreate heap {info['heap']['handle']} not found: {m.data['heaps']}"
    r = m.at(private_heap)
    assert r["kind"] == "Heap" and f"Heap (ID {heaps[private_heap]['id']})" in r["details"], r
    assert heaps[private_heap]["found_by_signature"] or heaps[private_heap]["in_peb_list"], heaps[private_heap]
    for block in info["heap"]["blocks"]:
        r = m.at(addr(block["address"]))
        assert r["kind"] == "Heap", (block, r)


def check_modules(m, info):
    mods = {addr(x["base"]): x for x in m.data["modules"]}
    dll = mods.get(addr(info["dll"]["base"]))
    assert dll and dll["path"].lower() == info["dll"]["path"].lower(), dll
    assert dll["in_loader_list"], dll
    exe = mods.get(addr(info["image_base"]))
    assert exe and exe["name"].lower() == "pmm_target_basic.exe", exe
    assert m.at(addr(info["dll"]["base"]))["kind"] == "Image"


def check_target(bits):
    with Target(bits, "pmm_target_basic.exe") as t:
        m = MapView(pmm_json(bits, "map", t.pid))
        assert m.data["target"]["pid"] == t.pid and m.data["target"]["bits"] == bits
        n = check_private_ranges(m, t.info)
        check_views(m, t.info)
        check_threads_and_system(m, t.info)
        check_modules(m, t.info)
        print(f"  {bits}-bit: {n} committed pieces, mapped file, shared section, "
              f"{1 + len(t.info['threads'])} stacks, PEB, heap, DLL all as the target built them")


@test
def x64_target():
    check_target(64)


@test
def x86_target():
    check_target(32)


@test
def text_output_lists_the_same_allocations():
    from pmmtest import pmm
    with Target(64, "pmm_target_basic.exe") as t:
        data = pmm_json(64, "map", t.pid)
        rc, out, err = pmm(64, "map", t.pid)
        assert rc == 0, err
        allocation_rows = [line[:16] for line in out.splitlines() if re.match(r"[0-9A-F]{16} ", line)]
        starts = []
        for r in data["regions"]:
            if r["state"] == "free" or not starts or r["alloc_base"] != starts[-1][1]:
                starts.append((r["address"], r["alloc_base"] if r["state"] != "free" else None))
        expected = [f"{addr(a):016X}" for a, _ in starts]
        assert allocation_rows[:len(expected)] == expected[:len(allocation_rows)] and \
            len(allocation_rows) == len(expected), "text rows differ from the JSON allocations"
        assert "Stack (thread" in out and "KUSER_SHARED_DATA" in out


run_tests()
