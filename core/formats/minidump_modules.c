/* ModuleList and UnloadedModuleList streams. */
#include "minidump_modules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "minidump_internal.h"

#define MODULE_ENTRY_SIZE 108u
#define VERSION_INFO_OFFSET 24u
#define VERSION_SIGNATURE 0xFEEF04BDu
#define CV_LOCATION_OFFSET 76u
#define MISC_LOCATION_OFFSET 84u
#define UNLOADED_HEADER_MIN 12u
#define UNLOADED_ENTRY_MIN 24u
/* Far above any real process; keeps a hostile count from costing gigabytes. */
#define MAX_MODULES 65536u
/* A CodeView record is a signature, a few ids and a path; nothing beyond this is decoded. */
#define MAX_CODEVIEW_LOAD (64u + 1024u)

static int valid_utf8(const uint8_t *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint8_t c = s[i];
        size_t extra = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 9;
        if (extra == 9 || extra > len - i - 1)
            return 0;
        for (size_t k = 1; k <= extra; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
        i += extra + 1;
    }
    return 1;
}

/* PDB paths are 8-bit strings of unknown code page (UTF-8 in RSDS, ANSI in NB10). Output must be
 * valid UTF-8 for JSON, so anything else has its high bytes replaced. */
static void copy_path_bytes(const uint8_t *src, size_t len, char *out, size_t cap)
{
    size_t n = 0;
    while (n < len && src[n] != 0)
        n++;
    if (n >= cap)
        n = cap - 1;
    int utf8 = valid_utf8(src, n);
    for (size_t i = 0; i < n; i++) {
        uint8_t c = src[i];
        out[i] = (char)((c < 0x20 || (c >= 0x80 && !utf8)) ? '?' : c);
    }
    out[n] = '\0';
}

static void decode_codeview(const uint8_t *cv, size_t len, pmm_md_module *m)
{
    if (len < 4)
        return;
    m->cv_signature = pmm_le32(cv);
    if (m->cv_signature == PMM_MD_CV_RSDS && len >= 24) {
        memcpy(m->pdb_guid, cv + 4, 16);
        m->pdb_age = pmm_le32(cv + 20);
        copy_path_bytes(cv + 24, len - 24, m->pdb_name, sizeof m->pdb_name);
    } else if (m->cv_signature == PMM_MD_CV_NB10 && len >= 16) {
        m->pdb_timestamp = pmm_le32(cv + 8);
        m->pdb_age = pmm_le32(cv + 12);
        copy_path_bytes(cv + 16, len - 16, m->pdb_name, sizeof m->pdb_name);
    } else if (m->cv_signature == PMM_MD_CV_ELF) {
        size_t n = len - 4 < sizeof m->build_id ? len - 4 : sizeof m->build_id;
        memcpy(m->build_id, cv + 4, n);
        m->build_id_size = (uint32_t)n;
    }
}

static void read_codeview(pmm_minidump *md, pmm_md_module *m)
{
    if (m->cv_size == 0)
        return;
    uint8_t *cv;
    size_t loaded;
    if (md_load_location(md, m->cv_size, m->cv_rva, MAX_CODEVIEW_LOAD, &cv, &loaded) != PMM_OK) {
        m->problems |= PMM_MD_MODULE_BAD_CODEVIEW;
        return;
    }
    decode_codeview(cv, loaded, m);
    free(cv);
}

static void parse_version(const uint8_t *v, pmm_md_module *m)
{
    if (pmm_le32(v) != VERSION_SIGNATURE)
        return;
    m->has_version = 1;
    m->file_version_ms = pmm_le32(v + 8);
    m->file_version_ls = pmm_le32(v + 12);
    m->product_version_ms = pmm_le32(v + 16);
    m->product_version_ls = pmm_le32(v + 20);
    m->file_flags = pmm_le32(v + 28);
    m->file_os = pmm_le32(v + 32);
    m->file_type = pmm_le32(v + 36);
}

/* What loaded and unloaded module entries both begin with: base, size, checksum, time stamp and the
 * name's rva (a name that cannot be read is left empty and marked). */
static void parse_identity(pmm_minidump *md, const uint8_t *e, uint64_t *base, uint32_t *size, uint32_t *checksum,
                           uint32_t *time_date_stamp, char *name, size_t name_cap, uint32_t *problems)
{
    *base = pmm_le64(e);
    *size = pmm_le32(e + 8);
    *checksum = pmm_le32(e + 12);
    *time_date_stamp = pmm_le32(e + 16);
    if (pmm_md_read_string(md, pmm_le32(e + 20), name, name_cap) != PMM_OK) {
        name[0] = '\0';
        *problems |= PMM_MD_MODULE_BAD_NAME;
    }
}

/* A damaged name or CodeView record leaves that part empty: the module's address range is what a
 * map needs, and it is still good. */
static void parse_module(pmm_minidump *md, const uint8_t *e, void *item, void *ctx)
{
    pmm_md_module *m = item;
    (void)ctx;
    memset(m, 0, sizeof *m);
    parse_identity(md, e, &m->base, &m->size, &m->checksum, &m->time_date_stamp, m->name, sizeof m->name,
                   &m->problems);
    parse_version(e + VERSION_INFO_OFFSET, m);
    m->cv_size = pmm_le32(e + CV_LOCATION_OFFSET);
    m->cv_rva = pmm_le32(e + CV_LOCATION_OFFSET + 4);
    m->misc_size = pmm_le32(e + MISC_LOCATION_OFFSET);
    m->misc_rva = pmm_le32(e + MISC_LOCATION_OFFSET + 4);
    read_codeview(md, m);
}

pmm_status pmm_md_read_modules(pmm_minidump *md, pmm_md_module **out, size_t *count, char *message, size_t cap)
{
    *out = NULL;
    *count = 0;
    uint8_t *d;
    size_t size, first;
    pmm_status st = md_load_stream(md, PMM_MD_STREAM_MODULE_LIST, 4, &d, &size, message, cap);
    if (st != PMM_OK)
        return st;
    uint32_t n = pmm_le32(d);
    if (n > MAX_MODULES)
        st = pmm_fail(message, cap, PMM_ERR_LIMIT, "ModuleList claims %u modules, more than this reader accepts", n);
    if (st == PMM_OK)
        st = md_list_layout("ModuleList", size, n, MODULE_ENTRY_SIZE, &first, message, cap);
    void *modules = NULL;
    if (st == PMM_OK)
        st = md_parse_entries(md, d + first, n, MODULE_ENTRY_SIZE, sizeof **out, parse_module, NULL, "modules",
                              &modules, count, message, cap);
    free(d);
    *out = modules;
    return st;
}

const char *pmm_md_guid_text(const uint8_t g[16], char *buf, size_t cap)
{
    snprintf(buf, cap, "{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}", pmm_le32(g), pmm_le16(g + 4),
             pmm_le16(g + 6), g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
    return buf;
}

static void parse_unloaded(pmm_minidump *md, const uint8_t *e, void *item, void *ctx)
{
    pmm_md_unloaded_module *m = item;
    (void)ctx;
    memset(m, 0, sizeof *m);
    parse_identity(md, e, &m->base, &m->size, &m->checksum, &m->time_date_stamp, m->name, sizeof m->name,
                   &m->problems);
}

pmm_status pmm_md_read_unloaded_modules(pmm_minidump *md, pmm_md_unloaded_module **out, size_t *count,
                                        char *message, size_t cap)
{
    *out = NULL;
    *count = 0;
    uint8_t *d;
    size_t size;
    pmm_status st = md_load_stream(md, PMM_MD_STREAM_UNLOADED_MODULE_LIST, UNLOADED_HEADER_MIN, &d, &size, message,
                                   cap);
    if (st != PMM_OK)
        return st;
    uint32_t header_size = pmm_le32(d), entry_size = pmm_le32(d + 4), n = pmm_le32(d + 8);
    st = md_table_layout("UnloadedModuleList", size, header_size, entry_size, n, UNLOADED_HEADER_MIN,
                         UNLOADED_ENTRY_MIN, message, cap);
    if (st == PMM_OK && n > MAX_MODULES)
        st = pmm_fail(message, cap, PMM_ERR_LIMIT,
                      "UnloadedModuleList claims %u modules, more than this reader accepts", n);
    void *modules = NULL;
    if (st == PMM_OK)
        st = md_parse_entries(md, d + header_size, n, entry_size, sizeof **out, parse_unloaded, NULL,
                              "unloaded modules", &modules, count, message, cap);
    free(d);
    *out = modules;
    return st;
}
