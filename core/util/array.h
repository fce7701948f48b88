/* Growth of caller-owned dynamic arrays. */
#ifndef PMM_ARRAY_H
#define PMM_ARRAY_H

#include <stddef.h>
#include "status.h"

/* Makes room for at least `need` elements of `elem_size` bytes in *items (capacity in *cap). */
pmm_status pmm_array_reserve(void **items, size_t *cap, size_t need, size_t elem_size);

#endif
