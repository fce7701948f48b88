/* Test helpers shared by the PE unit tests, the fuzzer and the benchmark: read every part of an
 * image, and lay a file out the way the loader maps it. Header-only so each test stays one file. */
#ifndef PMM_TEST_PE_WALK_H
#define PMM_TEST_PE_WALK_H

#include <stdlib.h>
#include <string.h>
#include "core/formats/pe.h"

typedef struct pe_walk_summary {
    size_t sections;
    size_t exports;
    size_t forwarders;
    size_t import_modules;
    size_t import_functions;
    size_t delay_modules;
    size_t delay_functions;
    size_t bound;
    size_t resource_nodes;
    size_t reloc_blocks;
    size_t reloc_entries;
    size_t debug_entries;
    size_t runtime_functions;
    size_t tls_callbacks;
    int has_load_config;
    int nomem;               /* some part failed with PMM_ERR_NOMEM */
} pe_walk_summary;

/* Reads every directory the parser knows; results are counted and freed. */
static inline void pe_walk_all(pe_image *img, pe_walk_summary *s)
{
    memset(s, 0, sizeof *s);
    s->sections = img->section_count;
    pe_exports ex;
    pmm_status st = pe_read_exports(img, &ex);
    if (st == PMM_OK) {
        s->exports = ex.count;
        for (size_t i = 0; i < ex.count; i++)
            s->forwarders += ex.items[i].forwarder != NULL;
        pe_exports_free(&ex);
    }
    s->nomem |= st == PMM_ERR_NOMEM;
    pe_imports im;
    if ((st = pe_read_imports(img, &im)) == PMM_OK) {
        s->import_modules = im.module_count;
        s->import_functions = im.function_count;
        pe_imports_free(&im);
    }
    s->nomem |= st == PMM_ERR_NOMEM;
    if ((st = pe_read_delay_imports(img, &im)) == PMM_OK) {
        s->delay_modules = im.module_count;
        s->delay_functions = im.function_count;
        pe_imports_free(&im);
    }
    s->nomem |= st == PMM_ERR_NOMEM;
    pe_bound_imports bi;
    if ((st = pe_read_bound_imports(img, &bi)) == PMM_OK) {
        s->bound = bi.count;
        pe_bound_imports_free(&bi);
    }
    s->nomem |= st == PMM_ERR_NOMEM;
    pe_resources rs;
    if ((st = pe_read_resources(img, &rs)) == PMM_OK) {
        s->resource_nodes = rs.count;
        pe_resources_free(&rs);
    }
    s->nomem |= st == PMM_ERR_NOMEM;
    pe_relocs rl;
    if ((st = pe_read_relocs(img, &rl)) == PMM_OK) {
        s->reloc_blocks = rl.block_count;
        s->reloc_entries = rl.entry_count;
        pe_relocs_free(&rl);
    }
    s->nomem |= st == PMM_ERR_NOMEM;
    pe_debug dbg;
    if ((st = pe_read_debug(img, &dbg)) == PMM_OK) {
        s->debug_entries = dbg.count;
        pe_debug_free(&dbg);
    }
    s->nomem |= st == PMM_ERR_NOMEM;
    pe_exceptions exc;
    if ((st = pe_read_exceptions(img, &exc)) == PMM_OK) {
        s->runtime_functions = exc.count;
        pe_exceptions_free(&exc);
    }
    s->nomem |= st == PMM_ERR_NOMEM;
    pe_tls *tls = malloc(sizeof *tls);
    if (tls && pe_read_tls(img, tls) == PMM_OK)
        s->tls_callbacks = tls->callback_count;
    free(tls);
    pe_load_config lc;
    s->has_load_config = pe_read_load_config(img, &lc) == PMM_OK;
}

/* Applies the base relocations for a move to new_base, as the loader does (HIGHLOW and DIR64). */
static inline void pe_apply_relocs(pe_image *file_img, uint8_t *image, size_t size, uint64_t new_base)
{
    pe_relocs rl;
    if (pe_read_relocs(file_img, &rl) != PMM_OK)
        return;
    uint64_t delta = new_base - file_img->image_base;
    for (size_t i = 0; i < rl.entry_count; i++) {
        size_t at = rl.entries[i].rva;
        if (rl.entries[i].type == 3 && at + 4 <= size) {
            uint32_t v = (uint32_t)image[at] | ((uint32_t)image[at + 1] << 8) |
                         ((uint32_t)image[at + 2] << 16) | ((uint32_t)image[at + 3] << 24);
            v += (uint32_t)delta;
            for (int b = 0; b < 4; b++)
                image[at + b] = (uint8_t)(v >> (8 * b));
        } else if (rl.entries[i].type == 10 && at + 8 <= size) {
            uint64_t v = 0;
            for (int b = 0; b < 8; b++)
                v |= (uint64_t)image[at + b] << (8 * b);
            v += delta;
            for (int b = 0; b < 8; b++)
                image[at + b] = (uint8_t)(v >> (8 * b));
        }
    }
    pe_relocs_free(&rl);
}

/* Lays out a file-layout image the way the loader maps it: page by page through the parser's own
 * RVA translation, pages it cannot translate left zero. Returns NULL when SizeOfImage is 0 or
 * above max_size. */
static inline uint8_t *pe_map_like_loader(pe_image *file_img, size_t max_size, size_t *size)
{
    size_t total = file_img->size_of_image;
    *size = 0;
    if (total == 0 || total > max_size)
        return NULL;
    uint8_t *image = calloc(1, total);
    if (!image)
        return NULL;
    for (size_t rva = 0; rva < total; rva += PMM_PAGE_SIZE) {
        size_t n = total - rva < PMM_PAGE_SIZE ? total - rva : PMM_PAGE_SIZE;
        if (pe_read_rva(file_img, (uint32_t)rva, image + rva, n) != PMM_OK) {
            /* A page that is partly translatable (the tail of a tiny or flat image): byte by byte
             * would be slow, so take 64-byte pieces. */
            for (size_t off = 0; off < n; off += 64) {
                size_t m = n - off < 64 ? n - off : 64;
                if (pe_read_rva(file_img, (uint32_t)(rva + off), image + rva + off, m) != PMM_OK)
                    memset(image + rva + off, 0, m);
            }
        }
    }
    *size = total;
    return image;
}

#endif
