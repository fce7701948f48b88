/* Fetching a PDB from a symbol server with WinHTTP. Only asked for when the symbol path names a
 * server and no local store has the PDB (core/symbols/symbol_path.c); the file goes through the
 * temporary-file writer, so an interrupted download never leaves a half PDB in the store. */
#include "symbol_download.h"

#include <windows.h>
#include <winhttp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "win32_util.h"
#include "../util/file_platform.h"
#include "../util/temp_file.h"

#define TIMEOUT_MS 15000
#define MAX_URL 2048

typedef struct http_get {
    HINTERNET session, connection, request;
    uint64_t length;             /* Content-Length; UINT64_MAX when the server gave none */
} http_get;

static void http_close(http_get *h)
{
    if (h->request)
        WinHttpCloseHandle(h->request);
    if (h->connection)
        WinHttpCloseHandle(h->connection);
    if (h->session)
        WinHttpCloseHandle(h->session);
}

static uint64_t content_length(HINTERNET request)
{
    wchar_t text[32];
    DWORD size = sizeof text;
    if (!WinHttpQueryHeaders(request, WINHTTP_QUERY_CONTENT_LENGTH, WINHTTP_HEADER_NAME_BY_INDEX, text, &size,
                             WINHTTP_NO_HEADER_INDEX))
        return UINT64_MAX;
    return _wcstoui64(text, NULL, 10);
}

/* Sends GET server/relative; nonzero when the server answered 200. */
static int http_send(http_get *h, const char *server, const char *relative)
{
    char text[MAX_URL];
    wchar_t url[MAX_URL], host[256], path[MAX_URL];
    size_t n = strlen(server);
    while (n && server[n - 1] == '/')
        n--;
    if (snprintf(text, sizeof text, "%.*s/%s", (int)n, server, relative) >= (int)sizeof text ||
        !pmm_utf8_to_wide(text, url, MAX_URL))
        return 0;
    URL_COMPONENTS parts;
    memset(&parts, 0, sizeof parts);
    parts.dwStructSize = sizeof parts;
    parts.lpszHostName = host;
    parts.dwHostNameLength = sizeof host / sizeof host[0];
    parts.lpszUrlPath = path;
    parts.dwUrlPathLength = sizeof path / sizeof path[0];
    if (!WinHttpCrackUrl(url, 0, 0, &parts))
        return 0;
    h->session = WinHttpOpen(L"ProcessMemoryMap", WINHTTP_ACCESS_TYPE_DEFAULT_PROXY, WINHTTP_NO_PROXY_NAME,
                             WINHTTP_NO_PROXY_BYPASS, 0);
    if (!h->session || !WinHttpSetTimeouts(h->session, TIMEOUT_MS, TIMEOUT_MS, TIMEOUT_MS, TIMEOUT_MS))
        return 0;
    h->connection = WinHttpConnect(h->session, host, parts.nPort, 0);
    if (!h->connection)
        return 0;
    DWORD flags = parts.nScheme == INTERNET_SCHEME_HTTPS ? WINHTTP_FLAG_SECURE : 0;
    h->request = WinHttpOpenRequest(h->connection, L"GET", path, NULL, WINHTTP_NO_REFERER,
                                    WINHTTP_DEFAULT_ACCEPT_TYPES, flags);
    if (!h->request ||
        !WinHttpSendRequest(h->request, WINHTTP_NO_ADDITIONAL_HEADERS, 0, WINHTTP_NO_REQUEST_DATA, 0, 0, 0) ||
        !WinHttpReceiveResponse(h->request, NULL))
        return 0;
    DWORD status = 0, size = sizeof status;
    if (!WinHttpQueryHeaders(h->request, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER,
                             WINHTTP_HEADER_NAME_BY_INDEX, &status, &size, WINHTTP_NO_HEADER_INDEX))
        return 0;
    h->length = content_length(h->request);
    return status == 200;
}

/* The response body into t; nonzero when all of it (as much as Content-Length said) was written. */
static int receive_body(const http_get *h, pmm_temp_file *t)
{
    static char buf[65536];
    uint64_t total = 0;
    for (;;) {
        DWORD got = 0;
        if (!WinHttpReadData(h->request, buf, sizeof buf, &got))
            return 0;
        if (got == 0)
            return h->length == UINT64_MAX || total == h->length;
        if (fwrite(buf, 1, got, t->file) != got) {
            pmm_temp_file_write_failed(t);
            return 0;
        }
        total += got;
    }
}

/* Every folder above path (path's last name is the file's). */
static void create_parent_folders(const char *path)
{
    char dir[MAX_URL];
    snprintf(dir, sizeof dir, "%s", path);
    for (char *p = dir + 1; *p; p++)
        if (*p == '\\' || *p == '/') {
            char separator = *p;
            *p = '\0';
            pmm_folder_create(dir);   /* one that exists already is fine */
            *p = separator;
        }
}

int pmm_win32_symbol_download(const char *server, const char *relative, const char *destination)
{
    http_get h;
    memset(&h, 0, sizeof h);
    int ok = http_send(&h, server, relative);
    if (ok) {
        create_parent_folders(destination);
        pmm_temp_file t;
        char message[600];
        ok = pmm_temp_file_create(&t, destination, message, sizeof message) == PMM_OK && receive_body(&h, &t) &&
             pmm_temp_file_commit(&t) == PMM_OK;
        pmm_temp_file_discard(&t);
    }
    http_close(&h);
    return ok;
}
