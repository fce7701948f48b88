/* Saved maps on disk: the whole file is read into memory and decoded there (so the decoder
 * checks one buffer), and written to a temporary name that is renamed over the target only
 * once every byte is out. */
#include "saved_map.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../util/array.h"
#include "../util/file_platform.h"

/* 4 GiB, far above any real map (half the address space in a 32-bit build) */
#define SM_MAX_FILE_SIZE (SIZE_MAX > 0xFFFFFFFFu ? (size_t)0xFFFFFFFFu : SIZE_MAX / 2)

static pmm_status write_all(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = pmm_file_open(path, "wb");
    if (!f)
        return PMM_ERR_IO;
    size_t written = fwrite(data, 1, size, f);
    int flushed = fflush(f) == 0;
    int closed = fclose(f) == 0;
    return written == size && flushed && closed ? PMM_OK : PMM_ERR_IO;
}

pmm_status pmm_saved_map_save(const char *path, const pmm_map *map, const pmm_page_sums *sums, char *message,
                              size_t message_cap)
{
    uint8_t *data;
    size_t size;
    char partial[1100];
    if (message_cap)
        message[0] = '\0';
    if (snprintf(partial, sizeof partial, "%s.partial", path) >= (int)sizeof partial) {
        snprintf(message, message_cap, "'%s': path too long", path);
        return PMM_ERR_ARG;
    }
    pmm_status st = pmm_saved_map_encode(map, sums, &data, &size);
    if (st != PMM_OK) {
        snprintf(message, message_cap, "encoding the map failed: %s", pmm_status_text(st));
        return st;
    }
    errno = 0;
    st = write_all(partial, data, size);
    free(data);
    if (st == PMM_OK && pmm_file_replace(partial, path) != 0)
        st = PMM_ERR_IO;
    if (st != PMM_OK) {
        int error = errno;
        remove(partial);
        snprintf(message, message_cap, "writing '%s' failed (%s); nothing was saved", path,
                 error ? strerror(error) : "I/O error");
    }
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
