/* The Dump Memory dialog: which format (the formats of `pmm dump`: regions DIR, single, sparse and
 * full FILE, our minidump writer, or dbghelp's MiniDumpWriteDump with MINIDUMP_TYPE flags), where
 * to, and whether to save the selected rows' regions or every committed readable region. */
#ifndef PMM_GUI_DUMP_DIALOG_H
#define PMM_GUI_DUMP_DIALOG_H

#include <windows.h>
#include <stddef.h>
#include <stdio.h>

typedef enum dump_format {
    DUMP_FORMAT_REGIONS,
    DUMP_FORMAT_SINGLE,
    DUMP_FORMAT_SPARSE,
    DUMP_FORMAT_FULL,
    DUMP_FORMAT_MINIDUMP,
    DUMP_FORMAT_DBGHELP,
    DUMP_FORMAT_COUNT
} dump_format;

typedef struct dump_request {
    dump_format format;
    char path[1024];             /* UTF-8: a folder for DUMP_FORMAT_REGIONS, else a file */
    char dbghelp_flags[256];     /* DUMP_FORMAT_DBGHELP: MINIDUMP_TYPE as pmm dump --dbghelp takes it */
    int selection_only;          /* the selected rows' regions, not every committed readable region */
    int page_reads;              /* one page per read call (--read pages) */
    int attach_debug;            /* attach as a debugger during the dump (--attach debug) */
} dump_request;

typedef struct dump_dialog_facts {
    size_t selected_regions;     /* regions under the selected rows that a dump would save */
    int live;                    /* a live process: dbghelp can write its dump */
    const char *default_name;    /* UTF-8 file name to suggest, without extension */
    const char *folder;          /* UTF-8 folder to suggest it in (the last one used); NULL or "":
                                    the current directory */
} dump_dialog_facts;

/* The name the formats have in `pmm dump --format` ("regions", ..., "minidump", "dbghelp"). */
const char *dump_format_name(dump_format format);
/* Parses such a name; 0 when unknown. */
int dump_format_parse(const char *text, dump_format *out);

/* The folder a request's dump goes to (for a regions dump, the folder that holds its folder), as a
 * full path, to be suggested next time. 0 when it cannot be told. */
int dump_request_folder(const dump_request *req, char *folder, size_t cap);

/* Modal. req holds the initial choice (format, selection_only) and receives the user's. 1 on OK. */
int dump_dialog_run(HWND owner, const dump_dialog_facts *facts, dump_request *req);
/* The same dialog, modeless and inert, for screenshots; the caller destroys it. */
HWND dump_dialog_open_preview(HWND owner, const dump_dialog_facts *facts, const dump_request *req);
/* Its format and path as "Format<TAB>name" and "Save to<TAB>path" (--dump-view). */
int dump_dialog_write_text(HWND dialog, FILE *f);

#endif
