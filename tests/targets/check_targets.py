#!/usr/bin/env python3
"""Checks the test targets themselves under Wine, against tools that share no code with them.

    source tools/wine-env.sh
    python3 tests/targets/check_targets.py --win64 build/win64/tests/targets --win32 build/win32/tests/targets

For each given build it starts pmm_target_basic.exe, compares its JSON with
`winedbg --command "info maps PID"` (Wine's own view of the address space), runs
pmm_thread_probe.exe of every available bitness on it, and checks ping/quit, --exit-after-ms,
--allocations and pmm_target_churn.exe. Prints one line per check; exits 1 if any failed.
Only the standard library: it runs before anything else of the project is known to work.
"""
import argparse
import json
import os
import queue
import subprocess
import sys
import threading
import time

failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)
    return condition


class Target:
    """A target process with stdin/stdout pipes and a reader thread, so reads can time out."""

    def __init__(self, wine, exe, args=()):
        self.proc = subprocess.Popen([wine, exe, *args], cwd=os.path.dirname(exe),
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line.decode("utf-8"))
        self.lines.put(None)

    def read_json(self, timeout=60):
        line = self.lines.get(timeout=timeout)
        if line is None:
            raise RuntimeError("target ended: " + self.proc.stderr.read().decode(errors="replace"))
        return json.loads(line)

    def send(self, command):
        self.proc.stdin.write((command + "\n").encode())
        self.proc.stdin.flush()

    def quit(self, timeout=30):
        self.send("quit")
        return self.proc.wait(timeout=timeout)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def addr(text):
    return int(text, 16)


# ---- winedbg's map ---------------------------------------------------------------------------

def read_maps(pid):
    out = subprocess.run([os.environ["WINE64"], "winedbg", "--command", f"info maps {pid}"],
                         capture_output=True, timeout=300).stdout.decode(errors="replace")
    regions = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[2] in ("free", "reserve", "commit"):
            start, last = int(parts[0], 16), int(parts[1], 16)   # the end column is inclusive
            regions.append({"start": start, "end": last + 1, "state": parts[2],
                            "type": parts[3] if len(parts) > 3 else "",
                            "rwx": parts[4] if len(parts) > 4 else ""})
    return regions


def region_at(regions, address):
    for r in regions:
        if r["start"] <= address < r["end"]:
            return r
    return None


def exact_region(regions, base, size, state, type_):
    r = region_at(regions, base)
    return (r is not None and r["start"] == base and r["end"] == base + size
            and r["state"] == state and r["type"] == type_)


def covered(regions, start, end, state, type_):
    """True if [start, end) lies entirely in regions of this state and type."""
    address = start
    while address < end:
        r = region_at(regions, address)
        if r is None or r["state"] != state or r["type"] != type_:
            return False
        address = r["end"]
    return True


def run_down(regions, top, type_):
    """Lowest address of the non-free run of regions of this type that ends at top."""
    low = top
    while True:
        r = region_at(regions, low - 1)
        if r is None or r["state"] == "free" or r["type"] != type_:
            return low
        low = r["start"]


def run_up(regions, base, type_):
    high = base
    while True:
        r = region_at(regions, high)
        if r is None or r["state"] == "free" or r["type"] != type_:
            return high
        high = r["end"]


# ---- the checks ------------------------------------------------------------------------------

def check_shape(d, bits):
    check(d.get("format") == "pmm-target" and d.get("version") == 1, f"{bits}: format and version")
    check(d["bits"] == bits, f"{bits}: bits")
    check(d["wow64"] == (bits == 32), f"{bits}: wow64 flag (Wine reports 32-bit processes as WOW64)")
    check(len(d["reservation"]["committed"]) == 7, f"{bits}: seven committed pieces")
    check("\\" in d["mapped_file"]["path"] and d["mapped_file"]["path"][1:3] == ":\\",
          f"{bits}: mapped file path is a Windows path")
    check(d["command_line"].find("pmm_target_basic") >= 0, f"{bits}: command line")


def check_private(d, maps, bits):
    r = d["reserved_only"]
    check(exact_region(maps, addr(r["base"]), r["size"], "reserve", "private"), f"{bits}: reserved_only region")

    res = d["reservation"]
    base, end = addr(res["base"]), addr(res["base"]) + res["size"]
    pieces = {addr(p["base"]): p for p in res["committed"]}
    ok = True
    address = base
    while address < end:
        region = region_at(maps, address)
        piece = pieces.get(address)
        if region is None or region["type"] != "private" or region["end"] > end:
            ok = False
            break
        if piece:
            ok &= region["state"] == "commit" and region["end"] == address + piece["size"]
        else:
            ok &= region["state"] == "reserve"
        address = region["end"]
    check(ok and address == end, f"{bits}: reservation splits into exactly the committed pieces and reserved gaps")

    odd = d["odd_size"]
    check(exact_region(maps, addr(odd["base"]), odd["size"], "commit", "private"), f"{bits}: odd_size region")
    gap = region_at(maps, addr(odd["unusable_base"]))
    check(gap is not None and gap["state"] == "free"
          and gap["end"] >= addr(odd["unusable_base"]) + odd["unusable_size"],
          f"{bits}: the unusable tail after odd_size is free")


def check_mappings(d, maps, bits):
    m = d["mapped_file"]
    check(exact_region(maps, addr(m["base"]), m["size"], "commit", "mapped")
          and region_at(maps, addr(m["base"]))["rwx"] == "R", f"{bits}: mapped_file region")
    check(m["size"] == (m["file_size"] + 4095) // 4096 * 4096, f"{bits}: mapped_file size is page-rounded")
    unix = os.path.join(os.environ["WINEPREFIX"], "drive_c", *m["path"][3:].split("\\"))
    with open(unix, "rb") as f:
        contents = f.read()
    check(len(contents) == m["file_size"] and contents.startswith(m["tag"].encode())
          and contents[-1] == m["fill"], f"{bits}: temporary file contents")
    s = d["shared_section"]
    check(exact_region(maps, addr(s["base"]), s["size"], "commit", "mapped")
          and region_at(maps, addr(s["base"]))["rwx"] == "RW", f"{bits}: shared_section region")
    return unix


def check_heap_and_modules(d, maps, bits):
    heap = d["heap"]
    r = region_at(maps, addr(heap["handle"]))
    check(r is not None and r["start"] == addr(heap["handle"]) and r["type"] == "private",
          f"{bits}: heap handle is the base of a private allocation")
    check(all(covered(maps, addr(b["address"]), addr(b["address"]) + b["size"], "commit", "private")
              for b in heap["blocks"]), f"{bits}: heap blocks lie in committed private memory")
    r = region_at(maps, addr(d["process_heap"]))
    check(r is not None and r["state"] == "commit" and r["type"] == "private", f"{bits}: process_heap")

    for name, base in (("image_base", d["image_base"]), ("dll base", d["dll"]["base"])):
        r = region_at(maps, addr(base))
        check(r is not None and r["start"] == addr(base) and r["type"] == "image", f"{bits}: {name} is an image")
    dll = d["dll"]
    dll_end = run_up(maps, addr(dll["base"]), "image")
    check(all(addr(dll["base"]) < addr(e["address"]) < dll_end for e in dll["exports"]),
          f"{bits}: export addresses lie inside the DLL image")
    check([e["ordinal"] for e in dll["exports"]] == [1, 2, 3, 4, 5, 7] and dll["exports"][-1]["name"] is None,
          f"{bits}: export ordinals")
    check(dll["path"].lower().endswith("\\pmm_testdll.dll"), f"{bits}: dll path")
    r = region_at(maps, addr(d["peb"]))
    check(r is not None and r["state"] == "commit" and r["type"] == "private", f"{bits}: peb in committed memory")


def check_threads(d, maps, bits):
    threads = [d["main_thread"], *d["threads"]]
    for t in threads:
        base, limit, local = addr(t["stack_base"]), addr(t["stack_limit"]), addr(t["local_address"])
        check(limit <= local < base and covered(maps, limit, base, "commit", "private"),
              f"{bits}: thread {t['tid']} stack [limit, base) committed, local inside")
        r = region_at(maps, addr(t["teb"]))
        check(r is not None and r["state"] == "commit", f"{bits}: thread {t['tid']} teb committed")
        if "stack_reserve" in t:
            low = run_down(maps, base, "private")
            check(base - low >= t["stack_reserve"],
                  f"{bits}: thread {t['tid']} stack reserve >= {t['stack_reserve']} (got {base - low})")
    check(len({t["tid"] for t in threads} | {d["parked_thread"]}) == len(threads) + 1, f"{bits}: distinct tids")


def check_probe(d, maps, bits, probe_wine, probe_exe, probe_bits):
    what = f"{bits}: probe{probe_bits}"
    out = subprocess.run([probe_wine, probe_exe, str(d["pid"])], capture_output=True, timeout=60)
    if not check(out.returncode == 0, f"{what} exit code 0 ({out.stderr.decode(errors='replace').strip()})"):
        return
    p = json.loads(out.stdout)
    threads = {t["tid"]: t for t in p["threads"]}
    wanted = [d["main_thread"]["tid"], *(t["tid"] for t in d["threads"]), d["parked_thread"]]
    check(p["pid"] == d["pid"] and all(tid in threads for tid in wanted), f"{what} lists every thread")
    if probe_bits == 32 and bits == 64:
        # A 32-bit process can't read a 64-bit context: an error per thread, not a crash.
        check(all("error" in t for t in p["threads"]), f"{what} reports per-thread errors on a 64-bit target")
        return
    check(all(t["wow64"] == (probe_bits == 64 and bits == 32) for t in p["threads"]), f"{what} wow64 flags")
    for t in [d["main_thread"], *d["threads"]]:
        entry = threads.get(t["tid"], {})
        sp = addr(entry.get("sp", "0x0"))
        low = run_down(maps, addr(t["stack_base"]), "private")
        check(low <= sp < addr(t["stack_base"]), f"{what} thread {t['tid']} sp inside its stack")
    for entry in p["threads"]:
        r = region_at(maps, addr(entry.get("ip", "0x0")))
        check(r is not None and r["type"] == "image", f"{what} thread {entry['tid']} ip inside an image")


def check_basic(bits, wine, folder, probes):
    exe = os.path.join(folder, "pmm_target_basic.exe")
    target = Target(wine, exe)
    try:
        d = target.read_json()
        check_shape(d, bits)
        maps = read_maps(d["pid"])
        check(len(maps) > 10, f"{bits}: winedbg info maps answered")
        check_private(d, maps, bits)
        temp_file = check_mappings(d, maps, bits)
        check_heap_and_modules(d, maps, bits)
        check_threads(d, maps, bits)
        for probe_bits, (probe_wine, probe_exe) in probes.items():
            check_probe(d, maps, bits, probe_wine, probe_exe, probe_bits)
        target.send("ping")
        check(target.read_json() == {"reply": "pong"}, f"{bits}: ping")
        check(target.quit() == 0, f"{bits}: quit exits 0")
        check(not os.path.exists(temp_file), f"{bits}: temporary file removed on quit")
    finally:
        target.kill()

    target = Target(wine, exe, ["--exit-after-ms", "500"])
    try:
        d = target.read_json()
        check(d["exit_after_ms"] == 500, f"{bits}: exit_after_ms reported")
        check(target.proc.wait(timeout=30) == 0, f"{bits}: --exit-after-ms exits by itself with 0")
    finally:
        target.kill()

    requested = 100000
    target = Target(wine, exe, ["--allocations", str(requested)])
    try:
        started = time.monotonic()
        b = target.read_json(timeout=300)["bulk_allocations"]
        check(b["count"] == requested if bits == 64 else 0 < b["count"] <= requested,
              f"{bits}: --allocations made {b['count']} of {requested} in {time.monotonic() - started:.1f} s")
        check(sum(r["count"] for r in b["ranges"]) == b["count"] or b["ranges_truncated"], f"{bits}: ranges add up")
        check(target.quit(timeout=120) == 0, f"{bits}: quit after --allocations")
    finally:
        target.kill()


def check_churn(bits, wine, folder, probes):
    target = Target(wine, os.path.join(folder, "pmm_target_churn.exe"))
    try:
        hello = target.read_json()
        check(hello.get("kind") == "churn" and hello["bits"] == bits, f"{bits}: churn hello")
        time.sleep(0.5)
        target.send("stats")
        first = target.read_json()["iterations"]
        for probe_bits, (probe_wine, probe_exe) in probes.items():
            if probe_bits >= bits:
                out = subprocess.run([probe_wine, probe_exe, str(hello["pid"])], capture_output=True, timeout=60)
                check(out.returncode == 0, f"{bits}: probe{probe_bits} on the churning target")
        check(len(read_maps(hello["pid"])) > 10, f"{bits}: winedbg maps the churning target")
        target.send("stats")
        check(target.read_json()["iterations"] > first > 0, f"{bits}: churn is running")
        check(target.quit() == 0, f"{bits}: churn quit exits 0")
    finally:
        target.kill()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--win64", help="folder holding the x64 targets")
    parser.add_argument("--win32", help="folder holding the x86 targets")
    args = parser.parse_args()
    for name in ("WINE64", "WINE32", "WINEPREFIX"):
        if name not in os.environ:
            sys.exit(f"check_targets: {name} is not set; source tools/wine-env.sh first")
    builds = {}
    if args.win64:
        builds[64] = (os.environ["WINE64"], os.path.abspath(args.win64))
    if args.win32:
        builds[32] = (os.environ["WINE32"], os.path.abspath(args.win32))
    if not builds:
        sys.exit("check_targets: give --win64 and/or --win32")
    probes = {bits: (wine, os.path.join(folder, "pmm_thread_probe.exe")) for bits, (wine, folder) in builds.items()}
    for bits, (wine, folder) in builds.items():
        check_basic(bits, wine, folder, probes)
        check_churn(bits, wine, folder, probes)
    print(f"{len(failures)} check(s) failed" if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
