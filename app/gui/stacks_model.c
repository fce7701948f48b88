#include "stacks_model.h"

#include <stdlib.h>
#include <string.h>
#include "core/analyzers/seh.h"

void stacks_model_init(stacks_model *m)
{
    memset(m, 0, sizeof *m);
}

void stacks_model_free(stacks_model *m)
{
    for (size_t i = 0; i < m->count; i++)
        free(m->lines[i].text);
    free(m->lines);
    stacks_model_init(m);
}

static pmm_status add_line_kind(stacks_model *m, int is_thread, int is_seh, uint64_t address, const char *text)
{
    if (m->count == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 128;
        stack_line *lines = realloc(m->lines, cap * sizeof *lines);
        if (!lines)
            return PMM_ERR_NOMEM;
        m->lines = lines;
        m->cap = cap;
    }
    char *copy = malloc(strlen(text) + 1);
    if (!copy)
        return PMM_ERR_NOMEM;
    strcpy(copy, text);
    m->lines[m->count].is_thread = is_thread;
    m->lines[m->count].is_seh = is_seh;
    m->lines[m->count].address = address;
    m->lines[m->count].text = copy;
    m->count++;
    return PMM_OK;
}

static pmm_status add_line(stacks_model *m, int is_thread, uint64_t address, const char *text)
{
    return add_line_kind(m, is_thread, 0, address, text);
}

/* The x86 SEH chain of a 32-bit thread, innermost record first; each line goes to its handler. */
static pmm_status add_seh(stacks_model *m, const pmm_map *map, const pmm_thread *t)
{
    if (t->seh_end == PMM_SEH_NOT_WALKED)
        return PMM_OK;
    char text[1200];
    snprintf(text, sizeof text, "SEH chain: %u records, %s", (unsigned)t->seh_count,
             pmm_seh_end_text((pmm_seh_end)t->seh_end));
    pmm_status st = add_line_kind(m, 0, 1, 0, text);
    for (size_t i = t->seh_first; i < (size_t)t->seh_first + t->seh_count && i < map->seh_count && st == PMM_OK; i++) {
        const char *symbol = pmm_map_text(map, map->seh[i].symbol);
        snprintf(text, sizeof text, "SEH record %08llX  handler %08llX  %s", (unsigned long long)map->seh[i].record,
                 (unsigned long long)map->seh[i].handler, *symbol ? symbol : "?");
        st = add_line_kind(m, 0, 1, map->seh[i].handler, text);
    }
    return st;
}

static pmm_status add_thread(stacks_model *m, const pmm_map *map, const pmm_thread *t)
{
    int digits = t->frame_bits == 32 ? 8 : 16;
    size_t first = t->frame_first, end = (size_t)t->frame_first + t->frame_count;
    if (end > map->frame_count)
        end = map->frame_count;
    char text[1200];
    const char *start = pmm_map_text(map, t->start_symbol);
    if (t->frame_bits)
        snprintf(text, sizeof text, "Thread %u (%u-bit): %zu frames, %s%s%s", (unsigned)t->tid, (unsigned)t->frame_bits,
                 end > first ? end - first : 0, pmm_walk_end_text((pmm_walk_end)t->walk_end),
                 *start ? "; started at " : "", start);
    else
        snprintf(text, sizeof text, "Thread %u: not walked (no registers)%s%s", (unsigned)t->tid,
                 *start ? "; started at " : "", start);
    pmm_status st = add_line(m, 1, end > first ? map->frames[first].address : 0, text);
    m->threads++;
    for (size_t i = first; i < end && st == PMM_OK; i++) {
        const pmm_frame *f = &map->frames[i];
        const char *symbol = pmm_map_text(map, f->symbol);
        int plain = f->method == PMM_FRAME_UNWIND || f->method == PMM_FRAME_POINTER || f->method == PMM_FRAME_CONTEXT;
        snprintf(text, sizeof text, "%2zu  %0*llX  %s%s%s%s", i - first, digits, (unsigned long long)f->address,
                 *symbol ? symbol : "?", plain ? "" : "  [", plain ? "" : pmm_frame_method_name((pmm_frame_method)f->method),
                 plain ? "" : "]");
        st = add_line(m, 0, f->address, text);
        m->frames++;
    }
    return st == PMM_OK ? add_seh(m, map, t) : st;
}

pmm_status stacks_model_build(stacks_model *m, const pmm_map *map)
{
    stacks_model_free(m);
    pmm_status st = PMM_OK;
    for (size_t i = 0; map && i < map->thread_count && st == PMM_OK; i++)
        st = add_thread(m, map, &map->threads[i]);
    return st;
}

int stacks_model_write(const stacks_model *m, FILE *f)
{
    for (size_t i = 0; i < m->count; i++)
        if (fprintf(f, "%s%s\n", m->lines[i].is_thread ? "" : "  ", m->lines[i].text) < 0)
            return -1;
    return 0;
}
