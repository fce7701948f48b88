#include "check.h"
#include "core/util/json_writer.h"

#include <stdlib.h>

typedef struct buffer {
    char data[512];
    size_t used;
} buffer;

static size_t to_buffer(void *ctx, const char *data, size_t len)
{
    buffer *b = ctx;
    if (b->used + len >= sizeof b->data)
        return 0;
    memcpy(b->data + b->used, data, len);
    b->used += len;
    b->data[b->used] = '\0';
    return len;
}

TEST_CASE(compact_output_with_escapes)
{
    buffer b = {{0}, 0};
    pmm_out out = {to_buffer, &b, 0};
    pmm_json json;
    pmm_json_init(&json, &out, 0);
    pmm_json_begin_object(&json);
    pmm_json_kv_string(&json, "path", "C:\\a \"b\"\n\x01");
    pmm_json_kv_address(&json, "base", 0x7ff6a0b40000ull);
    pmm_json_key(&json, "list");
    pmm_json_begin_array(&json);
    pmm_json_uint(&json, 1);
    pmm_json_int(&json, -2);
    pmm_json_bool(&json, 1);
    pmm_json_null(&json);
    pmm_json_end_array(&json);
    pmm_json_key(&json, "empty");
    pmm_json_begin_object(&json);
    pmm_json_end_object(&json);
    pmm_json_end_object(&json);
    CHECK_STR(b.data, "{\"path\":\"C:\\\\a \\\"b\\\"\\n\\u0001\",\"base\":\"0x7ff6a0b40000\","
                      "\"list\":[1,-2,true,null],\"empty\":{}}");
    CHECK(!out.failed);
}

TEST_CASE(write_failure_is_sticky)
{
    buffer b = {{0}, 0};
    pmm_out out = {to_buffer, &b, 0};
    for (int i = 0; i < 100; i++)
        pmm_out_puts(&out, "0123456789");
    CHECK(out.failed);
}

CHECK_MAIN(CASE(compact_output_with_escapes), CASE(write_failure_is_sticky))
