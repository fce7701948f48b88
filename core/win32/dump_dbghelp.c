/* --dbghelp FLAGS: the same dump through dbghelp's MiniDumpWriteDump, for parity with what Windows
 * writes. dbghelp.dll is loaded at run time, so pmm.exe starts where it is missing. */
#include "dump_win32.h"

#include <ctype.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "../util/file_platform.h"
#include "../formats/minidump.h"
#include "../formats/minidump_memory.h"
#include "../util/temp_file.h"
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

/* What dbghelp wrote must be a whole minidump before it gets the final name: on a full disk it has
 * returned success over a file cut to 8 KiB. The header, the directory and every stream it lists
 * must lie inside the file. */
/* The bytes of every memory range a list promises must be in the file: dbghelp writes the lists
 * first and their bytes after them, so a cut file keeps a valid directory. */
static pmm_status check_memory_in_file(pmm_minidump *md, char *why, size_t cap)
{
    for (int is64 = 0; is64 < 2; is64++) {
        pmm_md_memory_range *ranges = NULL;
        size_t count = 0;
        char detail[256] = "";
        pmm_status st = is64 ? pmm_md_read_memory64_list(md, &ranges, &count, detail, sizeof detail)
                             : pmm_md_read_memory_list(md, &ranges, &count, detail, sizeof detail);
        if (st == PMM_ERR_NOT_FOUND)
            continue;
        uint64_t missing = 0;
        for (size_t i = 0; st == PMM_OK && i < count; i++)
            missing += ranges[i].size - ranges[i].available;
        free(ranges);
        if (st != PMM_OK || missing) {
            if (st != PMM_OK)
                snprintf(why, cap, "%s", detail);
            else
                snprintf(why, cap, "%llu bytes of its %s are missing from the file",
                         (unsigned long long)missing, is64 ? "Memory64List" : "MemoryList");
            return PMM_ERR_FORMAT;
        }
    }
    return PMM_OK;
}

static pmm_status check_written(const char *temp_path, char *message, size_t cap)
{
    char why[400] = "";
    pmm_minidump *md;
    pmm_status st = pmm_md_open_file(temp_path, &md, why, sizeof why);
    if (st == PMM_OK) {
        for (size_t i = 0; i < pmm_md_stream_count(md) && st == PMM_OK; i++) {
            const pmm_md_stream *stream = pmm_md_stream_at(md, i);
            if (stream->type != PMM_MD_STREAM_UNUSED && !stream->in_file) {
                snprintf(why, sizeof why, "its stream %zu (type %u) ends past the end of the file (%llu bytes)", i,
                         stream->type, (unsigned long long)pmm_md_file_size(md));
                st = PMM_ERR_FORMAT;
            }
        }
        if (st == PMM_OK && pmm_md_stream_count(md) == 0) {
            snprintf(why, sizeof why, "it has no streams");
            st = PMM_ERR_FORMAT;
        }
        if (st == PMM_OK)
            st = check_memory_in_file(md, why, sizeof why);
        pmm_md_close(md);
    }
    if (st != PMM_OK)
        snprintf(message, cap, "dbghelp reported success but what it wrote is not a whole minidump (%s): the "
                 "disk may be full", why);
    return st;
}

static pmm_status write_with(write_dump_fn write_dump, uint32_t pid, uint32_t flags, pmm_temp_file *out,
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
    /* dbghelp writes through the handle of our temporary file; the C stream over it stays unused. */
    HANDLE file = (HANDLE)_get_osfhandle(_fileno(out->file));
    pmm_status st = PMM_OK;
    if (!write_dump(process, pid, file, flags, NULL, NULL, NULL)) {
        DWORD error = GetLastError();
        char text[300];
        int gone = WaitForSingleObject(process, 0) == WAIT_OBJECT_0;
        /* HRESULT_FROM_WIN32(ERROR_DISK_FULL) and friends come back as HRESULTs. */
        snprintf(message, cap, "MiniDumpWriteDump failed: %s", gone ? "the process exited"
                 : pmm_os_error_text((int)((error & 0xFFFF0000u) == 0x80070000u ? error & 0xFFFF : error), text,
                                     sizeof text));
        st = gone ? PMM_ERR_GONE : PMM_ERR_IO;
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
    pmm_temp_file out;
    pmm_status st = pmm_temp_file_create(&out, path, message, cap);
    if (st == PMM_OK)
        st = write_with(write_dump, pid, flags, &out, message, cap);
    if (st == PMM_OK && fflush(out.file) == 0)
        st = check_written(out.temp_path, message, cap);
    if (st == PMM_OK && (st = pmm_temp_file_commit(&out)) != PMM_OK)
        snprintf(message, cap, "%s", pmm_temp_file_error(&out));
    pmm_temp_file_discard(&out);
    FreeLibrary(dbghelp);
    return st;
}
