#include "input_file.h"

#include <stdlib.h>
#include <string.h>
#include "file_platform.h"

struct pmm_input_file {
    uint64_t size;
    const uint8_t *view;        /* the mapping or the caller's bytes; NULL when reads go to the OS */
    pmm_read_file *os_file;     /* NULL over memory */
    pmm_file_mapping *mapping;  /* NULL when not mapped */
};

static int range_inside(const pmm_input_file *file, uint64_t offset, size_t len)
{
    return offset <= file->size && len <= file->size - offset;
}

pmm_status pmm_input_file_open(const char *path, uint32_t flags, pmm_input_file **out)
{
    *out = NULL;
    pmm_input_file *file = calloc(1, sizeof *file);
    if (!file)
        return PMM_ERR_NOMEM;
    pmm_status st = pmm_read_file_open(path, &file->os_file, &file->size);
    if (st != PMM_OK) {
        free(file);
        return st;
    }
    if (file->size > 0 && !(flags & PMM_INPUT_FILE_NO_MAP))
        file->view = pmm_read_file_map(file->os_file, file->size, &file->mapping);
    *out = file;
    return PMM_OK;
}

pmm_status pmm_input_file_open_memory(const void *data, size_t size, pmm_input_file **out)
{
    *out = NULL;
    if (!data && size)
        return PMM_ERR_ARG;
    pmm_input_file *file = calloc(1, sizeof *file);
    if (!file)
        return PMM_ERR_NOMEM;
    file->size = size;
    file->view = data;
    *out = file;
    return PMM_OK;
}

void pmm_input_file_close(pmm_input_file *file)
{
    if (!file)
        return;
    if (file->mapping)
        pmm_read_file_unmap(file->mapping);
    if (file->os_file)
        pmm_read_file_close(file->os_file);
    free(file);
}

uint64_t pmm_input_file_size(const pmm_input_file *file)
{
    return file->size;
}

pmm_status pmm_input_file_read(pmm_input_file *file, uint64_t offset, void *buf, size_t len)
{
    if (!range_inside(file, offset, len))
        return PMM_ERR_FORMAT;
    if (len == 0)
        return PMM_OK;
    if (file->view) {
        memcpy(buf, file->view + offset, len);
        return PMM_OK;
    }
    return pmm_read_file_at(file->os_file, offset, buf, len);
}

const uint8_t *pmm_input_file_bytes(const pmm_input_file *file, uint64_t offset, size_t len)
{
    if (!file->view || !range_inside(file, offset, len))
        return NULL;
    return file->view + offset;
}
