/* Pictures as files: PNG and BMP encoders of our own (no zlib: a PNG's deflate stream may consist
 * of stored blocks, which every reader accepts), for `pmm map --picture`. */
#ifndef PMM_IMAGE_WRITE_H
#define PMM_IMAGE_WRITE_H

#include <stddef.h>
#include <stdint.h>
#include "../util/status.h"

/* An image of width x height pixels, 3 bytes each (red, green, blue), rows top to bottom. */
typedef struct pmm_rgb_image {
    uint32_t width, height;
    uint8_t *pixels;
} pmm_rgb_image;

/* Encode into a malloc'd buffer the caller frees. PMM_ERR_LIMIT when the image is empty or its
 * file would not fit in 4 GiB. */
pmm_status pmm_png_encode(const pmm_rgb_image *image, uint8_t **out, size_t *size);
pmm_status pmm_bmp_encode(const pmm_rgb_image *image, uint8_t **out, size_t *size);

/* CRC-32 (ISO 3309, as PNG and zip use) and Adler-32 (zlib) of a buffer, continued from crc/adler. */
uint32_t pmm_crc32(uint32_t crc, const uint8_t *data, size_t len);
uint32_t pmm_adler32(uint32_t adler, const uint8_t *data, size_t len);

#endif
