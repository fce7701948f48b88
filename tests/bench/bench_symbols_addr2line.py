#!/usr/bin/env python3
"""The other half of bench_symbols: addr2line naming the same frames (bench_symbols wrote them as
"module path, RVA, frame number" lines), one addr2line per module as a debugger would use it, timed
here; prints the time and the ratio to our cold figure given on the command line.

  bench_symbols_addr2line.py FRAMES_FILE OUR_COLD_MS WINEPREFIX
"""
import os, re, struct, subprocess, sys, time


def linux_path(windows_path, prefix):
    drive, rest = windows_path[:2].upper(), windows_path[2:].replace('\\', '/')
    if drive == 'Z:':
        return rest
    return os.path.join(prefix, 'drive_c', rest.lstrip('/')) if drive == 'C:' else None


def image_base_and_bits(path):
    with open(path, 'rb') as f:
        d = f.read(4096)
    pe = struct.unpack_from('<I', d, 0x3c)[0]
    if struct.unpack_from('<H', d, pe + 24)[0] == 0x20b:
        return struct.unpack_from('<Q', d, pe + 48)[0], 64
    return struct.unpack_from('<I', d, pe + 52)[0], 32


def main():
    frames_file, ours_ms, prefix = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    modules = {}
    for line in open(frames_file):
        path, rva, _ = line.rstrip('\n').split('\t')
        modules.setdefault(path, []).append(int(rva, 16))
    start = time.monotonic()
    named = 0
    for path, rvas in modules.items():
        file = linux_path(path, prefix)
        if not file or not os.path.exists(file):
            continue
        base, bits = image_base_and_bits(file)
        tool = ('x86_64' if bits == 64 else 'i686') + '-w64-mingw32-addr2line'
        r = subprocess.run([tool, '-f', '-e', file], input=''.join('%x\n' % (base + a) for a in rvas),
                           capture_output=True, text=True)
        named += sum(1 for n in r.stdout.splitlines()[0::2] if n != '??')
    theirs_ms = (time.monotonic() - start) * 1000
    print('bench_symbols: addr2line named the same %d frames (%d with a function) in %.1f ms, one run per module: '
          'ours / addr2line = %.2f' % (sum(len(v) for v in modules.values()), named, theirs_ms, ours_ms / theirs_ms))
    return 0


if __name__ == '__main__':
    sys.exit(main())
