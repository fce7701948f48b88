/* ModuleList (with CodeView records and version info) and UnloadedModuleList streams. */
#ifndef PMM_MINIDUMP_MODULES_H
#define PMM_MINIDUMP_MODULES_H

#include <stddef.h>
#include <stdint.h>
#include "minidump.h"

/* CodeView record signatures (the first four bytes, little-endian). */
#define PMM_MD_CV_RSDS 0x53445352u   /* "RSDS": PDB 7.0, GUID + age + UTF-8 path */
#define PMM_MD_CV_NB10 0x3031424Eu   /* "NB10": PDB 2.0, timestamp + age + path */
#define PMM_MD_CV_ELF 0x4270454Cu    /* "BpEL": Breakpad's ELF build id */

/* Per-entry problems: the entry is kept, the damaged part left empty. */
enum {
    PMM_MD_MODULE_BAD_NAME = 1,
    PMM_MD_MODULE_BAD_CODEVIEW = 2
};

typedef struct pmm_md_module {
    uint64_t base;
    uint32_t size;
    uint32_t checksum;
    uint32_t time_date_stamp;
    char name[520];                      /* UTF-8 path as the dump records it */
    int has_version;                     /* VS_FIXEDFILEINFO present (signature 0xFEEF04BD) */
    uint32_t file_version_ms, file_version_ls;
    uint32_t product_version_ms, product_version_ls;
    uint32_t file_flags, file_os, file_type;
    uint32_t cv_size, cv_rva;
    uint32_t cv_signature;               /* PMM_MD_CV_* or another value; 0 when there is no record */
    uint8_t pdb_guid[16];                /* RSDS: as stored (Data1..3 little-endian) */
    uint32_t pdb_age;
    uint32_t pdb_timestamp;              /* NB10 */
    char pdb_name[260];
    uint8_t build_id[64];                /* BpEL */
    uint32_t build_id_size;
    uint32_t misc_size, misc_rva;
    uint32_t problems;                   /* PMM_MD_MODULE_* */
} pmm_md_module;

/* *out is an array the caller frees with free(). */
pmm_status pmm_md_read_modules(pmm_minidump *md, pmm_md_module **out, size_t *count, char *message, size_t cap);

/* "{3844DBB9-2017-4967-BE27-4D3E1CBDE5B2}"-style text of an RSDS GUID. */
const char *pmm_md_guid_text(const uint8_t guid[16], char *buf, size_t cap);

typedef struct pmm_md_unloaded_module {
    uint64_t base;
    uint32_t size;
    uint32_t checksum;
    uint32_t time_date_stamp;
    char name[520];
    uint32_t problems;
} pmm_md_unloaded_module;

pmm_status pmm_md_read_unloaded_modules(pmm_minidump *md, pmm_md_unloaded_module **out, size_t *count,
                                        char *message, size_t cap);

#endif
