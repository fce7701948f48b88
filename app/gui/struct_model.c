#include "struct_model.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

void struct_model_init(struct_model *m)
{
    memset(m, 0, sizeof *m);
}

void struct_model_free(struct_model *m)
{
    for (size_t i = 0; i < m->decoded_count; i++)
        pmm_decoded_free(&m->decoded[i]);
    free(m->decoded);
    free(m->rows);
    struct_model_init(m);
}

pmm_status struct_model_build(struct_model *m, pmm_source *src, const struct_pick *pick)
{
    struct_model_free(m);
    snprintf(m->title, sizeof m->title, "%s", pick->title);
    if (!pick->count || !src)
        return PMM_OK;
    size_t rows = 0;
    for (size_t i = 0; i < pick->count; i++)
        rows += 1 + pick->items[i].def->field_count;
    m->decoded = calloc(pick->count, sizeof *m->decoded);
    m->rows = malloc(rows * sizeof *m->rows);
    if (!m->decoded || !m->rows) {
        struct_model_free(m);
        return PMM_ERR_NOMEM;
    }
    for (size_t i = 0; i < pick->count; i++) {
        pmm_status st = pmm_decode(src, pick->items[i].address, pick->items[i].def, &m->decoded[m->decoded_count]);
        if (st == PMM_ERR_NOMEM) {
            struct_model_free(m);
            return st;
        }
        /* PMM_ERR_READ still fills the fields (unreadable): the view says so per field. */
        m->decoded_count++;
        m->rows[m->row_count++] = (struct_row){(uint32_t)i, -1};
        for (size_t f = 0; f < pick->items[i].def->field_count; f++)
            m->rows[m->row_count++] = (struct_row){(uint32_t)i, (int32_t)f};
    }
    return PMM_OK;
}

const char *struct_column_name(struct_column c)
{
    static const char *const names[STRUCT_COL_COUNT] = {"Field", "Offset", "Type", "Value"};
    return (unsigned)c < STRUCT_COL_COUNT ? names[c] : "";
}

uint64_t struct_model_target(const struct_model *m, size_t row)
{
    if (row >= m->row_count || m->rows[row].field < 0)
        return 0;
    const pmm_decoded_field *f = &m->decoded[m->rows[row].item].fields[m->rows[row].field];
    switch ((pmm_field_type)f->field->type) {
    case PMM_FIELD_POINTER32: case PMM_FIELD_POINTER64: case PMM_FIELD_USTR32: case PMM_FIELD_USTR64:
    case PMM_FIELD_LIST32: case PMM_FIELD_LIST64:
        return f->readable ? f->value : 0;
    default:
        return 0;
    }
}

size_t struct_model_find_field(const struct_model *m, const char *name)
{
    for (size_t r = 0; r < m->row_count; r++)
        if (m->rows[r].field >= 0 &&
            strcmp(m->decoded[m->rows[r].item].fields[m->rows[r].field].field->name, name) == 0)
            return r;
    return (size_t)-1;
}

size_t struct_model_row_at(const struct_model *m, uint64_t addr)
{
    size_t heading = (size_t)-1;
    for (size_t r = 0; r < m->row_count; r++) {
        const pmm_decoded *d = &m->decoded[m->rows[r].item];
        if (m->rows[r].field < 0) {
            if (heading == (size_t)-1 && addr >= d->address && addr - d->address < d->def->size)
                heading = r;
            continue;
        }
        const pmm_decoded_field *f = &d->fields[m->rows[r].field];
        if (addr >= f->address && addr - f->address < f->field->size)
            return r;
    }
    return heading;
}

int struct_model_is_heading(const struct_model *m, size_t row)
{
    return row < m->row_count && m->rows[row].field < 0;
}

static const char *value_text(const pmm_decoded_field *f, char *buf, size_t cap)
{
    pmm_field_type type = (pmm_field_type)f->field->type;
    if (!f->readable)
        snprintf(buf, cap, "?? (not readable)");
    else if (type == PMM_FIELD_USTR32 || type == PMM_FIELD_USTR64)
        snprintf(buf, cap, "\"%s\" (length %u, max %u, buffer 0x%" PRIx64 ")%s", f->text, (unsigned)(f->value2 & 0xFFFF),
                 (unsigned)(f->value2 >> 16), f->value, f->string_read || !(f->value2 & 0xFFFF) ? "" : " (buffer unreadable)");
    else if (type == PMM_FIELD_CHARS || type == PMM_FIELD_WCHARS)
        snprintf(buf, cap, "\"%s\"", f->text);
    else
        snprintf(buf, cap, "%s", f->text);
    return buf;
}

const char *struct_model_cell(const struct_model *m, size_t row, struct_column c, char *buf, size_t cap)
{
    if (cap)
        buf[0] = '\0';
    if (row >= m->row_count || !cap)
        return buf;
    const pmm_decoded *d = &m->decoded[m->rows[row].item];
    if (m->rows[row].field < 0) {
        if (c == STRUCT_COL_FIELD)
            snprintf(buf, cap, "%s", d->def->name);
        else if (c == STRUCT_COL_OFFSET)
            snprintf(buf, cap, "0x%" PRIX64, d->address);
        else if (c == STRUCT_COL_TYPE)
            snprintf(buf, cap, "0x%x bytes", (unsigned)d->def->size);
        else
            snprintf(buf, cap, "%zu of %zu fields readable", d->readable_count, d->def->field_count);
        return buf;
    }
    const pmm_decoded_field *f = &d->fields[m->rows[row].field];
    switch (c) {
    case STRUCT_COL_FIELD: snprintf(buf, cap, "%s", f->field->name); break;
    case STRUCT_COL_OFFSET: snprintf(buf, cap, "+0x%04X", (unsigned)f->field->offset); break;
    case STRUCT_COL_TYPE: snprintf(buf, cap, "%s", pmm_field_type_name((pmm_field_type)f->field->type)); break;
    case STRUCT_COL_VALUE: value_text(f, buf, cap); break;
    default: break;
    }
    return buf;
}

int struct_model_write(const struct_model *m, FILE *f)
{
    char cell[PMM_DECODE_TEXT_CAP + 128];
    if (fprintf(f, "%s\n", m->title) < 0)
        return -1;
    for (size_t r = 0; r < m->row_count; r++) {
        if (fputs(struct_model_is_heading(m, r) ? "" : "  ", f) < 0)
            return -1;
        for (int c = 0; c < STRUCT_COL_COUNT; c++)
            if (fprintf(f, "%s%s", c ? "\t" : "", struct_model_cell(m, r, (struct_column)c, cell, sizeof cell)) < 0)
                return -1;
        if (fputc('\n', f) == EOF)
            return -1;
    }
    return 0;
}
