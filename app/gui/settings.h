/* What the explorer remembers between runs, under HKCU\Software\ProcessMemoryMap: the main
 * window's placement, the region list's column widths, the height of the hex pane, the symbol
 * path, the folder dumps were last saved to and the hex view's font size (Options; its Reset the
 * layout forgets the first three and every list's widths). Sizes are
 * stored at 96 DPI so they come back right on a monitor with another scale. Unattended runs
 * (--screenshot, --dump-*) neither read nor write them, so tests see the same window every time,
 * unless --use-settings asks them to read (never write) them. */
#ifndef PMM_GUI_SETTINGS_H
#define PMM_GUI_SETTINGS_H

#include <windows.h>

#define SETTINGS_MAX_COLUMNS 16
#define SETTINGS_MIN_POINTS 6                  /* the hex view's font size, in points */
#define SETTINGS_MAX_POINTS 24

typedef struct gui_settings {
    WINDOWPLACEMENT placement;
    int has_placement;
    int column_widths[SETTINGS_MAX_COLUMNS];   /* at 96 DPI; 0 = default */
    int column_count;
    int details_height;                        /* at 96 DPI; 0 = default */
    wchar_t symbol_path[1024];                 /* Options > Symbol Path; "" = _NT_SYMBOL_PATH */
    wchar_t dump_folder[MAX_PATH * 2];         /* where the last dump went; "" = the current directory */
    int hex_font_points;                       /* 0 = the default (hex_view.h) */
    int reset_layout;                          /* Options: forget the layout on OK (never stored) */
} gui_settings;

/* Whether settings are read and written at all (gui_main: an unattended run reads them only with
 * --use-settings and never writes them). Both on until set. */
void settings_set_access(int read, int write);
/* Fills what is stored; leaves the rest zero. */
void settings_load(gui_settings *s);
void settings_save(const gui_settings *s);
/* The column widths (at 96 DPI) of the list called name ("search", "exports", ...): how many were
 * stored (0 when none), at most max. */
int settings_load_widths(const char *name, int *widths, int max);
void settings_save_widths(const char *name, const int *widths, int count);
/* Options > Reset the layout, and --reset-layout: removes the window placement, the hex pane's
 * height and every list's column widths (the other settings stay). 0, or -1 when a value could
 * not be removed. Each call starts a new layout generation: widths a list took before it are not
 * written back. */
int settings_forget_layout(void);
unsigned settings_layout_generation(void);

#endif
