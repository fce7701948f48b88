/* A streaming JSON writer over an output sink. Commas and escaping are handled here, so callers
 * only say begin/end object/array, key and value. */
#ifndef PMM_JSON_WRITER_H
#define PMM_JSON_WRITER_H

#include "printf_format.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Where text goes: a FILE, a memory buffer, or nothing (for benchmarks). Write errors are sticky. */
typedef struct pmm_out {
    size_t (*write)(void *ctx, const char *data, size_t len);
    void *ctx;
    int failed;
} pmm_out;

pmm_out pmm_out_file(FILE *file);
pmm_out pmm_out_null(void);
void pmm_out_write(pmm_out *out, const char *data, size_t len);
void pmm_out_puts(pmm_out *out, const char *text);
void pmm_out_printf(pmm_out *out, const char *fmt, ...) PMM_PRINTF_FORMAT(2, 3);

#define PMM_JSON_MAX_DEPTH 32

typedef struct pmm_json {
    pmm_out *out;
    int depth;
    int pretty;
    unsigned char has_items[PMM_JSON_MAX_DEPTH];
    int after_key;
} pmm_json;

void pmm_json_init(pmm_json *json, pmm_out *out, int pretty);
void pmm_json_begin_object(pmm_json *json);
void pmm_json_end_object(pmm_json *json);
void pmm_json_begin_array(pmm_json *json);
void pmm_json_end_array(pmm_json *json);
void pmm_json_key(pmm_json *json, const char *key);
void pmm_json_string(pmm_json *json, const char *value);
void pmm_json_uint(pmm_json *json, uint64_t value);
void pmm_json_int(pmm_json *json, int64_t value);
void pmm_json_bool(pmm_json *json, int value);
void pmm_json_null(pmm_json *json);
/* Addresses are strings: "0x7ff6a0b40000". */
void pmm_json_address(pmm_json *json, uint64_t value);
/* Shorthands for "key": value. */
void pmm_json_kv_string(pmm_json *json, const char *key, const char *value);
void pmm_json_kv_uint(pmm_json *json, const char *key, uint64_t value);
void pmm_json_kv_bool(pmm_json *json, const char *key, int value);
void pmm_json_kv_address(pmm_json *json, const char *key, uint64_t value);

#endif
