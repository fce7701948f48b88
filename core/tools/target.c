#include "target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../adapters/kdump_kernel_source.h"
#include "../adapters/minidump_source.h"
#include "../adapters/target_kind.h"
#include "../util/text.h"

static pmm_process_opener process_opener;

void pmm_target_set_process_opener(pmm_process_opener opener)
{
    process_opener = opener;
}

static char *copy_text(const char *text)
{
    if (!text)
        return NULL;
    size_t n = strlen(text) + 1;
    char *copy = malloc(n);
    if (copy)
        memcpy(copy, text, n);
    return copy;
}

static pmm_status target_for_file(const char *path, pmm_target *out, char *message, size_t cap)
{
    pmm_target_kind kind;
    switch (pmm_file_kind_of(path)) {
    case PMM_FILE_UNREADABLE:
        snprintf(message, cap, "'%s' is neither a process id nor a readable file", path);
        return PMM_ERR_NOT_FOUND;
    case PMM_FILE_MINIDUMP: kind = PMM_TARGET_MINIDUMP; break;
    case PMM_FILE_KERNEL_DUMP: kind = PMM_TARGET_KERNEL_DUMP; break;
    case PMM_FILE_SAVED_MAP: kind = PMM_TARGET_SAVED_MAP; break;
    case PMM_FILE_SAVED_MAP_TRUNCATED:
        snprintf(message, cap, "'%s' is too short to be a saved map (truncated?)", path);
        return PMM_ERR_FORMAT;
    default:
        snprintf(message, cap, "'%s' is not a minidump or saved map this build can read", path);
        return PMM_ERR_FORMAT;
    }
    out->kind = kind;
    out->path = copy_text(path);
    return out->path ? PMM_OK : PMM_ERR_NOMEM;
}

/* Digits only (or 0x and hex digits): meant as a process id. */
static int looks_like_number(const char *spec)
{
    size_t skip = spec[0] == '0' && (spec[1] == 'x' || spec[1] == 'X') ? 2 : 0;
    return spec[skip] && strspn(spec + skip, skip ? "0123456789abcdefABCDEF" : "0123456789") == strlen(spec + skip);
}

pmm_status pmm_target_parse(const char *spec, pmm_target *out, char *message, size_t message_cap)
{
    uint64_t pid;
    memset(out, 0, sizeof *out);
    if (message_cap)
        message[0] = '\0';
    if (pmm_parse_u64(spec, &pid) != 0) {
        if (looks_like_number(spec) && pmm_file_kind_of(spec) == PMM_FILE_UNREADABLE) {
            snprintf(message, message_cap, "'%s' is not a process id: write it in decimal without leading zeros "
                     "(or as 0x...), up to 4294967295", spec);
            return PMM_ERR_ARG;
        }
        return target_for_file(spec, out, message, message_cap);
    }
    if (pid > 0xFFFFFFFFull) {
        snprintf(message, message_cap, "%s is not a valid process id", spec);
        return PMM_ERR_ARG;
    }
    pmm_target_for_process(out, (uint32_t)pid);
    return PMM_OK;
}

void pmm_target_for_process(pmm_target *out, uint32_t pid)
{
    memset(out, 0, sizeof *out);
    out->kind = PMM_TARGET_PROCESS;
    out->pid = pid;
}

pmm_status pmm_target_copy(pmm_target *dst, const pmm_target *src)
{
    pmm_target copy = *src;
    copy.path = copy_text(src->path);
    copy.selector = copy_text(src->selector);
    if ((src->path && !copy.path) || (src->selector && !copy.selector)) {
        pmm_target_free(&copy);
        return PMM_ERR_NOMEM;
    }
    pmm_target_free(dst);
    *dst = copy;
    return PMM_OK;
}

pmm_status pmm_target_choose(pmm_target *t, const char *selector)
{
    char *copy = copy_text(selector);
    if (!copy)
        return PMM_ERR_NOMEM;
    free(t->selector);
    t->selector = copy;
    return PMM_OK;
}

void pmm_target_free(pmm_target *t)
{
    free(t->path);
    free(t->selector);
    memset(t, 0, sizeof *t);
}

int pmm_target_has_bytes(const pmm_target *t)
{
    return t->kind == PMM_TARGET_PROCESS || t->kind == PMM_TARGET_MINIDUMP ||
           (t->kind == PMM_TARGET_KERNEL_DUMP && t->selector);
}

const char *pmm_target_describe(const pmm_target *t, char *buf, size_t cap)
{
    switch (t->kind) {
    case PMM_TARGET_PROCESS: snprintf(buf, cap, "process %u", (unsigned)t->pid); break;
    case PMM_TARGET_MINIDUMP: snprintf(buf, cap, "minidump %s", t->path); break;
    case PMM_TARGET_SAVED_MAP: snprintf(buf, cap, "saved map %s", t->path); break;
    case PMM_TARGET_KERNEL_DUMP:
        if (t->selector)
            snprintf(buf, cap, "kernel dump %s, %s %s", t->path, strcmp(t->selector, "kernel") ? "process" : "the",
                     t->selector);
        else
            snprintf(buf, cap, "kernel dump %s", t->path);
        break;
    default: snprintf(buf, cap, "no target"); break;
    }
    return buf;
}

pmm_status pmm_target_open(const pmm_target *t, pmm_source *out, char *message, size_t message_cap)
{
    memset(out, 0, sizeof *out);
    if (message_cap)
        message[0] = '\0';
    switch (t->kind) {
    case PMM_TARGET_PROCESS:
        if (!process_opener) {
            snprintf(message, message_cap, "live processes can be read only on Windows");
            return PMM_ERR_UNSUPPORTED;
        }
        return process_opener(t->pid, out, message, message_cap);
    case PMM_TARGET_MINIDUMP:
        return pmm_minidump_open(t->path, out, message, message_cap);
    case PMM_TARGET_SAVED_MAP:
        snprintf(message, message_cap, "'%s' is a saved map: it holds no memory contents", t->path);
        return PMM_ERR_UNSUPPORTED;
    case PMM_TARGET_KERNEL_DUMP:
        if (t->selector)
            return pmm_kdump_source_open(t->path, t->selector, out, message, message_cap);
        snprintf(message, message_cap, "'%s' is a Windows kernel crash dump: it holds the whole machine, so a "
                 "process inside it (or the kernel) must be chosen", t->path);
        return PMM_ERR_UNSUPPORTED;
    default:
        snprintf(message, message_cap, "no target");
        return PMM_ERR_ARG;
    }
}

/* A map made from a target that answered some queries before it failed is no map at all. */
static pmm_status scan_failed(const pmm_target *t, pmm_status st, char *message, size_t cap)
{
    char what[1100];
    pmm_target_describe(t, what, sizeof what);
    if (st == PMM_ERR_GONE)
        snprintf(message, cap, "%s exited during the scan; no map was produced", what);
    else if (st == PMM_ERR_CANCELLED)
        snprintf(message, cap, "the scan of %s was cancelled", what);
    else
        snprintf(message, cap, "%s: scan failed: %s", what, pmm_status_text(st));
    return st;
}

pmm_status pmm_target_load_map(const pmm_target *t, const pmm_scan_options *options, pmm_map **map,
                               pmm_page_sums *sums, pmm_source *kept, char *message, size_t message_cap)
{
    *map = NULL;
    if (kept)
        memset(kept, 0, sizeof *kept);
    if (sums)
        memset(sums, 0, sizeof *sums);
    if (t->kind == PMM_TARGET_SAVED_MAP)
        return pmm_saved_map_load(t->path, map, sums, message, message_cap);
    pmm_source src;
    pmm_status st = pmm_target_open(t, &src, message, message_cap);
    if (st != PMM_OK) {
        if (message_cap && !message[0])
            snprintf(message, message_cap, "%s", pmm_status_text(st));
        return st;
    }
    st = pmm_scan_source(&src, options, map);
    if (st != PMM_OK)
        scan_failed(t, st, message, message_cap);
    if (st == PMM_OK && kept)
        *kept = src;
    else
        pmm_source_close(&src);
    return st;
}
