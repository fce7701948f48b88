"""Heaps as the OS lists them (the live source's `heaps` op) and as pmm finds them without the OS.

On Windows, pmm asks RtlQueryProcessDebugInformation (non-invasive first, then the classic query
that creates a thread in the target), then Toolhelp's heap list, each on a helper thread with a
5 s timeout, and labels heaps, segments and (pmm map --heap-blocks) blocks from the answer.

What Wine 8 does with each route (seen by these tests, and asserted when no route answers):
- RtlQueryProcessDebugInformation accepts the non-invasive flags, returns success and fills
  nothing: no heap list at all. pmm says "returned success but listed no heaps".
- CreateToolhelp32Snapshot(TH32CS_SNAPHEAPLIST) fails with ERROR_CALL_NOT_IMPLEMENTED (120).
- Both answer within milliseconds, and the map then says in its warnings that heap segments are
  not available, naming both routes.
So under Wine the target's HeapCreate heap is labelled through PEB.ProcessHeap (the default
heap) and the header-signature search (every other heap); segments and blocks are not labelled.
When a route does answer (real Windows), the tests assert the route's own facts instead: the
target's private heap is listed by it, and with --heap-blocks its HeapAlloc blocks are labelled.
A route that never answers (a deadlocked target) is simulated with PMM_TEST_HANG_HEAP_ROUTE=1:
the scan must go on after the timeout and still label the heap by signature.
"""
import os
import time

from pmmtest import Target, addr, pmm_json, run_tests, test

COMBINATIONS = ((64, 64), (32, 32), (32, 64))


def heap_warning(m):
    found = [w for w in m["warnings"] if w.startswith("heap segments")]
    return found[0] if found else None


def region_at(m, address):
    for r in m["regions"]:
        if addr(r["address"]) <= address < addr(r["address"]) + r["size"]:
            return r
    return None


def check_private_heap_labelled(m, info):
    heaps = {addr(h["address"]): h for h in m["heaps"]}
    private = addr(info["heap"]["handle"])
    assert private in heaps, f"HeapCreate heap {info['heap']['handle']} not among {m['heaps']}"
    r = region_at(m, private)
    assert r and r["kind"] == "Heap" and f"Heap (ID {heaps[private]['id']})" in r["details"], r
    return heaps[private]


def map_target(target_bits, tool_bits, *extra):
    with Target(target_bits, "pmm_target_basic.exe") as t:
        started = time.time()
        m = pmm_json(tool_bits, "map", t.pid, *extra)
        return t.info, m, time.time() - started


@test
def heap_routes_answer_or_fail_cleanly():
    for target_bits, tool_bits in COMBINATIONS:
        info, m, seconds = map_target(target_bits, tool_bits)
        heap = check_private_heap_labelled(m, info)
        listed = [h for h in m["heaps"] if "os_route" in h]
        if listed:   # Windows: the route's own list holds the private heap; segments are labelled
            assert "os_route" in heap, f"the OS route did not list the private heap: {m['heaps']}"
            assert any(a["kind"] == "heap_segment" for a in m["annotations"]), "no heap segments"
            print(f"  {target_bits}-bit target, {tool_bits}-bit tool: {len(listed)} heaps from {listed[0]['os_route']}")
            continue
        # Wine: both routes fail fast and say so; the signature route still labels the heap.
        w = heap_warning(m)
        assert w, f"no warning about the heap routes: {m['warnings']}"
        assert "RtlQueryProcessDebugInformation: " in w and "listed no heaps" in w, w
        assert "Toolhelp: " in w and ("failed" in w or "no heaps" in w), w
        assert heap["found_by_signature"] or heap["in_peb_list"], heap
        assert seconds < 30, f"the map took {seconds:.1f} s"
        assert not any(a["kind"] in ("heap_segment", "heap_block") for a in m["annotations"])
        print(f"  {target_bits}-bit target, {tool_bits}-bit tool: {seconds:.1f} s; {w}")


@test
def heap_blocks_option():
    """--heap-blocks: with a route that answers, each HeapAlloc block of the target lies in a
    `heap_block` annotation owned by the private heap; under Wine the option is accepted and the
    map is the same as without it (no route lists blocks)."""
    for target_bits, tool_bits in COMBINATIONS:
        info, m, _ = map_target(target_bits, tool_bits, "--heap-blocks")
        heap = check_private_heap_labelled(m, info)
        blocks = [a for a in m["annotations"] if a["kind"] == "heap_block"]
        if "os_route" not in heap:
            assert not blocks, blocks[:3]
            print(f"  {target_bits}/{tool_bits}: no route lists blocks here; option accepted")
            continue
        for b in info["heap"]["blocks"]:
            a = addr(b["address"])
            assert any(addr(x["address"]) <= a < addr(x["address"]) + x["size"] and x.get("owner") == heap["id"]
                       for x in blocks), f"block {b['address']} not labelled"
        print(f"  {target_bits}/{tool_bits}: {len(blocks)} heap blocks labelled")


@test
def a_route_that_never_answers_is_abandoned():
    os.environ["PMM_TEST_HANG_HEAP_ROUTE"] = "1"
    try:
        info, m, seconds = map_target(64, 64)
    finally:
        del os.environ["PMM_TEST_HANG_HEAP_ROUTE"]
    w = heap_warning(m) or ""
    assert "RtlQueryProcessDebugInformation: no answer within 5000 ms; abandoned" in w, m["warnings"]
    assert 5 <= seconds < 40, f"the map took {seconds:.1f} s"
    check_private_heap_labelled(m, info)
    print(f"  map finished in {seconds:.1f} s with the route abandoned: {w}")


run_tests()
