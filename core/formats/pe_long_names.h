/* Long section names of a mapped image. MinGW names sections longer than 8 characters "/4",
 * "/19": offsets into the COFF string table, which only the file has (the loader never maps it).
 * The image's file on disk gives the real names (".debug_info") when it is the same build as the
 * mapped image: same machine, timestamp, SizeOfImage, section count and section RVAs. Otherwise
 * every "/N" stays and the result says why; a name is never guessed. The map's annotations and
 * `pmm pe PID:ADDRESS` both go through here. */
#ifndef PMM_PE_LONG_NAMES_H
#define PMM_PE_LONG_NAMES_H

#include <stddef.h>
#include "pe.h"

typedef enum pe_long_names_outcome {
    PE_LONG_NAMES_NONE_NEEDED = 0,  /* the mapped section table has no "/N" name */
    PE_LONG_NAMES_RESOLVED,         /* every "/N" now holds the file's name */
    PE_LONG_NAMES_NO_PATH,          /* nothing names the image's file */
    PE_LONG_NAMES_FILE_NOT_FOUND,   /* the file cannot be opened */
    PE_LONG_NAMES_FILE_NOT_PE,      /* the file has no PE headers we can read */
    PE_LONG_NAMES_NOT_SAME_BUILD,   /* the file's headers differ from the mapped ones */
    PE_LONG_NAMES_NOT_IN_FILE       /* the same build, but its string table lacks some of the names */
} pe_long_names_outcome;

typedef struct pe_long_names_result {
    pe_long_names_outcome outcome;
    unsigned resolved;              /* "/N" names replaced by the file's */
    unsigned unresolved;            /* "/N" names left as they are */
    char file[1024];                /* the file read or tried, UTF-8; "" when none */
    char reason[160];               /* why names stay "/N", without the path; "" when none do */
} pe_long_names_result;

/* Copies the file's names (file opened in PE_LAYOUT_FILE) over the "/N" names of mapped when both
 * are the same build; out->file is left as it is. */
void pe_long_names_copy(pe_image *mapped, const pe_image *file, pe_long_names_result *out);

/* Opens the file at path and copies its names as pe_long_names_copy does. A 32-bit image named
 * under system32 is looked for under SysWOW64 when the tool is 64-bit (the redirector would give a
 * 32-bit process that file); out->file says which file was tried. Returns PMM_ERR_NOMEM when
 * memory ran out, else PMM_OK with the outcome in out. path NULL or "": PE_LONG_NAMES_NO_PATH. */
pmm_status pe_long_names_resolve(pe_image *mapped, const char *path, pe_long_names_result *out);

/* The file of the image at mapped->base as its source names it: the path of the module list entry
 * whose base is that address, else the source's mapped file name, with an NT "\??\" prefix
 * removed. "" when the source names none. Returns PMM_ERR_NOMEM when memory ran out. */
pmm_status pe_long_names_file_of(pe_image *mapped, char *path, size_t cap);

/* "none_needed", "resolved", "no_path", "file_not_found", "file_not_pe", "not_same_build",
 * "not_in_file": the outcome as the JSON writes it. */
const char *pe_long_names_outcome_name(pe_long_names_outcome outcome);

#endif
