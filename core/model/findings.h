/* What an integrity scan (tools/integrity.h) found in a target, and what it could not check. Part
 * of the map (pmm_map.integrity), so findings are saved, loaded and compared with it. */
#ifndef PMM_FINDINGS_H
#define PMM_FINDINGS_H

#include <stddef.h>
#include <stdint.h>

typedef enum pmm_finding_kind {
    PMM_FINDING_INLINE_HOOK,     /* a jump, call, push/ret or mov/jmp written at or near a function start */
    PMM_FINDING_PATCH,           /* code or read-only data that differs from the file, not shaped like a hook */
    PMM_FINDING_IAT,             /* an import address table slot not pointing at the export it imports */
    PMM_FINDING_DELAY_IAT,       /* the same for a delay-load import */
    PMM_FINDING_EAT,             /* an export address table entry changed */
    PMM_FINDING_ENTRY_POINT,     /* the loader's or the header's entry point changed, or outside the image */
    PMM_FINDING_TLS_CALLBACK,    /* a TLS callback changed, added, or outside its image */
    PMM_FINDING_HEADER,          /* a PE header field changed */
    PMM_FINDING_IMAGE_REPLACED,  /* hollowed: most of a code section, or the header the loader recorded, replaced */
    PMM_FINDING_FILE_MISMATCH,   /* the file the image was mapped from no longer matches it */
    PMM_FINDING_FILE_MISSING,    /* the file the image was mapped from is gone */
    PMM_FINDING_UNLINKED_MODULE, /* an image in memory that the loader list does not name */
    PMM_FINDING_IMPLANTED_PE,    /* a PE image in private or mapped (non-image) executable memory */
    PMM_FINDING_PRIVATE_CODE,    /* executable private or mapped memory with no image behind it */
    PMM_FINDING_KIND_COUNT
} pmm_finding_kind;

typedef struct pmm_finding {
    uint64_t address;
    uint64_t size;
    uint64_t destination;        /* where a hook, slot, entry point or callback leads; 0 when none */
    uint32_t kind;               /* pmm_finding_kind */
    uint32_t module;             /* 1-based index into the map's modules; 0 when in none */
    uint32_t symbol;             /* string id: the address as "module!export+0x1a" or "module+0x1234" */
    uint32_t destination_text;   /* string id: the destination as a symbol, or the region it lies in */
    uint32_t file_bytes;         /* string id: the bytes the file has there, hex, at most 64 */
    uint32_t memory_bytes;       /* string id: the bytes memory has there */
    uint32_t detail;             /* string id: one sentence */
    uint32_t reserved;
} pmm_finding;

/* Something the scan did not compare, and why: never reported as clean. */
typedef struct pmm_unchecked {
    uint64_t address;
    uint64_t size;
    uint32_t module;             /* 1-based module index; 0 for process-wide checks */
    uint32_t what;               /* string id: "ntdll.dll", "ntdll.dll .text", "IAT slot of X!Y" */
    uint32_t reason;             /* string id */
    uint32_t reserved;
} pmm_unchecked;

/* How far one image was compared with its file. */
enum pmm_image_check_status { PMM_IMAGE_CHECKED = 0, PMM_IMAGE_PARTLY = 1, PMM_IMAGE_NOT_CHECKED = 2 };

typedef struct pmm_image_check {
    uint32_t module;             /* 1-based module index */
    uint32_t status;             /* pmm_image_check_status */
    uint32_t file;               /* string id: the file it was compared with (or would have been) */
    uint32_t reserved;
    uint64_t bytes_compared;
} pmm_image_check;

enum pmm_integrity_flags {
    PMM_INTEGRITY_SCANNED = 1,         /* an integrity scan ran on this map */
    PMM_INTEGRITY_PROCESS_WIDE = 2,    /* its process-wide checks ran (not with --module) */
    PMM_INTEGRITY_CANCELLED = 4
};

typedef struct pmm_integrity_summary {
    uint32_t flags;                    /* pmm_integrity_flags */
    uint64_t bytes_compared;           /* memory bytes compared with file bytes */
    uint64_t microseconds;
    uint32_t module_filter;            /* string id of --module, 0 for all */
    uint32_t reserved;
} pmm_integrity_summary;

typedef struct pmm_findings {
    pmm_finding *items;
    size_t count, cap;
    pmm_unchecked *unchecked;
    size_t unchecked_count, unchecked_cap;
    pmm_image_check *images;         /* one per image looked at */
    size_t image_count, image_cap;
    pmm_integrity_summary summary;
} pmm_findings;

/* Findings whose address lies in [base, base + size): where memory differs from what it should be. */
size_t pmm_findings_count_in(const pmm_findings *findings, uint64_t base, uint64_t size);
/* Pages (PMM_PAGE_SIZE) of [base, base + size) that those findings' bytes touch: the modified pages
 * the region list marks. */
uint64_t pmm_findings_pages_in(const pmm_findings *findings, uint64_t base, uint64_t size);
/* Images with that status. */
size_t pmm_findings_image_count(const pmm_findings *findings, uint32_t status);
/* "checked", "partly", "not_checked". */
const char *pmm_image_check_status_name(uint32_t status);

/* "inline_hook", "patch", "iat", ... (the pmm-scan and saved-map names) and their display names. */
const char *pmm_finding_kind_name(uint32_t kind);
const char *pmm_finding_kind_title(uint32_t kind);
/* The kind named so, or PMM_FINDING_KIND_COUNT. */
uint32_t pmm_finding_kind_from_name(const char *name);

#endif
