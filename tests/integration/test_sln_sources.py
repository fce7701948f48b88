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
    files = set()
    sln = open(os.path.join(ROOT, "ProcessMemoryMap.sln")).read()
    for project in re.findall(r'"(vs\\[^"]+\.vcxproj)"', sln):
        text = open(os.path.join(ROOT, project.replace("\\", "/"))).read()
        for src in re.findall(r'<ClCompile Include="\.\.\\([^"]+)"', text):
            files.add(src.replace("\\", "/"))
    return files


@test
def solution_lists_every_source_cmake_builds():
    ours, theirs = solution_compiled(), cmake_compiled()
    assert ours == theirs, f"only in the .sln: {sorted(ours - theirs)}; only in CMake: {sorted(theirs - ours)}"
    print(f"  {len(ours)} source files in both")


@test
def projects_are_generated_from_the_current_lists():
    p = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "gen_vs_projects.py"), "--check"],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr


run_tests()
