/* The strings listing, like VMMap's and System Informer's: runs of printable ASCII characters
 * stored as ANSI (one byte each) or as UTF-16LE (two bytes each, at even or odd addresses), at
 * least min_length characters long, in the selected memory of a target. Runs continue across
 * chunk, page and region boundaries wherever the bytes are contiguous and readable. */
#ifndef PMM_STRINGS_LIST_H
#define PMM_STRINGS_LIST_H

#include <stddef.h>
#include <stdint.h>
#include "search.h"

#define PMM_STRINGS_DEFAULT_MIN 4
#define PMM_STRINGS_MAX_TEXT 1024     /* characters kept of one string; its length is still exact */

enum pmm_string_encodings { PMM_STRINGS_ANSI = 1, PMM_STRINGS_UTF16 = 2 };

typedef struct pmm_strings_options {
    pmm_search_scope scope;
    size_t min_length;       /* characters; 0: PMM_STRINGS_DEFAULT_MIN */
    uint32_t encodings;      /* pmm_string_encodings; 0: both */
    size_t chunk_size;       /* 0: PMM_SEARCH_DEFAULT_CHUNK */
    pmm_progress_fn progress;
    void *progress_ctx;
} pmm_strings_options;

typedef struct pmm_found_string {
    uint64_t address;
    uint32_t encoding;       /* PMM_STRINGS_ANSI or PMM_STRINGS_UTF16 */
    uint64_t length;         /* characters in the whole run */
    const char *text;        /* its first PMM_STRINGS_MAX_TEXT characters, NUL-terminated ASCII */
    int text_truncated;
} pmm_found_string;

/* Return non-zero to stop the listing (it then ends with PMM_OK). */
typedef int (*pmm_string_fn)(void *ctx, const pmm_found_string *found);

typedef struct pmm_strings_summary {
    uint64_t strings;
    uint64_t regions_searched, bytes_searched, unreadable_bytes, unreadable_pages;
} pmm_strings_summary;

/* The text as a reader sees it: tabs as \t, "..." after a cut text. The caller frees it; NULL when
 * out of memory. */
char *pmm_found_string_shown(const pmm_found_string *found);

/* Strings are reported in the order their runs end; within one encoding that is address order.
 * Errors as pmm_search_run. */
pmm_status pmm_strings_run(pmm_source *src, const pmm_map *map, const pmm_strings_options *options,
                           pmm_string_fn fn, void *ctx, pmm_strings_summary *summary);

#endif
