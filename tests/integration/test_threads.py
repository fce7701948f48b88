"""Every thread of a target appears with its TEB and a stack range holding the thread's stack
pointer. The stack pointer comes from an independent probe that suspends each thread and calls
GetThreadContext (pmm itself never suspends the target)."""
import json

from pmmtest import Target, addr, binary, pmm_json, run_tests, run_wine, test


def probe(bits, pid):
    rc, out, err = run_wine(bits, binary(bits, "pmm_thread_probe.exe"), pid)
    if rc != 0:
        raise AssertionError(f"thread probe failed: {err.strip()}")
    threads = json.loads(out)["threads"]
    failed = [t for t in threads if "error" in t]
    if failed:
        raise AssertionError(f"the probe could not read some threads: {failed}")
    return {t["tid"]: t for t in threads}


def check_threads(target_bits, tool_bits):
    with Target(target_bits, "pmm_target_basic.exe") as t:
        expected = probe(tool_bits, t.pid)
        ours = {th["tid"]: th for th in pmm_json(tool_bits, "map", t.pid)["threads"]}
        missing = sorted(set(expected) - set(ours))
        assert not missing, f"threads missing from the map: {missing}"
        for tid, p in expected.items():
            th = ours[tid]
            sp = addr(p["sp"])
            base, limit, reserve = addr(th["stack_base"]), addr(th["stack_limit"]), addr(th["stack_reserve_base"])
            assert addr(th["teb"]) != 0, f"thread {tid}: no TEB"
            assert reserve <= limit < base, f"thread {tid}: bad stack range {th}"
            assert limit <= sp < base, f"thread {tid}: sp {sp:#x} outside stack {limit:#x}-{base:#x}"
        # The target's own view of its threads (read inside each thread) must match ours exactly.
        for own in [t.info["main_thread"]] + t.info["threads"]:
            th = ours[own["tid"]]
            assert addr(th["teb"]) == addr(own["teb"]), f"thread {own['tid']}: TEB {th['teb']} != {own['teb']}"
            assert addr(th["stack_base"]) == addr(own["stack_base"]), f"thread {own['tid']}: stack base differs"
            assert addr(th["stack_limit"]) <= addr(own["local_address"]) < addr(th["stack_base"])
            if "stack_reserve" in own:
                reserved = addr(th["stack_base"]) - addr(th["stack_reserve_base"])
                assert reserved >= own["stack_reserve"], f"thread {own['tid']}: reserve {reserved} < requested"
        print(f"  {len(expected)} threads: TEB found, stack pointer inside the stack, TEB agrees with the target")
        return t, ours


@test
def x64_target_x64_tool():
    check_threads(64, 64)


@test
def x86_target_x86_tool():
    check_threads(32, 32)


@test
def x86_target_x64_tool_shows_both_tebs():
    """WOW64 from the 64-bit tool: the 32-bit TEB and stack are the thread's own; the 64-bit TEB
    and stack that WOW64 adds are reported beside them."""
    with Target(32, "pmm_target_basic.exe") as t:
        m = pmm_json(64, "map", t.pid)
        assert m["target"]["bits"] == 32 and m["target"]["wow64"], m["target"]
        for th in m["threads"]:
            assert addr(th["teb"]) < 2**32, f"thread {th['tid']}: 32-bit TEB expected, got {th['teb']}"
            assert "teb64" in th, f"thread {th['tid']}: no 64-bit TEB reported"
        kinds = {a["kind"] for a in m["annotations"]}
        assert {"peb", "teb", "stack"} <= kinds, kinds
        pebs = [a for a in m["annotations"] if a["kind"] == "peb"]
        assert any(addr(a["address"]) == addr(t.info["peb"]) and a.get("bits") == 32 for a in pebs), pebs
        names = {mod["name"].lower() for mod in m["modules"]}
        assert "pmm_testdll.dll" in names and "pmm_target_basic.exe" in names, names
        print(f"  {len(m['threads'])} threads with 32- and 64-bit TEBs; PEB32 {t.info['peb']} found; "
              f"warnings: {m['warnings']}")
    check_threads(32, 64)


@test
def sound_targets_have_no_invalid_marks():
    """Marked-invalid annotations (a TEB whose stack limit is above its base, a stack pointer
    outside its stack, a looping SEH chain or loader list, a heap header without a signature) are
    for corrupt structures: a healthy process has none, from any tool. The corrupt cases
    themselves are fed through a fake source in tests/unit/test_scan_hostile.c."""
    for target_bits, tool_bits in ((64, 64), (32, 32), (32, 64)):
        with Target(target_bits, "pmm_target_basic.exe") as t:
            m = pmm_json(tool_bits, "map", t.pid)
            marked = [a for a in m["annotations"] if "invalid" in a]
            assert not marked, f"{target_bits}-bit target, {tool_bits}-bit tool: {marked}"
            print(f"  {target_bits}/{tool_bits}: {len(m['annotations'])} annotations, none marked invalid")


run_tests()
