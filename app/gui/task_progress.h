/* A long operation (saving a map, comparing maps, writing a dump) as a gui_job behind a modal
 * progress dialog with a Cancel button: the owner window keeps repainting, the user can stop it,
 * and the caller gets the result as if it had called the function itself. */
#ifndef PMM_GUI_TASK_PROGRESS_H
#define PMM_GUI_TASK_PROGRESS_H

#include <windows.h>
#include "gui_job.h"

/* Shows the dialog (title, text: UTF-8) and runs run(job, ctx) on the job's worker until it
 * returns; returns its status. The worker reports with gui_job_report (ctx: the job) and stops
 * early, returning PMM_ERR_CANCELLED, once gui_job_cancelled says so. When no thread can be
 * started, returns PMM_ERR_NOMEM without calling run. */
pmm_status task_run(HWND owner, const char *title, const char *text, pmm_status (*run)(gui_job *job, void *ctx),
                    void *ctx);

#endif
