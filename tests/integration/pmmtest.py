"""Shared helpers for the integration tests: the Wine environment, the built binaries, test
targets, pmm runs, and the independent tools (winedbg) we check our results against.

Each test script defines functions decorated with @test and ends with `run_tests()`. The script
prints one line per case (ok / FAIL / SKIP with the reason) and exits 1 when any case failed,
77 (ctest's skip code) when every case was skipped, else 0.
"""
import json
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time
import traceback

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("PMM_BUILD") or os.path.join(ROOT, "build")
BUILD = os.path.abspath(BUILD)
WIN_DIRS = {
    64: os.environ.get("PMM_WIN64_DIR") or os.path.join(BUILD, "win64"),
    32: os.environ.get("PMM_WIN32_DIR") or os.path.join(BUILD, "win32"),
}
WINE = {64: "/usr/lib/wine/wine64", 32: "/usr/lib/wine/wine"}
FIXTURES = os.environ.get("PMM_FIXTURES") or os.path.join(ROOT, "..", "shared", "fixtures")
# Wine's own PE DLLs and programs, the corpus the PE and disassembler checks read.
WINE_PE_FOLDERS = {64: "/usr/lib/x86_64-linux-gnu/wine/x86_64-windows", 32: "/usr/lib/i386-linux-gnu/wine/i386-windows"}

_tests = []


class Skip(Exception):
    """Raised by a test that cannot run here; the message says why."""


def test(fn):
    _tests.append(fn)
    return fn


def wine_env():
    env = dict(os.environ)
    env["WINEPREFIX"] = os.environ.get("WINEPREFIX_OVERRIDE") or os.path.join(BUILD, "wineprefix")
    env["WINEDEBUG"] = "-all"
    env["WINEDLLOVERRIDES"] = "mscoree,mshtml=;winemenubuilder.exe=d"
    env.pop("DISPLAY", None) if not os.environ.get("PMM_KEEP_DISPLAY") else None
    return env


def ensure_prefix():
    env = wine_env()
    if not os.path.exists(os.path.join(env["WINEPREFIX"], "system.reg")):
        subprocess.run(["bash", "-c", "source tools/wine-env.sh"], cwd=ROOT, env=env, check=True)


def binary(bits, name):
    """Path of a built Windows binary; pmm.exe is at the build root, targets under tests/targets."""
    for sub in ("", os.path.join("tests", "targets"), os.path.join("tests", "bench")):
        path = os.path.join(WIN_DIRS[bits], sub, name)
        if os.path.exists(path):
            return path
    raise Skip(f"{name} ({bits}-bit) is not built in {WIN_DIRS[bits]}")


def wine_cmd(bits, exe, *args):
    return [WINE[bits], exe] + [str(a) for a in args]


def run_captured(cmd, env, timeout, stdin_text=None):
    """Runs cmd to completion with its output in temporary files, not pipes: a Wine program may
    start the wineserver or explorer.exe, which inherit its output handles and outlive it, so
    waiting for a pipe's end would wait for them. Returns (exit code, stdout, stderr)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        stdin = subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL
        p = subprocess.Popen(cmd, env=env, stdin=stdin, stdout=out, stderr=err)
        try:
            p.communicate(stdin_text.encode() if stdin_text is not None else None, timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            raise
        out.seek(0)
        err.seek(0)
        return (p.returncode, out.read().decode(errors="replace"), err.read().decode(errors="replace"))


def run_wine(bits, exe, *args, timeout=120, stdin=None):
    """Runs a Windows program to completion: (exit code, stdout, stderr)."""
    ensure_prefix()
    return run_captured(wine_cmd(bits, exe, *args), wine_env(), timeout, stdin)


def pmm(bits, *args, timeout=120):
    return run_wine(bits, binary(bits, "pmm.exe"), *args, timeout=timeout)


def pmm_json(bits, *args, timeout=120):
    rc, out, err = pmm(bits, *args, "--json", timeout=timeout)
    if rc != 0:
        raise AssertionError(f"pmm {' '.join(map(str, args))} --json failed ({rc}): {err.strip()}")
    return json.loads(out)


class _Background:
    """A process (self.proc) running in the background; `with` stops it."""

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)

    def stop(self):
        self.kill()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class Target(_Background):
    """A test target started under Wine: reads its one line of JSON, keeps stdin open until stop()."""

    def __init__(self, bits, name, *args, startup_timeout=60):
        ensure_prefix()
        self.bits = bits
        self.proc = subprocess.Popen(wine_cmd(bits, binary(bits, name), *args), env=wine_env(),
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, errors="replace")
        self._lines = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        try:
            line = self._lines.get(timeout=startup_timeout)
        except queue.Empty:
            self.kill()
            raise AssertionError(f"{name} printed nothing within {startup_timeout} s")
        if line is None:
            err = self.proc.stderr.read() if self.proc.stderr else ""
            raise AssertionError(f"{name} exited before describing itself: {err.strip()}")
        self.info = json.loads(line)
        self.pid = self.info["pid"]

    def _pump(self):
        for line in self.proc.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def command(self, text, timeout=30):
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()
        line = self._lines.get(timeout=timeout)
        return json.loads(line) if line else None

    def stop(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write("quit\n")
                self.proc.stdin.flush()
                self.proc.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                self.kill()
        return self.proc.returncode


def windows_pids(bits=64, name=None):
    data = pmm_json(bits, "list")
    return {p["pid"]: p["name"] for p in data["processes"] if name is None or p["name"].lower() == name.lower()}


class WineProgram(_Background):
    """A program that ships with Wine (cmd.exe, ...), started in the background; its Windows pid is
    found by comparing `pmm list` before and after."""

    def __init__(self, bits, command_line, name):
        ensure_prefix()
        before = set(windows_pids(bits, name))
        self.proc = subprocess.Popen([WINE[bits]] + command_line, env=wine_env(), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        self.pid = None
        while time.time() < deadline and self.pid is None:
            new = set(windows_pids(bits, name)) - before
            if new:
                self.pid = min(new)
            else:
                time.sleep(0.5)
        if self.pid is None:
            self.stop()
            raise AssertionError(f"{name} did not appear in `pmm list`")
        time.sleep(1.0)  # let it finish loading its DLLs


def is_pe(path):
    """MZ with a PE signature at e_lfanew: Wine's folders also hold import libraries and NE modules."""
    try:
        with open(path, "rb") as f:
            head = f.read(64)
            if len(head) < 64 or head[:2] != b"MZ":
                return False
            f.seek(int.from_bytes(head[0x3c:0x40], "little"))
            return f.read(4) == b"PE\0\0"
    except OSError:
        return False


def winedbg(commands, timeout=120):
    """Runs winedbg (64-bit) with the given commands on stdin; returns its output."""
    ensure_prefix()
    script = "\n".join(commands + ["quit"]) + "\n"
    return run_captured([WINE[64], "winedbg"], wine_env(), timeout, script)[1]


# "base end state type RWX": the RWX column is fixed-width letters with blanks ("R X", "RW ").
MAPS_LINE = re.compile(r"^([0-9a-f]{8,16}) ([0-9a-f]{8,16}) (commit|reserve|free)\s*(image|mapped|private)?(.*)$")


def winedbg_maps(pid):
    """`info maps PID` as a list of dicts: base, end (exclusive), state, type, rwx (allocation protection)."""
    out = run_captured([WINE[64], "winedbg", "--command", f"info maps {pid}"], wine_env(), 120)[1]
    maps = []
    for line in out.splitlines():
        m = MAPS_LINE.match(line.strip())
        if m:
            maps.append({"base": int(m.group(1), 16), "end": int(m.group(2), 16) + 1, "state": m.group(3),
                         "type": m.group(4) or "", "rwx": m.group(5).replace(" ", "")})
    return maps


SHARE_LINE = re.compile(r"^\s*(?:\\-)?PE\s+([0-9a-f]+)-([0-9a-f]+)\s+\S+\s+(\S+)\s*$")


def winedbg_share(pid):
    """PE modules from `info share` after attaching: list of (base, end, name without extension)."""
    out = winedbg([f"attach {pid}", "info share", "detach"])
    return [(int(m.group(1), 16), int(m.group(2), 16), m.group(3).lower())
            for m in (SHARE_LINE.match(l) for l in out.splitlines()) if m]


def temporaries(path):
    """The temporary files of an output (NAME.<pid>-<n>.partial) left beside it."""
    folder, name = os.path.split(os.path.abspath(path))
    if not os.path.isdir(folder):
        return []
    return sorted(f for f in os.listdir(folder) if f.startswith(name + ".") and f.endswith(".partial"))


def addr(text):
    return int(text, 16)


def run_tests():
    only = sys.argv[1:]
    failed = skipped = passed = 0
    for fn in _tests:
        if only and fn.__name__ not in only:
            continue
        started = time.time()
        try:
            fn()
        except Skip as e:
            skipped += 1
            print(f"SKIP {fn.__name__}: {e}", flush=True)
            continue
        except Exception as e:  # noqa: BLE001 - report every failure the same way
            failed += 1
            print(f"FAIL {fn.__name__}: {e}", flush=True)
            traceback.print_exc()
            continue
        passed += 1
        print(f"ok   {fn.__name__} ({time.time() - started:.1f} s)", flush=True)
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    if failed:
        sys.exit(1)
    if skipped and not passed:
        sys.exit(77)
    sys.exit(0)
