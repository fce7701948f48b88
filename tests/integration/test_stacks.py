"""Call stacks: the target parks a thread in pmm_testdll's pmm_test_f1 -> f2 -> f3 ->
WaitForSingleObject. `pmm stacks` must show f3, f2, f1 in that order (innermost first), named from
the DLL's exports: x64 by our unwinder over the DLL's .pdata read from memory, x86 by the EBP chain,
and a WOW64 target from the 64-bit tool through the thread's 32-bit (WOW64) context."""
from pmmtest import Target, addr, pmm_json, run_tests, test

CHAIN = ["pmm_testdll.dll!pmm_test_f3", "pmm_testdll.dll!pmm_test_f2", "pmm_testdll.dll!pmm_test_f1"]


def symbol_base(symbol):
    return symbol.split("+")[0]


def check_parked_stack(target_bits, tool_bits):
    with Target(target_bits, "pmm_target_basic.exe") as t:
        tid = t.info["parked_thread"]
        out = pmm_json(tool_bits, "stacks", t.pid, "--tid", tid)
        assert out["format"] == "pmm-stacks" and out["version"] == 1, out
        [thread] = out["threads"]
        assert thread["tid"] == tid and thread["bits"] == target_bits, thread
        names = [symbol_base(f["symbol"]) for f in thread["frames"]]
        positions = [names.index(n) if n in names else -1 for n in CHAIN]
        assert -1 not in positions, f"f3/f2/f1 missing from the stack of thread {tid}: {names}"
        assert positions == sorted(positions) and positions[1] == positions[0] + 1 and \
            positions[2] == positions[1] + 1, f"expected f3, f2, f1 adjacent and innermost first: {names}"
        # Every frame above the innermost lies in the thread's stack, in ascending order.
        sps = [addr(f["sp"]) for f in thread["frames"]]
        assert sps == sorted(sps), f"stack pointers not ascending: {sps}"
        # The same frames appear in the map's JSON threads[].
        m = pmm_json(tool_bits, "map", t.pid)
        [mt] = [x for x in m["threads"] if x["tid"] == tid]
        assert [symbol_base(f["symbol"]) for f in mt["frames"]][positions[0]:positions[2] + 1] == CHAIN, mt["frames"]
        print(f"  thread {tid}: {len(names)} frames, f3/f2/f1 at {positions}; walk {thread['walk']!r}")


@test
def x64_target_x64_tool():
    check_parked_stack(64, 64)


@test
def x86_target_x86_tool():
    check_parked_stack(32, 32)


@test
def x86_target_x64_tool_via_wow64_context():
    """Wine 8 answers Wow64GetThreadContext across processes, so the 64-bit tool walks the 32-bit
    stack from the WOW64 context as it would on Windows."""
    check_parked_stack(32, 64)


@test
def wow64_64bit_side_of_each_thread():
    """The 64-bit tool on a 32-bit target also walks the 64-bit stack of each thread (the one the
    64-bit TEB describes) from the native x64 context, when that context's stack pointer is on it.
    On Windows the x64 context is the thread's real 64-bit state inside wow64cpu/ntdll, so the
    walk gives 64-bit frames. Wine 8 runs 32-bit processes without a 64-bit side: the 64-bit TEB
    and its stack exist (pmm labels them) but nothing runs there, and GetThreadContext from the
    64-bit tool returns the 32-bit registers in an x64 CONTEXT. pmm then says "not walked" and why;
    this test asserts that under Wine and the frames where a 64-bit walk happened."""
    with Target(32, "pmm_target_basic.exe") as t:
        m = pmm_json(64, "map", t.pid)
        stacks = {th["tid"]: th for th in pmm_json(64, "stacks", t.pid)["threads"]}
        walked = 0
        for th in m["threads"]:
            assert "teb64" in th and "walk64" in th and "frames64" in th, th
            # pmm stacks reports the same 64-bit side (addresses; a later scan, so no sp compared).
            assert stacks[th["tid"]]["walk64"] == th["walk64"], (stacks[th["tid"]], th["walk64"])
            assert len(stacks[th["tid"]]["frames64"]) == len(th["frames64"])
            assert th["frames"], f"thread {th['tid']}: no 32-bit frames ({th})"
            labels = [a for a in m["annotations"] if a["kind"] == "stack" and a.get("bits") == 64
                      and a.get("owner") == th["tid"]]
            assert labels, f"thread {th['tid']}: 64-bit stack not labelled"
            sp = addr(th["context"]["sp"])
            on_stack = addr(th["stack64_reserve_base"]) <= sp < addr(th["stack64_base"])
            if on_stack:
                assert th["frames64"], f"thread {th['tid']}: 64-bit side not walked: {th['walk64']}"
                assert all(addr(f["address"]) for f in th["frames64"]), th["frames64"]
                walked += 1
            else:
                assert th["walk64"] == "not walked: the context's stack pointer is not on this stack", th["walk64"]
                assert not th["frames64"], th["frames64"]
                # Wine: the "x64" context holds the 32-bit registers.
                assert th["context"]["sp"] == th["context32"]["sp"], (th["context"], th["context32"])
        print(f"  {len(m['threads'])} threads, 64-bit side walked for {walked} "
              f"({'Windows-like' if walked else 'Wine: no 64-bit side to walk'})")


@test
def every_thread_walked():
    with Target(64, "pmm_target_basic.exe") as t:
        out = pmm_json(64, "stacks", t.pid)
        assert out["threads"], out
        for th in out["threads"]:
            assert th["frames"], f"thread {th['tid']}: no frames ({th['walk']})"
            assert th["frames"][-1]["symbol"].lower().startswith("ntdll.dll!"), \
                f"thread {th['tid']}: outermost frame is not ntdll's thread start: {th['frames'][-1]}"


def check_seh_chains(tool_bits):
    """Every 32-bit thread's SEH chain: Wine's thread start (RtlUserThreadStart's frame) registers
    one record, so each chain must have records, each inside the thread's stack and above the one
    before, ending at 0xFFFFFFFF ("complete"); handlers are named. The same chain is in `pmm map`."""
    with Target(32, "pmm_target_basic.exe") as t:
        out = pmm_json(tool_bits, "stacks", t.pid)
        m = pmm_json(tool_bits, "map", t.pid)
        threads = {x["tid"]: x for x in m["threads"]}
        assert out["threads"], out
        for th in out["threads"]:
            mt = threads[th["tid"]]
            low, high = addr(mt["stack_reserve_base"]), addr(mt["stack_base"])
            assert th["seh_walk"] == "complete", f"thread {th['tid']}: {th['seh_walk']}"
            records = [addr(r["record"]) for r in th["seh"]]
            assert records, f"thread {th['tid']}: no SEH records"
            assert all(low <= r and r + 8 <= high for r in records), (records, hex(low), hex(high))
            assert records == sorted(set(records)), f"records not ascending: {records}"
            assert all(r["symbol"] for r in th["seh"]), th["seh"]
            assert mt["seh"] == th["seh"], (mt["seh"], th["seh"])
        print(f"  {len(out['threads'])} threads, SEH records per thread: {[len(x['seh']) for x in out['threads']]}")


@test
def x86_seh_chains():
    check_seh_chains(32)


@test
def x86_seh_chains_from_wow64_tool():
    check_seh_chains(64)


@test
def x64_has_no_seh_chain():
    with Target(64, "pmm_target_basic.exe") as t:
        out = pmm_json(64, "stacks", t.pid)
        assert all(th["seh"] == [] and th["seh_walk"] == "not walked" for th in out["threads"]), out


@test
def unknown_thread_is_an_error():
    from pmmtest import pmm
    with Target(64, "pmm_target_basic.exe") as t:
        rc, out, err = pmm(64, "stacks", t.pid, "--tid", "999999")
        assert rc == 1 and err.startswith("pmm: "), (rc, err)
        rc, out, err = pmm(64, "stacks", t.pid, "--tid", "abc")
        assert rc == 2 and err.startswith("pmm: "), (rc, err)


run_tests()
