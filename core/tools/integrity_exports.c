/* What an import resolves to in the target: the exporting module found by name, its export table
 * (read from its memory once), forwarders followed ("NTDLL.RtlAllocateHeap", "KERNELBASE.#12"). */
#include "integrity_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Windows follows forwarder chains; real ones are one or two links long. */
#define MAX_FORWARDS 8

static int equal_nocase(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
            return 0;
    return 1;
}

/* dll as imports and forwarders spell it: "KERNEL32.dll", "kernel32", "NTDLL". */
static int names_module(const char *module, const char *dll, size_t dll_len)
{
    size_t n = strlen(module);
    if (n == dll_len && equal_nocase(module, dll, n))
        return 1;
    /* "ntdll" names "ntdll.dll": a name without an extension means .dll. */
    return !memchr(dll, '.', dll_len) && n == dll_len + 4 && equal_nocase(module, dll, dll_len) &&
           equal_nocase(module + dll_len, ".dll", 4);
}

static size_t module_by_name(const pmm_map *map, const char *dll, size_t dll_len, uint32_t pointer_size)
{
    size_t found = PMM_NO_INDEX;
    for (size_t i = 0; i < map->module_count; i++) {
        const pmm_module *m = &map->modules[i];
        if (!names_module(pmm_map_text(map, m->name), dll, dll_len))
            continue;
        /* A WOW64 process has a 64-bit and a 32-bit ntdll.dll: the importer's bitness decides. */
        if (!pointer_size || !m->pointer_size || m->pointer_size == pointer_size)
            return i;
        found = i;
    }
    return found;
}

size_t integrity_module_by_name(const pmm_map *map, const char *dll)
{
    return module_by_name(map, dll, strlen(dll), 0);
}

void integrity_exports_free(integrity_exports *exports)
{
    pmm_apiset_free(&exports->apiset);
    for (size_t i = 0; i < exports->count; i++) {
        integrity_export_table *t = &exports->tables[i];
        if (t->status == PMM_OK && t->read)
            pe_exports_free(&t->exports);
        free(t->by_name);
    }
    free(exports->tables);
    memset(exports, 0, sizeof *exports);
}

static const pe_exports *sort_context;

static int compare_names(const void *a, const void *b)
{
    return strcmp(sort_context->items[*(const uint32_t *)a].name, sort_context->items[*(const uint32_t *)b].name);
}

static pmm_status read_table(integrity_ctx *ctx, size_t module, integrity_export_table **out)
{
    integrity_exports *e = &ctx->exports;
    if (!e->tables) {
        e->tables = calloc(ctx->map->module_count ? ctx->map->module_count : 1, sizeof *e->tables);
        if (!e->tables)
            return PMM_ERR_NOMEM;
        e->count = ctx->map->module_count;
    }
    integrity_export_table *t = &e->tables[module];
    *out = t;
    if (t->read)
        return PMM_OK;
    t->read = 1;
    t->status = pe_read_exports_at(ctx->src, ctx->map->modules[module].base, &t->exports);
    if (t->status == PMM_ERR_NOMEM)
        return PMM_ERR_NOMEM;
    if (t->status != PMM_OK)
        return PMM_OK;
    t->by_name = malloc((t->exports.count ? t->exports.count : 1) * sizeof *t->by_name);
    if (!t->by_name)
        return PMM_ERR_NOMEM;
    for (size_t i = 0; i < t->exports.count; i++)
        if (t->exports.items[i].name)
            t->by_name[t->named++] = (uint32_t)i;
    /* qsort has no context argument; the scan runs on one thread. */
    sort_context = &t->exports;
    qsort(t->by_name, t->named, sizeof *t->by_name, compare_names);
    return PMM_OK;
}

static const pe_export *find_export(const integrity_export_table *t, const char *name, uint32_t ordinal)
{
    if (!name) {
        for (size_t i = 0; i < t->exports.count; i++)
            if (t->exports.items[i].ordinal == ordinal && t->exports.items[i].rva)
                return &t->exports.items[i];
        return NULL;
    }
    size_t lo = 0, hi = t->named;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(t->exports.items[t->by_name[mid]].name, name);
        if (c == 0)
            return &t->exports.items[t->by_name[mid]];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* "" for the import itself, "forwarded to NTDLL.RtlFoo: " for a later link of its chain. */
static void describe_link(char *buf, size_t cap, int hop, const char *dll, size_t dll_len, const char *name,
                          uint32_t ordinal)
{
    if (!hop)
        buf[0] = '\0';
    else if (name)
        snprintf(buf, cap, "forwarded to %.*s.%s: ", (int)dll_len, dll, name);
    else
        snprintf(buf, cap, "forwarded to %.*s.#%u: ", (int)dll_len, dll, ordinal);
}

/* The PEB of the process's own bitness (the 32-bit one of a WOW64 process) as the scan found and
 * annotated it: under Wine ProcessWow64Information gives no address, the map's walk does. */
static uint64_t process_peb(const pmm_map *map)
{
    uint32_t bits = map->target.pointer_size * 8;
    for (size_t i = 0; i < map->annotation_count; i++)
        if (map->annotations[i].kind == PMM_ANN_PEB && map->annotations[i].bits == bits)
            return map->annotations[i].base;
    return bits == 64 || !map->target.wow64 ? map->target.peb : 0;
}

/* The API set schema the process's loader uses: PEB.ApiSetMap. */
static const pmm_apiset *apiset(integrity_ctx *ctx)
{
    integrity_exports *e = &ctx->exports;
    if (!e->apiset_tried) {
        e->apiset_tried = 1;
        uint32_t ps = ctx->map->target.pointer_size;
        uint64_t peb = process_peb(ctx->map), schema = 0;
        e->apiset_status = PMM_ERR_NOT_FOUND;
        if (peb && pmm_source_read_pointer(ctx->src, peb + (ps == 8 ? 0x68 : 0x38), ps, &schema) == PMM_OK && schema)
            e->apiset_status = pmm_apiset_read(ctx->src, schema, &e->apiset);
    }
    return e->apiset_status == PMM_OK ? &e->apiset : NULL;
}

pmm_status integrity_resolve_export(integrity_ctx *ctx, const char *importer, const char *dll, const char *name,
                                    uint32_t ordinal, uint64_t *address, char *why, size_t why_cap)
{
    char forward_name[PE_MAX_NAME], host[260];
    size_t dll_len = strlen(dll);
    uint32_t ps = ctx->src->target.pointer_size;
    for (int hop = 0; hop <= MAX_FORWARDS; hop++) {
        char label[PE_MAX_NAME + 300];
        describe_link(label, sizeof label, hop, dll, dll_len, name, ordinal);
        size_t module = module_by_name(ctx->map, dll, dll_len, ps);
        if (module == PMM_NO_INDEX && pmm_apiset_is_contract(dll, dll_len)) {
            const pmm_apiset *set = apiset(ctx);
            if (!set) {
                snprintf(why, why_cap, "%sthe process's API set schema (PEB.ApiSetMap) could not be read", label);
                return PMM_ERR_UNSUPPORTED;
            }
            if (pmm_apiset_resolve(set, dll, dll_len, importer, host, sizeof host) != PMM_OK) {
                snprintf(why, why_cap, "%sthe API set schema names no DLL for %.*s", label, (int)dll_len, dll);
                return PMM_ERR_NOT_FOUND;
            }
            dll = host;
            dll_len = strlen(host);
            module = module_by_name(ctx->map, dll, dll_len, ps);
        }
        if (module == PMM_NO_INDEX) {
            snprintf(why, why_cap, "%sthat module is not loaded", label);
            return PMM_ERR_NOT_FOUND;
        }
        integrity_export_table *t;
        pmm_status st = read_table(ctx, module, &t);
        if (st != PMM_OK)
            return st;
        if (t->status != PMM_OK) {
            snprintf(why, why_cap, "%sthe module's exports could not be read (%s)", label, pmm_status_text(t->status));
            return PMM_ERR_NOT_FOUND;
        }
        const pe_export *e = find_export(t, name, ordinal);
        if (!e) {
            snprintf(why, why_cap, "%sthe module has no such export", label);
            return PMM_ERR_NOT_FOUND;
        }
        if (!e->forwarder) {
            *address = ctx->map->modules[module].base + e->rva;
            return PMM_OK;
        }
        /* "MODULE.Name" or "MODULE.#12"; the module part may itself contain dots. */
        const char *dot = strrchr(e->forwarder, '.');
        if (!dot || dot == e->forwarder || !dot[1]) {
            snprintf(why, why_cap, "%smalformed forwarder \"%s\"", label, e->forwarder);
            return PMM_ERR_NOT_FOUND;
        }
        snprintf(forward_name, sizeof forward_name, "%s", dot + 1);
        dll = e->forwarder;
        dll_len = (size_t)(dot - e->forwarder);
        if (forward_name[0] == '#') {
            name = NULL;
            ordinal = (uint32_t)strtoul(forward_name + 1, NULL, 10);
        } else {
            name = forward_name;
        }
    }
    snprintf(why, why_cap, "forwarder chain longer than %d links", MAX_FORWARDS);
    return PMM_ERR_NOT_FOUND;
}
