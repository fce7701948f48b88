/* Which target: a live process, a minidump, a saved map, or a process inside a kernel dump. One
 * reference for the console tool and the window alike, parsed from what the user typed or chose,
 * with the three things every caller does with it: open a source over its memory, load its map
 * (a saved map is read, anything else opened and scanned), and ask whether it has bytes at all.
 *
 * Live processes are opened through the platform's opener (pmm_target_set_process_opener: the
 * live source of core/win32 on Windows), so the rest of this works, and is unit-tested, anywhere. */
#ifndef PMM_TARGET_H
#define PMM_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include "../analyzers/scan.h"
#include "../formats/saved_map.h"

typedef enum pmm_target_kind {
    PMM_TARGET_NONE = 0,
    PMM_TARGET_PROCESS,        /* pid */
    PMM_TARGET_MINIDUMP,       /* path */
    PMM_TARGET_SAVED_MAP,      /* path: a finished map, without memory contents */
    PMM_TARGET_KERNEL_DUMP     /* path, and the process inside it that selector chooses */
} pmm_target_kind;

typedef struct pmm_target {
    pmm_target_kind kind;
    uint32_t pid;              /* PMM_TARGET_PROCESS */
    char *path;                /* the file, UTF-8 (owned); NULL for a process */
    char *selector;            /* PMM_TARGET_KERNEL_DUMP: which process (owned); NULL while none is chosen */
} pmm_target;

typedef pmm_status (*pmm_process_opener)(uint32_t pid, pmm_source *out, char *message, size_t message_cap);
/* Set once at start-up by programs that can read live processes (pmm_live_open). Without one, a
 * process target fails to open with PMM_ERR_UNSUPPORTED. */
void pmm_target_set_process_opener(pmm_process_opener opener);

/* A process id ("1234", "0x4d2"), else a file, whose kind its first bytes tell. Errors, with
 * message saying what is wrong: PMM_ERR_ARG (no valid process id: above 32 bits, or a number with
 * a leading zero, "010", which would be octal to C and ten to a person, and no file of that name),
 * PMM_ERR_NOT_FOUND (neither a number nor a readable file), PMM_ERR_FORMAT (a file of no kind we
 * read, a truncated saved map).
 * Free the result with pmm_target_free. */
pmm_status pmm_target_parse(const char *spec, pmm_target *out, char *message, size_t message_cap);
void pmm_target_for_process(pmm_target *out, uint32_t pid);
/* PMM_ERR_NOMEM, else PMM_OK; dst is freed first (it may be zeroed or a previous target). */
pmm_status pmm_target_copy(pmm_target *dst, const pmm_target *src);
void pmm_target_free(pmm_target *t);
/* A kernel dump's address space to read: "kernel", a pid or an image name (copied). */
pmm_status pmm_target_choose(pmm_target *t, const char *selector);

/* Whether the target has memory contents to read (search, strings, dumps, the hex view): a process,
 * a minidump, a kernel dump once a process in it is chosen; not a saved map. */
int pmm_target_has_bytes(const pmm_target *t);
/* "process 1234", "minidump C:\dumps\a.dmp", "saved map a.pmm", "kernel dump k.dmp": for messages. */
const char *pmm_target_describe(const pmm_target *t, char *buf, size_t cap);

/* A source over the target's memory; close it with pmm_source_close. A saved map has none
 * (PMM_ERR_UNSUPPORTED), nor has a kernel dump without a chosen process; with one, the source is
 * that process's address space (or the kernel's: core/adapters/kdump_kernel_source.h). On failure
 * message says why. */
pmm_status pmm_target_open(const pmm_target *t, pmm_source *out, char *message, size_t message_cap);

/* The target's map: a saved map is loaded (with its page checksums into sums, when sums is not
 * NULL), anything else is opened and scanned with options (NULL: defaults). When kept is not NULL
 * and the target has bytes, the source stays open in *kept for the caller to read and close;
 * otherwise it is closed (and kept->ops is NULL). On success *map is the caller's (pmm_map_free);
 * on failure *map is NULL and message says what went wrong. */
pmm_status pmm_target_load_map(const pmm_target *t, const pmm_scan_options *options, pmm_map **map,
                               pmm_page_sums *sums, pmm_source *kept, char *message, size_t message_cap);

#endif
