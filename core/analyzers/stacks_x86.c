/* x86 call stacks by the EBP chain: [ebp] is the caller's ebp, [ebp+4] the return address.
 * Each frame must lie inside the stack, above the previous one, and return into executable image
 * memory. The innermost function may not have built a frame yet (a system-call stub, a function
 * compiled without frame pointers): then its return address lies between ESP and the first EBP
 * frame, and the first code address preceded by a call instruction there is taken as that frame. */
#include "stacks.h"

#include <string.h>

#define MAX_SCAN_BYTES 0x400u   /* how far above ESP a missing innermost frame is looked for */

typedef struct x86_walk {
    pmm_stack_walker *w;
    pmm_walk_frame *frames;
    size_t cap, *count;
} x86_walk;

static int read_u32_on_stack(pmm_stack_walker *w, uint64_t addr, uint32_t *out)
{
    if (addr < w->stack_low || addr >= w->stack_high || w->stack_high - addr < 4)
        return 0;
    return pmm_source_read_u32(w->src, addr, out) == PMM_OK;
}

/* The bytes before a return address hold a call: E8 rel32, FF /2 with a ModRM of 2 to 7 bytes. */
static int follows_call(pmm_stack_walker *w, uint64_t ret)
{
    uint8_t b[8];
    if (ret < sizeof b || pmm_source_read_exact(w->src, ret - sizeof b, b, sizeof b) != PMM_OK)
        return 0;
    if (b[3] == 0xE8)
        return 1;
    for (unsigned len = 2; len <= 7; len++) {
        uint8_t modrm = b[8 - len + 1];
        if (b[8 - len] == 0xFF && ((modrm >> 3) & 7) == 2)
            return 1;
    }
    return 0;
}

static void add(x86_walk *x, uint64_t ip, uint64_t sp, uint16_t method)
{
    if (*x->count < x->cap)
        x->frames[(*x->count)++] = (pmm_walk_frame){ip, sp, method};
}

/* A return address of the innermost function, when ESP..EBP holds one and EBP's frame does not
 * already start there. */
static void scan_innermost(x86_walk *x, uint32_t esp, uint32_t ebp)
{
    uint64_t end = ebp > esp && ebp - esp < MAX_SCAN_BYTES ? ebp : (uint64_t)esp + MAX_SCAN_BYTES;
    for (uint64_t at = esp; at + 4 <= end; at += 4) {
        uint32_t value;
        if (!read_u32_on_stack(x->w, at, &value))
            return;
        if (pmm_stack_is_code(x->w, value) && follows_call(x->w, value)) {
            add(x, value, at + 4, PMM_FRAME_SCAN);
            return;
        }
    }
}

pmm_walk_end pmm_walk_stack_x86(pmm_stack_walker *w, const pmm_context *start, pmm_walk_frame *frames, size_t cap,
                                size_t *count)
{
    x86_walk x = {w, frames, cap, count};
    uint32_t esp = (uint32_t)start->gpr[PMM_REG_SP], ebp = (uint32_t)start->gpr[PMM_REG_FP];
    *count = 0;
    if (cap == 0 || start->ip == 0)
        return PMM_WALK_COMPLETE;
    add(&x, (uint32_t)start->ip, esp, PMM_FRAME_CONTEXT);
    scan_innermost(&x, esp, ebp);
    uint64_t previous = esp;   /* the scanned frame may lie above EBP's first frame: not a bound */
    while (*count < cap) {
        uint32_t next_ebp, ret;
        if (ebp == 0)
            return PMM_WALK_COMPLETE;
        if (ebp < previous || (ebp & 3))
            return PMM_WALK_BAD_FRAME;
        if (!read_u32_on_stack(w, ebp, &next_ebp) || !read_u32_on_stack(w, (uint64_t)ebp + 4, &ret))
            return ebp >= w->stack_high ? PMM_WALK_BAD_FRAME : PMM_WALK_READ_FAILED;
        if (ret == 0)
            return PMM_WALK_COMPLETE;
        if (!pmm_stack_is_code(w, ret))
            return PMM_WALK_BAD_FRAME;
        /* The scanned frame and EBP's first frame may be the same return address. */
        if (!(*count == 2 && frames[1].method == PMM_FRAME_SCAN && frames[1].ip == ret))
            add(&x, ret, (uint64_t)ebp + 8, PMM_FRAME_POINTER);
        if (next_ebp != 0 && next_ebp <= ebp)
            return PMM_WALK_BAD_FRAME;
        previous = (uint64_t)ebp + 8;
        ebp = next_ebp;
    }
    return PMM_WALK_FRAME_LIMIT;
}
