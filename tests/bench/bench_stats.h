/* Sorting a benchmark's per-run figures, to read off the best (v[0]) and the median (v[n / 2]). */
#ifndef PMM_BENCH_STATS_H
#define PMM_BENCH_STATS_H

#include <stddef.h>
#include <stdint.h>

void bench_sort_u64(uint64_t *v, size_t n);
/* CPU time of this process so far (user + kernel), in microseconds: on a busy machine a figure of
 * CPU work is read off this rather than off the wall clock. */
uint64_t bench_cpu_microseconds(void);
void bench_sort_double(double *v, size_t n);

#endif
