#include "usage_graph_model.h"

#include <string.h>

static const int bar_kinds[USAGE_GRAPH_KINDS] = {
    PMM_KIND_IMAGE, PMM_KIND_MAPPED_FILE, PMM_KIND_SHAREABLE, PMM_KIND_HEAP,
    PMM_KIND_STACK, PMM_KIND_PRIVATE,     PMM_KIND_SYSTEM,
};

static uint64_t figure(const pmm_kind_totals *t, usage_graph graph)
{
    switch (graph) {
    case USAGE_GRAPH_COMMITTED: return t->usage.committed;
    case USAGE_GRAPH_PRIVATE: return t->usage.private_bytes;
    default: return t->usage.ws_total;
    }
}

void usage_graph_model_set(usage_graph_model *m, const pmm_map_summary *summary, int width)
{
    memset(m, 0, sizeof *m);
    m->has_map = summary != NULL;
    for (int g = 0; g < USAGE_GRAPH_COUNT; g++) {
        m->available[g] = summary && (g != USAGE_GRAPH_WORKING_SET || summary->has_working_set);
        for (int k = 0; k < USAGE_GRAPH_KINDS; k++) {
            usage_segment *s = &m->segments[g][k];
            s->kind = bar_kinds[k];
            s->bytes = m->available[g] ? figure(&summary->kinds[bar_kinds[k]], (usage_graph)g) : 0;
            m->total[g] += s->bytes;
        }
    }
    usage_graph_model_layout(m, width);
}

/* Each edge at the rounded share of everything before it, so the segments tile the bar exactly. */
void usage_graph_model_layout(usage_graph_model *m, int width)
{
    m->width = width > 0 ? width : 0;
    for (int g = 0; g < USAGE_GRAPH_COUNT; g++) {
        uint64_t before = 0, total = m->total[g];
        for (int k = 0; k < USAGE_GRAPH_KINDS; k++) {
            usage_segment *s = &m->segments[g][k];
            s->x0 = total ? (int)((before * (uint64_t)m->width + total / 2) / total) : 0;
            before += s->bytes;
            s->x1 = total ? (int)((before * (uint64_t)m->width + total / 2) / total) : 0;
        }
    }
}

int usage_graph_model_hit(const usage_graph_model *m, usage_graph graph, int x)
{
    if ((unsigned)graph >= USAGE_GRAPH_COUNT || !m->available[graph])
        return -1;
    for (int k = 0; k < USAGE_GRAPH_KINDS; k++) {
        const usage_segment *s = &m->segments[graph][k];
        if (x >= s->x0 && x < s->x1)
            return s->kind;
    }
    return -1;
}

const usage_segment *usage_graph_model_segment(const usage_graph_model *m, usage_graph graph, int kind)
{
    if ((unsigned)graph >= USAGE_GRAPH_COUNT)
        return NULL;
    for (int k = 0; k < USAGE_GRAPH_KINDS; k++)
        if (m->segments[graph][k].kind == kind)
            return &m->segments[graph][k];
    return NULL;
}

const char *usage_graph_name(usage_graph graph)
{
    static const char *const names[USAGE_GRAPH_COUNT] = {"Committed", "Private Bytes", "Working Set"};
    return (unsigned)graph < USAGE_GRAPH_COUNT ? names[graph] : "?";
}

int usage_graph_model_write(const usage_graph_model *m, FILE *f)
{
    for (int g = 0; g < USAGE_GRAPH_COUNT; g++) {
        const char *name = usage_graph_name((usage_graph)g);
        if (!m->available[g]) {
            fprintf(f, "%s\tTotal\tnot available\n", name);
            continue;
        }
        fprintf(f, "%s\tTotal\t%llu\t0\t%d\n", name, (unsigned long long)m->total[g], m->width);
        for (int k = 0; k < USAGE_GRAPH_KINDS; k++) {
            const usage_segment *s = &m->segments[g][k];
            fprintf(f, "%s\t%s\t%llu\t%d\t%d\n", name, pmm_region_kind_name((pmm_region_kind)s->kind),
                    (unsigned long long)s->bytes, s->x0, s->x1);
        }
    }
    return ferror(f) ? -1 : 0;
}
