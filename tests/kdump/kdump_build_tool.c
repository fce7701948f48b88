/* Writes the test machine (kdump_scene) as every dump type, for the integration tests, with a
 * truth file saying what the builder placed where:
 *   kdump_build OUTDIR [--driver64 PE]... [--driver32 PE]...
 * OUTDIR/<paging>_type<N>.dmp for x64 (types 1, 2, 5, 6, 8, 9, 0xA), x86 PAE and x86 (1, 2), the
 * machine with a build the reader's offset table lacks (x64_unlisted_type5.dmp, pae_unlisted_type1.dmp),
 * and OUTDIR/truth.json: per dump its file, paging, type, header facts, the checks (address, what a
 * reader must find, physical address, page size, permissions, and the page's bytes in hex where
 * readable), the modules and the processes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kdump_scene.h"

static const char *expect_name(uint32_t expect)
{
    switch (expect) {
    case KS_PRESENT: return "present";
    case KS_TRANSITION: return "transition";
    case KS_ZERO_ENTRY: return "zero_entry";
    case KS_DEMAND_ZERO: return "demand_zero";
    case KS_PAGE_FILE: return "page_file";
    case KS_PROTOTYPE: return "prototype";
    case KS_TABLE_NOT_IN_DUMP: return "table_not_in_dump";
    }
    return "page_not_in_dump";
}

static const char *paging_name(uint32_t paging)
{
    return paging == KDB_X64 ? "x64" : paging == KDB_PAE ? "pae" : "x86";
}

static void print_hex(FILE *f, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++)
        fprintf(f, "%02x", data[i]);
}

static void print_facts(FILE *f, kscene *s)
{
    const kdb_facts *x = kdb_facts_of(s->b);
    int wide = kdb_paging_of(s->b) == KDB_X64;
    fprintf(f, "\"dtb\": \"0x%llx\", \"build\": %u, \"bugcheck\": {\"code\": %u, \"parameters\": [",
            (unsigned long long)kdb_dtb(s->b), x->build, x->bugcheck_code);
    for (int i = 0; i < 4; i++)
        fprintf(f, "%s\"0x%llx\"", i ? ", " : "", (unsigned long long)x->bugcheck_parameters[i]);
    fprintf(f, "]}, \"ip\": \"0x%llx\", \"gpr\": [", (unsigned long long)x->ip);
    for (int i = 0; i < (wide ? 16 : 8); i++)
        fprintf(f, "%s\"0x%llx\"", i ? ", " : "", (unsigned long long)x->gpr[i]);
    fprintf(f, "], \"os\": {\"major\": %u, \"minor\": %u, \"build\": %u}, \"present_pages\": %llu", s->nt_major,
            s->nt_minor, s->nt_build, (unsigned long long)kdb_present_count(s->b));
}

static void print_checks(FILE *f, kscene *s)
{
    uint8_t page[KDB_PAGE];
    fprintf(f, "\"checks\": [");
    for (size_t i = 0; i < s->check_count; i++) {
        const ks_check *c = &s->checks[i];
        fprintf(f, "%s\n    {\"address\": \"0x%llx\", \"expect\": \"%s\", \"what\": \"%s\", \"physical\": \"0x%llx\", "
                   "\"page_size\": %llu, \"writable\": %u, \"user\": %u, \"executable\": %u",
                i ? "," : "", (unsigned long long)c->va, expect_name(c->expect), c->what,
                (unsigned long long)c->physical, (unsigned long long)c->page_size, c->writable, c->user,
                c->executable);
        if (c->expect == KS_PRESENT || c->expect == KS_TRANSITION) {
            kscene_page_bytes(s, c, page);
            fprintf(f, ", \"page\": \"");
            print_hex(f, page, KDB_PAGE);
            fprintf(f, "\"");
        }
        fprintf(f, "}");
    }
    fprintf(f, "]");
}

static void print_modules(FILE *f, kscene *s)
{
    fprintf(f, "\"modules\": [");
    for (size_t i = 0; i < s->module_count; i++) {
        const ks_module *m = &s->modules[i];
        fprintf(f, "%s{\"base\": \"0x%llx\", \"size\": %llu, \"entry_point\": \"0x%llx\", \"name\": \"%s\", "
                   "\"path\": \"",
                i ? ", " : "", (unsigned long long)m->base, (unsigned long long)m->size,
                (unsigned long long)m->entry_point, m->base_name);
        for (const char *p = m->full_name; *p; p++)
            fprintf(f, *p == '\\' ? "\\\\" : "%c", *p);
        fprintf(f, "\", \"file\": \"%s\"}", m->file);
    }
    fprintf(f, "]");
}

static void print_processes(FILE *f, kscene *s)
{
    fprintf(f, "\"processes\": [");
    for (size_t i = 0; i < s->process_count; i++) {
        const ks_process *p = &s->processes[i];
        fprintf(f, "%s\n    {\"pid\": %u, \"parent_pid\": %u, \"name\": \"%s\", \"threads\": %u, \"wow64\": %u, "
                   "\"create_time\": %llu, \"peb\": \"0x%llx\", \"peb32\": \"0x%llx\", \"directory_table_base\": \"0x%llx\", "
                   "\"eprocess\": \"0x%llx\"}",
                i ? "," : "", p->pid, p->parent_pid, p->name, p->threads, p->wow64, (unsigned long long)p->create_time,
                (unsigned long long)p->peb, (unsigned long long)p->peb32, (unsigned long long)p->dtb,
                (unsigned long long)p->eprocess);
    }
    fprintf(f, "]");
    if (s->crashed)
        fprintf(f, ", \"current\": {\"pid\": %u, \"tid\": %u, \"ethread\": \"0x%llx\", \"processor\": %u}",
                s->crashed_pid, s->crashed->tid, (unsigned long long)s->crashed->ethread, s->crashed_processor);
    else
        fprintf(f, ", \"current\": null");
}

static int write_one(const char *dir, uint32_t paging, uint32_t type, uint32_t flags, const char *const *drivers,
                     size_t count, FILE *truth, int *first)
{
    kscene *s = kscene_build_with(paging, drivers, count, flags);
    if (!s) {
        fprintf(stderr, "kdump_build: a driver file could not be placed\n");
        return -1;
    }
    char name[64], path[1200];
    snprintf(name, sizeof name, "%s%s_type%u.dmp", paging_name(paging), flags & KS_UNLISTED_BUILD ? "_unlisted" : "",
             type);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    int rc = f ? kdb_write(s->b, type, kdb_sink_file(f)) : -1;
    if (f && fclose(f) != 0)
        rc = -1;
    if (rc != 0) {
        fprintf(stderr, "kdump_build: writing %s failed\n", path);
        kscene_free(s);
        return -1;
    }
    fprintf(truth, "%s\n  {\"file\": \"%s\", \"paging\": \"%s\", \"bits\": %d, \"type\": %u, \"unlisted_build\": %s, ",
            *first ? "" : ",", name, paging_name(paging), paging == KDB_X64 ? 64 : 32, type,
            flags & KS_UNLISTED_BUILD ? "true" : "false");
    print_facts(truth, s);
    fprintf(truth, ", ");
    print_modules(truth, s);
    fprintf(truth, ", ");
    print_processes(truth, s);
    fprintf(truth, ", ");
    print_checks(truth, s);
    fprintf(truth, "}");
    *first = 0;
    kscene_free(s);
    return 0;
}

int main(int argc, char **argv)
{
    static const uint32_t types64[] = {1, 2, 5, 6, 8, 9, 0xA}, types32[] = {1, 2};
    const char *drivers64[3], *drivers32[3];
    size_t n64 = 0, n32 = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: kdump_build OUTDIR [--driver64 PE]... [--driver32 PE]...\n");
        return 2;
    }
    for (int i = 2; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--driver64") == 0 && n64 < 3)
            drivers64[n64++] = argv[i + 1];
        else if (strcmp(argv[i], "--driver32") == 0 && n32 < 3)
            drivers32[n32++] = argv[i + 1];
    }
    char truth_path[1200];
    snprintf(truth_path, sizeof truth_path, "%s/truth.json", argv[1]);
    FILE *truth = fopen(truth_path, "w");
    if (!truth) {
        fprintf(stderr, "kdump_build: cannot write %s\n", truth_path);
        return 1;
    }
    int first = 1, rc = 0;
    fprintf(truth, "{\"dumps\": [");
    for (size_t t = 0; t < sizeof types64 / sizeof types64[0] && rc == 0; t++)
        rc = write_one(argv[1], KDB_X64, types64[t], 0, drivers64, n64, truth, &first);
    for (uint32_t paging = KDB_PAE; paging <= KDB_X86 && rc == 0; paging++)
        for (size_t t = 0; t < sizeof types32 / sizeof types32[0] && rc == 0; t++)
            rc = write_one(argv[1], paging, types32[t], 0, drivers32, n32, truth, &first);
    /* A build the reader's offset table does not have: the process list needs inferred offsets. */
    if (rc == 0)
        rc = write_one(argv[1], KDB_X64, 5, KS_UNLISTED_BUILD, drivers64, n64, truth, &first);
    if (rc == 0)
        rc = write_one(argv[1], KDB_PAE, 1, KS_UNLISTED_BUILD, drivers32, n32, truth, &first);
    fprintf(truth, "\n]}\n");
    if (fclose(truth) != 0)
        rc = -1;
    return rc == 0 ? 0 : 1;
}
