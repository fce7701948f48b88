/* Draws a laid-out picture into RGB pixels: each cell a cell_px square in its type's colour, each
 * stretch's band dark with the stretch's start address written in a 3x5 pixel font. */
#include "map_picture.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

/* Rows of 3 pixels, top to bottom, for the characters an address needs. */
static const uint8_t glyphs[17][5] = {
    {7, 5, 5, 5, 7}, {2, 6, 2, 2, 7}, {7, 1, 7, 4, 7}, {7, 1, 7, 1, 7}, {5, 5, 7, 1, 1}, {7, 4, 7, 1, 7},
    {7, 4, 7, 5, 7}, {7, 1, 1, 1, 1}, {7, 5, 7, 5, 7}, {7, 5, 7, 1, 7}, {2, 5, 7, 5, 5}, {6, 5, 6, 5, 6},
    {3, 4, 4, 4, 3}, {6, 5, 5, 5, 6}, {7, 4, 6, 4, 7}, {7, 4, 6, 4, 4}, {0, 5, 2, 5, 0},
};

static int glyph_index(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return c == 'x' ? 16 : -1;
}

static void put_pixel(const pmm_rgb_image *img, uint32_t x, uint32_t y, uint32_t rgb)
{
    if (x >= img->width || y >= img->height)
        return;
    uint8_t *p = img->pixels + ((size_t)y * img->width + x) * 3;
    p[0] = (uint8_t)(rgb >> 16);
    p[1] = (uint8_t)(rgb >> 8);
    p[2] = (uint8_t)rgb;
}

static void fill_rect(const pmm_rgb_image *img, uint32_t x, uint32_t y, uint32_t w, uint32_t h, uint32_t rgb)
{
    for (uint32_t j = 0; j < h; j++)
        for (uint32_t i = 0; i < w; i++)
            put_pixel(img, x + i, y + j, rgb);
}

/* Text at (x, y) with each font pixel drawn as a scale x scale square. */
static void draw_text(const pmm_rgb_image *img, uint32_t x, uint32_t y, uint32_t scale, const char *text)
{
    for (; *text; text++, x += 4 * scale) {
        int g = glyph_index(*text);
        for (uint32_t row = 0; g >= 0 && row < 5; row++)
            for (uint32_t col = 0; col < 3; col++)
                if (glyphs[g][row] & (4u >> col))
                    fill_rect(img, x + col * scale, y + row * scale, scale, scale, PMM_PICTURE_LABEL_RGB);
    }
}

static void draw_band(const pmm_picture *p, const pmm_picture_stretch *s, int labels, const pmm_rgb_image *img)
{
    uint32_t band = p->geometry.label_px;
    if (!band)
        return;
    fill_rect(img, 0, s->y - band, img->width, band, PMM_PICTURE_BAND_RGB);
    uint32_t scale = band >= 14 ? 2 : 1;
    if (labels && band >= 5 * scale + 2) {
        char text[24];
        snprintf(text, sizeof text, "0x%" PRIx64, s->start);
        draw_text(img, 3 * scale, s->y - band + (band - 5 * scale) / 2, scale, text);
    }
}

pmm_status pmm_picture_render(const pmm_picture *p, int labels, pmm_rgb_image *image)
{
    const pmm_picture_geometry *g = &p->geometry;
    image->width = p->width;
    image->height = p->height;
    image->pixels = NULL;
    if (!p->width || !p->height)
        return PMM_ERR_LIMIT;
    image->pixels = malloc((size_t)p->width * p->height * 3);
    if (!image->pixels)
        return PMM_ERR_NOMEM;
    for (size_t i = 0; i < p->stretch_count; i++) {
        const pmm_picture_stretch *s = &p->stretches[i];
        draw_band(p, s, labels, image);
        for (uint32_t row = 0; row < s->rows; row++) {
            const uint8_t *cells = p->cells + (size_t)(s->first_row + row) * g->columns;
            for (uint32_t col = 0; col < g->columns; col++)
                fill_rect(image, col * g->cell_px, s->y + row * g->cell_px, g->cell_px, g->cell_px,
                          pmm_picture_cell_rgb(cells[col]));
        }
    }
    return PMM_OK;
}
