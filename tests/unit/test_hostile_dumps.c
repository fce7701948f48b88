/* Minidumps that claim what they do not hold: a MemoryInfoList entry of 2^48 bytes, one that wraps
 * the address space, entries that overlap. Every walk over such a dump (search, strings, page
 * checksums, a minidump or region dump of it) must cost what the file holds, not what it claims:
 * each case counts the reads it made and runs under an alarm, so the page-by-page walk of old
 * (2^36 reads) fails here instead of running for hours. */
#include "check.h"
#include "fake_source.h"
#include "md_builder.h"
#include "core/analyzers/scan.h"
#include "core/formats/minidump.h"
#include "core/formats/minidump_write.h"
#include "core/formats/saved_map_pages.h"
#include "core/adapters/minidump_source.h"
#include "core/tools/region_dump.h"
#include "core/tools/search.h"
#include "core/tools/strings_list.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define HUGE_BASE 0x10000ull
#define HUGE_SIZE (1ull << 48)
#define DATA 0x20000ull
#define DATA_SIZE 0x2000ull
#define SHARED 0x7ffe0000ull
#define WRAP_BASE 0x100000000ull
#define X64_TOP (1ull << 47)
#define MAX_READS 1000u

typedef struct info_entry {
    uint64_t base, size;
    uint32_t state, protect;
} info_entry;

static const info_entry hostile_infos[] = {
    {HUGE_BASE, HUGE_SIZE, PMM_MEM_COMMIT, PMM_PAGE_READWRITE},          /* covers everything after it */
    {DATA, DATA_SIZE, PMM_MEM_COMMIT, PMM_PAGE_READWRITE},
    {DATA + DATA_SIZE, 0x1000, PMM_MEM_COMMIT, PMM_PAGE_NOACCESS},
    {SHARED, 0x1000, PMM_MEM_COMMIT, PMM_PAGE_READONLY},
    {WRAP_BASE, 0 - 0x1000ull, PMM_MEM_COMMIT, PMM_PAGE_READWRITE},      /* wraps past 2^64 */
};

static void put_system_info(mdb *b)
{
    size_t s = mdb_begin_stream(b);
    size_t at = mdb_bytes(b, NULL, 56);
    mdb_set_u16(b, at, 9);   /* AMD64 */
    mdb_set_u32(b, at + 20, 2);   /* VER_PLATFORM_WIN32_NT */
    mdb_end_stream(b, PMM_MD_STREAM_SYSTEM_INFO, s);
}

static void put_memory_info(mdb *b)
{
    size_t n = sizeof hostile_infos / sizeof hostile_infos[0];
    size_t s = mdb_begin_stream(b);
    mdb_u32(b, 16);
    mdb_u32(b, 48);
    mdb_u64(b, n);
    for (size_t i = 0; i < n; i++)
        mdb_memory_info_entry(b, hostile_infos[i].base, hostile_infos[i].size, hostile_infos[i].state,
                              hostile_infos[i].protect, PMM_MEM_PRIVATE);
    mdb_end_stream(b, PMM_MD_STREAM_MEMORY_INFO_LIST, s);
}

/* The bytes: DATA (an MZ header and a string in it) and the shared page; nothing of the huge
 * region's other 256 TiB, nor of the wrapping one. */
static void put_memory64(mdb *b)
{
    size_t s = mdb_begin_stream(b);
    mdb_u64(b, 2);
    size_t base_rva = mdb_u64(b, 0);
    mdb_u64(b, DATA);
    mdb_u64(b, DATA_SIZE);
    mdb_u64(b, SHARED);
    mdb_u64(b, 0x1000);
    mdb_end_stream(b, PMM_MD_STREAM_MEMORY64_LIST, s);
    mdb_set_u64(b, base_rva, b->len);
    size_t data = mdb_bytes(b, NULL, DATA_SIZE + 0x1000);
    memcpy(b->data + data + 0x10, "MZ\x90\x00", 4);
    memcpy(b->data + data + 0x100, "HostileString", 13);
    memcpy(b->data + data + DATA_SIZE + 0x20, "SharedPageText", 14);
}

/* An executable the file holds no byte of. */
static void put_modules(mdb *b)
{
    uint32_t name = mdb_string(b, "C:\\x\\hostile.exe");
    size_t s = mdb_begin_stream(b);
    mdb_u32(b, 1);
    size_t e = mdb_bytes(b, NULL, 108);
    mdb_set_u64(b, e, 0x140000000ull);
    mdb_set_u32(b, e + 8, 0x3000);
    mdb_set_u32(b, e + 20, name);
    mdb_end_stream(b, PMM_MD_STREAM_MODULE_LIST, s);
}

static void build_hostile(mdb *b)
{
    mdb_begin(b, 4);
    put_system_info(b);
    put_modules(b);
    put_memory_info(b);
    put_memory64(b);
}

/* ---- a source that counts reads ---------------------------------------------------------------- */

typedef struct counting {
    pmm_source inner;
    unsigned reads;
} counting;

static size_t counting_read(void *impl, uint64_t addr, void *buf, size_t len)
{
    counting *c = impl;
    c->reads++;
    return pmm_source_read(&c->inner, addr, buf, len);
}

static pmm_status counting_query(void *impl, uint64_t addr, pmm_region_info *out)
{
    return pmm_source_query(&((counting *)impl)->inner, addr, out);
}

static pmm_status counting_held(void *impl, uint64_t addr, uint64_t *start, uint64_t *end)
{
    return pmm_source_held_extent(&((counting *)impl)->inner, addr, start, end);
}

static const pmm_source_ops counting_ops = {.query = counting_query, .read = counting_read,
                                            .held_extent = counting_held};

static pmm_source counted(counting *c)
{
    pmm_source s = {&counting_ops, c, c->inner.target};
    c->reads = 0;
    return s;
}

typedef struct hostile {
    mdb b;
    pmm_source md;
    counting count;
    pmm_source src;
    pmm_map *map;
} hostile;

static int open_hostile(hostile *h)
{
    memset(h, 0, sizeof *h);
    build_hostile(&h->b);
    char msg[512] = "";
    if (pmm_minidump_open_memory(h->b.data, h->b.len, "hostile", &h->md, msg, sizeof msg) != PMM_OK) {
        fprintf(stderr, "%s\n", msg);
        CHECK(!"the hostile dump opens");
        free(h->b.data);
        return 0;
    }
    h->count.inner = h->md;
    h->src = counted(&h->count);
    CHECK(pmm_scan_source(&h->md, NULL, &h->map) == PMM_OK);
    return h->map != NULL;
}

static void close_hostile(hostile *h)
{
    pmm_map_free(h->map);
    pmm_source_close(&h->md);
    free(h->b.data);
}

static int has_warning(const pmm_source *src, const char *text)
{
    for (size_t i = 0; i < pmm_minidump_warning_count(src); i++)
        if (strstr(pmm_minidump_warning(src, i), text))
            return 1;
    return 0;
}

/* ---- cases ------------------------------------------------------------------------------------- */

TEST_CASE(claimed_regions_are_clipped_and_reported)
{
    hostile h;
    if (!open_hostile(&h))
        return;
    pmm_region_info r;
    CHECK(pmm_source_query(&h.md, HUGE_BASE, &r) == PMM_OK);
    CHECK_EQ_U64(r.base, HUGE_BASE);
    CHECK_EQ_U64(r.size, DATA - HUGE_BASE);   /* clipped where the next entry starts */
    CHECK(pmm_source_query(&h.md, DATA, &r) == PMM_OK);
    CHECK_EQ_U64(r.base, DATA);
    CHECK_EQ_U64(r.size, DATA_SIZE);          /* not hidden by the huge entry */
    CHECK(pmm_source_query(&h.md, SHARED, &r) == PMM_OK);
    CHECK_EQ_U64(r.base, SHARED);
    CHECK_EQ_U64(r.protect, PMM_PAGE_READONLY);
    CHECK(pmm_source_query(&h.md, WRAP_BASE, &r) == PMM_OK);
    CHECK_EQ_U64(r.base, WRAP_BASE);
    CHECK_EQ_U64(r.size, X64_TOP - WRAP_BASE);   /* clipped to the x64 user address space */
    CHECK(pmm_source_query(&h.md, X64_TOP, &r) == PMM_END);
    CHECK(has_warning(&h.md, "into the next one"));
    CHECK(has_warning(&h.md, "past the end of the x64 address space"));
    CHECK(has_warning(&h.md, "0x10000"));   /* the first damaged entry is named */
    close_hostile(&h);
}

TEST_CASE(held_extents_and_next_readable)
{
    hostile h;
    if (!open_hostile(&h))
        return;
    uint64_t start, end;
    CHECK(pmm_source_knows_held(&h.md));
    CHECK(pmm_source_held_extent(&h.md, 0, &start, &end) == PMM_OK);
    CHECK_EQ_U64(start, DATA);
    CHECK_EQ_U64(end, DATA + DATA_SIZE);
    CHECK(pmm_source_held_extent(&h.md, DATA + 0x10, &start, &end) == PMM_OK);
    CHECK_EQ_U64(start, DATA + 0x10);
    CHECK(pmm_source_held_extent(&h.md, DATA + DATA_SIZE, &start, &end) == PMM_OK);
    CHECK_EQ_U64(start, SHARED);
    CHECK(pmm_source_held_extent(&h.md, SHARED + 0x1000, &start, &end) == PMM_END);
    CHECK_EQ_U64(pmm_source_next_readable(&h.md, HUGE_BASE, X64_TOP), DATA);
    CHECK_EQ_U64(pmm_source_next_readable(&h.md, DATA + 5, X64_TOP), DATA + 5);
    CHECK_EQ_U64(pmm_source_next_readable(&h.md, SHARED + 0x1000, X64_TOP), X64_TOP);
    CHECK_EQ_U64(pmm_source_next_readable(&h.md, HUGE_BASE, 0x18000), 0x18000);   /* below the limit only */
    close_hostile(&h);
}

static int count_hit(void *ctx, const pmm_search_hit *hit)
{
    (void)hit;
    ++*(unsigned *)ctx;
    return 0;
}

TEST_CASE(search_reads_what_the_file_holds)
{
    hostile h;
    if (!open_hostile(&h))
        return;
    pmm_search_spec spec = {PMM_SEARCH_HEX, "4D 5A 90", 0, 0, 0, 0};
    pmm_search_pattern pattern;
    char msg[256];
    CHECK(pmm_search_compile(&spec, &pattern, msg, sizeof msg) == PMM_OK);
    pmm_search_options o = {0};
    pmm_search_summary summary;
    unsigned hits = 0;
    CHECK(pmm_search_run(&h.src, h.map, &pattern, &o, count_hit, &hits, &summary) == PMM_OK);
    CHECK_EQ_U64(hits, 1);
    CHECK_EQ_U64(summary.bytes_searched, DATA_SIZE + 0x1000);
    CHECK(summary.unreadable_bytes > X64_TOP / 2);   /* what the regions claim and the file lacks */
    CHECK(h.count.reads < MAX_READS);
    printf("  search: %u reads, %" PRIu64 " bytes searched, %" PRIu64 " not in the file\n", h.count.reads,
           summary.bytes_searched, summary.unreadable_bytes);
    pmm_search_pattern_free(&pattern);
    close_hostile(&h);
}

typedef struct found_texts {
    int hostile, shared;
} found_texts;

static int note_string(void *ctx, const pmm_found_string *s)
{
    found_texts *f = ctx;
    f->hostile |= strcmp(s->text, "HostileString") == 0;
    f->shared |= strcmp(s->text, "SharedPageText") == 0;
    return 0;
}

TEST_CASE(strings_read_what_the_file_holds)
{
    hostile h;
    if (!open_hostile(&h))
        return;
    pmm_strings_options o = {0};
    o.min_length = 8;
    pmm_strings_summary summary;
    found_texts found = {0, 0};
    CHECK(pmm_strings_run(&h.src, h.map, &o, note_string, &found, &summary) == PMM_OK);
    CHECK(found.hostile && found.shared);
    CHECK(h.count.reads < MAX_READS);
    close_hostile(&h);
}

TEST_CASE(page_checksums_cover_what_the_file_holds)
{
    hostile h;
    if (!open_hostile(&h))
        return;
    pmm_page_sums sums;
    CHECK(pmm_page_sums_compute(&h.src, h.map, NULL, NULL, &sums) == PMM_OK);
    size_t hashed = 0;
    for (size_t i = 0; i < sums.count; i++)
        hashed += sums.items[i].status == PMM_PAGE_HASHED;
    CHECK_EQ_U64(hashed, (DATA_SIZE + 0x1000) / PMM_PAGE_SIZE);
    CHECK(sums.count < 16);   /* not one entry per claimed page */
    CHECK(h.count.reads < MAX_READS);
    pmm_page_sums_free(&sums);
    close_hostile(&h);
}

TEST_CASE(a_minidump_of_the_dump_holds_what_it_held)
{
    hostile h;
    if (!open_hostile(&h))
        return;
    pmm_sink sink;
    pmm_sink_open_memory(&sink, 64u << 20);   /* a claim written as zeros would fail here */
    pmm_md_write_options o = {.memory_mode = PMM_MD_MEMORY_FULL};
    pmm_md_write_result res;
    CHECK(pmm_md_write(&h.src, h.map, &o, &sink, &res) == PMM_OK);
    CHECK_EQ_U64(res.memory_bytes, DATA_SIZE + 0x1000);
    CHECK(res.not_held_bytes > X64_TOP / 2);
    CHECK(h.count.reads < MAX_READS);
    size_t size = 0;
    const uint8_t *bytes = pmm_sink_memory_bytes(&sink, &size);
    pmm_source again;
    char msg[512];
    CHECK(pmm_minidump_open_memory(bytes, size, "again", &again, msg, sizeof msg) == PMM_OK);
    uint8_t mz[4] = {0};
    CHECK_EQ_U64(pmm_source_read(&again, DATA + 0x10, mz, 4), 4);
    CHECK(memcmp(mz, "MZ\x90\x00", 4) == 0);
    pmm_source_close(&again);
    pmm_md_write_result_free(&res);
    pmm_sink_close(&sink);
    close_hostile(&h);
}

TEST_CASE(a_region_dump_of_the_dump_holds_what_it_held)
{
    hostile h;
    if (!open_hostile(&h))
        return;
    char dir[] = "/tmp/pmm_hostile_XXXXXX", path[128];
    if (!mkdtemp(dir)) {
        close_hostile(&h);
        CHECK_SKIP("no temporary folder");
    }
    snprintf(path, sizeof path, "%s/single.bin", dir);
    pmm_dump_selection sel = {0};
    pmm_dump_ranges ranges = {0};
    char msg[512];
    CHECK(pmm_dump_select(h.map, &sel, &ranges, msg, sizeof msg) == PMM_OK);
    pmm_region_dump_options o = {PMM_RDUMP_SINGLE, path, 0, NULL, NULL, NULL};
    pmm_region_dump_result res;
    CHECK(pmm_region_dump(&h.src, &ranges, &o, &res, msg, sizeof msg) == PMM_OK);
    CHECK_EQ_U64(res.file_size, DATA_SIZE + 0x1000);
    CHECK(res.not_held_bytes > X64_TOP / 2);
    CHECK(h.count.reads < MAX_READS);
    remove(path);
    snprintf(path, sizeof path, "%s/single.bin.map", dir);
    remove(path);
    CHECK(rmdir(dir) == 0);   /* nothing else was left behind */
    pmm_region_dump_result_free(&res);
    pmm_dump_ranges_free(&ranges);
    close_hostile(&h);
}

/* A live process answers the same way through one query: a region the map saw committed but that
 * was decommitted meanwhile is passed in one step, not read page by page (16,384 reads here). */
static const pmm_source_ops counting_live_ops = {.query = counting_query, .read = counting_read};

TEST_CASE(a_region_decommitted_meanwhile_costs_one_query)
{
    enum { BASE = 0x10000000, SIZE = 64 << 20 };
    fake_source fake;
    memset(&fake, 0, sizeof fake);
    fake_add(&fake, BASE, SIZE, BASE, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
    fake_add(&fake, BASE + SIZE, 0x1000, BASE + SIZE, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE,
             PMM_PAGE_READWRITE);
    fake_write(&fake, BASE + SIZE + 0x10, "MZ\x90", 3);
    pmm_source live;
    fake_source_open(&fake, &live, 8);
    pmm_map *map = NULL;
    CHECK(pmm_scan_source(&live, NULL, &map) == PMM_OK);
    if (!map)
        return;
    /* Decommitted after the scan: no bytes, and the OS now says reserved. */
    free(fake.regions[0].bytes);
    fake.regions[0].bytes = NULL;
    fake.regions[0].info.state = PMM_MEM_RESERVE;
    counting c = {live, 0};
    pmm_source src = {&counting_live_ops, &c, live.target};
    pmm_search_spec spec = {PMM_SEARCH_HEX, "4D 5A 90", 0, 0, 0, 0};
    pmm_search_pattern pattern;
    char msg[256];
    CHECK(pmm_search_compile(&spec, &pattern, msg, sizeof msg) == PMM_OK);
    pmm_search_options o = {0};
    pmm_search_summary summary;
    unsigned hits = 0;
    CHECK(pmm_search_run(&src, map, &pattern, &o, count_hit, &hits, &summary) == PMM_OK);
    CHECK_EQ_U64(hits, 1);
    CHECK_EQ_U64(summary.unreadable_bytes, SIZE);
    CHECK(c.reads < 8);
    printf("  64 MiB decommitted after the scan: %u reads\n", c.reads);
    pmm_search_pattern_free(&pattern);
    pmm_map_free(map);
    pmm_source_close(&live);
    fake_free(&fake);
}

static void too_slow(int sig)
{
    (void)sig;
    static const char text[] = "test_hostile_dumps: a walk took over 60 s: it follows a claimed size\n";
    if (write(2, text, sizeof text - 1) < 0) {
        /* nothing more to say */
    }
    _exit(1);
}

int main(void)
{
    signal(SIGALRM, too_slow);
    alarm(60);
    static const check_case cases[] = {
        CASE(claimed_regions_are_clipped_and_reported), CASE(held_extents_and_next_readable),
        CASE(search_reads_what_the_file_holds), CASE(strings_read_what_the_file_holds),
        CASE(page_checksums_cover_what_the_file_holds), CASE(a_minidump_of_the_dump_holds_what_it_held),
        CASE(a_region_dump_of_the_dump_holds_what_it_held), CASE(a_region_decommitted_meanwhile_costs_one_query),
    };
    return check_run(cases, sizeof cases / sizeof cases[0]);
}
