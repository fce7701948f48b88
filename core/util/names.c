#include "names.h"

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
