#define _POSIX_C_SOURCE 200809L
#include "thread.h"

#include <pthread.h>
#include <stdlib.h>

struct pmm_thread {
    pthread_t id;
    pmm_thread_fn fn;
    void *arg;
};

struct pmm_monitor {
    pthread_mutex_t mutex;
    pthread_cond_t cond;
};

static void *run(void *p)
{
    pmm_thread *t = p;
    t->fn(t->arg);
    return NULL;
}

pmm_thread *pmm_thread_start(pmm_thread_fn fn, void *arg)
{
    pmm_thread *t = malloc(sizeof *t);
    if (!t)
        return NULL;
    t->fn = fn;
    t->arg = arg;
    if (pthread_create(&t->id, NULL, run, t) != 0) {
        free(t);
        return NULL;
    }
    return t;
}

void pmm_thread_join(pmm_thread *thread)
{
    if (!thread)
        return;
    pthread_join(thread->id, NULL);
    free(thread);
}

pmm_monitor *pmm_monitor_new(void)
{
    pmm_monitor *m = malloc(sizeof *m);
    if (!m)
        return NULL;
    if (pthread_mutex_init(&m->mutex, NULL) != 0) {
        free(m);
        return NULL;
    }
    if (pthread_cond_init(&m->cond, NULL) != 0) {
        pthread_mutex_destroy(&m->mutex);
        free(m);
        return NULL;
    }
    return m;
}

void pmm_monitor_free(pmm_monitor *monitor)
{
    if (!monitor)
        return;
    pthread_cond_destroy(&monitor->cond);
    pthread_mutex_destroy(&monitor->mutex);
    free(monitor);
}

void pmm_monitor_lock(pmm_monitor *monitor)
{
    pthread_mutex_lock(&monitor->mutex);
}

void pmm_monitor_unlock(pmm_monitor *monitor)
{
    pthread_mutex_unlock(&monitor->mutex);
}

void pmm_monitor_wait(pmm_monitor *monitor)
{
    pthread_cond_wait(&monitor->cond, &monitor->mutex);
}

void pmm_monitor_notify_all(pmm_monitor *monitor)
{
    pthread_cond_broadcast(&monitor->cond);
}
