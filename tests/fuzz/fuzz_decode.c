/* libFuzzer harness for structure decoding and stack walking: the input is an address space (a
 * buffer source at a fixed base). The first bytes choose a structure and an offset; every table is
 * decoded there and written as text and JSON, and an x64 and an x86 stack walk run over the same
 * bytes as stack and image. Any crash, hang or sanitizer report is a bug. */
#include <stdint.h>
#include <string.h>
#include "core/analyzers/stacks.h"
#include "core/source/buffer_source.h"
#include "core/tools/decode.h"

#define BASE 0x10000ull

static void decode_all(pmm_source *src, uint64_t at)
{
    const pmm_struct_def *def;
    for (size_t i = 0; (def = pmm_struct_at(i)) != NULL; i++) {
        pmm_decoded d;
        pmm_decode(src, at, def, &d);
        pmm_out out = pmm_out_null();
        pmm_decode_write_text(&d, &out);
        pmm_json j;
        pmm_json_init(&j, &out, 0);
        pmm_json_begin_object(&j);
        pmm_decode_write_json_members(&d, &j);
        pmm_json_end_object(&j);
        pmm_decoded_free(&d);
    }
}

static void walk(pmm_source *src, size_t size, const uint8_t *data)
{
    static pmm_walk_frame frames[PMM_STACK_MAX_FRAMES];
    pmm_module module;
    memset(&module, 0, sizeof module);
    module.base = BASE;
    module.size = size;
    pmm_stack_walker w;
    pmm_stack_walker_init(&w, src, &module, 1);
    w.stack_low = BASE;
    w.stack_high = BASE + size;
    pmm_context c;
    memset(&c, 0, sizeof c);
    c.ip = BASE + (size > 8 ? data[1] * 16u % size : 0);
    c.gpr[PMM_REG_SP] = BASE + (size > 8 ? data[2] * 8u % size : 0);
    c.gpr[PMM_REG_FP] = BASE + (size > 8 ? data[3] * 8u % size : 0);
    size_t n;
    c.arch = PMM_ARCH_X64;
    pmm_walk_stack_x64(&w, &c, frames, PMM_STACK_MAX_FRAMES, &n);
    c.arch = PMM_ARCH_X86;
    pmm_walk_stack_x86(&w, &c, frames, PMM_STACK_MAX_FRAMES, &n);
    pmm_stack_walker_free(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pmm_source src;
    if (pmm_buffer_source_open(data, size, BASE, &src) != PMM_OK)
        return 0;
    uint64_t at = BASE + (size >= 2 ? (data[0] | data[1] << 8) % (size ? size : 1) : 0);
    decode_all(&src, at);
    decode_all(&src, BASE);
    walk(&src, size, data);
    pmm_source_close(&src);
    return 0;
}
