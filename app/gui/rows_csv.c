#include "rows_csv.h"

#include <string.h>

static int write_field(FILE *f, const char *text)
{
    if (!strpbrk(text, ",\"\r\n"))
        return fputs(text, f) >= 0;
    if (fputc('"', f) == EOF)
        return 0;
    for (; *text; text++) {
        if (*text == '"' && fputc('"', f) == EOF)
            return 0;
        if (fputc(*text, f) == EOF)
            return 0;
    }
    return fputc('"', f) != EOF;
}

static const char *row_kind_text(int kind)
{
    switch (kind) {
    case REGION_ROW_ALLOCATION: return "Allocation";
    case REGION_ROW_REGION: return "Region";
    default: return "Annotation";
    }
}

int region_rows_write_csv(const region_rows *rows, FILE *f)
{
    int ok = fputs("Row", f) >= 0;
    for (int c = 0; c < REGION_COL_COUNT && ok; c++)
        ok = fputc(',', f) != EOF && write_field(f, region_column_name((region_column)c));
    ok = ok && fputs("\r\n", f) >= 0;
    char cell[1024];
    for (size_t i = 0; i < rows->count && ok; i++) {
        ok = write_field(f, row_kind_text(rows->rows[i].kind));
        for (int c = 0; c < REGION_COL_COUNT && ok; c++)
            ok = fputc(',', f) != EOF &&
                 write_field(f, region_rows_cell(rows, i, (region_column)c, cell, sizeof cell));
        ok = ok && fputs("\r\n", f) >= 0;
    }
    return ok ? 0 : -1;
}
