/* Windows names, compared and taken apart: file, module and structure names match ignoring ASCII
 * case (as Windows matches them; other bytes must be equal), and a path's base name follows its
 * last '\' or '/'. */
#ifndef PMM_NAMES_H
#define PMM_NAMES_H

#include <stddef.h>

/* 1 when a and b are equal ignoring ASCII case. */
int pmm_names_equal(const char *a, const char *b);
/* The same for the first n bytes of each (both must have at least n). */
int pmm_names_equal_n(const char *a, const char *b, size_t n);
/* The part of path after its last '\' or '/' (path itself when it has neither; NULL for NULL). */
const char *pmm_path_base_name(const char *path);

/* A 32-bit image named under ...\system32\ is loaded from ...\SysWOW64\ (the file system
 * redirector shows 32-bit code the one as the other); a 64-bit tool opening the named path would
 * get the 64-bit file. Rewrites the first "\system32\" of path in place (same length); 1 when it did. */
int pmm_path_redirect_wow64(char *path);

#endif
