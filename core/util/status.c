#include "status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *pmm_status_text(pmm_status status)
{
    switch (status) {
    case PMM_OK: return "success";
    case PMM_END: return "end of data";
    case PMM_ERR_ARG: return "invalid argument";
    case PMM_ERR_NOMEM: return "out of memory";
    case PMM_ERR_NOT_FOUND: return "not found";
    case PMM_ERR_ACCESS: return "access denied";
    case PMM_ERR_GONE: return "the target process has exited";
    case PMM_ERR_READ: return "target memory could not be read";
    case PMM_ERR_IO: return "input/output error";
    case PMM_ERR_FORMAT: return "corrupt or unrecognised data";
    case PMM_ERR_UNSUPPORTED: return "not supported for this target";
    case PMM_ERR_CANCELLED: return "cancelled";
    case PMM_ERR_LIMIT: return "a safety limit was reached";
    case PMM_ERR_NOT_PROVIDED: return "not provided by this kind of source";
    }
    return "unknown error";
}

pmm_status pmm_fail(char *message, size_t cap, pmm_status status, const char *fmt, ...)
{
    if (message && cap > 0) {
        va_list args;
        va_start(args, fmt);
        vsnprintf(message, cap, fmt, args);
        va_end(args);
    }
    return status;
}

char *pmm_warning_vformat(const char *fmt, va_list args)
{
    char text[512];
    vsnprintf(text, sizeof text, fmt, args);
    size_t len = strlen(text) + 1;
    char *copy = malloc(len);
    if (copy)
        memcpy(copy, text, len);
    return copy;
}
