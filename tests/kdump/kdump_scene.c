/* The test machine of kdump_scene.h. */
#include "kdump_scene.h"
#include "kdump_vads.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../unit/test_util.h"

#define PROT_READWRITE 4u   /* MM_READWRITE in a software entry's protection field */

typedef struct scene_layout {
    uint64_t kuser, nt_data, drivers, drivers_stride, checks, large, large_pa, large_size;
    uint64_t huge, huge_pa;   /* x64 only */
    uint64_t user_page;
    uint32_t entry_size;      /* KLDR_DATA_TABLE_ENTRY bytes we write */
} scene_layout;

static const scene_layout layout64 = {
    0xFFFFF78000000000ull, 0xFFFFF80001000000ull, 0xFFFFF80002000000ull, 0x1000000, 0xFFFFF80010000000ull,
    0xFFFFF80040000000ull, 0x8200000, 0x200000, 0xFFFFF80080000000ull, 0x40000000, 0x10000, 0xA0};
static const scene_layout layout_pae = {
    0xFFDF0000, 0x81000000, 0x82000000, 0x1000000, 0x90000000, 0xA0000000, 0x8200000, 0x200000, 0, 0, 0x10000, 0x50};
static const scene_layout layout_x86 = {
    0xFFDF0000, 0x81000000, 0x82000000, 0x1000000, 0x90000000, 0xA0000000, 0xC800000, 0x400000, 0, 0, 0x10000, 0x50};

static const scene_layout *layout_of(uint32_t paging)
{
    return paging == KDB_X64 ? &layout64 : paging == KDB_PAE ? &layout_pae : &layout_x86;
}

/* Distinct bytes for every page: (va page number, offset). */
static void fill_pattern(uint8_t *page, uint64_t va)
{
    for (size_t i = 0; i < KDB_PAGE; i++)
        page[i] = (uint8_t)((va >> 12) * 131 + i * 7 + (i >> 8));
}

static ks_check *add_check(kscene *s, uint64_t va, uint32_t expect, const char *what)
{
    if (s->check_count >= KS_MAX_CHECKS)
        abort();
    ks_check *c = &s->checks[s->check_count++];
    memset(c, 0, sizeof *c);
    c->va = va;
    c->expect = expect;
    c->what = what;
    c->page_size = KDB_PAGE;
    return c;
}

static void check_present(kscene *s, uint64_t va, uint64_t page_size, uint32_t writable, uint32_t executable,
                          const char *what)
{
    ks_check *c = add_check(s, va, KS_PRESENT, what);
    c->physical = kdb_physical_of(s->b, va);
    c->page_size = page_size;
    c->writable = writable;
    c->user = va < 0x80000000u;
    c->executable = executable;
}

/* A page mapped with flags and filled with the pattern of its address. */
static uint64_t map_filled(kscene *s, uint64_t va, uint64_t flags)
{
    uint64_t pfn = kdb_new_page(s->b);
    kdb_map(s->b, va, pfn * KDB_PAGE, KDB_PAGE, flags);
    fill_pattern(kdb_page(s->b, pfn), va);
    return pfn;
}

static uint64_t software_entry(uint32_t paging, uint64_t high, uint64_t low_bits)
{
    /* The page-file offset sits in bits 32.. of a 64-bit entry and bits 12.. of a 32-bit one. */
    return (paging == KDB_X86 ? (high & 0xFFFFF) << 12 : high << 32) | low_bits;
}

static void build_checks(kscene *s, const scene_layout *l)
{
    kdb *b = s->b;
    uint32_t paging = kdb_paging_of(b);
    uint64_t nx = paging == KDB_X86 ? 0 : KDB_NX, base = l->checks;
    map_filled(s, base, KDB_PRESENT | KDB_WRITE | nx);
    check_present(s, base + 0x10, KDB_PAGE, 1, paging == KDB_X86, "4 KiB page, read-write, no-execute");
    map_filled(s, base + 0x1000, KDB_PRESENT);
    check_present(s, base + 0x1000, KDB_PAGE, 0, 1, "4 KiB page, read-only, executable");
    kdb_omit(b, map_filled(s, base + 0x2000, KDB_PRESENT | KDB_WRITE));
    add_check(s, base + 0x2000, KS_PAGE_NOT_IN_DUMP, "present entry, page left out of the dump")->physical =
        kdb_physical_of(b, base + 0x2000);
    uint64_t moved = kdb_new_page(b);
    fill_pattern(kdb_page(b, moved), base + 0x3000);
    kdb_set_pte(b, base + 0x3000, moved * KDB_PAGE | KDB_TRANSITION | PROT_READWRITE << 5);
    add_check(s, base + 0x3000, KS_TRANSITION, "transition entry")->physical = moved * KDB_PAGE;
    kdb_set_pte(b, base + 0x4000, software_entry(paging, 0x1234, 2u << 1 | PROT_READWRITE << 5));
    add_check(s, base + 0x4000, KS_PAGE_FILE, "paged out (page file 2, page 0x1234)");
    kdb_set_pte(b, base + 0x5000, software_entry(paging, 0xABCD, KDB_PROTOTYPE));
    add_check(s, base + 0x5000, KS_PROTOTYPE, "prototype entry");
    kdb_set_pte(b, base + 0x6000, PROT_READWRITE << 5);
    add_check(s, base + 0x6000, KS_DEMAND_ZERO, "demand-zero entry");
    add_check(s, base + 0x7000, KS_ZERO_ENTRY, "zero entry in a present table");
    /* A page table the dump leaves out: its page is mapped, but the walk cannot reach it. */
    uint64_t far = base + (paging == KDB_X86 ? 0x400000 : 0x200000);
    map_filled(s, far, KDB_PRESENT | KDB_WRITE);
    kdb_omit(b, kdb_table_of(b, far, 1) / KDB_PAGE);
    add_check(s, far, KS_TABLE_NOT_IN_DUMP, "page table left out of the dump");
    map_filled(s, l->user_page, KDB_PRESENT | KDB_WRITE | KDB_USER | nx);
    check_present(s, l->user_page + 0x20, KDB_PAGE, 1, paging == KDB_X86, "user-mode page");

    /* A large page (2 MiB; 4 MiB on x86 without PAE), two of its pages held, one not. */
    kdb_map(b, l->large, l->large_pa, l->large_size, KDB_PRESENT | KDB_WRITE);
    fill_pattern(kdb_page(b, (l->large_pa + 0x3000) / KDB_PAGE), l->large + 0x3000);
    fill_pattern(kdb_page(b, (l->large_pa + l->large_size - KDB_PAGE) / KDB_PAGE), l->large + l->large_size - KDB_PAGE);
    check_present(s, l->large + 0x3010, l->large_size, 1, 1, "large page");
    check_present(s, l->large + l->large_size - 8, l->large_size, 1, 1, "large page, last bytes");
    add_check(s, l->large + 0x5000, KS_PAGE_NOT_IN_DUMP, "large page, a page not held")->physical =
        l->large_pa + 0x5000;
    if (paging == KDB_X64) {
        kdb_map(b, l->huge, l->huge_pa, 0x40000000, KDB_PRESENT | KDB_WRITE | KDB_NX);
        fill_pattern(kdb_page(b, (l->huge_pa + 0x7000) / KDB_PAGE), l->huge + 0x7000);
        fill_pattern(kdb_page(b, (l->huge_pa + 0x3456000) / KDB_PAGE), l->huge + 0x3456000);
        check_present(s, l->huge + 0x7ABC, 0x40000000, 1, 0, "1 GiB page");
        check_present(s, l->huge + 0x3456000, 0x40000000, 1, 0, "1 GiB page, far into it");
        add_check(s, l->huge + 0x100000, KS_PAGE_NOT_IN_DUMP, "1 GiB page, a page not held")->physical =
            l->huge_pa + 0x100000;
        /* The PML4 seen through its own self-reference entry (index 0x1ED). */
        uint64_t self = 0xFFFF000000000000ull | 0x1EDull << 39 | 0x1EDull << 30 | 0x1EDull << 21 | 0x1EDull << 12;
        check_present(s, self, KDB_PAGE, 1, 0, "the PML4 through its self-reference");
    }
}

/* ---- drivers ---------------------------------------------------------------------------------- */

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* The image of a PE file as the loader lays it out (headers, then each section at its RVA), in a
 * buffer of SizeOfImage bytes; NULL when the file is not a PE image this simple loader takes. */
static uint8_t *load_image(const uint8_t *file, size_t size, uint32_t *image_size, uint32_t *entry_point)
{
    if (size < 0x40 || file[0] != 'M' || file[1] != 'Z')
        return NULL;
    uint32_t nt = le32(file + 0x3C);
    if (nt > size - 24 || memcmp(file + nt, "PE\0\0", 4) != 0)
        return NULL;
    uint32_t sections = le16(file + nt + 6), optional_size = le16(file + nt + 20), opt = nt + 24;
    if (opt + optional_size > size || optional_size < 64)
        return NULL;
    *image_size = le32(file + opt + 56);
    *entry_point = le32(file + opt + 16);
    uint32_t headers = le32(file + opt + 60);
    if (*image_size == 0 || *image_size > 64u << 20 || headers > *image_size || headers > size)
        return NULL;
    uint8_t *image = calloc(1, *image_size);
    if (!image)
        return NULL;
    memcpy(image, file, headers);
    for (uint32_t i = 0; i < sections; i++) {
        const uint8_t *sh = file + opt + optional_size + 40 * i;
        if ((size_t)(sh + 40 - file) > size)
            break;
        uint32_t va = le32(sh + 12), raw_size = le32(sh + 16), raw = le32(sh + 20), vsize = le32(sh + 8);
        uint32_t n = raw_size < vsize || vsize == 0 ? raw_size : vsize;
        if (raw > size || n > size - raw || va > *image_size || n > *image_size - va)
            continue;
        memcpy(image + va, file + raw, n);
    }
    return image;
}

static const char *base_name_of(const char *path)
{
    const char *name = path;
    for (const char *p = path; *p; p++)
        if (*p == '/' || *p == '\\')
            name = p + 1;
    return name;
}

/* Places one driver (a PE file, or a 2-page stand-in) at base; fills m. */
static int place_driver(kscene *s, uint64_t base, const char *path, size_t index, ks_module *m)
{
    uint32_t image_size = 0x2000, entry = 0x1000;
    uint8_t *image = NULL;
    memset(m, 0, sizeof *m);
    if (path) {
        size_t size;
        uint8_t *file = test_read_file(path, &size);
        image = file ? load_image(file, size, &image_size, &entry) : NULL;
        free(file);
        if (!image)
            return -1;
        snprintf(m->file, sizeof m->file, "%s", path);
        snprintf(m->base_name, sizeof m->base_name, "%s", base_name_of(path));
    } else {
        image = calloc(1, image_size);
        if (!image)
            abort();
        memcpy(image, "MZ stand-in driver", 18);
        snprintf(m->base_name, sizeof m->base_name, "driver%zu.sys", index);
    }
    snprintf(m->full_name, sizeof m->full_name, "\\SystemRoot\\system32\\drivers\\%s", m->base_name);
    image_size = (image_size + KDB_PAGE - 1) & ~(KDB_PAGE - 1);
    kdb_map_new(s->b, base, image_size, KDB_PRESENT | KDB_WRITE);
    kdb_write_virtual(s->b, base, image, image_size);
    free(image);
    m->base = base;
    m->size = image_size;
    m->entry_point = base + entry;
    return 0;
}

static void put_pointer(uint8_t *p, uint64_t v, int wide)
{
    for (int i = 0; i < (wide ? 8 : 4); i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put_unicode_string(uint8_t *p, uint16_t length, uint64_t buffer, int wide)
{
    p[0] = (uint8_t)length, p[1] = (uint8_t)(length >> 8);
    p[2] = (uint8_t)(length + 2), p[3] = (uint8_t)((length + 2) >> 8);
    put_pointer(p + (wide ? 8 : 4), buffer, wide);
}

/* Writes the UTF-16 form of ascii at *at (advanced past it); returns its byte length. */
static uint16_t put_utf16(kdb *b, uint64_t *at, const char *ascii)
{
    uint8_t units[600];
    size_t n = strlen(ascii);
    for (size_t i = 0; i < n; i++)
        units[2 * i] = (uint8_t)ascii[i], units[2 * i + 1] = 0;
    kdb_write_virtual(b, *at, units, 2 * n);
    *at += (2 * n + 15) & ~(uint64_t)15;
    return (uint16_t)(2 * n);
}

/* PsLoadedModuleList at the start of the nt data pages, then one KLDR_DATA_TABLE_ENTRY per module
 * and their names. */
static void write_module_list(kscene *s, const scene_layout *l)
{
    int wide = kdb_paging_of(s->b) == KDB_X64;
    uint32_t ps = wide ? 8 : 4;
    uint64_t head = l->nt_data, entries = l->nt_data + 0x100, strings = l->nt_data + 0x1000;
    uint32_t at_base = wide ? 0x30 : 0x18, at_entry = wide ? 0x38 : 0x1C, at_size = wide ? 0x40 : 0x20;
    uint32_t at_full = wide ? 0x48 : 0x24, at_name = wide ? 0x58 : 0x2C;
    for (size_t i = 0; i < s->module_count; i++) {
        const ks_module *m = &s->modules[i];
        uint8_t e[0xA0];
        memset(e, 0, sizeof e);
        uint64_t self = entries + i * l->entry_size;
        uint64_t next = i + 1 < s->module_count ? self + l->entry_size : head;
        uint64_t prev = i > 0 ? self - l->entry_size : head;
        put_pointer(e, next, wide);
        put_pointer(e + ps, prev, wide);
        put_pointer(e + at_base, m->base, wide);
        put_pointer(e + at_entry, m->entry_point, wide);
        put_pointer(e + at_size, m->size, 0);
        uint64_t full = strings;
        put_unicode_string(e + at_full, put_utf16(s->b, &strings, m->full_name), full, wide);
        uint64_t name = strings;
        put_unicode_string(e + at_name, put_utf16(s->b, &strings, m->base_name), name, wide);
        kdb_write_virtual(s->b, self, e, l->entry_size);
    }
    uint8_t h[16];
    put_pointer(h, s->module_count ? entries : head, wide);
    put_pointer(h + ps, s->module_count ? entries + (s->module_count - 1) * l->entry_size : head, wide);
    kdb_write_virtual(s->b, head, h, 2 * ps);
    kdb_facts_of(s->b)->ps_loaded_module_list = head;
    kdb_facts_of(s->b)->ps_active_process_head = l->nt_data + 0x80;
    kdb_facts_of(s->b)->kd_debugger_data_block = l->nt_data + 0x2000;
}

/* NtBuildNumber (0x260), NtMajorVersion (0x26C) and NtMinorVersion (0x270) of KUSER_SHARED_DATA. */
static void write_kuser(kscene *s)
{
    uint8_t v[4];
    kdb_map_new(s->b, s->kuser, KDB_PAGE, KDB_PRESENT | KDB_NX * (kdb_paging_of(s->b) != KDB_X86));
    put_pointer(v, s->nt_build, 0);
    kdb_write_virtual(s->b, s->kuser + 0x260, v, 4);
    put_pointer(v, s->nt_major, 0);
    kdb_write_virtual(s->b, s->kuser + 0x26C, v, 4);
    put_pointer(v, s->nt_minor, 0);
    kdb_write_virtual(s->b, s->kuser + 0x270, v, 4);
}

static void set_facts(kscene *s)
{
    kdb_facts *f = kdb_facts_of(s->b);
    int wide = kdb_paging_of(s->b) == KDB_X64;
    uint64_t mask = wide ? ~0ull : 0xFFFFFFFFull;
    f->build = s->nt_build;
    f->bugcheck_code = 0xD1;   /* DRIVER_IRQL_NOT_LESS_OR_EQUAL */
    f->bugcheck_parameters[0] = 0x28;
    f->bugcheck_parameters[1] = 2;
    f->bugcheck_parameters[2] = 0;
    f->bugcheck_parameters[3] = (s->module_count > 1 ? s->modules[1].base : s->modules[0].base) + 0x1234;
    f->pfn_database = wide ? 0xFFFFFA8000000000ull : 0x84000000;
    f->system_time = 133590384000000000ull;   /* 2024-05-01 12:00:00 UTC */
    f->system_uptime = 36000000000ull;        /* one hour */
    snprintf(f->comment, sizeof f->comment, "pmm test dump");
    f->context_flags = wide ? 0x10001F : 0x1003F;
    f->mxcsr = 0x1F80;
    f->eflags = 0x10282;
    f->cs = wide ? 0x10 : 0x8, f->ss = wide ? 0x18 : 0x10, f->ds = f->es = 0x2B, f->fs = wide ? 0x53 : 0x30;
    f->gs = 0x2B;
    for (int i = 0; i < 6; i++)
        f->dr[i] = i == 5 ? 0x400 : 0;
    for (int i = 0; i < 16; i++)
        f->gpr[i] = (0x1111111111111111ull * (uint64_t)(i + 1) + 0x0102030405060708ull) & mask;
    f->gpr[4] = (wide ? 0xFFFFF80001000F00ull : 0x81000F00u);   /* rsp: in the nt data pages */
    f->ip = f->bugcheck_parameters[3];
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 16; j++)
            f->xmm[i][j] = (uint8_t)(i * 16 + j);
    f->exception_code = 0xC0000005;
    f->exception_address = f->ip;
    f->exception_parameter_count = 2;
    f->exception_parameters[0] = 1;
    f->exception_parameters[1] = 0x28;
}

/* ---- processes ---------------------------------------------------------------------------------- */

/* EPROCESS offsets the scene writes: its own copy of public layouts (Windows 10 2004 x64 and
 * Windows 7 x86, from Microsoft's symbols as Geoff Chappell tabulates them), and layouts of no
 * real build for KS_UNLISTED_BUILD. */
typedef struct eprocess_layout {
    uint32_t dtb, pid, links, parent, create, peb, wow64, name, threads, active;
    uint32_t wow64_is_peb32;   /* WOW64Process is the PEB32 itself (before 1511), not an EWOW64PROCESS */
} eprocess_layout;

/* Windows 10 2004 x64; also what KS_BUILD_20348 lays, as the table reads 20348 with the 2004 row. */
static const eprocess_layout eprocess_19041 = {0x28, 0x440, 0x448, 0x540, 0x468, 0x550, 0x580, 0x5A8, 0x5E0, 0x5F0, 0};
/* Windows 10 1809 x64 (Chappell's EPROCESS; the same in Bitdefender hvmi's windows_17763_x64 yaml). */
static const eprocess_layout eprocess_17763 = {0x28, 0x2E0, 0x2E8, 0x3E0, 0x308, 0x3F8, 0x428, 0x450, 0x488, 0x498, 0};
/* Windows 10 1903 x86: Chappell's EPROCESS row of 1703 to 1909 x86, the same as 1809's. */
static const eprocess_layout eprocess_18362_x86 = {0x18, 0xB4, 0xB8, 0x140, 0xD0, 0x14C, 0, 0x17C, 0x1A0, 0x1A8, 0};
/* Windows 10 1903 x64 (Chappell's EPROCESS; the Vergilius Project's _EPROCESS of 10.0.18362.418, in
 * novafacing/vergilius-rs's headers, agrees). */
static const eprocess_layout eprocess_18362 = {0x28, 0x2E8, 0x2F0, 0x3E8, 0x310, 0x3F8, 0x428, 0x450, 0x488, 0x498, 0};
/* Windows 10 1507 x64 and x86 (Chappell's EPROCESS, the table's 10240 rows). */
static const eprocess_layout eprocess_10240 = {0x28, 0x2E8, 0x2F0, 0x3E0, 0x308, 0x3F8, 0x428, 0x448, 0x480, 0x490, 1};
static const eprocess_layout eprocess_10240_x86 = {0x18, 0xB4, 0xB8, 0x138, 0xC8, 0x144, 0, 0x170, 0x194, 0x19C, 0};
static const eprocess_layout eprocess_7601_x86 = {0x18, 0xB4, 0xB8, 0x140, 0xA0, 0x1A8, 0, 0x16C, 0x188, 0x198, 0};
/* Windows 10 1809 x86 (Chappell's EPROCESS; hvmi's windows_17763_x86 yaml agrees). */
static const eprocess_layout eprocess_17763_x86 = {0x18, 0xB4, 0xB8, 0x140, 0xD0, 0x14C, 0, 0x17C, 0x1A0, 0x1A8, 0};
static const eprocess_layout eprocess_unlisted64 = {0x28, 0x3B0, 0x3B8, 0x4E8, 0x3C8, 0x4F8, 0x520, 0x5D0, 0x610,
                                                    0x620, 0};
static const eprocess_layout eprocess_unlisted32 = {0x18, 0xC4, 0xC8, 0x180, 0xD0, 0x190, 0, 0x1C0, 0x1E0, 0x1E8, 0};
#define UNLISTED_BUILD 30001u
#define FUTURE_BUILD 30100u
#define EPROCESS_AT 0x80u          /* inside its page, as a pool allocation would be */
#define EWOW64_AT 0xC00u           /* the EWOW64PROCESS, in the same page */

static const eprocess_layout *eprocess_layout_of(const kscene *s)
{
    int wide = kdb_paging_of(s->b) == KDB_X64;
    if (s->flags & KS_UNLISTED_BUILD)
        return wide ? &eprocess_unlisted64 : &eprocess_unlisted32;
    if (s->flags & KS_BUILD_18362)
        return wide ? &eprocess_18362 : &eprocess_18362_x86;
    if (s->flags & KS_BUILD_10240)
        return wide ? &eprocess_10240 : &eprocess_10240_x86;
    if (!wide)
        return s->flags & KS_BUILD_17763 ? &eprocess_17763_x86 : &eprocess_7601_x86;
    return s->flags & KS_BUILD_17763 ? &eprocess_17763 : &eprocess_19041;
}

uint32_t kscene_links_offset(const kscene *s)
{
    return eprocess_layout_of(s)->links;
}

/* A user page of the process (its page tables active) filled with the pattern of its address. */
static void map_user_page(kscene *s, uint64_t va, uint64_t flags)
{
    map_filled(s, va, flags | KDB_PRESENT | KDB_USER);
}

/* The process's address space: a PEB page and a data page, and a page shared with another. */
static void build_address_space(kscene *s, ks_process *p, size_t index, uint64_t shared_pa)
{
    int wide = kdb_paging_of(s->b) == KDB_X64;
    uint64_t nx = kdb_paging_of(s->b) == KDB_X86 ? 0 : KDB_NX;
    p->dtb = kdb_new_space(s->b);
    kdb_use_space(s->b, p->dtb);
    p->peb = (wide ? 0x000000A000000000ull : 0x7FF00000u) + index * 0x10000;
    map_user_page(s, p->peb, KDB_WRITE | nx);
    map_user_page(s, 0x400000, 0);
    if (shared_pa) {
        p->shared_page = 0x500000;
        kdb_map(s->b, p->shared_page, shared_pa, KDB_PAGE, KDB_PRESENT | KDB_USER | KDB_WRITE | nx);
    }
    if (index == 2) {   /* explorer: pages without bytes, each for its own reason */
        uint32_t paging = kdb_paging_of(s->b);
        kdb_set_pte(s->b, 0x401000, software_entry(paging, 0x777, 1u << 1 | PROT_READWRITE << 5));
        kdb_set_pte(s->b, 0x402000, PROT_READWRITE << 5);
        kdb_omit(s->b, map_filled(s, 0x403000, KDB_PRESENT | KDB_USER));
    }
    kdb_use_space(s->b, 0);
}

/* ETHREAD / KTHREAD offsets the scene writes: its own copy of the published layouts (ntdiff's
 * _ETHREAD.h and _KTHREAD.h of Windows 10 2004 and 1809 x64 and Windows 7 SP1 x86; Geoff Chappell's
 * ETHREAD page agrees). */
typedef struct ethread_layout {
    uint32_t list_entry, cid, win32_start, teb, initial_stack, stack_limit, stack_base, trap_frame;
} ethread_layout;

static const ethread_layout ethread_19041 = {0x4E8, 0x478, 0x4D0, 0xF0, 0x28, 0x30, 0x38, 0x90};
static const ethread_layout ethread_17763 = {0x6A8, 0x638, 0x690, 0xF0, 0x28, 0x30, 0x38, 0x90};
/* Windows 10 1903 x64: the Vergilius Project's _KTHREAD and _ETHREAD of 10.0.18362.418. */
static const ethread_layout ethread_18362 = {0x6B8, 0x648, 0x6A0, 0xF0, 0x28, 0x30, 0x38, 0x90};
/* Windows 11 22H2 x64: the Vergilius Project's _KTHREAD and _ETHREAD of 10.0.22621.382. */
static const ethread_layout ethread_22621 = {0x538, 0x4C8, 0x520, 0xF0, 0x28, 0x30, 0x38, 0x90};
/* Windows 10 1507 x64 and x86: Chappell's ETHREAD (10.0 to 1511) and KTHREAD (6.2 and higher) pages. */
static const ethread_layout ethread_10240 = {0x690, 0x628, 0x680, 0xF0, 0x28, 0x30, 0x38, 0x90};
static const ethread_layout ethread_10240_x86 = {0x3AC, 0x374, 0x3A4, 0xA8, 0x20, 0x24, 0x28, 0x6C};
static const ethread_layout ethread_18362_x86 = {0x3BC, 0x384, 0x3B4, 0xA8, 0x20, 0x24, 0x28, 0x6C};
static const ethread_layout ethread_7601_x86 = {0x268, 0x22C, 0x260, 0x88, 0x28, 0x2C, 0x190, 0x128};
static const ethread_layout ethread_17763_x86 = {0x3B4, 0x37C, 0x3AC, 0xA8, 0x20, 0x24, 0x28, 0x6C};
#define ETHREAD_BYTES 0x800u
#define TRAP_FRAME_SIZE 0x190u     /* x64 KTRAP_FRAME */
#define TRAP_FRAME32_SIZE 0x8Cu    /* x86 KTRAP_FRAME */
#define KERNEL_STACK_SIZE 0x6000u

static const ethread_layout *ethread_layout_of(const kscene *s)
{
    if (s->flags & KS_BUILD_18362)
        return kdb_paging_of(s->b) == KDB_X64 ? &ethread_18362 : &ethread_18362_x86;
    if (s->flags & (KS_BUILD_22621 | KS_LAYS_22621_STRUCTURES))
        return &ethread_22621;
    if (s->flags & KS_BUILD_10240)
        return kdb_paging_of(s->b) == KDB_X64 ? &ethread_10240 : &ethread_10240_x86;
    if (kdb_paging_of(s->b) != KDB_X64)
        return s->flags & KS_BUILD_17763 ? &ethread_17763_x86 : &ethread_7601_x86;
    return s->flags & KS_BUILD_17763 ? &ethread_17763 : &ethread_19041;
}

/* p's ETHREADs, linked in order between head's entries. */
static void write_ethreads(kscene *s, const ks_process *p, uint64_t head)
{
    const ethread_layout *l = ethread_layout_of(s);
    int wide = kdb_paging_of(s->b) == KDB_X64;
    uint32_t ps = wide ? 8 : 4;
    for (size_t i = 0; i < p->listed_count; i++) {
        const ks_thread *t = &p->listed[i];
        uint8_t e[ETHREAD_BYTES];
        memset(e, 0, sizeof e);
        put_pointer(e + l->list_entry, i + 1 < p->listed_count ? p->listed[i + 1].ethread + l->list_entry : head,
                    wide);
        put_pointer(e + l->list_entry + ps, i ? p->listed[i - 1].ethread + l->list_entry : head, wide);
        put_pointer(e + l->cid, p->pid, wide);
        put_pointer(e + l->cid + ps, t->tid, wide);
        put_pointer(e + l->teb, t->teb, wide);
        put_pointer(e + l->win32_start, t->start, wide);
        put_pointer(e + l->initial_stack, t->initial_stack, wide);
        put_pointer(e + l->stack_limit, t->stack_limit, wide);
        put_pointer(e + l->stack_base, t->stack_base, wide);
        put_pointer(e + l->trap_frame, t->trap_frame, wide);
        kdb_write_virtual(s->b, t->ethread, e, sizeof e);
    }
}

/* The scene lays ETHREADs (and KPRCBs pointing at them) only for a build whose ETHREAD it knows. */
static int lays_threads(const kscene *s)
{
    if ((s->flags & KS_BUILD_FUTURE) && kdb_paging_of(s->b) != KDB_X64)
        return 1;   /* Windows 7's */
    return (s->flags & KS_LAYS_22621_STRUCTURES) || !(s->flags & (KS_UNLISTED_BUILD | KS_BUILD_20348 | KS_BUILD_FUTURE));
}

void kscene_add_thread(kscene *s, ks_process *p, uint32_t tid, uint64_t teb, uint64_t start)
{
    if (!lays_threads(s) || p->listed_count >= KS_MAX_THREADS)
        abort();
    if (!s->ethread_area)
        s->ethread_area = s->eprocess_area + 0x300000;
    ks_thread *t = &p->listed[p->listed_count++];
    t->ethread = s->ethread_area + s->ethread_count++ * KDB_PAGE + 0x40;
    kdb_use_space(s->b, 0);
    t->tid = tid;
    t->teb = teb;
    t->start = start;
    uint64_t nx = kdb_paging_of(s->b) == KDB_X86 ? 0 : KDB_NX;
    kdb_map_new(s->b, t->ethread & ~(uint64_t)(KDB_PAGE - 1), KDB_PAGE, KDB_PRESENT | KDB_WRITE | nx);
    /* Its kernel stack, above the ETHREAD pages: only its top page (the trap frame's) is mapped. */
    t->stack_limit = s->ethread_area + 0x400000 + (s->ethread_count - 1) * 2 * KERNEL_STACK_SIZE;
    t->stack_base = t->stack_limit + KERNEL_STACK_SIZE;
    t->initial_stack = t->stack_base - 0x100;
    kdb_map_new(s->b, t->stack_base - KDB_PAGE, KDB_PAGE, KDB_PRESENT | KDB_WRITE | nx);
}

/* x64 KTRAP_FRAME (ntdiff's _KTRAP_FRAME.h): rax rcx rdx rbx rsp rbp rsi rdi r8..r11 in the
 * pmm_context order, Rip 0x168, SegCs 0x170, EFlags 0x178, SegSs 0x188. */
static void user_trap_frame64(uint8_t *f, const uint64_t gpr[16], uint64_t ip)
{
    static const uint32_t at[12] = {0x30, 0x38, 0x40, 0x140, 0x180, 0x158, 0x150, 0x148, 0x48, 0x50, 0x58, 0x60};
    for (int i = 0; i < 12; i++)
        put_pointer(f + at[i], gpr[i], 1);
    put_pointer(f + 0x168, ip, 1);
    put_pointer(f + 0x170, 0x33, 0);      /* SegCs: user mode */
    put_pointer(f + 0x178, 0x246, 0);     /* EFlags */
    put_pointer(f + 0x188, 0x2B, 0);      /* SegSs */
}

/* x86 KTRAP_FRAME of Windows 7 SP1 (ntdiff's Win7_SP1 x86 _KTRAP_FRAME.h): Edx 0x3C, Ecx 0x40,
 * Eax 0x44, Edi 0x54, Esi 0x58, Ebx 0x5C, Ebp 0x60, Eip 0x68, SegCs 0x6C, EFlags 0x70,
 * HardwareEsp 0x74, HardwareSegSs 0x78. */
static void user_trap_frame32(uint8_t *f, const uint64_t gpr[16], uint64_t ip)
{
    static const uint32_t at[8] = {0x44, 0x40, 0x3C, 0x5C, 0x74, 0x60, 0x58, 0x54};   /* eax..edi */
    for (int i = 0; i < 8; i++)
        put_pointer(f + at[i], gpr[i], 0);
    put_pointer(f + 0x68, ip, 0);
    put_pointer(f + 0x6C, 0x1B, 0);       /* SegCs: user mode */
    put_pointer(f + 0x70, 0x246, 0);
    put_pointer(f + 0x78, 0x23, 0);       /* HardwareSegSs */
}

void kscene_set_user_context(kscene *s, ks_thread *t, const uint64_t gpr[16], uint64_t ip)
{
    int wide = kdb_paging_of(s->b) == KDB_X64;
    uint32_t size = wide ? TRAP_FRAME_SIZE : TRAP_FRAME32_SIZE;
    uint8_t f[TRAP_FRAME_SIZE];
    memset(f, 0, sizeof f);
    if (wide)
        user_trap_frame64(f, gpr, ip);
    else
        user_trap_frame32(f, gpr, ip);
    t->trap_frame = t->initial_stack - size;
    kdb_use_space(s->b, 0);
    kdb_write_virtual(s->b, t->trap_frame, f, size);
}

/* KdDebuggerDataBlock (KDDEBUGGER_DATA64: OwnerTag "KDBG" at 0x10, KiProcessorBlock at 0x218) in
 * the third nt data page, then KiProcessorBlock and one KPRCB (CurrentThread at 8) per processor. */
#define KDBG_PROCESSOR_BLOCK_AT 0x218u

static uint64_t prcb_of(kscene *s, uint32_t processor)
{
    return kdb_facts_of(s->b)->kd_debugger_data_block + 0x800 + processor * 0x100;
}

static void write_processor_block(kscene *s)
{
    uint64_t kdbg = kdb_facts_of(s->b)->kd_debugger_data_block, blocks = kdbg + 0x400;
    int wide = kdb_paging_of(s->b) == KDB_X64;
    uint8_t v[8];
    kdb_use_space(s->b, 0);
    kdb_write_virtual(s->b, kdbg + 0x10, "KDBG", 4);
    put_pointer(v, blocks, 1);   /* KDDEBUGGER_DATA64's fields are 64-bit on x86 too */
    kdb_write_virtual(s->b, kdbg + KDBG_PROCESSOR_BLOCK_AT, v, 8);
    for (uint32_t i = 0; i < 2; i++) {   /* KiProcessorBlock: pointers */
        put_pointer(v, prcb_of(s, i), wide);
        kdb_write_virtual(s->b, blocks + (wide ? 8 : 4) * i, v, wide ? 8 : 4);
    }
}

void kscene_set_current(kscene *s, uint32_t processor, const ks_thread *t, int crashed)
{
    int wide = kdb_paging_of(s->b) == KDB_X64;
    uint8_t v[8];
    put_pointer(v, t->ethread, wide);
    kdb_use_space(s->b, 0);   /* KPRCB.CurrentThread: 0x8 (x64), 0x4 (x86) */
    kdb_write_virtual(s->b, prcb_of(s, processor) + (wide ? 8 : 4), v, wide ? 8 : 4);
    if (crashed) {
        kdb_facts_of(s->b)->gpr[4] = t->stack_base - 0x800;
        s->crashed = t;
        s->crashed_processor = processor;
        for (size_t i = 0; i < s->process_count; i++)
            if (t >= s->processes[i].listed && t < s->processes[i].listed + KS_MAX_THREADS)
                s->crashed_pid = s->processes[i].pid;
    }
}

/* Writes p's EPROCESS with links to prev and next (list entries: their ActiveProcessLinks). */
static void write_eprocess(kscene *s, const ks_process *p, uint64_t prev, uint64_t next)
{
    const eprocess_layout *l = eprocess_layout_of(s);
    int wide = kdb_paging_of(s->b) == KDB_X64;
    uint32_t ps = wide ? 8 : 4;
    uint8_t e[KDB_PAGE - EPROCESS_AT];   /* the rest of its page, with the EWOW64PROCESS */
    memset(e, 0, sizeof e);
    put_pointer(e + l->dtb, p->dtb, wide);
    put_pointer(e + l->pid, p->pid, wide);
    put_pointer(e + l->links, next, wide);
    put_pointer(e + l->links + ps, prev, wide);
    put_pointer(e + l->parent, p->parent_pid, wide);
    put_pointer(e + l->create, p->create_time, 1);
    put_pointer(e + l->peb, p->peb, wide);
    memcpy(e + l->name, p->name, strlen(p->name));
    uint64_t head = p->eprocess + l->threads;   /* ThreadListHead: the ETHREADs, or empty */
    uint32_t entry = ethread_layout_of(s)->list_entry;
    put_pointer(e + l->threads, p->listed_count ? p->listed[0].ethread + entry : head, wide);
    put_pointer(e + l->threads + ps, p->listed_count ? p->listed[p->listed_count - 1].ethread + entry : head, wide);
    write_ethreads(s, p, head);
    put_pointer(e + l->active, p->threads, 0);
    uint32_t vad_root_at = kscene_vad_root_offset(s);   /* 0: the build's VadRoot was not read */
    if (vad_root_at)
        put_pointer(e + vad_root_at, p->vad_root, wide);
    if (l->wow64 && p->wow64 && l->wow64_is_peb32) {
        put_pointer(e + l->wow64, p->peb32, wide);
    } else if (l->wow64 && p->wow64) {
        uint64_t ewow64 = p->eprocess - EPROCESS_AT + EWOW64_AT;
        put_pointer(e + l->wow64, ewow64, wide);
        put_pointer(e + (EWOW64_AT - EPROCESS_AT), p->peb32, wide);
    }
    kdb_write_virtual(s->b, p->eprocess, e, sizeof e);
}

static void add_process(kscene *s, uint32_t pid, uint32_t parent, const char *name, uint32_t threads)
{
    if (s->process_count >= KS_MAX_PROCESSES)
        abort();
    ks_process *p = &s->processes[s->process_count];
    memset(p, 0, sizeof *p);
    p->pid = pid;
    p->parent_pid = parent;
    p->threads = threads;
    snprintf(p->name, sizeof p->name, "%s", name);
    p->eprocess = s->eprocess_area + s->process_count * KDB_PAGE + EPROCESS_AT;
    p->create_time = 133590384000000000ull - 36000000000ull + s->process_count * 10000000ull * 60;
    s->process_count++;
}

/* Writes every EPROCESS and PsActiveProcessHead's list through them, in order. */
static void link_processes(kscene *s)
{
    int wide = kdb_paging_of(s->b) == KDB_X64;
    uint64_t head = kdb_facts_of(s->b)->ps_active_process_head, links = eprocess_layout_of(s)->links;
    for (size_t i = 0; i < s->process_count; i++) {
        uint64_t prev = i ? s->processes[i - 1].eprocess + links : head;
        uint64_t next = i + 1 < s->process_count ? s->processes[i + 1].eprocess + links : head;
        write_eprocess(s, &s->processes[i], prev, next);
    }
    uint8_t h[16];
    put_pointer(h, s->processes[0].eprocess + links, wide);
    put_pointer(h + (wide ? 8 : 4), s->processes[s->process_count - 1].eprocess + links, wide);
    kdb_write_virtual(s->b, head, h, wide ? 16 : 8);
}

/* System, smss.exe, explorer.exe, notepad.exe (sharing a page with explorer) and, on x64, a
 * 32-bit process under WOW64; then PsActiveProcessHead's list through them, in that order. */
static void build_processes(kscene *s, const scene_layout *l)
{
    int wide = kdb_paging_of(s->b) == KDB_X64;
    s->eprocess_area = l->nt_data + 0x100000;
    kdb_map_new(s->b, s->eprocess_area, KS_MAX_PROCESSES * KDB_PAGE, KDB_PRESENT | KDB_WRITE);
    add_process(s, 4, 0, "System", 142);
    s->processes[0].dtb = kdb_dtb(s->b);
    s->processes[0].create_time = 133590384000000000ull - 36000000000ull;
    add_process(s, 388, 4, "smss.exe", 2);
    add_process(s, 4660, 388, "explorer.exe", 61);
    add_process(s, 6012, 4660, "notepad.exe", 7);
    if (wide) {
        add_process(s, 7004, 4660, "wow32.exe", 3);
        s->processes[4].wow64 = 1;
        s->processes[4].peb32 = 0x00A3F000;
    }
    uint64_t shared_pa = kdb_new_page(s->b) * KDB_PAGE;
    fill_pattern(kdb_page(s->b, shared_pa / KDB_PAGE), 0x500000);
    for (size_t i = 1; i < s->process_count; i++)
        build_address_space(s, &s->processes[i], i, i == 2 || i == 3 ? shared_pa : 0);
    if (wide && lays_threads(s)) {   /* explorer's first two threads */
        kscene_add_thread(s, &s->processes[2], 4664, 0x000000A000021000ull, 0x7FF712340000ull);
        kscene_add_thread(s, &s->processes[2], 4700, 0x000000A000023000ull, 0x7FFB00011230ull);
    }
    link_processes(s);
}

void kscene_relink(kscene *s)
{
    link_processes(s);
}

ks_process *kscene_add_process(kscene *s, uint32_t pid, uint32_t parent, const char *name, uint32_t threads)
{
    add_process(s, pid, parent, name, threads);
    ks_process *p = &s->processes[s->process_count - 1];
    p->dtb = kdb_new_space(s->b);
    link_processes(s);
    return p;
}

kscene *kscene_build(uint32_t paging, const char *const *drivers, size_t driver_count)
{
    return kscene_build_with(paging, drivers, driver_count, 0);
}

kscene *kscene_build_with(uint32_t paging, const char *const *drivers, size_t driver_count, uint32_t flags)
{
    const scene_layout *l = layout_of(paging);
    kscene *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->flags = flags;
    s->b = kdb_new(paging);
    s->kuser = l->kuser;
    int windows7 = paging != KDB_X64 && !(flags & (KS_BUILD_17763 | KS_BUILD_18362 | KS_BUILD_10240));
    s->nt_major = windows7 ? 6 : 10;
    s->nt_minor = windows7 ? 1 : 0;
    uint32_t builds = flags & (KS_UNLISTED_BUILD | KS_BUILD_17763 | KS_BUILD_18362 | KS_BUILD_22621 | KS_BUILD_10240 |
                               KS_BUILD_20348 | KS_BUILD_FUTURE);
    if ((builds & (builds - 1)) ||
        ((flags & (KS_BUILD_22621 | KS_BUILD_20348 | KS_LAYS_22621_STRUCTURES)) && paging != KDB_X64) ||
        ((flags & KS_LAYS_22621_STRUCTURES) && !(flags & (KS_BUILD_20348 | KS_BUILD_FUTURE)))) {
        kdb_free(s->b);   /* one build at a time; Windows 11 and Server 2022 only on x64 */
        free(s);
        return NULL;
    }
    s->nt_build = flags & KS_UNLISTED_BUILD ? UNLISTED_BUILD : flags & KS_BUILD_17763 ? 17763
                  : flags & KS_BUILD_18362 ? 18362 : flags & KS_BUILD_22621 ? 22621 : flags & KS_BUILD_10240 ? 10240
                  : flags & KS_BUILD_20348 ? 20348 : flags & KS_BUILD_FUTURE ? FUTURE_BUILD
                  : paging == KDB_X64 ? 19041 : 7601;
    kdb_map_new(s->b, l->nt_data, 3 * KDB_PAGE, KDB_PRESENT | KDB_WRITE);
    size_t count = driver_count ? (driver_count < 3 ? driver_count : 3) : 3;
    for (size_t i = 0; i < count; i++)
        if (place_driver(s, l->drivers + i * l->drivers_stride, driver_count ? drivers[i] : NULL, i,
                         &s->modules[s->module_count++]) != 0) {
            kscene_free(s);
            return NULL;
        }
    write_module_list(s, l);
    write_kuser(s);
    build_checks(s, l);
    build_processes(s, l);
    set_facts(s);
    if (lays_threads(s))
        write_processor_block(s);
    if (kdb_paging_of(s->b) == KDB_X64 && lays_threads(s)) {   /* explorer's threads are running */
        kscene_set_current(s, 0, &s->processes[2].listed[0], 0);
        kscene_set_current(s, 1, &s->processes[2].listed[1], 1);
    }
    return s;
}

void kscene_free(kscene *s)
{
    if (!s)
        return;
    kdb_free(s->b);
    free(s);
}

void kscene_page_bytes(kscene *s, const ks_check *c, uint8_t out[KDB_PAGE])
{
    uint64_t pfn = c->physical / KDB_PAGE;
    if (kdb_has_page(s->b, pfn))
        memcpy(out, kdb_page(s->b, pfn), KDB_PAGE);
    else
        memset(out, 0, KDB_PAGE);
}
