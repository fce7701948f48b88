#include "process_dialog.h"

#include <commctrl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/util/text.h"
#include "core/win32/process_list.h"
#include "gui_util.h"
#include "picker_dialog.h"
#include "res/resource.h"

enum { COL_NAME, COL_PID, COL_BITS, COL_USER, COL_PRIVATE, COL_WORKING_SET, COL_COUNT };

typedef struct process_dialog {
    picker base;                 /* first: the picker's procedure hands it to the functions here */
    pmm_process_entry *entries;
    size_t count;
    uint32_t picked;
    uint32_t own_pid;
} process_dialog;

static int CALLBACK compare_rows(LPARAM a, LPARAM b, LPARAM context)
{
    process_dialog *d = (process_dialog *)context;
    const pmm_process_entry *x = &d->entries[a], *y = &d->entries[b];
    int c = 0;
    switch (d->base.sort_column) {
    case COL_NAME: c = lstrcmpiA(x->name, y->name); break;
    case COL_BITS: c = (int)x->bits - (int)y->bits; break;
    case COL_USER: c = lstrcmpiA(x->user, y->user); break;
    case COL_PRIVATE: c = x->private_bytes < y->private_bytes ? -1 : x->private_bytes > y->private_bytes; break;
    case COL_WORKING_SET: c = x->working_set < y->working_set ? -1 : x->working_set > y->working_set; break;
    }
    if (c == 0)
        c = x->pid < y->pid ? -1 : x->pid > y->pid;
    return d->base.sort_descending ? -c : c;
}

static void set_cell(HWND list, int item, int column, const char *utf8)
{
    wchar_t text[260];
    gui_utf8_to_wide(utf8, text, 260);
    ListView_SetItemText(list, item, column, text);
}

/* Fills the list with the entries that match the filter, keeping the selected pid selected. */
static void fill_list(process_dialog *d)
{
    HWND list = d->base.list;
    char filter[384];
    picker_filter_text(d->base.filter, filter, sizeof filter);
    /* The selected row's pid (its index may point into a list read before a refresh). */
    LPARAM selected;
    uint32_t keep = picker_selected(list, &selected) && (size_t)selected < d->count ? d->entries[selected].pid : 0;

    SendMessageW(list, WM_SETREDRAW, FALSE, 0);
    ListView_DeleteAllItems(list);
    int shown = 0;
    for (size_t i = 0; i < d->count; i++) {
        const pmm_process_entry *e = &d->entries[i];
        char pid_text[16];
        snprintf(pid_text, sizeof pid_text, "%u", (unsigned)e->pid);
        if (!picker_contains(e->name, filter) && !picker_contains(pid_text, filter) &&
            !picker_contains(e->user, filter))
            continue;
        wchar_t text[260];
        LVITEMW item = {0};
        item.mask = LVIF_TEXT | LVIF_PARAM;
        item.iItem = shown;
        item.lParam = (LPARAM)i;
        gui_utf8_to_wide(e->name, text, 260);
        item.pszText = text;
        int at = ListView_InsertItem(list, &item);
        swprintf(text, 260, L"%u", (unsigned)e->pid);
        ListView_SetItemText(list, at, COL_PID, text);
        if (e->bits)
            swprintf(text, 260, L"%u-bit", (unsigned)e->bits);
        else
            lstrcpyW(text, L"?");
        ListView_SetItemText(list, at, COL_BITS, text);
        set_cell(list, at, COL_USER, e->user[0] ? e->user : "?");
        char size[40];
        set_cell(list, at, COL_PRIVATE, e->has_private ? pmm_size_text(e->private_bytes, size, sizeof size) : "?");
        set_cell(list, at, COL_WORKING_SET, e->has_working_set ? pmm_size_text(e->working_set, size, sizeof size) : "?");
        shown++;
    }
    ListView_SortItems(list, compare_rows, (LPARAM)d);
    size_t keep_index = 0;
    for (size_t i = 0; i < d->count; i++)
        if (d->entries[i].pid == keep)
            keep_index = i;
    picker_select(list, (LPARAM)keep_index);
    SendMessageW(list, WM_SETREDRAW, TRUE, 0);
    InvalidateRect(list, NULL, TRUE);

    picker_show_count(d->base.hwnd, shown, d->count, "processes");
}

static void load_processes(process_dialog *d)
{
    free(d->entries);
    d->entries = NULL;
    d->count = 0;
    pmm_process_entry *all = NULL;
    size_t count = 0;
    pmm_status st = pmm_list_processes(&all, &count);
    if (st != PMM_OK) {
        char message[256];
        snprintf(message, sizeof message, "The list of processes could not be read: %s.", pmm_status_text(st));
        gui_error(d->base.hwnd, message);
        return;
    }
    /* Leave ourselves out: mapping the explorer from inside itself is never what was meant. */
    size_t kept = 0;
    for (size_t i = 0; i < count; i++)
        if (all[i].pid != d->own_pid && all[i].pid != 0)
            all[kept++] = all[i];
    d->entries = all;
    d->count = kept;
    fill_list(d);
}

static int pick(picker *p)
{
    process_dialog *d = (process_dialog *)p;
    LPARAM index;
    if (!picker_selected(p->list, &index) || (size_t)index >= d->count)
        return 0;
    d->picked = d->entries[index].pid;
    return 1;
}

static void init(picker *p)
{
    process_dialog *d = (process_dialog *)p;
    d->own_pid = GetCurrentProcessId();
    static const picker_column columns[COL_COUNT] = {
        {L"Name", 200, LVCFMT_LEFT},          {L"PID", 60, LVCFMT_RIGHT},
        {L"Bits", 54, LVCFMT_LEFT},           {L"User", 150, LVCFMT_LEFT},
        {L"Private bytes", 96, LVCFMT_RIGHT}, {L"Working set", 96, LVCFMT_RIGHT}};
    picker_init(p->hwnd, p->filter, p->list, columns, COL_COUNT, "processes", L"Name, PID or user");
    picker_sort_arrows(p->list, p->sort_column, p->sort_descending);
    load_processes(d);
    picker_place(p->hwnd);
}

static void fill(picker *p)
{
    fill_list((process_dialog *)p);
}

static void refresh(picker *p)
{
    load_processes((process_dialog *)p);
}

static void free_preview(picker *p)
{
    free(((process_dialog *)p)->entries);
    free(p);
}

static const picker_ops ops = {init, fill, pick, refresh, free_preview, compare_rows};

HWND process_dialog_open_preview(HWND owner, const char *filter)
{
    process_dialog *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->base.ops = &ops;
    HWND hwnd = picker_open_preview(owner, &d->base, filter);
    if (!hwnd)
        free_preview(&d->base);
    return hwnd;
}

int process_dialog_write_text(HWND hwnd, FILE *f)
{
    process_dialog *d = (process_dialog *)GetWindowLongPtrW(hwnd, DWLP_USER);
    return d ? picker_write_text(hwnd, d->base.list, f) : -1;
}

int process_dialog_run(HWND owner, uint32_t *pid)
{
    process_dialog d;
    memset(&d, 0, sizeof d);
    d.base.ops = &ops;
    INT_PTR rc = picker_run(owner, &d.base);
    free(d.entries);
    if (rc == 1)
        *pid = d.picked;
    return rc == 1;
}
