/* Strings listing: three small state machines fed one byte at a time, one for ANSI runs and one
 * for UTF-16LE runs at each address parity. State carries from window to window while the stream
 * is contiguous and is flushed where it breaks (end of a span, an unreadable page). */

#include "strings_list.h"

#include <stdlib.h>
#include <string.h>

typedef struct run_state {
    uint64_t start;
    uint64_t length;         /* characters */
    size_t kept;             /* characters in text */
    int visible;             /* a character other than space and tab was seen */
    char text[PMM_STRINGS_MAX_TEXT + 1];
} run_state;

typedef struct strings_run {
    const pmm_strings_options *options;
    pmm_string_fn fn;
    void *ctx;
    pmm_strings_summary *summary;
    uint64_t min_length;
    int stopped;
    run_state ansi;
    run_state utf16[2];      /* by the parity of the run's address */
    int have_prev;
    uint8_t prev;
} strings_run;

/* The characters the listing accepts: printable ASCII and tab, as the classic strings tools do. */
static int printable(uint8_t c)
{
    return (c >= 0x20 && c < 0x7f) || c == '\t';
}

static void flush(strings_run *run, run_state *s, uint32_t encoding)
{
    if (s->length >= run->min_length && s->visible && !run->stopped) {
        s->text[s->kept] = '\0';
        pmm_found_string found = {s->start, encoding, s->length, s->text, s->length > s->kept};
        run->summary->strings++;
        if (run->fn && run->fn(run->ctx, &found))
            run->stopped = 1;
    }
    s->length = 0;
    s->kept = 0;
    s->visible = 0;
}

static void extend(run_state *s, uint64_t addr, uint8_t c)
{
    if (s->length == 0)
        s->start = addr;
    s->length++;
    s->visible |= c != ' ' && c != '\t';
    if (s->kept < PMM_STRINGS_MAX_TEXT)
        s->text[s->kept++] = (char)c;
}

static void feed(strings_run *run, uint8_t b, uint64_t addr)
{
    if (run->options->encodings & PMM_STRINGS_ANSI) {
        if (printable(b))
            extend(&run->ansi, addr, b);
        else if (run->ansi.length)
            flush(run, &run->ansi, PMM_STRINGS_ANSI);
    }
    if ((run->options->encodings & PMM_STRINGS_UTF16) && run->have_prev) {
        /* The code unit (prev, b) starts at addr - 1. */
        run_state *s = &run->utf16[(addr - 1) & 1];
        if (b == 0 && printable(run->prev))
            extend(s, addr - 1, run->prev);
        else if (s->length)
            flush(run, s, PMM_STRINGS_UTF16);
    }
    run->prev = b;
    run->have_prev = 1;
}

static void flush_all(strings_run *run)
{
    if (run->ansi.length)
        flush(run, &run->ansi, PMM_STRINGS_ANSI);
    for (int p = 0; p < 2; p++)
        if (run->utf16[p].length)
            flush(run, &run->utf16[p], PMM_STRINGS_UTF16);
    run->have_prev = 0;
}

static int on_window(void *ctx, const uint8_t *data, size_t size, uint64_t addr, int stream_end)
{
    strings_run *run = ctx;
    for (size_t i = 0; i < size && !run->stopped; i++)
        feed(run, data[i], addr + i);
    if (stream_end)
        flush_all(run);
    return run->stopped;
}

pmm_status pmm_strings_run(pmm_source *src, const pmm_map *map, const pmm_strings_options *options,
                           pmm_string_fn fn, void *ctx, pmm_strings_summary *summary)
{
    memset(summary, 0, sizeof *summary);
    if (!src || !map || !options)
        return PMM_ERR_ARG;
    pmm_strings_options opts = *options;
    if (!opts.encodings)
        opts.encodings = PMM_STRINGS_ANSI | PMM_STRINGS_UTF16;
    static strings_run zero_run;
    strings_run run = zero_run;
    run.options = &opts;
    run.fn = fn;
    run.ctx = ctx;
    run.summary = summary;
    run.min_length = opts.min_length ? opts.min_length : PMM_STRINGS_DEFAULT_MIN;
    pmm_memory_walk walk;
    pmm_memory_walk_init(&walk, src, map, &opts.scope, opts.chunk_size, opts.progress, opts.progress_ctx);
    pmm_status st = pmm_memory_walk_run(&walk, on_window, &run);
    if (st == PMM_OK)
        flush_all(&run);   /* a stop or cancel leaves nothing pending that was asked for */
    summary->regions_searched = walk.regions;
    summary->bytes_searched = walk.bytes_read;
    summary->unreadable_bytes = walk.unreadable_bytes;
    summary->unreadable_pages = walk.unreadable_pages;
    return pmm_memory_walk_outcome(&walk, st);
}

char *pmm_found_string_shown(const pmm_found_string *found)
{
    size_t size = 4;   /* "..." and the NUL */
    for (const char *p = found->text; *p; p++)
        size += *p == '\t' ? 2 : 1;
    char *shown = malloc(size), *out = shown;
    if (!shown)
        return NULL;
    for (const char *p = found->text; *p; p++) {
        if (*p == '\t') {
            *out++ = '\\';
            *out++ = 't';
        } else {
            *out++ = *p;
        }
    }
    strcpy(out, found->text_truncated ? "..." : "");
    return shown;
}
