/* A minimal test framework for the native unit tests: each test file is one executable, each
 * TEST_CASE a function; failures print file:line and the expression. A case that cannot run (a
 * fixture or a program is missing) says why with CHECK_SKIP and counts as skipped, never as
 * passed. The exit code: 1 when a case failed, else CHECK_EXIT_SKIPPED (ctest's SKIP_RETURN_CODE)
 * when a case was skipped, else 0. */
#ifndef PMM_CHECK_H
#define PMM_CHECK_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int check_failures_in_case;
static int check_skipped_case;

enum { CHECK_EXIT_SKIPPED = 77 };

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);  \
            check_failures_in_case++;                                                 \
        }                                                                             \
    } while (0)

#define CHECK_EQ_U64(a, b)                                                                          \
    do {                                                                                            \
        uint64_t check_a_ = (uint64_t)(a), check_b_ = (uint64_t)(b);                                \
        if (check_a_ != check_b_) {                                                                 \
            fprintf(stderr, "%s:%d: CHECK_EQ failed: %s == %s (0x%" PRIx64 " != 0x%" PRIx64 ")\n", \
                    __FILE__, __LINE__, #a, #b, check_a_, check_b_);                                \
            check_failures_in_case++;                                                               \
        }                                                                                           \
    } while (0)

#define CHECK_STR(a, b)                                                                            \
    do {                                                                                           \
        const char *check_a_ = (a), *check_b_ = (b);                                               \
        if (strcmp(check_a_, check_b_) != 0) {                                                     \
            fprintf(stderr, "%s:%d: CHECK_STR failed: \"%s\" != \"%s\"\n", __FILE__, __LINE__,     \
                    check_a_, check_b_);                                                           \
            check_failures_in_case++;                                                              \
        }                                                                                          \
    } while (0)

/* Marks the case as skipped, printing why (a printf format); helpers that find a fixture missing
 * call it and return failure. CHECK_SKIP also ends the case. */
static inline void check_skip(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    printf("  skip: ");
    vprintf(format, args);
    printf("\n");
    va_end(args);
    check_skipped_case = 1;
}

#define CHECK_SKIP(...)         \
    do {                        \
        check_skip(__VA_ARGS__); \
        return;                 \
    } while (0)

typedef void (*check_case_fn)(void);
typedef struct check_case {
    const char *name;
    check_case_fn fn;
} check_case;

#define TEST_CASE(name) static void name(void)
#define CASE(name) {#name, name}

static inline int check_run(const check_case *cases, size_t count)
{
    int failed = 0, skipped = 0;
    for (size_t i = 0; i < count; i++) {
        check_failures_in_case = 0;
        check_skipped_case = 0;
        cases[i].fn();
        const char *verdict = check_failures_in_case ? "FAIL" : check_skipped_case ? "skip" : "ok  ";
        printf("%s %s\n", verdict, cases[i].name);
        failed += check_failures_in_case != 0;
        skipped += !check_failures_in_case && check_skipped_case;
    }
    printf("%zu cases, %d failed, %d skipped\n", count, failed, skipped);
    return failed ? 1 : skipped ? CHECK_EXIT_SKIPPED : 0;
}

#define CHECK_MAIN(...)                                                  \
    int main(void)                                                       \
    {                                                                    \
        static const check_case cases[] = {__VA_ARGS__};                 \
        return check_run(cases, sizeof cases / sizeof cases[0]);         \
    }

#endif
