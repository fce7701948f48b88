"""`pmm map --json` against winedbg's `info maps` (range for range) and `info share` (modules),
for a program that ships with Wine and for our own test target, in both bitnesses."""
from pmmtest import (Skip, Target, WineProgram, addr, pmm_json, run_tests, test, winedbg_maps,
                     winedbg_share)

# winedbg prints the allocation protection as R/W/C/X letters.
WINEDBG_RWX = {0x00: "", 0x01: "", 0x02: "R", 0x04: "RW", 0x08: "RC", 0x10: "X", 0x20: "RX", 0x40: "RWX",
               0x80: "RCX"}


def our_ranges(regions):
    """Our regions with adjacent free and unusable pieces merged, the way winedbg shows them."""
    out = []
    for r in regions:
        base, end = addr(r["address"]), addr(r["address"]) + r["size"]
        if r["state"] == "free" and out and out[-1]["state"] == "free" and out[-1]["end"] == base:
            out[-1]["end"] = end
            continue
        rwx = "" if r["state"] == "free" else WINEDBG_RWX.get(r["alloc_protect_value"] & 0xFF, "?")
        out.append({"base": base, "end": end, "state": r["state"], "type": r["type"], "rwx": rwx})
    return out


def merged_winedbg(maps, top):
    out = []
    for m in maps:
        if m["base"] >= top:
            break
        m = dict(m, end=min(m["end"], top))
        if m["state"] == "free" and out and out[-1]["state"] == "free" and out[-1]["end"] == m["base"]:
            out[-1]["end"] = m["end"]
            continue
        out.append(m)
    return out


def describe(r):
    return f"{r['base']:#x}-{r['end']:#x} {r['state']} {r['type']} {r['rwx']!r}"


def compare_maps(bits, pid):
    """Maps pid with pmm and winedbg; the map must agree range for range. A process may change
    between the two reads, so a mismatch is retried twice before it counts."""
    for attempt in range(3):
        ours = pmm_json(bits, "map", pid)
        mine = our_ranges(ours["regions"])
        theirs = merged_winedbg(winedbg_maps(pid), mine[-1]["end"])
        differences = [(a, b) for a, b in zip(mine, theirs) if a != b]
        if not differences and len(mine) == len(theirs):
            print(f"  pid {pid}: {len(mine)} ranges agree with winedbg")
            return ours
    first = differences[0] if differences else (mine[len(theirs):len(theirs) + 1], theirs[len(mine):len(mine) + 1])
    raise AssertionError(f"pid {pid}: {len(differences)} ranges differ from winedbg "
                         f"(ours {len(mine)}, winedbg {len(theirs)}); first: ours {first[0] and describe(first[0]) if isinstance(first[0], dict) else first[0]}"
                         f" vs winedbg {describe(first[1]) if isinstance(first[1], dict) else first[1]}")


def compare_modules(ours, pid):
    theirs = {(base, end) for base, end, _ in winedbg_share(pid)}
    mine = {(addr(m["base"]), addr(m["base"]) + m["size"]) for m in ours["modules"]}
    if not theirs:
        raise AssertionError("winedbg info share listed no PE module")
    if mine != theirs:
        raise AssertionError(f"modules differ: only ours {sorted(map(hex_pair, mine - theirs))}, "
                             f"only winedbg {sorted(map(hex_pair, theirs - mine))}")
    print(f"  pid {pid}: {len(mine)} PE modules agree with winedbg info share")


def hex_pair(p):
    return f"{p[0]:#x}-{p[1]:#x}"


@test
def cmd_x64_matches_winedbg():
    with WineProgram(64, ["cmd.exe", "/c", "ping -n 120 127.0.0.1 >nul"], "cmd.exe") as cmd:
        ours = compare_maps(64, cmd.pid)
        compare_modules(ours, cmd.pid)


@test
def target_x64_matches_winedbg():
    with Target(64, "pmm_target_basic.exe") as t:
        ours = compare_maps(64, t.pid)
        compare_modules(ours, t.pid)


@test
def target_x86_with_x86_pmm_matches_winedbg():
    with Target(32, "pmm_target_basic.exe") as t:
        ours = compare_maps(32, t.pid)
        compare_modules(ours, t.pid)


run_tests()
