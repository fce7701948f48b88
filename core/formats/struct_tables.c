/* The registry of structure tables: enumeration and lookup by name. */
#include "struct_tables.h"

#include <stdio.h>
#include <string.h>
#include "../util/names.h"

static const pmm_struct_def *const all_tables[] = {
    &pmm_struct_peb32, &pmm_struct_peb64, &pmm_struct_teb32, &pmm_struct_teb64, &pmm_struct_params32,
    &pmm_struct_params64, &pmm_struct_kuser, &pmm_struct_ldr_entry32, &pmm_struct_ldr_entry64,
    &pmm_struct_dos_header, &pmm_struct_nt_headers32, &pmm_struct_nt_headers64, &pmm_struct_section_header,
    &pmm_struct_export_directory, &pmm_struct_import_descriptor, &pmm_struct_tls32, &pmm_struct_tls64,
    &pmm_struct_load_config32, &pmm_struct_load_config64,
};

const pmm_struct_def *pmm_struct_at(size_t index)
{
    return index < sizeof all_tables / sizeof all_tables[0] ? all_tables[index] : NULL;
}

const pmm_struct_def *pmm_struct_find(const char *name, uint32_t pointer_size)
{
    const pmm_struct_def *def;
    char sized[96];
    for (size_t i = 0; (def = pmm_struct_at(i)) != NULL; i++)
        if (pmm_names_equal(def->name, name))
            return def;
    /* "PEB" means the layout of the target's bitness; "params" is RTL_USER_PROCESS_PARAMETERS. */
    if (pmm_names_equal(name, "params"))
        name = "RTL_USER_PROCESS_PARAMETERS";
    snprintf(sized, sizeof sized, "%s%s", name, pointer_size == 4 ? "32" : "64");
    for (size_t i = 0; (def = pmm_struct_at(i)) != NULL; i++)
        if (pmm_names_equal(def->name, sized))
            return def;
    return NULL;
}

const char *pmm_field_type_name(pmm_field_type type)
{
    static const char *const names[] = {"u8", "u16", "u32", "u64", "pointer32", "pointer64", "UNICODE_STRING32",
                                        "UNICODE_STRING64", "LIST_ENTRY32", "LIST_ENTRY64", "flags", "GUID",
                                        "FILETIME", "KSYSTEM_TIME", "char[]", "wchar[]", "bytes"};
    return (unsigned)type < sizeof names / sizeof names[0] ? names[type] : "?";
}
