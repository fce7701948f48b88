/* The minidump container: opening, header and directory validation, bounds-checked reads. */
#include "minidump.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "minidump_internal.h"
#include "../util/input_file.h"
#include "../util/thread.h"
#include "../util/utf.h"

#define HEADER_SIZE 32u
#define DIRECTORY_ENTRY_SIZE 12u
/* A file that could not be mapped (a 32-bit process and a dump of some GiB): small reads (list
 * entries, names, target integers) come from one cached block of it, so an analyzer reading a
 * structure field by field does not cost a read call per field. */
#define CACHE_SIZE 0x10000u

struct pmm_minidump {
    pmm_input_file *file;     /* mapped where it can be, or bytes in memory */
    uint64_t size;
    uint8_t *cache;           /* unmapped files only */
    uint64_t cache_offset;
    size_t cache_len;
    pmm_monitor *cache_lock;  /* the cache serves one read at a time (the window's hex view reads while
                               * a search job does); mapped bytes need no lock */
    pmm_md_header header;
    pmm_md_stream *streams;
    size_t stream_count;
};

static pmm_status read_file_direct(pmm_minidump *md, uint64_t offset, void *buf, size_t len)
{
    return pmm_input_file_read(md->file, offset, buf, len) == PMM_OK ? PMM_OK : PMM_ERR_IO;
}

static pmm_status fill_cache(pmm_minidump *md, uint64_t offset)
{
    uint64_t start = offset & ~(uint64_t)(CACHE_SIZE - 1);
    uint64_t left = md->size - start;
    size_t len = left < CACHE_SIZE ? (size_t)left : CACHE_SIZE;
    md->cache_len = 0;
    pmm_status st = read_file_direct(md, start, md->cache, len);
    if (st == PMM_OK) {
        md->cache_offset = start;
        md->cache_len = len;
    }
    return st;
}

static int in_cache(const pmm_minidump *md, uint64_t offset, size_t len)
{
    return md->cache_len > 0 && offset >= md->cache_offset &&
           offset - md->cache_offset + len <= md->cache_len;
}

/* A small read through the cache; the caller holds cache_lock. */
static pmm_status read_file_cached(pmm_minidump *md, uint64_t offset, void *buf, size_t len)
{
    if (!in_cache(md, offset, len)) {
        pmm_status st = fill_cache(md, offset);
        if (st != PMM_OK)
            return st;
        if (!in_cache(md, offset, len))  /* straddles a block boundary */
            return read_file_direct(md, offset, buf, len);
    }
    memcpy(buf, md->cache + (offset - md->cache_offset), len);
    return PMM_OK;
}

const uint8_t *pmm_md_bytes_at(const pmm_minidump *md, uint64_t offset, size_t len)
{
    return pmm_input_file_bytes(md->file, offset, len);
}

pmm_status pmm_md_read_at(pmm_minidump *md, uint64_t offset, void *buf, size_t len)
{
    if (len == 0)
        return PMM_OK;
    if (offset > md->size || len > md->size - offset)
        return PMM_ERR_FORMAT;
    const uint8_t *in_place = pmm_input_file_bytes(md->file, offset, len);
    if (in_place) {
        memcpy(buf, in_place, len);
        return PMM_OK;
    }
    if (!md->cache || len > CACHE_SIZE / 2)
        return read_file_direct(md, offset, buf, len);
    pmm_monitor_lock(md->cache_lock);
    pmm_status st = read_file_cached(md, offset, buf, len);
    pmm_monitor_unlock(md->cache_lock);
    return st;
}

pmm_status pmm_md_read_string(pmm_minidump *md, uint64_t rva, char *out, size_t cap)
{
    if (cap == 0)
        return PMM_ERR_ARG;
    out[0] = '\0';
    uint8_t len_bytes[4];
    pmm_status st = pmm_md_read_at(md, rva, len_bytes, sizeof len_bytes);
    if (st != PMM_OK)
        return st;
    uint32_t length = pmm_le32(len_bytes);
    if (length > md->size - (rva + 4))
        return PMM_ERR_FORMAT;
    /* Longer names than we keep are truncated; only the bytes we convert are read. */
    uint32_t want = length < PMM_MD_MAX_STRING_BYTES ? length : PMM_MD_MAX_STRING_BYTES;
    if ((uint64_t)want > (uint64_t)cap * 2)
        want = (uint32_t)(cap * 2);
    want &= ~1u;
    uint8_t *units = malloc(want ? want : 1);
    if (!units)
        return PMM_ERR_NOMEM;
    st = pmm_md_read_at(md, rva + 4, units, want);
    if (st == PMM_OK)
        pmm_utf16le_to_utf8(units, want / 2, out, cap);
    free(units);
    return st;
}

pmm_status md_load_location(pmm_minidump *md, uint32_t size, uint64_t rva, size_t max_size, uint8_t **out,
                            size_t *loaded)
{
    *out = NULL;
    *loaded = 0;
    if (rva > md->size || size > md->size - rva)
        return PMM_ERR_FORMAT;
    size_t len = size < max_size ? size : max_size;
    uint8_t *buf = malloc(len ? len : 1);
    if (!buf)
        return PMM_ERR_NOMEM;
    pmm_status st = pmm_md_read_at(md, rva, buf, len);
    if (st != PMM_OK) {
        free(buf);
        return st;
    }
    *out = buf;
    *loaded = len;
    return PMM_OK;
}

pmm_status md_load_stream(pmm_minidump *md, uint32_t type, size_t min_size, uint8_t **out, size_t *size,
                          char *message, size_t cap)
{
    *out = NULL;
    *size = 0;
    const pmm_md_stream *s = pmm_md_find_stream(md, type);
    const char *name = pmm_md_stream_name(type);
    if (!name)
        name = "unknown";
    if (!s)
        return pmm_fail(message, cap, PMM_ERR_NOT_FOUND, "the dump has no %s stream", name);
    if (!s->in_file)
        return pmm_fail(message, cap, PMM_ERR_FORMAT,
                        "%s stream (rva %u, size %u) extends past the end of the file (%llu bytes)", name,
                        s->rva, s->size, (unsigned long long)md->size);
    if (s->size < min_size)
        return pmm_fail(message, cap, PMM_ERR_FORMAT, "%s stream is %u bytes, shorter than its %zu-byte header",
                        name, s->size, min_size);
    if (s->size > PMM_MD_MAX_STREAM_LOAD)
        return pmm_fail(message, cap, PMM_ERR_LIMIT, "%s stream is %u bytes, more than this reader loads", name,
                        s->size);
    size_t loaded;
    pmm_status st = md_load_location(md, s->size, s->rva, s->size, out, &loaded);
    if (st != PMM_OK)
        return pmm_fail(message, cap, st, "%s stream could not be read: %s", name, pmm_status_text(st));
    *size = loaded;
    return PMM_OK;
}

pmm_status md_list_layout(const char *what, size_t stream_size, uint32_t count, size_t entry_size,
                          size_t *first_entry, char *message, size_t cap)
{
    if (count > PMM_MD_MAX_ENTRIES)
        return pmm_fail(message, cap, PMM_ERR_LIMIT, "%s claims %u entries, more than this reader accepts", what,
                        count);
    uint64_t body = (uint64_t)count * entry_size;
    /* Writers that align the entries after the 4-byte count leave 4 bytes of padding. */
    if (stream_size >= 8 && body == stream_size - 8) {
        *first_entry = 8;
        return PMM_OK;
    }
    if (stream_size >= 4 && body <= stream_size - 4) {
        *first_entry = 4;
        return PMM_OK;
    }
    return pmm_fail(message, cap, PMM_ERR_FORMAT, "%s claims %u entries of %zu bytes, but the stream is only %zu bytes",
                    what, count, entry_size, stream_size);
}

pmm_status md_table_layout(const char *what, size_t stream_size, uint32_t header_size, uint32_t entry_size,
                           uint64_t count, size_t min_header, size_t min_entry, char *message, size_t cap)
{
    if (header_size < min_header || header_size > stream_size)
        return pmm_fail(message, cap, PMM_ERR_FORMAT, "%s header size %u is invalid (stream is %zu bytes)", what,
                        header_size, stream_size);
    if (entry_size < min_entry)
        return pmm_fail(message, cap, PMM_ERR_FORMAT, "%s entry size %u is smaller than the %zu bytes of an entry",
                        what, entry_size, min_entry);
    if (count > PMM_MD_MAX_ENTRIES)
        return pmm_fail(message, cap, PMM_ERR_LIMIT, "%s claims %llu entries, more than this reader accepts", what,
                        (unsigned long long)count);
    if (count * entry_size > stream_size - header_size)
        return pmm_fail(message, cap, PMM_ERR_FORMAT,
                        "%s claims %llu entries of %u bytes, but the stream holds only %zu bytes after its header",
                        what, (unsigned long long)count, entry_size, stream_size - header_size);
    return PMM_OK;
}

pmm_status md_parse_entries(pmm_minidump *md, const uint8_t *entries, uint64_t n, size_t stride, size_t item_size,
                            md_entry_parser parse, void *ctx, const char *noun, void **items, size_t *count,
                            char *message, size_t cap)
{
    *items = NULL;
    *count = 0;
    if (n == 0)
        return PMM_OK;
    char *all = calloc((size_t)n, item_size);
    if (!all)
        return pmm_fail(message, cap, PMM_ERR_NOMEM, "out of memory for %llu %s", (unsigned long long)n, noun);
    for (uint64_t i = 0; i < n; i++)
        parse(md, entries + (size_t)i * stride, all + (size_t)i * item_size, ctx);
    *items = all;
    *count = (size_t)n;
    return PMM_OK;
}

static pmm_status parse_header(pmm_minidump *md, char *message, size_t cap)
{
    uint8_t h[HEADER_SIZE];
    if (md->size < HEADER_SIZE)
        return pmm_fail(message, cap, PMM_ERR_FORMAT, "file is %llu bytes, too short for a minidump header",
                        (unsigned long long)md->size);
    pmm_status st = pmm_md_read_at(md, 0, h, sizeof h);
    if (st != PMM_OK)
        return pmm_fail(message, cap, st, "cannot read the minidump header: %s", pmm_status_text(st));
    pmm_md_header *hd = &md->header;
    hd->signature = pmm_le32(h);
    hd->version = pmm_le32(h + 4);
    hd->stream_count = pmm_le32(h + 8);
    hd->directory_rva = pmm_le32(h + 12);
    hd->checksum = pmm_le32(h + 16);
    hd->time_date_stamp = pmm_le32(h + 20);
    hd->flags = pmm_le64(h + 24);
    if (hd->signature != PMM_MD_SIGNATURE)
        return pmm_fail(message, cap, PMM_ERR_FORMAT, "not a minidump: signature 0x%08x is not \"MDMP\"",
                        hd->signature);
    if ((hd->version & 0xFFFF) != PMM_MD_VERSION)
        return pmm_fail(message, cap, PMM_ERR_FORMAT, "unknown minidump version 0x%08x (expected 0x....a793)",
                        hd->version);
    return PMM_OK;
}

static pmm_status check_directory_bounds(const pmm_minidump *md, char *message, size_t cap)
{
    const pmm_md_header *hd = &md->header;
    if (hd->stream_count > PMM_MD_MAX_STREAMS)
        return pmm_fail(message, cap, PMM_ERR_FORMAT, "stream count %u is implausible (limit %u)", hd->stream_count,
                        PMM_MD_MAX_STREAMS);
    if (hd->stream_count == 0)
        return PMM_OK;
    if (hd->directory_rva < HEADER_SIZE)
        return pmm_fail(message, cap, PMM_ERR_FORMAT, "stream directory at rva %u overlaps the %u-byte header",
                        hd->directory_rva, HEADER_SIZE);
    uint64_t end = (uint64_t)hd->directory_rva + (uint64_t)hd->stream_count * DIRECTORY_ENTRY_SIZE;
    if (end > md->size)
        return pmm_fail(message, cap, PMM_ERR_FORMAT,
                        "stream directory (%u entries at rva %u) extends past the end of the file (%llu bytes)",
                        hd->stream_count, hd->directory_rva, (unsigned long long)md->size);
    return PMM_OK;
}

static pmm_status parse_directory(pmm_minidump *md, char *message, size_t cap)
{
    pmm_status st = check_directory_bounds(md, message, cap);
    if (st != PMM_OK || md->header.stream_count == 0)
        return st;
    size_t count = md->header.stream_count;
    md->streams = calloc(count, sizeof *md->streams);
    if (!md->streams)
        return pmm_fail(message, cap, PMM_ERR_NOMEM, "out of memory reading the stream directory");
    for (size_t i = 0; i < count; i++) {
        uint8_t e[DIRECTORY_ENTRY_SIZE];
        st = pmm_md_read_at(md, (uint64_t)md->header.directory_rva + (uint64_t)i * DIRECTORY_ENTRY_SIZE, e, sizeof e);
        if (st != PMM_OK)
            return pmm_fail(message, cap, st, "cannot read stream directory entry %zu: %s", i, pmm_status_text(st));
        pmm_md_stream *s = &md->streams[i];
        s->type = pmm_le32(e);
        s->size = pmm_le32(e + 4);
        s->rva = pmm_le32(e + 8);
        s->in_file = (uint64_t)s->rva + s->size <= md->size;
    }
    md->stream_count = count;
    return PMM_OK;
}

static pmm_status finish_open(pmm_minidump *md, pmm_minidump **out, char *message, size_t cap)
{
    pmm_status st = parse_header(md, message, cap);
    if (st == PMM_OK)
        st = parse_directory(md, message, cap);
    if (st != PMM_OK) {
        pmm_md_close(md);
        return st;
    }
    *out = md;
    return PMM_OK;
}

/* Takes file (closed on failure). */
static pmm_status open_on(pmm_input_file *file, pmm_minidump **out, char *message, size_t cap)
{
    pmm_minidump *md = calloc(1, sizeof *md);
    if (!md) {
        pmm_input_file_close(file);
        return pmm_fail(message, cap, PMM_ERR_NOMEM, "out of memory");
    }
    md->file = file;
    md->size = pmm_input_file_size(file);
    if (!pmm_input_file_bytes(file, 0, 0) &&
        (!(md->cache = malloc(CACHE_SIZE)) || !(md->cache_lock = pmm_monitor_new()))) {
        pmm_md_close(md);
        return pmm_fail(message, cap, PMM_ERR_NOMEM, "out of memory");
    }
    return finish_open(md, out, message, cap);
}

pmm_status pmm_md_open_file(const char *path, pmm_minidump **out, char *message, size_t cap)
{
    *out = NULL;
    pmm_input_file *file;
    pmm_status st = pmm_input_file_open(path, 0, &file);
    if (st != PMM_OK)
        return pmm_fail(message, cap, st == PMM_ERR_NOT_FOUND ? PMM_ERR_NOT_FOUND : st, "cannot open %s%s", path,
                        st == PMM_ERR_IO ? " (its size cannot be determined)" : "");
    return open_on(file, out, message, cap);
}

pmm_status pmm_md_open_memory(const void *data, size_t size, pmm_minidump **out, char *message, size_t cap)
{
    *out = NULL;
    if (!data && size)
        return pmm_fail(message, cap, PMM_ERR_ARG, "no data");
    static const uint8_t empty[1];
    pmm_input_file *file;
    if (pmm_input_file_open_memory(data ? data : empty, size, &file) != PMM_OK)
        return pmm_fail(message, cap, PMM_ERR_NOMEM, "out of memory");
    return open_on(file, out, message, cap);
}

void pmm_md_close(pmm_minidump *md)
{
    if (!md)
        return;
    pmm_input_file_close(md->file);
    free(md->cache);
    pmm_monitor_free(md->cache_lock);
    free(md->streams);
    free(md);
}

const pmm_md_header *pmm_md_header_of(const pmm_minidump *md)
{
    return &md->header;
}

uint64_t pmm_md_file_size(const pmm_minidump *md)
{
    return md->size;
}

size_t pmm_md_stream_count(const pmm_minidump *md)
{
    return md->stream_count;
}

const pmm_md_stream *pmm_md_stream_at(const pmm_minidump *md, size_t index)
{
    return index < md->stream_count ? &md->streams[index] : NULL;
}

const pmm_md_stream *pmm_md_find_stream(const pmm_minidump *md, uint32_t type)
{
    if (type == PMM_MD_STREAM_UNUSED)
        return NULL;
    for (size_t i = 0; i < md->stream_count; i++)
        if (md->streams[i].type == type)
            return &md->streams[i];
    return NULL;
}

const char *pmm_md_stream_name(uint32_t type)
{
    static const char *const windows_names[] = {
        "Unused", "Reserved0", "Reserved1", "ThreadList", "ModuleList", "MemoryList", "Exception",
        "SystemInfo", "ThreadExList", "Memory64List", "CommentA", "CommentW", "HandleData", "FunctionTable",
        "UnloadedModuleList", "MiscInfo", "MemoryInfoList", "ThreadInfoList", "HandleOperationList", "Token",
        "JavaScriptData", "SystemMemoryInfo", "ProcessVmCounters", "IptTrace", "ThreadNames"};
    /* Breakpad and Crashpad writers add their own streams; naming them makes a listing readable. */
    static const char *const breakpad_names[] = {
        NULL, "BreakpadInfo", "BreakpadAssertionInfo", "LinuxCpuInfo", "LinuxProcStatus", "LinuxLsbRelease",
        "LinuxCmdLine", "LinuxEnviron", "LinuxAuxv", "LinuxMaps", "LinuxDsoDebug"};
    if (type < sizeof windows_names / sizeof windows_names[0])
        return windows_names[type];
    if (type >= 0x47670000u && type - 0x47670000u < sizeof breakpad_names / sizeof breakpad_names[0])
        return breakpad_names[type - 0x47670000u];
    if (type == 0x43500001u)
        return "CrashpadInfo";
    return NULL;
}
