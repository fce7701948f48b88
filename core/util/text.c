#include "text.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "memory_constants.h"

static const char *base_protect_text(uint32_t base)
{
    switch (base) {
    case PMM_PAGE_NOACCESS: return "NA";
    case PMM_PAGE_READONLY: return "R";
    case PMM_PAGE_READWRITE: return "RW";
    case PMM_PAGE_WRITECOPY: return "WC";
    case PMM_PAGE_EXECUTE: return "X";
    case PMM_PAGE_EXECUTE_READ: return "RX";
    case PMM_PAGE_EXECUTE_READWRITE: return "RWX";
    case PMM_PAGE_EXECUTE_WRITECOPY: return "WCX";
    case 0: return "";
    }
    return NULL;
}

const char *pmm_protect_text(uint32_t protect, char *buf, size_t cap)
{
    const char *base = base_protect_text(protect & 0xFF);
    if (!base) {
        snprintf(buf, cap, "0x%" PRIx32, protect);
        return buf;
    }
    snprintf(buf, cap, "%s%s%s%s", base, (protect & PMM_PAGE_GUARD) ? "+G" : "",
             (protect & PMM_PAGE_NOCACHE) ? "+NC" : "", (protect & PMM_PAGE_WRITECOMBINE) ? "+WCM" : "");
    return buf;
}

static const char *base_protect_words(uint32_t base)
{
    switch (base) {
    case PMM_PAGE_NOACCESS: return "No access";
    case PMM_PAGE_READONLY: return "Read";
    case PMM_PAGE_READWRITE: return "Read/Write";
    case PMM_PAGE_WRITECOPY: return "Read/Write-Copy";
    case PMM_PAGE_EXECUTE: return "Execute";
    case PMM_PAGE_EXECUTE_READ: return "Execute/Read";
    case PMM_PAGE_EXECUTE_READWRITE: return "Execute/Read/Write";
    case PMM_PAGE_EXECUTE_WRITECOPY: return "Execute/Read/Write-Copy";
    case 0: return "";
    }
    return NULL;
}

const char *pmm_protect_words(uint32_t protect, char *buf, size_t cap)
{
    const char *base = base_protect_words(protect & 0xFF);
    if (!base) {
        snprintf(buf, cap, "0x%" PRIx32, protect);
        return buf;
    }
    snprintf(buf, cap, "%s%s%s%s", base, (protect & PMM_PAGE_GUARD) ? "/Guard" : "",
             (protect & PMM_PAGE_NOCACHE) ? "/No cache" : "", (protect & PMM_PAGE_WRITECOMBINE) ? "/Write combine" : "");
    return buf;
}

const char *pmm_state_text(uint32_t state)
{
    switch (state) {
    case PMM_MEM_COMMIT: return "commit";
    case PMM_MEM_RESERVE: return "reserve";
    case PMM_MEM_FREE: return "free";
    }
    return "?";
}

const char *pmm_type_text(uint32_t type)
{
    switch (type) {
    case PMM_MEM_IMAGE: return "image";
    case PMM_MEM_MAPPED: return "mapped";
    case PMM_MEM_PRIVATE: return "private";
    }
    return "";
}

const char *pmm_count_text(uint64_t count, char *buf, size_t cap)
{
    char digits[32], grouped[48];
    int n = snprintf(digits, sizeof digits, "%" PRIu64, count);
    size_t g = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            grouped[g++] = ',';
        grouped[g++] = digits[i];
    }
    grouped[g] = '\0';
    snprintf(buf, cap, "%s", grouped);
    return buf;
}

const char *pmm_size_text(uint64_t bytes, char *buf, size_t cap)
{
    char grouped[48];
    snprintf(buf, cap, "%s K", pmm_count_text((bytes + 1023) / 1024, grouped, sizeof grouped));
    return buf;
}

const char *pmm_address_text(uint64_t addr, uint32_t pointer_size, char *buf, size_t cap)
{
    if (pointer_size == 4)
        snprintf(buf, cap, "%08" PRIX64, addr);
    else
        snprintf(buf, cap, "%016" PRIX64, addr);
    return buf;
}

const char *pmm_flags_text(uint32_t flags, const pmm_flag_name *names, size_t count, char *buf, size_t cap)
{
    size_t used = 0;
    if (cap == 0)
        return buf;
    buf[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        if (!(flags & names[i].bit))
            continue;
        int n = snprintf(buf + used, cap - used, "%s%s", used ? "," : "", names[i].name);
        if (n < 0 || (size_t)n >= cap - used)
            break;
        used += (size_t)n;
    }
    return buf;
}

static int digit_value(char c, unsigned base)
{
    unsigned v = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                 : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                 : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 99u;
    return v < base ? (int)v : -1;
}

int pmm_parse_u64(const char *text, uint64_t *out)
{
    if (!text || !*text)
        return -1;
    unsigned base = 10;
    if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        text += 2;
    } else if (text[0] == '0' && text[1]) {
        return -1;   /* "010": octal to C, ten to a person; neither is guessed */
    }
    if (!*text)
        return -1;
    uint64_t value = 0;
    for (; *text; text++) {
        int d = digit_value(*text, base);
        if (d < 0 || value > (UINT64_MAX - (uint64_t)d) / base)
            return -1;
        value = value * base + (uint64_t)d;
    }
    *out = value;
    return 0;
}
