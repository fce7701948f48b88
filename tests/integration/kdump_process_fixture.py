"""A kernel dump holding a live Wine target, for test_kdump_process.py and the GUI's
test_gui_kdump.py: pmm_target_basic.exe's bytes from a minidump dbghelp wrote (independent of our
writer) and its regions from `pmm map PID --json`, laid by tests/kdump/kdump_from_minidump.c into a
builder-made x64 kernel dump behind the process's own page tables, with a VAD per allocation of
the live map (every LEAVE_OUT-th page left out of the dump). Built once per test script; the target has exited by then."""
import atexit
import json
import os
import shutil
import subprocess
import tempfile

from pmmtest import BUILD, Skip, Target, pmm, pmm_json
from kdmp_oracle import win

LEAVE_OUT = 97
NAME = "pmm_target_basi"   # ImageFileName keeps 15 characters
# The pids of the builder's own processes (tests/kdump/kdump_scene.c): Wine gives out small pids,
# and a target that got one of these is laid under another, or two processes would share it.
SCENE_PIDS = {4, 388, 4660, 6012, 7004}
STATES = {"commit": 0x1000, "reserve": 0x2000}
TYPES = {"image": 0x1000000, "mapped": 0x40000, "private": 0x20000}

_built = {}


def built():
    """{folder, minidump, kdump, pid (as laid in the kernel dump), live (its pmm map), live_scan (its pmm
    scan), laid (what the builder laid, JSON)}."""
    if _built:
        return _built
    tool = os.path.join(BUILD, "native", "tests", "unit", "kdump_from_minidump")
    if not os.path.exists(tool):
        raise Skip(f"{tool} is not built (tools/build.sh native)")
    folder = tempfile.mkdtemp(prefix="pmm_kdump_process_")
    atexit.register(shutil.rmtree, folder, True)   # also when building fails before remove() can run
    minidump = os.path.join(folder, "target.dmp")
    with Target(64, "pmm_target_basic.exe") as t:
        live = pmm_json(64, "map", t.pid)
        live_scan = pmm_json(64, "scan", t.pid)
        rc, _, err = pmm(64, "dump", t.pid, "--format", "minidump", win(minidump), "--dbghelp",
                         "MiniDumpWithFullMemory|MiniDumpWithThreadInfo", timeout=300)
        assert rc == 0, err
        pid = t.pid if t.pid not in SCENE_PIDS else t.pid + 0x10000
    regions = os.path.join(folder, "regions.txt")
    with open(regions, "w") as f:
        for r in live["regions"]:   # every allocation's regions: the builder writes a VAD per allocation
            if r["state"] in ("commit", "reserve"):
                mapped = r["details"] if r["type"] in ("image", "mapped") else ""
                f.write(f"{r['address']} {r['size']:#x} {r['protect_value']:#x} {STATES[r['state']]:#x} "
                        f"{r['alloc_base']} {r['alloc_protect_value']:#x} {TYPES[r['type']]:#x}\t{mapped}\n")
    kdump = os.path.join(folder, "kernel.dmp")
    got = subprocess.run([tool, minidump, regions, kdump, str(pid), NAME, live["target"]["peb"],
                          "--leave-out", str(LEAVE_OUT)], capture_output=True, text=True, check=True)
    _built.update(folder=folder, minidump=minidump, kdump=kdump, pid=pid, live=live, live_scan=live_scan,
                  laid=json.loads(got.stdout))
    return _built


def remove():
    """Deletes the files built() made, if it made any."""
    if _built:
        shutil.rmtree(_built["folder"], ignore_errors=True)
        _built.clear()
