#include "target_session.h"

#include <string.h>

void target_session_init(target_session *s)
{
    memset(s, 0, sizeof *s);
    pmm_symbols_init(&s->symbols);
}

static void release(target_session *s)
{
    pmm_map_free(s->map);
    s->map = NULL;
    if (s->has_source)
        pmm_source_close(&s->source);
    s->has_source = 0;
    pmm_symbols_free(&s->symbols);
    pmm_symbols_init(&s->symbols);
    s->symbols_state = 0;
}

void target_session_replace(target_session *s, pmm_map *map, const pmm_source *src)
{
    release(s);
    s->map = map;
    if (src) {
        s->source = *src;
        s->has_source = 1;
    }
    s->generation++;
}

void target_session_close(target_session *s)
{
    release(s);
    s->generation++;
}

size_t target_session_read(target_session *s, uint64_t addr, void *buf, size_t len)
{
    return s->has_source ? pmm_source_read(&s->source, addr, buf, len) : 0;
}

const pmm_symbols *target_session_symbols(target_session *s)
{
    if (s->symbols_state == 0 && s->map && s->has_source) {
        /* Only NOMEM is fatal: modules whose exports cannot be read are still there by name. */
        pmm_status st = pmm_symbols_add_map(&s->symbols, &s->source, s->map);
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
