/* Region selection for dumps: by address, Type column, and protection (see region_dump.h). */
#include "region_dump.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "../formats/minidump_write.h"
#include "../util/text.h"

#define MAX_ITEM 64

/* Lower-case letters and digits only, so "Mapped File", "mapped_file" and "mappedfile" agree. */
static void squeeze(const char *text, size_t len, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < cap; i++)
        if (isalnum((unsigned char)text[i]))
            out[n++] = (char)tolower((unsigned char)text[i]);
    out[n] = '\0';
}

/* Calls match(item) for each comma-separated item; returns -1 when one is unknown (copied to bad). */
typedef int (*item_fn)(const char *item, const pmm_region *r);

static int list_matches(const char *list, const pmm_region *r, item_fn match, char *bad, size_t bad_cap)
{
    int any = 0;
    const char *p = list;
    for (int guard = 0; *p && guard < 1000; guard++) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char item[MAX_ITEM];
        squeeze(p, len, item, sizeof item);
        int m = match(item, r);
        if (m < 0) {
            snprintf(bad, bad_cap, "%.*s", (int)len, p);
            return -1;
        }
        any |= m;
        p += len + (comma ? 1 : 0);
    }
    return any;
}

static int kind_matches(const char *item, const pmm_region *r)
{
    static const struct { const char *name; pmm_region_kind kind; } aliases[] = {
        {"image", PMM_KIND_IMAGE}, {"mapped", PMM_KIND_MAPPED_FILE}, {"mappedfile", PMM_KIND_MAPPED_FILE},
        {"shareable", PMM_KIND_SHAREABLE}, {"heap", PMM_KIND_HEAP}, {"stack", PMM_KIND_STACK},
        {"private", PMM_KIND_PRIVATE}, {"privatedata", PMM_KIND_PRIVATE}, {"system", PMM_KIND_SYSTEM},
    };
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcmp(item, aliases[i].name) == 0)
            return r->kind == aliases[i].kind;
    return -1;
}

static int protect_matches(const char *item, const pmm_region *r)
{
    static const struct { const char *name; uint32_t value; } names[] = {
        {"na", PMM_PAGE_NOACCESS}, {"r", PMM_PAGE_READONLY}, {"rw", PMM_PAGE_READWRITE},
        {"wc", PMM_PAGE_WRITECOPY}, {"x", PMM_PAGE_EXECUTE}, {"rx", PMM_PAGE_EXECUTE_READ},
        {"rwx", PMM_PAGE_EXECUTE_READWRITE}, {"wcx", PMM_PAGE_EXECUTE_WRITECOPY},
    };
    uint32_t base = r->protect & 0xFF;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(item, names[i].name) == 0)
            return base == names[i].value;
    char *end;
    unsigned long value = strtoul(item, &end, 0);
    if (item[0] && *end == '\0')
        return base == (value & 0xFF);
    return -1;
}

static pmm_status add_region(pmm_dump_ranges *out, const pmm_region *r)
{
    /* Not merged with a neighbour: each region keeps its own record (and file). */
    if (out->count == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 64;
        pmm_dump_range *grown = realloc(out->items, cap * sizeof *grown);
        if (!grown)
            return PMM_ERR_NOMEM;
        out->items = grown;
        out->cap = cap;
    }
    out->items[out->count].address = r->base;
    out->items[out->count].size = r->size;
    out->count++;
    return PMM_OK;
}

static int address_selected(const pmm_dump_selection *sel, const pmm_region *r)
{
    for (size_t i = 0; i < sel->address_count; i++)
        if (sel->addresses[i] >= r->base && sel->addresses[i] - r->base < r->size)
            return 1;
    return 0;
}

static pmm_status check_addresses(const pmm_map *map, const pmm_dump_selection *sel, char *message, size_t cap)
{
    for (size_t i = 0; i < sel->address_count; i++) {
        size_t index = pmm_map_find(map, sel->addresses[i]);
        if (index == PMM_NO_INDEX || !pmm_dump_region_is_saved(&map->regions[index])) {
            snprintf(message, cap, "0x%llx is not in committed, readable memory (see pmm map)",
                     (unsigned long long)sel->addresses[i]);
            return PMM_ERR_ARG;
        }
    }
    return PMM_OK;
}

pmm_status pmm_dump_select(const pmm_map *map, const pmm_dump_selection *sel, pmm_dump_ranges *out, char *message,
                           size_t message_cap)
{
    memset(out, 0, sizeof *out);
    pmm_status st = check_addresses(map, sel, message, message_cap);
    char bad[MAX_ITEM];
    for (size_t i = 0; i < map->region_count && st == PMM_OK; i++) {
        const pmm_region *r = &map->regions[i];
        if (!pmm_dump_region_is_saved(r))
            continue;
        if (sel->address_count && !address_selected(sel, r))
            continue;
        int k = sel->kinds && *sel->kinds ? list_matches(sel->kinds, r, kind_matches, bad, sizeof bad) : 1;
        int p = sel->protections && *sel->protections ? list_matches(sel->protections, r, protect_matches, bad, sizeof bad) : 1;
        if (k < 0 || p < 0) {
            snprintf(message, message_cap, "unknown %s '%s'", k < 0 ? "kind" : "protection", bad);
            st = PMM_ERR_ARG;
        } else if (k && p) {
            st = add_region(out, r);
        }
    }
    if (st != PMM_OK)
        pmm_dump_ranges_free(out);
    return st;
}
