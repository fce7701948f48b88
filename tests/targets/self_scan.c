/* pmm_self_scan.exe [--commit-mib N] [--touch-mib M]
 *
 * The one target that links the engine, on purpose: the OS tells a process's working set to that
 * process only (Wine answers QueryWorkingSetEx for the calling process and fails with error 87 for
 * any other), so the working-set figures can be tested live only by a process that maps itself.
 * What they are compared with is independent of the engine: the Linux kernel's /proc/PID/smaps of
 * this same Wine process (tests/integration/test_working_set.py).
 *
 * At start it commits N MiB (default 16) of private read-write memory in one allocation and writes
 * one byte to each of the first M MiB (default half of N), then reports ONE line of JSON:
 *   {"format":"pmm-target","version":1,"kind":"self-scan","pid","bits",
 *    "block":{"base","size","touched"}}
 * Commands on stdin, one per line, each answered with one line of JSON:
 *   map PATH    scan this process with the live source and write the pmm-map JSON to PATH
 *               -> {"reply":"map","working_set":bool,"microseconds":N}
 *   save PATH   the same, written as a saved map -> {"reply":"save","working_set":bool}
 *   touch N     commit N MiB more in a new allocation and write every page
 *               -> {"reply":"touched","base","size"}
 *   ping -> {"reply":"pong"};  quit (or end of input) exits 0.
 * A failed command answers {"reply":"error","message"}. Exit codes: 0 normal, 1 setup failed,
 * 2 bad command line. */
#include <windows.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "target_json.h"
#include "core/analyzers/scan.h"
#include "core/formats/saved_map.h"
#include "core/tools/map_output.h"
#include "core/win32/live_source.h"

#define MIB (1024u * 1024u)

static uint8_t *commit_and_touch(size_t size, size_t touched)
{
    uint8_t *p = VirtualAlloc(NULL, size, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    for (size_t at = 0; p && at < touched; at += 4096)
        p[at] = (uint8_t)(at >> 12 | 1);
    return p;
}

static int reply_error(const char *fmt, const char *detail)
{
    char message[600];
    tj_writer w;
    snprintf(message, sizeof message, fmt, detail);
    tj_init(&w);
    tj_begin_object(&w, NULL);
    tj_string(&w, "reply", "error");
    tj_string(&w, "message", message);
    tj_end_object(&w);
    tj_print_line(&w);
    tj_free(&w);
    return 0;
}

static pmm_status scan_self(pmm_map **map, char *message, size_t cap)
{
    pmm_source src;
    pmm_status st = pmm_live_open(GetCurrentProcessId(), &src, message, cap);
    if (st != PMM_OK)
        return st;
    st = pmm_scan_source(&src, NULL, map);
    pmm_source_close(&src);
    if (st != PMM_OK)
        snprintf(message, cap, "scan failed: %s", pmm_status_text(st));
    return st;
}

static int write_json(const pmm_map *map, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    pmm_out out = pmm_out_file(f);
    pmm_map_write_json(map, &out);
    return fclose(f) == 0 && !out.failed;
}

static void map_command(const char *verb, const char *path)
{
    char message[512] = "";
    pmm_map *map = NULL;
    if (scan_self(&map, message, sizeof message) != PMM_OK) {
        reply_error("%s", message);
        return;
    }
    int ok = strcmp(verb, "map") == 0 ? write_json(map, path)
                                      : pmm_saved_map_save(path, map, NULL, message, sizeof message) == PMM_OK;
    if (!ok) {
        reply_error("cannot write %s", path);
    } else {
        tj_writer w;
        tj_init(&w);
        tj_begin_object(&w, NULL);
        tj_string(&w, "reply", verb);
        tj_bool(&w, "working_set", map->working_set != NULL);
        tj_uint(&w, "microseconds", map->scan_microseconds);
        tj_end_object(&w);
        tj_print_line(&w);
        tj_free(&w);
    }
    pmm_map_free(map);
}

static void touch_command(const char *arg)
{
    size_t mib = (size_t)strtoul(arg, NULL, 10);
    uint8_t *p = mib ? commit_and_touch(mib * MIB, mib * MIB) : NULL;
    if (!p) {
        reply_error("cannot commit %s MiB", arg);
        return;
    }
    tj_writer w;
    tj_init(&w);
    tj_begin_object(&w, NULL);
    tj_string(&w, "reply", "touched");
    tj_address(&w, "base", (uint64_t)(uintptr_t)p);
    tj_uint(&w, "size", (uint64_t)mib * MIB);
    tj_end_object(&w);
    tj_print_line(&w);
    tj_free(&w);
}

static int report(const uint8_t *block, size_t size, size_t touched)
{
    tj_writer w;
    tj_begin_target(&w, "self-scan");
    tj_begin_object(&w, "block");
    tj_address(&w, "base", (uint64_t)(uintptr_t)block);
    tj_uint(&w, "size", size);
    tj_uint(&w, "touched", touched);
    tj_end_object(&w);
    tj_end_object(&w);
    int rc = tj_print_line(&w);
    tj_free(&w);
    return rc;
}

static void serve(void)
{
    char line[1200];
    while (tj_next_command(line, sizeof line)) {
        char *arg = strchr(line, ' ');
        if (arg)
            *arg++ = '\0';
        if ((strcmp(line, "map") == 0 || strcmp(line, "save") == 0) && arg)
            map_command(line, arg);
        else if (strcmp(line, "touch") == 0 && arg)
            touch_command(arg);
        else
            reply_error("unknown command: %s", line);
        fflush(stdout);
    }
}

int main(int argc, char **argv)
{
    size_t commit_mib = 16, touch_mib = (size_t)-1;
    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--commit-mib") == 0)
            commit_mib = (size_t)strtoul(argv[++i], NULL, 10);
        else if (i + 1 < argc && strcmp(argv[i], "--touch-mib") == 0)
            touch_mib = (size_t)strtoul(argv[++i], NULL, 10);
        else {
            fprintf(stderr, "usage: pmm_self_scan.exe [--commit-mib N] [--touch-mib M]\n");
            return 2;
        }
    }
    if (touch_mib == (size_t)-1)
        touch_mib = commit_mib / 2;
    if (commit_mib == 0 || touch_mib > commit_mib) {
        fprintf(stderr, "pmm_self_scan: --touch-mib must not exceed --commit-mib, which must be > 0\n");
        return 2;
    }
    uint8_t *block = commit_and_touch(commit_mib * MIB, touch_mib * MIB);
    if (!block) {
        fprintf(stderr, "pmm_self_scan: cannot commit %u MiB: error %lu\n", (unsigned)commit_mib,
                (unsigned long)GetLastError());
        return 1;
    }
    if (report(block, commit_mib * MIB, touch_mib * MIB) != 0)
        return 1;
    serve();
    return 0;
}
