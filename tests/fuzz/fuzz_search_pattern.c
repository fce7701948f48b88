/* libFuzzer harness for the search: the input's first bytes choose the kind of pattern, its
 * options and the chunk size; the next NUL-terminated run is the pattern text, the rest is the
 * memory searched. Compiling must never crash or leak whatever the text; a compiled pattern is
 * searched with a small chunk and the hit count must equal a compare at every offset; the strings
 * listing runs over the same memory. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/source/buffer_source.h"
#include "core/tools/search.h"
#include "core/tools/strings_list.h"

#define BASE 0x10000000ull

static uint64_t naive_count(const pmm_search_pattern *p, const uint8_t *mem, size_t size)
{
    uint64_t n = 0;
    for (size_t i = 0; i + p->length <= size; i++)
        if ((BASE + i) % p->alignment == 0 && pmm_search_pattern_matches(p, mem + i))
            n++;
    return n;
}

static pmm_map *one_region_map(size_t size)
{
    pmm_map *map = pmm_map_new();
    pmm_region_info r = {BASE, (size + 0xfff) & ~(uint64_t)0xfff, BASE, PMM_PAGE_READWRITE, PMM_PAGE_READWRITE,
                         PMM_MEM_COMMIT, PMM_MEM_PRIVATE};
    if (!map || pmm_map_add_region(map, &r) != PMM_OK || pmm_map_finish(map) != PMM_OK) {
        pmm_map_free(map);
        return NULL;
    }
    return map;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    pmm_search_spec spec = {(pmm_search_kind)(data[0] % 6), NULL, data[1] & 1, 8u << (data[1] >> 1 & 3),
                            (data[1] >> 3) & 1, 1u << (data[2] & 7)};
    size_t chunk = 1 + data[3] % 64;
    const uint8_t *rest = data + 4;
    size_t left = size - 4;
    const uint8_t *nul = memchr(rest, 0, left);
    size_t text_len = nul ? (size_t)(nul - rest) : left;
    char *text = malloc(text_len + 1);
    if (!text)
        return 0;
    memcpy(text, rest, text_len);
    text[text_len] = '\0';
    spec.text = text;
    const uint8_t *mem = nul ? nul + 1 : rest + left;
    size_t mem_size = (size_t)(rest + left - mem);

    pmm_search_pattern p;
    char message[256];
    pmm_status st = pmm_search_compile(&spec, &p, message, sizeof message);
    pmm_source src;
    pmm_map *map = mem_size ? one_region_map(mem_size) : NULL;
    if (map && pmm_buffer_source_open(mem, mem_size, BASE, &src) == PMM_OK) {
        if (st == PMM_OK) {
            pmm_search_options o = {.chunk_size = chunk};
            pmm_search_summary s;
            if (pmm_search_run(&src, map, &p, &o, NULL, NULL, &s) == PMM_OK && s.hits != naive_count(&p, mem, mem_size))
                abort();
        }
        pmm_strings_options so = {.chunk_size = chunk, .min_length = 1 + data[2] % 8};
        pmm_strings_summary ss;
        pmm_strings_run(&src, map, &so, NULL, NULL, &ss);
        pmm_source_close(&src);
    }
    pmm_map_free(map);
    if (st == PMM_OK)
        pmm_search_pattern_free(&p);
    free(text);
    return 0;
}
