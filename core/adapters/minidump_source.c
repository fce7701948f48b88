/* The minidump source: opens a dump, loads its directory-level tables once, and answers the
 * source interface from them; target bytes are read from the file on demand. */
#include "minidump_source.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "minidump_layout.h"
#include "../formats/minidump.h"
#include "../formats/minidump_memory.h"
#include "../formats/minidump_misc.h"
#include "../formats/minidump_modules.h"
#include "../formats/minidump_threads.h"
#include "../formats/nt_layout.h"
#include "../util/endian.h"
#include "../util/names.h"
#include "../util/printf_format.h"

#define MAX_WARNINGS 32
#define LOWEST_USER_ADDRESS 0x10000u
#define HIGHEST_USER_ADDRESS_32 0x7FFEFFFFu
#define HIGHEST_USER_ADDRESS_64 0x7FFFFFFEFFFFull

typedef struct md_source {
    pmm_minidump *md;
    pmm_md_system_info system;
    int has_system;
    pmm_md_memory_range *ranges;       /* sorted, non-overlapping */
    size_t range_count;
    pmm_md_memory_range *held;         /* the parts of ranges the file holds */
    size_t held_count;
    pmm_region_info *regions;          /* sorted, non-overlapping */
    size_t region_count;
    int regions_synthesized;
    pmm_md_thread *threads;
    size_t thread_count;
    pmm_md_module *modules;
    size_t module_count;
    char *warnings[MAX_WARNINGS];
    uint32_t warning_damage[MAX_WARNINGS];   /* pmm_md_damage bits of each warning; 0 for a note */
    size_t warning_count;
    uint32_t damage;                   /* every pmm_md_damage bit seen */
} md_source;

static const pmm_source_ops md_ops;

/* A warning; damage says which part of the dump it finds damaged (0: something the dump lacks or
 * that had to be inferred, which is normal for crash dumps). */
static void md_warn(md_source *s, uint32_t damage, const char *fmt, ...) PMM_PRINTF_FORMAT(3, 4);

static void md_warn(md_source *s, uint32_t damage, const char *fmt, ...)
{
    s->damage |= damage;
    if (s->warning_count >= MAX_WARNINGS)
        return;
    va_list args;
    va_start(args, fmt);
    char *copy = pmm_warning_vformat(s->warning_count == MAX_WARNINGS - 1 ? "further warnings omitted" : fmt, args);
    va_end(args);
    if (copy) {
        s->warning_damage[s->warning_count] = damage;
        s->warnings[s->warning_count++] = copy;
    }
}

static void md_source_free(md_source *s)
{
    if (!s)
        return;
    pmm_md_close(s->md);
    free(s->ranges);
    free(s->held);
    free(s->regions);
    free(s->threads);
    free(s->modules);
    for (size_t i = 0; i < s->warning_count; i++)
        free(s->warnings[i]);
    free(s);
}

/* --- loading ---------------------------------------------------------------------------------- */

/* An optional stream that is absent is normal; one that is present but corrupt becomes a warning
 * so the rest of the dump stays usable. */
static void warn_stream_error(md_source *s, pmm_status st, const char *message, uint32_t damage)
{
    if (st != PMM_OK && st != PMM_ERR_NOT_FOUND)
        md_warn(s, damage, "%s", message);
}

static pmm_status load_system_info(md_source *s, const char *name, char *message, size_t cap)
{
    char why[256] = "";
    pmm_status st = pmm_md_read_system_info(s->md, &s->system, why, sizeof why);
    if (st == PMM_ERR_NOT_FOUND)
        md_warn(s, 0, "the dump has no SystemInfo stream: the CPU is guessed from threads and addresses");
    else
        warn_stream_error(s, st, why, PMM_MD_DAMAGE_SYSTEM);
    s->has_system = st == PMM_OK;
    if (!s->has_system)
        s->system.processor_architecture = PMM_MD_CPU_UNKNOWN;
    if (s->has_system && !pmm_md_platform_is_windows(s->system.platform_id)) {
        const char *platform = pmm_md_platform_name(s->system.platform_id);
        snprintf(message, cap,
                 "%s is a minidump of a %s process (platform id 0x%x), not a Windows one: it has no Windows "
                 "address space to map. `pmm minidump %s` lists its streams.",
                 name, platform ? platform : "non-Windows", s->system.platform_id, name);
        return PMM_ERR_UNSUPPORTED;
    }
    return PMM_OK;
}

static void load_threads(md_source *s)
{
    char why[256] = "";
    pmm_status st = pmm_md_read_threads(s->md, s->system.processor_architecture, &s->threads, &s->thread_count, why,
                                        sizeof why);
    warn_stream_error(s, st, why, PMM_MD_DAMAGE_THREADS);
    if (st != PMM_OK)
        return;
    st = pmm_md_attach_thread_infos(s->md, s->threads, s->thread_count, why, sizeof why);
    warn_stream_error(s, st, why, PMM_MD_DAMAGE_THREADS);
    st = pmm_md_attach_thread_names(s->md, s->threads, s->thread_count, why, sizeof why);
    warn_stream_error(s, st, why, PMM_MD_DAMAGE_THREADS);
    size_t undecoded = 0;
    for (size_t i = 0; i < s->thread_count; i++)
        undecoded += s->threads[i].context_size != 0 && !s->threads[i].has_context;
    /* Contexts of a CPU this reader decodes that do not decode are damaged; others are unknown. */
    uint32_t cpu = s->system.processor_architecture;
    uint32_t damage = cpu == PMM_MD_CPU_X86 || cpu == PMM_MD_CPU_AMD64 ? PMM_MD_DAMAGE_THREADS : 0;
    if (undecoded)
        md_warn(s, damage, "%zu thread context(s) could not be decoded (%s CPU, or a damaged record)", undecoded,
                pmm_md_cpu_name(cpu));
}

typedef struct image_span {
    uint64_t base, size;
} image_span;

static int compare_image_spans(const void *a, const void *b)
{
    const image_span *x = a, *y = b;
    return (x->base > y->base) - (x->base < y->base);
}

/* Images cannot overlap, nor reach past the top of the address space: a ModuleList that says so
 * has damaged sizes or bases. They are left as they are (names and bases still serve), but said. */
static void check_module_layout(md_source *s)
{
    size_t n = s->module_count;
    image_span *spans = n ? malloc(n * sizeof *spans) : NULL;
    if (!spans)
        return;
    for (size_t i = 0; i < n; i++)
        spans[i] = (image_span){s->modules[i].base, s->modules[i].size};
    qsort(spans, n, sizeof *spans, compare_image_spans);
    size_t bad = 0, first = 0;
    for (size_t i = 0; i < n; i++) {
        int wraps = spans[i].size > UINT64_MAX - spans[i].base;
        int overlaps = i + 1 < n && !wraps && spans[i].base + spans[i].size > spans[i + 1].base;
        if ((wraps || overlaps) && bad++ == 0)
            first = i;
    }
    if (bad)
        md_warn(s, PMM_MD_DAMAGE_MODULES, "ModuleList is damaged: %zu module(s) overlap the next one or wrap; the first "
                "at 0x%llx claims 0x%llx bytes", bad, (unsigned long long)spans[first].base,
                (unsigned long long)spans[first].size);
    free(spans);
}

static void load_modules(md_source *s)
{
    char why[256] = "";
    pmm_status st = pmm_md_read_modules(s->md, &s->modules, &s->module_count, why, sizeof why);
    warn_stream_error(s, st, why, PMM_MD_DAMAGE_MODULES);
    if (st == PMM_OK)
        check_module_layout(s);
}

/* Appends b to *a (both arrays of ranges). */
static pmm_status append_ranges(pmm_md_memory_range **a, size_t *a_count, const pmm_md_memory_range *b,
                                size_t b_count)
{
    if (b_count == 0)
        return PMM_OK;
    pmm_md_memory_range *grown = realloc(*a, (*a_count + b_count) * sizeof **a);
    if (!grown)
        return PMM_ERR_NOMEM;
    memcpy(grown + *a_count, b, b_count * sizeof *b);
    *a = grown;
    *a_count += b_count;
    return PMM_OK;
}

/* Thread stacks are usually in MemoryList too; adding them covers writers that do not repeat them. */
static pmm_status append_stacks(md_source *s, uint64_t file_size)
{
    for (size_t i = 0; i < s->thread_count; i++) {
        const pmm_md_thread *t = &s->threads[i];
        if (t->stack_size == 0)
            continue;
        pmm_md_memory_range r = {t->stack_start, t->stack_size, t->stack_rva, 0};
        if (r.file_offset < file_size)
            r.available = file_size - r.file_offset < r.size ? file_size - r.file_offset : r.size;
        pmm_status st = append_ranges(&s->ranges, &s->range_count, &r, 1);
        if (st != PMM_OK)
            return st;
    }
    return PMM_OK;
}

static pmm_status load_memory_stream(md_source *s, int is64)
{
    char why[256] = "";
    pmm_md_memory_range *list = NULL;
    size_t count = 0;
    pmm_status st = is64 ? pmm_md_read_memory64_list(s->md, &list, &count, why, sizeof why)
                         : pmm_md_read_memory_list(s->md, &list, &count, why, sizeof why);
    warn_stream_error(s, st, why, PMM_MD_DAMAGE_MEMORY);
    if (st == PMM_ERR_NOMEM)
        return st;
    if (st == PMM_OK)
        st = append_ranges(&s->ranges, &s->range_count, list, count);
    free(list);
    return st == PMM_ERR_NOMEM ? st : PMM_OK;
}

static void warn_truncated_ranges(md_source *s)
{
    uint64_t missing = 0;
    size_t ranges = 0;
    for (size_t i = 0; i < s->range_count; i++) {
        if (s->ranges[i].available < s->ranges[i].size) {
            missing += s->ranges[i].size - s->ranges[i].available;
            ranges++;
        }
    }
    if (ranges)
        md_warn(s, PMM_MD_DAMAGE_MEMORY, "%zu memory range(s) extend past the end of the file (truncated dump?): %llu bytes are missing",
                ranges, (unsigned long long)missing);
}

static pmm_status load_memory(md_source *s)
{
    pmm_status st = load_memory_stream(s, 0);
    if (st == PMM_OK)
        st = load_memory_stream(s, 1);
    if (st == PMM_OK)
        st = append_stacks(s, pmm_md_file_size(s->md));
    if (st != PMM_OK)
        return st;
    warn_truncated_ranges(s);
    /* Overlaps are normal (Breakpad saves the bytes around the instruction pointer, which may lie
     * inside a saved stack), so they are resolved silently. */
    md_normalize_ranges(s->ranges, &s->range_count);
    return md_held_ranges(s->ranges, s->range_count, &s->held, &s->held_count);
}

/* Where the user address space of the dump's architecture ends (exclusive): 4 GiB for 32-bit
 * CPUs (/3GB and large-address-aware processes included), 128 TiB for x64 and ARM64; 0 (no
 * limit but the 64-bit one) when the architecture is not known. */
static uint64_t address_space_top(const md_source *s)
{
    switch (s->system.processor_architecture) {
    case PMM_MD_CPU_X86:
    case PMM_MD_CPU_ARM:
        return (uint64_t)1 << 32;
    case PMM_MD_CPU_AMD64:
    case PMM_MD_CPU_ARM64:
        return (uint64_t)1 << 47;
    }
    return 0;
}

static void warn_region_damage(md_source *s, const md_region_damage *d, uint64_t top)
{
    if (d->outside) {
        const pmm_region_info *r = &d->first_outside;
        md_warn(s, PMM_MD_DAMAGE_REGIONS, "MemoryInfoList is damaged: %zu entr%s past the end of the %s address space (0x%llx), clipped "
                   "to it; the first claims 0x%llx bytes at 0x%llx", d->outside, d->outside == 1 ? "y reaches" : "ies reach",
                top ? pmm_md_cpu_name(s->system.processor_architecture) : "64-bit",
                (unsigned long long)((top ? top : 0) - 1), (unsigned long long)r->size, (unsigned long long)r->base);
    }
    if (d->overlapping) {
        const pmm_region_info *r = &d->first_overlapping;
        md_warn(s, PMM_MD_DAMAGE_REGIONS, "MemoryInfoList is damaged: %zu entr%s into the next one, clipped where it starts; the first "
                   "claims 0x%llx bytes at 0x%llx", d->overlapping, d->overlapping == 1 ? "y reaches" : "ies reach",
                (unsigned long long)r->size, (unsigned long long)r->base);
    }
    if (d->empty)
        md_warn(s, 0, "MemoryInfoList: %zu entr%s of size 0 left out", d->empty, d->empty == 1 ? "y" : "ies");
}

static pmm_status load_regions(md_source *s)
{
    char why[256] = "";
    pmm_status st = pmm_md_read_memory_info_list(s->md, &s->regions, &s->region_count, why, sizeof why);
    if (st == PMM_OK) {
        md_region_damage damage;
        uint64_t top = address_space_top(s);
        md_normalize_regions(s->regions, &s->region_count, top, &damage);
        warn_region_damage(s, &damage, top);
        return PMM_OK;
    }
    if (st == PMM_ERR_NOMEM)
        return st;
    warn_stream_error(s, st, why, PMM_MD_DAMAGE_REGIONS);
    s->regions_synthesized = 1;
    md_warn(s, 0, "the dump has no %sMemoryInfoList: regions are built from its modules and memory ranges, "
               "without protections, and memory not in the dump is not shown",
            st == PMM_ERR_NOT_FOUND ? "" : "usable ");
    return md_synthesize_regions(s->modules, s->module_count, s->ranges, s->range_count, &s->regions,
                                 &s->region_count);
}

/* --- target description ---------------------------------------------------------------------- */

static uint32_t cpu_pointer_size(uint32_t cpu)
{
    switch (cpu) {
    case PMM_MD_CPU_X86:
    case PMM_MD_CPU_ARM:
        return 4;
    case PMM_MD_CPU_AMD64:
    case PMM_MD_CPU_ARM64:
    case PMM_MD_CPU_IA64:
        return 8;
    }
    return 0;
}

static uint64_t highest_known_address(const md_source *s)
{
    uint64_t top = 0;
    for (size_t i = 0; i < s->region_count; i++)
        if (s->regions[i].state != PMM_MEM_FREE && s->regions[i].base + s->regions[i].size - 1 > top)
            top = s->regions[i].base + s->regions[i].size - 1;
    for (size_t i = 0; i < s->range_count; i++)
        if (s->ranges[i].address + s->ranges[i].size - 1 > top)
            top = s->ranges[i].address + s->ranges[i].size - 1;
    return top;
}

/* Without SystemInfo the bitness comes from the first decoded context, else from addresses. */
static uint32_t guess_native_pointer_size(md_source *s)
{
    for (size_t i = 0; i < s->thread_count; i++)
        if (s->threads[i].has_context)
            return s->threads[i].context.regs.arch == PMM_ARCH_X64 ? 8 : 4;
    return highest_known_address(s) > 0xFFFFFFFFull ? 8 : 4;
}

/* A 64-bit dump of a 32-bit process: WOW64's own DLL is loaded in every such process. */
static int has_wow64_module(const md_source *s)
{
    for (size_t i = 0; i < s->module_count; i++)
        if (pmm_names_equal(pmm_path_base_name(s->modules[i].name), "wow64.dll"))
            return 1;
    return 0;
}

/* ...or the executable (writers put it first) is an i386 image: Wine's WOW64 loads no wow64.dll.
 * Needs the dump to hold the image's headers; without them the dump is read as 64-bit. */
static int main_image_is_x86(md_source *s)
{
    uint8_t b[4] = {0};
    if (s->module_count == 0)
        return 0;
    uint64_t base = s->modules[0].base;
    if (md_read_ranges(s->md, s->ranges, s->range_count, base + 0x3C, b, 4) != 4)
        return 0;
    uint32_t nt = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    if (nt > s->modules[0].size || md_read_ranges(s->md, s->ranges, s->range_count, base + nt, b, 4) != 4 ||
        memcmp(b, "PE\0\0", 4) != 0)
        return 0;
    if (md_read_ranges(s->md, s->ranges, s->range_count, base + nt + 4, b, 2) != 2)
        return 0;
    return b[0] == 0x4C && b[1] == 0x01;   /* IMAGE_FILE_MACHINE_I386 */
}

/* A dump does not record the PEB address, but TEB.ProcessEnvironmentBlock does when the dump
 * holds a TEB's bytes (MiniDumpWithProcessThreadData and fuller dumps). */
static uint64_t peb_from_tebs(md_source *s, uint32_t native_pointer_size)
{
    uint64_t field = pmm_nt_layout_for(native_pointer_size)->teb_peb;
    for (size_t i = 0; i < s->thread_count; i++) {
        uint8_t b[8] = {0};
        uint64_t teb = s->threads[i].teb;
        if (teb == 0 || teb > UINT64_MAX - field)
            continue;
        if (md_read_ranges(s->md, s->ranges, s->range_count, teb + field, b, native_pointer_size) !=
            native_pointer_size)
            continue;
        uint64_t peb = pmm_le_pointer(b, native_pointer_size);
        if (peb != 0)
            return peb;
    }
    return 0;
}

static void fill_target(md_source *s, const char *name, pmm_target_info *t)
{
    memset(t, 0, sizeof *t);
    t->source_kind = PMM_SOURCE_MINIDUMP;
    t->tool_pointer_size = (uint32_t)sizeof(void *);
    pmm_md_misc_info misc;
    char why[256] = "";
    pmm_status st = pmm_md_read_misc_info(s->md, &misc, why, sizeof why);
    warn_stream_error(s, st, why, PMM_MD_DAMAGE_MISC);
    if (st == PMM_OK && (misc.flags1 & PMM_MD_MISC_PROCESS_ID))
        t->pid = misc.process_id;
    uint32_t native = cpu_pointer_size(s->system.processor_architecture);
    if (native == 0) {
        native = guess_native_pointer_size(s);
        if (s->has_system)
            md_warn(s, 0, "unknown processor architecture %u: assuming %u-bit", s->system.processor_architecture,
                    native * 8);
    }
    t->pointer_size = native;
    if (native == 8 && (has_wow64_module(s) || main_image_is_x86(s))) {
        t->pointer_size = 4;
        t->wow64 = 1;
    }
    t->peb = peb_from_tebs(s, native);
    t->lowest_address = LOWEST_USER_ADDRESS;
    t->highest_address = native == 8 ? HIGHEST_USER_ADDRESS_64 : HIGHEST_USER_ADDRESS_32;
    uint64_t top = highest_known_address(s);
    if (top > t->highest_address)   /* /3GB and large-address-aware 32-bit processes */
        t->highest_address = top;
    if (s->module_count > 0)   /* writers put the executable first */
        snprintf(t->name, sizeof t->name, "%s", pmm_path_base_name(s->modules[0].name));
    snprintf(t->path, sizeof t->path, "%s", name);
}

/* --- open --------------------------------------------------------------------------------------- */

static int has_anything(const md_source *s)
{
    return s->has_system || s->thread_count || s->module_count || s->range_count || s->region_count;
}

static pmm_status load_all(md_source *s, const char *name, char *message, size_t cap)
{
    pmm_status st = load_system_info(s, name, message, cap);
    if (st != PMM_OK)
        return st;
    load_threads(s);
    load_modules(s);
    st = load_memory(s);
    if (st == PMM_OK)
        st = load_regions(s);
    if (st != PMM_OK) {
        snprintf(message, cap, "%s: %s", name, pmm_status_text(st));
        return st;
    }
    if (!has_anything(s)) {
        snprintf(message, cap, "%s: no usable minidump streams (no SystemInfo, ThreadList, ModuleList or memory)%s%s",
                 name, s->warning_count ? "; " : "", s->warning_count ? s->warnings[0] : "");
        return PMM_ERR_FORMAT;
    }
    return PMM_OK;
}

static pmm_status open_source(pmm_minidump *md, const char *name, pmm_source *out, char *message, size_t cap)
{
    md_source *s = calloc(1, sizeof *s);
    if (!s) {
        pmm_md_close(md);
        snprintf(message, cap, "%s: out of memory", name);
        return PMM_ERR_NOMEM;
    }
    s->md = md;
    pmm_status st = load_all(s, name, message, cap);
    if (st != PMM_OK) {
        md_source_free(s);
        return st;
    }
    out->ops = &md_ops;
    out->impl = s;
    fill_target(s, name, &out->target);
    return PMM_OK;
}

static char no_message[1];

pmm_status pmm_minidump_open(const char *path, pmm_source *out, char *message, size_t message_cap)
{
    memset(out, 0, sizeof *out);
    if (!message || message_cap == 0) {
        message = no_message;
        message_cap = sizeof no_message;
    }
    message[0] = '\0';
    char why[512] = "";
    pmm_minidump *md;
    pmm_status st = pmm_md_open_file(path, &md, why, sizeof why);
    if (st != PMM_OK) {
        if (st == PMM_ERR_NOT_FOUND)   /* the message already names the file */
            snprintf(message, message_cap, "%s", why);
        else
            snprintf(message, message_cap, "%s: %s", path, why);
        return st;
    }
    return open_source(md, path, out, message, message_cap);
}

pmm_status pmm_minidump_open_memory(const void *data, size_t size, const char *name, pmm_source *out,
                                    char *message, size_t message_cap)
{
    memset(out, 0, sizeof *out);
    if (!message || message_cap == 0) {
        message = no_message;
        message_cap = sizeof no_message;
    }
    message[0] = '\0';
    if (!name)
        name = "(memory)";
    char why[512] = "";
    pmm_minidump *md;
    pmm_status st = pmm_md_open_memory(data, size, &md, why, sizeof why);
    if (st != PMM_OK) {
        snprintf(message, message_cap, "%s: %s", name, why);
        return st;
    }
    return open_source(md, name, out, message, message_cap);
}

/* --- the source interface ------------------------------------------------------------------------ */

static pmm_status md_query(void *impl, uint64_t addr, pmm_region_info *out)
{
    md_source *s = impl;
    size_t i = md_find_region(s->regions, s->region_count, addr);
    if (i == s->region_count)
        return PMM_END;
    *out = s->regions[i];
    return PMM_OK;
}

static size_t md_read(void *impl, uint64_t addr, void *buf, size_t len)
{
    md_source *s = impl;
    return md_read_ranges(s->md, s->ranges, s->range_count, addr, buf, len);
}

static pmm_status md_held_extent_op(void *impl, uint64_t addr, uint64_t *start, uint64_t *end)
{
    md_source *s = impl;
    return md_held_extent(s->held, s->held_count, addr, start, end);
}

static size_t md_borrow(void *impl, uint64_t addr, size_t len, const uint8_t **out)
{
    md_source *s = impl;
    return md_borrow_ranges(s->md, s->ranges, s->range_count, addr, len, out);
}

static void to_thread_info(const pmm_md_thread *t, pmm_thread_info *out)
{
    memset(out, 0, sizeof *out);
    out->tid = t->tid;
    out->teb = t->teb;
    out->start_address = t->has_info ? t->start_address : 0;
    if (t->has_context)
        out->context = t->context.regs;
}

static pmm_status md_threads(void *impl, pmm_thread_info **out, size_t *count)
{
    md_source *s = impl;
    *out = NULL;
    *count = 0;
    if (s->thread_count == 0)
        return PMM_OK;
    pmm_thread_info *list = calloc(s->thread_count, sizeof *list);
    if (!list)
        return PMM_ERR_NOMEM;
    for (size_t i = 0; i < s->thread_count; i++)
        to_thread_info(&s->threads[i], &list[i]);
    *out = list;
    *count = s->thread_count;
    return PMM_OK;
}

static pmm_status md_modules(void *impl, pmm_module_info **out, size_t *count)
{
    md_source *s = impl;
    *out = NULL;
    *count = 0;
    if (s->module_count == 0)
        return PMM_OK;
    pmm_module_info *list = calloc(s->module_count, sizeof *list);
    if (!list)
        return PMM_ERR_NOMEM;
    for (size_t i = 0; i < s->module_count; i++) {
        list[i].base = s->modules[i].base;
        list[i].size = s->modules[i].size;
        snprintf(list[i].path, sizeof list[i].path, "%s", s->modules[i].name);
    }
    *out = list;
    *count = s->module_count;
    return PMM_OK;
}

/* A dump names the files behind its images (ModuleList), not behind data views. */
static pmm_status md_mapped_file_name(void *impl, uint64_t addr, char *buf, size_t cap)
{
    md_source *s = impl;
    if (cap == 0)
        return PMM_ERR_ARG;
    buf[0] = '\0';
    for (size_t i = 0; i < s->module_count; i++) {
        const pmm_md_module *m = &s->modules[i];
        if (addr >= m->base && addr - m->base < m->size && m->name[0]) {
            snprintf(buf, cap, "%s", m->name);
            return PMM_OK;
        }
    }
    return PMM_ERR_NOT_FOUND;
}

static void md_close(void *impl)
{
    md_source_free(impl);
}

static const char *md_note(void *impl, size_t index)
{
    const md_source *s = impl;
    return index < s->warning_count ? s->warnings[index] : NULL;
}

static const pmm_source_ops md_ops = {
    .query = md_query,
    .read = md_read,
    .threads = md_threads,
    .modules = md_modules,
    .mapped_file_name = md_mapped_file_name,
    .close = md_close,
    .note = md_note,
    .held_extent = md_held_extent_op,
    .borrow = md_borrow,
};

int pmm_minidump_is_source(const pmm_source *src)
{
    return src && src->ops == &md_ops && src->impl;
}

int pmm_minidump_regions_synthesized(const pmm_source *src)
{
    return pmm_minidump_is_source(src) && ((const md_source *)src->impl)->regions_synthesized;
}

size_t pmm_minidump_warning_count(const pmm_source *src)
{
    return pmm_minidump_is_source(src) ? ((const md_source *)src->impl)->warning_count : 0;
}

uint32_t pmm_minidump_warning_damage(const pmm_source *src, size_t index)
{
    if (!pmm_minidump_is_source(src))
        return 0;
    const md_source *s = src->impl;
    return index < s->warning_count ? s->warning_damage[index] : 0;
}

uint32_t pmm_minidump_damage(const pmm_source *src)
{
    return pmm_minidump_is_source(src) ? ((const md_source *)src->impl)->damage : 0;
}

const char *pmm_minidump_warning(const pmm_source *src, size_t index)
{
    if (!pmm_minidump_is_source(src))
        return NULL;
    const md_source *s = src->impl;
    return index < s->warning_count ? s->warnings[index] : NULL;
}
