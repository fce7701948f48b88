/* ThreadList, ThreadInfoList and ThreadNames streams. */
#include "minidump_threads.h"

#include <stdlib.h>
#include <string.h>
#include "minidump_internal.h"

#define THREAD_ENTRY_SIZE 48u
#define THREAD_INFO_HEADER_MIN 12u
#define THREAD_INFO_ENTRY_MIN 64u
#define THREAD_NAME_ENTRY_SIZE 12u   /* u32 thread id + RVA64, packed to 4 bytes */
/* Far above any real process; keeps a hostile count from costing gigabytes. */
#define MAX_THREADS (256u * 1024)

/* ctx: the dump's processor architecture (uint32_t). */
static void parse_thread(pmm_minidump *md, const uint8_t *e, void *item, void *ctx)
{
    pmm_md_thread *t = item;
    uint32_t processor_arch = *(const uint32_t *)ctx;
    memset(t, 0, sizeof *t);
    t->tid = pmm_le32(e);
    t->suspend_count = pmm_le32(e + 4);
    t->priority_class = pmm_le32(e + 8);
    t->priority = pmm_le32(e + 12);
    t->teb = pmm_le64(e + 16);
    t->stack_start = pmm_le64(e + 24);
    t->stack_size = pmm_le32(e + 32);
    t->stack_rva = pmm_le32(e + 36);
    t->context_size = pmm_le32(e + 40);
    t->context_rva = pmm_le32(e + 44);
    t->has_context = pmm_md_read_context(md, t->context_size, t->context_rva, processor_arch, &t->context) == PMM_OK;
}

pmm_status pmm_md_read_threads(pmm_minidump *md, uint32_t processor_arch, pmm_md_thread **out, size_t *count,
                               char *message, size_t cap)
{
    *out = NULL;
    *count = 0;
    uint8_t *d;
    size_t size, first;
    pmm_status st = md_load_stream(md, PMM_MD_STREAM_THREAD_LIST, 4, &d, &size, message, cap);
    if (st != PMM_OK)
        return st;
    uint32_t n = pmm_le32(d);
    if (n > MAX_THREADS)
        st = pmm_fail(message, cap, PMM_ERR_LIMIT, "ThreadList claims %u threads, more than this reader accepts", n);
    if (st == PMM_OK)
        st = md_list_layout("ThreadList", size, n, THREAD_ENTRY_SIZE, &first, message, cap);
    void *threads = NULL;
    if (st == PMM_OK)
        st = md_parse_entries(md, d + first, n, THREAD_ENTRY_SIZE, sizeof **out, parse_thread, &processor_arch,
                              "threads", &threads, count, message, cap);
    free(d);
    *out = threads;
    return st;
}

/* Thread ids sorted with their index, so attaching n entries to m threads costs n log m. */
typedef struct tid_index {
    uint32_t tid;
    uint32_t index;
} tid_index;

static int compare_tid(const void *a, const void *b)
{
    uint32_t x = ((const tid_index *)a)->tid, y = ((const tid_index *)b)->tid;
    return (x > y) - (x < y);
}

static tid_index *build_tid_index(const pmm_md_thread *threads, size_t count)
{
    tid_index *idx = malloc((count ? count : 1) * sizeof *idx);
    if (!idx)
        return NULL;
    for (size_t i = 0; i < count; i++) {
        idx[i].tid = threads[i].tid;
        idx[i].index = (uint32_t)i;
    }
    if (count > 1)
        qsort(idx, count, sizeof *idx, compare_tid);
    return idx;
}

static pmm_md_thread *find_thread(pmm_md_thread *threads, const tid_index *idx, size_t count, uint32_t tid)
{
    tid_index key = {tid, 0};
    const tid_index *hit = bsearch(&key, idx, count, sizeof *idx, compare_tid);
    return hit ? &threads[hit->index] : NULL;
}

static void apply_thread_info(const uint8_t *e, pmm_md_thread *t)
{
    t->has_info = 1;
    t->dump_flags = pmm_le32(e + 4);
    t->dump_error = pmm_le32(e + 8);
    t->exit_status = pmm_le32(e + 12);
    t->create_time = pmm_le64(e + 16);
    t->exit_time = pmm_le64(e + 24);
    t->kernel_time = pmm_le64(e + 32);
    t->user_time = pmm_le64(e + 40);
    t->start_address = pmm_le64(e + 48);
    t->affinity = pmm_le64(e + 56);
}

pmm_status pmm_md_attach_thread_infos(pmm_minidump *md, pmm_md_thread *threads, size_t count, char *message,
                                      size_t cap)
{
    uint8_t *d;
    size_t size;
    pmm_status st = md_load_stream(md, PMM_MD_STREAM_THREAD_INFO_LIST, THREAD_INFO_HEADER_MIN, &d, &size, message,
                                   cap);
    if (st != PMM_OK)
        return st;
    uint32_t header_size = pmm_le32(d), entry_size = pmm_le32(d + 4), n = pmm_le32(d + 8);
    st = md_table_layout("ThreadInfoList", size, header_size, entry_size, n, THREAD_INFO_HEADER_MIN,
                         THREAD_INFO_ENTRY_MIN, message, cap);
    tid_index *idx = NULL;
    if (st == PMM_OK && !(idx = build_tid_index(threads, count)))
        st = pmm_fail(message, cap, PMM_ERR_NOMEM, "out of memory");
    for (uint32_t i = 0; st == PMM_OK && i < n; i++) {
        const uint8_t *e = d + header_size + (size_t)i * entry_size;
        pmm_md_thread *t = find_thread(threads, idx, count, pmm_le32(e));
        if (t)
            apply_thread_info(e, t);
    }
    free(idx);
    free(d);
    return st;
}

pmm_status pmm_md_attach_thread_names(pmm_minidump *md, pmm_md_thread *threads, size_t count, char *message,
                                      size_t cap)
{
    uint8_t *d;
    size_t size, first;
    pmm_status st = md_load_stream(md, PMM_MD_STREAM_THREAD_NAMES, 4, &d, &size, message, cap);
    if (st != PMM_OK)
        return st;
    uint32_t n = pmm_le32(d);
    st = md_list_layout("ThreadNames", size, n, THREAD_NAME_ENTRY_SIZE, &first, message, cap);
    tid_index *idx = NULL;
    if (st == PMM_OK && !(idx = build_tid_index(threads, count)))
        st = pmm_fail(message, cap, PMM_ERR_NOMEM, "out of memory");
    for (uint32_t i = 0; st == PMM_OK && i < n; i++) {
        const uint8_t *e = d + first + (size_t)i * THREAD_NAME_ENTRY_SIZE;
        pmm_md_thread *t = find_thread(threads, idx, count, pmm_le32(e));
        /* A name that cannot be read is left empty: the thread itself is fine. */
        if (t && pmm_md_read_string(md, pmm_le64(e + 4), t->name, sizeof t->name) != PMM_OK)
            t->name[0] = '\0';
    }
    free(idx);
    free(d);
    return st;
}
