#include "options_dialog.h"

#include <commctrl.h>
#include <shlobj.h>
#include <stdlib.h>
#include <wchar.h>
#include "gui_util.h"
#include "hex_view.h"
#include "res/resource.h"

typedef struct options_dialog {
    gui_settings *settings;      /* receives the values on OK; NULL for the inert preview */
    gui_settings preview;        /* the preview's own copy */
    int focus_control;
} options_dialog;

static void fill(HWND hwnd, const gui_settings *s)
{
    SendDlgItemMessageW(hwnd, IDC_OPTIONS_SYMBOLS, EM_LIMITTEXT, sizeof s->symbol_path / sizeof s->symbol_path[0] - 1, 0);
    SendDlgItemMessageW(hwnd, IDC_OPTIONS_DUMP_FOLDER, EM_LIMITTEXT, sizeof s->dump_folder / sizeof s->dump_folder[0] - 1, 0);
    SetDlgItemTextW(hwnd, IDC_OPTIONS_SYMBOLS, s->symbol_path);
    SetDlgItemTextW(hwnd, IDC_OPTIONS_DUMP_FOLDER, s->dump_folder);
    SendDlgItemMessageW(hwnd, IDC_OPTIONS_HEX_POINTS_SPIN, UDM_SETRANGE32, SETTINGS_MIN_POINTS, SETTINGS_MAX_POINTS);
    SendDlgItemMessageW(hwnd, IDC_OPTIONS_HEX_POINTS_SPIN, UDM_SETPOS32, 0,
                        s->hex_font_points ? s->hex_font_points : HEX_VIEW_DEFAULT_POINTS);
}

/* The controls into s; 0 (and says why) when a value cannot be used. */
static int collect(HWND hwnd, gui_settings *s)
{
    wchar_t folder[sizeof s->dump_folder / sizeof s->dump_folder[0]];
    GetDlgItemTextW(hwnd, IDC_OPTIONS_DUMP_FOLDER, folder, (int)(sizeof folder / sizeof folder[0]));
    DWORD attributes = folder[0] ? GetFileAttributesW(folder) : 0;
    if (folder[0] && (attributes == INVALID_FILE_ATTRIBUTES || !(attributes & FILE_ATTRIBUTE_DIRECTORY))) {
        gui_error(hwnd, "The dump folder does not exist. Pick one with Browse, or leave it empty for the "
                        "current directory.");
        return 0;
    }
    BOOL ok = FALSE;
    UINT points = GetDlgItemInt(hwnd, IDC_OPTIONS_HEX_POINTS, &ok, FALSE);
    if (!ok || points < SETTINGS_MIN_POINTS || points > SETTINGS_MAX_POINTS) {
        char message[120];
        snprintf(message, sizeof message, "The hex view's font size must be %d to %d points.", SETTINGS_MIN_POINTS,
                 SETTINGS_MAX_POINTS);
        gui_error(hwnd, message);
        return 0;
    }
    GetDlgItemTextW(hwnd, IDC_OPTIONS_SYMBOLS, s->symbol_path, (int)(sizeof s->symbol_path / sizeof s->symbol_path[0]));
    wcscpy(s->dump_folder, folder);
    s->hex_font_points = points == HEX_VIEW_DEFAULT_POINTS ? 0 : (int)points;
    s->reset_layout = IsDlgButtonChecked(hwnd, IDC_OPTIONS_RESET_LAYOUT) == BST_CHECKED;
    return 1;
}

static void browse_folder(HWND hwnd)
{
    wchar_t folder[MAX_PATH];
    BROWSEINFOW info;
    memset(&info, 0, sizeof info);
    info.hwndOwner = hwnd;
    info.pszDisplayName = folder;
    info.lpszTitle = L"The folder dumps are suggested in:";
    info.ulFlags = BIF_RETURNONLYFSDIRS | BIF_EDITBOX;
    LPITEMIDLIST chosen = SHBrowseForFolderW(&info);
    if (!chosen)
        return;
    if (SHGetPathFromIDListW(chosen, folder))
        SetDlgItemTextW(hwnd, IDC_OPTIONS_DUMP_FOLDER, folder);
    ILFree(chosen);
}

static INT_PTR CALLBACK dialog_proc(HWND hwnd, UINT msg, WPARAM wparam, LPARAM lparam)
{
    options_dialog *d = (options_dialog *)GetWindowLongPtrW(hwnd, DWLP_USER);
    switch (msg) {
    case WM_INITDIALOG:
        d = (options_dialog *)lparam;
        SetWindowLongPtrW(hwnd, DWLP_USER, lparam);
        fill(hwnd, d->settings ? d->settings : &d->preview);
        if (d->focus_control) {
            SetFocus(GetDlgItem(hwnd, d->focus_control));
            return FALSE;   /* we set the focus */
        }
        return TRUE;
    case WM_COMMAND:
        switch (LOWORD(wparam)) {
        case IDC_OPTIONS_DUMP_BROWSE:
            browse_folder(hwnd);
            return TRUE;
        case IDOK:
            if (d->settings && collect(hwnd, d->settings))
                EndDialog(hwnd, 1);
            return TRUE;
        case IDCANCEL:
            if (d->settings)
                EndDialog(hwnd, 0);
            else
                DestroyWindow(hwnd);
            return TRUE;
        }
        break;
    case WM_NCDESTROY:
        if (d && !d->settings)
            free(d);
        break;
    }
    return FALSE;
}

int options_dialog_run(HWND owner, gui_settings *s, int focus_control)
{
    options_dialog d;
    memset(&d, 0, sizeof d);
    d.settings = s;
    d.focus_control = focus_control;
    return DialogBoxParamW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDD_OPTIONS), owner, dialog_proc, (LPARAM)&d) == 1;
}

HWND options_dialog_open_preview(HWND owner, const gui_settings *s)
{
    options_dialog *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->preview = *s;
    HWND hwnd = CreateDialogParamW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDD_OPTIONS), owner, dialog_proc, (LPARAM)d);
    if (!hwnd) {
        free(d);
        return NULL;
    }
    ShowWindow(hwnd, SW_SHOW);
    return hwnd;
}

static int write_field(FILE *f, HWND hwnd, const char *name, int control)
{
    wchar_t text[1024] = L"";
    GetDlgItemTextW(hwnd, control, text, 1024);
    char *utf8 = gui_wide_to_utf8_alloc(text);
    int rc = fprintf(f, "%s\t%s\n", name, utf8 ? utf8 : "") < 0 ? -1 : 0;
    free(utf8);
    return rc;
}

int options_dialog_write_text(HWND hwnd, FILE *f)
{
    return write_field(f, hwnd, "Symbol path", IDC_OPTIONS_SYMBOLS) != 0 ||
                   write_field(f, hwnd, "Dump folder", IDC_OPTIONS_DUMP_FOLDER) != 0 ||
                   write_field(f, hwnd, "Hex view font size", IDC_OPTIONS_HEX_POINTS) != 0 ||
                   fprintf(f, "Reset the layout\t%d\n",
                           IsDlgButtonChecked(hwnd, IDC_OPTIONS_RESET_LAYOUT) == BST_CHECKED) < 0
               ? -1
               : 0;
}
