#include "symbol_path.h"

#include <stdio.h>
#include <string.h>
#include "../util/names.h"

#define MAX_ELEMENT 1024u

static pmm_symbol_download_fn downloader;

void pmm_symbol_path_set_downloader(pmm_symbol_download_fn fn)
{
    downloader = fn;
}

void pmm_symbol_store_key(const uint8_t g[16], uint32_t age, char *out, size_t cap)
{
    /* Data1..Data3 are little-endian numbers; the last 8 bytes are printed in order. */
    snprintf(out, cap, "%02X%02X%02X%02X%02X%02X%02X%02X%02X%02X%02X%02X%02X%02X%02X%02X%X",
             g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6], g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15],
             age);
}

/* The separator the folder already uses, so a candidate reads naturally on its platform. */
static char separator_of(const char *dir)
{
    return strchr(dir, '\\') ? '\\' : '/';
}

static size_t trimmed_length(const char *dir)
{
    size_t n = strlen(dir);
    while (n > 1 && (dir[n - 1] == '\\' || dir[n - 1] == '/'))
        n--;
    return n;
}

typedef struct walker {
    const pmm_pdb_wanted *want;
    const char *name;            /* the PDB's file name */
    char key[48];
    int (*fn)(void *ctx, const char *candidate);
    void *ctx;
    char *why;                   /* why a download failed; NULL: not wanted */
    size_t why_cap;
} walker;

static int try_folder(const walker *w, const char *dir)
{
    char path[MAX_ELEMENT * 2];
    snprintf(path, sizeof path, "%.*s%c%s", (int)trimmed_length(dir), dir, separator_of(dir), w->name);
    return w->fn(w->ctx, path);
}

/* name.pdb\GUIDAGE\name.pdb, and the two-tier layout that puts the first two letters in front. */
static int try_store(const walker *w, const char *dir)
{
    char path[MAX_ELEMENT * 2];
    char sep = separator_of(dir);
    int len = (int)trimmed_length(dir);
    snprintf(path, sizeof path, "%.*s%c%s%c%s%c%s", len, dir, sep, w->name, sep, w->key, sep, w->name);
    int found = w->fn(w->ctx, path);
    if (!found && strlen(w->name) > 2) {
        snprintf(path, sizeof path, "%.*s%c%.2s%c%s%c%s%c%s", len, dir, sep, w->name, sep, w->name, sep, w->key,
                 sep, w->name);
        found = w->fn(w->ctx, path);
    }
    return found;
}

static int is_server(const char *part)
{
    return strncmp(part, "http://", 7) == 0 || strncmp(part, "https://", 8) == 0;
}

/* A prefix such as "srv*" (the element is at least as long: it contains a '*'). */
static int starts_with(const char *element, const char *prefix)
{
    size_t n = strlen(prefix);
    return strlen(element) >= n && pmm_names_equal_n(element, prefix, n);
}

/* The PDB fetched from server into the store `cache` (as name.pdb/GUIDAGE/name.pdb in both). */
static int try_download(const walker *w, const char *cache, const char *server)
{
    char relative[MAX_ELEMENT], destination[MAX_ELEMENT * 2];
    char sep = separator_of(cache);
    snprintf(relative, sizeof relative, "%s/%s/%s", w->name, w->key, w->name);
    snprintf(destination, sizeof destination, "%.*s%c%s%c%s%c%s", (int)trimmed_length(cache), cache, sep, w->name,
             sep, w->key, sep, w->name);
    char why[300] = "";
    if (downloader(server, relative, destination, why, sizeof why))
        return w->fn(w->ctx, destination);
    if (w->why)
        snprintf(w->why, w->why_cap, "%s", why);
    return 0;
}

/* "srv*A*B*https://..." / "symsrv*symsrv.dll*A*https://..." / "cache*A": every local part is a
 * store; then the server, when there is one and a downloader, into the first store. */
static int walk_stores(const walker *w, char *element)
{
    char *parts = strchr(element, '*') + 1;
    if (starts_with(element, "symsrv*")) {
        parts = strchr(parts, '*');   /* skip the DLL name */
        if (!parts)
            return 0;
        parts++;
    }
    int found = 0;
    const char *cache = NULL, *server = NULL;
    for (char *part = parts; part && !found;) {
        char *star = strchr(part, '*');
        if (star)
            *star = '\0';
        if (*part && is_server(part)) {
            server = server ? server : part;
        } else if (*part) {
            cache = cache ? cache : part;
            found = try_store(w, part);
        }
        part = star ? star + 1 : NULL;
    }
    if (!found && downloader && cache && server)
        found = try_download(w, cache, server);
    return found;
}

static int walk_element(const walker *w, char *element)
{
    if (!*element)
        return 0;
    if (strchr(element, '*')) {
        if (starts_with(element, "srv*") || starts_with(element, "cache*") || starts_with(element, "symsrv*"))
            return walk_stores(w, element);
        return 0;
    }
    int found = try_folder(w, element);
    return found ? found : try_store(w, element);
}

int pmm_symbol_path_walk(const char *symbol_path, const pmm_pdb_wanted *want,
                         int (*fn)(void *ctx, const char *candidate), void *ctx, char *why, size_t why_cap)
{
    walker w = {want, pmm_path_base_name(want->cv_path), "", fn, ctx, why && why_cap ? why : NULL, why_cap};
    if (w.why)
        w.why[0] = '\0';
    if (!*w.name)
        return 0;
    pmm_symbol_store_key(want->guid, want->age, w.key, sizeof w.key);
    int found = fn(ctx, want->cv_path);
    if (!found && want->image_path && pmm_path_base_name(want->image_path) != want->image_path) {
        char dir[MAX_ELEMENT];
        size_t len = (size_t)(pmm_path_base_name(want->image_path) - want->image_path);
        snprintf(dir, sizeof dir, "%.*s", (int)len, want->image_path);
        found = try_folder(&w, dir);
    }
    for (const char *p = symbol_path; p && *p && !found;) {
        const char *semi = strchr(p, ';');
        size_t len = semi ? (size_t)(semi - p) : strlen(p);
        char element[MAX_ELEMENT];
        if (len < sizeof element) {
            memcpy(element, p, len);
            element[len] = '\0';
            found = walk_element(&w, element);
        }
        p = semi ? semi + 1 : NULL;
    }
    return found;
}
