/* A minidump file as a source: regions from MemoryInfoList (or built from modules and memory
 * ranges when the dump lacks it), bytes from MemoryList/Memory64List, threads from ThreadList with
 * ThreadInfoList and ThreadNames, modules from ModuleList. */
#ifndef PMM_MINIDUMP_SOURCE_H
#define PMM_MINIDUMP_SOURCE_H

#include <stddef.h>
#include "../source/source.h"

/* Errors: PMM_ERR_NOT_FOUND (no such file), PMM_ERR_FORMAT (not a minidump, or corrupt beyond
 * use), PMM_ERR_UNSUPPORTED (a dump of a non-Windows process). Damaged streams that leave the
 * rest usable are not errors: they are recorded as warnings (pmm_minidump_warning). On failure
 * message says what is wrong. */
pmm_status pmm_minidump_open(const char *path, pmm_source *out, char *message, size_t message_cap);

/* The same over bytes in memory that the caller keeps alive until pmm_source_close (fuzzing,
 * tests). name is used in messages and as target.path. */
pmm_status pmm_minidump_open_memory(const void *data, size_t size, const char *name, pmm_source *out,
                                    char *message, size_t message_cap);

/* Non-zero when src is a minidump source. */
int pmm_minidump_is_source(const pmm_source *src);

/* Non-zero when the dump has no MemoryInfoList and the regions were built from its modules and
 * memory ranges: the map has only those regions, without protections, and should say so. */
int pmm_minidump_regions_synthesized(const pmm_source *src);

/* Things the source could not use (a corrupt optional stream, truncated memory...), for the map's
 * warnings. NULL past the last one; 0 / NULL for other kinds of source. */
size_t pmm_minidump_warning_count(const pmm_source *src);
const char *pmm_minidump_warning(const pmm_source *src, size_t index);

/* What a warning finds damaged, so a command can tell whether its answer depends on it: a stream
 * present but unreadable, memory the file was cut before, regions that had to be clipped. 0 for a
 * warning about what the dump simply lacks (no MemoryInfoList, no SystemInfo), normal in crash
 * dumps. */
enum pmm_md_damage {
    PMM_MD_DAMAGE_SYSTEM = 1,     /* SystemInfo */
    PMM_MD_DAMAGE_THREADS = 2,    /* ThreadList, ThreadInfoList, ThreadNames, contexts */
    PMM_MD_DAMAGE_MODULES = 4,    /* ModuleList */
    PMM_MD_DAMAGE_MEMORY = 8,     /* MemoryList, Memory64List, bytes past the end of the file */
    PMM_MD_DAMAGE_REGIONS = 16,   /* MemoryInfoList */
    PMM_MD_DAMAGE_MISC = 32,      /* MiscInfo */
    PMM_MD_DAMAGE_ANY = 63
};
uint32_t pmm_minidump_warning_damage(const pmm_source *src, size_t index);
/* Every pmm_md_damage bit of the dump's warnings; 0 for other kinds of source. */
uint32_t pmm_minidump_damage(const pmm_source *src);

#endif
