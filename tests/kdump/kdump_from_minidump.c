/* Lays a real process's memory into a kernel dump, for the tests of a process inside a kernel dump:
 *   kdump_from_minidump MINIDUMP REGIONS OUT.dmp PID NAME PEB [--leave-out N] [--wow64 | --x86]
 *                       [--build 17763 | --build 10240]
 * REGIONS has a line "BASE SIZE PROTECT" (numbers in C syntax) per committed region of the process
 * (the test writes it from `pmm map PID --json`), or "BASE SIZE PROTECT STATE ALLOC_BASE
 * ALLOC_PROTECT TYPE<tab>NAME" per region that is not free: then the process also gets a VAD tree
 * (kdump_vads.h), a VAD per allocation (from its base to the end of its last region, its type,
 * allocation protection and the mapped file NAME; private allocations not committed when
 * allocated, so their reserved pages have no entries), and only committed regions are laid. The
 * minidump (one dbghelp wrote: Wine's writes no
 * MemoryInfoList) gives the bytes. The test machine (kdump_scene, x64) gains a process PID named
 * NAME (with the minidump's threads as ETHREADs: thread id, TEB, a trap frame of its registers; the
 * first is the thread running at the crash) whose page tables map every
 * page of those regions: pages whose bytes the minidump holds
 * (Memory64List) on stored pages with the protection the entry bits can express (write unless
 * read-only or copy-on-write, no-execute unless executable), the others as paged out (the page
 * file entry keeps their protection). --leave-out N also leaves every Nth page with bytes out of
 * the dump (a present entry whose page the dump does not hold). Written as a Bitmap dump. Prints
 * one line of JSON: the process's DirectoryTableBase, the counts of pages laid (with bytes), left
 * out and paged out, and "laid": [[first, end, protect, left out]...], runs of pages with bytes in
 * the minidump and one protection (left out: 1 for the pages --leave-out took, as runs of their own).
 * --build 17763 writes the x64 machine with Windows 10 1809's layouts instead of 2004's, --build 10240
 * with Windows 10 1507's (kdump_scene.h: KS_BUILD_17763, KS_BUILD_10240); --x86 lays a
 * 32-bit process's minidump into the x86 PAE machine (Windows 7 SP1's layouts), its threads with
 * x86 trap frames of their CONTEXTs, written as a kernel summary dump (a bitmap of every page laid).
 * Test code only: the minidump is parsed here from its published layout, not by core/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kdump_scene.h"
#include "kdump_vads.h"

#define THREAD_LIST_STREAM 3u
#define MEMORY64_LIST_STREAM 9u

/* Runs of pages laid, printed at the end. */
typedef struct laid_runs {
    uint64_t (*run)[4];   /* first, end, protect, left out */
    size_t count, cap;
} laid_runs;

static void add_laid(laid_runs *r, uint64_t va, uint32_t protect, int left_out)
{
    if (r->count && r->run[r->count - 1][1] == va && r->run[r->count - 1][2] == protect &&
        r->run[r->count - 1][3] == (uint64_t)left_out) {
        r->run[r->count - 1][1] += KDB_PAGE;
        return;
    }
    if (r->count == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 256;
        r->run = realloc(r->run, r->cap * sizeof *r->run);
        if (!r->run)
            abort();
    }
    r->run[r->count][0] = va, r->run[r->count][1] = va + KDB_PAGE, r->run[r->count][2] = protect;
    r->run[r->count++][3] = (uint64_t)left_out;
}

typedef struct file_bytes {
    uint8_t *data;
    size_t size;
} file_bytes;

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
    return le32(p) | (uint64_t)le32(p + 4) << 32;
}

static int read_all(const char *path, file_bytes *f)
{
    FILE *in = fopen(path, "rb");
    if (!in)
        return -1;
    fseek(in, 0, SEEK_END);
    long n = ftell(in);
    fseek(in, 0, SEEK_SET);
    f->data = n > 0 ? malloc((size_t)n) : NULL;
    f->size = f->data && fread(f->data, 1, (size_t)n, in) == (size_t)n ? (size_t)n : 0;
    fclose(in);
    return f->size ? 0 : -1;
}

/* The stream of a type: its bytes, or NULL. */
static const uint8_t *stream(const file_bytes *f, uint32_t type, uint32_t *size)
{
    if (f->size < 32 || memcmp(f->data, "MDMP", 4) != 0)
        return NULL;
    uint32_t count = le32(f->data + 8), dir = le32(f->data + 12);
    for (uint32_t i = 0; i < count && (uint64_t)dir + 12ull * (i + 1) <= f->size; i++) {
        const uint8_t *e = f->data + dir + 12 * i;
        if (le32(e) == type && (uint64_t)le32(e + 8) + le32(e + 4) <= f->size) {
            *size = le32(e + 4);
            return f->data + le32(e + 8);
        }
    }
    return NULL;
}

/* Where the minidump holds the bytes of page va (file offset), or 0. */
static uint64_t page_offset(const file_bytes *f, uint64_t va)
{
    uint32_t size;
    const uint8_t *s = stream(f, MEMORY64_LIST_STREAM, &size);
    if (!s || size < 16)
        return 0;
    uint64_t count = le64(s), rva = le64(s + 8);
    for (uint64_t i = 0; i < count && 16 + 16 * (i + 1) <= size; i++) {
        uint64_t start = le64(s + 16 + 16 * i), len = le64(s + 24 + 16 * i);
        if (va >= start && va + KDB_PAGE <= start + len)
            return rva + (va - start) <= f->size - KDB_PAGE ? rva + (va - start) : 0;
        rva += len;
    }
    return 0;
}

/* Entry bits for a Windows page protection: write for read-write pages (copy-on-write pages are
 * read-only in their entries until written), no-execute unless executable. */
static uint64_t entry_flags(uint32_t protect)
{
    uint32_t p = protect & 0xFF;
    int writable = p == 0x04 || p == 0x40, executable = p == 0x10 || p == 0x20 || p == 0x40 || p == 0x80;
    return KDB_PRESENT | KDB_USER | (writable ? KDB_WRITE : 0) | (executable ? 0 : KDB_NX);
}

/* A thread's registers from its minidump CONTEXT, in the pmm_context order; 0 when the CONTEXT is
 * too short. x64: Rax at 0x78 to R15 at 0xF0, Rip at 0xF8. x86 (winnt.h): Edi 0x9C, Esi 0xA0, Ebx
 * 0xA4, Edx 0xA8, Ecx 0xAC, Eax 0xB0, Ebp 0xB4, Eip 0xB8, Esp 0xC4. */
static int context_registers(const uint8_t *context, uint32_t size, int x86, uint64_t gpr[16], uint64_t *ip)
{
    static const uint32_t x86_at[8] = {0xB0, 0xAC, 0xA8, 0xA4, 0xC4, 0xB4, 0xA0, 0x9C};   /* eax..edi */
    memset(gpr, 0, 16 * sizeof *gpr);
    if (size < (x86 ? 0xC8u : 0x100u))
        return 0;
    for (int r = 0; r < (x86 ? 8 : 16); r++)
        gpr[r] = x86 ? le32(context + x86_at[r]) : le64(context + 0x78 + 8 * r);
    *ip = x86 ? le32(context + 0xB8) : le64(context + 0xF8);
    return 1;
}

/* The minidump's threads (MINIDUMP_THREAD: ThreadId at 0, Teb at 16, ThreadContext's size and rva
 * at 40 and 44; 48 bytes each) as ETHREADs, each with a trap frame of its CONTEXT's registers (x86
 * with --x86: a 32-bit process's minidump); the first runs on processor 1 at the crash. */
static void add_threads(kscene *s, ks_process *p, const file_bytes *md, int x86)
{
    uint32_t size;
    const uint8_t *t = stream(md, THREAD_LIST_STREAM, &size);
    uint32_t count = t && size >= 4 ? le32(t) : 0;
    for (uint32_t i = 0; i < count && 4 + 48ull * (i + 1) <= size && i < KS_MAX_THREADS; i++) {
        const uint8_t *e = t + 4 + 48 * i;
        kscene_add_thread(s, p, le32(e), le64(e + 16), 0);
        uint32_t context_size = le32(e + 40), rva = le32(e + 44);
        uint64_t gpr[16], ip;
        if ((uint64_t)rva + context_size <= md->size &&
            context_registers(md->data + rva, context_size, x86, gpr, &ip))
            kscene_set_user_context(s, &p->listed[p->listed_count - 1], gpr, ip);
    }
    p->threads = count;
    if (p->listed_count)
        kscene_set_current(s, 1, &p->listed[0], 1);
}

/* WOW64 (--wow64: the minidump is a 32-bit process's): each thread's KTHREAD.Teb is a 64-bit TEB
 * the builder makes above the 32-bit address space (a 32-bit Wine process has none), whose
 * NtTib.ExceptionList points at the minidump's 32-bit TEB (as on Windows), NtTib.Self at itself,
 * and whose TlsSlots[1] (WOW64_TLS_CPURESERVED, at 0x1488) points at a WOW64_CPURESERVED (Flags,
 * Machine 0x14C, then the thread's x86 CONTEXT from the minidump) in its second page. */
#define WOW64_TEB64_AREA 0x7FF700000000ull
#define TEB64_SELF 0x30u
#define TEB64_CPURESERVED_SLOT 0x1488u
#define CPURESERVED_AT 0x1900u
#define X86_CONTEXT_SIZE 0x2CCu

static uint64_t wow64_teb64(uint32_t index)
{
    return WOW64_TEB64_AREA + (uint64_t)index * 0x2000;
}

static void add_wow64_threads(kscene *s, ks_process *p, const file_bytes *md)
{
    uint32_t size;
    const uint8_t *t = stream(md, THREAD_LIST_STREAM, &size);
    uint32_t count = t && size >= 4 ? le32(t) : 0;
    for (uint32_t i = 0; i < count && 4 + 48ull * (i + 1) <= size && i < KS_MAX_THREADS; i++)
        kscene_add_thread(s, p, le32(t + 4 + 48 * i), wow64_teb64(i), 0);
    p->threads = count;
    if (p->listed_count)
        kscene_set_current(s, 1, &p->listed[0], 1);
}

/* The 64-bit TEBs, in the process's page tables (active). */
static void lay_wow64_tebs(kscene *s, const file_bytes *md)
{
    uint32_t size;
    const uint8_t *t = stream(md, THREAD_LIST_STREAM, &size);
    uint32_t count = t && size >= 4 ? le32(t) : 0;
    for (uint32_t i = 0; i < count && 4 + 48ull * (i + 1) <= size && i < KS_MAX_THREADS; i++) {
        const uint8_t *e = t + 4 + 48 * i;
        uint8_t teb[0x2000];
        uint64_t at = wow64_teb64(i), teb32 = le64(e + 16);
        uint32_t context_size = le32(e + 40), rva = le32(e + 44);
        memset(teb, 0, sizeof teb);
        memcpy(teb, &teb32, 8);                    /* little-endian host: test code */
        memcpy(teb + TEB64_SELF, &at, 8);
        uint64_t reserved = at + CPURESERVED_AT;
        memcpy(teb + TEB64_CPURESERVED_SLOT, &reserved, 8);
        teb[CPURESERVED_AT + 2] = 0x4C, teb[CPURESERVED_AT + 3] = 0x01;   /* Machine: i386 */
        if (context_size >= X86_CONTEXT_SIZE && (uint64_t)rva + X86_CONTEXT_SIZE <= md->size)
            memcpy(teb + CPURESERVED_AT + 4, md->data + rva, X86_CONTEXT_SIZE);
        kdb_map_new(s->b, at, sizeof teb, KDB_PRESENT | KDB_WRITE | KDB_USER | KDB_NX);
        kdb_write_virtual(s->b, at, teb, sizeof teb);
    }
}

/* Maps one committed region's pages into the process's tables (active). */
static void lay_region(kscene *s, const file_bytes *md, uint64_t base, uint64_t size, uint32_t protect,
                       unsigned long leave_out, laid_runs *runs, uint64_t counts[3])
{
    for (uint64_t va = base; va < base + size; va += KDB_PAGE) {
        uint64_t at = page_offset(md, va);
        if (!at || (protect & 0x100) || (protect & 0xFF) == 0x01) {   /* no bytes, guard, no access */
            kdb_set_pte(s->b, va, 0x1234ull << 32 | 1u << 1 | ks_mm_protection(protect) << 5);
            counts[2]++;
            continue;
        }
        uint64_t pfn = kdb_new_page(s->b);
        memcpy(kdb_page(s->b, pfn), md->data + at, KDB_PAGE);
        kdb_map(s->b, va, pfn * KDB_PAGE, KDB_PAGE, entry_flags(protect));
        int omit = leave_out && ++counts[0] % leave_out == 0;
        if (!leave_out)
            counts[0]++;
        if (omit) {
            kdb_omit(s->b, pfn);
            counts[1]++;
        }
        add_laid(runs, va, protect, omit);
    }
}

/* A region line of REGIONS. */
typedef struct region_line {
    uint64_t base, size, alloc_base;
    uint32_t protect, state, alloc_protect, type;
    char name[520];
} region_line;

#define MEM_COMMIT 0x1000u

/* Reads REGIONS; *typed set when the lines have allocations (the long form). */
static region_line *read_regions(FILE *in, size_t *count, int *typed)
{
    region_line *lines = NULL;
    size_t cap = 0;
    char text[1024];
    *count = 0;
    *typed = 0;
    while (fgets(text, sizeof text, in)) {
        region_line r;
        unsigned long long base, size, alloc_base;
        unsigned protect, state, alloc_protect, type;
        memset(&r, 0, sizeof r);
        int n = sscanf(text, "%llx %llx %x %x %llx %x %x", &base, &size, &protect, &state, &alloc_base,
                       &alloc_protect, &type);
        if (n < 3 || base >= 0x800000000000ull || size >= 0x800000000000ull)
            continue;
        r.base = base, r.size = size, r.protect = protect, r.state = MEM_COMMIT;
        if (n == 7) {
            *typed = 1;
            r.state = state, r.alloc_base = alloc_base, r.alloc_protect = alloc_protect, r.type = type;
            const char *tab = strchr(text, '\t');
            if (tab)
                snprintf(r.name, sizeof r.name, "%.*s", (int)strcspn(tab + 1, "\r\n"), tab + 1);
        }
        if (*count == cap) {
            cap = cap ? 2 * cap : 256;
            lines = realloc(lines, cap * sizeof *lines);
            if (!lines)
                abort();
        }
        lines[(*count)++] = r;
    }
    return lines;
}

/* A VAD per allocation: the regions of one allocation base, in address order, make one. */
static void write_vads(kscene *s, ks_process *p, const region_line *lines, size_t count)
{
    ks_vad *vads = calloc(count ? count : 1, sizeof *vads);
    size_t n = 0;
    if (!vads)
        abort();
    for (size_t i = 0; i < count; i++) {
        const region_line *r = &lines[i];
        if (n && vads[n - 1].start == r->alloc_base && r->base >= vads[n - 1].end) {
            vads[n - 1].end = r->base + r->size;
            if (!vads[n - 1].name && r->name[0])
                vads[n - 1].name = r->name;
            continue;
        }
        if (r->alloc_base > r->base || (n && r->alloc_base < vads[n - 1].end))
            continue;   /* not in address order: left without a VAD */
        vads[n].start = r->alloc_base;
        vads[n].end = r->base + r->size;
        vads[n].type = r->type;
        vads[n].protect = r->alloc_protect;
        vads[n].committed = 0;
        vads[n].name = r->name[0] ? r->name : NULL;
        n++;
    }
    if (n)
        kscene_write_vads(s, p, vads, n, 0);
    free(vads);
}

/* The scene flag of a --build value (KS_BUILD_*), 0 for a build the builder does not lay. */
static uint32_t build_flag_of(const char *build)
{
    return strcmp(build, "17763") == 0 ? KS_BUILD_17763 : strcmp(build, "10240") == 0 ? KS_BUILD_10240 : 0;
}

int main(int argc, char **argv)
{
    if (argc < 7) {
        fprintf(stderr, "usage: kdump_from_minidump MINIDUMP REGIONS OUT.dmp PID NAME PEB [--leave-out N] "
                "[--wow64 | --x86] [--build 17763 | --build 10240]\n");
        return 2;
    }
    unsigned long leave_out = 0;
    int wow64 = 0, x86 = 0;
    uint32_t flags = 0;
    for (int a = 7; a < argc; a++) {
        if (strcmp(argv[a], "--leave-out") == 0 && a + 1 < argc)
            leave_out = strtoul(argv[++a], NULL, 0);
        else if (strcmp(argv[a], "--wow64") == 0)
            wow64 = 1;
        else if (strcmp(argv[a], "--x86") == 0)
            x86 = 1;
        else if (strcmp(argv[a], "--build") == 0 && a + 1 < argc && build_flag_of(argv[a + 1]))
            flags |= build_flag_of(argv[a + 1]), a++;
        else {
            fprintf(stderr, "kdump_from_minidump: unknown option %s\n", argv[a]);
            return 2;
        }
    }
    if (x86 && (wow64 || flags)) {
        fprintf(stderr, "kdump_from_minidump: --x86 takes neither --wow64 nor --build\n");
        return 2;
    }
    file_bytes md = {NULL, 0};
    FILE *regions = fopen(argv[2], "r");
    if (read_all(argv[1], &md) != 0 || !regions) {
        fprintf(stderr, "kdump_from_minidump: cannot read %s or %s\n", argv[1], argv[2]);
        free(md.data);
        return 1;
    }
    kscene *s = kscene_build_with(x86 ? KDB_PAE : KDB_X64, NULL, 0, flags);
    ks_process *p = kscene_add_process(s, (uint32_t)strtoul(argv[4], NULL, 0), 4660, argv[5], 1);
    if (wow64) {   /* a 32-bit process: its PEB is the EWOW64PROCESS's; no 64-bit PEB is laid */
        p->wow64 = 1;
        p->peb32 = strtoull(argv[6], NULL, 0);
        add_wow64_threads(s, p, &md);
    } else {
        p->peb = strtoull(argv[6], NULL, 0);
        add_threads(s, p, &md, x86);
    }
    size_t line_count;
    int typed;
    region_line *lines = read_regions(regions, &line_count, &typed);
    fclose(regions);
    if (typed)
        write_vads(s, p, lines, line_count);
    kscene_relink(s);
    kdb_use_space(s->b, p->dtb);
    laid_runs runs = {NULL, 0, 0};
    uint64_t counts[3] = {0, 0, 0};   /* laid, left out, paged out */
    for (size_t i = 0; i < line_count; i++)
        if (lines[i].state == MEM_COMMIT)
            lay_region(s, &md, lines[i].base, lines[i].size, lines[i].protect, leave_out, &runs, counts);
    free(lines);
    if (wow64)
        lay_wow64_tebs(s, &md);
    kdb_use_space(s->b, 0);
    FILE *out = fopen(argv[3], "wb");
    int rc = out ? kdb_write(s->b, x86 ? 2 : 5, kdb_sink_file(out)) : -1;   /* x86: a kernel summary (bitmap) */
    if (out && fclose(out) != 0)
        rc = -1;
    if (rc == 0) {
        printf("{\"directory_table_base\": \"0x%llx\", \"pages\": %llu, \"left_out\": %llu, \"paged_out\": %llu, "
               "\"laid\": [", (unsigned long long)p->dtb, (unsigned long long)counts[0],
               (unsigned long long)counts[1], (unsigned long long)counts[2]);
        for (size_t i = 0; i < runs.count; i++)
            printf("%s[%llu, %llu, %llu, %llu]", i ? ", " : "", (unsigned long long)runs.run[i][0],
                   (unsigned long long)runs.run[i][1], (unsigned long long)runs.run[i][2],
                   (unsigned long long)runs.run[i][3]);
        printf("]}\n");
    } else {
        fprintf(stderr, "kdump_from_minidump: writing %s failed\n", argv[3]);
    }
    kscene_free(s);
    free(runs.run);
    free(md.data);
    return rc == 0 ? 0 : 1;
}
