/* Helpers shared by the saved-map and diff unit tests: a map scanned from a fake process with
 * every kind of record added, and an output sink into memory. */
#ifndef PMM_SAVED_MAP_TESTLIB_H
#define PMM_SAVED_MAP_TESTLIB_H

#include <stdlib.h>
#include <string.h>
#include "fake_source.h"
#include "core/analyzers/scan.h"
#include "core/model/map.h"
#include "core/formats/saved_map_pages.h"
#include "core/util/endian.h"
#include "core/util/json_writer.h"

typedef struct mem_text {
    char *data;
    size_t used, cap;
} mem_text;

static size_t mem_text_write(void *ctx, const char *data, size_t len)
{
    mem_text *m = ctx;
    if (m->used + len + 1 > m->cap) {
        size_t cap = (m->used + len + 1) * 2;
        char *grown = realloc(m->data, cap);
        if (!grown)
            return 0;
        m->data = grown;
        m->cap = cap;
    }
    memcpy(m->data + m->used, data, len);
    m->used += len;
    m->data[m->used] = '\0';
    return len;
}

static inline pmm_out mem_text_out(mem_text *m)
{
    pmm_out out = {mem_text_write, m, 0};
    return out;
}

/* Rewrites a saved map's header size and trailing checksum so a deliberate edit gets past them. */
static inline void testlib_reseal(uint8_t *data, size_t size)
{
    if (size < 32)
        return;
    pmm_put64(data + 16, size);
    pmm_put64(data + size - 8, pmm_checksum64(data, size - 8));
}

/* A small process: private, reserved, image, mapped and guard memory, some of it unreadable. */
static inline void testlib_build_fake(fake_source *f)
{
    memset(f, 0, sizeof *f);
    uint8_t *p = fake_add(f, 0x10000, 0x3000, 0x10000, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE,
                          PMM_PAGE_READWRITE);
    memset(p, 0x11, 0x3000);
    fake_add(f, 0x13000, 0xD000, 0x10000, PMM_MEM_RESERVE, PMM_MEM_PRIVATE, 0, PMM_PAGE_READWRITE);
    fake_add(f, 0x20000, 0x1000, 0x20000, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE | PMM_PAGE_GUARD,
             PMM_PAGE_READWRITE);
    fake_add(f, 0x21000, 0x1000, 0x20000, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_NOACCESS, PMM_PAGE_READWRITE);
    p = fake_add(f, 0x40000, 0x2000, 0x40000, PMM_MEM_COMMIT, PMM_MEM_MAPPED, PMM_PAGE_READONLY, PMM_PAGE_READONLY);
    memset(p, 0x22, 0x2000);
    strcpy(f->regions[f->region_count - 1].mapped_name, "C:\\data\\\xc3\xa9t\xc3\xa9.bin");
    fake_add(f, 0x140000000ull, 0x1000, 0x140000000ull, PMM_MEM_COMMIT, PMM_MEM_IMAGE, PMM_PAGE_READONLY,
             PMM_PAGE_EXECUTE_WRITECOPY);
    fake_write(f, 0x140000000ull, "MZ", 2);
}

/* Scans the fake and adds one of everything the scan of a fake cannot find by itself. */
static inline pmm_map *testlib_scan_fake(fake_source *f)
{
    pmm_source src;
    fake_source_open(f, &src, 8);
    pmm_map *map = NULL;
    if (pmm_scan_source(&src, NULL, &map) != PMM_OK)
        return NULL;
    pmm_module m = {.base = 0x140000000ull, .size = 0x1000, .entry = 0x140000100ull,
                    .flags = PMM_MODULE_IN_OS_LIST, .pointer_size = 8};
    pmm_map_add_module(map, &m, "C:\\app\\fake.exe");
    pmm_thread t = {.tid = 77, .flags = PMM_THREAD_TEB_READ, .teb = 0x7ff0000, .stack_base = 0x200000,
                    .stack_limit = 0x1fe000, .stack_reserve_base = 0x100000, .frame_first = 0, .frame_count = 2,
                    .walk_end = PMM_WALK_COMPLETE, .frame_bits = 64};
    t.context.arch = PMM_ARCH_X64;
    t.context.ip = 0x140000123ull;
    for (int i = 0; i < 16; i++)
        t.context.gpr[i] = 0x1000u * (unsigned)i + 7;
    pmm_map_add_thread(map, &t);
    uint32_t sym;
    pmm_strings_intern(&map->strings, "fake.exe+0x123", &sym);
    pmm_frame fr = {.address = 0x140000123ull, .stack_pointer = 0x1ff000, .symbol = sym, .method = PMM_FRAME_CONTEXT};
    pmm_map_add_frame(map, &fr);
    fr.address = 0x140000456ull;
    fr.symbol = 0;
    fr.method = PMM_FRAME_UNWIND;
    pmm_map_add_frame(map, &fr);
    pmm_heap *h;
    pmm_map_add_heap(map, 0x10000, PMM_HEAP_DEFAULT, &h);
    pmm_map_add_annotation(map, 0x10000, 0x100, PMM_ANN_HEAP, 64, 1, "Heap 1");
    pmm_map_warn(map, "a warning with a number %d", 42);
    pmm_map_set_details(map, 0, "Heap (ID 1)");
    map->scan_microseconds = 1234567;
    map->target.peb = 0x7fe0000;
    strcpy(map->target.path, "C:\\app\\fake.exe");
    if (pmm_map_finish(map) != PMM_OK) {
        pmm_map_free(map);
        return NULL;
    }
    return map;
}

#endif
