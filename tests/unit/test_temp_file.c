/* Writing outputs all or nothing (core/util/temp_file.c) on the native file system: unique
 * temporary names, the final rename that never mixes two writers, messages that name the path and
 * the OS's reason, and nothing left behind after any failure (each case lists the folder). */
#include "check.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/util/temp_file.h"

static char folder[128];

static void make_folder(void)
{
    snprintf(folder, sizeof folder, "/tmp/pmm_test_temp_file_XXXXXX");
    if (!mkdtemp(folder))
        abort();
}

/* The names in the folder, sorted, joined by spaces. */
static const char *listing(void)
{
    static char names[32][sizeof ((struct dirent *)0)->d_name];
    static char text[sizeof names];   /* every name and a space or the NUL after each */
    size_t n = 0;
    DIR *d = opendir(folder);
    for (struct dirent *e; d && (e = readdir(d)) && n < 32;)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            snprintf(names[n++], sizeof names[0], "%s", e->d_name);
    if (d)
        closedir(d);
    qsort(names, n, sizeof names[0], (int (*)(const void *, const void *))strcmp);
    text[0] = '\0';
    for (size_t i = 0; i < n; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "%s%s", i ? " " : "", names[i]);
    return text;
}

static void path_in(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", folder, name);
}

static char *read_text(const char *path)
{
    static char text[256];
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    if (f)
        fclose(f);
    text[n] = '\0';
    return text;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void remove_folder(void)
{
    DIR *d = opendir(folder);
    char path[512];
    for (struct dirent *e; d && (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            path_in(path, sizeof path, e->d_name);
            remove(path);
        }
    if (d)
        closedir(d);
    rmdir(folder);
}

TEST_CASE(two_writers_of_one_name_never_mix)
{
    make_folder();
    char path[256];
    path_in(path, sizeof path, "out.dmp");
    pmm_temp_file a, b;
    CHECK(pmm_temp_file_create(&a, path, NULL, 0) == PMM_OK);
    CHECK(pmm_temp_file_create(&b, path, NULL, 0) == PMM_OK);
    CHECK(strcmp(a.temp_path, b.temp_path) != 0);   /* each its own temporary */
    CHECK(strstr(a.temp_path, ".partial") != NULL);
    fputs("first", a.file);
    fputs("second", b.file);
    CHECK(pmm_temp_file_commit(&a) == PMM_OK);
    CHECK(pmm_temp_file_commit(&b) == PMM_ERR_IO);   /* out.dmp appeared while b wrote */
    CHECK(strstr(b.error, "by another writer") && strstr(b.error, path));
    pmm_temp_file_discard(&a);
    pmm_temp_file_discard(&b);
    CHECK_STR(read_text(path), "first");
    CHECK_STR(listing(), "out.dmp");

    /* Over an existing file: the first to finish replaces it, the second finds it changed. */
    CHECK(pmm_temp_file_create(&a, path, NULL, 0) == PMM_OK);
    CHECK(pmm_temp_file_create(&b, path, NULL, 0) == PMM_OK);
    fputs("third", a.file);
    fputs("fourth", b.file);
    CHECK(pmm_temp_file_commit(&b) == PMM_OK);
    CHECK(pmm_temp_file_commit(&a) == PMM_ERR_IO);
    CHECK(strstr(a.error, "replaced or changed by another writer") != NULL);
    pmm_temp_file_discard(&a);
    pmm_temp_file_discard(&b);
    CHECK_STR(read_text(path), "fourth");
    CHECK_STR(listing(), "out.dmp");

    /* A file written in place meanwhile (same inode, new contents) is not overwritten either. */
    CHECK(pmm_temp_file_create(&a, path, NULL, 0) == PMM_OK);
    fputs("fifth", a.file);
    sleep(1);   /* a new modification time even on coarse clocks */
    write_text(path, "edited");
    CHECK(pmm_temp_file_commit(&a) == PMM_ERR_IO);
    pmm_temp_file_discard(&a);
    CHECK_STR(read_text(path), "edited");
    CHECK_STR(listing(), "out.dmp");
    remove_folder();
}

TEST_CASE(failures_name_the_path_and_the_reason)
{
    make_folder();
    char message[700], path[256];
    pmm_temp_file t;
    CHECK(pmm_temp_file_create(&t, folder, message, sizeof message) == PMM_ERR_IO);
    CHECK(strstr(message, folder) && strstr(message, "is a folder"));
    CHECK(pmm_temp_file_create(&t, "/dev/null", message, sizeof message) == PMM_ERR_IO);
    CHECK(strstr(message, "/dev/null") && strstr(message, "not a regular file"));
    path_in(path, sizeof path, "missing/x.dmp");
    CHECK(pmm_temp_file_create(&t, path, message, sizeof message) == PMM_ERR_IO);
    CHECK(strstr(message, path) && strstr(message, strerror(ENOENT)));
    /* A folder that refuses the file: read-only for a user; root writes there anyway, so for root
     * sysfs, which refuses new files to everyone. */
    if (geteuid() != 0) {
        chmod(folder, 0500);
        path_in(path, sizeof path, "x.dmp");
    } else {
        snprintf(path, sizeof path, "/sys/pmm_temp_file_test.dmp");
    }
    CHECK(pmm_temp_file_create(&t, path, message, sizeof message) == PMM_ERR_IO);
    CHECK(strstr(message, path) && strstr(message, strerror(EACCES)));
    chmod(folder, 0700);
    /* A failed write is reported at commit with the OS's words, and nothing stays. */
    path_in(path, sizeof path, "y.dmp");
    CHECK(pmm_temp_file_create(&t, path, NULL, 0) == PMM_OK);
    errno = ENOSPC;
    pmm_temp_file_write_failed(&t);
    CHECK(strstr(pmm_temp_file_error(&t), strerror(ENOSPC)) && strstr(pmm_temp_file_error(&t), path));
    CHECK(pmm_temp_file_commit(&t) == PMM_ERR_IO);
    pmm_temp_file_discard(&t);
    CHECK_STR(listing(), "");
    CHECK(pmm_temp_file_write_all(path, "abc", 3, message, sizeof message) == PMM_OK);
    CHECK_STR(read_text(path), "abc");
    CHECK_STR(listing(), "y.dmp");
    remove_folder();
}

TEST_CASE(remove_all_clears_the_temporaries_in_progress)
{
    make_folder();
    char path[256];
    path_in(path, sizeof path, "z.dmp");
    pmm_temp_file t;
    CHECK(pmm_temp_file_create(&t, path, NULL, 0) == PMM_OK);
    fputs("half", t.file);
    pmm_temp_file_remove_all();
    CHECK_STR(listing(), "");
    pmm_temp_file_discard(&t);
    CHECK_STR(listing(), "");
    remove_folder();
}

/* What a killed writer left (its process is gone) is removed by the next write of that name;
 * temporaries of running processes and other files stay. */
TEST_CASE(temporaries_of_ended_writers_are_swept)
{
    make_folder();
    pid_t gone = 0;
    for (pid_t p = 4000000; p > 300000 && !gone; p -= 9973)
        if (kill(p, 0) != 0 && errno == ESRCH)
            gone = p;
    char stale[256], own[256], other[256], unrelated[256], path[256], name[128];
    snprintf(name, sizeof name, "w.dmp.%d-3.partial", (int)gone);
    path_in(stale, sizeof stale, name);
    snprintf(name, sizeof name, "w.dmp.%d-99.partial", (int)getpid());
    path_in(own, sizeof own, name);
    snprintf(name, sizeof name, "w.dmp.%d-1.partial", (int)getppid());
    path_in(other, sizeof other, name);
    path_in(unrelated, sizeof unrelated, "w.dmp.notes");
    const char *files[] = {stale, own, other, unrelated};
    for (size_t i = 0; i < 4; i++)
        write_text(files[i], "x");
    path_in(path, sizeof path, "w.dmp");
    CHECK(pmm_temp_file_write_all(path, "new", 3, NULL, 0) == PMM_OK);
    CHECK(access(stale, F_OK) != 0);
    CHECK(access(own, F_OK) == 0 && access(other, F_OK) == 0 && access(unrelated, F_OK) == 0);
    CHECK_STR(read_text(path), "new");
    remove_folder();
}

CHECK_MAIN(CASE(two_writers_of_one_name_never_mix), CASE(failures_name_the_path_and_the_reason),
           CASE(remove_all_clears_the_temporaries_in_progress), CASE(temporaries_of_ended_writers_are_swept))
