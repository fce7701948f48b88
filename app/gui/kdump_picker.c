#include "kdump_picker.h"

#include <commctrl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/formats/kdump.h"
#include "core/formats/kdump_processes.h"
#include "core/formats/kdump_threads.h"
#include "core/util/names.h"
#include "gui_util.h"
#include "picker_dialog.h"
#include "res/resource.h"

enum { COL_NAME, COL_PID, COL_PARENT, COL_BITS, COL_THREADS, COL_CREATED, COL_CRASH, COL_COUNT };

typedef struct picker_entry {
    int is_kernel;               /* the kernel's address space, not a process */
    pmm_kdump_process process;   /* when not the kernel */
} picker_entry;

typedef struct kdump_picker {
    picker base;                 /* first: the picker's procedure hands it to the functions here */
    const char *path;
    const char *pick;            /* unattended: typed into the filter, then OK */
    picker_entry *entries;
    size_t count;
    size_t process_count;        /* the entries that are processes */
    uint32_t pointer_size;       /* of the dumped machine */
    pmm_kdump_crash_thread crash;   /* the thread running at the crash, when found */
    char list_note[64];          /* " (offsets inferred)", " (the list was cut short)" */
    size_t picked;
} kdump_picker;

static void picker_free(kdump_picker *d)
{
    free(d->entries);
    d->entries = NULL;
}

/* Reads the dump's processes, with the kernel's address space first when its page tables can be
 * walked. Returns 0 (after a message) when there is nothing to pick. */
static int load_entries(kdump_picker *d, HWND owner)
{
    char message[800], text[1400];
    pmm_kdump *dump;
    pmm_status st = pmm_kdump_open(d->path, &dump, message, sizeof message);
    if (st != PMM_OK) {
        snprintf(text, sizeof text, "%s could not be read as a kernel dump: %s.", d->path,
                 message[0] ? message : pmm_status_text(st));
        gui_error(owner, text);
        return 0;
    }
    d->pointer_size = pmm_kdump_pointer_size(dump);
    int kernel = pmm_kdump_paging(dump) != PMM_KDUMP_PAGING_NONE;
    pmm_kdump_process_list list;
    memset(&list, 0, sizeof list);
    st = pmm_kdump_processes(dump, &list, message, sizeof message);
    if (st == PMM_OK && pmm_kdump_find_crash_thread(dump, &list, &d->crash) != PMM_OK)
        d->crash.found = 0;   /* out of memory: the list is still worth showing */
    pmm_kdump_close(dump);
    if (st != PMM_OK) {
        snprintf(text, sizeof text, "The processes of the kernel dump %s could not be read: %s.%s", d->path,
                 message[0] ? message : pmm_status_text(st),
                 kernel ? "\n\nIts kernel address space can still be opened." : "");
        gui_error(owner, text);
        pmm_kdump_process_list_free(&list);   /* whatever a failed walk kept */
        memset(&list, 0, sizeof list);
    }
    snprintf(d->list_note, sizeof d->list_note, "%s%s", list.inferred ? " (offsets inferred)" : "",
             list.problem[0] ? " (the list was cut short)" : "");
    d->entries = calloc(list.count + 1, sizeof *d->entries);
    if (!d->entries) {
        pmm_kdump_process_list_free(&list);
        gui_error(owner, "Not enough memory to list the processes of the kernel dump.");
        return 0;
    }
    d->count = 0;
    if (kernel)
        d->entries[d->count++].is_kernel = 1;
    for (size_t i = 0; i < list.count; i++)
        d->entries[d->count++].process = list.processes[i];
    d->process_count = list.count;
    pmm_kdump_process_list_free(&list);
    if (d->count == 0) {
        snprintf(text, sizeof text, "The kernel dump %s holds nothing that can be mapped: no process could be read, "
                 "and the page tables of its machine are not walked.", d->path);
        gui_error(owner, text);
        return 0;
    }
    return 1;
}

/* Whether p is the process of the thread running at the crash. */
static int crashed_in(const kdump_picker *d, const pmm_kdump_process *p)
{
    return d->crash.found && d->crash.pid == p->pid;
}

static int compare_numbers(uint64_t a, uint64_t b)
{
    return a < b ? -1 : a > b;
}

/* The kernel's row stays first, whatever the order. */
static int CALLBACK compare_rows(LPARAM a, LPARAM b, LPARAM context)
{
    kdump_picker *d = (kdump_picker *)context;
    const picker_entry *x = &d->entries[a], *y = &d->entries[b];
    if (x->is_kernel || y->is_kernel)
        return y->is_kernel - x->is_kernel;
    const pmm_kdump_process *p = &x->process, *q = &y->process;
    int c = 0;
    switch (d->base.sort_column) {
    case COL_NAME: c = lstrcmpiA(p->name, q->name); break;
    case COL_PARENT: c = compare_numbers(p->parent_pid, q->parent_pid); break;
    case COL_BITS: c = (int)p->wow64 - (int)q->wow64; break;
    case COL_THREADS: c = compare_numbers(p->thread_count, q->thread_count); break;
    case COL_CREATED: c = compare_numbers(p->create_time, q->create_time); break;
    case COL_CRASH: c = crashed_in(d, q) - crashed_in(d, p); break;
    }
    if (c == 0)
        c = compare_numbers(p->pid, q->pid);
    return d->base.sort_descending ? -c : c;
}

static const char *bits_text(const kdump_picker *d, const pmm_kdump_process *p)
{
    if (d->pointer_size == 4)
        return "32-bit";
    if (!(p->known & PMM_KDUMP_PROCESS_WOW64))
        return "?";
    return p->wow64 ? "32-bit (WOW64)" : "64-bit";
}

/* "2026-12-03 20:46:49" (UTC, as the dump keeps it). */
static void created_text(const pmm_kdump_process *p, char *buf, size_t cap)
{
    FILETIME ft = {(DWORD)p->create_time, (DWORD)(p->create_time >> 32)};
    SYSTEMTIME st;
    if (!(p->known & PMM_KDUMP_PROCESS_CREATE_TIME) || !FileTimeToSystemTime(&ft, &st))
        snprintf(buf, cap, "?");
    else
        snprintf(buf, cap, "%04u-%02u-%02u %02u:%02u:%02u", st.wYear, st.wMonth, st.wDay, st.wHour, st.wMinute,
                 st.wSecond);
}

/* The cells of one row. */
static void row_cells(const kdump_picker *d, const picker_entry *e, char cells[COL_COUNT][64])
{
    if (e->is_kernel) {
        snprintf(cells[COL_NAME], 64, "Kernel address space");
        snprintf(cells[COL_BITS], 64, "%u-bit", (unsigned)d->pointer_size * 8);
        for (int c = COL_PID; c < COL_COUNT; c++)
            if (c != COL_BITS)
                cells[c][0] = '\0';
        return;
    }
    const pmm_kdump_process *p = &e->process;
    snprintf(cells[COL_NAME], 64, "%s", p->name);
    snprintf(cells[COL_PID], 64, "%llu", (unsigned long long)p->pid);
    if (p->known & PMM_KDUMP_PROCESS_PARENT)
        snprintf(cells[COL_PARENT], 64, "%llu", (unsigned long long)p->parent_pid);
    else
        snprintf(cells[COL_PARENT], 64, "?");
    snprintf(cells[COL_BITS], 64, "%s", bits_text(d, p));
    if (p->known & PMM_KDUMP_PROCESS_THREADS)
        snprintf(cells[COL_THREADS], 64, "%u", (unsigned)p->thread_count);
    else
        snprintf(cells[COL_THREADS], 64, "?");
    created_text(p, cells[COL_CREATED], 64);
    if (crashed_in(d, p))
        snprintf(cells[COL_CRASH], 64, "crashed here (thread %llu)", (unsigned long long)d->crash.tid);
    else
        cells[COL_CRASH][0] = '\0';
}

static int matches(char cells[COL_COUNT][64], const char *filter)
{
    return picker_contains(cells[COL_NAME], filter) || picker_contains(cells[COL_PID], filter) ||
           picker_contains(cells[COL_PARENT], filter);
}

/* What is selected at first: the process that crashed, else a process with a user address space
 * (not the kernel, nor System), when there is one. */
static size_t first_choice(const kdump_picker *d)
{
    for (size_t i = 0; i < d->count; i++)
        if (!d->entries[i].is_kernel && crashed_in(d, &d->entries[i].process))
            return i;
    for (size_t i = 0; i < d->count; i++)
        if (!d->entries[i].is_kernel && d->entries[i].process.pid != 4)
            return i;
    return 0;
}

/* Fills the list with the entries that match the filter, keeping the selected one selected. */
static void fill_list(kdump_picker *d)
{
    HWND list = d->base.list;
    char filter[384];
    picker_filter_text(d->base.filter, filter, sizeof filter);
    LPARAM keep;
    if (!picker_selected(list, &keep))
        keep = (LPARAM)first_choice(d);

    SendMessageW(list, WM_SETREDRAW, FALSE, 0);
    ListView_DeleteAllItems(list);
    int shown = 0, processes = 0;
    for (size_t i = 0; i < d->count; i++) {
        char cells[COL_COUNT][64];
        row_cells(d, &d->entries[i], cells);
        if (!matches(cells, filter))
            continue;
        processes += !d->entries[i].is_kernel;
        wchar_t text[64];
        LVITEMW item = {0};
        item.mask = LVIF_TEXT | LVIF_PARAM;
        item.iItem = shown++;
        item.lParam = (LPARAM)i;
        gui_utf8_to_wide(cells[COL_NAME], text, 64);
        item.pszText = text;
        int at = ListView_InsertItem(list, &item);
        for (int c = COL_PID; c < COL_COUNT; c++) {
            gui_utf8_to_wide(cells[c], text, 64);
            ListView_SetItemText(list, at, c, text);
        }
    }
    ListView_SortItems(list, compare_rows, (LPARAM)d);
    picker_select(list, keep);
    SendMessageW(list, WM_SETREDRAW, TRUE, 0);
    InvalidateRect(list, NULL, TRUE);
    char what[96];
    snprintf(what, sizeof what, "processes%s", d->list_note);
    picker_show_count(d->base.hwnd, processes, d->process_count, what);
    EnableWindow(GetDlgItem(d->base.hwnd, IDOK), shown > 0);   /* the kernel's row alone can be picked */
}

static void init(picker *p)
{
    kdump_picker *d = (kdump_picker *)p;
    wchar_t title[400];
    char title8[400];
    snprintf(title8, sizeof title8, "Processes of %s (kernel dump)", pmm_path_base_name(d->path));
    gui_utf8_to_wide(title8, title, 400);
    SetWindowTextW(p->hwnd, title);
    static const picker_column columns[COL_COUNT] = {
        {L"Name", 130, LVCFMT_LEFT},  {L"PID", 60, LVCFMT_RIGHT},     {L"Parent", 60, LVCFMT_RIGHT},
        {L"Bits", 96, LVCFMT_LEFT},   {L"Threads", 58, LVCFMT_RIGHT}, {L"Created (UTC)", 130, LVCFMT_LEFT},
        {L"At the crash", 180, LVCFMT_LEFT}};
    picker_init(p->hwnd, p->filter, p->list, columns, COL_COUNT, "kdump-processes", L"Name, PID or parent PID");
    p->sort_column = COL_PID;
    picker_sort_arrows(p->list, p->sort_column, p->sort_descending);
    fill_list(d);
    picker_place(p->hwnd);
    if (d->pick) {
        picker_type(p->filter, d->pick);
        PostMessageW(p->hwnd, WM_COMMAND, MAKEWPARAM(IDOK, BN_CLICKED), 0);
    }
}

static void fill(picker *p)
{
    fill_list((kdump_picker *)p);
}

static int pick(picker *p)
{
    kdump_picker *d = (kdump_picker *)p;
    LPARAM index;
    if (picker_selected(p->list, &index) && (size_t)index < d->count) {
        d->picked = (size_t)index;
        return 1;
    }
    if (d->pick) {   /* unattended: nobody is there to pick another */
        char text[400];
        snprintf(text, sizeof text, "--pick %s: no process of the kernel dump matches.", d->pick);
        gui_error(p->hwnd, text);
        EndDialog(p->hwnd, 0);
    }
    return 0;
}

static void free_preview(picker *p)
{
    picker_free((kdump_picker *)p);
    free(p);
}

/* No Refresh: a dump does not change. */
static const picker_ops ops = {init, fill, pick, NULL, free_preview, compare_rows};

int kdump_picker_run(HWND owner, const char *path, const char *pick_text, char *selector, size_t cap)
{
    kdump_picker d;
    memset(&d, 0, sizeof d);
    d.base.ops = &ops;
    d.path = path;
    d.pick = pick_text;
    if (!load_entries(&d, owner))
        return 0;
    INT_PTR rc = picker_run(owner, &d.base);
    if (rc == 1) {
        const picker_entry *e = &d.entries[d.picked];
        if (e->is_kernel)
            snprintf(selector, cap, "kernel");
        else
            snprintf(selector, cap, "%llu", (unsigned long long)e->process.pid);
    }
    picker_free(&d);
    return rc == 1;
}

HWND kdump_picker_open_preview(HWND owner, const char *path, const char *filter)
{
    kdump_picker *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->base.ops = &ops;
    d->path = path;
    if (!load_entries(d, owner)) {
        free(d);
        return NULL;
    }
    HWND hwnd = picker_open_preview(owner, &d->base, filter);
    if (!hwnd)
        free_preview(&d->base);
    else
        d->path = NULL;   /* the caller's: not kept past the dialog's start */
    return hwnd;
}

int kdump_picker_write_text(HWND hwnd, FILE *f)
{
    kdump_picker *d = hwnd ? (kdump_picker *)GetWindowLongPtrW(hwnd, DWLP_USER) : NULL;
    return d ? picker_write_text(hwnd, d->base.list, f) : -1;
}
