/* Gathering what `pmm kdump` prints: done once, shared by the text and the JSON output. */
#include "kdump_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* KUSER_SHARED_DATA: NtBuildNumber, NtMajorVersion, NtMinorVersion. */
#define KUSER_BUILD 0x260
#define KUSER_MAJOR 0x26C
#define KUSER_MINOR 0x270

uint64_t pmm_kdump_kuser_address(uint32_t pointer_size)
{
    return pointer_size == 8 ? 0xFFFFF78000000000ull : 0xFFDF0000ull;
}

const char *pmm_kdump_paging_text(uint32_t paging)
{
    switch (paging) {
    case PMM_KDUMP_PAGING_X64: return "x64 4-level paging";
    case PMM_KDUMP_PAGING_PAE: return "x86 PAE paging";
    case PMM_KDUMP_PAGING_X86: return "x86 2-level paging";
    }
    return "no translation (the page tables of this machine are not walked)";
}

static int read_u32(pmm_kdump *dump, uint64_t va, uint32_t *out)
{
    uint8_t b[4];
    if (pmm_kdump_read_virtual(dump, 0, va, b, 4, NULL) != 4)
        return 0;
    *out = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return 1;
}

static void load_os_version(pmm_kdump_report *r)
{
    uint64_t kuser = pmm_kdump_kuser_address(pmm_kdump_pointer_size(r->dump));
    r->has_os_version = read_u32(r->dump, kuser + KUSER_MAJOR, &r->os_major) &&
                        read_u32(r->dump, kuser + KUSER_MINOR, &r->os_minor) &&
                        read_u32(r->dump, kuser + KUSER_BUILD, &r->os_build) && r->os_major >= 3 &&
                        r->os_major <= 99;   /* a page of something else is not a version */
    r->os_build &= 0xFFFF;                   /* the top bits flag a checked build */
}

pmm_status pmm_kdump_report_load(pmm_kdump *dump, const char *path, pmm_kdump_report *out)
{
    memset(out, 0, sizeof *out);
    out->dump = dump;
    snprintf(out->path, sizeof out->path, "%s", path);
    pmm_kdump_memory_summary_of(dump, &out->memory);
    load_os_version(out);
    out->modules_status =
        pmm_kdump_modules(dump, &out->modules, &out->module_count, out->modules_problem, sizeof out->modules_problem);
    return out->modules_status == PMM_ERR_NOMEM ? PMM_ERR_NOMEM : PMM_OK;
}

void pmm_kdump_report_free(pmm_kdump_report *report)
{
    if (report) {
        pmm_kdump_process_list_free(&report->processes);
        free(report->modules);
        report->modules = NULL;
        report->module_count = 0;
    }
}

pmm_status pmm_kdump_report_load_processes(pmm_kdump_report *report)
{
    report->has_processes = 1;
    report->processes_status = pmm_kdump_processes(report->dump, &report->processes, report->processes_message,
                                                   sizeof report->processes_message);
    if (report->processes_status == PMM_ERR_NOMEM)
        return PMM_ERR_NOMEM;
    memset(&report->crash, 0, sizeof report->crash);
    if (report->processes_status != PMM_OK)
        return PMM_OK;
    pmm_status st = pmm_kdump_choose_thread_offsets(report->dump, &report->processes, &report->threads);
    if (st == PMM_OK)
        st = pmm_kdump_choose_vad_offsets(report->dump, &report->processes, &report->vads);
    if (st != PMM_OK)
        return st;
    return pmm_kdump_find_crash_thread_with(report->dump, &report->processes, &report->threads.offsets,
                                            &report->crash);
}

const char *pmm_kdump_translation_reason(const pmm_kdump_translation *t, char *buf, size_t cap)
{
    unsigned long long pa = (unsigned long long)t->physical;
    switch (t->status) {
    case PMM_KDUMP_VA_PRESENT:
    case PMM_KDUMP_VA_TRANSITION:
        if (t->page_in_dump)
            snprintf(buf, cap, "readable");
        else
            snprintf(buf, cap, "%s physical 0x%llx, which the dump does not hold",
                     t->status == PMM_KDUMP_VA_PRESENT ? "maps" : "in transition at", pa);
        break;
    case PMM_KDUMP_VA_PAGE_FILE:
        snprintf(buf, cap, "paged out to page file %u at offset 0x%llx", t->page_file,
                 (unsigned long long)t->page_file_offset);
        break;
    case PMM_KDUMP_VA_TABLE_NOT_IN_DUMP: {
        const pmm_kdump_walk_step *s = &t->steps[t->step_count ? t->step_count - 1 : 0];
        snprintf(buf, cap, "the level-%u table at physical 0x%llx is not in the dump", s->level,
                 (unsigned long long)(s->entry_address & ~(uint64_t)(PMM_KDUMP_PAGE_SIZE - 1)));
        break;
    }
    default:
        snprintf(buf, cap, "%s", pmm_kdump_va_status_text(t->status));
    }
    return buf;
}

void pmm_kdump_read_chunk(pmm_kdump *dump, int is_virtual, uint64_t dtb, uint64_t address, uint64_t end,
                          pmm_kdump_chunk *out)
{
    uint64_t page_end = (address | (PMM_KDUMP_PAGE_SIZE - 1)) + 1;
    out->address = address;
    out->size = (size_t)((page_end < end && page_end != 0 ? page_end : end) - address);
    out->reason[0] = '\0';
    memset(&out->translation, 0, sizeof out->translation);
    if (!is_virtual) {
        out->readable = pmm_kdump_read_physical(dump, address, out->data, out->size) == out->size;
        if (!out->readable)
            snprintf(out->reason, sizeof out->reason, "the dump does not hold physical page 0x%llx",
                     (unsigned long long)(address / PMM_KDUMP_PAGE_SIZE));
        return;
    }
    out->readable = pmm_kdump_read_virtual(dump, dtb, address, out->data, out->size, &out->translation) == out->size;
    if (out->readable)
        pmm_kdump_translate(dump, dtb, address, &out->translation);
    else
        pmm_kdump_translation_reason(&out->translation, out->reason, sizeof out->reason);
}
