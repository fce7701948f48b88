/* Table-driven descriptions of Windows structures: one table per structure and bitness, each field
 * with its name, offset, size and type. The decoder (tools/decode.h) and the GUI's structure view
 * read target memory through these. Offsets are those of the public Windows 10 symbols; the fields
 * the scan itself uses (nt_layout.h) are checked against these tables by a unit test. */
#ifndef PMM_STRUCT_TABLES_H
#define PMM_STRUCT_TABLES_H

#include <stddef.h>
#include <stdint.h>

typedef enum pmm_field_type {
    PMM_FIELD_U8,
    PMM_FIELD_U16,
    PMM_FIELD_U32,
    PMM_FIELD_U64,
    PMM_FIELD_POINTER32,
    PMM_FIELD_POINTER64,
    PMM_FIELD_USTR32,        /* UNICODE_STRING: Length, MaximumLength, Buffer (8 bytes) */
    PMM_FIELD_USTR64,        /* 16 bytes */
    PMM_FIELD_LIST32,        /* LIST_ENTRY: Flink, Blink */
    PMM_FIELD_LIST64,
    PMM_FIELD_FLAGS,         /* an unsigned integer of `size` bytes with named bits */
    PMM_FIELD_GUID,
    PMM_FIELD_FILETIME,      /* 100 ns since 1601 (LARGE_INTEGER times too) */
    PMM_FIELD_KSYSTEM_TIME,  /* LowPart, High1Time, High2Time */
    PMM_FIELD_CHARS,         /* char array of `size` bytes (a section name) */
    PMM_FIELD_WCHARS,        /* UTF-16 array of `size` bytes */
    PMM_FIELD_BYTES          /* opaque bytes */
} pmm_field_type;

typedef struct pmm_bit_name {
    uint64_t mask;
    const char *name;
} pmm_bit_name;

typedef struct pmm_field {
    const char *name;
    uint32_t offset;
    uint32_t size;
    uint16_t type;               /* pmm_field_type */
    const pmm_bit_name *bits;    /* PMM_FIELD_FLAGS: terminated by a NULL name */
} pmm_field;

typedef struct pmm_struct_def {
    const char *name;            /* "PEB64" */
    uint32_t size;
    uint32_t pointer_size;       /* 4 or 8 for layouts that differ by bitness, else 0 */
    const pmm_field *fields;     /* ascending offsets */
    size_t field_count;
} pmm_struct_def;

/* Every table; NULL past the last. */
const pmm_struct_def *pmm_struct_at(size_t index);
/* By name, case-insensitively: "PEB64", or "PEB" with pointer_size choosing PEB32/PEB64. */
const pmm_struct_def *pmm_struct_find(const char *name, uint32_t pointer_size);
const char *pmm_field_type_name(pmm_field_type type);

/* The tables, one per structure (struct_tables_nt.c, struct_tables_pe.c). */
extern const pmm_struct_def pmm_struct_peb32, pmm_struct_peb64, pmm_struct_teb32, pmm_struct_teb64,
    pmm_struct_params32, pmm_struct_params64, pmm_struct_kuser, pmm_struct_ldr_entry32, pmm_struct_ldr_entry64;
extern const pmm_struct_def pmm_struct_dos_header, pmm_struct_nt_headers32, pmm_struct_nt_headers64,
    pmm_struct_section_header, pmm_struct_export_directory, pmm_struct_import_descriptor, pmm_struct_tls32,
    pmm_struct_tls64, pmm_struct_load_config32, pmm_struct_load_config64;

#endif
