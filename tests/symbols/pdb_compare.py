#!/usr/bin/env python3
"""The PDB reader against llvm-pdbutil (LLVM 14), on the test DLL and program built by clang + lld
with PDBs (tests/targets: pmm_testdll_pdb.dll, pmm_target_symbols_pdb.exe), x64 and x86.

- every S_PUB32 public and every S_*PROC32 function (name, address, code size) of
  `llvm-pdbutil dump -publics -symbols` is in our table with the same RVA (and size), and ours
  has no others;
- every line record of `llvm-pdbutil dump -l` resolves to the same file and line (of the records
  at one address, the last);
- a PDB of another build next to the image is refused with a message naming both GUIDs; the right
  one is then found in a srv* symbol store (name.pdb/GUIDAGE/name.pdb) and in a two-tier store;
- a PDB cut short is refused or read in part, with a message, never a crash.

  pdb_compare.py PROBE WORKDIR WIN64_TARGETS_DIR WIN32_TARGETS_DIR
Exit 77 when llvm-pdbutil or the PDB targets are missing.
"""
import os, re, shutil, struct, subprocess, sys

PDBUTIL = shutil.which('llvm-pdbutil') or '/usr/lib/llvm-14/bin/llvm-pdbutil'
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print('FAIL ' + what)
    return ok


def pdbutil(*args):
    return subprocess.run([PDBUTIL, 'dump'] + list(args), capture_output=True, text=True, errors='replace', check=True).stdout


def section_vas(pdb):
    return [int(m.group(1), 16) for m in re.finditer(r'^\s+([0-9A-F]+) virtual address$', pdbutil('-section-headers', pdb), re.M)]


def rva(sections, segment, offset):
    return sections[segment - 1] + offset


def publics(pdb, sections):
    out = set()
    for m in re.finditer(r'S_PUB32 \[size = \d+\] `(.*)`\n\s+flags = [^\n]*?addr = (\d+):(\d+)', pdbutil('-publics', pdb)):
        out.add((rva(sections, int(m.group(2)), int(m.group(3))), m.group(1)))
    return out


def functions(pdb, sections):
    out = set()
    pattern = r'S_[GL]PROC32(?:_ID)? \[size = \d+\] `(.*)`\n\s+parent = \d+, end = \d+, addr = (\d+):(\d+), code size = (\d+)'
    for m in re.finditer(pattern, pdbutil('-symbols', pdb)):
        out.add((rva(sections, int(m.group(2)), int(m.group(3))), int(m.group(4)), m.group(1)))
    return out


def modules_with_lines(pdb):
    """llvm-pdbutil 14 repeats the previous module's lines under a module that has none: only
    modules with a debug stream are believed."""
    out = set()
    for m in re.finditer(r'Mod (\d+) \|[^\n]*\n[^\n]*\n\s*debug stream: (\d+)', pdbutil('-modules', pdb)):
        if int(m.group(2)) != 65535:
            out.add(int(m.group(1)))
    return out


def line_records(pdb, sections):
    """{rva: (file, line)}, the last record at each address winning."""
    real = modules_with_lines(pdb)
    out = {}
    module, file = None, None
    for line in pdbutil('-l', pdb).splitlines():
        m = re.match(r'Mod (\d+) \|', line)
        if m:
            module, file = int(m.group(1)), None
            continue
        if module not in real:
            continue
        m = re.match(r'^(\S.*?) \((?:MD5|SHA1|SHA256|None)[^)]*\)$', line) or re.match(r'^(/\S.*)$', line)
        if m:
            file = m.group(1)
            continue
        m = re.match(r'^\s+(\d{4}):([0-9A-F]{8})-([0-9A-F]{8}), line/addr entries', line)
        if m:
            segment = int(m.group(1))
            continue
        if file and re.match(r'^\s+\d+ [0-9A-F]{8}', line):
            for n, off in re.findall(r'(\d+) ([0-9A-F]{8})', line):
                out[rva(sections, segment, int(off, 16))] = (file, int(n))
    return out


def probe(tool, *args, stdin=None):
    r = subprocess.run([tool] + list(args), input=stdin, capture_output=True, text=True)
    return r.returncode, r.stdout, r.stderr


def ours(tool, image):
    code, out, err = probe(tool, 'list', image)
    check(code == 0, 'symbols_probe list %s: %s' % (image, err.strip()))
    pubs, funcs = set(), set()
    for line in out.splitlines():
        p = line.split('\t')
        if p[0] == 'scope' and p[4] == 'pdb':
            start, end, kind, name = int(p[1], 16), int(p[2], 16), int(p[3]), p[6]
            if kind == 3:
                pubs.add((start, name))
            elif kind == 1:
                funcs.add((start, end - start, name))
    return pubs, funcs


def image_base(image):
    with open(image, 'rb') as f:
        d = f.read(4096)
    pe = struct.unpack_from('<I', d, 0x3c)[0]
    magic = struct.unpack_from('<H', d, pe + 24)[0]
    return struct.unpack_from('<Q', d, pe + 48)[0] if magic == 0x20b else struct.unpack_from('<I', d, pe + 52)[0]


def compare(tool, image, pdb):
    sections = section_vas(pdb)
    want_pubs, want_funcs = publics(pdb, sections), functions(pdb, sections)
    got_pubs, got_funcs = ours(tool, image)
    label = os.path.basename(image)
    check(want_pubs == got_pubs, '%s publics: %d in the PDB, %d ours, missing %s, extra %s' % (
        label, len(want_pubs), len(got_pubs), sorted(want_pubs - got_pubs)[:5], sorted(got_pubs - want_pubs)[:5]))
    check(want_funcs == got_funcs, '%s functions: %d in the PDB, %d ours, missing %s, extra %s' % (
        label, len(want_funcs), len(got_funcs), sorted(want_funcs - got_funcs)[:5], sorted(got_funcs - want_funcs)[:5]))
    records = line_records(pdb, sections)
    base = image_base(image)
    addresses = sorted(records)
    code, out, err = probe(tool, 'resolve', image, stdin=''.join('%x\n' % (base + a) for a in addresses))
    got = [line.split('\t')[2] for line in out.splitlines()]
    bad = ['0x%x: %s:%d, ours %s' % (a, records[a][0], records[a][1], g) for a, g in zip(addresses, got)
           if g != '%s:%d' % records[a]]
    check(code == 0 and len(got) == len(addresses) and not bad,
          '%s lines: %d records, %d differ: %s' % (label, len(addresses), len(bad), bad[:5]))
    print('%s: %d publics, %d functions, %d line records compared' % (label, len(want_pubs), len(want_funcs), len(addresses)))
    return len(want_pubs) + len(want_funcs) + len(addresses)


def cv_path_offset(data, pdb_name):
    """Where the CodeView record's PDB path is in the file."""
    at = data.find(b'RSDS')
    check(at >= 0, 'no RSDS record')
    return at + 24


def search_cases(tool, work, image, pdb, other_pdb):
    """A lone copy of the image whose CodeView path leads nowhere, with a foreign PDB beside it."""
    name = os.path.basename(pdb)
    lone = os.path.join(work, 'lone')
    shutil.rmtree(lone, ignore_errors=True)
    os.makedirs(lone)
    data = bytearray(open(image, 'rb').read())
    at = cv_path_offset(data, name)
    end = data.index(b'\0', at)
    fake = b'/nonexistent-folder/' + name.encode()
    data[at:end] = fake.ljust(end - at, b'\0')[:end - at] if len(fake) <= end - at else b'Z' * (end - at)
    copy = os.path.join(lone, os.path.basename(image))
    open(copy, 'wb').write(bytes(data))

    code, out, _ = probe(tool, 'note', copy)
    check('not found' in out, 'no PDB anywhere: the note says not found (%s)' % out.strip())
    shutil.copy(other_pdb, os.path.join(lone, name))
    code, out, _ = probe(tool, 'note', copy)
    check('refused' in out and 'another build' in out, 'foreign PDB refused (%s)' % out.strip())
    check('PDB %s' % os.path.join(lone, name) not in out, 'foreign PDB not used')
    os.remove(os.path.join(lone, name))

    rsds = bytes(data).find(b'RSDS')
    guid = bytes(data[rsds + 4:rsds + 20])
    age = struct.unpack_from('<I', data, rsds + 20)[0]
    d1, d2, d3 = struct.unpack_from('<IHH', guid)
    key = '%08X%04X%04X%s%X' % (d1, d2, d3, guid[8:].hex().upper(), age)
    for layout, folder in (('srv store', os.path.join(work, 'cache', name, key)),
                           ('two-tier store', os.path.join(work, 'cache2', name[:2], name, key))):
        os.makedirs(folder, exist_ok=True)
        shutil.copy(pdb, os.path.join(folder, name))
        store = os.path.join(work, 'cache' if layout == 'srv store' else 'cache2')
        code, out, _ = probe(tool, 'note', copy, 'srv*%s*https://symbols.invalid/' % store)
        check(('PDB %s' % os.path.join(folder, name)) in out, '%s: PDB found at %s (%s)' % (layout, folder, out.strip()))

    cut = os.path.join(lone, name)
    blob = open(pdb, 'rb').read()
    for size in (0, 40, 4096, len(blob) // 2, len(blob) - 1000):
        open(cut, 'wb').write(blob[:size])
        code, out, err = probe(tool, 'note', copy)
        check(code == 0 and ('refused' in out or 'damaged' in out.lower() or 'PDB' in out),
              'PDB cut to %d bytes: a message, no crash (%d %s %s)' % (size, code, out.strip(), err.strip()[-300:]))
    os.remove(cut)


def main():
    tool, work, dirs = sys.argv[1], sys.argv[2], sys.argv[3:5]
    if not os.path.exists(PDBUTIL):
        print('SKIP: llvm-pdbutil (package llvm-14) is not installed')
        return 77
    pairs = []
    for d in dirs:
        for stem in ('pmm_testdll_pdb.dll', 'pmm_target_symbols_pdb.exe'):
            image = os.path.join(d, stem)
            if os.path.exists(image):
                pairs.append((image, os.path.splitext(image)[0] + '.pdb'))
    if not pairs:
        print('SKIP: no PDB test targets in %s (clang and ld.lld build them)' % ' '.join(dirs))
        return 77
    os.makedirs(work, exist_ok=True)
    total = 0
    for image, pdb in pairs:
        total += compare(tool, image, pdb)
    others = [p for _, p in pairs]
    image, pdb = pairs[0]
    other = next((p for p in others if os.path.basename(p) == os.path.basename(pdb) and p != pdb), others[-1])
    search_cases(tool, work, image, pdb, other)
    print('%d records compared, %d failures' % (total, len(failures)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
