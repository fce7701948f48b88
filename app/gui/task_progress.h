/* A long operation (saving a map, comparing maps, writing a dump) on a worker thread behind a
 * modal progress dialog with a Cancel button: the owner window keeps repainting, the user can stop
 * it, and the caller gets the result as if it had called the function itself. */
#ifndef PMM_GUI_TASK_PROGRESS_H
#define PMM_GUI_TASK_PROGRESS_H

#include <windows.h>
#include <stdint.h>
#include "core/util/status.h"

typedef struct task task;

/* Runs on the worker thread. Reports progress with task_report and stops early (returning
 * PMM_ERR_CANCELLED) when task_cancelled says so. */
typedef pmm_status (*task_fn)(task *t, void *ctx);

/* pmm_progress_fn-compatible (ctx is the task): updates the bar; returns 1 once Cancel was pressed. */
int task_report(void *t, uint64_t done, uint64_t total);
int task_cancelled(const task *t);

/* Shows the dialog (title, text: UTF-8) and runs fn(ctx) until it returns; returns its status.
 * When no thread can be started, returns PMM_ERR_NOMEM without calling fn. */
pmm_status task_run(HWND owner, const char *title, const char *text, task_fn fn, void *ctx);

#endif
