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

typedef int (*item_fn)(const char *item, const pmm_region *r);

/* Whether any comma-separated item of list matches r (items were checked by check_list). */
static int list_matches(const char *list, const pmm_region *r, item_fn match)
{
    int any = 0;
    const char *p = list;
    for (int guard = 0; *p && guard < 1000; guard++) {
        size_t len = strcspn(p, ",");
        char item[MAX_ITEM];
        squeeze(p, len, item, sizeof item);
        any |= match(item, r) > 0;
        p += len + (p[len] == ',');
    }
    return any;
}

static const struct { const char *name; pmm_region_kind kind; } kind_names[] = {
    {"image", PMM_KIND_IMAGE}, {"mapped", PMM_KIND_MAPPED_FILE}, {"mappedfile", PMM_KIND_MAPPED_FILE},
    {"shareable", PMM_KIND_SHAREABLE}, {"heap", PMM_KIND_HEAP}, {"stack", PMM_KIND_STACK},
    {"private", PMM_KIND_PRIVATE}, {"privatedata", PMM_KIND_PRIVATE}, {"system", PMM_KIND_SYSTEM},
};

static const struct { const char *name; uint32_t value; } protect_names[] = {
    {"r", PMM_PAGE_READONLY}, {"rw", PMM_PAGE_READWRITE}, {"wc", PMM_PAGE_WRITECOPY},
    {"x", PMM_PAGE_EXECUTE}, {"rx", PMM_PAGE_EXECUTE_READ}, {"rwx", PMM_PAGE_EXECUTE_READWRITE},
    {"wcx", PMM_PAGE_EXECUTE_WRITECOPY},
};

/* -1 when item names no kind. */
static int kind_of(const char *item)
{
    for (size_t i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++)
        if (strcmp(item, kind_names[i].name) == 0)
            return (int)kind_names[i].kind;
    return -1;
}

/* The PAGE_* value item names (a name or a number; guard and cache modifiers ignored), 0 when it
 * names none a dump can save: no-access regions are never read, so "NA" would select nothing. */
static uint32_t protect_of(const char *item)
{
    for (size_t i = 0; i < sizeof protect_names / sizeof protect_names[0]; i++)
        if (strcmp(item, protect_names[i].name) == 0)
            return protect_names[i].value;
    uint64_t value;
    if (pmm_parse_u64(item, &value) != 0 || (value & ~(uint64_t)0x7FF) != 0)
        return 0;
    for (size_t i = 0; i < sizeof protect_names / sizeof protect_names[0]; i++)
        if ((value & 0xFF) == protect_names[i].value)
            return protect_names[i].value;
    return 0;
}

static int kind_matches(const char *item, const pmm_region *r)
{
    return kind_of(item) == (int)r->kind;
}

static int protect_matches(const char *item, const pmm_region *r)
{
    return protect_of(item) == (r->protect & 0xFF);
}

/* PMM_ERR_ARG with message when list is empty or has an item known() refuses. */
static pmm_status check_list(const char *option, const char *list, int (*known)(const char *item),
                             const char *choices, char *message, size_t cap)
{
    const char *p = list;
    for (int guard = 0; guard < 1000; guard++) {
        size_t len = strcspn(p, ",");
        char item[MAX_ITEM];
        squeeze(p, len, item, sizeof item);
        if (!item[0] || len >= MAX_ITEM || !known(item)) {
            if (!list[0])
                snprintf(message, cap, "%s is empty: give one or more of %s", option, choices);
            else
                snprintf(message, cap, "%s: '%.*s' is not one of %s", option, (int)len, p, choices);
            return PMM_ERR_ARG;
        }
        if (!p[len])
            return PMM_OK;
        p += len + 1;
    }
    snprintf(message, cap, "%s: too many items", option);
    return PMM_ERR_ARG;
}

static int known_kind(const char *item)
{
    return kind_of(item) >= 0;
}

static int known_protect(const char *item)
{
    return protect_of(item) != 0;
}

pmm_status pmm_dump_selection_check(const pmm_dump_selection *sel, char *message, size_t cap)
{
    pmm_status st = PMM_OK;
    if (sel->kinds)
        st = check_list("--kind", sel->kinds, known_kind,
                        "image, mapped, shareable, heap, stack, private, system", message, cap);
    if (st == PMM_OK && sel->protections)
        st = check_list("--protect", sel->protections, known_protect,
                        "R, RW, WC, X, RX, RWX, WCX or such a PAGE_* value like 0x40 (no-access memory is never "
                        "dumped)", message, cap);
    return st;
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
    pmm_status st = pmm_dump_selection_check(sel, message, message_cap);
    if (st == PMM_OK)
        st = check_addresses(map, sel, message, message_cap);
    for (size_t i = 0; i < map->region_count && st == PMM_OK; i++) {
        const pmm_region *r = &map->regions[i];
        if (!pmm_dump_region_is_saved(r))
            continue;
        if (sel->address_count && !address_selected(sel, r))
            continue;
        if ((!sel->kinds || list_matches(sel->kinds, r, kind_matches)) &&
            (!sel->protections || list_matches(sel->protections, r, protect_matches)))
            st = add_region(out, r);
    }
    if (st != PMM_OK)
        pmm_dump_ranges_free(out);
    return st;
}
