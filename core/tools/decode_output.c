/* Decoded structures as text (one line per field) and as JSON members. */
#include "decode.h"

#include <inttypes.h>

static int is_ustr(const pmm_field *f)
{
    return f->type == PMM_FIELD_USTR32 || f->type == PMM_FIELD_USTR64;
}

void pmm_decode_write_text(const pmm_decoded *d, pmm_out *out)
{
    pmm_out_printf(out, "%s at 0x%" PRIx64 " (0x%x bytes)\n", d->def->name, d->address, (unsigned)d->def->size);
    for (size_t i = 0; i < d->def->field_count; i++) {
        const pmm_decoded_field *f = &d->fields[i];
        pmm_out_printf(out, "  +0x%04x %-44s %-16s ", (unsigned)f->field->offset, f->field->name,
                       pmm_field_type_name((pmm_field_type)f->field->type));
        if (is_ustr(f->field) && f->readable)
            pmm_out_printf(out, "\"%s\" (length %u, max %u, buffer 0x%" PRIx64 ")%s\n", f->text,
                           (unsigned)(f->value2 & 0xFFFF), (unsigned)(f->value2 >> 16), f->value,
                           f->string_read || !(f->value2 & 0xFFFF) ? "" : " (buffer unreadable)");
        else if ((f->field->type == PMM_FIELD_CHARS || f->field->type == PMM_FIELD_WCHARS) && f->readable)
            pmm_out_printf(out, "\"%s\"\n", f->text);
        else
            pmm_out_printf(out, "%s\n", f->text);
    }
}

static void json_value(const pmm_decoded_field *f, pmm_json *j)
{
    switch ((pmm_field_type)f->field->type) {
    case PMM_FIELD_U8: case PMM_FIELD_U16: case PMM_FIELD_U32: case PMM_FIELD_U64: case PMM_FIELD_KSYSTEM_TIME:
        pmm_json_kv_uint(j, "value", f->value);
        break;
    case PMM_FIELD_POINTER32: case PMM_FIELD_POINTER64:
        pmm_json_kv_address(j, "value", f->value);
        break;
    case PMM_FIELD_FLAGS: case PMM_FIELD_FILETIME:
        pmm_json_kv_uint(j, "value", f->value);
        pmm_json_kv_string(j, "text", f->text);
        break;
    case PMM_FIELD_USTR32: case PMM_FIELD_USTR64:
        pmm_json_kv_uint(j, "length", f->value2 & 0xFFFF);
        pmm_json_kv_uint(j, "maximum_length", f->value2 >> 16);
        pmm_json_kv_address(j, "buffer", f->value);
        if (f->string_read || !(f->value2 & 0xFFFF))
            pmm_json_kv_string(j, "value", f->text);
        break;
    case PMM_FIELD_LIST32: case PMM_FIELD_LIST64:
        pmm_json_kv_address(j, "flink", f->value);
        pmm_json_kv_address(j, "blink", f->value2);
        break;
    case PMM_FIELD_GUID: case PMM_FIELD_CHARS: case PMM_FIELD_WCHARS: case PMM_FIELD_BYTES:
        pmm_json_kv_string(j, "value", f->text);
        break;
    }
}

void pmm_decode_write_json_members(const pmm_decoded *d, pmm_json *j)
{
    pmm_json_kv_string(j, "type", d->def->name);
    pmm_json_kv_address(j, "address", d->address);
    pmm_json_kv_uint(j, "size", d->def->size);
    pmm_json_key(j, "fields");
    pmm_json_begin_array(j);
    for (size_t i = 0; i < d->def->field_count; i++) {
        const pmm_decoded_field *f = &d->fields[i];
        pmm_json_begin_object(j);
        pmm_json_kv_string(j, "name", f->field->name);
        pmm_json_kv_uint(j, "offset", f->field->offset);
        pmm_json_kv_uint(j, "size", f->field->size);
        pmm_json_kv_string(j, "field_type", pmm_field_type_name((pmm_field_type)f->field->type));
        pmm_json_kv_bool(j, "readable", f->readable);
        if (f->readable)
            json_value(f, j);
        pmm_json_end_object(j);
    }
    pmm_json_end_array(j);
}
