/* Shared by the integrity scan's files; not part of the public interface. */
#ifndef PMM_INTEGRITY_INTERNAL_H
#define PMM_INTEGRITY_INTERNAL_H

#include "integrity.h"
#include "../formats/apiset.h"
#include "../formats/pe.h"
#include "../util/printf_format.h"

/* Memory and file bytes are compared in chunks of this size: large enough that a live read costs
 * one system call per megabyte, small enough to stay in the cache. */
#define INTEGRITY_CHUNK (1024u * 1024u)
/* Bytes kept on each side of a chunk for relocations that straddle its edges. */
#define INTEGRITY_SLACK 8u
/* Differences closer than this are one run: a hook's bytes may match the original here and there. */
#define INTEGRITY_RUN_GAP 8u
/* Differing runs kept per image; beyond it they are counted only (a replaced image has millions). */
#define INTEGRITY_MAX_RUNS 65536u
/* Bytes of file and memory shown per finding. */
#define INTEGRITY_SHOWN_BYTES 64u

typedef struct integrity_range {
    uint32_t rva, end;               /* [rva, end) */
} integrity_range;

typedef struct integrity_reloc {
    uint32_t rva;
    uint16_t type;                   /* IMAGE_REL_BASED_* */
    uint16_t next_raw;               /* HIGHADJ: the entry after it, which holds the low half */
} integrity_reloc;

typedef struct integrity_run {
    uint32_t rva, length;
} integrity_run;

/* Export tables of the target's modules, read on first use, for resolving imports. */
typedef struct integrity_export_table {
    int read;                        /* tried */
    pmm_status status;
    pe_exports exports;
    uint32_t *by_name;               /* indexes into exports.items of named exports, sorted by name */
    size_t named;
} integrity_export_table;

typedef struct integrity_exports {
    integrity_export_table *tables;  /* one per map module, same index */
    size_t count;
    pmm_apiset apiset;               /* the process's API set schema, read on first use */
    int apiset_tried;
    pmm_status apiset_status;
} integrity_exports;

typedef struct integrity_ctx {
    pmm_source *src;
    pmm_map *map;
    const pmm_symbols *syms;         /* the caller's, or own_syms once built; NULL until needed */
    pmm_symbols own_syms;
    int own_syms_built;
    const pmm_integrity_options *options;
    integrity_exports exports;
    uint8_t *expected;               /* INTEGRITY_CHUNK + 2 * INTEGRITY_SLACK bytes: the file, relocated */
    uint8_t *actual;                 /* INTEGRITY_CHUNK bytes: memory */
    uint64_t done, total;            /* progress, in bytes of images */
} integrity_ctx;

/* One image being checked. */
typedef struct integrity_image {
    size_t module_index;             /* into map->modules */
    uint64_t base, size;
    char name[260];                  /* the module's file name, for messages */
    char path[520];                  /* the file opened */
    pmm_source file_src;
    int file_src_open;
    pe_image file;                   /* the file, in file layout */
    int file_open;
    pe_image memory;                 /* the headers in memory */
    int memory_open;
    uint64_t delta;                  /* loaded base - the file's ImageBase */
    integrity_reloc *relocs;         /* sorted by rva */
    size_t reloc_count;
    integrity_range *excluded;       /* compared separately (IAT, EAT, TLS callbacks); sorted */
    size_t excluded_count, excluded_cap;
    integrity_run *runs;             /* differing runs of the section being compared */
    size_t run_count, run_cap;
    uint64_t runs_dropped;
    uint64_t differing_bytes;        /* of the section being compared */
    uint64_t compared_bytes;         /* of the section being compared */
    uint64_t compared_total;         /* of the whole image */
    pe_imports imports;              /* the file's imports and delay imports (names, IAT slots) */
    pe_imports delay_imports;
    int have_imports, have_delay_imports;
    pe_runtime_function *functions;  /* x64 .pdata of the file, for function starts */
    size_t function_count;
    int functions_read;
    int partial;                     /* some part could not be compared */
} integrity_image;

static inline uint32_t integrity_module_number(const integrity_image *img)
{
    return (uint32_t)img->module_index + 1;
}

/* 1 when the source gave a memory type (image, mapped, private) for some committed region. */
int integrity_map_has_types(const pmm_map *map);

/* ---- report (integrity_report.c) ---- */

typedef struct integrity_finding_args {
    uint32_t kind;                   /* pmm_finding_kind */
    uint32_t module_number;          /* 1-based; 0 for none */
    uint64_t address, size, destination;
    const uint8_t *file_bytes;       /* may be NULL */
    const uint8_t *memory_bytes;     /* may be NULL */
    size_t byte_count;               /* of each; at most INTEGRITY_SHOWN_BYTES are kept */
    int data;                        /* a table slot, header field or data: named module+offset, not by export */
} integrity_finding_args;

pmm_status integrity_add_finding(integrity_ctx *ctx, const integrity_finding_args *args, const char *fmt, ...)
    PMM_PRINTF_FORMAT(3, 4);
pmm_status integrity_add_unchecked(integrity_ctx *ctx, uint32_t module_number, uint64_t address, uint64_t size,
                                   const char *what, const char *fmt, ...) PMM_PRINTF_FORMAT(6, 7);
/* "module!export+0x1a", else what the region there is ("Private Data at 0x1f0000 (RWX)"), else
 * "unmapped memory". */
void integrity_describe(integrity_ctx *ctx, uint64_t address, char *buf, size_t cap);
/* The export names of the target's modules, read on first use: a scan that finds nothing never
 * needs them. Never NULL (empty when out of memory). */
const pmm_symbols *integrity_symbols(integrity_ctx *ctx);
/* Reports progress; PMM_ERR_CANCELLED when the callback asks. */
pmm_status integrity_progress(integrity_ctx *ctx, uint64_t bytes);

/* ---- one image (integrity_image.c) ---- */

pmm_status integrity_check_image(integrity_ctx *ctx, size_t module_index);
/* Adds [rva, rva + size) to the ranges compared separately (clipped to 32 bits). */
pmm_status integrity_exclude(integrity_image *img, uint32_t rva, uint64_t size);

/* ---- comparison (integrity_compare.c) ---- */

/* Compares [rva, rva + length) of memory with the relocated file, recording differing runs in
 * img->runs and counting img->differing_bytes / compared_bytes; unreadable memory becomes
 * unchecked entries named after what. PMM_ERR_READ when the file could not be read there. */
pmm_status integrity_compare_range(integrity_ctx *ctx, integrity_image *img, uint32_t rva, uint32_t length,
                                   const char *what);
/* The file's bytes at [rva, rva + len) relocated for the loaded base (all-or-nothing). */
pmm_status integrity_expected_bytes(integrity_image *img, uint32_t rva, uint8_t *buf, uint32_t len);
/* A pointer-sized value of the file at rva, relocated. */
pmm_status integrity_expected_pointer(integrity_image *img, uint32_t rva, uint64_t *out);

/* ---- header (integrity_header.c) ---- */

/* The header in memory against the file's; changed runs become header or entry-point findings. */
pmm_status integrity_compare_header(integrity_ctx *ctx, integrity_image *img);

/* ---- code runs (integrity_code.c) ---- */

/* Classifies one differing run of an executable section: inline hooks, else patched bytes. */
pmm_status integrity_classify_code_run(integrity_ctx *ctx, integrity_image *img, const pe_section *section,
                                       const integrity_run *run);
/* Patched bytes of a read-only data section. */
pmm_status integrity_report_data_run(integrity_ctx *ctx, integrity_image *img, const pe_section *section,
                                     const integrity_run *run);

/* ---- tables the loader fills or the image points through (integrity_tables.c) ---- */

/* Adds the ranges checked by integrity_check_tables to img->excluded. */
pmm_status integrity_exclude_tables(integrity_ctx *ctx, integrity_image *img);
/* IAT, delay-load IAT, EAT, TLS callbacks and entry point. */
pmm_status integrity_check_tables(integrity_ctx *ctx, integrity_image *img);

/* ---- exports of the target's modules (integrity_exports.c) ---- */

void integrity_exports_free(integrity_exports *exports);
/* The address dll!name (or dll!#ordinal when name is NULL), imported by the module named importer,
 * resolves to in the target, following forwarders and API set contracts (through the process's
 * schema, PEB.ApiSetMap). PMM_ERR_NOT_FOUND with why filled when it cannot be resolved;
 * PMM_ERR_UNSUPPORTED when it names a contract and the schema could not be read. */
pmm_status integrity_resolve_export(integrity_ctx *ctx, const char *importer, const char *dll, const char *name,
                                    uint32_t ordinal, uint64_t *address, char *why, size_t why_cap);
/* Index of the module named dll ("KERNEL32.dll", "kernel32"), or PMM_NO_INDEX. */
size_t integrity_module_by_name(const pmm_map *map, const char *dll);

/* ---- process-wide (integrity_process.c) ---- */

pmm_status integrity_check_process(integrity_ctx *ctx);

#endif
