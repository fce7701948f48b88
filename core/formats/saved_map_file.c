/* Saved maps on disk: the whole file is read into memory and decoded there (so the decoder
 * checks one buffer), and written to a temporary name that is renamed over the target only
 * once every byte is out. */
#include "saved_map.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../util/array.h"
#include "../util/file_platform.h"
#include "../util/temp_file.h"

/* 4 GiB, far above any real map (half the address space in a 32-bit build) */
#define SM_MAX_FILE_SIZE (SIZE_MAX > 0xFFFFFFFFu ? (size_t)0xFFFFFFFFu : SIZE_MAX / 2)

pmm_status pmm_saved_map_save(const char *path, const pmm_map *map, const pmm_page_sums *sums, char *message,
                              size_t message_cap)
{
    uint8_t *data;
    size_t size;
    if (message_cap)
        message[0] = '\0';
    pmm_status st = pmm_saved_map_encode(map, sums, &data, &size);
    if (st != PMM_OK) {
        snprintf(message, message_cap, "encoding the map failed: %s", pmm_status_text(st));
        return st;
    }
    st = pmm_temp_file_write_all(path, data, size, message, message_cap);
    free(data);
    return st;
}

static pmm_status read_all(FILE *f, uint8_t **data, size_t *size)
{
    size_t cap = 0, used = 0;
    uint8_t *buf = NULL;
    for (;;) {   /* bounded: SM_MAX_FILE_SIZE */
        if (pmm_array_reserve((void **)&buf, &cap, used + 65536, 1) != PMM_OK) {
            free(buf);
            return PMM_ERR_NOMEM;
        }
        size_t n = fread(buf + used, 1, cap - used, f);
        used += n;
        if (n == 0 || used > SM_MAX_FILE_SIZE)
            break;
    }
    if (ferror(f) || used > SM_MAX_FILE_SIZE) {
        free(buf);
        return ferror(f) ? PMM_ERR_IO : PMM_ERR_LIMIT;
    }
    *data = buf;
    *size = used;
    return PMM_OK;
}

pmm_status pmm_saved_map_load(const char *path, pmm_map **out, pmm_page_sums *sums, char *message,
                              size_t message_cap)
{
    char detail[400];
    *out = NULL;
    if (sums)
        memset(sums, 0, sizeof *sums);
    FILE *f = pmm_file_open(path, "rb");
    if (!f) {
        snprintf(message, message_cap, "cannot open '%s'", path);
        return PMM_ERR_NOT_FOUND;
    }
    uint8_t *data = NULL;
    size_t size = 0;
    pmm_status st = read_all(f, &data, &size);
    fclose(f);
    if (st != PMM_OK) {
        snprintf(message, message_cap, "reading '%s' failed: %s", path, pmm_status_text(st));
        return st;
    }
    st = pmm_saved_map_decode(data, size, out, sums, detail, sizeof detail);
    free(data);
    if (st != PMM_OK)
        snprintf(message, message_cap, "'%s': %s", path, detail);
    return st;
}

int pmm_saved_map_is_file(const char *path)
{
    uint8_t magic[PMM_SAVED_MAP_MAGIC_SIZE];
    FILE *f = pmm_file_open(path, "rb");
    if (!f)
        return 0;
    size_t n = fread(magic, 1, sizeof magic, f);
    fclose(f);
    return pmm_saved_map_has_magic(magic, n);
}
