#!/usr/bin/env python3
"""pmm save / pmm map FILE / pmm diff against pmm_target_changes.exe under Wine.

- Between two saves the target makes six scripted changes (allocate, free, protect, load a DLL,
  start a thread, write into a page); the diff must report each of them and nothing else.
  What a thread start brings with it (its stack, its TEB page, and under Wine the 1 MiB "kernel
  stack" allocation Wine puts directly above every thread's stack) counts as that step.
  Wine 32-bit adds two more: a second stack-shaped 1 MiB allocation right below a new thread's
  stack, and a DLL mapped inside one of the big reservations Wine keeps in the low 2 GB, which
  splits that reservation (it ends at the DLL now; its rest after the DLL is a new allocation).
  Page contents: a running program writes its own stack, heap, TEB/PEB, its modules' data and
  KUSER_SHARED_DATA (the clock) all the time, so changed pages there are background, not an error;
  they are printed, and a changed page anywhere else (above all in the target's own allocations
  other than the written page) fails the test.
- A saved map printed with `pmm map FILE` equals `pmm map PID` printed at the same moment (the
  scan time and the target's "source" field excepted).
- A truncated file, a bad version, flipped bits and random bytes each give exit 1 and a message.
"""
import json
import os
import random
import shutil
import tempfile

from pmmtest import Skip, Target, addr, pmm, pmm_json, run_tests, temporaries, test

BACKGROUND_KINDS = {"Stack", "Heap", "System"}
MASK64 = (1 << 64) - 1


def checksum64(data):
    """core/formats/saved_map_pages.h: FNV-1a-style over 64-bit little-endian words, tail bytewise."""
    h = 0xcbf29ce484222325
    words = len(data) // 8
    for i in range(words):
        h = ((h ^ int.from_bytes(data[8 * i:8 * i + 8], "little")) * 0x100000001b3) & MASK64
        h ^= h >> 31
    for b in data[words * 8:]:
        h = ((h ^ b) * 0x100000001b3) & MASK64
    return h


def reseal(data):
    """Rewrites the header's file size and the trailing checksum of a modified saved map."""
    data = bytearray(data)
    data[16:24] = len(data).to_bytes(8, "little")
    data[-8:] = checksum64(bytes(data[:-8])).to_bytes(8, "little")
    return bytes(data)


class Workdir:
    def __enter__(self):
        self.path = tempfile.mkdtemp(prefix="pmm_save_diff_")
        return self.path

    def __exit__(self, *exc):
        shutil.rmtree(self.path, ignore_errors=True)


def save(bits, pid, path, *flags):
    rc, out, err = pmm(bits, "save", pid, path, *flags)
    assert rc == 0, f"pmm save failed ({rc}): {err.strip()}"
    assert os.path.getsize(path) > 0 and not temporaries(path)


def by_change(entries, change):
    return [e for e in entries if e["change"] == change]


def allocation_of(m, address):
    """(base, end, first region) of the allocation holding address in a pmm-map document."""
    regions = [r for r in m["regions"] if addr(r["address"]) <= address < addr(r["address"]) + r["size"]]
    if not regions:
        return None
    base = addr(regions[0]["alloc_base"])
    members = [r for r in m["regions"] if addr(r["alloc_base"]) == base and r["state"] != "free"]
    end = max(addr(r["address"]) + r["size"] for r in members)
    return base, end, members[0]


def check_region_changes(diff, info, steps, new_thread, dll_size):
    regions = diff["regions"]
    removed = by_change(regions, "removed")
    assert [addr(e["allocation"]) for e in removed] == [addr(info["to_free"])], removed
    assert removed[0]["size"] == info["size"]

    stack_low, stack_high = addr(new_thread["stack_reserve_base"]), addr(new_thread["stack_base"])
    dll_base, dll_end = addr(steps["load_dll"]["base"]), addr(steps["load_dll"]["base"]) + dll_size
    expected_added = {addr(steps["allocate"]["address"]): "allocate", addr(steps["load_dll"]["base"]): "load_dll"}
    for e in by_change(regions, "added"):
        base = addr(e["allocation"])
        if base in expected_added:
            expected_added[base] = None
        elif stack_low <= base < stack_high:
            pass                             # the new thread's stack
        elif base == stack_high:
            pass                             # Wine: the new thread's 1 MiB kernel stack, right above it
        elif base + e["size"] == stack_low:
            pass                             # Wine 32-bit: a second stack-shaped 1 MiB right below it
        elif e["new"][0]["state"] == "reserve" and base == dll_end:
            pass                             # Wine 32-bit: the rest of the reservation the DLL split
        else:
            raise AssertionError(f"unexpected allocation added: {e}")
    assert all(v is None for v in expected_added.values()), f"not reported as added: {expected_added}"
    added_dll = [e for e in by_change(regions, "added") if addr(e["allocation"]) == addr(steps["load_dll"]["base"])]
    assert added_dll[0]["new"][0]["kind"] == "Image", added_dll

    changed = by_change(regions, "changed")
    protect = [e for e in changed if addr(e["allocation"]) == addr(info["to_protect"])]
    assert len(protect) == 1, f"the protection change is not exactly one change: {changed}"
    assert addr(protect[0]["address"]) == addr(steps["protect"]["address"]) and protect[0]["size"] == 0x2000, protect
    assert "protect" in protect[0]["fields"], protect
    teb = addr(new_thread["teb"])
    for e in changed:
        if e is protect[0]:
            continue
        if e["fields"] == ["size"] and max(addr(r["address"]) + r["size"] for r in e["new"]) == dll_base:
            continue   # Wine 32-bit maps the DLL inside one of its own reservations, which shrinks
        # The only other change allowed: the allocation the new thread's TEB was committed in.
        olds = e.get("old", [])
        lo, hi = addr(e["allocation"]), max(addr(r["address"]) + r["size"] for r in olds)
        assert lo <= teb < hi, f"unexpected region change: {json.dumps(e)[:400]}"
        assert set(e["fields"]) <= {"state", "protect", "details", "blocks"}, e["fields"]


def check_page_changes(diff, old_map, new_map, info, steps):
    written = addr(steps["write"]["address"])
    pages = diff["pages"]
    assert any(addr(p["address"]) <= written < addr(p["address"]) + p["size"] for p in pages), \
        f"the written page {written:#x} is not reported: {pages}"
    own = [addr(info[k]) for k in ("to_free", "to_protect", "to_write")] + [addr(steps["allocate"]["address"])]
    kernel_stacks = {addr(t["stack_base"]) for t in new_map["threads"]}
    old_modules = {addr(m["base"]) for m in old_map["modules"]}
    background = []
    for p in pages:
        start, end = addr(p["address"]), addr(p["address"]) + p["size"]
        if start <= written < end:
            assert p["size"] == 0x1000, f"more than the written page changed in {p}"
            continue
        alloc = addr(p["allocation"])
        assert alloc not in own, f"a page of the target's own memory changed unasked: {p}"
        base, alloc_end, first = allocation_of(new_map, start)
        ok = (p["kind"] in BACKGROUND_KINDS
              or (p["kind"] == "Image" and base in old_modules)      # modules' .data, loaded before
              or (p["kind"] == "Private Data" and base in kernel_stacks)   # Wine's per-thread kernel stack
              # A HeapCreate heap (msvcrt's own): Wine leaves PEB.ProcessHeaps empty, so it shows as
              # Private Data: a reservation of at least 1 MiB that starts with committed RW memory.
              or (p["kind"] == "Private Data" and alloc_end - base >= 0x100000 and first["state"] == "commit"
                  and first["protect"] == "RW"))
        assert ok, f"a page changed outside the expected background: {p}"
        background.append(f"{p['address']}+{p['size'] // 4096}p {p['kind']} {p['details']}")
    print("  background page changes (the target running):", "; ".join(background))


def scripted_changes(bits):
    with Workdir() as d, Target(bits, "pmm_target_changes.exe") as t:
        old_path, new_path = os.path.join(d, "old.pmm"), os.path.join(d, "new.pmm")
        save(bits, t.pid, old_path, "--checksums")
        steps = {}
        for name in t.info["steps"]:
            reply = t.command("step")
            assert reply["step"] == name and "error" not in reply, reply
            steps[name] = reply
        assert t.command("step") == {"step": None}
        save(bits, t.pid, new_path, "--checksums")
        diff = pmm_json(bits, "diff", old_path, new_path)
        old_map, new_map = pmm_json(bits, "map", old_path), pmm_json(bits, "map", new_path)
        rc, text, err = pmm(bits, "diff", old_path, new_path)
    assert rc == 0 and "Regions:" in text, (rc, text[:600], err)   # once failed with an empty err: say all
    assert diff["format"] == "pmm-diff" and diff["version"] == 1 and diff["pages_compared"]
    assert diff["old"]["source"] == "saved" and diff["old"]["pid"] == t.pid

    started = by_change(diff["threads"], "started")
    assert [e["tid"] for e in started] == [steps["thread"]["tid"]], diff["threads"]
    assert not by_change(diff["threads"], "exited"), diff["threads"]
    loaded = by_change(diff["modules"], "loaded")
    assert [addr(e["base"]) for e in loaded] == [addr(steps["load_dll"]["base"])], diff["modules"]
    assert loaded[0]["name"].lower() == "pmm_testdll.dll" and not by_change(diff["modules"], "unloaded")
    assert diff["heaps"] == [], diff["heaps"]
    check_region_changes(diff, t.info, steps, started[0], loaded[0]["size"])
    check_page_changes(diff, old_map, new_map, t.info, steps)


@test
def diff_reports_exactly_the_scripted_changes_64():
    scripted_changes(64)


@test
def diff_reports_exactly_the_scripted_changes_32():
    scripted_changes(32)


@test
def idle_target_has_no_structural_changes():
    with Workdir() as d, Target(64, "pmm_target_changes.exe") as t:
        a, b = os.path.join(d, "a.pmm"), os.path.join(d, "b.pmm")
        save(64, t.pid, a)
        save(64, t.pid, b)
        diff = pmm_json(64, "diff", a, b)
        live = pmm_json(64, "diff", a, t.pid)   # a live side, scanned now
    for d_ in (diff, live):
        assert not d_["pages_compared"]
        for key in ("regions", "modules", "threads", "heaps"):
            assert d_[key] == [], f"{key}: {d_[key]}"
    assert live["new"]["source"] == "live"


def comparable(doc):
    doc = json.loads(json.dumps(doc))
    doc["scan"].pop("microseconds")
    doc["target"].pop("source")
    return doc


def comparable_text(text):
    return [l for l in text.splitlines() if not l.startswith(("Target:", "Regions:"))]


@test
def saved_map_prints_like_the_live_map():
    with Workdir() as d, Target(64, "pmm_target_changes.exe") as t:
        path = os.path.join(d, "now.pmm")
        for attempt in range(3):
            before = pmm_json(64, "map", t.pid)
            save(64, t.pid, path)
            after = pmm_json(64, "map", t.pid)
            if comparable(before) == comparable(after):
                break
        else:
            raise Skip("the live map never held still across three save attempts")
        saved = pmm_json(64, "map", path)
        rc, saved_text, _ = pmm(64, "map", path)
        rc2, live_text, _ = pmm(64, "map", t.pid)
    assert saved["target"]["source"] == "saved" and before["target"]["source"] == "live"
    assert saved["scan"]["microseconds"] > 0
    assert comparable(saved) == comparable(before), "saved map differs from the live map"
    assert rc == 0 and rc2 == 0
    assert comparable_text(saved_text) == comparable_text(live_text)
    assert "saved map" in saved_text.splitlines()[0]


def expect_failure(bits, path, *words):
    rc, out, err = pmm(bits, "map", path)
    assert rc == 1, f"exit {rc} for {path}: {err}"
    assert err.startswith("pmm: ") and err.count("\n") == 1, repr(err)
    for w in words:
        assert w in err, f"{w!r} not in {err!r}"
    assert out == ""


@test
def damaged_files_give_clear_errors():
    with Workdir() as d, Target(64, "pmm_target_changes.exe") as t:
        good = os.path.join(d, "good.pmm")
        save(64, t.pid, good, "--checksums")
        data = open(good, "rb").read()
        cases = {
            "truncated.pmm": (data[:len(data) // 2], ["truncated"]),
            "tiny.pmm": (data[:5], ["too short"]),
            "version.pmm": (reseal(data[:8] + (7).to_bytes(4, "little") + data[12:]), ["version 7", "not supported"]),
            "flipped.pmm": (data[:100] + bytes([data[100] ^ 0x10]) + data[101:], ["checksum mismatch"]),
            "random.pmm": (random.Random(7).randbytes(4096), ["not a minidump or saved map"]),
            "random_magic.pmm": (data[:8] + random.Random(8).randbytes(4096), []),
        }
        for name, (content, words) in cases.items():
            path = os.path.join(d, name)
            with open(path, "wb") as f:
                f.write(content)
            expect_failure(64, path, *words)
            rc, _, err = pmm(64, "diff", good, path)
            assert rc == 1 and err.startswith("pmm: "), (name, rc, err)
        # A saved map has no bytes: commands that need memory say so.
        rc, _, err = pmm(64, "exports", good)
        assert rc == 1 and "saved map" in err, err
        # A failed save leaves nothing behind.
        bad = os.path.join(d, "no_such_folder", "x.pmm")
        rc, _, err = pmm(64, "save", t.pid, bad)
        assert rc == 1 and err.startswith("pmm: ") and "nothing was saved" in err, err
        assert not os.path.exists(os.path.dirname(bad))
        rc, _, err = pmm(64, "save", t.pid)
        assert rc == 2, err


if __name__ == "__main__":
    run_tests()
