"""Failing writes (issue 22): every output is written under a temporary name of its own and renamed
only when complete; a write that fails leaves nothing and says what the OS said. Each case lists
the output folder afterwards.

- A full file system (a 1 MiB tmpfs; needs root, skipped otherwise) under non-ASCII names and in a
  non-ASCII folder: save, dump --format minidump / single / regions, and dbghelp's dump, which
  reports success over a cut file: each exits 1 with the OS's reason and leaves nothing, and an
  older file of that name is kept.
- `ulimit -f`: with SIGXFSZ ignored the write fails with "File too large" and nothing is left;
  with the default action Wine's process is killed (a Win32 program can neither ignore a Unix signal
  nor read the Unix limit), and what it leaves is only its own temporary file, which the next write
  of that name removes.
- Two writers of one name at once (x64 full dump and x86 --kind stack): the kept file is always a
  whole minidump (`pmm minidump` reads it), and a writer whose output was not kept says so.
- A name another process holds open (Wine's cmd reading it, opened without FILE_SHARE_DELETE): the
  rename over it is tried again for a moment, then refused with the OS's reason, the older file
  kept and no temporary left; once the other process lets go, the same dump is kept.
- Names: a non-ASCII name and folder, a folder path over 260 characters, an existing folder, `.`,
  a missing folder, an existing file as the regions folder: written, or refused with a message
  naming the path.
"""
import os
import shutil
import subprocess
import tempfile
import threading
import time

from pmmtest import WINE, Skip, Target, binary, pmm, run_captured, run_tests, temporaries, test, wine_env

TMP = tempfile.mkdtemp(prefix="pmm_writes_test_")
NAME = "Дмитрий ü.out"


def winpath(path):
    return "Z:" + path.replace("/", "\\")


def tree(folder):
    """Every file and folder under folder, relative, sorted."""
    found = []
    for root, dirs, files in os.walk(folder):
        for n in dirs + files:
            if n != FILLER:
                found.append(os.path.relpath(os.path.join(root, n), folder))
    return sorted(found)


FILLER = ".filler"


class TinyDisk:
    """A 1 MiB tmpfs with all but 64 KiB taken by a filler file (left out of tree()), mounted for
    the test and removed after: a saved map with checksums needs more than 64 KiB."""

    def __init__(self, read_only=False):
        if os.geteuid() != 0:
            raise Skip("mounting a small tmpfs needs root")
        self.path = tempfile.mkdtemp(prefix="pmm_full_")
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", self.path], capture_output=True,
                           text=True)
        if r.returncode != 0:
            os.rmdir(self.path)
            raise Skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
        with open(os.path.join(self.path, FILLER), "wb") as f:
            f.write(b"\0" * ((1 << 20) - (64 << 10)))
        if read_only:
            subprocess.run(["mount", "-o", "remount,ro", self.path], check=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        subprocess.run(["umount", self.path], capture_output=True)
        os.rmdir(self.path)


def fails_cleanly(args, folder, expect_in_error, keep=()):
    """Runs pmm, which must exit 1 with a message; folder must then hold exactly keep."""
    rc, out, err = pmm(64, *args, timeout=300)
    assert rc == 1, f"pmm {' '.join(map(str, args))}: exit {rc}: {err.strip()[:300]}"
    assert err.startswith("pmm: ") and any(e in err for e in expect_in_error), err
    assert tree(folder) == sorted(keep), f"pmm {' '.join(map(str, args))} left {tree(folder)}"
    return err


@test
def full_disk_under_non_ascii_names_leaves_nothing():
    with TinyDisk() as disk, Target(64, "pmm_target_basic.exe") as t:
        inside = os.path.join(disk.path, "Папка")
        os.makedirs(inside)
        full = ("Disk full", "not enough space", "No space left")
        for folder in (disk.path, inside):
            keep = ["Папка"] if folder == disk.path else []
            out = os.path.join(folder, NAME)
            err = fails_cleanly(("save", t.pid, out, "--checksums"), folder, full, keep)
            assert NAME in err, err
            fails_cleanly(("dump", t.pid, "--format", "minidump", out), folder, full, keep)
            fails_cleanly(("dump", t.pid, "--format", "single", out), folder, full, keep)
            fails_cleanly(("dump", t.pid, "--format", "regions", os.path.join(folder, "Регионы")), folder, full, keep)
        print(f"  a full 1 MiB tmpfs: save, dump minidump/single/regions in it and in a non-ASCII folder: "
              f"exit 1, nothing left; e.g. {err.strip()[:150]}")


@test
def read_only_file_system_says_so():
    with TinyDisk(read_only=True) as disk, Target(64, "pmm_target_basic.exe") as t:
        said = []
        for args in (("dump", t.pid, "--format", "regions", os.path.join(disk.path, "r")),
                     ("dump", t.pid, "--format", "minidump", os.path.join(disk.path, "m.dmp")),
                     ("save", t.pid, os.path.join(disk.path, "s.pmm"))):
            err = fails_cleanly(args, disk.path, ("protected", "denied", "Read-only", "read-only"))
            assert "No such file" not in err and disk.path in err, err
            said.append(err.strip()[:140])
        print(f"  a read-only tmpfs: {said[0]}")


@test
def dbghelp_output_is_checked_before_it_is_kept():
    with TinyDisk() as disk, Target(64, "pmm_target_basic.exe") as t:
        out = os.path.join(disk.path, "dbghelp.dmp")
        with open(out, "wb") as f:
            f.write(b"older file")
        err = fails_cleanly(("dump", t.pid, "--format", "minidump", out, "--dbghelp", "0x2"), disk.path,
                            ("not a whole minidump", "space", "disk"), ["dbghelp.dmp"])
        assert open(out, "rb").read() == b"older file", "the older file was replaced"
        print(f"  dbghelp onto a full 1 MiB tmpfs: exit 1, the older file kept: {err.strip()[:200]}")
    # On a healthy disk the check passes and the dump reads back.
    out = os.path.join(TMP, "dbghelp_ok.dmp")
    with Target(64, "pmm_target_basic.exe") as t:
        rc, o, e = pmm(64, "dump", t.pid, "--format", "minidump", out, "--dbghelp", "0x2")
    assert rc == 0, e
    rc, o, e = pmm(64, "minidump", out)
    assert rc == 0, e


def limited(cmd, trap):
    script = ("trap '' XFSZ; " if trap else "") + "ulimit -f 1000; exec " + " ".join(cmd)
    return run_captured(["bash", "-c", script], wine_env(), 300)


@test
def file_size_limit_under_wine():
    folder = os.path.join(TMP, "ulimit")
    os.makedirs(folder)
    out = os.path.join(folder, "limited.dmp")
    killed = []
    with Target(64, "pmm_target_basic.exe") as t:
        for extra in ((), ("--kind", "stack"), ("--dbghelp", "0x2")):
            cmd = [WINE[64], binary(64, "pmm.exe"), "dump", str(t.pid), "--format", "minidump", f"'{winpath(out)}'"]
            cmd += list(extra)
            # SIGXFSZ ignored (by the shell, inherited): the write fails and pmm says why.
            rc, o, e = limited(cmd, trap=True)
            assert rc == 1 and e.startswith("pmm: ") and ("file-size limit" in e or "too large" in e or
                                                          "not a whole minidump" in e), (extra, rc, e)
            assert tree(folder) == [], (extra, tree(folder))
            # The default action: the kernel kills Wine's process at the limit. Only our temporary
            # file is left, never a file under the output name; the next write of it removes it.
            rc, o, e = limited(cmd, trap=False)
            left = tree(folder)
            killed.append((rc, len(left)))
            assert rc in (-25, 128 + 25), (extra, rc, e)   # SIGXFSZ
            assert all(n.startswith("limited.dmp.") and n.endswith(".partial") for n in left), left
            rc, o, e = limited(cmd, trap=True)
            assert rc == 1 and tree(folder) == [], (extra, rc, tree(folder))
        print(f"  ulimit -f 1000 (KiB), minidump full, --kind stack, --dbghelp 0x2: with SIGXFSZ ignored exit 1 "
              f"and nothing left; with the default action killed (exit code, temporaries left: {killed}), "
              f"and the next write of the name removed them")


@test
def two_writers_of_one_name():
    folder = os.path.join(TMP, "race")
    os.makedirs(folder)
    out = os.path.join(folder, "same.dmp")
    kept_whole = lost = 0
    with Target(64, "pmm_target_basic.exe") as t64, Target(32, "pmm_target_basic.exe") as t32:
        for round_ in range(10):
            if os.path.exists(out) and round_ % 2:
                os.remove(out)   # half the rounds start with no file, half over an older one
            results = {}

            def run(bits, pid, *extra):
                results[bits] = pmm(bits, "dump", pid, "--format", "minidump", out, *extra, timeout=300)

            threads = [threading.Thread(target=run, args=(64, t64.pid)),
                       threading.Thread(target=run, args=(32, t32.pid, "--kind", "stack"))]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            assert any(r[0] == 0 for r in results.values()), results
            for bits, (rc, o, e) in results.items():
                assert rc in (0, 1), (bits, rc, e)
                if rc == 1:
                    lost += 1
                    assert "another writer" in e, (bits, e)
            rc, o, e = pmm(64, "minidump", out)
            assert rc == 0, f"round {round_}: the kept file is not a whole minidump: {e.strip()[:300]}"
            kept_whole += 1
            assert tree(folder) == ["same.dmp"], tree(folder)
    print(f"  10 rounds of two writers: the kept file read back whole in {kept_whole}; {lost} writer(s) said "
          f"another writer's output was kept")


def held_by(path):
    """The pid of a process that has path open (from /proc), or None."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == path:
                    return int(pid)
            except OSError:
                pass
    return None


def wait_until(condition, seconds):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def let_go(holder, path):
    """Ends cmd and the ping it started, which inherited the file as its input too (the wineserver
    keeps the file open for them: it is let go when they have ended)."""
    holder.kill()
    holder.wait()
    run_captured([WINE[64], "taskkill", "/f", "/im", "ping.exe"], wine_env(), 60)
    assert wait_until(lambda: held_by(path) is None, 60), "the file stayed open after cmd and ping were ended"


@test
def a_name_held_open_keeps_the_older_file():
    folder = os.path.join(TMP, "held")
    os.makedirs(folder)
    out = os.path.join(folder, "held.dmp")
    with open(out, "wb") as f:
        f.write(b"older file")
    # cmd reads its input from the file for as long as ping runs: open without FILE_SHARE_DELETE.
    holder = subprocess.Popen([WINE[64], "cmd", "/c", f"ping -n 120 127.0.0.1 >nul <{winpath(out)}"], env=wine_env(),
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not wait_until(lambda: held_by(out), 60):
            raise AssertionError("Wine's cmd never opened the file")
        with Target(64, "pmm_target_basic.exe") as t:
            err = fails_cleanly(("dump", t.pid, "--format", "minidump", out), folder, ("denied", "in use"),
                                ["held.dmp"])
            assert "renaming the finished file to" in err and out in err, err
            assert open(out, "rb").read() == b"older file", "the older file was replaced"
            let_go(holder, out)
            rc, o, e = pmm(64, "dump", t.pid, "--format", "minidump", out, timeout=300)
            assert rc == 0, e
        rc, o, e = pmm(64, "minidump", out)
        assert rc == 0, e
        assert tree(folder) == ["held.dmp"], tree(folder)
    finally:
        let_go(holder, out)
    print(f"  a name Wine's cmd held open: exit 1, the older file kept: {err.strip()[:160]}; after: kept")


@test
def names_and_folders():
    folder = os.path.join(TMP, "names")
    os.makedirs(folder)
    long_parent = os.path.join(folder, "d" * 150)
    os.makedirs(long_parent)
    long_dir = os.path.join(long_parent, "e" * 150)
    with Target(64, "pmm_target_basic.exe") as t:
        for args in (("dump", t.pid, "--format", "regions", os.path.join(folder, "Дмитрий"), "--kind", "stack"),
                     ("dump", t.pid, "--format", "regions", long_dir, "--kind", "stack"),
                     ("dump", t.pid, "--format", "minidump", long_dir + ".dmp", "--kind", "stack"),
                     ("save", t.pid, long_dir + ".pmm")):
            rc, o, e = pmm(64, *args)
            assert rc == 0, (args[1:5], e)
        assert os.path.isfile(os.path.join(folder, "Дмитрий", "regions.map"))
        assert os.path.isfile(os.path.join(long_dir, "regions.map")) and len(long_dir) > 300
        assert os.path.isfile(long_dir + ".dmp") and os.path.isfile(long_dir + ".pmm")
        before = tree(folder)
        plain = os.path.join(folder, "plain.txt")
        open(plain, "w").write("x")
        before.append("plain.txt")
        for args, expect in (
                (("dump", t.pid, "--format", "minidump", folder), "is a folder"),
                (("save", t.pid, folder), "is a folder"),
                (("dump", t.pid, "--format", "minidump", os.path.join(folder, "missing", "x.dmp")), "not found"),
                (("dump", t.pid, "--format", "regions", plain), "exists and is not a folder"),
                (("dump", t.pid, "--format", "regions", os.path.join(folder, "missing", "r")), "cannot create the folder")):
            rc, o, e = pmm(64, *args)
            assert rc == 1 and expect in e and ("missing" in e or folder in e or "plain.txt" in e), (args[1:5], rc, e)
            assert tree(folder) == sorted(before), (args[1:5], tree(folder))
        fifo = os.path.join(TMP, "fifo")
        os.mkfifo(fifo)
        rc, o, e = pmm(64, "save", t.pid, fifo, timeout=60)
        assert rc == 1 and "not a regular file" in e, (rc, e)
    print("  non-ASCII and 300-character folder paths written; a folder, a missing folder, a file as the "
          "regions folder and a FIFO refused with the path and the reason, nothing left")


if __name__ == "__main__":
    try:
        run_tests()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
