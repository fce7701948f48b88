"""ProcessMemoryMap.sln's projects compile exactly the product sources the CMake build compiles
(read from the x64 build's compile_commands.json, not from the list the projects are generated
from), and they are up to date with cmake/sources.cmake."""
import json
import os
import re
import subprocess
import sys

from pmmtest import ROOT, WIN_DIRS, Skip, run_tests, test


def cmake_compiled():
    path = os.path.join(WIN_DIRS[64], "compile_commands.json")
    if not os.path.exists(path):
        raise Skip(f"{path} not found: build the x64 binaries first")
    files = set()
    for entry in json.load(open(path)):
        rel = os.path.relpath(os.path.abspath(os.path.join(entry["directory"], entry["file"])), ROOT)
        rel = rel.replace(os.sep, "/")
        if rel.startswith(("core/", "app/")):
            files.add(rel)
    return files


def solution_compiled():
    files, excluded = set(), set()
    sln = open(os.path.join(ROOT, "ProcessMemoryMap.sln")).read()
    for project in re.findall(r'"(vs\\[^"]+\.vcxproj)"', sln):
        text = open(os.path.join(ROOT, project.replace("\\", "/"))).read()
        for src, body in re.findall(r'<ClCompile Include="\.\.\\([^"]+)"\s*(/>|>.*?</ClCompile>)', text, re.S):
            (excluded if "ExcludedFromBuild" in body else files).add(src.replace("\\", "/"))
    return files, excluded


@test
def solution_lists_every_source_cmake_builds():
    ours, theirs = solution_compiled()[0], cmake_compiled()
    assert ours == theirs, f"only in the .sln: {sorted(ours - theirs)}; only in CMake: {sorted(theirs - ours)}"
    print(f"  {len(ours)} source files in both")


@test
def solution_shows_every_product_source():
    """The POSIX halves of the platform pieces are listed but excluded from the Windows build."""
    compiled, excluded = solution_compiled()
    tracked = subprocess.run(["git", "ls-files", "core", "app"], cwd=ROOT, capture_output=True, text=True).stdout
    sources = {f for f in tracked.split() if f.endswith(".c")}
    if not sources:
        raise Skip("not a git checkout: cannot list the product's sources")
    missing = sorted(sources - compiled - excluded)
    assert not missing, f"sources in no project of the .sln: {missing}"
    assert all(f.endswith("_posix.c") for f in excluded), f"excluded but not a POSIX half: {sorted(excluded)}"
    posix = {f for f in sources if f.endswith("_posix.c")}
    assert posix <= excluded, f"POSIX halves built on Windows: {sorted(posix - excluded)}"
    print(f"  {len(compiled)} compiled and {len(excluded)} listed but not built on Windows")


@test
def projects_are_generated_from_the_current_lists():
    p = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "gen_vs_projects.py"), "--check"],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr


run_tests()
