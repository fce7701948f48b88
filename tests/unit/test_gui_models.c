/* The GUI's plain-C models, natively under the sanitizers: the region rows (expand, collapse,
 * filter, sort), the refresh highlight (map_changes), hex paging (hex_model), the compare view's
 * rows (compare_rows), the CSV export, the map copy workers get, the regions a dump of rows saves
 * (dump_selection), the findings window's rows and the region list's modified mark (findings_rows),
 * and the file sniffing the window and the console tool share (target_kind).
 * Maps come from a fake source through the real scan. */
#include <stdlib.h>
#include "app/gui/compare_rows.h"
#include "app/gui/dump_selection.h"
#include "app/gui/findings_rows.h"
#include "app/gui/hex_model.h"
#include "app/gui/map_changes.h"
#include "app/gui/map_snapshot.h"
#include "app/gui/region_rows.h"
#include "app/gui/rows_csv.h"
#include "app/gui/usage_graph_model.h"
#include "check.h"
#include "core/analyzers/scan.h"
#include "core/adapters/target_kind.h"
#include "core/tools/integrity.h"
#include "fake_source.h"

#define HEAP_BASE 0x10000ull     /* 4 KiB RW committed, 60 KiB reserved: two regions */
#define VIEW_BASE 0x40000ull     /* 8 KiB mapped, read-only */
#define CODE_BASE 0x80000ull     /* 4 KiB private RX */
#define NEW_BASE 0xC0000ull      /* only in the second map: 64 KiB RW */

/* changed: the heap's committed page becomes read-only and NEW_BASE appears. */
static pmm_map *scan_map(int changed, fake_source *fake)
{
    memset(fake, 0, sizeof *fake);
    uint8_t *heap = fake_add(fake, HEAP_BASE, 0x1000, HEAP_BASE, PMM_MEM_COMMIT, PMM_MEM_PRIVATE,
                             changed ? PMM_PAGE_READONLY : PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
    fake_add(fake, HEAP_BASE + 0x1000, 0xF000, HEAP_BASE, PMM_MEM_RESERVE, PMM_MEM_PRIVATE, 0, PMM_PAGE_READWRITE);
    uint8_t *view = fake_add(fake, VIEW_BASE, 0x2000, VIEW_BASE, PMM_MEM_COMMIT, PMM_MEM_MAPPED, PMM_PAGE_READONLY,
                             PMM_PAGE_READONLY);
    fake_add(fake, CODE_BASE, 0x1000, CODE_BASE, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_EXECUTE_READ,
             PMM_PAGE_EXECUTE_READ);
    if (changed)
        fake_add(fake, NEW_BASE, 0x10000, NEW_BASE, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE,
                 PMM_PAGE_READWRITE);
    for (int i = 0; i < 0x1000; i++)
        heap[i] = (uint8_t)i;
    memset(view, 0x5A, 0x2000);
    memcpy(view, "PMM-MAPPED-FILE!", 16);
    pmm_source src;
    fake_source_open(fake, &src, 8);
    pmm_map *map = NULL;
    CHECK(pmm_scan_source(&src, NULL, &map) == PMM_OK);
    return map;
}

static size_t row_of(const region_rows *rows, uint64_t base)
{
    for (size_t i = 0; i < rows->count; i++) {
        uint64_t start, end;
        if (rows->rows[i].kind == REGION_ROW_ALLOCATION && region_rows_range(rows, i, &start, &end) && start == base)
            return i;
    }
    return PMM_NO_INDEX;
}

TEST_CASE(rows_expand_and_collapse)
{
    fake_source fake;
    pmm_map *map = scan_map(0, &fake);
    region_rows rows;
    region_rows_init(&rows);
    CHECK(region_rows_set_map(&rows, map) == PMM_OK);
    region_rows_set_show_free(&rows, 0);
    size_t top = rows.count;   /* the three allocations and the unusable tails of the two small ones */
    CHECK_EQ_U64(top, 5);
    size_t heap = row_of(&rows, HEAP_BASE);
    CHECK(heap != PMM_NO_INDEX);
    CHECK(rows.rows[heap].flags & REGION_ROW_EXPANDABLE);
    size_t again = region_rows_set_expanded(&rows, heap, 1);
    CHECK_EQ_U64(again, heap);
    CHECK(rows.rows[heap].flags & REGION_ROW_EXPANDED);
    CHECK_EQ_U64(rows.count, top + 2);   /* the heap's two regions under it */
    CHECK_EQ_U64(rows.rows[heap + 1].kind, REGION_ROW_REGION);
    CHECK_EQ_U64(rows.rows[heap + 1].depth, 1);
    char buf[64];
    CHECK_STR(region_rows_cell(&rows, heap + 2, REGION_COL_PROTECTION, buf, sizeof buf), "Reserved");
    CHECK_EQ_U64(region_rows_parent(&rows, heap + 2), heap);
    region_rows_set_expanded(&rows, heap + 2, 0);   /* collapsing from a child collapses its allocation */
    CHECK_EQ_U64(rows.count, top);
    CHECK(region_rows_expand_all(&rows, 1) == PMM_OK);
    CHECK(rows.count >= top + 2);
    CHECK(region_rows_expand_all(&rows, 0) == PMM_OK);
    CHECK_EQ_U64(rows.count, top);
    region_rows_free(&rows);
    pmm_map_free(map);
    fake_free(&fake);
}

TEST_CASE(rows_filter_and_sort)
{
    fake_source fake;
    pmm_map *map = scan_map(0, &fake);
    region_rows rows;
    region_rows_init(&rows);
    CHECK(region_rows_set_map(&rows, map) == PMM_OK);
    size_t with_free = rows.count;
    region_rows_set_show_free(&rows, 0);
    CHECK(with_free > rows.count);
    size_t view = pmm_map_find(map, VIEW_BASE);
    CHECK(view != PMM_NO_INDEX);
    CHECK(region_rows_set_filter(&rows, 1u << map->regions[view].kind) == PMM_OK);
    CHECK_EQ_U64(rows.count, 1);
    uint64_t start = 0, end = 0;
    CHECK(region_rows_range(&rows, 0, &start, &end));
    CHECK_EQ_U64(start, VIEW_BASE);
    CHECK(region_rows_set_filter(&rows, REGION_FILTER_ALL) == PMM_OK);
    /* By address ascending by default; by size descending puts the 64 KiB heap allocation first. */
    CHECK(region_rows_range(&rows, 0, &start, &end));
    CHECK_EQ_U64(start, HEAP_BASE);
    CHECK(region_rows_sort(&rows, REGION_COL_SIZE, 1) == PMM_OK);
    CHECK(region_rows_range(&rows, 0, &start, &end));
    CHECK_EQ_U64(end - start, 0x10000);
    CHECK(region_rows_range(&rows, rows.count - 1, &start, &end));
    CHECK_EQ_U64(start, CODE_BASE);
    /* Revealing an address expands its allocation and returns the region's row. */
    CHECK(region_rows_sort(&rows, REGION_COL_ADDRESS, 0) == PMM_OK);
    size_t row = region_rows_reveal(&rows, HEAP_BASE + 0x2345);
    CHECK(row != PMM_NO_INDEX && region_rows_range(&rows, row, &start, &end));
    CHECK_EQ_U64(start, HEAP_BASE + 0x1000);
    region_rows_free(&rows);
    pmm_map_free(map);
    fake_free(&fake);
}

TEST_CASE(changes_mark_new_and_changed_regions)
{
    fake_source fake_old, fake_new;
    pmm_map *old_map = scan_map(0, &fake_old), *new_map = scan_map(1, &fake_new);
    map_changes c;
    map_changes_init(&c);
    CHECK(map_changes_compute(&c, old_map, new_map) == PMM_OK);
    CHECK_EQ_U64(c.added, 1);
    CHECK_EQ_U64(c.changed, 1);
    CHECK_EQ_U64(c.removed, 0);
    size_t added = pmm_map_find(new_map, NEW_BASE), changed = pmm_map_find(new_map, HEAP_BASE);
    size_t same = pmm_map_find(new_map, CODE_BASE);
    CHECK_EQ_U64(map_changes_region(&c, added), MAP_CHANGE_NEW);
    CHECK_EQ_U64(map_changes_region(&c, changed), MAP_CHANGE_CHANGED);
    CHECK_EQ_U64(map_changes_region(&c, same), MAP_CHANGE_NONE);
    CHECK_EQ_U64(map_changes_allocation(&c, pmm_map_find_allocation(new_map, changed)), MAP_CHANGE_CHANGED);
    map_changes_free(&c);
    CHECK_EQ_U64(map_changes_region(&c, added), MAP_CHANGE_NONE);
    pmm_map_free(old_map);
    pmm_map_free(new_map);
    fake_free(&fake_old);
    fake_free(&fake_new);
}

typedef struct counted_source {
    pmm_source src;
    int reads;
} counted_source;

static size_t counted_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
    counted_source *c = ctx;
    c->reads++;
    return pmm_source_read(&c->src, addr, buf, len);
}

TEST_CASE(hex_model_pages_and_unreadable_bytes)
{
    fake_source fake;
    pmm_map *map = scan_map(0, &fake);
    counted_source c = {{0}, 0};
    fake_source_open(&fake, &c.src, 8);
    hex_model *m = calloc(1, sizeof *m);
    hex_model_init(m, counted_read, &c);
    hex_model_set_map(m, map, PMM_PAGE_SIZE);
    hex_model_set_range(m, HEAP_BASE, HEAP_BASE + 0x10000);
    CHECK_EQ_U64(hex_model_line_count(m), 0x10000 / HEX_BYTES_PER_LINE);
    CHECK_EQ_U64(hex_model_line_of(m, HEAP_BASE + 0x123), 0x12);
    uint8_t bytes[HEX_BYTES_PER_LINE], states[HEX_BYTES_PER_LINE];
    /* Paging through the committed page reads it once. */
    for (uint64_t line = 0; line < 0x1000 / HEX_BYTES_PER_LINE; line++) {
        hex_model_line(m, line, bytes, states);
        CHECK(states[0] == HEX_BYTE_OK && bytes[5] == (uint8_t)(line * 16 + 5));
    }
    CHECK_EQ_U64(c.reads, 1);
    /* Reserved memory is never read and shows as ??. */
    int before = c.reads;
    uint64_t reserved_line = hex_model_line_of(m, HEAP_BASE + 0x1000);
    hex_model_line(m, reserved_line, bytes, states);
    CHECK(states[0] == HEX_BYTE_UNREADABLE);
    CHECK_EQ_U64(c.reads, before);
    char text[160];
    hex_model_format_line(m, reserved_line, text, sizeof text);
    CHECK(strstr(text, "??") != NULL && strstr(text, " 00 ") == NULL);
    /* The mapped view's tag as hex and text. */
    hex_model_set_range(m, VIEW_BASE, VIEW_BASE + 0x2000);
    hex_model_format_line(m, 0, text, sizeof text);
    CHECK(strstr(text, "50 4D 4D 2D") != NULL && strstr(text, "PMM-MAPPED-FILE!") != NULL);
    /* Going back and forth over more pages than the cache holds stays correct. */
    hex_model_set_range(m, HEAP_BASE, VIEW_BASE + 0x2000);
    for (int pass = 0; pass < 2; pass++) {
        hex_model_line(m, hex_model_line_of(m, VIEW_BASE + 0x1010), bytes, states);
        CHECK(states[0] == HEX_BYTE_OK && bytes[0] == 0x5A);
        hex_model_line(m, hex_model_line_of(m, HEAP_BASE + 0x20), bytes, states);
        CHECK(states[0] == HEX_BYTE_OK && bytes[0] == 0x20);
    }
    free(m);
    pmm_source_close(&c.src);
    pmm_map_free(map);
    fake_free(&fake);
}

static size_t find_row(const pmm_map_diff *diff, const char *change, const char *address)
{
    char a[64], b[64];
    for (size_t row = 0; row < compare_rows_count(diff); row++)
        if (strcmp(compare_rows_cell(diff, row, COMPARE_COL_CHANGE, a, sizeof a), change) == 0 &&
            strcmp(compare_rows_cell(diff, row, COMPARE_COL_ADDRESS, b, sizeof b), address) == 0)
            return row;
    return PMM_NO_INDEX;
}

TEST_CASE(compare_rows_show_the_diff)
{
    fake_source fake_old, fake_new;
    pmm_map *old_map = scan_map(0, &fake_old), *new_map = scan_map(1, &fake_new);
    pmm_map_diff diff;
    CHECK(pmm_map_diff_compute(old_map, NULL, new_map, NULL, &diff) == PMM_OK);
    CHECK_EQ_U64(compare_rows_count(&diff), diff.count);
    char buf[400];
    size_t added = find_row(&diff, "Allocation added", "00000000000C0000");
    CHECK(added != PMM_NO_INDEX);
    CHECK_EQ_U64(compare_rows_tone(&diff, added), COMPARE_TONE_ADDED);
    CHECK_STR(compare_rows_cell(&diff, added, COMPARE_COL_BEFORE, buf, sizeof buf), "");
    CHECK_STR(compare_rows_cell(&diff, added, COMPARE_COL_AFTER, buf, sizeof buf), "RW");
    size_t changed = find_row(&diff, "Allocation changed", "0000000000010000");
    CHECK(changed != PMM_NO_INDEX);
    CHECK_EQ_U64(compare_rows_tone(&diff, changed), COMPARE_TONE_CHANGED);
    CHECK_STR(compare_rows_cell(&diff, changed, COMPARE_COL_BEFORE, buf, sizeof buf), "RW");
    CHECK_STR(compare_rows_cell(&diff, changed, COMPARE_COL_AFTER, buf, sizeof buf), "R");
    CHECK(strstr(compare_rows_cell(&diff, changed, COMPARE_COL_DETAILS, buf, sizeof buf), "protect") != NULL);
    uint64_t addr = 0;
    CHECK(compare_rows_address(&diff, changed, &addr) && addr == HEAP_BASE);
    CHECK(strstr(compare_rows_summary(&diff, buf, sizeof buf), "Regions: 1 added, 0 removed, 1 changed.") != NULL);
    /* Reversed, the new allocation is a removal, described from the old side. */
    pmm_map_diff back;
    CHECK(pmm_map_diff_compute(new_map, NULL, old_map, NULL, &back) == PMM_OK);
    size_t removed = find_row(&back, "Allocation removed", "00000000000C0000");
    CHECK(removed != PMM_NO_INDEX && compare_rows_tone(&back, removed) == COMPARE_TONE_REMOVED);
    CHECK_STR(compare_rows_cell(&back, removed, COMPARE_COL_BEFORE, buf, sizeof buf), "RW");
    CHECK_STR(compare_rows_cell(&back, removed, COMPARE_COL_TYPE, buf, sizeof buf), "Private Data");
    CHECK_STR(compare_rows_cell(&back, 99999, COMPARE_COL_TYPE, buf, sizeof buf), "");
    FILE *f = tmpfile();
    CHECK(f && compare_rows_write_text(&back, f) == 0);
    if (f) {
        rewind(f);
        char line[400];
        CHECK(fgets(line, sizeof line, f) && strncmp(line, "Regions: 0 added, 1 removed", 27) == 0);
        CHECK(fgets(line, sizeof line, f) && strncmp(line, "Change\tAddress\tSize\tType", 24) == 0);
        fclose(f);
    }
    pmm_map_diff_free(&diff);
    pmm_map_diff_free(&back);
    pmm_map_free(old_map);
    pmm_map_free(new_map);
    fake_free(&fake_old);
    fake_free(&fake_new);
}

TEST_CASE(csv_and_snapshot_copy)
{
    fake_source fake;
    pmm_map *map = scan_map(1, &fake);
    region_rows rows;
    region_rows_init(&rows);
    CHECK(region_rows_set_map(&rows, map) == PMM_OK);
    FILE *f = tmpfile();
    CHECK(f && region_rows_write_csv(&rows, f) == 0);
    if (f) {
        rewind(f);
        size_t lines = 0;
        char line[1000];
        while (fgets(line, sizeof line, f))
            lines++;
        CHECK_EQ_U64(lines, rows.count + 1);   /* a header, then a line per row */
        fclose(f);
    }
    pmm_map *copy = NULL;
    char message[200];
    CHECK(map_snapshot_copy(map, &copy, message, sizeof message) == PMM_OK);
    CHECK(copy && copy->region_count == map->region_count && copy->allocation_count == map->allocation_count);
    CHECK(copy && copy->target.source_kind == map->target.source_kind);
    pmm_map_diff diff;
    CHECK(copy && pmm_map_diff_compute(map, NULL, copy, NULL, &diff) == PMM_OK && diff.count == 0);
    pmm_map_diff_free(&diff);
    pmm_map_free(copy);
    region_rows_free(&rows);
    pmm_map_free(map);
    fake_free(&fake);
}

TEST_CASE(dump_selection_of_rows)
{
    fake_source fake;
    pmm_map *map = scan_map(1, &fake);
    uint64_t out[FAKE_MAX_REGIONS * 2];
    /* The heap allocation row, its reserved region row and the code row: the reserved part is not
     * saved, the committed page once, whatever the order. */
    uint64_t starts[] = {CODE_BASE, HEAP_BASE, HEAP_BASE + 0x1000, HEAP_BASE};
    uint64_t ends[] = {CODE_BASE + 0x1000, HEAP_BASE + 0x10000, HEAP_BASE + 0x10000, HEAP_BASE + 0x1000};
    size_t n = dump_selection_regions(map, starts, ends, 4, out, map->region_count);
    CHECK_EQ_U64(n, 2);
    CHECK_EQ_U64(out[0], HEAP_BASE);
    CHECK_EQ_U64(out[1], CODE_BASE);
    /* Everything from 0 to the end: every committed region, in address order. */
    uint64_t all_start = 0, all_end = ~0ull;
    n = dump_selection_regions(map, &all_start, &all_end, 1, out, map->region_count);
    CHECK_EQ_U64(n, 4);
    CHECK(n == 4 && out[0] == HEAP_BASE && out[1] == VIEW_BASE && out[2] == CODE_BASE && out[3] == NEW_BASE);
    /* A range inside free space selects nothing; a small cap is respected. */
    uint64_t free_start = 0x30000, free_end = 0x38000;
    CHECK_EQ_U64(dump_selection_regions(map, &free_start, &free_end, 1, out, map->region_count), 0);
    CHECK_EQ_U64(dump_selection_regions(map, &all_start, &all_end, 1, out, 1), 1);
    pmm_map_free(map);
    fake_free(&fake);
}

TEST_CASE(file_kinds_by_magic)
{
    CHECK_EQ_U64(pmm_file_kind_of_bytes("MDMP\x93\xa7", 6), PMM_FILE_MINIDUMP);
    CHECK_EQ_U64(pmm_file_kind_of_bytes("PMMSAVE\0", 8), PMM_FILE_SAVED_MAP);
    CHECK_EQ_U64(pmm_file_kind_of_bytes("PMMSAV", 6), PMM_FILE_SAVED_MAP_TRUNCATED);
    CHECK_EQ_U64(pmm_file_kind_of_bytes("PMMSxxxx", 8), PMM_FILE_SAVED_MAP_TRUNCATED);
    CHECK_EQ_U64(pmm_file_kind_of_bytes("MZ\x90", 3), PMM_FILE_UNREADABLE);
    CHECK_EQ_U64(pmm_file_kind_of_bytes("MZ\x90\x00", 4), PMM_FILE_UNKNOWN);
    CHECK_EQ_U64(pmm_file_kind_of("/nonexistent/pmm/file"), PMM_FILE_UNREADABLE);
}

/* The private RX page is executable memory with no image: one finding, shown by the findings rows
 * and marked in the region list; the scan's not-checked entries follow the findings. */
TEST_CASE(findings_rows_and_modified_mark)
{
    fake_source fake;
    pmm_map *map = scan_map(0, &fake);
    pmm_source src;
    fake_source_open(&fake, &src, 8);
    CHECK(pmm_integrity_scan(&src, map, NULL, NULL) == PMM_OK);
    char buf[512];
    CHECK_EQ_U64(map->integrity.count, 1);
    CHECK(findings_rows_count(map) == map->integrity.count + map->integrity.unchecked_count);
    CHECK(map->integrity.unchecked_count >= 1);
    CHECK_STR(findings_rows_cell(map, 0, FINDINGS_COL_KIND, buf, sizeof buf), "Private code");
    CHECK_STR(findings_rows_cell(map, 0, FINDINGS_COL_ADDRESS, buf, sizeof buf), "0000000000080000");
    CHECK_STR(findings_rows_cell(map, 0, FINDINGS_COL_SIZE, buf, sizeof buf), "4,096");
    CHECK(strstr(findings_rows_cell(map, 0, FINDINGS_COL_WHERE, buf, sizeof buf), "Private Data at 0x80000") != NULL);
    CHECK(strstr(findings_rows_cell(map, 0, FINDINGS_COL_DETAIL, buf, sizeof buf), "executable (RX) private") != NULL);
    uint64_t address = 0;
    CHECK(findings_rows_address(map, 0, &address) && address == CODE_BASE);
    CHECK(!findings_rows_is_unchecked(map, 0) && findings_rows_is_unchecked(map, 1));
    CHECK_STR(findings_rows_cell(map, 1, FINDINGS_COL_KIND, buf, sizeof buf), "Not checked");
    CHECK(strstr(findings_rows_cell(map, 1, FINDINGS_COL_DETAIL, buf, sizeof buf), "loader list") != NULL);
    CHECK(strncmp(findings_rows_summary(map, buf, sizeof buf), "1 finding, ", 11) == 0);
    region_rows rows;
    region_rows_init(&rows);
    CHECK(region_rows_set_map(&rows, map) == PMM_OK);
    size_t code = row_of(&rows, CODE_BASE), heap = row_of(&rows, HEAP_BASE);
    CHECK(strncmp(region_rows_cell(&rows, code, REGION_COL_DETAILS, buf, sizeof buf), "[modified: 1 finding, 1 page]", 29) == 0);
    CHECK(strstr(region_rows_cell(&rows, heap, REGION_COL_DETAILS, buf, sizeof buf), "modified") == NULL);
    region_rows_free(&rows);
    pmm_map_free(map);
    fake_free(&fake);
}

/* The graphs: each bar's segments are the summary's per-type figures, tile the bar exactly, and a
 * click at a segment's pixels names its type; the Working Set bar is off without working-set facts. */
TEST_CASE(graph_segments_follow_the_summary)
{
    pmm_map_summary s;
    memset(&s, 0, sizeof s);
    s.kinds[PMM_KIND_IMAGE].usage.committed = 600;
    s.kinds[PMM_KIND_HEAP].usage.committed = 300;
    s.kinds[PMM_KIND_PRIVATE].usage.committed = 100;
    s.kinds[PMM_KIND_PRIVATE].usage.private_bytes = 100;
    s.kinds[PMM_KIND_HEAP].usage.private_bytes = 300;
    s.kinds[PMM_KIND_IMAGE].usage.ws_total = 50;
    usage_graph_model m;
    usage_graph_model_set(&m, &s, 200);
    CHECK_EQ_U64(m.total[USAGE_GRAPH_COMMITTED], 1000);
    CHECK(!m.available[USAGE_GRAPH_WORKING_SET] && m.total[USAGE_GRAPH_WORKING_SET] == 0);
    const usage_segment *image = usage_graph_model_segment(&m, USAGE_GRAPH_COMMITTED, PMM_KIND_IMAGE);
    const usage_segment *heap = usage_graph_model_segment(&m, USAGE_GRAPH_COMMITTED, PMM_KIND_HEAP);
    const usage_segment *priv = usage_graph_model_segment(&m, USAGE_GRAPH_COMMITTED, PMM_KIND_PRIVATE);
    CHECK(image && heap && priv);
    CHECK(image->x0 == 0 && image->x1 == 120 && heap->x0 == 120 && heap->x1 == 180 && priv->x1 == 200);
    CHECK_EQ_U64(usage_graph_model_hit(&m, USAGE_GRAPH_COMMITTED, 119), PMM_KIND_IMAGE);
    CHECK_EQ_U64(usage_graph_model_hit(&m, USAGE_GRAPH_COMMITTED, 120), PMM_KIND_HEAP);
    CHECK(usage_graph_model_hit(&m, USAGE_GRAPH_COMMITTED, 200) == -1);
    CHECK(usage_graph_model_hit(&m, USAGE_GRAPH_WORKING_SET, 10) == -1);
    CHECK(usage_graph_model_hit(&m, USAGE_GRAPH_PRIVATE, 10) == PMM_KIND_HEAP);   /* images have no private bytes */
    s.has_working_set = 1;
    usage_graph_model_set(&m, &s, 7);
    CHECK(m.available[USAGE_GRAPH_WORKING_SET] && m.total[USAGE_GRAPH_WORKING_SET] == 50);
    uint64_t sum = 0;
    int covered = 0;
    for (int k = 0; k < USAGE_GRAPH_KINDS; k++) {   /* 7 pixels for 1000 bytes: still no gap, no overlap */
        const usage_segment *seg = &m.segments[USAGE_GRAPH_COMMITTED][k];
        CHECK(seg->x0 == covered);
        covered = seg->x1;
        sum += seg->bytes;
    }
    CHECK(covered == 7 && sum == 1000);
    usage_graph_model_set(&m, NULL, 100);
    CHECK(!m.has_map && usage_graph_model_hit(&m, USAGE_GRAPH_COMMITTED, 5) == -1);
}

/* The working-set columns are the map's usage figures; blank (and hidden) without working-set facts. */
TEST_CASE(rows_show_usage_columns)
{
    fake_source fake;
    pmm_map *map = scan_map(0, &fake);
    region_rows rows;
    region_rows_init(&rows);
    CHECK(region_rows_set_map(&rows, map) == PMM_OK);
    char buf[64];
    size_t heap = region_rows_find_allocation(&rows, pmm_map_find_allocation(map, pmm_map_find(map, HEAP_BASE)));
    CHECK_STR(region_rows_cell(&rows, heap, REGION_COL_PRIVATE, buf, sizeof buf), "4 K");
    CHECK_STR(region_rows_cell(&rows, heap, REGION_COL_WS_TOTAL, buf, sizeof buf), "");   /* no working set */
    CHECK(region_column_is_working_set(REGION_COL_WS_LOCKED) && !region_column_is_working_set(REGION_COL_PRIVATE));
    CHECK_STR(region_column_name(REGION_COL_WS_SHAREABLE), "Shareable WS");
    region_rows_free(&rows);
    pmm_map_free(map);
    fake_free(&fake);
}

CHECK_MAIN(CASE(graph_segments_follow_the_summary), CASE(rows_show_usage_columns), CASE(rows_expand_and_collapse),
           CASE(rows_filter_and_sort), CASE(changes_mark_new_and_changed_regions),
           CASE(hex_model_pages_and_unreadable_bytes), CASE(compare_rows_show_the_diff), CASE(csv_and_snapshot_copy),
           CASE(dump_selection_of_rows), CASE(file_kinds_by_magic),
           CASE(findings_rows_and_modified_mark))
