"""kdmp-parser, the independent kernel dump reader (../shared/oracles/kdmp-parser, MIT), as a small
test program built natively into the build folder (tests/kdump/kdmp_oracle.cc); and Wine paths."""
import os
import subprocess

from pmmtest import BUILD, ROOT, Skip

ORACLE_SOURCE = os.path.join(ROOT, "..", "shared", "oracles", "kdmp-parser")


def win(path):
    return "Z:" + path.replace("/", "\\")


def oracle():
    """kdmp-parser's test program, built into the build folder from ../shared/oracles."""
    if not os.path.isdir(ORACLE_SOURCE):
        raise Skip(f"kdmp-parser is not in {ORACLE_SOURCE} (../shared/oracles absent)")
    out_dir = os.path.join(BUILD, "native", "oracles")
    exe = os.path.join(out_dir, "kdmp_oracle")
    source = os.path.join(ROOT, "tests", "kdump", "kdmp_oracle.cc")
    if not os.path.exists(exe) or os.path.getmtime(exe) < os.path.getmtime(source):
        os.makedirs(os.path.join(out_dir, "include"), exist_ok=True)
        with open(os.path.join(ORACLE_SOURCE, "src", "lib", "kdmp-parser-version.h.in")) as f:
            version = f.read()
        for key, value in (("PROJECT_NAME", "kdmp-parser"), ("PROJECT_AUTHOR", "0vercl0k"), ("PROJECT_LICENSE", "MIT"),
                           ("PROJECT_VERSION_MAJOR", "0"), ("PROJECT_VERSION_MINOR", "7"),
                           ("PROJECT_VERSION_PATCH", "4")):
            version = version.replace(f"@{key}@", value)
        with open(os.path.join(out_dir, "include", "kdmp-parser-version.h"), "w") as f:
            f.write(version)
        subprocess.run(["g++", "-std=c++20", "-O1", "-I", os.path.join(out_dir, "include"), "-I",
                        os.path.join(ORACLE_SOURCE, "src", "lib"), source, "-o", exe], check=True)
    return exe
