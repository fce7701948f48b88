/* pmm_testdll.dll loaded at run time, its exports resolved, and a thread parked inside it.
 *
 * The DLL is loaded by full path from the directory of this executable, so the test never picks
 * up a stale copy from the search path.
 */
#include "target_basic.h"
#include "testdll.h"

#include <string.h>
#include <wchar.h>

typedef struct export_name {
    unsigned ordinal;
    const char *name;                /* NULL: exported by ordinal only */
} export_name;

static const export_name export_names[] = {
    { PMM_TESTDLL_ORDINAL_F1, "pmm_test_f1" },
    { PMM_TESTDLL_ORDINAL_F2, "pmm_test_f2" },
    { PMM_TESTDLL_ORDINAL_F3, "pmm_test_f3" },
    { PMM_TESTDLL_ORDINAL_DATA, "pmm_test_data" },
    { PMM_TESTDLL_ORDINAL_PARK, "pmm_test_park_thread" },
    { PMM_TESTDLL_ORDINAL_NONAME, NULL },
};

#define EXPORT_COUNT (sizeof export_names / sizeof export_names[0])

static int make_dll_path(wchar_t *path, size_t capacity)
{
    DWORD len = GetModuleFileNameW(NULL, path, (DWORD)capacity);
    if (len == 0 || len >= capacity)
        return tb_fail("GetModuleFileNameW(NULL)");
    wchar_t *slash = wcsrchr(path, L'\\');
    size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
    if (dir_len + wcslen(PMM_TESTDLL_NAME) + 1 > capacity) {
        SetLastError(ERROR_BUFFER_OVERFLOW);
        return tb_fail("path of " "pmm_testdll.dll");
    }
    wcscpy(path + dir_len, PMM_TESTDLL_NAME);
    return 0;
}

/* GetProcAddress returns a generic FARPROC; going through void (*)(void) is the cast that
 * -Wcast-function-type accepts as "any function". */
static void (*resolve(HMODULE module, const export_name *e))(void)
{
    FARPROC proc = e->name ? GetProcAddress(module, e->name)
                           : GetProcAddress(module, MAKEINTRESOURCEA(e->ordinal));
    return (void (*)(void))proc;
}

/* Calls the exports once, so a broken build (wrong ordinals, inlined chain) fails here, loudly,
 * instead of as a puzzling call stack test. */
static int check_exports(const tb_dll *d)
{
    pmm_test_chain_fn f1 = (pmm_test_chain_fn)d->export_address[PMM_TESTDLL_ORDINAL_F1];
    pmm_test_noname_fn noname = (pmm_test_noname_fn)d->export_address[PMM_TESTDLL_ORDINAL_NONAME];
    const unsigned char *data = (const unsigned char *)d->export_address[PMM_TESTDLL_ORDINAL_DATA];
    if (f1(0) != WAIT_TIMEOUT + 2 || noname() != PMM_TESTDLL_NONAME_RESULT ||
        memcmp(data, PMM_TESTDLL_DATA_TAG, strlen(PMM_TESTDLL_DATA_TAG)) != 0) {
        SetLastError(ERROR_INVALID_DATA);
        return tb_fail("pmm_testdll.dll self-check");
    }
    return 0;
}

int tb_dll_make(tb_dll *d)
{
    memset(d, 0, sizeof *d);
    wchar_t path[MAX_PATH * 2];
    if (make_dll_path(path, MAX_PATH * 2) != 0)
        return -1;
    d->module = LoadLibraryW(path);
    if (!d->module)
        return tb_fail("LoadLibraryW(pmm_testdll.dll)");
    DWORD len = GetModuleFileNameW(d->module, d->path, MAX_PATH * 2);
    if (len == 0 || len >= MAX_PATH * 2)
        return tb_fail("GetModuleFileNameW(pmm_testdll.dll)");

    for (unsigned i = 0; i < EXPORT_COUNT; i++) {
        void (*proc)(void) = resolve(d->module, &export_names[i]);
        if (!proc)
            return tb_fail(export_names[i].name ? export_names[i].name : "export by ordinal");
        d->export_address[export_names[i].ordinal] = (uintptr_t)proc;
    }
    if (check_exports(d) != 0)
        return -1;

    pmm_test_park_thread_fn park = (pmm_test_park_thread_fn)d->export_address[PMM_TESTDLL_ORDINAL_PARK];
    d->parked_tid = park();
    if (!d->parked_tid)
        return tb_fail("pmm_test_park_thread");
    return 0;
}

void tb_dll_report(const tb_dll *d, tj_writer *w)
{
    tj_begin_object(w, "dll");
    tj_address(w, "base", (uintptr_t)d->module);
    tj_wstring(w, "path", d->path);
    tj_string(w, "data_tag", PMM_TESTDLL_DATA_TAG);
    tj_begin_array(w, "exports");
    for (unsigned i = 0; i < EXPORT_COUNT; i++) {
        tj_begin_object(w, NULL);
        tj_string(w, "name", export_names[i].name);
        tj_uint(w, "ordinal", export_names[i].ordinal);
        tj_address(w, "address", d->export_address[export_names[i].ordinal]);
        tj_end_object(w);
    }
    tj_end_array(w);
    tj_end_object(w);
    tj_uint(w, "parked_thread", d->parked_tid);
}
