/* Text for the vocabulary users expect: protections like "RW+G", sizes like "1,024 K". */
#ifndef PMM_TEXT_H
#define PMM_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* "R", "RW", "RX", "RWX", "WC", "RWC"->"WCX"... as VMMap writes them, with "+G", "+NC", "+WCM". */
const char *pmm_protect_text(uint32_t protect, char *buf, size_t cap);
/* The same in VMMap's words, for tooltips and properties: "Read/Write", "Execute/Read/Write-Copy",
 * "No access", with "/Guard", "/No cache", "/Write combine"; "" for 0. */
const char *pmm_protect_words(uint32_t protect, char *buf, size_t cap);
const char *pmm_state_text(uint32_t state);    /* "commit", "reserve", "free" */
const char *pmm_type_text(uint32_t type);      /* "image", "mapped", "private", "" */
/* A count with thousands separators, e.g. "32,129,024". */
const char *pmm_count_text(uint64_t count, char *buf, size_t cap);
/* Kibibytes with thousands separators, e.g. "1,024 K". */
const char *pmm_size_text(uint64_t bytes, char *buf, size_t cap);
/* The names of the bits set in flags, joined by commas, in table order (bits with no name are
 * left out). */
typedef struct pmm_flag_name {
    uint32_t bit;
    const char *name;
} pmm_flag_name;
const char *pmm_flags_text(uint32_t flags, const pmm_flag_name *names, size_t count, char *buf, size_t cap);
/* A number as users type it: decimal ("4096", no leading zero: "010" is not read as octal) or
 * hexadecimal ("0x1000"), nothing else around it (no sign, space or suffix), no more than 64
 * bits. 0 on success, -1 otherwise (*out untouched). */
int pmm_parse_u64(const char *text, uint64_t *out);

/* Address with the target's width: 8 or 16 hex digits. */
const char *pmm_address_text(uint64_t addr, uint32_t pointer_size, char *buf, size_t cap);

#endif
