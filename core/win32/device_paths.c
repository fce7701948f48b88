#include "win32_util.h"

#include "../util/device_path.h"

/* The drive table, read from QueryDosDevice for each letter that has a device. */
typedef struct drive_table {
    pmm_drive_device drives[26];
    char devices[26][MAX_PATH * 3];
    size_t count;
} drive_table;

static void read_drive_table(drive_table *t)
{
    wchar_t device[MAX_PATH];
    t->count = 0;
    for (wchar_t letter = L'A'; letter <= L'Z'; letter++) {
        wchar_t name[3] = {letter, L':', 0};
        if (!QueryDosDeviceW(name, device, MAX_PATH))
            continue;
        pmm_wide_to_utf8(device, t->devices[t->count], sizeof t->devices[t->count]);
        t->drives[t->count].letter = (char)letter;
        t->drives[t->count].device = t->devices[t->count];
        t->count++;
    }
}

static drive_table table;
static INIT_ONCE table_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK init_table(PINIT_ONCE once, void *param, void **context)
{
    (void)once;
    (void)param;
    (void)context;
    read_drive_table(&table);
    return TRUE;
}

/* The table is read once per process: drive letters rarely change while a tool runs, and
 * QueryDosDevice for 26 letters per mapped file would dominate a scan. */
void pmm_device_path_to_dos(const wchar_t *nt_path, char *out, size_t cap)
{
    char path[1024 * 3];
    InitOnceExecuteOnce(&table_once, init_table, NULL, NULL);
    pmm_wide_to_utf8(nt_path, path, sizeof path);
    pmm_device_path_to_dos_form(path, table.drives, table.count, out, cap);
}
