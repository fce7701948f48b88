/* The process list of a kernel dump (kdump_processes.h). */
#include "kdump_processes.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kdump_internal.h"
#include "../util/array.h"
#include "../util/cycle_check.h"

#define SYSTEM_PID 4
/* How far from ActiveProcessLinks inference looks for the other fields (every known layout keeps
 * them within this). */
#define INFER_BACK 0xC00u
#define INFER_AHEAD 0x800u
/* Processes whose fields take part in inferring the parent pid's offset. */
#define INFER_SAMPLE 64u

typedef struct walker {
    pmm_kdump *dump;
    uint32_t ps;                 /* pointer size */
    uint64_t head;
    const pmm_kdump_eprocess_layout *layout;
    pmm_kdump_process_list *list;
    size_t cap;
} walker;

/* Bytes the layout's fields span from the start of an EPROCESS. */
static uint32_t layout_span(const pmm_kdump_eprocess_layout *l)
{
    const uint32_t fields[] = {l->directory_table_base, l->unique_process_id, l->active_process_links,
                               l->inherited_from_unique_process_id, l->create_time, l->peb, l->wow64_process,
                               l->image_file_name, l->thread_list_head, l->active_threads};
    uint32_t span = 0;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (fields[i] + 16 > span)
            span = fields[i] + 16;
    return span;
}

/* ImageFileName: up to 15 bytes; non-zero when it is a plausible name (printable, not empty). */
static int decode_name(const uint8_t *p, char out[16])
{
    int printable = p[0] != 0;
    size_t i = 0;
    for (; i < 15 && p[i]; i++) {
        int ok = p[i] >= 0x20 && p[i] < 0x7F;
        printable &= ok;
        out[i] = ok ? (char)p[i] : '?';
    }
    out[i] = '\0';
    return printable;
}

static uint64_t dtb_mask(const pmm_kdump *dump)
{
    return pmm_kdump_paging(dump) == PMM_KDUMP_PAGING_PAE ? ~0x1Full : ~0xFFFull;
}

static void decode_process(pmm_kdump *dump, const pmm_kdump_eprocess_layout *l, uint32_t ps, uint64_t eprocess,
                           const uint8_t *e, pmm_kdump_process *p)
{
    memset(p, 0, sizeof *p);
    p->eprocess = eprocess;
    p->pid = kd_pointer_at(e + l->unique_process_id, ps);
    p->directory_table_base = kd_pointer_at(e + l->directory_table_base, ps);
    if (l->image_file_name)
        decode_name(e + l->image_file_name, p->name);
    if (l->inherited_from_unique_process_id) {
        p->parent_pid = kd_pointer_at(e + l->inherited_from_unique_process_id, ps);
        p->known |= PMM_KDUMP_PROCESS_PARENT;
    }
    if (l->create_time) {
        p->create_time = kd_le64(e + l->create_time);
        p->known |= PMM_KDUMP_PROCESS_CREATE_TIME;
    }
    if (l->peb) {
        p->peb = kd_pointer_at(e + l->peb, ps);
        p->known |= PMM_KDUMP_PROCESS_PEB;
    }
    if (l->active_threads) {
        p->thread_count = kd_le32(e + l->active_threads);
        p->known |= PMM_KDUMP_PROCESS_THREADS;
    }
    if (l->wow64_process) {
        uint64_t w = kd_pointer_at(e + l->wow64_process, ps);
        p->known |= PMM_KDUMP_PROCESS_WOW64;
        p->wow64 = w != 0;
        if (w > 1 && l->wow64_is_struct)   /* EWOW64PROCESS.Peb */
            kd_read_pointer(dump, 0, w, ps, &p->peb32);
        else if (w > 1)                    /* the PEB32 itself; 1: not created yet */
            p->peb32 = w;
    }
}

static pmm_status add_process(walker *w, const pmm_kdump_process *p)
{
    pmm_kdump_process_list *list = w->list;
    pmm_status st = pmm_array_reserve((void **)&list->processes, &w->cap, list->count + 1, sizeof *list->processes);
    if (st != PMM_OK)
        return st;
    list->processes[list->count++] = *p;
    return PMM_OK;
}

/* Follows Flink (forward) or Blink from the head, adding each EPROCESS, until the head comes back,
 * stop_link is reached (where the other direction got to), or the list cannot be followed; then
 * *why says why (empty when the head came back) and *cut is set when a link led out of the dump
 * (not for a cycle or the cap). *last receives the last link whose entry was read. */
static pmm_status follow(walker *w, int forward, uint64_t stop_link, uint64_t *last, int *cut, char *why,
                         size_t why_cap)
{
    const pmm_kdump_eprocess_layout *l = w->layout;
    uint32_t span = layout_span(l), ps = w->ps;
    uint8_t e[0x1000];
    uint64_t link;
    pmm_cycle_check cycle;
    pmm_cycle_check_init(&cycle);
    why[0] = '\0';
    *last = 0;
    *cut = 1;
    if (!kd_read_pointer(w->dump, 0, w->head + (forward ? 0 : ps), ps, &link))
        return kd_fail(why, why_cap, PMM_ERR_READ, "PsActiveProcessHead (0x%llx) is not readable in the dump",
                       (unsigned long long)w->head);
    while (link != w->head && !(stop_link && link == stop_link)) {
        if (link == 0)
            return kd_fail(why, why_cap, PMM_OK, "the process list ends in a null link");
        if (pmm_cycle_check_step(&cycle, link)) {
            *cut = 0;
            return kd_fail(why, why_cap, PMM_OK, "the process list cycles through 0x%llx without returning to "
                           "PsActiveProcessHead", (unsigned long long)link);
        }
        if (w->list->count >= PMM_KDUMP_MAX_PROCESSES) {
            *cut = 0;
            return kd_fail(why, why_cap, PMM_OK, "the process list is longer than %u entries; the rest is ignored",
                           PMM_KDUMP_MAX_PROCESSES);
        }
        uint64_t eprocess = link - l->active_process_links;
        if (span > sizeof e || pmm_kdump_read_virtual(w->dump, 0, eprocess, e, span, NULL) != span)
            return kd_fail(why, why_cap, PMM_OK, "EPROCESS 0x%llx is not in the dump", (unsigned long long)eprocess);
        pmm_kdump_process p;
        decode_process(w->dump, l, ps, eprocess, e, &p);
        if (add_process(w, &p) != PMM_OK)
            return PMM_ERR_NOMEM;
        *last = link;
        link = kd_pointer_at(e + l->active_process_links + (forward ? 0 : ps), ps);
    }
    return PMM_OK;
}

static void reverse(pmm_kdump_process *p, size_t count)
{
    for (size_t i = 0; i < count / 2; i++) {
        pmm_kdump_process t = p[i];
        p[i] = p[count - 1 - i];
        p[count - 1 - i] = t;
    }
}

/* The whole list: forward, and when that is cut short, backward from the head to meet it. */
static pmm_status walk_list(walker *w, char *problem, size_t problem_cap)
{
    uint64_t last, back_last;
    int cut, back_cut;
    pmm_status st = follow(w, 1, 0, &last, &cut, problem, problem_cap);
    if (st != PMM_OK || !problem[0] || !cut)
        return st;
    size_t forward_count = w->list->count;
    char back_why[256];
    st = follow(w, 0, last ? last : w->head, &back_last, &back_cut, back_why, sizeof back_why);
    if (st == PMM_ERR_NOMEM)
        return st;
    size_t added = w->list->count - forward_count;
    if (added > 0) {
        reverse(w->list->processes + forward_count, added);
        size_t used = strlen(problem);
        snprintf(problem + used, problem_cap - used, "; %zu more read backwards from the list head", added);
    }
    return PMM_OK;
}

/* The first entry is System: pid 4, the header's page tables, named "System" when names are known. */
static int system_fits(pmm_kdump *dump, const pmm_kdump_process *p, const pmm_kdump_eprocess_layout *l)
{
    uint64_t mask = dtb_mask(dump);
    return p->pid == SYSTEM_PID && (p->directory_table_base & mask) == (dump->header.directory_table_base & mask) &&
           (!l->image_file_name || strcmp(p->name, "System") == 0);
}

/* Every entry is plausible: a pid that is a non-zero multiple of 4 below 2^32, a printable name. */
static int entries_plausible(const pmm_kdump_process_list *list, const pmm_kdump_eprocess_layout *l)
{
    for (size_t i = 0; i < list->count; i++) {
        const pmm_kdump_process *p = &list->processes[i];
        if (p->pid == 0 || p->pid % 4 != 0 || p->pid > 0xFFFFFFFFull)
            return 0;
        if (l->image_file_name && (!p->name[0] || strchr(p->name, '?')))
            return 0;
    }
    return 1;
}

/* Walks with layout l into a fresh list; non-zero when it fits (System first, plausible entries,
 * and, when require_cycle, the whole list read). */
static int try_layout(pmm_kdump *dump, uint32_t ps, const pmm_kdump_eprocess_layout *l, int require_cycle,
                      pmm_kdump_process_list *list, pmm_status *status)
{
    walker w = {dump, ps, dump->header.ps_active_process_head, l, list, 0};
    memset(list, 0, sizeof *list);
    list->layout = *l;
    *status = walk_list(&w, list->problem, sizeof list->problem);
    int fits = *status == PMM_OK && list->count > 0 && system_fits(dump, &list->processes[0], l) &&
               entries_plausible(list, l) && (!require_cycle || !list->problem[0]);
    if (!fits && *status != PMM_ERR_NOMEM) {
        pmm_kdump_process_list_free(list);
        memset(list, 0, sizeof *list);
    }
    return fits;
}

/* ---- inference --------------------------------------------------------------------------------- */

/* Where in the block (starting at base) a value of size bytes equal to v (under mask) sits, from
 * offset from on; -1 when nowhere. */
static long find_value(const uint8_t *block, size_t len, uint32_t size, uint64_t v, uint64_t mask, size_t from)
{
    for (size_t o = from; o + size <= len; o += size)
        if ((kd_pointer_at(block + o, size) & mask) == (v & mask))
            return (long)o;
    return -1;
}

/* ImageFileName: where System's EPROCESS holds "System\0", from the links on. */
static uint32_t infer_name(const uint8_t *block, size_t links_at, size_t len)
{
    for (size_t o = links_at; o + 7 <= len; o++)
        if (memcmp(block + o, "System", 7) == 0)
            return (uint32_t)o;
    return 0;
}

static int pid_listed(const pmm_kdump_process_list *list, uint64_t pid)
{
    for (size_t i = 0; i < list->count; i++)
        if (list->processes[i].pid == pid)
            return 1;
    return 0;
}

/* InheritedFromUniqueProcessId: the one pointer-sized field that is 0 for System and, for the
 * others, 0 or the pid of a listed process other than their own, and not 0 for all of them.
 * Returns its offset, 0 when no field or several fit. */
static uint32_t infer_parent(pmm_kdump *dump, uint32_t ps, const pmm_kdump_process_list *list, uint32_t from,
                             uint32_t to)
{
    uint32_t found = 0, candidates = 0;
    size_t sample = list->count < INFER_SAMPLE ? list->count : INFER_SAMPLE;
    for (uint32_t o = from; o < to && candidates < 2; o += ps) {
        int fits = sample > 1, nonzero = 0;
        for (size_t i = 0; i < sample && fits; i++) {
            const pmm_kdump_process *p = &list->processes[i];
            uint64_t v;
            if (!kd_read_pointer(dump, 0, p->eprocess + o, ps, &v))
                fits = 0;
            else if (i == 0)
                fits = v == 0;
            else if (v != 0) {
                fits = v != p->pid && pid_listed(list, v);
                nonzero = 1;
            }
        }
        if (fits && nonzero) {
            found = o;
            candidates++;
        }
    }
    return candidates == 1 ? found : 0;
}

/* The len bytes before va into out, as far back as the dump holds them without a gap; zeros before. */
static void read_before(pmm_kdump *dump, uint64_t va, uint8_t *out, size_t len)
{
    uint64_t at = va - len;
    memset(out, 0, len);
    while (at < va) {
        if (pmm_kdump_read_virtual(dump, 0, at, out + (len - (va - at)), (size_t)(va - at), NULL) == va - at)
            return;
        at = (at | (PMM_KDUMP_PAGE_SIZE - 1)) + 1;   /* the next page boundary */
    }
}

static pmm_status infer(pmm_kdump *dump, uint32_t ps, pmm_kdump_process_list *out, char *message, size_t cap)
{
    uint64_t first, pid;
    uint64_t head = dump->header.ps_active_process_head;
    if (!kd_read_pointer(dump, 0, head, ps, &first) || first == 0 || !kd_read_pointer(dump, 0, first - ps, ps, &pid))
        return kd_fail(message, cap, PMM_ERR_FORMAT, "the first process of PsActiveProcessHead is not in the dump, "
                       "so no offsets could be inferred");
    if (pid != SYSTEM_PID)
        return kd_fail(message, cap, PMM_ERR_FORMAT, "the first process of PsActiveProcessHead does not have pid 4 "
                       "before its links (0x%llx), so no offsets could be inferred", (unsigned long long)pid);
    /* System's EPROCESS around its links: as much as the dump holds of it. */
    uint8_t block[INFER_BACK + INFER_AHEAD];
    size_t len = pmm_kdump_read_virtual(dump, 0, first, block + INFER_BACK, INFER_AHEAD, NULL) + INFER_BACK;
    read_before(dump, first, block, INFER_BACK);
    pmm_kdump_eprocess_layout l;
    memset(&l, 0, sizeof l);
    l.directory_table_base = ps == 8 ? 0x28 : 0x18;
    /* Each place the header's DirectoryTableBase sits at l.directory_table_base from a candidate
     * start of the EPROCESS gives the links' offset; the walk decides. */
    for (long at = find_value(block, INFER_BACK, ps, dump->header.directory_table_base, dtb_mask(dump), 0); at >= 0;
         at = find_value(block, INFER_BACK, ps, dump->header.directory_table_base, dtb_mask(dump), (size_t)at + ps)) {
        if ((size_t)at < l.directory_table_base)
            continue;
        size_t eprocess_at = (size_t)at - l.directory_table_base;
        l.active_process_links = (uint32_t)(INFER_BACK - eprocess_at);
        l.unique_process_id = l.active_process_links - ps;
        uint32_t name = infer_name(block, INFER_BACK, len);
        l.image_file_name = name ? (uint32_t)(name - eprocess_at) : 0;
        pmm_status st;
        if (!try_layout(dump, ps, &l, 1, out, &st)) {
            if (st == PMM_ERR_NOMEM)
                return st;
            continue;
        }
        uint32_t from = l.active_process_links + 2 * ps;
        l.inherited_from_unique_process_id = infer_parent(dump, ps, out, from, from + INFER_AHEAD);
        pmm_kdump_process_list_free(out);
        try_layout(dump, ps, &l, 1, out, &st);
        if (st != PMM_OK)
            return st;
        out->inferred = 1;
        snprintf(out->inference, sizeof out->inference,
                 "offsets inferred: links 0x%x, pid 0x%x, DirectoryTableBase 0x%x, name %s, parent %s; create time, "
                 "PEB, WOW64 and ActiveThreads not inferred", l.active_process_links, l.unique_process_id,
                 l.directory_table_base, l.image_file_name ? "found" : "not found",
                 l.inherited_from_unique_process_id ? "found" : "not found");
        return PMM_OK;
    }
    return kd_fail(message, cap, PMM_ERR_FORMAT, "no EPROCESS layout fits this dump: no candidate gives a cycle of "
                   "links through System (pid 4, DirectoryTableBase 0x%llx) with plausible pids and names",
                   (unsigned long long)dump->header.directory_table_base);
}

/* ---- the list ---------------------------------------------------------------------------------- */

pmm_status pmm_kdump_processes(pmm_kdump *dump, pmm_kdump_process_list *out, char *message, size_t message_cap)
{
    uint32_t ps = pmm_kdump_pointer_size(dump);
    uint64_t link;
    memset(out, 0, sizeof *out);
    message[0] = '\0';
    if (pmm_kdump_paging(dump) == PMM_KDUMP_PAGING_NONE)
        return kd_fail(message, message_cap, PMM_ERR_UNSUPPORTED, "the page tables of this machine are not walked, "
                       "so its process list cannot be read");
    if (dump->header.ps_active_process_head == 0 || !kd_read_pointer(dump, 0, dump->header.ps_active_process_head, ps, &link))
        return kd_fail(message, message_cap, PMM_ERR_READ, "PsActiveProcessHead (0x%llx) is not readable in the dump",
                       (unsigned long long)dump->header.ps_active_process_head);
    const pmm_kdump_layout_row *row = pmm_kdump_layout_for(ps, dump->header.minor_version);
    pmm_status st;
    if (row && try_layout(dump, ps, &row->layout, 0, out, &st)) {
        out->row = row;
        return PMM_OK;
    }
    if (row && st == PMM_ERR_NOMEM)
        return st;
    return infer(dump, ps, out, message, message_cap);
}

void pmm_kdump_process_list_free(pmm_kdump_process_list *list)
{
    if (list) {
        free(list->processes);
        list->processes = NULL;
        list->count = 0;
    }
}

static int same_name(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

const pmm_kdump_process *pmm_kdump_find_process(const pmm_kdump_process_list *list, const char *selector,
                                                int *ambiguous)
{
    char *end;
    unsigned long long pid = strtoull(selector, &end, 0);
    const pmm_kdump_process *found = NULL;
    *ambiguous = 0;
    for (size_t i = 0; i < list->count; i++) {
        const pmm_kdump_process *p = &list->processes[i];
        int match = *selector && !*end ? p->pid == pid : same_name(p->name, selector);
        if (!match)
            continue;
        if (found) {
            *ambiguous = 1;
            return NULL;
        }
        found = p;
    }
    return found;
}
