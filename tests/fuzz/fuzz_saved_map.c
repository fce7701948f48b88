/* libFuzzer harness for the saved-map loader. The whole-file checksum would stop almost every
 * random input at the door, so the first input byte picks how the rest is used:
 *   0: the bytes as a file, as they are;
 *   1: the bytes as a file, with the header's size and the checksum made right, so the section
 *      checks see the damage;
 *   2: (offset, value) edits applied to a valid saved map of a small scanned map, resealed: the
 *      deep paths (string references, counts, frames, pages, working set) get exercised from the
 *      first run.
 * Whatever loads is printed as text and JSON, saved again, reloaded, and compared with itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/formats/saved_map.h"
#include "core/tools/map_diff.h"
#include "core/tools/map_output.h"
#include "saved_map_testlib.h"

static uint8_t *baseline;
static size_t baseline_size;

static void build_baseline(void)
{
    static fake_source f;
    testlib_build_fake(&f);
    const pmm_page_ws ws[3] = {{.flags = PMM_WS_VALID}, {.flags = PMM_WS_VALID | PMM_WS_LOCKED}, {0}};
    fake_set_ws(&f, 0x10000, ws, 3);
    pmm_map *map = testlib_scan_fake(&f);
    pmm_source src;
    pmm_page_sums sums;
    fake_source_open(&f, &src, 8);
    if (map && pmm_page_sums_compute(&src, map, NULL, NULL, &sums) == PMM_OK) {
        pmm_saved_map_encode(map, &sums, &baseline, &baseline_size);
        pmm_page_sums_free(&sums);
    }
    pmm_map_free(map);
}

static void exercise(const pmm_map *map, const pmm_page_sums *sums)
{
    pmm_out out = pmm_out_null();
    pmm_map_write_text(map, &out);
    pmm_map_write_json(map, &out);
    uint8_t *again;
    size_t size;
    if (pmm_saved_map_encode(map, sums, &again, &size) != PMM_OK)
        abort();   /* anything that loaded must save */
    pmm_map *reloaded;
    pmm_page_sums resums;
    char message[256];
    if (pmm_saved_map_decode(again, size, &reloaded, &resums, message, sizeof message) != PMM_OK)
        abort();   /* ... and load again */
    pmm_map_diff diff;
    if (pmm_map_diff_compute(map, sums, reloaded, &resums, &diff) == PMM_OK) {
        if (diff.count != 0)
            abort();   /* ... unchanged */
        pmm_map_diff_write_text(&diff, &out);
        pmm_map_diff_write_json(&diff, &out);
    }
    pmm_map_diff_free(&diff);
    pmm_map_free(reloaded);
    pmm_page_sums_free(&resums);
    free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!baseline)
        build_baseline();
    if (size == 0 || !baseline)
        return 0;
    int mode = data[0] % 3;
    uint8_t *file;
    size_t file_size;
    if (mode == 2) {
        file_size = baseline_size;
        file = malloc(file_size);
        memcpy(file, baseline, file_size);
        for (size_t i = 1; i + 2 < size; i += 3)
            file[((size_t)data[i] << 8 | data[i + 1]) % file_size] = data[i + 2];
    } else {
        file_size = size - 1;
        file = malloc(file_size ? file_size : 1);
        memcpy(file, data + 1, file_size);
    }
    if (mode != 0)
        testlib_reseal(file, file_size);
    pmm_map *map;
    pmm_page_sums sums;
    char message[256];
    if (pmm_saved_map_decode(file, file_size, &map, &sums, message, sizeof message) == PMM_OK) {
        exercise(map, &sums);
        pmm_map_free(map);
        pmm_page_sums_free(&sums);
    } else if (!message[0]) {
        abort();   /* every failure says why */
    }
    free(file);
    return 0;
}
