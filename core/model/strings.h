/* An interning string pool: equal strings share one id. Id 0 means "no string". */
#ifndef PMM_STRINGS_H
#define PMM_STRINGS_H

#include <stddef.h>
#include <stdint.h>
#include "../util/status.h"

typedef struct pmm_strings {
    char *data;          /* NUL-terminated strings back to back; offset 0 holds "" */
    size_t used, cap;
    uint32_t *slots;     /* open-addressing hash table of ids */
    size_t slot_count;   /* power of two */
    size_t count;
} pmm_strings;

void pmm_strings_init(pmm_strings *pool);
void pmm_strings_free(pmm_strings *pool);
/* Adds text (or finds it) and stores its id; an empty or NULL text gives id 0. */
pmm_status pmm_strings_intern(pmm_strings *pool, const char *text, uint32_t *id);
/* Never NULL: id 0 and unknown ids give "". */
const char *pmm_strings_get(const pmm_strings *pool, uint32_t id);
size_t pmm_strings_memory(const pmm_strings *pool);

#endif
