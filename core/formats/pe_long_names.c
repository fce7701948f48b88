#include "pe_long_names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../source/file_source.h"
#include "../util/device_path.h"
#include "../util/names.h"

const char *pe_long_names_outcome_name(pe_long_names_outcome outcome)
{
    switch (outcome) {
    case PE_LONG_NAMES_NONE_NEEDED: return "none_needed";
    case PE_LONG_NAMES_RESOLVED: return "resolved";
    case PE_LONG_NAMES_NO_PATH: return "no_path";
    case PE_LONG_NAMES_FILE_NOT_FOUND: return "file_not_found";
    case PE_LONG_NAMES_FILE_NOT_PE: return "file_not_pe";
    case PE_LONG_NAMES_NOT_SAME_BUILD: return "not_same_build";
    case PE_LONG_NAMES_NOT_IN_FILE: return "not_in_file";
    }
    return "";
}

static int is_long_name(const pe_section *s)
{
    return s->name[0] == '/';
}

static unsigned count_long_names(const pe_image *img)
{
    unsigned n = 0;
    for (size_t i = 0; i < img->section_count; i++)
        n += is_long_name(&img->sections[i]);
    return n;
}

/* Starts a result: every "/N" of mapped unresolved until a file says otherwise. */
static void begin(const pe_image *mapped, pe_long_names_result *out)
{
    out->resolved = 0;
    out->unresolved = count_long_names(mapped);
    out->outcome = out->unresolved ? PE_LONG_NAMES_NO_PATH : PE_LONG_NAMES_NONE_NEEDED;
    out->reason[0] = '\0';
}

static void fail(pe_long_names_result *out, pe_long_names_outcome outcome, const char *reason)
{
    out->outcome = outcome;
    snprintf(out->reason, sizeof out->reason, "%s", reason);
}

/* The first header field that tells the two builds apart, as a sentence; "" when none does. The
 * section RVAs matter because the names are copied by position. */
static void build_difference(const pe_image *mapped, const pe_image *file, char *buf, size_t cap)
{
    buf[0] = '\0';
    if (file->machine != mapped->machine)
        snprintf(buf, cap, "not the same build: machine 0x%x in the file, 0x%x in memory", file->machine,
                 mapped->machine);
    else if (file->timestamp != mapped->timestamp)
        snprintf(buf, cap, "not the same build: timestamp 0x%08x in the file, 0x%08x in memory", file->timestamp,
                 mapped->timestamp);
    else if (file->size_of_image != mapped->size_of_image)
        snprintf(buf, cap, "not the same build: SizeOfImage 0x%x in the file, 0x%x in memory", file->size_of_image,
                 mapped->size_of_image);
    else if (file->section_count != mapped->section_count)
        snprintf(buf, cap, "not the same build: %zu sections in the file, %zu in memory", file->section_count,
                 mapped->section_count);
    else
        for (size_t i = 0; i < mapped->section_count; i++)
            if (file->sections[i].virtual_address != mapped->sections[i].virtual_address) {
                snprintf(buf, cap, "not the same build: section %zu at RVA 0x%x in the file, 0x%x in memory", i + 1,
                         file->sections[i].virtual_address, mapped->sections[i].virtual_address);
                break;
            }
}

void pe_long_names_copy(pe_image *mapped, const pe_image *file, pe_long_names_result *out)
{
    begin(mapped, out);
    if (!out->unresolved)
        return;
    char difference[sizeof out->reason];
    build_difference(mapped, file, difference, sizeof difference);
    if (difference[0]) {
        fail(out, PE_LONG_NAMES_NOT_SAME_BUILD, difference);
        return;
    }
    for (size_t i = 0; i < mapped->section_count; i++) {
        pe_section *s = &mapped->sections[i];
        /* The file's parser leaves "/N" where its string table has no name there. */
        if (is_long_name(s) && !is_long_name(&file->sections[i])) {
            memcpy(s->name, file->sections[i].name, sizeof s->name);
            out->resolved++;
            out->unresolved--;
        }
    }
    if (out->unresolved)
        fail(out, PE_LONG_NAMES_NOT_IN_FILE, "the same build, but its COFF string table does not hold every name");
    else
        out->outcome = PE_LONG_NAMES_RESOLVED;
}

pmm_status pe_long_names_resolve(pe_image *mapped, const char *path, pe_long_names_result *out)
{
    begin(mapped, out);
    snprintf(out->file, sizeof out->file, "%s", path ? path : "");
    if (!out->unresolved)
        return PMM_OK;
    if (!out->file[0]) {
        fail(out, PE_LONG_NAMES_NO_PATH, "the source names no file for this image");
        return PMM_OK;
    }
    if (mapped->pointer_size == 4 && mapped->src && mapped->src->target.tool_pointer_size == 8)
        pmm_path_redirect_wow64(out->file);
    pmm_source src;
    pmm_status st = pmm_file_source_open(out->file, &src);
    if (st != PMM_OK) {
        char reason[sizeof out->reason];
        snprintf(reason, sizeof reason, "the file cannot be opened (%s)", pmm_status_text(st));
        fail(out, PE_LONG_NAMES_FILE_NOT_FOUND, reason);
        return PMM_OK;
    }
    pe_image file;
    st = pe_open(&src, 0, PE_LAYOUT_FILE, &file);
    if (st == PMM_OK) {
        pe_long_names_copy(mapped, &file, out);
        pe_close(&file);
    } else if (st != PMM_ERR_NOMEM) {
        char reason[sizeof out->reason];
        snprintf(reason, sizeof reason, "the file is not a PE image we can read (%s)", pmm_status_text(st));
        fail(out, PE_LONG_NAMES_FILE_NOT_PE, reason);
    }
    pmm_source_close(&src);
    return st == PMM_ERR_NOMEM ? st : PMM_OK;
}

/* The module list's path of the entry at base; "" when no entry starts there. */
static pmm_status listed_path(pmm_source *src, uint64_t base, char *path, size_t cap)
{
    pmm_module_info *modules = NULL;
    size_t count = 0;
    pmm_status st = pmm_source_modules(src, &modules, &count);
    if (st == PMM_ERR_NOMEM)
        return st;
    for (size_t i = 0; st == PMM_OK && i < count; i++)
        if (modules[i].base == base && modules[i].path[0]) {
            snprintf(path, cap, "%.*s", (int)sizeof modules[i].path, modules[i].path);
            break;
        }
    free(modules);
    return PMM_OK;
}

pmm_status pe_long_names_file_of(pe_image *mapped, char *path, size_t cap)
{
    if (cap == 0)
        return PMM_ERR_ARG;
    path[0] = '\0';
    char named[1024] = "";
    pmm_status st = listed_path(mapped->src, mapped->base, named, sizeof named);
    if (st != PMM_OK)
        return st;
    if (!named[0] && pmm_source_mapped_file_name(mapped->src, mapped->base, named, sizeof named) != PMM_OK)
        named[0] = '\0';
    /* A live source gives DOS paths already; a dump may keep the NT form of one. */
    pmm_device_path_to_dos_form(named, NULL, 0, path, cap);
    return PMM_OK;
}
