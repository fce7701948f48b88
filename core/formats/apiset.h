/* The API set schema, version 6 (Windows 10 and later, and Wine): which DLL implements a contract
 * name such as api-ms-win-core-synch-l1-2-0.dll. The loader reads it from PEB.ApiSetMap to resolve
 * imports and forwarders that name a contract; the integrity scan reads it the same way to know
 * what an IAT slot of such an import must hold.
 *
 * Layout (all offsets from the schema's start, strings UTF-16LE, not terminated):
 *   header  Version u32 (6), Size u32, Flags u32, Count u32, EntryOffset u32, HashOffset u32,
 *           HashFactor u32
 *   entry   Flags u32, NameOffset u32, NameLength u32 (bytes), HashedLength u32 (bytes of the name
 *           up to its last hyphen), ValueOffset u32, ValueCount u32          (24 bytes, sorted by name)
 *   value   Flags u32, NameOffset u32, NameLength u32 (the importing module this value is for; empty
 *           for the default), ValueOffset u32, ValueLength u32 (the host DLL)  (20 bytes)
 * The schema is read whole (at most PMM_APISET_MAX_SIZE) and every offset checked against it. */
#ifndef PMM_APISET_H
#define PMM_APISET_H

#include <stddef.h>
#include <stdint.h>
#include "../source/source.h"

#define PMM_APISET_MAX_SIZE (4u * 1024 * 1024)
#define PMM_APISET_MAX_ENTRIES 65536u

typedef struct pmm_apiset {
    uint8_t *data;
    uint32_t size;
    uint32_t count;              /* entries, capped */
    uint32_t entry_offset;
} pmm_apiset;

/* Reads the schema at address. PMM_ERR_UNSUPPORTED for another version, PMM_ERR_FORMAT when the
 * header does not fit its own size, PMM_ERR_READ when it cannot be read. */
pmm_status pmm_apiset_read(pmm_source *src, uint64_t address, pmm_apiset *out);
/* The same over bytes in memory (copied). */
pmm_status pmm_apiset_from_bytes(const void *bytes, size_t size, pmm_apiset *out);
void pmm_apiset_free(pmm_apiset *set);

/* 1 when name ("api-ms-win-core-synch-l1-2-0.dll", any case, extension optional) is a contract name
 * the loader resolves through the schema (it starts with "api-" or "ext-"). */
int pmm_apiset_is_contract(const char *name, size_t length);
/* The host DLL ("kernelbase.dll", UTF-8) of contract name for a module named importer (its own
 * value when the schema has one, else the default). PMM_ERR_NOT_FOUND when the schema does not
 * list it or lists no host. */
pmm_status pmm_apiset_resolve(const pmm_apiset *set, const char *name, size_t length, const char *importer,
                              char *host, size_t cap);

#endif
