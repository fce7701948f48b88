#include "win32_util.h"

void pmm_wide_to_utf8(const wchar_t *wide, char *out, size_t cap)
{
    if (cap == 0)
        return;
    int n = WideCharToMultiByte(CP_UTF8, 0, wide, -1, out, (int)cap, NULL, NULL);
    if (n <= 0)
        out[0] = '\0';
    out[cap - 1] = '\0';
}

int pmm_utf8_to_wide(const char *text, wchar_t *out, size_t cap)
{
    return MultiByteToWideChar(CP_UTF8, 0, text, -1, out, (int)cap) > 0;
}
