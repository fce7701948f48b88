/* pmm_testdll.dll: a module with known exports, known data and a known call chain.
 *
 * Built with -O0 -fno-omit-frame-pointer (see CMakeLists.txt) and every function noinline, so the
 * parked thread's stack really holds f1 -> f2 -> f3 frames linked by frame pointers, for the call
 * stack tests. The exports, their ordinals and the ordinal-only export come from testdll.def.
 */
#include "testdll.h"

#include <string.h>

DWORD pmm_test_f1(DWORD timeout_ms);
DWORD pmm_test_f2(DWORD timeout_ms);
DWORD pmm_test_f3(DWORD timeout_ms);
DWORD pmm_test_park_thread(void);
DWORD pmm_test_noname(void);

/* Initialised statically (not in DllMain) so the bytes are already in the file's .data section:
 * tests can compare the mapped image against the file on disk. */
unsigned char pmm_test_data[PMM_TESTDLL_DATA_SIZE] = {
    'P', 'M', 'M', '-', 'T', 'E', 'S', 'T', '-', 'D', 'A', 'T', 'A', '-', '6', '4',
    0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
    0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f,
    0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
};

/* The innermost frame: a real wait in the kernel, the state a stack walker usually meets. */
__attribute__((noinline)) DWORD pmm_test_f3(DWORD timeout_ms)
{
    HANDLE never_signalled = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!never_signalled) {
        Sleep(timeout_ms);
        return WAIT_TIMEOUT;
    }
    DWORD result = WaitForSingleObject(never_signalled, timeout_ms);   /* PMM-PARK-LINE: symbol tests look for it */
    CloseHandle(never_signalled);
    return result;
}

/* The "+ 1" after each call keeps the call from becoming a tail jump, so every frame stays. */
__attribute__((noinline)) DWORD pmm_test_f2(DWORD timeout_ms)
{
    return pmm_test_f3(timeout_ms) + 1;
}

__attribute__((noinline)) DWORD pmm_test_f1(DWORD timeout_ms)
{
    return pmm_test_f2(timeout_ms) + 1;
}

static DWORD WINAPI park_thread_main(void *unused)
{
    (void)unused;
    for (;;)
        pmm_test_f1(INFINITE);
    return 0;
}

__attribute__((noinline)) DWORD pmm_test_park_thread(void)
{
    DWORD tid = 0;
    HANDLE thread = CreateThread(NULL, 0, park_thread_main, NULL, 0, &tid);
    if (!thread)
        return 0;
    CloseHandle(thread);
    return tid;
}

__attribute__((noinline)) DWORD pmm_test_noname(void)
{
    return PMM_TESTDLL_NONAME_RESULT;
}
