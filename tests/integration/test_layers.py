"""The layers of core/ point down only, as the README's "Source layout" draws them: every
#include of a core file names its own folder or one below it. Read from the sources themselves."""
import os
import re

from pmmtest import ROOT, run_tests, test

# Lowest first. Folders of one rank must not include each other.
RANKS = {
    "util": 0,
    "source": 1,
    "model": 2,
    "formats": 3,
    "adapters": 4, "symbols": 4, "win32": 4,
    "analyzers": 5,
    "tools": 6,
}


def core_includes():
    """(file, including folder, included folder) for every quoted #include of core/."""
    core = os.path.join(ROOT, "core")
    for folder in sorted(os.listdir(core)):
        for name in sorted(os.listdir(os.path.join(core, folder))):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(core, folder, name)
            for line in open(path, encoding="utf-8"):
                m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                if not m:
                    continue
                parts = os.path.normpath(os.path.join(folder, m.group(1))).split(os.sep)
                yield f"core/{folder}/{name}", folder, parts[0] if len(parts) > 1 else folder


@test
def every_core_folder_has_a_rank():
    folders = {f for f in os.listdir(os.path.join(ROOT, "core")) if os.path.isdir(os.path.join(ROOT, "core", f))}
    assert folders == set(RANKS), f"unranked: {sorted(folders - set(RANKS))}, gone: {sorted(set(RANKS) - folders)}"


@test
def includes_point_down_only():
    upward, edges = [], set()
    for path, src, dst in core_includes():
        if dst == src:
            continue
        edges.add((src, dst))
        if dst not in RANKS or RANKS[dst] >= RANKS[src]:
            upward.append(f"{path} includes {dst}/")
    assert not upward, "includes that point up or sideways:\n  " + "\n  ".join(upward)
    print(f"  {len(edges)} folder-to-folder edges, all downward")


run_tests()
