/* The Disassembly tab's lines (app/gui/disasm_model), natively under the sanitizers: the same
 * instructions and text as the pmm disasm listing over the same source, going back line by line
 * and page by page to the starts a forward decode finds, re-synchronising from a function start
 * where a linear decode from the region would be out of step, unreadable memory as its own line
 * (never decoded) with the instruction it cuts shown truncated, and where a jump into the middle of
 * an instruction lands. Maps come from a fake source through the real scan. */
#include <stdlib.h>
#include "app/gui/disasm_model.h"
#include "check.h"
#include "core/analyzers/scan.h"
#include "fake_source.h"

#define CODE_BASE 0x7ff600010000ull

/* Encodings of several lengths; a call's and a load's displacement are filled in as they come. */
typedef struct encoding {
    uint8_t bytes[10];
    uint8_t length;
} encoding;

static const encoding encodings[] = {
    {{0x55}, 1},                                                        /* push rbp */
    {{0x48, 0x89, 0xe5}, 3},                                            /* mov rbp,rsp */
    {{0x48, 0x83, 0xec, 0x20}, 4},                                      /* sub rsp,0x20 */
    {{0xe8, 0x10, 0x00, 0x00, 0x00}, 5},                                /* call */
    {{0x48, 0x8b, 0x05, 0x00, 0x01, 0x00, 0x00}, 7},                    /* mov rax,[rip+0x100] */
    {{0x48, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8}, 10},                         /* movabs rax,imm64 */
    {{0x0f, 0x1f, 0x44, 0x00, 0x00}, 5},                                /* nop DWORD PTR [rax+rax*1+0x0] */
    {{0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00}, 9},        /* nop WORD PTR ... */
    {{0x8b, 0x4c, 0x24, 0x08}, 4},                                      /* mov ecx,[rsp+0x8] */
    {{0x74, 0x05}, 2},                                                  /* je */
    {{0xc3}, 1},                                                        /* ret */
};

typedef struct code {
    uint8_t *bytes;
    size_t size;
    uint64_t *starts;            /* instruction starts, ascending */
    size_t count;
} code;

/* Instructions picked by a fixed generator, filling size bytes exactly (the tail with nops). */
static void make_code(code *c, size_t size, uint32_t seed)
{
    c->bytes = malloc(size);
    c->starts = malloc(size * sizeof *c->starts);
    c->size = size;
    c->count = 0;
    size_t pos = 0;
    while (pos < size) {
        seed = seed * 1103515245u + 12345u;
        const encoding *e = &encodings[(seed >> 16) % (sizeof encodings / sizeof encodings[0])];
        if (pos + e->length > size)
            e = &encodings[0];
        c->starts[c->count++] = CODE_BASE + pos;
        memcpy(c->bytes + pos, e->bytes, e->length);
        pos += e->length;
    }
}

static void free_code(code *c)
{
    free(c->bytes);
    free(c->starts);
}

static size_t read_source(void *ctx, uint64_t addr, void *buf, size_t len)
{
    return pmm_source_read(ctx, addr, buf, len);
}

typedef struct anchors {
    uint64_t functions[4];       /* starts of the functions the "symbols" know, ascending */
    size_t count;
    size_t calls;
} anchors;

static int anchor_of(void *ctx, uint64_t addr, uint64_t *start)
{
    anchors *a = ctx;
    a->calls++;
    for (size_t i = a->count; i-- > 0;)
        if (a->functions[i] <= addr) {
            *start = a->functions[i];
            return 1;
        }
    return 0;
}

typedef struct fixture {
    fake_source fake;
    pmm_source src;
    pmm_map *map;
    disasm_model *model;
    anchors anchors;
} fixture;

static void open_fixture(fixture *f, const uint8_t *bytes, size_t size, int reserved_hole)
{
    memset(f, 0, sizeof *f);
    uint64_t hole = reserved_hole ? 0x1000 : 0;
    uint8_t *first = fake_add(&f->fake, CODE_BASE, reserved_hole ? 0x1000 : size, CODE_BASE, PMM_MEM_COMMIT,
                              PMM_MEM_PRIVATE, PMM_PAGE_EXECUTE_READ, PMM_PAGE_EXECUTE_READ);
    memcpy(first, bytes, reserved_hole ? 0x1000 : size);
    if (reserved_hole) {
        fake_add(&f->fake, CODE_BASE + 0x1000, hole, CODE_BASE, PMM_MEM_RESERVE, PMM_MEM_PRIVATE, 0,
                 PMM_PAGE_EXECUTE_READ);
        uint8_t *rest = fake_add(&f->fake, CODE_BASE + 0x2000, size - 0x2000, CODE_BASE, PMM_MEM_COMMIT,
                                 PMM_MEM_PRIVATE, PMM_PAGE_EXECUTE_READ, PMM_PAGE_EXECUTE_READ);
        memcpy(rest, bytes + 0x2000, size - 0x2000);
    }
    fake_source_open(&f->fake, &f->src, 8);
    CHECK(pmm_scan_source(&f->src, NULL, &f->map) == PMM_OK);
    f->model = malloc(sizeof *f->model);
    disasm_model_init(f->model, read_source, &f->src, anchor_of, &f->anchors);
    disasm_model_set_map(f->model, f->map, PMM_PAGE_SIZE, 64);
    disasm_model_set_range(f->model, CODE_BASE, CODE_BASE + size, CODE_BASE);
}

static void close_fixture(fixture *f)
{
    free(f->model);
    pmm_map_free(f->map);
    pmm_source_close(&f->src);
    fake_free(&f->fake);
}

typedef struct listed {
    pmm_disasm_line *lines;
    size_t count, cap;
} listed;

static int keep_line(void *ctx, const pmm_disasm_line *line)
{
    listed *l = ctx;
    if (l->count < l->cap)
        l->lines[l->count++] = *line;
    return l->count == l->cap;
}

TEST_CASE(lines_are_the_listing_of_pmm_disasm)
{
    code c;
    make_code(&c, 3 * PMM_PAGE_SIZE, 7);
    fixture f;
    open_fixture(&f, c.bytes, c.size, 0);
    listed want = {calloc(c.count, sizeof(pmm_disasm_line)), 0, c.count};
    pmm_disasm_request req = {CODE_BASE, CODE_BASE + c.size, 0, 64};
    pmm_disasm_summary summary;
    CHECK(pmm_disasm_source(&f.src, &req, keep_line, &want, &summary) == PMM_OK);
    CHECK_EQ_U64(want.count, c.count);
    pmm_disasm_line *got = calloc(c.count + 1, sizeof *got);
    CHECK_EQ_U64(disasm_model_lines(f.model, CODE_BASE, got, c.count + 1), c.count);
    for (size_t i = 0; i < c.count && i < want.count; i++) {
        char a[300], b[300];
        pmm_disasm_format_line(&got[i], NULL, a, sizeof a);
        pmm_disasm_format_line(&want.lines[i], NULL, b, sizeof b);
        CHECK_EQ_U64(got[i].address, c.starts[i]);
        CHECK_STR(a, b);
    }
    free(got);
    free(want.lines);
    close_fixture(&f);
    free_code(&c);
}

TEST_CASE(back_reaches_the_starts_found_going_forward)
{
    code c;
    make_code(&c, 3 * PMM_PAGE_SIZE, 11);
    fixture f;
    open_fixture(&f, c.bytes, c.size, 0);
    for (size_t i = c.count - 1; i > 0; i--) {
        uint64_t prev;
        CHECK_EQ_U64(disasm_model_back(f.model, c.starts[i], 1, &prev), 1);
        CHECK_EQ_U64(prev, c.starts[i - 1]);
    }
    /* a page at a time, and past the range's start: as many lines as there are */
    uint64_t prev;
    CHECK_EQ_U64(disasm_model_back(f.model, c.starts[500], 37, &prev), 37);
    CHECK_EQ_U64(prev, c.starts[463]);
    CHECK_EQ_U64(disasm_model_back(f.model, c.starts[20], 37, &prev), 20);
    CHECK_EQ_U64(prev, CODE_BASE);
    CHECK_EQ_U64(disasm_model_back(f.model, CODE_BASE, 1, &prev), 0);
    CHECK(!f.model->back_guessed);
    /* a jump into the middle of an instruction lands on its start */
    for (size_t i = 100; i < 110; i++)
        if (c.starts[i + 1] - c.starts[i] > 1)
            CHECK_EQ_U64(disasm_model_align(f.model, c.starts[i] + 1), c.starts[i]);
    close_fixture(&f);
    free_code(&c);
}

/* Data between two functions puts a decode from the region's start out of step at the second
 * function: the function start from the symbols puts it right. */
TEST_CASE(resync_from_the_function_start)
{
    code c;
    make_code(&c, PMM_PAGE_SIZE, 3);
    size_t b_index = c.count / 2;
    uint64_t b = c.starts[b_index];
    /* nops, then "movabs rax," just before B: a decode from the start swallows B's first 8 bytes */
    size_t junk_at = (size_t)(c.starts[b_index - 3] - CODE_BASE);
    size_t junk_len = (size_t)(b - c.starts[b_index - 3]);
    memset(c.bytes + junk_at, 0x90, junk_len);
    c.bytes[b - CODE_BASE - 2] = 0x48;
    c.bytes[b - CODE_BASE - 1] = 0xb8;
    uint64_t after_b = c.starts[b_index + 4];
    fixture f;
    open_fixture(&f, c.bytes, c.size, 0);
    uint64_t prev;
    disasm_model_back(f.model, after_b, 4, &prev);
    CHECK(prev != b);   /* out of step without the symbols */
    f.anchors.functions[0] = CODE_BASE;
    f.anchors.functions[1] = b;
    f.anchors.count = 2;
    disasm_model_invalidate(f.model);
    CHECK_EQ_U64(disasm_model_back(f.model, after_b, 4, &prev), 4);
    CHECK_EQ_U64(prev, b);
    CHECK(f.anchors.calls > 0);
    close_fixture(&f);
    free_code(&c);
}

TEST_CASE(unreadable_memory_is_a_line_of_its_own)
{
    code c;
    make_code(&c, 4 * PMM_PAGE_SIZE, 5);
    /* nops, then movabs rax,imm64 two bytes before the reserved page: cut short there */
    memset(c.bytes + 0xfe0, 0x90, 0x1e);
    c.bytes[0xffe] = 0x48;
    c.bytes[0xfff] = 0xb8;
    fixture f;
    open_fixture(&f, c.bytes, c.size, 1);
    pmm_disasm_line lines[3];
    CHECK_EQ_U64(disasm_model_lines(f.model, CODE_BASE + 0xffe, lines, 3), 3);
    CHECK(lines[0].readable && (lines[0].insn.flags & X86_IF_TRUNCATED));
    CHECK_EQ_U64(lines[0].length, 1);
    CHECK(lines[1].readable && lines[1].address == CODE_BASE + 0xfff && (lines[1].insn.flags & X86_IF_TRUNCATED));
    CHECK_EQ_U64(lines[2].address, CODE_BASE + 0x1000);
    CHECK(!lines[2].readable);
    CHECK_EQ_U64(lines[2].length, 0x1000);
    char text[200];
    pmm_disasm_format_line(&lines[2], NULL, text, sizeof text);
    CHECK(strstr(text, "?? (0x1000 bytes unreadable)") != NULL);
    /* going back over the unreadable line, and from inside it */
    uint64_t prev;
    CHECK_EQ_U64(disasm_model_back(f.model, CODE_BASE + 0x2000, 1, &prev), 1);
    CHECK_EQ_U64(prev, CODE_BASE + 0x1000);
    CHECK_EQ_U64(disasm_model_back(f.model, CODE_BASE + 0x1000, 1, &prev), 1);
    CHECK_EQ_U64(prev, CODE_BASE + 0xfff);
    CHECK_EQ_U64(disasm_model_align(f.model, CODE_BASE + 0x1800), CODE_BASE + 0x1000);
    close_fixture(&f);
    free_code(&c);
}

TEST_CASE(far_from_any_boundary_says_so)
{
    code c;
    make_code(&c, (size_t)(DISASM_RESYNC_MAX + 0x10000), 9);
    fixture f;
    open_fixture(&f, c.bytes, c.size, 0);
    uint64_t at = c.starts[c.count - 10], prev;
    CHECK_EQ_U64(disasm_model_back(f.model, at, 1, &prev), 1);
    CHECK(f.model->back_guessed);
    CHECK(prev < at && at - prev <= X86_MAX_LENGTH);
    /* a function start nearby: known again */
    f.anchors.functions[0] = c.starts[c.count - 200];
    f.anchors.count = 1;
    disasm_model_invalidate(f.model);
    CHECK_EQ_U64(disasm_model_back(f.model, at, 1, &prev), 1);
    CHECK(!f.model->back_guessed);
    CHECK_EQ_U64(prev, c.starts[c.count - 11]);
    close_fixture(&f);
    free_code(&c);
}

int main(void)
{
    static const check_case cases[] = {
        CASE(lines_are_the_listing_of_pmm_disasm),
        CASE(back_reaches_the_starts_found_going_forward),
        CASE(resync_from_the_function_start),
        CASE(unreadable_memory_is_a_line_of_its_own),
        CASE(far_from_any_boundary_says_so),
    };
    return check_run(cases, sizeof cases / sizeof cases[0]);
}
