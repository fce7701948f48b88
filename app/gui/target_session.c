#include "target_session.h"

#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

target_data *target_data_new(const pmm_target *target, pmm_map *map, const pmm_source *src)
{
    target_data *d = calloc(1, sizeof *d);
    if (!d || pmm_target_copy(&d->target, target) != PMM_OK) {
        free(d);
        pmm_map_free(map);
        if (src) {
            pmm_source copy = *src;
            pmm_source_close(&copy);
        }
        return NULL;
    }
    d->refs = 1;
    d->map = map;
    if (src) {
        d->source = *src;
        d->has_source = 1;
    }
    return d;
}

target_data *target_data_acquire(target_data *d)
{
    if (d)
        InterlockedIncrement((volatile LONG *)&d->refs);
    return d;
}

void target_data_release(target_data *d)
{
    if (!d || InterlockedDecrement((volatile LONG *)&d->refs) != 0)
        return;
    pmm_map_free(d->map);
    if (d->has_source)
        pmm_source_close(&d->source);
    pmm_target_free(&d->target);
    free(d);
}

pmm_source *target_data_source(target_data *d)
{
    return d && d->has_source ? &d->source : NULL;
}

void target_session_init(target_session *s)
{
    memset(s, 0, sizeof *s);
    pmm_symbols_init(&s->symbols);
}

void target_session_replace(target_session *s, target_data *data)
{
    target_data_release(s->data);
    pmm_symbols_free(&s->symbols);
    pmm_symbols_init(&s->symbols);
    s->symbols_state = 0;
    s->data = data;
    s->map = data ? data->map : NULL;
    s->source = target_data_source(data);
    s->generation++;
}

void target_session_set_symbol_path(target_session *s, const char *symbol_path)
{
    snprintf(s->symbol_path, sizeof s->symbol_path, "%s", symbol_path ? symbol_path : "");
    pmm_symbols_free(&s->symbols);
    pmm_symbols_init(&s->symbols);
    s->symbols_state = 0;
}

void target_session_close(target_session *s)
{
    target_session_replace(s, NULL);
}

target_data *target_session_share(target_session *s)
{
    return target_data_acquire(s->data);
}

size_t target_session_read(target_session *s, uint64_t addr, void *buf, size_t len)
{
    return s->source ? pmm_source_read(s->source, addr, buf, len) : 0;
}

const pmm_symbols *target_session_symbols(target_session *s)
{
    if (s->symbols_state == 0 && s->map && s->source) {
        /* Only NOMEM is fatal: modules whose symbols cannot be read are still there by name. */
        pmm_status st = pmm_symbols_set_path(&s->symbols, s->symbol_path[0] ? s->symbol_path : NULL);
        if (st == PMM_OK)
            st = pmm_symbols_add_map(&s->symbols, s->source, s->map);
        pmm_symbols_finish(&s->symbols);
        s->symbols_state = st == PMM_OK ? 1 : -1;
    }
    return s->symbols_state == 1 ? &s->symbols : NULL;
}

const char *target_session_describe(target_session *s, uint64_t addr, char *buf, size_t cap)
{
    if (cap)
        buf[0] = '\0';
    const pmm_symbols *syms = target_session_symbols(s);
    if (syms)
        pmm_symbols_describe(syms, addr, buf, cap);
    return buf;
}

const char *target_session_describe_line(target_session *s, uint64_t addr, char *buf, size_t cap)
{
    if (cap)
        buf[0] = '\0';
    const pmm_symbols *syms = target_session_symbols(s);
    if (syms)
        pmm_symbols_describe_line(syms, addr, 0, buf, cap);
    return buf;
}

const char *target_session_source(target_session *s, uint64_t addr, char *buf, size_t cap)
{
    if (cap)
        buf[0] = '\0';
    const pmm_symbols *syms = target_session_symbols(s);
    pmm_symbol_match m;
    if (!syms || !pmm_symbols_lookup(syms, addr, &m) || !m.symbol)
        return buf;
    char inlined[300] = "";
    if (m.inlined)
        snprintf(inlined, sizeof inlined, ", inlined %s from %s:%u", pmm_symbols_text(syms, m.inlined),
                 m.call_file ? pmm_symbols_text(syms, m.call_file) : "?", (unsigned)m.call_line);
    if (m.file)
        snprintf(buf, cap, "%s:%u%s (%s)", pmm_symbols_text(syms, m.file), (unsigned)m.line, inlined,
                 pmm_symbol_origin_name(m.origin));
    else
        snprintf(buf, cap, "no line (the name is from %s)", pmm_symbol_origin_name(m.origin));
    return buf;
}
