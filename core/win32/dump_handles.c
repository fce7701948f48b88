/* The OS facts behind our minidump's HandleData and ThreadInfoList streams: a live process's
 * handle table (ProcessHandleInformation, else the system-wide SystemExtendedHandleInformation
 * filtered by pid) with each object's type and name read from a duplicate of the handle, and each
 * thread's times, exit status, affinity and Win32 start address.
 *
 * Object names are the dangerous part: NtQueryObject(ObjectNameInformation) on a File object that
 * is a synchronous pipe with a pending read can block forever. So names of File objects are read
 * on a helper thread that we wait for at most NAME_TIMEOUT_MS; after one timeout no further File
 * name is asked for (the stuck thread is left to end with the process: terminating it could leave
 * a loader or heap lock held). Types never block. */
#include "dump_win32.h"

#include <stdlib.h>
#include <string.h>
#include "win32_util.h"

#define MAX_HANDLES 65536u
#define MAX_QUERY_BYTES (64u << 20)
#define NAME_TIMEOUT_MS 200u
#define TYPE_CACHE 256u

#define STATUS_INFO_LENGTH_MISMATCH_ ((LONG)0xC0000004L)
#define STATUS_BUFFER_OVERFLOW_ ((LONG)0x80000005L)
#define STATUS_BUFFER_TOO_SMALL_ ((LONG)0xC0000023L)

enum {
    PROCESS_HANDLE_INFORMATION_CLASS = 51,
    SYSTEM_EXTENDED_HANDLE_INFORMATION_CLASS = 64,
    OBJECT_BASIC_INFORMATION_CLASS = 0,
    OBJECT_NAME_INFORMATION_CLASS = 1,
    OBJECT_TYPE_INFORMATION_CLASS = 2,
    THREAD_BASIC_INFORMATION_CLASS_ = 0
};

typedef LONG(NTAPI *query_process_fn)(HANDLE, ULONG, PVOID, ULONG, PULONG);
typedef LONG(NTAPI *query_system_fn)(ULONG, PVOID, ULONG, PULONG);
typedef LONG(NTAPI *query_object_fn)(HANDLE, ULONG, PVOID, ULONG, PULONG);
typedef LONG(NTAPI *query_thread_fn)(HANDLE, ULONG, PVOID, ULONG, PULONG);

/* Our own copies of the ntdll layouts, in the tool's bitness. */
typedef struct process_handle_entry {
    HANDLE handle;
    ULONG_PTR handle_count, pointer_count;
    ULONG granted_access, type_index, attributes, reserved;
} process_handle_entry;

typedef struct process_handle_snapshot {
    ULONG_PTR count, reserved;
    process_handle_entry entries[1];
} process_handle_snapshot;

typedef struct system_handle_entry {
    PVOID object;
    ULONG_PTR pid;
    ULONG_PTR handle;
    ULONG granted_access;
    USHORT back_trace_index, type_index;
    ULONG attributes, reserved;
} system_handle_entry;

typedef struct system_handle_list {
    ULONG_PTR count, reserved;
    system_handle_entry entries[1];
} system_handle_list;

typedef struct unicode_string_ {
    USHORT length, maximum_length;
    PWSTR buffer;
} unicode_string_;

typedef struct object_basic_information {
    ULONG attributes, granted_access, handle_count, pointer_count;
    ULONG reserved[10];
} object_basic_information;

typedef struct thread_basic_information_ {
    LONG exit_status;
    PVOID teb;
    HANDLE client_process, client_thread;
    ULONG_PTR affinity;
    LONG priority, base_priority;
} thread_basic_information_;

static FARPROC ntdll_function(const char *name)
{
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    return ntdll ? GetProcAddress(ntdll, name) : NULL;
}

/* Runs an NtQuery* that answers "too small" by growing the buffer; NULL on failure. */
static void *query_growing(LONG (*call)(void *ctx, void *buf, ULONG len, ULONG *needed), void *ctx)
{
    ULONG len = 1u << 16;
    for (int attempt = 0; attempt < 16 && len <= MAX_QUERY_BYTES; attempt++) {
        void *buf = malloc(len);
        if (!buf)
            return NULL;
        ULONG needed = 0;
        LONG nt = call(ctx, buf, len, &needed);
        if (nt >= 0)
            return buf;
        free(buf);
        if (nt != STATUS_INFO_LENGTH_MISMATCH_ && nt != STATUS_BUFFER_OVERFLOW_ && nt != STATUS_BUFFER_TOO_SMALL_)
            return NULL;
        len = needed > len ? needed + 4096 : len * 2;
    }
    return NULL;
}

static LONG call_process_handles(void *ctx, void *buf, ULONG len, ULONG *needed)
{
    query_process_fn q = (query_process_fn)(void (*)(void))ntdll_function("NtQueryInformationProcess");
    return q ? q(*(HANDLE *)ctx, PROCESS_HANDLE_INFORMATION_CLASS, buf, len, needed) : (LONG)0xC0000002L;
}

static LONG call_system_handles(void *ctx, void *buf, ULONG len, ULONG *needed)
{
    (void)ctx;
    query_system_fn q = (query_system_fn)(void (*)(void))ntdll_function("NtQuerySystemInformation");
    return q ? q(SYSTEM_EXTENDED_HANDLE_INFORMATION_CLASS, buf, len, needed) : (LONG)0xC0000002L;
}

/* ---- names ------------------------------------------------------------------------------------- */

static int query_object_string(HANDLE object, ULONG info_class, char *out, size_t cap)
{
    query_object_fn q = (query_object_fn)(void (*)(void))ntdll_function("NtQueryObject");
    union {
        unicode_string_ s;
        uint8_t bytes[4096];
    } buf;
    out[0] = '\0';
    ULONG needed = 0;
    if (!q || q(object, info_class, &buf, sizeof buf - sizeof(WCHAR), &needed) < 0)
        return 0;
    /* Both OBJECT_NAME_INFORMATION and OBJECT_TYPE_INFORMATION start with a UNICODE_STRING whose
     * buffer lies inside our own buffer. */
    const uint8_t *start = (const uint8_t *)buf.s.buffer, *end = buf.bytes + sizeof buf;
    if (!buf.s.buffer || buf.s.length == 0 || start < buf.bytes || start + buf.s.length + sizeof(WCHAR) > end)
        return 1;
    WCHAR *w = buf.s.buffer;
    w[buf.s.length / sizeof(WCHAR)] = 0;
    pmm_wide_to_utf8(w, out, cap);
    return 1;
}

typedef struct name_job {
    HANDLE object;
    char name[520];
} name_job;

static DWORD WINAPI name_thread(void *arg)
{
    name_job *job = arg;
    query_object_string(job->object, OBJECT_NAME_INFORMATION_CLASS, job->name, sizeof job->name);
    return 0;
}

typedef struct handle_reader {
    HANDLE process;              /* with PROCESS_DUP_HANDLE, or NULL: no types or names */
    int file_names_hang;         /* a File name query timed out: ask no more */
    struct {
        ULONG index;
        char name[64];
    } types[TYPE_CACHE];
    size_t type_count;
} handle_reader;

static void file_name(handle_reader *r, HANDLE dup, pmm_md_handle_fact *out)
{
    if (r->file_names_hang)
        return;
    name_job *job = calloc(1, sizeof *job);
    HANDLE mine = NULL;
    /* The helper thread gets its own duplicate: a stuck thread keeps its handle, never ours. */
    if (!job || !DuplicateHandle(GetCurrentProcess(), dup, GetCurrentProcess(), &mine, 0, FALSE, DUPLICATE_SAME_ACCESS)) {
        free(job);
        return;
    }
    job->object = mine;
    HANDLE thread = CreateThread(NULL, 64 * 1024, name_thread, job, 0, NULL);
    if (!thread) {
        CloseHandle(mine);
        free(job);
        return;
    }
    if (WaitForSingleObject(thread, NAME_TIMEOUT_MS) == WAIT_OBJECT_0) {
        memcpy(out->object_name, job->name, sizeof out->object_name);
        CloseHandle(mine);
        free(job);
    } else {
        r->file_names_hang = 1;   /* job and mine stay with the stuck thread */
    }
    CloseHandle(thread);
}

static void describe(handle_reader *r, uint64_t handle, ULONG type_index, pmm_md_handle_fact *out)
{
    HANDLE dup = NULL;
    if (!r->process || !DuplicateHandle(r->process, (HANDLE)(ULONG_PTR)handle, GetCurrentProcess(), &dup, 0, FALSE,
                                        DUPLICATE_SAME_ACCESS))
        return;
    size_t i = 0;
    while (i < r->type_count && r->types[i].index != type_index)
        i++;
    if (i < r->type_count) {
        memcpy(out->type_name, r->types[i].name, sizeof out->type_name);
    } else if (query_object_string(dup, OBJECT_TYPE_INFORMATION_CLASS, out->type_name, sizeof out->type_name) &&
               r->type_count < TYPE_CACHE && type_index != 0) {
        r->types[r->type_count].index = type_index;
        memcpy(r->types[r->type_count].name, out->type_name, sizeof out->type_name);
        r->type_count++;
    }
    if (out->handle_count == 0) {
        query_object_fn q = (query_object_fn)(void (*)(void))ntdll_function("NtQueryObject");
        object_basic_information basic;
        ZeroMemory(&basic, sizeof basic);
        if (q && q(dup, OBJECT_BASIC_INFORMATION_CLASS, &basic, sizeof basic, NULL) >= 0) {
            /* Our duplicate is one handle and one reference of its own. */
            out->handle_count = basic.handle_count ? basic.handle_count - 1 : 0;
            out->pointer_count = basic.pointer_count ? basic.pointer_count - 1 : 0;
        }
    }
    if (strcmp(out->type_name, "File") == 0)
        file_name(r, dup, out);
    else
        query_object_string(dup, OBJECT_NAME_INFORMATION_CLASS, out->object_name, sizeof out->object_name);
    CloseHandle(dup);
}

/* ---- the handle list ----------------------------------------------------------------------------- */

static pmm_status collect(uint32_t pid, HANDLE query_process, handle_reader *r, pmm_md_handle_fact **out,
                          size_t *count)
{
    process_handle_snapshot *snap = query_process ? query_growing(call_process_handles, &query_process) : NULL;
    system_handle_list *all = snap ? NULL : query_growing(call_system_handles, NULL);
    if (!snap && !all)
        return PMM_ERR_UNSUPPORTED;
    size_t n = 0, total = snap ? (size_t)snap->count : (size_t)all->count;
    for (size_t i = 0; all && i < total; i++)
        n += all->entries[i].pid == pid;
    if (snap)
        n = total;
    if (n > MAX_HANDLES)
        n = MAX_HANDLES;
    pmm_md_handle_fact *facts = calloc(n ? n : 1, sizeof *facts);
    if (!facts) {
        free(snap);
        free(all);
        return PMM_ERR_NOMEM;
    }
    size_t k = 0;
    for (size_t i = 0; i < total && k < n; i++) {
        pmm_md_handle_fact *f = &facts[k];
        ULONG type_index;
        if (snap) {
            const process_handle_entry *e = &snap->entries[i];
            f->handle = (uint64_t)(ULONG_PTR)e->handle;
            f->handle_count = (uint32_t)e->handle_count;
            f->pointer_count = (uint32_t)e->pointer_count;
            f->granted_access = e->granted_access;
            f->attributes = e->attributes;
            type_index = e->type_index;
        } else {
            const system_handle_entry *e = &all->entries[i];
            if (e->pid != pid)
                continue;
            f->handle = (uint64_t)e->handle;
            f->granted_access = e->granted_access;
            f->attributes = e->attributes;
            type_index = e->type_index;
        }
        describe(r, f->handle, type_index, f);
        k++;
    }
    free(snap);
    free(all);
    *out = facts;
    *count = k;
    return PMM_OK;
}

pmm_status pmm_dump_handles(uint32_t pid, pmm_md_handle_fact **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    handle_reader *r = calloc(1, sizeof *r);
    if (!r)
        return PMM_ERR_NOMEM;
    r->process = OpenProcess(PROCESS_DUP_HANDLE | PROCESS_QUERY_INFORMATION, FALSE, pid);
    if (!r->process)
        r->process = OpenProcess(PROCESS_DUP_HANDLE, FALSE, pid);
    HANDLE query = r->process ? r->process : OpenProcess(PROCESS_QUERY_INFORMATION, FALSE, pid);
    pmm_status st = collect(pid, query, r, out, count);
    if (query && query != r->process)
        CloseHandle(query);
    if (r->process)
        CloseHandle(r->process);
    free(r);
    return st;
}

/* ---- threads ------------------------------------------------------------------------------------- */

static uint64_t filetime_units(const FILETIME *t)
{
    return (uint64_t)t->dwHighDateTime << 32 | t->dwLowDateTime;
}

static void thread_fact(uint32_t tid, pmm_md_thread_fact *f)
{
    ZeroMemory(f, sizeof *f);
    f->tid = tid;
    HANDLE thread = OpenThread(THREAD_QUERY_INFORMATION, FALSE, tid);
    if (!thread)
        thread = OpenThread(THREAD_QUERY_LIMITED_INFORMATION, FALSE, tid);
    if (!thread)
        return;
    FILETIME created, exited, kernel, user;
    if (GetThreadTimes(thread, &created, &exited, &kernel, &user)) {
        f->times_known = 1;
        f->create_time = filetime_units(&created);
        f->exit_time = filetime_units(&exited);
        f->kernel_time = filetime_units(&kernel);
        f->user_time = filetime_units(&user);
    }
    DWORD code;
    if (GetExitCodeThread(thread, &code))
        f->exit_status = code;
    query_thread_fn q = (query_thread_fn)(void (*)(void))ntdll_function("NtQueryInformationThread");
    thread_basic_information_ basic;
    ZeroMemory(&basic, sizeof basic);
    if (q && q(thread, THREAD_BASIC_INFORMATION_CLASS_, &basic, sizeof basic, NULL) >= 0)
        f->affinity = basic.affinity;
    pmm_nt_thread_start_address(thread, &f->start_address);
    CloseHandle(thread);
}

pmm_status pmm_dump_thread_facts(const pmm_map *map, pmm_md_thread_fact **out, size_t *count)
{
    *out = calloc(map->thread_count ? map->thread_count : 1, sizeof **out);
    *count = 0;
    if (!*out)
        return PMM_ERR_NOMEM;
    for (size_t i = 0; i < map->thread_count; i++)
        thread_fact(map->threads[i].tid, &(*out)[i]);
    *count = map->thread_count;
    return PMM_OK;
}
