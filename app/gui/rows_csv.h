/* The region list as CSV (RFC 4180: quoted where needed, CRLF lines), one line per row as shown,
 * with a first column saying what the row is, so a spreadsheet can filter allocations from their
 * regions and annotations. Plain C, no windows. */
#ifndef PMM_GUI_ROWS_CSV_H
#define PMM_GUI_ROWS_CSV_H

#include <stdio.h>
#include "region_rows.h"

/* Returns 0 on success, -1 when writing failed. */
int region_rows_write_csv(const region_rows *rows, FILE *f);

#endif
