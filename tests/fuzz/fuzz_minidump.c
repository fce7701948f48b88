/* libFuzzer harness for minidumps: random bytes through the format layer (every stream reader, the
 * inspector's text and JSON output), the minidump source (region walk, reads, threads, modules)
 * and the full scan that `pmm map FILE.dmp` runs. Any crash, sanitizer report or hang is a bug.
 * Seed it with real dumps: fuzz_minidump CORPUS_DIR ../shared/fixtures/minidump/windows */
#include <stdint.h>
#include <stdlib.h>
#include "core/analyzers/scan.h"
#include "core/model/map.h"
#include "core/adapters/minidump_source.h"
#include "core/tools/minidump_report.h"
#include "core/util/json_writer.h"

/* Bounds the work per input so a dump claiming millions of regions cannot stall the fuzzer. */
#define MAX_REGIONS_WALKED 4096
#define MAX_SCAN_REGIONS 65536

static void inspect(const uint8_t *data, size_t size)
{
    pmm_md_report *report;
    char message[512];
    if (pmm_md_report_load_memory(data, size, "fuzz", &report, message, sizeof message) != PMM_OK)
        return;
    pmm_out out = pmm_out_null();
    pmm_md_report_write_text(report, &out);
    pmm_md_report_write_json(report, &out);
    pmm_md_report_free(report);
}

static void walk_source(pmm_source *src)
{
    uint8_t buf[256];
    uint64_t addr = 0;
    for (int n = 0; n < MAX_REGIONS_WALKED; n++) {
        pmm_region_info r;
        if (pmm_source_query(src, addr, &r) != PMM_OK || r.base + r.size <= addr)
            break;
        pmm_source_read(src, r.base, buf, sizeof buf);
        pmm_source_read(src, r.base + r.size - 16, buf, sizeof buf);
        addr = r.base + r.size;
    }
    pmm_thread_info *threads;
    size_t count;
    if (pmm_source_threads(src, &threads, &count) == PMM_OK) {
        for (size_t i = 0; i < count; i++)
            pmm_source_read(src, threads[i].context.gpr[PMM_REG_SP], buf, sizeof buf);
        free(threads);
    }
    pmm_module_info *modules;
    if (pmm_source_modules(src, &modules, &count) == PMM_OK) {
        for (size_t i = 0; i < count; i++) {
            char name[64];
            pmm_source_mapped_file_name(src, modules[i].base, name, sizeof name);
        }
        free(modules);
    }
    for (size_t i = 0; i < pmm_minidump_warning_count(src); i++)
        (void)pmm_minidump_warning(src, i);
}

static void scan(pmm_source *src)
{
    pmm_scan_options options = {0};
    options.max_regions = MAX_SCAN_REGIONS;
    pmm_map *map;
    if (pmm_scan_source(src, &options, &map) == PMM_OK)
        pmm_map_free(map);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    inspect(data, size);
    pmm_source src;
    char message[512];
    if (pmm_minidump_open_memory(data, size, "fuzz", &src, message, sizeof message) != PMM_OK)
        return 0;
    walk_source(&src);
    scan(&src);
    pmm_source_close(&src);
    return 0;
}
