#include "column_memory.h"

#include <commctrl.h>
#include <stdlib.h>
#include "gui_util.h"
#include "settings.h"

typedef struct column_memory {
    const char *name;
    int user_set;                /* the user sized a column, or the widths came from the settings */
    unsigned generation;         /* settings_layout_generation() when they were set */
} column_memory;

static int column_count(HWND list)
{
    int count = Header_GetItemCount(ListView_GetHeader(list));
    return count < SETTINGS_MAX_COLUMNS ? count : SETTINGS_MAX_COLUMNS;
}

static void save_widths(HWND list, const column_memory *m)
{
    int widths[SETTINGS_MAX_COLUMNS], count = column_count(list);
    UINT dpi = gui_dpi_for_window(list);
    for (int c = 0; c < count; c++)
        widths[c] = MulDiv(ListView_GetColumnWidth(list, c), 96, (int)dpi);
    settings_save_widths(m->name, widths, count);
}

static int sized_by_user(const NMHDR *hdr)
{
    return hdr->code == HDN_ENDTRACKW || hdr->code == HDN_ENDTRACKA || hdr->code == HDN_DIVIDERDBLCLICKW ||
           hdr->code == HDN_DIVIDERDBLCLICKA;
}

static LRESULT CALLBACK list_subclass(HWND list, UINT msg, WPARAM wparam, LPARAM lparam, UINT_PTR id, DWORD_PTR data)
{
    column_memory *m = (column_memory *)data;
    switch (msg) {
    case WM_NOTIFY:
        if (((NMHDR *)lparam)->hwndFrom == ListView_GetHeader(list) && sized_by_user((NMHDR *)lparam)) {
            m->user_set = 1;
            m->generation = settings_layout_generation();
        }
        break;
    case WM_DESTROY:
        if (m->user_set && m->generation == settings_layout_generation())   /* not when reset since */
            save_widths(list, m);
        break;
    case WM_NCDESTROY:
        RemoveWindowSubclass(list, list_subclass, id);
        free(m);
        break;
    }
    return DefSubclassProc(list, msg, wparam, lparam);
}

void column_memory_attach(HWND list, const char *name)
{
    column_memory *m = calloc(1, sizeof *m);
    if (!m)
        return;
    m->name = name;
    m->generation = settings_layout_generation();
    int widths[SETTINGS_MAX_COLUMNS], count = column_count(list);
    if (count > 0 && settings_load_widths(name, widths, SETTINGS_MAX_COLUMNS) == count) {
        UINT dpi = gui_dpi_for_window(list);
        for (int c = 0; c < count; c++)
            ListView_SetColumnWidth(list, c, gui_scale(widths[c], dpi));
        m->user_set = 1;
    }
    if (!SetWindowSubclass(list, list_subclass, 0, (DWORD_PTR)m))
        free(m);
}

int column_memory_write(HWND list, FILE *f)
{
    UINT dpi = gui_dpi_for_window(list);
    int count = Header_GetItemCount(ListView_GetHeader(list));
    if (fprintf(f, "# columns") < 0)
        return -1;
    for (int c = 0; c < count; c++)
        if (fprintf(f, " %d", MulDiv(ListView_GetColumnWidth(list, c), 96, (int)dpi)) < 0)
            return -1;
    return fputc('\n', f) == EOF ? -1 : 0;
}
