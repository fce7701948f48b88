/* Disassembly listing over a source (a live process, a minidump, a file read as a source): the
 * instructions from an address, for a count or up to an end, read through the source chunk by
 * chunk. Bytes the source cannot read are reported as unreadable ranges, never decoded or guessed;
 * an instruction cut short by unreadable memory is reported as truncated. Branch targets and
 * rip-relative addresses are named through the resolver when one is given. Output as text, or JSON
 * ("pmm-disasm", version 1). */
#ifndef PMM_DISASM_LIST_H
#define PMM_DISASM_LIST_H

#include <stddef.h>
#include <stdint.h>
#include "../formats/x86_decode.h"
#include "../source/source.h"
#include "../symbols/symbols.h"
#include "../util/json_writer.h"

#define PMM_DISASM_JSON_VERSION 1
#define PMM_DISASM_MAX_COUNT 1000000u   /* instructions listed at most by one request */

typedef struct pmm_disasm_line {
    uint64_t address;
    uint64_t length;         /* bytes this line covers (an unreadable range can be long) */
    int readable;            /* 0: [address, address + length) could not be read */
    uint8_t bytes[X86_MAX_LENGTH];
    x86_insn insn;           /* readable lines */
} pmm_disasm_line;

/* Return non-zero to stop the listing (it then ends with PMM_OK). */
typedef int (*pmm_disasm_fn)(void *ctx, const pmm_disasm_line *line);

typedef struct pmm_disasm_request {
    uint64_t start;
    uint64_t end;            /* exclusive; 0: up to max_count instructions */
    size_t max_count;        /* instructions; 0: PMM_DISASM_MAX_COUNT */
    int bits;                /* 32 or 64 */
} pmm_disasm_request;

typedef struct pmm_disasm_summary {
    uint64_t instructions, invalid, unreadable_bytes;
    int hit_limit;           /* max_count or PMM_DISASM_MAX_COUNT stopped it */
} pmm_disasm_summary;

/* Lists the request's instructions, calling fn for each line. PMM_ERR_ARG for a bad request. */
pmm_status pmm_disasm_source(pmm_source *src, const pmm_disasm_request *req, pmm_disasm_fn fn, void *ctx,
                             pmm_disasm_summary *summary);

/* One line of text: "00007ff6a0b41000  48 8b 05 f9 0f 00 00   mov    rax,QWORD PTR [rip+0xff9]  # ..."
 * or "00007ff6a0b42000  ?? (0x1000 bytes unreadable)". syms may be NULL. */
size_t pmm_disasm_format_line(const pmm_disasm_line *line, const pmm_symbols *syms, char *buf, size_t cap);

/* A symbolizer for x86_format over a resolver (ctx: const pmm_symbols *). */
int pmm_disasm_symbolize(void *ctx, uint64_t addr, char *buf, size_t cap);

/* The members of one line's JSON object, into an object the caller opened. */
void pmm_disasm_write_json_line(const pmm_disasm_line *line, const pmm_symbols *syms, pmm_json *json);

#endif
