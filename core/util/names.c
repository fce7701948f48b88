#include "names.h"

#include <string.h>

static char fold(char c)
{
    return (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
}

int pmm_names_equal(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (fold(*a) != fold(*b))
            return 0;
    return *a == *b;
}

int pmm_names_equal_n(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (fold(a[i]) != fold(b[i]))
            return 0;
    return 1;
}

const char *pmm_path_base_name(const char *path)
{
    const char *name = path;
    for (const char *p = path; p && *p; p++)
        if (*p == '\\' || *p == '/')
            name = p + 1;
    return name;
}

int pmm_path_redirect_wow64(char *path)
{
    static const char system32[] = "\\system32\\";
    size_t n = sizeof system32 - 1, len = strlen(path);
    for (size_t i = 0; i + n <= len; i++)
        if (pmm_names_equal_n(path + i, system32, n)) {
            memcpy(path + i, "\\SysWOW64\\", n);
            return 1;
        }
    return 0;
}
