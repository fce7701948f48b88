/* pmm_target_symbols.exe [DLL]: threads parked in known functions, for the symbol tests.
 *
 * Loads DLL (default pmm_testdll.dll: gcc-built, DWARF; pmm_testdll_pdb.dll is the same source
 * built by clang with a PDB) and starts its parked thread (f1 -> f2 -> f3, waiting at the line
 * marked PMM-PARK-LINE in testdll.c), plus one thread of its own that waits in
 * WaitForSingleObject on an event nobody signals (a wait inside Wine's DLLs). Prints one JSON
 * line: {"pid", "dll", "dll_base", "park_tid", "wait_tid", "f3"}, then reads stdin until "quit"
 * or end of input. Exit codes: 0 normal, 1 a setup step failed (reason on stderr). */
#include <windows.h>

#include <stdio.h>
#include <string.h>

#include "target_json.h"
#include "testdll.h"

static DWORD WINAPI wait_thread_main(void *event)
{
    return WaitForSingleObject((HANDLE)event, INFINITE);
}

static int fail(const char *what)
{
    fprintf(stderr, "pmm_target_symbols: %s failed (error %lu)\n", what, (unsigned long)GetLastError());
    return 1;
}

int main(int argc, char **argv)
{
    const char *dll_name = argc > 1 ? argv[1] : "pmm_testdll.dll";
    HMODULE dll = LoadLibraryA(dll_name);
    if (!dll)
        return fail("LoadLibrary");
    pmm_test_park_thread_fn park = (pmm_test_park_thread_fn)(void (*)(void))GetProcAddress(dll, "pmm_test_park_thread");
    void *f3 = (void *)GetProcAddress(dll, "pmm_test_f3");
    if (!park || !f3)
        return fail("GetProcAddress");
    DWORD park_tid = park();
    if (!park_tid)
        return fail("starting the parked thread");
    HANDLE never = CreateEventW(NULL, TRUE, FALSE, NULL);
    DWORD wait_tid = 0;
    HANDLE waiter = never ? CreateThread(NULL, 0, wait_thread_main, never, 0, &wait_tid) : NULL;
    if (!waiter)
        return fail("starting the waiting thread");
    Sleep(100);   /* both threads reach their waits */

    tj_writer w;
    tj_init(&w);
    tj_begin_object(&w, NULL);
    tj_uint(&w, "pid", GetCurrentProcessId());
    tj_string(&w, "dll", dll_name);
    tj_address(&w, "dll_base", (uint64_t)(uintptr_t)dll);
    tj_uint(&w, "park_tid", park_tid);
    tj_uint(&w, "wait_tid", wait_tid);
    tj_address(&w, "f3", (uint64_t)(uintptr_t)f3);
    tj_end_object(&w);
    if (tj_print_line(&w) != 0)
        return 1;
    tj_free(&w);

    char line[64];
    while (tj_next_command(line, sizeof line))
        continue;   /* no commands but quit and ping */
    return 0;
}
