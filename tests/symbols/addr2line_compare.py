#!/usr/bin/env python3
"""Names and source lines of Wine's builtin DLLs and EXEs, ours against addr2line's.

For each image: every function start that `nm` lists in the code (T/t symbols) and one random
address inside each function (up to the next start), resolved by symbols_probe (our DWARF, COFF
and export readers) and by `x86_64-w64-mingw32-addr2line -f -e` (or i686-). Prints agreement
rates and every kind of difference with examples; exits 1 when an unexplained difference appears.

  addr2line_compare.py PROBE [--all | --sample N] [--arch x64|x86|both] [--min-addresses N]
"""
import argparse, os, random, re, subprocess, sys, collections

WINE_DIRS = {
    'x64': ('/usr/lib/x86_64-linux-gnu/wine/x86_64-windows', 'x86_64-w64-mingw32-'),
    'x86': ('/usr/lib/i386-linux-gnu/wine/i386-windows', 'i686-w64-mingw32-'),
}
# Always in the sample: the DLLs every process loads, and the biggest.
CORE = ['ntdll.dll', 'kernelbase.dll', 'kernel32.dll', 'user32.dll', 'gdi32.dll', 'msvcrt.dll',
        'ucrtbase.dll', 'advapi32.dll', 'ole32.dll', 'rpcrt4.dll', 'shell32.dll', 'comctl32.dll',
        'dbghelp.dll', 'winedbg.exe', 'cmd.exe']


def images(directory):
    out = []
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if name.endswith('.a') or not os.path.isfile(path):
            continue
        with open(path, 'rb') as f:
            if f.read(2) != b'MZ':
                continue
        out.append(name)
    return out


def function_starts(prefix, path):
    """Code symbols of the COFF table, as nm lists them (VMAs), sorted and unique."""
    r = subprocess.run([prefix + 'nm', path], capture_output=True, text=True)
    starts = set()
    for line in r.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in ('T', 't'):
            starts.add(int(parts[0], 16))
    return sorted(starts)


def sample_addresses(name, starts, text_end):
    rng = random.Random(name)
    out = []
    for i, a in enumerate(starts):
        out.append(a)
        b = starts[i + 1] if i + 1 < len(starts) else text_end
        if b - a > 1:
            out.append(a + rng.randrange(1, b - a))
    return out


def text_end_of(prefix, path):
    r = subprocess.run([prefix + 'objdump', '-h', path], capture_output=True, text=True)
    for line in r.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[1] == '.text':
            return int(parts[3], 16) + int(parts[2], 16)
    return None


def addr2line(prefix, path, addresses):
    data = ''.join('%x\n' % a for a in addresses)
    r = subprocess.run([prefix + 'addr2line', '-f', '-e', path], input=data, capture_output=True, text=True)
    lines = r.stdout.splitlines()
    out = []
    for i in range(len(addresses)):
        name = lines[2 * i] if 2 * i < len(lines) else '??'
        where = lines[2 * i + 1] if 2 * i + 1 < len(lines) else '??:0'
        where = re.sub(r' \(discriminator \d+\)$', '', where)
        out.append((name, where))
    return out


def probe(tool, path, addresses):
    data = ''.join('%x\n' % a for a in addresses)
    r = subprocess.run([tool, 'resolve', path], input=data, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError('symbols_probe failed on %s: %s' % (path, r.stderr.strip()))
    out = []
    for line in r.stdout.splitlines():
        parts = line.split('\t')
        out.append((parts[1], parts[2], parts[3]))
    return out


LLVM_SYMBOLIZER = '/usr/lib/llvm-14/bin/llvm-symbolizer'


def llvm_symbolizer(path, addresses):
    """The innermost frame llvm-symbolizer gives for each address: (name, file:line)."""
    if not addresses or not os.path.exists(LLVM_SYMBOLIZER):
        return [None] * len(addresses)
    r = subprocess.run([LLVM_SYMBOLIZER, '--no-demangle', '--obj=' + path] + ['0x%x' % a for a in addresses],
                       capture_output=True, text=True)
    out = []
    for block in r.stdout.strip('\n').split('\n\n'):
        lines = block.splitlines()
        if len(lines) >= 2:
            out.append((lines[0], re.sub(r':\d+$', '', lines[1])))
        else:
            out.append(None)
    return out + [None] * (len(addresses) - len(out))


ARBITRATED = 'addr2line names code that no DWARF row or function covers; llvm-symbolizer agrees with us'


def classify(ours, theirs):
    """The kind of a difference, or None when both agree."""
    name, where, origin = ours
    t_name, t_where = theirs
    kinds = []
    if name != t_name:
        if t_name == '??' and origin in ('coff', 'exports'):
            kinds.append('name: addr2line has none, we use the COFF symbol table or exports')
        else:
            kinds.append('name: other')
    if where != t_where:
        if t_where.endswith(':?') and where == '??:0':
            kinds.append('line: addr2line names the .file symbol of code without line rows')
        else:
            kinds.append('line: other')
    return kinds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('probe')
    ap.add_argument('--all', action='store_true', help='every image (slow: the whole set)')
    ap.add_argument('--sample', type=int, default=40, help='images per architecture besides the core ones')
    ap.add_argument('--arch', default='both')
    ap.add_argument('--min-addresses', type=int, default=10000)
    ap.add_argument('--examples', type=int, default=5)
    args = ap.parse_args()

    totals = collections.Counter()
    kinds = collections.Counter()
    examples = collections.defaultdict(list)
    files = 0
    for arch in (['x64', 'x86'] if args.arch == 'both' else [args.arch]):
        directory, prefix = WINE_DIRS[arch]
        if not os.path.isdir(directory):
            print('SKIP %s: %s is missing' % (arch, directory))
            continue
        names = images(directory)
        if not args.all:
            rng = random.Random('sample-' + arch)
            rest = [n for n in names if n not in CORE]
            names = [n for n in CORE if n in names] + sorted(rng.sample(rest, min(args.sample, len(rest))))
        for name in names:
            path = os.path.join(directory, name)
            starts = function_starts(prefix, path)
            end = text_end_of(prefix, path)
            if not starts or end is None:
                continue
            addresses = sample_addresses(name, starts, end)
            ours = probe(args.probe, path, addresses)
            theirs = addr2line(prefix, path, addresses)
            files += 1
            disputed = [i for i, (o, t) in enumerate(zip(ours, theirs)) if [k for k in classify(o, t) if 'other' in k]]
            third = dict(zip(disputed, llvm_symbolizer(path, [addresses[i] for i in disputed])))
            for i, (a, o, t) in enumerate(zip(addresses, ours, theirs)):
                totals['addresses'] += 1
                found = classify(o, t)
                if i in third and third[i] == (o[0], o[1]):
                    found = [ARBITRATED if 'other' in k else k for k in found]
                    found = sorted(set(found))
                totals['names agree'] += 'name: other' not in found
                totals['lines agree'] += 'line: other' not in found
                if t[0] != '??':
                    totals['addr2line names'] += 1
                    totals['same name'] += o[0] == t[0]
                if not t[1].endswith(':?') and not t[1].startswith('??'):
                    totals['addr2line lines'] += 1
                    totals['same line'] += o[1] == t[1]
                for k in found:
                    kinds[k] += 1
                    if len(examples[k]) < args.examples:
                        examples[k].append('%s %s 0x%x: ours %s %s (%s), addr2line %s %s'
                                           % (arch, name, a, o[0], o[1], o[2], t[0], t[1]))
    n = totals['addresses']
    def rate(part, whole):
        return '%d of %d (%.3f%%)' % (totals[part], totals[whole], 100.0 * totals[part] / max(1, totals[whole]))
    print('%d images, %d addresses' % (files, n))
    print('where addr2line names a function, the same name: ' + rate('same name', 'addr2line names'))
    print('where addr2line gives a line, the same file:line: ' + rate('same line', 'addr2line lines'))
    print('all addresses, the same name or a difference of a kind explained below: ' + rate('names agree', 'addresses'))
    print('all addresses, the same line or a difference of a kind explained below: ' + rate('lines agree', 'addresses'))
    for k, c in kinds.most_common():
        print('%7d  %s' % (c, k))
        for e in examples[k]:
            print('           ' + e)
    if n < args.min_addresses:
        print('FAIL: only %d addresses (want at least %d)' % (n, args.min_addresses))
        return 1
    unexplained = kinds['name: other'] + kinds['line: other']
    return 1 if unexplained else 0


if __name__ == '__main__':
    sys.exit(main())
