/* The live source's watchdog: see pmm_live_set_stuck_handler in live_source.h. */
#include "live_internal.h"
#include "live_source.h"

#define POLL_MS 250
#define STUCK_MS 3000

static pmm_live_stuck_fn stuck_handler;
static void *stuck_ctx;

void pmm_live_set_stuck_handler(pmm_live_stuck_fn handler, void *ctx)
{
    stuck_ctx = ctx;
    stuck_handler = handler;
}

static DWORD WINAPI watch(void *arg)
{
    live_process *lp = arg;
    HANDLE waits[2] = {lp->stop_watchdog, lp->process};
    if (WaitForMultipleObjects(2, waits, FALSE, INFINITE) != WAIT_OBJECT_0 + 1)
        return 0;
    /* The target is gone: any call of ours still inside the OS should come back promptly. */
    LONG seen = -1;
    DWORD stuck_for = 0;
    while (WaitForSingleObject(lp->stop_watchdog, POLL_MS) == WAIT_TIMEOUT) {
        LONG sequence = lp->call_sequence;
        if (!lp->in_call || sequence != seen) {
            seen = sequence;
            stuck_for = 0;
            continue;
        }
        stuck_for += POLL_MS;
        if (stuck_for >= STUCK_MS) {
            pmm_live_stuck_fn handler = stuck_handler;
            if (handler)
                handler(lp->pid, stuck_ctx);
            return 0;
        }
    }
    return 0;
}

int live_watchdog_start(live_process *lp)
{
    lp->stop_watchdog = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!lp->stop_watchdog)
        return 0;
    lp->watchdog = CreateThread(NULL, 64 * 1024, watch, lp, STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
    return lp->watchdog != NULL;
}

void live_watchdog_stop(live_process *lp)
{
    if (lp->watchdog) {
        SetEvent(lp->stop_watchdog);
        WaitForSingleObject(lp->watchdog, INFINITE);
        CloseHandle(lp->watchdog);
        lp->watchdog = NULL;
    }
    if (lp->stop_watchdog) {
        CloseHandle(lp->stop_watchdog);
        lp->stop_watchdog = NULL;
    }
}
