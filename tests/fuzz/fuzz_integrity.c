/* libFuzzer harness for the integrity scan: the input is the image file on disk (served from memory
 * through the scan's open_file hook) and, laid out by a naive loader or copied flat, the image in a
 * fake process at a base the file does not prefer. Hostile headers, relocations, import, export and
 * TLS tables, sections past the file, and memory that matches nothing all go through the whole
 * scan and both writers. Any crash, hang or sanitizer report is a bug. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/analyzers/scan.h"
#include "core/source/buffer_source.h"
#include "core/tools/integrity.h"
#include "fake_source.h"

#define BASE 0x10000000ull
#define MAX_IMAGE 0x400000u   /* the fake image's size is the fuzzer's choice, within this */

typedef struct input {
    const uint8_t *data;
    size_t size;
} input;

static pmm_status open_input(void *ctx, const char *path, pmm_source *out)
{
    const input *in = ctx;
    (void)path;
    return pmm_buffer_source_open(in->data, in->size, 0, out);
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Headers and sections where the section table says, each copy bounded by both buffers. */
static void lay_out(const uint8_t *f, size_t n, uint8_t *image, size_t image_size)
{
    memcpy(image, f, n < 0x1000 ? (n < image_size ? n : image_size) : 0x1000);
    if (n < 0x40)
        return;
    uint32_t nt = le32(f + 0x3c);
    if (nt > n || n - nt < 24)
        return;
    uint32_t count = (uint32_t)(f[nt + 6] | f[nt + 7] << 8), table = nt + 24 + (uint32_t)(f[nt + 20] | f[nt + 21] << 8);
    for (uint32_t i = 0; i < count && i < 96 && table + 40ull * (i + 1) <= n; i++) {
        const uint8_t *s = f + table + 40 * i;
        uint32_t va = le32(s + 12), raw = le32(s + 16), off = le32(s + 20);
        if (off >= n || va >= image_size)
            continue;
        size_t len = raw;
        if (len > n - off)
            len = n - off;
        if (len > image_size - va)
            len = image_size - va;
        memcpy(image + va, f + off, len);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    input in = {data, size};
    size_t image_size = ((size + 0xFFF) & ~(size_t)0xFFF);
    if (image_size > MAX_IMAGE)
        image_size = MAX_IMAGE;
    fake_source fake;
    memset(&fake, 0, sizeof fake);
    uint8_t *image = fake_add(&fake, BASE, image_size, BASE, PMM_MEM_COMMIT, PMM_MEM_IMAGE, PMM_PAGE_EXECUTE_READ,
                              PMM_PAGE_EXECUTE_WRITECOPY);
    if (!image)
        return 0;
    strcpy(fake.regions[0].mapped_name, "C:\\fuzz\\input.dll");
    if (data[size - 1] & 1)
        lay_out(data, size, image, image_size);
    else
        memcpy(image, data, size < image_size ? size : image_size);
    pmm_source src;
    fake_source_open(&fake, &src, (data[size - 1] & 2) ? 4 : 8);
    pmm_map *map = NULL;
    if (pmm_scan_source(&src, NULL, &map) == PMM_OK) {
        pmm_integrity_options options = {NULL, NULL, NULL, open_input, &in, NULL};
        pmm_integrity_scan(&src, map, NULL, &options);
        pmm_out out = pmm_out_null();
        pmm_integrity_write_text(map, &out);
        pmm_integrity_write_json(map, &out);
        pmm_map_free(map);
    }
    fake_free(&fake);
    return 0;
}
