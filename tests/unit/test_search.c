/* The memory search and the strings listing over fake address spaces: hits at exact addresses
 * across chunk, page and region boundaries (for many chunk sizes), wildcards, case folding,
 * alignment, caps with resume, filters, unreadable pages, cancel, malformed patterns, and a
 * brute-force cross-check against a compare at every offset. Every search runs with each scanner
 * the build and the CPU have (64-bit words, SSE2, AVX2), and the matcher is checked against a
 * reference of the test's own over thousands of seeded random patterns and buffers. */
#include "check.h"
#include "test_util.h"
#include "core/analyzers/scan.h"
#include "fake_source.h"
#include "core/tools/search.h"
#include "core/tools/strings_list.h"

#include <stdlib.h>

enum {
    RW_A = 0x10000,          /* two adjacent RW regions of different allocations: 0x10000-0x13000 */
    RW_B = 0x12000,
    GAP_NA = 0x20000,        /* RW page, then a NOACCESS page: nothing may match across it */
    EXEC = 0x30000,          /* RX */
    RDONLY = 0x40000,        /* R, mapped */
    IMAGE = 0x50000          /* R image */
};

typedef struct world {
    fake_source fake;
    pmm_source src;
    pmm_map *map;
} world;

static void world_open(world *w)
{
    pmm_status st = pmm_scan_source(&w->src, NULL, &w->map);
    CHECK_EQ_U64(st, PMM_OK);
}

static void world_build(world *w)
{
    memset(w, 0, sizeof *w);
    fake_source *f = &w->fake;
    fake_add(f, RW_A, 0x2000, RW_A, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
    fake_add(f, RW_B, 0x1000, RW_B, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
    fake_add(f, GAP_NA, 0x1000, GAP_NA, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
    fake_add(f, GAP_NA + 0x1000, 0x1000, GAP_NA, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_NOACCESS, PMM_PAGE_READWRITE);
    fake_add(f, GAP_NA + 0x2000, 0x1000, GAP_NA, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
    fake_add(f, EXEC, 0x1000, EXEC, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_EXECUTE_READ, PMM_PAGE_EXECUTE_READ);
    fake_add(f, RDONLY, 0x1000, RDONLY, PMM_MEM_COMMIT, PMM_MEM_MAPPED, PMM_PAGE_READONLY, PMM_PAGE_READONLY);
    fake_add(f, IMAGE, 0x1000, IMAGE, PMM_MEM_COMMIT, PMM_MEM_IMAGE, PMM_PAGE_READONLY, PMM_PAGE_EXECUTE_WRITECOPY);
    fake_source_open(f, &w->src, 8);
    /* Fill everything readable with a byte that never occurs in the patterns below. */
    for (size_t i = 0; i < f->region_count; i++)
        if (f->regions[i].bytes)
            memset(f->regions[i].bytes, 0x11, (size_t)f->regions[i].info.size);
}

/* fake_write stays inside one region; markers that straddle two are written byte by byte. */
static void put(world *w, uint64_t addr, const void *data, size_t len)
{
    for (size_t i = 0; i < len; i++)
        fake_write(&w->fake, addr + i, (const uint8_t *)data + i, 1);
}

static void world_free(world *w)
{
    pmm_map_free(w->map);
    fake_free(&w->fake);
}

typedef struct hits {
    uint64_t addr[64];
    size_t count;
} hits;

static int collect(void *ctx, const pmm_search_hit *hit)
{
    hits *h = ctx;
    if (h->count < 64)
        h->addr[h->count] = hit->address;
    h->count++;
    return 0;
}

static void check_same_summary(const pmm_search_summary *a, const pmm_search_summary *b)
{
    CHECK_EQ_U64(a->hits, b->hits);
    CHECK_EQ_U64(a->truncated, b->truncated);
    CHECK_EQ_U64(a->resume_address, b->resume_address);
    CHECK_EQ_U64(a->regions_searched, b->regions_searched);
    CHECK_EQ_U64(a->bytes_searched, b->bytes_searched);
    CHECK_EQ_U64(a->unreadable_bytes, b->unreadable_bytes);
    CHECK_EQ_U64(a->unreadable_pages, b->unreadable_pages);
}

/* Runs the search with each scanner this build and CPU have (64-bit words, SSE2, AVX2): all must
 * give the same hits and the same summary. Returns the widest one's results. */
static pmm_status search(world *w, const pmm_search_spec *spec, const pmm_search_options *options, hits *out,
                         pmm_search_summary *summary)
{
    pmm_search_pattern p;
    char message[256];
    memset(out, 0, sizeof *out);
    pmm_status st = pmm_search_compile(spec, &p, message, sizeof message);
    CHECK_EQ_U64(st, PMM_OK);
    if (st != PMM_OK)
        return st;
    pmm_search_simd best = p.simd;
    st = pmm_search_run(&w->src, w->map, &p, options, collect, out, summary);
    for (int simd = PMM_SIMD_WORDS; simd < (int)best; simd++) {
        hits narrow;
        pmm_search_summary narrow_summary;
        memset(&narrow, 0, sizeof narrow);
        p.simd = (pmm_search_simd)simd;
        CHECK_EQ_U64(pmm_search_run(&w->src, w->map, &p, options, collect, &narrow, &narrow_summary), st);
        CHECK_EQ_U64(narrow.count, out->count);
        for (size_t i = 0; i < out->count && i < 64; i++)
            CHECK_EQ_U64(narrow.addr[i], out->addr[i]);
        check_same_summary(&narrow_summary, summary);
    }
    /* The same again with the bytes lent in place (as a minidump's file mapping lends them). */
    hits lent;
    pmm_search_summary lent_summary;
    memset(&lent, 0, sizeof lent);
    p.simd = best;
    w->fake.lend = 1;
    CHECK_EQ_U64(pmm_search_run(&w->src, w->map, &p, options, collect, &lent, &lent_summary), st);
    w->fake.lend = 0;
    CHECK_EQ_U64(lent.count, out->count);
    for (size_t i = 0; i < out->count && i < 64; i++)
        CHECK_EQ_U64(lent.addr[i], out->addr[i]);
    check_same_summary(&lent_summary, summary);
    pmm_search_pattern_free(&p);
    return st;
}

static const size_t chunk_sizes[] = {1, 2, 3, 7, 16, 100, 4095, 4096, 4097, 0};

TEST_CASE(boundaries_found_once_with_every_chunk_size)
{
    world w;
    world_build(&w);
    put(&w, RW_A + 0x100, "MARKER-INSIDE", 13);
    put(&w, RW_A + 0x1000 - 5, "MARKER-PAGE", 11);      /* across the page at 0x11000 */
    put(&w, RW_B - 6, "MARKER-REGION", 13);             /* across the region boundary */
    put(&w, RW_B + 0x1000 - 6, "MARKER", 6);            /* ends exactly at a span end */
    put(&w, GAP_NA + 0x1000 - 3, "MAR", 3);             /* cut by a NOACCESS page */
    put(&w, GAP_NA + 0x2000, "KER", 3);
    world_open(&w);
    pmm_search_spec spec = {PMM_SEARCH_ANSI, "MARKER", 0, 0, 0, 0};
    for (size_t c = 0; c < sizeof chunk_sizes / sizeof chunk_sizes[0]; c++) {
        pmm_search_options o = {.chunk_size = chunk_sizes[c]};
        hits h;
        pmm_search_summary s;
        CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
        CHECK_EQ_U64(h.count, 4);
        CHECK_EQ_U64(h.addr[0], RW_A + 0x100);
        CHECK_EQ_U64(h.addr[1], RW_A + 0x1000 - 5);
        CHECK_EQ_U64(h.addr[2], RW_B - 6);
        CHECK_EQ_U64(h.addr[3], RW_B + 0x1000 - 6);
        CHECK_EQ_U64(s.hits, 4);
        CHECK_EQ_U64(s.unreadable_bytes, 0);
    }
    world_free(&w);
}

TEST_CASE(pattern_longer_than_a_chunk)
{
    world w;
    world_build(&w);
    char long_text[301];
    for (int i = 0; i < 300; i++)
        long_text[i] = (char)('A' + i % 26);
    long_text[300] = '\0';
    put(&w, RW_B - 150, long_text, 300);
    world_open(&w);
    pmm_search_spec spec = {PMM_SEARCH_ANSI, long_text, 0, 0, 0, 0};
    for (size_t chunk = 1; chunk <= 512; chunk = chunk * 3 + 1) {
        pmm_search_options o = {.chunk_size = chunk};
        hits h;
        pmm_search_summary s;
        CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
        CHECK_EQ_U64(h.count, 1);
        CHECK_EQ_U64(h.addr[0], RW_B - 150);
    }
    world_free(&w);
}

TEST_CASE(hex_wildcards_and_nibbles)
{
    world w;
    world_build(&w);
    put(&w, RW_A + 0x10, "\x4d\x5a\x90\x00", 4);
    put(&w, RW_A + 0x20, "\x4d\x5a\x00\x00", 4);
    put(&w, RW_A + 0x30, "\x4d\x5a\x00\x01", 4);   /* last byte differs */
    put(&w, EXEC + 0x40, "\x48\x8b\x05", 3);
    world_open(&w);
    hits h;
    pmm_search_summary s;
    pmm_search_options o = {0};
    pmm_search_spec spec = {PMM_SEARCH_HEX, "4D 5A ?? 00", 0, 0, 0, 0};
    CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
    CHECK_EQ_U64(h.count, 2);
    CHECK_EQ_U64(h.addr[0], RW_A + 0x10);
    CHECK_EQ_U64(h.addr[1], RW_A + 0x20);
    spec.text = "4d5a?000";   /* one token, a nibble wildcard: 90 matches, 00 too */
    CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
    CHECK_EQ_U64(h.count, 2);
    spec.text = "0x48 ? 05";  /* a lone ? is a whole byte */
    CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
    CHECK_EQ_U64(h.count, 1);
    CHECK_EQ_U64(h.addr[0], EXEC + 0x40);
    spec.text = "?? ??";      /* no fixed byte at all: every offset of readable memory */
    o.scope.start = RW_A;
    o.scope.end = RW_A + 0x100;
    CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
    CHECK_EQ_U64(h.count, 0x100 - 1);
    world_free(&w);
}

TEST_CASE(text_case_folding_ansi_and_utf16)
{
    world w;
    world_build(&w);
    put(&w, RW_A + 0x10, "Hello, World", 12);
    put(&w, RW_A + 0x40, "hELLO, wORLD", 12);
    put(&w, RW_A + 0x80, "H\0e\0L\0l\0O\0", 10);
    put(&w, RW_A + 0xa0, "h\0e\0l\0l\0o\0", 10);
    world_open(&w);
    hits h;
    pmm_search_summary s;
    pmm_search_options o = {0};
    pmm_search_spec spec = {PMM_SEARCH_ANSI, "hello, world", 0, 0, 0, 0};
    CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
    CHECK_EQ_U64(h.count, 0);
    spec.ignore_case = 1;
    CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
    CHECK_EQ_U64(h.count, 2);
    CHECK_EQ_U64(h.addr[0], RW_A + 0x10);
    CHECK_EQ_U64(h.addr[1], RW_A + 0x40);
    spec = (pmm_search_spec){PMM_SEARCH_UTF16, "hello", 0, 0, 0, 0};
    CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
    CHECK_EQ_U64(h.count, 1);
    CHECK_EQ_U64(h.addr[0], RW_A + 0xa0);
    spec.ignore_case = 1;
    CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
    CHECK_EQ_U64(h.count, 2);
    CHECK_EQ_U64(h.addr[0], RW_A + 0x80);
    world_free(&w);
}

TEST_CASE(utf16_pattern_bytes)
{
    pmm_search_pattern p;
    char message[128];
    pmm_search_spec spec = {PMM_SEARCH_UTF16, "A\xc3\xa9\xf0\x9f\x98\x80", 0, 0, 0, 0};  /* "Aé😀" */
    CHECK_EQ_U64(pmm_search_compile(&spec, &p, message, sizeof message), PMM_OK);
    static const uint8_t expected[] = {'A', 0, 0xe9, 0, 0x3d, 0xd8, 0x00, 0xde};
    CHECK_EQ_U64(p.length, sizeof expected);
    CHECK(p.length == sizeof expected && memcmp(p.value, expected, sizeof expected) == 0);
    pmm_search_pattern_free(&p);
}

TEST_CASE(integers_alignment_and_sign)
{
    world w;
    world_build(&w);
    fake_write_u32(&w.fake, RW_A + 0x100, 0xdeadbeef);   /* aligned */
    fake_write_u32(&w.fake, RW_A + 0x203, 0xdeadbeef);   /* unaligned */
    fake_write_u64(&w.fake, RW_A + 0x300, (uint64_t)-5); /* -5 as int64 */
    uint8_t minus_one_i16[2] = {0xff, 0xff};
    put(&w, RW_A + 0x402, minus_one_i16, 2);
    world_open(&w);
    hits h;
    pmm_search_summary s;
    pmm_search_options o = {0};
    pmm_search_spec spec = {PMM_SEARCH_INT, "0xdeadbeef", 0, 32, 0, 0};
    CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
    CHECK_EQ_U64(h.count, 2);
    spec.alignment = 4;
    CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
    CHECK_EQ_U64(h.count, 1);
    CHECK_EQ_U64(h.addr[0], RW_A + 0x100);
    spec = (pmm_search_spec){PMM_SEARCH_INT, "3735928559", 0, 32, 0, 1};   /* the same in decimal */
    CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
    CHECK_EQ_U64(h.count, 2);
    spec = (pmm_search_spec){PMM_SEARCH_INT, "-5", 0, 64, 1, 8};
    CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
    CHECK_EQ_U64(h.count, 1);
    CHECK_EQ_U64(h.addr[0], RW_A + 0x300);
    spec = (pmm_search_spec){PMM_SEARCH_INT, "-1", 0, 16, 1, 2};
    CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
    CHECK_EQ_U64(h.count, 4);   /* 0x402, and the three aligned pairs inside the eight 0xff of -5 */
    CHECK_EQ_U64(h.addr[3], RW_A + 0x402);
    world_free(&w);
}

TEST_CASE(floats_and_doubles)
{
    world w;
    world_build(&w);
    double d = 3.14159265358979;
    float f = 2.5f;
    put(&w, RW_A + 0x500, &d, 8);
    put(&w, RW_A + 0x601, &f, 4);
    world_open(&w);
    hits h;
    pmm_search_summary s;
    pmm_search_options o = {0};
    pmm_search_spec spec = {PMM_SEARCH_DOUBLE, "3.14159265358979", 0, 0, 0, 0};
    CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
    CHECK_EQ_U64(h.count, 1);
    CHECK_EQ_U64(h.addr[0], RW_A + 0x500);
    spec = (pmm_search_spec){PMM_SEARCH_FLOAT, "2.5", 0, 0, 0, 0};
    CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
    CHECK_EQ_U64(h.count, 1);
    CHECK_EQ_U64(h.addr[0], RW_A + 0x601);
    world_free(&w);
}

TEST_CASE(cap_and_resume)
{
    world w;
    world_build(&w);
    for (int i = 0; i < 5; i++)
        put(&w, RW_A + 0x100 * (uint64_t)i, "NEEDLE", 6);
    world_open(&w);
    pmm_search_spec spec = {PMM_SEARCH_ANSI, "NEEDLE", 0, 0, 0, 0};
    pmm_search_options o = {.max_hits = 2};
    hits h;
    pmm_search_summary s;
    uint64_t seen = 0;
    for (int round = 0; round < 5; round++) {
        CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
        for (size_t i = 0; i < h.count; i++)
            CHECK_EQ_U64(h.addr[i], RW_A + 0x100 * (seen + i));
        seen += h.count;
        if (!s.truncated)
            break;
        CHECK_EQ_U64(s.resume_address, RW_A + 0x100 * seen);
        o.scope.start = s.resume_address;
    }
    CHECK_EQ_U64(seen, 5);
    CHECK(!s.truncated);
    o.max_hits = 5;   /* exactly as many as there are: not truncated */
    o.scope.start = 0;
    CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
    CHECK_EQ_U64(h.count, 5);
    CHECK(!s.truncated);
    world_free(&w);
}

TEST_CASE(region_filters_and_range)
{
    world w;
    world_build(&w);
    put(&w, RW_A + 0x10, "PLANT", 5);
    put(&w, EXEC + 0x10, "PLANT", 5);
    put(&w, RDONLY + 0x10, "PLANT", 5);
    memcpy(w.fake.regions[7].bytes + 0x10, "PLANT", 5);   /* the image region */
    world_open(&w);
    pmm_search_spec spec = {PMM_SEARCH_ANSI, "PLANT", 0, 0, 0, 0};
    hits h;
    pmm_search_summary s;
    pmm_search_options o = {0};
    CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
    CHECK_EQ_U64(h.count, 4);
    o.scope.executable_only = 1;
    CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
    CHECK_EQ_U64(h.count, 1);
    CHECK_EQ_U64(h.addr[0], EXEC + 0x10);
    o.scope.executable_only = 0;
    o.scope.writable_only = 1;
    CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
    CHECK_EQ_U64(h.count, 1);
    CHECK_EQ_U64(h.addr[0], RW_A + 0x10);
    o.scope.writable_only = 0;
    o.scope.types = PMM_SEARCH_TYPE_MAPPED | PMM_SEARCH_TYPE_IMAGE;
    CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
    CHECK_EQ_U64(h.count, 2);
    CHECK_EQ_U64(h.addr[0], RDONLY + 0x10);
    CHECK_EQ_U64(h.addr[1], IMAGE + 0x10);
    o.scope.types = 0;
    o.scope.start = EXEC;          /* a hit must lie wholly inside the range */
    o.scope.end = RDONLY + 0x14;
    CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
    CHECK_EQ_U64(h.count, 1);
    CHECK_EQ_U64(h.addr[0], EXEC + 0x10);
    world_free(&w);
}

TEST_CASE(unreadable_pages_are_skipped_and_counted)
{
    world w;
    world_build(&w);
    put(&w, RW_A + 0xff0, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", 26);  /* across the bad page start */
    put(&w, RW_A + 0x1800, "QQQQ", 4);                          /* inside it */
    put(&w, RW_B + 0x10, "QQQQ", 4);                            /* after it */
    world_open(&w);
    w.fake.unreadable_page = RW_A + 0x1000;   /* committed and readable, yet reads fail */
    for (size_t c = 0; c < sizeof chunk_sizes / sizeof chunk_sizes[0]; c++) {
        pmm_search_options o = {.chunk_size = chunk_sizes[c]};
        hits h;
        pmm_search_summary s;
        pmm_search_spec spec = {PMM_SEARCH_ANSI, "QQQQ", 0, 0, 0, 0};
        CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
        CHECK_EQ_U64(h.count, 1);
        CHECK_EQ_U64(h.addr[0], RW_B + 0x10);
        CHECK_EQ_U64(s.unreadable_bytes, PMM_PAGE_SIZE);
        CHECK_EQ_U64(s.unreadable_pages, 1);
        spec.text = "ABCDEFGHIJ";   /* the first 16 bytes are readable, the rest is not */
        CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
        CHECK_EQ_U64(h.count, 1);
        spec.text = "ABCDEFGHIJKLMNOPQ";
        CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
        CHECK_EQ_U64(h.count, 0);
    }
    world_free(&w);
}

static int cancel_at_once(void *ctx, uint64_t done, uint64_t total)
{
    (void)done;
    (void)total;
    ++*(int *)ctx;
    return 1;
}

static int count_progress(void *ctx, uint64_t done, uint64_t total)
{
    uint64_t *last = ctx;
    CHECK(done <= total);
    CHECK(done >= *last);
    *last = done;
    return 0;
}

TEST_CASE(progress_and_cancel)
{
    world w;
    world_build(&w);
    world_open(&w);
    pmm_search_spec spec = {PMM_SEARCH_ANSI, "zz", 0, 0, 0, 0};
    int calls = 0;
    pmm_search_options o = {.chunk_size = 512, .progress = cancel_at_once, .progress_ctx = &calls};
    pmm_search_pattern p;
    CHECK_EQ_U64(pmm_search_compile(&spec, &p, NULL, 0), PMM_OK);
    pmm_search_summary s;
    CHECK_EQ_U64(pmm_search_run(&w.src, w.map, &p, &o, NULL, NULL, &s), PMM_ERR_CANCELLED);
    CHECK_EQ_U64(calls, 1);
    CHECK_EQ_U64(s.bytes_searched, 512);
    uint64_t last = 0;
    o.progress = count_progress;
    o.progress_ctx = &last;
    CHECK_EQ_U64(pmm_search_run(&w.src, w.map, &p, &o, NULL, NULL, &s), PMM_OK);
    CHECK_EQ_U64(last, s.bytes_searched);
    pmm_search_pattern_free(&p);
    world_free(&w);
}

static void expect_error(pmm_search_kind kind, const char *text, unsigned width, unsigned align, const char *says)
{
    pmm_search_pattern p;
    char message[256];
    pmm_search_spec spec = {kind, text, 0, width, 0, align};
    CHECK_EQ_U64(pmm_search_compile(&spec, &p, message, sizeof message), PMM_ERR_ARG);
    if (!strstr(message, says)) {
        fprintf(stderr, "message for '%s': \"%s\" lacks \"%s\"\n", text ? text : "(null)", message, says);
        check_failures_in_case++;
    }
    CHECK(p.value == NULL && p.length == 0);
}

TEST_CASE(malformed_patterns)
{
    expect_error(PMM_SEARCH_ANSI, "", 0, 0, "empty");
    expect_error(PMM_SEARCH_ANSI, NULL, 0, 0, "empty");
    expect_error(PMM_SEARCH_HEX, "   ", 0, 0, "empty");
    expect_error(PMM_SEARCH_HEX, "4D 5", 0, 0, "odd number");
    expect_error(PMM_SEARCH_HEX, "4D ZZ", 0, 0, "not hex");
    expect_error(PMM_SEARCH_HEX, "???", 0, 0, "odd number");
    expect_error(PMM_SEARCH_UTF16, "\xff\xfe", 0, 0, "UTF-8");
    expect_error(PMM_SEARCH_INT, "256", 8, 0, "does not fit");
    expect_error(PMM_SEARCH_INT, "-1", 32, 0, "--signed");
    expect_error(PMM_SEARCH_INT, "12abc", 32, 0, "not an integer");
    expect_error(PMM_SEARCH_INT, "0x", 32, 0, "not an integer");
    expect_error(PMM_SEARCH_INT, "1", 12, 0, "width");
    expect_error(PMM_SEARCH_INT, "99999999999999999999", 64, 0, "not an integer");
    expect_error(PMM_SEARCH_FLOAT, "1e39", 0, 0, "out of range");
    expect_error(PMM_SEARCH_DOUBLE, "pi", 0, 0, "not a number");
    expect_error(PMM_SEARCH_ANSI, "x", 0, 3, "power of two");

    /* Signed range edges compile. */
    pmm_search_pattern p;
    pmm_search_spec ok = {PMM_SEARCH_INT, "-128", 0, 8, 1, 0};
    CHECK_EQ_U64(pmm_search_compile(&ok, &p, NULL, 0), PMM_OK);
    CHECK_EQ_U64(p.value[0], 0x80);
    pmm_search_pattern_free(&p);
    ok.text = "-129";
    CHECK_EQ_U64(pmm_search_compile(&ok, &p, NULL, 0), PMM_ERR_ARG);
    ok = (pmm_search_spec){PMM_SEARCH_INT, "18446744073709551615", 0, 64, 0, 0};
    CHECK_EQ_U64(pmm_search_compile(&ok, &p, NULL, 0), PMM_OK);
    pmm_search_pattern_free(&p);
}

/* ---- brute force ------------------------------------------------------------------------------ */

static uint32_t rng_state = 12345;
static uint32_t rng(void)
{
    return test_random(&rng_state);
}

static int naive_match(const uint8_t *p, const pmm_search_pattern *pat)
{
    for (size_t i = 0; i < pat->length; i++) {
        uint8_t b = p[i];
        if ((pat->flags[i] & PMM_BYTE_FOLD) && b >= 'A' && b <= 'Z')
            b += 32;
        if ((b & pat->mask[i]) != pat->value[i])
            return 0;
    }
    return 1;
}

/* Whether the pattern ctx describes matches at p. */
typedef int (*reference_fn)(const void *ctx, const uint8_t *p);

/* The hits a compare at every offset finds in the world's memory, each span of adjacent selected
 * regions read whole (RW_A and RW_B form one stream): the offsets at multiples of alignment that
 * have length bytes and where matches says yes. */
static uint64_t reference_hits(world *w, size_t length, unsigned alignment, reference_fn matches, const void *ctx)
{
    uint64_t hits = 0;
    const pmm_search_scope everything = {0};
    for (size_t r = 0; r < w->map->region_count; r++) {
        const pmm_region *reg = &w->map->regions[r];
        if (!pmm_search_region_selected(reg, &everything))
            continue;
        uint64_t end = reg->base + reg->size;
        while (r + 1 < w->map->region_count && w->map->regions[r + 1].base == end &&
               pmm_search_region_selected(&w->map->regions[r + 1], &everything))
            end += w->map->regions[++r].size;
        size_t n = (size_t)(end - reg->base);
        uint8_t *buf = malloc(n);
        CHECK_EQ_U64(pmm_source_read(&w->src, reg->base, buf, n), n);
        for (size_t i = 0; i + length <= n; i++)
            if ((reg->base + i) % alignment == 0 && matches(ctx, buf + i))
                hits++;
        free(buf);
    }
    return hits;
}

static int compiled_pattern_matches(const void *pattern, const uint8_t *p)
{
    return naive_match(p, pattern);
}

TEST_CASE(agrees_with_a_compare_at_every_offset)
{
    world w;
    world_build(&w);
    static const char alphabet[] = "abAB\x00";
    for (size_t r = 0; r < w.fake.region_count; r++) {
        fake_region *fr = &w.fake.regions[r];
        for (size_t i = 0; fr->bytes && i < fr->info.size; i++)
            fr->bytes[i] = (uint8_t)alphabet[rng() % 5];
    }
    world_open(&w);
    static const char *const patterns[] = {"61 62", "61 ?? 41", "?1 62 61", "00 00 00", "41 42 41 42"};
    for (int k = 0; k < 5; k++) {
        pmm_search_spec spec = {PMM_SEARCH_HEX, patterns[k], 0, 0, 0, (unsigned)(k == 2 ? 2 : 0)};
        pmm_search_pattern pat;
        CHECK_EQ_U64(pmm_search_compile(&spec, &pat, NULL, 0), PMM_OK);
        uint64_t expected = reference_hits(&w, pat.length, pat.alignment, compiled_pattern_matches, &pat);
        for (size_t c = 0; c < sizeof chunk_sizes / sizeof chunk_sizes[0]; c++) {
            pmm_search_options o = {.chunk_size = chunk_sizes[c]};
            pmm_search_summary s;
            CHECK_EQ_U64(pmm_search_run(&w.src, w.map, &pat, &o, NULL, NULL, &s), PMM_OK);
            CHECK_EQ_U64(s.hits, expected);
        }
        CHECK(expected > 10);
        pmm_search_pattern_free(&pat);
    }
    world_free(&w);
}

/* ---- strings ---------------------------------------------------------------------------------- */

typedef struct found_list {
    uint64_t addr[32];
    uint32_t enc[32];
    uint64_t len[32];
    char text[32][64];
    size_t count;
} found_list;

static int collect_string(void *ctx, const pmm_found_string *s)
{
    found_list *f = ctx;
    if (f->count < 32) {
        f->addr[f->count] = s->address;
        f->enc[f->count] = s->encoding;
        f->len[f->count] = s->length;
        snprintf(f->text[f->count], 64, "%s", s->text);
    }
    f->count++;
    return 0;
}

static const found_list *find_string_at(const found_list *f, uint64_t addr, uint32_t enc, size_t *index)
{
    for (size_t i = 0; i < f->count && i < 32; i++)
        if (f->addr[i] == addr && f->enc[i] == enc) {
            *index = i;
            return f;
        }
    return NULL;
}

TEST_CASE(strings_ansi_and_utf16_across_boundaries)
{
    world w;
    world_build(&w);
    for (size_t i = 0; i < w.fake.region_count; i++)   /* non-printable background */
        if (w.fake.regions[i].bytes)
            memset(w.fake.regions[i].bytes, 0x01, (size_t)w.fake.regions[i].info.size);
    put(&w, RW_A + 0x10, "abc", 3);                     /* too short */
    put(&w, RW_A + 0x20, "long enough", 11);
    put(&w, RW_B - 4, "straddler", 9);                  /* across the region boundary */
    put(&w, RW_A + 0x101, "w\0i\0d\0e\0!\0", 10);       /* UTF-16 at an odd address */
    put(&w, GAP_NA + 0xffc, "cut!", 4);                 /* ends at a NOACCESS page */
    put(&w, RW_A + 0x40, "    \t\t    \t ", 12);        /* only spaces and tabs: not a string */
    put(&w, RW_A + 0x60, "\tindented", 9);              /* a tab belongs to a string */
    world_open(&w);
    for (size_t c = 0; c < sizeof chunk_sizes / sizeof chunk_sizes[0]; c++) {
        pmm_strings_options o = {.chunk_size = chunk_sizes[c]};
        found_list f;
        memset(&f, 0, sizeof f);
        pmm_strings_summary s;
        CHECK_EQ_U64(pmm_strings_run(&w.src, w.map, &o, collect_string, &f, &s), PMM_OK);
        CHECK_EQ_U64(f.count, 5);
        CHECK_EQ_U64(s.strings, 5);
        size_t i = 0;
        CHECK(find_string_at(&f, RW_A + 0x40, PMM_STRINGS_ANSI, &i) == NULL);
        CHECK(find_string_at(&f, RW_A + 0x60, PMM_STRINGS_ANSI, &i) != NULL);
        CHECK_STR(f.text[i], "\tindented");
        CHECK(find_string_at(&f, RW_A + 0x20, PMM_STRINGS_ANSI, &i) != NULL);
        CHECK_STR(f.text[i], "long enough");
        CHECK(find_string_at(&f, RW_B - 4, PMM_STRINGS_ANSI, &i) != NULL);
        CHECK_STR(f.text[i], "straddler");
        CHECK(find_string_at(&f, RW_A + 0x101, PMM_STRINGS_UTF16, &i) != NULL);
        CHECK_STR(f.text[i], "wide!");
        CHECK_EQ_U64(f.len[i], 5);
        CHECK(find_string_at(&f, GAP_NA + 0xffc, PMM_STRINGS_ANSI, &i) != NULL);
        o.min_length = 10;
        o.encodings = PMM_STRINGS_ANSI;
        memset(&f, 0, sizeof f);
        CHECK_EQ_U64(pmm_strings_run(&w.src, w.map, &o, collect_string, &f, &s), PMM_OK);
        CHECK_EQ_U64(f.count, 1);
        CHECK_EQ_U64(f.addr[0], RW_A + 0x20);
    }
    world_free(&w);
}

TEST_CASE(found_string_shown_with_tabs_escaped_and_cut_marked)
{
    pmm_found_string found = {0x1000, PMM_STRINGS_ANSI, 9, "a\tb\t", 0};
    char *shown = pmm_found_string_shown(&found);
    CHECK_STR(shown, "a\\tb\\t");
    free(shown);
    found.text_truncated = 1;
    found.text = "long";
    shown = pmm_found_string_shown(&found);
    CHECK_STR(shown, "long...");
    free(shown);
}

/* ---- the matcher against a reference, over random memory ---------------------------------------- */

/* A pattern made by the test itself, so the reference compare does not depend on the compiler:
 * byte i matches b when (b & mask[i]) == value[i], or, where fold[i], when both are the same
 * ASCII letter in either case. */
typedef struct gen_pattern {
    pmm_search_spec spec;
    char text[2048];
    uint8_t value[400], mask[400], fold[400];
    size_t length;
} gen_pattern;

static uint64_t xs_state = 0x9e3779b97f4a7c15ull;
static uint32_t xs(void)
{
    xs_state ^= xs_state << 13;
    xs_state ^= xs_state >> 7;
    xs_state ^= xs_state << 17;
    return (uint32_t)(xs_state >> 32);
}

/* Letters in both cases and the non-letters that differ from others by 0x20 ('[' '{', '@' '`'),
 * which a case fold must not confuse; bytes are drawn from few values so that hits and near
 * misses are frequent. */
static const uint8_t gen_alphabet[] = {'a', 'A', 'z', 'Z', '[', '{', '@', '`', '0', 0x00, 0xff, 0x8b};
#define GEN_PRINTABLE 9      /* the first 9 are printable ASCII */

static int is_letter(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int gen_byte_matches(const gen_pattern *g, size_t i, uint8_t b)
{
    if (g->fold[i] && is_letter(b) && is_letter(g->value[i]))
        return (b | 0x20) == (g->value[i] | 0x20);
    return (b & g->mask[i]) == g->value[i];
}

static int gen_matches(const gen_pattern *g, const uint8_t *p)
{
    for (size_t i = 0; i < g->length; i++)
        if (!gen_byte_matches(g, i, p[i]))
            return 0;
    return 1;
}

static size_t gen_length(void)
{
    uint32_t r = xs() % 100;
    if (r < 5)
        return 60 + xs() % 250;   /* longer than the 64-byte step, often longer than the chunk */
    if (r < 30)
        return 1 + xs() % 3;
    return 1 + xs() % 24;
}

static void gen_make(gen_pattern *g)
{
    memset(g, 0, sizeof *g);
    unsigned kind = xs() % 3;
    size_t chars = gen_length();
    size_t used = 0;
    g->spec.alignment = 1u << (xs() % 4);
    if (kind == 0) {
        /* hex with "??" and nibble wildcards anywhere, the start and the end included */
        g->spec.kind = PMM_SEARCH_HEX;
        int all_wild = xs() % 20 == 0;
        for (size_t i = 0; i < chars; i++) {
            uint8_t b = gen_alphabet[xs() % sizeof gen_alphabet];
            uint32_t r = all_wild ? 0 : xs() % 10;
            if (r == 0) {
                g->mask[i] = 0;
                used += (size_t)sprintf(g->text + used, "?? ");
            } else if (r == 1) {
                g->mask[i] = 0xf0;
                used += (size_t)sprintf(g->text + used, "%X? ", b >> 4);
            } else if (r == 2) {
                g->mask[i] = 0x0f;
                used += (size_t)sprintf(g->text + used, "?%X ", b & 15);
            } else {
                g->mask[i] = 0xff;
                used += (size_t)sprintf(g->text + used, "%02X ", b);
            }
            g->value[i] = b & g->mask[i];
        }
        g->length = chars;
    } else {
        /* ANSI or UTF-16LE text, with or without case */
        int utf16 = kind == 2;
        g->spec.kind = utf16 ? PMM_SEARCH_UTF16 : PMM_SEARCH_ANSI;
        g->spec.ignore_case = (int)(xs() & 1);
        if (utf16 && chars > 150)
            chars = 150;
        for (size_t i = 0; i < chars; i++) {
            uint8_t c = gen_alphabet[xs() % GEN_PRINTABLE];
            g->text[used++] = (char)c;
            size_t at = utf16 ? 2 * i : i;
            g->value[at] = c;
            g->mask[at] = 0xff;
            g->fold[at] = (uint8_t)g->spec.ignore_case;
            if (utf16) {
                g->value[at + 1] = 0;
                g->mask[at + 1] = 0xff;
            }
        }
        g->length = utf16 ? 2 * chars : chars;
    }
    g->text[used] = '\0';
    g->spec.text = g->text;
}

/* Random bytes from the alphabet with copies of the pattern planted (wildcards filled at random,
 * letters in random case), some overlapping and some cut by the end of the buffer. */
static void gen_memory(const gen_pattern *g, uint8_t *mem, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mem[i] = gen_alphabet[xs() % sizeof gen_alphabet];
    size_t plants = n ? xs() % (1 + n / 16) : 0;
    for (size_t k = 0; k < plants; k++) {
        size_t at = xs() % n;
        for (size_t i = 0; i < g->length && at + i < n; i++) {
            uint8_t b = (uint8_t)((g->value[i] & g->mask[i]) | (gen_alphabet[xs() % sizeof gen_alphabet] & ~g->mask[i]));
            if (g->fold[i] && is_letter(b) && (xs() & 1))
                b ^= 0x20;
            mem[at + i] = b;
        }
    }
}

typedef struct offsets {
    size_t *at;
    size_t count, cap;
    size_t stop_after;       /* non-zero: ask to stop at that many */
} offsets;

static int record_offset(void *ctx, size_t offset)
{
    offsets *o = ctx;
    if (o->count < o->cap)
        o->at[o->count] = offset;
    o->count++;
    return o->stop_after && o->count == o->stop_after;
}

TEST_CASE(matcher_agrees_with_a_reference_on_random_buffers)
{
    enum { ITERATIONS = 4000, MAX_MEM = 900 };
    size_t expected[MAX_MEM], got[MAX_MEM];
    size_t total_hits = 0, failures_before = (size_t)check_failures_in_case;
    for (int it = 0; it < ITERATIONS && (size_t)check_failures_in_case == failures_before; it++) {
        gen_pattern g;
        gen_make(&g);
        pmm_search_pattern p;
        char message[256];
        pmm_status st = pmm_search_compile(&g.spec, &p, message, sizeof message);
        CHECK_EQ_U64(st, PMM_OK);
        if (st != PMM_OK) {
            fprintf(stderr, "pattern \"%s\": %s\n", g.text, message);
            continue;
        }
        CHECK_EQ_U64(p.length, g.length);
        size_t n = xs() % MAX_MEM;
        uint8_t *mem = malloc(n ? n : 1);   /* exactly n bytes: ASan sees any read past them */
        gen_memory(&g, mem, n);
        uint64_t base = ((uint64_t)xs() << 32 | xs()) & ~(uint64_t)0xf000000000000000ull;
        size_t count = n >= g.length ? n - g.length + 1 : 0, want = 0;
        for (size_t off = 0; off < count; off++)
            if ((base + off) % g.spec.alignment == 0 && gen_matches(&g, mem + off))
                expected[want++] = off;
        /* Every scanner this build and CPU have: words, SSE2, AVX2. */
        for (int simd = PMM_SIMD_WORDS; simd <= (int)pmm_search_simd_best(); simd++) {
            p.simd = (pmm_search_simd)simd;
            offsets o = {got, 0, MAX_MEM, 0};
            if (count)
                CHECK_EQ_U64(pmm_search_find(&p, mem, count, base, record_offset, &o), count);
            CHECK_EQ_U64(o.count, want);
            for (size_t k = 0; k < want && k < o.count; k++)
                if (got[k] != expected[k]) {
                    CHECK_EQ_U64(got[k], expected[k]);
                    break;
                }
            if (want >= 2) {
                /* Stopping at a hit returns its offset and calls back no further. */
                size_t stop = 1 + xs() % want;
                offsets s = {got, 0, MAX_MEM, stop};
                CHECK_EQ_U64(pmm_search_find(&p, mem, count, base, record_offset, &s), expected[stop - 1]);
                CHECK_EQ_U64(s.count, stop);
            }
            if ((size_t)check_failures_in_case != failures_before) {
                fprintf(stderr, "iteration %d, scanner %d: pattern \"%s\" kind %s ignore-case %d alignment %u, "
                        "%zu bytes at 0x%llx\n", it, simd, g.text, pmm_search_kind_name(g.spec.kind),
                        g.spec.ignore_case, g.spec.alignment, n, (unsigned long long)base);
                break;
            }
        }
        total_hits += want;
        free(mem);
        pmm_search_pattern_free(&p);
    }
    CHECK(total_hits > ITERATIONS);   /* the planting works: most iterations have hits to find */
}

static int generated_pattern_matches(const void *g, const uint8_t *p)
{
    return gen_matches(g, p);
}

/* The same, through the memory walk with random chunk sizes, against a compare over each span
 * read whole. */
TEST_CASE(search_agrees_with_a_reference_over_random_worlds)
{
    for (int it = 0; it < 80; it++) {
        world w;
        world_build(&w);
        gen_pattern g;
        gen_make(&g);
        for (size_t r = 0; r < w.fake.region_count; r++) {
            fake_region *fr = &w.fake.regions[r];
            if (fr->bytes)
                gen_memory(&g, fr->bytes, (size_t)fr->info.size);
        }
        world_open(&w);
        pmm_search_pattern p;
        CHECK_EQ_U64(pmm_search_compile(&g.spec, &p, NULL, 0), PMM_OK);
        uint64_t expected = reference_hits(&w, g.length, g.spec.alignment, generated_pattern_matches, &g);
        size_t chunk = xs() % 4 == 0 ? 4096 : 16 + xs() % 300;
        pmm_search_options o = {.chunk_size = chunk};
        pmm_search_summary s;
        w.fake.lend = it % 2;   /* every other world lends its bytes in place */
        CHECK_EQ_U64(pmm_search_run(&w.src, w.map, &p, &o, NULL, NULL, &s), PMM_OK);
        if (s.hits != expected)
            fprintf(stderr, "iteration %d: pattern \"%s\" chunk %zu\n", it, g.text, chunk);
        CHECK_EQ_U64(s.hits, expected);
        CHECK_EQ_U64(s.unreadable_bytes, 0);
        pmm_search_pattern_free(&p);
        world_free(&w);
    }
}

TEST_CASE(overlapping_hits_are_all_found)
{
    world w;
    world_build(&w);
    put(&w, RW_A + 0x200, "aaaaaaa", 7);
    put(&w, RW_B - 3, "aaaaaaa", 7);     /* across the region boundary */
    world_open(&w);
    pmm_search_spec spec = {PMM_SEARCH_ANSI, "aaaa", 0, 0, 0, 0};
    for (size_t c = 0; c < sizeof chunk_sizes / sizeof chunk_sizes[0]; c++) {
        pmm_search_options o = {.chunk_size = chunk_sizes[c]};
        hits h;
        pmm_search_summary s;
        CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
        CHECK_EQ_U64(h.count, 8);
        for (uint64_t i = 0; i < 4 && h.count == 8; i++) {
            CHECK_EQ_U64(h.addr[i], RW_A + 0x200 + i);
            CHECK_EQ_U64(h.addr[4 + i], RW_B - 3 + i);
        }
    }
    spec.text = "AaAa";                      /* ignoring case: the same eight */
    spec.ignore_case = 1;
    hits h;
    pmm_search_summary s;
    pmm_search_options o = {.chunk_size = 3};
    CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
    CHECK_EQ_U64(h.count, 8);
    world_free(&w);
}

/* The probe the matcher looks for first is the pattern's rarest byte ('Z' here, at its end); put
 * it on every side of chunk edges of several sizes. */
TEST_CASE(rare_anchor_at_chunk_edges)
{
    world w;
    world_build(&w);
    enum { MARKERS = 24 };
    uint64_t at[MARKERS];
    for (int i = 0; i < MARKERS; i++) {
        at[i] = RW_A + 0x40 + 97 * (uint64_t)i + (uint64_t)(i % 5);
        put(&w, at[i], "eeeeeeeZ", 8);
    }
    world_open(&w);
    pmm_search_pattern p;
    pmm_search_spec spec = {PMM_SEARCH_ANSI, "eeeeeeeZ", 0, 0, 0, 0};
    CHECK_EQ_U64(pmm_search_compile(&spec, &p, NULL, 0), PMM_OK);
    CHECK_EQ_U64(p.probe_offset[0], 7);
    pmm_search_pattern_free(&p);
    static const size_t chunks[] = {8, 9, 15, 16, 17, 63, 64, 65, 97, 128, 4096};
    for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        pmm_search_options o = {.chunk_size = chunks[c]};
        hits h;
        pmm_search_summary s;
        CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
        CHECK_EQ_U64(h.count, MARKERS);
        for (int i = 0; i < MARKERS && h.count == MARKERS; i++)
            CHECK_EQ_U64(h.addr[i], at[i]);
    }
    world_free(&w);
}

/* Ignoring case folds letters only: '[' and '{', '@' and '`', '^' and '~' differ by the same bit
 * but are different characters. */
TEST_CASE(ignoring_case_leaves_non_letters_alone)
{
    world w;
    world_build(&w);
    put(&w, RW_A + 0x100, "@[q]^", 5);
    put(&w, RW_A + 0x200, "`{Q}~", 5);
    put(&w, RW_A + 0x300, "@[Q]^", 5);
    static const uint8_t wide_near_miss[] = {'`', 0, '{', 0, 'q', 0, '}', 0, '~', 0};
    static const uint8_t wide_hit[] = {'@', 0, '[', 0, 'Q', 0, ']', 0, '^', 0};
    put(&w, RW_B + 0x100, wide_near_miss, sizeof wide_near_miss);
    put(&w, RW_B + 0x200, wide_hit, sizeof wide_hit);
    world_open(&w);
    pmm_search_spec spec = {PMM_SEARCH_ANSI, "@[Q]^", 1, 0, 0, 0};
    pmm_search_options o = {.chunk_size = 0};
    hits h;
    pmm_search_summary s;
    CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
    CHECK_EQ_U64(h.count, 2);
    CHECK_EQ_U64(h.addr[0], RW_A + 0x100);
    CHECK_EQ_U64(h.addr[1], RW_A + 0x300);
    spec.kind = PMM_SEARCH_UTF16;
    CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
    CHECK_EQ_U64(h.count, 1);
    CHECK_EQ_U64(h.addr[0], RW_B + 0x200);
    spec.text = "[";                         /* a one-byte pattern that is all non-letter */
    spec.kind = PMM_SEARCH_ANSI;
    CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
    CHECK_EQ_U64(h.count, 3);
    world_free(&w);
}

TEST_CASE(wildcards_at_the_start)
{
    world w;
    world_build(&w);
    put(&w, RW_A, "MZ", 2);                  /* at a span's very start: "?? ?? 4D 5A" cannot match it */
    put(&w, RW_A + 0x102, "MZ", 2);
    put(&w, RW_B - 1, "MZ", 2);              /* across the region boundary */
    world_open(&w);
    pmm_search_spec spec = {PMM_SEARCH_HEX, "?? ?? 4D 5A", 0, 0, 0, 0};
    for (size_t c = 0; c < sizeof chunk_sizes / sizeof chunk_sizes[0]; c++) {
        pmm_search_options o = {.chunk_size = chunk_sizes[c]};
        hits h;
        pmm_search_summary s;
        CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
        CHECK_EQ_U64(h.count, 2);
        CHECK_EQ_U64(h.addr[0], RW_A + 0x100);
        CHECK_EQ_U64(h.addr[1], RW_B - 3);
    }
    /* Nibble wildcards only (no fully fixed byte), and nothing fixed at all. */
    spec.text = "?? 4? ?A";
    pmm_search_options o = {.chunk_size = 100};
    hits h;
    pmm_search_summary s;
    CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
    CHECK_EQ_U64(h.count, 2);
    CHECK_EQ_U64(h.addr[0], RW_A + 0x101);
    CHECK_EQ_U64(h.addr[1], RW_B - 2);
    spec.text = "?? ??";
    CHECK_EQ_U64(search(&w, &spec, &o, &h, &s), PMM_OK);
    /* Every offset of every stream but its last: RW_A+RW_B, two GAP_NA pages, EXEC, RDONLY, IMAGE. */
    CHECK_EQ_U64(s.hits, (0x3000 - 1) + 5 * (0x1000 - 1));
    world_free(&w);
}

typedef struct peek_ctx {
    pmm_source *src;
    size_t hits, good;
} peek_ctx;

/* A hit callback that reads the source, as the GUI's preview does, while the reader thread runs. */
static int peek_hit(void *ctx, const pmm_search_hit *hit)
{
    peek_ctx *p = ctx;
    char bytes[6];
    p->hits++;
    if (pmm_source_read(p->src, hit->address, bytes, 6) == 6 && memcmp(bytes, "NEEDLE", 6) == 0)
        p->good++;
    return 0;
}

TEST_CASE(hit_callback_may_read_the_source)
{
    world w;
    world_build(&w);
    for (uint64_t i = 0; i < 40; i++)
        put(&w, RW_A + 0x40 + 0x123 * i % 0x2f00, "NEEDLE", 6);
    world_open(&w);
    pmm_search_pattern p;
    pmm_search_spec spec = {PMM_SEARCH_ANSI, "NEEDLE", 0, 0, 0, 0};
    CHECK_EQ_U64(pmm_search_compile(&spec, &p, NULL, 0), PMM_OK);
    pmm_search_options o = {.chunk_size = 64};
    peek_ctx pc = {&w.src, 0, 0};
    pmm_search_summary s;
    CHECK_EQ_U64(pmm_search_run(&w.src, w.map, &p, &o, peek_hit, &pc, &s), PMM_OK);
    CHECK(pc.hits >= 30);
    CHECK_EQ_U64(pc.good, pc.hits);
    CHECK_EQ_U64(s.hits, pc.hits);
    pmm_search_pattern_free(&p);
    world_free(&w);
}

static int stop_at_third(void *ctx, const pmm_found_string *found)
{
    (void)found;
    return ++*(int *)ctx == 3;
}

/* The listing does not depend on how the memory is cut into chunks, and a stop counts only the
 * bytes read up to it. */
TEST_CASE(strings_the_same_with_every_chunk_size)
{
    world w;
    world_build(&w);
    for (size_t r = 0; r < w.fake.region_count; r++) {
        fake_region *fr = &w.fake.regions[r];
        for (size_t i = 0; fr->bytes && i < fr->info.size; i++)
            fr->bytes[i] = gen_alphabet[xs() % sizeof gen_alphabet];
    }
    world_open(&w);
    found_list whole;
    pmm_strings_summary ws;
    memset(&whole, 0, sizeof whole);
    pmm_strings_options o = {.chunk_size = 1u << 20, .min_length = 3};
    CHECK_EQ_U64(pmm_strings_run(&w.src, w.map, &o, collect_string, &whole, &ws), PMM_OK);
    CHECK(ws.strings > 10);
    static const size_t chunks[] = {1, 7, 100, 4096};
    for (size_t c = 0; c < 2 * sizeof chunks / sizeof chunks[0]; c++) {
        found_list cut;
        pmm_strings_summary cs;
        memset(&cut, 0, sizeof cut);
        o.chunk_size = chunks[c / 2];
        w.fake.lend = c % 2;   /* read, then lent in place */
        CHECK_EQ_U64(pmm_strings_run(&w.src, w.map, &o, collect_string, &cut, &cs), PMM_OK);
        CHECK_EQ_U64(cs.strings, ws.strings);
        CHECK_EQ_U64(cs.bytes_searched, ws.bytes_searched);
        CHECK_EQ_U64(cs.regions_searched, ws.regions_searched);
        for (size_t i = 0; i < whole.count && i < 32; i++) {
            CHECK_EQ_U64(cut.addr[i], whole.addr[i]);
            CHECK_EQ_U64(cut.len[i], whole.len[i]);
        }
        int seen = 0;
        CHECK_EQ_U64(pmm_strings_run(&w.src, w.map, &o, stop_at_third, &seen, &cs), PMM_OK);
        CHECK_EQ_U64(seen, 3);
        CHECK(cs.bytes_searched < ws.bytes_searched);
    }
    world_free(&w);
}

CHECK_MAIN(CASE(boundaries_found_once_with_every_chunk_size), CASE(pattern_longer_than_a_chunk),
           CASE(hex_wildcards_and_nibbles), CASE(text_case_folding_ansi_and_utf16), CASE(utf16_pattern_bytes),
           CASE(integers_alignment_and_sign), CASE(floats_and_doubles), CASE(cap_and_resume),
           CASE(region_filters_and_range), CASE(unreadable_pages_are_skipped_and_counted),
           CASE(progress_and_cancel), CASE(malformed_patterns), CASE(agrees_with_a_compare_at_every_offset),
           CASE(strings_ansi_and_utf16_across_boundaries), CASE(found_string_shown_with_tabs_escaped_and_cut_marked),
           CASE(matcher_agrees_with_a_reference_on_random_buffers),
           CASE(search_agrees_with_a_reference_over_random_worlds), CASE(overlapping_hits_are_all_found),
           CASE(rare_anchor_at_chunk_edges), CASE(ignoring_case_leaves_non_letters_alone), CASE(wildcards_at_the_start),
           CASE(hit_callback_may_read_the_source), CASE(strings_the_same_with_every_chunk_size))
