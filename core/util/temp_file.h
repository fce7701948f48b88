/* Writing a file all or nothing: the bytes go to a temporary file beside the final one, which is
 * renamed over the final name only once every byte is out, flushed and closed. Whoever opens the
 * final name finds the old file or the complete new one, never a half-written file; a failed or
 * cancelled write leaves the old file untouched and no temporary behind. Every writer of an output
 * file (the sinks of the dump writers, saved maps) goes through here. */
#ifndef PMM_TEMP_FILE_H
#define PMM_TEMP_FILE_H

#include <stddef.h>
#include <stdio.h>
#include "status.h"

typedef struct pmm_temp_file {
    FILE *file;          /* open for reading and writing ("w+b") from create to commit or discard */
    char *path;          /* the final name (UTF-8) */
    char *temp_path;     /* the temporary name (pmm_temp_file_name) */
    int committed;
} pmm_temp_file;

/* The temporary name used for path, into buf; 0 when it does not fit. For clean-ups that cannot
 * reach the pmm_temp_file (a process ending from a watchdog thread). */
int pmm_temp_file_name(const char *path, char *buf, size_t cap);
/* Creates the temporary file. PMM_ERR_IO when it cannot (message says why), PMM_ERR_NOMEM; on
 * failure nothing is left to discard (discarding is still safe). */
pmm_status pmm_temp_file_create(pmm_temp_file *t, const char *path, char *message, size_t message_cap);
/* Flushes and closes the temporary file, then renames it over the final name (replacing an older
 * file). PMM_ERR_IO when any of that fails; the temporary is then removed by pmm_temp_file_discard. */
pmm_status pmm_temp_file_commit(pmm_temp_file *t);
/* Closes and removes the temporary file unless it was committed, and frees the names. Call it
 * once for every create, whatever happened; safe to call again. */
void pmm_temp_file_discard(pmm_temp_file *t);

/* The whole of data written to path this way in one call. On failure message says "writing 'PATH'
 * failed (reason); nothing was saved" and no file is left at either name. */
pmm_status pmm_temp_file_write_all(const char *path, const void *data, size_t size, char *message,
                                   size_t message_cap);

#endif
