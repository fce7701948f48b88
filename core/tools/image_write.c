/* PNG (RFC 2083 / ISO 15948) and BMP (BITMAPINFOHEADER, 24 bits) written byte by byte. The PNG's
 * image data is a zlib stream (RFC 1950) of stored deflate blocks (RFC 1951, BTYPE 00): no
 * compression, but valid, and small enough code to check by eye. */
#include "image_write.h"

#include <stdlib.h>
#include <string.h>
#include "../util/endian.h"

#define STORED_BLOCK_MAX 65535u
#define MAX_FILE ((uint64_t)0xFFFFFFFFu)

typedef struct byte_sink {
    uint8_t *data;
    size_t used;
} byte_sink;

static void put_bytes(byte_sink *s, const void *bytes, size_t len)
{
    memcpy(s->data + s->used, bytes, len);
    s->used += len;
}

static void put_u8(byte_sink *s, uint8_t v)
{
    s->data[s->used++] = v;
}

static void put_be32(byte_sink *s, uint32_t v)
{
    const uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    put_bytes(s, b, 4);
}

static void put_le16(byte_sink *s, uint16_t v)
{
    pmm_put16(s->data + s->used, v);
    s->used += 2;
}

static void put_le32(byte_sink *s, uint32_t v)
{
    pmm_put32(s->data + s->used, v);
    s->used += 4;
}

uint32_t pmm_crc32(uint32_t crc, const uint8_t *data, size_t len)
{
    /* The reflected polynomial 0xEDB88320, four bits at a time. */
    static const uint32_t nibble[16] = {
        0x00000000, 0x1DB71064, 0x3B6E20C8, 0x26D930AC, 0x76DC4190, 0x6B6B51F4, 0x4DB26158, 0x5005713C,
        0xEDB88320, 0xF00F9344, 0xD6D6A3E8, 0xCB61B38C, 0x9B64C2B0, 0x86D3D2D4, 0xA00AE278, 0xBDBDF21C,
    };
    crc = ~crc;
    for (size_t i = 0; i < len; i++) {
        crc ^= data[i];
        crc = (crc >> 4) ^ nibble[crc & 15];
        crc = (crc >> 4) ^ nibble[crc & 15];
    }
    return ~crc;
}

uint32_t pmm_adler32(uint32_t adler, const uint8_t *data, size_t len)
{
    uint32_t a = adler & 0xFFFF, b = adler >> 16;
    while (len) {
        size_t n = len < 5552 ? len : 5552;   /* the most bytes before b can overflow 32 bits */
        len -= n;
        while (n--) {
            a += *data++;
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    return b << 16 | a;
}

/* A chunk: length, type, data, CRC of type and data. */
static void put_chunk(byte_sink *s, const char type[4], const uint8_t *data, size_t len)
{
    size_t start = s->used;
    put_be32(s, (uint32_t)len);
    put_bytes(s, type, 4);
    if (len)
        put_bytes(s, data, len);
    put_be32(s, pmm_crc32(0, s->data + start + 4, len + 4));
}

/* The filtered scanlines (filter byte 0, then the row) wrapped in a zlib stream of stored blocks. */
static void put_zlib_stored(byte_sink *s, const pmm_rgb_image *image)
{
    size_t row = (size_t)image->width * 3, raw_size = (row + 1) * image->height;
    uint32_t adler = 1;
    size_t done = 0, y = 0, x = 0;   /* position in the raw stream: row y, byte x (0 = filter byte) */
    put_u8(s, 0x78);   /* deflate, 32 KiB window */
    put_u8(s, 0x01);   /* no preset dictionary, fastest; 0x7801 is a multiple of 31 */
    do {
        size_t block = raw_size - done < STORED_BLOCK_MAX ? raw_size - done : STORED_BLOCK_MAX;
        put_u8(s, done + block == raw_size ? 1 : 0);   /* BFINAL, BTYPE 00 */
        put_le16(s, (uint16_t)block);
        put_le16(s, (uint16_t)~block);
        for (size_t left = block; left;) {
            uint8_t *at = s->data + s->used;
            size_t n;
            if (x == 0) {
                put_u8(s, 0);
                n = 1;
            } else {
                n = row + 1 - x < left ? row + 1 - x : left;
                put_bytes(s, image->pixels + y * row + (x - 1), n);
            }
            adler = pmm_adler32(adler, at, n);
            left -= n;
            x += n;
            if (x == row + 1) {
                x = 0;
                y++;
            }
        }
        done += block;
    } while (done < raw_size);
    put_be32(s, adler);
}

pmm_status pmm_png_encode(const pmm_rgb_image *image, uint8_t **out, size_t *size)
{
    *out = NULL;
    *size = 0;
    uint64_t raw = ((uint64_t)image->width * 3 + 1) * image->height;
    uint64_t blocks = raw / STORED_BLOCK_MAX + 1;
    uint64_t zlib = 2 + raw + 5 * blocks + 4;
    uint64_t total = 8 + 25 + (12 + zlib) + 12;
    if (image->width == 0 || image->height == 0 || zlib > MAX_FILE || total > MAX_FILE)
        return PMM_ERR_LIMIT;
    byte_sink s = {malloc((size_t)total), 0};
    if (!s.data)
        return PMM_ERR_NOMEM;
    static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    put_bytes(&s, signature, 8);
    uint8_t ihdr[13];
    byte_sink h = {ihdr, 0};
    put_be32(&h, image->width);
    put_be32(&h, image->height);
    put_u8(&h, 8);   /* bits per sample */
    put_u8(&h, 2);   /* colour type: RGB */
    put_u8(&h, 0);   /* compression: deflate */
    put_u8(&h, 0);   /* filter method 0 */
    put_u8(&h, 0);   /* no interlace */
    put_chunk(&s, "IHDR", ihdr, sizeof ihdr);
    /* IDAT by hand: its data is written in place rather than copied from a second buffer. */
    size_t idat = s.used;
    put_be32(&s, (uint32_t)zlib);
    put_bytes(&s, "IDAT", 4);
    put_zlib_stored(&s, image);
    put_be32(&s, pmm_crc32(0, s.data + idat + 4, (size_t)zlib + 4));
    put_chunk(&s, "IEND", NULL, 0);
    *out = s.data;
    *size = s.used;
    return PMM_OK;
}

pmm_status pmm_bmp_encode(const pmm_rgb_image *image, uint8_t **out, size_t *size)
{
    *out = NULL;
    *size = 0;
    uint64_t stride = ((uint64_t)image->width * 3 + 3) & ~(uint64_t)3;
    uint64_t total = 14 + 40 + stride * image->height;
    if (image->width == 0 || image->height == 0 || image->width > 0x7FFFFFFF || image->height > 0x7FFFFFFF ||
        total > MAX_FILE)
        return PMM_ERR_LIMIT;
    byte_sink s = {calloc(1, (size_t)total), 0};
    if (!s.data)
        return PMM_ERR_NOMEM;
    put_bytes(&s, "BM", 2);
    put_le32(&s, (uint32_t)total);
    put_le32(&s, 0);
    put_le32(&s, 14 + 40);          /* pixel data offset */
    put_le32(&s, 40);               /* BITMAPINFOHEADER */
    put_le32(&s, image->width);
    put_le32(&s, image->height);    /* positive: rows bottom-up */
    put_le16(&s, 1);                /* planes */
    put_le16(&s, 24);               /* bits per pixel: blue, green, red */
    put_le32(&s, 0);                /* BI_RGB */
    put_le32(&s, (uint32_t)(stride * image->height));
    put_le32(&s, 2835);             /* 72 dpi, in pixels per metre */
    put_le32(&s, 2835);
    put_le32(&s, 0);
    put_le32(&s, 0);
    for (uint32_t y = image->height; y-- > 0;) {
        const uint8_t *src = image->pixels + (size_t)y * image->width * 3;
        uint8_t *dst = s.data + s.used;
        for (uint32_t x = 0; x < image->width; x++) {
            dst[3 * x] = src[3 * x + 2];
            dst[3 * x + 1] = src[3 * x + 1];
            dst[3 * x + 2] = src[3 * x];
        }
        s.used += (size_t)stride;   /* the padding stays zero (calloc) */
    }
    *out = s.data;
    *size = s.used;
    return PMM_OK;
}
