#if !defined(_FILE_OFFSET_BITS)
#define _FILE_OFFSET_BITS 64   /* pread and fstat with 64-bit offsets on 32-bit hosts */
#endif
#if !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include "file_platform.h"

#include <errno.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

FILE *pmm_file_open(const char *path, const char *mode)
{
    return fopen(path, mode);
}

/* POSIX rename replaces the destination atomically within one file system. */
int pmm_file_replace(const char *from, const char *to)
{
    return rename(from, to);
}

int pmm_file_same(const char *a, const char *b)
{
    pmm_file_id x, y;
    return pmm_file_identity(a, &x) == 0 && pmm_file_identity(b, &y) == 0 && x.volume == y.volume &&
           x.index == y.index;
}

pmm_path_kind pmm_path_kind_of(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return PMM_PATH_NONE;
    return S_ISREG(st.st_mode) ? PMM_PATH_FILE : S_ISDIR(st.st_mode) ? PMM_PATH_FOLDER : PMM_PATH_OTHER;
}

int pmm_file_identity(const char *path, pmm_file_id *out)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return errno ? errno : EIO;   /* never 0: the caller reads *out on 0 */
    if (!S_ISREG(st.st_mode))
        return EINVAL;
    out->volume = (uint64_t)st.st_dev;
    out->index = (uint64_t)st.st_ino;
    out->size = (uint64_t)st.st_size;
    out->modified = (uint64_t)st.st_mtim.tv_sec * 1000000000u + (uint64_t)st.st_mtim.tv_nsec;
    return 0;
}

FILE *pmm_file_create_new(const char *path, int *error)
{
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    FILE *f = fd >= 0 ? fdopen(fd, "w+b") : NULL;
    if (!f) {
        *error = errno;
        if (fd >= 0) {
            close(fd);
            unlink(path);
        }
    }
    return f;
}

/* link() fails when the new name exists, which rename() would replace without a word. */
int pmm_file_rename_new(const char *from, const char *to)
{
    if (link(from, to) != 0)
        return errno;
    unlink(from);
    return 0;
}

int pmm_file_remove(const char *path)
{
    return unlink(path) == 0 ? 0 : errno;
}

int pmm_folder_create(const char *path)
{
    return mkdir(path, 0777) == 0 ? 0 : errno;
}

int pmm_folder_remove(const char *path)
{
    return rmdir(path) == 0 ? 0 : errno;
}

int pmm_os_error_last(void)
{
    return errno;
}

int pmm_os_error_of_write(FILE *f)
{
    int error = errno;
    if (error && error != EINVAL)
        return error;
    int fd = fileno(f);
    if (fd < 0 || lseek(fd, 0, SEEK_END) < 0)
        return error;
    return write(fd, "", 1) == 1 ? error : errno;
}

const char *pmm_os_error_text(int error, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s", strerror(error));
    return buf;
}

int pmm_os_error_is_vague(int error)
{
    return error == 0 || error == EIO;
}

int pmm_os_error_is_exists(int error)
{
    return error == EEXIST;
}

int pmm_os_error_is_busy(int error)
{
    return error == EBUSY;
}

void pmm_pause_ms(unsigned ms)
{
    struct timespec pause = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    nanosleep(&pause, NULL);
}

uint32_t pmm_process_id(void)
{
    return (uint32_t)getpid();
}

int pmm_process_running(uint32_t pid)
{
    return pid != 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

int pmm_folder_list(const char *folder, const char *prefix, pmm_folder_entry_fn fn, void *ctx)
{
    DIR *d = opendir(folder);
    if (!d)
        return errno;
    size_t n = strlen(prefix);
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (strncmp(e->d_name, prefix, n) == 0 && fn(ctx, e->d_name))
            break;
    closedir(d);
    return 0;
}

struct pmm_read_file {
    int fd;
};

struct pmm_file_mapping {
    void *base;
    size_t size;
};

pmm_status pmm_read_file_open(const char *path, pmm_read_file **out, uint64_t *size)
{
    *out = NULL;
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return PMM_ERR_NOT_FOUND;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return PMM_ERR_IO;
    }
    if (!S_ISREG(st.st_mode) || st.st_size < 0) {   /* a folder or a device is no file to read */
        close(fd);
        return PMM_ERR_NOT_FOUND;
    }
    pmm_read_file *file = malloc(sizeof *file);
    if (!file) {
        close(fd);
        return PMM_ERR_NOMEM;
    }
    file->fd = fd;
    *size = (uint64_t)st.st_size;
    *out = file;
    return PMM_OK;
}

pmm_status pmm_read_file_at(pmm_read_file *file, uint64_t offset, void *buf, size_t len)
{
    uint8_t *to = buf;
    while (len > 0) {
        if (offset > (uint64_t)INT64_MAX)
            return PMM_ERR_IO;
        ssize_t got = pread(file->fd, to, len, (off_t)offset);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return PMM_ERR_IO;
        to += got;
        offset += (uint64_t)got;
        len -= (size_t)got;
    }
    return PMM_OK;
}

const uint8_t *pmm_read_file_map(pmm_read_file *file, uint64_t size, pmm_file_mapping **mapping)
{
    *mapping = NULL;
    if (size == 0 || size > SIZE_MAX)
        return NULL;
    pmm_file_mapping *m = malloc(sizeof *m);
    if (!m)
        return NULL;
    m->size = (size_t)size;
    m->base = mmap(NULL, m->size, PROT_READ, MAP_SHARED, file->fd, 0);
    if (m->base == MAP_FAILED) {
        free(m);
        return NULL;
    }
    *mapping = m;
    return m->base;
}

void pmm_read_file_unmap(pmm_file_mapping *mapping)
{
    munmap(mapping->base, mapping->size);
    free(mapping);
}

void pmm_read_file_close(pmm_read_file *file)
{
    close(file->fd);
    free(file);
}
