/* The minidump reader and source: real Windows dumps from the fixtures (values checked against
 * winedump and an independent reading of the raw bytes), broken and non-Windows dumps, and
 * synthetic dumps for the streams the fixtures lack. */
#include "check.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include "core/formats/minidump.h"
#include "core/formats/minidump_memory.h"
#include "core/formats/minidump_misc.h"
#include "core/formats/minidump_modules.h"
#include "core/formats/minidump_threads.h"
#include "core/adapters/minidump_layout.h"
#include "core/adapters/minidump_source.h"
#include "core/tools/minidump_report.h"
#include "md_builder.h"
#include "test_util.h"

/* --- fixture access --------------------------------------------------------------------------- */

static int fixture_path(const char *relative, char *out, size_t cap)
{
    char name[512];
    snprintf(name, sizeof name, "minidump/%s", relative);
    return test_fixture_path(name, out, cap);
}

#define NEED_FIXTURE(rel, path)                                                        \
    char path[1024];                                                                    \
    if (!fixture_path(rel, path, sizeof path)) {                                        \
        CHECK_SKIP("fixture minidump/%s not found (set PMM_FIXTURES)", rel);            \
    }

typedef void (*file_fn)(const char *path, const char *name);

/* Calls fn for every regular file in fixtures/minidump/<folder>; returns how many. */
static int for_each_fixture(const char *folder, file_fn fn)
{
    char dir_path[1024];
    if (!fixture_path(folder, dir_path, sizeof dir_path))
        return -1;
    DIR *dir = opendir(dir_path);
    if (!dir)
        return -1;
    int count = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[1300];
        snprintf(path, sizeof path, "%s/%s", dir_path, e->d_name);
        fn(path, e->d_name);
        count++;
    }
    closedir(dir);
    return count;
}

/* Exercises everything a scan would do with a source: the region walk, reads in and around
 * every region, threads and modules. Used on fixtures and on corrupted inputs alike. */
static void exercise_source(pmm_source *src)
{
    uint64_t addr = 0;
    uint8_t buf[64];
    for (int n = 0; n < 100000; n++) {
        pmm_region_info r;
        if (pmm_source_query(src, addr, &r) != PMM_OK)
            break;
        CHECK(r.size > 0);
        CHECK(r.base + r.size > addr);
        pmm_source_read(src, r.base, buf, sizeof buf);
        pmm_source_read(src, r.base + r.size - 8, buf, sizeof buf);
        if (r.base + r.size <= addr || r.base + r.size < r.base)
            break;
        addr = r.base + r.size;
        if (addr == 0)
            break;
    }
    pmm_thread_info *threads = NULL;
    size_t thread_count = 0;
    if (pmm_source_threads(src, &threads, &thread_count) == PMM_OK) {
        for (size_t i = 0; i < thread_count; i++)
            pmm_source_read(src, threads[i].context.gpr[PMM_REG_SP], buf, sizeof buf);
    }
    free(threads);
    pmm_module_info *modules = NULL;
    size_t module_count = 0;
    if (pmm_source_modules(src, &modules, &module_count) == PMM_OK) {
        for (size_t i = 0; i < module_count; i++) {
            char name[64];
            pmm_source_read(src, modules[i].base, buf, sizeof buf);
            pmm_source_mapped_file_name(src, modules[i].base, name, sizeof name);
        }
    }
    free(modules);
}

/* Runs every stream reader of the format layer; for broken inputs, only "no crash" matters. */
static void exercise_parser(pmm_minidump *md)
{
    char msg[256];
    pmm_md_system_info sys;
    uint32_t cpu = pmm_md_read_system_info(md, &sys, msg, sizeof msg) == PMM_OK ? sys.processor_architecture : 0;
    pmm_md_misc_info misc;
    pmm_md_read_misc_info(md, &misc, msg, sizeof msg);
    pmm_md_exception exc;
    pmm_md_read_exception(md, cpu, &exc, msg, sizeof msg);
    pmm_md_thread *threads;
    size_t n;
    if (pmm_md_read_threads(md, cpu, &threads, &n, msg, sizeof msg) == PMM_OK) {
        pmm_md_attach_thread_infos(md, threads, n, msg, sizeof msg);
        pmm_md_attach_thread_names(md, threads, n, msg, sizeof msg);
        free(threads);
    }
    pmm_md_module *modules;
    if (pmm_md_read_modules(md, &modules, &n, msg, sizeof msg) == PMM_OK)
        free(modules);
    pmm_md_unloaded_module *unloaded;
    if (pmm_md_read_unloaded_modules(md, &unloaded, &n, msg, sizeof msg) == PMM_OK)
        free(unloaded);
    pmm_md_memory_range *ranges;
    if (pmm_md_read_memory_list(md, &ranges, &n, msg, sizeof msg) == PMM_OK)
        free(ranges);
    if (pmm_md_read_memory64_list(md, &ranges, &n, msg, sizeof msg) == PMM_OK)
        free(ranges);
    pmm_region_info *regions;
    if (pmm_md_read_memory_info_list(md, &regions, &n, msg, sizeof msg) == PMM_OK)
        free(regions);
    pmm_md_handle *handles;
    if (pmm_md_read_handles(md, &handles, &n, msg, sizeof msg) == PMM_OK)
        free(handles);
}

static const pmm_md_thread *thread_by_id(const pmm_md_thread *threads, size_t n, uint32_t tid)
{
    for (size_t i = 0; i < n; i++)
        if (threads[i].tid == tid)
            return &threads[i];
    return NULL;
}

/* --- every real Windows dump ---------------------------------------------------------------- */

static void check_windows_fixture(const char *path, const char *name)
{
    char msg[512] = "";
    pmm_source src;
    pmm_status st = pmm_minidump_open(path, &src, msg, sizeof msg);
    if (st != PMM_OK) {
        fprintf(stderr, "%s: %s\n", name, msg);
        CHECK(st == PMM_OK);
        return;
    }
    CHECK_EQ_U64(src.target.source_kind, PMM_SOURCE_MINIDUMP);
    CHECK(src.target.pointer_size == 4 || src.target.pointer_size == 8);
    CHECK(src.target.pid != 0);
    CHECK(src.target.name[0] != '\0');
    CHECK(src.target.highest_address > src.target.lowest_address);
    /* None of these dumps has a MemoryInfoList. */
    CHECK(pmm_minidump_regions_synthesized(&src));

    pmm_thread_info *threads = NULL;
    size_t thread_count = 0;
    CHECK(pmm_source_threads(&src, &threads, &thread_count) == PMM_OK);
    CHECK(thread_count > 0);
    for (size_t i = 0; i < thread_count; i++) {
        CHECK(threads[i].context.arch == (src.target.pointer_size == 8 ? PMM_ARCH_X64 : PMM_ARCH_X86));
        CHECK(threads[i].context.ip != 0);
        /* Every thread's stack pointer lies in memory the dump holds. */
        uint8_t word[4];
        CHECK(pmm_source_read(&src, threads[i].context.gpr[PMM_REG_SP], word, sizeof word) == sizeof word);
    }
    free(threads);

    pmm_module_info *modules = NULL;
    size_t module_count = 0;
    CHECK(pmm_source_modules(&src, &modules, &module_count) == PMM_OK);
    CHECK(module_count > 0);
    for (size_t i = 0; i < module_count; i++) {
        CHECK(modules[i].size > 0);
        CHECK(modules[i].path[0] != '\0');
        /* Every module is an image region of the synthesized map. */
        pmm_region_info r;
        CHECK(pmm_source_query(&src, modules[i].base, &r) == PMM_OK);
        CHECK_EQ_U64(r.base, modules[i].base);
        CHECK_EQ_U64(r.type, PMM_MEM_IMAGE);
    }
    free(modules);

    /* Bytes served equal the bytes of each MemoryList range in the file. */
    size_t size = 0;
    uint8_t *raw = test_read_file(path, &size);
    pmm_minidump *md = NULL;
    CHECK(pmm_md_open_file(path, &md, msg, sizeof msg) == PMM_OK);
    pmm_md_memory_range *ranges = NULL;
    size_t range_count = 0;
    if (md && raw && pmm_md_read_memory_list(md, &ranges, &range_count, msg, sizeof msg) == PMM_OK) {
        CHECK(range_count > 0);
        for (size_t i = 0; i < range_count; i++) {
            CHECK_EQ_U64(ranges[i].available, ranges[i].size);
            uint8_t *got = malloc(ranges[i].size ? ranges[i].size : 1);
            size_t n = pmm_source_read(&src, ranges[i].address, got, ranges[i].size);
            CHECK_EQ_U64(n, ranges[i].size);
            CHECK(memcmp(got, raw + ranges[i].file_offset, n) == 0);
            free(got);
        }
    }
    free(ranges);
    if (md)
        exercise_parser(md);
    pmm_md_close(md);
    free(raw);
    exercise_source(&src);
    pmm_source_close(&src);
}

TEST_CASE(every_windows_fixture_opens)
{
    int n = for_each_fixture("windows", check_windows_fixture);
    if (n < 0)
        check_skip("fixtures/minidump/windows not found (set PMM_FIXTURES)");
    else
        CHECK(n >= 12);
}

/* --- concrete values: x86 (a 32-bit process on 64-bit Windows 7, dumped as x86) -------------- */

TEST_CASE(ascii_read_av_x86)
{
    NEED_FIXTURE("windows/ascii_read_av.dmp", path);
    char msg[512];
    pmm_source src;
    CHECK(pmm_minidump_open(path, &src, msg, sizeof msg) == PMM_OK);
    CHECK_EQ_U64(src.target.pid, 5376);
    CHECK_EQ_U64(src.target.pointer_size, 4);
    CHECK_EQ_U64(src.target.wow64, 0);   /* an x86 dump shows the 32-bit view only */
    CHECK_STR(src.target.name, "crashme.exe");
    CHECK_EQ_U64(src.target.peb, 0);   /* the dump holds no TEB bytes */

    pmm_thread_info *threads;
    size_t n;
    CHECK(pmm_source_threads(&src, &threads, &n) == PMM_OK);
    CHECK_EQ_U64(n, 2);
    CHECK_EQ_U64(threads[0].tid, 4204);
    CHECK_EQ_U64(threads[0].teb, 0x7efdd000);
    CHECK_EQ_U64(threads[0].context.ip, 0x772cf861);
    CHECK_EQ_U64(threads[0].context.gpr[PMM_REG_SP], 0x34f384);
    CHECK_EQ_U64(threads[0].context.flags, 0x1003f);
    CHECK_EQ_U64(threads[1].tid, 5152);
    CHECK_EQ_U64(threads[1].teb, 0x7efda000);
    CHECK_EQ_U64(threads[1].context.ip, 0x772d0bd2);
    free(threads);

    pmm_module_info *modules;
    CHECK(pmm_source_modules(&src, &modules, &n) == PMM_OK);
    CHECK_EQ_U64(n, 26);
    CHECK_EQ_U64(modules[0].base, 0xd60000);
    CHECK_EQ_U64(modules[0].size, 106496);
    CHECK_STR(modules[0].path, "D:\\crashme\\Debug\\crashme.exe");
    CHECK_STR(modules[1].path, "C:\\Windows\\SysWOW64\\ntdll.dll");
    free(modules);

    /* The stack range [0x34f380, 0x350000): exact bytes, and honest partial reads at its edges. */
    static const uint8_t stack_start[8] = {0x38, 0xf4, 0x34, 0x00, 0x61, 0xf8, 0x2c, 0x77};
    uint8_t buf[16];
    CHECK_EQ_U64(pmm_source_read(&src, 0x34f380, buf, 8), 8);
    CHECK(memcmp(buf, stack_start, 8) == 0);
    CHECK_EQ_U64(pmm_source_read(&src, 0x350000 - 8, buf, 16), 8);
    CHECK_EQ_U64(pmm_source_read(&src, 0x34f37f, buf, 4), 0);
    uint32_t word;
    CHECK(pmm_source_read_u32(&src, 0x34f384, &word) == PMM_OK);
    CHECK_EQ_U64(word, 0x772cf861);

    /* Synthesized regions: the stack page range as private, the exe as one image. */
    pmm_region_info r;
    CHECK(pmm_source_query(&src, 0x34f384, &r) == PMM_OK);
    CHECK_EQ_U64(r.base, 0x34f000);
    CHECK_EQ_U64(r.size, 0x1000);
    CHECK_EQ_U64(r.type, PMM_MEM_PRIVATE);
    CHECK_EQ_U64(r.state, PMM_MEM_COMMIT);
    CHECK(pmm_source_query(&src, 0xd6a64d, &r) == PMM_OK);   /* a code range inside crashme.exe */
    CHECK_EQ_U64(r.base, 0xd60000);
    CHECK_EQ_U64(r.size, 106496);
    CHECK_EQ_U64(r.type, PMM_MEM_IMAGE);
    CHECK(pmm_source_query(&src, 0x10000, &r) == PMM_OK);    /* next region above: the stack */
    CHECK_EQ_U64(r.base, 0x34f000);
    char file[64];
    CHECK(pmm_source_mapped_file_name(&src, 0xd6a64d, file, sizeof file) == PMM_OK);
    CHECK_STR(file, "D:\\crashme\\Debug\\crashme.exe");
    CHECK(pmm_minidump_warning_count(&src) >= 1);   /* says the regions are synthesized */
    pmm_source_close(&src);
}

TEST_CASE(ascii_read_av_streams)
{
    NEED_FIXTURE("windows/ascii_read_av.dmp", path);
    char msg[512];
    pmm_minidump *md;
    CHECK(pmm_md_open_file(path, &md, msg, sizeof msg) == PMM_OK);
    if (!md)
        return;
    CHECK_EQ_U64(pmm_md_header_of(md)->stream_count, 9);
    CHECK_EQ_U64(pmm_md_header_of(md)->time_date_stamp, 0x4ca3b571);
    CHECK_EQ_U64(pmm_md_stream_at(md, 6)->type, 0x47670001);   /* BreakpadInfo */
    CHECK_STR(pmm_md_stream_name(0x47670001), "BreakpadInfo");

    pmm_md_system_info sys;
    CHECK(pmm_md_read_system_info(md, &sys, msg, sizeof msg) == PMM_OK);
    CHECK_EQ_U64(sys.processor_architecture, PMM_MD_CPU_X86);
    CHECK_EQ_U64(sys.processor_count, 16);
    CHECK_EQ_U64(sys.major_version, 6);
    CHECK_EQ_U64(sys.minor_version, 1);
    CHECK_EQ_U64(sys.build_number, 7600);
    CHECK_EQ_U64(sys.platform_id, PMM_MD_PLATFORM_WIN32_NT);
    CHECK_STR(sys.cpu_vendor, "GenuineIntel");

    pmm_md_misc_info misc;
    CHECK(pmm_md_read_misc_info(md, &misc, msg, sizeof msg) == PMM_OK);
    CHECK_EQ_U64(misc.size_of_info, 232);
    CHECK_EQ_U64(misc.flags1, 0xf7);
    CHECK_EQ_U64(misc.process_id, 5376);

    pmm_md_exception exc;
    CHECK(pmm_md_read_exception(md, sys.processor_architecture, &exc, msg, sizeof msg) == PMM_OK);
    CHECK_EQ_U64(exc.thread_id, 4204);
    CHECK_EQ_U64(exc.code, 0xc0000005);
    CHECK_EQ_U64(exc.address, 0xd6a6cd);
    CHECK_EQ_U64(exc.parameter_count, 2);
    CHECK_EQ_U64(exc.parameters[0], 0);
    CHECK_EQ_U64(exc.parameters[1], 0x41414141);
    CHECK(exc.has_context);
    CHECK_EQ_U64(exc.context.regs.ip, 0xd6a6cd);
    CHECK_EQ_U64(exc.context.regs.gpr[PMM_REG_SP], 0x34f960);
    CHECK_STR(pmm_md_exception_name(exc.code), "STATUS_ACCESS_VIOLATION");

    pmm_md_module *mods;
    size_t n;
    CHECK(pmm_md_read_modules(md, &mods, &n, msg, sizeof msg) == PMM_OK);
    CHECK_EQ_U64(n, 26);
    CHECK_EQ_U64(mods[0].time_date_stamp, 0x4ca3b56e);
    CHECK_EQ_U64(mods[0].cv_signature, PMM_MD_CV_RSDS);
    CHECK_STR(mods[0].pdb_name, "D:\\crashme\\Debug\\crashme.pdb");
    CHECK_EQ_U64(mods[0].pdb_age, 20);
    CHECK(!mods[0].has_version);
    char guid[48];
    CHECK_STR(pmm_md_guid_text(mods[0].pdb_guid, guid, sizeof guid), "{1B504308-5F17-4DA3-8552-1DD4740D1730}");
    CHECK(mods[1].has_version);
    CHECK_EQ_U64(mods[1].file_version_ms, 0x60001);        /* ntdll 6.1.7600.16559 */
    CHECK_EQ_U64(mods[1].file_version_ls, 0x1db040af);
    CHECK_EQ_U64(mods[1].checksum, 0x13edc5);
    CHECK_STR(mods[1].pdb_name, "wntdll.pdb");
    CHECK_EQ_U64(mods[1].pdb_age, 2);
    free(mods);

    pmm_md_memory_range *ranges;
    CHECK(pmm_md_read_memory_list(md, &ranges, &n, msg, sizeof msg) == PMM_OK);
    CHECK_EQ_U64(n, 5);
    CHECK_EQ_U64(ranges[3].address, 0x34f380);
    CHECK_EQ_U64(ranges[3].size, 3200);
    CHECK_EQ_U64(ranges[3].file_offset, 9510);
    free(ranges);

    CHECK(pmm_md_read_memory64_list(md, &ranges, &n, msg, sizeof msg) == PMM_ERR_NOT_FOUND);
    pmm_region_info *regions;
    CHECK(pmm_md_read_memory_info_list(md, &regions, &n, msg, sizeof msg) == PMM_ERR_NOT_FOUND);
    pmm_md_handle *handles;
    CHECK(pmm_md_read_handles(md, &handles, &n, msg, sizeof msg) == PMM_ERR_NOT_FOUND);
    pmm_md_close(md);
}

/* --- concrete values: x64 ----------------------------------------------------------------------- */

TEST_CASE(tiny_exe_fastfail_x64)
{
    NEED_FIXTURE("windows/tiny-exe-fastfail.dmp", path);
    char msg[512];
    pmm_source src;
    CHECK(pmm_minidump_open(path, &src, msg, sizeof msg) == PMM_OK);
    CHECK_EQ_U64(src.target.pid, 41996);
    CHECK_EQ_U64(src.target.pointer_size, 8);
    CHECK_STR(src.target.name, "tiny.exe");
    CHECK_EQ_U64(src.target.highest_address, 0x7ffffffeffffull);
    CHECK_EQ_U64(src.target.peb, 0xd2de29c000);   /* from TEB.ProcessEnvironmentBlock */

    pmm_thread_info *threads;
    size_t n;
    CHECK(pmm_source_threads(&src, &threads, &n) == PMM_OK);
    CHECK_EQ_U64(n, 4);
    CHECK_EQ_U64(threads[0].tid, 24440);
    CHECK_EQ_U64(threads[0].teb, 0xd2de29d000);
    CHECK_EQ_U64(threads[0].context.arch, PMM_ARCH_X64);
    CHECK_EQ_U64(threads[0].context.ip, 0x7ff75355af42);
    CHECK_EQ_U64(threads[0].context.gpr[PMM_REG_SP], 0xd2de4ff720);
    CHECK_EQ_U64(threads[1].context.gpr[0], 0x1d3);   /* rax */
    /* The dump holds the TEBs and the PEB: NT_TIB.Self and TEB.ProcessEnvironmentBlock read back. */
    uint64_t self = 0, peb = 0;
    CHECK(pmm_source_read_u64(&src, threads[0].teb + 0x30, &self) == PMM_OK);
    CHECK_EQ_U64(self, threads[0].teb);
    CHECK(pmm_source_read_u64(&src, threads[0].teb + 0x60, &peb) == PMM_OK);
    CHECK_EQ_U64(peb, 0xd2de29c000);
    free(threads);

    pmm_minidump *md;
    CHECK(pmm_md_open_file(path, &md, msg, sizeof msg) == PMM_OK);
    if (md) {
        pmm_md_system_info sys;
        CHECK(pmm_md_read_system_info(md, &sys, msg, sizeof msg) == PMM_OK);
        CHECK_EQ_U64(sys.processor_architecture, PMM_MD_CPU_AMD64);
        CHECK_EQ_U64(sys.processor_count, 36);
        CHECK_EQ_U64(sys.build_number, 19042);
        pmm_md_exception exc;
        CHECK(pmm_md_read_exception(md, sys.processor_architecture, &exc, msg, sizeof msg) == PMM_OK);
        CHECK_EQ_U64(exc.thread_id, 0x5f78);
        CHECK_EQ_U64(exc.code, 0xc0000409);
        CHECK_EQ_U64(exc.flags, 1);
        CHECK_EQ_U64(exc.address, 0x7ff75355af42);
        CHECK_EQ_U64(exc.parameter_count, 1);
        CHECK_EQ_U64(exc.parameters[0], 7);
        CHECK_EQ_U64(exc.context.regs.arch, PMM_ARCH_X64);
        CHECK_EQ_U64(exc.context.regs.ip, 0x7ff75355af42);
        pmm_md_module *mods;
        CHECK(pmm_md_read_modules(md, &mods, &n, msg, sizeof msg) == PMM_OK);
        CHECK_EQ_U64(n, 21);
        CHECK_EQ_U64(mods[1].base, 0x7ffb0b130000);
        CHECK_EQ_U64(mods[1].size, 2064384);
        CHECK_STR(mods[1].name, "C:\\Windows\\System32\\ntdll.dll");
        CHECK_EQ_U64(mods[1].file_version_ms, 0x000a0000);   /* 10.0.19041.1806 per winedump */
        CHECK_EQ_U64(mods[1].file_version_ls, 0x4a61070e);
        CHECK_STR(mods[1].pdb_name, "ntdll.pdb");
        free(mods);
        pmm_md_misc_info misc;
        CHECK(pmm_md_read_misc_info(md, &misc, msg, sizeof msg) == PMM_OK);
        CHECK_EQ_U64(misc.size_of_info, 1364);
        CHECK(misc.flags1 & PMM_MD_MISC_BUILDSTRING);
        CHECK(strstr(misc.build_string, "19041") != NULL);
        pmm_md_close(md);
    }
    pmm_source_close(&src);
}

TEST_CASE(thread_names)
{
    NEED_FIXTURE("windows/thread_name_list.dmp", path);
    char msg[512];
    pmm_minidump *md;
    CHECK(pmm_md_open_file(path, &md, msg, sizeof msg) == PMM_OK);
    if (!md)
        return;
    pmm_md_thread *threads;
    size_t n;
    CHECK(pmm_md_read_threads(md, PMM_MD_CPU_X86, &threads, &n, msg, sizeof msg) == PMM_OK);
    CHECK_EQ_U64(n, 6);
    CHECK(pmm_md_attach_thread_names(md, threads, n, msg, sizeof msg) == PMM_OK);
    CHECK(pmm_md_attach_thread_infos(md, threads, n, msg, sizeof msg) == PMM_ERR_NOT_FOUND);
    const pmm_md_thread *t = thread_by_id(threads, n, 6564);
    CHECK(t && strcmp(t->name, "main thread") == 0);
    t = thread_by_id(threads, n, 8820);
    CHECK(t && strcmp(t->name, "sleep thread") == 0);
    t = thread_by_id(threads, n, 10976);
    CHECK(t && strcmp(t->name, "overflow thread") == 0);
    t = thread_by_id(threads, n, 3296);
    CHECK(t && t->name[0] == '\0');
    CHECK(t && t->teb == 0x2fd000);
    free(threads);
    pmm_md_close(md);
}

TEST_CASE(stack_exhaustion_big_read)
{
    NEED_FIXTURE("windows/stack_exhaustion.dmp", path);
    char msg[512];
    pmm_source src;
    CHECK(pmm_minidump_open(path, &src, msg, sizeof msg) == PMM_OK);
    size_t size;
    uint8_t *raw = test_read_file(path, &size);
    const size_t len = 1037504;
    uint8_t *buf = malloc(len + 16);
    if (raw && buf) {
        /* One read spanning the whole ~1 MiB stack range, served by direct file reads. */
        CHECK_EQ_U64(pmm_source_read(&src, 0x102b40, buf, len + 16), len);
        CHECK(memcmp(buf, raw + 9510, len) == 0);
        CHECK_EQ_U64(buf[0], 0xf8);
        /* Many small reads through the cache agree with it. */
        for (size_t off = 0; off < len; off += 4093) {
            uint32_t v;
            if (off + 4 > len)
                break;
            CHECK(pmm_source_read_u32(&src, 0x102b40 + off, &v) == PMM_OK);
            CHECK_EQ_U64(v, (uint32_t)raw[9510 + off] | ((uint32_t)raw[9510 + off + 1] << 8) |
                                ((uint32_t)raw[9510 + off + 2] << 16) | ((uint32_t)raw[9510 + off + 3] << 24));
        }
    }
    free(buf);
    free(raw);
    pmm_source_close(&src);
}

/* --- broken and foreign dumps -------------------------------------------------------------------- */

static void check_invalid_fixture(const char *path, const char *name)
{
    char msg[512] = "";
    pmm_source src;
    pmm_status st = pmm_minidump_open(path, &src, msg, sizeof msg);
    printf("  %s: %s: %s\n", name, pmm_status_text(st), msg);
    CHECK(st == PMM_ERR_FORMAT);
    CHECK(msg[0] != '\0');
    CHECK(strstr(msg, name) != NULL);
    if (st == PMM_OK)
        pmm_source_close(&src);
    pmm_minidump *md;
    if (pmm_md_open_file(path, &md, msg, sizeof msg) == PMM_OK) {
        exercise_parser(md);
        pmm_md_close(md);
    }
}

TEST_CASE(invalid_fixtures_give_clear_errors)
{
    int n = for_each_fixture("invalid", check_invalid_fixture);
    if (n < 0)
        check_skip("fixtures/minidump/invalid not found (set PMM_FIXTURES)");
    else
        CHECK(n >= 2);
}

TEST_CASE(linux_dump_is_not_windows)
{
    NEED_FIXTURE("other/linux-mini.dmp", path);
    char msg[512] = "";
    pmm_source src;
    CHECK(pmm_minidump_open(path, &src, msg, sizeof msg) == PMM_ERR_UNSUPPORTED);
    CHECK(strstr(msg, "Linux") != NULL);
    CHECK(strstr(msg, "not a Windows") != NULL);
    /* The format layer still shows what the dump holds. */
    pmm_minidump *md;
    CHECK(pmm_md_open_file(path, &md, msg, sizeof msg) == PMM_OK);
    if (!md)
        return;
    pmm_md_system_info sys;
    CHECK(pmm_md_read_system_info(md, &sys, msg, sizeof msg) == PMM_OK);
    CHECK_EQ_U64(sys.platform_id, PMM_MD_PLATFORM_LINUX);
    CHECK(!pmm_md_platform_is_windows(sys.platform_id));
    pmm_md_module *mods;
    size_t n;
    CHECK(pmm_md_read_modules(md, &mods, &n, msg, sizeof msg) == PMM_OK);
    CHECK_EQ_U64(n, 8);
    if (n > 1) {
        CHECK_STR(mods[0].name, "/work/linux/build/crash");
        CHECK_EQ_U64(mods[0].base, 0x400000);
        CHECK_EQ_U64(mods[0].cv_signature, PMM_MD_CV_ELF);
        CHECK_EQ_U64(mods[0].build_id_size, 20);
        CHECK_EQ_U64(mods[1].base, 0x7f513fe54000);
    }
    free(mods);
    CHECK_STR(pmm_md_stream_name(0x47670009), "LinuxMaps");
    exercise_parser(md);
    pmm_md_close(md);
}

TEST_CASE(not_a_minidump)
{
    char msg[256] = "";
    pmm_source src;
    static const uint8_t pe[64] = {'M', 'Z'};
    CHECK(pmm_minidump_open_memory(pe, sizeof pe, "x.exe", &src, msg, sizeof msg) == PMM_ERR_FORMAT);
    CHECK(strstr(msg, "not a minidump") != NULL);
    CHECK(pmm_minidump_open_memory(pe, 10, "short", &src, msg, sizeof msg) == PMM_ERR_FORMAT);
    CHECK(pmm_minidump_open("/nonexistent/x.dmp", &src, msg, sizeof msg) == PMM_ERR_NOT_FOUND);
}

/* Opens data as a minidump source and with the parser: each either opens (and is exercised) or
 * fails with a message. Returns 1 when the source opened. */
static int open_or_refuse(const uint8_t *data, size_t len)
{
    char msg[512] = "";
    pmm_source src;
    int opened = pmm_minidump_open_memory(data, len, "mutant", &src, msg, sizeof msg) == PMM_OK;
    if (opened) {
        exercise_source(&src);
        pmm_source_close(&src);
    } else {
        CHECK(msg[0] != 0);
    }
    pmm_minidump *md;
    msg[0] = 0;
    if (pmm_md_open_memory(data, len, &md, msg, sizeof msg) == PMM_OK) {
        exercise_parser(md);
        pmm_md_close(md);
    } else {
        CHECK(msg[0] != 0);
    }
    return opened;
}

/* Every prefix of a real dump (a dump cut short while being written), and every single-byte
 * corruption of its directory and list headers, opens cleanly or fails cleanly. */
TEST_CASE(truncated_and_corrupted_fixture)
{
    NEED_FIXTURE("windows/thread_name_list.dmp", path);
    size_t size;
    uint8_t *raw = test_read_file(path, &size);
    if (!raw)
        return;
    size_t opened = 0;
    for (size_t len = 0; len <= size; len += (len < 2500 ? 1 : 61)) {
        uint8_t *copy = malloc(len ? len : 1);   /* exact size, so ASan sees any overread */
        memcpy(copy, raw, len);
        int ok = open_or_refuse(copy, len);
        if (len < 32)
            CHECK(!ok);   /* shorter than the header */
        opened += ok;
        free(copy);
    }
    CHECK(open_or_refuse(raw, size));
    CHECK(opened > 0);
    uint8_t *copy = malloc(size);
    /* The header, directory and the stream headers and first entries all lie below 2400. */
    for (size_t at = 0; at < 2400 && at < size; at++) {
        static const uint8_t values[] = {0x00, 0xff, 0x80};
        for (size_t v = 0; v < sizeof values; v++) {
            memcpy(copy, raw, size);
            copy[at] = values[v];
            open_or_refuse(copy, size);
        }
    }
    free(copy);
    free(raw);
}

/* --- synthetic dumps: the streams real fixtures lack ---------------------------------------------- */

enum { SYN_TID = 77 };
#define SYN_TEB 0x7ff000ull
#define SYN_STACK 0x100000ull
#define SYN_IMAGE 0x140000000ull

typedef struct synth_options {
    int with_wow64;
    int with_memory_info;
} synth_options;

static void syn_system_info(mdb *b)
{
    size_t s = mdb_begin_stream(b);
    size_t at = mdb_bytes(b, NULL, 56);
    mdb_set_u16(b, at, 9);           /* AMD64 */
    b->data[at + 6] = 4;
    mdb_set_u32(b, at + 8, 10);
    mdb_set_u32(b, at + 16, 19041);
    mdb_set_u32(b, at + 20, 2);
    mdb_end_stream(b, PMM_MD_STREAM_SYSTEM_INFO, s);
}

static void syn_threads(mdb *b)
{
    size_t ctx = mdb_bytes(b, NULL, 0x4d0);
    mdb_set_u32(b, ctx + 0x30, 0x10000b);
    mdb_set_u64(b, ctx + 0x98, SYN_STACK + 0x10);   /* rsp */
    mdb_set_u64(b, ctx + 0xf8, SYN_IMAGE + 0x1000); /* rip */
    size_t s = mdb_begin_stream(b);
    mdb_u32(b, 1);
    mdb_u32(b, SYN_TID);
    mdb_bytes(b, NULL, 12);
    mdb_u64(b, SYN_TEB);
    mdb_u64(b, SYN_STACK);
    mdb_u32(b, 0x40);
    size_t stack_rva = mdb_u32(b, 0);                /* patched to the Memory64 data below */
    mdb_u32(b, 0x4d0);
    mdb_u32(b, (uint32_t)ctx);
    mdb_end_stream(b, PMM_MD_STREAM_THREAD_LIST, s);
    (void)stack_rva;
}

static void syn_thread_infos_and_names(mdb *b)
{
    size_t s = mdb_begin_stream(b);
    mdb_u32(b, 12);
    mdb_u32(b, 64);
    mdb_u32(b, 1);
    size_t e = mdb_bytes(b, NULL, 64);
    mdb_set_u32(b, e, SYN_TID);
    mdb_set_u64(b, e + 48, SYN_IMAGE + 0x1234);
    mdb_end_stream(b, PMM_MD_STREAM_THREAD_INFO_LIST, s);

    uint32_t name = mdb_string(b, "worker");
    s = mdb_begin_stream(b);
    mdb_u32(b, 1);
    mdb_u32(b, SYN_TID);
    mdb_u64(b, name);
    mdb_end_stream(b, PMM_MD_STREAM_THREAD_NAMES, s);
}

static void syn_modules(mdb *b, int with_wow64)
{
    uint32_t exe = mdb_string(b, "C:\\x\\app.exe");
    uint32_t wow = mdb_string(b, "C:\\Windows\\System32\\WOW64.dll");
    uint32_t count = with_wow64 ? 2 : 1;
    size_t s = mdb_begin_stream(b);
    mdb_u32(b, count);
    for (uint32_t i = 0; i < count; i++) {
        size_t e = mdb_bytes(b, NULL, 108);
        mdb_set_u64(b, e, i == 0 ? SYN_IMAGE : 0x7ff900000000ull);
        mdb_set_u32(b, e + 8, i == 0 ? 0x3000 : 0x10000);
        mdb_set_u32(b, e + 20, i == 0 ? exe : wow);
    }
    mdb_end_stream(b, PMM_MD_STREAM_MODULE_LIST, s);

    uint32_t gone = mdb_string(b, "gone.dll");
    s = mdb_begin_stream(b);
    mdb_u32(b, 12);
    mdb_u32(b, 24);
    mdb_u32(b, 1);
    size_t e = mdb_bytes(b, NULL, 24);
    mdb_set_u64(b, e, 0x7ff10000);
    mdb_set_u32(b, e + 8, 0x1000);
    mdb_set_u32(b, e + 20, gone);
    mdb_end_stream(b, PMM_MD_STREAM_UNLOADED_MODULE_LIST, s);
}

static void syn_memory_info(mdb *b)
{
    static const struct { uint64_t base, size; uint32_t state, protect, type; } infos[] = {
        {0, SYN_STACK, PMM_MEM_FREE, PMM_PAGE_NOACCESS, 0},
        {SYN_STACK, 0x1000, PMM_MEM_COMMIT, PMM_PAGE_READWRITE, PMM_MEM_PRIVATE},
        {SYN_STACK, 0x800, PMM_MEM_COMMIT, PMM_PAGE_READONLY, PMM_MEM_PRIVATE},   /* overlaps: trimmed away */
        {SYN_IMAGE, 0x3000, PMM_MEM_COMMIT, PMM_PAGE_EXECUTE_READ, PMM_MEM_IMAGE},
    };
    size_t s = mdb_begin_stream(b);
    mdb_u32(b, 16);
    mdb_u32(b, 48);
    mdb_u64(b, 4);
    for (size_t i = 0; i < 4; i++)
        mdb_memory_info_entry(b, infos[i].base, infos[i].size, infos[i].state, infos[i].protect, infos[i].type);
    mdb_end_stream(b, PMM_MD_STREAM_MEMORY_INFO_LIST, s);
}

static void syn_handles_and_unknown(mdb *b)
{
    uint32_t type = mdb_string(b, "File");
    size_t s = mdb_begin_stream(b);
    mdb_u32(b, 16);
    mdb_u32(b, 32);
    mdb_u32(b, 1);
    mdb_u32(b, 0);
    size_t e = mdb_bytes(b, NULL, 32);
    mdb_set_u64(b, e, 0x44);
    mdb_set_u32(b, e + 8, type);
    mdb_set_u32(b, e + 20, 0x120089);
    mdb_end_stream(b, PMM_MD_STREAM_HANDLE_DATA, s);

    s = mdb_begin_stream(b);
    mdb_u32(b, 0xdeadbeef);
    mdb_end_stream(b, 0x12345678u, s);
}

/* Memory64List last, so its bytes end the file and truncation tests cut into them. */
static void syn_memory64(mdb *b)
{
    size_t s = mdb_begin_stream(b);
    mdb_u64(b, 3);
    size_t base_rva = mdb_u64(b, 0);
    mdb_u64(b, SYN_STACK);
    mdb_u64(b, 0x40);
    mdb_u64(b, SYN_STACK + 0x40);   /* contiguous with the first: one read spans both */
    mdb_u64(b, 0x40);
    mdb_u64(b, SYN_IMAGE);
    mdb_u64(b, 0x10);
    mdb_end_stream(b, PMM_MD_STREAM_MEMORY64_LIST, s);
    mdb_set_u64(b, base_rva, b->len);
    size_t data = mdb_bytes(b, NULL, 0x90);
    for (size_t i = 0; i < 0x90; i++)
        b->data[data + i] = (uint8_t)i;
    /* ThreadList's stack descriptor points at the same bytes, as real writers do. */
    size_t thread_entry_rva = 32 + 12 * 1;   /* directory entry 1 is ThreadList */
    uint32_t thread_list = (uint32_t)b->data[thread_entry_rva + 8] | ((uint32_t)b->data[thread_entry_rva + 9] << 8) |
                           ((uint32_t)b->data[thread_entry_rva + 10] << 16) |
                           ((uint32_t)b->data[thread_entry_rva + 11] << 24);
    mdb_set_u32(b, thread_list + 4 + 36, (uint32_t)data);
}

static void build_synthetic(mdb *b, const synth_options *o)
{
    mdb_begin(b, 11);
    syn_system_info(b);             /* directory entry 0 */
    syn_threads(b);                 /* 1 */
    syn_thread_infos_and_names(b);  /* 2, 3 */
    syn_modules(b, o->with_wow64);  /* 4, 5 */
    if (o->with_memory_info)
        syn_memory_info(b);         /* 6 */
    syn_handles_and_unknown(b);     /* 7, 8 (or 6, 7) */
    syn_memory64(b);
}

TEST_CASE(synthetic_x64_with_memory_info)
{
    mdb b;
    synth_options o = {0, 1};
    build_synthetic(&b, &o);
    char msg[512] = "";
    pmm_source src;
    CHECK(pmm_minidump_open_memory(b.data, b.len, "synthetic", &src, msg, sizeof msg) == PMM_OK);
    if (!src.ops) {
        fprintf(stderr, "%s\n", msg);
        free(b.data);
        return;
    }
    CHECK(!pmm_minidump_regions_synthesized(&src));
    CHECK_EQ_U64(src.target.pointer_size, 8);
    CHECK_EQ_U64(src.target.wow64, 0);
    CHECK_STR(src.target.name, "app.exe");
    CHECK_EQ_U64(pmm_minidump_warning_count(&src), 1);   /* the overlapping MemoryInfoList entry */

    pmm_region_info r;
    CHECK(pmm_source_query(&src, 0x50000, &r) == PMM_OK);
    CHECK_EQ_U64(r.base, 0);
    CHECK_EQ_U64(r.state, PMM_MEM_FREE);
    CHECK(pmm_source_query(&src, SYN_STACK + 0x10, &r) == PMM_OK);
    CHECK_EQ_U64(r.base, SYN_STACK);
    CHECK_EQ_U64(r.size, 0x1000);
    CHECK_EQ_U64(r.protect, PMM_PAGE_READWRITE);
    CHECK(pmm_source_query(&src, SYN_STACK + 0x1000, &r) == PMM_OK);   /* next one above */
    CHECK_EQ_U64(r.base, SYN_IMAGE);
    CHECK_EQ_U64(r.type, PMM_MEM_IMAGE);
    CHECK_EQ_U64(r.protect, PMM_PAGE_EXECUTE_READ);
    CHECK(pmm_source_query(&src, SYN_IMAGE + 0x3000, &r) == PMM_END);

    uint8_t buf[0x100];
    CHECK_EQ_U64(pmm_source_read(&src, SYN_STACK, buf, 0x80), 0x80);   /* across two descriptors */
    CHECK_EQ_U64(buf[0x3f], 0x3f);
    CHECK_EQ_U64(buf[0x40], 0x40);
    CHECK_EQ_U64(pmm_source_read(&src, SYN_STACK + 0x70, buf, 0x20), 0x10);
    CHECK_EQ_U64(pmm_source_read(&src, SYN_IMAGE + 4, buf, 0x100), 0xc);
    CHECK_EQ_U64(buf[0], 0x84);
    CHECK_EQ_U64(pmm_source_read(&src, SYN_IMAGE - 1, buf, 4), 0);

    pmm_thread_info *threads;
    size_t n;
    CHECK(pmm_source_threads(&src, &threads, &n) == PMM_OK);
    CHECK_EQ_U64(n, 1);
    CHECK_EQ_U64(threads[0].tid, SYN_TID);
    CHECK_EQ_U64(threads[0].teb, SYN_TEB);
    CHECK_EQ_U64(threads[0].start_address, SYN_IMAGE + 0x1234);
    CHECK_EQ_U64(threads[0].context.arch, PMM_ARCH_X64);
    CHECK_EQ_U64(threads[0].context.ip, SYN_IMAGE + 0x1000);
    CHECK_EQ_U64(threads[0].context.gpr[PMM_REG_SP], SYN_STACK + 0x10);
    free(threads);
    pmm_source_close(&src);

    pmm_minidump *md;
    CHECK(pmm_md_open_memory(b.data, b.len, &md, msg, sizeof msg) == PMM_OK);
    if (md) {
        pmm_md_thread *t;
        CHECK(pmm_md_read_threads(md, PMM_MD_CPU_AMD64, &t, &n, msg, sizeof msg) == PMM_OK);
        CHECK(pmm_md_attach_thread_names(md, t, n, msg, sizeof msg) == PMM_OK);
        CHECK_STR(t[0].name, "worker");
        free(t);
        pmm_md_handle *h;
        CHECK(pmm_md_read_handles(md, &h, &n, msg, sizeof msg) == PMM_OK);
        CHECK_EQ_U64(n, 1);
        CHECK_EQ_U64(h[0].handle, 0x44);
        CHECK_STR(h[0].type_name, "File");
        CHECK_STR(h[0].object_name, "");
        CHECK_EQ_U64(h[0].granted_access, 0x120089);
        free(h);
        pmm_md_unloaded_module *u;
        CHECK(pmm_md_read_unloaded_modules(md, &u, &n, msg, sizeof msg) == PMM_OK);
        CHECK_EQ_U64(n, 1);
        CHECK_STR(u[0].name, "gone.dll");
        CHECK_EQ_U64(u[0].base, 0x7ff10000);
        free(u);
        CHECK(pmm_md_find_stream(md, 0x12345678u) != NULL);
        CHECK(pmm_md_stream_name(0x12345678u) == NULL);
        pmm_md_close(md);
    }
    free(b.data);
}

TEST_CASE(synthetic_wow64_and_truncation)
{
    mdb b;
    synth_options o = {1, 0};
    build_synthetic(&b, &o);
    char msg[512] = "";
    pmm_source src;
    CHECK(pmm_minidump_open_memory(b.data, b.len, "wow", &src, msg, sizeof msg) == PMM_OK);
    if (src.ops) {
        CHECK_EQ_U64(src.target.pointer_size, 4);
        CHECK_EQ_U64(src.target.wow64, 1);
        CHECK(pmm_minidump_regions_synthesized(&src));
        pmm_source_close(&src);
    }
    /* Cut the file inside the memory bytes: the cut range reads partially, never past the end. */
    size_t cut = b.len - 0x90 + 0x50;
    uint8_t *copy = malloc(cut);
    memcpy(copy, b.data, cut);
    CHECK(pmm_minidump_open_memory(copy, cut, "cut", &src, msg, sizeof msg) == PMM_OK);
    if (src.ops) {
        uint8_t buf[0x80];
        CHECK_EQ_U64(pmm_source_read(&src, SYN_STACK, buf, 0x80), 0x50);
        CHECK_EQ_U64(pmm_source_read(&src, SYN_IMAGE, buf, 4), 0);
        int said_truncated = 0;
        for (size_t i = 0; i < pmm_minidump_warning_count(&src); i++)
            said_truncated |= strstr(pmm_minidump_warning(&src, i), "truncated") != NULL;
        CHECK(said_truncated);
        pmm_source_close(&src);
    }
    free(copy);
    free(b.data);
}

TEST_CASE(synthetic_dump_mutations)
{
    mdb b;
    synth_options o = {0, 1};
    build_synthetic(&b, &o);
    CHECK(open_or_refuse(b.data, b.len));
    uint8_t *copy = malloc(b.len);
    for (size_t at = 0; at < b.len; at++) {
        static const uint8_t values[] = {0x00, 0xff, 0x80, 0x01};
        for (size_t v = 0; v < sizeof values; v++) {
            memcpy(copy, b.data, b.len);
            copy[at] = (uint8_t)(copy[at] ^ values[v]);
            open_or_refuse(copy, b.len);
        }
    }
    free(copy);
    free(b.data);
}

/* --- region synthesis ------------------------------------------------------------------------------ */

TEST_CASE(synthesized_regions_split_around_images)
{
    pmm_md_module mods[2];
    memset(mods, 0, sizeof mods);
    mods[0].base = 0x10000;
    mods[0].size = 0x10000;
    mods[1].base = 0x30000;
    mods[1].size = 0x1000;
    pmm_md_memory_range ranges[] = {
        {0x5010, 0x20, 0, 0x20},       /* inside one page */
        {0x5f00, 0x200, 0, 0x200},     /* shares a page with the first and spills into the next */
        {0x1f000, 0x3000, 0, 0x3000},  /* crosses the first image's end */
        {0x30100, 0x10, 0, 0x10},      /* inside the second image */
    };
    size_t range_count = 4;
    md_normalize_ranges(ranges, &range_count);
    pmm_region_info *regions;
    size_t n;
    CHECK(md_synthesize_regions(mods, 2, ranges, range_count, &regions, &n) == PMM_OK);
    CHECK_EQ_U64(n, 4);
    if (n == 4) {
        CHECK_EQ_U64(regions[0].base, 0x5000);
        CHECK_EQ_U64(regions[0].size, 0x2000);
        CHECK_EQ_U64(regions[0].type, PMM_MEM_PRIVATE);
        CHECK_EQ_U64(regions[1].base, 0x10000);
        CHECK_EQ_U64(regions[1].size, 0x10000);
        CHECK_EQ_U64(regions[1].type, PMM_MEM_IMAGE);
        CHECK_EQ_U64(regions[2].base, 0x20000);
        CHECK_EQ_U64(regions[2].size, 0x2000);
        CHECK_EQ_U64(regions[3].base, 0x30000);
        CHECK_EQ_U64(regions[3].type, PMM_MEM_IMAGE);
    }
    free(regions);
}

TEST_CASE(overlapping_ranges_are_trimmed)
{
    pmm_md_memory_range ranges[] = {
        {0x2000, 0x100, 1000, 0x100},
        {0x1000, 0x1800, 5000, 0x1800},   /* [0x1000, 0x2800) covers the first */
        {0x2400, 0x800, 9000, 0x10},      /* overlaps the end; few bytes in the file */
        {UINT64_MAX - 0xf, 0x100, 0, 0x100},   /* wraps: clipped */
    };
    size_t n = 4;
    CHECK(md_normalize_ranges(ranges, &n) > 0);
    CHECK_EQ_U64(n, 3);
    CHECK_EQ_U64(ranges[0].address, 0x1000);
    CHECK_EQ_U64(ranges[1].address, 0x2800);
    CHECK_EQ_U64(ranges[1].file_offset, 9000 + 0x400);
    CHECK_EQ_U64(ranges[1].available, 0);
    CHECK_EQ_U64(ranges[2].size, 0xf);
}

/* --- the inspector's output --------------------------------------------------------------------- */

/* Writes the report to a temporary file and returns its text (caller frees). */
static char *report_text(const pmm_md_report *report, int json)
{
    FILE *f = tmpfile();
    if (!f)
        return NULL;
    pmm_out out = pmm_out_file(f);
    if (json)
        pmm_md_report_write_json(report, &out);
    else
        pmm_md_report_write_text(report, &out);
    long n = ftell(f);
    char *text = malloc((size_t)n + 1);
    rewind(f);
    if (text && fread(text, 1, (size_t)n, f) != (size_t)n) {
        free(text);
        text = NULL;
    }
    if (text)
        text[n] = '\0';
    fclose(f);
    return text;
}

TEST_CASE(inspector_output)
{
    NEED_FIXTURE("windows/ascii_read_av.dmp", path);
    char msg[512];
    pmm_md_report *report;
    CHECK(pmm_md_report_load(path, &report, msg, sizeof msg) == PMM_OK);
    if (!report)
        return;
    CHECK_EQ_U64(report->error_count, 0);
    char *text = report_text(report, 0);
    CHECK(text != NULL);
    static const char *const in_text[] = {
        "STATUS_ACCESS_VIOLATION (0xc0000005) at 00D6A6CD", "read of address 0x41414141", "eip 00D6A6CD",
        "esp 0034F960", "Threads (2)", "Modules (26)", "pdb wntdll.pdb", "6.1.7600.16559", "BreakpadInfo",
        "written 2010-09-29 21:53:53 UTC", "Memory ranges (MemoryList) (5)", "pid       5376"};
    for (size_t i = 0; text && i < sizeof in_text / sizeof in_text[0]; i++) {
        if (!strstr(text, in_text[i]))
            fprintf(stderr, "missing in text output: %s\n", in_text[i]);
        CHECK(strstr(text, in_text[i]) != NULL);
    }
    free(text);
    char *json = report_text(report, 1);
    CHECK(json != NULL);
    static const char *const in_json[] = {"\"format\": \"pmm-minidump\"", "\"code\": \"0xc0000005\"",
                                          "\"teb\": \"0x7efdd000\"", "\"guid\": \"{1B504308-5F17-4DA3-8552-1DD4740D1730}\"",
                                          "\"path\": \"D:\\\\crashme\\\\Debug\\\\crashme.exe\""};
    for (size_t i = 0; json && i < sizeof in_json / sizeof in_json[0]; i++) {
        if (!strstr(json, in_json[i]))
            fprintf(stderr, "missing in JSON output: %s\n", in_json[i]);
        CHECK(strstr(json, in_json[i]) != NULL);
    }
    free(json);
    pmm_md_report_free(report);
}

TEST_CASE(inspector_times_and_versions)
{
    char buf[32];
    CHECK_STR(pmm_md_time_text(0, buf, sizeof buf), "1970-01-01 00:00:00");
    CHECK_STR(pmm_md_time_text(0x4ca3b571, buf, sizeof buf), "2010-09-29 21:53:53");
    CHECK_STR(pmm_md_time_text(951782400, buf, sizeof buf), "2000-02-29 00:00:00");   /* leap day */
    CHECK_STR(pmm_md_time_text(4102444800ull, buf, sizeof buf), "2100-01-01 00:00:00");
    CHECK_STR(pmm_md_time_text(UINT64_MAX, buf, sizeof buf), "(invalid time)");
    CHECK_STR(pmm_md_version_text(0x000a0000, 0x4a61070e, buf, sizeof buf), "10.0.19041.1806");
    CHECK_STR(pmm_md_register_name(PMM_ARCH_X64, 15), "r15");
    CHECK(pmm_md_register_name(PMM_ARCH_X86, 8) == NULL);
}

CHECK_MAIN(CASE(every_windows_fixture_opens), CASE(ascii_read_av_x86), CASE(ascii_read_av_streams),
           CASE(tiny_exe_fastfail_x64), CASE(thread_names), CASE(stack_exhaustion_big_read),
           CASE(invalid_fixtures_give_clear_errors), CASE(linux_dump_is_not_windows), CASE(not_a_minidump),
           CASE(truncated_and_corrupted_fixture), CASE(synthetic_x64_with_memory_info),
           CASE(synthetic_wow64_and_truncation), CASE(synthetic_dump_mutations),
           CASE(synthesized_regions_split_around_images), CASE(overlapping_ranges_are_trimmed),
           CASE(inspector_output), CASE(inspector_times_and_versions))
