/* Helpers the unit tests share: where the fixtures are, reading a whole file, one seeded random
 * generator. */
#ifndef PMM_TEST_UTIL_H
#define PMM_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* The path of relative under the shared fixtures (PMM_FIXTURES, which ctest sets, else
 * ../shared/fixtures from the working folder) in out; 1 when that file or folder exists. A test
 * that gets 0 skips, saying which fixture is missing (check_skip in check.h). */
static inline int test_fixture_path(const char *relative, char *out, size_t cap)
{
    const char *root = getenv("PMM_FIXTURES");
    int n = snprintf(out, cap, "%s/%s", root && *root ? root : "../shared/fixtures", relative);
    return n > 0 && (size_t)n < cap && access(out, R_OK) == 0;
}

/* The whole of path in a new buffer (free() it; at least one byte, so an empty file is not NULL) and
 * its size in *size; NULL when it cannot be read. */
static inline uint8_t *test_read_file(const char *path, size_t *size)
{
    *size = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *data = n >= 0 ? malloc(n > 0 ? (size_t)n : 1) : NULL;
    if (data && fread(data, 1, (size_t)n, f) != (size_t)n) {
        free(data);
        data = NULL;
    }
    fclose(f);
    if (data)
        *size = (size_t)n;
    return data;
}

/* A linear congruential generator (the C standard's example constants): the same seed gives the
 * same numbers everywhere, so a failure found with random input can be run again. Returns 24 bits. */
static inline uint32_t test_random(uint32_t *state)
{
    *state = *state * 1103515245u + 12345u;
    return *state >> 8;
}

#endif
