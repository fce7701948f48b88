/* Decodes a structure at a target address through a source, field by field from its table
 * (formats/struct_tables.h): integers, pointers, flags with their bit names, GUIDs, times, and the
 * strings that UNICODE_STRINGs point at. Nothing read is trusted: each read is bounds-checked by
 * the source and every string is capped. Output as text or JSON ("pmm-decode", version 1). */
#ifndef PMM_DECODE_H
#define PMM_DECODE_H

#include "../formats/struct_tables.h"
#include "../source/source.h"
#include "../util/json_writer.h"

#define PMM_DECODE_JSON_VERSION 1
#define PMM_DECODE_TEXT_CAP 2048u   /* longest rendered value kept (UTF-8 bytes) */

typedef struct pmm_decoded_field {
    const pmm_field *field;
    uint64_t address;
    int readable;             /* the field's own bytes could be read */
    uint64_t value;           /* integers, pointers, flags; LIST_ENTRY Flink; UNICODE_STRING Buffer */
    uint64_t value2;          /* LIST_ENTRY Blink; UNICODE_STRING Length | MaximumLength << 16 */
    int string_read;          /* UNICODE_STRING: its buffer was read into text */
    char text[PMM_DECODE_TEXT_CAP];  /* the value as shown: "0x1a", "C:\\dir", "FLAG_A|FLAG_B", a GUID */
} pmm_decoded_field;

typedef struct pmm_decoded {
    const pmm_struct_def *def;
    uint64_t address;
    pmm_decoded_field *fields;  /* def->field_count entries */
    size_t readable_count;
} pmm_decoded;

/* PMM_ERR_READ when not one field could be read (the result is still filled and must be freed). */
pmm_status pmm_decode(pmm_source *src, uint64_t address, const pmm_struct_def *def, pmm_decoded *out);
void pmm_decoded_free(pmm_decoded *d);

/* The field of that name, or NULL. */
const pmm_decoded_field *pmm_decoded_field_named(const pmm_decoded *d, const char *name);

void pmm_decode_write_text(const pmm_decoded *d, pmm_out *out);
/* The members of one decoded structure, into an object the caller opened. */
void pmm_decode_write_json_members(const pmm_decoded *d, pmm_json *json);

#endif
