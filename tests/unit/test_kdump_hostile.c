/* Hostile kernel dumps: truncated files, run tables and bitmaps that point past the end, run counts
 * of 0xFFFFFFFF, overlapping runs, inconsistent RDMP headers, a 32-bit signature on a 64-bit
 * header, page tables that point at themselves or outside the dump, module lists that loop. Each
 * must be refused with a message naming what is wrong, or read as far as it is sound, in bounded
 * time and without an allocation sized by a field of the file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "core/util/endian.h"
#include "core/formats/kdump.h"
#include "../kdump/kdump_scene.h"

static kdb_buffer build(uint32_t paging, uint32_t type)
{
    kscene *s = kscene_build(paging, NULL, 0);
    kdb_buffer buf = {0};
    if (kdb_write(s->b, type, kdb_sink_buffer(&buf)) != 0)
        abort();
    kscene_free(s);
    return buf;
}

/* Opening data must fail with status and a message containing want. */
static void expect_refused(const uint8_t *data, size_t size, pmm_status status, const char *want)
{
    pmm_kdump *dump = NULL;
    char message[512] = "";
    pmm_status st = pmm_kdump_open_memory(data, size, &dump, message, sizeof message);
    if (st != status || !strstr(message, want))
        fprintf(stderr, "  got status %d, message \"%s\"; want %d, \"%s\"\n", st, message, status, want);
    CHECK_EQ_U64(st, status);
    CHECK(strstr(message, want) != NULL);
    CHECK(dump == NULL);
    pmm_kdump_close(dump);
}

TEST_CASE(truncated_files)
{
    kdb_buffer b = build(KDB_X64, 1);
    expect_refused(b.data, 4, PMM_ERR_FORMAT, "not a kernel dump");
    expect_refused(b.data, 0x1000, PMM_ERR_FORMAT, "ends inside the 8192-byte header");
    expect_refused(b.data, b.len - 0x800, PMM_ERR_FORMAT, "past the end of the file");
    free(b.data);
    b = build(KDB_X64, 5);
    expect_refused(b.data, 0x2010, PMM_ERR_FORMAT, "ends inside the bitmap header");
    expect_refused(b.data, b.len - 0x1000, PMM_ERR_FORMAT, "the file holds only");
    free(b.data);
    b = build(KDB_X64, 0xA);
    expect_refused(b.data, 0x2020, PMM_ERR_FORMAT, "ends inside the RDMP header");
    expect_refused(b.data, b.len - 1, PMM_ERR_FORMAT, "past the end of the file");
    free(b.data);
    b = build(KDB_X86, 2);
    expect_refused(b.data, 0x800, PMM_ERR_FORMAT, "ends inside the 4096-byte header");
    expect_refused(b.data, 0x1010, PMM_ERR_FORMAT, "ends inside the summary header");
    free(b.data);
}

TEST_CASE(run_tables)
{
    kdb_buffer b = build(KDB_X64, 1);
    uint8_t *d = malloc(b.len);
    memcpy(d, b.data, b.len);
    pmm_put32(d + 0x88, 0xFFFFFFFFu);
    expect_refused(d, b.len, PMM_ERR_FORMAT, "claims 4294967295 physical memory runs");
    memcpy(d, b.data, b.len);
    pmm_put32(d + 0x88, 0x45474150u);   /* "PAGE": never filled in */
    expect_refused(d, b.len, PMM_ERR_FORMAT, "never filled in");
    memcpy(d, b.data, b.len);
    uint64_t first;
    memcpy(&first, d + 0x98, 8);
    pmm_put64(d + 0x98 + 16, first + 1);   /* the second run starts inside the first */
    expect_refused(d, b.len, PMM_ERR_FORMAT, "overlapping runs");
    memcpy(d, b.data, b.len);
    pmm_put64(d + 0x98 + 8, 0xFFFFFFFFFFFFFFFFull);   /* a run of 2^64 - 1 pages */
    expect_refused(d, b.len, PMM_ERR_FORMAT, "does not fit");
    memcpy(d, b.data, b.len);
    pmm_put64(d + 0x98 + 8, 0x100000);   /* a run longer than the file */
    expect_refused(d, b.len, PMM_ERR_FORMAT, "past the end of the file");
    free(d);
    free(b.data);
}

TEST_CASE(rdmp_headers)
{
    kdb_buffer b = build(KDB_X64, 8);
    uint8_t *d = malloc(b.len);
    memcpy(d, b.data, b.len);
    pmm_put64(d + 0x2010, 0x30);   /* MetadataSize no longer matches FirstPageOffset */
    expect_refused(d, b.len, PMM_ERR_FORMAT, "disagree");
    memcpy(d, b.data, b.len);
    pmm_put64(d + 0x2010, 0xFFFFFFFFFFFFFFF0ull);
    expect_refused(d, b.len, PMM_ERR_FORMAT, "disagree");
    memcpy(d, b.data, b.len);
    pmm_put64(d + 0x2038, 0x7FFFFFFF);   /* the first range claims 2^31 pages */
    expect_refused(d, b.len, PMM_ERR_FORMAT, "past the end of the file");
    memcpy(d, b.data, b.len);
    memcpy(d + 0x2004, "XDMP", 4);
    expect_refused(d, b.len, PMM_ERR_FORMAT, "needs an RDMP header");
    /* The second range overlaps the first. */
    memcpy(d, b.data, b.len);
    uint64_t first;
    memcpy(&first, d + 0x2030, 8);
    pmm_put64(d + 0x2040, first);
    expect_refused(d, b.len, PMM_ERR_FORMAT, "overlapping runs");
    free(d);
    free(b.data);
}

TEST_CASE(bitmaps)
{
    kdb_buffer b = build(KDB_X64, 5);
    uint8_t *d = malloc(b.len);
    memcpy(d, b.data, b.len);
    pmm_put64(d + 0x2030, 0xFFFFFFFFFFFFull);   /* the bitmap describes 2^48 pages */
    expect_refused(d, b.len, PMM_ERR_FORMAT, "more than 2^52 bytes");
    memcpy(d, b.data, b.len);
    pmm_put64(d + 0x2030, (uint64_t)b.len * 8 + 64);   /* its bits run past the end of the file */
    expect_refused(d, b.len, PMM_ERR_FORMAT, "past the end of the file");
    memcpy(d, b.data, b.len);
    pmm_put64(d + 0x2020, 0x2040);   /* the first page inside the bitmap */
    expect_refused(d, b.len, PMM_ERR_FORMAT, "inside the page bitmap");
    memcpy(d, b.data, b.len);
    memset(d + 0x2038, 0xFF, 0x100);   /* more pages marked present than the file holds */
    expect_refused(d, b.len, PMM_ERR_FORMAT, "the file holds only");
    memcpy(d, b.data, b.len);
    memcpy(d + 0x2000, "ABCD", 4);
    expect_refused(d, b.len, PMM_ERR_FORMAT, "needs an SDMP or FDMP bitmap header");
    /* A wrong present count is only a warning: the bits are what locate pages. */
    memcpy(d, b.data, b.len);
    pmm_put64(d + 0x2028, 12345);
    pmm_kdump *dump = NULL;
    char message[256];
    CHECK(pmm_kdump_open_memory(d, b.len, &dump, message, sizeof message) == PMM_OK);
    CHECK(dump && pmm_kdump_warning(dump, 0) && strstr(pmm_kdump_warning(dump, 0), "says 12345 pages"));
    pmm_kdump_close(dump);
    free(d);
    free(b.data);
}

TEST_CASE(headers)
{
    kdb_buffer b = build(KDB_X64, 1);
    uint8_t *d = malloc(b.len);
    memcpy(d, b.data, b.len);
    memcpy(d + 4, "DUMP", 4);   /* a 32-bit signature on a 64-bit header */
    expect_refused(d, b.len, PMM_ERR_FORMAT, "32-bit signature (PAGEDUMP) but its fields are laid out as in a 64-bit");
    memcpy(d, b.data, b.len);
    pmm_put32(d + 0xF98, 77);
    expect_refused(d, b.len, PMM_ERR_FORMAT, "unknown dump type 0x4d");
    memcpy(d, b.data, b.len);
    pmm_put32(d + 0xF98, 4);
    expect_refused(d, b.len, PMM_ERR_UNSUPPORTED, "triage dump");
    memcpy(d, b.data, b.len);
    pmm_put32(d + 0x30, 0x1C0);   /* ARM, not a kernel dump machine */
    expect_refused(d, b.len, PMM_ERR_FORMAT, "names machine 0x1c0");
    free(d);
    free(b.data);
    b = build(KDB_X86, 1);
    d = malloc(b.len);
    memcpy(d, b.data, b.len);
    memcpy(d + 4, "DU64", 4);   /* a 64-bit signature on a 32-bit header */
    expect_refused(d, b.len, PMM_ERR_FORMAT, "laid out as in a 32-bit header");
    memcpy(d, b.data, b.len);
    pmm_put32(d + 0xF88, 8);        /* a 32-bit KernelMemory dump does not exist */
    expect_refused(d, b.len, PMM_ERR_UNSUPPORTED, "32-bit kernel dump of type 8");
    free(d);
    free(b.data);
}

/* Found by fuzz_kdump: a dump that describes no page at all (no runs, no ranges) opens, holds
 * nothing, and reads nothing. */
TEST_CASE(dumps_without_pages)
{
    static const uint32_t types[] = {1, 0xA};
    for (size_t i = 0; i < 2; i++) {
        kdb_buffer b = build(KDB_X64, types[i]);
        if (types[i] == 1)
            pmm_put32(b.data + 0x88, 0);            /* NumberOfRuns */
        else
            pmm_put64(b.data + 0x2028, 0);          /* TotalNumberOfPages */
        pmm_kdump *dump = NULL;
        char message[256];
        uint8_t byte;
        CHECK(pmm_kdump_open_memory(b.data, b.len, &dump, message, sizeof message) == PMM_OK);
        pmm_kdump_memory_summary sum;
        pmm_kdump_memory_summary_of(dump, &sum);
        CHECK_EQ_U64(sum.present_pages, 0);
        CHECK_EQ_U64(pmm_kdump_read_physical(dump, 0x2100000, &byte, 1), 0);
        pmm_kdump_run run;
        CHECK_EQ_U64(pmm_kdump_runs(dump, 0, &run, 1), 0);
        pmm_kdump_close(dump);
        free(b.data);
    }
}

static pmm_kdump *open_machine(kdb *m, uint32_t type, kdb_buffer *buf)
{
    memset(buf, 0, sizeof *buf);
    if (kdb_write(m, type, kdb_sink_buffer(buf)) != 0)
        abort();
    pmm_kdump *dump = NULL;
    char message[256];
    CHECK(pmm_kdump_open_memory(buf->data, buf->len, &dump, message, sizeof message) == PMM_OK);
    return dump;
}

/* Every PML4 entry points back at the PML4: every walk still ends after four levels. */
TEST_CASE(page_tables_that_point_at_themselves)
{
    kdb *m = kdb_new(KDB_X64);
    uint64_t top = kdb_dtb(m);
    for (uint32_t i = 0; i < 512; i++)
        kdb_set_entry(m, (uint64_t)i << 39, 4, top | KDB_PRESENT | KDB_WRITE);
    kdb_buffer buf;
    pmm_kdump *dump = open_machine(m, 1, &buf);
    size_t present = 0;
    for (uint64_t i = 0; dump && i < 4096; i++) {
        uint64_t va = i * 0x9E3779B97F4A7C15ull;
        va = (va & 0x0000FFFFFFFFFFFFull) | (va & 0x0000800000000000ull ? 0xFFFF000000000000ull : 0);
        pmm_kdump_translation t;
        CHECK(pmm_kdump_translate(dump, 0, va, &t) == PMM_OK);
        CHECK(t.step_count <= 4);
        if (t.status == PMM_KDUMP_VA_PRESENT) {
            present++;
            CHECK_EQ_U64(t.physical & ~0xFFFull, top);
        }
    }
    CHECK_EQ_U64(present, 4096);   /* every address reaches the PML4 itself through four levels */
    pmm_kdump_close(dump);
    free(buf.data);
    kdb_free(m);
}

/* Entries that point outside the dump: at huge frames, and at frames the dump lacks. */
TEST_CASE(page_tables_outside_the_dump)
{
    kdb *m = kdb_new(KDB_X64);
    kdb_set_entry(m, 0xFFFFF80000000000ull, 4, 0x000FFFFFFFFFF000ull | KDB_PRESENT);
    kdb_set_entry(m, 0xFFFFF88000000000ull, 4, 0x123456000ull | KDB_PRESENT);
    kdb_buffer buf;
    pmm_kdump *dump = open_machine(m, 5, &buf);
    pmm_kdump_translation t;
    uint8_t byte;
    CHECK(dump && pmm_kdump_translate(dump, 0, 0xFFFFF80000001000ull, &t) == PMM_OK);
    CHECK_EQ_U64(t.status, PMM_KDUMP_VA_TABLE_NOT_IN_DUMP);
    CHECK_EQ_U64(t.step_count, 2);
    CHECK(pmm_kdump_translate(dump, 0, 0xFFFFF88000001000ull, &t) == PMM_OK);
    CHECK_EQ_U64(t.status, PMM_KDUMP_VA_TABLE_NOT_IN_DUMP);
    CHECK_EQ_U64(pmm_kdump_read_virtual(dump, 0, 0xFFFFF80000001000ull, &byte, 1, NULL), 0);
    /* A directory table base outside the dump, and one at the top of the physical address space. */
    CHECK(pmm_kdump_translate(dump, 0xFFFFFFFFFFFFF000ull, 0x1000, &t) == PMM_OK);
    CHECK_EQ_U64(t.status, PMM_KDUMP_VA_TABLE_NOT_IN_DUMP);
    CHECK(pmm_kdump_translate(dump, 0, 0x0000800000000000ull, &t) == PMM_OK);
    CHECK_EQ_U64(t.status, PMM_KDUMP_VA_NOT_CANONICAL);
    CHECK_EQ_U64(pmm_kdump_read_physical(dump, 0xFFFFFFFFFFFFFFF0ull, &byte, 1), 0);
    pmm_kdump_close(dump);
    free(buf.data);
    kdb_free(m);
}

static void write_pointer(kdb *m, uint64_t va, uint64_t value)
{
    kdb_write_virtual(m, va, &value, 8);
}

/* A module list whose third entry links back to the second, one that leaves the dump, one that ends
 * in a null link. */
TEST_CASE(module_lists_that_loop_or_break)
{
    static const struct {
        uint64_t third_flink;
        const char *problem;
    } cases[] = {
        {0xFFFFF80001000200ull, "cycles through entry"},
        {0xFFFFF8000DEAD000ull, "is not in the dump"},
        {0, "ends in a null link"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        kdb *m = kdb_new(KDB_X64);
        uint64_t head = 0xFFFFF80001000000ull;
        kdb_map_new(m, head, 0x1000, KDB_PRESENT | KDB_WRITE);
        write_pointer(m, head, head + 0x100);
        for (uint64_t e = 1; e <= 3; e++) {
            write_pointer(m, head + e * 0x100, e < 3 ? head + (e + 1) * 0x100 : cases[i].third_flink);
            write_pointer(m, head + e * 0x100 + 0x30, 0xFFFFF80002000000ull + e * 0x10000);
        }
        kdb_facts_of(m)->ps_loaded_module_list = head;
        kdb_buffer buf;
        pmm_kdump *dump = open_machine(m, 1, &buf);
        pmm_kdump_module *mods = NULL;
        size_t count = 0;
        char problem[256];
        CHECK(dump && pmm_kdump_modules(dump, &mods, &count, problem, sizeof problem) == PMM_OK);
        CHECK(count >= 3 && count <= 8);
        CHECK(strstr(problem, cases[i].problem) != NULL);
        free(mods);
        pmm_kdump_close(dump);
        free(buf.data);
        kdb_free(m);
    }
    /* A head outside the dump. */
    kdb *m = kdb_new(KDB_X64);
    kdb_facts_of(m)->ps_loaded_module_list = 0xFFFFF80001000000ull;
    kdb_buffer buf;
    pmm_kdump *dump = open_machine(m, 1, &buf);
    pmm_kdump_module *mods = NULL;
    size_t count = 0;
    char problem[256];
    CHECK(dump && pmm_kdump_modules(dump, &mods, &count, problem, sizeof problem) == PMM_ERR_READ);
    CHECK(strstr(problem, "not readable") != NULL);
    free(mods);
    pmm_kdump_close(dump);
    free(buf.data);
    kdb_free(m);
}

CHECK_MAIN(CASE(truncated_files), CASE(run_tables), CASE(rdmp_headers), CASE(bitmaps), CASE(headers),
           CASE(dumps_without_pages),
           CASE(page_tables_that_point_at_themselves), CASE(page_tables_outside_the_dump),
           CASE(module_lists_that_loop_or_break))
