/* Working-set facts over a fake source with known per-page answers: the counts per region, the
 * sums per allocation, per type and in total with VMMap's definitions, the batching, a source that
 * refuses, the saved-map section (round trip, damage, files without it) and the diff's growth. */
#include "check.h"
#include "saved_map_testlib.h"
#include "core/formats/saved_map.h"
#include "core/formats/saved_map_layout.h"
#include "core/tools/map_diff.h"
#include "core/tools/map_output.h"
#include "core/tools/map_summary.h"

#define PAGE PMM_PAGE_SIZE
#define IMAGE 0x140000000ull

static const pmm_page_ws private_page = {.flags = PMM_WS_VALID};
static const pmm_page_ws locked_page = {.flags = PMM_WS_VALID | PMM_WS_LOCKED};

static pmm_page_ws shared_page(uint8_t share_count)
{
    pmm_page_ws p = {.flags = PMM_WS_VALID | PMM_WS_SHARED, .share_count = share_count};
    return p;
}

/* Private Data at 0x10000: 16 pages RW, pages 0-1 resident and locked, 2-9 resident.
 * Mapped File at 0x40000: 2 pages RW (a shared view, not copy-on-write), both resident, used by 2.
 * Private Data at 0x50000: 1 page committed and resident, 15 reserved.
 * Image at IMAGE: header R (resident, 3 users) | 4 pages RX (3 resident, ours only) |
 *   2 pages WC (one shared with another process, one a private copy) | 1 page RW (a written
 *   copy-on-write page, resident, private). */
static void build_fake(fake_source *f)
{
    memset(f, 0, sizeof *f);
    fake_add(f, 0x10000, 16 * PAGE, 0x10000, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
    const pmm_page_ws a[10] = {locked_page, locked_page, private_page, private_page, private_page,
                               private_page, private_page, private_page, private_page, private_page};
    fake_set_ws(f, 0x10000, a, 10);

    fake_add(f, 0x40000, 2 * PAGE, 0x40000, PMM_MEM_COMMIT, PMM_MEM_MAPPED, PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
    strcpy(f->regions[f->region_count - 1].mapped_name, "C:\\data\\view.bin");
    const pmm_page_ws c[2] = {shared_page(2), shared_page(2)};
    fake_set_ws(f, 0x40000, c, 2);

    fake_add(f, 0x50000, PAGE, 0x50000, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
    fake_set_ws(f, 0x50000, &private_page, 1);
    fake_add(f, 0x51000, 15 * PAGE, 0x50000, PMM_MEM_RESERVE, PMM_MEM_PRIVATE, 0, PMM_PAGE_READWRITE);

    const uint32_t wcx = PMM_PAGE_EXECUTE_WRITECOPY;
    fake_add(f, IMAGE, PAGE, IMAGE, PMM_MEM_COMMIT, PMM_MEM_IMAGE, PMM_PAGE_READONLY, wcx);
    fake_write(f, IMAGE, "MZ", 2);
    const pmm_page_ws header = shared_page(3);
    fake_set_ws(f, IMAGE, &header, 1);
    fake_add(f, IMAGE + PAGE, 4 * PAGE, IMAGE, PMM_MEM_COMMIT, PMM_MEM_IMAGE, PMM_PAGE_EXECUTE_READ, wcx);
    const pmm_page_ws code[3] = {shared_page(1), shared_page(1), shared_page(1)};
    fake_set_ws(f, IMAGE + PAGE, code, 3);
    fake_add(f, IMAGE + 5 * PAGE, 2 * PAGE, IMAGE, PMM_MEM_COMMIT, PMM_MEM_IMAGE, PMM_PAGE_WRITECOPY, wcx);
    const pmm_page_ws data[2] = {shared_page(2), private_page};
    fake_set_ws(f, IMAGE + 5 * PAGE, data, 2);
    fake_add(f, IMAGE + 7 * PAGE, PAGE, IMAGE, PMM_MEM_COMMIT, PMM_MEM_IMAGE, PMM_PAGE_READWRITE, wcx);
    fake_set_ws(f, IMAGE + 7 * PAGE, &private_page, 1);
}

static pmm_map *scan(fake_source *f)
{
    pmm_source src;
    fake_source_open(f, &src, 8);
    pmm_map *map = NULL;
    CHECK(pmm_scan_source(&src, NULL, &map) == PMM_OK);
    return map;
}

static size_t region_at(const pmm_map *map, uint64_t addr)
{
    size_t i = pmm_map_find(map, addr);
    CHECK(i != PMM_NO_INDEX);
    return i;
}

static void check_region_ws(const pmm_map *map, uint64_t addr, uint32_t priv, uint32_t shareable, uint32_t shared,
                            uint32_t locked)
{
    const pmm_region_ws *ws = &map->working_set[region_at(map, addr)];
    CHECK_EQ_U64(ws->private_pages, priv);
    CHECK_EQ_U64(ws->shareable_pages, shareable);
    CHECK_EQ_U64(ws->shared_pages, shared);
    CHECK_EQ_U64(ws->locked_pages, locked);
}

static char *map_output(const pmm_map *map, int json)
{
    mem_text text = {0};
    pmm_out out = mem_text_out(&text);
    if (json)
        pmm_map_write_json(map, &out);
    else
        pmm_map_write_text(map, &out);
    return text.data;
}

TEST_CASE(resident_pages_are_counted_per_region)
{
    fake_source f;
    build_fake(&f);
    pmm_map *map = scan(&f);
    CHECK(map && map->working_set);
    if (map && map->working_set) {
        check_region_ws(map, 0x10000, 10, 0, 0, 2);
        check_region_ws(map, 0x40000, 0, 2, 2, 0);
        check_region_ws(map, 0x50000, 1, 0, 0, 0);
        check_region_ws(map, 0x51000, 0, 0, 0, 0);   /* reserved: never asked */
        check_region_ws(map, IMAGE, 0, 1, 1, 0);
        check_region_ws(map, IMAGE + PAGE, 0, 3, 0, 0);
        check_region_ws(map, IMAGE + 5 * PAGE, 1, 1, 1, 0);
        check_region_ws(map, IMAGE + 7 * PAGE, 1, 0, 0, 0);
        CHECK_STR(pmm_map_working_set_note(map), "");
    }
    pmm_map_free(map);
    fake_free(&f);
}

TEST_CASE(private_bytes_follow_vmmap)
{
    fake_source f;
    build_fake(&f);
    pmm_map *map = scan(&f);
    pmm_usage u;
    pmm_region_usage(map, region_at(map, 0x10000), &u);
    CHECK_EQ_U64(u.private_bytes, 16 * PAGE);             /* all committed private memory */
    pmm_region_usage(map, region_at(map, 0x40000), &u);
    CHECK_EQ_U64(u.private_bytes, 0);                     /* RW, but a shared view */
    pmm_region_usage(map, region_at(map, IMAGE + 7 * PAGE), &u);
    CHECK_EQ_U64(u.private_bytes, PAGE);                  /* written copy-on-write page: RW in a WCX image */
    pmm_region_usage(map, region_at(map, IMAGE + 5 * PAGE), &u);
    CHECK_EQ_U64(u.private_bytes, PAGE);                  /* still WC, yet the OS says one page is private */
    pmm_region_usage(map, region_at(map, IMAGE + PAGE), &u);
    CHECK_EQ_U64(u.private_bytes, 0);
    pmm_map_free(map);
    fake_free(&f);
}

TEST_CASE(sums_per_allocation_type_and_total)
{
    fake_source f;
    build_fake(&f);
    pmm_map *map = scan(&f);
    size_t first, count, image = pmm_map_find_allocation(map, region_at(map, IMAGE));
    pmm_map_allocation_regions(map, image, &first, &count);
    pmm_usage u;
    pmm_regions_usage(map, first, count, &u);
    CHECK_EQ_U64(count, 4);
    CHECK_EQ_U64(u.committed, 8 * PAGE);
    CHECK_EQ_U64(u.private_bytes, 2 * PAGE);
    CHECK_EQ_U64(u.ws_total, 7 * PAGE);
    CHECK_EQ_U64(u.ws_private, 2 * PAGE);
    CHECK_EQ_U64(u.ws_shareable, 5 * PAGE);
    CHECK_EQ_U64(u.ws_shared, 2 * PAGE);
    CHECK_EQ_U64(u.ws_locked, 0);

    pmm_map_summary s;
    pmm_map_summarize(map, &s);
    CHECK(s.has_working_set);
    const pmm_usage *p = &s.kinds[PMM_KIND_PRIVATE].usage;
    CHECK_EQ_U64(s.kinds[PMM_KIND_PRIVATE].blocks, 2);
    CHECK_EQ_U64(p->committed, 17 * PAGE);
    CHECK_EQ_U64(p->private_bytes, 17 * PAGE);
    CHECK_EQ_U64(p->ws_total, 11 * PAGE);
    CHECK_EQ_U64(p->ws_private, 11 * PAGE);
    CHECK_EQ_U64(p->ws_shareable, 0);
    CHECK_EQ_U64(p->ws_locked, 2 * PAGE);
    const pmm_usage *m = &s.kinds[PMM_KIND_MAPPED_FILE].usage;
    CHECK_EQ_U64(m->ws_shareable, 2 * PAGE);
    CHECK_EQ_U64(m->ws_shared, 2 * PAGE);
    CHECK_EQ_U64(m->private_bytes, 0);
    CHECK_EQ_U64(s.kinds[PMM_KIND_IMAGE].usage.ws_total, 7 * PAGE);
    CHECK_EQ_U64(s.total.usage.ws_total, 20 * PAGE);
    CHECK_EQ_U64(s.total.usage.ws_private, 13 * PAGE);
    CHECK_EQ_U64(s.total.usage.ws_shareable, 7 * PAGE);
    CHECK_EQ_U64(s.total.usage.ws_shared, 4 * PAGE);
    CHECK_EQ_U64(s.total.usage.private_bytes, 19 * PAGE);
    uint64_t largest_free = 0;
    for (size_t i = 0; i < map->region_count; i++)
        if (map->regions[i].state == PMM_MEM_FREE && map->regions[i].size > largest_free)
            largest_free = map->regions[i].size;
    CHECK_EQ_U64(s.kinds[PMM_KIND_FREE].largest, largest_free);

    char *json = map_output(map, 1);
    CHECK(json && strstr(json, "\"available\": true") != NULL);
    CHECK(json && strstr(json, "\"ws_shareable\": 28672") != NULL);   /* Image: 7 pages */
    CHECK(json && strstr(json, "\"largest_free\"") != NULL);
    free(json);
    char *text = map_output(map, 0);
    CHECK(text && strstr(text, "Shareable WS") != NULL && strstr(text, "Working set:") == NULL);
    free(text);
    pmm_map_free(map);
    fake_free(&f);
}

TEST_CASE(batches_stay_bounded)
{
    fake_source f;
    memset(&f, 0, sizeof f);
    const size_t pages = PMM_WS_MAX_BATCH + 904;
    fake_add(&f, 0x20000000, pages * PAGE, 0x20000000, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE,
             PMM_PAGE_READWRITE);
    pmm_page_ws *ws = calloc(pages, sizeof *ws);
    for (size_t i = 0; i < pages; i += 2)
        ws[i] = private_page;
    fake_set_ws(&f, 0x20000000, ws, pages);
    free(ws);
    pmm_map *map = scan(&f);
    CHECK_EQ_U64(map->working_set[region_at(map, 0x20000000)].private_pages, pages / 2);
    CHECK(f.ws_largest_batch <= PMM_WS_MAX_BATCH);
    CHECK_EQ_U64(f.ws_calls, 2);
    pmm_map_free(map);
    fake_free(&f);
}

TEST_CASE(a_refusing_source_leaves_the_reason)
{
    fake_source f;
    build_fake(&f);
    f.ws_refusal = "QueryWorkingSetEx refused process 42 (Windows error 87)";
    pmm_map *map = scan(&f);
    CHECK(map && !map->working_set);
    CHECK_STR(pmm_map_working_set_note(map),
              "Working set not available: QueryWorkingSetEx refused process 42 (Windows error 87)");
    pmm_map_summary s;
    pmm_map_summarize(map, &s);
    CHECK(!s.has_working_set);
    CHECK_EQ_U64(s.total.usage.ws_total, 0);
    CHECK_EQ_U64(s.kinds[PMM_KIND_PRIVATE].usage.private_bytes, 17 * PAGE);   /* needs no working set */
    char *json = map_output(map, 1);
    CHECK(json && strstr(json, "\"available\": false") && strstr(json, "Windows error 87") && !strstr(json, "ws_total"));
    free(json);
    char *text = map_output(map, 0);
    CHECK(text && strstr(text, "Working set not available: QueryWorkingSetEx refused") != NULL);
    CHECK(text && strstr(text, "Total WS") == NULL);
    free(text);
    pmm_map_free(map);
    fake_free(&f);
}

TEST_CASE(sources_without_the_op_say_why)
{
    fake_source f;
    build_fake(&f);
    f.ws_enabled = 0;
    pmm_source src;
    fake_source_open(&f, &src, 8);
    pmm_page_ws page;
    char message[200];
    src.target.source_kind = PMM_SOURCE_MINIDUMP;
    CHECK(pmm_source_working_set(&src, 0x10000, 1, &page, message, sizeof message) == PMM_ERR_NOT_PROVIDED);
    CHECK_STR(message, "a minidump does not record the working set");
    CHECK(pmm_source_working_set(&src, 0x10001, 1, &page, message, sizeof message) == PMM_ERR_ARG);
    src.target.source_kind = PMM_SOURCE_LIVE;
    pmm_map *map = NULL;
    CHECK(pmm_scan_source(&src, NULL, &map) == PMM_OK);
    CHECK(map && !map->working_set);
    CHECK_STR(pmm_map_working_set_note(map), "Working set not available: this source cannot tell which pages are resident");
    pmm_map_free(map);
    fake_free(&f);
}

TEST_CASE(scan_option_skips_the_facts)
{
    fake_source f;
    build_fake(&f);
    pmm_source src;
    fake_source_open(&f, &src, 8);
    pmm_scan_options options = {.flags = PMM_SCAN_NO_WORKING_SET};
    pmm_map *map = NULL;
    CHECK(pmm_scan_source(&src, &options, &map) == PMM_OK);
    CHECK(map && !map->working_set && f.ws_calls == 0);
    CHECK_STR(pmm_map_working_set_note(map), "Working set not available: not asked for");
    pmm_map_free(map);
    fake_free(&f);
}

/* Offset of the section with this id in an encoded saved map; 0 when absent. */
static size_t find_section(const uint8_t *data, size_t size, uint32_t id)
{
    uint32_t sections = pmm_le32(data + 12);
    size_t offset = SM_HEADER_SIZE;
    for (uint32_t i = 0; i < sections && offset + SM_SECTION_HEADER_SIZE <= size; i++) {
        if (pmm_le32(data + offset) == id)
            return offset;
        offset += SM_SECTION_HEADER_SIZE + (size_t)pmm_le64(data + offset + 8);
    }
    return 0;
}

static pmm_map *decode(const uint8_t *data, size_t size, pmm_status expect, char *message, size_t cap)
{
    pmm_map *map = NULL;
    CHECK(pmm_saved_map_decode(data, size, &map, NULL, message, cap) == expect);
    return map;
}

TEST_CASE(saved_map_keeps_the_working_set)
{
    fake_source f;
    build_fake(&f);
    pmm_map *map = scan(&f);
    uint8_t *data;
    size_t size;
    char message[300];
    CHECK(pmm_saved_map_encode(map, NULL, &data, &size) == PMM_OK);
    pmm_map *loaded = decode(data, size, PMM_OK, message, sizeof message);
    CHECK(loaded && loaded->working_set && loaded->region_count == map->region_count);
    if (loaded && loaded->working_set)
        CHECK(memcmp(loaded->working_set, map->working_set, map->region_count * sizeof *map->working_set) == 0);
    char *a = map_output(map, 0), *b = map_output(loaded, 0);
    CHECK(a && b && strstr(b, "Locked WS") && strcmp(strstr(a, "Type "), strstr(b, "Type ")) == 0);
    free(a);
    free(b);
    pmm_map_free(loaded);

    /* A reader that does not know the section skips it: renamed to an unknown id it is ignored,
     * and the map says its file had no working set. */
    size_t at = find_section(data, size, SM_SECTION_WORKING_SET);
    CHECK(at != 0);
    pmm_put32(data + at, 99);
    testlib_reseal(data, size);
    loaded = decode(data, size, PMM_OK, message, sizeof message);
    CHECK(loaded && !loaded->working_set);
    CHECK_STR(pmm_map_working_set_note(loaded), "Working set not available: saved by a version without it");
    pmm_map_free(loaded);

    /* Counts that cannot be: more shared pages than shareable ones. */
    pmm_put32(data + at, SM_SECTION_WORKING_SET);
    size_t record = at + SM_SECTION_HEADER_SIZE + SM_WORKING_SET_HEAD_SIZE +
                    region_at(map, 0x40000) * SM_WORKING_SET_SIZE;
    pmm_put32(data + record + 8, 3);
    testlib_reseal(data, size);
    CHECK(decode(data, size, PMM_ERR_FORMAT, message, sizeof message) == NULL);
    CHECK(strstr(message, "working set of region") != NULL);
    free(data);
    pmm_map_free(map);
    fake_free(&f);
}

TEST_CASE(saved_map_keeps_why_there_is_none)
{
    fake_source f;
    build_fake(&f);
    f.ws_refusal = "refused for the test";
    pmm_map *map = scan(&f);
    uint8_t *data;
    size_t size;
    char message[300];
    CHECK(pmm_saved_map_encode(map, NULL, &data, &size) == PMM_OK);
    pmm_map *loaded = decode(data, size, PMM_OK, message, sizeof message);
    CHECK(loaded && !loaded->working_set);
    CHECK_STR(pmm_map_working_set_note(loaded), "Working set not available: refused for the test");
    pmm_map_free(loaded);
    free(data);
    pmm_map_free(map);
    fake_free(&f);
}

/* The leak pattern: the new map has 22 more resident private pages, all Private Data. */
TEST_CASE(diff_shows_working_set_growth_per_type)
{
    fake_source f;
    build_fake(&f);
    pmm_map *old_map = scan(&f);
    fake_free(&f);
    build_fake(&f);
    pmm_page_ws more[16];
    for (int i = 0; i < 16; i++)
        more[i] = private_page;
    fake_set_ws(&f, 0x10000, more, 16);
    fake_add(&f, 0x60000, 16 * PAGE, 0x60000, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
    fake_set_ws(&f, 0x60000, more, 16);
    pmm_map *new_map = scan(&f);
    pmm_map_diff diff;
    CHECK(pmm_map_diff_compute(old_map, NULL, new_map, NULL, &diff) == PMM_OK);
    CHECK(diff.working_set_compared);
    const pmm_usage *a = &diff.old_summary.kinds[PMM_KIND_PRIVATE].usage;
    const pmm_usage *b = &diff.new_summary.kinds[PMM_KIND_PRIVATE].usage;
    CHECK_EQ_U64(b->ws_private - a->ws_private, 22 * PAGE);
    CHECK_EQ_U64(b->committed - a->committed, 16 * PAGE);
    CHECK_EQ_U64(diff.new_summary.kinds[PMM_KIND_IMAGE].usage.ws_total,
                 diff.old_summary.kinds[PMM_KIND_IMAGE].usage.ws_total);
    mem_text text = {0};
    pmm_out out = mem_text_out(&text);
    pmm_map_diff_write_text(&diff, &out);
    CHECK(text.data && strstr(text.data, "Private Data") && strstr(text.data, "+88 K"));
    free(text.data);
    mem_text json = {0};
    out = mem_text_out(&json);
    pmm_map_diff_write_json(&diff, &out);
    CHECK(json.data && strstr(json.data, "\"working_set_compared\": true") && strstr(json.data, "\"ws_private\": 135168"));
    free(json.data);
    pmm_map_diff_free(&diff);
    pmm_map_free(old_map);
    pmm_map_free(new_map);
    fake_free(&f);
}

CHECK_MAIN(CASE(resident_pages_are_counted_per_region), CASE(private_bytes_follow_vmmap),
           CASE(sums_per_allocation_type_and_total), CASE(batches_stay_bounded),
           CASE(a_refusing_source_leaves_the_reason), CASE(sources_without_the_op_say_why),
           CASE(scan_option_skips_the_facts), CASE(saved_map_keeps_the_working_set),
           CASE(saved_map_keeps_why_there_is_none), CASE(diff_shows_working_set_growth_per_type))
