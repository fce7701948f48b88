#include <windows.h>
#include <stdlib.h>
#include "../util/thread.h"

struct pmm_thread {
    HANDLE handle;
    pmm_thread_fn fn;
    void *arg;
};

/* Slim locks and condition variables rather than events: no kernel object, and waking a waiter
 * is a futex call under Wine rather than a round trip through the wineserver. */
struct pmm_monitor {
    SRWLOCK lock;
    CONDITION_VARIABLE cond;
};

static DWORD WINAPI run(void *p)
{
    pmm_thread *t = p;
    t->fn(t->arg);
    return 0;
}

pmm_thread *pmm_thread_start(pmm_thread_fn fn, void *arg)
{
    pmm_thread *t = malloc(sizeof *t);
    if (!t)
        return NULL;
    t->fn = fn;
    t->arg = arg;
    t->handle = CreateThread(NULL, 0, run, t, 0, NULL);
    if (!t->handle) {
        free(t);
        return NULL;
    }
    return t;
}

void pmm_thread_join(pmm_thread *thread)
{
    if (!thread)
        return;
    WaitForSingleObject(thread->handle, INFINITE);
    CloseHandle(thread->handle);
    free(thread);
}

pmm_monitor *pmm_monitor_new(void)
{
    pmm_monitor *m = malloc(sizeof *m);
    if (!m)
        return NULL;
    InitializeSRWLock(&m->lock);
    InitializeConditionVariable(&m->cond);
    return m;
}

void pmm_monitor_free(pmm_monitor *monitor)
{
    free(monitor);   /* SRW locks and condition variables hold no resources */
}

void pmm_monitor_lock(pmm_monitor *monitor)
{
    AcquireSRWLockExclusive(&monitor->lock);
}

void pmm_monitor_unlock(pmm_monitor *monitor)
{
    ReleaseSRWLockExclusive(&monitor->lock);
}

void pmm_monitor_wait(pmm_monitor *monitor)
{
    SleepConditionVariableSRW(&monitor->cond, &monitor->lock, INFINITE, 0);
}

void pmm_monitor_notify_all(pmm_monitor *monitor)
{
    WakeAllConditionVariable(&monitor->cond);
}
