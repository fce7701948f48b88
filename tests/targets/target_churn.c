/* pmm_target_churn.exe: an address space that never holds still.
 *
 * One worker thread allocates, re-protects, decommits and frees private memory in a tight loop,
 * so a scanner sees regions appear, split, merge and vanish between two VirtualQueryEx calls.
 * It prints {"format":"pmm-target","version":1,"kind":"churn","pid":..,"bits":..} first, then
 * serves stdin: quit (or EOF) stops the worker and exits 0, ping answers {"reply":"pong"},
 * stats answers {"iterations":N}.
 */
#include <windows.h>

#include <stdio.h>
#include <string.h>

#include "target_json.h"

#define CHURN_SLOTS 64
#define CHURN_MAX_PAGES 16

typedef struct churn_slot {
    BYTE *base;
    size_t pages;
} churn_slot;

typedef struct churn_state {
    churn_slot slots[CHURN_SLOTS];
    size_t page_size;
    uint32_t random;
    volatile LONG stop;
    volatile LONG64 iterations;
} churn_state;

static const DWORD churn_protections[] = {
    PAGE_NOACCESS, PAGE_READONLY, PAGE_READWRITE, PAGE_EXECUTE_READ,
    PAGE_EXECUTE_READWRITE, PAGE_READWRITE | PAGE_GUARD,
};

#define CHURN_PROTECTION_COUNT (sizeof churn_protections / sizeof churn_protections[0])

/* A fixed-seed generator: a failing run can be repeated with the same sequence of operations. */
static uint32_t next_random(churn_state *s)
{
    s->random = s->random * 1664525u + 1013904223u;
    return s->random >> 8;
}

static void allocate_slot(churn_state *s, churn_slot *slot)
{
    size_t pages = 1 + next_random(s) % CHURN_MAX_PAGES;
    /* Half the time reserve only and commit a part, so the allocation has several regions. */
    int commit_all = next_random(s) % 2;
    BYTE *base = VirtualAlloc(NULL, pages * s->page_size, commit_all ? MEM_COMMIT | MEM_RESERVE : MEM_RESERVE,
                              PAGE_READWRITE);
    if (!base)
        return;
    if (!commit_all) {
        size_t first = next_random(s) % pages;
        size_t count = 1 + next_random(s) % (pages - first);
        VirtualAlloc(base + first * s->page_size, count * s->page_size, MEM_COMMIT, PAGE_READWRITE);
    }
    slot->base = base;
    slot->pages = pages;
}

/* Changes a random page range of the slot: new protection, decommit, or commit again.
 * Failures (e.g. protecting a decommitted page) are expected and ignored. */
static void reshape_slot(churn_state *s, churn_slot *slot)
{
    size_t first = next_random(s) % slot->pages;
    size_t count = 1 + next_random(s) % (slot->pages - first);
    BYTE *start = slot->base + first * s->page_size;
    size_t size = count * s->page_size;
    DWORD old;
    switch (next_random(s) % 3) {
    case 0:
        VirtualProtect(start, size, churn_protections[next_random(s) % CHURN_PROTECTION_COUNT], &old);
        break;
    case 1:
        VirtualFree(start, size, MEM_DECOMMIT);
        break;
    default:
        VirtualAlloc(start, size, MEM_COMMIT, PAGE_READWRITE);
        break;
    }
}

static void free_slot(churn_slot *slot)
{
    VirtualFree(slot->base, 0, MEM_RELEASE);
    slot->base = NULL;
    slot->pages = 0;
}

static DWORD WINAPI churn_main(void *param)
{
    churn_state *s = param;
    while (!s->stop) {
        churn_slot *slot = &s->slots[next_random(s) % CHURN_SLOTS];
        if (!slot->base)
            allocate_slot(s, slot);
        else if (next_random(s) % 4 == 0)
            free_slot(slot);
        else
            reshape_slot(s, slot);
        /* Let the scanner's threads run now and then even on a single CPU. */
        if (InterlockedIncrement64(&s->iterations) % 1024 == 0)
            Sleep(0);
    }
    return 0;
}

static int print_hello(void)
{
    tj_writer w;
    tj_begin_target(&w, "churn");
    tj_end_object(&w);
    int result = tj_print_line(&w);
    tj_free(&w);
    return result;
}

static void print_stats(churn_state *s)
{
    tj_writer w;
    tj_init(&w);
    tj_begin_object(&w, NULL);
    /* A plain read of a 64-bit counter can tear on x86; the compare-exchange can't. */
    tj_uint(&w, "iterations", (uint64_t)InterlockedCompareExchange64(&s->iterations, 0, 0));
    tj_end_object(&w);
    tj_print_line(&w);
    tj_free(&w);
}

static void serve_commands(churn_state *s)
{
    char line[256];
    while (tj_next_command(line, sizeof line)) {
        if (strcmp(line, "stats") == 0)
            print_stats(s);
        else
            fprintf(stderr, "pmm_target_churn: unknown command '%s'\n", line);
        fflush(stdout);
    }
}

int main(int argc, char **argv)
{
    static churn_state state;
    (void)argv;
    if (argc != 1) {
        fputs("usage: pmm_target_churn (no options; commands on stdin: quit, ping, stats)\n", stderr);
        return 2;
    }
    SYSTEM_INFO info;
    GetSystemInfo(&info);
    state.page_size = info.dwPageSize;
    state.random = 0x504d4d;

    HANDLE worker = CreateThread(NULL, 0, churn_main, &state, 0, NULL);
    if (!worker) {
        fprintf(stderr, "pmm_target_churn: CreateThread: error %lu\n", (unsigned long)GetLastError());
        return 1;
    }
    if (print_hello() != 0) {
        fputs("pmm_target_churn: could not write to stdout\n", stderr);
        return 1;
    }
    serve_commands(&state);
    InterlockedExchange(&state.stop, 1);
    WaitForSingleObject(worker, INFINITE);
    CloseHandle(worker);
    return 0;
}
