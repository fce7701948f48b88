/* The address space as a picture, as in VMMap's Fragmentation view: rows of cells, each cell a
 * page or a larger power-of-two block chosen so the whole picture fits, coloured by the type of
 * the region covering most of it (reserved space paler, free space grey). A 64-bit space is drawn
 * as its allocated stretches: a free or reserved gap of a quarter of the committed memory or more
 * (and at least PMM_PICTURE_MIN_GAP) is collapsed into a band that names the next stretch's
 * address. Used by the GUI's Fragmentation view and by `pmm map --picture`. */
#ifndef PMM_MAP_PICTURE_H
#define PMM_MAP_PICTURE_H

#include "image_write.h"
#include "../model/map.h"
#include "../util/json_writer.h"

#define PMM_PICTURE_MIN_GAP (16ull << 20)

/* A cell holds a pmm_region_kind, with PMM_CELL_RESERVED added for reserved memory;
 * PMM_CELL_NONE past the end of a stretch. */
enum { PMM_CELL_RESERVED = 0x40, PMM_CELL_NONE = 0xFF };

typedef struct pmm_picture_stretch {
    uint64_t start, end;         /* cell-aligned addresses drawn */
    uint64_t gap_before;         /* bytes collapsed just before start (0 for the first stretch) */
    uint32_t first_row, rows;    /* cell rows */
    uint32_t y;                  /* pixel row of its first cells (its label band is just above) */
} pmm_picture_stretch;

typedef struct pmm_picture_geometry {
    uint32_t columns;            /* cells per row */
    uint32_t max_rows;           /* cell rows that fit; the cell size grows until the map fits */
    uint32_t cell_px;            /* a cell's side in pixels */
    uint32_t label_px;           /* height of the band above each stretch */
} pmm_picture_geometry;

typedef struct pmm_picture {
    pmm_picture_geometry geometry;
    uint64_t cell_bytes;
    uint32_t rows;
    uint32_t width, height;      /* pixels */
    pmm_picture_stretch *stretches;
    size_t stretch_count;
    uint8_t *cells;              /* rows * columns */
} pmm_picture;

/* Lays out a finished map. PMM_ERR_ARG for a zero geometry, PMM_ERR_LIMIT when it cannot fit. */
pmm_status pmm_picture_layout(const pmm_map *map, const pmm_picture_geometry *geometry, pmm_picture *out);
void pmm_picture_free(pmm_picture *picture);

/* The address of the cell under pixel (x, y); 0 when the pixel is in a band or past the end. */
int pmm_picture_address_at(const pmm_picture *picture, uint32_t x, uint32_t y, uint64_t *addr);
/* The region that gave the cell holding addr its colour (the one covering most of it); PMM_NO_INDEX
 * when none. map must be the map the picture was laid out from. */
size_t pmm_picture_region_at(const pmm_picture *picture, const pmm_map *map, uint64_t addr);
/* The top-left pixel of the cell holding addr; 0 when addr was not drawn (a collapsed gap). */
int pmm_picture_point_of(const pmm_picture *picture, uint64_t addr, uint32_t *x, uint32_t *y);

/* The colour of a cell value as 0xRRGGBB (the type colours in the README), and of the bands. */
uint32_t pmm_picture_cell_rgb(uint8_t cell);
#define PMM_PICTURE_BAND_RGB 0x404040u
#define PMM_PICTURE_LABEL_RGB 0xFFFFFFu

/* Draws the cells and bands into image (allocated here; free image->pixels). With labels, each
 * band carries its stretch's start address in a small built-in font. */
pmm_status pmm_picture_render(const pmm_picture *picture, int labels, pmm_rgb_image *image);

/* Non-zero when path ends in .png or .bmp (either case). */
int pmm_picture_format_known(const char *path);
/* Renders with labels and writes PNG or BMP by path's extension, all or nothing (util/temp_file.h).
 * PMM_ERR_ARG for any other extension; message says what failed. */
pmm_status pmm_picture_save(const pmm_picture *picture, const char *path, char *message, size_t message_cap);
/* The layout as "pmm-picture" JSON (README): size, cell bytes, each stretch's address range and
 * pixel row, and the colour of each type. */
void pmm_picture_write_json(const pmm_picture *picture, const char *path, pmm_out *out);

#endif
