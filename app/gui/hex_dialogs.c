#include "hex_dialogs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "core/util/text.h"
#include "gui_util.h"
#include "res/resource.h"

int hex_find_compile(const char *text, int kind, pmm_search_pattern *pattern, char *message, size_t cap)
{
    static const pmm_search_kind kinds[] = {PMM_SEARCH_ANSI, PMM_SEARCH_ANSI, PMM_SEARCH_UTF16, PMM_SEARCH_HEX};
    pmm_search_spec spec = {0};
    spec.kind = kinds[kind >= 0 && kind <= HEX_FIND_HEX ? kind : 0];
    spec.text = text;
    spec.ignore_case = kind == HEX_FIND_TEXT_NOCASE;
    return pmm_search_compile(&spec, pattern, message, cap) == PMM_OK;
}

typedef struct find_dialog {
    wchar_t *text;
    size_t cap;
    int *kind;
    pmm_search_pattern *pattern;
} find_dialog;

static const int kind_buttons[] = {IDC_HEXFIND_TEXT, IDC_HEXFIND_NOCASE, IDC_HEXFIND_UTF16, IDC_HEXFIND_HEX};

static void show_error(HWND hwnd, int error_id, int edit_id, const char *message)
{
    wchar_t why[400];
    gui_utf8_to_wide(message, why, 400);
    SetDlgItemTextW(hwnd, error_id, why);
    SetFocus(GetDlgItem(hwnd, edit_id));
    SendDlgItemMessageW(hwnd, edit_id, EM_SETSEL, 0, -1);
}

static int accept_find(HWND hwnd, find_dialog *d)
{
    GetDlgItemTextW(hwnd, IDC_HEXFIND_WHAT, d->text, (int)d->cap);
    for (int k = 0; k < 4; k++)
        if (IsDlgButtonChecked(hwnd, kind_buttons[k]) == BST_CHECKED)
            *d->kind = k;
    char *text = gui_wide_to_utf8_alloc(d->text);
    char message[400] = "Not enough memory.";
    int ok = text && hex_find_compile(text, *d->kind, d->pattern, message, sizeof message);
    free(text);
    if (!ok)
        show_error(hwnd, IDC_HEXFIND_ERROR, IDC_HEXFIND_WHAT, message);
    return ok;
}

static INT_PTR CALLBACK find_proc(HWND hwnd, UINT msg, WPARAM wparam, LPARAM lparam)
{
    find_dialog *d = (find_dialog *)GetWindowLongPtrW(hwnd, DWLP_USER);
    switch (msg) {
    case WM_INITDIALOG:
        d = (find_dialog *)lparam;
        SetWindowLongPtrW(hwnd, DWLP_USER, lparam);
        SetDlgItemTextW(hwnd, IDC_HEXFIND_WHAT, d->text);
        CheckRadioButton(hwnd, IDC_HEXFIND_TEXT, IDC_HEXFIND_HEX, kind_buttons[*d->kind & 3]);
        SendDlgItemMessageW(hwnd, IDC_HEXFIND_WHAT, EM_SETSEL, 0, -1);
        SetFocus(GetDlgItem(hwnd, IDC_HEXFIND_WHAT));
        return FALSE;
    case WM_COMMAND:
        if (LOWORD(wparam) == IDOK && accept_find(hwnd, d))
            EndDialog(hwnd, 1);
        else if (LOWORD(wparam) == IDCANCEL)
            EndDialog(hwnd, 0);
        return TRUE;
    }
    return FALSE;
}

int hex_find_dialog_run(HWND owner, wchar_t *text, size_t cap, int *kind, pmm_search_pattern *pattern)
{
    find_dialog d = {text, cap, kind, pattern};
    return DialogBoxParamW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDD_HEX_FIND), owner, find_proc, (LPARAM)&d) == 1;
}

typedef struct offset_dialog {
    uint64_t length, current, offset;
} offset_dialog;

/* Hexadecimal with or without 0x: offsets are read where addresses are, in hex. */
static int parse_offset(const wchar_t *text, uint64_t *out)
{
    char utf8[80];
    int hex_prefix = text[0] == L'0' && (text[1] == L'x' || text[1] == L'X');
    snprintf(utf8, sizeof utf8, "%s", hex_prefix ? "" : "0x");
    size_t used = strlen(utf8);
    if (!WideCharToMultiByte(CP_UTF8, 0, text, -1, utf8 + used, (int)(sizeof utf8 - used), NULL, NULL))
        return 0;
    return pmm_parse_u64(utf8, out) == 0;
}

static INT_PTR CALLBACK offset_proc(HWND hwnd, UINT msg, WPARAM wparam, LPARAM lparam)
{
    offset_dialog *d = (offset_dialog *)GetWindowLongPtrW(hwnd, DWLP_USER);
    switch (msg) {
    case WM_INITDIALOG: {
        d = (offset_dialog *)lparam;
        SetWindowLongPtrW(hwnd, DWLP_USER, lparam);
        wchar_t text[160];
        swprintf(text, 160, L"&Offset from the start of the range (hexadecimal, 0 to %llX):",
                 (unsigned long long)(d->length ? d->length - 1 : 0));
        SetDlgItemTextW(hwnd, IDC_HEXGOTO_LABEL, text);
        swprintf(text, 160, L"%llX", (unsigned long long)d->current);
        SetDlgItemTextW(hwnd, IDC_HEXGOTO_OFFSET, text);
        SendDlgItemMessageW(hwnd, IDC_HEXGOTO_OFFSET, EM_SETSEL, 0, -1);
        SetFocus(GetDlgItem(hwnd, IDC_HEXGOTO_OFFSET));
        return FALSE;
    }
    case WM_COMMAND:
        if (LOWORD(wparam) == IDOK) {
            wchar_t text[64];
            GetDlgItemTextW(hwnd, IDC_HEXGOTO_OFFSET, text, 64);
            if (parse_offset(text, &d->offset) && d->offset < d->length)
                EndDialog(hwnd, 1);
            else
                show_error(hwnd, IDC_HEXGOTO_ERROR, IDC_HEXGOTO_OFFSET,
                           "Type a hexadecimal offset inside the range, such as 1A0 or 0x1A0.");
        } else if (LOWORD(wparam) == IDCANCEL) {
            EndDialog(hwnd, 0);
        }
        return TRUE;
    }
    return FALSE;
}

int hex_offset_dialog_run(HWND owner, uint64_t length, uint64_t current, uint64_t *offset)
{
    offset_dialog d = {length, current, 0};
    if (DialogBoxParamW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDD_HEX_GOTO), owner, offset_proc, (LPARAM)&d) != 1)
        return 0;
    *offset = d.offset;
    return 1;
}
