#include "temp_file.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEMP_SUFFIX ".partial"
#define TEMP_TRIES 100
#define LIVE_SLOTS 64

/* The temporaries being written, for pmm_temp_file_remove_all. */
static char *volatile live_temps[LIVE_SLOTS];

static void remember(char *temp_path)
{
    for (size_t i = 0; i < LIVE_SLOTS; i++)
        if (!live_temps[i]) {
            live_temps[i] = temp_path;
            return;
        }
}

static void forget(const char *temp_path)
{
    for (size_t i = 0; i < LIVE_SLOTS; i++)
        if (live_temps[i] == temp_path)
            live_temps[i] = NULL;
}

void pmm_temp_file_remove_all(void)
{
    for (size_t i = 0; i < LIVE_SLOTS; i++) {
        char *path = live_temps[i];
        if (path)
            pmm_file_remove(path);
    }
}

/* Says why path cannot be written to, before any temporary is made; 0 when it can. */
static int check_final(const char *path, char *why, size_t cap)
{
    switch (pmm_path_kind_of(path)) {
    case PMM_PATH_FOLDER:
        snprintf(why, cap, "%s is a folder: give the name of a file in it", path);
        return -1;
    case PMM_PATH_OTHER:
        snprintf(why, cap, "%s is not a regular file (a pipe or a device): give a file name", path);
        return -1;
    default:
        return 0;
    }
}

/* ---- temporaries of ended processes ---------------------------------------------------------- */

typedef struct sweep {
    const char *folder;      /* path's folder with its trailing separator, or "" */
    size_t prefix_len;       /* of "NAME." */
} sweep;

/* NAME.<pid>-<n>.partial of a process that no longer runs: what a write killed from outside (a
 * file-size limit's SIGXFSZ under Wine, a crash) left. Nobody else writes such names. */
static int remove_if_stale(void *ctx, const char *name)
{
    const sweep *s = ctx;
    const char *p = name + s->prefix_len;
    char *end;
    unsigned long pid = strtoul(p, &end, 10);
    if (end == p || *end != '-' || pid == 0 || pid > UINT32_MAX)
        return 0;
    p = end + 1;
    strtoul(p, &end, 10);
    if (end == p || strcmp(end, TEMP_SUFFIX) != 0 || pid == pmm_process_id() || pmm_process_running((uint32_t)pid))
        return 0;
    size_t len = strlen(s->folder) + strlen(name) + 1;
    char *path = malloc(len);
    if (path) {
        snprintf(path, len, "%s%s", s->folder, name);
        pmm_file_remove(path);
        free(path);
    }
    return 0;
}

static void sweep_stale_temporaries(const char *path)
{
    const char *base = path;
    for (const char *p = path; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    size_t folder_len = (size_t)(base - path), base_len = strlen(base);
    char *folder = malloc(folder_len + 2), *prefix = malloc(base_len + 2);
    if (folder && prefix) {
        memcpy(folder, path, folder_len);
        folder[folder_len] = '\0';
        memcpy(prefix, base, base_len);
        memcpy(prefix + base_len, ".", 2);
        sweep s = {folder, base_len + 1};
        pmm_folder_list(folder_len ? folder : ".", prefix, remove_if_stale, &s);
    }
    free(folder);
    free(prefix);
}

static FILE *create_unique(pmm_temp_file *t, size_t cap, int *error)
{
    static unsigned sequence;
    uint32_t pid = pmm_process_id();
    for (int i = 0; i < TEMP_TRIES; i++) {
        snprintf(t->temp_path, cap, "%s.%" PRIu32 "-%u" TEMP_SUFFIX, t->path, pid, ++sequence);
        FILE *f = pmm_file_create_new(t->temp_path, error);
        if (f || !pmm_os_error_is_exists(*error))
            return f;
    }
    return NULL;
}

pmm_status pmm_temp_file_create(pmm_temp_file *t, const char *path, char *message, size_t message_cap)
{
    memset(t, 0, sizeof *t);
    size_t n = strlen(path), temp_cap = n + sizeof TEMP_SUFFIX + 24;
    t->path = malloc(n + 1);
    t->temp_path = malloc(temp_cap);
    if (!t->path || !t->temp_path) {
        pmm_temp_file_discard(t);
        return PMM_ERR_NOMEM;
    }
    memcpy(t->path, path, n + 1);
    int error = 0;
    if (check_final(path, t->error, sizeof t->error) == 0) {
        t->had_final = pmm_file_identity(path, &t->final_id) == 0;
        sweep_stale_temporaries(path);
        t->file = create_unique(t, temp_cap, &error);
        if (!t->file) {
            char text[300];
            snprintf(t->error, sizeof t->error, "cannot create %s (to become %s): %s", t->temp_path, path,
                     pmm_os_error_text(error, text, sizeof text));
        }
    }
    if (!t->file) {
        if (message && message_cap)
            snprintf(message, message_cap, "%s", t->error);
        free(t->temp_path);
        t->temp_path = NULL;   /* nothing of ours to remove */
        pmm_temp_file_discard(t);
        return PMM_ERR_IO;
    }
    remember(t->temp_path);
    return PMM_OK;
}

void pmm_temp_file_write_failed(pmm_temp_file *t)
{
    if (!t->write_error && t->file)
        t->write_error = pmm_os_error_of_write(t->file);
}

static pmm_status fail(pmm_temp_file *t, const char *what, int error)
{
    char text[300];
    if (!t->error[0])
        snprintf(t->error, sizeof t->error, "%s %s failed: %s%s", what, t->path,
                 error ? pmm_os_error_text(error, text, sizeof text) : "the system gave no reason",
                 pmm_os_error_is_vague(error) ? " (is the disk full, or a file-size limit such as ulimit -f reached?)"
                                              : "");
    return PMM_ERR_IO;
}

const char *pmm_temp_file_error(pmm_temp_file *t)
{
    if (!t->error[0] && t->write_error && t->path)
        fail(t, "writing", t->write_error);
    return t->error;
}

/* Whether the final name still holds what it held when the write began (the same file, or none). */
static int final_unchanged(const pmm_temp_file *t)
{
    pmm_file_id now;
    int exists = pmm_file_identity(t->path, &now) == 0;
    return exists == t->had_final &&
           (!exists || (now.volume == t->final_id.volume && now.index == t->final_id.index &&
                        now.size == t->final_id.size && now.modified == t->final_id.modified));
}

/* One try at giving the temporary file the final name; 0 or the OS error. */
static int rename_once(const pmm_temp_file *t)
{
    if (t->had_final)
        return pmm_file_replace(t->temp_path, t->path) == 0 ? 0 : pmm_os_error_last();
    return pmm_file_rename_new(t->temp_path, t->path);
}

/* The final name, if it is still what it was when the write began: replaced when a file was there,
 * taken only while free when none was. Another process may hold the name open for a moment
 * (another writer checking it, a virus scanner): the rename is tried again, at most BUSY_TRIES
 * times, the name checked before each try, so another writer's file is never replaced. */
#define BUSY_TRIES 10
#define BUSY_PAUSE_MS 20
static pmm_status rename_to_final(pmm_temp_file *t)
{
    pmm_file_id now;
    int same = final_unchanged(t);
    int error = 0;
    for (int tries = 1; same; tries++) {
        error = rename_once(t);
        if (!error || !pmm_os_error_is_busy(error) || tries == BUSY_TRIES)
            break;
        pmm_pause_ms(BUSY_PAUSE_MS);
        same = final_unchanged(t);
    }
    if (!t->had_final && pmm_os_error_is_exists(error) && pmm_file_identity(t->path, &now) != 0) {
        snprintf(t->error, sizeof t->error, "%s exists and is not a regular file (a pipe, a device or a folder): "
                 "this output was not kept; give a file name", t->path);
        return PMM_ERR_IO;
    }
    /* A rename that failed while another writer's took the name lost that race too. */
    if (!same || (error && !final_unchanged(t))) {
        snprintf(t->error, sizeof t->error, "%s was %s by another writer while this one wrote it: this output "
                 "was not kept, the other one is there", t->path, t->had_final ? "replaced or changed" : "created");
        return PMM_ERR_IO;
    }
    return error ? fail(t, "renaming the finished file to", error) : PMM_OK;
}

pmm_status pmm_temp_file_commit(pmm_temp_file *t)
{
    if (!t->file)
        return PMM_ERR_IO;
    int flush_failed = fflush(t->file) != 0 || ferror(t->file);
    if (flush_failed)
        pmm_temp_file_write_failed(t);
    int close_failed = fclose(t->file) != 0;
    int close_error = close_failed ? pmm_os_error_last() : 0;
    t->file = NULL;
    if (t->write_error || flush_failed)
        return fail(t, "writing", t->write_error);
    if (close_failed)
        return fail(t, "closing", close_error);
    pmm_status st = rename_to_final(t);
    if (st == PMM_OK) {
        t->committed = 1;
        forget(t->temp_path);
    }
    return st;
}

void pmm_temp_file_discard(pmm_temp_file *t)
{
    if (t->file) {
        fclose(t->file);
        t->file = NULL;
    }
    if (t->temp_path) {
        forget(t->temp_path);
        if (!t->committed)
            pmm_file_remove(t->temp_path);
    }
    free(t->temp_path);
    free(t->path);
    t->temp_path = t->path = NULL;
}

pmm_status pmm_temp_file_write_all(const char *path, const void *data, size_t size, char *message,
                                   size_t message_cap)
{
    pmm_temp_file out;
    pmm_status st = pmm_temp_file_create(&out, path, NULL, 0);
    if (st == PMM_OK && fwrite(data, 1, size, out.file) != size)
        pmm_temp_file_write_failed(&out);
    if (st == PMM_OK)
        st = pmm_temp_file_commit(&out);
    if (st != PMM_OK && message_cap)
        snprintf(message, message_cap, "%s; nothing was saved",
                 out.error[0] ? out.error : pmm_status_text(st));
    pmm_temp_file_discard(&out);
    return st;
}
