#include "task_progress.h"

#include <commctrl.h>
#include <process.h>
#include "gui_util.h"
#include "res/resource.h"

#define WM_APP_TASK_PROGRESS (WM_APP + 40)
#define WM_APP_TASK_DONE (WM_APP + 41)

struct task {
    HWND dialog;
    const char *title, *text;
    task_fn fn;
    void *ctx;
    volatile LONG cancel;
    volatile LONG permille;
    HANDLE thread;
    pmm_status status;
};

int task_report(void *ctx, uint64_t done, uint64_t total)
{
    task *t = ctx;
    LONG permille = total ? (LONG)(done >= total ? 1000 : (double)done * 1000.0 / (double)total) : 0;
    /* Post only when the bar would move: a dump of a million pages must not flood the queue. */
    if (InterlockedExchange(&t->permille, permille) != permille)
        PostMessageW(t->dialog, WM_APP_TASK_PROGRESS, (WPARAM)permille, 0);
    return task_cancelled(t);
}

int task_cancelled(const task *t)
{
    return InterlockedCompareExchange((volatile LONG *)&t->cancel, 0, 0) != 0;
}

static unsigned __stdcall task_thread(void *arg)
{
    task *t = arg;
    t->status = t->fn(t, t->ctx);
    PostMessageW(t->dialog, WM_APP_TASK_DONE, 0, 0);
    return 0;
}

static void set_text(HWND dialog, int id, const char *utf8)
{
    wchar_t wide[600];
    gui_utf8_to_wide(utf8, wide, sizeof wide / sizeof wide[0]);
    SetDlgItemTextW(dialog, id, wide);
}

static BOOL on_init(HWND dialog, task *t)
{
    SetWindowLongPtrW(dialog, DWLP_USER, (LONG_PTR)t);
    t->dialog = dialog;
    wchar_t title[200];
    gui_utf8_to_wide(t->title, title, sizeof title / sizeof title[0]);
    SetWindowTextW(dialog, title);
    set_text(dialog, IDC_TASK_TEXT, t->text);
    SendDlgItemMessageW(dialog, IDC_TASK_BAR, PBM_SETRANGE32, 0, 1000);
    /* _beginthreadex: the worker uses the C runtime. */
    t->thread = (HANDLE)_beginthreadex(NULL, 0, task_thread, t, 0, NULL);
    if (!t->thread) {
        t->status = PMM_ERR_NOMEM;
        EndDialog(dialog, 0);
    }
    return TRUE;
}

static void ask_cancel(HWND dialog, task *t)
{
    InterlockedExchange(&t->cancel, 1);
    EnableWindow(GetDlgItem(dialog, IDCANCEL), FALSE);
    set_text(dialog, IDC_TASK_TEXT, "Cancelling...");
}

static INT_PTR CALLBACK task_dialog_proc(HWND dialog, UINT msg, WPARAM wParam, LPARAM lParam)
{
    task *t = (task *)GetWindowLongPtrW(dialog, DWLP_USER);
    switch (msg) {
    case WM_INITDIALOG:
        return on_init(dialog, (task *)lParam);
    case WM_COMMAND:
        if (LOWORD(wParam) == IDCANCEL && t)
            ask_cancel(dialog, t);
        return TRUE;
    case WM_CLOSE:
        if (t)
            ask_cancel(dialog, t);
        return TRUE;
    case WM_APP_TASK_PROGRESS:
        SendDlgItemMessageW(dialog, IDC_TASK_BAR, PBM_SETPOS, wParam, 0);
        return TRUE;
    case WM_APP_TASK_DONE:
        WaitForSingleObject(t->thread, INFINITE);
        CloseHandle(t->thread);
        t->thread = NULL;
        EndDialog(dialog, 1);
        return TRUE;
    }
    return FALSE;
}

pmm_status task_run(HWND owner, const char *title, const char *text, task_fn fn, void *ctx)
{
    task t = {0};
    t.title = title;
    t.text = text;
    t.fn = fn;
    t.ctx = ctx;
    t.permille = -1;
    t.status = PMM_ERR_NOMEM;
    if (DialogBoxParamW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDD_TASK_PROGRESS), owner, task_dialog_proc,
                        (LPARAM)&t) == -1)
        return PMM_ERR_NOMEM;
    return t.status;
}
