#include "address_info.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "core/util/text.h"
#include "region_rows.h"

static void add(address_info *info, const char *name, const char *fmt, ...)
{
    if (info->count >= ADDRESS_INFO_MAX)
        return;
    address_fact *f = &info->facts[info->count++];
    snprintf(f->name, sizeof f->name, "%s", name);
    va_list args;
    va_start(args, fmt);
    vsnprintf(f->value, sizeof f->value, fmt, args);
    va_end(args);
}

/* "00007FF6A0B40000 - 00007FF6A0B4FFFF (64 K)": the end inclusive, as VMMap and winedbg write it. */
static const char *range_text(const pmm_map *map, uint64_t base, uint64_t size, char *buf, size_t cap)
{
    char a[24], b[24], s[32];
    uint32_t ps = map->target.pointer_size;
    snprintf(buf, cap, "%s - %s (%s)", pmm_address_text(base, ps, a, sizeof a),
             pmm_address_text(size ? base + size - 1 : base, ps, b, sizeof b), pmm_size_text(size, s, sizeof s));
    return buf;
}

static void describe_region(const pmm_map *map, size_t index, address_info *info)
{
    const pmm_region *r = &map->regions[index];
    char text[128], prot[32];
    add(info, "Type", "%s", pmm_region_kind_name((pmm_region_kind)r->kind));
    add(info, "Region", "%s", range_text(map, r->base, r->size, text, sizeof text));
    if (r->state == PMM_MEM_FREE) {
        add(info, "State", "free");
        return;
    }
    add(info, "State", "%s, %s", pmm_state_text(r->state), pmm_type_text(r->type));
    if (r->state == PMM_MEM_COMMIT)
        add(info, "Protection", "%s", pmm_protect_text(r->protect, prot, sizeof prot));
    size_t allocation = pmm_map_find_allocation(map, index);
    size_t first, count;
    pmm_map_allocation_regions(map, allocation, &first, &count);
    const pmm_region *last = &map->regions[first + count - 1];
    uint64_t base = map->regions[first].base;
    add(info, "Allocation", "%s, %zu block%s", range_text(map, base, last->base + last->size - base, text, sizeof text),
        count, count == 1 ? "" : "s");
    add(info, "Initial protection", "%s", pmm_protect_text(r->alloc_protect, prot, sizeof prot));
    const char *details = pmm_map_text(map, r->details);
    if (!details[0])
        details = pmm_map_text(map, map->regions[first].details);
    if (details[0])
        add(info, "Details", "%s", details);
}

/* Annotations containing addr, outermost first: those that start at or below it and reach past it. */
static void describe_annotations(const pmm_map *map, uint64_t addr, address_info *info)
{
    size_t found[16], n = 0;
    size_t i = pmm_map_annotation_lower_bound(map, addr + 1);
    /* annotation_max_end is a prefix maximum: once it is at or below addr, nothing earlier reaches it. */
    while (i > 0 && n < 16) {
        i--;
        if (map->annotation_max_end && map->annotation_max_end[i] <= addr)
            break;
        const pmm_annotation *a = &map->annotations[i];
        if (a->base <= addr && addr - a->base < a->size)
            found[n++] = i;
    }
    char text[128];
    for (size_t k = n; k-- > 0;) {
        const pmm_annotation *a = &map->annotations[found[k]];
        if (a->kind == PMM_ANN_MODULE)
            continue;   /* said above, with its path */
        const char *label = pmm_map_text(map, a->label);
        add(info, region_annotation_kind_text(a->kind), "%s%s%s", label, label[0] ? ", " : "",
            range_text(map, a->base, a->size, text, sizeof text));
        if ((a->kind == PMM_ANN_STACK || a->kind == PMM_ANN_TEB || a->kind == PMM_ANN_STACK_GUARD) && a->owner)
            add(info, "Thread", "%u", (unsigned)a->owner);
    }
}

void address_info_describe(const pmm_map *map, uint64_t addr, const char *symbol, const char *source,
                           address_info *info)
{
    char a[24];
    info->count = 0;
    add(info, "Address", "%s", pmm_address_text(addr, map->target.pointer_size, a, sizeof a));
    if (symbol && symbol[0])
        add(info, "Symbol", "%s", symbol);
    if (source && source[0])
        add(info, "Source", "%s", source);
    size_t index = pmm_map_find(map, addr);
    if (index == PMM_NO_INDEX || map->regions[index].base > addr) {
        add(info, "Region", "none: the address is outside every region the scan found");
        return;
    }
    describe_region(map, index, info);
    const pmm_module *m = pmm_map_module_at(map, addr);
    if (m) {
        add(info, "Module", "%s", pmm_map_text(map, m->name));
        add(info, "Module path", "%s", pmm_map_text(map, m->path));
        add(info, "Offset in module", "+0x%llx", (unsigned long long)(addr - m->base));
    }
    describe_annotations(map, addr, info);
}

int address_parse(const char *text, uint64_t *out)
{
    while (isspace((unsigned char)*text))
        text++;
    if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
        text += 2;
    uint64_t value = 0;
    int digits = 0;
    for (; *text; text++) {
        int c = (unsigned char)*text, d;
        if (c == '`' || c == '\'' || c == '_')
            continue;
        if (isspace(c) || ((c == 'h' || c == 'H') && text[1] == '\0'))
            break;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return 0;
        if (digits++ >= 16)
            return 0;
        value = value << 4 | (uint64_t)d;
    }
    while (*text && (isspace((unsigned char)*text) || *text == 'h' || *text == 'H'))
        text++;
    if (!digits || *text)
        return 0;
    *out = value;
    return 1;
}
