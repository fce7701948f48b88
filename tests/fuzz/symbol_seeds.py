#!/usr/bin/env python3
"""Seed inputs for the symbol reader harnesses (fuzz_dwarf, fuzz_coff, fuzz_pdb), made from real
files at configure time and written into the build tree (nothing is copied into the project):

  dwarf/  the first compilation unit of a few Wine DLLs, with the start of every other DWARF
          section, in fuzz_dwarf's format (nine u16 section sizes, then the sections);
  coff/   the first records of those DLLs' COFF symbol tables with their string tables;
  pdb/    the test targets' PDBs (tests/targets, clang + lld), repacked into 512-byte MSF blocks
          with the type streams left out, so that each fits the fuzzer's 64 KiB inputs.

  symbol_seeds.py OUT_DIR [TARGET_DIR...]
"""
import os, struct, sys

WINE = ['/usr/lib/x86_64-linux-gnu/wine/x86_64-windows', '/usr/lib/i386-linux-gnu/wine/i386-windows']
DLLS = ['version.dll', 'lz32.dll', 'sechost.dll', 'psapi.dll', 'kernel32.dll', 'msacm32.dll', 'imm32.dll',
        'winspool.drv', 'comdlg32.dll', 'uxtheme.dll']
CAP = 12000
DWARF_ORDER = ['.debug_info', '.debug_abbrev', '.debug_line', '.debug_str', '.debug_line_str', '.debug_ranges',
               '.debug_rnglists', '.debug_addr', '.debug_str_offsets']


def pe_sections(d):
    pe = struct.unpack_from('<I', d, 0x3c)[0]
    count = struct.unpack_from('<H', d, pe + 6)[0]
    symoff, nsym = struct.unpack_from('<II', d, pe + 12)
    at = pe + 24 + struct.unpack_from('<H', d, pe + 20)[0]
    strtab = symoff + nsym * 18
    out = {}
    for i in range(count):
        h = d[at + 40 * i: at + 40 * i + 40]
        name = h[:8].rstrip(b'\0').decode('latin-1')
        vsize, _, rsize, roff = struct.unpack_from('<IIII', h, 8)
        if name.startswith('/') and symoff:
            o = strtab + int(name[1:])
            name = d[o:d.index(b'\0', o)].decode('latin-1')
        out[name] = d[roff: roff + min(vsize or rsize, rsize)]
    return out, symoff, nsym


def dwarf_seed(sections):
    """The first unit, whole (None when it is larger than CAP), and the start of the others."""
    info = sections.get('.debug_info', b'')
    if len(info) < 4 or 4 + struct.unpack_from('<I', info, 0)[0] > CAP:
        return None
    first_unit = info[:4 + struct.unpack_from('<I', info, 0)[0]]
    parts = [first_unit] + [sections.get(n, b'')[:CAP] for n in DWARF_ORDER[1:]]
    return b''.join(struct.pack('<H', len(p)) for p in parts) + b''.join(parts)


def coff_seed(d, symoff, nsym):
    records = d[symoff: symoff + 18 * min(nsym, 1500)]
    strtab = d[symoff + 18 * nsym:]
    size = struct.unpack_from('<I', strtab, 0)[0] if len(strtab) >= 4 else 0
    strings = strtab[:min(size, 30000)]
    return b'\0' + records + struct.pack('<I', len(strings)) + strings[4:]


def read_msf(d):
    block = struct.unpack_from('<I', d, 32)[0]
    dir_bytes = struct.unpack_from('<I', d, 44)[0]
    map_addr = struct.unpack_from('<I', d, 52)[0]
    nb = (dir_bytes + block - 1) // block
    dir_blocks = struct.unpack_from('<%dI' % nb, d, map_addr * block)
    directory = b''.join(d[b * block:(b + 1) * block] for b in dir_blocks)[:dir_bytes]
    n = struct.unpack_from('<I', directory, 0)[0]
    sizes = list(struct.unpack_from('<%dI' % n, directory, 4))
    at = 4 + 4 * n
    streams = []
    for s in sizes:
        size = 0 if s == 0xffffffff else s
        k = (size + block - 1) // block
        blocks = struct.unpack_from('<%dI' % k, directory, at)
        at += 4 * k
        streams.append(b''.join(d[b * block:(b + 1) * block] for b in blocks)[:size])
    return streams


def write_msf(streams, block=512):
    data_blocks = []
    lists = []
    for s in streams:
        ids = []
        for i in range(0, len(s), block):
            ids.append(3 + len(data_blocks))
            data_blocks.append(s[i:i + block].ljust(block, b'\0'))
        lists.append(ids)
    directory = struct.pack('<I', len(streams)) + b''.join(struct.pack('<I', len(s)) for s in streams)
    directory += b''.join(struct.pack('<%dI' % len(ids), *ids) for ids in lists)
    first_dir = 3 + len(data_blocks)
    dir_blocks = [directory[i:i + block].ljust(block, b'\0') for i in range(0, len(directory), block)]
    map_block = first_dir + len(dir_blocks)
    block_map = struct.pack('<%dI' % len(dir_blocks), *range(first_dir, first_dir + len(dir_blocks))).ljust(block, b'\0')
    total = map_block + 1
    sb = b'Microsoft C/C++ MSF 7.00\r\n\x1aDS\0\0\0' + struct.pack('<IIIIII', block, 1, total, len(directory), 0, map_block)
    return sb.ljust(block, b'\0') + b'\0' * (2 * block) + b''.join(data_blocks) + b''.join(dir_blocks) + block_map


def small_pdb(path):
    streams = read_msf(open(path, 'rb').read())
    keep = {1, 3}
    dbi = streams[3]
    sym_records = struct.unpack_from('<H', dbi, 20)[0]
    keep.add(sym_records)
    sizes = struct.unpack_from('<IIIIIIIII', dbi, 24)
    modinfo = dbi[64:64 + sizes[0]]
    at = 0
    while at + 64 <= len(modinfo):
        stream = struct.unpack_from('<H', modinfo, at + 34)[0]
        if stream != 0xffff and stream < len(streams) and len(streams[stream]) < 8000:
            keep.add(stream)
        end = modinfo.index(b'\0', modinfo.index(b'\0', at + 64) + 1) + 1
        at = (end + 3) & ~3
    dbg = 64 + sizes[0] + sizes[1] + sizes[2] + sizes[3] + sizes[4] + sizes[7]
    if sizes[6] >= 12:
        keep.add(struct.unpack_from('<H', dbi, dbg + 10)[0])
    info = streams[1]
    names_at = info.find(b'/names\0')
    if names_at >= 0:
        keep.update(i for i, s in enumerate(streams) if s[:4] == b'\xfe\xef\xfe\xef')
    return write_msf([s if i in keep else b'' for i, s in enumerate(streams)])


def main():
    out, targets = sys.argv[1], sys.argv[2:]
    for sub in ('dwarf', 'coff', 'pdb'):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    for directory in WINE:
        for name in DLLS:
            path = os.path.join(directory, name)
            if not os.path.exists(path):
                continue
            d = open(path, 'rb').read()
            sections, symoff, nsym = pe_sections(d)
            tag = '%s-%s' % (os.path.basename(directory).split('-')[0], name)
            seed = dwarf_seed(sections)
            if seed:
                open(os.path.join(out, 'dwarf', tag + '.bin'), 'wb').write(seed[:65536])
            if symoff:
                open(os.path.join(out, 'coff', tag + '.bin'), 'wb').write(coff_seed(d, symoff, nsym)[:65536])
    for directory in targets:
        for name in ('pmm_testdll_pdb.pdb', 'pmm_target_symbols_pdb.pdb'):
            path = os.path.join(directory, name)
            if os.path.exists(path):
                tag = '%s-%s' % (os.path.basename(os.path.dirname(os.path.dirname(directory))), name)
                open(os.path.join(out, 'pdb', tag), 'wb').write(small_pdb(path)[:65536])
    return 0


if __name__ == '__main__':
    sys.exit(main())
