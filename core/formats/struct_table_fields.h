/* The shorthand the structure tables (struct_tables_*.c) are written in: one macro per field type,
 * F(name, offset, size, type) underneath, and TABLE for a structure's definition. Only for those
 * files: the names are short because the tables are long. */
#ifndef PMM_STRUCT_TABLE_FIELDS_H
#define PMM_STRUCT_TABLE_FIELDS_H

#include "struct_tables.h"

#define F(name, off, size, type) {name, off, size, type, NULL}
#define U8(name, off) F(name, off, 1, PMM_FIELD_U8)
#define U16(name, off) F(name, off, 2, PMM_FIELD_U16)
#define U32(name, off) F(name, off, 4, PMM_FIELD_U32)
#define U64(name, off) F(name, off, 8, PMM_FIELD_U64)
#define P32(name, off) F(name, off, 4, PMM_FIELD_POINTER32)
#define P64(name, off) F(name, off, 8, PMM_FIELD_POINTER64)
#define US32(name, off) F(name, off, 8, PMM_FIELD_USTR32)
#define US64(name, off) F(name, off, 16, PMM_FIELD_USTR64)
#define LE32(name, off) F(name, off, 8, PMM_FIELD_LIST32)
#define LE64(name, off) F(name, off, 16, PMM_FIELD_LIST64)
#define FLAGS(name, off, size, bits) {name, off, size, PMM_FIELD_FLAGS, bits}
#define TABLE(var, label, size, ps, fields) \
    const pmm_struct_def var = {label, size, ps, fields, sizeof fields / sizeof fields[0]}

#endif
