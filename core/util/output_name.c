#include "output_name.h"

#include <stdio.h>
#include <string.h>

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

static int is_separator(char c)
{
    return c == '\\' || c == '/';
}

/* Whether the component [name, name + len) names a device: its part before the first dot, with
 * trailing spaces dropped (Windows drops them too), is a reserved name. */
static int is_device_component(const char *name, size_t len)
{
    static const char *const plain[] = {"con", "prn", "aux", "nul", "conin$", "conout$", "clock$"};
    static const char *const numbered[] = {"com", "lpt"};
    /* The digits Windows accepts after COM and LPT: 1-9 and the superscripts 1, 2 and 3. */
    static const char *const digits[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "\xC2\xB9", "\xC2\xB2", "\xC2\xB3"};
    size_t stem = 0;
    while (stem < len && name[stem] != '.')
        stem++;
    while (stem > 0 && name[stem - 1] == ' ')
        stem--;
    char text[16];
    if (stem == 0 || stem >= sizeof text)
        return 0;
    for (size_t i = 0; i < stem; i++)
        text[i] = lower(name[i]);
    text[stem] = '\0';
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        if (strcmp(text, plain[i]) == 0)
            return 1;
    for (size_t i = 0; i < sizeof numbered / sizeof numbered[0]; i++) {
        if (strncmp(text, numbered[i], 3) != 0)
            continue;
        for (size_t d = 0; d < sizeof digits / sizeof digits[0]; d++)
            if (strcmp(text + 3, digits[d]) == 0)
                return 1;
    }
    return 0;
}

/* \\.\X and \\?\GLOBALROOT\X open devices; \??\X is the NT namespace itself. \\?\C:\... (a long
 * path) is an ordinary file name. */
static int in_device_namespace(const char *path)
{
    if (is_separator(path[0]) && is_separator(path[1]) && path[2] == '.' && is_separator(path[3]))
        return 1;
    if (is_separator(path[0]) && path[1] == '?' && path[2] == '?' && is_separator(path[3]))
        return 1;
    if (is_separator(path[0]) && is_separator(path[1]) && path[2] == '?' && is_separator(path[3])) {
        static const char globalroot[] = "globalroot";
        for (size_t i = 0; i < sizeof globalroot - 1; i++)
            if (lower(path[4 + i]) != globalroot[i])
                return 0;
        return 1;
    }
    return 0;
}

int pmm_output_name_check(const char *path, char *message, size_t cap)
{
    if (!path || !path[0]) {
        snprintf(message, cap, "the output name is empty: give a file (or folder) name");
        return -1;
    }
    if (in_device_namespace(path)) {
        snprintf(message, cap, "'%s' is in the device namespace, not a file: give a file name", path);
        return -1;
    }
    const char *p = path;
    if (((p[0] | 0x20) >= 'a' && (p[0] | 0x20) <= 'z') && p[1] == ':')
        p += 2;   /* "C:NUL" is NUL on drive C */
    while (*p) {
        size_t len = strcspn(p, "\\/");
        if (is_device_component(p, len)) {
            snprintf(message, cap, "'%s' names the Windows device %.*s, not a file (CON, PRN, AUX, NUL, COM1-9 and "
                     "LPT1-9 are devices with any extension and in any folder): choose another name", path, (int)len, p);
            return -1;
        }
        p += len;
        while (is_separator(*p))
            p++;
    }
    return 0;
}
