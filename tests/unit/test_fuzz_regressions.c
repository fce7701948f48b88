/* Inputs the libFuzzer harnesses (tests/fuzz) found, fed to the parser that misbehaved, so a fix
 * stays fixed. Saved inputs live in tests/unit/fuzz_regressions/ (PMM_FUZZ_REGRESSIONS_DIR). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "check.h"
#include "core/util/endian.h"
#include "core/formats/pe.h"
#include "core/source/buffer_source.h"
#include "core/tools/pe_output.h"

static uint8_t *read_input(const char *name, size_t *size)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", PMM_FUZZ_REGRESSIONS_DIR, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *data = malloc(1u << 20);
    *size = data ? fread(data, 1, 1u << 20, f) : 0;
    fclose(f);
    return data;
}


/* A PE32 file whose resource root declares 0x1FFFE entries of which only the first `readable`
 * fit in the section: each readable one points back at the root. Every directory the walk enters
 * then costs 0x1FFFE entry reads while adding only `readable` nodes, so the node cap never stops
 * it: 30 readable entries meant 931 directories, 122 million reads (fuzz_pe's 19 s slow unit). */
#define RSRC_FILE_OFFSET 0x200u
static size_t build_resource_loop(uint8_t *file, uint32_t readable)
{
    uint32_t section = 16 + readable * 8;
    memset(file, 0, RSRC_FILE_OFFSET + section);
    file[0] = 'M';
    file[1] = 'Z';
    pmm_put32(file + 0x3c, 0x40);
    memcpy(file + 0x40, "PE\0\0", 4);
    uint8_t *fh = file + 0x44, *oh = file + 0x58;
    pmm_put16(fh + 0, 0x14c);            /* i386 */
    pmm_put16(fh + 2, 1);                /* one section */
    pmm_put16(fh + 16, 0xe0);            /* SizeOfOptionalHeader */
    pmm_put16(fh + 18, 0x2102);          /* executable, 32-bit, DLL */
    pmm_put16(oh + 0, 0x10b);            /* PE32 */
    pmm_put32(oh + 28, 0x10000000);      /* ImageBase */
    pmm_put32(oh + 32, 0x1000);          /* SectionAlignment */
    pmm_put32(oh + 36, 0x200);           /* FileAlignment */
    pmm_put32(oh + 56, 0x2000);          /* SizeOfImage */
    pmm_put32(oh + 60, 0x200);           /* SizeOfHeaders */
    pmm_put32(oh + 92, 16);              /* NumberOfRvaAndSizes */
    pmm_put32(oh + 96 + 2 * 8, 0x1000);  /* resource directory: RVA, size */
    pmm_put32(oh + 96 + 2 * 8 + 4, section);
    uint8_t *sh = oh + 0xe0;
    memcpy(sh, ".rsrc\0\0\0", 8);
    pmm_put32(sh + 8, section);          /* VirtualSize */
    pmm_put32(sh + 12, 0x1000);          /* VirtualAddress */
    pmm_put32(sh + 16, section);         /* SizeOfRawData */
    pmm_put32(sh + 20, RSRC_FILE_OFFSET);
    pmm_put32(sh + 36, 0x40000040);      /* initialized data, readable */
    uint8_t *root = file + RSRC_FILE_OFFSET;
    pmm_put16(root + 12, 0xFFFF);        /* named entries */
    pmm_put16(root + 14, 0xFFFF);        /* id entries */
    for (uint32_t i = 0; i < readable; i++) {
        pmm_put32(root + 16 + i * 8, i + 1);             /* id */
        pmm_put32(root + 16 + i * 8 + 4, 0x80000000u);   /* a subdirectory: the root again */
    }
    return RSRC_FILE_OFFSET + section;
}

TEST_CASE(resource_walk_is_bounded_by_entries_read)
{
    static uint8_t file[0x400];
    size_t size = build_resource_loop(file, 30);
    pmm_source src;
    pe_image img;
    CHECK_EQ_U64(pmm_buffer_source_open(file, size, 0, &src), PMM_OK);
    CHECK_EQ_U64(pe_open(&src, 0, PE_LAYOUT_FILE, &img), PMM_OK);
    pe_resources rs;
    clock_t started = clock();
    CHECK_EQ_U64(pe_read_resources(&img, &rs), PMM_OK);
    double seconds = (double)(clock() - started) / CLOCKS_PER_SEC;
    /* The whole tree would be 30 + 900 + 27000 nodes after 122M reads; the walk stops after
     * 4 x 65536 entries, with the tree cut short and flagged. */
    CHECK(rs.truncated);
    CHECK(rs.count > 30 && rs.count < 30 + 900 + 27000);
    printf("  resource loop: %zu nodes, truncated, %.2f s\n", rs.count, seconds);
    pe_resources_free(&rs);
    pe_close(&img);
    pmm_source_close(&src);
}

/* fuzz_pe's slow unit itself, through the harness's file-layout path (both writers). */
TEST_CASE(fuzz_pe_slow_resource_unit)
{
    size_t size;
    uint8_t *data = read_input("pe_resource_walk_slow.bin", &size);
    CHECK(data != NULL);
    if (!data)
        return;
    pmm_source src;
    pe_image img;
    clock_t started = clock();
    CHECK_EQ_U64(pmm_buffer_source_open(data, size, 0, &src), PMM_OK);
    if (pe_open(&src, 0, PE_LAYOUT_FILE, &img) == PMM_OK) {
        pe_resources rs;
        if (pe_read_resources(&img, &rs) == PMM_OK) {
            printf("  slow unit: %zu resource nodes, truncated %u\n", rs.count, rs.truncated);
            pe_resources_free(&rs);
        }
        pmm_out out = pmm_out_null();
        pmm_pe_output_options options = {1, 0, 0, NULL};
        pmm_pe_write_json(&img, "fuzz", &options, &out);
        pmm_pe_write_text(&img, "fuzz", &options, &out);
        pe_close(&img);
    }
    pmm_source_close(&src);
    double seconds = (double)(clock() - started) / CLOCKS_PER_SEC;
    printf("  slow unit: %.2f s of CPU (19 s before the fix)\n", seconds);
    free(data);
}

CHECK_MAIN(CASE(resource_walk_is_bounded_by_entries_read), CASE(fuzz_pe_slow_resource_unit))
