"""Crafted minidumps: each a copy of a real dump (one pmm wrote of a test target) with one field
changed the way a hostile or broken file would have it: sizes the file does not hold, counts of
2^32 - 1, ranges past the end, regions that wrap or overlap. Every command that reads a dump must
answer on each within a time proportional to the file (issue 22).

Used by test_hostile.py; also runs on its own:
    python3 crafted_dumps.py DUMP OUTDIR     writes OUTDIR/NAME.dmp for every case, lists them
"""
import os
import struct
import sys

STREAM_THREAD_LIST = 3
STREAM_MODULE_LIST = 4
STREAM_MEMORY_LIST = 5
STREAM_SYSTEM_INFO = 7
STREAM_MEMORY64_LIST = 9
STREAM_MEMORY_INFO_LIST = 16

MEM_COMMIT = 0x1000
PAGE_READWRITE = 0x04
MEM_PRIVATE = 0x20000


class Dump:
    """The header fields and stream directory of a minidump held as a bytearray."""

    def __init__(self, data):
        self.data = bytearray(data)
        if self.data[:4] != b"MDMP":
            raise ValueError("not a minidump")
        self.stream_count, self.directory_rva = struct.unpack_from("<II", self.data, 8)
        self.streams = {}
        for i in range(self.stream_count):
            kind, size, rva = struct.unpack_from("<III", self.data, self.directory_rva + 12 * i)
            self.streams.setdefault(kind, (size, rva, self.directory_rva + 12 * i))

    def stream(self, kind):
        """(size, rva, directory entry offset) of the first stream of that type; KeyError when none."""
        return self.streams[kind]

    def memory_info_entries(self):
        """Offsets of the MemoryInfoList entries and the count field."""
        _, rva, _ = self.stream(STREAM_MEMORY_INFO_LIST)
        header_size, entry_size, count = struct.unpack_from("<IIQ", self.data, rva)
        return rva + 8, [rva + header_size + i * entry_size for i in range(count)]

    def set_memory_info(self, offset, base, size, state=MEM_COMMIT, protect=PAGE_READWRITE, kind=MEM_PRIVATE):
        struct.pack_into("<QQIIQIII", self.data, offset, base, base, protect, 0, size, state, protect, kind)

    def memory64(self):
        """(offset of count, offset of base rva, [offsets of (address, size) descriptors])."""
        _, rva, _ = self.stream(STREAM_MEMORY64_LIST)
        count, _ = struct.unpack_from("<QQ", self.data, rva)
        return rva, rva + 8, [rva + 16 + 16 * i for i in range(count)]


def first_committed_entry(d):
    for off in d.memory_info_entries()[1]:
        base, _, _, _, size, state = struct.unpack_from("<QQIIQI", d.data, off)
        if state == MEM_COMMIT and base >= 0x10000:
            return off, base, size
    raise ValueError("no committed MemoryInfoList entry")


# ---- the cases: each takes a Dump, changes it, and may return a replacement byte string ----------

def mil_entry_2_48(d):
    """The issue's reproducer: the first entry claims 256 TiB of committed read-write memory."""
    off = d.memory_info_entries()[1][0]
    d.set_memory_info(off, 0x10000, 1 << 48)


def mil_entry_wraps(d):
    """An entry of 2^64 - 4096 bytes: base + size wraps past the top of the address space."""
    off, base, _ = first_committed_entry(d)
    d.set_memory_info(off, base, (1 << 64) - 4096)


def mil_entries_overlap(d):
    """Every entry claims four times its size, reaching over its neighbours."""
    for off in d.memory_info_entries()[1]:
        size = struct.unpack_from("<Q", d.data, off + 24)[0]
        struct.pack_into("<Q", d.data, off + 24, min(size * 4, (1 << 64) - 1))


def mil_entry_above_user_space(d):
    """A committed entry far above the x64 user address space (and one at the very top)."""
    entries = d.memory_info_entries()[1]
    d.set_memory_info(entries[-1], 0xFFFF800000000000, 1 << 40)
    d.set_memory_info(entries[-2], (1 << 64) - 0x1000, 0x1000)


def mil_count_max(d):
    """NumberOfEntries 2^32 - 1 in a stream that holds a few hundred."""
    count_at, _ = d.memory_info_entries()
    struct.pack_into("<Q", d.data, count_at, 0xFFFFFFFF)


def mil_count_2_64(d):
    count_at, _ = d.memory_info_entries()
    struct.pack_into("<Q", d.data, count_at, (1 << 64) - 1)


def m64_count_max(d):
    count_at, _, _ = d.memory64()
    struct.pack_into("<Q", d.data, count_at, 0xFFFFFFFF)


def m64_range_past_file(d):
    """The first Memory64List range claims 2^40 bytes: it and every later range lie past the end."""
    _, _, descriptors = d.memory64()
    struct.pack_into("<Q", d.data, descriptors[0] + 8, 1 << 40)


def m64_range_wraps(d):
    """A range whose address + size wraps past 2^64."""
    _, _, descriptors = d.memory64()
    struct.pack_into("<QQ", d.data, descriptors[-1], (1 << 64) - 0x1000, 1 << 20)


def m64_base_rva_past_end(d):
    """BaseRva beyond the end of the file: no range has a byte."""
    _, base_at, _ = d.memory64()
    struct.pack_into("<Q", d.data, base_at, len(d.data) + 0x1000)


def m64_base_rva_max(d):
    _, base_at, _ = d.memory64()
    struct.pack_into("<Q", d.data, base_at, (1 << 64) - 16)


def thread_count_max(d):
    _, rva, _ = d.stream(STREAM_THREAD_LIST)
    struct.pack_into("<I", d.data, rva, 0xFFFFFFFF)


def thread_stack_huge(d):
    """Every thread's stack descriptor claims 4 GiB at an rva past the end of the file."""
    _, rva, _ = d.stream(STREAM_THREAD_LIST)
    count = struct.unpack_from("<I", d.data, rva)[0]
    for i in range(count):
        entry = rva + 4 + 48 * i
        struct.pack_into("<II", d.data, entry + 32, 0xFFFFFFFF, len(d.data) + 0x100)


def module_count_max(d):
    _, rva, _ = d.stream(STREAM_MODULE_LIST)
    struct.pack_into("<I", d.data, rva, 0xFFFFFFFF)


def module_size_max(d):
    """Every module claims SizeOfImage 0xFFFFFFFF."""
    _, rva, _ = d.stream(STREAM_MODULE_LIST)
    count = struct.unpack_from("<I", d.data, rva)[0]
    for i in range(count):
        struct.pack_into("<I", d.data, rva + 4 + 108 * i + 8, 0xFFFFFFFF)


def stream_rvas_past_end(d):
    """Every directory entry points past the end of the file."""
    for i in range(d.stream_count):
        struct.pack_into("<I", d.data, d.directory_rva + 12 * i + 8, len(d.data) + 0x1000 * (i + 1))


def stream_sizes_max(d):
    """Every directory entry claims a stream of 4 GiB - 1."""
    for i in range(d.stream_count):
        struct.pack_into("<I", d.data, d.directory_rva + 12 * i + 4, 0xFFFFFFFF)


def stream_count_max(d):
    struct.pack_into("<I", d.data, 8, 0xFFFFFFFF)


def truncated_after_directory(d):
    return bytes(d.data[:d.directory_rva + 12 * d.stream_count])


def truncated_half(d):
    return bytes(d.data[:len(d.data) // 2])


CASES = [mil_entry_2_48, mil_entry_wraps, mil_entries_overlap, mil_entry_above_user_space, mil_count_max,
         mil_count_2_64, m64_count_max, m64_range_past_file, m64_range_wraps, m64_base_rva_past_end,
         m64_base_rva_max, thread_count_max, thread_stack_huge, module_count_max, module_size_max,
         stream_rvas_past_end, stream_sizes_max, stream_count_max, truncated_after_directory, truncated_half]


def write_corpus(source_path, out_dir):
    """Writes OUT_DIR/<case>.dmp for every case; returns [(name, path, description)]."""
    original = open(source_path, "rb").read()
    os.makedirs(out_dir, exist_ok=True)
    made = []
    for case in CASES:
        d = Dump(original)
        replaced = case(d)
        path = os.path.join(out_dir, case.__name__ + ".dmp")
        with open(path, "wb") as f:
            f.write(replaced if replaced is not None else d.data)
        made.append((case.__name__, path, (case.__doc__ or case.__name__).strip()))
    return made


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    for name, path, doc in write_corpus(sys.argv[1], sys.argv[2]):
        print(f"{path}  {doc}")
