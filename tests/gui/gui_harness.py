"""Shared helpers for the GUI tests and tools/screenshots.sh: Xvfb, the Wine environment with a
display, running ProcessMemoryMap.exe unattended, a throwaway copy of the Wine prefix at another
DPI, and BMP to PNG conversion. Builds on tests/integration/pmmtest.py (targets, pmm runs)."""
import os
import shutil
import subprocess
import sys
import tempfile
import time

# pmmtest lives with the integration tests; importing this module is all a GUI script needs to reach it.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
import pmmtest  # noqa: E402

ROOT = pmmtest.ROOT


class Display:
    """An Xvfb server on a free display number; stop() ends it."""

    def __init__(self, width=1400, height=1050):
        if not shutil.which("Xvfb"):
            raise pmmtest.Skip("Xvfb is not installed (apt-get install xvfb)")
        for number in range(160, 240):
            if os.path.exists("/tmp/.X%d-lock" % number) or os.path.exists("/tmp/.X11-unix/X%d" % number):
                continue
            self.proc = subprocess.Popen(["Xvfb", ":%d" % number, "-screen", "0", "%dx%dx24" % (width, height),
                                          "-nolisten", "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(50):
                if os.path.exists("/tmp/.X11-unix/X%d" % number):
                    self.name = ":%d" % number
                    return
                if self.proc.poll() is not None:
                    break
                time.sleep(0.1)
            self.proc.kill()
            self.proc.wait()
        raise pmmtest.Skip("no free X display for Xvfb")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Session:
    """What the cases of one GUI test script share, started when first asked for: an Xvfb display,
    the Wine environment on it, a scratch folder, and the targets by (bits, name, arguments). run() runs the
    cases, then stops the targets and the display and removes the folder."""

    def __init__(self, name):
        self.name = name
        self.display = self.env = self.dir = None
        self.targets = {}

    def start(self):
        """(Wine environment with the display, scratch folder)."""
        if self.env is None:
            self.display = Display()
            self.env = gui_env(self.display)
            self.dir = tempfile.mkdtemp(prefix="pmm-gui-%s-" % self.name)
        return self.env, self.dir

    def target(self, bits, exe, *args, **options):
        """A running test target (exe with args; options as pmmtest.Target's), started on first use."""
        key = (bits, exe) + args
        if key not in self.targets:
            self.targets[key] = pmmtest.Target(bits, exe, *args, **options)
        return self.targets[key]

    def run(self, at_end=None):
        """Runs the cases; at_end (if given) runs first when they are over, even after a failure."""
        try:
            pmmtest.run_tests()
        finally:
            if at_end:
                at_end()
            for target in self.targets.values():
                target.stop()
            if self.display:
                self.display.stop()
            if self.dir:
                shutil.rmtree(self.dir, ignore_errors=True)


def gui_env(display):
    env = pmmtest.wine_env()
    env["DISPLAY"] = display.name
    return env


def run_gui(bits, env, *args, timeout=90):
    """Runs ProcessMemoryMap.exe to completion (unattended switches): (exit code, stdout, stderr)."""
    exe = pmmtest.binary(bits, "ProcessMemoryMap.exe")
    return pmmtest.run_captured(pmmtest.wine_cmd(bits, exe, *args), env, timeout)


def gui_text(bits, env, out_dir, name, *args):
    """Runs the GUI with --dump-view (or --dump-rows when args ask for rows) and returns the text."""
    path = os.path.join(out_dir, name)
    rc, _, err = run_gui(bits, env, *args, "--dump-view", path)
    if rc != 0:
        raise AssertionError("ProcessMemoryMap.exe %s exited %d: %s" % (" ".join(map(str, args)), rc, err.strip()))
    with open(path, encoding="utf-8") as f:
        return f.read()


def header_and_rows(text):
    """A dialog's --dump-view text ("# key value" lines, then tab-separated rows): ({key: value},
    [row cells])."""
    header, rows = {}, []
    for line in text.splitlines():
        if line.startswith("# "):
            key, _, value = line[2:].partition(" ")
            header[key] = value
        elif line:
            rows.append(line.split("\t"))
    return header, rows


def bmp_to_png(bmp, png):
    """Converts with ImageMagick; returns the PNG path, or the BMP's when convert is missing."""
    if shutil.which("convert"):
        subprocess.run(["convert", bmp, png], check=True, timeout=60)
        os.unlink(bmp)
        return png
    return bmp


class ScaledPrefix:
    """A throwaway copy of the Wine prefix with LogPixels set (144 = 150%). drive_c is hard-linked
    (it is large and only read); the registry files are real copies, because the copy's wineserver
    rewrites them. Lives under the build folder so the hard links stay on one file system."""

    def __init__(self, dpi):
        base = pmmtest.wine_env()["WINEPREFIX"]
        self.path = tempfile.mkdtemp(prefix="wineprefix-dpi%d-" % dpi, dir=pmmtest.BUILD)
        os.rmdir(self.path)
        subprocess.run(["cp", "-al", base, self.path], check=True, timeout=300)
        for name in os.listdir(base):
            if name.endswith(".reg"):
                os.unlink(os.path.join(self.path, name))
                shutil.copy2(os.path.join(base, name), os.path.join(self.path, name))
        self.env = dict(pmmtest.wine_env(), WINEPREFIX=self.path)
        for key in (r"HKCU\Control Panel\Desktop",
                    r"HKLM\System\CurrentControlSet\Hardware Profiles\Current\Software\Fonts"):
            pmmtest.run_captured(["/usr/lib/wine/wine64", "reg", "add", key, "/v", "LogPixels", "/t", "REG_DWORD",
                                  "/d", str(dpi), "/f"], self.env, 120)

    def close(self):
        # Only this prefix's wineserver: WINEPREFIX names it.
        pmmtest.run_captured(["/usr/lib/wine/wineserver", "-k"], self.env, 60)
        shutil.rmtree(self.path, ignore_errors=True)
