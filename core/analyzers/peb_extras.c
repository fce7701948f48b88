/* The other things a PEB points at, labelled as System Informer does: the API set map, the code
 * page tables, the GDI shared handle table, shim data and activation context data. Each pointer is
 * read from both PEBs of a WOW64 process; it labels from where it points to the end of the
 * allocation holding it (these are whole mapped sections or heap blocks we cannot size better). */
#include "analyzers.h"

#include <stdio.h>

typedef struct peb_pointer {
    const char *label;
    uint32_t offset32, offset64;   /* from public Windows 10 symbols (stable since Vista) */
} peb_pointer;

static const peb_pointer peb_pointers[] = {
    {"ApiSetMap", 0x38, 0x68},
    {"Read-only shared memory", 0x4C, 0x88},
    {"ANSI code page data", 0x58, 0xA0},
    {"OEM code page data", 0x5C, 0xA8},
    {"Unicode case table", 0x60, 0xB0},
    {"GDI shared handle table", 0x94, 0xF8},
    {"Shim data", 0x1E8, 0x2D8},
    {"Activation context data", 0x1F8, 0x2F8},
    {"System default activation context data", 0x200, 0x308},
};

static pmm_status label_pointer(pmm_scan *scan, const pmm_scan_peb *peb, const peb_pointer *p, const char *suffix)
{
    uint64_t target = 0, base, size;
    uint32_t offset = peb->pointer_size == 4 ? p->offset32 : p->offset64;
    if (pmm_source_read_pointer(scan->src, peb->address + offset, peb->pointer_size, &target) != PMM_OK || !target)
        return PMM_OK;
    if (!pmm_scan_allocation_extent(scan->map, target, &base, &size))
        return pmm_map_warn(scan->map, "PEB%s %s points at 0x%llx, which is not allocated", suffix, p->label,
                            (unsigned long long)target);
    char label[96];
    snprintf(label, sizeof label, "%s%s", p->label, suffix);
    return pmm_map_add_annotation(scan->map, target, base + size - target, PMM_ANN_SYSTEM_DATA,
                                  peb->pointer_size * 8, 0, label);
}

pmm_status pmm_analyze_peb_extras(pmm_scan *scan)
{
    pmm_status st = PMM_OK;
    for (size_t i = 0; i < scan->peb_count && st == PMM_OK; i++) {
        const pmm_scan_peb *peb = &scan->pebs[i];
        const char *suffix = scan->peb_count < 2 ? "" : peb->pointer_size == 8 ? " (64-bit)" : " (32-bit)";
        for (size_t p = 0; p < sizeof peb_pointers / sizeof peb_pointers[0] && st == PMM_OK; p++)
            st = label_pointer(scan, peb, &peb_pointers[p], suffix);
    }
    return st;
}
