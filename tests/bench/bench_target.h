/* Starting a test target from a benchmark: the target prints one JSON line once its memory is set
 * up, and exits when "quit" arrives on its stdin. */
#ifndef PMM_BENCH_TARGET_H
#define PMM_BENCH_TARGET_H

#include <windows.h>

typedef struct bench_target {
    PROCESS_INFORMATION pi;
    HANDLE to_child;
    DWORD pid;
} bench_target;

/* Runs "exe option value" and waits for its JSON line; 0 on success. */
int bench_target_start(const char *exe, const char *option, const char *value, bench_target *t);
void bench_target_stop(bench_target *t);

/* Loads up to want DLLs of the system folder into this process (without running their DllMain),
 * so that it has a realistic module count. */
void bench_load_system_dlls(int want);

#endif
