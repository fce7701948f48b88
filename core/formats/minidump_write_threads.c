/* ThreadList: one MINIDUMP_THREAD per thread of the map, its CONTEXT, and its stack from the stack
 * pointer up to the stack base (only the readable prefix: a stack is never zero-filled). */
#include "minidump_write_internal.h"

#include <stdlib.h>
#include <string.h>
#include "minidump_context.h"

#define THREAD_ENTRY_SIZE 48u
#define MAX_STACK_BYTES (16u * 1024 * 1024)   /* more than any real stack holds above SP */
#define STACK_CHUNK (64u * 1024)

/* CONTEXT_CONTROL | CONTEXT_INTEGER: the registers pmm_context holds and nothing more. */
#define X64_CONTEXT_FLAGS (PMM_MD_CONTEXT_AMD64 | 0x3u)
#define X86_CONTEXT_FLAGS (PMM_MD_CONTEXT_X86 | 0x3u)

void mdw_encode_context_x64(const pmm_context *ctx, uint8_t *out)
{
    memset(out, 0, PMM_MD_CONTEXT_AMD64_SIZE);
    pmm_put32(out + 0x30, X64_CONTEXT_FLAGS);
    pmm_put32(out + 0x34, 0x1F80);   /* MxCsr at its reset value, as a debugger expects */
    for (int i = 0; i < 16; i++)
        pmm_put64(out + 0x78 + 8 * i, ctx->gpr[i]);
    pmm_put64(out + 0xF8, ctx->ip);
}

void mdw_encode_context_x86(const pmm_context *ctx, uint8_t *out)
{
    /* eax..edi in encoding order, stored at these offsets */
    static const uint16_t offsets[8] = {0xB0, 0xAC, 0xA8, 0xA4, 0xC4, 0xB4, 0xA0, 0x9C};
    memset(out, 0, PMM_MD_CONTEXT_X86_SIZE);
    pmm_put32(out + 0x00, X86_CONTEXT_FLAGS);
    for (int i = 0; i < 8; i++)
        pmm_put32(out + offsets[i], (uint32_t)ctx->gpr[i]);
    pmm_put32(out + 0xB8, (uint32_t)ctx->ip);
}

/* The context that matches the dump's CPU, or NULL when the thread has none. */
static const pmm_context *thread_context(const md_writer *w, const pmm_thread *t)
{
    uint32_t want = w->cpu == PMM_MD_CPU_AMD64 ? PMM_ARCH_X64 : PMM_ARCH_X86;
    if (t->context.arch == want)
        return &t->context;
    if (t->context32.arch == want)
        return &t->context32;
    return NULL;
}

static int uses_64bit_view(const md_writer *w, const pmm_thread *t)
{
    return w->cpu == PMM_MD_CPU_AMD64 && (t->flags & PMM_THREAD_TEB64_READ);
}

/* [start, end) of the stack bytes to save: SP (or the committed limit) up to the stack base. */
static void stack_span(const md_writer *w, const pmm_thread *t, const pmm_context *ctx, uint64_t *start,
                       uint64_t *end)
{
    int wide = uses_64bit_view(w, t);
    uint64_t base = wide ? t->stack64_base : t->stack_base;
    uint64_t limit = wide ? t->stack64_limit : t->stack_limit;
    uint64_t sp = ctx ? ctx->gpr[PMM_REG_SP] : 0;
    *start = sp ? sp : limit;
    *end = base;
    if (*start == 0 || *end <= *start || *end - *start > MAX_STACK_BYTES) {
        /* No usable TEB bounds: the rest of the region holding SP. */
        size_t i = *start ? pmm_map_find(w->map, *start) : PMM_NO_INDEX;
        *end = *start;
        if (i != PMM_NO_INDEX) {
            const pmm_region *r = &w->map->regions[i];
            *end = r->base + r->size;
            if (*end - *start > MAX_STACK_BYTES)
                *end = *start + MAX_STACK_BYTES;
        }
    }
}

/* Writes the readable prefix of [start, end); *saved is its length. */
static pmm_status write_stack(md_writer *w, uint64_t start, uint64_t end, uint32_t *saved)
{
    uint8_t *buf = w->copier.buffer;
    size_t cap = w->copier.buffer_size < STACK_CHUNK ? w->copier.buffer_size : STACK_CHUNK;
    uint64_t done = 0;
    while (start + done < end) {
        size_t want = end - (start + done) < cap ? (size_t)(end - (start + done)) : cap;
        size_t got = pmm_source_read(w->src, start + done, buf, want);
        if (got > want)
            got = 0;
        pmm_status st = pmm_sink_write(w->sink, buf, got);
        if (st != PMM_OK)
            return st;
        done += got;
        if (got < want)
            break;
    }
    *saved = (uint32_t)done;
    return PMM_OK;
}

static pmm_status remember_stack(md_writer *w, uint64_t address, uint32_t size, uint32_t rva)
{
    mdw_saved_stack *grown = realloc(w->stacks, (w->stack_count + 1) * sizeof *grown);
    if (!grown)
        return PMM_ERR_NOMEM;
    w->stacks = grown;
    w->stacks[w->stack_count].address = address;
    w->stacks[w->stack_count].size = size;
    w->stacks[w->stack_count].rva = rva;
    w->stack_count++;
    return PMM_OK;
}

/* Context and stack of one thread, then its table entry patched at entry_offset. */
static pmm_status write_thread(md_writer *w, const pmm_thread *t, uint64_t entry_offset)
{
    static const pmm_context none;
    const pmm_context *ctx = thread_context(w, t);
    uint8_t context[PMM_MD_CONTEXT_AMD64_SIZE];
    uint32_t context_size = w->cpu == PMM_MD_CPU_AMD64 ? PMM_MD_CONTEXT_AMD64_SIZE : PMM_MD_CONTEXT_X86_SIZE;
    if (w->cpu == PMM_MD_CPU_AMD64)
        mdw_encode_context_x64(ctx ? ctx : &none, context);
    else
        mdw_encode_context_x86(ctx ? ctx : &none, context);
    uint32_t context_rva, stack_rva, stack_size = 0;
    pmm_status st = pmm_sink_align(w->sink, 16);
    if (st == PMM_OK)
        st = mdw_rva(w, &context_rva);
    if (st == PMM_OK)
        st = pmm_sink_write(w->sink, context, context_size);
    uint64_t start, end;
    stack_span(w, t, ctx, &start, &end);
    if (st == PMM_OK)
        st = mdw_rva(w, &stack_rva);
    if (st == PMM_OK)
        st = write_stack(w, start, end, &stack_size);
    if (st == PMM_OK && stack_size)
        st = remember_stack(w, start, stack_size, stack_rva);
    if (st != PMM_OK)
        return st;
    uint8_t e[THREAD_ENTRY_SIZE] = {0};
    pmm_put32(e + 0, t->tid);
    pmm_put64(e + 16, uses_64bit_view(w, t) ? t->teb64 : t->teb);
    pmm_put64(e + 24, start);
    pmm_put32(e + 32, stack_size);
    pmm_put32(e + 36, stack_size ? stack_rva : 0);
    pmm_put32(e + 40, context_size);
    pmm_put32(e + 44, context_rva);
    return pmm_sink_patch(w->sink, entry_offset, e, sizeof e);
}

pmm_status mdw_write_threads(md_writer *w)
{
    const pmm_map *map = w->map;
    uint32_t rva;
    pmm_status st =
        mdw_reserve_list(w, PMM_MD_STREAM_THREAD_LIST, (uint32_t)map->thread_count, THREAD_ENTRY_SIZE, &rva);
    for (size_t i = 0; i < map->thread_count && st == PMM_OK; i++) {
        st = write_thread(w, &map->threads[i], (uint64_t)rva + 4 + i * THREAD_ENTRY_SIZE);
        if (st == PMM_OK && pmm_source_alive(w->src) == PMM_ERR_GONE)
            st = PMM_ERR_GONE;
    }
    w->result->thread_count = map->thread_count;
    return st;
}

/* ---- ThreadInfoList ------------------------------------------------------------------------------ */

#define THREAD_INFO_ENTRY_SIZE 64u
/* MINIDUMP_THREAD_INFO.DumpFlags */
#define THREAD_INFO_INVALID_INFO 0x8u
#define THREAD_INFO_INVALID_CONTEXT 0x10u
#define THREAD_INFO_INVALID_TEB 0x20u

static const pmm_md_thread_fact *thread_fact(const md_writer *w, uint32_t tid)
{
    for (size_t i = 0; i < w->extras->thread_fact_count; i++)
        if (w->extras->thread_facts[i].tid == tid)
            return &w->extras->thread_facts[i];
    return NULL;
}

/* MINIDUMP_THREAD_INFO_LIST: one entry per ThreadList thread, in the same order. */
pmm_status mdw_write_thread_infos(md_writer *w)
{
    const pmm_map *map = w->map;
    uint32_t rva;
    uint8_t d[THREAD_INFO_ENTRY_SIZE];
    pmm_status st = pmm_sink_align(w->sink, 8);
    if (st == PMM_OK)
        st = mdw_rva(w, &rva);
    pmm_put32(d + 0, 12);                       /* SizeOfHeader */
    pmm_put32(d + 4, THREAD_INFO_ENTRY_SIZE);   /* SizeOfEntry */
    pmm_put32(d + 8, (uint32_t)map->thread_count);
    if (st == PMM_OK)
        st = pmm_sink_write(w->sink, d, 12);
    for (size_t i = 0; i < map->thread_count && st == PMM_OK; i++) {
        const pmm_thread *t = &map->threads[i];
        const pmm_md_thread_fact *f = thread_fact(w, t->tid);
        uint64_t start = f && f->start_address ? f->start_address : t->start_address;
        uint32_t flags = 0;
        if (!thread_context(w, t))
            flags |= THREAD_INFO_INVALID_CONTEXT;
        if (!t->teb)
            flags |= THREAD_INFO_INVALID_TEB;
        if (!start && !(f && f->times_known))
            flags |= THREAD_INFO_INVALID_INFO;
        memset(d, 0, sizeof d);
        pmm_put32(d + 0, t->tid);
        pmm_put32(d + 4, flags);
        pmm_put32(d + 12, f ? f->exit_status : 0);
        if (f && f->times_known) {
            pmm_put64(d + 16, f->create_time);
            pmm_put64(d + 24, f->exit_time);
            pmm_put64(d + 32, f->kernel_time);
            pmm_put64(d + 40, f->user_time);
        }
        pmm_put64(d + 48, start);
        pmm_put64(d + 56, f ? f->affinity : 0);
        st = pmm_sink_write(w->sink, d, sizeof d);
    }
    return st == PMM_OK ? mdw_end_stream(w, PMM_MD_STREAM_THREAD_INFO_LIST, rva) : st;
}
