"""`pmm search` and `pmm strings` against pmm_target_markers, which plants markers at addresses it
reports (inside a page, across a page boundary, across the boundary of two adjacent allocations,
in read-only and executable pages, UTF-16, aligned and unaligned integers, a double, a 3000-byte
pseudo-random run). Every marker must be found at exactly its address and nothing else inside the
marker allocations (copies elsewhere, such as the report's own JSON buffer, are allowed); a
full-memory minidump of the same process written by dbghelp (pmm_dump_writer) must give the same
hits. Both bitnesses: the 64-bit pmm on a 64-bit target, the 32-bit pmm on a 32-bit target."""
import os
import tempfile

from pmmtest import Skip, Target, addr, binary, pmm, pmm_json, run_tests, run_wine, test

MARKER_PREFIX = "50 4D 4D ?? 4D 41 52 4B 45 52"   # "PMM?MARKER"


def long_marker_bytes(seed, length):
    state, out = seed, bytearray()
    for _ in range(length):
        state = (state * 1103515245 + 12345) & 0xFFFFFFFF
        out.append(state >> 24)
    return bytes(out)


class Markers:
    def __init__(self, target):
        self.info = target.info
        self.allocs = {a["name"]: (addr(a["base"]), a["size"]) for a in target.info["allocations"]}
        self.markers = {m["name"]: m for m in target.info["markers"]}

    def addr(self, name):
        return addr(self.markers[name]["address"])

    def in_allocations(self, hits):
        return sorted(h for h in hits if any(b <= h < b + s for b, s in self.allocs.values()))


def search(bits, target, *args):
    data = pmm_json(bits, "search", target, *args, "--max", "0")
    assert data["format"] == "pmm-search" and data["version"] == 1, data
    assert not data["summary"]["truncated"]
    return data


def hit_addresses(data):
    return [addr(h["address"]) for h in data["hits"]]


def each_bitness(fn):
    """Runs fn(bits, target, markers) for the 64-bit and the 32-bit target; skips a missing build."""
    ran = 0
    for bits in (64, 32):
        try:
            binary(bits, "pmm_target_markers.exe")
            binary(bits, "pmm.exe")
        except Skip:
            continue
        with Target(bits, "pmm_target_markers.exe") as t:
            fn(bits, t, Markers(t))
        ran += 1
    if not ran:
        raise Skip("pmm_target_markers.exe is not built")


def marker_queries(m):
    """(search arguments, expected hits inside the marker allocations) for every marker."""
    queries = []
    for name in ("inside_page", "across_page", "across_region", "readonly", "executable"):
        queries.append((["--ansi", m.markers[name]["text"]], [m.addr(name)]))
    queries.append((["--utf16", m.markers["utf16"]["text"]], [m.addr("utf16")]))
    queries.append((["--int", "0x7a3b9c1d", "--width", "32"], [m.addr("int32_aligned"), m.addr("int32_unaligned")]))
    queries.append((["--int", "0x7a3b9c1d", "--width", "32", "--align", "4"], [m.addr("int32_aligned")]))
    queries.append((["--int", "0x1234fedcba987601", "--width", "64"], [m.addr("int64_aligned"), m.addr("int64_unaligned")]))
    queries.append((["--int", "1311953615448471041", "--width", "64", "--signed", "--align", "8"], [m.addr("int64_aligned")]))
    queries.append((["--double", "6.02214076e23"], [m.addr("double")]))
    ansi = sorted(m.addr(n) for n in ("inside_page", "across_page", "across_region", "readonly", "executable"))
    queries.append((["--hex", MARKER_PREFIX], ansi))
    return queries


@test
def every_marker_at_exactly_its_address():
    def check(bits, t, m):
        for args, expected in marker_queries(m):
            data = search(bits, t.pid, *args)
            hits = hit_addresses(data)
            assert m.in_allocations(hits) == sorted(expected), f"{bits}-bit {args}: {[hex(h) for h in hits]}"
            assert hits == sorted(hits), "hits come in address order"
        # Where the hits are: the region (allocation) and its Type column.
        data = search(bits, t.pid, "--ansi", m.markers["readonly"]["text"])
        hit = [h for h in data["hits"] if addr(h["address"]) == m.addr("readonly")][0]
        assert addr(hit["region"]) == m.allocs["readonly"][0] and hit["region_kind"] == "Private Data", hit
    each_bitness(check)


@test
def case_insensitive_text():
    def check(bits, t, m):
        text = m.markers["inside_page"]["text"]
        lower = text.lower()
        assert m.in_allocations(hit_addresses(search(bits, t.pid, "--ansi", lower))) == []
        hits = hit_addresses(search(bits, t.pid, "--ansi", lower, "--ignore-case"))
        assert m.in_allocations(hits) == [m.addr("inside_page")], hits
        hits = hit_addresses(search(bits, t.pid, "--utf16", m.markers["utf16"]["text"].lower(), "--ignore-case"))
        assert m.in_allocations(hits) == [m.addr("utf16")], hits
    each_bitness(check)


@test
def pattern_longer_than_a_chunk():
    def check(bits, t, m):
        lm = t.info["long_marker"]
        pattern = " ".join(f"{b:02x}" for b in long_marker_bytes(lm["seed"], lm["length"]))
        # The 3000-byte marker straddles a page, so with 4 KiB chunks it may straddle a chunk too.
        for chunk in ("4096", "65536"):
            data = search(bits, t.pid, "--hex", pattern, "--chunk-size", chunk)
            assert hit_addresses(data) == [addr(lm["address"])], (chunk, data["hits"])
            assert data["pattern"]["length"] == lm["length"]
        # Below 4 KiB or below the pattern's length a chunk is refused: tiny reads of a live
        # process made a search take minutes (issue 22).
        for chunk in ("1", "1024", "0", "67108865"):
            rc, out, err = pmm(bits, "search", t.pid, "--hex", pattern, "--chunk-size", chunk)
            assert rc == 2 and "--chunk-size wants 4 KiB" in err and out == "", (chunk, rc, err)
        rc, out, err = pmm(bits, "search", t.pid, "--hex", "4D 5A", "--chunk-size", "4096", "--align", "0")
        assert rc == 2 and "--align" in err, (rc, err)
    each_bitness(check)


@test
def filters_and_range():
    def check(bits, t, m):
        ansi = {n: m.addr(n) for n in ("inside_page", "across_page", "across_region", "readonly", "executable")}
        hits = m.in_allocations(hit_addresses(search(bits, t.pid, "--hex", MARKER_PREFIX, "--executable")))
        assert hits == [ansi["executable"]], hits
        hits = m.in_allocations(hit_addresses(search(bits, t.pid, "--hex", MARKER_PREFIX, "--writable")))
        assert hits == sorted(ansi[n] for n in ("inside_page", "across_page", "across_region")), hits
        assert m.in_allocations(hit_addresses(search(bits, t.pid, "--hex", MARKER_PREFIX, "--kind", "image"))) == []
        base, size = m.allocs["plain"]
        hits = hit_addresses(search(bits, t.pid, "--hex", MARKER_PREFIX, "--range", f"{base:#x}-{base + size:#x}"))
        assert hits == [ansi["inside_page"], ansi["across_page"]], hits
    each_bitness(check)


@test
def cap_and_continue():
    def check(bits, t, m):
        everything = hit_addresses(search(bits, t.pid, "--hex", MARKER_PREFIX))
        assert len(everything) >= 5
        collected, start = [], "0"
        for _ in range(len(everything) + 1):
            data = pmm_json(bits, "search", t.pid, "--hex", MARKER_PREFIX, "--max", "2", "--from", start)
            collected += hit_addresses(data)
            if not data["summary"]["truncated"]:
                break
            start = data["summary"]["resume_address"]
            assert addr(start) == everything[len(collected)]
        assert collected == everything
    each_bitness(check)


@test
def minidump_gives_the_same_hits():
    def check(bits, t, m):
        with tempfile.TemporaryDirectory() as tmp:
            dump = os.path.join(tmp, f"markers{bits}.dmp")
            rc, _, err = run_wine(bits, binary(bits, "pmm_dump_writer.exe"), t.pid, dump, timeout=300)
            assert rc == 0, f"pmm_dump_writer failed ({rc}): {err.strip()}"
            lm = t.info["long_marker"]
            long_hex = " ".join(f"{b:02x}" for b in long_marker_bytes(lm["seed"], lm["length"]))
            for args, expected in marker_queries(m) + [(["--hex", long_hex], [addr(lm["address"])])]:
                live = hit_addresses(search(bits, t.pid, *args))
                dumped = search(bits, dump, *args)
                assert hit_addresses(dumped) == live, f"{args}: live {[hex(h) for h in live]} dump {dumped['hits']}"
                assert set(expected) <= set(live)
    each_bitness(check)


@test
def strings_listing():
    def check(bits, t, m):
        data = pmm_json(bits, "strings", t.pid, "--min", "12")
        assert data["format"] == "pmm-strings" and data["version"] == 1
        found = {(addr(s["address"]), s["encoding"]): s for s in data["strings"]}
        for name in ("inside_page", "across_page", "across_region", "readonly", "executable"):
            s = found.get((m.addr(name), "ansi"))
            assert s and s["text"] == m.markers[name]["text"], (name, s)
        s = found.get((m.addr("utf16"), "utf16"))
        assert s and s["text"] == m.markers["utf16"]["text"] and s["length"] == len(s["text"]), s
        assert all(s["length"] >= 12 for s in data["strings"])
        data = pmm_json(bits, "strings", t.pid, "--kind", "image", "--min", "12")
        assert not any(addr(s["address"]) == m.addr("inside_page") for s in data["strings"])
    each_bitness(check)


@test
def usage_errors_are_clear():
    try:
        binary(64, "pmm.exe")
    except Skip:
        raise
    cases = [
        (["search", "1", "--ansi", ""], "empty"),
        (["search", "1", "--hex", "4D 5"], "odd number"),
        (["search", "1", "--hex", "4D ZZ"], "not hex"),
        (["search", "1", "--int", "300", "--width", "8"], "does not fit"),
        (["search", "1", "--int", "5"], "--width"),
        (["search", "1", "--ansi", "a", "--hex", "00"], "exactly one"),
        (["search", "1"], "exactly one"),
        (["search", "1", "--double", "pi"], "not a number"),
        (["search", "1", "--ansi", "x", "--kind", "heap"], "--kind"),
        (["strings", "1", "--min", "0"], "--min"),
    ]
    for args, says in cases:
        rc, out, err = pmm(64, *args)
        assert rc == 2, (args, rc, err)
        assert err.startswith("pmm: ") and says in err, (args, err)
    rc, out, err = pmm(64, "search", "999999", "--ansi", "x")
    assert rc == 1 and err.startswith("pmm: "), (rc, err)


run_tests()
