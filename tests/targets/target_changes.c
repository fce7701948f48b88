/* pmm_target_changes.exe: an address space that changes only when told to, one scripted change
 * per `step` command, so a test can save a map before and after and know exactly what differs.
 *
 * At start it makes three 64 KiB read-write allocations it will later free, re-protect and write
 * into, then prints one JSON line:
 *   {"format":"pmm-target","version":1,"kind":"changes","pid":N,"bits":64,
 *    "to_free":"0x..","to_protect":"0x..","to_write":"0x..","size":65536,
 *    "steps":["allocate","free","protect","load_dll","thread","write"]}
 * Each `step` makes the next change and prints what it did:
 *   allocate  {"step":"allocate","address":A,"size":65536}       new committed RW allocation
 *   free      {"step":"free","address":to_free,"size":65536}     MEM_RELEASE
 *   protect   {"step":"protect","allocation":to_protect,"address":to_protect+0x1000,"size":8192,
 *              "protect":2}                                      two pages made PAGE_READONLY
 *   load_dll  {"step":"load_dll","base":B,"path":"..."}         pmm_testdll.dll from this folder
 *   thread    {"step":"thread","tid":N}                          a thread waiting until quit
 *   write     {"step":"write","address":to_write+0x3000,"size":4096}  16 bytes into that page
 * after the last: {"step":null}. `quit` (or end of input) exits 0. Failures: {"step":..,"error":".."}.
 *
 * Everything that could allocate as a side effect (the JSON writer's buffer, the event the thread
 * waits on, stdio) is used once before the first line is printed, so a step changes only what it
 * says. */
#include <windows.h>

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "target_json.h"
#include "testdll.h"

#define CHANGE_SIZE 0x10000u

typedef struct changes {
    BYTE *to_free, *to_protect, *to_write;
    HANDLE stop_event;
    wchar_t dll_path[MAX_PATH * 2];
    int next_step;
} changes;

static const char *const step_names[] = {"allocate", "free", "protect", "load_dll", "thread", "write"};
#define STEP_COUNT (sizeof step_names / sizeof step_names[0])

static BYTE *allocate_rw(void)
{
    BYTE *p = VirtualAlloc(NULL, CHANGE_SIZE, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    if (p)
        memset(p, 0, CHANGE_SIZE);   /* touched, so every page is really there */
    return p;
}

static int make_dll_path(changes *c)
{
    DWORD len = GetModuleFileNameW(NULL, c->dll_path, MAX_PATH * 2);
    if (len == 0 || len >= MAX_PATH * 2)
        return -1;
    wchar_t *slash = wcsrchr(c->dll_path, L'\\');
    size_t dir_len = slash ? (size_t)(slash - c->dll_path) + 1 : 0;
    if (dir_len + wcslen(PMM_TESTDLL_NAME) + 1 > MAX_PATH * 2)
        return -1;
    wcscpy(c->dll_path + dir_len, PMM_TESTDLL_NAME);
    return 0;
}

static DWORD WINAPI waiting_thread(void *param)
{
    WaitForSingleObject((HANDLE)param, INFINITE);
    return 0;
}

static void reply_error(tj_writer *w, const char *api)
{
    char text[128];
    snprintf(text, sizeof text, "%s: error %lu", api, (unsigned long)GetLastError());
    tj_string(w, "error", text);
}

static void step_allocate(changes *c, tj_writer *w)
{
    (void)c;
    BYTE *p = allocate_rw();
    if (!p) {
        reply_error(w, "VirtualAlloc");
        return;
    }
    tj_address(w, "address", (uint64_t)(uintptr_t)p);
    tj_uint(w, "size", CHANGE_SIZE);
}

static void step_free(changes *c, tj_writer *w)
{
    if (!VirtualFree(c->to_free, 0, MEM_RELEASE)) {
        reply_error(w, "VirtualFree");
        return;
    }
    tj_address(w, "address", (uint64_t)(uintptr_t)c->to_free);
    tj_uint(w, "size", CHANGE_SIZE);
}

static void step_protect(changes *c, tj_writer *w)
{
    DWORD old;
    if (!VirtualProtect(c->to_protect + 0x1000, 0x2000, PAGE_READONLY, &old)) {
        reply_error(w, "VirtualProtect");
        return;
    }
    tj_address(w, "allocation", (uint64_t)(uintptr_t)c->to_protect);
    tj_address(w, "address", (uint64_t)(uintptr_t)(c->to_protect + 0x1000));
    tj_uint(w, "size", 0x2000);
    tj_uint(w, "protect", PAGE_READONLY);
}

static void step_load_dll(changes *c, tj_writer *w)
{
    HMODULE module = LoadLibraryW(c->dll_path);
    if (!module) {
        reply_error(w, "LoadLibraryW");
        return;
    }
    tj_address(w, "base", (uint64_t)(uintptr_t)module);
    tj_wstring(w, "path", c->dll_path);
}

static void step_thread(changes *c, tj_writer *w)
{
    DWORD tid;
    HANDLE thread = CreateThread(NULL, 0, waiting_thread, c->stop_event, 0, &tid);
    if (!thread) {
        reply_error(w, "CreateThread");
        return;
    }
    CloseHandle(thread);
    tj_uint(w, "tid", tid);
}

static void step_write(changes *c, tj_writer *w)
{
    memcpy(c->to_write + 0x3000, "PMM-CHANGED-PAGE", 16);
    tj_address(w, "address", (uint64_t)(uintptr_t)(c->to_write + 0x3000));
    tj_uint(w, "size", 0x1000);
}

static void run_step(changes *c)
{
    static void (*const steps[])(changes *, tj_writer *) = {step_allocate, step_free, step_protect,
                                                             step_load_dll, step_thread, step_write};
    tj_writer w;
    tj_init(&w);
    tj_begin_object(&w, NULL);
    if (c->next_step >= (int)STEP_COUNT) {
        tj_null(&w, "step");
    } else {
        tj_string(&w, "step", step_names[c->next_step]);
        steps[c->next_step++](c, &w);
    }
    tj_end_object(&w);
    tj_print_line(&w);
    tj_free(&w);
}

static int print_hello(changes *c)
{
    tj_writer w;
    tj_begin_target(&w, "changes");
    tj_address(&w, "to_free", (uint64_t)(uintptr_t)c->to_free);
    tj_address(&w, "to_protect", (uint64_t)(uintptr_t)c->to_protect);
    tj_address(&w, "to_write", (uint64_t)(uintptr_t)c->to_write);
    tj_uint(&w, "size", CHANGE_SIZE);
    tj_wstring(&w, "dll_path", c->dll_path);
    tj_begin_array(&w, "steps");
    for (size_t i = 0; i < STEP_COUNT; i++)
        tj_string(&w, NULL, step_names[i]);
    tj_end_array(&w);
    tj_end_object(&w);
    int result = tj_print_line(&w);
    tj_free(&w);
    return result;
}

static void serve_commands(changes *c)
{
    char line[256];
    while (tj_next_command(line, sizeof line)) {
        if (strcmp(line, "step") == 0)
            run_step(c);
        else
            fprintf(stderr, "pmm_target_changes: unknown command '%s'\n", line);
        fflush(stdout);
    }
}

int main(int argc, char **argv)
{
    static changes c;
    (void)argv;
    if (argc != 1) {
        fputs("usage: pmm_target_changes (no options; commands on stdin: step, quit)\n", stderr);
        return 2;
    }
    c.to_free = allocate_rw();
    c.to_protect = allocate_rw();
    c.to_write = allocate_rw();
    c.stop_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!c.to_free || !c.to_protect || !c.to_write || !c.stop_event || make_dll_path(&c) != 0) {
        fprintf(stderr, "pmm_target_changes: setup failed: error %lu\n", (unsigned long)GetLastError());
        return 1;
    }
    if (print_hello(&c) != 0) {
        fputs("pmm_target_changes: could not write to stdout\n", stderr);
        return 1;
    }
    serve_commands(&c);
    SetEvent(c.stop_event);
    return 0;
}
