#include "apiset.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "../util/endian.h"

#define HEADER_SIZE 28u
#define ENTRY_SIZE 24u
#define VALUE_SIZE 20u
#define SCHEMA_VERSION 6u

static pmm_status check(pmm_apiset *set)
{
    const uint8_t *d = set->data;
    if (set->size < HEADER_SIZE)
        return PMM_ERR_FORMAT;
    if (pmm_le32(d) != SCHEMA_VERSION)
        return PMM_ERR_UNSUPPORTED;
    uint32_t count = pmm_le32(d + 12), entries = pmm_le32(d + 16);
    if (count > PMM_APISET_MAX_ENTRIES)
        count = PMM_APISET_MAX_ENTRIES;
    if (entries > set->size || (uint64_t)count * ENTRY_SIZE > set->size - entries)
        return PMM_ERR_FORMAT;
    set->count = count;
    set->entry_offset = entries;
    return PMM_OK;
}

pmm_status pmm_apiset_from_bytes(const void *bytes, size_t size, pmm_apiset *out)
{
    memset(out, 0, sizeof *out);
    if (size > PMM_APISET_MAX_SIZE)
        size = PMM_APISET_MAX_SIZE;
    if (size < HEADER_SIZE)
        return PMM_ERR_FORMAT;
    if (!(out->data = malloc(size)))
        return PMM_ERR_NOMEM;
    memcpy(out->data, bytes, size);
    out->size = (uint32_t)size;
    pmm_status st = check(out);
    if (st != PMM_OK)
        pmm_apiset_free(out);
    return st;
}

pmm_status pmm_apiset_read(pmm_source *src, uint64_t address, pmm_apiset *out)
{
    uint8_t header[HEADER_SIZE];
    memset(out, 0, sizeof *out);
    if (pmm_source_read_exact(src, address, header, sizeof header) != PMM_OK)
        return PMM_ERR_READ;
    uint32_t size = pmm_le32(header + 4);
    if (size < HEADER_SIZE)
        return pmm_le32(header) != SCHEMA_VERSION ? PMM_ERR_UNSUPPORTED : PMM_ERR_FORMAT;
    if (size > PMM_APISET_MAX_SIZE)
        size = PMM_APISET_MAX_SIZE;
    uint8_t *bytes = malloc(size);
    if (!bytes)
        return PMM_ERR_NOMEM;
    pmm_status st = pmm_source_read_exact(src, address, bytes, size) == PMM_OK ? PMM_OK : PMM_ERR_READ;
    if (st == PMM_OK) {
        out->data = bytes;
        out->size = size;
        if ((st = check(out)) != PMM_OK)
            pmm_apiset_free(out);
    } else {
        free(bytes);
    }
    return st;
}

void pmm_apiset_free(pmm_apiset *set)
{
    free(set->data);
    memset(set, 0, sizeof *set);
}

static int starts_with_nocase(const char *text, size_t length, const char *prefix)
{
    size_t n = strlen(prefix);
    if (length < n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)text[i]) != prefix[i])
            return 0;
    return 1;
}

int pmm_apiset_is_contract(const char *name, size_t length)
{
    return length > 4 && (starts_with_nocase(name, length, "api-") || starts_with_nocase(name, length, "ext-"));
}

/* A UTF-16 string of the schema, within its bounds; NULL when it lies outside. */
static const uint8_t *string_at(const pmm_apiset *set, uint32_t offset, uint32_t length)
{
    return offset <= set->size && length <= set->size - offset ? set->data + offset : NULL;
}

/* Compares ASCII text with a UTF-16LE string of `units` code units, ignoring case. */
static int compare_name(const char *text, size_t length, const uint8_t *utf16, size_t units)
{
    size_t n = length < units ? length : units;
    for (size_t i = 0; i < n; i++) {
        unsigned a = (unsigned char)tolower((unsigned char)text[i]);
        unsigned c = pmm_le16(utf16 + 2 * i);
        unsigned b = c < 128 ? (unsigned)tolower((int)c) : c;
        if (a != b)
            return a < b ? -1 : 1;
    }
    return length < units ? -1 : length > units;
}

/* The entry whose name, up to its last hyphen, is key; entries are sorted by name. */
static const uint8_t *find_entry(const pmm_apiset *set, const char *key, size_t length)
{
    size_t lo = 0, hi = set->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const uint8_t *e = set->data + set->entry_offset + mid * ENTRY_SIZE;
        uint32_t hashed = pmm_le32(e + 12);
        const uint8_t *name = string_at(set, pmm_le32(e + 4), hashed);
        if (!name)
            return NULL;   /* a damaged entry: the search cannot go on reliably */
        int c = compare_name(key, length, name, hashed / 2);
        if (c == 0)
            return e;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

static size_t to_utf8(const uint8_t *utf16, size_t units, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < units && n + 1 < cap; i++) {
        unsigned c = pmm_le16(utf16 + 2 * i);
        out[n++] = c < 128 ? (char)c : '?';   /* DLL names in schemas are ASCII */
    }
    out[n] = '\0';
    return n;
}

pmm_status pmm_apiset_resolve(const pmm_apiset *set, const char *name, size_t length, const char *importer,
                              char *host, size_t cap)
{
    if (cap)
        host[0] = '\0';
    if (!set->data || !pmm_apiset_is_contract(name, length))
        return PMM_ERR_NOT_FOUND;
    if (length > 4 && name[length - 4] == '.')
        length -= 4;                     /* ".dll" */
    size_t key = length;
    while (key > 0 && name[key - 1] != '-')
        key--;                           /* the version after the last hyphen is not hashed */
    if (key == 0)
        return PMM_ERR_NOT_FOUND;
    const uint8_t *e = find_entry(set, name, key - 1);
    if (!e)
        return PMM_ERR_NOT_FOUND;
    uint32_t values = pmm_le32(e + 16), count = pmm_le32(e + 20);
    if (values > set->size || (uint64_t)count * VALUE_SIZE > set->size - values)
        return PMM_ERR_NOT_FOUND;
    const uint8_t *chosen = count ? set->data + values : NULL;
    for (uint32_t i = 1; i < count && importer; i++) {
        const uint8_t *v = set->data + values + (size_t)i * VALUE_SIZE;
        const uint8_t *for_module = string_at(set, pmm_le32(v + 4), pmm_le32(v + 8));
        if (for_module && compare_name(importer, strlen(importer), for_module, pmm_le32(v + 8) / 2) == 0)
            chosen = v;
    }
    const uint8_t *dll = chosen ? string_at(set, pmm_le32(chosen + 12), pmm_le32(chosen + 16)) : NULL;
    if (!dll || pmm_le32(chosen + 16) == 0)
        return PMM_ERR_NOT_FOUND;
    to_utf8(dll, pmm_le32(chosen + 16) / 2, host, cap);
    return PMM_OK;
}
