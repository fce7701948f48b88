/* A monotonic clock for timing scans and benchmarks (one implementation per platform). */
#ifndef PMM_CLOCK_H
#define PMM_CLOCK_H

#include <stdint.h>

uint64_t pmm_clock_microseconds(void);

#endif
