#include <windows.h>
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "../util/file_platform.h"

/* A malloc'd UTF-16 copy of a UTF-8 string, or NULL. */
static wchar_t *to_wide(const char *text)
{
    int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, text, -1, NULL, 0);
    if (n <= 0)
        return NULL;
    wchar_t *wide = malloc((size_t)n * sizeof *wide);
    if (wide && MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, text, -1, wide, n) != n) {
        free(wide);
        wide = NULL;
    }
    return wide;
}

/* Below this the plain functions take a path (CreateDirectoryW allows 12 characters fewer than
 * MAX_PATH, for the 8.3 name of a file inside). */
#define SHORT_PATH_LIMIT (MAX_PATH - 12)

/* The UTF-16 path for a file or folder call: a long one made absolute and given the \\?\ prefix
 * (\\?\UNC\ for \\server\share), which lifts the 260-character limit. malloc'd; NULL when
 * path is no valid UTF-8. */
static wchar_t *to_wide_path(const char *path)
{
    wchar_t *wide = to_wide(path);
    if (!wide || wcslen(wide) < SHORT_PATH_LIMIT || wcsncmp(wide, L"\\\\?\\", 4) == 0)
        return wide;
    DWORD n = GetFullPathNameW(wide, 0, NULL, NULL);
    wchar_t *full = n ? malloc((n + 8) * sizeof *full) : NULL;
    if (!full)
        return wide;
    wchar_t *at = full + 4;
    wcscpy(full, L"\\\\?\\");
    if (GetFullPathNameW(wide, n, at, NULL) == 0) {
        free(full);
        return wide;
    }
    if (at[0] == L'\\' && at[1] == L'\\') {   /* \\server\share -> \\?\UNC\server\share */
        memmove(full + 8, at + 2, (wcslen(at + 2) + 1) * sizeof *full);
        memcpy(full + 4, L"UNC\\", 4 * sizeof *full);
    }
    free(wide);
    return full;
}

FILE *pmm_file_open(const char *path, const char *mode)
{
    wchar_t *wpath = to_wide_path(path), *wmode = to_wide(mode);
    FILE *f = wpath && wmode ? _wfopen(wpath, wmode) : NULL;
    free(wpath);
    free(wmode);
    return f;
}

/* MOVEFILE_WRITE_THROUGH: the call returns only once the rename is on disk, so a crash right after
 * a successful save cannot bring the old file back. */
int pmm_file_replace(const char *from, const char *to)
{
    wchar_t *wfrom = to_wide_path(from), *wto = to_wide_path(to);
    BOOL ok = wfrom && wto && MoveFileExW(wfrom, wto, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH);
    free(wfrom);
    free(wto);
    return ok ? 0 : -1;
}

int pmm_file_identity(const char *path, pmm_file_id *out)
{
    wchar_t *wpath = to_wide_path(path);
    if (!wpath)
        return ERROR_INVALID_NAME;
    HANDLE h = CreateFileW(wpath, 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, OPEN_EXISTING,
                           FILE_FLAG_BACKUP_SEMANTICS, NULL);
    DWORD error = h == INVALID_HANDLE_VALUE ? GetLastError() : 0;
    free(wpath);
    if (error)
        return (int)error;
    BY_HANDLE_FILE_INFORMATION info;
    if (!GetFileInformationByHandle(h, &info))
        error = GetLastError();
    else if (info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
        error = ERROR_DIRECTORY;
    CloseHandle(h);
    if (error)
        return (int)error;
    out->volume = info.dwVolumeSerialNumber;
    out->index = (uint64_t)info.nFileIndexHigh << 32 | info.nFileIndexLow;
    out->size = (uint64_t)info.nFileSizeHigh << 32 | info.nFileSizeLow;
    out->modified = (uint64_t)info.ftLastWriteTime.dwHighDateTime << 32 | info.ftLastWriteTime.dwLowDateTime;
    return 0;
}

int pmm_file_same(const char *a, const char *b)
{
    pmm_file_id x, y;
    return pmm_file_identity(a, &x) == 0 && pmm_file_identity(b, &y) == 0 && x.volume == y.volume &&
           x.index == y.index;
}

pmm_path_kind pmm_path_kind_of(const char *path)
{
    wchar_t *wpath = to_wide_path(path);
    DWORD attributes = wpath ? GetFileAttributesW(wpath) : INVALID_FILE_ATTRIBUTES;
    pmm_path_kind kind = PMM_PATH_NONE;
    if (attributes != INVALID_FILE_ATTRIBUTES) {
        kind = attributes & FILE_ATTRIBUTE_DIRECTORY ? PMM_PATH_FOLDER : PMM_PATH_FILE;
        if (kind == PMM_PATH_FILE) {   /* a pipe or a device answers to GetFileAttributes too */
            HANDLE h = CreateFileW(wpath, 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                                   OPEN_EXISTING, 0, NULL);
            if (h != INVALID_HANDLE_VALUE) {
                if (GetFileType(h) != FILE_TYPE_DISK)
                    kind = PMM_PATH_OTHER;
                CloseHandle(h);
            }
        }
    }
    free(wpath);
    return kind;
}

/* CreateFileW, so the name is UTF-16 and the sharing is ours (msvcrt's _wfopen allows no delete),
 * then a C stream over the handle. */
FILE *pmm_file_create_new(const char *path, int *error)
{
    wchar_t *wpath = to_wide_path(path);
    if (!wpath) {
        *error = ERROR_INVALID_NAME;
        return NULL;
    }
    HANDLE h = CreateFileW(wpath, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL,
                           CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
    *error = h == INVALID_HANDLE_VALUE ? (int)GetLastError() : 0;
    int fd = h == INVALID_HANDLE_VALUE ? -1 : _open_osfhandle((intptr_t)h, _O_RDWR | _O_BINARY);
    FILE *f = fd >= 0 ? _fdopen(fd, "w+b") : NULL;
    if (!f && h != INVALID_HANDLE_VALUE) {
        if (!*error)
            *error = ERROR_NOT_ENOUGH_MEMORY;
        if (fd >= 0)
            _close(fd);
        else
            CloseHandle(h);
        DeleteFileW(wpath);
    }
    free(wpath);
    return f;
}

int pmm_file_rename_new(const char *from, const char *to)
{
    wchar_t *wfrom = to_wide_path(from), *wto = to_wide_path(to);
    BOOL ok = wfrom && wto && MoveFileExW(wfrom, wto, MOVEFILE_WRITE_THROUGH);
    int error = ok ? 0 : wfrom && wto ? (int)GetLastError() : ERROR_INVALID_NAME;
    free(wfrom);
    free(wto);
    return error;
}

typedef BOOL(WINAPI *path_call)(const wchar_t *path);

static int call_with_path(path_call call, const char *path)
{
    wchar_t *wpath = to_wide_path(path);
    int error = !wpath ? ERROR_INVALID_NAME : call(wpath) ? 0 : (int)GetLastError();
    free(wpath);
    return error;
}

int pmm_file_remove(const char *path)
{
    return call_with_path(DeleteFileW, path);
}

static BOOL WINAPI create_folder(const wchar_t *path)
{
    return CreateDirectoryW(path, NULL);
}

int pmm_folder_create(const char *path)
{
    return call_with_path(create_folder, path);
}

int pmm_folder_remove(const char *path)
{
    return call_with_path(RemoveDirectoryW, path);
}

/* msvcrt maps the Win32 error of a failed WriteFile to errno and leaves it in GetLastError: the
 * Win32 one is the more precise ("There is not enough space on the disk."). */
int pmm_os_error_last(void)
{
    DWORD error = GetLastError();
    if (error)
        return (int)error;
    return errno ? -errno : ERROR_WRITE_FAULT;   /* the C library's own reason, told apart by its sign */
}

int pmm_os_error_of_write(FILE *f)
{
    int error = pmm_os_error_last();
    if (error > 0 && error != ERROR_WRITE_FAULT)
        return error;
    HANDLE h = (HANDLE)_get_osfhandle(_fileno(f));
    LARGE_INTEGER end = {{0, 0}};
    DWORD written = 0;
    if (h == INVALID_HANDLE_VALUE || !SetFilePointerEx(h, end, NULL, FILE_END))
        return error;
    SetLastError(0);
    if (WriteFile(h, "", 1, &written, NULL) && written == 1)
        return error;
    return GetLastError() ? (int)GetLastError() : error;
}

const char *pmm_os_error_text(int error, char *buf, size_t cap)
{
    if (error < 0) {
        snprintf(buf, cap, "%s", strerror(-error));
        return buf;
    }
    wchar_t text[512];
    DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, (DWORD)error, 0, text,
                             sizeof text / sizeof text[0], NULL);
    /* Without the line end and the closing full stop, so the text can go inside a sentence. */
    while (n > 0 && (text[n - 1] == L'\r' || text[n - 1] == L'\n' || text[n - 1] == L' ' || text[n - 1] == L'.'))
        text[--n] = 0;
    if (n == 0 || WideCharToMultiByte(CP_UTF8, 0, text, -1, buf, (int)cap, NULL, NULL) <= 0)
        snprintf(buf, cap, "Windows error %d", error);
    return buf;
}

int pmm_os_error_is_vague(int error)
{
    return error == 0 || error == ERROR_GEN_FAILURE || error == ERROR_WRITE_FAULT;
}

int pmm_os_error_is_exists(int error)
{
    return error == ERROR_ALREADY_EXISTS || error == ERROR_FILE_EXISTS;
}

int pmm_os_error_is_busy(int error)
{
    return error == ERROR_ACCESS_DENIED || error == ERROR_SHARING_VIOLATION || error == ERROR_LOCK_VIOLATION;
}

void pmm_pause_ms(unsigned ms)
{
    Sleep(ms);
}

uint32_t pmm_process_id(void)
{
    return GetCurrentProcessId();
}

int pmm_process_running(uint32_t pid)
{
    HANDLE h = OpenProcess(SYNCHRONIZE, FALSE, pid);
    if (!h)
        return GetLastError() == ERROR_ACCESS_DENIED;   /* there, but not ours to open */
    int running = WaitForSingleObject(h, 0) == WAIT_TIMEOUT;
    CloseHandle(h);
    return running;
}

int pmm_folder_list(const char *folder, const char *prefix, pmm_folder_entry_fn fn, void *ctx)
{
    size_t n = strlen(folder) + strlen(prefix) + 3;
    char *pattern = malloc(n);
    if (!pattern)
        return ERROR_NOT_ENOUGH_MEMORY;
    size_t folder_len = strlen(folder);
    int ends_with_separator = folder_len && (folder[folder_len - 1] == '\\' || folder[folder_len - 1] == '/');
    snprintf(pattern, n, "%s%s%s*", folder, ends_with_separator ? "" : "\\", prefix);
    wchar_t *wpattern = to_wide_path(pattern);
    free(pattern);
    WIN32_FIND_DATAW found;
    HANDLE h = wpattern ? FindFirstFileW(wpattern, &found) : INVALID_HANDLE_VALUE;
    int error = h == INVALID_HANDLE_VALUE ? (wpattern ? (int)GetLastError() : ERROR_INVALID_NAME) : 0;
    free(wpattern);
    if (error)
        return error;
    do {
        char name[MAX_PATH * 3];
        if (WideCharToMultiByte(CP_UTF8, 0, found.cFileName, -1, name, sizeof name, NULL, NULL) > 0 &&
            strncmp(name, prefix, strlen(prefix)) == 0 && fn(ctx, name))   /* 8.3 names match patterns too */
            break;
    } while (FindNextFileW(h, &found));
    FindClose(h);
    return 0;
}

struct pmm_read_file {
    HANDLE handle;
};

struct pmm_file_mapping {
    HANDLE section;
    const void *view;
};

/* FILE_SHARE_WRITE and FILE_SHARE_DELETE: a dump another program still holds open for writing,
 * or deletes meanwhile, can still be read, as Explorer and WinDbg allow. */
pmm_status pmm_read_file_open(const char *path, pmm_read_file **out, uint64_t *size)
{
    *out = NULL;
    wchar_t *wpath = to_wide_path(path);
    HANDLE h = wpath ? CreateFileW(wpath, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                                   OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL)
                     : INVALID_HANDLE_VALUE;
    free(wpath);
    if (h == INVALID_HANDLE_VALUE)
        return PMM_ERR_NOT_FOUND;
    LARGE_INTEGER length;
    if (GetFileType(h) != FILE_TYPE_DISK || !GetFileSizeEx(h, &length) || length.QuadPart < 0) {
        CloseHandle(h);
        return PMM_ERR_IO;
    }
    pmm_read_file *file = malloc(sizeof *file);
    if (!file) {
        CloseHandle(h);
        return PMM_ERR_NOMEM;
    }
    file->handle = h;
    *size = (uint64_t)length.QuadPart;
    *out = file;
    return PMM_OK;
}

pmm_status pmm_read_file_at(pmm_read_file *file, uint64_t offset, void *buf, size_t len)
{
    uint8_t *to = buf;
    while (len > 0) {
        DWORD want = len > 0x40000000u ? 0x40000000u : (DWORD)len, got = 0;
        OVERLAPPED at = {0};
        at.Offset = (DWORD)offset;
        at.OffsetHigh = (DWORD)(offset >> 32);
        if (!ReadFile(file->handle, to, want, &got, &at) || got == 0)
            return PMM_ERR_IO;
        to += got;
        offset += got;
        len -= got;
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
    m->section = CreateFileMappingW(file->handle, NULL, PAGE_READONLY, 0, 0, NULL);
    m->view = m->section ? MapViewOfFile(m->section, FILE_MAP_READ, 0, 0, 0) : NULL;
    if (!m->view) {   /* a 32-bit process has no room for a file of some GiB: read it instead */
        if (m->section)
            CloseHandle(m->section);
        free(m);
        return NULL;
    }
    *mapping = m;
    return m->view;
}

void pmm_read_file_unmap(pmm_file_mapping *mapping)
{
    UnmapViewOfFile(mapping->view);
    CloseHandle(mapping->section);
    free(mapping);
}

void pmm_read_file_close(pmm_read_file *file)
{
    CloseHandle(file->handle);
    free(file);
}
