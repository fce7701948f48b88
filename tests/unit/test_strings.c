#include "check.h"
#include "core/model/strings.h"

#include <stdio.h>

TEST_CASE(empty_and_null_give_id_zero)
{
    pmm_strings pool;
    uint32_t id = 99;
    pmm_strings_init(&pool);
    CHECK(pmm_strings_intern(&pool, "", &id) == PMM_OK);
    CHECK_EQ_U64(id, 0);
    CHECK(pmm_strings_intern(&pool, NULL, &id) == PMM_OK);
    CHECK_EQ_U64(id, 0);
    CHECK_STR(pmm_strings_get(&pool, 0), "");
    pmm_strings_free(&pool);
}

TEST_CASE(equal_strings_share_an_id_across_growth)
{
    pmm_strings pool;
    uint32_t ids[2000], again;
    char text[32];
    pmm_strings_init(&pool);
    for (int i = 0; i < 2000; i++) {
        snprintf(text, sizeof text, "string %d", i);
        CHECK(pmm_strings_intern(&pool, text, &ids[i]) == PMM_OK);
        CHECK(ids[i] != 0);
    }
    for (int i = 0; i < 2000; i++) {
        snprintf(text, sizeof text, "string %d", i);
        CHECK(pmm_strings_intern(&pool, text, &again) == PMM_OK);
        CHECK_EQ_U64(again, ids[i]);
        CHECK_STR(pmm_strings_get(&pool, ids[i]), text);
    }
    CHECK_EQ_U64(pool.count, 2000);
    pmm_strings_free(&pool);
}

TEST_CASE(unknown_ids_read_as_empty)
{
    pmm_strings pool;
    uint32_t id;
    pmm_strings_init(&pool);
    pmm_strings_intern(&pool, "abc", &id);
    CHECK_STR(pmm_strings_get(&pool, 1000000), "");
    pmm_strings_free(&pool);
}

CHECK_MAIN(CASE(empty_and_null_give_id_zero), CASE(equal_strings_share_an_id_across_growth),
           CASE(unknown_ids_read_as_empty))
