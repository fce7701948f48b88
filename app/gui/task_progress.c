#include "task_progress.h"

#include <commctrl.h>
#include "gui_util.h"
#include "res/resource.h"

typedef struct task {
    const char *title, *text;
    gui_job_work work;
    gui_job *job;
    pmm_status status;
} task;

static void set_text(HWND dialog, int id, const char *utf8)
{
    wchar_t wide[600];
    gui_utf8_to_wide(utf8, wide, sizeof wide / sizeof wide[0]);
    SetDlgItemTextW(dialog, id, wide);
}

static BOOL on_init(HWND dialog, task *t)
{
    SetWindowLongPtrW(dialog, DWLP_USER, (LONG_PTR)t);
    wchar_t title[200];
    gui_utf8_to_wide(t->title, title, sizeof title / sizeof title[0]);
    SetWindowTextW(dialog, title);
    set_text(dialog, IDC_TASK_TEXT, t->text);
    SendDlgItemMessageW(dialog, IDC_TASK_BAR, PBM_SETRANGE32, 0, 1000);
    t->job = gui_job_start(dialog, &t->work);
    if (!t->job) {
        t->status = PMM_ERR_NOMEM;
        EndDialog(dialog, 0);
    }
    return TRUE;
}

static void ask_cancel(HWND dialog, task *t)
{
    gui_job_cancel(t->job);
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
    case WM_APP_JOB_PROGRESS:
        SendDlgItemMessageW(dialog, IDC_TASK_BAR, PBM_SETPOS, wParam, 0);
        return TRUE;
    case WM_APP_JOB_DONE:
        t->status = gui_job_status(t->job);
        gui_job_free(t->job);
        t->job = NULL;
        EndDialog(dialog, 1);
        return TRUE;
    }
    return FALSE;
}

pmm_status task_run(HWND owner, const char *title, const char *text, pmm_status (*run)(gui_job *job, void *ctx),
                    void *ctx)
{
    task t = {title, text, {run, ctx, NULL, 0}, NULL, PMM_ERR_NOMEM};
    if (DialogBoxParamW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDD_TASK_PROGRESS), owner, task_dialog_proc,
                        (LPARAM)&t) == -1)
        return PMM_ERR_NOMEM;
    return t.status;
}
