/* Error values returned by every core function that can fail. */
#ifndef PMM_STATUS_H
#define PMM_STATUS_H

#include <stdarg.h>
#include <stddef.h>
#include "printf_format.h"

typedef enum pmm_status {
    PMM_OK = 0,
    PMM_END,              /* no more items: past the last region, end of a list */
    PMM_ERR_ARG,          /* the caller passed something unusable */
    PMM_ERR_NOMEM,
    PMM_ERR_NOT_FOUND,    /* no such process, file or object */
    PMM_ERR_ACCESS,       /* the OS refused the access we asked for */
    PMM_ERR_GONE,         /* the target process exited */
    PMM_ERR_READ,         /* target memory could not be read */
    PMM_ERR_IO,           /* a file could not be read or written */
    PMM_ERR_FORMAT,       /* input data is corrupt or not what it claims to be */
    PMM_ERR_UNSUPPORTED,  /* the source or platform cannot do this */
    PMM_ERR_CANCELLED,
    PMM_ERR_LIMIT,        /* a safety cap (count, size, iterations) was reached */
    PMM_ERR_NOT_PROVIDED  /* this kind of source has no such op at all (a minidump lists no OS heaps) */
} pmm_status;

const char *pmm_status_text(pmm_status status);

/* Writes a printf-style explanation to message (when there is one) and returns status: how the
 * parsers say why they failed. */
pmm_status pmm_fail(char *message, size_t cap, pmm_status status, const char *fmt, ...) PMM_PRINTF_FORMAT(4, 5);
/* A printf-style warning in a malloc'd string (cut at 511 bytes); NULL when out of memory. */
char *pmm_warning_vformat(const char *fmt, va_list args) PMM_PRINTF_FORMAT(1, 0);

#endif
