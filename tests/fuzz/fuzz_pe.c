/* libFuzzer harness for the PE parser: the input is read as a file (file layout at address 0) and
 * as a mapped image (image layout at a 64 KiB-aligned base), through every directory decoder, the
 * JSON and text writers and the export resolver; the mapped image's "/N" section names are then
 * copied from the same bytes read as its file. Any crash or sanitizer report is a bug.
 * Parsers it reaches: core/formats/pe_read.c, pe_headers.c, pe_exports.c, pe_imports.c,
 * pe_resources.c, pe_tls.c, pe_relocs.c, pe_debug.c, pe_exceptions.c, pe_load_config.c and
 * pe_long_names.c. */
#include <stdint.h>
#include <stdlib.h>
#include "pe_walk.h"
#include "core/formats/pe_long_names.h"
#include "core/source/buffer_source.h"
#include "core/tools/pe_output.h"
#include "core/symbols/symbols.h"

#define IMAGE_BASE 0x10000000ull

/* The writers decode every directory; the image layout takes the cheaper walk, which keeps
 * inputs that max out the caps (65536 imports) from slowing the fuzzer to a crawl. */
static void parse(pmm_source *src, uint64_t base, pe_layout layout)
{
    pe_image img;
    if (pe_open(src, base, layout, &img) != PMM_OK)
        return;
    if (layout == PE_LAYOUT_IMAGE) {
        pe_walk_summary summary;
        pe_walk_all(&img, &summary);
        pe_close(&img);
        return;
    }
    pmm_out out = pmm_out_null();
    /* Full relocation lists (bounded by real bytes); not the function table, which a zero-filled
     * section can inflate to a million rows of output. */
    pmm_pe_output_options options = {1, 0, 0, NULL};
    pmm_pe_write_json(&img, "fuzz", &options, &out);
    pmm_pe_write_text(&img, "fuzz", &options, &out);
    pe_close(&img);
}

/* The same bytes as a mapped image and as its file: the same build, so every "/N" the file's
 * string table names is copied. */
static void copy_long_names(const uint8_t *data, size_t size)
{
    pmm_source file_src, image_src;
    if (pmm_buffer_source_open(data, size, 0, &file_src) != PMM_OK)
        return;
    if (pmm_buffer_source_open(data, size, IMAGE_BASE, &image_src) == PMM_OK) {
        pe_image file, image;
        if (pe_open(&file_src, 0, PE_LAYOUT_FILE, &file) == PMM_OK) {
            if (pe_open(&image_src, IMAGE_BASE, PE_LAYOUT_IMAGE, &image) == PMM_OK) {
                pe_long_names_result result;
                pe_long_names_copy(&image, &file, &result);
                pe_close(&image);
            }
            pe_close(&file);
        }
        pmm_source_close(&image_src);
    }
    pmm_source_close(&file_src);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pmm_source src;
    if (pmm_buffer_source_open(data, size, 0, &src) == PMM_OK) {
        parse(&src, 0, PE_LAYOUT_FILE);
        pmm_source_close(&src);
    }
    if (pmm_buffer_source_open(data, size, IMAGE_BASE, &src) == PMM_OK) {
        parse(&src, IMAGE_BASE, PE_LAYOUT_IMAGE);
        pmm_symbols syms;
        pmm_symbols_init(&syms);
        if (pmm_symbols_add_module(&syms, &src, IMAGE_BASE, size, "fuzz.dll") == PMM_OK) {
            pmm_symbols_finish(&syms);
            char text[256];
            pmm_symbols_describe(&syms, IMAGE_BASE + size / 2, text, sizeof text);
            pmm_symbols_find_name(&syms, "fuzz!DllMain", NULL, NULL);
        }
        pmm_symbols_free(&syms);
        pmm_source_close(&src);
    }
    copy_long_names(data, size);
    return 0;
}
