#include "symbol_path_dialog.h"

#include "res/resource.h"

typedef struct symbol_path_dialog {
    wchar_t *path;
    size_t cap;
} symbol_path_dialog;

static INT_PTR CALLBACK dialog_proc(HWND hwnd, UINT msg, WPARAM wparam, LPARAM lparam)
{
    symbol_path_dialog *d = (symbol_path_dialog *)GetWindowLongPtrW(hwnd, DWLP_USER);
    switch (msg) {
    case WM_INITDIALOG:
        d = (symbol_path_dialog *)lparam;
        SetWindowLongPtrW(hwnd, DWLP_USER, lparam);
        SendDlgItemMessageW(hwnd, IDC_SYMBOL_PATH_TEXT, EM_LIMITTEXT, (WPARAM)(d->cap - 1), 0);
        SetDlgItemTextW(hwnd, IDC_SYMBOL_PATH_TEXT, d->path);
        return TRUE;
    case WM_COMMAND:
        switch (LOWORD(wparam)) {
        case IDOK:
            GetDlgItemTextW(hwnd, IDC_SYMBOL_PATH_TEXT, d->path, (int)d->cap);
            EndDialog(hwnd, 1);
            return TRUE;
        case IDCANCEL:
            EndDialog(hwnd, 0);
            return TRUE;
        }
        break;
    }
    return FALSE;
}

int symbol_path_dialog_run(HWND owner, wchar_t *path, size_t cap)
{
    symbol_path_dialog d = {path, cap};
    return DialogBoxParamW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDD_SYMBOL_PATH), owner, dialog_proc,
                           (LPARAM)&d) == 1;
}
