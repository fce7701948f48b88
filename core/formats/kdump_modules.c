/* The kernel's module list: PsLoadedModuleList, a circular list of KLDR_DATA_TABLE_ENTRY in the
 * kernel address space (the header's DirectoryTableBase). */
#include <stdlib.h>
#include <string.h>
#include "kdump_internal.h"
#include "../util/cycle_check.h"
#include "../util/utf.h"

/* KLDR_DATA_TABLE_ENTRY offsets (x64 / x86), stable since Windows XP. */
typedef struct kldr_layout {
    uint32_t pointer_size;
    uint32_t dll_base, entry_point, size_of_image, full_name, base_name;
    uint32_t string_buffer;     /* offset of UNICODE_STRING.Buffer */
    uint32_t entry_size;        /* bytes read per entry */
} kldr_layout;

static const kldr_layout kldr64 = {8, 0x30, 0x38, 0x40, 0x48, 0x58, 8, 0x68};
static const kldr_layout kldr32 = {4, 0x18, 0x1C, 0x20, 0x24, 0x2C, 4, 0x34};

/* A UNICODE_STRING as UTF-8, cut to what out can hold (each UTF-16 unit is at least one byte). */
static void read_name(pmm_kdump *dump, const uint8_t *ustr, const kldr_layout *l, char *out, size_t cap)
{
    uint8_t utf16[2 * sizeof ((pmm_kdump_module *)0)->full_name];
    size_t length = kd_le16(ustr) & ~1u;
    uint64_t buffer = kd_pointer_at(ustr + l->string_buffer, l->pointer_size);
    out[0] = '\0';
    if (length > 2 * cap)
        length = 2 * cap;
    if (length > sizeof utf16)
        length = sizeof utf16;
    if (length == 0 || buffer == 0)
        return;
    if (pmm_kdump_read_virtual(dump, 0, buffer, utf16, length, NULL) == length)
        pmm_utf16le_to_utf8(utf16, length / 2, out, cap);
}

static pmm_status add_module(pmm_kdump_module **list, size_t *count, size_t *cap, const pmm_kdump_module *m)
{
    if (*count == *cap) {
        size_t grown_cap = *cap ? *cap * 2 : 64;
        pmm_kdump_module *grown = realloc(*list, grown_cap * sizeof *grown);
        if (!grown)
            return PMM_ERR_NOMEM;
        *list = grown;
        *cap = grown_cap;
    }
    (*list)[(*count)++] = *m;
    return PMM_OK;
}

pmm_status pmm_kdump_modules(pmm_kdump *dump, pmm_kdump_module **out, size_t *count, char *problem,
                             size_t problem_cap)
{
    const kldr_layout *l = pmm_kdump_pointer_size(dump) == 8 ? &kldr64 : &kldr32;
    uint64_t head = dump->header.ps_loaded_module_list;
    uint8_t link_bytes[8], entry[0x68];
    *out = NULL;
    *count = 0;
    problem[0] = '\0';
    if (head == 0 || pmm_kdump_read_virtual(dump, 0, head, link_bytes, l->pointer_size, NULL) != l->pointer_size) {
        return kd_fail(problem, problem_cap, PMM_ERR_READ, "PsLoadedModuleList (0x%llx) is not readable in the dump",
                       (unsigned long long)head);
    }
    uint64_t link = kd_pointer_at(link_bytes, l->pointer_size);
    size_t cap = 0;
    pmm_cycle_check cycle;
    pmm_cycle_check_init(&cycle);
    while (link != head) {
        if (link == 0) {
            kd_fail(problem, problem_cap, PMM_OK, "the module list ends in a null link before its head 0x%llx",
                    (unsigned long long)head);
            break;
        }
        if (pmm_cycle_check_step(&cycle, link)) {
            kd_fail(problem, problem_cap, PMM_OK, "the module list cycles through entry 0x%llx without returning to "
                    "its head 0x%llx; walk stopped", (unsigned long long)link, (unsigned long long)head);
            break;
        }
        if (*count >= PMM_KDUMP_MAX_MODULES) {
            kd_fail(problem, problem_cap, PMM_OK, "the module list is longer than %u entries; the rest is ignored",
                    PMM_KDUMP_MAX_MODULES);
            break;
        }
        if (pmm_kdump_read_virtual(dump, 0, link, entry, l->entry_size, NULL) != l->entry_size) {
            kd_fail(problem, problem_cap, PMM_OK, "module list entry 0x%llx is not in the dump; list cut short",
                    (unsigned long long)link);
            break;
        }
        pmm_kdump_module m;
        memset(&m, 0, sizeof m);
        m.entry_address = link;
        m.base = kd_pointer_at(entry + l->dll_base, l->pointer_size);
        m.entry_point = kd_pointer_at(entry + l->entry_point, l->pointer_size);
        m.size = kd_le32(entry + l->size_of_image);
        read_name(dump, entry + l->full_name, l, m.full_name, sizeof m.full_name);
        read_name(dump, entry + l->base_name, l, m.base_name, sizeof m.base_name);
        if (add_module(out, count, &cap, &m) != PMM_OK) {
            free(*out);
            *out = NULL;
            *count = 0;
            return PMM_ERR_NOMEM;
        }
        link = kd_pointer_at(entry, l->pointer_size);
    }
    return PMM_OK;
}
