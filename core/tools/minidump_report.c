/* Decodes every known stream of a dump for the inspector; a damaged stream is recorded, not fatal. */
#include "minidump_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void record_error(pmm_md_report *r, uint32_t type, pmm_status st, const char *message)
{
    if (r->error_count >= PMM_MD_REPORT_MAX_ERRORS)
        return;
    pmm_md_report_error *e = &r->errors[r->error_count++];
    e->stream_type = type;
    e->status = st;
    snprintf(e->message, sizeof e->message, "%s", message[0] ? message : pmm_status_text(st));
}

/* Sets *present for a decoded stream; records anything but "absent" as an error. */
static void note(pmm_md_report *r, uint32_t type, pmm_status st, const char *message, int *present)
{
    *present = st == PMM_OK;
    if (st != PMM_OK && st != PMM_ERR_NOT_FOUND)
        record_error(r, type, st, message);
}

static void load_threads(pmm_md_report *r, uint32_t cpu)
{
    char why[256] = "";
    pmm_status st = pmm_md_read_threads(r->md, cpu, &r->threads, &r->thread_count, why, sizeof why);
    note(r, PMM_MD_STREAM_THREAD_LIST, st, why, &r->has_threads);
    if (st != PMM_OK)
        return;
    int present;
    why[0] = '\0';
    st = pmm_md_attach_thread_infos(r->md, r->threads, r->thread_count, why, sizeof why);
    note(r, PMM_MD_STREAM_THREAD_INFO_LIST, st, why, &present);
    why[0] = '\0';
    st = pmm_md_attach_thread_names(r->md, r->threads, r->thread_count, why, sizeof why);
    note(r, PMM_MD_STREAM_THREAD_NAMES, st, why, &present);
}

static void load_streams(pmm_md_report *r)
{
    char why[256] = "";
    pmm_status st = pmm_md_read_system_info(r->md, &r->system, why, sizeof why);
    note(r, PMM_MD_STREAM_SYSTEM_INFO, st, why, &r->has_system);
    uint32_t cpu = r->has_system ? r->system.processor_architecture : PMM_MD_CPU_UNKNOWN;
    why[0] = '\0';
    st = pmm_md_read_misc_info(r->md, &r->misc, why, sizeof why);
    note(r, PMM_MD_STREAM_MISC_INFO, st, why, &r->has_misc);
    why[0] = '\0';
    st = pmm_md_read_exception(r->md, cpu, &r->exception, why, sizeof why);
    note(r, PMM_MD_STREAM_EXCEPTION, st, why, &r->has_exception);
    load_threads(r, cpu);
    why[0] = '\0';
    st = pmm_md_read_modules(r->md, &r->modules, &r->module_count, why, sizeof why);
    note(r, PMM_MD_STREAM_MODULE_LIST, st, why, &r->has_modules);
    why[0] = '\0';
    st = pmm_md_read_unloaded_modules(r->md, &r->unloaded, &r->unloaded_count, why, sizeof why);
    note(r, PMM_MD_STREAM_UNLOADED_MODULE_LIST, st, why, &r->has_unloaded);
    why[0] = '\0';
    st = pmm_md_read_handles(r->md, &r->handles, &r->handle_count, why, sizeof why);
    note(r, PMM_MD_STREAM_HANDLE_DATA, st, why, &r->has_handles);
    why[0] = '\0';
    st = pmm_md_read_memory_list(r->md, &r->memory, &r->memory_count, why, sizeof why);
    note(r, PMM_MD_STREAM_MEMORY_LIST, st, why, &r->has_memory);
    why[0] = '\0';
    st = pmm_md_read_memory64_list(r->md, &r->memory64, &r->memory64_count, why, sizeof why);
    note(r, PMM_MD_STREAM_MEMORY64_LIST, st, why, &r->has_memory64);
    why[0] = '\0';
    st = pmm_md_read_memory_info_list(r->md, &r->memory_info, &r->memory_info_count, why, sizeof why);
    note(r, PMM_MD_STREAM_MEMORY_INFO_LIST, st, why, &r->has_memory_info);
}

static pmm_status finish_load(pmm_minidump *md, const char *name, pmm_md_report **out, char *message, size_t cap)
{
    pmm_md_report *r = calloc(1, sizeof *r);
    if (!r) {
        pmm_md_close(md);
        snprintf(message, cap, "%s: out of memory", name);
        return PMM_ERR_NOMEM;
    }
    r->md = md;
    snprintf(r->path, sizeof r->path, "%s", name);
    load_streams(r);
    *out = r;
    return PMM_OK;
}

pmm_status pmm_md_report_load(const char *path, pmm_md_report **out, char *message, size_t cap)
{
    *out = NULL;
    char why[512] = "";
    pmm_minidump *md;
    pmm_status st = pmm_md_open_file(path, &md, why, sizeof why);
    if (st != PMM_OK) {
        if (st == PMM_ERR_NOT_FOUND)   /* the message already names the file */
            snprintf(message, cap, "%s", why);
        else
            snprintf(message, cap, "%s: %s", path, why);
        return st;
    }
    return finish_load(md, path, out, message, cap);
}

pmm_status pmm_md_report_load_memory(const void *data, size_t size, const char *name, pmm_md_report **out,
                                     char *message, size_t cap)
{
    *out = NULL;
    char why[512] = "";
    pmm_minidump *md;
    pmm_status st = pmm_md_open_memory(data, size, &md, why, sizeof why);
    if (st != PMM_OK) {
        snprintf(message, cap, "%s: %s", name, why);
        return st;
    }
    return finish_load(md, name, out, message, cap);
}

void pmm_md_report_free(pmm_md_report *r)
{
    if (!r)
        return;
    pmm_md_close(r->md);
    free(r->threads);
    free(r->modules);
    free(r->unloaded);
    free(r->handles);
    free(r->memory);
    free(r->memory64);
    free(r->memory_info);
    free(r);
}

uint32_t pmm_md_report_pointer_size(const pmm_md_report *r)
{
    if (r->has_system) {
        switch (r->system.processor_architecture) {
        case PMM_MD_CPU_AMD64:
        case PMM_MD_CPU_ARM64:
        case PMM_MD_CPU_IA64:
            return 8;
        case PMM_MD_CPU_X86:
        case PMM_MD_CPU_ARM:
            return 4;
        }
    }
    for (size_t i = 0; i < r->thread_count; i++)
        if (r->threads[i].has_context)
            return r->threads[i].context.regs.arch == PMM_ARCH_X64 ? 8 : 4;
    return 8;
}

static int is_leap_year(uint64_t year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

const char *pmm_md_time_text(uint64_t seconds, char *buf, size_t cap)
{
    static const uint8_t month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    uint64_t days = seconds / 86400, rest = seconds % 86400;
    uint64_t year = 1970;
    /* Dump times are 32-bit (136 years at most); the year cap bounds the loop for any input. */
    while (days >= (uint64_t)(is_leap_year(year) ? 366 : 365)) {
        days -= is_leap_year(year) ? 366 : 365;
        year++;
        if (year > 9999) {
            snprintf(buf, cap, "(invalid time)");
            return buf;
        }
    }
    unsigned month = 0;
    for (; month < 11; month++) {
        unsigned len = month_days[month] + (month == 1 && is_leap_year(year));
        if (days < len)
            break;
        days -= len;
    }
    snprintf(buf, cap, "%04u-%02u-%02u %02u:%02u:%02u", (unsigned)year, month + 1, (unsigned)days + 1,
             (unsigned)(rest / 3600), (unsigned)(rest / 60 % 60), (unsigned)(rest % 60));
    return buf;
}

const char *pmm_md_version_text(uint32_t ms, uint32_t ls, char *buf, size_t cap)
{
    snprintf(buf, cap, "%u.%u.%u.%u", ms >> 16, ms & 0xFFFF, ls >> 16, ls & 0xFFFF);
    return buf;
}

const char *pmm_md_register_name(uint32_t arch, size_t index)
{
    static const char *const x64[16] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                        "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
    static const char *const x86[8] = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    if (arch == PMM_ARCH_X64 && index < 16)
        return x64[index];
    if (arch == PMM_ARCH_X86 && index < 8)
        return x86[index];
    return NULL;
}
