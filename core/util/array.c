#include "array.h"

#include <stdint.h>
#include <stdlib.h>

pmm_status pmm_array_reserve(void **items, size_t *cap, size_t need, size_t elem_size)
{
    if (need <= *cap)
        return PMM_OK;
    size_t new_cap = *cap ? *cap : 16;
    while (new_cap < need) {
        if (new_cap > SIZE_MAX / 2)
            return PMM_ERR_NOMEM;
        new_cap *= 2;
    }
    if (new_cap > SIZE_MAX / elem_size)
        return PMM_ERR_NOMEM;
    void *grown = realloc(*items, new_cap * elem_size);
    if (!grown)
        return PMM_ERR_NOMEM;
    *items = grown;
    *cap = new_cap;
    return PMM_OK;
}
