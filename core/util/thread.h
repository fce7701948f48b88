/* A second thread for the few core jobs that overlap waiting with work (the dump copier's reader),
 * and a monitor to hand data between the two or to let one thread at a time into shared state (a
 * minidump file's read cache): one implementation per platform, chosen by CMake
 * like the clock (thread_posix.c: pthreads; win32/thread.c: Win32 threads, SRW lock and condition
 * variable, which under Wine wait on a futex instead of a wineserver call). */
#ifndef PMM_THREAD_H
#define PMM_THREAD_H

typedef struct pmm_thread pmm_thread;
typedef struct pmm_monitor pmm_monitor;
typedef void (*pmm_thread_fn)(void *arg);

/* NULL when no thread could be started (the caller then does the work itself). */
pmm_thread *pmm_thread_start(pmm_thread_fn fn, void *arg);
/* Waits for fn to return, then frees the thread. */
void pmm_thread_join(pmm_thread *thread);

/* A mutex with one condition variable. NULL when out of memory. */
pmm_monitor *pmm_monitor_new(void);
void pmm_monitor_free(pmm_monitor *monitor);
void pmm_monitor_lock(pmm_monitor *monitor);
void pmm_monitor_unlock(pmm_monitor *monitor);
/* With the lock held: releases it, sleeps until notified (or spuriously), takes it again. */
void pmm_monitor_wait(pmm_monitor *monitor);
void pmm_monitor_notify_all(pmm_monitor *monitor);

#endif
