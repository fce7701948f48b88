#include "dump_dialog.h"

#include <commdlg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/util/output_name.h"
#include "gui_util.h"
#include "res/resource.h"

typedef struct dump_dialog {
    const dump_dialog_facts *facts;
    dump_request *req;
    dump_request preview_req;    /* the modeless preview's own copies */
    dump_dialog_facts preview_facts;
} dump_dialog;

static const struct {
    const char *name;            /* pmm dump --format */
    const wchar_t *label;
    const wchar_t *extension;    /* suggested; NULL for a folder */
    const wchar_t *hint;
} formats[DUMP_FORMAT_COUNT] = {
    {"regions", L"Regions: one file per region in a folder", NULL,
     L"A folder with 0x<address>.bin per region and regions.map (address, size, unreadable pages)."},
    {"single", L"Single file: the regions back to back", L"bin",
     L"FILE holds the regions one after another; FILE.map gives each region's file offset."},
    {"sparse", L"Sparse file: each region at file offset = its address", L"bin",
     L"Holes between regions take no disk space (NTFS sparse file); FILE.map lists the regions."},
    {"full", L"Full file: as sparse, gaps written as zeros", L"bin",
     L"Like sparse, but the gaps are real zeros (refused past 64 GiB); FILE.map lists the regions."},
    {"minidump", L"Minidump (our writer: threads, modules, memory)", L"dmp",
     L"Every region in MemoryInfoList; memory of the selected regions plus thread stacks, or all of it."},
    {"dbghelp", L"Minidump by dbghelp (MiniDumpWriteDump)", L"dmp",
     L"Windows' own writer with the MINIDUMP_TYPE flags below (a number or MiniDumpWith... names)."},
};

const char *dump_format_name(dump_format format)
{
    return format < DUMP_FORMAT_COUNT ? formats[format].name : "";
}

int dump_format_parse(const char *text, dump_format *out)
{
    for (int f = 0; f < DUMP_FORMAT_COUNT; f++)
        if (strcmp(text, formats[f].name) == 0) {
            *out = (dump_format)f;
            return 1;
        }
    return 0;
}

static dump_format chosen_format(HWND dialog)
{
    LRESULT n = SendDlgItemMessageW(dialog, IDC_DUMP_FORMAT, CB_GETCURSEL, 0, 0);
    return n >= 0 && n < DUMP_FORMAT_COUNT ? (dump_format)n : DUMP_FORMAT_SINGLE;
}

/* Follows the format: the dbghelp flags only for dbghelp, which also always dumps the whole process. */
static void update_controls(HWND dialog, const dump_dialog_facts *facts)
{
    dump_format f = chosen_format(dialog);
    int dbghelp = f == DUMP_FORMAT_DBGHELP;
    EnableWindow(GetDlgItem(dialog, IDC_DUMP_FLAGS), dbghelp);
    EnableWindow(GetDlgItem(dialog, IDC_DUMP_FLAGS_LABEL), dbghelp);
    EnableWindow(GetDlgItem(dialog, IDC_DUMP_SELECTION), !dbghelp && facts->selected_regions > 0);
    EnableWindow(GetDlgItem(dialog, IDC_DUMP_PAGES), !dbghelp);
    EnableWindow(GetDlgItem(dialog, IDC_DUMP_DEBUG), facts->live);
    if (dbghelp || facts->selected_regions == 0) {
        CheckRadioButton(dialog, IDC_DUMP_SELECTION, IDC_DUMP_ALL, IDC_DUMP_ALL);
    }
    SetDlgItemTextW(dialog, IDC_DUMP_HINT, formats[f].hint);
}

/* folder\\name.extension (name-regions for the regions folder), as a full path the user can see. */
static void suggested_path(const dump_dialog_facts *facts, dump_format f, wchar_t *path, size_t cap)
{
    wchar_t name[600], folder[MAX_PATH * 2] = L"";
    gui_utf8_to_wide(facts->default_name && facts->default_name[0] ? facts->default_name : "dump", name, 600);
    if (facts->folder && facts->folder[0])
        gui_utf8_to_wide(facts->folder, folder, MAX_PATH * 2);
    else
        GetCurrentDirectoryW(MAX_PATH * 2, folder);
    size_t n = wcslen(folder);
    const wchar_t *separator = n && folder[n - 1] != L'\\' && folder[n - 1] != L'/' ? L"\\" : L"";
    if (formats[f].extension)
        _snwprintf(path, cap, L"%ls%ls%ls.%ls", folder, separator, name, formats[f].extension);
    else
        _snwprintf(path, cap, L"%ls%ls%ls-regions", folder, separator, name);
    path[cap - 1] = L'\0';
}

static void suggest_path(HWND dialog, const dump_dialog_facts *facts, dump_format f)
{
    wchar_t path[MAX_PATH * 3];
    suggested_path(facts, f, path, MAX_PATH * 3);
    SetDlgItemTextW(dialog, IDC_DUMP_PATH, path);
}

int dump_request_folder(const dump_request *req, char *folder, size_t cap)
{
    wchar_t path[1024], full[MAX_PATH * 2];
    wchar_t *file_part = NULL;
    gui_utf8_to_wide(req->path, path, 1024);
    DWORD n = GetFullPathNameW(path, MAX_PATH * 2, full, &file_part);
    if (n == 0 || n >= MAX_PATH * 2 || !file_part || file_part == full)
        return 0;
    /* Keep "C:\\" whole; drop the separator before the file otherwise. */
    if (file_part - full > 3 || (file_part - full == 3 && full[1] != L':'))
        file_part--;
    *file_part = L'\0';
    return WideCharToMultiByte(CP_UTF8, 0, full, -1, folder, (int)cap, NULL, NULL) > 0;
}

static void init_dialog(HWND dialog, dump_dialog *d)
{
    SetWindowLongPtrW(dialog, DWLP_USER, (LONG_PTR)d);
    for (int f = 0; f < DUMP_FORMAT_COUNT; f++)
        if (f != DUMP_FORMAT_DBGHELP || d->facts->live)
            SendDlgItemMessageW(dialog, IDC_DUMP_FORMAT, CB_ADDSTRING, 0, (LPARAM)formats[f].label);
    dump_format f = d->req->format < DUMP_FORMAT_COUNT ? d->req->format : DUMP_FORMAT_SINGLE;
    if (f == DUMP_FORMAT_DBGHELP && !d->facts->live)
        f = DUMP_FORMAT_MINIDUMP;
    SendDlgItemMessageW(dialog, IDC_DUMP_FORMAT, CB_SETCURSEL, (WPARAM)f, 0);
    wchar_t selection[120];
    _snwprintf(selection, 120, L"Selected &rows (%zu region%ls)", d->facts->selected_regions,
               d->facts->selected_regions == 1 ? L"" : L"s");
    selection[119] = L'\0';
    SetDlgItemTextW(dialog, IDC_DUMP_SELECTION, selection);
    CheckRadioButton(dialog, IDC_DUMP_SELECTION, IDC_DUMP_ALL,
                     d->req->selection_only && d->facts->selected_regions ? IDC_DUMP_SELECTION : IDC_DUMP_ALL);
    SetDlgItemTextW(dialog, IDC_DUMP_FLAGS, L"MiniDumpWithFullMemory|MiniDumpWithHandleData");
    if (d->req->path[0]) {
        wchar_t path[1024];
        gui_utf8_to_wide(d->req->path, path, 1024);
        SetDlgItemTextW(dialog, IDC_DUMP_PATH, path);
    } else {
        suggest_path(dialog, d->facts, f);
    }
    update_controls(dialog, d->facts);
}

static void browse(HWND dialog, const dump_dialog_facts *facts)
{
    dump_format f = chosen_format(dialog);
    wchar_t path[MAX_PATH * 2];
    GetDlgItemTextW(dialog, IDC_DUMP_PATH, path, MAX_PATH * 2);
    OPENFILENAMEW ofn = {0};
    ofn.lStructSize = sizeof ofn;
    ofn.hwndOwner = dialog;
    ofn.lpstrFilter = f >= DUMP_FORMAT_MINIDUMP ? L"Minidumps (*.dmp)\0*.dmp\0All files (*.*)\0*.*\0"
                                                : L"All files (*.*)\0*.*\0";
    ofn.lpstrFile = path;
    ofn.nMaxFile = MAX_PATH * 2;
    ofn.lpstrDefExt = formats[f].extension;
    ofn.lpstrTitle = f == DUMP_FORMAT_REGIONS ? L"Folder to Create for the Region Files" : L"Save the Dump As";
    ofn.Flags = OFN_OVERWRITEPROMPT | OFN_PATHMUSTEXIST | OFN_HIDEREADONLY;
    (void)facts;
    if (GetSaveFileNameW(&ofn))
        SetDlgItemTextW(dialog, IDC_DUMP_PATH, path);
}

/* Reads the controls into req; 0 (and says why) when something is missing. */
static int collect(HWND dialog, dump_request *req)
{
    wchar_t wide[1024];
    req->format = chosen_format(dialog);
    GetDlgItemTextW(dialog, IDC_DUMP_PATH, wide, 1024);
    if (!wide[0]) {
        gui_error(dialog, "Enter the file (or, for the regions format, the folder) to write the dump to.");
        return 0;
    }
    WideCharToMultiByte(CP_UTF8, 0, wide, -1, req->path, (int)sizeof req->path, NULL, NULL);
    char why[1200];
    if (pmm_output_name_check(req->path, why, sizeof why) != 0) {   /* a device such as COM1 would hang */
        gui_error(dialog, why);
        return 0;
    }
    GetDlgItemTextW(dialog, IDC_DUMP_FLAGS, wide, 256);
    WideCharToMultiByte(CP_UTF8, 0, wide, -1, req->dbghelp_flags, (int)sizeof req->dbghelp_flags, NULL, NULL);
    req->selection_only = IsDlgButtonChecked(dialog, IDC_DUMP_SELECTION) == BST_CHECKED;
    req->page_reads = IsDlgButtonChecked(dialog, IDC_DUMP_PAGES) == BST_CHECKED;
    req->attach_debug = IsDlgButtonChecked(dialog, IDC_DUMP_DEBUG) == BST_CHECKED;
    return 1;
}

static INT_PTR CALLBACK dump_dialog_proc(HWND dialog, UINT msg, WPARAM wParam, LPARAM lParam)
{
    dump_dialog *d = (dump_dialog *)GetWindowLongPtrW(dialog, DWLP_USER);
    switch (msg) {
    case WM_INITDIALOG:
        init_dialog(dialog, (dump_dialog *)lParam);
        return TRUE;
    case WM_COMMAND:
        switch (LOWORD(wParam)) {
        case IDC_DUMP_FORMAT:
            if (HIWORD(wParam) == CBN_SELCHANGE) {
                suggest_path(dialog, d->facts, chosen_format(dialog));
                update_controls(dialog, d->facts);
            }
            return TRUE;
        case IDC_DUMP_BROWSE: browse(dialog, d->facts); return TRUE;
        case IDOK:
            if (d->req != &d->preview_req && collect(dialog, d->req))
                EndDialog(dialog, IDOK);
            return TRUE;
        case IDCANCEL:
            if (d->req == &d->preview_req)
                DestroyWindow(dialog);
            else
                EndDialog(dialog, IDCANCEL);
            return TRUE;
        }
        break;
    case WM_NCDESTROY:
        if (d && d->req == &d->preview_req)
            free(d);
        break;
    }
    return FALSE;
}

int dump_dialog_run(HWND owner, const dump_dialog_facts *facts, dump_request *req)
{
    dump_dialog d = {facts, req, {0}, {0}};
    return DialogBoxParamW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDD_DUMP), owner, dump_dialog_proc, (LPARAM)&d) ==
           IDOK;
}

HWND dump_dialog_open_preview(HWND owner, const dump_dialog_facts *facts, const dump_request *req)
{
    dump_dialog *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->preview_facts = *facts;
    d->preview_req = *req;
    if (!req->path[0]) {
        wchar_t path[MAX_PATH * 3];
        suggested_path(facts, req->format, path, MAX_PATH * 3);
        WideCharToMultiByte(CP_UTF8, 0, path, -1, d->preview_req.path, (int)sizeof d->preview_req.path, NULL, NULL);
    }
    /* The caller's texts do not outlive this call. */
    d->preview_facts.default_name = NULL;
    d->preview_facts.folder = NULL;
    d->facts = &d->preview_facts;
    d->req = &d->preview_req;
    HWND dialog = CreateDialogParamW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDD_DUMP), owner, dump_dialog_proc,
                                     (LPARAM)d);
    if (!dialog) {
        free(d);
        return NULL;
    }
    ShowWindow(dialog, SW_SHOWNORMAL);
    return dialog;
}

int dump_dialog_write_text(HWND dialog, FILE *f)
{
    wchar_t path[1024] = L"";
    GetDlgItemTextW(dialog, IDC_DUMP_PATH, path, 1024);
    char *utf8 = gui_wide_to_utf8_alloc(path);
    int ok = fprintf(f, "Format\t%s\nSave to\t%s\n", dump_format_name(chosen_format(dialog)), utf8 ? utf8 : "") > 0;
    free(utf8);
    return ok ? 0 : -1;
}
