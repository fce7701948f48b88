#!/usr/bin/env python3
"""Encodings of every instruction form, decoded by GNU objdump and by our decoder.

  tools/x86_table_cases.py table [OUT]   enumerate the opcode maps systematically (every opcode of
      the one-byte, 0F, 0F38 and 0F3A maps, with no prefix, 66, F3, F2 and REX.W, each with all 64
      register ModRM bytes and 8 memory ones, in 32- and 64-bit mode; the VEX maps, AMD's XOP maps
      8-A and the EVEX maps 1-3, 5 and 6 with each pp, W and vector length; 3DNow! with every suffix
      byte), ask objdump, and write OUT
      (default tests/disasm/x86_table_cases.txt): the first encoding of every mnemonic objdump
      shows and of every mnemonic our decoder knows, with objdump's length and text. The unit test
      test_x86_tables checks our decoder against that file.
  tools/x86_table_cases.py regress      the encodings listed in tests/disasm/x86_regression_encodings.txt
      ("BITS HEX  # why" lines: encodings we once decoded wrong), each with objdump's length and text,
      written to tests/disasm/x86_regression_cases.txt in the table's format for test_x86_tables.
  tools/x86_table_cases.py fuzz N [SEED]  differential fuzzing: N random byte strings (random
      legacy/REX/VEX/EVEX/XOP prefixes and 3DNow! escapes before random bytes) decoded by both;
      prints the agreement of lengths, of valid/invalid and of text, and examples of each kind of
      difference.

Needs the native build (build/native/tests/disasm/x86_slots) and objdump (binutils).
"""
import collections
import os
import random
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SLOTS = os.path.join(os.environ.get("PMM_BUILD", os.path.join(ROOT, "build")), "native", "tests", "disasm", "x86_slots")
SLOT = 32
FILL = bytes.fromhex("1122334455667788")   # immediates and displacements objdump may read
LINE = re.compile(r"^\s*([0-9a-f]+):\t([0-9a-f ]+)\t(.*)$")


def norm(text):
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r" <[^>]*>", "", text)


def objdump(bits, blob, base=0):
    """{slot address: (length, text)} for the first instruction of every slot, the blob lying at base."""
    with tempfile.NamedTemporaryFile(suffix=".bin", delete=False) as f:
        f.write(blob)
        path = f.name
    machine = "i386:x86-64" if bits == 64 else "i386"
    out = subprocess.run(["objdump", "-D", "-z", "-b", "binary", "-m", machine, "-M", "intel",
                          "--adjust-vma=%#x" % base, path], capture_output=True, text=True, check=True).stdout
    ours = subprocess.run([SLOTS, str(bits), str(SLOT), path, str(base)], capture_output=True, text=True,
                          check=True).stdout
    os.unlink(path)
    starts = []
    for line in out.splitlines():
        m = LINE.match(line)
        if m and m.group(3):
            starts.append((int(m.group(1), 16), norm(m.group(3))))
    theirs = {}
    for i, (addr, text) in enumerate(starts):
        if addr % SLOT == 0:
            end = starts[i + 1][0] if i + 1 < len(starts) else addr + SLOT
            theirs[addr] = (end - addr, text)
    mine = {}
    for line in ours.splitlines():
        off, length, text = line.split(" ", 2)
        mine[int(off, 16)] = (int(length), norm(text))
    return theirs, mine


def slot(bytes_):
    return (bytes_ + FILL + b"\x90" * SLOT)[:SLOT]


def candidates(bits):
    prefixes = [b"", b"\x66", b"\xf3", b"\xf2", b"\x67"] + ([b"\x48", b"\x66\x48", b"\xf3\x48"] if bits == 64 else [])
    skip = {0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x0f, 0x9b}
    if bits == 64:
        skip |= set(range(0x40, 0x50))
    modrms = [bytes([0xc0 | i]) for i in range(64)] + [bytes([(r << 3) | 0x44, 0x8d, 0x10]) for r in range(8)]
    opcodes = [bytes([op]) for op in range(256) if op not in skip and op not in (0xc4, 0xc5, 0x62)]
    opcodes += [b"\x0f" + bytes([op]) for op in range(256) if op not in (0x38, 0x3a)]
    opcodes += [b"\x0f\x38" + bytes([op]) for op in range(256)]
    opcodes += [b"\x0f\x3a" + bytes([op]) for op in range(256)]
    if bits == 32:
        opcodes += [b"\xc4", b"\xc5", b"\x62"]
    # fwait before x87 escapes and alone; the VEX forms without ModRM or with a fixed one
    opcodes += [b"\x9b" + bytes([op]) for op in range(0xd8, 0xe0)] + [b"\x9b\x90"]
    opcodes += [b"\xc5\xf8\x77", b"\xc5\xfc\x77", b"\xc4\xe2\x78\x49\xc0"]   # vzeroupper/all, tilerelease
    for p in prefixes:
        for op in opcodes:
            for m in modrms:
                yield p + op + m
    # VEX (three-byte form): maps 1-3, every pp, L and W, vvvv unused (1111) or xmm2, 8 register and
    # 8 memory ModRM bytes
    vex_modrms = [bytes([0xc1 | (r << 3)]) for r in range(8)] + modrms[64:]
    for mmmmm in (1, 2, 3):
        for w in (0, 1):
            for vvvv in (0xf, 0xd):
                for l in (0, 1):
                    for pp in range(4):
                        head = bytes([0xc4, 0xe0 | mmmmm, (w << 7) | (vvvv << 3) | (l << 2) | pp])
                        for op in range(256):
                            for m in vex_modrms:
                                yield head + bytes([op]) + m
    yield from xop_3dnow_candidates()
    # EVEX: maps 1-3, 5 and 6, every pp and W, vector lengths 128/256/512, no masking, masking with
    # k1, or EVEX.b (broadcast on memory, rounding on registers); vvvv unused
    evex_modrms = [bytes([0xc1 | (r << 3)]) for r in range(8)] + [modrms[64], modrms[65]]
    for mm in (1, 2, 3, 5, 6):
        for w in (0, 1):
            for pp in range(4):
                for ll in (0, 1, 2):
                    for b, aaa in ((0, 0), (0, 1), (1, 0)):
                        head = bytes([0x62, 0xf0 | mm, (w << 7) | (0xf << 3) | 4 | pp, (ll << 5) | (b << 4) | 8 | aaa])
                        for op in range(256):
                            for m in evex_modrms:
                                yield head + bytes([op]) + m


def xop_3dnow_candidates():
    """AMD's XOP maps 8, 9 and A (XOP, TBM, LWP: every pp, L and W, vvvv unused or xmm2, 8 register
    and 2 memory ModRM bytes) and 3DNow! (0F 0F with every suffix byte, with no prefix, 66 or F3)."""
    xop_modrms = [bytes([0xc1 | (r << 3)]) for r in range(8)] + [b"\x00", bytes([0x44, 0x8d, 0x10])]
    for mmmmm in (8, 9, 10):
        for w in (0, 1):
            for vvvv in (0xf, 0xd):
                for l in (0, 1):
                    for pp in range(4):
                        head = bytes([0x8f, 0xe0 | mmmmm, (w << 7) | (vvvv << 3) | (l << 2) | pp])
                        for op in range(256):
                            for m in xop_modrms:
                                yield head + bytes([op]) + m
    for p in (b"", b"\x66", b"\xf3"):
        for m in (b"\xc1", b"\x00", b"\x44\x8d\x10"):
            for suffix in range(256):
                yield p + b"\x0f\x0f" + m + bytes([suffix])


CHUNK = 100000   # encodings per objdump run: its whole output is held in memory


def compare(bits, encodings):
    encodings = list(encodings)
    for first in range(0, len(encodings), CHUNK):
        part = encodings[first:first + CHUNK]
        base = first * SLOT
        theirs, mine = objdump(bits, b"".join(slot(e) for e in part), base)
        for i, e in enumerate(part):
            addr = base + i * SLOT
            if addr in theirs and addr in mine:
                yield addr, e, theirs[addr], mine[addr]


def mnemonic(text):
    words = text.split(" ")
    prefixes = {"data16", "data32", "addr32", "addr16", "rex", "lock", "rep", "repz", "repnz", "bnd", "notrack",
                "cs", "ds", "es", "ss", "fs", "gs", "xacquire", "xrelease"}
    for w in words:
        if w not in prefixes and not w.startswith("rex."):
            return w
    return words[0]


def table(out_path):
    lines = ["# Generated by tools/x86_table_cases.py table: the first encoding of each mnemonic in a",
             "# systematic walk of the opcode maps, with GNU objdump's length and text (binutils " +
             subprocess.run(["objdump", "--version"], capture_output=True, text=True).stdout.split("\n")[0].split()[-1] +
             ").", "# BITS ADDRESS HEX LENGTH TEXT   (a line starting with ! is a known difference: ours follows ' || ')"]
    totals = collections.Counter()
    for bits in (64, 32):
        seen_theirs, seen_ours = set(), set()
        for addr, e, (tl, tt), (ml, mt) in compare(bits, list(candidates(bits))):
            totals["all"] += 1
            same = tl == ml and tt == mt
            totals["same"] += same
            key_t, key_o = mnemonic(tt), mnemonic(mt)
            if key_t in seen_theirs and key_o in seen_ours:
                continue
            seen_theirs.add(key_t)
            seen_ours.add(key_o)
            hexs = slot(e)[:16].hex()   # the bytes decoded, with what follows them in the slot
            line = "%d %x %s %d %s" % (bits, addr, hexs, tl, tt)
            if not same:
                line = "!" + line + " || %d %s" % (ml, mt)
            lines.append(line)
    with open(out_path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("%s: %d cases; over all %d generated encodings, length and text agree for %d (%.2f%%)" %
          (out_path, len(lines) - 3, totals["all"], totals["same"], 100.0 * totals["same"] / max(totals["all"], 1)))


def fuzz(count, seed):
    rng = random.Random(seed)
    prefix_pool = [0x66, 0x67, 0xf2, 0xf3, 0xf0, 0x2e, 0x3e, 0x26, 0x36, 0x64, 0x65]
    stats = collections.Counter()
    examples = collections.defaultdict(list)
    for bits in (64, 32):
        encodings = []
        for _ in range(count // 2):
            p = bytes(rng.choice(prefix_pool) for _ in range(rng.choice([0, 0, 1, 1, 2, 3])))
            if bits == 64 and rng.random() < 0.3:
                p += bytes([0x40 | rng.randrange(16)])
            kind = rng.random()
            if kind < 0.15:
                body = bytes([0xc5]) + bytes(rng.randrange(256) for _ in range(8))
            elif kind < 0.3:
                body = bytes([0xc4, 0xe0 | rng.randrange(1, 4)]) + bytes(rng.randrange(256) for _ in range(8))
            elif kind < 0.4:
                body = bytes([0x62]) + bytes(rng.randrange(256) for _ in range(9))
            elif kind < 0.6:
                body = bytes([0x0f]) + bytes(rng.randrange(256) for _ in range(8))
            elif kind < 0.65:   # XOP: 8F with map 8, 9 or A (or any other RXB.mmmmm byte)
                body = bytes([0x8f, rng.choice([0xe8, 0xe9, 0xea, rng.randrange(256)])]) + \
                    bytes(rng.randrange(256) for _ in range(8))
            elif kind < 0.7:    # 3DNow!: 0F 0F, ModRM..., the suffix a valid one or a random byte
                body = bytes([0x0f, 0x0f]) + bytes(rng.randrange(256) for _ in range(6)) + \
                    bytes([rng.choice([0x0c, 0x9e, 0xb4, 0xbb, rng.randrange(256)])])
            else:
                body = bytes(rng.randrange(256) for _ in range(9))
            encodings.append((p + body)[:15])
        for _, e, (tl, tt), (ml, mt) in compare(bits, encodings):
            stats["all"] += 1
            tbad, mbad = "(bad)" in tt or tt.startswith(".byte"), "(bad)" in mt or mt.startswith(".byte")
            stats["valid_same"] += tbad == mbad
            stats["length_same"] += tl == ml
            stats["text_same"] += tl == ml and tt == mt
            if tl != ml or tt != mt:
                kind = "length" if tl != ml else "text"
                key = "%s: objdump %s / ours %s" % (kind, mnemonic(tt), mnemonic(mt))
                stats[key] += 1
                if len(examples[key]) < 2:
                    examples[key].append("%d-bit %s: objdump %d '%s' ours %d '%s'" % (bits, slot(e)[:max(tl, ml)].hex(), tl, tt, ml, mt))
    n = max(stats["all"], 1)
    print("%d random encodings: valid/invalid agree %.2f%%, lengths agree %.2f%%, length and text agree %.2f%%" %
          (stats["all"], 100.0 * stats["valid_same"] / n, 100.0 * stats["length_same"] / n, 100.0 * stats["text_same"] / n))
    kinds = sorted(((v, k) for k, v in stats.items() if ":" in k), reverse=True)
    for v, k in kinds[:40]:
        print("  %6d  %s" % (v, k))
        for ex in examples[k]:
            print("          e.g. " + ex)


def regress():
    src = os.path.join(ROOT, "tests", "disasm", "x86_regression_encodings.txt")
    out_path = os.path.join(ROOT, "tests", "disasm", "x86_regression_cases.txt")
    lines = ["# Generated by tools/x86_table_cases.py regress from x86_regression_encodings.txt: encodings",
             "# we once decoded wrong, with GNU objdump's length and text (binutils " +
             subprocess.run(["objdump", "--version"], capture_output=True, text=True).stdout.split("\n")[0].split()[-1] +
             ").", "# BITS ADDRESS HEX LENGTH TEXT   (a line starting with ! is a known difference: ours follows ' || ')"]
    wanted = []
    with open(src) as f:
        for line in f:
            body, _, why = line.partition("#")
            if body.strip():
                bits, hexs = body.split()
                wanted.append((int(bits), bytes.fromhex(hexs), why.strip()))
    differ = 0
    for bits in (64, 32):
        cases = [(e, why) for b, e, why in wanted if b == bits]
        for (addr, e, (tl, tt), (ml, mt)), (_, why) in zip(compare(bits, [e for e, _ in cases]), cases):
            if why:
                lines.append("# " + why)
            line = "%d %x %s %d %s" % (bits, addr, slot(e)[:16].hex(), tl, tt)
            if tl != ml or tt != mt:
                line = "!" + line + " || %d %s" % (ml, mt)
                differ += 1
            lines.append(line)
    with open(out_path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("%s: %d cases, %d differing from objdump" % (out_path, len(wanted), differ))


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "regress":
        regress()
    elif len(sys.argv) >= 2 and sys.argv[1] == "table":
        table(sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "tests", "disasm", "x86_table_cases.txt"))
    elif len(sys.argv) >= 3 and sys.argv[1] == "fuzz":
        fuzz(int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
