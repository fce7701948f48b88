/* The address-space picture: layout (stretches, collapsed gaps, cell size, cell values), the
 * pixel <-> address mapping both ways, rendering, and the PNG and BMP encoders (the PNG decoded
 * here by hand: chunk CRCs, stored deflate blocks, Adler-32). ImageMagick reads real pictures in
 * tests/integration/test_picture.py. */
#include <stdlib.h>
#include "check.h"
#include "core/tools/image_write.h"
#include "core/tools/kind_colours.h"
#include "core/tools/map_picture.h"

static void add(pmm_map *map, uint64_t base, uint64_t size, uint32_t state, uint8_t kind)
{
    pmm_region_info info = {.base = base, .size = size, .alloc_base = state == PMM_MEM_FREE ? 0 : base,
                            .state = state, .type = state == PMM_MEM_FREE ? 0 : PMM_MEM_PRIVATE,
                            .protect = state == PMM_MEM_COMMIT ? PMM_PAGE_READWRITE : 0};
    CHECK(pmm_map_add_region(map, &info) == PMM_OK);
    map->regions[map->region_count - 1].kind = kind;
}

/* 64-bit: free 64 KiB | heap 1 MiB committed | free 3 MiB | stack 1 MiB reserved + 64 KiB committed |
 * free 64 GiB (collapsed) | image 2 MiB + 24 KiB at 0x1000000000 | free to the top (collapsed). */
static pmm_map *map64(void)
{
    pmm_map *map = pmm_map_new();
    map->target.pointer_size = 8;
    add(map, 0, 0x10000, PMM_MEM_FREE, PMM_KIND_FREE);
    add(map, 0x10000, 0x100000, PMM_MEM_COMMIT, PMM_KIND_HEAP);
    add(map, 0x110000, 0x300000, PMM_MEM_FREE, PMM_KIND_FREE);
    add(map, 0x410000, 0x100000, PMM_MEM_RESERVE, PMM_KIND_STACK);
    add(map, 0x510000, 0x10000, PMM_MEM_COMMIT, PMM_KIND_STACK);
    add(map, 0x520000, 0xFFFAE0000ull, PMM_MEM_FREE, PMM_KIND_FREE);
    add(map, 0x1000000000ull, 0x206000, PMM_MEM_COMMIT, PMM_KIND_IMAGE);
    add(map, 0x1000206000ull, 0x7FF000000000ull - 0x1000206000ull, PMM_MEM_FREE, PMM_KIND_FREE);
    CHECK(pmm_map_finish(map) == PMM_OK);
    return map;
}

static uint8_t cell_at(const pmm_picture *p, uint64_t addr)
{
    uint32_t x, y;
    uint64_t back;
    if (!pmm_picture_point_of(p, addr, &x, &y))
        return 0xEE;
    CHECK(pmm_picture_address_at(p, x + p->geometry.cell_px - 1, y + p->geometry.cell_px - 1, &back));
    CHECK_EQ_U64(back, addr & ~(p->cell_bytes - 1));
    const pmm_picture_stretch *s = NULL;
    for (size_t i = 0; i < p->stretch_count; i++)
        if (y >= p->stretches[i].y)
            s = &p->stretches[i];
    size_t row = s->first_row + (y - s->y) / p->geometry.cell_px;
    return p->cells[row * p->geometry.columns + x / p->geometry.cell_px];
}

TEST_CASE(sixty_four_bit_gaps_collapse)
{
    pmm_map *map = map64();
    pmm_picture_geometry g = {64, 1000, 2, 10};
    pmm_picture p;
    CHECK(pmm_picture_layout(map, &g, &p) == PMM_OK);
    CHECK_EQ_U64(p.stretch_count, 2);
    CHECK_EQ_U64(p.cell_bytes, PMM_PAGE_SIZE);    /* 5.3 MiB + 2 MiB fit in 1000 rows of 64 pages */
    CHECK_EQ_U64(p.stretches[0].start, 0);
    CHECK_EQ_U64(p.stretches[0].end, 0x520000);
    CHECK_EQ_U64(p.stretches[1].start, 0x1000000000ull);
    CHECK_EQ_U64(p.stretches[1].end, 0x1000206000ull);
    CHECK_EQ_U64(p.stretches[1].gap_before, 0xFFFAE0000ull);
    CHECK_EQ_U64(p.stretches[0].y, 10);
    CHECK_EQ_U64(p.stretches[0].rows, 21);     /* 1312 pages in rows of 64 */
    CHECK_EQ_U64(p.stretches[1].y, 10 + p.stretches[0].rows * 2 + 10);
    CHECK_EQ_U64(p.width, 128);
    CHECK_EQ_U64(cell_at(&p, 0x20000), PMM_KIND_HEAP);
    CHECK_EQ_U64(cell_at(&p, 0x200000), PMM_KIND_FREE);
    CHECK_EQ_U64(cell_at(&p, 0x420000), PMM_KIND_STACK | PMM_CELL_RESERVED);
    CHECK_EQ_U64(cell_at(&p, 0x515000), PMM_KIND_STACK);
    CHECK_EQ_U64(cell_at(&p, 0x1000205000ull), PMM_KIND_IMAGE);
    uint32_t x, y;
    CHECK(!pmm_picture_point_of(&p, 0x800000000ull, &x, &y));   /* inside the collapsed gap */
    uint64_t addr;
    CHECK(!pmm_picture_address_at(&p, 0, 0, &addr));             /* the first band */
    /* The image stretch is 0x206 pages = 8 rows + 6 cells; past them is nothing. */
    CHECK(!pmm_picture_address_at(&p, 6 * 2, p.stretches[1].y + 8 * 2, &addr));
    CHECK(pmm_picture_address_at(&p, 5 * 2, p.stretches[1].y + 8 * 2, &addr));
    pmm_picture_free(&p);
    pmm_map_free(map);
}

TEST_CASE(cells_grow_until_the_map_fits)
{
    pmm_map *map = map64();
    pmm_picture_geometry g = {16, 20, 1, 0};
    pmm_picture p;
    CHECK(pmm_picture_layout(map, &g, &p) == PMM_OK);
    CHECK(p.rows <= 20);
    CHECK_EQ_U64(p.cell_bytes, 0x8000);   /* 32 KiB cells: 164 + 65 cells in 11 + 5 rows of 16 */
    CHECK_EQ_U64(cell_at(&p, 0x10000), PMM_KIND_HEAP);
    /* The last cell holds 24 KiB of image and 8 KiB of free space: the type covering most wins. */
    CHECK_EQ_U64(cell_at(&p, 0x1000200000ull), PMM_KIND_IMAGE);
    pmm_picture_free(&p);
    pmm_picture_geometry bad = {0, 20, 1, 0};
    CHECK(pmm_picture_layout(map, &bad, &p) == PMM_ERR_ARG);
    pmm_map_free(map);
}

TEST_CASE(thirty_two_bit_space_is_drawn_whole)
{
    pmm_map *map = pmm_map_new();
    map->target.pointer_size = 4;
    add(map, 0, 0x10000, PMM_MEM_FREE, PMM_KIND_FREE);
    add(map, 0x10000, 0x10000, PMM_MEM_COMMIT, PMM_KIND_PRIVATE);
    add(map, 0x20000, 0x7FFD0000, PMM_MEM_FREE, PMM_KIND_FREE);
    add(map, 0x7FFF0000, 0x10000, PMM_MEM_COMMIT, PMM_KIND_SYSTEM);
    CHECK(pmm_map_finish(map) == PMM_OK);
    pmm_picture_geometry g = {256, 512, 3, 14};
    pmm_picture p;
    CHECK(pmm_picture_layout(map, &g, &p) == PMM_OK);
    CHECK_EQ_U64(p.stretch_count, 1);
    CHECK_EQ_U64(p.stretches[0].end, 0x80000000ull);
    CHECK_EQ_U64(p.cell_bytes, 0x4000);    /* 2 GiB / (256 x 512) = 16 KiB */
    CHECK_EQ_U64(cell_at(&p, 0x7FFF8000), PMM_KIND_SYSTEM);
    CHECK_EQ_U64(cell_at(&p, 0x40000000), PMM_KIND_FREE);

    pmm_rgb_image img;
    CHECK(pmm_picture_render(&p, 1, &img) == PMM_OK);
    uint32_t x, y;
    CHECK(pmm_picture_point_of(&p, 0x10000, &x, &y));
    const uint8_t *px = img.pixels + ((size_t)(y + 1) * img.width + x + 1) * 3;
    uint32_t rgb = (uint32_t)px[0] << 16 | (uint32_t)px[1] << 8 | px[2];
    CHECK_EQ_U64(rgb, pmm_kind_rgb(PMM_KIND_PRIVATE));
    CHECK_EQ_U64(img.pixels[0], PMM_PICTURE_BAND_RGB >> 16);    /* band, left of the label */
    free(img.pixels);
    pmm_picture_free(&p);
    pmm_map_free(map);
}

TEST_CASE(checksums_match_their_standards)
{
    CHECK_EQ_U64(pmm_crc32(0, (const uint8_t *)"123456789", 9), 0xCBF43926u);
    CHECK_EQ_U64(pmm_adler32(1, (const uint8_t *)"Wikipedia", 9), 0x11E60398u);
    CHECK_EQ_U64(pmm_crc32(pmm_crc32(0, (const uint8_t *)"1234", 4), (const uint8_t *)"56789", 5), 0xCBF43926u);
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Reads our PNG back: checks every chunk's CRC, unpacks the stored blocks, checks Adler-32 and
 * returns the raw scanlines (filter byte + row). */
static uint8_t *unpack_png(const uint8_t *data, size_t size, uint32_t *w, uint32_t *h, size_t *raw_size)
{
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    CHECK(size > 8 && memcmp(data, sig, 8) == 0);
    uint8_t *raw = malloc(size);
    size_t used = 0, at = 8;
    int ended = 0;
    while (at + 12 <= size && !ended) {
        uint32_t len = be32(data + at);
        const uint8_t *type = data + at + 4, *body = data + at + 8;
        CHECK_EQ_U64(be32(body + len), pmm_crc32(0, type, len + 4));
        if (memcmp(type, "IHDR", 4) == 0) {
            *w = be32(body);
            *h = be32(body + 4);
            CHECK(body[8] == 8 && body[9] == 2);
        } else if (memcmp(type, "IDAT", 4) == 0) {
            CHECK(body[0] == 0x78 && (body[0] * 256 + body[1]) % 31 == 0);
            size_t p = 2;
            int final = 0;
            while (!final) {
                final = body[p] & 1;
                CHECK((body[p] >> 1) == 0);   /* BTYPE 00: stored */
                uint16_t n = (uint16_t)(body[p + 1] | body[p + 2] << 8);
                uint16_t nn = (uint16_t)(body[p + 3] | body[p + 4] << 8);
                CHECK_EQ_U64((uint16_t)~n, nn);
                memcpy(raw + used, body + p + 5, n);
                used += n;
                p += 5 + n;
            }
            CHECK_EQ_U64(be32(body + p), pmm_adler32(1, raw, used));
            CHECK_EQ_U64(p + 4, len);
        } else if (memcmp(type, "IEND", 4) == 0) {
            ended = 1;
        }
        at += 12 + len;
    }
    CHECK(ended && at == size);
    *raw_size = used;
    return raw;
}

static pmm_rgb_image test_image(uint32_t w, uint32_t h)
{
    pmm_rgb_image img = {w, h, malloc((size_t)w * h * 3)};
    for (size_t i = 0; i < (size_t)w * h * 3; i++)
        img.pixels[i] = (uint8_t)(i * 7 + i / 3);
    return img;
}

TEST_CASE(png_holds_the_pixels)
{
    /* 200 x 120 pixels: 72,120 bytes of scanlines, so two stored blocks. */
    pmm_rgb_image img = test_image(200, 120);
    uint8_t *png;
    size_t size, raw_size;
    uint32_t w = 0, h = 0;
    CHECK(pmm_png_encode(&img, &png, &size) == PMM_OK);
    uint8_t *raw = unpack_png(png, size, &w, &h, &raw_size);
    CHECK(w == 200 && h == 120 && raw_size == (200 * 3 + 1) * 120);
    int same = 1;
    for (uint32_t y = 0; y < h && raw_size == (200 * 3 + 1) * 120; y++)
        same &= raw[y * 601] == 0 && memcmp(raw + y * 601 + 1, img.pixels + y * 600, 600) == 0;
    CHECK(same);
    free(raw);
    free(png);
    pmm_rgb_image empty = {0, 5, img.pixels};
    CHECK(pmm_png_encode(&empty, &png, &size) == PMM_ERR_LIMIT);
    free(img.pixels);
}

TEST_CASE(bmp_rows_are_bottom_up_bgr_and_padded)
{
    pmm_rgb_image img = test_image(5, 3);   /* 15 bytes a row, padded to 16 */
    uint8_t *bmp;
    size_t size;
    CHECK(pmm_bmp_encode(&img, &bmp, &size) == PMM_OK);
    CHECK_EQ_U64(size, 14 + 40 + 16 * 3);
    CHECK(bmp[0] == 'B' && bmp[1] == 'M' && bmp[10] == 54 && bmp[28] == 24);
    const uint8_t *bottom_row = bmp + 54, *top_pixel_src = img.pixels + 2 * 15;
    CHECK(bottom_row[0] == top_pixel_src[2] && bottom_row[1] == top_pixel_src[1] && bottom_row[2] == top_pixel_src[0]);
    CHECK(bmp[54 + 15] == 0);
    free(bmp);
    free(img.pixels);
}

CHECK_MAIN(CASE(sixty_four_bit_gaps_collapse), CASE(cells_grow_until_the_map_fits),
           CASE(thirty_two_bit_space_is_drawn_whole), CASE(checksums_match_their_standards),
           CASE(png_holds_the_pixels), CASE(bmp_rows_are_bottom_up_bgr_and_padded))
