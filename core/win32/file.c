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
