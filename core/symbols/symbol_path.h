/* Where a PDB may be, in the order debuggers look: the path the image's CodeView record names,
 * the image's own folder, then each element of a symbol path ("_NT_SYMBOL_PATH" syntax):
 *   C:\syms                      a folder: C:\syms\app.pdb, then the store layout below
 *   srv*C:\cache*https://server  symbol stores: C:\cache\app.pdb\<GUID><AGE>\app.pdb (and the
 *                                two-tier C:\cache\ap\app.pdb\...); a PDB in none of them is
 *                                fetched from the server into the first one when a downloader is
 *                                set (pmm_symbol_path_set_downloader), else the server is not asked
 *   cache*C:\cache               a store, like the local part of srv*
 * Elements are separated by ';'. Nothing here touches the disk: candidates go to a callback, and
 * downloads to the downloader. */
#ifndef PMM_SYMBOL_PATH_H
#define PMM_SYMBOL_PATH_H

#include <stddef.h>
#include <stdint.h>

typedef struct pmm_pdb_wanted {
    const char *cv_path;         /* the PDB path in the image's CodeView record */
    const char *image_path;      /* the image file, for its folder; may be NULL */
    uint8_t guid[16];            /* as stored in the RSDS record */
    uint32_t age;
} pmm_pdb_wanted;

/* Calls fn with each candidate path until it returns nonzero; returns that value (0 when none
 * stopped the walk). why (why_cap bytes, may be NULL) gets why the last download failed, "" when
 * none did. */
int pmm_symbol_path_walk(const char *symbol_path, const pmm_pdb_wanted *want,
                         int (*fn)(void *ctx, const char *candidate), void *ctx, char *why, size_t why_cap);
/* Fetches SERVER/RELATIVE (RELATIVE separated by '/') into the file DESTINATION, creating its
 * folders; returns nonzero when DESTINATION then holds the whole file, else says why in why. */
typedef int (*pmm_symbol_download_fn)(const char *server, const char *relative, const char *destination, char *why,
                                      size_t why_cap);
/* Set once at start by a program that can download (Windows: pmm_win32_symbol_download, WinHTTP);
 * unset, symbol servers are never contacted. */
void pmm_symbol_path_set_downloader(pmm_symbol_download_fn fn);

/* "3F2504E04F8911D39A0C0305E82C33011": the GUID and age as a symbol store folder name. */
void pmm_symbol_store_key(const uint8_t guid[16], uint32_t age, char *out, size_t cap);

#endif
