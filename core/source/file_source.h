/* A pmm_source over a file on disk: address == file offset. It has no threads or modules; it
 * exists so that file formats (PE files above all) are parsed by the same code as target memory. */
#ifndef PMM_FILE_SOURCE_H
#define PMM_FILE_SOURCE_H

#include "source.h"

/* Opens path (UTF-8 on Windows too) for reading. The source owns the open file until
 * pmm_source_close. PMM_ERR_NOT_FOUND when the file cannot be opened, PMM_ERR_IO on other errors. */
pmm_status pmm_file_source_open(const char *path, pmm_source *out);
/* The file's size in bytes, as measured when it was opened. */
uint64_t pmm_file_source_size(const pmm_source *src);

#endif
