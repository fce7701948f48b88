#include "target_json.h"

#include <windows.h>

#include <fcntl.h>
#include <inttypes.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tj_init(tj_writer *w)
{
    memset(w, 0, sizeof *w);
}

void tj_begin_target(tj_writer *w, const char *kind)
{
    tj_init(w);
    tj_begin_object(w, NULL);
    tj_string(w, "format", "pmm-target");
    tj_uint(w, "version", 1);
    tj_string(w, "kind", kind);
    tj_uint(w, "pid", GetCurrentProcessId());
    tj_uint(w, "bits", sizeof(void *) * 8);
}

void tj_free(tj_writer *w)
{
    free(w->buf);
    memset(w, 0, sizeof *w);
}

static void append(tj_writer *w, const char *text, size_t len)
{
    if (w->failed)
        return;
    if (w->len + len + 1 > w->cap) {
        size_t cap = w->cap ? w->cap : 4096;
        while (w->len + len + 1 > cap)
            cap *= 2;
        char *grown = realloc(w->buf, cap);
        if (!grown) {
            w->failed = 1;
            return;
        }
        w->buf = grown;
        w->cap = cap;
    }
    memcpy(w->buf + w->len, text, len);
    w->len += len;
    w->buf[w->len] = '\0';
}

static void append_str(tj_writer *w, const char *text)
{
    append(w, text, strlen(text));
}

/* Escapes per RFC 8259: quote, backslash (Windows paths are full of them) and control
 * characters. Bytes >= 0x80 are passed through: callers hand in UTF-8. */
static void append_quoted(tj_writer *w, const char *text)
{
    append(w, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        char esc[8];
        switch (*p) {
        case '"':  append(w, "\\\"", 2); break;
        case '\\': append(w, "\\\\", 2); break;
        case '\n': append(w, "\\n", 2); break;
        case '\r': append(w, "\\r", 2); break;
        case '\t': append(w, "\\t", 2); break;
        case '\b': append(w, "\\b", 2); break;
        case '\f': append(w, "\\f", 2); break;
        default:
            if (*p < 0x20) {
                snprintf(esc, sizeof esc, "\\u%04x", *p);
                append_str(w, esc);
            } else {
                append(w, (const char *)p, 1);
            }
        }
    }
    append(w, "\"", 1);
}

/* Emits the separator and the key that precede every value. */
static void begin_value(tj_writer *w, const char *key)
{
    if (w->depth > 0) {
        if (w->need_comma[w->depth - 1])
            append(w, ",", 1);
        w->need_comma[w->depth - 1] = 1;
    }
    if (key) {
        append_quoted(w, key);
        append(w, ":", 1);
    }
}

static void open_container(tj_writer *w, const char *key, const char *bracket)
{
    begin_value(w, key);
    append_str(w, bracket);
    if (w->depth >= TJ_MAX_DEPTH) {
        w->failed = 1;
        return;
    }
    w->need_comma[w->depth++] = 0;
}

static void close_container(tj_writer *w, const char *bracket)
{
    if (w->depth <= 0) {
        w->failed = 1;
        return;
    }
    w->depth--;
    append_str(w, bracket);
}

void tj_begin_object(tj_writer *w, const char *key) { open_container(w, key, "{"); }
void tj_end_object(tj_writer *w) { close_container(w, "}"); }
void tj_begin_array(tj_writer *w, const char *key) { open_container(w, key, "["); }
void tj_end_array(tj_writer *w) { close_container(w, "]"); }

void tj_string(tj_writer *w, const char *key, const char *utf8)
{
    begin_value(w, key);
    if (utf8)
        append_quoted(w, utf8);
    else
        append_str(w, "null");
}

void tj_wstring(tj_writer *w, const char *key, const wchar_t *text)
{
    if (!text) {
        tj_null(w, key);
        return;
    }
    int need = WideCharToMultiByte(CP_UTF8, 0, text, -1, NULL, 0, NULL, NULL);
    char *utf8 = need > 0 ? malloc((size_t)need) : NULL;
    if (!utf8 || WideCharToMultiByte(CP_UTF8, 0, text, -1, utf8, need, NULL, NULL) <= 0) {
        free(utf8);
        w->failed = 1;
        return;
    }
    tj_string(w, key, utf8);
    free(utf8);
}

void tj_uint(tj_writer *w, const char *key, uint64_t value)
{
    char text[32];
    snprintf(text, sizeof text, "%" PRIu64, value);
    begin_value(w, key);
    append_str(w, text);
}

void tj_int(tj_writer *w, const char *key, int64_t value)
{
    char text[32];
    snprintf(text, sizeof text, "%" PRId64, value);
    begin_value(w, key);
    append_str(w, text);
}

void tj_bool(tj_writer *w, const char *key, int value)
{
    begin_value(w, key);
    append_str(w, value ? "true" : "false");
}

void tj_null(tj_writer *w, const char *key)
{
    begin_value(w, key);
    append_str(w, "null");
}

void tj_address(tj_writer *w, const char *key, uint64_t address)
{
    char text[32];
    snprintf(text, sizeof text, "0x%" PRIx64, address);
    tj_string(w, key, text);
}

int tj_print_line(tj_writer *w)
{
    static int binary_set;
    if (!binary_set) {
        /* Text mode would turn '\n' into "\r\n"; tests split on '\n' and should not see '\r'. */
        _setmode(_fileno(stdout), _O_BINARY);
        binary_set = 1;
    }
    if (w->failed || w->depth != 0 || !w->buf)
        return -1;
    if (fwrite(w->buf, 1, w->len, stdout) != w->len || fputc('\n', stdout) == EOF)
        return -1;
    /* Stdout is a pipe in the tests, hence fully buffered: without the flush the reader waits forever. */
    return fflush(stdout) == 0 ? 0 : -1;
}

int tj_next_command(char *line, size_t cap)
{
    while (fgets(line, (int)cap, stdin)) {
        size_t len = strlen(line);
        while (len > 0 && strchr("\r\n \t", line[len - 1]))
            line[--len] = '\0';
        if (strcmp(line, "quit") == 0)
            return 0;
        if (strcmp(line, "ping") == 0) {
            fputs("{\"reply\":\"pong\"}\n", stdout);
            fflush(stdout);
        } else if (line[0] != '\0') {
            return 1;
        }
    }
    return 0;
}
