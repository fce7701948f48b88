#include "bench_stats.h"

#ifdef _WIN32
#include <windows.h>
#else
#include <time.h>
#endif
#include <stdlib.h>

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

void bench_sort_u64(uint64_t *v, size_t n)
{
    qsort(v, n, sizeof v[0], compare_u64);
}

void bench_sort_double(double *v, size_t n)
{
    qsort(v, n, sizeof v[0], compare_double);
}

uint64_t bench_cpu_microseconds(void)
{
#ifndef _WIN32
    return (uint64_t)clock() * 1000000u / CLOCKS_PER_SEC;   /* POSIX: the process's CPU time */
#else
    FILETIME created, exited, kernel, user;
    if (!GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user))
        return 0;
    uint64_t k = (uint64_t)kernel.dwHighDateTime << 32 | kernel.dwLowDateTime;
    uint64_t u = (uint64_t)user.dwHighDateTime << 32 | user.dwLowDateTime;
    return (k + u) / 10;
#endif
}
