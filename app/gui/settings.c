#include "settings.h"

#include <string.h>

#define SETTINGS_KEY L"Software\\ProcessMemoryMap"

static int read_binary(HKEY key, const wchar_t *name, void *buf, DWORD size)
{
    DWORD type = 0, got = size;
    return RegQueryValueExW(key, name, NULL, &type, buf, &got) == ERROR_SUCCESS && type == REG_BINARY && got == size;
}

void settings_load(gui_settings *s)
{
    memset(s, 0, sizeof *s);
    HKEY key;
    if (RegOpenKeyExW(HKEY_CURRENT_USER, SETTINGS_KEY, 0, KEY_READ, &key) != ERROR_SUCCESS)
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
    size = sizeof s->symbol_path - sizeof s->symbol_path[0];
    if (RegQueryValueExW(key, L"SymbolPath", NULL, &type, (BYTE *)s->symbol_path, &size) != ERROR_SUCCESS ||
        type != REG_SZ)
        s->symbol_path[0] = L'\0';
    s->symbol_path[sizeof s->symbol_path / sizeof s->symbol_path[0] - 1] = L'\0';
    RegCloseKey(key);
}

void settings_save(const gui_settings *s)
{
    HKEY key;
    if (RegCreateKeyExW(HKEY_CURRENT_USER, SETTINGS_KEY, 0, NULL, 0, KEY_WRITE, NULL, &key, NULL) != ERROR_SUCCESS)
        return;
    if (s->has_placement)
        RegSetValueExW(key, L"WindowPlacement", 0, REG_BINARY, (const BYTE *)&s->placement, sizeof s->placement);
    if (s->column_count > 0 && s->column_count <= SETTINGS_MAX_COLUMNS)
        RegSetValueExW(key, L"ColumnWidths", 0, REG_BINARY, (const BYTE *)s->column_widths,
                       (DWORD)(s->column_count * (int)sizeof s->column_widths[0]));
    DWORD height = (DWORD)s->details_height;
    if (height)
        RegSetValueExW(key, L"DetailsHeight", 0, REG_DWORD, (const BYTE *)&height, sizeof height);
    RegSetValueExW(key, L"SymbolPath", 0, REG_SZ, (const BYTE *)s->symbol_path,
                   (DWORD)((wcslen(s->symbol_path) + 1) * sizeof s->symbol_path[0]));
    RegCloseKey(key);
}
