#include "json_writer.h"

#include <inttypes.h>
#include <stdarg.h>

static size_t write_file(void *ctx, const char *data, size_t len)
{
    return fwrite(data, 1, len, (FILE *)ctx);
}

static size_t write_nothing(void *ctx, const char *data, size_t len)
{
    (void)ctx;
    (void)data;
    return len;
}

pmm_out pmm_out_file(FILE *file)
{
    pmm_out out = {write_file, file, 0};
    return out;
}

pmm_out pmm_out_null(void)
{
    pmm_out out = {write_nothing, NULL, 0};
    return out;
}

void pmm_out_write(pmm_out *out, const char *data, size_t len)
{
    if (!out->failed && len && out->write(out->ctx, data, len) != len)
        out->failed = 1;
}

void pmm_out_puts(pmm_out *out, const char *text)
{
    size_t len = 0;
    while (text[len])
        len++;
    pmm_out_write(out, text, len);
}

void pmm_out_printf(pmm_out *out, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    pmm_out_write(out, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

void pmm_json_init(pmm_json *json, pmm_out *out, int pretty)
{
    json->out = out;
    json->depth = 0;
    json->pretty = pretty;
    json->has_items[0] = 0;
    json->after_key = 0;
}

static void newline(pmm_json *json)
{
    if (!json->pretty)
        return;
    pmm_out_write(json->out, "\n", 1);
    for (int i = 0; i < json->depth; i++)
        pmm_out_write(json->out, "  ", 2);
}

/* Comma and indentation before a value or a key. */
static void before_item(pmm_json *json)
{
    if (json->after_key) {
        json->after_key = 0;
        return;
    }
    if (json->has_items[json->depth])
        pmm_out_write(json->out, ",", 1);
    json->has_items[json->depth] = 1;
    if (json->depth > 0)
        newline(json);
}

static void open_container(pmm_json *json, const char *bracket)
{
    before_item(json);
    pmm_out_write(json->out, bracket, 1);
    if (json->depth + 1 < PMM_JSON_MAX_DEPTH)
        json->depth++;
    json->has_items[json->depth] = 0;
}

static void close_container(pmm_json *json, const char *bracket)
{
    int had_items = json->has_items[json->depth];
    if (json->depth > 0)
        json->depth--;
    if (had_items)
        newline(json);
    pmm_out_write(json->out, bracket, 1);
    if (json->depth == 0 && json->pretty)
        pmm_out_write(json->out, "\n", 1);
}

void pmm_json_begin_object(pmm_json *json) { open_container(json, "{"); }
void pmm_json_end_object(pmm_json *json) { close_container(json, "}"); }
void pmm_json_begin_array(pmm_json *json) { open_container(json, "["); }
void pmm_json_end_array(pmm_json *json) { close_container(json, "]"); }

static void write_escaped(pmm_out *out, const char *s)
{
    pmm_out_write(out, "\"", 1);
    const char *run = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        pmm_out_write(out, run, (size_t)(s - run));
        char esc[8];
        switch (c) {
        case '"': pmm_out_write(out, "\\\"", 2); break;
        case '\\': pmm_out_write(out, "\\\\", 2); break;
        case '\n': pmm_out_write(out, "\\n", 2); break;
        case '\r': pmm_out_write(out, "\\r", 2); break;
        case '\t': pmm_out_write(out, "\\t", 2); break;
        default:
            snprintf(esc, sizeof esc, "\\u%04x", c);
            pmm_out_write(out, esc, 6);
        }
        run = s + 1;
    }
    pmm_out_write(out, run, (size_t)(s - run));
    pmm_out_write(out, "\"", 1);
}

void pmm_json_key(pmm_json *json, const char *key)
{
    before_item(json);
    write_escaped(json->out, key);
    pmm_out_write(json->out, json->pretty ? ": " : ":", json->pretty ? 2 : 1);
    json->after_key = 1;
}

void pmm_json_string(pmm_json *json, const char *value)
{
    before_item(json);
    write_escaped(json->out, value ? value : "");
}

void pmm_json_uint(pmm_json *json, uint64_t value)
{
    before_item(json);
    pmm_out_printf(json->out, "%" PRIu64, value);
}

void pmm_json_int(pmm_json *json, int64_t value)
{
    before_item(json);
    pmm_out_printf(json->out, "%" PRId64, value);
}

void pmm_json_bool(pmm_json *json, int value)
{
    before_item(json);
    pmm_out_puts(json->out, value ? "true" : "false");
}

void pmm_json_null(pmm_json *json)
{
    before_item(json);
    pmm_out_puts(json->out, "null");
}

void pmm_json_address(pmm_json *json, uint64_t value)
{
    before_item(json);
    pmm_out_printf(json->out, "\"0x%" PRIx64 "\"", value);
}

void pmm_json_kv_string(pmm_json *json, const char *key, const char *value)
{
    pmm_json_key(json, key);
    pmm_json_string(json, value);
}

void pmm_json_kv_uint(pmm_json *json, const char *key, uint64_t value)
{
    pmm_json_key(json, key);
    pmm_json_uint(json, value);
}

void pmm_json_kv_bool(pmm_json *json, const char *key, int value)
{
    pmm_json_key(json, key);
    pmm_json_bool(json, value);
}

void pmm_json_kv_address(pmm_json *json, const char *key, uint64_t value)
{
    pmm_json_key(json, key);
    pmm_json_address(json, value);
}
