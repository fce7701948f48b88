#include "goto_dialog.h"

#include <commctrl.h>
#include <stdio.h>
#include <stdlib.h>
#include "address_info.h"
#include "gui_util.h"
#include "res/resource.h"

typedef struct goto_dialog {
    target_session *session;
    uint64_t addr;
} goto_dialog;

static void first_match(void *ctx, const pmm_symbol *symbol)
{
    uint64_t *addr = ctx;
    if (!*addr)
        *addr = symbol->address;
}

int goto_resolve(target_session *session, const char *text, uint64_t *addr, char *message, size_t cap)
{
    if (address_parse(text, addr))
        return 1;
    const pmm_symbols *syms = target_session_symbols(session);
    uint64_t found = 0;
    if (syms && text[0] && pmm_symbols_find(syms, text, first_match, &found) > 0 && found) {
        *addr = found;
        return 1;
    }
    snprintf(message, cap, "'%s' is neither a hexadecimal address nor the name of a function or export.", text);
    return 0;
}

static int accept(HWND hwnd, goto_dialog *d)
{
    wchar_t wide[300];
    GetDlgItemTextW(hwnd, IDC_GOTO_TEXT, wide, 300);
    char *text = gui_wide_to_utf8_alloc(wide);
    char message[512] = "";
    int ok = text && goto_resolve(d->session, text, &d->addr, message, sizeof message);
    free(text);
    if (!ok) {
        wchar_t why[512];
        gui_utf8_to_wide(message, why, 512);
        SetDlgItemTextW(hwnd, IDC_GOTO_ERROR, why);
        SetFocus(GetDlgItem(hwnd, IDC_GOTO_TEXT));
        SendDlgItemMessageW(hwnd, IDC_GOTO_TEXT, EM_SETSEL, 0, -1);
    }
    return ok;
}

static INT_PTR CALLBACK dialog_proc(HWND hwnd, UINT msg, WPARAM wparam, LPARAM lparam)
{
    goto_dialog *d = (goto_dialog *)GetWindowLongPtrW(hwnd, DWLP_USER);
    switch (msg) {
    case WM_INITDIALOG:
        SetWindowLongPtrW(hwnd, DWLP_USER, lparam);
        SendDlgItemMessageW(hwnd, IDC_GOTO_TEXT, EM_SETCUEBANNER, TRUE,
                            (LPARAM)L"7ff6a0b41000, kernel32!CreateFileW or a function");
        return TRUE;
    case WM_COMMAND:
        switch (LOWORD(wparam)) {
        case IDOK:
            if (accept(hwnd, d))
                EndDialog(hwnd, 1);
            return TRUE;
        case IDCANCEL: EndDialog(hwnd, 0); return TRUE;
        case IDC_GOTO_TEXT:
            if (HIWORD(wparam) == EN_CHANGE)
                SetDlgItemTextW(hwnd, IDC_GOTO_ERROR, L"");
            return TRUE;
        }
        break;
    }
    return FALSE;
}

int goto_dialog_run(HWND owner, target_session *session, uint64_t *addr)
{
    goto_dialog d = {session, 0};
    if (DialogBoxParamW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDD_GOTO), owner, dialog_proc, (LPARAM)&d) != 1)
        return 0;
    *addr = d.addr;
    return 1;
}
