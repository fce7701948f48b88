/* libFuzzer harness for kernel dumps: the header, the run table, the bitmap, the RDMP ranges,
 * translation, the module list and `pmm kdump`'s text and JSON output. Random bytes rarely get past
 * the signature, so the first input byte picks how the rest is used:
 *   0: the bytes as a dump file, as they are;
 *   1..7: (3-byte offset, byte) edits (the offset's top bit: within the first 0x2200 bytes) applied to a small valid dump the builder wrote (x64 Full,
 *         Bitmap, KernelMemory, CompleteMemory; x86 PAE Full; x86 kernel summary; an x64 Bitmap of a
 *         build the offset table lacks), so the deep paths (runs, bitmap blocks, page tables, the
 *         module list, the process list and offset inference, explorer.exe's VAD tree in the
 *         scenes of listed builds) see damage from the first run.
 * Whatever opens is walked: runs, physical reads, translations of addresses from the header, the
 * input and the scene, virtual reads, the module and process lists, both outputs, the first
 * processes as sources (regions, bytes, held extents, threads, notes), then the kernel address
 * space as a source (its regions from the page tables, reads through them). Any crash, sanitizer report
 * or hang is a bug.
 * Parsers it reaches: core/formats/kdump.c, kdump_physical.c, kdump_modules.c, kdump_bugcheck.c
 * (bug check names in the output), kdump_processes.c and its offsets table kdump_layouts.c,
 * kdump_vad.c (a process's VAD tree, read when the process is a source), kdump_threads.c (a
 * process's ETHREADs and trap frames, the thread running at the crash through the KPRCBs or the
 * stacks) with its table kdump_thread_layouts.c, and for the build the tables lack
 * kdump_thread_inference.c and kdump_vad_inference.c (known layouts tried on the dump's processes). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/adapters/kdump_kernel_source.h"
#include "core/formats/kdump.h"
#include "core/formats/kdump_processes.h"
#include "core/formats/kdump_threads.h"
#include "core/tools/kdump_report.h"
#include "kdump_scene.h"
#include "kdump_vads.h"

typedef struct baseline {
    uint32_t paging, type, flags;
    uint8_t *data;
    size_t size;
    uint64_t addresses[KS_MAX_CHECKS];
    size_t address_count;
} baseline;

static baseline baselines[] = {
    {KDB_X64, 1, 0, NULL, 0, {0}, 0}, {KDB_X64, 5, 0, NULL, 0, {0}, 0}, {KDB_X64, 8, 0, NULL, 0, {0}, 0},
    {KDB_X64, 0xA, 0, NULL, 0, {0}, 0}, {KDB_PAE, 1, 0, NULL, 0, {0}, 0}, {KDB_X86, 2, 0, NULL, 0, {0}, 0},
    {KDB_X64, 5, KS_UNLISTED_BUILD, NULL, 0, {0}, 0},
};
#define BASELINES (sizeof baselines / sizeof baselines[0])

static void build_baselines(void)
{
    for (size_t i = 0; i < BASELINES; i++) {
        kscene *s = kscene_build_with(baselines[i].paging, NULL, 0, baselines[i].flags);
        kdb_buffer buf = {0};
        if (s && !(baselines[i].flags & KS_UNLISTED_BUILD))
            kscene_add_explorer_vads(s, 0);
        if (!s || kdb_write(s->b, baselines[i].type, kdb_sink_buffer(&buf)) != 0)
            abort();
        baselines[i].data = buf.data;
        baselines[i].size = buf.len;
        for (size_t c = 0; c < s->check_count; c++)
            baselines[i].addresses[baselines[i].address_count++] = s->checks[c].va;
        kscene_free(s);
    }
}

static uint64_t input_u64(const uint8_t *data, size_t size, size_t at)
{
    uint64_t v = 0;
    for (size_t i = 0; i < 8 && at + i < size; i++)
        v |= (uint64_t)data[at + i] << (8 * i);
    return v;
}

static void walk(pmm_kdump *dump, const uint64_t *addresses, size_t address_count, const uint8_t *in, size_t in_size)
{
    uint8_t buf[PMM_KDUMP_PAGE_SIZE + 64];
    pmm_kdump_run runs[16];
    size_t n = pmm_kdump_runs(dump, 0, runs, 16);
    for (size_t i = 0; i < n; i++) {
        pmm_kdump_read_physical(dump, runs[i].first_page * PMM_KDUMP_PAGE_SIZE, buf, sizeof buf);
        pmm_kdump_read_physical(dump, (runs[i].first_page + runs[i].page_count) * PMM_KDUMP_PAGE_SIZE - 8, buf, 64);
    }
    const pmm_kdump_header *h = pmm_kdump_header_of(dump);
    uint64_t extra[] = {h->ps_loaded_module_list, h->ps_active_process_head, h->kd_debugger_data_block,
                        h->context.ip, h->context.gpr[4], input_u64(in, in_size, 1), input_u64(in, in_size, 9)};
    pmm_kdump_translation t;
    for (size_t i = 0; i < address_count + sizeof extra / sizeof extra[0]; i++) {
        uint64_t va = i < address_count ? addresses[i] : extra[i - address_count];
        pmm_kdump_translate(dump, 0, va, &t);
        pmm_kdump_translate(dump, input_u64(in, in_size, 17), va, &t);
        pmm_kdump_read_virtual(dump, 0, va, buf, sizeof buf, &t);
    }
    pmm_kdump_report report;
    if (pmm_kdump_report_load(dump, "fuzz", &report) != PMM_OK)
        return;
    if (pmm_kdump_report_load_processes(&report) != PMM_OK) {
        pmm_kdump_report_free(&report);
        return;
    }
    static pmm_kdump_request req;
    memset(&req, 0, sizeof req);
    req.size = 64;
    req.physical[req.physical_count++] = input_u64(in, in_size, 25);
    req.virtual_addresses[req.virtual_count++] = address_count ? addresses[0] : h->ps_loaded_module_list;
    req.translate[req.translate_count++] = h->context.ip;
    req.page_hashes = 1;
    pmm_out out = pmm_out_null();
    pmm_kdump_report_write_text(&report, &req, &out);
    pmm_kdump_report_write_json(&report, &req, &out);
    pmm_kdump_report_free(&report);
}

#define MAX_REGIONS_WALKED 2048

/* Every region from `from` up (at most MAX_REGIONS_WALKED), and the first bytes of each. */
static void walk_regions(pmm_source *src, uint64_t from)
{
    uint8_t buf[64];
    uint64_t addr = from;
    for (int n = 0; n < MAX_REGIONS_WALKED; n++) {
        pmm_region_info r;
        if (pmm_source_query(src, addr, &r) != PMM_OK || r.base + r.size <= addr)
            break;
        pmm_source_read(src, r.base, buf, sizeof buf);
        addr = r.base + r.size;
    }
}

static void walk_kernel_space(pmm_kdump *dump)
{
    pmm_source src;
    char message[256];
    if (pmm_kdump_kernel_source_wrap(dump, "fuzz", &src, message, sizeof message) != PMM_OK)
        return;
    walk_regions(&src, src.target.lowest_address);
    pmm_module_info *mods;
    size_t count;
    if (src.ops->modules(src.impl, &mods, &count) == PMM_OK)
        free(mods);
    pmm_source_close(&src);
}

/* The first processes of the list as sources over a dump of their own (a source owns its dump):
 * regions, bytes, held extents, threads and the notes that walk every page table. */
static void walk_processes(const uint8_t *data, size_t size, pmm_kdump *dump)
{
    pmm_kdump_process_list list;
    char message[512];
    if (pmm_kdump_processes(dump, &list, message, sizeof message) != PMM_OK)
        return;
    pmm_kdump_crash_thread crash;
    pmm_kdump_find_crash_thread(dump, &list, &crash);
    for (size_t i = 1; i < list.count && i < 3; i++) {
        pmm_kdump *own;
        pmm_source src;
        if (pmm_kdump_open_memory(data, size, &own, message, sizeof message) != PMM_OK ||
            pmm_kdump_process_source_wrap(own, "fuzz", &list.processes[i], &list, &src, message,
                                          sizeof message) != PMM_OK)
            continue;
        uint64_t start, end;
        walk_regions(&src, 0);
        pmm_source_held_extent(&src, 0, &start, &end);
        pmm_thread_info *threads;
        size_t count;
        if (src.ops->threads(src.impl, &threads, &count) == PMM_OK)
            free(threads);
        for (size_t n = 0; pmm_source_note(&src, n); n++)
            ;
        pmm_source_close(&src);
    }
    pmm_kdump_process_list_free(&list);
}

static void try_open(const uint8_t *data, size_t size, const uint64_t *addresses, size_t address_count,
                     const uint8_t *in, size_t in_size)
{
    pmm_kdump *dump;
    char message[512];
    if (pmm_kdump_open_memory(data, size, &dump, message, sizeof message) != PMM_OK)
        return;
    walk(dump, addresses, address_count, in, in_size);
    walk_processes(data, size, dump);
    walk_kernel_space(dump);   /* owns and closes the dump */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!baselines[0].data)
        build_baselines();
    if (size == 0)
        return 0;
    uint8_t mode = data[0] % (BASELINES + 1);
    if (mode == 0) {
        try_open(data + 1, size - 1, NULL, 0, data, size);
        return 0;
    }
    baseline *b = &baselines[mode - 1];
    uint8_t *copy = malloc(b->size);
    if (!copy)
        return 0;
    memcpy(copy, b->data, b->size);
    for (size_t i = 1; i + 4 <= size; i += 4) {
        size_t offset = (size_t)data[i] | (size_t)data[i + 1] << 8 | (size_t)(data[i + 2] & 0x7F) << 16;
        /* Half the edits go to the header and the run table or bitmap after it. */
        offset %= data[i + 2] & 0x80 ? (b->size < 0x2200 ? b->size : 0x2200) : b->size;
        copy[offset] = data[i + 3];
    }
    try_open(copy, b->size, b->addresses, b->address_count, data, size);
    free(copy);
    return 0;
}
