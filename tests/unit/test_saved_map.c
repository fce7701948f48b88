/* The saved-map format: a round trip keeps every field, and every kind of damage (truncation at
 * each byte, flipped bits, a bad version, random bytes, hostile counts behind a valid checksum)
 * gives PMM_ERR_FORMAT with a message, never a crash (ASan and UBSan watch). */
#include "check.h"
#include "test_util.h"
#include "saved_map_testlib.h"
#include "core/formats/saved_map.h"
#include "core/formats/saved_map_layout.h"
#include "core/tools/map_output.h"

#include <stdio.h>

static void check_regions_equal(const pmm_map *a, const pmm_map *b)
{
    CHECK_EQ_U64(a->region_count, b->region_count);
    for (size_t i = 0; i < a->region_count && i < b->region_count; i++) {
        const pmm_region *x = &a->regions[i], *y = &b->regions[i];
        CHECK_EQ_U64(x->base, y->base);
        CHECK_EQ_U64(x->size, y->size);
        CHECK_EQ_U64(x->alloc_base, y->alloc_base);
        CHECK_EQ_U64(x->state, y->state);
        CHECK_EQ_U64(x->protect, y->protect);
        CHECK_EQ_U64(x->alloc_protect, y->alloc_protect);
        CHECK_EQ_U64(x->type, y->type);
        CHECK_EQ_U64(x->kind, y->kind);
        CHECK_EQ_U64(x->flags, y->flags);
        CHECK_STR(pmm_map_text(a, x->details), pmm_map_text(b, y->details));
    }
    CHECK_EQ_U64(a->allocation_count, b->allocation_count);
    CHECK_EQ_U64(a->annotation_count, b->annotation_count);
    for (size_t i = 0; i < a->annotation_count && i < b->annotation_count; i++) {
        const pmm_annotation *x = &a->annotations[i], *y = &b->annotations[i];
        CHECK(x->base == y->base && x->size == y->size && x->kind == y->kind && x->bits == y->bits &&
              x->owner == y->owner);
        CHECK_STR(pmm_map_text(a, x->label), pmm_map_text(b, y->label));
        CHECK_STR(pmm_map_text(a, x->invalid), pmm_map_text(b, y->invalid));
    }
}

static void check_lists_equal(const pmm_map *a, const pmm_map *b)
{
    CHECK_EQ_U64(a->module_count, b->module_count);
    for (size_t i = 0; i < a->module_count && i < b->module_count; i++) {
        const pmm_module *x = &a->modules[i], *y = &b->modules[i];
        CHECK(x->base == y->base && x->size == y->size && x->entry == y->entry && x->flags == y->flags &&
              x->pointer_size == y->pointer_size);
        CHECK_STR(pmm_map_text(a, x->path), pmm_map_text(b, y->path));
        CHECK_STR(pmm_map_text(a, x->name), pmm_map_text(b, y->name));
    }
    CHECK_EQ_U64(a->thread_count, b->thread_count);
    for (size_t i = 0; i < a->thread_count && i < b->thread_count; i++)
        CHECK(memcmp(&a->threads[i], &b->threads[i], sizeof a->threads[i]) == 0);   /* no padding, no ids */
    CHECK_EQ_U64(a->frame_count, b->frame_count);
    for (size_t i = 0; i < a->frame_count && i < b->frame_count; i++) {
        CHECK(a->frames[i].address == b->frames[i].address && a->frames[i].method == b->frames[i].method &&
              a->frames[i].stack_pointer == b->frames[i].stack_pointer);
        CHECK_STR(pmm_map_text(a, a->frames[i].symbol), pmm_map_text(b, b->frames[i].symbol));
    }
    CHECK_EQ_U64(a->heap_count, b->heap_count);
    for (size_t i = 0; i < a->heap_count && i < b->heap_count; i++)
        CHECK(a->heaps[i].address == b->heaps[i].address && a->heaps[i].id == b->heaps[i].id &&
              a->heaps[i].flags == b->heaps[i].flags);
    CHECK_EQ_U64(a->warning_count, b->warning_count);
    for (size_t i = 0; i < a->warning_count && i < b->warning_count; i++)
        CHECK_STR(pmm_map_text(a, a->warnings[i]), pmm_map_text(b, b->warnings[i]));
}

static void check_target_equal(const pmm_map *a, const pmm_map *b)
{
    const pmm_target_info *x = &a->target, *y = &b->target;
    CHECK_EQ_U64(y->source_kind, PMM_SOURCE_SAVED);
    CHECK(x->pid == y->pid && x->pointer_size == y->pointer_size && x->wow64 == y->wow64 &&
          x->tool_pointer_size == y->tool_pointer_size && x->peb == y->peb && x->peb32 == y->peb32 &&
          x->lowest_address == y->lowest_address && x->highest_address == y->highest_address);
    CHECK_STR(x->name, y->name);
    CHECK_STR(x->path, y->path);
    CHECK_EQ_U64(a->scan_microseconds, b->scan_microseconds);
    CHECK_EQ_U64(a->scan_flags, b->scan_flags);
}

/* Encodes the fake process's map (with page checksums); the caller frees both. */
static pmm_map *encoded_fake(fake_source *f, pmm_page_sums *sums, uint8_t **data, size_t *size)
{
    testlib_build_fake(f);
    pmm_map *map = testlib_scan_fake(f);
    CHECK(map != NULL);
    pmm_source src;
    fake_source_open(f, &src, 8);
    CHECK(pmm_page_sums_compute(&src, map, NULL, NULL, sums) == PMM_OK);
    CHECK(pmm_saved_map_encode(map, sums, data, size) == PMM_OK);
    return map;
}

static pmm_status decode(const uint8_t *data, size_t size, char *message, size_t cap)
{
    pmm_map *map;
    pmm_page_sums sums;
    pmm_status st = pmm_saved_map_decode(data, size, &map, &sums, message, cap);
    if (st == PMM_OK) {
        pmm_out out = pmm_out_null();   /* a map that loads must also print */
        pmm_map_write_text(map, &out);
        pmm_map_write_json(map, &out);
        pmm_map_free(map);
        pmm_page_sums_free(&sums);
    }
    return st;
}

TEST_CASE(round_trip_keeps_every_field)
{
    fake_source f;
    pmm_page_sums sums;
    uint8_t *data;
    size_t size;
    pmm_map *map = encoded_fake(&f, &sums, &data, &size);
    pmm_map *loaded;
    pmm_page_sums loaded_sums;
    char message[256];
    CHECK(pmm_saved_map_decode(data, size, &loaded, &loaded_sums, message, sizeof message) == PMM_OK);
    check_target_equal(map, loaded);
    check_regions_equal(map, loaded);
    check_lists_equal(map, loaded);
    CHECK(map->thread_count == 1 && map->frame_count == 2 && map->heap_count == 1 && map->warning_count >= 1);
    CHECK(loaded_sums.present);
    CHECK_EQ_U64(loaded_sums.count, sums.count);
    CHECK(loaded_sums.count == sums.count &&
          memcmp(loaded_sums.items, sums.items, sums.count * sizeof *sums.items) == 0);

    /* Printing the loaded map gives what printing the original gave, but for the source. */
    mem_text before = {0}, after = {0};
    pmm_out out_before = mem_text_out(&before), out_after = mem_text_out(&after);
    pmm_map_write_json(map, &out_before);
    loaded->target.source_kind = map->target.source_kind;
    pmm_map_write_json(loaded, &out_after);
    CHECK(before.data && after.data && strcmp(before.data, after.data) == 0);
    free(before.data);
    free(after.data);
    pmm_map_free(loaded);
    pmm_page_sums_free(&loaded_sums);
    pmm_page_sums_free(&sums);
    free(data);
    pmm_map_free(map);
    fake_free(&f);
}

TEST_CASE(page_checksums_mark_unreadable_and_skipped_pages)
{
    fake_source f;
    pmm_page_sums sums;
    uint8_t *data;
    size_t size;
    pmm_map *map = encoded_fake(&f, &sums, &data, &size);
    /* 3 RW + guard + no-access + 2 mapped + 1 image page. */
    CHECK_EQ_U64(sums.count, 8);
    int hashed = 0, skipped = 0;
    for (size_t i = 0; i < sums.count; i++) {
        hashed += sums.items[i].status == PMM_PAGE_HASHED;
        skipped += sums.items[i].status == PMM_PAGE_SKIPPED;
    }
    CHECK_EQ_U64(hashed, 6);
    CHECK_EQ_U64(skipped, 2);
    CHECK(sums.items[0].hash == sums.items[1].hash);   /* same fill, same sum */
    CHECK(sums.items[0].hash != sums.items[5].hash);
    pmm_page_sums_free(&sums);
    free(data);
    pmm_map_free(map);
    fake_free(&f);
}

TEST_CASE(map_without_checksums_loads_without_them)
{
    fake_source f;
    testlib_build_fake(&f);
    pmm_map *map = testlib_scan_fake(&f), *loaded = NULL;
    uint8_t *data;
    size_t size;
    pmm_page_sums sums;
    char message[256];
    CHECK(pmm_saved_map_encode(map, NULL, &data, &size) == PMM_OK);
    CHECK(pmm_saved_map_decode(data, size, &loaded, &sums, message, sizeof message) == PMM_OK);
    CHECK(!sums.present && sums.count == 0);
    pmm_map_free(loaded);
    free(data);
    pmm_map_free(map);
    fake_free(&f);
}

TEST_CASE(truncation_at_every_byte_fails_cleanly)
{
    fake_source f;
    pmm_page_sums sums;
    uint8_t *data;
    size_t size;
    pmm_map *map = encoded_fake(&f, &sums, &data, &size);
    char message[256];
    for (size_t n = 0; n < size; n++) {
        uint8_t *copy = malloc(n ? n : 1);
        memcpy(copy, data, n);
        message[0] = '\0';
        pmm_status st = decode(copy, n, message, sizeof message);
        if (st != PMM_ERR_FORMAT || !message[0]) {
            fprintf(stderr, "truncated to %zu: status %d, message '%s'\n", n, (int)st, message);
            CHECK(0);
        } else if (n >= 8) {
            CHECK(strstr(message, "truncated") != NULL);
        }
        /* The same cut behind a valid header and checksum reaches the section checks. */
        if (n >= SM_HEADER_SIZE + SM_TRAILER_SIZE) {
            memcpy(copy, data, n);
            testlib_reseal(copy, n);
            CHECK(decode(copy, n, message, sizeof message) == PMM_ERR_FORMAT);
        }
        free(copy);
    }
    pmm_page_sums_free(&sums);
    free(data);
    pmm_map_free(map);
    fake_free(&f);
}

TEST_CASE(flipped_bits_fail_the_checksum)
{
    fake_source f;
    pmm_page_sums sums;
    uint8_t *data;
    size_t size;
    pmm_map *map = encoded_fake(&f, &sums, &data, &size);
    char message[256];
    for (size_t i = PMM_SAVED_MAP_MAGIC_SIZE; i < size; i++) {
        uint8_t bit = (uint8_t)(1u << (i % 8));
        data[i] ^= bit;
        pmm_status st = decode(data, size, message, sizeof message);
        CHECK(st == PMM_ERR_FORMAT);
        if (i >= 24 && i < size - 8 && st == PMM_ERR_FORMAT)
            CHECK(strstr(message, "checksum") != NULL);
        /* Resealed, the damage must be caught by the checks or load as a harmless variant. */
        if (i >= 24 && i < size - 8) {
            uint8_t *copy = malloc(size);
            memcpy(copy, data, size);
            testlib_reseal(copy, size);
            st = decode(copy, size, message, sizeof message);
            CHECK(st == PMM_OK || st == PMM_ERR_FORMAT);
            free(copy);
        }
        data[i] ^= bit;
    }
    CHECK(decode(data, size, message, sizeof message) == PMM_OK);
    pmm_page_sums_free(&sums);
    free(data);
    pmm_map_free(map);
    fake_free(&f);
}

TEST_CASE(bad_version_and_bad_magic)
{
    fake_source f;
    pmm_page_sums sums;
    uint8_t *data;
    size_t size;
    pmm_map *map = encoded_fake(&f, &sums, &data, &size);
    char message[256];
    data[8] = 2;
    testlib_reseal(data, size);
    CHECK(decode(data, size, message, sizeof message) == PMM_ERR_FORMAT);
    CHECK(strstr(message, "version 2") != NULL);
    data[8] = 1;
    data[0] = 'X';
    testlib_reseal(data, size);
    CHECK(decode(data, size, message, sizeof message) == PMM_ERR_FORMAT);
    CHECK(strstr(message, "not a saved map") != NULL);
    pmm_page_sums_free(&sums);
    free(data);
    pmm_map_free(map);
    fake_free(&f);
}

/* The data of a section of an encoded file, NULL when it has none. */
static uint8_t *section_data(uint8_t *data, size_t size, uint32_t id, uint32_t *count)
{
    size_t at = SM_HEADER_SIZE;
    for (uint32_t i = 0; i < pmm_le32(data + 12) && at + SM_SECTION_HEADER_SIZE <= size; i++) {
        uint64_t length = pmm_le64(data + at + 8);
        if (pmm_le32(data + at) == id) {
            *count = pmm_le32(data + at + 4);
            return data + at + SM_SECTION_HEADER_SIZE;
        }
        at += SM_SECTION_HEADER_SIZE + (size_t)length;
    }
    return NULL;
}

/* A marked-invalid annotation survives the round trip in the annotation record's last 4 bytes,
 * which files written before the marks hold as zero: such a file loads with no marks. */
TEST_CASE(invalid_marks_round_trip_and_old_files_load)
{
    fake_source f;
    testlib_build_fake(&f);
    pmm_map *map = testlib_scan_fake(&f), *loaded = NULL;
    uint8_t *data = NULL;
    size_t size = 0;
    char message[256];
    CHECK(map != NULL);
    if (!map) {
        fake_free(&f);
        return;
    }
    CHECK(pmm_map_add_invalid_annotation(map, 0x7ff0000, 0x1000, PMM_ANN_TEB, 64, 77, "TEB (thread 77)",
                                         "stack limit above base") == PMM_OK);
    CHECK(pmm_map_finish(map) == PMM_OK);
    CHECK_EQ_U64(pmm_map_invalid_count(map), 1);
    /* A WOW64 thread's 64-bit walk: its own section, a range of the frames. */
    CHECK(map->thread_count == 1 && map->frame_count == 2);
    map->threads[0].frame64_first = 1;
    map->threads[0].frame64_count = 1;
    map->threads[0].walk64_end = PMM_WALK_COMPLETE;
    CHECK(pmm_saved_map_encode(map, NULL, &data, &size) == PMM_OK);
    CHECK(pmm_saved_map_decode(data, size, &loaded, NULL, message, sizeof message) == PMM_OK);
    if (loaded) {
        check_regions_equal(map, loaded);
        CHECK_EQ_U64(pmm_map_invalid_count(loaded), 1);
        const pmm_annotation *a = pmm_map_annotation_at(loaded, 0x7ff0000, PMM_ANN_TEB);
        CHECK(a && strcmp(pmm_map_text(loaded, a->invalid), "stack limit above base") == 0);
        CHECK(loaded->thread_count == 1 && loaded->threads[0].frame64_first == 1 &&
              loaded->threads[0].frame64_count == 1 && loaded->threads[0].walk64_end == PMM_WALK_COMPLETE);
        pmm_map_free(loaded);
        loaded = NULL;
    }
    uint32_t count = 0;
    uint8_t *records = data ? section_data(data, size, SM_SECTION_ANNOTATIONS, &count) : NULL;
    CHECK(records != NULL && count == map->annotation_count);
    for (uint32_t i = 0; records && i < count; i++)
        memset(records + (size_t)i * SM_ANNOTATION_SIZE + 28, 0, 4);
    if (data) {
        testlib_reseal(data, size);
        CHECK(pmm_saved_map_decode(data, size, &loaded, NULL, message, sizeof message) == PMM_OK);
    }
    if (loaded) {
        CHECK_EQ_U64(loaded->annotation_count, map->annotation_count);
        CHECK_EQ_U64(pmm_map_invalid_count(loaded), 0);
        pmm_map_free(loaded);
    }
    free(data);
    pmm_map_free(map);
    fake_free(&f);
}

/* Hostile counts and references behind a valid checksum: each must be refused by name. */
TEST_CASE(hostile_fields_behind_a_valid_checksum)
{
    fake_source f;
    pmm_page_sums sums;
    uint8_t *data;
    size_t size;
    pmm_map *map = encoded_fake(&f, &sums, &data, &size);
    char message[256];
    /* The strings section comes first: its count claims more strings than bytes. */
    size_t strings = SM_HEADER_SIZE;
    CHECK_EQ_U64(pmm_le32(data + strings), SM_SECTION_STRINGS);
    uint8_t saved[4];
    memcpy(saved, data + strings + 4, 4);
    memset(data + strings + 4, 0xff, 4);
    testlib_reseal(data, size);
    CHECK(decode(data, size, message, sizeof message) == PMM_ERR_FORMAT);
    CHECK(strstr(message, "strings") != NULL);
    memcpy(data + strings + 4, saved, 4);
    /* A section length far past the end. */
    memset(data + strings + 8, 0x7f, 8);
    testlib_reseal(data, size);
    CHECK(decode(data, size, message, sizeof message) == PMM_ERR_FORMAT);
    CHECK(strstr(message, "claims") != NULL);
    /* Section count beyond the cap. */
    free(data);
    CHECK(pmm_saved_map_encode(map, &sums, &data, &size) == PMM_OK);
    data[12] = 200;
    testlib_reseal(data, size);
    CHECK(decode(data, size, message, sizeof message) == PMM_ERR_FORMAT);
    pmm_page_sums_free(&sums);
    free(data);
    pmm_map_free(map);
    fake_free(&f);
}

TEST_CASE(random_bytes_fail_cleanly)
{
    uint32_t seed = 12345;
    char message[256];
    for (int round = 0; round < 2000; round++) {
        size_t size = test_random(&seed) % 600;
        uint8_t *data = malloc(size ? size : 1);
        for (size_t i = 0; i < size; i++)
            data[i] = (uint8_t)test_random(&seed);
        if (round % 2 && size >= 40) {   /* half of them with a valid magic, version and checksum */
            memcpy(data, PMM_SAVED_MAP_MAGIC, PMM_SAVED_MAP_MAGIC_SIZE);
            data[8] = 1, data[9] = data[10] = data[11] = 0;
            data[12] = (uint8_t)(test_random(&seed) % 12), data[13] = data[14] = data[15] = 0;
            testlib_reseal(data, size);
        }
        CHECK(decode(data, size, message, sizeof message) == PMM_ERR_FORMAT);
        CHECK(message[0] != '\0');
        free(data);
    }
}

TEST_CASE(save_is_atomic_and_load_reads_it_back)
{
    fake_source f;
    testlib_build_fake(&f);
    pmm_map *map = testlib_scan_fake(&f), *loaded = NULL;
    char path[] = "test_saved_map_tmp.pmmmap", partial[64], message[512];
    snprintf(partial, sizeof partial, "%s.partial", path);
    remove(path);
    CHECK(pmm_saved_map_save(path, map, NULL, message, sizeof message) == PMM_OK);
    FILE *leftover = fopen(partial, "rb");
    CHECK(leftover == NULL);
    if (leftover)
        fclose(leftover);
    CHECK(pmm_saved_map_is_file(path));
    CHECK(pmm_saved_map_load(path, &loaded, NULL, message, sizeof message) == PMM_OK);
    CHECK(loaded && loaded->region_count == map->region_count);
    pmm_map_free(loaded);
    /* Overwriting an existing file works; a folder that does not exist fails and leaves nothing. */
    CHECK(pmm_saved_map_save(path, map, NULL, message, sizeof message) == PMM_OK);
    CHECK(pmm_saved_map_save("no_such_folder_pmm/x.pmmmap", map, NULL, message, sizeof message) == PMM_ERR_IO);
    CHECK(strstr(message, "nothing was saved") != NULL);
    CHECK(pmm_saved_map_load("no_such_file.pmmmap", &loaded, NULL, message, sizeof message) == PMM_ERR_NOT_FOUND);
    remove(path);
    pmm_map_free(map);
    fake_free(&f);
}

CHECK_MAIN(CASE(round_trip_keeps_every_field), CASE(page_checksums_mark_unreadable_and_skipped_pages),
           CASE(map_without_checksums_loads_without_them), CASE(truncation_at_every_byte_fails_cleanly),
           CASE(flipped_bits_fail_the_checksum), CASE(bad_version_and_bad_magic),
           CASE(hostile_fields_behind_a_valid_checksum), CASE(random_bytes_fail_cleanly),
           CASE(save_is_atomic_and_load_reads_it_back), CASE(invalid_marks_round_trip_and_old_files_load))
