#include "target_kind.h"

#include <stdio.h>
#include <string.h>
#include "../formats/kdump.h"
#include "../formats/saved_map.h"
#include "../util/file_platform.h"

pmm_file_kind pmm_file_kind_of_bytes(const void *data, size_t size)
{
    if (size < 4)
        return PMM_FILE_UNREADABLE;
    if (memcmp(data, "MDMP", 4) == 0)
        return PMM_FILE_MINIDUMP;
    if (pmm_kdump_has_signature(data, size))
        return PMM_FILE_KERNEL_DUMP;
    if (memcmp(data, PMM_SAVED_MAP_MAGIC, 4) != 0)
        return PMM_FILE_UNKNOWN;
    return pmm_saved_map_has_magic(data, size) ? PMM_FILE_SAVED_MAP : PMM_FILE_SAVED_MAP_TRUNCATED;
}

pmm_file_kind pmm_file_kind_of(const char *path)
{
    unsigned char magic[PMM_SAVED_MAP_MAGIC_SIZE];
    FILE *f = pmm_file_open(path, "rb");
    if (!f)
        return PMM_FILE_UNREADABLE;
    size_t n = fread(magic, 1, sizeof magic, f);
    fclose(f);
    return pmm_file_kind_of_bytes(magic, n);
}
