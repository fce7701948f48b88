/* The x64 unwinder and the x86 frame-pointer walk over synthetic images and stacks in a fake
 * source: each unwind code, chained unwind info, leaf functions, and hostile data (loops, frames
 * outside the stack, truncated tables) that must end the walk, never crash or hang it. */
#include "check.h"
#include "core/util/endian.h"
#include "fake_source.h"
#include "core/analyzers/stacks.h"

#define IMAGE 0x10000000ull
#define IMAGE_SIZE 0x4000u
#define PDATA_RVA 0x3000u
#define STACK 0x20000000ull
#define STACK_SIZE 0x2000u
#define RET1 (IMAGE + 0x1800)   /* a return address in the image with no function entry */

typedef struct fixture {
    fake_source fake;
    pmm_source src;
    uint8_t *image;
    pmm_module module;
    pmm_stack_walker walker;
    uint32_t pdata_count;
    uint32_t next_unwind;       /* where the next UNWIND_INFO goes */
} fixture;


/* A PE32+ header with one section and an exception directory of pdata_count entries. */
static void write_headers(fixture *f)
{
    uint8_t *h = f->image;
    pmm_put16(h, 0x5A4D);
    pmm_put32(h + 0x3C, 0x40);
    pmm_put32(h + 0x40, 0x00004550);
    pmm_put16(h + 0x44, 0x8664);
    pmm_put16(h + 0x46, 1);
    pmm_put16(h + 0x54, 0xF0);
    uint8_t *o = h + 0x58;
    pmm_put16(o, 0x20B);
    pmm_put32(o + 32, 0x1000);
    pmm_put32(o + 36, 0x200);
    pmm_put32(o + 56, IMAGE_SIZE);
    pmm_put32(o + 60, 0x400);
    pmm_put32(o + 108, 16);
    pmm_put32(o + 112 + 3 * 8, PDATA_RVA);
    pmm_put32(o + 112 + 3 * 8 + 4, f->pdata_count * 12);
    uint8_t *s = o + 0xF0;
    memcpy(s, ".text", 5);
    pmm_put32(s + 8, 0x3000);
    pmm_put32(s + 12, 0x1000);
    pmm_put32(s + 16, 0x3000);
    pmm_put32(s + 20, 0x400);
    pmm_put32(s + 36, 0x60000020);
}

static void setup(fixture *f)
{
    memset(f, 0, sizeof *f);
    f->image = fake_add(&f->fake, IMAGE, IMAGE_SIZE, IMAGE, PMM_MEM_COMMIT, PMM_MEM_IMAGE, PMM_PAGE_EXECUTE_READ,
                        PMM_PAGE_EXECUTE_WRITECOPY);
    fake_add(&f->fake, STACK, STACK_SIZE, STACK, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
    fake_source_open(&f->fake, &f->src, 8);
    f->module.base = IMAGE;
    f->module.size = IMAGE_SIZE;
    f->next_unwind = 0x2000;
}

/* Adds a function [begin, end) whose UNWIND_INFO has the given codes; returns the info's RVA. */
static uint32_t add_function(fixture *f, uint32_t begin, uint32_t end, uint8_t flags, uint8_t prolog, uint8_t frame,
                             const uint16_t *codes, uint8_t count, const uint32_t *chained)
{
    uint32_t rva = f->next_unwind;
    uint8_t *u = f->image + rva;
    u[0] = (uint8_t)(1 | flags << 3);
    u[1] = prolog;
    u[2] = count;
    u[3] = frame;
    for (unsigned i = 0; i < count; i++)
        pmm_put16(u + 4 + 2 * i, codes[i]);
    uint32_t after = 4 + ((count + 1u) & ~1u) * 2;
    if (chained) {
        pmm_put32(u + after, chained[0]);
        pmm_put32(u + after + 4, chained[1]);
        pmm_put32(u + after + 8, chained[2]);
        after += 12;
    }
    f->next_unwind += (after + 3) & ~3u;
    uint8_t *p = f->image + PDATA_RVA + f->pdata_count * 12;
    pmm_put32(p, begin);
    pmm_put32(p + 4, end);
    pmm_put32(p + 8, rva);
    f->pdata_count++;
    return rva;
}

static void start(fixture *f)
{
    write_headers(f);
    pmm_stack_walker_init(&f->walker, &f->src, &f->module, 1);
    f->walker.stack_low = STACK;
    f->walker.stack_high = STACK + STACK_SIZE;
}

static void finish(fixture *f)
{
    pmm_stack_walker_free(&f->walker);
    fake_free(&f->fake);
}

#define CODE(offset, op, info) ((uint16_t)((offset) | (op) << 8 | (info) << 12))

static pmm_context context_at(uint64_t ip, uint64_t sp)
{
    pmm_context c;
    memset(&c, 0, sizeof c);
    c.arch = PMM_ARCH_X64;
    c.ip = ip;
    c.gpr[PMM_REG_SP] = sp;
    return c;
}

/* One unwind step from ip with the stack pointer at sp: the context after it, and how (*method). */
static pmm_context step_from(fixture *f, uint64_t ip, uint64_t sp, uint16_t *method)
{
    pmm_context c = context_at(ip, sp);
    CHECK(pmm_unwind_x64_step(&f->walker, &c, method) == PMM_OK);
    return c;
}

TEST_CASE(push_nonvol_and_alloc_small)
{
    fixture f;
    setup(&f);
    /* push rbx (offset 1); push rsi (2); sub rsp, 0x28 (6) */
    const uint16_t codes[] = {CODE(6, 2, 4), CODE(2, 0, 6), CODE(1, 0, 3)};
    add_function(&f, 0x1000, 0x1100, 0, 6, 0, codes, 3, NULL);
    start(&f);
    uint64_t sp = STACK + 0x100;
    fake_write_u64(&f.fake, sp + 0x28, 0x5151);      /* rsi */
    fake_write_u64(&f.fake, sp + 0x30, 0xB0B0);      /* rbx */
    fake_write_u64(&f.fake, sp + 0x38, RET1);
    uint16_t method;
    pmm_context c = step_from(&f, IMAGE + 0x1050, sp, &method);
    CHECK_EQ_U64(c.ip, RET1);
    CHECK_EQ_U64(c.gpr[PMM_REG_SP], sp + 0x40);
    CHECK_EQ_U64(c.gpr[3], 0xB0B0);
    CHECK_EQ_U64(c.gpr[6], 0x5151);
    CHECK(method == PMM_FRAME_UNWIND);
    finish(&f);
}

TEST_CASE(inside_prolog_skips_codes_not_yet_run)
{
    fixture f;
    setup(&f);
    const uint16_t codes[] = {CODE(6, 2, 4), CODE(2, 0, 6), CODE(1, 0, 3)};
    add_function(&f, 0x1000, 0x1100, 0, 6, 0, codes, 3, NULL);
    start(&f);
    uint64_t sp = STACK + 0x100;
    fake_write_u64(&f.fake, sp, 0xB0B0);             /* only push rbx has run */
    fake_write_u64(&f.fake, sp + 8, RET1);
    uint16_t method;
    pmm_context c = step_from(&f, IMAGE + 0x1001, sp, &method);
    CHECK_EQ_U64(c.ip, RET1);
    CHECK_EQ_U64(c.gpr[3], 0xB0B0);
    CHECK_EQ_U64(c.gpr[PMM_REG_SP], sp + 16);
    finish(&f);
}

TEST_CASE(alloc_large_both_forms)
{
    fixture f;
    setup(&f);
    /* sub rsp, 0x200 as ALLOC_LARGE info 0 (size/8 in one slot), then 0x10008 as info 1 (32 bits) */
    const uint16_t small_form[] = {CODE(8, 1, 0), 0x200 / 8};
    const uint16_t big_form[] = {CODE(8, 1, 1), 0x0008, 0x0000};
    add_function(&f, 0x1000, 0x1100, 0, 8, 0, small_form, 2, NULL);
    add_function(&f, 0x1100, 0x1200, 0, 8, 0, big_form, 3, NULL);
    start(&f);
    uint64_t sp = STACK + 0x100;
    fake_write_u64(&f.fake, sp + 0x200, RET1);
    uint16_t method;
    pmm_context c = step_from(&f, IMAGE + 0x1050, sp, &method);
    CHECK_EQ_U64(c.gpr[PMM_REG_SP], sp + 0x208);
    CHECK_EQ_U64(c.ip, RET1);
    fake_write_u64(&f.fake, STACK + 0x10, RET1);
    c = context_at(IMAGE + 0x1150, STACK + 0x8);
    CHECK(pmm_unwind_x64_step(&f.walker, &c, &method) == PMM_OK);
    CHECK_EQ_U64(c.gpr[PMM_REG_SP], STACK + 0x18);
    finish(&f);
}

TEST_CASE(set_fpreg_and_save_nonvol)
{
    fixture f;
    setup(&f);
    /* push rbp (1); sub rsp, 0x40 (5); lea rbp, [rsp+0x20] (10, frame offset 2);
     * mov [rsp+0x30], rdi (15: SAVE_NONVOL 0x30/8 from the frame); mov [rsp+0x38], r12 (20: FAR) */
    const uint16_t codes[] = {CODE(20, 5, 12), 0x38, 0, CODE(15, 4, 7), 0x30 / 8, CODE(10, 3, 0), CODE(5, 2, 7),
                              CODE(1, 0, 5)};
    add_function(&f, 0x1000, 0x1100, 0, 20, 5 | 2 << 4, codes, 8, NULL);
    start(&f);
    uint64_t sp = STACK + 0x100;                     /* after the prolog, then a dynamic alloca */
    uint64_t frame = STACK + 0x200;                  /* rsp when rbp was set */
    pmm_context c = context_at(IMAGE + 0x1080, sp);
    c.gpr[5] = frame + 0x20;
    fake_write_u64(&f.fake, frame + 0x30, 0xD1D1);
    fake_write_u64(&f.fake, frame + 0x38, 0x1212);
    fake_write_u64(&f.fake, frame + 0x40, 0xBBBB);   /* saved rbp */
    fake_write_u64(&f.fake, frame + 0x48, RET1);
    uint16_t method;
    CHECK(pmm_unwind_x64_step(&f.walker, &c, &method) == PMM_OK);
    CHECK_EQ_U64(c.ip, RET1);
    CHECK_EQ_U64(c.gpr[PMM_REG_SP], frame + 0x50);
    CHECK_EQ_U64(c.gpr[5], 0xBBBB);
    CHECK_EQ_U64(c.gpr[7], 0xD1D1);
    CHECK_EQ_U64(c.gpr[12], 0x1212);
    finish(&f);
}

TEST_CASE(push_machframe)
{
    fixture f;
    setup(&f);
    const uint16_t codes[] = {CODE(1, 10, 1)};       /* with an error code */
    add_function(&f, 0x1000, 0x1100, 0, 1, 0, codes, 1, NULL);
    start(&f);
    uint64_t sp = STACK + 0x100;
    fake_write_u64(&f.fake, sp + 8, RET1);           /* RIP after the error code */
    fake_write_u64(&f.fake, sp + 8 + 24, STACK + 0x800);
    uint16_t method;
    pmm_context c = step_from(&f, IMAGE + 0x1050, sp, &method);
    CHECK(method == PMM_FRAME_MACHINE);
    CHECK_EQ_U64(c.ip, RET1);
    CHECK_EQ_U64(c.gpr[PMM_REG_SP], STACK + 0x800);
    finish(&f);
}

TEST_CASE(chained_info_applies_the_parent)
{
    fixture f;
    setup(&f);
    const uint16_t parent_codes[] = {CODE(1, 0, 3)};   /* push rbx */
    uint32_t parent = add_function(&f, 0x1000, 0x1100, 0, 1, 0, parent_codes, 1, NULL);
    const uint32_t chain[3] = {0x1000, 0x1100, parent};
    const uint16_t child_codes[] = {CODE(4, 2, 1)};    /* sub rsp, 16 in the split-off part */
    add_function(&f, 0x1100, 0x1200, 4, 0, 0, child_codes, 1, chain);
    start(&f);
    uint64_t sp = STACK + 0x100;
    fake_write_u64(&f.fake, sp + 16, 0xB0B0);
    fake_write_u64(&f.fake, sp + 24, RET1);
    uint16_t method;
    pmm_context c = step_from(&f, IMAGE + 0x1150, sp, &method);
    CHECK_EQ_U64(c.gpr[3], 0xB0B0);
    CHECK_EQ_U64(c.ip, RET1);
    CHECK_EQ_U64(c.gpr[PMM_REG_SP], sp + 32);
    finish(&f);
}

TEST_CASE(leaf_function_returns_from_rsp)
{
    fixture f;
    setup(&f);
    start(&f);
    uint64_t sp = STACK + 0x100;
    fake_write_u64(&f.fake, sp, RET1);
    uint16_t method;
    pmm_context c = step_from(&f, IMAGE + 0x1234, sp, &method);
    CHECK(method == PMM_FRAME_LEAF);
    CHECK_EQ_U64(c.ip, RET1);
    CHECK_EQ_U64(c.gpr[PMM_REG_SP], sp + 8);
    finish(&f);
}

TEST_CASE(whole_walk_ends_at_zero_return)
{
    fixture f;
    setup(&f);
    start(&f);
    uint64_t sp = STACK + 0x100;
    fake_write_u64(&f.fake, sp, RET1);               /* leaf -> RET1 (leaf) -> RET1 + 4 -> 0 */
    fake_write_u64(&f.fake, sp + 8, RET1 + 4);
    fake_write_u64(&f.fake, sp + 16, 0);
    pmm_context c = context_at(IMAGE + 0x1234, sp);
    pmm_walk_frame frames[16];
    size_t n;
    CHECK(pmm_walk_stack_x64(&f.walker, &c, frames, 16, &n) == PMM_WALK_COMPLETE);
    CHECK_EQ_U64(n, 3);
    CHECK_EQ_U64(frames[2].ip, RET1 + 4);
    finish(&f);
}

TEST_CASE(hostile_chain_loop_and_bad_codes)
{
    fixture f;
    setup(&f);
    /* An info chained to itself: rejected after PMM_UNWIND_MAX_CHAIN links. */
    uint32_t self_rva = f.next_unwind;
    const uint32_t loop[3] = {0x1000, 0x1100, self_rva};
    add_function(&f, 0x1000, 0x1100, 4, 0, 0, NULL, 0, loop);
    /* A code whose operand slot lies past the array. */
    const uint16_t truncated[] = {CODE(0, 1, 1)};
    add_function(&f, 0x1100, 0x1200, 0, 0, 0, truncated, 1, NULL);
    /* Version 7 unwind info. */
    add_function(&f, 0x1200, 0x1300, 0, 0, 0, NULL, 0, NULL);
    f.image[f.next_unwind - 4] = 7;
    start(&f);
    fake_write_u64(&f.fake, STACK + 0x100, RET1);
    uint16_t method;
    pmm_context c = context_at(IMAGE + 0x1050, STACK + 0x100);
    CHECK(pmm_unwind_x64_step(&f.walker, &c, &method) == PMM_ERR_FORMAT);
    c = context_at(IMAGE + 0x1150, STACK + 0x100);
    CHECK(pmm_unwind_x64_step(&f.walker, &c, &method) == PMM_ERR_FORMAT);
    c = context_at(IMAGE + 0x1250, STACK + 0x100);
    CHECK(pmm_unwind_x64_step(&f.walker, &c, &method) == PMM_ERR_FORMAT);
    finish(&f);
}

TEST_CASE(hostile_stack_never_loops)
{
    fixture f;
    setup(&f);
    start(&f);
    /* A leaf whose return address is itself and whose stack pointer would wrap: each step must go
     * up the stack, so the walk ends at the top of the stack instead of spinning. */
    for (uint64_t a = STACK; a < STACK + STACK_SIZE; a += 8)
        fake_write_u64(&f.fake, a, IMAGE + 0x1234);
    pmm_context c = context_at(IMAGE + 0x1234, STACK);
    pmm_walk_frame frames[PMM_STACK_MAX_FRAMES];
    size_t n;
    pmm_walk_end end = pmm_walk_stack_x64(&f.walker, &c, frames, PMM_STACK_MAX_FRAMES, &n);
    CHECK(end == PMM_WALK_FRAME_LIMIT || end == PMM_WALK_BAD_FRAME);
    CHECK(n <= PMM_STACK_MAX_FRAMES);
    /* A stack pointer outside the stack: nothing is read. */
    c = context_at(IMAGE + 0x1234, STACK + STACK_SIZE + 0x1000);
    CHECK(pmm_walk_stack_x64(&f.walker, &c, frames, 16, &n) == PMM_WALK_BAD_FRAME);
    CHECK_EQ_U64(n, 1);
    finish(&f);
}

static pmm_context context32(uint32_t ip, uint32_t sp, uint32_t bp)
{
    pmm_context c;
    memset(&c, 0, sizeof c);
    c.arch = PMM_ARCH_X86;
    c.ip = ip;
    c.gpr[PMM_REG_SP] = sp;
    c.gpr[PMM_REG_FP] = bp;
    return c;
}

TEST_CASE(x86_frame_chain)
{
    fixture f;
    setup(&f);
    start(&f);
    uint32_t s = (uint32_t)STACK;
    /* frame at +0x100 -> +0x200 -> 0; a call before each return address */
    f.image[0x1800 - 5] = 0xE8;
    f.image[0x1900 - 5] = 0xE8;
    fake_write_u32(&f.fake, STACK + 0x100, s + 0x200);
    fake_write_u32(&f.fake, STACK + 0x104, (uint32_t)RET1);
    fake_write_u32(&f.fake, STACK + 0x200, 0);
    fake_write_u32(&f.fake, STACK + 0x204, (uint32_t)IMAGE + 0x1900);
    pmm_context c = context32((uint32_t)IMAGE + 0x1234, s + 0x100, s + 0x100);
    pmm_walk_frame frames[16];
    size_t n;
    CHECK(pmm_walk_stack_x86(&f.walker, &c, frames, 16, &n) == PMM_WALK_COMPLETE);
    CHECK_EQ_U64(n, 3);
    CHECK_EQ_U64(frames[1].ip, RET1);
    CHECK_EQ_U64(frames[2].ip, IMAGE + 0x1900);
    finish(&f);
}

TEST_CASE(x86_hostile_chains)
{
    fixture f;
    setup(&f);
    start(&f);
    uint32_t s = (uint32_t)STACK;
    pmm_walk_frame frames[PMM_STACK_MAX_FRAMES];
    size_t n;
    /* A frame pointing at itself. */
    fake_write_u32(&f.fake, STACK + 0x100, s + 0x100);
    fake_write_u32(&f.fake, STACK + 0x104, (uint32_t)RET1);
    pmm_context c = context32((uint32_t)IMAGE + 0x1234, s + 0x100, s + 0x100);
    CHECK(pmm_walk_stack_x86(&f.walker, &c, frames, PMM_STACK_MAX_FRAMES, &n) == PMM_WALK_BAD_FRAME);
    CHECK(n <= 3);
    /* A return address into the stack (not code). */
    fake_write_u32(&f.fake, STACK + 0x104, s + 0x400);
    CHECK(pmm_walk_stack_x86(&f.walker, &c, frames, PMM_STACK_MAX_FRAMES, &n) == PMM_WALK_BAD_FRAME);
    /* EBP outside the stack, and unaligned. */
    c = context32((uint32_t)IMAGE + 0x1234, s + 0x100, 0x7000);
    CHECK(pmm_walk_stack_x86(&f.walker, &c, frames, PMM_STACK_MAX_FRAMES, &n) == PMM_WALK_BAD_FRAME);
    c = context32((uint32_t)IMAGE + 0x1234, s + 0x100, s + 0x101);
    CHECK(pmm_walk_stack_x86(&f.walker, &c, frames, PMM_STACK_MAX_FRAMES, &n) == PMM_WALK_BAD_FRAME);
    finish(&f);
}

CHECK_MAIN(CASE(push_nonvol_and_alloc_small), CASE(inside_prolog_skips_codes_not_yet_run),
           CASE(alloc_large_both_forms), CASE(set_fpreg_and_save_nonvol), CASE(push_machframe),
           CASE(chained_info_applies_the_parent), CASE(leaf_function_returns_from_rsp),
           CASE(whole_walk_ends_at_zero_return), CASE(hostile_chain_loop_and_bad_codes),
           CASE(hostile_stack_never_loops), CASE(x86_frame_chain), CASE(x86_hostile_chains))
