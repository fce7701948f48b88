/* pmm_target_markers.exe [--fill-mib N]
 *
 * Plants search markers at addresses it reports as ONE line of JSON, then serves commands on stdin
 * like pmm_target_basic: quit (or end of input) exits 0, ping answers {"reply":"pong"}.
 *
 * Markers (all made at run time from shifted copies, so the text exists nowhere else in memory):
 *   plain      RW 64 KiB allocation: ANSI inside a page, ANSI across a page boundary, UTF-16,
 *              a 32-bit and a 64-bit integer each aligned and unaligned, a double, and the long
 *              marker (3000 pseudo-random bytes across a page boundary)
 *   left/right two separate 64 KiB RW allocations placed back to back: ANSI across the boundary
 *   readonly   PAGE_READONLY page: ANSI     executable  PAGE_EXECUTE_READ page: ANSI
 * --fill-mib N additionally commits N MiB of read-write memory (64 MiB allocations) filled with
 * pseudo-random bytes, for the search benchmark.
 * Exit codes: 0 normal, 1 setup failed (reason on stderr), 2 bad command line. */
#include <windows.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "target_json.h"

#define GRANULE 0x10000u
#define LONG_MARKER_LENGTH 3000u
#define LONG_MARKER_SEED 0x5eed1234u
#define FILL_CHUNK_MIB 64u

/* The marker texts, each character shifted up by one so the literal is not the marker. */
static const char shifted_inside[] = "QNN.NBSLFS.JOTJEF.QBHF";         /* PMM-MARKER-INSIDE-PAGE */
static const char shifted_page[] = "QNN.NBSLFS.BDSPTT.QBHF";           /* PMM-MARKER-ACROSS-PAGE */
static const char shifted_region[] = "QNN.NBSLFS.BDSPTT.SFHJPO";       /* PMM-MARKER-ACROSS-REGION */
static const char shifted_readonly[] = "QNN.NBSLFS.SFBEPOMZ";          /* PMM-MARKER-READONLY */
static const char shifted_exec[] = "QNN.NBSLFS.FYFDVUBCMF";            /* PMM-MARKER-EXECUTABLE */
static const char shifted_utf16[] = "QNN.NBSLFS.VUG27";                /* PMM-MARKER-UTF16 */

/* Values XOR-ed with a key kept in a volatile, so the immediates in the code differ. */
static volatile uint64_t key = 0x0f0f0f0f0f0f0f0full;
#define INT32_MARKER_X 0x75349312u          /* ^ key -> 0x7A3B9C1D */
#define INT64_MARKER_X 0x1d3bf1d3b597790eull /* ^ key -> 0x1234FEDCBA987601 */

static int fail(const char *what)
{
    fprintf(stderr, "pmm_target_markers: %s: error %lu\n", what, (unsigned long)GetLastError());
    return -1;
}

static size_t unshift(char *dst, const char *shifted)
{
    size_t n = strlen(shifted);
    for (size_t i = 0; i < n; i++)
        dst[i] = (char)(shifted[i] - 1);
    return n;
}

/* Reports {"name", "kind", "address", "length", "text" or "value"}. */
static void report_text(tj_writer *w, const char *name, const char *kind, const uint8_t *at, const char *shifted)
{
    char text[64];
    size_t n = strlen(shifted);
    for (size_t i = 0; i < n; i++)
        text[i] = (char)(shifted[i] - 1);
    text[n] = '\0';
    tj_begin_object(w, NULL);
    tj_string(w, "name", name);
    tj_string(w, "kind", kind);
    tj_address(w, "address", (uintptr_t)at);
    tj_string(w, "text", text);
    tj_end_object(w);
}

static void report_number(tj_writer *w, const char *name, const char *kind, const uint8_t *at, const char *value)
{
    tj_begin_object(w, NULL);
    tj_string(w, "name", name);
    tj_string(w, "kind", kind);
    tj_address(w, "address", (uintptr_t)at);
    tj_string(w, "value", value);
    tj_end_object(w);
}

static void report_allocation(tj_writer *w, const char *name, const uint8_t *base, size_t size, DWORD protect)
{
    tj_begin_object(w, NULL);
    tj_string(w, "name", name);
    tj_address(w, "base", (uintptr_t)base);
    tj_uint(w, "size", size);
    tj_uint(w, "protect", protect);
    tj_end_object(w);
}

typedef struct markers {
    uint8_t *plain, *left, *right, *readonly, *exec;
    uint8_t **fill;
    size_t fill_count;
} markers;

static uint32_t lcg(uint32_t *state)
{
    *state = *state * 1103515245u + 12345u;
    return *state;
}

/* Two allocations back to back: reserve twice the size to find room, release, then take both
 * halves with separate VirtualAllocs at fixed addresses (retried if another thread raced us). */
static int make_adjacent(markers *m)
{
    for (int attempt = 0; attempt < 16; attempt++) {
        uint8_t *room = VirtualAlloc(NULL, 2 * GRANULE, MEM_RESERVE, PAGE_NOACCESS);
        if (!room)
            return fail("VirtualAlloc (reserve 128 KiB)");
        VirtualFree(room, 0, MEM_RELEASE);
        m->left = VirtualAlloc(room, GRANULE, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
        m->right = m->left ? VirtualAlloc(room + GRANULE, GRANULE, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE) : NULL;
        if (m->left && m->right)
            return 0;
        if (m->left)
            VirtualFree(m->left, 0, MEM_RELEASE);
    }
    return fail("VirtualAlloc (two adjacent allocations)");
}

static uint8_t *commit_page(DWORD final_protect, const char *shifted, const char *what)
{
    uint8_t *p = VirtualAlloc(NULL, 0x1000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    DWORD old;
    if (!p) {
        fail(what);
        return NULL;
    }
    unshift((char *)p + 0x80, shifted);
    if (!VirtualProtect(p, 0x1000, final_protect, &old)) {
        fail("VirtualProtect");
        return NULL;
    }
    return p;
}

static void plant_plain(uint8_t *p)
{
    unshift((char *)p + 0x100, shifted_inside);
    size_t n = strlen(shifted_utf16);
    for (size_t i = 0; i < n; i++) {
        p[0x300 + 2 * i] = (uint8_t)(shifted_utf16[i] - 1);
        p[0x300 + 2 * i + 1] = 0;
    }
    uint32_t v32 = (uint32_t)(INT32_MARKER_X ^ key);
    uint64_t v64 = INT64_MARKER_X ^ key;
    memcpy(p + 0x600, &v32, 4);
    memcpy(p + 0x701, &v32, 4);
    memcpy(p + 0x800, &v64, 8);
    memcpy(p + 0x903, &v64, 8);
    double d = 6.02214076e23;
    memcpy(p + 0xa00, &d, 8);
    unshift((char *)p + 0x2000 - 10, shifted_page);
    uint32_t state = LONG_MARKER_SEED;
    for (size_t i = 0; i < LONG_MARKER_LENGTH; i++)
        p[0x4000 - 1500 + i] = (uint8_t)(lcg(&state) >> 24);
}

static int fill_memory(markers *m, unsigned long mib)
{
    static uint8_t block[GRANULE];
    uint32_t state = 0xf111u;
    for (size_t i = 0; i < sizeof block; i++)
        block[i] = (uint8_t)(lcg(&state) >> 24);
    m->fill_count = (mib + FILL_CHUNK_MIB - 1) / FILL_CHUNK_MIB;
    m->fill = calloc(m->fill_count ? m->fill_count : 1, sizeof *m->fill);
    if (!m->fill)
        return fail("calloc");
    for (size_t a = 0; a < m->fill_count; a++) {
        size_t size = (size_t)(mib - a * FILL_CHUNK_MIB < FILL_CHUNK_MIB ? mib - a * FILL_CHUNK_MIB : FILL_CHUNK_MIB) << 20;
        m->fill[a] = VirtualAlloc(NULL, size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
        if (!m->fill[a])
            return fail("VirtualAlloc (--fill-mib)");
        for (size_t off = 0; off < size; off += sizeof block)
            memcpy(m->fill[a] + off, block, sizeof block);
    }
    return 0;
}

static int plant(markers *m, unsigned long fill_mib)
{
    m->plain = VirtualAlloc(NULL, GRANULE, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    if (!m->plain)
        return fail("VirtualAlloc (plain)");
    plant_plain(m->plain);
    if (make_adjacent(m) != 0)
        return -1;
    unshift((char *)m->right - 12, shifted_region);
    /* unshift writes across the boundary byte by byte: the first 12 bytes land in left. */
    m->readonly = commit_page(PAGE_READONLY, shifted_readonly, "VirtualAlloc (read-only)");
    m->exec = commit_page(PAGE_EXECUTE_READ, shifted_exec, "VirtualAlloc (executable)");
    if (!m->readonly || !m->exec)
        return -1;
    return fill_memory(m, fill_mib);
}

static int report(const markers *m, unsigned long fill_mib)
{
    tj_writer w;
    tj_begin_target(&w, "markers");
    tj_begin_array(&w, "allocations");
    report_allocation(&w, "plain", m->plain, GRANULE, PAGE_READWRITE);
    report_allocation(&w, "left", m->left, GRANULE, PAGE_READWRITE);
    report_allocation(&w, "right", m->right, GRANULE, PAGE_READWRITE);
    report_allocation(&w, "readonly", m->readonly, 0x1000, PAGE_READONLY);
    report_allocation(&w, "executable", m->exec, 0x1000, PAGE_EXECUTE_READ);
    tj_end_array(&w);
    tj_begin_array(&w, "markers");
    report_text(&w, "inside_page", "ansi", m->plain + 0x100, shifted_inside);
    report_text(&w, "across_page", "ansi", m->plain + 0x2000 - 10, shifted_page);
    report_text(&w, "across_region", "ansi", m->right - 12, shifted_region);
    report_text(&w, "readonly", "ansi", m->readonly + 0x80, shifted_readonly);
    report_text(&w, "executable", "ansi", m->exec + 0x80, shifted_exec);
    report_text(&w, "utf16", "utf16", m->plain + 0x300, shifted_utf16);
    report_number(&w, "int32_aligned", "int32", m->plain + 0x600, "0x7a3b9c1d");
    report_number(&w, "int32_unaligned", "int32", m->plain + 0x701, "0x7a3b9c1d");
    report_number(&w, "int64_aligned", "int64", m->plain + 0x800, "0x1234fedcba987601");
    report_number(&w, "int64_unaligned", "int64", m->plain + 0x903, "0x1234fedcba987601");
    report_number(&w, "double", "double", m->plain + 0xa00, "6.02214076e23");
    tj_end_array(&w);
    tj_begin_object(&w, "long_marker");
    tj_address(&w, "address", (uintptr_t)(m->plain + 0x4000 - 1500));
    tj_uint(&w, "length", LONG_MARKER_LENGTH);
    tj_uint(&w, "seed", LONG_MARKER_SEED);
    tj_string(&w, "generator", "state = state * 1103515245 + 12345 (mod 2^32); byte = state >> 24");
    tj_end_object(&w);
    tj_begin_object(&w, "fill");
    tj_uint(&w, "mib", fill_mib);
    tj_begin_array(&w, "allocations");
    for (size_t a = 0; a < m->fill_count; a++)
        tj_address(&w, NULL, (uintptr_t)m->fill[a]);
    tj_end_array(&w);
    tj_end_object(&w);
    tj_end_object(&w);
    int rc = tj_print_line(&w);
    tj_free(&w);
    return rc;
}

static void serve_commands(void)
{
    char line[256];
    while (tj_next_command(line, sizeof line)) {
        fprintf(stderr, "pmm_target_markers: unknown command '%s'\n", line);
    }
}

int main(int argc, char **argv)
{
    unsigned long fill_mib = 0;
    for (int i = 1; i < argc; i++) {
        char *end = NULL;
        if (strcmp(argv[i], "--fill-mib") == 0 && i + 1 < argc && argv[i + 1][0] != '-') {
            fill_mib = strtoul(argv[++i], &end, 10);
            if (*end == '\0' && fill_mib <= 65536)
                continue;
        }
        fprintf(stderr, "usage: pmm_target_markers [--fill-mib N]\n");
        return 2;
    }
    markers m;
    memset(&m, 0, sizeof m);
    if (plant(&m, fill_mib) != 0 || report(&m, fill_mib) != 0)
        return 1;
    serve_commands();
    return 0;
}
