/* The stacks analyzer: walks each thread's call stack in the process's own bitness (the 32-bit
 * stack of a WOW64 thread, from its WOW64 context), stores the frames in the map and names them
 * with the best symbols the modules the frames are in have: "module!function+0x1a [file:line]"
 * (core/symbols). */
#include "analyzers.h"

#include <stdlib.h>
#include <string.h>
#include "stacks.h"
#include "../symbols/symbols.h"

#define MAX_STACK_WITHOUT_TEB (16ull << 20)   /* how far up a stack of unknown extent is followed */

/* The context of the process's own bitness, or NULL. */
static const pmm_context *own_context(const pmm_scan *scan, const pmm_thread *t)
{
    uint32_t arch = scan->src->target.pointer_size == 4 ? PMM_ARCH_X86 : PMM_ARCH_X64;
    if (t->context32.arch == arch)
        return &t->context32;
    return t->context.arch == arch ? &t->context : NULL;
}

static void set_stack_bounds(pmm_stack_walker *w, const pmm_thread *t, uint64_t sp)
{
    if ((t->flags & (PMM_THREAD_TEB_READ | PMM_THREAD_STACK_FROM_SP)) && t->stack_base > t->stack_reserve_base) {
        w->stack_low = t->stack_reserve_base;
        w->stack_high = t->stack_base;
    } else {
        w->stack_low = sp;
        w->stack_high = sp + MAX_STACK_WITHOUT_TEB;
    }
}

static pmm_status walk_thread(pmm_scan *scan, pmm_stack_walker *w, pmm_thread *t, pmm_walk_frame *frames)
{
    const pmm_context *ctx = own_context(scan, t);
    size_t count = 0;
    t->frame_first = (uint32_t)scan->map->frame_count;
    if (!ctx) {
        t->walk_end = PMM_WALK_NOT_WALKED;
        return PMM_OK;
    }
    set_stack_bounds(w, t, ctx->gpr[PMM_REG_SP]);
    if (ctx->arch == PMM_ARCH_X64)
        t->walk_end = pmm_walk_stack_x64(w, ctx, frames, PMM_STACK_MAX_FRAMES, &count);
    else
        t->walk_end = pmm_walk_stack_x86(w, ctx, frames, PMM_STACK_MAX_FRAMES, &count);
    t->frame_bits = ctx->arch == PMM_ARCH_X64 ? 64 : 32;
    for (size_t i = 0; i < count; i++) {
        pmm_frame f = {frames[i].ip, frames[i].sp, 0, frames[i].method, 0};
        pmm_status st = pmm_map_add_frame(scan->map, &f);
        if (st != PMM_OK)
            return st;
    }
    t->frame_count = (uint32_t)count;
    return PMM_OK;
}

/* The 64-bit side of a WOW64 thread: its native x64 context runs on the 64-bit stack the 64-bit
 * TEB describes (in wow64cpu/ntdll while the 32-bit code waits). Walked only when the context's
 * stack pointer is on that stack: under Wine, a 32-bit process has no 64-bit side, and the
 * "x64" context a 64-bit tool gets holds the 32-bit registers. */
static pmm_status walk_thread64(pmm_scan *scan, pmm_stack_walker *w, pmm_thread *t, pmm_walk_frame *frames)
{
    size_t count = 0;
    t->frame64_first = (uint32_t)scan->map->frame_count;
    t->frame64_count = 0;
    t->walk64_end = PMM_WALK_NOT_WALKED;
    if (!(t->flags & PMM_THREAD_TEB64_READ) || t->context.arch != PMM_ARCH_X64)
        return PMM_OK;
    uint64_t sp = t->context.gpr[PMM_REG_SP];
    if (sp < t->stack64_reserve_base || sp >= t->stack64_base) {
        t->walk64_end = PMM_WALK_SP_OFF_STACK;
        return PMM_OK;
    }
    w->stack_low = t->stack64_reserve_base;
    w->stack_high = t->stack64_base;
    t->walk64_end = pmm_walk_stack_x64(w, &t->context, frames, PMM_STACK_MAX_FRAMES, &count);
    for (size_t i = 0; i < count; i++) {
        pmm_frame f = {frames[i].ip, frames[i].sp, 0, frames[i].method, 0};
        pmm_status st = pmm_map_add_frame(scan->map, &f);
        if (st != PMM_OK)
            return st;
    }
    t->frame64_count = (uint32_t)count;
    return PMM_OK;
}

static void mark_module(const pmm_map *map, uint8_t *used, uint64_t addr)
{
    for (size_t m = 0; addr && m < map->module_count; m++)
        if (addr - map->modules[m].base < map->modules[m].size)
            used[m] = 1;
}

/* Registers only the modules some code address of a thread (frame, SEH handler, start address)
 * is in: a map has hundreds of modules and the threads touch a handful. Nothing is read yet. */
static pmm_status add_code_modules(pmm_scan *scan, pmm_symbols *syms, uint8_t *used)
{
    pmm_map *map = scan->map;
    for (size_t i = 0; i < map->frame_count; i++)
        mark_module(map, used, map->frames[i].address);
    for (size_t i = 0; i < map->seh_count; i++)
        mark_module(map, used, map->seh[i].handler);
    for (size_t i = 0; i < map->thread_count; i++)
        mark_module(map, used, map->threads[i].start_address);
    pmm_status st = PMM_OK;
    for (size_t m = 0; m < map->module_count && st == PMM_OK; m++)
        if (used[m])
            st = pmm_symbols_add_image(syms, scan->src, map->modules[m].base, map->modules[m].size,
                                       pmm_map_text(map, map->modules[m].name), pmm_map_text(map, map->modules[m].path));
    return st;
}

static pmm_status name_address(pmm_scan *scan, const pmm_symbols *syms, uint64_t addr, uint32_t flags, uint32_t *out)
{
    char text[1024];
    if (addr && pmm_symbols_describe_line(syms, addr, flags, text, sizeof text))
        return pmm_strings_intern(&scan->map->strings, text, out);
    return PMM_OK;
}

/* Frames after the first hold return addresses: their name and line are the call's. */
static pmm_status name_frames(pmm_scan *scan, const pmm_symbols *syms, uint32_t first, uint32_t count)
{
    pmm_status st = PMM_OK;
    for (uint32_t i = 0; i < count && st == PMM_OK && first + i < scan->map->frame_count; i++)
        st = name_address(scan, syms, scan->map->frames[first + i].address, i ? PMM_SYMBOLS_CALLER : 0,
                          &scan->map->frames[first + i].symbol);
    return st;
}

/* Modules whose frames are named from exports alone, and why (one warning each). */
static pmm_status warn_missing_symbols(pmm_scan *scan, const pmm_symbols *syms)
{
    pmm_status st = PMM_OK;
    for (size_t i = 0; i < syms->module_count && st == PMM_OK; i++) {
        const pmm_symbol_module *m = &syms->modules[i];
        if (m->debug_state == PMM_DEBUG_NOT_READ || (m->origins & ~(1u << DBG_ORIGIN_EXPORT)))
            continue;
        st = pmm_map_warn(scan->map, "symbols not found for %s (frames named from exports): %s",
                          pmm_symbols_text(syms, m->name), m->note ? pmm_symbols_text(syms, m->note) : "no debug data");
    }
    return st;
}

/* Names frames, SEH handlers and thread start addresses. */
static pmm_status name_code_addresses(pmm_scan *scan)
{
    pmm_map *map = scan->map;
    uint8_t *used = calloc(map->module_count ? map->module_count : 1, 1);
    if (!used)
        return PMM_ERR_NOMEM;
    pmm_symbols syms;
    pmm_symbols_init(&syms);
    syms.exports_only = (scan->options->flags & PMM_SCAN_EXPORT_NAMES) != 0;
    pmm_status st = pmm_symbols_set_path(&syms, scan->options->symbol_path);
    if (st == PMM_OK)
        st = add_code_modules(scan, &syms, used);
    free(used);
    pmm_symbols_finish(&syms);
    for (size_t i = 0; i < map->thread_count && st == PMM_OK; i++) {
        const pmm_thread *t = &map->threads[i];
        st = name_frames(scan, &syms, t->frame_first, t->frame_count);
        if (st == PMM_OK)
            st = name_frames(scan, &syms, t->frame64_first, t->frame64_count);
        if (st == PMM_OK)
            st = name_address(scan, &syms, t->start_address, 0, &map->threads[i].start_symbol);
    }
    for (size_t i = 0; i < map->seh_count && st == PMM_OK; i++)
        st = name_address(scan, &syms, map->seh[i].handler, 0, &map->seh[i].symbol);
    if (st == PMM_OK && !syms.exports_only)
        st = warn_missing_symbols(scan, &syms);
    pmm_symbols_free(&syms);
    return st;
}

pmm_status pmm_analyze_stacks(pmm_scan *scan)
{
    pmm_map *map = scan->map;
    pmm_walk_frame *frames = malloc(PMM_STACK_MAX_FRAMES * sizeof *frames);
    if (!frames)
        return PMM_ERR_NOMEM;
    pmm_stack_walker w;
    pmm_stack_walker_init(&w, scan->src, map->modules, map->module_count);
    pmm_status st = PMM_OK;
    for (size_t i = 0; i < map->thread_count && st == PMM_OK; i++) {
        st = walk_thread(scan, &w, &map->threads[i], frames);
        if (st == PMM_OK && scan->src->target.wow64 && scan->src->target.pointer_size == 4)
            st = walk_thread64(scan, &w, &map->threads[i], frames);
    }
    pmm_stack_walker_free(&w);
    free(frames);
    if (st == PMM_OK && (map->frame_count || map->seh_count || map->thread_count))
        st = name_code_addresses(scan);
    return st;
}
