/* Writing a file all or nothing: the bytes go to a temporary file beside the final one, which is
 * renamed to the final name only once every byte is out, flushed and closed. Whoever opens the
 * final name finds the old file or the complete new one, never a half-written file; a failed or
 * cancelled write leaves the old file untouched and no temporary behind. Every writer of an output
 * file (the sinks of the dump writers, saved maps) goes through here.
 *
 * The temporary name is NAME.<process id>-<n>.partial, created only if it does not exist, so two
 * writers of one name (two pmm runs, two jobs of the explorer) never share a temporary. The final
 * rename does not mix them either: it replaces NAME only if NAME is still the file that was there
 * when the write began (or still absent); otherwise the later writer's output is dropped and its
 * commit says another writer replaced NAME. Every step goes through the UTF-16 (and long-path)
 * calls of file_platform.h, the clean-up by the same names as the create. Failures name the path
 * and say what the OS said. */
#ifndef PMM_TEMP_FILE_H
#define PMM_TEMP_FILE_H

#include <stddef.h>
#include <stdio.h>
#include "file_platform.h"
#include "status.h"

typedef struct pmm_temp_file {
    FILE *file;          /* open for reading and writing ("w+b") from create to commit or discard */
    char *path;          /* the final name (UTF-8) */
    char *temp_path;     /* the temporary name */
    int committed;
    int had_final;       /* a file was at path when the write began: final_id is its identity */
    pmm_file_id final_id;
    int write_error;     /* the OS error of the first failed write (pmm_temp_file_write_failed) */
    char error[600];     /* why create or commit failed; "" until then */
} pmm_temp_file;

/* Creates the temporary file. PMM_ERR_IO when it cannot (message says why: the path is a folder
 * or a device, the folder does not exist, access denied...), PMM_ERR_NOMEM; on failure nothing is
 * left to discard (discarding is still safe). */
pmm_status pmm_temp_file_create(pmm_temp_file *t, const char *path, char *message, size_t message_cap);
/* Records the OS error of a write to t->file that just failed, for the message of the commit. */
void pmm_temp_file_write_failed(pmm_temp_file *t);
/* Why the write failed, as a sentence naming the path and the OS's reason ("writing X failed: There
 * is not enough space on the disk."); "" while nothing failed. */
const char *pmm_temp_file_error(pmm_temp_file *t);
/* Flushes and closes the temporary file, then gives it the final name. PMM_ERR_IO when any of that
 * fails or another writer replaced the final name meanwhile (t->error says which); the temporary
 * is then removed by pmm_temp_file_discard. */
pmm_status pmm_temp_file_commit(pmm_temp_file *t);
/* Closes and removes the temporary file unless it was committed, and frees the names. Call it
 * once for every create, whatever happened; safe to call again. */
void pmm_temp_file_discard(pmm_temp_file *t);

/* Removes the temporary file of every write still in progress in this process: for a process
 * about to end from another thread (a watchdog). Files open for writing are removable (created
 * with FILE_SHARE_DELETE); the names are read without a lock, a last resort before exit. */
void pmm_temp_file_remove_all(void);

/* The whole of data written to path this way in one call. On failure message says "writing 'PATH'
 * failed (reason); nothing was saved" and no file is left at either name. */
pmm_status pmm_temp_file_write_all(const char *path, const void *data, size_t size, char *message,
                                   size_t message_cap);

#endif
