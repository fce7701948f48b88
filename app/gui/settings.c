#include "settings.h"

#include <string.h>
#include <wchar.h>

#define SETTINGS_KEY L"Software\\ProcessMemoryMap"

static int may_read = 1, may_write = 1;
static unsigned layout_generation;

void settings_set_access(int read, int write)
{
    may_read = read;
    may_write = write;
}

static int read_binary(HKEY key, const wchar_t *name, void *buf, DWORD size)
{
    DWORD type = 0, got = size;
    return RegQueryValueExW(key, name, NULL, &type, buf, &got) == ERROR_SUCCESS && type == REG_BINARY && got == size;
}

/* A REG_SZ value into text (count characters, always terminated); "" when missing or of another type. */
static void read_text(HKEY key, const wchar_t *name, wchar_t *text, size_t count)
{
    DWORD type = 0, size = (DWORD)((count - 1) * sizeof text[0]);
    if (RegQueryValueExW(key, name, NULL, &type, (BYTE *)text, &size) != ERROR_SUCCESS || type != REG_SZ)
        size = 0;
    text[size / sizeof text[0]] = L'\0';
}

static void write_text(HKEY key, const wchar_t *name, const wchar_t *text)
{
    RegSetValueExW(key, name, 0, REG_SZ, (const BYTE *)text, (DWORD)((wcslen(text) + 1) * sizeof text[0]));
}

void settings_load(gui_settings *s)
{
    memset(s, 0, sizeof *s);
    HKEY key;
    if (!may_read || RegOpenKeyExW(HKEY_CURRENT_USER, SETTINGS_KEY, 0, KEY_READ, &key) != ERROR_SUCCESS)
        return;
    s->has_placement = read_binary(key, L"WindowPlacement", &s->placement, sizeof s->placement) &&
                       s->placement.length == sizeof s->placement;
    DWORD type = 0, size = sizeof s->column_widths;
    if (RegQueryValueExW(key, L"ColumnWidths", NULL, &type, (BYTE *)s->column_widths, &size) == ERROR_SUCCESS &&
        type == REG_BINARY)
        s->column_count = (int)(size / sizeof s->column_widths[0]);
    DWORD height = 0;
    size = sizeof height;
    if (RegQueryValueExW(key, L"DetailsHeight", NULL, &type, (BYTE *)&height, &size) == ERROR_SUCCESS &&
        type == REG_DWORD && height < 4000)
        s->details_height = (int)height;
    read_text(key, L"SymbolPath", s->symbol_path, sizeof s->symbol_path / sizeof s->symbol_path[0]);
    read_text(key, L"DumpFolder", s->dump_folder, sizeof s->dump_folder / sizeof s->dump_folder[0]);
    DWORD points = 0;
    size = sizeof points;
    if (RegQueryValueExW(key, L"HexFontPoints", NULL, &type, (BYTE *)&points, &size) == ERROR_SUCCESS &&
        type == REG_DWORD && points >= SETTINGS_MIN_POINTS && points <= SETTINGS_MAX_POINTS)
        s->hex_font_points = (int)points;
    RegCloseKey(key);
}

void settings_save(const gui_settings *s)
{
    HKEY key;
    if (!may_write ||
        RegCreateKeyExW(HKEY_CURRENT_USER, SETTINGS_KEY, 0, NULL, 0, KEY_WRITE, NULL, &key, NULL) != ERROR_SUCCESS)
        return;
    if (s->has_placement)
        RegSetValueExW(key, L"WindowPlacement", 0, REG_BINARY, (const BYTE *)&s->placement, sizeof s->placement);
    if (s->column_count > 0 && s->column_count <= SETTINGS_MAX_COLUMNS)
        RegSetValueExW(key, L"ColumnWidths", 0, REG_BINARY, (const BYTE *)s->column_widths,
                       (DWORD)(s->column_count * (int)sizeof s->column_widths[0]));
    DWORD height = (DWORD)s->details_height;
    if (height)
        RegSetValueExW(key, L"DetailsHeight", 0, REG_DWORD, (const BYTE *)&height, sizeof height);
    write_text(key, L"SymbolPath", s->symbol_path);
    write_text(key, L"DumpFolder", s->dump_folder);
    DWORD points = (DWORD)s->hex_font_points;
    if (points)
        RegSetValueExW(key, L"HexFontPoints", 0, REG_DWORD, (const BYTE *)&points, sizeof points);
    else
        RegDeleteValueW(key, L"HexFontPoints");
    RegCloseKey(key);
}

/* "Columns.name" */
static void widths_value(const char *name, wchar_t *value, size_t count)
{
    _snwprintf(value, count, L"Columns.%hs", name);
    value[count - 1] = L'\0';
}

int settings_load_widths(const char *name, int *widths, int max)
{
    HKEY key;
    if (!may_read || max <= 0 || RegOpenKeyExW(HKEY_CURRENT_USER, SETTINGS_KEY, 0, KEY_READ, &key) != ERROR_SUCCESS)
        return 0;
    wchar_t value[80];
    widths_value(name, value, 80);
    DWORD type = 0, size = (DWORD)(max * (int)sizeof widths[0]);
    int count = 0;
    if (RegQueryValueExW(key, value, NULL, &type, (BYTE *)widths, &size) == ERROR_SUCCESS && type == REG_BINARY &&
        size % sizeof widths[0] == 0)
        count = (int)(size / sizeof widths[0]);
    RegCloseKey(key);
    for (int c = 0; c < count; c++)
        if (widths[c] <= 0 || widths[c] > 4000)   /* not something we wrote */
            return 0;
    return count;
}

void settings_save_widths(const char *name, const int *widths, int count)
{
    HKEY key;
    if (!may_write || count <= 0 ||
        RegCreateKeyExW(HKEY_CURRENT_USER, SETTINGS_KEY, 0, NULL, 0, KEY_WRITE, NULL, &key, NULL) != ERROR_SUCCESS)
        return;
    wchar_t value[80];
    widths_value(name, value, 80);
    RegSetValueExW(key, value, 0, REG_BINARY, (const BYTE *)widths, (DWORD)(count * (int)sizeof widths[0]));
    RegCloseKey(key);
}

unsigned settings_layout_generation(void)
{
    return layout_generation;
}

static int is_layout_value(const wchar_t *name)
{
    return wcscmp(name, L"WindowPlacement") == 0 || wcscmp(name, L"ColumnWidths") == 0 ||
           wcscmp(name, L"DetailsHeight") == 0 || wcsncmp(name, L"Columns.", 8) == 0;
}

int settings_forget_layout(void)
{
    layout_generation++;
    HKEY key;
    if (RegOpenKeyExW(HKEY_CURRENT_USER, SETTINGS_KEY, 0, KEY_READ | KEY_SET_VALUE, &key) != ERROR_SUCCESS)
        return 0;   /* nothing was ever remembered */
    int failed = 0;
    DWORD count = 0;
    if (RegQueryInfoKeyW(key, NULL, NULL, NULL, NULL, NULL, NULL, &count, NULL, NULL, NULL, NULL) != ERROR_SUCCESS)
        count = 0;
    /* From the last index down, so removing a value does not move the ones still to be seen. */
    for (DWORD i = count; i-- > 0;) {
        wchar_t name[80];
        DWORD length = 80;
        if (RegEnumValueW(key, i, name, &length, NULL, NULL, NULL, NULL) == ERROR_SUCCESS && is_layout_value(name) &&
            RegDeleteValueW(key, name) != ERROR_SUCCESS)
            failed = 1;
    }
    RegCloseKey(key);
    return failed ? -1 : 0;
}
