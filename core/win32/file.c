#include <windows.h>
#include <stdlib.h>
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

FILE *pmm_file_open(const char *path, const char *mode)
{
    wchar_t *wpath = to_wide(path), *wmode = to_wide(mode);
    FILE *f = wpath && wmode ? _wfopen(wpath, wmode) : NULL;
    free(wpath);
    free(wmode);
    return f;
}

/* MOVEFILE_WRITE_THROUGH: the call returns only once the rename is on disk, so a crash right after
 * a successful save cannot bring the old file back. */
int pmm_file_replace(const char *from, const char *to)
{
    wchar_t *wfrom = to_wide(from), *wto = to_wide(to);
    BOOL ok = wfrom && wto && MoveFileExW(wfrom, wto, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH);
    free(wfrom);
    free(wto);
    return ok ? 0 : -1;
}

/* The volume and file index of an existing file or folder; 0 when it cannot be opened. */
static int file_identity(const char *path, BY_HANDLE_FILE_INFORMATION *info)
{
    wchar_t *wpath = to_wide(path);
    HANDLE h = wpath ? CreateFileW(wpath, 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                                   OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL)
                     : INVALID_HANDLE_VALUE;
    free(wpath);
    if (h == INVALID_HANDLE_VALUE)
        return 0;
    BOOL ok = GetFileInformationByHandle(h, info);
    CloseHandle(h);
    return ok != 0;
}

int pmm_file_same(const char *a, const char *b)
{
    BY_HANDLE_FILE_INFORMATION x, y;
    return file_identity(a, &x) && file_identity(b, &y) && x.dwVolumeSerialNumber == y.dwVolumeSerialNumber &&
           x.nFileIndexHigh == y.nFileIndexHigh && x.nFileIndexLow == y.nFileIndexLow;
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
    wchar_t *wpath = to_wide(path);
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
