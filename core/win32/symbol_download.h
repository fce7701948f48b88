/* The Windows downloader for symbol path elements that name a server (srv*CACHE*https://...):
 * set with pmm_symbol_path_set_downloader by the programs at start. */
#ifndef PMM_SYMBOL_DOWNLOAD_H
#define PMM_SYMBOL_DOWNLOAD_H

#include <stddef.h>

/* GETs SERVER/RELATIVE over HTTP or HTTPS (WinHTTP, the system's proxy settings) and, when the
 * server answers 200 with the whole body, writes it to DESTINATION (its folders created) through
 * the all-or-nothing writer; nonzero on success. A 404, a cut connection or a full disk leave
 * nothing at DESTINATION, and why says which ("URL: the server answered 404"). */
int pmm_win32_symbol_download(const char *server, const char *relative, const char *destination, char *why,
                              size_t why_cap);

#endif
