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
    char url[MAX_URL];           /* what was asked for, for the messages */
    char *why;                   /* why it failed */
    size_t why_cap;
} http_get;

/* The errors a download meets most, for a winhttp.dll without message texts (Wine's). */
static const char *common_error_text(DWORD error)
{
    switch (error) {
    case ERROR_WINHTTP_TIMEOUT: return "the server did not answer in time";
    case ERROR_WINHTTP_NAME_NOT_RESOLVED: return "the server's name could not be resolved";
    case ERROR_WINHTTP_CANNOT_CONNECT: return "no connection to the server could be made";
    case ERROR_WINHTTP_CONNECTION_ERROR: return "the connection was reset";
    case ERROR_WINHTTP_SECURE_FAILURE: return "the server's certificate was not accepted";
    default: return NULL;
    }
}

/* WinHTTP's errors (12001-12186) have their text in winhttp.dll, not in the system's table. */
static int failed(http_get *h, const char *what)
{
    DWORD error = GetLastError();
    char text[200] = "";
    FormatMessageA(FORMAT_MESSAGE_FROM_HMODULE | FORMAT_MESSAGE_IGNORE_INSERTS, GetModuleHandleA("winhttp.dll"), error,
                   0, text, sizeof text, NULL);
    size_t n = strlen(text);
    while (n && (text[n - 1] == '\r' || text[n - 1] == '\n' || text[n - 1] == '.'))
        text[--n] = '\0';
    if (!n && common_error_text(error))
        snprintf(text, sizeof text, "%s (WinHTTP error %lu)", common_error_text(error), (unsigned long)error);
    else if (!n)
        snprintf(text, sizeof text, "WinHTTP error %lu", (unsigned long)error);
    snprintf(h->why, h->why_cap, "%s %s failed: %s", what, h->url, text);
    return 0;
}

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
    wchar_t url[MAX_URL], host[256], path[MAX_URL];
    size_t n = strlen(server);
    while (n && server[n - 1] == '/')
        n--;
    if (snprintf(h->url, sizeof h->url, "%.*s/%s", (int)n, server, relative) >= (int)sizeof h->url ||
        !pmm_utf8_to_wide(h->url, url, MAX_URL)) {
        snprintf(h->why, h->why_cap, "the symbol server's URL is too long");
        return 0;
    }
    URL_COMPONENTS parts;
    memset(&parts, 0, sizeof parts);
    parts.dwStructSize = sizeof parts;
    parts.lpszHostName = host;
    parts.dwHostNameLength = sizeof host / sizeof host[0];
    parts.lpszUrlPath = path;
    parts.dwUrlPathLength = sizeof path / sizeof path[0];
    if (!WinHttpCrackUrl(url, 0, 0, &parts))
        return failed(h, "reading the URL");
    h->session = WinHttpOpen(L"ProcessMemoryMap", WINHTTP_ACCESS_TYPE_DEFAULT_PROXY, WINHTTP_NO_PROXY_NAME,
                             WINHTTP_NO_PROXY_BYPASS, 0);
    if (!h->session || !WinHttpSetTimeouts(h->session, TIMEOUT_MS, TIMEOUT_MS, TIMEOUT_MS, TIMEOUT_MS))
        return failed(h, "opening WinHTTP for");
    h->connection = WinHttpConnect(h->session, host, parts.nPort, 0);
    if (!h->connection)
        return failed(h, "connecting for");
    DWORD flags = parts.nScheme == INTERNET_SCHEME_HTTPS ? WINHTTP_FLAG_SECURE : 0;
    h->request = WinHttpOpenRequest(h->connection, L"GET", path, NULL, WINHTTP_NO_REFERER,
                                    WINHTTP_DEFAULT_ACCEPT_TYPES, flags);
    if (!h->request ||
        !WinHttpSendRequest(h->request, WINHTTP_NO_ADDITIONAL_HEADERS, 0, WINHTTP_NO_REQUEST_DATA, 0, 0, 0) ||
        !WinHttpReceiveResponse(h->request, NULL))
        return failed(h, "GET");
    DWORD status = 0, size = sizeof status;
    if (!WinHttpQueryHeaders(h->request, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER,
                             WINHTTP_HEADER_NAME_BY_INDEX, &status, &size, WINHTTP_NO_HEADER_INDEX))
        return failed(h, "reading the answer to");
    if (status != 200) {
        snprintf(h->why, h->why_cap, "%s: the server answered %lu", h->url, (unsigned long)status);
        return 0;
    }
    h->length = content_length(h->request);
    return 1;
}

/* The response body into t; nonzero when all of it (as much as Content-Length said) was written. */
static int receive_body(http_get *h, pmm_temp_file *t)
{
    static char buf[65536];
    uint64_t total = 0;
    for (;;) {
        DWORD got = 0;
        if (!WinHttpReadData(h->request, buf, sizeof buf, &got))
            return failed(h, "receiving");
        if (got == 0 && h->length != UINT64_MAX && total != h->length) {
            snprintf(h->why, h->why_cap, "%s: the connection ended after %llu of %llu bytes", h->url,
                     (unsigned long long)total, (unsigned long long)h->length);
            return 0;
        }
        if (got == 0)
            return 1;
        if (fwrite(buf, 1, got, t->file) != got) {
            pmm_temp_file_write_failed(t);
            snprintf(h->why, h->why_cap, "%s", pmm_temp_file_error(t));
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

int pmm_win32_symbol_download(const char *server, const char *relative, const char *destination, char *why,
                              size_t why_cap)
{
    http_get h;
    memset(&h, 0, sizeof h);
    h.why = why;
    h.why_cap = why_cap;
    int ok = http_send(&h, server, relative);
    if (ok) {
        create_parent_folders(destination);
        pmm_temp_file t;
        ok = pmm_temp_file_create(&t, destination, why, why_cap) == PMM_OK && receive_body(&h, &t);
        if (ok && pmm_temp_file_commit(&t) != PMM_OK) {
            snprintf(why, why_cap, "%s", t.error);
            ok = 0;
        }
        pmm_temp_file_discard(&t);
    }
    http_close(&h);
    return ok;
}
