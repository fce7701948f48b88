/* The load configuration directory: security cookie, SafeSEH table and Control Flow Guard. */
#include "pe_internal.h"
#include "../util/text.h"

#include <stdio.h>
#include <string.h>

/* Bytes up to and including GuardFlags, the last field decoded here. */
#define LOAD_CONFIG32_KNOWN 92u
#define LOAD_CONFIG64_KNOWN 148u

static void decode32(const uint8_t *d, pe_load_config *c)
{
    c->lock_prefix_table = pmm_le32(d + 32);
    c->process_heap_flags = pmm_le32(d + 44);
    c->csd_version = pmm_le16(d + 52);
    c->dependent_load_flags = pmm_le16(d + 54);
    c->edit_list = pmm_le32(d + 56);
    c->security_cookie = pmm_le32(d + 60);
    c->se_handler_table = pmm_le32(d + 64);
    c->se_handler_count = pmm_le32(d + 68);
    c->guard_cf_check_function = pmm_le32(d + 72);
    c->guard_cf_dispatch_function = pmm_le32(d + 76);
    c->guard_cf_function_table = pmm_le32(d + 80);
    c->guard_cf_function_count = pmm_le32(d + 84);
    c->guard_flags = pmm_le32(d + 88);
}

static void decode64(const uint8_t *d, pe_load_config *c)
{
    c->lock_prefix_table = pmm_le64(d + 40);
    c->process_heap_flags = pmm_le32(d + 72);
    c->csd_version = pmm_le16(d + 76);
    c->dependent_load_flags = pmm_le16(d + 78);
    c->edit_list = pmm_le64(d + 80);
    c->security_cookie = pmm_le64(d + 88);
    c->se_handler_table = pmm_le64(d + 96);
    c->se_handler_count = pmm_le64(d + 104);
    c->guard_cf_check_function = pmm_le64(d + 112);
    c->guard_cf_dispatch_function = pmm_le64(d + 120);
    c->guard_cf_function_table = pmm_le64(d + 128);
    c->guard_cf_function_count = pmm_le64(d + 136);
    c->guard_flags = pmm_le32(d + 144);
}

pmm_status pe_read_load_config(pe_image *img, pe_load_config *out)
{
    memset(out, 0, sizeof *out);
    const pe_data_directory *dir = &img->directories[PE_DIR_LOAD_CONFIG];
    if (dir->rva == 0)
        return PMM_ERR_NOT_FOUND;
    pmm_status st = pe_read_rva_u32(img, dir->rva, &out->size);
    if (st != PMM_OK)
        return st;
    /* The structure has grown with every Windows release; its own Size says which fields exist
     * (old images leave it 0 and rely on the directory size). */
    uint32_t known = img->pointer_size == 8 ? LOAD_CONFIG64_KNOWN : LOAD_CONFIG32_KNOWN;
    uint32_t want = out->size ? out->size : dir->size;
    if (want > known)
        want = known;
    uint8_t d[LOAD_CONFIG64_KNOWN];
    memset(d, 0, sizeof d);
    /* Take as much as is readable: a structure cut short by the end of the image keeps its head. */
    while (want > 4 && pe_read_rva(img, dir->rva, d, want) != PMM_OK)
        want = want > 64 ? want - 64 : 4;
    out->present = want;
    out->timestamp = pmm_le32(d + 4);
    out->major_version = pmm_le16(d + 8);
    out->minor_version = pmm_le16(d + 10);
    out->global_flags_clear = pmm_le32(d + 12);
    out->global_flags_set = pmm_le32(d + 16);
    out->critical_section_timeout = pmm_le32(d + 20);
    if (img->pointer_size == 8)
        decode64(d, out);
    else
        decode32(d, out);
    return PMM_OK;
}

const char *pe_guard_flags_text(uint32_t flags, char *buf, size_t cap)
{
    static const pmm_flag_name names[] = {
        {PE_GUARD_CF_INSTRUMENTED, "CF_INSTRUMENTED"},
        {PE_GUARD_CFW_INSTRUMENTED, "CFW_INSTRUMENTED"},
        {PE_GUARD_CF_FUNCTION_TABLE_PRESENT, "CF_FUNCTION_TABLE_PRESENT"},
        {PE_GUARD_SECURITY_COOKIE_UNUSED, "SECURITY_COOKIE_UNUSED"},
        {PE_GUARD_PROTECT_DELAYLOAD_IAT, "PROTECT_DELAYLOAD_IAT"},
        {PE_GUARD_DELAYLOAD_IAT_IN_ITS_OWN_SECTION, "DELAYLOAD_IAT_IN_ITS_OWN_SECTION"},
        {PE_GUARD_CF_EXPORT_SUPPRESSION_INFO_PRESENT, "CF_EXPORT_SUPPRESSION_INFO_PRESENT"},
        {PE_GUARD_CF_ENABLE_EXPORT_SUPPRESSION, "CF_ENABLE_EXPORT_SUPPRESSION"},
        {PE_GUARD_CF_LONGJUMP_TABLE_PRESENT, "CF_LONGJUMP_TABLE_PRESENT"},
    };
    return pmm_flags_text(flags, names, sizeof names / sizeof names[0], buf, cap);
}
