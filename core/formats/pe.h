/* PE (Portable Executable) images, 32- and 64-bit, read through a pmm_source.
 *
 * One parser serves two layouts of the same bytes:
 *   PE_LAYOUT_FILE   the source holds the file as it is on disk (address = base + file offset);
 *                    RVAs are translated through the section table the way the Windows loader
 *                    maps sections (raw data, then zero fill up to the virtual size).
 *   PE_LAYOUT_IMAGE  the source holds the image as the loader mapped it (address = base + RVA),
 *                    for example a module in a live process or a full-memory dump.
 *
 * Every structure is decoded from little-endian bytes into the fixed-width structs below; nothing
 * read from the input is trusted: each RVA, offset and count is bounds-checked and capped, and
 * every walk over a table or list has an iteration limit. Results are owned by the caller and
 * released with the matching pe_*_free function. */
#ifndef PMM_PE_H
#define PMM_PE_H

#include <stddef.h>
#include <stdint.h>
#include "../source/source.h"

typedef enum pe_layout { PE_LAYOUT_FILE = 0, PE_LAYOUT_IMAGE = 1 } pe_layout;

enum pe_directory_index {
    PE_DIR_EXPORT = 0,
    PE_DIR_IMPORT,
    PE_DIR_RESOURCE,
    PE_DIR_EXCEPTION,
    PE_DIR_SECURITY,        /* its "RVA" is a file offset: the certificates are never mapped */
    PE_DIR_BASERELOC,
    PE_DIR_DEBUG,
    PE_DIR_ARCHITECTURE,
    PE_DIR_GLOBALPTR,
    PE_DIR_TLS,
    PE_DIR_LOAD_CONFIG,
    PE_DIR_BOUND_IMPORT,
    PE_DIR_IAT,
    PE_DIR_DELAY_IMPORT,
    PE_DIR_CLR,
    PE_DIR_RESERVED,
    PE_DIR_COUNT
};

enum {
    PE_MACHINE_I386 = 0x14c,
    PE_MACHINE_AMD64 = 0x8664,
    PE_MACHINE_ARM = 0x1c0,
    PE_MACHINE_ARMNT = 0x1c4,
    PE_MACHINE_ARM64 = 0xaa64
};

enum {
    PE_MAGIC_PE32 = 0x10b,
    PE_MAGIC_PE32_PLUS = 0x20b
};

/* IMAGE_SCN_* flags that decide how a section is shown. */
enum {
    PE_SCN_CNT_CODE = 0x20,
    PE_SCN_CNT_INITIALIZED_DATA = 0x40,
    PE_SCN_CNT_UNINITIALIZED_DATA = 0x80,
    PE_SCN_MEM_DISCARDABLE = 0x02000000,
    PE_SCN_MEM_SHARED = 0x10000000,
    PE_SCN_MEM_EXECUTE = 0x20000000,
    PE_SCN_MEM_READ = 0x40000000,
    PE_SCN_MEM_WRITE = 0x80000000u
};

/* Things the parser noticed and worked around; a bit set here is not an error. */
enum pe_anomaly {
    PE_ANOMALY_HEADER_TRUNCATED = 1,    /* optional header runs past the readable bytes (read as 0) */
    PE_ANOMALY_SECTIONS_TRUNCATED = 2,  /* fewer section headers readable than declared */
    PE_ANOMALY_DIRECTORY_COUNT = 4,     /* NumberOfRvaAndSizes above 16 (capped, as the loader does) */
    PE_ANOMALY_LOW_ALIGNMENT = 8,       /* section alignment below a page: mapped flat */
    PE_ANOMALY_OPTIONAL_SIZE = 16       /* SizeOfOptionalHeader smaller than the fields it holds */
};

/* Caps that keep hostile input from costing unbounded time or memory. */
#define PE_MAX_SECTIONS 65535u          /* the field is 16 bits; Windows loads 65535 sections */
#define PE_MAX_HEADER_OFFSET 0x10000000u /* e_lfanew beyond 256 MiB is not a PE we can follow */
#define PE_MAX_NAME 4096u               /* longest import/export/forwarder name kept */
#define PE_MAX_EXPORTS 65536u           /* ordinals are 16 bits */
#define PE_MAX_IMPORT_MODULES 4096u
#define PE_MAX_IMPORT_FUNCTIONS 65536u  /* per module */
#define PE_MAX_IMPORTS_TOTAL 65536u     /* all modules together; real images stay far below */
#define PE_MAX_RESOURCE_NODES 65536u
#define PE_MAX_TLS_CALLBACKS 256u
#define PE_MAX_RELOC_ENTRIES 4194304u
#define PE_MAX_DEBUG_ENTRIES 256u
#define PE_MAX_RUNTIME_FUNCTIONS 1048576u

typedef struct pe_data_directory {
    uint32_t rva;
    uint32_t size;
} pe_data_directory;

typedef struct pe_section {
    char name[48];               /* 8-byte name, or a "/123" long name resolved from the COFF string table */
    uint32_t virtual_size;
    uint32_t virtual_address;
    uint32_t raw_size;
    uint32_t raw_offset;
    uint32_t relocations_offset;
    uint32_t linenumbers_offset;
    uint16_t relocation_count;
    uint16_t linenumber_count;
    uint32_t characteristics;
} pe_section;

/* Chunks of source bytes kept between reads: a live target answers each read with a system
 * call, and parsing thousands of names one read at a time would be far too slow. */
#define PE_CACHE_CHUNKS 16u
#define PE_CACHE_CHUNK_SIZE 0x4000u

typedef struct pe_cache_chunk {
    uint64_t address;            /* chunk-aligned source address */
    uint32_t valid;              /* bytes read from address; 0 for an empty slot */
    uint32_t last_use;
} pe_cache_chunk;

typedef struct pe_image {
    pmm_source *src;             /* not owned */
    uint64_t base;               /* source address of the DOS header */
    pe_layout layout;
    uint32_t anomalies;          /* enum pe_anomaly */

    /* DOS header */
    uint32_t e_lfanew;

    /* COFF file header */
    uint16_t machine;
    uint16_t declared_section_count;
    uint32_t timestamp;
    uint32_t symbol_table_offset;
    uint32_t symbol_count;
    uint16_t optional_header_size;
    uint16_t characteristics;

    /* Optional header */
    uint16_t magic;
    uint8_t linker_major, linker_minor;
    uint32_t pointer_size;       /* 4 for PE32, 8 for PE32+ */
    uint32_t size_of_code;
    uint32_t size_of_initialized_data;
    uint32_t size_of_uninitialized_data;
    uint32_t entry_point;        /* RVA; 0 for none */
    uint32_t base_of_code;
    uint32_t base_of_data;       /* PE32 only */
    uint64_t image_base;         /* as written in the header */
    uint32_t section_alignment;
    uint32_t file_alignment;
    uint16_t os_major, os_minor;
    uint16_t image_major, image_minor;
    uint16_t subsystem_major, subsystem_minor;
    uint32_t win32_version;
    uint32_t size_of_image;
    uint32_t size_of_headers;
    uint32_t checksum;
    uint16_t subsystem;
    uint16_t dll_characteristics;
    uint64_t stack_reserve, stack_commit;
    uint64_t heap_reserve, heap_commit;
    uint32_t loader_flags;
    uint32_t rva_and_sizes_count;  /* as declared; directories beyond min(count, 16) read as zero */
    pe_data_directory directories[PE_DIR_COUNT];

    pe_section *sections;
    size_t section_count;

    /* Address that virtual addresses stored in the image (TLS, load config, old delay imports)
     * are relative to: the header's ImageBase in a file, the actual base of a mapped image,
     * because the loader relocated those pointers. */
    uint64_t va_base;

    /* Private: the read cache and the section last hit by an RVA translation. */
    uint8_t *cache_bytes;
    pe_cache_chunk cache[PE_CACHE_CHUNKS];
    uint32_t cache_clock;
    uint32_t *sections_by_address;  /* section indexes sorted by VirtualAddress, for O(log n) lookups */
    uint32_t header_end;         /* RVA where the mapped headers end */
} pe_image;

/* Reads and checks the headers at base. On success the image must be closed with pe_close.
 * PMM_ERR_FORMAT when there is no MZ/PE signature or the optional header magic is unknown,
 * PMM_ERR_READ when the headers cannot be read. */
pmm_status pe_open(pmm_source *src, uint64_t base, pe_layout layout, pe_image *out);
void pe_close(pe_image *img);

/* Copies len bytes at rva, translating through the layout; all-or-nothing. Bytes that the loader
 * would zero-fill (past a section's raw data, within its virtual size) read as zero. */
pmm_status pe_read_rva(pe_image *img, uint32_t rva, void *buf, size_t len);
pmm_status pe_read_rva_u16(pe_image *img, uint32_t rva, uint16_t *out);
pmm_status pe_read_rva_u32(pe_image *img, uint32_t rva, uint32_t *out);
pmm_status pe_read_rva_u64(pe_image *img, uint32_t rva, uint64_t *out);
/* A NUL-terminated ASCII string at rva, truncated to cap - 1 bytes (then PMM_ERR_LIMIT, buf still
 * holds the truncated text). */
pmm_status pe_read_rva_string(pe_image *img, uint32_t rva, char *buf, size_t cap);

/* Index of the section containing rva (within its virtual size, or its raw size when the virtual
 * size is 0), or PE_NO_SECTION. */
#define PE_NO_SECTION ((size_t)-1)
size_t pe_section_of_rva(const pe_image *img, uint32_t rva);
/* Virtual size of a section as the loader maps it: VirtualSize (or SizeOfRawData when 0),
 * rounded up to the section alignment. */
uint32_t pe_section_mapped_size(const pe_image *img, const pe_section *s);
/* Converts a virtual address stored in the image to an RVA; 0 with PMM_ERR_FORMAT when out of range. */
pmm_status pe_va_to_rva(const pe_image *img, uint64_t va, uint32_t *rva);

const char *pe_directory_name(unsigned index);   /* "Export Directory", "Import Directory", ... */
const char *pe_machine_name(uint16_t machine);   /* "x86", "x64", ... or "unknown" */
const char *pe_subsystem_name(uint16_t subsystem);

/* ---- strings owned by a result --------------------------------------------------------------- */

/* Chained blocks, so a pointer to a stored string stays valid while more are added. */
typedef struct pe_string_block pe_string_block;
typedef struct pe_strings {
    pe_string_block *head;
} pe_strings;

/* ---- exports ---------------------------------------------------------------------------------- */

typedef struct pe_export {
    uint32_t ordinal;            /* biased: Base + index */
    uint32_t rva;                /* 0 only for an empty slot reported for an ordinal-only export */
    const char *name;            /* NULL when exported by ordinal only */
    const char *forwarder;       /* "NTDLL.RtlAllocateHeap" when forwarded, else NULL */
    uint16_t hint;               /* index in the name pointer table (named exports) */
    uint8_t is_data;             /* points into a section that is not executable */
    uint8_t reserved;
} pe_export;

typedef struct pe_exports {
    const char *dll_name;        /* "" when the directory names none */
    uint32_t characteristics;
    uint32_t timestamp;
    uint16_t major_version, minor_version;
    uint32_t ordinal_base;
    uint32_t function_count;     /* as declared */
    uint32_t name_count;         /* as declared */
    uint32_t functions_rva, names_rva, ordinals_rva;
    /* Named exports in name-table order, then the ordinal-only ones in ordinal order.
     * A function exported under several names appears once per name. */
    pe_export *items;
    size_t count;
    uint32_t truncated;          /* a count was capped or a table was unreadable */
    pe_strings strings;
} pe_exports;

/* PMM_ERR_NOT_FOUND when the image has no export directory. */
pmm_status pe_read_exports(pe_image *img, pe_exports *out);
/* The same for the image mapped at base in src (opened and closed here); pe_open's errors too. */
pmm_status pe_read_exports_at(pmm_source *src, uint64_t base, pe_exports *out);
void pe_exports_free(pe_exports *ex);

/* ---- imports ---------------------------------------------------------------------------------- */

typedef struct pe_import_function {
    const char *name;            /* NULL when imported by ordinal (or the name was unreadable) */
    uint16_t hint;
    uint16_t ordinal;            /* when by_ordinal */
    uint8_t by_ordinal;
    uint8_t name_unreadable;
    uint16_t reserved;
    uint32_t iat_rva;            /* the IAT slot the loader fills */
    uint64_t name_thunk;         /* the INT entry (or the IAT entry when there is no INT) */
    uint64_t iat_value;          /* the IAT entry as read: an address in a loaded image */
} pe_import_function;

typedef struct pe_import_module {
    const char *dll_name;
    uint32_t descriptor_rva;
    uint32_t name_rva;
    uint32_t int_rva;            /* OriginalFirstThunk / ImportNameTableRVA; 0 for none */
    uint32_t iat_rva;            /* FirstThunk / ImportAddressTableRVA */
    uint32_t timestamp;
    uint32_t forwarder_chain;    /* ordinary imports */
    /* delay imports */
    uint32_t attributes;
    uint32_t module_handle_rva;
    uint32_t bound_iat_rva;
    uint32_t unload_iat_rva;
    size_t first_function;       /* index into pe_imports.functions */
    size_t function_count;
} pe_import_module;

typedef struct pe_imports {
    pe_import_module *modules;
    size_t module_count;
    pe_import_function *functions;
    size_t function_count;
    uint32_t truncated;
    pe_strings strings;
} pe_imports;

/* PMM_ERR_NOT_FOUND when the image has no such directory. */
pmm_status pe_read_imports(pe_image *img, pe_imports *out);
pmm_status pe_read_delay_imports(pe_image *img, pe_imports *out);
void pe_imports_free(pe_imports *im);

typedef struct pe_bound_import {
    const char *dll_name;
    uint32_t timestamp;
    uint16_t forwarder_ref_count;
    uint8_t is_forwarder_ref;    /* a forwarder reference of the descriptor before it */
    uint8_t reserved;
} pe_bound_import;

typedef struct pe_bound_imports {
    pe_bound_import *items;
    size_t count;
    uint32_t truncated;
    pe_strings strings;
} pe_bound_imports;

pmm_status pe_read_bound_imports(pe_image *img, pe_bound_imports *out);
void pe_bound_imports_free(pe_bound_imports *bi);

/* ---- resources -------------------------------------------------------------------------------- */

enum {
    PE_RT_CURSOR = 1, PE_RT_BITMAP = 2, PE_RT_ICON = 3, PE_RT_MENU = 4, PE_RT_DIALOG = 5,
    PE_RT_STRING = 6, PE_RT_FONTDIR = 7, PE_RT_FONT = 8, PE_RT_ACCELERATOR = 9, PE_RT_RCDATA = 10,
    PE_RT_MESSAGETABLE = 11, PE_RT_GROUP_CURSOR = 12, PE_RT_GROUP_ICON = 14, PE_RT_VERSION = 16,
    PE_RT_DLGINCLUDE = 17, PE_RT_PLUGPLAY = 19, PE_RT_VXD = 20, PE_RT_ANICURSOR = 21,
    PE_RT_ANIICON = 22, PE_RT_HTML = 23, PE_RT_MANIFEST = 24
};

/* One node of the resource tree, stored in pre-order: a node's children follow it. Level 0 is the
 * type, 1 the name, 2 the language; only directories the loader would follow are walked. */
typedef struct pe_resource_node {
    uint32_t parent;             /* index of the parent node, PE_RESOURCE_ROOT for level 0 */
    uint16_t level;
    uint8_t is_leaf;             /* a data entry (normally at level 2) */
    uint8_t reserved;
    uint32_t id;                 /* when name is NULL */
    const char *name;            /* UTF-8 of a named entry, else NULL */
    uint32_t entry_offset;       /* offset of the directory entry in the resource section */
    uint32_t child_count;        /* directories: entries as declared (named + id) */
    uint32_t data_rva;           /* leaves */
    uint32_t data_size;
    uint32_t codepage;
} pe_resource_node;

#define PE_RESOURCE_ROOT 0xFFFFFFFFu

typedef struct pe_resources {
    uint32_t timestamp;
    uint16_t major_version, minor_version;
    pe_resource_node *nodes;
    size_t count;
    uint32_t truncated;          /* a cap was hit, a loop was cut or a directory was unreadable */
    pe_strings strings;
} pe_resources;

pmm_status pe_read_resources(pe_image *img, pe_resources *out);
void pe_resources_free(pe_resources *rs);
/* "cursor", "bitmap", "icon", ..., "manifest"; NULL for ids without a predefined name. */
const char *pe_resource_type_name(uint32_t id);

/* ---- TLS -------------------------------------------------------------------------------------- */

typedef struct pe_tls {
    uint64_t raw_data_start;     /* virtual addresses as stored */
    uint64_t raw_data_end;
    uint64_t index_address;
    uint64_t callbacks_address;
    uint32_t zero_fill_size;
    uint32_t characteristics;
    /* Each callback as stored: a virtual address, which may lie in another module (a callback
     * pointing straight into kernel32 is a known trick). pe_va_to_rva gives its RVA. */
    uint64_t callbacks[PE_MAX_TLS_CALLBACKS];
    size_t callback_count;
    uint32_t truncated;          /* the callback list had no terminator within the cap, or was unreadable */
} pe_tls;

pmm_status pe_read_tls(pe_image *img, pe_tls *out);

/* ---- base relocations ------------------------------------------------------------------------- */

typedef struct pe_reloc_block {
    uint32_t page_rva;
    uint32_t block_size;
    size_t first_entry;          /* index into pe_relocs.entries */
    size_t entry_count;
} pe_reloc_block;

typedef struct pe_reloc_entry {
    uint32_t rva;                /* page + offset */
    uint16_t type;               /* IMAGE_REL_BASED_* (3 HIGHLOW, 10 DIR64, 0 ABSOLUTE padding) */
    uint16_t raw;                /* the 16-bit entry as stored */
} pe_reloc_entry;

typedef struct pe_relocs {
    pe_reloc_block *blocks;
    size_t block_count;
    pe_reloc_entry *entries;
    size_t entry_count;
    uint32_t truncated;
} pe_relocs;

pmm_status pe_read_relocs(pe_image *img, pe_relocs *out);
void pe_relocs_free(pe_relocs *rl);
const char *pe_reloc_type_name(uint16_t type);

/* ---- debug directory -------------------------------------------------------------------------- */

enum { PE_DEBUG_TYPE_COFF = 1, PE_DEBUG_TYPE_CODEVIEW = 2, PE_DEBUG_TYPE_MISC = 4,
       PE_DEBUG_TYPE_REPRO = 16 };

typedef struct pe_debug_entry {
    uint32_t characteristics;
    uint32_t timestamp;
    uint16_t major_version, minor_version;
    uint32_t type;
    uint32_t data_size;
    uint32_t data_rva;
    uint32_t data_file_offset;
    /* CodeView: "RSDS" (PDB 7.0) or "NB10" (PDB 2.0) */
    char cv_signature[5];        /* "" when not CodeView or unreadable */
    uint8_t guid[16];            /* RSDS; as stored (Data1..3 little-endian) */
    uint32_t pdb_signature;      /* NB10 */
    uint32_t age;
    char pdb_path[520];
} pe_debug_entry;

typedef struct pe_debug {
    pe_debug_entry *entries;
    size_t count;
    uint32_t truncated;
} pe_debug;

pmm_status pe_read_debug(pe_image *img, pe_debug *out);
void pe_debug_free(pe_debug *dbg);
const char *pe_debug_type_name(uint32_t type);
/* "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}" from the stored GUID bytes; buf needs 39 bytes. */
const char *pe_guid_text(const uint8_t guid[16], char *buf, size_t cap);

/* ---- exception directory (x64 function table) ------------------------------------------------- */

typedef struct pe_runtime_function {
    uint32_t begin_rva;
    uint32_t end_rva;
    uint32_t unwind_rva;
} pe_runtime_function;

typedef struct pe_exceptions {
    pe_runtime_function *items;
    size_t count;
    uint32_t truncated;
} pe_exceptions;

/* PMM_ERR_UNSUPPORTED for machines whose table is not the x64 layout. */
pmm_status pe_read_exceptions(pe_image *img, pe_exceptions *out);
void pe_exceptions_free(pe_exceptions *ex);

/* ---- load config ------------------------------------------------------------------------------ */

enum {
    PE_GUARD_CF_INSTRUMENTED = 0x100,
    PE_GUARD_CFW_INSTRUMENTED = 0x200,
    PE_GUARD_CF_FUNCTION_TABLE_PRESENT = 0x400,
    PE_GUARD_SECURITY_COOKIE_UNUSED = 0x800,
    PE_GUARD_PROTECT_DELAYLOAD_IAT = 0x1000,
    PE_GUARD_DELAYLOAD_IAT_IN_ITS_OWN_SECTION = 0x2000,
    PE_GUARD_CF_EXPORT_SUPPRESSION_INFO_PRESENT = 0x4000,
    PE_GUARD_CF_ENABLE_EXPORT_SUPPRESSION = 0x8000,
    PE_GUARD_CF_LONGJUMP_TABLE_PRESENT = 0x10000
};

/* Fields beyond the structure's own Size read as 0; `present` says how many bytes were there. */
typedef struct pe_load_config {
    uint32_t size;               /* the structure's Size field */
    uint32_t present;            /* bytes actually decoded: min(Size, what we know, readable) */
    uint32_t timestamp;
    uint16_t major_version, minor_version;
    uint32_t global_flags_clear, global_flags_set;
    uint32_t critical_section_timeout;
    uint64_t lock_prefix_table;
    uint32_t process_heap_flags;
    uint16_t csd_version;
    uint16_t dependent_load_flags;
    uint64_t edit_list;
    uint64_t security_cookie;    /* virtual address of the cookie */
    uint64_t se_handler_table;   /* PE32 only */
    uint64_t se_handler_count;
    uint64_t guard_cf_check_function;
    uint64_t guard_cf_dispatch_function;
    uint64_t guard_cf_function_table;
    uint64_t guard_cf_function_count;
    uint32_t guard_flags;        /* PE_GUARD_* and the stride in the top 4 bits */
} pe_load_config;

pmm_status pe_read_load_config(pe_image *img, pe_load_config *out);
/* Comma-separated names of the set CFG flags ("CF_INSTRUMENTED,CF_FUNCTION_TABLE_PRESENT"). */
const char *pe_guard_flags_text(uint32_t flags, char *buf, size_t cap);

#endif
