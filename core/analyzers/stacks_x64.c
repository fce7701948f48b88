/* x64 unwinding from the RUNTIME_FUNCTION table (.pdata) and UNWIND_INFO of the image the
 * instruction pointer is in, read from the mapped image through the source. Follows the documented
 * algorithm (and Wine's RtlVirtualUnwind): apply the unwind codes whose prolog offset has been
 * reached, follow chained unwind info, then pop the return address. Epilogs are not detected: a
 * thread stopped inside an epilog may lose a frame, which is acceptable for a memory map. */
#include "stacks.h"

#include <string.h>

#define RUNTIME_FUNCTION_SIZE 12u
#define UNW_FLAG_CHAININFO 4u

enum {
    UWOP_PUSH_NONVOL = 0,
    UWOP_ALLOC_LARGE = 1,
    UWOP_ALLOC_SMALL = 2,
    UWOP_SET_FPREG = 3,
    UWOP_SAVE_NONVOL = 4,
    UWOP_SAVE_NONVOL_FAR = 5,
    UWOP_EPILOG = 6,          /* version 2; SAVE_XMM in version 1: two slots either way */
    UWOP_SPARE_CODE = 7,      /* SAVE_XMM_FAR in version 1: three slots */
    UWOP_SAVE_XMM128 = 8,
    UWOP_SAVE_XMM128_FAR = 9,
    UWOP_PUSH_MACHFRAME = 10
};

typedef struct unwind_info {
    uint8_t version, flags, prolog_size, code_count, frame_reg, frame_offset;
    uint16_t codes[256];
} unwind_info;

typedef struct runtime_function {
    uint32_t begin, end, unwind;
} runtime_function;

static pmm_status read_runtime_function(pe_image *img, uint32_t rva, runtime_function *out)
{
    uint8_t raw[RUNTIME_FUNCTION_SIZE];
    pmm_status st = pe_read_rva(img, rva, raw, sizeof raw);
    if (st != PMM_OK)
        return st;
    out->begin = (uint32_t)raw[0] | (uint32_t)raw[1] << 8 | (uint32_t)raw[2] << 16 | (uint32_t)raw[3] << 24;
    out->end = (uint32_t)raw[4] | (uint32_t)raw[5] << 8 | (uint32_t)raw[6] << 16 | (uint32_t)raw[7] << 24;
    out->unwind = (uint32_t)raw[8] | (uint32_t)raw[9] << 8 | (uint32_t)raw[10] << 16 | (uint32_t)raw[11] << 24;
    return PMM_OK;
}

/* Binary search of the (sorted) function table. PMM_ERR_NOT_FOUND: a leaf function. */
static pmm_status find_function(pe_image *img, uint32_t rva, runtime_function *out)
{
    const pe_data_directory *dir = &img->directories[PE_DIR_EXCEPTION];
    if (dir->rva == 0 || dir->size < RUNTIME_FUNCTION_SIZE)
        return PMM_ERR_NOT_FOUND;
    uint32_t lo = 0, hi = dir->size / RUNTIME_FUNCTION_SIZE;
    if (hi > PE_MAX_RUNTIME_FUNCTIONS)
        hi = PE_MAX_RUNTIME_FUNCTIONS;
    while (lo < hi) {   /* at most 21 probes */
        uint32_t mid = lo + (hi - lo) / 2;
        pmm_status st = read_runtime_function(img, dir->rva + mid * RUNTIME_FUNCTION_SIZE, out);
        if (st != PMM_OK)
            return st;
        if (rva < out->begin)
            hi = mid;
        else if (rva >= out->end)
            lo = mid + 1;
        else
            return PMM_OK;
    }
    return PMM_ERR_NOT_FOUND;
}

/* An unwind RVA with bit 0 set names another RUNTIME_FUNCTION whose unwind data is shared. */
static pmm_status resolve_indirect(pe_image *img, runtime_function *f)
{
    for (int i = 0; i < 4 && (f->unwind & 1); i++) {
        pmm_status st = read_runtime_function(img, f->unwind & ~1u, f);
        if (st != PMM_OK)
            return st;
    }
    return (f->unwind & 1) ? PMM_ERR_FORMAT : PMM_OK;
}

static pmm_status read_unwind_info(pe_image *img, uint32_t rva, unwind_info *out)
{
    uint8_t head[4];
    pmm_status st = pe_read_rva(img, rva, head, sizeof head);
    if (st != PMM_OK)
        return st;
    out->version = head[0] & 7;
    out->flags = head[0] >> 3;
    out->prolog_size = head[1];
    out->code_count = head[2];
    out->frame_reg = head[3] & 15;
    out->frame_offset = head[3] >> 4;
    if (out->version != 1 && out->version != 2)
        return PMM_ERR_FORMAT;
    uint8_t raw[512];
    st = pe_read_rva(img, rva + 4, raw, (size_t)out->code_count * 2);
    for (unsigned i = 0; st == PMM_OK && i < out->code_count; i++)
        out->codes[i] = (uint16_t)(raw[2 * i] | raw[2 * i + 1] << 8);
    return st;
}

static unsigned code_slots(uint16_t code)
{
    unsigned op = (code >> 8) & 15, info = code >> 12;
    switch (op) {
    case UWOP_ALLOC_LARGE: return info ? 3 : 2;
    case UWOP_SAVE_NONVOL: case UWOP_SAVE_XMM128: case UWOP_EPILOG: return 2;
    case UWOP_SAVE_NONVOL_FAR: case UWOP_SAVE_XMM128_FAR: case UWOP_SPARE_CODE: return 3;
    default: return 1;
    }
}

typedef struct unwind_state {
    pmm_stack_walker *w;
    pmm_context *ctx;
    int machine_frame;        /* PUSH_MACHFRAME set ip and sp itself */
} unwind_state;

static pmm_status read_stack_u64(unwind_state *s, uint64_t addr, uint64_t *out)
{
    if (addr < s->w->stack_low || addr >= s->w->stack_high || s->w->stack_high - addr < 8)
        return PMM_ERR_FORMAT;
    return pmm_source_read_u64(s->w->src, addr, out) == PMM_OK ? PMM_OK : PMM_ERR_READ;
}

/* The 16- or 32-bit operand stored in the slots after a code. */
static uint32_t operand(const unwind_info *u, unsigned i, int wide)
{
    uint32_t low = u->codes[i + 1];
    return wide ? low | (uint32_t)u->codes[i + 2] << 16 : low;
}

static pmm_status apply_code(unwind_state *s, const unwind_info *u, unsigned i, uint64_t frame)
{
    pmm_context *c = s->ctx;
    unsigned op = (u->codes[i] >> 8) & 15, info = u->codes[i] >> 12;
    switch (op) {
    case UWOP_PUSH_NONVOL: {
        pmm_status st = read_stack_u64(s, c->gpr[PMM_REG_SP], &c->gpr[info]);
        c->gpr[PMM_REG_SP] += 8;
        return st;
    }
    case UWOP_ALLOC_LARGE:
        c->gpr[PMM_REG_SP] += info ? operand(u, i, 1) : (uint64_t)operand(u, i, 0) * 8;
        return PMM_OK;
    case UWOP_ALLOC_SMALL:
        c->gpr[PMM_REG_SP] += (uint64_t)info * 8 + 8;
        return PMM_OK;
    case UWOP_SET_FPREG:
        c->gpr[PMM_REG_SP] = frame;
        return PMM_OK;
    case UWOP_SAVE_NONVOL:
        return read_stack_u64(s, frame + (uint64_t)operand(u, i, 0) * 8, &c->gpr[info]);
    case UWOP_SAVE_NONVOL_FAR:
        return read_stack_u64(s, frame + operand(u, i, 1), &c->gpr[info]);
    case UWOP_PUSH_MACHFRAME: {
        /* RIP, CS, EFLAGS, old RSP, SS, with an error code below them when info is 1. */
        uint64_t at = c->gpr[PMM_REG_SP] + (info ? 8 : 0), ip, sp;
        pmm_status st = read_stack_u64(s, at, &ip);
        if (st == PMM_OK)
            st = read_stack_u64(s, at + 24, &sp);
        if (st != PMM_OK)
            return st;
        c->ip = ip;
        c->gpr[PMM_REG_SP] = sp;
        s->machine_frame = 1;
        return PMM_OK;
    }
    default:   /* XMM saves and epilog descriptions change no integer register */
        return PMM_OK;
    }
}

/* Applies one UNWIND_INFO. prolog_offset: how far into the function ip is; UINT32_MAX applies all
 * codes (past the prolog, and always for chained info). */
static pmm_status apply_info(unwind_state *s, const unwind_info *u, uint32_t prolog_offset)
{
    uint64_t frame = s->ctx->gpr[PMM_REG_SP];
    if (u->frame_reg) {
        /* The frame register holds the frame only once SET_FPREG has run. */
        for (unsigned i = 0; i < u->code_count; i += code_slots(u->codes[i]))
            if (((u->codes[i] >> 8) & 15) == UWOP_SET_FPREG && (u->codes[i] & 0xff) <= prolog_offset)
                frame = s->ctx->gpr[u->frame_reg] - (uint64_t)u->frame_offset * 16;
    }
    for (unsigned i = 0; i < u->code_count; i += code_slots(u->codes[i])) {
        if (i + code_slots(u->codes[i]) > u->code_count)
            return PMM_ERR_FORMAT;   /* an operand past the array */
        if ((u->codes[i] & 0xff) > prolog_offset)
            continue;               /* not executed yet */
        pmm_status st = apply_code(s, u, i, frame);
        if (st != PMM_OK || s->machine_frame)
            return st;
    }
    return PMM_OK;
}

/* The function's own unwind info, then each chained parent's. */
static pmm_status apply_function(unwind_state *s, pe_image *img, runtime_function f, uint32_t rva)
{
    uint32_t prolog_offset = rva - f.begin;
    for (unsigned link = 0; link < PMM_UNWIND_MAX_CHAIN; link++) {
        unwind_info u;
        pmm_status st = resolve_indirect(img, &f);
        if (st == PMM_OK)
            st = read_unwind_info(img, f.unwind, &u);
        if (st != PMM_OK)
            return st;
        if (link == 0 && prolog_offset >= u.prolog_size)
            prolog_offset = UINT32_MAX;
        st = apply_info(s, &u, prolog_offset);
        if (st != PMM_OK || s->machine_frame || !(u.flags & UNW_FLAG_CHAININFO))
            return st;
        uint32_t chained = f.unwind + 4 + (((uint32_t)u.code_count + 1) & ~1u) * 2;
        if ((st = read_runtime_function(img, chained, &f)) != PMM_OK)
            return st;
        prolog_offset = UINT32_MAX;
    }
    return PMM_ERR_FORMAT;   /* a chain this long is a loop */
}

pmm_status pmm_unwind_x64_step(pmm_stack_walker *w, pmm_context *ctx, uint16_t *method)
{
    unwind_state s = {w, ctx, 0};
    pmm_unwind_image *image = pmm_stack_image_at(w, ctx->ip);
    if (!image)
        return PMM_ERR_NOT_FOUND;
    if (image->status != PMM_OK)
        return PMM_ERR_READ;
    runtime_function f;
    uint32_t rva = (uint32_t)(ctx->ip - image->base);
    pmm_status st = find_function(&image->img, rva, &f);
    *method = PMM_FRAME_UNWIND;
    if (st == PMM_ERR_NOT_FOUND)
        *method = PMM_FRAME_LEAF;
    else if (st == PMM_OK)
        st = apply_function(&s, &image->img, f, rva);
    if (st != PMM_OK && st != PMM_ERR_NOT_FOUND)
        return st;
    if (s.machine_frame) {
        *method = PMM_FRAME_MACHINE;
    } else {
        if ((st = read_stack_u64(&s, ctx->gpr[PMM_REG_SP], &ctx->ip)) != PMM_OK)
            return st;
        ctx->gpr[PMM_REG_SP] += 8;
    }
    return ctx->ip == 0 ? PMM_END : PMM_OK;
}

static pmm_walk_end end_of(pmm_status st)
{
    switch (st) {
    case PMM_END: return PMM_WALK_COMPLETE;
    case PMM_ERR_READ: return PMM_WALK_READ_FAILED;
    default: return PMM_WALK_BAD_FRAME;
    }
}

pmm_walk_end pmm_walk_stack_x64(pmm_stack_walker *w, const pmm_context *start, pmm_walk_frame *frames, size_t cap,
                                size_t *count)
{
    pmm_context ctx = *start;
    *count = 0;
    if (cap == 0 || ctx.ip == 0)
        return PMM_WALK_COMPLETE;
    frames[(*count)++] = (pmm_walk_frame){ctx.ip, ctx.gpr[PMM_REG_SP], PMM_FRAME_CONTEXT};
    while (*count < cap) {
        uint64_t old_sp = ctx.gpr[PMM_REG_SP];
        uint16_t method = PMM_FRAME_UNWIND;
        pmm_unwind_image *image = pmm_stack_image_at(w, ctx.ip);
        if (image && image->status != PMM_OK)
            return PMM_WALK_NO_UNWIND_INFO;
        if (!image && *count > 1)
            return PMM_WALK_BAD_FRAME;   /* only the innermost frame may be outside every image */
        pmm_status st = pmm_unwind_x64_step(w, &ctx, &method);
        if (st == PMM_ERR_NOT_FOUND) {
            /* Innermost frame in no image (a syscall trampoline, generated code): assume a leaf. */
            unwind_state s = {w, &ctx, 0};
            st = read_stack_u64(&s, ctx.gpr[PMM_REG_SP], &ctx.ip);
            ctx.gpr[PMM_REG_SP] += 8;
            method = PMM_FRAME_LEAF;
            if (st == PMM_OK && ctx.ip == 0)
                st = PMM_END;
        }
        if (st != PMM_OK)
            return end_of(st);
        if (ctx.gpr[PMM_REG_SP] <= old_sp || ctx.gpr[PMM_REG_SP] > w->stack_high)
            return PMM_WALK_BAD_FRAME;   /* the stack only grows toward callers */
        frames[(*count)++] = (pmm_walk_frame){ctx.ip, ctx.gpr[PMM_REG_SP], method};
    }
    return PMM_WALK_FRAME_LIMIT;
}
