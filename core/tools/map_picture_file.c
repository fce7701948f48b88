/* A picture saved as PNG or BMP (chosen by the file name), and its layout as JSON
 * ("pmm-picture", version 1; README) so a script can find any address's pixel. */
#include "map_picture.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../util/temp_file.h"
#include "../util/json_writer.h"
#include "../model/map.h"

static int has_extension(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);
    if (n < e)
        return 0;
    for (size_t i = 0; i < e; i++)
        if (tolower((unsigned char)path[n - e + i]) != ext[i])
            return 0;
    return 1;
}

int pmm_picture_format_known(const char *path)
{
    return has_extension(path, ".png") || has_extension(path, ".bmp");
}

pmm_status pmm_picture_save(const pmm_picture *picture, const char *path, char *message, size_t message_cap)
{
    if (!pmm_picture_format_known(path)) {
        snprintf(message, message_cap, "'%s': the picture's name must end in .png or .bmp", path);
        return PMM_ERR_ARG;
    }
    pmm_rgb_image image;
    pmm_status st = pmm_picture_render(picture, 1, &image);
    uint8_t *data = NULL;
    size_t size = 0;
    if (st == PMM_OK)
        st = has_extension(path, ".png") ? pmm_png_encode(&image, &data, &size) : pmm_bmp_encode(&image, &data, &size);
    free(image.pixels);
    if (st != PMM_OK) {
        snprintf(message, message_cap, "drawing the picture failed: %s", pmm_status_text(st));
        return st;
    }
    st = pmm_temp_file_write_all(path, data, size, message, message_cap);
    free(data);
    return st;
}

void pmm_picture_write_json(const pmm_picture *p, const char *path, pmm_out *out)
{
    pmm_json json;
    pmm_json_init(&json, out, 1);
    pmm_json_begin_object(&json);
    pmm_json_kv_string(&json, "format", "pmm-picture");
    pmm_json_kv_uint(&json, "version", 1);
    pmm_json_kv_string(&json, "file", path);
    pmm_json_kv_uint(&json, "width", p->width);
    pmm_json_kv_uint(&json, "height", p->height);
    pmm_json_kv_uint(&json, "cell_bytes", p->cell_bytes);
    pmm_json_kv_uint(&json, "columns", p->geometry.columns);
    pmm_json_kv_uint(&json, "cell_px", p->geometry.cell_px);
    pmm_json_kv_uint(&json, "label_px", p->geometry.label_px);
    pmm_json_key(&json, "stretches");
    pmm_json_begin_array(&json);
    for (size_t i = 0; i < p->stretch_count; i++) {
        const pmm_picture_stretch *s = &p->stretches[i];
        pmm_json_begin_object(&json);
        pmm_json_kv_address(&json, "start", s->start);
        pmm_json_kv_address(&json, "end", s->end);
        pmm_json_kv_uint(&json, "gap_before", s->gap_before);
        pmm_json_kv_uint(&json, "y", s->y);
        pmm_json_kv_uint(&json, "rows", s->rows);
        pmm_json_end_object(&json);
    }
    pmm_json_end_array(&json);
    pmm_json_key(&json, "colours");
    pmm_json_begin_object(&json);
    for (int k = 0; k < PMM_KIND_COUNT; k++) {
        char rgb[8];
        snprintf(rgb, sizeof rgb, "#%06x", (unsigned)pmm_picture_cell_rgb((uint8_t)k));
        pmm_json_kv_string(&json, pmm_region_kind_name((pmm_region_kind)k), rgb);
    }
    pmm_json_end_object(&json);
    pmm_json_end_object(&json);
}
