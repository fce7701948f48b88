/* --dbghelp FLAGS: the same dump through dbghelp's MiniDumpWriteDump, for parity with what Windows
 * writes. dbghelp.dll is loaded at run time, so pmm.exe starts where it is missing. */
#include "dump_win32.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "../util/file_platform.h"
#include "../util/text.h"
#include "win32_util.h"

typedef BOOL(WINAPI *write_dump_fn)(HANDLE, DWORD, HANDLE, DWORD, void *, void *, void *);

static const struct { const char *name; uint32_t value; } flag_names[] = {
    {"normal", 0x0}, {"withdatasegs", 0x1}, {"withfullmemory", 0x2}, {"withhandledata", 0x4},
    {"filtermemory", 0x8}, {"scanmemory", 0x10}, {"withunloadedmodules", 0x20},
    {"withindirectlyreferencedmemory", 0x40}, {"filtermodulepaths", 0x80}, {"withprocessthreaddata", 0x100},
    {"withprivatereadwritememory", 0x200}, {"withoutoptionaldata", 0x400}, {"withfullmemoryinfo", 0x800},
    {"withthreadinfo", 0x1000}, {"withcodesegs", 0x2000}, {"withoutauxiliarystate", 0x4000},
    {"withfullauxiliarystate", 0x8000}, {"withprivatewritecopymemory", 0x10000},
    {"ignoreinaccessiblememory", 0x20000}, {"withtokeninformation", 0x40000}, {"withmoduleheaders", 0x80000},
    {"filtertriage", 0x100000}, {"withavxxstatecontext", 0x200000}, {"withipttrace", 0x400000},
    {"scaninaccessiblepartialpages", 0x800000},
};

static int flag_value(const char *item, size_t len, uint32_t *value)
{
    char name[64];
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < sizeof name; i++)
        if (!isspace((unsigned char)item[i]))
            name[n++] = (char)tolower((unsigned char)item[i]);
    name[n] = '\0';
    uint64_t number;
    if (pmm_parse_u64(name, &number) == 0) {
        if (number > UINT32_MAX)
            return 0;   /* MINIDUMP_TYPE has 32 bits: a larger number is refused, never cut */
        *value = (uint32_t)number;
        return 1;
    }
    const char *bare = strncmp(name, "minidump", 8) == 0 ? name + 8 : name;
    for (size_t i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++)
        if (strcmp(bare, flag_names[i].name) == 0) {
            *value = flag_names[i].value;
            return 1;
        }
    return 0;
}

pmm_status pmm_dbghelp_parse_flags(const char *text, uint32_t *out, char *message, size_t cap)
{
    *out = 0;
    const char *p = text;
    for (int guard = 0; guard < 64; guard++) {
        size_t len = strcspn(p, "|,+");
        uint32_t value;
        if (!flag_value(p, len, &value)) {
            snprintf(message, cap, "unknown MINIDUMP_TYPE flag '%.*s' (use a number like 0x1105 or names like "
                     "MiniDumpWithFullMemory|MiniDumpWithHandleData)", (int)len, p);
            return PMM_ERR_ARG;
        }
        *out |= value;
        if (!p[len])
            return PMM_OK;
        p += len + 1;
    }
    snprintf(message, cap, "too many flags in '%s'", text);
    return PMM_ERR_ARG;
}

static pmm_status write_with(write_dump_fn write_dump, uint32_t pid, uint32_t flags, const wchar_t *temp,
                             char *message, size_t cap)
{
    HANDLE process = OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ | PROCESS_DUP_HANDLE, FALSE, pid);
    if (!process)
        process = OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, FALSE, pid);
    if (!process) {
        DWORD error = GetLastError();
        snprintf(message, cap, "cannot open process %u for dbghelp (Windows error %lu)", (unsigned)pid,
                 (unsigned long)error);
        return pmm_status_from_win32(error);
    }
    HANDLE file = CreateFileW(temp, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    pmm_status st = PMM_OK;
    if (file == INVALID_HANDLE_VALUE) {
        snprintf(message, cap, "cannot create the dump file (Windows error %lu)", (unsigned long)GetLastError());
        st = PMM_ERR_IO;
    } else {
        if (!write_dump(process, pid, file, flags, NULL, NULL, NULL)) {
            DWORD error = GetLastError();
            /* HRESULT_FROM_WIN32(ERROR_DISK_FULL) and friends come back as HRESULTs. */
            snprintf(message, cap, "MiniDumpWriteDump failed (error 0x%lx)%s", (unsigned long)error,
                     WaitForSingleObject(process, 0) == WAIT_OBJECT_0 ? ": the process exited" : "");
            st = WaitForSingleObject(process, 0) == WAIT_OBJECT_0 ? PMM_ERR_GONE : PMM_ERR_IO;
        }
        if (!CloseHandle(file) && st == PMM_OK)
            st = PMM_ERR_IO;
        if (st != PMM_OK)
            DeleteFileW(temp);
    }
    CloseHandle(process);
    return st;
}

pmm_status pmm_dbghelp_write(uint32_t pid, uint32_t flags, const char *path, char *message, size_t cap)
{
    HMODULE dbghelp = LoadLibraryW(L"dbghelp.dll");
    write_dump_fn write_dump = dbghelp ? (write_dump_fn)(void (*)(void))GetProcAddress(dbghelp, "MiniDumpWriteDump") : NULL;
    if (!write_dump) {
        snprintf(message, cap, "dbghelp.dll with MiniDumpWriteDump is not available here");
        if (dbghelp)
            FreeLibrary(dbghelp);
        return PMM_ERR_UNSUPPORTED;
    }
    size_t n = strlen(path);
    char *temp = malloc(n + sizeof ".partial");
    wchar_t *wide = malloc((n + sizeof ".partial") * sizeof *wide);
    pmm_status st = PMM_ERR_NOMEM;
    if (temp && wide) {
        memcpy(temp, path, n);
        memcpy(temp + n, ".partial", sizeof ".partial");
        st = pmm_utf8_to_wide(temp, wide, n + sizeof ".partial") ? PMM_OK : PMM_ERR_ARG;
        if (st == PMM_OK)
            st = write_with(write_dump, pid, flags, wide, message, cap);
        if (st == PMM_OK && pmm_file_replace(temp, path) != 0) {
            snprintf(message, cap, "cannot rename %s to %s", temp, path);
            remove(temp);
            st = PMM_ERR_IO;
        }
    }
    free(temp);
    free(wide);
    FreeLibrary(dbghelp);
    return st;
}
