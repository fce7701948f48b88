/* Disassembly listing over a source: a window of bytes read through the source, refilled as the
 * decoder moves on; unreadable bytes end the window and are reported as a range up to the next
 * page (or the end asked for). */
#include "disasm_list.h"

#include <stdio.h>
#include <string.h>
#include "../formats/x86_format.h"
#include "../util/memory_constants.h"

#define WINDOW 4096u

typedef struct lister {
    pmm_source *src;
    const pmm_disasm_request *req;
    pmm_disasm_fn fn;
    void *ctx;
    pmm_disasm_summary *summary;
    uint8_t buf[WINDOW + X86_MAX_LENGTH];
    uint64_t buf_start;
    size_t buf_len;
    int buf_ends_unreadable;   /* the byte after the window could not be read */
} lister;

static uint64_t limit_of(const pmm_disasm_request *req)
{
    return req->end ? req->end : UINT64_MAX;
}

/* Fills the window from addr; returns the bytes available (0: addr itself is unreadable). */
static size_t fill(lister *l, uint64_t addr)
{
    uint64_t limit = limit_of(l->req);
    size_t want = sizeof l->buf;
    if (limit - addr < want)
        want = (size_t)(limit - addr);
    size_t got = pmm_source_read(l->src, addr, l->buf, want);
    l->buf_start = addr;
    l->buf_len = got;
    l->buf_ends_unreadable = got < want;
    return got;
}

/* Where the unreadable bytes at addr end: the end of the region the source reports there (a free or
 * reserved range, a guard page), else the next page. */
static uint64_t unreadable_end(lister *l, uint64_t addr)
{
    uint64_t limit = limit_of(l->req);
    uint64_t next = (addr | (PMM_PAGE_SIZE - 1)) + 1;
    pmm_region_info r;
    if (pmm_source_query(l->src, addr, &r) == PMM_OK && r.base <= addr && r.size && r.base + r.size > next &&
        (r.state != PMM_MEM_COMMIT || (r.protect & (PMM_PAGE_NOACCESS | PMM_PAGE_GUARD))))
        next = r.base + r.size;
    if (next == 0 || next > limit)
        next = limit;
    return next;
}

static int emit_unreadable(lister *l, uint64_t addr, uint64_t next)
{
    pmm_disasm_line line;
    memset(&line, 0, sizeof line);
    line.address = addr;
    line.length = next - addr;
    l->summary->unreadable_bytes += line.length;
    return l->fn(l->ctx, &line);
}

pmm_status pmm_disasm_source(pmm_source *src, const pmm_disasm_request *req, pmm_disasm_fn fn, void *ctx,
                             pmm_disasm_summary *summary)
{
    lister local;      /* about 4 KiB: the window */
    lister *lp = &local;
    memset(summary, 0, sizeof *summary);
    if (!src || !req || !fn || (req->bits != 32 && req->bits != 64) || (req->end && req->end <= req->start))
        return PMM_ERR_ARG;
    size_t max_count = req->max_count && req->max_count < PMM_DISASM_MAX_COUNT ? req->max_count : PMM_DISASM_MAX_COUNT;
    memset(lp, 0, offsetof(lister, buf));
    lp->src = src;
    lp->req = req;
    lp->fn = fn;
    lp->ctx = ctx;
    lp->summary = summary;
    uint64_t addr = req->start, limit = limit_of(req);
    size_t avail = fill(lp, addr);
    while (addr < limit) {
        if (summary->instructions >= max_count) {
            summary->hit_limit = 1;
            break;
        }
        size_t off = (size_t)(addr - lp->buf_start);
        /* refill when fewer than a whole instruction's bytes remain and more could be read */
        if (avail - off < X86_MAX_LENGTH && !lp->buf_ends_unreadable && lp->buf_start + lp->buf_len < limit) {
            avail = fill(lp, addr);
            off = 0;
        }
        if (off >= avail) {
            /* without an end, a listing stops at the first unreadable range */
            uint64_t next = unreadable_end(lp, addr);
            if (emit_unreadable(lp, addr, next) || !req->end || next >= limit)
                break;
            addr = next;
            avail = fill(lp, addr);
            continue;
        }
        pmm_disasm_line line;
        line.address = addr;
        line.readable = 1;
        size_t len = x86_decode(lp->buf + off, avail - off, addr, req->bits, &line.insn);
        line.length = len;
        memcpy(line.bytes, lp->buf + off, len);
        summary->instructions++;
        if (line.insn.mnemonic == X86_MN_BAD)
            summary->invalid++;
        if (fn(ctx, &line))
            break;
        addr += len;
    }
    return PMM_OK;
}

int pmm_disasm_symbolize(void *ctx, uint64_t addr, char *buf, size_t cap)
{
    const pmm_symbols *syms = ctx;
    return syms && pmm_symbols_describe(syms, addr, buf, cap);
}

size_t pmm_disasm_format_line(const pmm_disasm_line *line, const pmm_symbols *syms, char *buf, size_t cap)
{
    char hex[3 * X86_MAX_LENGTH + 1] = "";
    char text[X86_FORMAT_CAP];
    if (!line->readable)
        return (size_t)snprintf(buf, cap, "%016llx  ?? (0x%llx bytes unreadable)", (unsigned long long)line->address,
                                (unsigned long long)line->length);
    for (size_t i = 0; i < line->length && i < X86_MAX_LENGTH; i++)
        snprintf(hex + 3 * i, sizeof hex - 3 * i, "%02x ", line->bytes[i]);
    x86_format(&line->insn, text, sizeof text, syms ? pmm_disasm_symbolize : NULL, (void *)syms);
    return (size_t)snprintf(buf, cap, "%016llx  %-45s %s", (unsigned long long)line->address, hex, text);
}

static const char *branch_name(unsigned branch)
{
    static const char *const names[] = { "", "jmp", "jcc", "call", "ret", "jmp_far", "call_far", "ret_far", "int",
                                         "sysret" };
    return branch < sizeof names / sizeof names[0] ? names[branch] : "";
}

void pmm_disasm_write_json_line(const pmm_disasm_line *line, const pmm_symbols *syms, pmm_json *json)
{
    pmm_json_kv_address(json, "address", line->address);
    pmm_json_kv_uint(json, "length", line->length);
    if (!line->readable) {
        pmm_json_kv_bool(json, "readable", 0);
        return;
    }
    char hex[2 * X86_MAX_LENGTH + 1] = "";
    for (size_t i = 0; i < line->length && i < X86_MAX_LENGTH; i++)
        snprintf(hex + 2 * i, sizeof hex - 2 * i, "%02x", line->bytes[i]);
    pmm_json_kv_string(json, "bytes", hex);
    char text[X86_FORMAT_CAP], mnemonic[40];
    x86_format_mnemonic(&line->insn, mnemonic, sizeof mnemonic);
    x86_format(&line->insn, text, sizeof text, syms ? pmm_disasm_symbolize : NULL, (void *)syms);
    pmm_json_kv_string(json, "mnemonic", line->insn.mnemonic == X86_MN_BAD ? "(bad)" : mnemonic);
    pmm_json_kv_string(json, "text", text);
    pmm_json_kv_bool(json, "valid", line->insn.mnemonic != X86_MN_BAD);
    if (line->insn.branch) {
        pmm_json_kv_string(json, "branch", branch_name(line->insn.branch));
        if (line->insn.flags & X86_IF_RELATIVE)
            pmm_json_kv_address(json, "target", line->insn.target);
    }
    if (line->insn.flags & X86_IF_RIP_MEM)
        pmm_json_kv_address(json, "memory_target", line->insn.mem_target);
    char name[160];
    uint64_t named = line->insn.flags & X86_IF_RELATIVE ? line->insn.target
                   : line->insn.flags & X86_IF_RIP_MEM ? line->insn.mem_target : 0;
    if (named && syms && pmm_symbols_describe(syms, named, name, sizeof name))
        pmm_json_kv_string(json, "target_name", name);
}
