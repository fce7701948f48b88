/* A PDB for the image: the CodeView (RSDS) record gives its name, GUID and age; candidates come
 * from the symbol path; the first whose GUID and age match is read. Every candidate that exists
 * but does not match is named in the note, with why. */
#include "image_symbols_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "symbol_path.h"
#include "../formats/pdb.h"
#include "../source/file_source.h"
#include "../util/names.h"

typedef struct pdb_search {
    pmm_image_symbols *s;
    const pmm_pdb_wanted *want;
    pmm_source src;
    pdb_file pdb;
    int found;
    pmm_status error;            /* NOMEM stops the search */
} pdb_search;

/* The candidate is opened into q->src, where the PDB reader keeps pointing while it is used. */
static int try_candidate(void *ctx, const char *path)
{
    pdb_search *q = ctx;
    if (pmm_file_source_open(path, &q->src) != PMM_OK)
        return 0;   /* not there: the normal case for most candidates */
    char why[160] = "";
    pmm_status st = pdb_open(&q->src, pmm_file_source_size(&q->src), &q->pdb, why, sizeof why);
    if (st == PMM_ERR_NOMEM) {
        q->error = st;
        pmm_source_close(&q->src);
        return 1;
    }
    if (st != PMM_OK) {
        image_note(q->s, "%s refused: %s.", path, why);
        pmm_source_close(&q->src);
        return 0;
    }
    if (!pdb_matches(&q->pdb, q->want->guid, q->want->age)) {
        char have[48], want[48];
        pe_guid_text(q->pdb.guid, have, sizeof have);
        pe_guid_text(q->want->guid, want, sizeof want);
        image_note(q->s, "%s refused: it is for another build (GUID %s age %u; the image wants %s age %u).", path,
                   have, q->pdb.dbi_age ? q->pdb.dbi_age : q->pdb.info_age, want, q->want->age);
        pdb_close(&q->pdb);
        pmm_source_close(&q->src);
        return 0;
    }
    q->found = 1;
    snprintf(q->s->pdb_path, sizeof q->s->pdb_path, "%s", path);
    return 1;
}

/* The CodeView record of the image: from target memory when mapped (what ran), else the file. */
static int find_codeview(image_views *v, pe_debug_entry *out)
{
    pe_image *img = v->have_mapped ? &v->mapped : &v->file;
    pe_debug dbg;
    if (pe_read_debug(img, &dbg) != PMM_OK)
        return 0;
    int found = 0;
    for (size_t i = 0; i < dbg.count && !found; i++)
        if (strcmp(dbg.entries[i].cv_signature, "RSDS") == 0) {
            *out = dbg.entries[i];
            found = 1;
        }
    pe_debug_free(&dbg);
    return found;
}

static pmm_status read_pdb(pmm_image_symbols *s, pdb_search *q, const pe_image *headers)
{
    uint32_t *rvas = malloc((headers->section_count ? headers->section_count : 1) * sizeof *rvas);
    if (!rvas)
        return PMM_ERR_NOMEM;
    for (size_t i = 0; i < headers->section_count; i++)
        rvas[i] = headers->sections[i].virtual_address;
    pdb_stats stats;
    pmm_status st = pdb_report(&q->pdb, rvas, headers->section_count, &s->table.sink, &stats);
    free(rvas);
    if (st == PMM_ERR_FORMAT) {
        image_note(s, "%s is damaged: its DBI stream cannot be read.", s->pdb_path);
        return PMM_OK;
    }
    if (st != PMM_OK)
        return st;
    if (stats.publics || stats.functions)
        s->origins |= 1u << DBG_ORIGIN_PDB;
    image_note(s, "PDB %s: %u functions, %u publics.", s->pdb_path, stats.functions, stats.publics);
    if (stats.problem[0])
        image_note(s, "Damage in it was skipped: %s.", stats.problem);
    return PMM_OK;
}

pmm_status image_add_pdb(pmm_image_symbols *s, image_views *v, const pmm_image_request *req)
{
    pe_debug_entry cv;
    if (!find_codeview(v, &cv) || !cv.pdb_path[0])
        return PMM_OK;
    pmm_pdb_wanted want;
    memset(&want, 0, sizeof want);
    want.cv_path = cv.pdb_path;
    want.image_path = v->file_path;
    memcpy(want.guid, cv.guid, 16);
    want.age = cv.age;
    pdb_search q;
    memset(&q, 0, sizeof q);
    q.s = s;
    q.want = &want;
    char why[300];
    pmm_symbol_path_walk(req->symbol_path, &want, try_candidate, &q, why, sizeof why);
    if (q.error != PMM_OK)
        return q.error;
    if (!q.found) {
        image_note(s, "PDB %s not found (next to the image or on the symbol path%s%s).",
                   pmm_path_base_name(cv.pdb_path), why[0] ? "; " : "", why);
        return PMM_OK;
    }
    pmm_status st = read_pdb(s, &q, v->headers);
    pdb_close(&q.pdb);
    pmm_source_close(&q.src);
    return st;
}
