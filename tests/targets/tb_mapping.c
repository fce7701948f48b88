/* Mapped views: one of a real file (type Mapped File, with a path) and one of a pagefile-backed
 * section (type Shareable, no path).
 *
 * The file's size is deliberately not a multiple of the page size, so the view is larger than
 * the file: scanners must report the page-rounded size.
 */
#include "target_basic.h"

#include <stdio.h>
#include <string.h>

#define TB_FILE_SIZE 10000
#define TB_FILE_FILL 0xf0
#define TB_FILE_TAG "PMM-MAPPED-FILE!"      /* 16 bytes at offset 0, then TB_FILE_FILL */
#define TB_SHARED_SIZE (256 * 1024)
#define TB_SHARED_FILL 0x5c

/* GetTempPath may return 8.3 names (C:\Users\RUNNER~1\...); tests compare against the long path
 * that GetMappedFileName-based tools show, so expand it. */
static int make_file_path(tb_mapping *m)
{
    wchar_t temp[MAX_PATH + 1];
    DWORD len = GetTempPathW(MAX_PATH + 1, temp);
    if (len == 0 || len > MAX_PATH)
        return tb_fail("GetTempPathW");
    wchar_t long_temp[MAX_PATH * 2];
    len = GetLongPathNameW(temp, long_temp, MAX_PATH * 2);
    if (len == 0 || len >= MAX_PATH * 2)
        return tb_fail("GetLongPathNameW");
    int written = _snwprintf(m->file_path, MAX_PATH * 2, L"%lspmm_target_%lu.bin", long_temp,
                             (unsigned long)GetCurrentProcessId());
    if (written < 0 || written >= MAX_PATH * 2) {
        SetLastError(ERROR_BUFFER_OVERFLOW);
        return tb_fail("temporary file name");
    }
    return 0;
}

static int write_file_contents(HANDLE file)
{
    static unsigned char contents[TB_FILE_SIZE];
    memset(contents, TB_FILE_FILL, sizeof contents);
    memcpy(contents, TB_FILE_TAG, strlen(TB_FILE_TAG));
    DWORD written = 0;
    if (!WriteFile(file, contents, sizeof contents, &written, NULL) || written != sizeof contents)
        return tb_fail("WriteFile");
    return 0;
}

static int make_file_view(tb_mapping *m, size_t page_size)
{
    if (make_file_path(m) != 0)
        return -1;
    /* CREATE_ALWAYS: a file left by an earlier target with the same pid that was killed is reused.
     * Share everything: the section keeps this open file (and its sharing mode) alive, and tests
     * open the file to compare it with the view. */
    m->file = CreateFileW(m->file_path, GENERIC_READ | GENERIC_WRITE,
                          FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, CREATE_ALWAYS,
                          FILE_ATTRIBUTE_TEMPORARY, NULL);
    if (m->file == INVALID_HANDLE_VALUE)
        return tb_fail("CreateFileW in %TEMP%");
    if (write_file_contents(m->file) != 0)
        return -1;
    m->file_size = TB_FILE_SIZE;
    m->file_section = CreateFileMappingW(m->file, NULL, PAGE_READONLY, 0, 0, NULL);
    if (!m->file_section)
        return tb_fail("CreateFileMappingW of the file");
    void *view = MapViewOfFile(m->file_section, FILE_MAP_READ, 0, 0, 0);
    if (!view)
        return tb_fail("MapViewOfFile of the file");
    /* The section holds the file from here on; our handle would only be one more to leak. */
    CloseHandle(m->file);
    m->file = INVALID_HANDLE_VALUE;
    m->file_view.base = (uintptr_t)view;
    m->file_view.size = (m->file_size + page_size - 1) & ~(page_size - 1);
    m->file_view.protect = PAGE_READONLY;
    m->file_view.fill = TB_FILE_FILL;
    return 0;
}

static int make_shared_view(tb_mapping *m)
{
    _snwprintf(m->shared_name, sizeof m->shared_name / sizeof m->shared_name[0],
               L"Local\\pmm_target_section_%lu", (unsigned long)GetCurrentProcessId());
    m->shared_name[sizeof m->shared_name / sizeof m->shared_name[0] - 1] = L'\0';
    m->shared_section = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0,
                                           TB_SHARED_SIZE, m->shared_name);
    if (!m->shared_section)
        return tb_fail("CreateFileMappingW(INVALID_HANDLE_VALUE)");
    void *view = MapViewOfFile(m->shared_section, FILE_MAP_WRITE, 0, 0, TB_SHARED_SIZE);
    if (!view)
        return tb_fail("MapViewOfFile of the shared section");
    m->shared_view.base = (uintptr_t)view;
    m->shared_view.size = TB_SHARED_SIZE;
    m->shared_view.protect = PAGE_READWRITE;
    m->shared_view.fill = TB_SHARED_FILL;
    memset(view, TB_SHARED_FILL, TB_SHARED_SIZE);
    return 0;
}

int tb_mapping_make(tb_mapping *m, size_t page_size)
{
    memset(m, 0, sizeof *m);
    m->file = INVALID_HANDLE_VALUE;
    if (make_file_view(m, page_size) != 0 || make_shared_view(m) != 0)
        return -1;
    return 0;
}

/* Removes the temporary file. The view must go first: Windows refuses to delete a mapped file. */
void tb_mapping_remove_file(tb_mapping *m)
{
    if (m->file_view.base)
        UnmapViewOfFile((void *)m->file_view.base);
    m->file_view.base = 0;
    if (m->file_section)
        CloseHandle(m->file_section);
    m->file_section = NULL;
    if (m->file && m->file != INVALID_HANDLE_VALUE)
        CloseHandle(m->file);
    m->file = INVALID_HANDLE_VALUE;
    if (m->file_path[0] && !DeleteFileW(m->file_path))
        tb_fail("DeleteFileW of the temporary file");
    m->file_path[0] = L'\0';
}

void tb_mapping_report(const tb_mapping *m, tj_writer *w)
{
    tj_begin_object(w, "mapped_file");
    tj_address(w, "base", m->file_view.base);
    tj_uint(w, "size", m->file_view.size);
    tj_uint(w, "file_size", m->file_size);
    tj_wstring(w, "path", m->file_path);
    tb_report_protect(w, "protect", m->file_view.protect);
    tj_string(w, "tag", TB_FILE_TAG);
    tj_uint(w, "fill", (unsigned)m->file_view.fill);
    tj_end_object(w);

    tj_begin_object(w, "shared_section");
    tj_address(w, "base", m->shared_view.base);
    tj_uint(w, "size", m->shared_view.size);
    tj_wstring(w, "name", m->shared_name);
    tb_report_protect(w, "protect", m->shared_view.protect);
    tj_uint(w, "fill", (unsigned)m->shared_view.fill);
    tj_end_object(w);
}
