#include "temp_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "file_platform.h"

#define TEMP_SUFFIX ".partial"

int pmm_temp_file_name(const char *path, char *buf, size_t cap)
{
    int n = snprintf(buf, cap, "%s" TEMP_SUFFIX, path);
    return n >= 0 && (size_t)n < cap;
}

pmm_status pmm_temp_file_create(pmm_temp_file *t, const char *path, char *message, size_t message_cap)
{
    memset(t, 0, sizeof *t);
    size_t n = strlen(path), temp_cap = n + sizeof TEMP_SUFFIX;
    t->path = malloc(n + 1);
    t->temp_path = malloc(temp_cap);
    if (!t->path || !t->temp_path) {
        pmm_temp_file_discard(t);
        return PMM_ERR_NOMEM;
    }
    memcpy(t->path, path, n + 1);
    pmm_temp_file_name(path, t->temp_path, temp_cap);
    t->file = pmm_file_open(t->temp_path, "w+b");
    if (!t->file) {
        if (message && message_cap)
            snprintf(message, message_cap, "cannot create %s: %s", t->temp_path, strerror(errno));
        free(t->temp_path);
        t->temp_path = NULL;   /* nothing of ours to remove */
        pmm_temp_file_discard(t);
        return PMM_ERR_IO;
    }
    return PMM_OK;
}

pmm_status pmm_temp_file_commit(pmm_temp_file *t)
{
    if (!t->file)
        return PMM_ERR_IO;
    int flush_failed = fflush(t->file) != 0 || ferror(t->file);
    int close_failed = fclose(t->file) != 0;
    t->file = NULL;
    if (flush_failed || close_failed || pmm_file_replace(t->temp_path, t->path) != 0)
        return PMM_ERR_IO;
    t->committed = 1;
    return PMM_OK;
}

void pmm_temp_file_discard(pmm_temp_file *t)
{
    if (t->file) {
        fclose(t->file);
        t->file = NULL;
    }
    if (!t->committed && t->temp_path)
        remove(t->temp_path);
    free(t->temp_path);
    free(t->path);
    t->temp_path = t->path = NULL;
}

pmm_status pmm_temp_file_write_all(const char *path, const void *data, size_t size, char *message,
                                   size_t message_cap)
{
    pmm_temp_file out;
    errno = 0;
    pmm_status st = pmm_temp_file_create(&out, path, NULL, 0);
    if (st == PMM_OK && fwrite(data, 1, size, out.file) != size)
        st = PMM_ERR_IO;
    if (st == PMM_OK)
        st = pmm_temp_file_commit(&out);
    int error = errno;
    pmm_temp_file_discard(&out);
    if (st != PMM_OK && message_cap)
        snprintf(message, message_cap, "writing '%s' failed (%s); nothing was saved", path,
                 error ? strerror(error) : pmm_status_text(st));
    return st;
}
