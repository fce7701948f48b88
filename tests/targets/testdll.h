/* The interface of pmm_testdll.dll, shared by the DLL and by the targets that load it.
 *
 * The targets load the DLL with LoadLibrary and GetProcAddress (not an import library), so that
 * the DLL shows up in the target as a dynamically loaded module, the way plug-ins do.
 */
#ifndef PMM_TESTDLL_H
#define PMM_TESTDLL_H

#include <windows.h>

#define PMM_TESTDLL_NAME L"pmm_testdll.dll"

/* Ordinals are fixed in testdll.def so tests can assert them. Ordinal 6 is deliberately unused
 * (a hole in the export address table); ordinal 7 is exported by ordinal only (NONAME). */
#define PMM_TESTDLL_ORDINAL_F1 1
#define PMM_TESTDLL_ORDINAL_F2 2
#define PMM_TESTDLL_ORDINAL_F3 3
#define PMM_TESTDLL_ORDINAL_DATA 4
#define PMM_TESTDLL_ORDINAL_PARK 5
#define PMM_TESTDLL_ORDINAL_NONAME 7

/* pmm_test_data: the 16 ASCII bytes of PMM_TESTDLL_DATA_TAG (no terminator), then bytes 16..63
 * hold their own index (0x10, 0x11, ... 0x3f). */
#define PMM_TESTDLL_DATA_SIZE 64
#define PMM_TESTDLL_DATA_TAG "PMM-TEST-DATA-64"

/* What the function exported by ordinal 7 returns: "PMM" and the ordinal. */
#define PMM_TESTDLL_NONAME_RESULT 0x504d4d07u

/* f1 calls f2 calls f3, which waits timeout_ms on an event nobody signals; each returns the
 * callee's result plus one, f3 returns the WaitForSingleObject result. */
typedef DWORD (*pmm_test_chain_fn)(DWORD timeout_ms);
/* Starts a thread that runs f1(INFINITE) forever; returns its thread id, 0 on failure. */
typedef DWORD (*pmm_test_park_thread_fn)(void);
/* Exported by ordinal PMM_TESTDLL_ORDINAL_NONAME only. */
typedef DWORD (*pmm_test_noname_fn)(void);

#endif
