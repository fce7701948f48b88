/* The normalisation under which our instruction text is compared with objdump's: whitespace runs
 * collapsed to one space, no trailing space, " <symbol>" suffixes dropped (objdump names addresses
 * from the file's symbols, we from the target's exports). */
#ifndef PMM_TESTS_X86_TEXT_H
#define PMM_TESTS_X86_TEXT_H

#include <ctype.h>
#include <stddef.h>
#include <string.h>

static inline void x86_text_normalise(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    int space = 0;
    for (const char *p = in; *p && n + 1 < cap; p++) {
        if (*p == '<') {   /* symbol suffix: up to the matching '>' */
            const char *e = strchr(p, '>');
            if (e) {
                p = e;
                continue;
            }
        }
        if (isspace((unsigned char)*p)) {
            space = 1;
            continue;
        }
        if (space && n)
            out[n++] = ' ';
        space = 0;
        out[n++] = *p;
    }
    while (n && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
}

#endif
