/* A private heap (HeapCreate) holding blocks of known sizes and contents.
 *
 * The sizes span the heap's size classes: tiny, small, a page-sized block, and one larger than
 * a 64 KiB granule (still below the large-block threshold of about 512 KiB, so it stays inside
 * the heap's segments rather than getting its own VirtualAlloc).
 */
#include "target_basic.h"

#include <string.h>

static const size_t block_sizes[TB_HEAP_BLOCK_COUNT] = { 16, 100, 4000, 70000 };

int tb_heap_make(tb_heap *h)
{
    memset(h, 0, sizeof *h);
    h->heap = HeapCreate(0, 0, 0);
    if (!h->heap)
        return tb_fail("HeapCreate");
    for (unsigned i = 0; i < TB_HEAP_BLOCK_COUNT; i++) {
        tb_range *block = &h->blocks[i];
        void *address = HeapAlloc(h->heap, 0, block_sizes[i]);
        if (!address)
            return tb_fail("HeapAlloc");
        block->base = (uintptr_t)address;
        block->size = block_sizes[i];
        block->fill = 0xe0 + (int)i;
        memset(address, block->fill, block->size);
    }
    return 0;
}

void tb_heap_report(const tb_heap *h, tj_writer *w)
{
    tj_address(w, "process_heap", (uintptr_t)GetProcessHeap());
    tj_begin_object(w, "heap");
    tj_address(w, "handle", (uintptr_t)h->heap);
    tj_begin_array(w, "blocks");
    for (unsigned i = 0; i < TB_HEAP_BLOCK_COUNT; i++) {
        tj_begin_object(w, NULL);
        tj_address(w, "address", h->blocks[i].base);
        tj_uint(w, "size", h->blocks[i].size);
        tj_uint(w, "fill", (unsigned)h->blocks[i].fill);
        tj_end_object(w);
    }
    tj_end_array(w);
    tj_end_object(w);
}
