/* pmm_dump_writer.exe PID OUTPUT.dmp
 *
 * Writes a full-memory minidump (MiniDumpWithFullMemory | MiniDumpWithFullMemoryInfo) of process
 * PID with dbghelp's MiniDumpWriteDump: the independent writer the search tests compare our
 * minidump source against. Exit 0 on success, 1 on failure (reason on stderr), 2 on bad usage. */
#include <windows.h>
#include <dbghelp.h>
#include <stdio.h>
#include <stdlib.h>

static int fail(const char *what)
{
    fprintf(stderr, "pmm_dump_writer: %s: error %lu\n", what, (unsigned long)GetLastError());
    return 1;
}

int main(int argc, char **argv)
{
    char *end = NULL;
    unsigned long pid = argc == 3 ? strtoul(argv[1], &end, 10) : 0;
    if (argc != 3 || !end || *end || pid == 0) {
        fprintf(stderr, "usage: pmm_dump_writer PID OUTPUT.dmp\n");
        return 2;
    }
    HANDLE process = OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, FALSE, (DWORD)pid);
    if (!process)
        return fail("OpenProcess");
    HANDLE file = CreateFileA(argv[2], GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        CloseHandle(process);
        return fail("CreateFile");
    }
    BOOL ok = MiniDumpWriteDump(process, (DWORD)pid, file,
                                (MINIDUMP_TYPE)(MiniDumpWithFullMemory | MiniDumpWithFullMemoryInfo), NULL, NULL, NULL);
    int rc = ok ? 0 : fail("MiniDumpWriteDump");
    CloseHandle(file);
    CloseHandle(process);
    if (rc)
        DeleteFileA(argv[2]);
    return rc;
}
