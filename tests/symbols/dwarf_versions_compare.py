#!/usr/bin/env python3
"""DWARF 2, 3, 4 and 5 as MinGW gcc and clang write them, ours against addr2line's.

Builds tests/targets/testdll.c as a DLL with x86_64-w64-mingw32-gcc -gdwarf-N (N = 2..5) and with
clang --target=x86_64-w64-mingw32 -gdwarf-N (N = 4, 5), then resolves the address of every
instruction in .text (from objdump -d) with symbols_probe and with addr2line -f. Every address must
agree on the name and on file:line, except where the difference is one addr2line_compare.py
explains (code without DWARF named from the COFF table). Exit 77 when no compiler is there.

  dwarf_versions_compare.py PROBE WORKDIR
"""
import os, re, shutil, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import addr2line_compare as a2l

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARGETS = os.path.join(ROOT, 'tests', 'targets')
PREFIX = 'x86_64-w64-mingw32-'


def builds(work):
    libgcc = subprocess.run([PREFIX + 'gcc', '-print-libgcc-file-name'], capture_output=True, text=True).stdout.strip()
    sources = [os.path.join(TARGETS, 'testdll.c'), os.path.join(TARGETS, 'testdll.def'), '-I', TARGETS]
    for v in (2, 3, 4, 5):
        yield 'gcc -gdwarf-%d' % v, [PREFIX + 'gcc', '-O2', '-g', '-gdwarf-%d' % v, '-shared'] + sources, 'gcc%d.dll' % v
    if shutil.which('clang') and shutil.which('ld.lld'):
        for v in (4, 5):
            yield ('clang -gdwarf-%d' % v, ['clang', '--target=x86_64-w64-mingw32', '-O2', '-g', '-gdwarf-%d' % v,
                   '-fuse-ld=lld', '-L' + os.path.dirname(libgcc), '-shared'] + sources, 'clang%d.dll' % v)


def instruction_addresses(path):
    r = subprocess.run([PREFIX + 'objdump', '-d', '-j', '.text', path], capture_output=True, text=True)
    return [int(m.group(1), 16) for m in re.finditer(r'^\s*([0-9a-f]+):\t', r.stdout, re.M)]


def main():
    probe, work = sys.argv[1], sys.argv[2]
    if not shutil.which(PREFIX + 'gcc') or not shutil.which(PREFIX + 'addr2line'):
        print('SKIP: mingw-w64 gcc or addr2line is not installed')
        return 77
    os.makedirs(work, exist_ok=True)
    failures = 0
    for label, command, name in builds(work):
        out = os.path.join(work, name)
        r = subprocess.run(command + ['-o', out], capture_output=True, text=True)
        if r.returncode != 0:
            print('FAIL %s: build failed: %s' % (label, r.stderr.strip()[:300]))
            failures += 1
            continue
        addresses = instruction_addresses(out)
        ours = a2l.probe(probe, out, addresses)
        theirs = a2l.addr2line(PREFIX, out, addresses)
        same_name = same_line = explained = 0
        bad = []
        for a, o, t in zip(addresses, ours, theirs):
            kinds = a2l.classify(o, t)
            same_name += o[0] == t[0]
            same_line += o[1] == t[1]
            if any('other' in k for k in kinds):
                bad.append('0x%x: ours %s %s (%s), addr2line %s %s' % (a, o[0], o[1], o[2], t[0], t[1]))
            elif kinds:
                explained += 1
        print('%-16s %5d addresses: names equal %d, lines equal %d, explained differences %d, unexplained %d'
              % (label, len(addresses), same_name, same_line, explained, len(bad)))
        for b in bad[:10]:
            print('    ' + b)
        if not addresses or bad:
            failures += 1
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
