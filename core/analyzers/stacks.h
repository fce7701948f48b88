/* Call-stack walking over target memory read through a source, so it works the same on a live
 * process, a minidump and a fake source in a unit test.
 *   x64: our own unwinder over the .pdata/UNWIND_INFO of the image the instruction pointer is in,
 *        read from the mapped image (not from a file on disk).
 *   x86: the EBP frame-pointer chain, with each frame checked against the stack and each return
 *        address against the executable regions of images.
 * Every walk is bounded (PMM_STACK_MAX_FRAMES) and every pointer read from the target is checked. */
#ifndef PMM_STACKS_H
#define PMM_STACKS_H

#include "../formats/pe.h"
#include "../model/map.h"

#define PMM_STACK_MAX_FRAMES 256u
#define PMM_UNWIND_MAX_CHAIN 32u      /* chained UNWIND_INFO links followed per function */
#define PMM_UNWIND_IMAGE_CACHE 16u    /* images kept open between unwind steps */

typedef struct pmm_unwind_image {
    uint64_t base, size;
    pmm_status status;                /* of pe_open; the image is open only when PMM_OK */
    uint32_t last_use;                /* 0: empty slot */
    pe_image img;
} pmm_unwind_image;

typedef struct pmm_stack_walker {
    pmm_source *src;
    const pmm_module *modules;        /* where images are; not owned */
    size_t module_count;
    uint64_t stack_low, stack_high;   /* [low, high): every frame's stack pointer must be inside */
    pmm_unwind_image images[PMM_UNWIND_IMAGE_CACHE];
    uint32_t clock;
} pmm_stack_walker;

typedef struct pmm_walk_frame {
    uint64_t ip, sp;
    uint16_t method;                  /* pmm_frame_method */
} pmm_walk_frame;

void pmm_stack_walker_init(pmm_stack_walker *w, pmm_source *src, const pmm_module *modules, size_t module_count);
void pmm_stack_walker_free(pmm_stack_walker *w);

/* One x64 unwind step: ctx (ip and gpr[]) becomes the caller's. PMM_OK, or PMM_END when the
 * return address is 0; PMM_ERR_NOT_FOUND when ip is in no image; PMM_ERR_FORMAT for unwind data
 * that cannot be right; PMM_ERR_READ when the stack or unwind data cannot be read. */
pmm_status pmm_unwind_x64_step(pmm_stack_walker *w, pmm_context *ctx, uint16_t *method);

/* Whole walks from a context, innermost frame first; return how the walk ended. */
pmm_walk_end pmm_walk_stack_x64(pmm_stack_walker *w, const pmm_context *start, pmm_walk_frame *frames, size_t cap,
                                size_t *count);
pmm_walk_end pmm_walk_stack_x86(pmm_stack_walker *w, const pmm_context *start, pmm_walk_frame *frames, size_t cap,
                                size_t *count);

/* 1 when addr lies in a committed executable region of an image. */
int pmm_stack_is_code(pmm_stack_walker *w, uint64_t addr);
/* The image cache entry of the module containing addr, opened on first use; NULL when addr is in
 * no known module. */
pmm_unwind_image *pmm_stack_image_at(pmm_stack_walker *w, uint64_t addr);

#endif
