/* The kernel dump reader against dumps the builder writes from known contents: every dump type
 * (x64, x86 PAE, x86), header facts, every physical page, translations of every kind of entry,
 * virtual reads, the module list; from memory, from a mapped file and from an unmapped one. */
#define _POSIX_C_SOURCE 200809L   /* mkstemp */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"
#include "core/adapters/kdump_kernel_source.h"
#include "core/formats/kdump.h"
#include "core/source/source.h"
#include "../kdump/kdump_scene.h"

typedef struct dump_case {
    uint32_t paging;
    uint32_t type;
} dump_case;

static const dump_case cases[] = {
    {KDB_X64, 1}, {KDB_X64, 2}, {KDB_X64, 5}, {KDB_X64, 6}, {KDB_X64, 8}, {KDB_X64, 9}, {KDB_X64, 0xA},
    {KDB_PAE, 1}, {KDB_PAE, 2}, {KDB_X86, 1}, {KDB_X86, 2},
};

static const char *paging_name(uint32_t paging)
{
    return paging == KDB_X64 ? "x64" : paging == KDB_PAE ? "x86 PAE" : "x86";
}

static pmm_kdump *open_buffer(const kdb_buffer *buf)
{
    pmm_kdump *dump = NULL;
    char message[512] = "";
    if (pmm_kdump_open_memory(buf->data, buf->len, &dump, message, sizeof message) != PMM_OK)
        fprintf(stderr, "open failed: %s\n", message);
    return dump;
}

static void check_header(kscene *s, pmm_kdump *dump, uint32_t type)
{
    const pmm_kdump_header *h = pmm_kdump_header_of(dump);
    const kdb_facts *f = kdb_facts_of(s->b);
    int wide = kdb_paging_of(s->b) == KDB_X64;
    CHECK_EQ_U64(h->bits, wide ? 64 : 32);
    CHECK_EQ_U64(h->dump_type, type);
    CHECK_EQ_U64(h->minor_version, s->nt_build);
    CHECK_EQ_U64(h->major_version, 0xF);
    CHECK_EQ_U64(h->machine, wide ? PMM_KDUMP_MACHINE_AMD64 : PMM_KDUMP_MACHINE_I386);
    CHECK_EQ_U64(h->processors, f->processors);
    CHECK_EQ_U64(h->directory_table_base, kdb_dtb(s->b));
    CHECK_EQ_U64(h->ps_loaded_module_list, f->ps_loaded_module_list);
    CHECK_EQ_U64(h->ps_active_process_head, f->ps_active_process_head);
    CHECK_EQ_U64(h->kd_debugger_data_block, f->kd_debugger_data_block);
    CHECK_EQ_U64(h->pfn_database, f->pfn_database);
    CHECK_EQ_U64(h->bugcheck_code, 0xD1);
    for (int i = 0; i < 4; i++)
        CHECK_EQ_U64(h->bugcheck_parameters[i], f->bugcheck_parameters[i]);
    CHECK_EQ_U64(h->pae_enabled, kdb_paging_of(s->b) == KDB_PAE);
    CHECK_EQ_U64(h->system_time, f->system_time);
    CHECK_EQ_U64(h->system_uptime, f->system_uptime);
    CHECK_STR(h->comment, "pmm test dump");
    CHECK_EQ_U64(h->context.arch, wide ? PMM_ARCH_X64 : PMM_ARCH_X86);
    CHECK_EQ_U64(h->context.context_flags, f->context_flags);
    CHECK_EQ_U64(h->context.ip, f->ip);
    CHECK_EQ_U64(h->context.eflags, f->eflags);
    CHECK_EQ_U64(h->context.cs, f->cs);
    CHECK_EQ_U64(h->context.ss, f->ss);
    CHECK_EQ_U64(h->context.fs, f->fs);
    CHECK_EQ_U64(h->context.mxcsr, f->mxcsr);
    CHECK_EQ_U64(h->context.dr[5], f->dr[5]);
    for (int i = 0; i < (wide ? 16 : 8); i++)
        CHECK_EQ_U64(h->context.gpr[i], f->gpr[i]);
    for (int i = 0; i < (wide ? 16 : 8); i++)
        CHECK(memcmp(h->context.xmm[i], f->xmm[i], 16) == 0);
    CHECK_EQ_U64(h->exception.code, 0xC0000005);
    CHECK_EQ_U64(h->exception.address, f->exception_address);
    CHECK_EQ_U64(h->exception.parameter_count, 2);
    CHECK_EQ_U64(h->exception.parameters[1], 0x28);
    CHECK_STR(pmm_kdump_bugcheck_name(h->bugcheck_code), "DRIVER_IRQL_NOT_LESS_OR_EQUAL");
    CHECK(pmm_kdump_warning(dump, 0) == NULL);
}

/* Every page the builder put in the dump reads back as placed; the pages around each run do not. */
static void check_physical(kscene *s, pmm_kdump *dump)
{
    uint64_t (*runs)[2] = malloc(4096 * sizeof *runs);
    size_t run_count = kdb_present_runs(s->b, runs, 4096);
    pmm_kdump_memory_summary sum;
    pmm_kdump_memory_summary_of(dump, &sum);
    CHECK_EQ_U64(sum.present_pages, kdb_present_count(s->b));
    CHECK_EQ_U64(sum.run_count, run_count);
    pmm_kdump_run got[64];
    size_t listed = pmm_kdump_runs(dump, 0, got, 64);
    CHECK_EQ_U64(listed, run_count < 64 ? run_count : 64);
    uint8_t page[KDB_PAGE];
    size_t mismatched = 0;
    for (size_t r = 0; r < run_count && r < 4096; r++) {
        if (r < listed) {
            CHECK_EQ_U64(got[r].first_page, runs[r][0]);
            CHECK_EQ_U64(got[r].page_count, runs[r][1]);
        }
        for (uint64_t pfn = runs[r][0]; pfn < runs[r][0] + runs[r][1]; pfn++) {
            size_t n = pmm_kdump_read_physical(dump, pfn * KDB_PAGE, page, KDB_PAGE);
            mismatched += n != KDB_PAGE || memcmp(page, kdb_page(s->b, pfn), KDB_PAGE) != 0;
        }
        CHECK_EQ_U64(pmm_kdump_read_physical(dump, (runs[r][0] + runs[r][1]) * KDB_PAGE, page, 8), 0);
        if (runs[r][0] > 0)
            CHECK_EQ_U64(pmm_kdump_read_physical(dump, (runs[r][0] - 1) * KDB_PAGE, page, 8), 0);
    }
    CHECK_EQ_U64(mismatched, 0);
    free(runs);
}

static void check_translations(kscene *s, pmm_kdump *dump)
{
    uint8_t want[KDB_PAGE], got[KDB_PAGE];
    for (size_t i = 0; i < s->check_count; i++) {
        const ks_check *c = &s->checks[i];
        pmm_kdump_translation t;
        CHECK(pmm_kdump_translate(dump, 0, c->va, &t) == PMM_OK);
        uint32_t expect = c->expect == KS_PAGE_NOT_IN_DUMP ? PMM_KDUMP_VA_PRESENT : c->expect;
        if (t.status != expect)
            fprintf(stderr, "  %s at 0x%llx: status %u, want %u\n", c->what, (unsigned long long)c->va, t.status,
                    expect);
        CHECK_EQ_U64(t.status, expect);
        size_t in_page = KDB_PAGE - (size_t)(c->va % KDB_PAGE);
        pmm_kdump_translation stop;
        size_t n = pmm_kdump_read_virtual(dump, 0, c->va, got, in_page, &stop);
        if (c->expect == KS_PRESENT || c->expect == KS_TRANSITION) {
            CHECK_EQ_U64(t.physical, c->physical);
            CHECK_EQ_U64(t.page_in_dump, 1);
            CHECK_EQ_U64(n, in_page);
            kscene_page_bytes(s, c, want);
            CHECK(memcmp(got, want + c->va % KDB_PAGE, in_page) == 0);
        } else {
            CHECK_EQ_U64(n, 0);   /* never zeros for what the dump does not hold */
            CHECK_EQ_U64(stop.status, t.status);
        }
        if (c->expect == KS_PRESENT) {
            CHECK_EQ_U64(t.page_size, c->page_size);
            CHECK_EQ_U64(t.writable, c->writable);
            CHECK_EQ_U64(t.user, c->user);
            CHECK_EQ_U64(t.executable, c->executable);
        }
        if (c->expect == KS_PAGE_NOT_IN_DUMP) {
            CHECK_EQ_U64(t.physical, c->physical);
            CHECK_EQ_U64(t.page_in_dump, 0);
        }
        if (c->expect == KS_PAGE_FILE) {
            CHECK_EQ_U64(t.page_file, 2);
            CHECK_EQ_U64(t.page_file_offset, 0x1234ull * KDB_PAGE);
        }
        if (c->expect == KS_TABLE_NOT_IN_DUMP)
            CHECK_EQ_U64(t.steps[t.step_count - 1].read, 0);
    }
}

static void check_modules(kscene *s, pmm_kdump *dump)
{
    pmm_kdump_module *mods;
    size_t count;
    char problem[256];
    CHECK(pmm_kdump_modules(dump, &mods, &count, problem, sizeof problem) == PMM_OK);
    CHECK_STR(problem, "");
    CHECK_EQ_U64(count, s->module_count);
    for (size_t i = 0; i < count && i < s->module_count; i++) {
        CHECK_EQ_U64(mods[i].base, s->modules[i].base);
        CHECK_EQ_U64(mods[i].size, s->modules[i].size);
        CHECK_EQ_U64(mods[i].entry_point, s->modules[i].entry_point);
        CHECK_STR(mods[i].full_name, s->modules[i].full_name);
        CHECK_STR(mods[i].base_name, s->modules[i].base_name);
    }
    free(mods);
}

static void check_dump(kscene *s, pmm_kdump *dump, uint32_t type)
{
    check_header(s, dump, type);
    check_physical(s, dump);
    check_translations(s, dump);
    check_modules(s, dump);
}

TEST_CASE(every_type_from_memory)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        kscene *s = kscene_build(cases[i].paging, NULL, 0);
        kdb_buffer buf = {0};
        CHECK(kdb_write(s->b, cases[i].type, kdb_sink_buffer(&buf)) == 0);
        pmm_kdump *dump = open_buffer(&buf);
        CHECK(dump != NULL);
        if (dump) {
            int before = check_failures_in_case;
            check_dump(s, dump, cases[i].type);
            if (check_failures_in_case != before)
                fprintf(stderr, "  (in the %s dump of type %u)\n", paging_name(cases[i].paging), cases[i].type);
            pmm_kdump_close(dump);
        }
        free(buf.data);
        kscene_free(s);
    }
}

/* The file paths: mapped (reads in place) and not mapped (positioned reads, the bitmap's block cache). */
TEST_CASE(every_type_from_files)
{
    char path[] = "/tmp/pmm_test_kdump_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    close(fd);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (uint32_t flags = 0; flags <= PMM_INPUT_FILE_NO_MAP; flags++) {
            kscene *s = kscene_build(cases[i].paging, NULL, 0);
            FILE *f = fopen(path, "wb");
            CHECK(f && kdb_write(s->b, cases[i].type, kdb_sink_file(f)) == 0);
            if (f)
                fclose(f);
            pmm_kdump *dump = NULL;
            char message[512] = "";
            CHECK(pmm_kdump_open_with(path, flags, &dump, message, sizeof message) == PMM_OK);
            if (dump) {
                check_dump(s, dump, cases[i].type);
                CHECK_EQ_U64(pmm_kdump_physical_page(dump, s->checks[0].physical / KDB_PAGE) != NULL, flags == 0);
                pmm_kdump_close(dump);
            }
            kscene_free(s);
        }
    remove(path);
}

/* A dump of many pages in a bitmap: every page present reads back through the block counts. */
TEST_CASE(bitmap_with_many_blocks)
{
    kdb *b = kdb_new(KDB_X64);
    kdb_add_synthetic(b, 0x100000, 3000);
    kdb_add_synthetic(b, 0x100000 + 3001, 1);
    kdb_add_synthetic(b, 0x100000 + 5000, 777);
    kdb_buffer buf = {0};
    CHECK(kdb_write(b, 5, kdb_sink_buffer(&buf)) == 0);
    pmm_kdump *dump = open_buffer(&buf);
    CHECK(dump != NULL);
    if (dump) {
        uint8_t got[KDB_PAGE], want[KDB_PAGE];
        size_t bad = 0;
        for (uint64_t pfn = 0x100000; pfn < 0x100000 + 6000; pfn++) {
            int present = pfn < 0x100000 + 3000 || pfn == 0x100000 + 3001 ||
                          (pfn >= 0x100000 + 5000 && pfn < 0x100000 + 5777);
            size_t n = pmm_kdump_read_physical(dump, pfn * KDB_PAGE, got, KDB_PAGE);
            kdb_synthetic_page(pfn, want);
            bad += present ? n != KDB_PAGE || memcmp(got, want, KDB_PAGE) != 0 : n != 0;
        }
        CHECK_EQ_U64(bad, 0);
        pmm_kdump_memory_summary sum;
        pmm_kdump_memory_summary_of(dump, &sum);
        CHECK_EQ_U64(sum.run_count, kdb_present_runs(b, NULL, 0));
        pmm_kdump_close(dump);
    }
    free(buf.data);
    kdb_free(b);
}

/* Many runs of 1 to 90 pages with gaps of 1 to 600 frames, within one 512-frame chunk and across
 * several: every frame from before the first to after the last is found exactly where it is. */
TEST_CASE(runs_across_chunks)
{
    kdb *b = kdb_new(KDB_X64);
    uint64_t starts[80], counts[80], at = 0x100000 + 7;
    uint32_t seed = 7;
    for (int i = 0; i < 80; i++) {
        seed = seed * 1103515245u + 12345u;
        counts[i] = 1 + (seed >> 16) % 90;
        seed = seed * 1103515245u + 12345u;
        starts[i] = at;
        kdb_add_synthetic(b, at, counts[i]);
        at += counts[i] + 1 + (seed >> 16) % 600;
    }
    kdb_buffer buf = {0};
    CHECK(kdb_write(b, 0xA, kdb_sink_buffer(&buf)) == 0);
    pmm_kdump *dump = open_buffer(&buf);
    CHECK(dump != NULL);
    size_t bad = 0;
    uint8_t got[KDB_PAGE], want[KDB_PAGE];
    for (uint64_t pfn = 0x100000; dump && pfn < at + 10; pfn++) {
        int present = 0;
        for (int i = 0; i < 80; i++)
            present |= pfn >= starts[i] && pfn < starts[i] + counts[i];
        size_t n = pmm_kdump_read_physical(dump, pfn * KDB_PAGE, got, KDB_PAGE);
        if (present)
            kdb_synthetic_page(pfn, want);
        bad += present ? n != KDB_PAGE || memcmp(got, want, KDB_PAGE) != 0 : n != 0;
    }
    CHECK_EQ_U64(bad, 0);
    pmm_kdump_close(dump);
    free(buf.data);
    kdb_free(b);
}

/* A read across pages stops at the first page that is not readable and says why. */
TEST_CASE(virtual_read_stops_at_absent_page)
{
    kscene *s = kscene_build(KDB_X64, NULL, 0);
    kdb_buffer buf = {0};
    CHECK(kdb_write(s->b, 1, kdb_sink_buffer(&buf)) == 0);
    pmm_kdump *dump = open_buffer(&buf);
    if (dump) {
        uint8_t got[3 * KDB_PAGE];
        pmm_kdump_translation stop;
        /* checks[1] is the read-only page at +0x1000; +0x2000 is left out of the dump. */
        uint64_t va = s->checks[1].va + 0x800;
        CHECK_EQ_U64(pmm_kdump_read_virtual(dump, 0, va, got, sizeof got, &stop), 0x800);
        CHECK_EQ_U64(stop.status, PMM_KDUMP_VA_PRESENT);
        CHECK_EQ_U64(stop.page_in_dump, 0);
        pmm_kdump_close(dump);
    }
    free(buf.data);
    kscene_free(s);
}

#define MAX_LEAVES 4096

typedef struct leaf_list {
    pmm_kdump_leaf leaves[MAX_LEAVES];
    size_t count;
    size_t stop_after;              /* 0: never stop */
} leaf_list;

static int keep_leaf(void *ctx, const pmm_kdump_leaf *leaf)
{
    leaf_list *l = ctx;
    if (l->count < MAX_LEAVES)
        l->leaves[l->count++] = *leaf;
    return l->stop_after && l->count == l->stop_after;
}

static int alike(const pmm_kdump_leaf *a, const pmm_kdump_leaf *b)
{
    return a->status == b->status && a->writable == b->writable && a->user == b->user &&
           a->executable == b->executable && a->software_protection == b->software_protection;
}

/* pmm_kdump_walk_runs gives the leaves of pmm_kdump_walk with adjacent alike ones joined (joined
 * here, from the leaf-by-leaf walk), stops where its visitor says with the resume address after
 * the last run visited; and a translation that starts from the remembered page table of the one
 * before (the next page) says what one that walks every level says, as does the page in place. */
TEST_CASE(walk_in_runs_and_remembered_tables)
{
    static const uint32_t pagings[] = {KDB_X64, KDB_PAE, KDB_X86};
    leaf_list *leaves = calloc(1, sizeof *leaves), *runs = calloc(1, sizeof *runs);
    for (size_t p = 0; p < 3 && leaves && runs; p++) {
        kscene *s = kscene_build(pagings[p], NULL, 0);
        kdb_buffer buf = {0};
        CHECK(kdb_write(s->b, 1, kdb_sink_buffer(&buf)) == 0);
        pmm_kdump *dump = open_buffer(&buf), *cold = open_buffer(&buf);
        leaves->count = runs->count = 0;
        leaves->stop_after = runs->stop_after = 0;
        CHECK(pmm_kdump_walk(dump, 0, 0, 0, 1u << 24, keep_leaf, leaves, NULL) == PMM_OK);
        CHECK(pmm_kdump_walk_runs(dump, 0, 0, 0, 1u << 24, keep_leaf, runs, NULL) == PMM_OK);
        CHECK(leaves->count > 20 && leaves->count < MAX_LEAVES);
        size_t joined = 0;
        for (size_t i = 0; i < leaves->count; joined++) {
            pmm_kdump_leaf run = leaves->leaves[i++];
            while (i < leaves->count && run.va + run.size == leaves->leaves[i].va && alike(&run, &leaves->leaves[i]))
                run.size += leaves->leaves[i++].size;
            const pmm_kdump_leaf *got = joined < runs->count ? &runs->leaves[joined] : NULL;
            CHECK(got && got->va == run.va && got->size == run.size && alike(got, &run) && got->page_in_dump == 0);
        }
        CHECK_EQ_U64(runs->count, joined);
        CHECK(joined < leaves->count);   /* the scene has adjacent pages alike */
        size_t all = runs->count;
        uint64_t resume = 0;
        runs->count = 0;
        runs->stop_after = all / 2;
        CHECK(pmm_kdump_walk_runs(dump, 0, 0, 0, 1u << 24, keep_leaf, runs, &resume) == PMM_OK);
        CHECK_EQ_U64(runs->count, all / 2);
        CHECK_EQ_U64(resume, runs->leaves[all / 2 - 1].va + runs->leaves[all / 2 - 1].size);
        /* Every page of every leaf, in order (the remembered table serves the next page), against the
         * same page translated after one far away (every level walked). */
        uint64_t far = pagings[p] == KDB_X64 ? 0xFFFFF68000000000ull : 0xC0000000ull;
        size_t compared = 0, in_place = 0;
        for (size_t i = 0; i < leaves->count; i++) {
            const pmm_kdump_leaf *l = &leaves->leaves[i];
            for (uint64_t off = 0; off < l->size && off < 64 * KDB_PAGE; off += KDB_PAGE, compared++) {
                pmm_kdump_translation warm, walked;
                pmm_kdump_translate(dump, 0, l->va + off, &warm);
                pmm_kdump_translate(cold, 0, far, &walked);
                pmm_kdump_translate(cold, 0, l->va + off, &walked);
                CHECK(memcmp(&warm, &walked, sizeof warm) == 0);
                CHECK_EQ_U64(warm.status, l->status);
                /* The page in place: from the remembered table (dump), after one far away (cold). */
                int readable = (walked.status == PMM_KDUMP_VA_PRESENT || walked.status == PMM_KDUMP_VA_TRANSITION) &&
                               walked.page_in_dump;
                const uint8_t *want = readable ? pmm_kdump_physical_page(cold, walked.physical / KDB_PAGE) : NULL;
                CHECK(pmm_kdump_virtual_page(dump, 0, l->va + off) == want);
                pmm_kdump_translate(cold, 0, far, &walked);
                CHECK(pmm_kdump_virtual_page(cold, 0, l->va + off) == want);
                in_place += want != NULL;
            }
        }
        CHECK(compared > leaves->count && in_place > 0 && in_place < compared);
        pmm_kdump_close(dump);
        pmm_kdump_close(cold);
        free(buf.data);
        kscene_free(s);
    }
    CHECK(leaves && runs);
    free(leaves);
    free(runs);
}

static const pmm_region_info *region_of(const pmm_region_info *regions, size_t count, uint64_t va)
{
    for (size_t i = 0; i < count; i++)
        if (va - regions[i].base < regions[i].size)
            return &regions[i];
    return NULL;
}

/* The kernel address space as a source: regions from the page tables in order, Image over the
 * modules, the protections the entries give, nothing where the tables are not in the dump. */
TEST_CASE(kernel_space_source)
{
    static const uint32_t pagings[] = {KDB_X64, KDB_PAE, KDB_X86};
    for (size_t p = 0; p < 3; p++) {
        kscene *s = kscene_build(pagings[p], NULL, 0);
        kdb_buffer buf = {0};
        CHECK(kdb_write(s->b, 1, kdb_sink_buffer(&buf)) == 0);
        pmm_kdump *dump = open_buffer(&buf);
        pmm_source src;
        char message[256];
        CHECK(pmm_kdump_kernel_source_wrap(dump, "scene", &src, message, sizeof message) == PMM_OK);
        pmm_region_info regions[256];
        size_t count = 0;
        uint64_t at = src.target.lowest_address;
        pmm_region_info r;
        while (count < 256 && pmm_source_query(&src, at, &r) == PMM_OK) {
            CHECK(r.base >= at && r.size > 0);
            regions[count++] = r;
            at = r.base + r.size;
        }
        CHECK(count > 5 && count < 256);
        for (size_t i = 0; i < s->module_count; i++) {
            const pmm_region_info *m = region_of(regions, count, s->modules[i].base);
            CHECK(m && m->type == PMM_MEM_IMAGE && m->alloc_base == s->modules[i].base);
            CHECK(m && m->base == s->modules[i].base && m->size == s->modules[i].size);
        }
        for (size_t i = 0; i < s->check_count; i++) {
            const ks_check *c = &s->checks[i];
            const pmm_region_info *m = region_of(regions, count, c->va);
            if (c->va < src.target.lowest_address)
                continue;   /* the user-mode page is outside the kernel's half */
            if (c->expect == KS_ZERO_ENTRY || c->expect == KS_TABLE_NOT_IN_DUMP) {
                CHECK(m == NULL);
                continue;
            }
            CHECK(m != NULL && m->state == PMM_MEM_COMMIT && m->type == PMM_MEM_PRIVATE);
            if (m && c->expect == KS_PRESENT)
                CHECK_EQ_U64(m->protect, c->executable ? (c->writable ? PMM_PAGE_EXECUTE_READWRITE : PMM_PAGE_EXECUTE_READ)
                                                       : (c->writable ? PMM_PAGE_READWRITE : PMM_PAGE_READONLY));
            if (m && (c->expect == KS_PAGE_FILE || c->expect == KS_DEMAND_ZERO || c->expect == KS_TRANSITION))
                CHECK_EQ_U64(m->protect, PMM_PAGE_READWRITE);   /* MM_READWRITE in the entry */
            uint8_t a[64], b[64];
            size_t n = pmm_source_read(&src, c->va, a, sizeof a);
            CHECK_EQ_U64(n, pmm_kdump_read_virtual(dump, 0, c->va, b, sizeof b, NULL));
            CHECK(memcmp(a, b, n) == 0);
        }
        pmm_module_info *mods;
        size_t mod_count;
        CHECK(src.ops->modules(src.impl, &mods, &mod_count) == PMM_OK);
        CHECK_EQ_U64(mod_count, s->module_count);
        free(mods);
        pmm_source_close(&src);
        free(buf.data);
        kscene_free(s);
    }
}

CHECK_MAIN(CASE(kernel_space_source), CASE(walk_in_runs_and_remembered_tables), CASE(every_type_from_memory), CASE(every_type_from_files), CASE(bitmap_with_many_blocks), CASE(runs_across_chunks),
           CASE(virtual_read_stops_at_absent_page))
