#include "strings.h"

#include <stdlib.h>
#include <string.h>
#include "../util/array.h"

void pmm_strings_init(pmm_strings *pool)
{
    memset(pool, 0, sizeof *pool);
}

void pmm_strings_free(pmm_strings *pool)
{
    free(pool->data);
    free(pool->slots);
    memset(pool, 0, sizeof *pool);
}

static uint32_t hash_text(const char *text, size_t len)
{
    uint32_t h = 2166136261u;  /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (uint8_t)text[i]) * 16777619u;
    return h;
}

static size_t find_slot(const pmm_strings *pool, const char *text, size_t len)
{
    size_t mask = pool->slot_count - 1;
    size_t i = hash_text(text, len) & mask;
    while (pool->slots[i]) {
        const char *s = pool->data + pool->slots[i];
        if (strncmp(s, text, len) == 0 && s[len] == '\0')
            return i;
        i = (i + 1) & mask;
    }
    return i;
}

static pmm_status grow_slots(pmm_strings *pool)
{
    size_t new_count = pool->slot_count ? pool->slot_count * 2 : 64;
    uint32_t *old = pool->slots;
    size_t old_count = pool->slot_count;
    pool->slots = calloc(new_count, sizeof *pool->slots);
    if (!pool->slots) {
        pool->slots = old;
        return PMM_ERR_NOMEM;
    }
    pool->slot_count = new_count;
    for (size_t i = 0; i < old_count; i++) {
        if (old[i]) {
            const char *s = pool->data + old[i];
            pool->slots[find_slot(pool, s, strlen(s))] = old[i];
        }
    }
    free(old);
    return PMM_OK;
}

pmm_status pmm_strings_intern(pmm_strings *pool, const char *text, uint32_t *id)
{
    *id = 0;
    if (!text || !*text)
        return PMM_OK;
    size_t len = strlen(text);
    if (len >= UINT32_MAX / 2)
        return PMM_ERR_LIMIT;
    if ((pool->count + 1) * 2 > pool->slot_count && grow_slots(pool) != PMM_OK)
        return PMM_ERR_NOMEM;
    if (pool->used == 0) {  /* offset 0 is the empty string, so no real string gets id 0 */
        if (pmm_array_reserve((void **)&pool->data, &pool->cap, 1, 1) != PMM_OK)
            return PMM_ERR_NOMEM;
        pool->data[0] = '\0';
        pool->used = 1;
    }
    size_t slot = find_slot(pool, text, len);
    if (pool->slots[slot]) {
        *id = pool->slots[slot];
        return PMM_OK;
    }
    if (pool->used + len + 1 > UINT32_MAX)
        return PMM_ERR_LIMIT;
    if (pmm_array_reserve((void **)&pool->data, &pool->cap, pool->used + len + 1, 1) != PMM_OK)
        return PMM_ERR_NOMEM;
    memcpy(pool->data + pool->used, text, len + 1);
    pool->slots[slot] = (uint32_t)pool->used;
    *id = (uint32_t)pool->used;
    pool->used += len + 1;
    pool->count++;
    return PMM_OK;
}

const char *pmm_strings_get(const pmm_strings *pool, uint32_t id)
{
    if (id == 0 || id >= pool->used)
        return "";
    return pool->data + id;
}

size_t pmm_strings_memory(const pmm_strings *pool)
{
    return pool->cap + pool->slot_count * sizeof *pool->slots;
}
