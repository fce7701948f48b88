#include "result_rows.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

void result_rows_init(result_rows *r, size_t cell_count)
{
    memset(r, 0, sizeof *r);
    r->cell_count = cell_count > RESULT_MAX_CELLS ? RESULT_MAX_CELLS : cell_count;
}

void result_rows_free(result_rows *r)
{
    for (size_t i = 0; i < r->count; i++)
        free(r->rows[i].cells);
    free(r->rows);
    r->rows = NULL;
    r->count = r->cap = 0;
}

void result_rows_move(result_rows *dst, result_rows *src)
{
    result_rows_free(dst);
    *dst = *src;
    src->rows = NULL;
    src->count = src->cap = 0;
}

static int reserve(result_rows *r, size_t more)
{
    if (r->count + more <= r->cap)
        return 1;
    size_t cap = r->cap ? r->cap : 256;
    while (cap < r->count + more)
        cap *= 2;
    result_row *rows = realloc(r->rows, cap * sizeof *rows);
    if (!rows)
        return 0;
    r->rows = rows;
    r->cap = cap;
    return 1;
}

pmm_status result_rows_append(result_rows *dst, result_rows *src)
{
    if (!dst->count) {
        result_rows_move(dst, src);
        return PMM_OK;
    }
    if (!reserve(dst, src->count))
        return PMM_ERR_NOMEM;
    memcpy(dst->rows + dst->count, src->rows, src->count * sizeof *src->rows);
    dst->count += src->count;
    free(src->rows);
    src->rows = NULL;
    src->count = src->cap = 0;
    return PMM_OK;
}

pmm_status result_rows_add(result_rows *r, uint64_t address, const char *const *cells)
{
    size_t total = 0;
    for (size_t c = 0; c < r->cell_count; c++)
        total += (cells[c] ? strlen(cells[c]) : 0) + 1;
    char *block = malloc(total ? total : 1);
    if (!block || !reserve(r, 1)) {
        free(block);
        return PMM_ERR_NOMEM;
    }
    char *p = block;
    for (size_t c = 0; c < r->cell_count; c++) {
        size_t n = cells[c] ? strlen(cells[c]) : 0;
        memcpy(p, cells[c] ? cells[c] : "", n);
        p[n] = '\0';
        p += n + 1;
    }
    r->rows[r->count].address = address;
    r->rows[r->count].cells = block;
    r->count++;
    return PMM_OK;
}

const char *result_rows_cell(const result_rows *r, size_t i, size_t c)
{
    if (i >= r->count || c >= r->cell_count)
        return "";
    const char *p = r->rows[i].cells;
    for (size_t k = 0; k < c; k++)
        p += strlen(p) + 1;
    return p;
}

static int contains_folded(const char *text, const char *needle, size_t needle_len)
{
    for (; *text; text++) {
        size_t k = 0;
        while (k < needle_len && text[k] && tolower((unsigned char)text[k]) == tolower((unsigned char)needle[k]))
            k++;
        if (k == needle_len)
            return 1;
    }
    return needle_len == 0;
}

size_t *result_rows_filter(const result_rows *r, size_t cell, const char *needle, size_t *count)
{
    *count = 0;
    size_t *index = malloc((r->count ? r->count : 1) * sizeof *index);
    if (!index)
        return NULL;
    size_t needle_len = strlen(needle);
    for (size_t i = 0; i < r->count; i++)
        if (contains_folded(result_rows_cell(r, i, cell), needle, needle_len))
            index[(*count)++] = i;
    return index;
}

static int write_row(const result_rows *r, size_t i, FILE *f)
{
    int ok = fprintf(f, "0x%016" PRIX64, r->rows[i].address) > 0;
    for (size_t c = 0; c < r->cell_count && ok; c++)
        ok = fprintf(f, "\t%s", result_rows_cell(r, i, c)) >= 0;
    return ok && fputc('\n', f) != EOF;
}

int result_rows_write_some(const result_rows *r, const size_t *index, size_t count, FILE *f)
{
    for (size_t k = 0; k < count; k++)
        if (index[k] < r->count && !write_row(r, index[k], f))
            return -1;
    return 0;
}

int result_rows_write(const result_rows *r, FILE *f)
{
    int ok = 1;
    for (size_t i = 0; i < r->count && ok; i++) {
        ok = fprintf(f, "0x%016" PRIX64, r->rows[i].address) > 0;
        for (size_t c = 0; c < r->cell_count && ok; c++)
            ok = fprintf(f, "\t%s", result_rows_cell(r, i, c)) >= 0;
        ok = ok && fputc('\n', f) != EOF;
    }
    return ok ? 0 : -1;
}
