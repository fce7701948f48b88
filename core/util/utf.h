/* UTF-16LE to UTF-8 conversion for strings read from a target (unpaired surrogates become U+FFFD). */
#ifndef PMM_UTF_H
#define PMM_UTF_H

#include <stddef.h>
#include <stdint.h>

/* Converts count UTF-16LE code units from bytes; always NUL-terminates out when cap > 0.
 * Stops at an embedded NUL. Returns the number of bytes written, without the terminator. */
size_t pmm_utf16le_to_utf8(const uint8_t *bytes, size_t count, char *out, size_t cap);
/* One code point (below 0x110000) as UTF-8 in enc; returns its length, 1 to 4 (not terminated). */
size_t pmm_utf8_encode(uint32_t cp, char enc[4]);

#endif
