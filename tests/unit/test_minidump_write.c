/* The minidump writer: a dump of a fake process written to memory and read back with our own
 * reader, stream by stream and byte by byte; unreadable pages zero-filled and listed; a sink that
 * fails (a full disk) gives PMM_ERR_IO and no output that looks complete; a vanished target gives
 * PMM_ERR_GONE; the file sink only gives the dump its name once it is complete. */
#include "check.h"
#include "core/util/endian.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include "core/formats/minidump.h"
#include "core/formats/minidump_memory.h"
#include "core/formats/minidump_misc.h"
#include "core/formats/minidump_modules.h"
#include "core/formats/minidump_threads.h"
#include "core/formats/minidump_write.h"
#include "core/adapters/minidump_source.h"
#include "core/tools/region_dump.h"
#include "fake_source.h"

#define IMAGE 0x140000000ull
#define DATA 0x200000ull
#define UNREADABLE_PAGE (DATA + 0x1000)   /* committed RW, yet every read of it fails */
#define GUARD 0x280000ull
#define STACK 0x300000ull
#define STACK_SIZE 0x10000ull
#define SP (STACK + 0xF000)
#define RESERVED 0x400000ull
#define TID 0x1234u
#define TEB 0x7ffde000ull

static const uint8_t pdb_guid[16] = {0xB9, 0xDB, 0x44, 0x38, 0x17, 0x20, 0x67, 0x49,
                                     0xBE, 0x27, 0x4D, 0x3E, 0x1C, 0xBD, 0xE5, 0xB2};

/* ---- a fake process whose reads fail on one page and whose "alive" can be switched off ------- */

typedef struct test_process {
    fake_source fake;
    pmm_source fake_src;
    int gone;
} test_process;

static size_t tp_read(void *impl, uint64_t addr, void *buf, size_t len)
{
    test_process *tp = impl;
    if (tp->gone)
        return 0;
    return pmm_source_read(&tp->fake_src, addr, buf, len);
}

static pmm_status tp_query(void *impl, uint64_t addr, pmm_region_info *out)
{
    test_process *tp = impl;
    return pmm_source_query(&tp->fake_src, addr, out);
}

static pmm_status tp_alive(void *impl)
{
    return ((test_process *)impl)->gone ? PMM_ERR_GONE : PMM_OK;
}

static const pmm_source_ops tp_ops = {.query = tp_query, .read = tp_read, .alive = tp_alive};

/* A PE32+ image with one section holding a debug directory and an RSDS CodeView record. */
static void build_image(fake_source *f)
{
    uint8_t *img = fake_add(f, IMAGE, 0x2000, IMAGE, PMM_MEM_COMMIT, PMM_MEM_IMAGE, PMM_PAGE_READONLY,
                            PMM_PAGE_EXECUTE_WRITECOPY);
    img[0] = 'M';
    img[1] = 'Z';
    pmm_put32(img + 0x3C, 0x80);
    memcpy(img + 0x80, "PE\0\0", 4);
    uint8_t *coff = img + 0x84;
    coff[0] = 0x64, coff[1] = 0x86, coff[2] = 1;
    pmm_put32(coff + 4, 0x5EED1234);
    coff[16] = 0xF0, coff[18] = 0x22, coff[19] = 0x20;
    uint8_t *opt = img + 0x98;
    opt[0] = 0x0B, opt[1] = 0x02;
    pmm_put32(opt + 24, (uint32_t)IMAGE);
    pmm_put32(opt + 28, (uint32_t)(IMAGE >> 32));
    pmm_put32(opt + 32, 0x1000);
    pmm_put32(opt + 36, 0x200);
    pmm_put32(opt + 56, 0x2000);
    pmm_put32(opt + 60, 0x400);
    pmm_put32(opt + 64, 0xC0FFEE);
    opt[68] = 3;
    pmm_put32(opt + 108, 16);
    pmm_put32(opt + 112 + 6 * 8, 0x1000);   /* debug directory */
    pmm_put32(opt + 112 + 6 * 8 + 4, 28);
    uint8_t *sec = img + 0x98 + 0xF0;
    memcpy(sec, ".rdata", 6);
    pmm_put32(sec + 8, 0x1000);
    pmm_put32(sec + 12, 0x1000);
    pmm_put32(sec + 16, 0x200);
    pmm_put32(sec + 20, 0x400);
    pmm_put32(sec + 36, 0x40000040);
    uint8_t *dbg = img + 0x1000;
    pmm_put32(dbg + 12, 2);                 /* IMAGE_DEBUG_TYPE_CODEVIEW */
    pmm_put32(dbg + 16, 24 + 9);
    pmm_put32(dbg + 20, 0x1100);
    pmm_put32(dbg + 24, 0x500);
    uint8_t *cv = img + 0x1100;
    memcpy(cv, "RSDS", 4);
    memcpy(cv + 4, pdb_guid, 16);
    pmm_put32(cv + 20, 7);
    memcpy(cv + 24, "fake.pdb", 9);
}

static void build_process(test_process *tp, uint32_t pointer_size)
{
    memset(tp, 0, sizeof *tp);
    fake_source *f = &tp->fake;
    if (pointer_size == 8)
        build_image(f);
    uint8_t *data = fake_add(f, DATA, 0x3000, DATA, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE,
                             PMM_PAGE_READWRITE);
    for (size_t i = 0; i < 0x3000; i++)
        data[i] = (uint8_t)(i * 7 + 3);
    fake_add(f, GUARD, 0x1000, GUARD, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE | PMM_PAGE_GUARD,
             PMM_PAGE_READWRITE);
    uint8_t *stack = fake_add(f, STACK, STACK_SIZE, STACK, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE,
                              PMM_PAGE_READWRITE);
    for (size_t i = 0; i < STACK_SIZE; i++)
        stack[i] = (uint8_t)(i ^ 0x5A);
    fake_add(f, RESERVED, 0x10000, RESERVED, PMM_MEM_RESERVE, PMM_MEM_PRIVATE, 0, PMM_PAGE_READWRITE);
    f->unreadable_page = UNREADABLE_PAGE;
    fake_source_open(f, &tp->fake_src, pointer_size);
}

static void open_process(test_process *tp, pmm_source *src, uint32_t pointer_size)
{
    memset(src, 0, sizeof *src);
    src->ops = &tp_ops;
    src->impl = tp;
    src->target = tp->fake_src.target;
    src->target.pid = 4242;
    src->target.pointer_size = pointer_size;
}

/* The map a scan would give: the fake's regions, one module, one thread. */
static pmm_map *build_map(test_process *tp, uint32_t pointer_size)
{
    pmm_map *map = pmm_map_new();
    uint64_t addr = 0;
    for (int i = 0; i < 64; i++) {
        pmm_region_info info;
        if (pmm_source_query(&tp->fake_src, addr, &info) != PMM_OK)
            break;
        pmm_map_add_region(map, &info);
        addr = info.base + info.size;
        if (addr >= 0x200000000ull)
            break;
    }
    if (pointer_size == 8) {
        pmm_module m = {.base = IMAGE, .size = 0x2000, .flags = PMM_MODULE_IN_OS_LIST, .pointer_size = 8};
        pmm_map_add_module(map, &m, "C:\\app\\fake.exe");
    }
    pmm_thread t = {.tid = TID, .flags = PMM_THREAD_TEB_READ, .teb = TEB, .stack_base = STACK + STACK_SIZE,
                    .stack_limit = STACK + 0x8000, .stack_reserve_base = STACK};
    t.context.arch = pointer_size == 8 ? PMM_ARCH_X64 : PMM_ARCH_X86;
    t.context.ip = pointer_size == 8 ? IMAGE + 0x1010 : 0x401010;
    for (int i = 0; i < 16; i++)
        t.context.gpr[i] = pointer_size == 8 ? 0x1111111100000000ull * (uint64_t)(i % 3) + (uint64_t)i : (uint64_t)i * 0x101;
    t.context.gpr[PMM_REG_SP] = SP;
    t.context.gpr[PMM_REG_FP] = SP + 0x40;
    pmm_map_add_thread(map, &t);
    pmm_map_finish(map);
    return map;
}

/* The fake process of pointer_size, a source over it and its map: what most cases write. */
static pmm_map *open_target(test_process *tp, pmm_source *src, uint32_t pointer_size)
{
    build_process(tp, pointer_size);
    open_process(tp, src, pointer_size);
    return build_map(tp, pointer_size);
}

static void close_target(test_process *tp, pmm_map *map)
{
    pmm_map_free(map);
    fake_free(&tp->fake);
}

static const pmm_md_system_facts facts = {.processor_level = 6, .processor_revision = 0x9E0A, .processor_count = 8,
                                          .product_type = 1, .major_version = 10, .build_number = 19045,
                                          .platform_id = 2, .cpu_vendor = {0x756E6547, 0x49656E69, 0x6C65746E}};
static const pmm_md_process_facts times = {.times_known = 1, .create_time = 1700000000, .user_seconds = 3,
                                           .kernel_seconds = 1};

/* ---- checks ---------------------------------------------------------------------------------- */

static void check_threads(pmm_minidump *md, uint32_t cpu, const pmm_map *map)
{
    pmm_md_thread *threads = NULL;
    size_t count = 0;
    char msg[256];
    CHECK(pmm_md_read_threads(md, cpu, &threads, &count, msg, sizeof msg) == PMM_OK);
    CHECK_EQ_U64(count, 1);
    if (count != 1) {
        free(threads);
        return;
    }
    const pmm_thread *want = &map->threads[0];
    CHECK_EQ_U64(threads[0].tid, TID);
    CHECK_EQ_U64(threads[0].teb, TEB);
    CHECK(threads[0].has_context);
    CHECK_EQ_U64(threads[0].context.regs.arch, want->context.arch);
    CHECK_EQ_U64(threads[0].context.regs.ip, want->context.ip);
    int gprs = want->context.arch == PMM_ARCH_X64 ? 16 : 8;
    for (int i = 0; i < gprs; i++)
        CHECK_EQ_U64(threads[0].context.regs.gpr[i], want->context.gpr[i]);
    CHECK_EQ_U64(threads[0].stack_start, SP);
    CHECK_EQ_U64(threads[0].stack_size, STACK + STACK_SIZE - SP);
    free(threads);
}

static void check_modules(pmm_minidump *md)
{
    pmm_md_module *mods = NULL;
    size_t count = 0;
    char msg[256];
    CHECK(pmm_md_read_modules(md, &mods, &count, msg, sizeof msg) == PMM_OK);
    CHECK_EQ_U64(count, 1);
    if (count == 1) {
        CHECK_EQ_U64(mods[0].base, IMAGE);
        CHECK_EQ_U64(mods[0].size, 0x2000);
        CHECK_EQ_U64(mods[0].checksum, 0xC0FFEE);
        CHECK_EQ_U64(mods[0].time_date_stamp, 0x5EED1234);
        CHECK_STR(mods[0].name, "C:\\app\\fake.exe");
        CHECK_EQ_U64(mods[0].cv_signature, PMM_MD_CV_RSDS);
        CHECK(memcmp(mods[0].pdb_guid, pdb_guid, 16) == 0);
        CHECK_EQ_U64(mods[0].pdb_age, 7);
        CHECK_STR(mods[0].pdb_name, "fake.pdb");
    }
    free(mods);
    pmm_md_unloaded_module *unloaded = NULL;
    CHECK(pmm_md_read_unloaded_modules(md, &unloaded, &count, msg, sizeof msg) == PMM_OK);
    CHECK_EQ_U64(count, 0);
    free(unloaded);
}

static void check_memory_info(pmm_minidump *md, const pmm_map *map)
{
    pmm_region_info *regions = NULL;
    size_t count = 0;
    char msg[256];
    CHECK(pmm_md_read_memory_info_list(md, &regions, &count, msg, sizeof msg) == PMM_OK);
    CHECK_EQ_U64(count, map->region_count);
    for (size_t i = 0; i < count && i < map->region_count; i++) {
        CHECK_EQ_U64(regions[i].base, map->regions[i].base);
        CHECK_EQ_U64(regions[i].size, map->regions[i].size);
        CHECK_EQ_U64(regions[i].alloc_base, map->regions[i].alloc_base);
        CHECK_EQ_U64(regions[i].protect, map->regions[i].protect);
        CHECK_EQ_U64(regions[i].alloc_protect, map->regions[i].alloc_protect);
        CHECK_EQ_U64(regions[i].state, map->regions[i].state);
        CHECK_EQ_U64(regions[i].type, map->regions[i].type);
    }
    free(regions);
}

/* Every saved byte reads back through the minidump source as the target has it; the unreadable
 * page reads as zeros and the comment stream lists it. */
static void check_bytes(const uint8_t *dump, size_t size, test_process *tp, uint64_t address, uint64_t len)
{
    pmm_source md_src;
    char msg[256];
    CHECK(pmm_minidump_open_memory(dump, size, "written.dmp", &md_src, msg, sizeof msg) == PMM_OK);
    uint8_t *want = calloc(1, (size_t)len), *got = calloc(1, (size_t)len);
    fake_backing_read(&tp->fake, address, want, (size_t)len);
    if (address <= UNREADABLE_PAGE && UNREADABLE_PAGE < address + len)
        memset(want + (UNREADABLE_PAGE - address), 0, PMM_PAGE_SIZE);
    CHECK_EQ_U64(pmm_source_read(&md_src, address, got, (size_t)len), len);
    CHECK(memcmp(want, got, (size_t)len) == 0);
    free(want);
    free(got);
    pmm_source_close(&md_src);
}

static const char *comment_text(pmm_minidump *md, char *buf, size_t cap)
{
    const pmm_md_stream *s = pmm_md_find_stream(md, PMM_MD_STREAM_COMMENT_A);
    buf[0] = '\0';
    if (s && s->size < cap && pmm_md_read_at(md, s->rva, buf, s->size) == PMM_OK)
        buf[s->size] = '\0';
    return buf;
}

static void write_dump(test_process *tp, pmm_source *src, const pmm_map *map, const pmm_md_write_options *o,
                       pmm_sink *sink, pmm_status expect, pmm_md_write_result *res)
{
    pmm_sink_open_memory(sink, 0);
    pmm_status st = pmm_md_write(src, map, o, sink, res);
    CHECK_EQ_U64(st, expect);
    (void)tp;
}

TEST_CASE(full_dump_of_64_bit_process_reads_back)
{
    test_process tp;
    pmm_source src;
    pmm_map *map = open_target(&tp, &src, 8);
    pmm_md_write_options o = {.memory_mode = PMM_MD_MEMORY_FULL, .time_date_stamp = 1700000123, .system = &facts,
                              .process = &times};
    pmm_sink sink;
    pmm_md_write_result res;
    write_dump(&tp, &src, map, &o, &sink, PMM_OK, &res);
    CHECK_EQ_U64(pmm_sink_commit(&sink), PMM_OK);
    size_t size;
    const uint8_t *bytes = pmm_sink_memory_bytes(&sink, &size);
    CHECK_EQ_U64(res.file_size, size);
    CHECK_EQ_U64(res.unreadable.count, 1);
    CHECK_EQ_U64(res.unreadable.items[0].address, UNREADABLE_PAGE);
    CHECK_EQ_U64(res.unreadable.items[0].size, PMM_PAGE_SIZE);
    CHECK_EQ_U64(res.memory_range_count, 3);   /* image, data, stack: not the guard page */

    pmm_minidump *md = NULL;
    char msg[256];
    CHECK(pmm_md_open_memory(bytes, size, &md, msg, sizeof msg) == PMM_OK);
    if (md) {
        const pmm_md_header *h = pmm_md_header_of(md);
        CHECK_EQ_U64(h->stream_count, 9);
        CHECK_EQ_U64(h->time_date_stamp, 1700000123);
        CHECK_EQ_U64(h->flags, PMM_MD_TYPE_WITH_FULL_MEMORY | PMM_MD_TYPE_WITH_FULL_MEMORY_INFO |
                                   PMM_MD_TYPE_WITH_THREAD_INFO);
        CHECK(pmm_md_find_stream(md, PMM_MD_STREAM_HANDLE_DATA) == NULL);   /* no handles given */
        pmm_md_system_info si;
        CHECK(pmm_md_read_system_info(md, &si, msg, sizeof msg) == PMM_OK);
        CHECK_EQ_U64(si.processor_architecture, PMM_MD_CPU_AMD64);
        CHECK_EQ_U64(si.processor_count, 8);
        CHECK_EQ_U64(si.build_number, 19045);
        CHECK_EQ_U64(si.platform_id, PMM_MD_PLATFORM_WIN32_NT);
        CHECK_STR(si.cpu_vendor, "GenuineIntel");
        pmm_md_misc_info mi;
        CHECK(pmm_md_read_misc_info(md, &mi, msg, sizeof msg) == PMM_OK);
        CHECK_EQ_U64(mi.process_id, 4242);
        CHECK_EQ_U64(mi.flags1, PMM_MD_MISC_PROCESS_ID | PMM_MD_MISC_PROCESS_TIMES);
        CHECK_EQ_U64(mi.process_create_time, 1700000000);
        CHECK_EQ_U64(mi.process_user_time, 3);
        check_threads(md, PMM_MD_CPU_AMD64, map);
        check_modules(md);
        check_memory_info(md, map);
        pmm_md_memory_range *ranges = NULL;
        size_t count = 0;
        CHECK(pmm_md_read_memory64_list(md, &ranges, &count, msg, sizeof msg) == PMM_OK);
        CHECK_EQ_U64(count, 3);
        for (size_t i = 0; i < count; i++)
            CHECK_EQ_U64(ranges[i].available, ranges[i].size);
        free(ranges);
        char text[4096];
        CHECK(strstr(comment_text(md, text, sizeof text), "0x201000 0x1000\n") != NULL);
        pmm_md_close(md);
    }
    check_bytes(bytes, size, &tp, IMAGE, 0x2000);
    check_bytes(bytes, size, &tp, DATA, 0x3000);
    check_bytes(bytes, size, &tp, STACK, STACK_SIZE);
    pmm_md_write_result_free(&res);
    pmm_sink_close(&sink);
    close_target(&tp, map);
}

/* HandleData and ThreadInfoList from the caller's OS facts, read back by our reader. */
TEST_CASE(handles_and_thread_infos_read_back)
{
    test_process tp;
    pmm_source src;
    pmm_map *map = open_target(&tp, &src, 8);
    map->threads[0].start_address = IMAGE + 0x1000;
    pmm_md_write_options o = {.memory_mode = PMM_MD_MEMORY_NONE};
    pmm_md_thread_fact tf = {.tid = TID, .times_known = 1, .create_time = 133000000000000000ull, .kernel_time = 50,
                             .user_time = 70, .exit_status = 0x103, .affinity = 0xF};
    pmm_md_handle_fact hf[3] = {
        {.handle = 0x4, .granted_access = 0x1F0003, .handle_count = 1, .pointer_count = 2, .type_name = "Event"},
        {.handle = 0x8, .granted_access = 0xF001F, .handle_count = 2, .pointer_count = 3, .type_name = "Section",
         .object_name = "\\Sessions\\1\\BaseNamedObjects\\sec\xc3\xa9"},
        {.handle = 0xC, .attributes = 2}};
    pmm_md_write_extras x = {&tf, 1, 1, hf, 3};
    o.extras = &x;
    pmm_sink sink;
    pmm_sink_open_memory(&sink, 0);
    pmm_md_write_result res;
    CHECK_EQ_U64(pmm_md_write(&src, map, &o, &sink, &res), PMM_OK);
    CHECK_EQ_U64(res.handle_count, 3);
    size_t size;
    const uint8_t *bytes = pmm_sink_memory_bytes(&sink, &size);
    pmm_minidump *md = NULL;
    char msg[256];
    CHECK(pmm_md_open_memory(bytes, size, &md, msg, sizeof msg) == PMM_OK);
    if (md) {
        const pmm_md_header *h = pmm_md_header_of(md);
        CHECK_EQ_U64(h->stream_count, 8);
        CHECK(h->flags & PMM_MD_TYPE_WITH_HANDLE_DATA);
        pmm_md_handle *handles = NULL;
        size_t n = 0;
        CHECK(pmm_md_read_handles(md, &handles, &n, msg, sizeof msg) == PMM_OK);
        CHECK_EQ_U64(n, 3);
        if (n == 3) {
            CHECK_EQ_U64(handles[0].handle, 4);
            CHECK_STR(handles[0].type_name, "Event");
            CHECK_STR(handles[0].object_name, "");
            CHECK_EQ_U64(handles[0].granted_access, 0x1F0003);
            CHECK_EQ_U64(handles[0].pointer_count, 2);
            CHECK_STR(handles[1].type_name, "Section");
            CHECK_STR(handles[1].object_name, "\\Sessions\\1\\BaseNamedObjects\\sec\xc3\xa9");
            CHECK_EQ_U64(handles[1].handle_count, 2);
            CHECK_STR(handles[2].type_name, "");
            CHECK_EQ_U64(handles[2].attributes, 2);
            for (size_t i = 0; i < n; i++)
                CHECK_EQ_U64(handles[i].bad_names, 0);
        }
        free(handles);
        pmm_md_thread *threads = NULL;
        CHECK(pmm_md_read_threads(md, PMM_MD_CPU_AMD64, &threads, &n, msg, sizeof msg) == PMM_OK);
        CHECK(pmm_md_attach_thread_infos(md, threads, n, msg, sizeof msg) == PMM_OK);
        if (n == 1) {
            CHECK(threads[0].has_info);
            CHECK_EQ_U64(threads[0].start_address, IMAGE + 0x1000);
            CHECK_EQ_U64(threads[0].create_time, 133000000000000000ull);
            CHECK_EQ_U64(threads[0].kernel_time, 50);
            CHECK_EQ_U64(threads[0].user_time, 70);
            CHECK_EQ_U64(threads[0].exit_status, 0x103);
            CHECK_EQ_U64(threads[0].affinity, 0xF);
            CHECK_EQ_U64(threads[0].dump_flags, 0);
        }
        free(threads);
        pmm_md_close(md);
    }
    pmm_md_write_result_free(&res);
    pmm_sink_close(&sink);
    close_target(&tp, map);
}

/* ---- the two-thread copy of large ranges ------------------------------------------------------ */

#define BIG_BASE 0x10000000ull
#define BIG_SIZE (20ull << 20)
#define BIG_HOLE (BIG_BASE + (9ull << 20) + 0x3000)   /* one page that never reads, mid-chunk */

static uint8_t pattern_byte(uint64_t addr)
{
    return (uint8_t)(addr * 2654435761u >> 13);
}

static size_t big_read(void *impl, uint64_t addr, void *buf, size_t len)
{
    (void)impl;
    if (addr < BIG_BASE || addr >= BIG_BASE + BIG_SIZE)
        return 0;
    if (len > BIG_BASE + BIG_SIZE - addr)
        len = (size_t)(BIG_BASE + BIG_SIZE - addr);
    if (addr < BIG_HOLE + PMM_PAGE_SIZE && addr + len > BIG_HOLE)
        len = addr >= BIG_HOLE ? 0 : (size_t)(BIG_HOLE - addr);
    for (size_t i = 0; i < len; i++)
        ((uint8_t *)buf)[i] = pattern_byte(addr + i);
    return len;
}

static pmm_status big_alive(void *impl)
{
    (void)impl;
    return PMM_OK;
}

static int count_progress(void *ctx, uint64_t done, uint64_t total)
{
    (void)total;
    *(uint64_t *)ctx = done;
    return 0;
}

TEST_CASE(large_range_copies_on_two_threads)
{
    static const pmm_source_ops ops = {.read = big_read, .alive = big_alive};
    pmm_source src = {&ops, NULL, {0}};
    pmm_dump_copier copier;
    CHECK_EQ_U64(pmm_dump_copier_init(&copier, &src, 0), PMM_OK);
    uint64_t progress = 0;
    copier.progress = count_progress;
    copier.progress_ctx = &progress;
    copier.total = BIG_SIZE;
    pmm_sink sink;
    pmm_sink_open_memory(&sink, 0);
    pmm_sink_write(&sink, "hdr", 3);   /* the copy appends after what is there */
    CHECK_EQ_U64(pmm_dump_copy(&copier, BIG_BASE + 0x800, BIG_SIZE - 0x800, &sink), PMM_OK);
    size_t size;
    const uint8_t *bytes = pmm_sink_memory_bytes(&sink, &size);
    CHECK_EQ_U64(size, 3 + BIG_SIZE - 0x800);
    size_t wrong = 0;
    for (uint64_t a = BIG_BASE + 0x800; a < BIG_BASE + BIG_SIZE; a++) {
        uint8_t want = a >= BIG_HOLE && a < BIG_HOLE + PMM_PAGE_SIZE ? 0 : pattern_byte(a);
        wrong += bytes[3 + (a - BIG_BASE - 0x800)] != want;
    }
    CHECK_EQ_U64(wrong, 0);
    CHECK_EQ_U64(copier.unreadable.count, 1);
    if (copier.unreadable.count == 1) {
        CHECK_EQ_U64(copier.unreadable.items[0].address, BIG_HOLE);
        CHECK_EQ_U64(copier.unreadable.items[0].size, PMM_PAGE_SIZE);
    }
    CHECK_EQ_U64(progress, BIG_SIZE - 0x800);
    /* A sink that fills up mid-copy stops both threads with the sink's error. */
    pmm_sink small;
    pmm_sink_open_memory(&small, 5u << 20);
    CHECK_EQ_U64(pmm_dump_copy(&copier, BIG_BASE, BIG_SIZE, &small), PMM_ERR_IO);
    pmm_sink_close(&small);
    pmm_sink_close(&sink);
    pmm_dump_copier_free(&copier);
}

/* --read pages: regions are the runs of pages that read, the rest is listed, nothing is queried. */
TEST_CASE(page_probe_finds_runs_of_readable_pages)
{
    static const pmm_source_ops ops = {.read = big_read, .alive = big_alive};   /* no query op at all */
    pmm_source src = {&ops, NULL, {0}};
    pmm_dump_ranges spans = {0}, regions, unreadable;
    pmm_dump_ranges_add(&spans, BIG_BASE - 0x2000, BIG_SIZE + 0x3000);
    pmm_dump_ranges_add(&spans, 0x7ff00000, 0x1000);
    char msg[256];
    CHECK_EQ_U64(pmm_dump_probe_pages(&src, &spans, &regions, &unreadable, NULL, NULL, msg, sizeof msg), PMM_OK);
    CHECK_EQ_U64(regions.count, 2);
    if (regions.count == 2) {
        CHECK_EQ_U64(regions.items[0].address, BIG_BASE);
        CHECK_EQ_U64(regions.items[0].size, BIG_HOLE - BIG_BASE);
        CHECK_EQ_U64(regions.items[1].address, BIG_HOLE + PMM_PAGE_SIZE);
        CHECK_EQ_U64(regions.items[1].size, BIG_BASE + BIG_SIZE - BIG_HOLE - PMM_PAGE_SIZE);
    }
    CHECK_EQ_U64(unreadable.count, 4);
    if (unreadable.count == 4) {
        CHECK_EQ_U64(unreadable.items[0].address, BIG_BASE - 0x2000);
        CHECK_EQ_U64(unreadable.items[0].size, 0x2000);
        CHECK_EQ_U64(unreadable.items[1].address, BIG_HOLE);
        CHECK_EQ_U64(unreadable.items[2].address, BIG_BASE + BIG_SIZE);
        CHECK_EQ_U64(unreadable.items[2].size, 0x1000);
        CHECK_EQ_U64(unreadable.items[3].address, 0x7ff00000);
    }
    pmm_dump_ranges_free(&regions);
    pmm_dump_ranges_free(&unreadable);
    pmm_dump_ranges_free(&spans);
    pmm_dump_ranges_add(&spans, BIG_BASE + 1, 0x1000);   /* not page-aligned */
    CHECK_EQ_U64(pmm_dump_probe_pages(&src, &spans, &regions, &unreadable, NULL, NULL, msg, sizeof msg), PMM_ERR_ARG);
    pmm_dump_ranges_free(&spans);
    pmm_dump_ranges_add(&spans, 0, (PMM_PROBE_MAX_PAGES + 1) * PMM_PAGE_SIZE);
    CHECK_EQ_U64(pmm_dump_probe_pages(&src, &spans, &regions, &unreadable, NULL, NULL, msg, sizeof msg), PMM_ERR_LIMIT);
    pmm_dump_ranges_free(&spans);
}

TEST_CASE(selected_dump_of_32_bit_process_reads_back)
{
    test_process tp;
    pmm_source src;
    pmm_map *map = open_target(&tp, &src, 4);
    pmm_dump_range pick = {DATA + 0x2000, 0x1000};
    pmm_md_write_options o = {.memory_mode = PMM_MD_MEMORY_SELECTED, .selected = &pick, .selected_count = 1};
    pmm_sink sink;
    pmm_md_write_result res;
    write_dump(&tp, &src, map, &o, &sink, PMM_OK, &res);
    size_t size;
    const uint8_t *bytes = pmm_sink_memory_bytes(&sink, &size);
    pmm_minidump *md = NULL;
    char msg[256];
    CHECK(pmm_md_open_memory(bytes, size, &md, msg, sizeof msg) == PMM_OK);
    if (md) {
        pmm_md_system_info si;
        CHECK(pmm_md_read_system_info(md, &si, msg, sizeof msg) == PMM_OK);
        CHECK_EQ_U64(si.processor_architecture, PMM_MD_CPU_X86);
        check_threads(md, PMM_MD_CPU_X86, map);
        pmm_md_memory_range *ranges = NULL;
        size_t count = 0;
        CHECK(pmm_md_read_memory_list(md, &ranges, &count, msg, sizeof msg) == PMM_OK);
        CHECK_EQ_U64(count, 2);   /* the selected range and the thread's stack */
        if (count == 2) {
            CHECK_EQ_U64(ranges[0].address, DATA + 0x2000);
            CHECK_EQ_U64(ranges[1].address, SP);
        }
        free(ranges);
        CHECK(pmm_md_find_stream(md, PMM_MD_STREAM_MEMORY64_LIST) == NULL);
        char text[4096];
        CHECK(strstr(comment_text(md, text, sizeof text), "0 ranges, 0 bytes") != NULL);
        pmm_md_close(md);
    }
    check_bytes(bytes, size, &tp, DATA + 0x2000, 0x1000);
    check_bytes(bytes, size, &tp, SP, STACK + STACK_SIZE - SP);
    pmm_md_write_result_free(&res);
    pmm_sink_close(&sink);
    close_target(&tp, map);
}

/* A disk that fills up at any point: the writer stops with PMM_ERR_IO and what was written has no
 * minidump signature (the header is written last). */
TEST_CASE(full_disk_gives_io_error_and_no_signature)
{
    test_process tp;
    pmm_source src;
    pmm_map *map = open_target(&tp, &src, 8);
    pmm_md_write_options o = {.memory_mode = PMM_MD_MEMORY_FULL};
    pmm_sink sink;
    pmm_md_write_result res;
    write_dump(&tp, &src, map, &o, &sink, PMM_OK, &res);
    uint64_t full = sink.size;
    pmm_md_write_result_free(&res);
    pmm_sink_close(&sink);
    static const uint64_t limits[] = {1, 100, 5000, 70000, 100000};
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
        uint64_t limit = limits[i] < full ? limits[i] : full - 1;
        pmm_sink_open_memory(&sink, limit);
        CHECK_EQ_U64(pmm_md_write(&src, map, &o, &sink, &res), PMM_ERR_IO);
        size_t size;
        const uint8_t *bytes = pmm_sink_memory_bytes(&sink, &size);
        CHECK(size <= limit);
        CHECK(!bytes || size < 4 || memcmp(bytes, "MDMP", 4) != 0);
        pmm_md_write_result_free(&res);
        pmm_sink_close(&sink);
    }
    close_target(&tp, map);
}

TEST_CASE(target_gone_gives_gone)
{
    test_process tp;
    pmm_source src;
    pmm_map *map = open_target(&tp, &src, 8);
    tp.gone = 1;
    pmm_md_write_options o = {.memory_mode = PMM_MD_MEMORY_FULL};
    pmm_sink sink;
    pmm_md_write_result res;
    write_dump(&tp, &src, map, &o, &sink, PMM_ERR_GONE, &res);
    pmm_md_write_result_free(&res);
    pmm_sink_close(&sink);
    close_target(&tp, map);
}

/* Files named path.<anything> (temporaries) in path's folder. */
static size_t files_beside(const char *path)
{
    const char *slash = strrchr(path, '/');
    char folder[256], prefix[256];
    snprintf(folder, sizeof folder, "%.*s", (int)(slash - path), path);
    snprintf(prefix, sizeof prefix, "%s.", slash + 1);
    DIR *d = opendir(folder);
    size_t n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    if (d)
        closedir(d);
    return n;
}

static int file_exists(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

/* The file sink: complete dumps get their name, failed ones leave neither name nor ".partial". */
TEST_CASE(file_sink_renames_only_complete_output)
{
    test_process tp;
    pmm_source src;
    pmm_map *map = open_target(&tp, &src, 8);
    char path[256];
    snprintf(path, sizeof path, "/tmp/pmm_test_md_write_%d.dmp", (int)getpid());
    pmm_md_write_options o = {.memory_mode = PMM_MD_MEMORY_FULL};
    pmm_sink sink;
    pmm_md_write_result res;
    CHECK(pmm_sink_open_file(&sink, path, NULL, 0) == PMM_OK);
    CHECK_EQ_U64(pmm_md_write(&src, map, &o, &sink, &res), PMM_OK);
    CHECK(!file_exists(path));
    CHECK_EQ_U64(pmm_sink_commit(&sink), PMM_OK);
    pmm_sink_close(&sink);
    pmm_md_write_result_free(&res);
    CHECK(file_exists(path));
    CHECK_EQ_U64(files_beside(path), 0);
    pmm_source md_src;
    char msg[256];
    CHECK(pmm_minidump_open(path, &md_src, msg, sizeof msg) == PMM_OK);
    pmm_source_close(&md_src);
    remove(path);

    /* A file-size limit (as a full disk): the write fails, nothing is left behind. */
    struct rlimit old, small = {20000, 20000};
    getrlimit(RLIMIT_FSIZE, &old);
    small.rlim_max = old.rlim_max;
    signal(SIGXFSZ, SIG_IGN);
    CHECK(setrlimit(RLIMIT_FSIZE, &small) == 0);
    CHECK(pmm_sink_open_file(&sink, path, NULL, 0) == PMM_OK);
    pmm_status st = pmm_md_write(&src, map, &o, &sink, &res);
    if (st == PMM_OK)
        st = pmm_sink_commit(&sink);
    CHECK_EQ_U64(st, PMM_ERR_IO);
    /* The message names the file and says what the OS said. */
    const char *why = pmm_sink_error_text(&sink);
    CHECK(strstr(why, path) && strstr(why, strerror(EFBIG)));
    pmm_sink_close(&sink);
    pmm_md_write_result_free(&res);
    setrlimit(RLIMIT_FSIZE, &old);
    CHECK(!file_exists(path));
    CHECK_EQ_U64(files_beside(path), 0);
    close_target(&tp, map);
}

/* Holes: a skipped range reads as zeros and a trailing hole still gives the file its size. */
TEST_CASE(sink_holes_and_patches)
{
    char path[256];
    snprintf(path, sizeof path, "/tmp/pmm_test_sink_%d.bin", (int)getpid());
    pmm_sink sink;
    CHECK(pmm_sink_open_file(&sink, path, NULL, 0) == PMM_OK);
    pmm_sink_write(&sink, "abcd", 4);
    pmm_sink_skip(&sink, 100000);
    pmm_sink_write(&sink, "efgh", 4);
    pmm_sink_patch(&sink, 1, "X", 1);
    pmm_sink_skip(&sink, 5000);
    CHECK_EQ_U64(pmm_sink_commit(&sink), PMM_OK);
    pmm_sink_close(&sink);
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    if (f) {
        static uint8_t buf[200000];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        CHECK_EQ_U64(n, 4 + 100000 + 4 + 5000);
        CHECK(memcmp(buf, "aXcd", 4) == 0);
        CHECK(memcmp(buf + 100004, "efgh", 4) == 0);
        CHECK(buf[5000] == 0 && buf[n - 1] == 0);
    }
    remove(path);
}

CHECK_MAIN(CASE(full_dump_of_64_bit_process_reads_back), CASE(handles_and_thread_infos_read_back),
           CASE(large_range_copies_on_two_threads), CASE(page_probe_finds_runs_of_readable_pages),
           CASE(selected_dump_of_32_bit_process_reads_back),
           CASE(full_disk_gives_io_error_and_no_signature), CASE(target_gone_gives_gone),
           CASE(file_sink_renames_only_complete_output), CASE(sink_holes_and_patches))
