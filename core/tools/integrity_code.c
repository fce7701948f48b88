/* Classifying changed code: an inline hook is a jump, call, push/ret or mov/jmp sequence written at
 * or near a function start, reported with where it leads; anything else is patched bytes. */
#include "integrity_internal.h"
#include "hook_shapes.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A hook starts at most this far into a function (after a hot-patch prologue or a few kept
 * instructions), and its sequence is at most this long. */
#define NEAR_FUNCTION_START 16u
#define MAX_SEQUENCE 15u
/* Jumps followed from a hook to its real destination (a short jump into a long one, ...). */
#define MAX_HOPS 4
#define WINDOW_BYTES (INTEGRITY_SHOWN_BYTES + 2 * MAX_SEQUENCE)

typedef struct code_window {
    uint32_t rva;                    /* of memory[0] and file[0] */
    uint32_t length;                 /* bytes valid in both arrays */
    uint8_t memory[WINDOW_BYTES];
    uint8_t file[WINDOW_BYTES];
} code_window;

/* Memory and relocated file bytes around [rva, rva + length), within the section. */
static void read_window(integrity_ctx *ctx, integrity_image *img, const pe_section *s, uint32_t rva,
                        uint32_t length, code_window *w)
{
    uint32_t start = rva - s->virtual_address >= MAX_SEQUENCE ? rva - MAX_SEQUENCE : s->virtual_address;
    uint64_t end = (uint64_t)rva + length + MAX_SEQUENCE;
    uint64_t section_end = (uint64_t)s->virtual_address + pe_section_mapped_size(&img->file, s);
    if (end > section_end)
        end = section_end;
    if (end - start > sizeof w->memory)
        end = start + sizeof w->memory;
    w->rva = start;
    w->length = (uint32_t)pmm_source_read(ctx->src, img->base + start, w->memory, (size_t)(end - start));
    while (w->length && integrity_expected_bytes(img, start, w->file, w->length) != PMM_OK)
        w->length /= 2;
}

static const pe_runtime_function *function_table(integrity_image *img, size_t *count)
{
    if (!img->functions_read) {
        img->functions_read = 1;
        pe_exceptions ex;
        if (pe_read_exceptions(&img->file, &ex) == PMM_OK) {
            img->functions = ex.items;
            img->function_count = ex.count;
        }
    }
    *count = img->function_count;
    return img->functions;
}

/* Start of the x64 function (from .pdata) containing rva, or 0. */
static uint32_t unwind_function_start(integrity_image *img, uint32_t rva)
{
    size_t count, lo = 0, hi;
    const pe_runtime_function *f = function_table(img, &count);
    hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f[mid].begin_rva <= rva)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo && rva < f[lo - 1].end_rva ? f[lo - 1].begin_rva : 0;
}

static int is_padding(uint8_t b)
{
    return b == 0xCC || b == 0x90 || b == 0xC3;
}

/* How far rva lies into its function: from the nearest export, the x64 function table, or, for
 * functions neither names, the padding or return that precedes a function in the file. Returns
 * UINT32_MAX when no start is known within NEAR_FUNCTION_START bytes. */
static uint32_t function_offset(integrity_ctx *ctx, integrity_image *img, const code_window *w, uint32_t rva)
{
    pmm_symbol_match match;
    uint64_t address = img->base + rva;
    if (pmm_symbols_lookup(integrity_symbols(ctx), address, &match) && match.symbol && !match.symbol->is_data &&
        match.offset <= NEAR_FUNCTION_START)
        return (uint32_t)match.offset;
    uint32_t begin = unwind_function_start(img, rva);
    if (begin && rva - begin <= NEAR_FUNCTION_START)
        return rva - begin;
    for (uint32_t back = 0; back <= NEAR_FUNCTION_START && rva - back > w->rva; back++) {
        uint32_t at = rva - back - w->rva;
        if (is_padding(w->file[at - 1]) && (at < 2 || is_padding(w->file[at - 2]) || w->file[at - 1] == 0xC3))
            return back;
    }
    return UINT32_MAX;
}

/* Where the hook leads: the pointer of jmp [x] is read, and jumps at the destination are followed
 * while it stays inside the image itself (a hot-patch short jump into a long jump in the padding
 * before the function); the first address outside the image is the destination. */
static uint64_t destination(integrity_ctx *ctx, const integrity_image *img, const pmm_hook_shape *shape, int *hops)
{
    uint32_t ps = img->file.pointer_size;
    pmm_hook_shape s = *shape;
    uint64_t target = s.target;
    for (*hops = 0;; (*hops)++) {
        target = s.target;
        if (s.indirect && pmm_source_read_pointer(ctx->src, s.target, ps, &target) != PMM_OK)
            return s.target;
        if (*hops == MAX_HOPS || target < img->base || target - img->base >= img->size)
            return target;
        uint8_t code[16];
        size_t n = pmm_source_read(ctx->src, target, code, sizeof code);
        if (!pmm_hook_shape_match(code, n, target, ps, &s) || s.kind == PMM_HOOK_CALL_REL32 ||
            s.kind == PMM_HOOK_CALL_MEM)
            return target;
    }
}

/* A hook sequence that covers rva, starting at most MAX_SEQUENCE bytes before it (the first
 * bytes of a sequence may equal the original's) but not before floor. */
static int find_sequence(const code_window *w, uint32_t rva, uint32_t floor, uint64_t base, uint32_t ps,
                         uint32_t *start, pmm_hook_shape *shape)
{
    for (uint32_t back = 0; back <= MAX_SEQUENCE && rva - back >= floor && rva - back >= w->rva; back++) {
        uint32_t at = rva - back - w->rva;
        if (at >= w->length)
            continue;
        if (pmm_hook_shape_match(w->memory + at, w->length - at, base + rva - back, ps, shape) &&
            rva - back + shape->length > rva) {
            *start = rva - back;
            return 1;
        }
    }
    return 0;
}

/* Bytes after a hook that are only padding (int3 or nop) belong to it. */
static uint32_t padding_after(const code_window *w, uint32_t from, uint32_t end)
{
    uint32_t n = 0;
    while (from + n < end && from + n - w->rva < w->length &&
           (w->memory[from + n - w->rva] == 0xCC || w->memory[from + n - w->rva] == 0x90))
        n++;
    return from + n == end ? n : 0;
}

static pmm_status report(integrity_ctx *ctx, integrity_image *img, const code_window *w, uint32_t kind,
                         uint32_t rva, uint32_t length, uint64_t dest, const char *detail, int data)
{
    uint32_t at = rva - w->rva, shown = length < INTEGRITY_SHOWN_BYTES ? length : INTEGRITY_SHOWN_BYTES;
    int have = at < w->length && at + shown <= w->length;
    integrity_finding_args a = {kind, integrity_module_number(img), img->base + rva, length, dest,
                                have ? w->file + at : NULL, have ? w->memory + at : NULL, shown, data};
    return integrity_add_finding(ctx, &a, "%s", detail);
}

static pmm_status report_hook(integrity_ctx *ctx, integrity_image *img, const code_window *w, uint32_t start,
                              uint32_t length, const pmm_hook_shape *shape, uint32_t offset)
{
    int hops;
    uint64_t dest = destination(ctx, img, shape, &hops);
    char where[64], detail[400];
    if (offset == 0)
        snprintf(where, sizeof where, "at a function start");
    else if (offset != UINT32_MAX)
        snprintf(where, sizeof where, "%u bytes into a function", offset);
    else
        snprintf(where, sizeof where, "inside a function");
    snprintf(detail, sizeof detail, "%s %s%s%s", pmm_hook_shape_name(shape->kind), where,
             hops > 0 ? ", followed through a jump inside the image" : "", shape->indirect ? ", through a pointer" : "");
    uint32_t kind = offset != UINT32_MAX ? PMM_FINDING_INLINE_HOOK : PMM_FINDING_PATCH;
    return report(ctx, img, w, kind, start, length, dest, detail, 0);
}

pmm_status integrity_classify_code_run(integrity_ctx *ctx, integrity_image *img, const pe_section *section,
                                       const integrity_run *run)
{
    code_window *w = malloc(sizeof *w);
    if (!w)
        return PMM_ERR_NOMEM;
    read_window(ctx, img, section, run->rva, run->length, w);
    uint32_t ps = img->file.pointer_size, pos = run->rva, end = run->rva + run->length, floor = section->virtual_address;
    int x86 = img->file.machine == PE_MACHINE_I386 || img->file.machine == PE_MACHINE_AMD64;
    pmm_status st = PMM_OK;
    while (st == PMM_OK && pos < end) {
        uint32_t start;
        pmm_hook_shape shape;
        if (!x86 || !find_sequence(w, pos, floor, img->base, ps, &start, &shape)) {
            char detail[64];
            snprintf(detail, sizeof detail, "%u byte(s) of code changed", end - pos);
            st = report(ctx, img, w, PMM_FINDING_PATCH, pos, end - pos, 0, detail, 0);
            break;
        }
        uint32_t hook_end = start + shape.length;
        if (hook_end < end)
            hook_end += padding_after(w, hook_end, end);
        st = report_hook(ctx, img, w, start, hook_end - start, &shape, function_offset(ctx, img, w, start));
        floor = pos = hook_end;
    }
    free(w);
    return st;
}

pmm_status integrity_report_data_run(integrity_ctx *ctx, integrity_image *img, const pe_section *section,
                                     const integrity_run *run)
{
    code_window *w = malloc(sizeof *w);
    if (!w)
        return PMM_ERR_NOMEM;
    read_window(ctx, img, section, run->rva, run->length, w);
    char detail[128];
    snprintf(detail, sizeof detail, "%u byte(s) of read-only data in %s changed", run->length, section->name);
    pmm_status st = report(ctx, img, w, PMM_FINDING_PATCH, run->rva, run->length, 0, detail, 1);
    free(w);
    return st;
}
