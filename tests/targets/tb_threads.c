/* Threads with known stack reservations, each reporting its own view of its stack.
 *
 * The view is read on the thread itself from its TEB (NT_TIB.StackBase / StackLimit), which is
 * the ground truth a scanner's "Stack (thread N)" annotation must agree with. StackLimit is the
 * committed bottom at the time of reading; it moves down as the stack grows, which these threads
 * don't do after reporting (they only wait).
 */
#include "target_basic.h"

#include <string.h>

static const size_t stack_reserves[TB_THREAD_COUNT] = { 256 * 1024, 1024 * 1024 };

/* noinline: the local must live in this function's frame on the thread's own stack. */
static __attribute__((noinline)) void read_own_view(tb_thread *t)
{
    volatile int local = 0;
    NT_TIB *tib = tb_current_tib();
    t->tid = GetCurrentThreadId();
    t->teb = (uintptr_t)tib->Self;
    t->stack_base = (uintptr_t)tib->StackBase;
    t->stack_limit = (uintptr_t)tib->StackLimit;
    t->local_address = (uintptr_t)&local;
}

static DWORD WINAPI waiting_thread_main(void *param)
{
    tb_thread *t = param;
    read_own_view(t);
    SetEvent(t->ready);
    WaitForSingleObject(t->stop, INFINITE);
    return 0;
}

static int start_thread(tb_thread *t, HANDLE stop, size_t reserve)
{
    t->stack_reserve = reserve;
    t->stop = stop;
    t->ready = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!t->ready)
        return tb_fail("CreateEventW (ready)");
    DWORD tid = 0;
    t->handle = CreateThread(NULL, reserve, waiting_thread_main, t, STACK_SIZE_PARAM_IS_A_RESERVATION, &tid);
    if (!t->handle)
        return tb_fail("CreateThread");
    /* The report must not be printed before the thread has filled in its view. */
    if (WaitForSingleObject(t->ready, 10000) != WAIT_OBJECT_0)
        return tb_fail("waiting for a thread to start");
    CloseHandle(t->ready);
    t->ready = NULL;
    return 0;
}

int tb_threads_make(tb_threads *t)
{
    memset(t, 0, sizeof *t);
    read_own_view(&t->main);
    t->stop = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!t->stop)
        return tb_fail("CreateEventW (stop)");
    for (unsigned i = 0; i < TB_THREAD_COUNT; i++)
        if (start_thread(&t->extra[i], t->stop, stack_reserves[i]) != 0)
            return -1;
    return 0;
}

static void report_thread(tj_writer *w, const char *key, const tb_thread *t)
{
    tj_begin_object(w, key);
    tj_uint(w, "tid", t->tid);
    if (t->stack_reserve)
        tj_uint(w, "stack_reserve", t->stack_reserve);
    tj_address(w, "teb", t->teb);
    tj_address(w, "stack_base", t->stack_base);
    tj_address(w, "stack_limit", t->stack_limit);
    tj_address(w, "local_address", t->local_address);
    tj_end_object(w);
}

void tb_threads_report(const tb_threads *t, tj_writer *w)
{
    report_thread(w, "main_thread", &t->main);
    tj_begin_array(w, "threads");
    for (unsigned i = 0; i < TB_THREAD_COUNT; i++)
        report_thread(w, NULL, &t->extra[i]);
    tj_end_array(w);
}

void tb_threads_stop(tb_threads *t)
{
    if (!t->stop)
        return;
    SetEvent(t->stop);
    for (unsigned i = 0; i < TB_THREAD_COUNT; i++) {
        if (!t->extra[i].handle)
            continue;
        WaitForSingleObject(t->extra[i].handle, 10000);
        CloseHandle(t->extra[i].handle);
        t->extra[i].handle = NULL;
    }
}
