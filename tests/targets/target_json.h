/* A tiny JSON writer for the test targets.
 *
 * The targets must not depend on the engine they are used to test (a bug in core/ must not be able
 * to hide itself by corrupting the expected values), so they carry their own few-line writer.
 * Output is built in memory and written as ONE line, so a test reading stdout line by line always
 * gets the whole description at once.
 */
#ifndef PMM_TARGET_JSON_H
#define PMM_TARGET_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#define TJ_MAX_DEPTH 16

typedef struct tj_writer {
    char *buf;
    size_t len;
    size_t cap;
    int failed;                       /* out of memory or nesting too deep: tj_finish reports it */
    int depth;
    int need_comma[TJ_MAX_DEPTH];
} tj_writer;

void tj_init(tj_writer *w);
void tj_free(tj_writer *w);
/* tj_init, then the top-level object's first members, as every target starts its description:
 * "format": "pmm-target", "version": 1, "kind", and this process's "pid" and "bits". */
void tj_begin_target(tj_writer *w, const char *kind);

/* key is NULL for array elements and for the top-level value. */
void tj_begin_object(tj_writer *w, const char *key);
void tj_end_object(tj_writer *w);
void tj_begin_array(tj_writer *w, const char *key);
void tj_end_array(tj_writer *w);

void tj_string(tj_writer *w, const char *key, const char *utf8);
void tj_wstring(tj_writer *w, const char *key, const wchar_t *text);
void tj_uint(tj_writer *w, const char *key, uint64_t value);
void tj_int(tj_writer *w, const char *key, int64_t value);
void tj_bool(tj_writer *w, const char *key, int value);
void tj_null(tj_writer *w, const char *key);
/* Addresses are strings ("0x7ff6a0b40000"), like the pmm-map format, because JSON numbers
 * lose precision above 2^53 in many readers. */
void tj_address(tj_writer *w, const char *key, uint64_t address);

/* Writes the document plus '\n' to stdout and flushes. Returns 0, or -1 if anything failed. */
int tj_print_line(tj_writer *w);

/* The next command a test sends on stdin, in line (cap bytes) without its line end and trailing
 * blanks; 0 at the end of input or at "quit". "ping" is answered here ({"reply":"pong"}) and empty
 * lines are passed over: neither is returned. */
int tj_next_command(char *line, size_t cap);

#endif
